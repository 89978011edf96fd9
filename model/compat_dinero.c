/* compat_dinero.c: Dinero IV's cache rules over cohsim's cache arrays (rules in compat_dinero.h).
 *
 * Representation: lvl[0..n) are the caches, first level first; lvl[i].below is the index of the
 * next level or -1 for memory. A line's state is LINE_S (clean) or LINE_S|LINE_DIRTY. Invariant:
 * no line is dirty in a write-through cache. The flush phase flag routes write-back counts to
 * writebacks_at_end.
 */
#include "compat_dinero.h"

#include "cache_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dinero_level {
    const char *name;
    cache_t *cache;
    int below;
    dinero_stats_t stats;
} dinero_level_t;

/* The hit fast path of one operation (dinero_refs): the cache it enters and its counters, the
 * state bit a hit adds (LINE_DIRTY for a write to a write-back cache), and no cache when a hit
 * is not the whole story (other ops; a write to a write-through cache also writes below). */
typedef struct dinero_entry {
    cache_t *cache;
    uint64_t *fetch; /* stats.fetch[kind] of that cache */
    uint32_t recent; /* the slot this operation last hit: looked at before the set is searched */
    uint8_t dirty;
    uint8_t kind;    /* access_kind_t */
} dinero_entry_t;

struct dinero {
    dinero_level_t lvl[DINERO_MAX_CACHES];
    unsigned n;
    int l1i, l1d;  /* where ifetches and data references enter (-1: memory) */
    int flushing;  /* inside dinero_finish */
    int32_t *by_age;      /* one set's slots, oldest first (copyback) */
    uint32_t by_age_room; /* the most ways of any level */
    dinero_entry_t entry[UINT8_MAX + 1]; /* by any op byte, so no range test: past OP_COUNT, none */
};
_Static_assert(sizeof ((mem_req_t *)0)->op == 1, "entry[] is indexed by any op byte");

static int add_level(dinero_t *d, const char *name, const cache_config_t *cfg, rng_t *rng,
                     char *err, size_t errlen)
{
    char why[200];
    if (cache_config_check(cfg, why, sizeof why) != 0) {
        snprintf(err, errlen, "[%s]: %s", name, why);
        return -1;
    }
    cache_t *c = cache_create(cfg, rng);
    if (!c) {
        snprintf(err, errlen, "[%s]: out of memory", name);
        return -1;
    }
    d->lvl[d->n].name = name;
    d->lvl[d->n].cache = c;
    d->lvl[d->n].below = -1;
    d->n++;
    if (cfg->assoc > d->by_age_room) {
        int32_t *room = realloc(d->by_age, cfg->assoc * sizeof *room);
        if (!room) {
            snprintf(err, errlen, "[%s]: out of memory", name);
            return -1;
        }
        d->by_age = room;
        d->by_age_room = cfg->assoc;
    }
    return (int)d->n - 1;
}

