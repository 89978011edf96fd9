/* hierarchy.c: a core's private caches, the snooping bus, the shared last level, and the cache
 * maintenance the primitives need.
 *
 * Representation: coherence state lives in the private caches' line states (machine_priv.h).
 * A core's agent state for a line is its L2's state when it has an L2 (inclusive of the L1D and of
 * a snooping L1I); without one, its L1D's state, or S when only its snooping L1I holds the line.
 * Memory always holds the latest performed bytes, so a transfer moves state and timing, not data;
 * LINE_DIRTY marks a private copy newer than the level below, which is what write-backs count.
 * Non-snooping I-caches are outside coherence: they keep the bytes they were filled with.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "cache_priv.h"
#include "machine_priv.h"

static uint64_t max_u64(uint64_t a, uint64_t b) { return a > b ? a : b; }
static uint32_t latency(const cache_t *c) { return c->cfg.latency; }
static uint8_t state_of(const cache_t *c, int32_t slot) { return c->state[slot] & LINE_STATE_MASK; }
/* cache.h's accessors, inline on the access paths (the representation is cache_priv.h's).
 * set_state_byte is for valid states only: an invalid slot must also lose its tag and stamp
 * (cache_priv.h's invariants), which cache_set_state does. */
static uint8_t state_byte(const cache_t *c, int32_t slot) { return c->state[slot]; }
static void set_state_byte(cache_t *c, int32_t slot, uint8_t st)
{
    assert((st & LINE_STATE_MASK) != LINE_I);
    c->state[slot] = st;
}
static uint64_t slot_addr(const cache_t *c, int32_t slot) { return c->tag[slot] << c->line_shift; }
static cache_stats_t *stats_of(cache_t *c) { return &c->stats; }
static bool writable(uint8_t st) { return st == LINE_E || st == LINE_M; }
static bool owned_dirty(uint8_t st) { return st == LINE_M || st == LINE_O; }

static bool snooping_l1i(const machine_t *m, const core_t *c)
{
    return c->l1i && m->cfg.icache_snoop;
}

/* ---- observed changes of lines: every state change, fill, eviction and write-back goes
 * through these, which report it when an observer is attached (machine_priv.h's OBSERVE). The
 * cycle reported is m->obs_now, the start of the access or operation that caused it. ---- */

static obs_level_t level_of(const machine_t *m, const core_t *c, const cache_t *k)
{
    if (k == m->llc)
        return OBS_LEVEL_LLC;
    if (k == c->l1i)
        return OBS_LEVEL_L1I;
    return k == c->l2 ? OBS_LEVEL_L2 : OBS_LEVEL_L1D;
}

/* The record of a change to line in core c's cache k (c NULL: the LLC). Cold and out of line,
 * so that the helpers below stay small enough to inline into the access paths. */
static __attribute__((cold, noinline)) void observe_line(machine_t *m, obs_kind_t kind,
                                                         const core_t *c, const cache_t *k,
                                                         uint64_t line, uint8_t old, uint8_t st,
                                                         obs_reason_t why)
{
    machine_emit(m, &(obs_event_t){.kind = kind, .cycle = m->obs_now, .cpu = c ? (int)c->id : -1,
                                   .addr = line, .level = (uint8_t)level_of(m, c, k),
                                   .old_state = old, .new_state = st, .reason = (uint8_t)why});
}

#define OBSERVE_LINE(m, ...)                                                                       \
    do {                                                                                           \
        if (__builtin_expect((m)->obs != NULL, 0))                                                 \
            observe_line((m), __VA_ARGS__);                                                        \
    } while (0)

/* Drop the line in slot of cache k (core c's, or the LLC's with c NULL): a state change to I. */
static inline void drop_line(machine_t *m, core_t *c, cache_t *k, int32_t slot, obs_reason_t why)
{
    OBSERVE_LINE(m, why == OBS_REASON_EVICTION ? OBS_EVICT : OBS_STATE, c, k, slot_addr(k, slot),
                 state_of(k, slot), LINE_I, why);
    cache_set_state(k, slot, LINE_I);
}

/* Install line in slot of k in state st (a victim there already dealt with). */
static inline void fill_line(machine_t *m, core_t *c, cache_t *k, int32_t slot, uint64_t line,
                             uint8_t st, obs_reason_t why)
{
    cache_fill(k, slot, line, st);
    OBSERVE_LINE(m, OBS_FILL, c, k, line, LINE_I, st, why);
}

/* A valid victim in slot of k is being replaced (without being dropped first). */
static inline void note_eviction(machine_t *m, core_t *c, cache_t *k, int32_t slot)
{
    OBSERVE_LINE(m, OBS_EVICT, c, k, slot_addr(k, slot), state_of(k, slot), LINE_I,
                 OBS_REASON_EVICTION);
}

