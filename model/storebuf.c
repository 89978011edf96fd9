/* storebuf.c: a core's store buffer: the ring, pushing, draining in order, and forwarding from
 * the youngest matching entry. Representation and invariants: storebuf_priv.h, storebuf.h. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "storebuf_priv.h"

int sb_init(sb_t *sb, uint32_t capacity, uint32_t drain_latency)
{
    memset(sb, 0, sizeof *sb);
    sb->cap = capacity;
    sb->drain_latency = drain_latency;
    sb->head_ready = UINT64_MAX;
    if (capacity && !(sb->ring = calloc(capacity, sizeof *sb->ring)))
        return -1;
    return 0;
}

void sb_fini(sb_t *sb)
{
    free(sb->ring);
    sb->ring = NULL;
}

sb_t *sb_create(uint32_t capacity, uint32_t drain_latency)
{
    sb_t *sb = malloc(sizeof *sb);
    if (sb && sb_init(sb, capacity, drain_latency) != 0) {
        free(sb);
        return NULL;
    }
    return sb;
}

void sb_destroy(sb_t *sb)
{
    if (!sb)
        return;
    sb_fini(sb);
    free(sb);
}

uint32_t sb_capacity(const sb_t *sb) { return sb->cap; }
uint32_t sb_occupancy(const sb_t *sb) { return sb->count; }
bool sb_is_full(const sb_t *sb) { return sb->count == sb->cap; }

void sb_push(sb_t *sb, uint64_t addr, uint32_t size, uint64_t value, uint64_t at)
{
    assert(sb->count < sb->cap && size >= 1 && size <= SB_MAX_SIZE);
    sb_append(sb, addr, size, value, at);
}

const sb_entry_t *sb_drain_next(const sb_t *sb) { return sb->count ? &sb->ring[sb->head] : NULL; }

uint64_t sb_drain_time(const sb_t *sb)
{
    assert(sb->count > 0);
    return sb_ready_at(sb);
}

void sb_drain_done(sb_t *sb, uint64_t busy_until)
{
    assert(sb->count > 0 && busy_until >= sb->busy_until);
    sb_retire_oldest(sb, busy_until);
}

uint64_t sb_busy_until(const sb_t *sb) { return sb->busy_until; }

bool sb_overlaps(const sb_t *sb, uint64_t addr, unsigned size) { return sb_touches(sb, addr, size); }

unsigned sb_forward(const sb_t *sb, uint64_t addr, unsigned size, uint8_t *bytes)
{
    assert(size <= SB_MAX_SIZE);
    if (!sb_touches(sb, addr, size))
        return 0;
    /* Youngest first: a byte takes the first entry that covers it. */
    bool covered[SB_MAX_SIZE] = {false};
    unsigned n = 0;
    for (uint32_t k = sb->count; k-- > 0 && n < size;) {
        const sb_entry_t *e = &sb->ring[sb_slot(sb, k)];
        if (e->addr - addr >= size && addr - e->addr >= e->size)
            continue; /* no overlap (unsigned differences, as in sb_touches: no end can wrap) */
        for (unsigned i = 0; i < e->size; i++) {
            uint64_t a = e->addr + i;
            if (a - addr >= size || covered[a - addr])
                continue;
            covered[a - addr] = true;
            n++;
            if (bytes)
                bytes[a - addr] = i < 8 ? (uint8_t)(e->value >> (8 * i)) : 0;
        }
    }
    return n;
}

unsigned sb_load(sb_t *sb, uint64_t addr, unsigned size, uint8_t *bytes)
{
    unsigned n = sb_forward(sb, addr, size, bytes);
    if (n == size)
        sb->stats.forwarded++;
    return n;
}

void sb_youngest_first(sb_t *sb)
{
    if (sb->count < 2)
        return;
    sb_entry_t youngest = sb->ring[sb_slot(sb, sb->count - 1)];
    for (uint32_t k = sb->count - 1; k > 0; k--)
        sb->ring[sb_slot(sb, k)] = sb->ring[sb_slot(sb, k - 1)];
    sb->ring[sb->head] = youngest;
    sb->head_ready = youngest.retired + sb->drain_latency;
}

void sb_note_full_stall(sb_t *sb) { sb->stats.full_stalls++; }

const sb_stats_t *sb_stats(const sb_t *sb) { return &sb->stats; }
