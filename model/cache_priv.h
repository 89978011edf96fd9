/* cache_priv.h: the cache array's representation and its per-access fast path, inline, for the
 * model files whose inner loop is a cache lookup (hierarchy.c, machine.c, compat_dinero.c,
 * compat_cachegrind.c). Everyone else uses cache.h.
 *
 * Representation: for slot = set * assoc + way, tag[slot] is the line number (addr >> line_shift)
 * and state[slot] its LINE_* byte. Replacement: LRU, the common case, keeps stamp[slot], the
 * value of a per-cache use counter at the line's last fill or hit (victim: the smallest stamp of
 * the set, which orders ways exactly as recency ranks would); any other policy keeps its words in
 * repl[set * words_per_set ..] and is called through its ops table, and stamp[slot] is the
 * counter at the line's fill, so that every policy can list a set oldest first (cache_set_by_age).
 * recent is the slot of the last hit or fill, looked at before the set is searched: accesses
 * cluster in lines (a fetch stream reads one line sixteen times running). It needs no upkeep: a
 * slot whose tag matches and whose state is valid holds the line.
 * Invariants: a line number is in at most one slot; a slot whose state is LINE_I has tag
 * CACHE_NO_TAG (no address has that line number), so a probe compares tags alone, and stamp 0
 * (handed-out stamps start at 1, and differ), so the LRU victim, the smallest stamp, is an
 * invalid way when the set has one; the line of address a lives only in set (a >> line_shift) &
 * set_mask, so a valid slot's set is tag & set_mask (no division needed).
 */
#ifndef COHSIM_CACHE_PRIV_H
#define COHSIM_CACHE_PRIV_H

#include "cache.h"
#include "ccc.h"

struct cache {
    /* What a lookup and a hit read or write, first: with the cache allocated on a host cache
     * line (cache_create), they take one line, and the counts the next (with many cores, the
     * event loop meets each core's caches cold). hit_latency is cfg.latency, kept here. */
    uint64_t *tag;
    uint64_t *stamp;
    uint8_t *state;
    ccc_t *ccc;       /* --3c: the miss classifier, or NULL (model/ccc.h) */
    uint64_t uses;    /* the last stamp handed out */
    uint32_t recent;  /* the slot of the last hit or fill (any slot at first) */
    uint32_t set_mask;
    uint32_t line_shift;
    uint32_t assoc;
    uint32_t hit_latency;
    bool lru;         /* stamp[] picks the victim instead of repl[] and the ops table */
    cache_stats_t stats;
    cache_config_t cfg;
    uint32_t sets;
    uint32_t words_per_set;
    uint32_t *repl;
    uint8_t *data;
    rng_t *rng;
};

/* The slot holding addr's line, or -1. */
#define CACHE_NO_TAG UINT64_MAX

/* The way of tag[0..ways) that holds lineno, or -1 (a line is in at most one way). */
static inline __attribute__((always_inline)) int32_t cache_way_in(const uint64_t *tag,
                                                                  uint32_t ways, uint64_t lineno)
{
#pragma GCC unroll 16
    for (uint32_t w = 0; w < ways; w++)
        if (tag[w] == lineno)
            return (int32_t)w;
    return -1;
}

/* cache_way_in for a set of assoc ways: the usual associativities unrolled whole (a compare and a
 * branch a way, no loop count to keep), which is most of the cost of a hit. */
static inline int32_t cache_way(const uint64_t *tag, uint32_t assoc, uint64_t lineno)
{
    switch (assoc) {
    case 8:
        return cache_way_in(tag, 8, lineno);
    case 16:
        return cache_way_in(tag, 16, lineno);
    case 4:
        return cache_way_in(tag, 4, lineno);
    default:
        return cache_way_in(tag, assoc, lineno);
    }
}

/* cache_probe without looking at recent first: for probes of another core's caches (snoops),
 * whose recent slot is seldom the line and costs a load of its own. */
static inline int32_t cache_probe_set(const cache_t *c, uint64_t addr)
{
    uint64_t lineno = addr >> c->line_shift;
    uint32_t base = ((uint32_t)lineno & c->set_mask) * c->assoc;
    int32_t w = cache_way(c->tag + base, c->assoc, lineno);
    return w < 0 ? -1 : (int32_t)base + w;
}

static inline __attribute__((always_inline)) int32_t cache_probe(const cache_t *c, uint64_t addr)
{
    uint64_t lineno = addr >> c->line_shift;
    uint32_t r = c->recent;
    if (c->tag[r] == lineno)
        return (int32_t)r;
    uint32_t base = ((uint32_t)lineno & c->set_mask) * c->assoc;
    int32_t w = cache_way(c->tag + base, c->assoc, lineno);
    return w < 0 ? -1 : (int32_t)base + w;
}

