/* lru.c: least-recently-used replacement. Each way holds its recency rank: 0 is the most recent,
 * assoc-1 the least; the ranks of a set are always a permutation of 0..assoc-1. */
#include "../repl.h"

static void lru_init(uint32_t *set, uint32_t assoc)
{
    for (uint32_t w = 0; w < assoc; w++)
        set[w] = w;
}

/* Make way the most recent: every way more recent than it ages by one. */
static void lru_touch(uint32_t *set, uint32_t assoc, uint32_t way)
{
    uint32_t rank = set[way];
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] < rank)
            set[w]++;
    set[way] = 0;
}

static uint32_t lru_victim(uint32_t *set, uint32_t assoc, rng_t *rng)
{
    (void)rng;
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] == assoc - 1)
            return w;
    return 0; /* unreachable while the ranks are a permutation */
}

const repl_ops_t repl_lru = {
    .name = "lru",
    .init = lru_init,
    .on_hit = lru_touch,
    .on_fill = lru_touch,
    .victim = lru_victim,
};