/* Line's dirty data leaves cache k (counted in k's statistics). */
static inline void note_writeback(machine_t *m, core_t *c, cache_t *k, uint64_t line,
                                  obs_reason_t why)
{
    stats_of(k)->writebacks++;
    OBSERVE_LINE(m, OBS_WRITEBACK, c, k, line, LINE_I, LINE_I, why);
}

uint8_t hier_agent_state(const machine_t *m, const core_t *c, uint64_t line)
{
    int32_t s;
    if (c->l2) {
        s = cache_probe(c->l2, line);
        return s >= 0 ? state_of(c->l2, s) : LINE_I;
    }
    s = cache_probe(c->l1d, line);
    if (s >= 0)
        return state_of(c->l1d, s);
    if (snooping_l1i(m, c) && cache_probe(c->l1i, line) >= 0)
        return LINE_S;
    return LINE_I;
}

/* Coherence state st for the line in slot s of core c's cache k. A dirty mark survives only in
 * the states that own dirty data. */
static inline void set_coherence(machine_t *m, core_t *c, cache_t *k, int32_t s, uint8_t st,
                          obs_reason_t why)
{
    uint8_t old = state_of(k, s);
    set_state_byte(k, s, owned_dirty(st) ? (uint8_t)(st | (state_byte(k, s) & LINE_DIRTY)) : st);
    if (old != st)
        OBSERVE_LINE(m, OBS_STATE, c, k, slot_addr(k, s), old, st, why);
}

/* Give line state st in every private D-side cache of c that holds it. s2 is the line's slot in
 * c's L2 when the caller has just found it there (-1: look it up), which saves a probe on the
 * miss and snoop paths. */
static void agent_set_state(machine_t *m, core_t *c, uint64_t line, int32_t s2, uint8_t st,
                            obs_reason_t why)
{
    int32_t s1 = cache_probe(c->l1d, line);
    if (s1 >= 0)
        set_coherence(m, c, c->l1d, s1, st, why);
    if (c->l2 && (s2 >= 0 || (s2 = cache_probe(c->l2, line)) >= 0))
        set_coherence(m, c, c->l2, s2, st, why);
}

/* Remove line from c's private caches (its snooping I-cache too); s2 as for agent_set_state. */
static void agent_invalidate(machine_t *m, core_t *c, uint64_t line, int32_t s2, obs_reason_t why)
{
    int32_t s1 = cache_probe(c->l1d, line);
    if (s1 >= 0)
        drop_line(m, c, c->l1d, s1, why);
    if (c->l2 && (s2 >= 0 || (s2 = cache_probe(c->l2, line)) >= 0))
        drop_line(m, c, c->l2, s2, why);
    if (snooping_l1i(m, c) && (s1 = cache_probe(c->l1i, line)) >= 0)
        drop_line(m, c, c->l1i, s1, why);
}

/* The outermost private cache of c: where its write-backs to the shared level are counted. */
static cache_t *outer_private(core_t *c) { return c->l2 ? c->l2 : c->l1d; }

/* A write-back uses the bus but not the requester's time (write-back buffers hide it). */
static void bus_occupy(machine_t *m, uint64_t now)
{
    m->bus_free = max_u64(m->bus_free, now) + m->cfg.bus_occupancy;
    m->coh.bus_transactions++;
}

static void llc_evict_slot(machine_t *m, int32_t slot, uint64_t now);

/* A write into the shared level (a write-back from a core, or a write that bypasses a core's
 * caches). Allocates in the LLC; without one, memory takes it. */
static uint64_t llc_write(machine_t *m, uint64_t line, uint64_t now, obs_reason_t why)
{
    if (!m->llc)
        return m->cfg.mem_latency;
    cache_stats_t *st = stats_of(m->llc);
    st->accesses[ACCESS_WRITE]++;
    int32_t s = cache_probe(m->llc, line);
    if (s >= 0) {
        cache_hit(m->llc, s);
        set_state_byte(m->llc, s, LINE_S | LINE_DIRTY);
        return latency(m->llc);
    }
    st->misses[ACCESS_WRITE]++;
    if (!m->llc->cfg.write_allocate)
        return latency(m->llc) + m->cfg.mem_latency;
    s = cache_victim(m->llc, line);
    llc_evict_slot(m, s, now);
    fill_line(m, NULL, m->llc, s, line, LINE_S | LINE_DIRTY, why);
    return latency(m->llc);
}

static void writeback_to_shared(machine_t *m, core_t *from, uint64_t line, uint64_t now,
                                obs_reason_t why)
{
    note_writeback(m, from, outer_private(from), line, why);
    m->coh.writebacks++;
    bus_occupy(m, now);
    llc_write(m, line, now, why);
}

/* Make room in the LLC: a dirty victim goes to memory; an inclusive LLC takes the line out of
 * every core first (a core's dirty copy goes to memory with it). */
