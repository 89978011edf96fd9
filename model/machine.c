/* machine.c: building the machine, executing requests on cores, and the event loop that keeps
 * every interaction in simulated-time order. The store buffers (storebuf.c) and the IPI ports
 * (ipi.c) are blocks of their own; this file decides when they act.
 *
 * The loop repeatedly takes the earliest event: a store-buffer drain, an IPI handler finishing,
 * an IPI delivery, or a core issuing its next request; ties go in that order of kinds, then to
 * the lower core id. A drain performs its store on the coherent hierarchy at the cycle it starts,
 * and that is when other cores can see it: together with in-order issue, forwarding from a
 * core's own buffer and fences that wait for an empty buffer, this is x86-TSO.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cache_priv.h"
#include "hier_access.h"
#include "machine_priv.h"

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* Up to this many cores, a scan of the event keys costs fewer instructions than keeping the
 * tournament tree of machine_priv.h's event_tree. */
#define EVENT_SCAN_MAX 8
/* From this many cores the bus snoops through the snoop filter: with four, snooping the other
 * three costs about the instructions of keeping the filter, and the filter's table costs host
 * cache misses (x86-4: 5-8% more wall time with it, the same with 8 cores, 25% less with 16). */
#ifndef FILTER_MIN_CORES
#define FILTER_MIN_CORES 5
#endif
/* From this many cores the snoop filter keeps each line's owner (machine_create says why). */
#ifndef FILTER_OWNERS_MIN_CORES
#define FILTER_OWNERS_MIN_CORES 8
#endif

bool machine_filters(const machine_config_t *cfg)
{
    /* A few cores snoop each other faster than a filter is kept (one core snoops no one). */
    return cfg->cores >= FILTER_MIN_CORES && !cfg->snoop_broadcast;
}

machine_status_t machine_fail(machine_t *m, machine_status_t status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->error, sizeof m->error, fmt, ap);
    va_end(ap);
    return status;
}

const char *machine_error(const machine_t *m) { return m->error; }

uint64_t machine_broken_cycle(const machine_t *m)
{
    return m->mon ? monitor_broken_cycle(m->mon, machine_cycles(m)) : machine_cycles(m);
}
const machine_config_t *machine_config(const machine_t *m) { return &m->cfg; }

/* An event changed core cpu's state: its next event must be computed again. */
static void mark_stale(machine_t *m, unsigned cpu) { m->stale |= 1ull << cpu; }

uint64_t machine_jitter(machine_t *m)
{
    return m->cfg.jitter ? rng_below(&m->rng, m->cfg.jitter + 1) : 0;
}

static cache_t *make_cache(const cache_config_t *cfg, bool keeps_data, rng_t *rng)
{
    cache_config_t c = *cfg;
    c.keeps_data = keeps_data;
    return cache_create(&c, rng);
}

#ifdef COHSIM_STRESS
/* The stress build (make stress), as Lua's test build: every machine is cut to one-entry store
 * buffers and two-set caches, with the invariant checker on, so that the randomised checks
 * find full buffers, evictions, back-invalidations and write-backs at every other request. */
static void stress_level(cache_config_t *c)
{
    if (c->size)
        c->size = 2ull * c->assoc * c->line;
}

static void stress_config(machine_config_t *cfg)
{
    cache_config_t *levels[] = {&cfg->l1i, &cfg->l1d, &cfg->l1, &cfg->l2, &cfg->llc};
    for (unsigned i = 0; i < sizeof levels / sizeof levels[0]; i++)
        stress_level(levels[i]);
    if (cfg->sb_entries)
        cfg->sb_entries = 1;
    cfg->check = true;
}
#endif

/* The faults that change the machine's tables rather than its code (faults.h): the snoop table
 * of no-invalidate is the protocol's, except that a copy seeing a BusRdX keeps its state. */
static void apply_table_faults(machine_t *m)
{
    m->l1i_snoops = m->cfg.icache_snoop && !(m->cfg.faults & FAULT_BIT(ICACHE_NO_SNOOP));
    if (m->cfg.faults & FAULT_BIT(NO_INVALIDATE)) {
        const protocol_t *p = m->cfg.protocol;
        for (unsigned s = 0; s < COHERENCE_STATES; s++)
            for (unsigned e = 0; e < BUS_EVENTS; e++)
                m->faulty_snoop[s][e] = p->snoop[s][e];
        for (unsigned s = LINE_I + 1; s < COHERENCE_STATES; s++)
            m->faulty_snoop[s][BUS_RDX].next = (uint8_t)s;
        m->faulty_protocol = *p;
        m->faulty_protocol.snoop = (const snoop_rule_t(*)[BUS_EVENTS])m->faulty_snoop;
        m->cfg.protocol = &m->faulty_protocol;
    }
}

machine_t *machine_create(const machine_config_t *cfg, char *err, size_t errlen)
{
    if (machine_config_check(cfg, err, errlen) != 0)
        return NULL;
    machine_t *m = calloc(1, sizeof *m);
    if (!m) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    m->cfg = *cfg;
#ifdef COHSIM_STRESS
    stress_config(&m->cfg);
#endif
    apply_table_faults(m);
    rng_seed(&m->rng, cfg->seed);
    for (unsigned i = 0; i < MACHINE_MAX_CORES; i++)
        m->next_key[i] = UINT64_MAX;
    for (unsigned j = 0; j <= EVENT_TREE_ROOT; j++)
        m->event_tree[j] = UINT64_MAX;
    m->event_tree_kept = cfg->cores > EVENT_SCAN_MAX;
    m->line = cfg->l1.size ? cfg->l1.line : cfg->l1d.line;
    bool ok = bus_init(&m->bus, cfg->bus_latency, cfg->bus_occupancy,
                       machine_filters(cfg) ? &bus_filtered : &bus_broadcast,
                       (unsigned)__builtin_ctz(m->line)) == 0;
    if (m->bus.filtering)
        sf_limit(&m->bus.filter, cfg->snoop_filter_max_lines);
    /* A read need visit only the line's owner when the protocol's S does nothing on seeing one
     * but keep its copy; worth keeping owners for with many cores only (each S holder spared is
     * a probe of another core's caches). */
    const snoop_rule_t *s_read = coherence_snoop(cfg->protocol, LINE_S, BUS_RD);
    m->bus.owners = m->bus.filtering && cfg->cores >= FILTER_OWNERS_MIN_CORES &&
                    s_read->next == LINE_S && !s_read->supplies && !s_read->writes_back;
    m->mem = memory_create();
    if (m->mem)
        memory_set_limit(m->mem, cfg->memory_pages_max);
    ok = ok && m->mem != NULL;
    cfg = &m->cfg;
    m->pou_in_l1d = !cfg->l1.size && !cfg->icache_snoop;
    m->pou_handoff_line = UINT64_MAX;
    if (ok && m->pou_in_l1d)
        ok = (m->pou_handoff = malloc(m->line)) != NULL;
    for (unsigned i = 0; ok && i < cfg->cores; i++) {
        core_t *c = &m->core[i];
        c->id = i;
        if (cfg->l1.size) {
            c->l1d = make_cache(&cfg->l1, false, &m->rng);
        } else {
            c->l1d = make_cache(&cfg->l1d, !cfg->icache_snoop, &m->rng);
            if (cfg->l1i.size)
                ok = (c->l1i = make_cache(&cfg->l1i, true, &m->rng)) != NULL;
        }
        ok = ok && c->l1d;
        if (ok && cfg->l2.size)
            ok = (c->l2 = make_cache(&cfg->l2, false, &m->rng)) != NULL;
        ok = ok && sb_init(&c->sb, cfg->sb_entries, cfg->sb_drain_latency) == 0;
        c->coherent[0] = c->l2 ? c->l2 : c->l1d;
        c->coherent[1] = !c->l2 && c->l1i && cfg->icache_snoop ? c->l1i : NULL;
    }
    if (ok && cfg->llc.size)
        ok = (m->llc = make_cache(&cfg->llc, false, &m->rng)) != NULL;
    if (ok && (cfg->check || cfg->faults)) {
        ok = (m->mon = monitor_create(cfg)) != NULL;
        m->obs = monitor_event;
        m->obs_opaque = m;
    }
    if (!ok) {
        machine_destroy(m);
        snprintf(err, errlen, "out of memory building the machine");
        return NULL;
    }
    return m;
}

void machine_destroy(machine_t *m)
{
    if (!m)
        return;
    for (unsigned i = 0; i < MACHINE_MAX_CORES; i++) {
        cache_destroy(m->core[i].l1i);
        cache_destroy(m->core[i].l1d);
        cache_destroy(m->core[i].l2);
        sb_fini(&m->core[i].sb);
    }
    cache_destroy(m->llc);
    bus_fini(&m->bus);
    memory_destroy(m->mem);
    monitor_destroy(m->mon);
    free(m->pou_handoff);
    free(m);
}

void machine_observe(machine_t *m, obs_fn fn, void *opaque)
{
    if (m->mon) { /* the monitor stays the machine's observer and passes records on */
        m->user_obs = fn;
        m->user_obs_opaque = opaque;
        return;
    }
    m->obs = fn;
    m->obs_opaque = opaque;
}

void machine_emit(machine_t *m, const obs_event_t *ev)
{
    if (m->obs)
        m->obs(m->obs_opaque, ev);
}

void machine_attach_os(machine_t *m, const machine_os_t *os)
{
    m->os = *os;
    m->has_os = true;
}

