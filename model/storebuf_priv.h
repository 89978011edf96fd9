/* storebuf_priv.h: the store buffer's representation, for its owner inside model/ (the machine
 * embeds one per core) and tests; everyone else uses storebuf.h.
 *
 * Representation: a ring of cap entries; the k-th oldest entry (k < count) is at
 * ring[(head + k) mod cap]. Invariants: count <= cap; head < cap when cap > 0; busy_until never
 * decreases; head_ready is ring[head].retired + drain_latency while count > 0, else UINT64_MAX
 * (so that the event loop reads when the oldest store may drain, max(head_ready, busy_until), with
 * neither a test of count nor a look at the ring). The inline functions here are the per-store
 * fast path of the machine's quick issue.
 */
#ifndef COHSIM_STOREBUF_PRIV_H
#define COHSIM_STOREBUF_PRIV_H

#include "storebuf.h"

struct sb {
    sb_entry_t *ring;
    uint32_t cap, head, count;
    uint32_t drain_latency;
    uint64_t busy_until; /* when the last drain completes; the next may not start before */
    uint64_t head_ready; /* when the oldest entry may drain but for busy_until (UINT64_MAX: none) */
    sb_stats_t stats;
};

/* An embedded buffer: sb_create's work on storage the owner provides. 0, or -1 out of memory. */
int sb_init(sb_t *sb, uint32_t capacity, uint32_t drain_latency) __attribute__((warn_unused_result));
/* Free what sb_init allocated (a zeroed sb too). */
void sb_fini(sb_t *sb);

/* The ring slot of the k-th oldest entry (k < cap): no division, which costs more than the
 * whole of a buffered store. */
static inline uint32_t sb_slot(const sb_t *sb, uint32_t k)
{
    uint32_t i = sb->head + k;
    return i >= sb->cap ? i - sb->cap : i;
}

/* sb_push's body, inline for the machine's quick path. */
static inline void sb_append(sb_t *sb, uint64_t addr, uint32_t size, uint64_t value, uint64_t at)
{
    sb->ring[sb_slot(sb, sb->count)] = (sb_entry_t){addr, value, at, size};
    if (sb->count == 0)
        sb->head_ready = at + sb->drain_latency;
    sb->count++;
    sb->stats.stores++;
    if (sb->count > sb->stats.max_occupancy)
        sb->stats.max_occupancy = sb->count;
}

/* sb_drain_time's body, inline for the event loop (asked per event of a core with stores): when
 * the oldest entry may drain; UINT64_MAX when the buffer is empty. */
static inline uint64_t sb_ready_at(const sb_t *sb)
{
    uint64_t ready = sb->head_ready;
    return ready > sb->busy_until ? ready : sb->busy_until;
}

/* sb_drain_done's body, inline for the event loop; busy_until is no earlier than the drain's
 * start, itself no earlier than sb_ready_at, so busy_until never decreases. */
static inline void sb_retire_oldest(sb_t *sb, uint64_t busy_until)
{
    sb->head = sb_slot(sb, 1);
    sb->count--;
    /* the new oldest entry's, read without a branch (the ring always holds cap entries) */
    uint64_t none = (uint64_t)0 - (sb->count == 0);
    sb->head_ready = (sb->ring[sb->head].retired + sb->drain_latency) | none;
    sb->stats.drained++;
    sb->busy_until = busy_until;
}

/* sb_overlaps's body, inline for the quick path's loads. */
static inline bool sb_touches(const sb_t *sb, uint64_t addr, unsigned size)
{
    for (uint32_t k = 0; k < sb->count; k++) {
        const sb_entry_t *e = &sb->ring[sb_slot(sb, k)];
        /* unsigned differences: no end is computed, so a range at the top cannot wrap */
        if (e->addr - addr < size || addr - e->addr < e->size)
            return true;
    }
    return false;
}

#endif