static void llc_evict_slot(machine_t *m, int32_t slot, uint64_t now)
{
    uint8_t vst = state_byte(m->llc, slot);
    if ((vst & LINE_STATE_MASK) == LINE_I)
        return;
    uint64_t vline = slot_addr(m->llc, slot);
    if (m->cfg.llc_inclusive) {
        for (unsigned i = 0; i < m->cfg.cores; i++) {
            core_t *o = &m->core[i];
            uint8_t st = hier_agent_state(m, o, vline);
            if (st == LINE_I && !(o->l1i && cache_probe(o->l1i, vline) >= 0 && snooping_l1i(m, o)))
                continue;
            if (owned_dirty(st)) {
                note_writeback(m, o, outer_private(o), vline, OBS_REASON_INCLUSION);
                m->coh.writebacks++;
                vst |= LINE_DIRTY;
            }
            agent_invalidate(m, o, vline, -1, OBS_REASON_INCLUSION);
            m->coh.invalidations++;
        }
    }
    if (vst & LINE_DIRTY) {
        note_writeback(m, NULL, m->llc, vline, OBS_REASON_EVICTION);
        bus_occupy(m, now);
    }
    drop_line(m, NULL, m->llc, slot, OBS_REASON_EVICTION);
}

/* A read that no cache supplied: the LLC, else memory. */
static uint64_t llc_read(machine_t *m, uint64_t line, access_kind_t kind, uint64_t now)
{
    if (!m->llc)
        return m->cfg.mem_latency;
    cache_stats_t *st = stats_of(m->llc);
    st->accesses[kind]++;
    int32_t s = cache_probe(m->llc, line);
    if (s >= 0) {
        cache_hit(m->llc, s);
        return latency(m->llc);
    }
    st->misses[kind]++;
    s = cache_victim(m->llc, line);
    llc_evict_slot(m, s, now);
    fill_line(m, NULL, m->llc, s, line, LINE_S,
              kind == ACCESS_WRITE ? OBS_REASON_WRITE : OBS_REASON_READ);
    return latency(m->llc) + m->cfg.mem_latency;
}

/* For the observer: the core that will supply line to c's transaction ev (the first whose snoop
 * rule says so), -1 when none does and the LLC or memory will. */
static int bus_supplier(const machine_t *m, const core_t *c, uint64_t line, bus_event_t ev)
{
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        const core_t *o = &m->core[i];
        uint8_t st = o == c ? LINE_I : hier_agent_state(m, o, line);
        if (st != LINE_I && coherence_snoop(m->cfg.protocol, st, ev)->supplies)
            return (int)i;
    }
    return -1;
}

static __attribute__((cold, noinline)) void observe_bus(machine_t *m, const core_t *c,
                                                        uint64_t line, bus_event_t ev,
                                                        uint64_t start)
{
    m->obs_now = start;
    machine_emit(m, &(obs_event_t){.kind = OBS_BUS, .cycle = start, .cpu = (int)c->id,
                                   .addr = line, .bus = (uint8_t)ev, .requester = (int)c->id,
                                   .supplier = bus_supplier(m, c, line, ev)});
}

/* One transaction by core c: every other agent applies its snoop rule; data comes from a peer
 * that supplies it, else from the LLC or memory (when fetch). *shared says whether another
 * agent keeps a copy. */
static uint64_t bus_transaction(machine_t *m, core_t *c, uint64_t line, bus_event_t ev,
                                access_kind_t kind, bool fetch, uint64_t now, bool *shared)
{
    uint64_t start = max_u64(now, m->bus_free);
    m->bus_free = start + m->cfg.bus_occupancy;
    m->coh.bus_transactions++;
    if (ev == BUS_UPGR)
        m->coh.upgrades++;
    uint64_t lat = (start - now) + m->cfg.bus_latency;
    bool supplied = false;
    *shared = false;
    if (__builtin_expect(m->obs != NULL, 0))
        observe_bus(m, c, line, ev, start);
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *o = &m->core[i];
        if (o == c)
            continue;
        /* The agent state, keeping the L2 slot for the update below. The slot stays the line's:
         * a write-back into the LLC evicts (and may back-invalidate) only other lines. */
        int32_t s2 = -1;
        uint8_t st;
        if (o->l2) {
            if ((s2 = cache_probe(o->l2, line)) < 0)
                continue;
            st = state_of(o->l2, s2);
        } else if ((st = hier_agent_state(m, o, line)) == LINE_I) {
            continue;
        }
        const snoop_rule_t *r = coherence_snoop(m->cfg.protocol, st, ev);
        if (r->supplies) {
            supplied = true;
            m->coh.interventions++;
        }
        if (r->writes_back)
            writeback_to_shared(m, o, line, start, OBS_REASON_SNOOP);
        if (r->next == LINE_I) {
            agent_invalidate(m, o, line, s2, OBS_REASON_SNOOP);
            m->coh.invalidations++;
        } else {
            /* Keeping the state (S or O seeing a read) changes nothing: only M and O are dirty. */
            if (r->next != st)
                agent_set_state(m, o, line, s2, r->next, OBS_REASON_SNOOP);
            *shared = true;
        }
    }
    if (fetch && ev != BUS_UPGR && !supplied)
        lat += llc_read(m, line, kind, start);
    return lat;
}

