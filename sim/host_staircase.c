/* host_staircase.c: load-to-use latency on this host by pointer chasing over working sets.
 *
 * Representation: each repetition maps a fresh buffer of the working set's size; each 64-byte
 * line's first word points to the next line of a single random cycle through every line
 * (Sattolo's algorithm), so each load depends on the one before and the order defeats the
 * prefetchers. A point's value is the median over repetitions, each on new pages in a new order:
 * near a cache's capacity the time depends on where the pages land in the physically indexed
 * levels, and one placement can be far from the typical one (a 32 KiB set measured 1.5 ns in
 * one run and 4 ns in the next when all repetitions reused one buffer). The buffer asks for huge
 * pages (madvise) so that the large sets measure the caches and memory more than the TLB, which
 * the model does not have.
 * Invariant: the chase visits every line of the set once per lap.
 */
#include "sim/host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define STAIR_LINE 64u

/* xorshift64*: the chase order only has to look random to the prefetchers. */
static uint64_t stair_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Follow n pointers from p; the result is returned so the loads cannot be dropped. */
static __attribute__((noinline)) void *stair_chase(void *p, uint64_t n)
{
    void **q = p;
    while (n >= 8) {
        q = *q; q = *q; q = *q; q = *q;
        q = *q; q = *q; q = *q; q = *q;
        n -= 8;
    }
    while (n--)
        q = *q;
    return q;
}

/* One repetition: a fresh buffer of the working set's size (new physical pages, so that the
 * median over repetitions is over page placements, not one placement's luck) holding a fresh
 * random cycle; the chase is warmed by one lap, then timed. ns per load, or -1. */
static double stair_rep(uint64_t bytes, uint64_t loads, uint64_t *rng, uint32_t *perm)
{
    uint64_t lines = bytes / STAIR_LINE;
    uint8_t *buf = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                        -1, 0);
    if (buf == MAP_FAILED)
        return -1;
    madvise(buf, (size_t)bytes, MADV_HUGEPAGE); /* advice only: a kernel without THP ignores it */
    for (uint64_t i = 0; i < lines; i++)
        perm[i] = (uint32_t)i;
    /* Sattolo: one cycle through all lines. */
    for (uint64_t i = lines - 1; i > 0; i--) {
        uint64_t j = stair_rand(rng) % i;
        uint32_t t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
    }
    for (uint64_t i = 0; i < lines; i++)
        *(void **)(buf + (uint64_t)i * STAIR_LINE) = buf + (uint64_t)perm[i] * STAIR_LINE;
    void *p = stair_chase(buf, lines); /* one lap to warm the caches */
    double t0 = host_now_ns();
    p = stair_chase(p, loads);
    double ns = (host_now_ns() - t0) / (double)loads;
    /* p is kept alive by this comparison: it always points into the buffer. */
    if ((uint8_t *)p < buf || (uint8_t *)p >= buf + bytes)
        ns = -1;
    munmap(buf, (size_t)bytes);
    return ns;
}

int host_staircase(const host_stair_opts_t *o, host_stair_point_t *out, unsigned max, char *err,
                   size_t errlen)
{
    if (o->min_bytes < STAIR_LINE * 2 || o->max_bytes < o->min_bytes ||
        (o->min_bytes & (o->min_bytes - 1)) || (o->max_bytes & (o->max_bytes - 1)) ||
        o->max_bytes / STAIR_LINE > UINT32_MAX || o->reps == 0) {
        snprintf(err, errlen, "staircase: working sets must be powers of two from 128 bytes, "
                 "smallest first, and repetitions at least 1");
        return -1;
    }
    unsigned npoints = 0;
    for (uint64_t b = o->min_bytes; b <= o->max_bytes; b *= 2)
        npoints++;
    if (npoints > max) {
        snprintf(err, errlen, "staircase: %u points, room for %u", npoints, max);
        return -1;
    }
    uint32_t *perm = malloc((size_t)(o->max_bytes / STAIR_LINE) * sizeof *perm);
    if (!perm) {
        snprintf(err, errlen, "staircase: out of memory");
        return -1;
    }
    uint64_t rng = o->seed ? o->seed : 0x9e3779b97f4a7c15ull;
    unsigned reps = o->reps < 64 ? o->reps : 64, n = 0;
    for (uint64_t b = o->min_bytes; b <= o->max_bytes; b *= 2, n++) {
        uint64_t lines = b / STAIR_LINE;
        uint64_t loads = lines * 2 > o->min_loads ? lines * 2 : o->min_loads;
        double samples[64];
        for (unsigned r = 0; r < reps; r++)
            if ((samples[r] = stair_rep(b, loads, &rng, perm)) < 0) {
                snprintf(err, errlen, "staircase: cannot map %llu bytes: %s",
                         (unsigned long long)b, strerror(errno));
                free(perm);
                return -1;
            }
        out[n].bytes = b;
        host_stat_of(samples, reps, &out[n].ns);
    }
    free(perm);
    return (int)n;
}
