/* compat_dinero.h: a cache hierarchy that follows Dinero IV's rules exactly, so that its counts
 * (demand fetches and misses per access type, multi-block references, write-backs) equal Dinero's.
 *
 * The hierarchy is the first level of a machine configuration (unified l1, or split l1i + l1d,
 * where a missing l1i sends instruction fetches one level down), then l2 and llc when present,
 * each a Dinero cache whose next level is the one below it (memory below the last). One core.
 * Rules (Dinero IV version 8, ref.c), per cache:
 * - an access that crosses a line is split into one reference per line; the extra ones count as
 *   multi-block references and are handled after the first part's traffic below;
 * - a write miss without write-allocate leaves the cache untouched; otherwise a miss fills the line
 *   (invalid ways first, else the policy's victim), writing a dirty victim back below;
 * - below a reference go, in this order: the fetch of a missed line (a write's fetch is a read;
 *   none when a write covers the whole line), a write-through of a write that did not write back,
 *   then the victim's write-back (a write of one line);
 * - every reference of every cache draws from the one generator passed in (random replacement);
 * - a copy-back goes to the data cache (first-level data or unified) and an invalidate to the
 *   instruction cache then the data cache, each propagated down; size 0 means every line, else
 *   the one line at the address (din's labels 4 and 5: Dinero gives every din record size 4);
 *   an invalidate drops lines without writing them back;
 * - at the end (dinero_finish) every dirty line is written back, level by level, each level's
 *   sets from the highest down and each set from the bottom of Dinero's replacement stack up
 *   (least recently used first under LRU, oldest fill first under the other policies).
 * Pure model code: no printing; the caller reads the statistics.
 */
#ifndef COHSIM_COMPAT_DINERO_H
#define COHSIM_COMPAT_DINERO_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "ccc.h"
#include "machine.h"
#include "op.h"
#include "rng.h"

#define DINERO_MAX_CACHES 5

typedef struct dinero_stats {
    uint64_t fetch[ACCESS_KINDS]; /* demand fetches by kind (Dinero's "Demand Fetches") */
    uint64_t miss[ACCESS_KINDS];  /* demand misses by kind */
    uint64_t multiblock;          /* extra parts of references that crossed lines */
    uint64_t writebacks;          /* dirty lines written back during the trace */
    uint64_t writebacks_at_end;   /* ... and by the end-of-trace flush */
    uint64_t bytes_from_below;    /* bytes fetched from the next level */
    uint64_t bytes_to_below;      /* bytes written to the next level (write-backs, write-throughs) */
} dinero_stats_t;

typedef struct dinero dinero_t;

/* A hierarchy built from cfg's first level, l2 and llc (cores must be 1). NULL with the reason in
 * err when the configuration cannot be built. rng must outlive the hierarchy. */
dinero_t *dinero_create(const machine_config_t *cfg, rng_t *rng, char *err, size_t errlen);
void dinero_destroy(dinero_t *d);

/* One trace record: load, store, ifetch, misc, copyback, invalidate (size 0: the whole cache,
 * else the line at addr); other operations are refused (-1), with the reason in err. */
int dinero_ref(dinero_t *d, const mem_req_t *r, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* dinero_ref on n records in order, hits taking a shorter path: how many were taken, n unless
 * one was refused (its index, with the reason in err). */
unsigned dinero_refs(dinero_t *d, const mem_req_t *r, unsigned n, char *err, size_t errlen);
/* The end of the trace: write back every dirty line, level by level. Call once. */
void dinero_finish(dinero_t *d);

/* The caches, first level first: how many, each one's name ("l1", "l1i", "l1d", "l2", "llc"),
 * its configuration and statistics. */
unsigned dinero_ncaches(const dinero_t *d);
const char *dinero_cache_name(const dinero_t *d, unsigned i);
const cache_config_t *dinero_cache_config(const dinero_t *d, unsigned i);
const dinero_stats_t *dinero_cache_stats(const dinero_t *d, unsigned i);
/* -lN-Tccc on every level: 0, or -1 with the reason in err (a level not LRU, no memory). */
int dinero_enable_3c(dinero_t *d, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* Level i's classified misses, NULL without dinero_enable_3c. */
const ccc_stats_t *dinero_cache_3c(const dinero_t *d, unsigned i);

#endif
