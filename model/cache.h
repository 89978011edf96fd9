/* cache.h: one set-associative cache array: tags, a state byte per line, replacement, statistics.
 *
 * The cache knows geometry and replacement, not protocol: callers (the hierarchy, the Dinero and
 * Cachegrind compatibility engines) decide what a hit, a fill or an eviction means and set each
 * line's state. A line is valid exactly when its coherence bits are not LINE_I. Sets and line size
 * are powers of two; any associativity. Lines optionally keep their bytes (I-caches that do not
 * snoop hold what they were filled with).
 */
#ifndef COHSIM_CACHE_H
#define COHSIM_CACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "repl.h"
#include "rng.h"

/* Line state: the low three bits are the coherence state; LINE_DIRTY marks a copy newer than the
 * level below it (what a write-back must carry). Non-coherent users use LINE_S for valid. */
enum {
    LINE_I = 0,
    LINE_S = 1,
    LINE_E = 2,
    LINE_O = 3,
    LINE_M = 4,
    LINE_STATE_MASK = 7,
    LINE_DIRTY = 8,
};

/* Access kinds, the columns of every cache's statistics: ACCESS_KIND(NAME, "printed name") rows,
 * the enum and cache_access_kind_name's table expanded from the one list. */
#define ACCESS_KIND_ROWS(X) X(READ, "read") X(WRITE, "write") X(IFETCH, "ifetch") X(MISC, "misc")
typedef enum access_kind {
#define ACCESS_KIND_ENUM(name, text) ACCESS_##name,
    ACCESS_KIND_ROWS(ACCESS_KIND_ENUM)
#undef ACCESS_KIND_ENUM
    ACCESS_KINDS
} access_kind_t;

/* "read", "write", "ifetch", "misc" (the statistics' names of the kinds), "?" out of range. */
const char *cache_access_kind_name(access_kind_t kind);

typedef struct cache_config {
    uint64_t size;    /* bytes; sets = size / (assoc * line) */
    uint32_t assoc;   /* ways per set */
    uint32_t line;    /* bytes per line */
    const repl_ops_t *repl;
    bool write_back;  /* false: write-through */
    bool write_allocate;
    uint32_t latency; /* cycles for a hit */
    bool keeps_data;  /* lines hold their bytes */
} cache_config_t;

typedef struct cache_stats {
    uint64_t accesses[ACCESS_KINDS];
    uint64_t misses[ACCESS_KINDS];
    uint64_t writebacks;
} cache_stats_t;

typedef struct cache cache_t;

/* 0 when cfg describes a cache that can be built, else -1 with a reason in err. */
int cache_config_check(const cache_config_t *cfg, char *err, size_t errlen)
    __attribute__((warn_unused_result));

/* The bytes cache_create allocates for cfg (which passes cache_config_check). */
uint64_t cache_bytes(const cache_config_t *cfg);
/* A new cache with every line invalid; NULL when cfg fails cache_config_check or memory runs out.
 * rng is the simulation's generator (used by random replacement); it must outlive the cache. */
cache_t *cache_create(const cache_config_t *cfg, rng_t *rng);
void cache_destroy(cache_t *c);

const cache_config_t *cache_config(const cache_t *c);
uint32_t cache_sets(const cache_t *c);
/* Lines in the cache (sets * assoc); slots are numbered 0..cache_slots()-1. */
uint32_t cache_slots(const cache_t *c);
/* The address of the first byte of addr's line. */
uint64_t cache_line_base(const cache_t *c, uint64_t addr);

/* The slot holding addr's line, or -1. Changes nothing. */
int32_t cache_find(const cache_t *c, uint64_t addr);
/* A hit on slot: update replacement. */
void cache_touch(cache_t *c, int32_t slot);
/* The slot addr's line would be filled into: the lowest invalid way of its set, else the policy's
 * victim. The caller must deal with the line there (write back, invalidate elsewhere) before
 * cache_fill. */
int32_t cache_victim(cache_t *c, uint64_t addr);
/* Install addr's line in slot with state (not LINE_I); updates replacement. */
void cache_fill(cache_t *c, int32_t slot, uint64_t addr, uint8_t state);

/* The valid slots of set, written to slots (room for assoc), oldest first: by last use under
 * LRU, by fill under every other policy, which is Dinero IV's replacement stack read from its
 * bottom. Returns how many. */
uint32_t cache_set_by_age(const cache_t *c, uint32_t set, int32_t *slots);

uint8_t cache_state(const cache_t *c, int32_t slot);
void cache_set_state(cache_t *c, int32_t slot, uint8_t state);
/* The base address of the line in slot (meaningful only while it is valid). */
uint64_t cache_slot_addr(const cache_t *c, int32_t slot);
/* The line's bytes (line size of them) when the cache keeps data, else NULL. */
uint8_t *cache_data(cache_t *c, int32_t slot);

/* Valid lines now held, and how many of them are dirty. */
uint64_t cache_valid_lines(const cache_t *c);
uint64_t cache_dirty_lines(const cache_t *c);

/* --3c (model/ccc.h): classify this cache's misses from now on. 0, or -1 when memory runs out. */
int cache_enable_3c(cache_t *c)
    __attribute__((warn_unused_result));
/* The classified misses, or NULL when cache_enable_3c was not called. */
const struct ccc_stats *cache_3c(const cache_t *c);
/* Whether a reference went unclassified for want of memory. */
bool cache_3c_failed(const cache_t *c);

cache_stats_t *cache_stats(cache_t *c);
/* Zero the statistics (the 3C counts too); the lines stay. */
void cache_reset_stats(cache_t *c);
const cache_stats_t *cache_stats_const(const cache_t *c);

#endif
