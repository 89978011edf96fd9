/* random.c: random replacement as Dinero IV does it, so that its counts can be reproduced. Each way
 * holds its fill-order rank (0 the newest; hits change nothing); the ranks of a set are always a
 * permutation of 0..assoc-1 and valid ways hold the lowest ranks. The victim of a full set is the
 * way whose rank is one draw of the simulation's seeded generator modulo assoc: Dinero picks stack
 * position 2 + (draw mod assoc) after pushing the incoming line, which is that same way. A set with
 * an invalid way fills it without drawing (the cache never asks for a victim then). */
#include "../repl.h"

static void random_init(uint32_t *set, uint32_t assoc)
{
    for (uint32_t w = 0; w < assoc; w++)
        set[w] = w;
}

static void random_hit(uint32_t *set, uint32_t assoc, uint32_t way)
{
    (void)set, (void)assoc, (void)way;
}

static void random_fill(uint32_t *set, uint32_t assoc, uint32_t way)
{
    uint32_t rank = set[way];
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] < rank)
            set[w]++;
    set[way] = 0;
}

static uint32_t random_victim(uint32_t *set, uint32_t assoc, rng_t *rng)
{
    uint32_t rank = rng_below(rng, assoc);
    for (uint32_t w = 0; w < assoc; w++)
        if (set[w] == rank)
            return w;
    return 0; /* unreachable while the ranks are a permutation */
}

const repl_ops_t repl_random = {
    .name = "random",
    .init = random_init,
    .on_hit = random_hit,
    .on_fill = random_fill,
    .victim = random_victim,
};
