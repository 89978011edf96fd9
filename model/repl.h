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

/* The one list of registered policies, in the order configuration shows them: X(name) for each,
 * SEP between two. The registry (model/repl/registry.c), repl_names() and the cache.repl key's
 * allowed values (sim/config_keys.def) all expand it; each policy is a const repl_ops_t
 * repl_NAME whose .name is "NAME". */
#define REPL_POLICIES(X, SEP) X(lru) SEP X(fifo) SEP X(random) SEP X(plru)

#define REPL_EXTERN(name) extern const repl_ops_t repl_##name;
REPL_POLICIES(REPL_EXTERN, )
#undef REPL_EXTERN

/* The policies' names as one string literal, sep between two ("lru|fifo|random|plru"). */
#define REPL_NAME_STRING(name) #name
#define REPL_NAMES_JOINED(sep) REPL_POLICIES(REPL_NAME_STRING, sep)

/* The policy called name (one of REPL_POLICIES), or NULL. */
const repl_ops_t *repl_lookup(const char *name);
/* The names, comma-separated, for error messages. */
const char *repl_names(void);

#endif
