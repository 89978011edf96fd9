/* hash.h: the 64-bit finaliser the program's open-addressing tables hash their keys with
 * (MurmurHash3's fmix64, first half): cheap, and it spreads line and page numbers whose low bits
 * are all alike. */
#ifndef COHSIM_HASH_H
#define COHSIM_HASH_H

#include <stdint.h>

static inline uint64_t sim_hash(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

#endif