/* x86 keeps instruction fetch coherent with the core's own stores too. */
static inline __attribute__((always_inline)) void drop_own_icache_copy(machine_t *m, core_t *c,
                                                                     uint64_t line)
{
    if (!snooping_l1i(m, c))
        return;
    int32_t s = cache_probe(c->l1i, line);
    if (s >= 0)
        drop_line(m, c, c->l1i, s, OBS_REASON_WRITE);
}

/* Install line in c's L2 in state st, evicting (and back-invalidating) a victim. */
static void l2_install(machine_t *m, core_t *c, uint64_t line, uint8_t st, uint64_t now,
                       obs_reason_t why)
{
    int32_t s = cache_victim(c->l2, line);
    uint8_t vst = state_byte(c->l2, s);
    if ((vst & LINE_STATE_MASK) != LINE_I) {
        uint64_t vline = slot_addr(c->l2, s);
        note_eviction(m, c, c->l2, s);
        if (owned_dirty(vst & LINE_STATE_MASK))
            writeback_to_shared(m, c, vline, now, OBS_REASON_EVICTION);
        int32_t s1 = cache_probe(c->l1d, vline);
        if (s1 >= 0)
            drop_line(m, c, c->l1d, s1, OBS_REASON_INCLUSION);
        if (snooping_l1i(m, c) && (s1 = cache_probe(c->l1i, vline)) >= 0)
            drop_line(m, c, c->l1i, s1, OBS_REASON_INCLUSION);
    }
    fill_line(m, c, c->l2, s, line, st, why);
}

/* Install line in c's L1D (dirty when dirty), writing a dirty victim back to the L2 or the
 * shared level. */
static void l1d_install(machine_t *m, core_t *c, uint64_t line, uint8_t st, bool dirty, uint64_t now,
                        obs_reason_t why)
{
    cache_t *l1 = c->l1d;
    int32_t s = cache_victim(l1, line);
    uint8_t vst = state_byte(l1, s);
    if ((vst & LINE_STATE_MASK) != LINE_I) {
        uint64_t vline = slot_addr(l1, s);
        if (c->l2) {
            if (vst & LINE_DIRTY) {
                note_writeback(m, c, l1, vline, OBS_REASON_EVICTION);
                cache_stats_t *s2 = stats_of(c->l2);
                s2->accesses[ACCESS_WRITE]++;
                int32_t v2 = cache_probe(c->l2, vline);
                if (v2 >= 0) {
                    cache_hit(c->l2, v2);
                    set_state_byte(c->l2, v2, state_byte(c->l2, v2) | LINE_DIRTY);
                }
            }
        } else if (owned_dirty(vst & LINE_STATE_MASK)) {
            writeback_to_shared(m, c, vline, now, OBS_REASON_EVICTION);
        }
        drop_line(m, c, l1, s, OBS_REASON_EVICTION);
    }
    fill_line(m, c, l1, s, line, (uint8_t)(st | (dirty ? LINE_DIRTY : 0)), why);
}

/* Bring line into c's agent for a read or a write below the L1: the L2, else the bus.
 * Returns cycles; *state is the agent's state afterwards. */
static uint64_t fill_from_below(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                                bool write, uint64_t now, uint8_t *state)
{
    uint64_t lat = 0;
    uint8_t st;
    int32_t s2 = -1;
    if (c->l2) {
        cache_stats_t *stats = stats_of(c->l2);
        stats->accesses[kind]++;
        lat += latency(c->l2);
        s2 = cache_probe(c->l2, line);
        if (s2 >= 0) {
            cache_hit(c->l2, s2);
            st = state_of(c->l2, s2);
        } else {
            stats->misses[kind]++;
            st = LINE_I;
        }
    } else {
        st = hier_agent_state(m, c, line);
    }
    const proc_rule_t *r = coherence_proc(m->cfg.protocol, st, write ? PR_WR : PR_RD);
    if (r->bus != BUS_NONE) {
        bool shared;
        lat += bus_transaction(m, c, line, r->bus, kind, true, now + lat, &shared);
        st = shared ? r->next_if_shared : r->next;
    } else {
        st = r->next;
    }
    if (write)
        drop_own_icache_copy(m, c, line);
    if (c->l2) {
        /* A hit keeps its slot: with the line in the L2 the transaction is at most an upgrade,
         * which writes nothing back and fetches nothing. A read hit keeps its state. */
        obs_reason_t why = write ? OBS_REASON_WRITE : OBS_REASON_READ;
        if (s2 < 0)
            l2_install(m, c, line, st, now + lat, why);
        else if (st != state_of(c->l2, s2))
            agent_set_state(m, c, line, s2, st, why);
    }
    *state = st;
    return lat;
}

