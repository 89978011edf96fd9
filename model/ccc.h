/* ccc.h: compulsory, capacity and conflict misses of one cache (Hill's 3C, as Dinero IV's -Tccc).
 *
 * Beside the cache runs a fully associative LRU cache of the same number of lines (the shadow)
 * and the set of every line ever referenced. A miss of the real cache is compulsory when its line
 * was never referenced before, capacity when the shadow misses too, conflict when the shadow hits.
 * The shadow sees every reference, as the cache does; a write miss that the cache does not
 * allocate is not put into it either (Dinero's rule). Invariant: per access kind, compulsory +
 * capacity + conflict equals the misses the caller reported.
 */
#ifndef COHSIM_CCC_H
#define COHSIM_CCC_H

#include <stdbool.h>
#include <stdint.h>

#include "cache.h"

typedef struct ccc_stats {
    uint64_t compulsory[ACCESS_KINDS], capacity[ACCESS_KINDS], conflict[ACCESS_KINDS];
} ccc_stats_t;

typedef struct ccc ccc_t;

/* A classifier for a cache of lines lines; NULL when memory runs out. */
ccc_t *ccc_create(uint64_t lines);
void ccc_destroy(ccc_t *k);
/* One reference to line number lineno of kind; miss: whether the real cache misses it; allocate:
 * whether a miss is filled (false for a write miss without write-allocate). When memory for the
 * set of referenced lines runs out, the reference is not classified and ccc_failed says so. */
void ccc_reference(ccc_t *k, uint64_t lineno, access_kind_t kind, bool miss, bool allocate);
/* Whether a reference went unclassified for want of memory. */
bool ccc_failed(const ccc_t *k);
const ccc_stats_t *ccc_stats(const ccc_t *k);
/* Zero the counts; the shadow and the referenced lines stay (a warm-up warms them too). */
void ccc_reset_stats(ccc_t *k);

#endif
