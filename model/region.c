/* region.c: the measured region: every statistic reset at a roi begin, in simulated-time order.
 *
 * A roi begin is issued like any request, after every earlier request of its stream, so a reset
 * falls exactly between what came before the mark and what comes after. With one stream per core,
 * each stream's mark says how many marks to wait for (arg[0]): the reset happens when the last
 * core issues its own, and what the cores that got there first did in between counts as warm-up.
 * The OS layer's counters (primitives, files) are reset through its stats_reset hook.
 * Invariant: only counters are reset, and no decision of the machine reads a counter, so a reset
 * changes no later timing, state or value.
 */
#include "machine_priv.h"

#include <string.h>

static void reset_cache(cache_t *c)
{
    if (c)
        cache_reset_stats(c);
}

void machine_stats_reset(machine_t *m, uint64_t cycle)
{
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        core_t *c = &m->core[i];
        memset(&c->stats, 0, sizeof c->stats);
        memset(&c->ipi.stats, 0, sizeof c->ipi.stats);
        memset(&c->sb.stats, 0, sizeof c->sb.stats);
        c->sb.stats.max_occupancy = c->sb.count; /* the most it holds from now on */
        reset_cache(c->l1i);
        reset_cache(c->l1d);
        reset_cache(c->l2);
    }
    reset_cache(m->llc);
    memset(&m->bus.stats, 0, sizeof m->bus.stats);
    if (m->has_os && m->os.stats_reset)
        m->os.stats_reset(m->os.opaque);
    m->roi_marks = 0;
    m->region.resets++;
    m->region.start_cycle = cycle;
}

void region_mark(machine_t *m, const mem_req_t *r, uint64_t now)
{
    if (r->op != OP_ROI_BEGIN)
        return;
    uint64_t wanted = r->arg[0] ? r->arg[0] : 1;
    if (++m->roi_marks >= wanted)
        machine_stats_reset(m, now);
}

const machine_region_t *machine_region(const machine_t *m) { return &m->region; }

machine_status_t machine_enable_3c(machine_t *m)
{
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        cache_t *own[3] = {m->core[i].l1i, m->core[i].l1d, m->core[i].l2};
        for (int k = 0; k < 3; k++)
            if (own[k] && cache_enable_3c(own[k]) != 0)
                return MACHINE_ENOMEM;
    }
    return m->llc && cache_enable_3c(m->llc) != 0 ? MACHINE_ENOMEM : MACHINE_OK;
}
