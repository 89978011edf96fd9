/* refmodel.c: the C model's answers for the RTL lockstep, through cache.h, compat_dinero.h and
 * machine.h only (what each reference is, in refmodel.h). */
#include "refmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/compat_dinero.h"
#include "model/repl.h"

struct ref_cache {
    cache_t *cache;
    dinero_t *dinero;
    rng_t rng;
    bool write_back;
};

static cache_config_t level_config(uint32_t sets, uint32_t ways, uint32_t line, bool fifo,
                                   bool write_back)
{
    return (cache_config_t){.size = (uint64_t)sets * ways * line,
                            .assoc = ways,
                            .line = line,
                            .repl = fifo ? &repl_fifo : &repl_lru,
                            .write_back = write_back,
                            .write_allocate = write_back,
                            .latency = 0};
}

ref_cache_t *ref_cache_create(uint32_t sets, uint32_t ways, uint32_t line, bool fifo,
                              bool write_back, char *err, size_t errlen)
{
    ref_cache_t *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rng_seed(&r->rng, 1);
    r->write_back = write_back;
    cache_config_t cc = level_config(sets, ways, line, fifo, write_back);
    if (cache_config_check(&cc, err, errlen) != 0 || !(r->cache = cache_create(&cc, &r->rng))) {
        ref_cache_destroy(r);
        return NULL;
    }
    machine_config_t mc = {.cores = 1, .l1 = cc, .page_size = 4096, .disk_bandwidth = 1};
    if (!(r->dinero = dinero_create(&mc, &r->rng, err, errlen))) {
        ref_cache_destroy(r);
        return NULL;
    }
    return r;
}

void ref_cache_destroy(ref_cache_t *r)
{
    if (!r)
        return;
    cache_destroy(r->cache);
    dinero_destroy(r->dinero);
    free(r);
}

int ref_cache_access(ref_cache_t *r, uint64_t addr, bool write, ref_cache_resp_t *out, char *err,
                     size_t errlen)
{
    memset(out, 0, sizeof *out);
    cache_t *c = r->cache;
    uint32_t ways = cache_config(c)->assoc;
    int32_t slot = cache_find(c, addr);
    out->hit = slot >= 0;
    if (out->hit) {
        cache_touch(c, slot);
        out->way = (uint32_t)slot % ways;
        if (write && r->write_back)
            cache_set_state(c, slot, LINE_S | LINE_DIRTY);
    } else if (!write || r->write_back) {
        slot = cache_victim(c, addr);
        uint8_t st = cache_state(c, slot);
        out->filled = true;
        out->way = (uint32_t)slot % ways;
        out->victim_valid = (st & LINE_STATE_MASK) != LINE_I;
        out->victim_addr = out->victim_valid ? cache_slot_addr(c, slot) : 0;
        out->writeback = out->victim_valid && (st & LINE_DIRTY);
        cache_fill(c, slot, addr, write ? LINE_S | LINE_DIRTY : LINE_S);
    }

    const dinero_stats_t *ds = dinero_cache_stats(r->dinero, 0);
    uint64_t misses = ds->miss[ACCESS_READ] + ds->miss[ACCESS_WRITE];
    uint64_t writebacks = ds->writebacks;
    mem_req_t req = {.addr = addr, .size = 1, .op = write ? OP_STORE : OP_LOAD};
    if (dinero_ref(r->dinero, &req, err, errlen) != 0)
        return -1;
    out->dinero_miss = ds->miss[ACCESS_READ] + ds->miss[ACCESS_WRITE] != misses;
    out->dinero_writeback = ds->writebacks != writebacks;
    return 0;
}

static bool slot_of(const cache_t *c, uint32_t slot, uint64_t *addr, uint8_t *state)
{
    *state = cache_state(c, (int32_t)slot);
    bool valid = (*state & LINE_STATE_MASK) != LINE_I;
    *addr = valid ? cache_slot_addr(c, (int32_t)slot) : 0;
    return valid;
}

bool ref_cache_slot(const ref_cache_t *r, uint32_t slot, uint64_t *addr, uint8_t *state)
{
    return slot_of(r->cache, slot, addr, state);
}