/* The misses of hier_read, hier_write and hier_ifetch are out of line (noinline) so that their
 * hit paths, most accesses, save and restore no registers. */
#define HIER_MISS_PATH __attribute__((noinline))

HIER_MISS_PATH uint64_t hier_read_miss(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                                       uint64_t now)
{
    cache_t *l1 = c->l1d;
    l1->stats.misses[kind]++;
    uint64_t lat = l1->cfg.latency;
    uint8_t st;
    lat += fill_from_below(m, c, line, kind, false, now + lat, &st);
    l1d_install(m, c, line, st, false, now + lat, OBS_REASON_READ);
    return lat;
}

uint64_t hier_read(machine_t *m, core_t *c, uint64_t line, access_kind_t kind, uint64_t now)
{
    cache_t *l1 = c->l1d;
    l1->stats.accesses[kind]++;
    if (cache_lookup(l1, line) >= 0)
        return l1->cfg.latency;
    return hier_read_miss(m, c, line, kind, now);
}

/* A write-through L1 passes every write to the level below. */
static uint64_t write_through(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    if (c->l2) {
        stats_of(c->l2)->accesses[ACCESS_WRITE]++;
        int32_t s = cache_probe(c->l2, line);
        if (s >= 0) {
            cache_hit(c->l2, s);
            set_state_byte(c->l2, s, state_byte(c->l2, s) | LINE_DIRTY);
        }
        return latency(c->l2);
    }
    /* No private level keeps the data: it is current below, so the copy is clean exclusive. */
    agent_set_state(m, c, line, -1, LINE_E, OBS_REASON_WRITE_THROUGH);
    return llc_write(m, line, now, OBS_REASON_WRITE_THROUGH);
}

/* A write hit on slot s of the L1D that needs more than marking it dirty. */
HIER_MISS_PATH static uint64_t write_hit_slow(machine_t *m, core_t *c, uint64_t line, int32_t s,
                                              uint64_t now)
{
    cache_t *l1 = c->l1d;
    uint64_t lat = l1->cfg.latency;
    uint8_t old = state_of(l1, s);
    const proc_rule_t *r = coherence_proc(m->cfg.protocol, old, PR_WR);
    if (r->bus != BUS_NONE) {
        bool shared;
        lat += bus_transaction(m, c, line, r->bus, ACCESS_WRITE, true, now + lat, &shared);
    }
    drop_own_icache_copy(m, c, line);
    if (old != LINE_M)
        agent_set_state(m, c, line, -1, LINE_M, OBS_REASON_WRITE);
    if (l1->cfg.write_back)
        set_state_byte(l1, s, state_byte(l1, s) | LINE_DIRTY);
    else
        lat += write_through(m, c, line, now + lat);
    return lat;
}

HIER_MISS_PATH static uint64_t write_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1 = c->l1d;
    const cache_config_t *cfg = &l1->cfg;
    l1->stats.misses[ACCESS_WRITE]++;
    uint64_t lat = cfg->latency;
    uint8_t st;
    if (!cfg->write_allocate) {
        if (c->l2) {
            lat += fill_from_below(m, c, line, ACCESS_WRITE, true, now + lat, &st);
            int32_t s2 = cache_probe(c->l2, line);
            if (s2 >= 0)
                set_state_byte(c->l2, s2, state_byte(c->l2, s2) | LINE_DIRTY);
            return lat;
        }
        /* Write around: take the line from everyone, write it below, keep no copy. */
        bool shared;
        if (hier_agent_state(m, c, line) != LINE_I)
            agent_invalidate(m, c, line, -1, OBS_REASON_WRITE);
        lat += bus_transaction(m, c, line, BUS_RDX, ACCESS_WRITE, false, now + lat, &shared);
        return lat + llc_write(m, line, now + lat, OBS_REASON_WRITE_THROUGH);
    }
    lat += fill_from_below(m, c, line, ACCESS_WRITE, true, now + lat, &st);
    l1d_install(m, c, line, LINE_M, cfg->write_back, now + lat, OBS_REASON_WRITE);
    if (!cfg->write_back)
        lat += write_through(m, c, line, now + lat);
    return lat;
}

uint64_t hier_write(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1 = c->l1d;
    l1->stats.accesses[ACCESS_WRITE]++;
    int32_t s = cache_lookup(l1, line);
    if (s < 0)
        return write_miss(m, c, line, now);
    /* The common store: a write-back L1D line already in M (so in M in the L2 too, which holds
     * the L1D's lines in their state) needs no transaction and no other level's state; only a
     * snooping L1I copy must go. There can be one only if an L1I fill found a line in M: the
     * core's copy entered M by a write, which dropped the L1I's copy, and stayed M since. */
    if (state_of(l1, s) == LINE_M && l1->cfg.write_back) {
        if (c->l1i_got_modified)
            drop_own_icache_copy(m, c, line);
        set_state_byte(l1, s, state_byte(l1, s) | LINE_DIRTY);
        return l1->cfg.latency;
    }
    return write_hit_slow(m, c, line, s, now);
}

