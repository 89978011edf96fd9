/* reuse.h: LRU stack (reuse) distances of a stream of line references, Mattson's algorithm with a
 * Fenwick tree over time stamps, and from them the miss count of a fully associative LRU cache of
 * every size at once.
 *
 * The distance of a reference is the number of distinct other lines referenced since the previous
 * reference to its line (none before: a cold reference). A fully associative LRU cache of C lines
 * hits exactly the references of distance below C, so misses(C) = cold + refs of distance >= C.
 * Memory grows with the distinct lines, not with the references (time stamps are renumbered
 * when they run out). Each reference costs O(log distinct lines), amortised.
 */
#ifndef COHSIM_REUSE_H
#define COHSIM_REUSE_H

#include <stdint.h>

typedef struct reuse reuse_t;

/* A tracker of lines of line bytes (a power of two); NULL when out of memory. */
reuse_t *reuse_create(uint64_t line);
void reuse_destroy(reuse_t *r);
/* One access of size bytes (at least 1) at addr: one reference per line it touches. 0, or -1 out
 * of memory. */
int reuse_access(reuse_t *r, uint64_t addr, uint64_t size);
uint64_t reuse_line(const reuse_t *r);
uint64_t reuse_refs(const reuse_t *r);
uint64_t reuse_cold(const reuse_t *r);
uint64_t reuse_distinct(const reuse_t *r);
/* References of distance exactly d (d < reuse_distinct). */
uint64_t reuse_at(const reuse_t *r, uint64_t d);
/* Misses of a fully associative LRU cache of lines lines (at least 1) over the references so far. */
uint64_t reuse_misses(const reuse_t *r, uint64_t lines);

#endif
