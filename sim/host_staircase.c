/* host_staircase.c: load-to-use latency on this host by pointer chasing over working sets.
 *
 * Representation: the working set is one buffer; each 64-byte line's first word points to the
 * next line of a single random cycle through every line (Sattolo's algorithm), so each load
 * depends on the one before and the order defeats the prefetchers. The buffer asks for huge
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

static int stair_point(uint8_t *buf, uint64_t bytes, const host_stair_opts_t *o, uint64_t *rng,
                       uint32_t *perm, host_stair_point_t *out)
{
    uint64_t lines = bytes / STAIR_LINE;
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
    uint64_t loads = lines * 2 > o->min_loads ? lines * 2 : o->min_loads;
    void *p = stair_chase(buf, lines); /* one lap to warm the caches */
    double samples[64];
    unsigned reps = o->reps < 64 ? o->reps : 64;
    for (unsigned r = 0; r < reps; r++) {
        double t0 = host_now_ns();
        p = stair_chase(p, loads);
        double t1 = host_now_ns();
        samples[r] = (t1 - t0) / (double)loads;
    }
    /* p is kept alive by this comparison: it always points into the buffer. */
    if ((uint8_t *)p < buf || (uint8_t *)p >= buf + bytes)
        return -1;
    out->bytes = bytes;
    host_stat_of(samples, reps, &out->ns);
    return 0;
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
    size_t len = (size_t)o->max_bytes;
    uint8_t *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        snprintf(err, errlen, "staircase: cannot map %zu bytes: %s", len, strerror(errno));
        return -1;
    }
    madvise(buf, len, MADV_HUGEPAGE); /* advice only: a kernel without THP ignores it */
    uint32_t *perm = malloc((size_t)(o->max_bytes / STAIR_LINE) * sizeof *perm);
    if (!perm) {
        munmap(buf, len);
        snprintf(err, errlen, "staircase: out of memory");
        return -1;
    }
    uint64_t rng = o->seed ? o->seed : 0x9e3779b97f4a7c15ull;
    unsigned n = 0;
    for (uint64_t b = o->min_bytes; b <= o->max_bytes; b *= 2, n++)
        if (stair_point(buf, b, o, &rng, perm, &out[n]) != 0) {
            snprintf(err, errlen, "staircase: the chase left the buffer (a bug)");
            n = 0;
            break;
        }
    free(perm);
    munmap(buf, len);
    return n ? (int)n : -1;
}