/* The policy's reaction to a hit on slot (valid). lru_known: the caller knows c->lru (a
 * constant, so that a loop specialised for LRU caches keeps no test of it). */
static inline __attribute__((always_inline)) void cache_hit_as(cache_t *c, int32_t slot,
                                                               const bool lru_known)
{
    c->recent = (uint32_t)slot;
    if (lru_known || c->lru) {
        c->stamp[slot] = ++c->uses;
        return;
    }
    uint32_t set = (uint32_t)c->tag[slot] & c->set_mask;
    c->cfg.repl->on_hit(c->repl + (size_t)set * c->words_per_set, c->assoc,
                        (uint32_t)slot - set * c->assoc);
}

static inline __attribute__((always_inline)) void cache_hit(cache_t *c, int32_t slot)
{
    cache_hit_as(c, slot, false);
}

/* Whether c is what a specialised access path assumes (cache_lookup_as, hier_read_as): LRU
 * replacement and no --3c classifier. */
static inline bool cache_is_plain(const cache_t *c) { return c->lru && !c->ccc; }

/* --3c: classify a reference to addr's line of kind; call it before the cache looks the line up
 * (or changes anything), where the access is counted. */
static inline __attribute__((always_inline)) void cache_classify(cache_t *c, uint64_t addr,
                                                                 access_kind_t kind)
{
    if (c->ccc)
        ccc_reference(c->ccc, addr >> c->line_shift, kind, cache_probe(c, addr) < 0,
                      kind != ACCESS_WRITE || c->cfg.write_allocate);
}

/* --3c: a reference the caller counts as no miss whatever it finds (a write-back into a private
 * L2, which holds the line by inclusion): the shadow sees it, nothing is classified. */
static inline void cache_classify_hit(cache_t *c, uint64_t addr, access_kind_t kind)
{
    if (c->ccc)
        ccc_reference(c->ccc, addr >> c->line_shift, kind, false,
                      kind != ACCESS_WRITE || c->cfg.write_allocate);
}

/* Whether addr's line is in slot *hint (any slot will do: a slot whose tag matches holds the
 * line); then the policy's reaction to the hit. */
static inline __attribute__((always_inline)) bool cache_hit_at(cache_t *c, uint64_t addr,
                                                               const uint32_t *hint,
                                                               const bool plain_known)
{
    if (c->tag[*hint] != addr >> c->line_shift)
        return false;
    cache_hit_as(c, (int32_t)*hint, plain_known);
    return true;
}

/* cache_probe, then cache_hit when found; plain_known: the caller knows cache_is_plain(c).
 * hint: NULL, or the caller's own recent slot for a stream of its accesses, looked at instead of
 * recent (any slot will do: a slot whose tag matches holds the line) and moved on a hit found in
 * the set (a unified L1's fetches and data accesses interleave, and each stream clusters in its
 * own lines: one recent slot for both would seldom be the line). */
static inline __attribute__((always_inline)) int32_t cache_lookup_as(cache_t *c, uint64_t addr,
                                                                     const bool plain_known,
                                                                     uint32_t *hint)
{
    int32_t slot;
    if (hint) {
        if (cache_hit_at(c, addr, hint, plain_known))
            return (int32_t)*hint;
        slot = cache_probe_set(c, addr);
        if (slot >= 0)
            *hint = (uint32_t)slot;
    } else {
        slot = cache_probe(c, addr);
    }
    if (slot >= 0)
        cache_hit_as(c, slot, plain_known);
    return slot;
}

/* For an engine's own hit path (the Dinero and Cachegrind modes): whether the access [addr,
 * addr + size) lies in one line that the cache holds, looked for at *hint first (the engine's
 * recent slot), then in the set; on a hit *hint is the line's slot (moved only when the line was
 * found elsewhere). false for an access that straddles two lines or misses. The hit's reaction
 * (the LRU stamp, the counts) is the caller's. */
static inline __attribute__((always_inline)) bool cache_hit_in_line(const cache_t *c,
                                                                    uint64_t addr, uint32_t size,
                                                                    uint32_t *hint)
{
    uint64_t lineno = addr >> c->line_shift;
    if ((addr + size - 1) >> c->line_shift != lineno)
        return false;
    if (c->tag[*hint] != lineno) {
        int32_t found = cache_probe_set(c, addr);
        if (found < 0)
            return false;
        *hint = (uint32_t)found;
    }
    return true;
}

static inline __attribute__((always_inline)) int32_t cache_lookup(cache_t *c, uint64_t addr)
{
    return cache_lookup_as(c, addr, false, NULL);
}

#endif
