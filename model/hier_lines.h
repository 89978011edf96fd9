/* hier_lines.h: changing lines of the machine's caches, and the accessors of their arrays, for
 * the files that implement the hierarchy (hierarchy.c: accesses and the bus; hier_access.h: the
 * inline L1 hits; maintenance.c: the primitives' cache maintenance), which touch cache_t's fields
 * only through these.
 * Every state change, fill, eviction and write-back goes through these, which report it to an
 * attached observer (observe.h); the cache array's representation is cache_priv.h's.
 *
 * Representation: coherence state lives in the private caches' line states (machine_priv.h).
 * A core's agent state for a line is its L2's state when it has an L2 (inclusive of the L1D and of
 * a snooping L1I); without one, its L1D's state, or S when only its snooping L1I holds the line.
 * LINE_DIRTY marks a private copy newer than the level below, which is what write-backs count.
 */
#ifndef COHSIM_HIER_LINES_H
#define COHSIM_HIER_LINES_H

#include <assert.h>

#include "cache_priv.h"
#include "machine_priv.h"

static inline uint32_t latency(const cache_t *c) { return c->hit_latency; }
static inline const cache_config_t *cfg_of(const cache_t *c) { return &c->cfg; }
static inline uint8_t state_of(const cache_t *c, int32_t slot) { return c->state[slot] & LINE_STATE_MASK; }
/* cache.h's accessors, inline on the access paths (the representation is cache_priv.h's).
 * set_state_byte is for valid states only: an invalid slot must also lose its tag and stamp
 * (cache_priv.h's invariants), which cache_set_state does. */
static inline uint8_t state_byte(const cache_t *c, int32_t slot) { return c->state[slot]; }
static inline void set_state_byte(cache_t *c, int32_t slot, uint8_t st)
{
    assert((st & LINE_STATE_MASK) != LINE_I);
    c->state[slot] = st;
}
static inline uint64_t slot_addr(const cache_t *c, int32_t slot) { return c->tag[slot] << c->line_shift; }
static inline cache_stats_t *stats_of(cache_t *c) { return &c->stats; }
static inline bool writable(uint8_t st) { return st == LINE_E || st == LINE_M; }
static inline bool owned_dirty(uint8_t st) { return st == LINE_M || st == LINE_O; }

/* Whether c's I-cache takes part in coherence (sees stores): the configured machine.icache_snoop,
 * unless the icache-no-snoop fault is on. */
static inline bool snooping_l1i(const machine_t *m, const core_t *c)
{
    return c->l1i && m->l1i_snoops;
}

/* ---- observed changes of lines: every state change, fill, eviction and write-back goes
 * through these, which report it when an observer is attached (machine_priv.h's OBSERVE). The
 * cycle reported is m->obs_now, the start of the access or operation that caused it. ---- */

static inline obs_level_t level_of(const machine_t *m, const core_t *c, const cache_t *k)
{
    if (k == m->llc)
        return OBS_LEVEL_LLC;
    if (k == c->l1i)
        return OBS_LEVEL_L1I;
    return k == c->l2 ? OBS_LEVEL_L2 : OBS_LEVEL_L1D;
}

/* The record of a change to line in core c's cache k (c NULL: the LLC), for the observer.
 * Cold and out of line (hierarchy.c), so that the helpers below stay small enough to inline
 * into the access paths. */
__attribute__((cold)) void hier_observe_line(machine_t *m, obs_kind_t kind, const core_t *c,
                                             const cache_t *k, uint64_t line, uint8_t old,
                                             uint8_t st, obs_reason_t why);

#define OBSERVE_LINE(m, ...)                                                                       \
    do {                                                                                           \
        if (__builtin_expect((m)->obs != NULL, 0))                                                 \
            hier_observe_line((m), __VA_ARGS__);                                                        \
    } while (0)

/* ---- the snoop filter (bus.h, snoopfilter.h): told of every line an agent gains or loses,
 * through fill_line and drop_line, while the bus is filtering ---- */

/* Whether a change in cache k of core c (NULL: the LLC) can change c's agent state. */
static inline bool filter_follows(const machine_t *m, const core_t *c, const cache_t *k)
{
    return m->bus.filtering && c && (k == c->coherent[0] || k == c->coherent[1]);
}

/* hierarchy.c: core c's coherent cache k has gained line in state st (gained) or no longer
 * holds it. Out of line, so that fill_line and drop_line stay small enough to inline into the
 * access paths. */
void hier_filter_note(machine_t *m, core_t *c, const cache_t *k, uint64_t line, bool gained,
                      uint8_t st);

/* hierarchy.c: core c, which holds line, now owns it (owns) or no longer does. Out of line
 * for the same reason as hier_filter_note. */
void hier_filter_owner(machine_t *m, core_t *c, uint64_t line, bool owns);

/* Whether an agent in state st owns the line (the one the filter names as its owner). */
static inline bool owning(uint8_t st)
{
    st &= LINE_STATE_MASK;
    return st == LINE_E || st == LINE_M || st == LINE_O;
}

/* Drop the line in slot of cache k (core c's, or the LLC's with c NULL): a state change to I. */
static inline void drop_line(machine_t *m, core_t *c, cache_t *k, int32_t slot, obs_reason_t why)
{
    uint64_t line = slot_addr(k, slot);
    OBSERVE_LINE(m, why == OBS_REASON_EVICTION ? OBS_EVICT : OBS_STATE, c, k, line,
                 state_of(k, slot), LINE_I, why);
    cache_set_state(k, slot, LINE_I);
    if (filter_follows(m, c, k))
        hier_filter_note(m, c, k, line, false, LINE_I);
}