/* ---- values ----------------------------------------------------------------------------------- */

static uint64_t bytes_to_value(const uint8_t *b, unsigned size)
{
    uint8_t le[8] = {0};
    memcpy(le, b, size < 8 ? size : 8);
    return (uint64_t)le[0] | (uint64_t)le[1] << 8 | (uint64_t)le[2] << 16 |
           (uint64_t)le[3] << 24 | (uint64_t)le[4] << 32 | (uint64_t)le[5] << 40 |
           (uint64_t)le[6] << 48 | (uint64_t)le[7] << 56;
}

/* The bytes a load by c at paddr sees: memory with c's buffered stores forwarded. */
static void read_through_sb(const machine_t *m, const core_t *c, uint64_t paddr, unsigned size,
                            uint8_t *out)
{
    memory_read(m->mem, paddr, out, size);
    sb_forward(&c->sb, paddr, size, out);
}

uint64_t machine_peek(const machine_t *m, unsigned cpu, uint64_t addr, unsigned size)
{
    uint8_t b[REQ_MAX_SIZE];
    if (size > REQ_MAX_SIZE)
        size = REQ_MAX_SIZE;
    read_through_sb(m, &m->core[cpu < m->cfg.cores ? cpu : 0], addr, size, b);
    return bytes_to_value(b, size);
}

void machine_ifetch_bytes(machine_t *m, unsigned cpu, uint64_t addr, unsigned size, uint8_t *out)
{
    hier_ifetch_bytes(m, &m->core[cpu], addr, size, out);
}

void machine_mem_read(const machine_t *m, uint64_t addr, void *buf, size_t len)
{
    memory_read(m->mem, addr, buf, len);
}

machine_status_t machine_mem_write(machine_t *m, uint64_t addr, const void *buf, size_t len)
{
    return memory_write(m->mem, addr, buf, len) == MEMORY_OK ? MACHINE_OK : MACHINE_ENOMEM;
}

/* A page of simulated memory could not be had (why): the limit, or the host's memory. */
static machine_status_t sim_memory_full(machine_t *m, memory_result_t why)
{
    if (why == MEMORY_AT_LIMIT)
        return machine_fail(m, MACHINE_ENOMEM,
                            "simulated memory is full: %llu pages of 4 KiB written, all that "
                            "--max-memory (or the host's memory) leaves beside the machine",
                            (unsigned long long)memory_pages(m->mem));
    return machine_fail(m, MACHINE_ENOMEM, "out of memory for simulated memory");
}

/* ---- accesses ------------------------------------------------------------------------------- */

typedef enum { DO_READ, DO_WRITE, DO_IFETCH } line_op_t;

/* Run op over every line [paddr, paddr+size) touches; returns the cycles, checking each line in
 * check mode. */
static int each_line(machine_t *m, core_t *c, line_op_t op, access_kind_t kind, uint64_t paddr,
                     unsigned size, uint64_t now, uint64_t *lat)
{
    uint64_t first = paddr & ~(uint64_t)(m->line - 1);
    uint64_t last = (paddr + (size ? size : 1) - 1) & ~(uint64_t)(m->line - 1);
    *lat = 0;
    for (uint64_t line = first;; line += m->line) {
        uint64_t t = now + *lat;
        switch (op) {
        case DO_READ:
            *lat += hier_read(m, c, line, kind, t);
            break;
        case DO_WRITE:
            *lat += hier_write(m, c, line, t);
            break;
        case DO_IFETCH:
            *lat += hier_ifetch(m, c, line, t);
            break;
        }
        if (m->cfg.check) {
            int rc = hier_check_line(m, line);
            if (rc)
                return rc;
        }
        if (line == last)
            break;
        /* The observer's records of the next line carry its start (the first line's were set
         * by whoever started the access: execute, or a drain). */
        if (m->obs)
            m->obs_now = now + *lat;
    }
    return 0;
}

static int translate(machine_t *m, core_t *c, uint64_t vaddr, unsigned size, bool write,
                     uint64_t now, uint64_t *paddr, uint64_t *extra)
{
    *paddr = vaddr;
    *extra = 0;
    if (m->identity)
        return 0;
    return m->os.translate(m->os.opaque, c->id, vaddr, size, write, now, paddr, extra);
}

/* A store's bytes into memory, once the hierarchy has taken its lines for writing, and the OS
 * layer told (a view's page is now dirty): the end of every performed store, on both issue paths. */
static inline int store_commit(machine_t *m, uint64_t paddr, unsigned size, uint64_t value)
{
    /* Zeros stored while memory holds no page (a trace without values) write nothing
     * (memory_write's rule), which a look at the page count tells for less than the call. */
    memory_result_t rc = MEMORY_OK;
    if (value || memory_pages(m->mem))
        rc = memory_store_le(m->mem, paddr, size, value);
    if (rc != MEMORY_OK)
        return sim_memory_full(m, rc);
    if (m->has_os && m->os.store_performed && paddr >= m->os.stores_noted_from)
        m->os.store_performed(m->os.opaque, paddr, size);
    return 0;
}

/* Perform one store on the coherent hierarchy and in memory (a drain, or a store with no buffer). */
static int perform_store(machine_t *m, core_t *c, uint64_t paddr, unsigned size, uint64_t value,
                         uint64_t now, uint64_t *lat)
{
    int rc = each_line(m, c, DO_WRITE, ACCESS_WRITE, paddr, size, now, lat);
    if (rc || (rc = store_commit(m, paddr, size, value)) != 0)
        return rc;
    if (m->cfg.check) {
        /* Snooping I-caches must not keep what this store replaced. Up to the last line,
         * inclusive: at the top of the address space line + m->line wraps to 0, and a bound of
         * paddr + size never stopped the loop. */
        uint64_t first = paddr & ~(uint64_t)(m->line - 1);
        uint64_t last = (paddr + size - 1) & ~(uint64_t)(m->line - 1);
        for (uint64_t line = first;; line += m->line) {
            if ((rc = hier_check_line(m, line)) != 0)
                return rc;
            if (line == last)
                break;
        }
    }
    return 0;
}

/* ---- store buffers ---------------------------------------------------------------------------- */

static inline bool pending_waits_for_drain(const machine_t *m, const core_t *c);

/* The observer's records, cold and out of line so that the event loop's inlined body stays the
 * size it was without them. */
static __attribute__((cold, noinline)) void observe_drain(machine_t *m, obs_kind_t kind,
                                                          const core_t *c, uint64_t cycle,
                                                          const sb_entry_t *e)
{
    if (kind == OBS_SB_DRAIN_START)
        m->obs_now = cycle; /* the cycle the drain's cache and bus records carry */
    machine_emit(m, &(obs_event_t){.kind = kind, .cycle = cycle, .cpu = (int)c->id,
                                   .addr = e->addr, .size = e->size, .value = e->value});
}

static __attribute__((cold, noinline)) void observe_ipi(machine_t *m, obs_kind_t kind,
                                                        uint64_t cycle, unsigned cpu,
                                                        unsigned other, uint64_t value)
{
    machine_emit(m, &(obs_event_t){.kind = kind, .cycle = cycle, .cpu = (int)cpu,
                                   .other = (int)other, .value = value});
}

/* An observed drain's start (an observer, check mode or a fault): the sb-reorder fault first
 * puts the youngest entry where the oldest was; then the start is reported. */
static __attribute__((cold, noinline)) void observe_drain_start(machine_t *m, core_t *c,
                                                                uint64_t now)
{
    if (m->cfg.faults & FAULT_BIT(SB_REORDER))
        sb_youngest_first(&c->sb);
    observe_drain(m, OBS_SB_DRAIN_START, c, now, &c->sb.ring[c->sb.head]);
}

/* Drain c's oldest buffered store at cycle now: a coherent write on the hierarchy. */
static inline __attribute__((always_inline)) int drain_one(machine_t *m, core_t *c, uint64_t now)
{
    sb_entry_t e = c->sb.ring[c->sb.head];
    /* A drain the pending fence, rmw or primitive waits for is that request's own work. */
    if (c->has_pending && pending_waits_for_drain(m, c) && now >= max_u64(c->clock, c->not_before))
        c->syscall_drained++;
    if (__builtin_expect(m->obs != NULL, 0)) {
        observe_drain_start(m, c, now);
        e = c->sb.ring[c->sb.head]; /* the youngest under sb-reorder */
    }
    uint64_t lat;
    int rc;
    uint64_t line = e.addr & ~(uint64_t)(m->line - 1);
    if (m->quick && ((e.addr + e.size - 1) & ~(uint64_t)(m->line - 1)) == line) {
        /* perform_store for one line on a machine without check mode (quick_issue's store
         * without a buffer): no walk over lines, no checks to skip. */
        lat = hier_write(m, c, line, now);
        rc = store_commit(m, e.addr, e.size, e.value);
    } else {
        rc = perform_store(m, c, e.addr, e.size, e.value, now, &lat);
    }
    if (rc)
        return rc;
    uint64_t busy_until = now + lat + machine_jitter(m);
    sb_retire_oldest(&c->sb, busy_until);
    if (__builtin_expect(m->obs != NULL, 0))
        observe_drain(m, OBS_SB_DRAIN_DONE, c, busy_until, &e);
    return 0;
}

unsigned machine_sb_count(const machine_t *m, unsigned cpu) { return m->core[cpu].sb.count; }

uint64_t machine_syscall_drained(const machine_t *m, unsigned cpu)
{
    return m->core[cpu].syscall_drained;
}

