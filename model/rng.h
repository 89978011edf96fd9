/* rng.h: the simulation's seeded random generator (Park-Miller minimal standard, multiplier 48271).
 *
 * One generator per simulation, passed to whoever needs randomness; never rand(). The state is
 * always in [1, 2^31 - 2]; a seed of 0 (or a multiple of the modulus) is mapped to 1.
 */
#ifndef COHSIM_RNG_H
#define COHSIM_RNG_H

#include <stdint.h>

typedef struct rng {
    uint32_t state;
} rng_t;

#define RNG_MODULUS 2147483647u /* 2^31 - 1 */

static inline void rng_seed(rng_t *r, uint64_t seed)
{
    uint32_t s = (uint32_t)(seed % RNG_MODULUS);
    r->state = s ? s : 1;
}

/* The next value in [1, 2^31 - 2]: x = x * 48271 mod (2^31 - 1). */
static inline uint32_t rng_next(rng_t *r)
{
    r->state = (uint32_t)(((uint64_t)r->state * 48271u) % RNG_MODULUS);
    return r->state;
}

/* A value in [0, n), n > 0. */
static inline uint32_t rng_below(rng_t *r, uint32_t n) { return rng_next(r) % n; }

#endif
