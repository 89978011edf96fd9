/* random.c: random replacement; the victim is uniform over the ways of a full set, drawn from the
 * simulation's one seeded generator (as Dinero IV does, so that its counts can be reproduced). */
#include "../repl.h"

static void random_init(uint32_t *set, uint32_t assoc) { (void)set, (void)assoc; }

static void random_touch(uint32_t *set, uint32_t assoc, uint32_t way)
{
    (void)set, (void)assoc, (void)way;
}

static uint32_t random_victim(uint32_t *set, uint32_t assoc, rng_t *rng)
{
    (void)set;
    return rng_below(rng, assoc);
}

const repl_ops_t repl_random = {
    .name = "random",
    .init = random_init,
    .on_hit = random_touch,
    .on_fill = random_touch,
    .victim = random_victim,
};
