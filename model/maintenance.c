/* maintenance.c: the cache maintenance the primitives and the copyback/invalidate operations
 * need: invalidating I-cache ranges, cleaning D-cache ranges to the point of unification,
 * snooping ranges out of every cache, and flushing whole caches; each returns its cost.
 *
 * Invariants it keeps: those of the hierarchy (machine_priv.h): a line is written back before
 * its last dirty copy is dropped, and every change goes through hier_lines.h (so the observer
 * sees it). A dirty line is counted written back once however many levels it passes through.
 */
#include "hier_lines.h"

static uint64_t maint_cost(const machine_t *m, uint64_t examined, uint64_t written_back)
{
    uint64_t per_wb = m->bus.occupancy ? m->bus.occupancy : 1;
    return examined + written_back * per_wb + (written_back ? m->cfg.mem_latency : 0);
}

/* How many lines [addr, addr + len) touches: 0 when len is 0, and a range past the top of the
 * address space stops at the top. A count, because a loop bounded by an address wraps there. */
static uint64_t lines_in(const machine_t *m, uint64_t addr, uint64_t len)
{
    if (len == 0)
        return 0;
    uint64_t mask = ~(uint64_t)(m->line - 1);
    uint64_t last = addr + len - 1 < addr ? UINT64_MAX : addr + len - 1;
    return ((last & mask) - (addr & mask)) / m->line + 1;
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
            for (uint64_t line = first, n = lines_in(m, addr, len); n; n--, line += m->line) {
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
        hier_writeback_to_shared(m, c, line, m->bus.free_at, OBS_REASON_MAINTENANCE);
        counts->lines_written_back++;
        wb = 1;
    }
    if (invalidate) {
        agent_invalidate(m, c, line, -1, OBS_REASON_MAINTENANCE);
        counts->lines_invalidated++;
    } else if (owned_dirty(st)) {
        agent_set_state(m, c, line, -1, cleaned_state(m, st), OBS_REASON_MAINTENANCE);
    }
    return wb;
}

/* Clean line, dirty in slot s of c's L1D, to the point of unification: the L2 when there is one,
 * else the shared level. The L1D keeps it, clean. */
static void clean_l1d_line(machine_t *m, core_t *c, int32_t s, uint64_t line,
                           maint_counts_t *counts)
{
    note_writeback(m, c, c->l1d, line, OBS_REASON_MAINTENANCE);
    counts->lines_written_back++;
    if (c->l2) {
        set_state_byte(c->l1d, s, state_byte(c->l1d, s) & ~LINE_DIRTY);
        int32_t s2 = cache_probe(c->l2, line);
        if (s2 >= 0)
            set_state_byte(c->l2, s2, state_byte(c->l2, s2) | LINE_DIRTY);
    } else {
        uint8_t st = state_of(c->l1d, s);
        m->bus.stats.writebacks++;
        bus_occupy(&m->bus, m->bus.free_at);
        hier_llc_write(m, line, m->bus.free_at, OBS_REASON_MAINTENANCE);
        set_coherence(m, c, c->l1d, s, cleaned_state(m, st), OBS_REASON_MAINTENANCE);
    }
}

uint64_t machine_dcache_clean(machine_t *m, uint64_t core_mask, uint64_t addr, uint64_t len,
                              bool all, maint_counts_t *counts)
{
    uint64_t examined = 0, wb = 0;
    if (all) {
        /* Each core walks its own L1D, all at once: the slowest walk is the time. */
        for (unsigned i = 0; i < m->cfg.cores; i++) {
            core_t *c = &m->core[i];
            if (!(core_mask >> i & 1))
                continue;
            uint64_t walked = 0;
            for (uint32_t s = 0; s < cache_slots(c->l1d); s++) {
                walked++;
                uint8_t b = state_byte(c->l1d, (int32_t)s);
                if ((b & LINE_STATE_MASK) != LINE_I && (b & LINE_DIRTY)) {
                    clean_l1d_line(m, c, (int32_t)s, slot_addr(c->l1d, (int32_t)s), counts);
                    wb++;
                }
            }
            examined = walked > examined ? walked : examined;
        }
        return maint_cost(m, examined, wb);
    }
    /* By address: one broadcast per line, which every L1D looks up at once. */
    uint64_t first = addr & ~(uint64_t)(m->line - 1);
    for (uint64_t line = first, n = lines_in(m, addr, len); n; n--, line += m->line) {
        examined++;
        for (unsigned i = 0; i < m->cfg.cores; i++) {
            core_t *c = &m->core[i];
            if (!(core_mask >> i & 1))
                continue;
            int32_t s = cache_probe(c->l1d, line);
            if (s < 0 || !(state_byte(c->l1d, s) & LINE_DIRTY))
                continue;
            clean_l1d_line(m, c, s, line, counts);
            wb++;
        }
    }
    return maint_cost(m, examined, wb);
}

uint64_t machine_snoop_out(machine_t *m, uint64_t addr, uint64_t len, bool invalidate,
                           maint_counts_t *counts)
{
    uint64_t examined = 0, wb = 0;
    uint64_t first = addr & ~(uint64_t)(m->line - 1);
    for (uint64_t line = first, n = lines_in(m, addr, len); n; n--, line += m->line) {
        /* One snoop by address per line: every cache looks it up in its own tags at once, so
         * examining a line costs one cycle however many cores there are. A core's dirty copy
         * goes through the LLC on its way to memory: two transfers (each costs), but one line
         * written back (each line counts once). */
        maint_counts_t through = {0, 0};
        examined++;
        for (unsigned i = 0; i < m->cfg.cores; i++)
            wb += agent_writeback(m, &m->core[i], line, invalidate, &through);
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
                hier_writeback_to_shared(m, c, line, m->bus.free_at, OBS_REASON_MAINTENANCE);
                counts->lines_written_back++;
                (*wb)++;
                if (!invalidate)
                    agent_set_state(m, c, line, -1, cleaned_state(m, st),
                                    OBS_REASON_MAINTENANCE);
            }
            if (invalidate) {
                drop_line(m, c, k, (int32_t)s, OBS_REASON_MAINTENANCE);
                counts->lines_invalidated++;
            }
        }
    }
}

/* Every valid line of the shared level, written back and (when invalidate) dropped; returns its
 * cost. The cores' dirty lines that reached it are counted here, once. */
static uint64_t flush_shared(machine_t *m, bool invalidate, maint_counts_t *counts)
{
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
    return maint_cost(m, examined, wb);
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
    return slowest + flush_shared(m, invalidate, counts);
}

uint64_t machine_flush_processor(machine_t *m, unsigned cpu, bool shared_too,
                                 maint_counts_t *counts)
{
    maint_counts_t private_counts = {0, 0};
    uint64_t examined = 0, wb = 0;
    flush_private(m, &m->core[cpu], true, m->llc ? &private_counts : counts, &examined, &wb);
    counts->lines_invalidated += private_counts.lines_invalidated;
    uint64_t cost = maint_cost(m, examined, wb);
    if (shared_too && m->llc)
        cost += flush_shared(m, true, counts);
    return cost;
}
