/* test_reuse.c: Mattson's stack distances (sim/reuse.c) against a naive LRU stack, over enough
 * references that the time stamps are renumbered many times, at several footprints. */
#include <criterion/criterion.h>
#include <stdlib.h>

#include "sim/reuse.h"

/* The distance by the book: the line's depth in an LRU stack (UINT64_MAX: cold). */
static uint64_t naive_distance(uint64_t *stack, uint64_t *depth, uint64_t line)
{
    uint64_t i = 0;
    while (i < *depth && stack[i] != line)
        i++;
    uint64_t d = i < *depth ? i : UINT64_MAX;
    if (i == *depth)
        (*depth)++;
    for (; i > 0; i--)
        stack[i] = stack[i - 1];
    stack[0] = line;
    return d;
}

Test(reuse, equals_a_naive_lru_stack)
{
    const uint64_t alphabets[] = {3, 100, 700, 3000};
    for (unsigned a = 0; a < sizeof alphabets / sizeof alphabets[0]; a++) {
        uint64_t n = alphabets[a];
        reuse_t *r = reuse_create(1);
        cr_assert(r);
        uint64_t *stack = calloc(n + 1, sizeof *stack), depth = 0;
        uint64_t *hist = calloc(n + 1, sizeof *hist), cold = 0;
        uint64_t seed = 1;
        for (int i = 0; i < 20000; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            /* a skewed draw: small lines often, so distances cover every range */
            uint64_t line = ((seed >> 33) % n) & ((seed >> 20) % 4 ? 0xf : ~0ull);
            cr_assert_eq(reuse_access(r, line, 1), 0);
            uint64_t d = naive_distance(stack, &depth, line);
            if (d == UINT64_MAX)
                cold++;
            else
                hist[d]++;
        }
        cr_assert_eq(reuse_cold(r), cold);
        cr_assert_eq(reuse_distinct(r), depth);
        for (uint64_t d = 0; d < depth; d++)
            cr_assert_eq(reuse_at(r, d), hist[d], "alphabet %llu, distance %llu",
                         (unsigned long long)n, (unsigned long long)d);
        free(stack);
        free(hist);
        reuse_destroy(r);
    }
}
