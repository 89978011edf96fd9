/* plru.c: tree pseudo-LRU for power-of-two associativity. The set keeps assoc-1 node bits in a
 * heap layout (node n has children 2n+1 and 2n+2; leaves are ways); a bit of 0 points the victim
 * search left, 1 right. An access flips the bits on its path to point away from it. */
#include "../repl.h"

/* The node bits live in the words of ways 0..assoc-2 (one bit per word keeps it simple). */
static void plru_init(uint32_t *set, uint32_t assoc)
{
    for (uint32_t w = 0; w < assoc; w++)
        set[w] = 0;
}

static void plru_touch(uint32_t *set, uint32_t assoc, uint32_t way)
{
    uint32_t node = 0, lo = 0, span = assoc;
    while (span > 1) {
        span /= 2;
        int right = way >= lo + span;
        set[node] = right ? 0 : 1; /* point away from the accessed half */
        if (right)
            lo += span;
        node = 2 * node + 1 + (uint32_t)right;
    }
}

static uint32_t plru_victim(uint32_t *set, uint32_t assoc, rng_t *rng)
{
    (void)rng;
    uint32_t node = 0, lo = 0, span = assoc;
    while (span > 1) {
        span /= 2;
        int right = set[node] != 0;
        if (right)
            lo += span;
        node = 2 * node + 1 + (uint32_t)right;
    }
    return lo;
}

const repl_ops_t repl_plru = {
    .name = "plru",
    .needs_pow2_assoc = 1,
    .init = plru_init,
    .on_hit = plru_touch,
    .on_fill = plru_touch,
    .victim = plru_victim,
};
