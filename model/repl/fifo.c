/* fifo.c: first-in first-out replacement. Each way holds its fill-order rank (0 the newest); hits
 * do not change the order; the ranks of a set are always a permutation of 0..assoc-1. */
#include "../repl.h"

static void fifo_init(uint32_t *set, uint32_t assoc)
{
    for (uint32_t w = 0; w < assoc; w++)
        set[w] = w;
}

static void fifo_hit(uint32_t *set, uint32_t assoc, uint32_t way)
{
    (void)set, (void)assoc, (void)way;
}

static void fifo_fill(uint32_t *set, uint32_t assoc, uint32_t way)
{
    uint32_t rank = set[way];
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] < rank)
            set[w]++;
    set[way] = 0;
}

static uint32_t fifo_victim(uint32_t *set, uint32_t assoc, rng_t *rng)
{
    (void)rng;
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] == assoc - 1)
            return w;
    return 0;
}

const repl_ops_t repl_fifo = {
    .name = "fifo",
    .init = fifo_init,
    .on_hit = fifo_hit,
    .on_fill = fifo_fill,
    .victim = fifo_victim,
};