/* ---- IPIs ------------------------------------------------------------------------------------ */

machine_status_t machine_ipi_send(machine_t *m, unsigned from, unsigned to, uint64_t now)
{
    return machine_ipi_send_work(m, from, to, now, IPI_WORK_DRAIN);
}

machine_status_t machine_ipi_send_work(machine_t *m, unsigned from, unsigned to, uint64_t now,
                                       ipi_work_t work)
{
    if (from >= m->cfg.cores || to >= m->cfg.cores)
        return MACHINE_EBADCPU;
    core_t *t = &m->core[to], *s = &m->core[from];
    uint64_t at = now + m->cfg.ipi_latency + machine_jitter(m);
    if (ipi_send(&s->ipi, from, &t->ipi, now, at, work) != 0)
        return machine_fail(m, MACHINE_EUNSUPPORTED, "core %u has too many IPIs pending", to);
    if (m->obs)
        observe_ipi(m, OBS_IPI_SENT, now, from, to, at);
    mark_stale(m, to);
    mark_stale(m, from);
    return MACHINE_OK;
}

uint64_t machine_ipi_round_drained(const machine_t *m, unsigned from)
{
    return m->core[from].ipi.round_drained;
}

maint_counts_t machine_ipi_round_maintenance(const machine_t *m, unsigned from)
{
    const ipi_port_t *p = &m->core[from].ipi;
    return (maint_counts_t){p->round_invalidated, p->round_written_back};
}

const ipi_stats_t *machine_ipi_stats(const machine_t *m, unsigned cpu)
{
    return &m->core[cpu].ipi.stats;
}

/* ---- executing one request ------------------------------------------------------------------- */

/* Whether an operation waits for its core's store buffer to be empty: fences, locked rmw,
 * cache maintenance and the primitives (each a system call that drains the buffer). */
