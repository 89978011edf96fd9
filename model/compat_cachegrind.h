/* compat_cachegrind.h: Valgrind Cachegrind's cache simulation (--cache-sim=yes), exactly, over
 * cohsim's cache arrays: I1 and D1 (the configuration's l1i and l1d) and one shared LL (llc).
 *
 * Cachegrind's rules: LRU; write-allocate; no dirty state, so no write-backs; the LL is looked up
 * only when an L1 access misses, with the same address and size, and nothing keeps it inclusive;
 * an access that straddles lines looks up every line it touches and is one access, which misses
 * when any of its lines misses; each instruction is one I1 access of its length; a modify (a load
 * and a store both flagged REQ_MODIFY) is one read. Pure model code: no printing.
 */
#ifndef COHSIM_COMPAT_CACHEGRIND_H
#define COHSIM_COMPAT_CACHEGRIND_H

#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "machine.h"
#include "op.h"

/* Cachegrind's nine counters, named as it prints them. */
typedef struct cachegrind_counts {
    uint64_t Ir, I1mr, ILmr;
    uint64_t Dr, D1mr, DLmr;
    uint64_t Dw, D1mw, DLmw;
} cachegrind_counts_t;

typedef struct cachegrind cachegrind_t;

/* From cfg's l1i, l1d and llc (all three present, LRU, one core; no l1 or l2). NULL with the
 * reason in err otherwise. */
cachegrind_t *cachegrind_create(const machine_config_t *cfg, char *err, size_t errlen);
void cachegrind_destroy(cachegrind_t *g);
/* One trace record: load, store, ifetch (misc counts as a read). Others are refused (-1). */
int cachegrind_ref(cachegrind_t *g, const mem_req_t *r, char *err, size_t errlen)
    __attribute__((warn_unused_result));
/* cachegrind_ref on n records in order, hits taking a shorter path: how many were taken, n
 * unless one was refused (its index, with the reason in err). */
unsigned cachegrind_refs(cachegrind_t *g, const mem_req_t *r, unsigned n, char *err,
                         size_t errlen);
const cachegrind_counts_t *cachegrind_counts(const cachegrind_t *g);
/* The three arrays, for their configurations: 0 l1i, 1 l1d, 2 llc; and how many accesses to
 * each touched more than one line. */
const cache_config_t *cachegrind_cache_config(const cachegrind_t *g, unsigned i);
uint64_t cachegrind_straddles(const cachegrind_t *g, unsigned i);

#endif