HIER_MISS_PATH uint64_t hier_ifetch_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1i = c->l1i;
    l1i->stats.misses[ACCESS_IFETCH]++;
    uint64_t lat = l1i->cfg.latency;
    uint8_t st;
    lat += fill_from_below(m, c, line, ACCESS_IFETCH, false, now + lat, &st);
    if (st == LINE_M)
        c->l1i_got_modified = true;
    int32_t s = cache_victim(l1i, line);
    if (m->obs && state_of(l1i, s) != LINE_I)
        note_eviction(m, c, l1i, s);
    fill_line(m, c, l1i, s, line, LINE_S, OBS_REASON_READ);
    memory_read(m->mem, line, cache_data(l1i, s), m->line);
    return lat;
}

HIER_MISS_PATH static uint64_t ifetch_without_l1i(machine_t *m, core_t *c, uint64_t line,
                                                  uint64_t now)
{
    if (!m->cfg.l1.size) {
        /* A split first level without an I-cache: fetch from below, keep nothing. */
        uint8_t st;
        return fill_from_below(m, c, line, ACCESS_IFETCH, false, now, &st);
    }
    return hier_read(m, c, line, ACCESS_IFETCH, now);
}

uint64_t hier_ifetch(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1i = c->l1i;
    if (!l1i)
        return ifetch_without_l1i(m, c, line, now);
    l1i->stats.accesses[ACCESS_IFETCH]++;
    if (cache_lookup(l1i, line) >= 0)
        return l1i->cfg.latency;
    return hier_ifetch_miss(m, c, line, now);
}

void hier_ifetch_bytes(machine_t *m, core_t *c, uint64_t addr, unsigned size, uint8_t *out)
{
    for (unsigned i = 0; i < size;) {
        uint64_t a = addr + i;
        uint64_t line = a & ~(uint64_t)(m->line - 1);
        unsigned n = (unsigned)(line + m->line - a);
        if (n > size - i)
            n = size - i;
        int32_t s = c->l1i ? cache_probe(c->l1i, line) : -1;
        if (s >= 0)
            memcpy(out + i, cache_data(c->l1i, s) + (a - line), n);
        else
            memory_read(m->mem, a, out + i, n);
        i += n;
    }
}

/* ---- invariants ------------------------------------------------------------------------------ */

int hier_check_line(machine_t *m, uint64_t line)
{
    int writer = -1;
    unsigned holders = 0;
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        uint8_t st = hier_agent_state(m, c, line);
        if (st == LINE_I)
            continue;
        holders++;
        if (writable(st)) {
            if (writer >= 0)
                return machine_fail(m, MACHINE_ECHECK,
                                    "line %#llx is writable in cores %d and %u at once",
                                    (unsigned long long)line, writer, i);
            writer = (int)i;
        }
        int32_t s1 = cache_probe(c->l1d, line);
        if (s1 >= 0 && (state_byte(c->l1d, s1) & LINE_DIRTY) &&
            !owned_dirty(state_of(c->l1d, s1)))
            return machine_fail(m, MACHINE_ECHECK, "core %u: line %#llx is dirty in state %s", i,
                                (unsigned long long)line,
                                coherence_state_name(state_of(c->l1d, s1)));
        if (c->l2) {
            int32_t s2 = cache_probe(c->l2, line);
            if (s1 >= 0 && (s2 < 0 || state_of(c->l2, s2) != state_of(c->l1d, s1)))
                return machine_fail(m, MACHINE_ECHECK,
                                    "core %u: line %#llx is in the L1D (%s) but the L2 has %s", i,
                                    (unsigned long long)line,
                                    coherence_state_name(state_of(c->l1d, s1)),
                                    s2 < 0 ? "no copy" : coherence_state_name(state_of(c->l2, s2)));
            if (snooping_l1i(m, c) && cache_probe(c->l1i, line) >= 0 && s2 < 0)
                return machine_fail(m, MACHINE_ECHECK,
                                    "core %u: line %#llx is in the L1I but not in the L2", i,
                                    (unsigned long long)line);
        }
        if (m->llc && m->cfg.llc_inclusive && cache_probe(m->llc, line) < 0)
            return machine_fail(m, MACHINE_ECHECK,
                                "core %u holds line %#llx that the inclusive LLC does not", i,
                                (unsigned long long)line);
    }
    if (writer >= 0 && holders > 1)
        return machine_fail(m, MACHINE_ECHECK,
                            "line %#llx is writable in core %d but valid in another core too",
                            (unsigned long long)line, writer);
    /* A snooping I-cache holds exactly the latest bytes. */
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        if (!snooping_l1i(m, c))
            continue;
        int32_t s = cache_probe(c->l1i, line);
        if (s < 0)
            continue;
        uint8_t now[4096];
        memory_read(m->mem, line, now, m->line);
        if (memcmp(now, cache_data(c->l1i, s), m->line) != 0)
            return machine_fail(m, MACHINE_ECHECK,
                                "core %u: the snooping I-cache holds stale bytes of line %#llx", i,
                                (unsigned long long)line);
    }
    return 0;
}

