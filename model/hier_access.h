/* hier_access.h: one line's access by a core (read, fetch) through its first level, inline for
 * both issue paths: the event loop's general path (machine.c's execute, through each_line) and its
 * quick path (quick_issue) call these same functions, so they count and time alike by
 * construction. A miss goes on out of line in hierarchy.c (hier_read_miss, hier_ifetch_miss).
 *
 * Invariant: each counts one access of its kind in the L1 it looks in, classifies it for the 3C
 * statistics, and returns the cycles the access takes (the L1's latency on a hit).
 */
#ifndef COHSIM_HIER_ACCESS_H
#define COHSIM_HIER_ACCESS_H

#include "hier_lines.h"

/* Inline into every caller: out of line, the call and its saved registers cost the quick path
 * more than the whole of an L1 hit. */
#define HIER_ACCESS static inline __attribute__((always_inline))

/* One access of kind to line by core c in its first-level cache l1: its L1D (or unified L1), or
 * its L1I (l1_is_l1i, for fetches), whose misses go on differently. plain_known: the caller
 * knows that l1 is cache_is_plain (a constant: the solo loop's specialised copy keeps no test of
 * the classifier or the policy). hint: NULL, or the caller's recent slot for this stream of
 * accesses (cache_lookup_as). */
HIER_ACCESS uint64_t hier_l1_access(machine_t *m, core_t *c, cache_t *l1, bool l1_is_l1i,
                                    uint64_t line, access_kind_t kind, uint64_t now,
                                    const bool plain_known, uint32_t *hint)
{
    stats_of(l1)->accesses[kind]++;
    if (!plain_known)
        cache_classify(l1, line, kind);
    /* a hit at the hint first, which needs no test of the slot found */
    if ((hint && cache_hit_at(l1, line, hint, plain_known)) ||
        cache_lookup_as(l1, line, plain_known, hint) >= 0)
        return latency(l1);
    return l1_is_l1i ? hier_ifetch_miss(m, c, line, now) : hier_read_miss(m, c, line, kind, now);
}

/* A read (ACCESS_READ, ACCESS_MISC or ACCESS_IFETCH without an L1I) of line by core c. */
HIER_ACCESS uint64_t hier_read(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                               uint64_t now)
{
    return hier_l1_access(m, c, c->l1d, false, line, kind, now, false, NULL);
}

/* The first level that core c fetches from: its L1I, else its unified L1 (*is_l1i false), else
 * NULL (fetches go to the level below). */
static inline cache_t *hier_fetch_l1(const machine_t *m, const core_t *c, bool *is_l1i)
{
    *is_l1i = c->l1i != NULL;
    return c->l1i ? c->l1i : m->cfg.l1.size ? c->l1d : NULL;
}

/* An instruction fetch of line by core c: its L1I, else its unified L1, else the level below
 * (hier_fetch_l1's choice, made here with a constant l1_is_l1i on each way). */
HIER_ACCESS uint64_t hier_ifetch(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    cache_t *l1i = c->l1i;
    if (!l1i) {
        if (m->cfg.l1.size) /* a unified first level */
            return hier_l1_access(m, c, c->l1d, false, line, ACCESS_IFETCH, now, false, NULL);
        return hier_ifetch_without_l1(m, c, line, now);
    }
    return hier_l1_access(m, c, l1i, true, line, ACCESS_IFETCH, now, false, NULL);
}

/* A write of line by core c through its L1D (hier_write's body, inlined into it and into
 * solo_burst_plain; plain_known, hint: as hier_l1_access). */
HIER_ACCESS uint64_t hier_write_as(machine_t *m, core_t *c, uint64_t line, uint64_t now,
                                   const bool plain_known, uint32_t *hint)
{
    cache_t *l1 = c->l1d;
    stats_of(l1)->accesses[ACCESS_WRITE]++;
    if (!plain_known)
        cache_classify(l1, line, ACCESS_WRITE);
    int32_t s = cache_lookup_as(l1, line, plain_known, hint);
    if (s < 0)
        return hier_write_miss(m, c, line, now);
    /* The common store: a write-back L1D line already in M (so in M in the L2 too, which holds
     * the L1D's lines in their state) needs no transaction and no other level's state; only a
     * snooping L1I copy must go. There can be one only if an L1I fill found a line in M: the
     * core's copy entered M by a write, which dropped the L1I's copy, and stayed M since. */
    if (state_of(l1, s) == LINE_M && cfg_of(l1)->write_back) {
        if (c->l1i_got_modified)
            hier_drop_own_icache_copy(m, c, line);
        l1d_mark_dirty(m, c, s, line);
        return latency(l1);
    }
    return hier_write_hit_slow(m, c, line, s, now);
}

#endif
