/* cache.c: a set-associative array of tags and state bytes with pluggable replacement.
 * The representation and its invariants are in cache_priv.h, with the per-access fast path.
 */
#include "cache_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* LRU is the cache's own: each slot's stamp is the use counter at its last fill or hit, and the
 * victim is the smallest stamp of the set (cache_priv.h). Through repl_ops it would keep a rank
 * per way and age every more recent way on each hit: measured with callgrind on 10^6 references,
 * 35-40% more instructions per reference on the dinero rows and 18% on x86-4 (bench.sh's
 * inputs), for the policy nearly every configuration uses. So its ops table carries only its
 * name, for the registry; the other policies are called through their ops. */
const repl_ops_t repl_lru = {.name = "lru"};

const char *cache_access_kind_name(access_kind_t kind)
{
#define ACCESS_KIND_TEXT(name, text) [ACCESS_##name] = text,
    static const char *const names[ACCESS_KINDS] = {ACCESS_KIND_ROWS(ACCESS_KIND_TEXT)};
#undef ACCESS_KIND_TEXT
    return (unsigned)kind < ACCESS_KINDS ? names[kind] : "?";
}

static int is_pow2(uint64_t x) { return x && !(x & (x - 1)); }

static uint32_t log2_u64(uint64_t x)
{
    uint32_t n = 0;
    while (x > 1) {
        x >>= 1;
        n++;
    }
    return n;
}

int cache_config_check(const cache_config_t *cfg, char *err, size_t errlen)
{
    if (!is_pow2(cfg->line) || cfg->line < 4 || cfg->line > 4096) {
        snprintf(err, errlen, "line size %u is not a power of two from 4 to 4096", cfg->line);
        return -1;
    }
    if (cfg->assoc == 0 || cfg->assoc > 4096) {
        snprintf(err, errlen, "associativity %u is not from 1 to 4096", cfg->assoc);
        return -1;
    }
    uint64_t set_bytes = (uint64_t)cfg->assoc * cfg->line;
    if (cfg->size == 0 || cfg->size % set_bytes != 0) {
        snprintf(err, errlen, "size %llu is not a nonzero multiple of assoc x line (%llu bytes)",
                 (unsigned long long)cfg->size, (unsigned long long)set_bytes);
        return -1;
    }
    uint64_t sets = cfg->size / set_bytes;
    if (!is_pow2(sets) || sets > (1u << 26)) {
        snprintf(err, errlen, "size / (assoc x line) = %llu sets is not a power of two (at most 2^26)",
                 (unsigned long long)sets);
        return -1;
    }
    if (!cfg->repl) {
        snprintf(err, errlen, "no replacement policy");
        return -1;
    }
    if (cfg->repl->needs_pow2_assoc && !is_pow2(cfg->assoc)) {
        snprintf(err, errlen, "replacement %s needs a power-of-two associativity, not %u",
                 cfg->repl->name, cfg->assoc);
        return -1;
    }
    return 0;
}

uint64_t cache_bytes(const cache_config_t *cfg)
{
    uint64_t sets = cfg->size / ((uint64_t)cfg->assoc * cfg->line), slots = sets * cfg->assoc;
    uint64_t per_slot = sizeof(uint64_t) + 1 + (cfg->keeps_data ? cfg->line : 0);
    uint64_t policy = cfg->repl == &repl_lru
                          ? slots * sizeof(uint64_t)
                          : sets * (cfg->assoc + cfg->repl->extra_words) * sizeof(uint32_t);
    return sizeof(cache_t) + slots * per_slot + policy;
}

cache_t *cache_create(const cache_config_t *cfg, rng_t *rng)
{
    char err[160];
    if (cache_config_check(cfg, err, sizeof err) != 0)
        return NULL;
    /* On a host cache line, where cache_priv.h's order of the fields counts */
    cache_t *c = aligned_alloc(64, (sizeof *c + 63) / 64 * 64);
    if (!c)
        return NULL;
    memset(c, 0, sizeof *c);
    c->cfg = *cfg;
    c->hit_latency = cfg->latency;
    c->sets = (uint32_t)(cfg->size / ((uint64_t)cfg->assoc * cfg->line));
    c->set_mask = c->sets - 1;
    c->line_shift = log2_u64(cfg->line);
    c->assoc = cfg->assoc;
    c->words_per_set = cfg->assoc + cfg->repl->extra_words;
    c->lru = cfg->repl == &repl_lru;
    c->rng = rng;
    size_t slots = (size_t)c->sets * cfg->assoc;
    c->tag = calloc(slots, sizeof *c->tag);
    c->state = calloc(slots, 1);
    c->stamp = calloc(slots, sizeof *c->stamp);
    if (!c->lru)
        c->repl = calloc((size_t)c->sets * c->words_per_set, sizeof *c->repl);
    if (cfg->keeps_data)
        c->data = calloc(slots, cfg->line);
    if (!c->tag || !c->state || !c->stamp || !(c->lru || c->repl) ||
        (cfg->keeps_data && !c->data)) {
        cache_destroy(c);
        return NULL;
    }
    for (size_t s = 0; s < slots; s++)
        c->tag[s] = CACHE_NO_TAG;
    for (uint32_t s = 0; !c->lru && s < c->sets; s++)
        cfg->repl->init(c->repl + (size_t)s * c->words_per_set, cfg->assoc);
    return c;
}

void cache_destroy(cache_t *c)
{
    if (!c)
        return;
    free(c->tag);
    free(c->state);
    free(c->stamp);
    free(c->repl);
    free(c->data);
    ccc_destroy(c->ccc);
    free(c);
}