static int check_cache_lines(machine_t *m, const cache_t *c)
{
    if (!c)
        return 0;
    for (uint32_t s = 0; s < cache_slots(c); s++)
        if (state_of(c, (int32_t)s) != LINE_I) {
            int rc = hier_check_line(m, slot_addr(c, (int32_t)s));
            if (rc)
                return rc;
        }
    return 0;
}

int hier_check_all(machine_t *m)
{
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        int rc = check_cache_lines(m, c->l1d);
        if (!rc)
            rc = check_cache_lines(m, c->l2);
        if (!rc)
            rc = check_cache_lines(m, c->l1i);
        if (rc)
            return rc;
    }
    return check_cache_lines(m, m->llc);
}

/* ---- maintenance ----------------------------------------------------------------------------- */

static uint64_t maint_cost(const machine_t *m, uint64_t examined, uint64_t written_back)
{
    uint64_t per_wb = m->cfg.bus_occupancy ? m->cfg.bus_occupancy : 1;
    return examined + written_back * per_wb + (written_back ? m->cfg.mem_latency : 0);
}

uint64_t machine_icache_invalidate(machine_t *m, uint64_t core_mask, uint64_t addr, uint64_t len,
                                   bool all, maint_counts_t *counts)
{
    uint64_t slowest = 0;
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        if (!(core_mask >> i & 1) || !c->l1i)
            continue;
        uint64_t examined = 0;
        if (all) {
            for (uint32_t s = 0; s < cache_slots(c->l1i); s++) {
                examined++;
                if (state_of(c->l1i, (int32_t)s) != LINE_I) {
                    drop_line(m, c, c->l1i, (int32_t)s, OBS_REASON_MAINTENANCE);
                    counts->lines_invalidated++;
                }
            }
        } else if (len) {
            uint64_t first = addr & ~(uint64_t)(m->line - 1);
            for (uint64_t line = first; line < addr + len && line >= first; line += m->line) {
                examined++;
                int32_t s = cache_probe(c->l1i, line);
                if (s >= 0) {
                    drop_line(m, c, c->l1i, s, OBS_REASON_MAINTENANCE);
                    counts->lines_invalidated++;
                }
            }
        }
        uint64_t cost = maint_cost(m, examined, 0);
        slowest = cost > slowest ? cost : slowest;
    }
    return slowest;
}

/* Write back the dirty data of line held by core c, keeping (clean) or dropping the copies. */
static uint64_t agent_writeback(machine_t *m, core_t *c, uint64_t line, bool invalidate,
                                maint_counts_t *counts)
{
    uint8_t st = hier_agent_state(m, c, line);
    if (st == LINE_I)
        return 0;
    uint64_t wb = 0;
    if (owned_dirty(st)) {
        writeback_to_shared(m, c, line, m->bus_free, OBS_REASON_MAINTENANCE);
        counts->lines_written_back++;
        wb = 1;
    }
    if (invalidate) {
        agent_invalidate(m, c, line, -1, OBS_REASON_MAINTENANCE);
        counts->lines_invalidated++;
    } else if (owned_dirty(st)) {
        agent_set_state(m, c, line, -1, st == LINE_M ? LINE_E : LINE_S, OBS_REASON_MAINTENANCE);
    }
    return wb;
}

uint64_t machine_dcache_clean(machine_t *m, unsigned cpu, uint64_t addr, uint64_t len,
                              maint_counts_t *counts)
{
    core_t *c = &m->core[cpu];
    uint64_t examined = 0, wb = 0;
    uint64_t first = addr & ~(uint64_t)(m->line - 1);
    for (uint64_t line = first; line < addr + len && line >= first; line += m->line) {
        examined++;
        int32_t s = cache_probe(c->l1d, line);
        if (s < 0 || !(state_byte(c->l1d, s) & LINE_DIRTY))
            continue;
        /* The point of unification is the L2 when there is one, else the shared level. */
        note_writeback(m, c, c->l1d, line, OBS_REASON_MAINTENANCE);
        counts->lines_written_back++;
        wb++;
        if (c->l2) {
            set_state_byte(c->l1d, s, state_byte(c->l1d, s) & ~LINE_DIRTY);
            int32_t s2 = cache_probe(c->l2, line);
            if (s2 >= 0)
                set_state_byte(c->l2, s2, state_byte(c->l2, s2) | LINE_DIRTY);
        } else {
            uint8_t st = state_of(c->l1d, s);
            m->coh.writebacks++;
            bus_occupy(m, m->bus_free);
            llc_write(m, line, m->bus_free, OBS_REASON_MAINTENANCE);
            set_coherence(m, c, c->l1d, s, st == LINE_M ? LINE_E : LINE_S, OBS_REASON_MAINTENANCE);
        }
    }
    return maint_cost(m, examined, wb);
}