dinero_t *dinero_create(const machine_config_t *cfg, rng_t *rng, char *err, size_t errlen)
{
    if (cfg->cores != 1) {
        snprintf(err, errlen, "machine.cores = %u: Dinero IV simulates one core", cfg->cores);
        return NULL;
    }
    if (cfg->l1.size && (cfg->l1i.size || cfg->l1d.size)) {
        snprintf(err, errlen, "[l1] is a unified first level: it cannot be combined with [l1i] or "
                              "[l1d]");
        return NULL;
    }
    if (!cfg->l1.size && !cfg->l1d.size) {
        snprintf(err, errlen, "no first-level cache: set l1.size (unified) or l1d.size (split)");
        return NULL;
    }
    dinero_t *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    int first[2] = {-1, -1}, nfirst = 0;
    d->l1i = d->l1d = -1;
    if (cfg->l1.size) {
        if ((first[nfirst++] = add_level(d, "l1", &cfg->l1, rng, err, errlen)) < 0)
            goto fail;
        d->l1i = d->l1d = first[0];
    } else {
        if (cfg->l1i.size) {
            if ((first[nfirst++] = add_level(d, "l1i", &cfg->l1i, rng, err, errlen)) < 0)
                goto fail;
            d->l1i = first[0];
        }
        if ((first[nfirst] = add_level(d, "l1d", &cfg->l1d, rng, err, errlen)) < 0)
            goto fail;
        d->l1d = first[nfirst++];
    }
    int prev[2] = {first[0], first[1]}, nprev = nfirst;
    const struct {
        const char *name;
        const cache_config_t *c;
    } lower[] = {{"l2", &cfg->l2}, {"llc", &cfg->llc}};
    for (unsigned i = 0; i < 2; i++) {
        if (!lower[i].c->size)
            continue;
        int idx = add_level(d, lower[i].name, lower[i].c, rng, err, errlen);
        if (idx < 0)
            goto fail;
        for (int p = 0; p < nprev; p++)
            d->lvl[prev[p]].below = idx;
        if (d->l1i < 0)
            d->l1i = idx; /* no I-cache: instruction fetches enter one level down */
        prev[0] = idx;
        nprev = 1;
    }
    const struct {
        op_t op;
        int li;
        access_kind_t kind;
    } entries[] = {{OP_LOAD, d->l1d, ACCESS_READ},
                   {OP_STORE, d->l1d, ACCESS_WRITE},
                   {OP_MISC, d->l1d, ACCESS_MISC},
                   {OP_IFETCH, d->l1i, ACCESS_IFETCH}};
    for (unsigned i = 0; i < sizeof entries / sizeof entries[0]; i++) {
        if (entries[i].li < 0)
            continue;
        dinero_level_t *l = &d->lvl[entries[i].li];
        int write = entries[i].kind == ACCESS_WRITE;
        if (write && !l->cache->cfg.write_back)
            continue;
        d->entry[entries[i].op] = (dinero_entry_t){.cache = l->cache,
                                                   .fetch = &l->stats.fetch[entries[i].kind],
                                                   .dirty = write ? LINE_DIRTY : 0,
                                                   .kind = (uint8_t)entries[i].kind};
    }
    return d;
fail:
    dinero_destroy(d);
    return NULL;
}

void dinero_destroy(dinero_t *d)
{
    if (!d)
        return;
    for (unsigned i = 0; i < d->n; i++)
        cache_destroy(d->lvl[i].cache);
    free(d->by_age);
    free(d);
}

static void ref(dinero_t *d, int li, access_kind_t kind, uint64_t addr, uint64_t size);

/* Write back one dirty line of level li to the level below. */
static void write_back(dinero_t *d, int li, uint64_t line_addr)
{
    dinero_level_t *l = &d->lvl[li];
    uint32_t line = cache_config(l->cache)->line;
    if (d->flushing)
        l->stats.writebacks_at_end++;
    else
        l->stats.writebacks++;
    l->stats.bytes_to_below += line;
    if (l->below >= 0)
        ref(d, l->below, ACCESS_WRITE, line_addr, line);
}

/* One reference that lies within one line of level li. */
static void ref_line(dinero_t *d, int li, access_kind_t kind, uint64_t addr, uint64_t size)
{
    dinero_level_t *l = &d->lvl[li];
    cache_t *c = l->cache;
    const cache_config_t *cfg = &c->cfg;
    uint64_t base = addr & ~(uint64_t)(cfg->line - 1);
    int write = kind == ACCESS_WRITE;
    cache_classify(c, addr, kind);
    int32_t slot = cache_probe(c, addr);
    int miss = slot < 0;
    int wback = 0, have_victim = 0;
    uint64_t victim_addr = 0;

    if (!write || !miss || cfg->write_allocate) {
        if (!miss) {
            cache_hit(c, slot);
        } else {
            slot = cache_victim(c, addr);
            uint8_t st = cache_state(c, slot);
            if ((st & LINE_STATE_MASK) != LINE_I && (st & LINE_DIRTY)) {
                have_victim = 1;
                victim_addr = cache_slot_addr(c, slot);
            }
            cache_fill(c, slot, addr, LINE_S);
        }
        wback = write && cfg->write_back;
        if (wback)
            cache_set_state(c, slot, LINE_S | LINE_DIRTY);
    }
    l->stats.fetch[kind]++;
    if (miss)
        l->stats.miss[kind]++;

    /* Traffic below, in Dinero's order: fetch, write-through, victim write-back. */
    if (miss && (!write || (cfg->write_allocate && size != cfg->line))) {
        l->stats.bytes_from_below += cfg->line;
        if (l->below >= 0)
            ref(d, l->below, write ? ACCESS_READ : kind, base, cfg->line);
    }
    if (write && !wback) {
        l->stats.bytes_to_below += size;
        if (l->below >= 0)
            ref(d, l->below, ACCESS_WRITE, addr, size);
    }
    if (have_victim)
        write_back(d, li, victim_addr);
}