/* ---- the machine ------------------------------------------------------------------------------ */

struct ref_sys {
    machine_t *m;
    ref_sys_next_fn next;
    ref_sys_check_fn check;
    void *opaque;
};

static void take_view(const ref_sys_t *s, ref_sys_view_t *v)
{
    const machine_t *m = s->m;
    unsigned cores = machine_config(m)->cores;
    for (unsigned i = 0; i < cores; i++) {
        const cache_stats_t *cs = cache_stats_const(machine_l1d(m, i));
        v->sb_count[i] = machine_sb_count(m, i);
        v->l1_accesses[i] = cs->accesses[ACCESS_READ] + cs->accesses[ACCESS_WRITE];
        v->l1_misses[i] = cs->misses[ACCESS_READ] + cs->misses[ACCESS_WRITE];
        v->forwarded[i] = machine_sb_stats(m, i)->forwarded;
    }
    v->coh = *machine_coherence_stats(m);
}

static int sys_next(void *opaque, mem_req_t *out)
{
    ref_sys_t *s = opaque;
    return s->next(s->opaque, out);
}

static int sys_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    ref_sys_t *s = opaque;
    ref_sys_view_t v = {.value = res->value, .issued = res->issued};
    take_view(s, &v);
    return s->check(s->opaque, s, req, &v);
}

void ref_sys_machine_config(const ref_sys_config_t *cfg, machine_config_t *out)
{
    /* Every latency 0 and a drain latency longer than any run: drains happen only when a buffer
     * is full or a fence waits, and then in the order the stores entered the buffers (by cycle,
     * then core), the order the harness replays into the RTL. */
    *out = (machine_config_t){
        .cores = cfg->cores,
        .protocol = &protocol_mesi,
        .arch = ARCH_X86,
        .l1d = level_config(cfg->sets, cfg->ways, cfg->line, cfg->fifo, cfg->write_back),
        .sb_entries = cfg->sb_entries,
        .sb_drain_latency = 1u << 30,
        .page_size = 4096,
        .disk_bandwidth = 1,
        .seed = 1,
        .check = true,
    };
}

int ref_sys_run(const ref_sys_config_t *cfg, ref_sys_next_fn next, ref_sys_check_fn check,
                ref_sys_check_fn on_end, void *opaque, char *err, size_t errlen)
{
    if (cfg->cores < 1 || cfg->cores > 4) {
        snprintf(err, errlen, "%u cores: the lockstep machine has 1 to 4", cfg->cores);
        return -1;
    }
    machine_config_t mc;
    ref_sys_machine_config(cfg, &mc);
    ref_sys_t s = {.m = machine_create(&mc, err, errlen), .next = next, .check = check,
                   .opaque = opaque};
    if (!s.m)
        return -1;
    core_source_t src = {.next = sys_next, .done = sys_done, .opaque = &s};
    int rc = machine_run(s.m, &src, 1, false);
    if (rc < 0)
        snprintf(err, errlen, "machine: %s", machine_error(s.m));
    if (rc == 0 && on_end) {
        mem_req_t none = {.op = OP_FENCE};
        ref_sys_view_t v = {0};
        take_view(&s, &v);
        rc = on_end(opaque, &s, &none, &v) ? 1 : 0;
    }
    machine_destroy(s.m);
    return rc < 0 ? -1 : rc;
}

uint8_t ref_sys_line_state(const ref_sys_t *s, unsigned cpu, uint64_t addr)
{
    const cache_t *c = machine_l1d(s->m, cpu);
    int32_t slot = cache_find(c, addr);
    return slot < 0 ? LINE_I : cache_state(c, slot);
}

uint64_t ref_sys_mem_word(const ref_sys_t *s, uint64_t addr)
{
    uint8_t b[8];
    machine_mem_read(s->m, addr, b, sizeof b);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

bool ref_sys_slot(const ref_sys_t *s, unsigned cpu, uint32_t slot, uint64_t *addr, uint8_t *state)
{
    return slot_of(machine_l1d(s->m, cpu), slot, addr, state);
}

unsigned ref_sys_sb_count(const ref_sys_t *s, unsigned cpu) { return machine_sb_count(s->m, cpu); }
