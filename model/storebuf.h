/* storebuf.h: one core's store buffer, a FIFO of retired stores with their values, usable alone
 * (a test bench, the RTL lockstep's harness) or inside the machine.
 *
 * Invariants the buffer keeps:
 * - it holds at most its capacity of entries (capacity 0: a buffer that never holds one);
 * - entries leave in the order they entered (sb_drain_next names the oldest; sb_drain_done
 *   removes it), so each core's stores reach the coherent hierarchy in program order;
 * - a load sees, for each of its bytes, the youngest buffered store that wrote that byte
 *   (sb_forward), else what the hierarchy holds;
 * - a drain may not start before the previous one finished (sb_drain_time).
 * The buffer moves values and times only: what a drain does to caches and memory is its owner's.
 */
#ifndef COHSIM_STOREBUF_H
#define COHSIM_STOREBUF_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sb sb_t;

/* One buffered store. */
typedef struct sb_entry {
    uint64_t addr;    /* physical */
    uint64_t value;   /* little-endian: byte i of the store is bits 8i..8i+7 (sizes above 8 store
                       * zeros beyond the eighth byte) */
    uint64_t retired; /* the cycle the store entered the buffer */
    uint32_t size;    /* 1..SB_MAX_SIZE */
} sb_entry_t;

/* The widest store an entry holds (one line of the widest supported size). */
#define SB_MAX_SIZE 64u

/* Statistics of one store buffer: X(field, JSON key, table heading, table width) rows, which the
 * struct, the statistics table and the JSON (sim/report.c) all expand. */
#define SB_STAT_ROWS(X)                                \
    X(stores, "stores", "sb.store", 8)                 \
    X(forwarded, "forwarded", "forwarded", 9)          \
    X(drained, "drained", "drained", 8)                \
    X(full_stalls, "full_stalls", "full", 6)           \
    X(max_occupancy, "max_occupancy", "max", 4)
typedef struct sb_stats {
#define SB_STAT_FIELD(field, key, heading, width) uint64_t field;
    SB_STAT_ROWS(SB_STAT_FIELD)
#undef SB_STAT_FIELD
} sb_stats_t;

/* A buffer of capacity entries whose drains each take at least drain_latency cycles after the
 * store retired; NULL when memory runs out. */
sb_t *sb_create(uint32_t capacity, uint32_t drain_latency);
void sb_destroy(sb_t *sb);

uint32_t sb_capacity(const sb_t *sb);
uint32_t sb_occupancy(const sb_t *sb);
bool sb_is_full(const sb_t *sb);

/* Retire a store into the buffer at cycle at. The buffer must not be full. */
void sb_push(sb_t *sb, uint64_t addr, uint32_t size, uint64_t value, uint64_t at);

/* The oldest entry, the next to drain (NULL when empty), and the earliest cycle its drain may
 * start: drain_latency after it retired, and not before the previous drain finished. */
const sb_entry_t *sb_drain_next(const sb_t *sb);
uint64_t sb_drain_time(const sb_t *sb);
/* The oldest entry has been performed; the buffer is busy until cycle busy_until (the next
 * drain starts no earlier). */
void sb_drain_done(sb_t *sb, uint64_t busy_until);
/* The cycle the last drain finishes. */
uint64_t sb_busy_until(const sb_t *sb);

/* Forwarding: overlay on bytes[0..size) (what the hierarchy holds for [addr, addr+size)) each
 * byte's youngest buffered value; bytes may be NULL to ask only how many are covered. Returns how
 * many of the size bytes the buffer supplied. Changes nothing. */
unsigned sb_forward(const sb_t *sb, uint64_t addr, unsigned size, uint8_t *bytes);
/* Whether any buffered store touches [addr, addr+size). */
bool sb_overlaps(const sb_t *sb, uint64_t addr, unsigned size);
/* A load by the buffer's core: sb_forward, counted as forwarded when the buffer supplied every
 * byte. */
unsigned sb_load(sb_t *sb, uint64_t addr, unsigned size, uint8_t *bytes);
/* The sb-reorder fault (model/faults.h): move the youngest entry to the head, where the next drain
 * takes it, keeping the others in their order; this breaks the buffer's first invariant on
 * purpose. */
void sb_youngest_first(sb_t *sb);
/* A store waited because the buffer was full. */
void sb_note_full_stall(sb_t *sb);

const sb_stats_t *sb_stats(const sb_t *sb);

#endif