/* Install line in slot of k in state st; a victim there has been dealt with (dropped, or
 * written back and noted as evicted, and is replaced here). */
static inline void fill_line(machine_t *m, core_t *c, cache_t *k, int32_t slot, uint64_t line,
                             uint8_t st, obs_reason_t why)
{
    if (filter_follows(m, c, k)) {
        if (state_of(k, slot) != LINE_I) {
            uint64_t victim = slot_addr(k, slot);
            cache_fill(k, slot, line, st);
            hier_filter_note(m, c, k, victim, false, LINE_I);
        } else {
            cache_fill(k, slot, line, st);
        }
        hier_filter_note(m, c, k, line, true, st);
    } else {
        cache_fill(k, slot, line, st);
    }
    OBSERVE_LINE(m, OBS_FILL, c, k, line, LINE_I, st, why);
}

/* A valid victim in slot of k is being replaced (without being dropped first). */
static inline void note_eviction(machine_t *m, core_t *c, cache_t *k, int32_t slot)
{
    OBSERVE_LINE(m, OBS_EVICT, c, k, slot_addr(k, slot), state_of(k, slot), LINE_I,
                 OBS_REASON_EVICTION);
}

/* Line's dirty data leaves cache k (counted in k's statistics). */
static inline void note_writeback(machine_t *m, core_t *c, cache_t *k, uint64_t line,
                                  obs_reason_t why)
{
    stats_of(k)->writebacks++;
    OBSERVE_LINE(m, OBS_WRITEBACK, c, k, line, LINE_I, LINE_I, why);
}

/* Coherence state st for the line in slot s of core c's cache k. A dirty mark survives only in
 * the states that own dirty data. */
static inline void set_coherence(machine_t *m, core_t *c, cache_t *k, int32_t s, uint8_t st,
                          obs_reason_t why)
{
    uint8_t old = state_of(k, s);
    set_state_byte(k, s, owned_dirty(st) ? (uint8_t)(st | (state_byte(k, s) & LINE_DIRTY)) : st);
    if (old != st) {
        OBSERVE_LINE(m, OBS_STATE, c, k, slot_addr(k, s), old, st, why);
        /* The agent's state is its first coherent cache's (hier_lines.h's head). */
        if (m->bus.owners && k == c->coherent[0] && owning(old) != owning(st))
            hier_filter_owner(m, c, slot_addr(k, s), owning(st));
    }
}

/* Give line state st in every private D-side cache of c that holds it. s2 is the line's slot in
 * c's L2 when the caller has just found it there (-1: look it up), which saves a probe on the
 * miss and snoop paths. */
static inline void agent_set_state(machine_t *m, core_t *c, uint64_t line, int32_t s2, uint8_t st,
                            obs_reason_t why)
{
    int32_t s1 = cache_probe(c->l1d, line);
    if (s1 >= 0)
        set_coherence(m, c, c->l1d, s1, st, why);
    if (c->l2 && (s2 >= 0 || (s2 = cache_probe(c->l2, line)) >= 0))
        set_coherence(m, c, c->l2, s2, st, why);
}

/* Remove line from c's private caches (its snooping I-cache too); s2 as for agent_set_state.
 * Mostly another core's caches (snoops, back-invalidation): probed without their recent slot. */
static inline __attribute__((always_inline)) void agent_invalidate(machine_t *m, core_t *c,
                                                                 uint64_t line, int32_t s2,
                                                                 obs_reason_t why)
{
    int32_t s1 = cache_probe_set(c->l1d, line);
    if (s1 >= 0)
        drop_line(m, c, c->l1d, s1, why);
    if (c->l2 && (s2 >= 0 || (s2 = cache_probe_set(c->l2, line)) >= 0))
        drop_line(m, c, c->l2, s2, why);
    if (snooping_l1i(m, c) && (s1 = cache_probe_set(c->l1i, line)) >= 0)
        drop_line(m, c, c->l1i, s1, why);
}

/* The outermost private cache of c: where its write-backs to the shared level are counted. */
/* The state a dirty copy in st (M or O) takes once written back, its agent keeping it: a
 * modified copy is the only one (E, or S in a protocol without E), an owned one is shared. */
static inline uint8_t cleaned_state(const machine_t *m, uint8_t st)
{
    return st == LINE_M ? m->cfg.protocol->clean_sole : LINE_S;
}

static inline cache_t *outer_private(core_t *c) { return c->l2 ? c->l2 : c->l1d; }

/* hierarchy.c: line in slot s of c's L1D becomes dirty (pou_in_l1d): keep the bytes the level
 * below holds, which an instruction fetch will read until the line is cleaned. Cold: a line is
 * dirtied once per write-back. */
__attribute__((cold)) void hier_pou_capture(machine_t *m, core_t *c, int32_t s, uint64_t line);

/* Mark line in slot s of c's L1D dirty (a write into it), first keeping its bytes at the point
 * of unification when the machine keeps them and the line was clean. */
static inline void l1d_mark_dirty(machine_t *m, core_t *c, int32_t s, uint64_t line)
{
    uint8_t b = state_byte(c->l1d, s);
    if (!(b & LINE_DIRTY) && m->pou_in_l1d)
        hier_pou_capture(m, c, s, line);
    set_state_byte(c->l1d, s, b | LINE_DIRTY);
}

/* hierarchy.c: write the dirty line of core `from` back to the shared level (why: the cause);
 * a write into the shared level, allocating in the LLC (memory takes it without one). */
void hier_writeback_to_shared(machine_t *m, core_t *from, uint64_t line, uint64_t now,
                              obs_reason_t why);
uint64_t hier_llc_write(machine_t *m, uint64_t line, uint64_t now, obs_reason_t why);

#endif