const cache_config_t *cache_config(const cache_t *c) { return &c->cfg; }
uint32_t cache_sets(const cache_t *c) { return c->sets; }
uint32_t cache_slots(const cache_t *c) { return c->sets * c->cfg.assoc; }

uint64_t cache_line_base(const cache_t *c, uint64_t addr)
{
    return addr & ~(uint64_t)(c->cfg.line - 1);
}

int32_t cache_find(const cache_t *c, uint64_t addr) { return cache_probe(c, addr); }
void cache_touch(cache_t *c, int32_t slot) { cache_hit(c, slot); }

/* The first of the ways with the least stamp (unrolled whole for a constant ways). */
static inline __attribute__((always_inline)) uint32_t least_stamp(const uint64_t *stamp,
                                                                  uint32_t ways)
{
    uint64_t least = stamp[0];
    uint32_t oldest = 0;
    /* Without a branch (conditional moves): which way is oldest is the data's, so a branch on
     * it was mispredicted about once a victim. */
#pragma GCC unroll 16
    for (uint32_t w = 1; w < ways; w++) {
        uint64_t s = stamp[w];
        bool older = s < least;
        least = older ? s : least;
        oldest = older ? w : oldest;
    }
    return oldest;
}

int32_t cache_victim(cache_t *c, uint64_t addr)
{
    uint32_t set = (uint32_t)(addr >> c->line_shift) & c->set_mask;
    uint32_t base = set * c->assoc;
    if (c->lru) {
        /* The first invalid way (stamp 0), else the least recently used. */
        const uint64_t *stamp = c->stamp + base;
        switch (c->assoc) {
        case 8:
            return (int32_t)(base + least_stamp(stamp, 8));
        case 16:
            return (int32_t)(base + least_stamp(stamp, 16));
        default:
            return (int32_t)(base + least_stamp(stamp, c->assoc));
        }
    }
    for (uint32_t w = 0; w < c->assoc; w++)
        if ((c->state[base + w] & LINE_STATE_MASK) == LINE_I)
            return (int32_t)(base + w);
    return (int32_t)(base + c->cfg.repl->victim(c->repl + (size_t)set * c->words_per_set, c->assoc,
                                                c->rng));
}

void cache_fill(cache_t *c, int32_t slot, uint64_t addr, uint8_t state)
{
    c->tag[slot] = addr >> c->line_shift;
    c->state[slot] = state;
    c->recent = (uint32_t)slot;
    c->stamp[slot] = ++c->uses;
    if (c->lru)
        return;
    uint32_t set = (uint32_t)c->tag[slot] & c->set_mask;
    c->cfg.repl->on_fill(c->repl + (size_t)set * c->words_per_set, c->assoc,
                         (uint32_t)slot - set * c->assoc);
}

uint8_t cache_state(const cache_t *c, int32_t slot) { return c->state[slot]; }
void cache_set_state(cache_t *c, int32_t slot, uint8_t state)
{
    c->state[slot] = state;
    if ((state & LINE_STATE_MASK) == LINE_I) {
        c->tag[slot] = CACHE_NO_TAG;
        c->stamp[slot] = 0;
    }
}

uint32_t cache_set_by_age(const cache_t *c, uint32_t set, int32_t *slots)
{
    uint32_t base = set * c->assoc, n = 0;
    for (uint32_t w = 0; w < c->assoc; w++) {
        uint32_t s = base + w;
        if ((c->state[s] & LINE_STATE_MASK) == LINE_I)
            continue;
        uint32_t i = n++; /* insertion by stamp: valid slots' stamps differ */
        while (i > 0 && c->stamp[slots[i - 1]] > c->stamp[s]) {
            slots[i] = slots[i - 1];
            i--;
        }
        slots[i] = (int32_t)s;
    }
    return n;
}

uint64_t cache_slot_addr(const cache_t *c, int32_t slot) { return c->tag[slot] << c->line_shift; }

uint8_t *cache_data(cache_t *c, int32_t slot)
{
    return c->data ? c->data + (size_t)slot * c->cfg.line : NULL;
}

uint64_t cache_valid_lines(const cache_t *c)
{
    uint64_t n = 0;
    for (uint32_t s = 0; s < cache_slots(c); s++)
        n += (c->state[s] & LINE_STATE_MASK) != LINE_I;
    return n;
}

uint64_t cache_dirty_lines(const cache_t *c)
{
    uint64_t n = 0;
    for (uint32_t s = 0; s < cache_slots(c); s++)
        n += (c->state[s] & LINE_STATE_MASK) != LINE_I && (c->state[s] & LINE_DIRTY);
    return n;
}

cache_stats_t *cache_stats(cache_t *c) { return &c->stats; }
const cache_stats_t *cache_stats_const(const cache_t *c) { return &c->stats; }

int cache_enable_3c(cache_t *c)
{
    if (!c->ccc)
        c->ccc = ccc_create(cache_slots(c));
    return c->ccc ? 0 : -1;
}

const ccc_stats_t *cache_3c(const cache_t *c) { return c->ccc ? ccc_stats(c->ccc) : NULL; }
bool cache_3c_failed(const cache_t *c) { return c->ccc && ccc_failed(c->ccc); }

void cache_reset_stats(cache_t *c)
{
    memset(&c->stats, 0, sizeof c->stats);
    if (c->ccc)
        ccc_reset_stats(c->ccc);
}
