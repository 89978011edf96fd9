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

/* A read (ACCESS_READ, ACCESS_MISC or ACCESS_IFETCH without an L1I) of line by core c.
 * plain_known: the caller knows that c's L1D is cache_is_plain (a constant: the solo loop's
 * specialised copy keeps no test of the classifier or the policy). */
HIER_ACCESS uint64_t hier_read_as(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                                  uint64_t now, const bool plain_known)
{
    cache_t *l1 = c->l1d;
    stats_of(l1)->accesses[kind]++;
    if (!plain_known)
        cache_classify(l1, line, kind);
    if (cache_lookup_as(l1, line, plain_known) >= 0)
        return latency(l1);
    return hier_read_miss(m, c, line, kind, now);
}

HIER_ACCESS uint64_t hier_read(machine_t *m, core_t *c, uint64_t line, access_kind_t kind,
                               uint64_t now)
{
    return hier_read_as(m, c, line, kind, now, false);
}

/* An instruction fetch of line by core c: its L1I, else its unified L1, else the level below.
 * plain_known: the caller knows that the first level that fetches go to (L1I, else a unified
 * L1) is cache_is_plain. */
HIER_ACCESS uint64_t hier_ifetch_as(machine_t *m, core_t *c, uint64_t line, uint64_t now,
                                    const bool plain_known)
{
    cache_t *l1i = c->l1i;
    if (!l1i) {
        if (m->cfg.l1.size) /* a unified first level */
            return hier_read_as(m, c, line, ACCESS_IFETCH, now, plain_known);
        return hier_ifetch_without_l1(m, c, line, now);
    }
    stats_of(l1i)->accesses[ACCESS_IFETCH]++;
    if (!plain_known)
        cache_classify(l1i, line, ACCESS_IFETCH);
    if (cache_lookup_as(l1i, line, plain_known) >= 0)
        return latency(l1i);
    return hier_ifetch_miss(m, c, line, now);
}

HIER_ACCESS uint64_t hier_ifetch(machine_t *m, core_t *c, uint64_t line, uint64_t now)
{
    return hier_ifetch_as(m, c, line, now, false);
}

#endif