static const bool machine_op_needs_empty[OP_COUNT] = {
#define OP(id, spelling, cls, doc)                                                                 \
    [OP_##id] = OP_##id == OP_FENCE || OP_##id == OP_RMW || (cls) == OPC_PRIMITIVE ||               \
                (cls) == OPC_CACHE,
#include "ops.def"
#undef OP
};

/* Whether core c's pending request waits for its store buffer to drain: one of the operations
 * above (held in pending_needs_empty), except a fence under the no-drain-on-fence fault. The
 * fault is tested only once the request is one that waits, which few are, so that the loop's
 * common case pays nothing for it. */
static inline bool pending_waits_for_drain(const machine_t *m, const core_t *c)
{
    return c->pending_needs_empty &&
           !(__builtin_expect(m->cfg.faults & FAULT_BIT(NO_DRAIN_ON_FENCE), 0) &&
             c->pending->op == OP_FENCE);
}

static bool is_os_request(const mem_req_t *r)
{
    op_class_t cls = op_class((op_t)r->op);
    return cls == OPC_PRIMITIVE || cls == OPC_OS || cls == OPC_CHECK;
}

/* For the observer: request r of core c is complete with result res (status: what it returned). */
static void observe_completion(machine_t *m, const core_t *c, const mem_req_t *r,
                               const req_result_t *res, int status)
{
    if (is_os_request(r))
        OBSERVE(m, .kind = OBS_PRIM_RETURN, .cycle = res->done, .cpu = (int)c->id, .op = r->op,
                .seq = res->seq, .value = res->value, .status = status);
    OBSERVE(m, .kind = OBS_REQ_COMPLETED, .cycle = res->done, .cpu = (int)c->id, .op = r->op,
            .addr = r->addr, .size = r->size, .value = res->value, .seq = res->seq,
            .status = status);
}

static int finish(machine_t *m, core_t *c, const mem_req_t *r, const req_result_t *res)
{
    const core_source_t *src = &m->sources[m->per_core ? c->id : 0];
    if (!src->done || (c->done_for_values && !(r->op == OP_LOAD && (r->flags & REQ_HAS_VALUE))))
        return 0;
    if (r->cpu != c->id) {
        mem_req_t own = *r;
        own.cpu = (uint16_t)c->id;
        return src->done(src->opaque, &own, res);
    }
    return src->done(src->opaque, r, res);
}

/* Whether translation can be skipped; asked again after each request the OS layer executes. */
static void refresh_identity(machine_t *m)
{
    m->identity = !m->has_os || !m->os.translate || (m->os.identity && m->os.identity(m->os.opaque));
    m->quick = m->identity && !m->cfg.check && !m->cfg.jitter && !m->cfg.general_paths_only &&
               !m->obs;
}

/* The common cases without execute's general path, on a quick machine (m->quick) for a source
 * that wants no result of them: a store into the buffer, or within one line with no buffer, and a
 * load (that no buffered store touches) or a fetch within one line. Each calls what execute calls
 * for it (sb_append, sb_push's body; hier_write and store_commit, perform_store's one line;
 * hier_read and hier_ifetch, hier_access.h), so the two paths agree by construction; what
 * quick_issue skips is what a quick machine has not (translation, jitter, checking, an observer).
 * QUICK_TAKEN done; QUICK_DECLINED not taken, nothing changed; or an error status (the request
 * was taken). */
enum { QUICK_DECLINED = 0, QUICK_TAKEN = 1 };
/* (quick_core: the caller knows that c's source wants no result of these, done_for_values and
 * values_unused, so that neither needs a test.) */
static inline __attribute__((always_inline)) int quick_issue_as(machine_t *m, core_t *c,
                                                              const mem_req_t *r, uint64_t now,
                                                              const bool quick_core)
{
    if ((!quick_core && !c->done_for_values) || r->size == 0 || r->size > REQ_MAX_SIZE)
        return QUICK_DECLINED;
    uint64_t line = r->addr & ~(uint64_t)(m->line - 1);
    bool one_line = ((r->addr + r->size - 1) & ~(uint64_t)(m->line - 1)) == line;
    if (r->op == OP_STORE) {
        uint64_t value = r->flags & REQ_HAS_VALUE ? r->value : 0;
        if (m->cfg.sb_entries) {
            c->stats.ops[OP_STORE]++;
            sb_append(&c->sb, r->addr, r->size, value, now);
            c->clock = now + 1;
            return QUICK_TAKEN;
        }
        if (!one_line)
            return QUICK_DECLINED;
        /* perform_store for one line on a machine without check mode */
        c->stats.ops[OP_STORE]++;
        c->clock = now + hier_write(m, c, line, now);
        int rc = store_commit(m, r->addr, r->size, value);
        return rc != MACHINE_OK ? rc : QUICK_TAKEN;
    }
    if ((r->flags & REQ_HAS_VALUE) || (!quick_core && !c->values_unused) || !one_line)
        return QUICK_DECLINED;
    if (r->op == OP_LOAD) {
        if (!c->l1d || (c->sb.count && sb_touches(&c->sb, r->addr, r->size)))
            return QUICK_DECLINED;
        c->stats.ops[OP_LOAD]++;
        c->clock = now + hier_read(m, c, line, ACCESS_READ, now);
        return QUICK_TAKEN;
    }
    if (r->op == OP_IFETCH) {
        c->stats.ops[OP_IFETCH]++;
        c->clock = now + hier_ifetch(m, c, line, now);
        return QUICK_TAKEN;
    }
    return QUICK_DECLINED;
}

static inline __attribute__((always_inline)) int quick_issue(machine_t *m, core_t *c,
                                                           const mem_req_t *r, uint64_t now)
{
    return quick_issue_as(m, c, r, now, false);
}

static int execute(machine_t *m, core_t *c, const mem_req_t *r, uint64_t seq, uint64_t now,
                   req_result_t *res)
{
    uint64_t lat = 0, extra = 0, paddr = r->addr;
    int rc = 0;
    res->seq = seq;
    res->issued = now;
    res->value = 0;
    res->status = 0;
    c->stats.ops[r->op]++;
    if (m->obs) {
        m->obs_now = now;
        OBSERVE(m, .kind = OBS_REQ_ISSUED, .cycle = now, .cpu = (int)c->id, .op = r->op,
                .addr = r->addr, .size = r->size,
                .value = r->op == OP_STORE && (r->flags & REQ_HAS_VALUE) ? r->value : 0,
                .seq = seq);
        if (is_os_request(r))
            OBSERVE(m, .kind = OBS_PRIM_START, .cycle = now, .cpu = (int)c->id, .op = r->op,
                    .addr = r->addr, .size = r->size, .seq = seq);
    }
    switch ((op_class_t)op_classes[r->op]) {
    case OPC_MEM:
        if (r->size == 0 || r->size > REQ_MAX_SIZE)
            return machine_fail(m, MACHINE_EBADSIZE, "access size %u is not 1..%u", r->size,
                                REQ_MAX_SIZE);
        if (r->addr + r->size - 1 < r->addr)
            return machine_fail(m, MACHINE_EBADSIZE,
                                "access of %u bytes at %#llx wraps past the top of the address "
                                "space", r->size, (unsigned long long)r->addr);
        rc = translate(m, c, r->addr, r->size,
                       r->op == OP_STORE || r->op == OP_RMW, now, &paddr, &extra);
        if (rc)
            return rc;
        break;
    default:
        break;
    }
    uint8_t bytes[REQ_MAX_SIZE];
    bool want_value = !c->values_unused || (r->flags & REQ_HAS_VALUE);
    switch (r->op) {
    case OP_LOAD:
    case OP_MISC: {
        unsigned forwarded;
        if (want_value) {
            memory_read(m->mem, paddr, bytes, r->size);
            forwarded = sb_load(&c->sb, paddr, r->size, bytes);
            res->value = bytes_to_value(bytes, r->size);
        } else {
            forwarded = sb_load(&c->sb, paddr, r->size, NULL);
        }
        if (forwarded == r->size) {
            OBSERVE(m, .kind = OBS_SB_FORWARD, .cycle = now + extra, .cpu = (int)c->id,
                    .addr = paddr, .size = r->size, .value = res->value);
            lat = c->l1d ? cache_config(c->l1d)->latency : 1;
        } else {
            rc = each_line(m, c, DO_READ, r->op == OP_MISC ? ACCESS_MISC : ACCESS_READ, paddr,
                           r->size, now + extra, &lat);
        }
        break;
    }
    case OP_IFETCH:
        rc = each_line(m, c, DO_IFETCH, ACCESS_IFETCH, paddr, r->size, now + extra, &lat);
        if (want_value) {
            hier_ifetch_bytes(m, c, paddr, r->size, bytes);
            res->value = bytes_to_value(bytes, r->size);
        }
        break;
    case OP_STORE: {
        uint64_t v = r->flags & REQ_HAS_VALUE ? r->value : 0;
        if (m->cfg.sb_entries == 0) {
            rc = perform_store(m, c, paddr, r->size, v, now + extra, &lat);
            break;
        }
        sb_push(&c->sb, paddr, r->size, v, now + extra);
        OBSERVE(m, .kind = OBS_SB_PUSH, .cycle = now + extra, .cpu = (int)c->id, .addr = paddr,
                .size = r->size, .value = v);
        lat = 1;
        break;
    }
    case OP_RMW: {
        /* Locked: the line is taken for writing, read and written with nothing in between. */
        rc = each_line(m, c, DO_WRITE, ACCESS_WRITE, paddr, r->size, now + extra, &lat);
        if (rc)
            break;
        cache_stats(c->l1d)->accesses[ACCESS_READ]++;
        memory_read(m->mem, paddr, bytes, r->size);
        uint64_t old = bytes_to_value(bytes, r->size);
        uint64_t nv = op_rmw_result(r, old);
        memory_result_t stored = memory_store_le(m->mem, paddr, r->size, nv);
        if (stored != MEMORY_OK)
            return sim_memory_full(m, stored);
        if (m->has_os && m->os.store_performed && paddr >= m->os.stores_noted_from)
            m->os.store_performed(m->os.opaque, paddr, r->size);
        res->value = old;
        break;
    }
    case OP_FENCE:
        lat = 1;
        break;
    case OP_ROI_BEGIN:
    case OP_ROI_END:
        /* A mark costs nothing and draws no jitter: it must not move any other number. */
        region_mark(m, r, now);
        c->clock = max_u64(c->clock, now);
        res->done = c->clock;
        return finish(m, c, r, res);
    case OP_COPYBACK:
    case OP_INVALIDATE: {
        maint_counts_t counts = {0, 0};
        lat = machine_flush_caches(m, -1, r->op == OP_INVALIDATE, &counts);
        break;
    }
    default:
        if (!m->has_os || !m->os.execute)
            return machine_fail(m, MACHINE_EUNSUPPORTED,
                                "%s needs the OS layer, which this run does not have",
                                op_name(r->op));
        res->done = now;
        rc = m->os.execute(m->os.opaque, m, c->id, r, now, res);
        if (rc != MACHINE_OK && rc != MACHINE_STOPPED)
            return rc;
        c->clock = max_u64(res->done, now);
        if (c->ipi.acks_waiting) {
            c->has_waiting_req = true;
            c->waiting_req = *r;
            c->waiting_res = *res;
            c->waiting_res.status = rc;
            return MACHINE_OK;
        }
        res->done = c->clock;
        if (m->os.completed)
            m->os.completed(m->os.opaque, c->id, r, res);
        if (m->obs)
            observe_completion(m, c, r, res, rc);
        if (rc == MACHINE_STOPPED)
            return MACHINE_STOPPED;
        return finish(m, c, r, res);
    }
    if (rc)
        return rc;
    c->clock = now + extra + lat + machine_jitter(m);
    res->done = c->clock;
    if (m->obs)
        observe_completion(m, c, r, res, 0);
    return finish(m, c, r, res);
}

/* ---- the event loop -------------------------------------------------------------------------- */

typedef enum event_kind { EV_DRAIN, EV_HANDLER_DONE, EV_IRQ, EV_ISSUE, EV_NONE } event_kind_t;

typedef struct event {
    event_kind_t kind;
    uint64_t at;
    unsigned cpu;
} event_t;

/* Refill source i's feed and take its first request (feed_next's slow path). */
static const mem_req_t *feed_refill(machine_t *m, unsigned i, int *status)
{
    feed_t *f = &m->feed[i];
    const core_source_t *src = &m->sources[i];
    int got;
    if (src->next_batch) {
        got = src->next_batch(src->opaque, &f->batch);
        if (got > 0) {
            f->count = (unsigned)got;
            f->pos = 1;
            f->taken++;
            return &f->batch[0];
        }
    } else {
        got = src->next(src->opaque, &f->slot);
        if (got > 0) {
            f->taken++;
            return &f->slot;
        }
    }
    *status = got == SOURCE_END ? MACHINE_OK : MACHINE_ESOURCE;
    return NULL;
}

/* The next request of source i where it lies (in the source's batch, or the feed's slot), valid
 * until the next call for the same source; NULL at the end (*status MACHINE_OK) or on the
 * source's error (MACHINE_ESOURCE). */
static inline const mem_req_t *feed_next(machine_t *m, unsigned i, int *status)
{
    feed_t *f = &m->feed[i];
    if (f->pos < f->count) {
        f->taken++;
        return &f->batch[f->pos++];
    }
    return feed_refill(m, i, status);
}

/* Make r core c's pending request; not_before is the earliest cycle it may issue. */
static void hold(machine_t *m, core_t *c, const mem_req_t *r, uint64_t seq, uint64_t not_before)
{
    c->pending = r;
    c->pending_in_batch = false;
    c->pending_needs_empty = machine_op_needs_empty[r->op];
    c->pending_seq = seq;
    c->has_pending = true;
    c->not_before = not_before;
    c->syscall_drained = 0;
    m->npending++;
    mark_stale(m, c->id);
}

/* Take the next request for c from its source (per-core streams only), if it has none held and
 * the source has one: MACHINE_OK, or MACHINE_ESOURCE. */
static inline __attribute__((always_inline)) machine_status_t refill(machine_t *m, core_t *c)
{
    /* A request waiting for IPI acknowledgements has not delivered its result yet: a source that
     * needs results (an interpreter) cannot say what comes next before it has. (Bitwise: one
     * branch, asked per core per event.) */
    if (c->has_pending | c->source_done | c->has_waiting_req)
        return MACHINE_OK;
    int status = MACHINE_OK;
    const mem_req_t *r = feed_next(m, c->id, &status);
    if (!r) {
        c->source_done = status == MACHINE_OK;
        return status;
    }
    hold(m, c, r, m->feed[c->id].taken, 0);
    return MACHINE_OK;
}

/* The next record of the global stream, checked to name a core the machine has. NULL at the end
 * (*status MACHINE_OK) or on an error: MACHINE_ESOURCE, or MACHINE_EBADCPU with its message. */
static inline const mem_req_t *global_next(machine_t *m, bool *stream_done, int *status)
{
    if (*stream_done) {
        *status = MACHINE_OK;
        return NULL;
    }
    const mem_req_t *r = feed_next(m, 0, status);
    if (!r) {
        *stream_done = *status == MACHINE_OK;
        return NULL;
    }
    if (r->cpu >= m->cfg.cores) {
        *status = machine_fail(m, MACHINE_EBADCPU,
                               "CPU %u does not exist: this machine has %u core%s", r->cpu,
                               m->cfg.cores, m->cfg.cores == 1 ? "" : "s");
        return NULL;
    }
    return r;
}

/* Global issue order: hand the stream's next record to its core, unless one is held or the
 * stream has ended. MACHINE_OK, or global_next's error. */
static machine_status_t refill_global(machine_t *m, bool *stream_done)
{
    if (m->npending)
        return MACHINE_OK;
    int status = MACHINE_OK;
    const mem_req_t *r = global_next(m, stream_done, &status);
    if (!r)
        return status;
    hold(m, &m->core[r->cpu], r, m->feed[0].taken, m->last_issue);
    return MACHINE_OK;
}

static void dump_state(machine_t *m, const char *why)
{
    int n = snprintf(m->error, sizeof m->error, "%s; ", why);
    for (unsigned i = 0; i < m->cfg.cores && n > 0 && (size_t)n < sizeof m->error; i++) {
        const core_t *c = &m->core[i];
        n += snprintf(m->error + n, sizeof m->error - (size_t)n,
                      "core %u: clock %llu, pending %s, sb %u, irqs %u, handler %d, acks %u; ", i,
                      (unsigned long long)c->clock, c->has_pending ? op_name(c->pending->op) : "-",
                      c->sb.count, c->ipi.nirqs, c->ipi.in_handler, c->ipi.acks_waiting);
    }
}

/* The earliest event of core c: a drain, its IPI handler finishing, an IPI delivery, or issuing
 * its pending request. Candidates are taken in the order of kinds and a later one wins only when
 * strictly earlier, which is the tie rule of the loop. A pending request waits while the buffer
 * holds entries it must see drained, or while it is a store and the buffer is full (noted in
 * waited_full, a stall the store's issue counts). */
static inline __attribute__((always_inline)) event_t core_event(machine_t *m, core_t *c)
{
    /* No candidate yet: at UINT64_MAX, later than any real one (times stay below 2^56). */
    event_kind_t kind = EV_NONE;
    uint64_t at = UINT64_MAX;
    if (c->sb.count) {
        kind = EV_DRAIN;
        at = sb_ready_at(&c->sb);
    }
    /* Interrupt work is rare: one test of both fields, bitwise, in the common case. */
    const ipi_port_t *p = &c->ipi;
    if (p->in_handler | (p->nirqs != 0)) {
        uint64_t irq_at;
        if (p->in_handler) {
            if (c->sb.count == 0) {
                kind = EV_HANDLER_DONE;
                at = ipi_handler_end(p, c->sb.busy_until, m->cfg.ipi_handler);
            }
        } else if (ipi_next_delivery(p, &irq_at) && irq_at < at) {
            kind = EV_IRQ;
            at = irq_at;
        }
    }
    if (__builtin_expect(c->has_waiting_req, 0)) {
        /* A call whose IPIs are all acknowledged returns once its core is free (no handler of
         * its own running); a request held behind it waits. The event is a handler kind: one
         * that completes the wait when the core runs no handler (handle_event). */
        if (!(p->in_handler | (p->acks_waiting != 0))) {
            uint64_t back = max_u64(c->clock, p->last_ack);
            if (back < at) {
                kind = EV_HANDLER_DONE;
                at = back;
            }
        }
    } else if (c->has_pending) {
        bool store_waits = c->sb.count && c->sb.count == c->sb.cap && c->pending->op == OP_STORE;
        if (store_waits)
            c->waited_full = true;
        bool blocked = c->sb.count && (pending_waits_for_drain(m, c) || store_waits);
        if (!(p->in_handler | (p->acks_waiting != 0) | blocked)) {
            uint64_t issue_at = max_u64(c->clock, c->not_before);
            if (pending_waits_for_drain(m, c))
                issue_at = max_u64(issue_at, c->sb.busy_until);
            if (issue_at < at) {
                kind = EV_ISSUE;
                at = issue_at;
            }
        }
    }
    return (event_t){kind, at, c->id};
}

/* The least of the cores' keys, without a loop: of four keys with up to four cores, else of
 * eight (the keys of cores the machine has not are UINT64_MAX, from machine_create on). More
 * cores keep the tournament tree instead (EVENT_SCAN_MAX). */
static inline uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

_Static_assert(EVENT_SCAN_MAX <= 8, "least_key reads eight keys at most");

static inline uint64_t least_key(const machine_t *m)
{
    const uint64_t *key = m->next_key;
    uint64_t four = min_u64(min_u64(key[0], key[1]), min_u64(key[2], key[3]));
    if (m->cfg.cores <= 4)
        return four;
    return min_u64(four, min_u64(min_u64(key[4], key[5]), min_u64(key[6], key[7])));
}

/* The earliest event of all: cores whose state an event changed compute theirs again; the others
 * keep the one they had. */
static event_t next_event(machine_t *m)
{
    for (uint64_t stale = m->stale; stale; stale &= stale - 1) {
        unsigned i = (unsigned)__builtin_ctzll(stale);
        event_t e = core_event(m, &m->core[i]);
        uint64_t key = UINT64_MAX;
        if (e.kind != EV_NONE) {
            if (e.at >> 56) {
                m->time_overflow = true;
                return (event_t){EV_NONE, 0, 0};
            }
            key = e.at << 8 | (uint64_t)e.kind << 6 | i;
        }
        m->next_key[i] = key;
    }
    m->stale = 0;
    uint64_t best = least_key(m);
    if (best == UINT64_MAX)
        return (event_t){EV_NONE, 0, 0};
    return (event_t){(event_kind_t)(best >> 6 & 3), best >> 8, (unsigned)(best & 63)};
}

/* The least of the four keys at k (a node of the event tree and its siblings), without a
 * branch. */
static inline __attribute__((always_inline)) uint64_t least_of_four(const uint64_t *k)
{
    return min_u64(min_u64(k[0], k[1]), min_u64(k[2], k[3]));
}

/* Core i's key is now key: its leaf of the tournament tree and the path above it, so the tree
 * is consistent again. (Stopping where a node keeps its value would be correct too, but the core
 * whose event was just taken held the minimum along its whole path, so that test costs more than
 * it saves.) Each node is the least of its four children, read whole: fewer steps than a binary
 * tree's six, each without a loop or a branch. */
static inline __attribute__((always_inline)) void tree_set(machine_t *m, unsigned i, uint64_t key)
{
    _Static_assert(MACHINE_MAX_CORES == 64, "the event tree has three levels of four-way nodes");
    uint64_t *t = m->event_tree;
    if (t[i] == key)
        return;
    t[i] = key;
    t[EVENT_TREE_L1 + (i >> 2)] = least_of_four(t + (i & ~3u));
    t[EVENT_TREE_L2 + (i >> 4)] = least_of_four(t + EVENT_TREE_L1 + ((i >> 2) & ~3u));
    t[EVENT_TREE_ROOT] = least_of_four(t + EVENT_TREE_L2);
}

/* next_event with more than EVENT_SCAN_MAX cores: the same keys, the earliest found by the
 * tournament tree (machine_priv.h). Changed leaves are taken one at a time (tree_set). */
static event_t next_event_tree(machine_t *m)
{
    for (uint64_t stale = m->stale; stale; stale &= stale - 1) {
        unsigned i = (unsigned)__builtin_ctzll(stale);
        event_t e = core_event(m, &m->core[i]);
        uint64_t key = UINT64_MAX;
        if (e.kind != EV_NONE) {
            if (e.at >> 56) {
                m->time_overflow = true;
                return (event_t){EV_NONE, 0, 0};
            }
            key = e.at << 8 | (uint64_t)e.kind << 6 | i;
        }
        tree_set(m, i, key);
    }
    m->stale = 0;
    uint64_t best = m->event_tree[EVENT_TREE_ROOT];
    if (best == UINT64_MAX)
        return (event_t){EV_NONE, 0, 0};
    return (event_t){(event_kind_t)(best >> 6 & 3), best >> 8, (unsigned)(best & 63)};
}

static int complete_ipi_wait(machine_t *m, core_t *s)
{
    s->has_waiting_req = false;
    req_result_t res = s->waiting_res;
    res.done = max_u64(s->clock, s->ipi.last_ack);
    int status = res.status;
    res.status = MACHINE_OK;
    if (m->os.resume) {
        m->obs_now = res.done; /* the cycle the OS layer's cache records carry */
        m->os.resume(m->os.opaque, m, s->id, &s->waiting_req, &res);
    }
    s->clock = max_u64(s->clock, res.done);
    if (m->os.completed)
        m->os.completed(m->os.opaque, s->id, &s->waiting_req, &res);
    if (m->obs)
        observe_completion(m, s, &s->waiting_req, &res, status);
    if (status == MACHINE_STOPPED)
        return MACHINE_STOPPED;
    return finish(m, s, &s->waiting_req, &res);
}

/* issue's way for what quick_issue does not take: execute, with its result on this frame. */
static __attribute__((noinline)) int issue_executed(machine_t *m, core_t *c, const mem_req_t *r,
                                                    uint64_t seq, uint64_t at)
{
    req_result_t res;
    uint8_t cls = op_classes[r->op];
    if (cls == OPC_MEM || cls == OPC_SYNC)
        return execute(m, c, r, seq, at, &res);
    /* The OS layer may send IPIs, change what other cores wait for, or map views. */
    m->stale = ~0ull >> (64 - m->cfg.cores);
    mem_req_t own = *r;
    own.cpu = (uint16_t)c->id;
    int rc = execute(m, c, &own, seq, at, &res);
    refresh_identity(m);
    return rc;
}

/* Core c issues request r (its number in its source: seq) at cycle at. Inlined into the event
 * loop, so that a request quick_issue takes (most) costs no call of its own. at_clock: the caller
 * knows that the machine is quick, that at is the core's clock and that the core's source wants
 * no result of quick requests (core_burst's plain core), so that none of these needs a test. */
static inline __attribute__((always_inline)) int issue_as(machine_t *m, core_t *c,
                                                          const mem_req_t *r, uint64_t seq,
                                                          uint64_t at, const bool at_clock)
{
    if (c->waited_full) {
        sb_note_full_stall(&c->sb);
        c->waited_full = false;
    }
    if (!at_clock && at > c->clock)
        c->stats.stall_cycles += at - max_u64(c->clock, c->not_before);
    m->last_issue = at;
    if (at_clock || m->quick) {
        int taken = quick_issue_as(m, c, r, at, at_clock);
        if (taken != QUICK_DECLINED)
            return taken == QUICK_TAKEN ? MACHINE_OK : taken;
    }
    return issue_executed(m, c, r, seq, at);
}

static inline __attribute__((always_inline)) int issue(machine_t *m, core_t *c, const mem_req_t *r,
                                                       uint64_t seq, uint64_t at)
{
    return issue_as(m, c, r, seq, at, false);
}

/* Core c takes the next request of its batch from the source and issues it at cycle at, with
 * what hold would have left that lasts past the issue (not_before, and the drains a fence
 * counts). The request is one core_burst left there (pending_in_batch), its key made on a quick
 * machine at the core's clock; both still hold, or the core would have been marked stale and
 * refill would have held the request (issue_as's at_clock). */
static inline __attribute__((always_inline)) int issue_from_batch(machine_t *m, core_t *c,
                                                                  uint64_t at)
{
    feed_t *f = &m->feed[c->id];
    const mem_req_t *r = &f->batch[f->pos++];
    c->pending_in_batch = false;
    c->not_before = 0;
    c->syscall_drained = 0;
    return issue_as(m, c, r, ++f->taken, at, true);
}

/* Core c issues its pending request (held, or left in its batch) at cycle at. */
static inline __attribute__((always_inline)) int issue_pending(machine_t *m, core_t *c,
                                                               uint64_t at)
{
    if (c->pending_in_batch)
        return issue_from_batch(m, c, at);
    c->has_pending = false;
    m->npending--;
    return issue(m, c, c->pending, c->pending_seq, at);
}

static inline __attribute__((always_inline)) int handle_event(machine_t *m, const event_t *e)
{
    core_t *c = &m->core[e->cpu];
    mark_stale(m, c->id);
    switch (e->kind) {
    case EV_DRAIN: {
        int rc = drain_one(m, c, e->at);
        if (__builtin_expect(rc != MACHINE_OK, 0) && c->pending_in_batch) {
            /* As core_burst's drain: the failing core's count names the record. */
            feed_t *f = &m->feed[c->id];
            hold(m, c, &f->batch[f->pos++], ++f->taken, 0);
        }
        return rc;
    }
    case EV_IRQ: {
        unsigned from = ipi_deliver(&c->ipi);
        m->core[from].ipi.round_drained += c->sb.count;
        if (__builtin_expect(m->obs != NULL, 0))
            observe_ipi(m, OBS_IPI_DELIVERED, e->at, c->id, from, 0);
        return 0;
    }
    case EV_HANDLER_DONE: {
        if (!c->ipi.in_handler) /* core_event's other use of the kind: a wait is over */
            return complete_ipi_wait(m, c);
        if (ipi_work_pending(&c->ipi)) {
            /* IPI_WORK_FLUSH_CACHES: the round's last handler to flush does the shared level
             * too, after every private cache (the sender flushed its own when it sent them). */
            core_t *s = &m->core[c->ipi.handling.from];
            maint_counts_t mc = {0, 0};
            m->obs_now = e->at; /* the cycle the flush's cache records carry */
            bool last = --s->ipi.flushes_pending == 0;
            ipi_work_done(&c->ipi, e->at + machine_flush_processor(m, c->id, last, &mc));
            s->ipi.round_invalidated += mc.lines_invalidated;
            s->ipi.round_written_back += mc.lines_written_back;
            return 0;
        }
        uint64_t start = c->ipi.handling.at;
        core_t *s = &m->core[ipi_handler_finish(&c->ipi)];
        uint64_t done = e->at + machine_jitter(m);
        /* The handler's cycles are the interrupted core's: work it was busy with ends later. */
        c->clock = max_u64(c->clock, start) + (done - start);
        mark_stale(m, s->id);
        uint64_t acked = done + m->cfg.ipi_ack;
        ipi_ack(&s->ipi, acked);
        if (__builtin_expect(m->obs != NULL, 0)) {
            observe_ipi(m, OBS_IPI_HANDLED, done, c->id, s->id, 0);
            observe_ipi(m, OBS_IPI_ACKED, acked, s->id, c->id, s->ipi.acks_waiting);
        }
        return 0;
    }
    case EV_ISSUE:
        return issue_pending(m, c, e->at);
    case EV_NONE:
        break;
    }
    return 0;
}

/* Whether machine_run may use solo_run: one core and no store buffer. Then nothing can happen
 * between two of the core's requests but those requests: no drains, no other core's events, and
 * IPIs only through the OS layer's requests, which solo_run leaves to the event loop. */
static bool solo_machine(const machine_t *m)
{
    return m->cfg.cores == 1 && m->cfg.sb_entries == 0 && !m->cfg.general_paths_only && !m->obs;
}

/* The requests left in a solo machine's current batch that quick_issue takes, issued where they
 * lie with solo_run's and issue's per-request work hoisted out of the loop: between two of them
 * nothing else can happen (no other core, no buffer, and a quick request sends no IPI), nothing
 * stalls (a solo core issues at its own clock or at the last issue), and the outcome is what
 * solo_run would give. Stops before the first request quick_issue does not take, which then
 * comes next from the feed. MACHINE_OK, or an error (the failing request counted as taken). */
static __attribute__((noinline)) int solo_burst(machine_t *m, core_t *c)
{
    feed_t *f = &m->feed[0];
    bool global = !m->per_core;
    unsigned pos = f->pos;
    int rc = QUICK_DECLINED;
    for (; pos < f->count; pos++) {
        const mem_req_t *r = &f->batch[pos];
        if (r->cpu != 0)
            break;
        uint64_t not_before = global ? m->last_issue : 0;
        uint64_t at = max_u64(c->clock, not_before);
        rc = quick_issue(m, c, r, at);
        if (rc == QUICK_DECLINED)
            break;
        m->last_issue = at;
        c->not_before = not_before;
        c->syscall_drained = 0;
        if (rc != QUICK_TAKEN) {
            pos++;
            break;
        }
    }
    f->taken += pos - f->pos;
    f->pos = pos;
    return rc == QUICK_DECLINED || rc == QUICK_TAKEN ? MACHINE_OK : rc;
}

/* Whether solo_burst may take solo_burst_plain's way: a solo machine (solo_machine) with the
 * configuration of most runs from a trace, the same for the whole run: lines of at most
 * REQ_MAX_SIZE bytes (so an access within one line has a size in range), a source that wants
 * neither values it did not state nor a result of other requests (done_for_values,
 * values_unused), an L1D, and first levels (for data, and for fetches) with LRU replacement and
 * no --3c classifier. */
static bool solo_plain(const machine_t *m)
{
    const core_t *c = &m->core[0];
    bool is_l1i;
    const cache_t *fetch = hier_fetch_l1(m, c, &is_l1i);
    return solo_machine(m) && m->line <= REQ_MAX_SIZE && c->done_for_values &&
           c->values_unused && c->l1d && cache_is_plain(c->l1d) && fetch && cache_is_plain(fetch);
}

/* solo_burst's requests on a machine solo_plain approves (m->solo_plain): the same requests
 * taken the same way (quick_issue's one-line store without a buffer, load and fetch, each through
 * the code quick_issue runs: hier_l1_access, and hier_write_as as hier_write_plain), with what
 * solo_plain settled left out of the loop, and a recent slot of its own for fetches and one for
 * data accesses (cache_lookup_as's hint). Per request only what varies between requests is
 * looked at (the core, whether the access lies in one line, the op and its flags); the first
 * levels are found once; the issue bookkeeping is kept in locals and stored once. A solo core
 * issues a request at its own clock, or in global order at the previous record's issue if later;
 * the clock is never below that once a request has issued, so only the first request of a burst
 * can wait for last_issue. global and line_size (0: m->line's) are constants where
 * solo_burst_plain can make them so. */
static inline __attribute__((always_inline)) int solo_burst_plain_as(machine_t *m, core_t *c,
                                                                     const bool global,
                                                                     const uint32_t line_size)
{
    feed_t *f = &m->feed[0];
    const mem_req_t *first = f->batch + f->pos, *end = f->batch + f->count, *r = first;
    const uint64_t line_mask = (line_size ? line_size : m->line) - 1;
    cache_t *l1d = c->l1d;
    bool fetch_is_l1i;
    cache_t *fetch = hier_fetch_l1(m, c, &fetch_is_l1i);
    /* each stream's own recent slot (cache_lookup_as): fetches run through a line while data
     * accesses (loads and stores) go elsewhere */
    uint32_t data_hint = l1d->recent, fetch_hint = fetch->recent;
    /* at: the previous issue, which global order makes the next request's not_before */
    uint64_t not_before = 0, at = global ? m->last_issue : 0;
    uint64_t clock = max_u64(c->clock, at);
    int rc = MACHINE_OK;
    for (; r < end; r++) {
        uint64_t offset = r->addr & line_mask;
        /* Within one line, which also excludes size 0 (size - 1 wraps to 2^32 - 1). */
        if (offset + (uint32_t)(r->size - 1u) > line_mask)
            break;
        /* The core, the op and whether a value is stated decide the way, as one word (of three
         * adjacent fields, which the compiler reads at once): core 0 only. */
        uint32_t way = ((uint32_t)r->cpu | (uint32_t)r->op << 16 | (uint32_t)r->flags << 24) &
                       (0xffffffu | (uint32_t)REQ_HAS_VALUE << 24);
        uint64_t line = r->addr - offset, now = clock, lat;
        if (way == (uint32_t)OP_LOAD << 16) {
            c->stats.ops[OP_LOAD]++;
            lat = hier_l1_access(m, c, l1d, false, line, ACCESS_READ, now, true, &data_hint);
        } else if (way == (uint32_t)OP_IFETCH << 16) {
            c->stats.ops[OP_IFETCH]++;
            lat = hier_l1_access(m, c, fetch, fetch_is_l1i, line, ACCESS_IFETCH, now, true,
                                 &fetch_hint);
        } else if ((way & 0xffffffu) == (uint32_t)OP_STORE << 16) {
            /* perform_store for one line on a machine without check mode (quick_issue's) */
            c->stats.ops[OP_STORE]++;
            lat = hier_write_plain(m, c, line, now, &data_hint);
            rc = store_commit(m, r->addr, r->size, r->flags & REQ_HAS_VALUE ? r->value : 0);
        } else {
            break;
        }
        /* taken: issued at now */
        not_before = global ? at : 0;
        at = now;
        clock = now + lat;
        if (rc != MACHINE_OK) {
            r++;
            break;
        }
    }
    if (r != first) {
        c->clock = clock;
        m->last_issue = at;
        c->not_before = not_before;
        c->syscall_drained = 0;
    }
    f->taken += (uint64_t)(r - first);
    f->pos += (unsigned)(r - first);
    return rc;
}

static __attribute__((noinline)) int solo_burst_plain(machine_t *m, core_t *c)
{
    /* The common case (one trace in global order, 64-byte lines) with both constants, which
     * leaves the loop a register more; any other, with neither. */
    if (!m->per_core && m->line == 64)
        return solo_burst_plain_as(m, c, true, 64);
    return solo_burst_plain_as(m, c, !m->per_core, 0);
}

/* The event loop of a solo machine while its core is quiet: take the next request and issue it
 * at once, at the cycle core_event would, without copying it. Returns to the general loop
 * (MACHINE_OK) at the end of the stream, or holding a request of another class, or when the core
 * is not quiet (an interrupt, a wait); else what handle_event would (an error, MACHINE_STOPPED). */
static int solo_run(machine_t *m, bool *stream_done)
{
    core_t *c = &m->core[0];
    if (c->has_pending || ipi_busy(&c->ipi) || c->ipi.acks_waiting || c->has_waiting_req)
        return 0;
    for (;;) {
        if (m->quick) {
            int rc = m->solo_plain ? solo_burst_plain(m, c) : solo_burst(m, c);
            if (rc != MACHINE_OK)
                return rc;
        }
        int status = MACHINE_OK;
        const mem_req_t *r;
        feed_t *f = &m->feed[0];
        /* the burst stopped at the end of its batch: the next request starts the next batch */
        bool batch_ended = f->pos == f->count;
        if (m->per_core)
            r = c->source_done ? NULL : feed_next(m, 0, &status);
        else
            r = global_next(m, stream_done, &status);
        if (!r) {
            c->source_done = m->per_core && status == MACHINE_OK;
            return status;
        }
        /* A new batch goes to the burst whole, its first request too: given back untaken, it
         * is taken there as here (or, declined, taken here on the next turn). */
        if (m->quick && batch_ended && r == f->batch && f->pos == 1) {
            f->pos = 0;
            f->taken--;
            continue;
        }
        uint64_t seq = f->taken;
        uint64_t not_before = m->per_core ? 0 : m->last_issue;
        uint8_t cls = op_classes[r->op];
        if (r->cpu != 0 || (cls != OPC_MEM && cls != OPC_SYNC)) {
            hold(m, c, r, seq, not_before);
            return 0;
        }
        c->not_before = not_before;
        c->syscall_drained = 0;
        uint64_t at = max_u64(c->clock, not_before);
        if (machine_op_needs_empty[r->op]) /* no fault: a solo machine is never observed */
            at = max_u64(at, c->sb.busy_until);
        int rc = issue(m, c, r, seq, at);
        if (rc)
            return rc;
        if (ipi_busy(&c->ipi) || c->ipi.acks_waiting || c->has_waiting_req)
            return 0;
    }
}

/* machine_run's way out on an error or MACHINE_STOPPED: note the core whose request failed (-1:
 * none). Cold, so that the loop's hot path carries none of it. */
static __attribute__((cold, noinline)) int stopped_by(machine_t *m, int rc, int cpu)
{
    m->failed_cpu = cpu;
    return rc;
}

/* Whether key, core cpu's next event, is the earliest of all: below others (the least of the
 * other cores' keys) with a scan; with the tree, once stored there (the loop's own way: a leaf
 * and its path per event, as a walk of its siblings would cost as much). */
static inline __attribute__((always_inline)) bool key_earliest(machine_t *m, unsigned cpu,
                                                               uint64_t key, uint64_t others,
                                                               const bool tree)
{
    if (!tree)
        return key < others;
    tree_set(m, cpu, key);
    return m->event_tree[EVENT_TREE_ROOT] == key;
}

/* Whether core_burst may take op where it lies in the batch: an access that waits for nothing but
 * a free store-buffer entry and changes no other core's next event. */
static bool burst_op(uint8_t op) { return op == OP_LOAD || op == OP_STORE || op == OP_IFETCH; }

/* core_burst's way out when c's next event is not the earliest: what the loop's refill and
 * core_event would have left (waited_full noted by the caller; a request the loop would hold
 * left where it lies, marked pending_in_batch: holding it costs more than the issue that takes
 * it), and the event's key, which the caller stores. */
static inline __attribute__((always_inline)) uint64_t burst_yield(core_t *c, uint64_t key)
{
    if (!c->has_pending)
        c->pending_in_batch = true;
    return key;
}

/* run_ahead's steps for core c while it is plain: no interrupt pending or being handled, no
 * acknowledgements awaited and no call waiting for them, on a quick machine, for a source that
 * wants no result of quick requests (done_for_values, values_unused: a trace). Nothing else can
 * change that while c's own loads, stores, fetches and drains are all that happen. Then
 * core_event reduces to two candidates, the oldest buffered store draining (at sb_ready_at) and
 * the next request issuing (at the core's clock, unless a store finds the buffer full), with the
 * drain first on a tie, and refill to taking the batch's next request. So, while that request is
 * a burst_op and the earlier candidate's key is the earliest (key_earliest: below others, the
 * least of the other cores' keys; or the least in the tree), the event is taken here, each as
 * handle_event does it, and a request is issued where it lies in the batch instead of being held
 * first.
 * plain: the caller knows c is (it was when it stood aside, and only its own event, a drain or a
 * burst_op's issue, happened to it since), which spares the test.
 * Returns 0 with c as the loop's own steps would have left it (its stale bit set), for them to go
 * on: at the end of the batch, before another kind of request, or when c is not plain; or, when
 * c's next event is not the earliest, that event's key, with c as refill and core_event would
 * have left it. *rc: MACHINE_OK, or the error or MACHINE_STOPPED that handle_event returned. */
static inline __attribute__((always_inline)) uint64_t core_burst(machine_t *m, core_t *c,
                                                                 uint64_t others, int *rc,
                                                                 bool plain, const bool tree)
{
    feed_t *f = &m->feed[c->id];
    const ipi_port_t *p = &c->ipi;
    *rc = MACHINE_OK;
    if (!plain && (!m->quick || !c->done_for_values || !c->values_unused ||
                   p->in_handler | (p->nirqs != 0) | (p->acks_waiting != 0) | c->has_waiting_req))
        return 0;
    for (;;) {
        /* The next request: held (taken by refill before a drain), else the batch's next. */
        const mem_req_t *r;
        if (c->has_pending)
            r = c->pending;
        else if (f->pos < f->count)
            r = &f->batch[f->pos];
        else
            return 0;
        if (!burst_op(r->op))
            return 0;
        /* UINT64_MAX when the buffer is empty: no test of it (storebuf_priv.h's head_ready) */
        uint64_t drain_at = sb_ready_at(&c->sb);
        bool store_waits = c->sb.count == c->sb.cap && c->sb.count && r->op == OP_STORE;
        /* core_event's max(clock, not_before): per-core streams hold requests with
         * not_before 0. */
        uint64_t issue_at = c->clock;
        if (store_waits || issue_at >= drain_at) {
            /* The drain comes first (core_event's tie rule: a drain before an issue). */
            if (store_waits)
                c->waited_full = true;
            if (drain_at >> 56)
                return 0; /* the loop's overflow check */
            uint64_t key = drain_at << 8 | (uint64_t)EV_DRAIN << 6 | c->id;
            if (!key_earliest(m, c->id, key, others, tree))
                return burst_yield(c, key);
            *rc = drain_one(m, c, drain_at);
            if (__builtin_expect(*rc != MACHINE_OK, 0)) {
                /* The loop's refill took the request before this drain (the failing core's
                 * count of requests taken names the record in the message). */
                if (!c->has_pending)
                    hold(m, c, &f->batch[f->pos++], ++f->taken, 0);
                return 0;
            }
            continue;
        }
        if (issue_at >> 56)
            return 0;
        uint64_t key = issue_at << 8 | (uint64_t)EV_ISSUE << 6 | c->id;
        if (!key_earliest(m, c->id, key, others, tree))
            return burst_yield(c, key);
        uint64_t seq;
        if (c->has_pending) {
            c->has_pending = false;
            m->npending--;
            seq = c->pending_seq;
        } else {
            /* hold's lasting effects: the issue reads not_before, a fence counts drains. */
            f->pos++;
            seq = ++f->taken;
            c->pending_in_batch = false;
            c->not_before = 0;
            c->syscall_drained = 0;
        }
        /* Requests of burst_op's kinds touch no other core's next event, and a quick machine
         * stays quick (only the OS layer's requests change translation): go on after each. */
        *rc = issue_as(m, c, r, seq, issue_at, true);
        if (*rc != MACHINE_OK)
            return 0;
    }
}

/* The event loop's fast path with per-core streams, entered after an event of core cpu that
 * changed no other core (m->stale is cpu's bit alone). The other cores' keys then stay as they
 * are, so the loop's next choice is cpu's next event when its key is below the least of theirs
 * (keys are distinct: the core is in them), and that least one's event otherwise; after either,
 * the same holds again for the core whose event it was, as long as that event changed no other
 * core. So cpu runs ahead while it stays earliest (core_burst, or the loop's own steps), and the
 * turn passes to the next core, without the loop's walk over stale cores and without a second
 * scan of every key (with the tree: one leaf and its path per event, key_earliest). Each step is
 * the loop's own (refill, core_event, handle_event) or core_burst's equivalent, in its order, so
 * every interaction between cores happens in today's order. Returns to the loop (MACHINE_OK)
 * with nothing stale and every key stored, or with stale bits for the loop to handle (another
 * core changed, or a key needs the loop's overflow check, or a core is idle); else an error as
 * the loop would give it. */
static inline __attribute__((always_inline)) int run_ahead(machine_t *m, unsigned cpu,
                                                           unsigned nsources, const bool tree)
{
    bool plain = false;
    for (;;) {
        /* cpu's key is stale (its bit is set), so it may stand aside while the others' least
         * is found (with a scan; the tree finds the earliest once cpu's key is in it). */
        uint64_t others = 0;
        if (!tree) {
            m->next_key[cpu] = UINT64_MAX;
            others = least_key(m);
        }
        core_t *c = &m->core[cpu];
        /* burst: core_burst stopped before an event of cpu's that is not the earliest, of key */
        uint64_t key = 0;
        if (cpu < nsources) {
            int rc;
            key = core_burst(m, c, others, &rc, plain, tree);
            if (rc != MACHINE_OK)
                return stopped_by(m, rc, rc != MACHINE_STOPPED ? (int)cpu : -1);
        }
        bool burst = key != 0;
        event_t e = {EV_NONE, 0, cpu};
        if (!burst) {
            if (cpu < nsources && refill(m, c) != MACHINE_OK)
                return MACHINE_ESOURCE;
            e = core_event(m, c);
            if (e.kind == EV_NONE || e.at >> 56)
                return MACHINE_OK; /* stale still: the loop decides (an idle core, an overflow) */
            key = e.at << 8 | (uint64_t)e.kind << 6 | cpu;
        }
        if (burst || !key_earliest(m, cpu, key, others, tree)) {
            if (!tree)
                m->next_key[cpu] = key;
            /* Another core's event is the earliest, and its key is current. */
            uint64_t best = tree ? m->event_tree[EVENT_TREE_ROOT] : others;
            e = (event_t){(event_kind_t)(best >> 6 & 3), best >> 8, (unsigned)(best & 63)};
            cpu = e.cpu;
        }
        /* A core that core_burst left standing aside was plain, and its own drain or burst_op
         * issue leaves it so (the next round's core_burst need not ask again). */
        plain = m->core[cpu].pending_in_batch;
        /* A core whose event is taken has its key made again (or the loop's, its bit being set)
         * before anything reads it. */
        m->stale = 0;
        int rc = handle_event(m, &e);
        if (rc != MACHINE_OK)
            return stopped_by(m, rc, rc != MACHINE_STOPPED ? (int)cpu : -1);
        if (m->stale != 1ull << cpu)
            return MACHINE_OK;
    }
}

/* The event loop of machine_run until every core is done (0) or an error. Inlined twice, with
 * tree constant: each copy finds the earliest event one way only (next_event_tree with many
 * cores, next_event's scan with few), so that the other way costs the loop nothing. */
static inline __attribute__((always_inline)) machine_status_t run_events(machine_t *m, unsigned nsources,
                                                            bool per_core, bool solo,
                                                            bool *stream_done, const bool tree)
{
    for (;;) {
        if (solo) {
            int rc = solo_run(m, stream_done);
            if (rc != MACHINE_OK) /* a source's error, a stop and a bad CPU: not core 0's request */
                return stopped_by(m, rc, rc == MACHINE_ESOURCE || rc == MACHINE_STOPPED ||
                                                 rc == MACHINE_EBADCPU ? -1 : 0);
            mark_stale(m, 0);
        }
        if (per_core) {
            /* Only a core whose state changed (stale) can have become ready for its next. */
            for (uint64_t stale = m->stale; stale; stale &= stale - 1) {
                unsigned i = (unsigned)__builtin_ctzll(stale);
                if (i < nsources && refill(m, &m->core[i]) != MACHINE_OK)
                    return MACHINE_ESOURCE;
            }
        } else {
            int rc = refill_global(m, stream_done);
            if (rc != MACHINE_OK)
                return rc;
        }
        event_t e = tree ? next_event_tree(m) : next_event(m);
        if (m->time_overflow)
            return machine_fail(m, MACHINE_EUNSUPPORTED,
                                "simulated time passed 2^56 cycles, the most this machine counts");
        if (e.kind == EV_NONE) {
            for (unsigned i = 0; i < m->cfg.cores; i++) {
                const core_t *c = &m->core[i];
                if (c->has_pending || c->ipi.acks_waiting || ipi_busy(&c->ipi)) {
                    dump_state(m, "deadlock: no core can move");
                    return MACHINE_EDEADLOCK;
                }
            }
            return MACHINE_OK;
        }
        int rc = handle_event(m, &e);
        if (rc != MACHINE_OK) /* MACHINE_STOPPED: the source's done callback stopped the run */
            return stopped_by(m, rc, rc != MACHINE_STOPPED ? (int)e.cpu : -1);
        if (per_core && !solo && m->stale == 1ull << e.cpu && !m->cfg.general_paths_only) {
            rc = run_ahead(m, e.cpu, nsources, tree);
            if (rc != MACHINE_OK)
                return rc;
        }
    }
}

static __attribute__((noinline)) machine_status_t run_events_scan(machine_t *m, unsigned nsources,
                                                     bool per_core, bool solo, bool *stream_done)
{
    return run_events(m, nsources, per_core, solo, stream_done, false);
}

static __attribute__((noinline)) machine_status_t run_events_tree(machine_t *m, unsigned nsources,
                                                     bool per_core, bool solo, bool *stream_done)
{
    return run_events(m, nsources, per_core, solo, stream_done, true);
}

machine_status_t machine_run(machine_t *m, const core_source_t *sources, unsigned nsources,
                             bool per_core)
{
    if (per_core && nsources > m->cfg.cores)
        return machine_fail(m, MACHINE_EBADCPU, "%u traces for %u cores", nsources, m->cfg.cores);
    m->sources = sources;
    m->nsources = nsources;
    m->per_core = per_core;
    memset(m->feed, 0, sizeof m->feed);
    m->time_overflow = false;
    m->failed_cpu = -1;
    refresh_identity(m);
    m->stale = ~0ull >> (64 - m->cfg.cores);
    for (unsigned i = 0; i < m->cfg.cores; i++)
        m->core[i].values_unused = per_core ? i < nsources && sources[i].values_unused
                                            : nsources && sources[0].values_unused;
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        unsigned k = per_core ? i : 0;
        m->core[i].done_for_values = k < nsources && sources[k].done_only_for_values;
        /* The feeds start empty: no request lies in one (a run that stopped may have left one). */
        m->core[i].pending_in_batch = false;
    }
    bool stream_done = false;
    if (per_core)
        for (unsigned i = nsources; i < m->cfg.cores; i++)
            m->core[i].source_done = true;
    bool solo = solo_machine(m);
    m->solo_plain = solo_plain(m);
    int rc = m->event_tree_kept ? run_events_tree(m, nsources, per_core, solo, &stream_done)
                             : run_events_scan(m, nsources, per_core, solo, &stream_done);
    if (rc != MACHINE_OK)
        return rc;
    for (unsigned i = 0; i < m->cfg.cores; i++)
        m->core[i].clock = max_u64(m->core[i].clock, m->core[i].sb.busy_until);
    return m->cfg.check ? hier_check_all(m) : 0;
}