/* A reference to level li: split at line boundaries, the first part's traffic first. */
static void ref(dinero_t *d, int li, access_kind_t kind, uint64_t addr, uint64_t size)
{
    uint32_t line = d->lvl[li].cache->cfg.line;
    for (;;) {
        uint64_t room = line - (addr & (line - 1));
        if (size <= room) {
            ref_line(d, li, kind, addr, size);
            return;
        }
        d->lvl[li].stats.multiblock++;
        ref_line(d, li, kind, addr, room);
        addr += room;
        size -= room;
    }
}

/* Write back the dirty lines of level li (all of them, or only addr's when one is true), then
 * propagate to the levels below when prop is set, in Dinero's order (d4copyback). Dinero pushes
 * the write-backs on a last-in first-out list, walking sets upwards and each set's replacement
 * stack from the top, then performs them: so sets go from the highest down, and a set's lines
 * from the bottom of its stack up (least recently used first under LRU, oldest fill first under
 * FIFO, random and PLRU). The order matters below: a small lower level may hold one line and
 * not the other. */
static void copyback(dinero_t *d, int li, int one, uint64_t addr, int prop)
{
    cache_t *c = d->lvl[li].cache;
    if (one) {
        int32_t slot = cache_find(c, addr);
        if (slot >= 0 && (cache_state(c, slot) & LINE_DIRTY)) {
            cache_set_state(c, slot, LINE_S);
            write_back(d, li, cache_slot_addr(c, slot));
        }
    } else {
        for (uint32_t set = cache_sets(c); set-- > 0;) {
            uint32_t n = cache_set_by_age(c, set, d->by_age);
            for (uint32_t i = 0; i < n; i++) {
                int32_t slot = d->by_age[i];
                if (cache_state(c, slot) & LINE_DIRTY) {
                    cache_set_state(c, slot, LINE_S);
                    write_back(d, li, cache_slot_addr(c, slot));
                }
            }
        }
    }
    if (prop && d->lvl[li].below >= 0)
        copyback(d, d->lvl[li].below, one, addr, prop);
}

/* Dinero's invalidate drops lines without writing them back (its copy-back is separate). */
static void invalidate(dinero_t *d, int li, int one, uint64_t addr)
{
    cache_t *c = d->lvl[li].cache;
    if (one) {
        int32_t slot = cache_find(c, addr);
        if (slot >= 0)
            cache_set_state(c, slot, LINE_I);
    } else {
        for (uint32_t s = 0; s < cache_slots(c); s++)
            cache_set_state(c, (int32_t)s, LINE_I);
    }
    if (d->lvl[li].below >= 0)
        invalidate(d, d->lvl[li].below, one, addr);
}

int dinero_ref(dinero_t *d, const mem_req_t *r, char *err, size_t errlen)
{
    switch ((op_t)r->op) {
    case OP_LOAD:
        ref(d, d->l1d, ACCESS_READ, r->addr, r->size);
        return 0;
    case OP_STORE:
        ref(d, d->l1d, ACCESS_WRITE, r->addr, r->size);
        return 0;
    case OP_MISC:
        ref(d, d->l1d, ACCESS_MISC, r->addr, r->size);
        return 0;
    case OP_IFETCH:
        if (d->l1i >= 0)
            ref(d, d->l1i, ACCESS_IFETCH, r->addr, r->size);
        return 0;
    case OP_COPYBACK:
        /* Dinero's driver hands a copy-back to the data cache alone (an instruction cache is
         * never dirty), which propagates it down; size 0 means the whole cache, else the one
         * line at the address (din gives every record size 4). */
        copyback(d, d->l1d, r->size != 0, r->addr, 1);
        return 0;
    case OP_INVALIDATE:
        /* ... and an invalidate to the instruction cache, then to the data cache: each
         * propagates it down, and a level reached twice finds nothing more to do. */
        if (d->l1i >= 0)
            invalidate(d, d->l1i, r->size != 0, r->addr);
        if (d->l1d != d->l1i)
            invalidate(d, d->l1d, r->size != 0, r->addr);
        return 0;
    default:
        snprintf(err, errlen, "operation '%s' has no meaning in Dinero IV (expected load, store, "
                              "ifetch, misc, copyback or invalidate)",
                 op_name((op_t)r->op));
        return -1;
    }
}