uint64_t machine_snoop_out(machine_t *m, uint64_t addr, uint64_t len, bool invalidate,
                           maint_counts_t *counts)
{
    uint64_t examined = 0, wb = 0;
    uint64_t first = addr & ~(uint64_t)(m->line - 1);
    for (uint64_t line = first; line < addr + len && line >= first; line += m->line) {
        /* A core's dirty copy goes through the LLC on its way to memory: two transfers (each
         * costs), but one line written back (each line counts once). */
        maint_counts_t through = {0, 0};
        for (unsigned i = 0; i < m->cfg.cores; i++) {
            examined++;
            wb += agent_writeback(m, &m->core[i], line, invalidate, &through);
        }
        counts->lines_invalidated += through.lines_invalidated;
        bool written = through.lines_written_back > 0;
        if (m->llc) {
            int32_t s = cache_probe(m->llc, line);
            if (s >= 0) {
                if (state_byte(m->llc, s) & LINE_DIRTY) {
                    note_writeback(m, NULL, m->llc, line, OBS_REASON_MAINTENANCE);
                    written = true;
                    wb++;
                    set_state_byte(m->llc, s, LINE_S);
                }
                if (invalidate) {
                    drop_line(m, NULL, m->llc, s, OBS_REASON_MAINTENANCE);
                    counts->lines_invalidated++;
                }
            }
        }
        counts->lines_written_back += written;
    }
    return maint_cost(m, examined, wb);
}

/* Every valid line of cache c, written back and (when invalidate) dropped, as core `owner`'s. */
static void flush_private(machine_t *m, core_t *c, bool invalidate, maint_counts_t *counts,
                          uint64_t *examined, uint64_t *wb)
{
    cache_t *levels[3] = {c->l1d, c->l2, c->l1i};
    for (int i = 0; i < 3; i++) {
        cache_t *k = levels[i];
        if (!k)
            continue;
        for (uint32_t s = 0; s < cache_slots(k); s++) {
            uint8_t full = state_byte(k, (int32_t)s), st = full & LINE_STATE_MASK;
            if (st == LINE_I)
                continue;
            (*examined)++;
            bool is_outer = k == outer_private(c);
            if (k == c->l1d && c->l2 && (full & LINE_DIRTY)) {
                /* into the L2, which goes out next */
                note_writeback(m, c, k, slot_addr(k, (int32_t)s), OBS_REASON_MAINTENANCE);
                set_state_byte(k, (int32_t)s, full & ~LINE_DIRTY);
            } else if (is_outer && owned_dirty(st)) {
                uint64_t line = slot_addr(k, (int32_t)s);
                writeback_to_shared(m, c, line, m->bus_free, OBS_REASON_MAINTENANCE);
                counts->lines_written_back++;
                (*wb)++;
                if (!invalidate)
                    agent_set_state(m, c, line, -1, st == LINE_M ? LINE_E : LINE_S,
                                    OBS_REASON_MAINTENANCE);
            }
            if (invalidate) {
                drop_line(m, c, k, (int32_t)s, OBS_REASON_MAINTENANCE);
                counts->lines_invalidated++;
            }
        }
    }
}

uint64_t machine_flush_caches(machine_t *m, int cpu_only, bool invalidate, maint_counts_t *counts)
{
    uint64_t slowest = 0;
    /* When the LLC is flushed too, the cores' dirty lines reach memory through it: they are
     * counted as written back once, when the LLC writes them out. */
    bool through_llc = cpu_only < 0 && m->llc;
    maint_counts_t private_counts = {0, 0};
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        if (cpu_only >= 0 && (unsigned)cpu_only != i)
            continue;
        uint64_t examined = 0, wb = 0;
        flush_private(m, &m->core[i], invalidate, through_llc ? &private_counts : counts,
                      &examined, &wb);
        uint64_t cost = maint_cost(m, examined, wb);
        slowest = cost > slowest ? cost : slowest;
    }
    if (!through_llc)
        return slowest;
    counts->lines_invalidated += private_counts.lines_invalidated;
    uint64_t examined = 0, wb = 0;
    for (uint32_t s = 0; s < cache_slots(m->llc); s++) {
        uint8_t full = state_byte(m->llc, (int32_t)s);
        if ((full & LINE_STATE_MASK) == LINE_I)
            continue;
        examined++;
        if (full & LINE_DIRTY) {
            note_writeback(m, NULL, m->llc, slot_addr(m->llc, (int32_t)s), OBS_REASON_MAINTENANCE);
            counts->lines_written_back++;
            wb++;
            set_state_byte(m->llc, (int32_t)s, LINE_S);
        }
        if (invalidate) {
            drop_line(m, NULL, m->llc, (int32_t)s, OBS_REASON_MAINTENANCE);
            counts->lines_invalidated++;
        }
    }
    return slowest + maint_cost(m, examined, wb);
}
