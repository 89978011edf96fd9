/* reuse.c: Mattson's LRU stack distances over a Fenwick tree (see reuse.h).
 *
 * Representation: every line's latest reference has a time stamp; bit[] is a Fenwick tree over
 * stamps 1..cap holding 1 at each line's latest stamp, so the distinct lines referenced between
 * two stamps are a range sum. map holds line + 1 -> stamp (open addressing, at most half full).
 * When the next stamp would pass cap, the live stamps are renumbered 1..distinct in order and the
 * tree rebuilt with room for as many again. hist[d] counts references of distance d.
 */
#include "sim/reuse.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim/hash.h"

typedef struct reuse_slot {
    uint64_t key; /* line + 1; 0 empty */
    uint64_t stamp;
} reuse_slot_t;

struct reuse {
    uint64_t line;
    unsigned shift;
    uint32_t *bit;     /* Fenwick tree, 1-based, cap entries */
    uint64_t cap, now; /* now: the next stamp */
    reuse_slot_t *map;
    uint64_t map_cap, distinct;
    uint64_t *hist;
    uint64_t hist_cap;
    uint64_t refs, cold;
    uint64_t *order;   /* renumbering scratch: slot index + 1 by stamp */
};

reuse_t *reuse_create(uint64_t line)
{
    reuse_t *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->line = line;
    while ((1ull << r->shift) < line)
        r->shift++;
    r->cap = 1024;
    r->now = 1;
    r->bit = calloc(r->cap + 1, sizeof *r->bit);
    r->map_cap = 1024;
    r->map = calloc(r->map_cap, sizeof *r->map);
    if (!r->bit || !r->map) {
        reuse_destroy(r);
        return NULL;
    }
    return r;
}

void reuse_destroy(reuse_t *r)
{
    if (!r)
        return;
    free(r->bit);
    free(r->map);
    free(r->hist);
    free(r->order);
    free(r);
}

static void bit_add(reuse_t *r, uint64_t i, int32_t v)
{
    for (; i <= r->cap; i += i & (~i + 1))
        r->bit[i] = (uint32_t)((int64_t)r->bit[i] + v);
}

static uint64_t bit_sum(const reuse_t *r, uint64_t i)
{
    uint64_t s = 0;
    for (; i > 0; i -= i & (~i + 1))
        s += r->bit[i];
    return s;
}

/* The slot of key, or the empty slot where it would go. */
static reuse_slot_t *map_slot(reuse_t *r, uint64_t key)
{
    uint64_t j = sim_hash(key) & (r->map_cap - 1);
    while (r->map[j].key && r->map[j].key != key)
        j = (j + 1) & (r->map_cap - 1);
    return &r->map[j];
}

static int map_grow(reuse_t *r)
{
    reuse_slot_t *old = r->map;
    uint64_t old_cap = r->map_cap;
    r->map = calloc(old_cap * 2, sizeof *r->map);
    if (!r->map) {
        r->map = old;
        return -1;
    }
    r->map_cap = old_cap * 2;
    for (uint64_t i = 0; i < old_cap; i++)
        if (old[i].key)
            *map_slot(r, old[i].key) = old[i];
    free(old);
    return 0;
}

/* Renumber the live stamps 1..distinct in their order and rebuild the tree with room for as many
 * references again. */
static int renumber(reuse_t *r)
{
    uint64_t cap = 1024;
    while (cap < 2 * (r->distinct + 1))
        cap *= 2;
    uint64_t *order = calloc(r->cap + 1, sizeof *order);
    uint32_t *bit = calloc(cap + 1, sizeof *bit);
    if (!order || !bit) {
        free(order);
        free(bit);
        return -1;
    }
    for (uint64_t i = 0; i < r->map_cap; i++)
        if (r->map[i].key)
            order[r->map[i].stamp] = i + 1;
    uint64_t next = 1;
    for (uint64_t s = 1; s <= r->cap; s++)
        if (order[s])
            r->map[order[s] - 1].stamp = next++;
    free(order);
    free(r->bit);
    r->bit = bit;
    r->cap = cap;
    /* every stamp 1..distinct is live: build the tree of ones in linear time (each node passes
     * its sum to its parent, zeros above the live stamps too) */
    for (uint64_t i = 1; i <= cap; i++) {
        r->bit[i] += i < next;
        uint64_t up = i + (i & (~i + 1));
        if (up <= cap)
            r->bit[up] += r->bit[i];
    }
    r->now = next;
    return 0;
}

static int count_distance(reuse_t *r, uint64_t d)
{
    if (d >= r->hist_cap) {
        uint64_t cap = r->hist_cap ? r->hist_cap : 1024;
        while (cap <= d)
            cap *= 2;
        uint64_t *h = realloc(r->hist, cap * sizeof *h);
        if (!h)
            return -1;
        memset(h + r->hist_cap, 0, (cap - r->hist_cap) * sizeof *h);
        r->hist = h;
        r->hist_cap = cap;
    }
    r->hist[d]++;
    return 0;
}

static int reference(reuse_t *r, uint64_t lineno)
{
    if (r->now > r->cap && renumber(r) != 0)
        return -1;
    if (2 * (r->distinct + 1) > r->map_cap && map_grow(r) != 0)
        return -1;
    reuse_slot_t *s = map_slot(r, lineno + 1);
    r->refs++;
    if (s->key) {
        uint64_t d = bit_sum(r, r->now - 1) - bit_sum(r, s->stamp);
        assert(d < r->distinct); /* the other lines referenced since, at most all but this one */
        if (count_distance(r, d) != 0)
            return -1;
        bit_add(r, s->stamp, -1);
    } else {
        s->key = lineno + 1;
        r->distinct++;
        r->cold++;
    }
    s->stamp = r->now++;
    bit_add(r, s->stamp, 1);
    return 0;
}

int reuse_access(reuse_t *r, uint64_t addr, uint64_t size)
{
    uint64_t last = (addr + (size ? size - 1 : 0)) >> r->shift;
    for (uint64_t l = addr >> r->shift; l <= last; l++)
        if (reference(r, l) != 0)
            return -1;
    return 0;
}

uint64_t reuse_line(const reuse_t *r) { return r->line; }
uint64_t reuse_refs(const reuse_t *r) { return r->refs; }
uint64_t reuse_cold(const reuse_t *r) { return r->cold; }
uint64_t reuse_distinct(const reuse_t *r) { return r->distinct; }
uint64_t reuse_at(const reuse_t *r, uint64_t d) { return d < r->hist_cap ? r->hist[d] : 0; }

uint64_t reuse_misses(const reuse_t *r, uint64_t lines)
{
    uint64_t m = r->cold;
    for (uint64_t d = lines; d < r->hist_cap; d++)
        m += r->hist[d];
    return m;
}