/* ---- statistics ------------------------------------------------------------------------------ */

uint64_t machine_cycles(const machine_t *m)
{
    uint64_t t = 0;
    for (unsigned i = 0; i < m->cfg.cores; i++)
        t = max_u64(t, m->core[i].clock);
    return t;
}

uint64_t machine_core_cycles(const machine_t *m, unsigned cpu) { return m->core[cpu].clock; }
uint64_t machine_source_taken(const machine_t *m, unsigned i) { return m->feed[i].taken; }
int machine_failed_cpu(const machine_t *m) { return m->failed_cpu; }
const core_stats_t *machine_core_stats(const machine_t *m, unsigned cpu) { return &m->core[cpu].stats; }
const sb_stats_t *machine_sb_stats(const machine_t *m, unsigned cpu) { return sb_stats(&m->core[cpu].sb); }
const cache_t *machine_l1i(const machine_t *m, unsigned cpu) { return m->core[cpu].l1i; }
const cache_t *machine_l1d(const machine_t *m, unsigned cpu) { return m->core[cpu].l1d; }
const cache_t *machine_l2(const machine_t *m, unsigned cpu) { return m->core[cpu].l2; }
const cache_t *machine_llc(const machine_t *m) { return m->llc; }
const coherence_stats_t *machine_coherence_stats(const machine_t *m) { return &m->bus.stats; }

void machine_set_core_clock(machine_t *m, unsigned cpu, uint64_t cycle)
{
    if (cpu < m->cfg.cores) {
        m->core[cpu].clock = max_u64(m->core[cpu].clock, cycle);
        mark_stale(m, cpu);
    }
}
