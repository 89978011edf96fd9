/* repl.h: replacement policies as const ops tables, one file each, found by name in one registry.
 * LRU is the exception: the cache implements it itself with use stamps (cache.c says why and what
 * it measured) and repl_lru is its name-only entry in the registry (its functions are NULL; only
 * cache.c may be handed it). A new policy is a file in model/repl/ with every function set.
 *
 * A policy keeps assoc 32-bit words of state per set (plus repl_extra_words); the cache owns that
 * storage and hands a policy only its own set. The cache fills invalid ways itself (the lowest
 * invalid way first) and asks the policy for a victim only when every way of the set is valid.
 */
#ifndef COHSIM_REPL_H
#define COHSIM_REPL_H

#include <stdint.h>

#include "rng.h"

typedef struct repl_ops {
    const char *name;
    /* Extra words of state per set beyond one word per way. */
    uint32_t extra_words;
    /* Whether the policy needs a power-of-two associativity (tree pseudo-LRU). */
    int needs_pow2_assoc;
    void (*init)(uint32_t *set, uint32_t assoc);
    void (*on_hit)(uint32_t *set, uint32_t assoc, uint32_t way);
    void (*on_fill)(uint32_t *set, uint32_t assoc, uint32_t way);
    uint32_t (*victim)(uint32_t *set, uint32_t assoc, rng_t *rng);
} repl_ops_t;

extern const repl_ops_t repl_lru;
extern const repl_ops_t repl_fifo;
extern const repl_ops_t repl_random;
extern const repl_ops_t repl_plru;

/* The policy called name ("lru", "fifo", "random", "plru"), or NULL. */
const repl_ops_t *repl_lookup(const char *name);
/* The names, comma-separated, for error messages. */
const char *repl_names(void);

#endif