/* A reference that hits within one line of the cache it enters, done as ref_line would do it
 * (the policy's hit, the dirty bit of a write-back write, the count): 1, or 0 with nothing
 * changed when the record needs the general path (a miss, a line crossing, another op). */
static inline int dinero_hit(dinero_t *d, const mem_req_t *r)
{
    dinero_entry_t *e = &d->entry[r->op];
    cache_t *c = e->cache;
    if (!c || ((r->addr ^ (r->addr + r->size - 1)) >> c->line_shift) != 0)
        return 0;
    /* Each operation's own last slot first (in a unified cache, fetches and data references
     * interleave, and the cache's one recent slot seldom holds the line): a slot whose tag
     * matches holds the line (cache_priv.h), so this is only a shortcut. */
    int32_t slot = (int32_t)e->recent;
    if (c->tag[slot] != r->addr >> c->line_shift) {
        slot = cache_probe(c, r->addr);
        if (slot < 0)
            return 0;
        e->recent = (uint32_t)slot;
    }
    /* The line's state and the count before the classifier (--3c), which keeps a shadow of its
     * own and sees neither: its call would otherwise make them reload the entry. */
    c->state[slot] |= e->dirty; /* a valid line is LINE_S, dirty or not */
    (*e->fetch)++;
    cache_classify_hit(c, r->addr, (access_kind_t)e->kind);
    cache_hit(c, slot);
    return 1;
}

/* dinero_hit for caches that are all plain (LRU, no --3c classifier: cache_is_plain): the LRU
 * stamp written directly, no classifier to call, and the cache's own recent slot neither looked
 * at nor kept (the operation's slot stands in for it; recent is a shortcut only, cache_priv.h). */
static inline int dinero_hit_plain(dinero_t *d, const mem_req_t *r)
{
    dinero_entry_t *e = &d->entry[r->op];
    cache_t *c = e->cache;
    if (!c)
        return 0;
    if (!cache_hit_in_line(c, r->addr, r->size, &e->recent))
        return 0;
    uint32_t slot = e->recent;
    c->state[slot] |= e->dirty; /* a valid line is LINE_S, dirty or not */
    (*e->fetch)++;
    c->stamp[slot] = ++c->uses;
    return 1;
}

/* Whether every cache is plain (cache_is_plain), so that dinero_hit_plain may stand in for
 * dinero_hit. */
static bool dinero_all_plain(const dinero_t *d)
{
    for (unsigned i = 0; i < d->n; i++)
        if (!cache_is_plain(d->lvl[i].cache))
            return false;
    return true;
}

unsigned dinero_refs(dinero_t *d, const mem_req_t *r, unsigned n, char *err, size_t errlen)
{
    if (dinero_all_plain(d)) {
        for (unsigned i = 0; i < n; i++)
            if (!dinero_hit_plain(d, &r[i]) && dinero_ref(d, &r[i], err, errlen) != 0)
                return i;
        return n;
    }
    for (unsigned i = 0; i < n; i++)
        if (!dinero_hit(d, &r[i]) && dinero_ref(d, &r[i], err, errlen) != 0)
            return i;
    return n;
}

void dinero_finish(dinero_t *d)
{
    d->flushing = 1;
    for (unsigned i = 0; i < d->n; i++)
        copyback(d, (int)i, 0, 0, 0);
    d->flushing = 0;
}

unsigned dinero_ncaches(const dinero_t *d) { return d->n; }
const char *dinero_cache_name(const dinero_t *d, unsigned i) { return d->lvl[i].name; }
const cache_config_t *dinero_cache_config(const dinero_t *d, unsigned i)
{
    return cache_config(d->lvl[i].cache);
}
const dinero_stats_t *dinero_cache_stats(const dinero_t *d, unsigned i) { return &d->lvl[i].stats; }

int dinero_enable_3c(dinero_t *d, char *err, size_t errlen)
{
    for (unsigned i = 0; i < d->n; i++)
        if (!d->lvl[i].cache->lru) {
            snprintf(err, errlen, "%s: --3c needs repl=lru here (Dinero's fully associative "
                                  "shadow uses the cache's own policy; cohsim's is LRU)",
                     d->lvl[i].name);
            return -1;
        }
    for (unsigned i = 0; i < d->n; i++)
        if (cache_enable_3c(d->lvl[i].cache) != 0) {
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return 0;
}

const ccc_stats_t *dinero_cache_3c(const dinero_t *d, unsigned i)
{
    return cache_3c(d->lvl[i].cache);
}
