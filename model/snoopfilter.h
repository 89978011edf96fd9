/* snoopfilter.h: the snoop filter: for each line some core's coherent private caches hold, the
 * set of those cores (agents), so that a bus transaction visits only them instead of every core
 * (bus.h's seam). The hierarchy tells it every time an agent gains or loses a line (hier_lines.h);
 * check mode compares it with the caches (hierarchy.c's hier_check_line and hier_check_all).
 *
 * Representation: open addressing with linear probing over cap = 2^bits slots; a slot holds a
 * line address and its agents (bit i: core i), or is empty (line SF_EMPTY, which no line address
 * is: line addresses are multiples of the line size). A line's home slot is the top bits of its
 * line number times 2^64/phi (Fibonacci hashing). Removing an entry moves the later entries of
 * its run back (no tombstones), so a lookup ends at the first empty slot.
 * Invariants: used <= cap / 2 (the table doubles before it would pass that), and used <= max_used
 * when that is set; no entry has an
 * empty agent set; a line has at most one entry, found from its home slot without crossing an
 * empty slot; a line's agents are exactly the cores that hold it, and its owner the one that
 * holds it in E, M or O, if any (kept by the hierarchy), so that a read need visit only the
 * owner when the protocol's S does nothing on a read (bus.h).
 * The table holds at most the lines the private caches hold, so its size follows what the
 * caches hold, not their capacity.
 */
#ifndef COHSIM_SNOOPFILTER_H
#define COHSIM_SNOOPFILTER_H

#include <stdbool.h>
#include <stdint.h>

#define SF_EMPTY UINT64_MAX

typedef struct sf_entry {
    uint64_t line;
    uint64_t agents;
} sf_entry_t;

/* owner[i] for an empty slot or a line no agent owns. */
#define SF_NO_OWNER 0xFF

typedef struct sfilter {
    sf_entry_t *slot;
    uint8_t *owner; /* owner[i]: the agent holding slot i's line in E, M or O, or SF_NO_OWNER */
    uint64_t cap_mask; /* cap - 1 */
    unsigned shift;    /* 64 - bits: the home slot is the top bits of the hash */
    unsigned line_shift;
    uint64_t used;
    /* Insertion takes the slow path (grow, or fail) once used reaches room: cap / 2, or max_used
     * when that is smaller. */
    uint64_t room;
    uint64_t max_used; /* the most entries the table may hold (0: as many as memory allows) */
} sfilter_t;

/* An empty filter for lines of 2^line_shift bytes; 0, or -1 when out of memory. */
int sf_init(sfilter_t *f, unsigned line_shift);
void sf_fini(sfilter_t *f);
/* Hold at most max_used entries (0: no limit): an insertion past them fails as when memory runs
 * out, so that the fallback can be tested. */
void sf_limit(sfilter_t *f, uint64_t max_used);
/* The bytes of a filter holding up to `lines` lines at its largest, counting the old table beside
 * the new while it doubles. */
uint64_t sf_bytes_for(uint64_t lines);

static inline uint64_t sf_home(const sfilter_t *f, uint64_t line)
{
    return ((line >> f->line_shift) * 0x9E3779B97F4A7C15ull) >> f->shift;
}

/* The slot of line's entry, or -1. */
static inline int64_t sf_find(const sfilter_t *f, uint64_t line)
{
    for (uint64_t i = sf_home(f, line);; i = (i + 1) & f->cap_mask) {
        const sf_entry_t *e = &f->slot[i];
        if (e->line == line)
            return (int64_t)i;
        if (e->line == SF_EMPTY)
            return -1;
    }
}

/* The agents holding line (0: none). */
static inline uint64_t sf_agents(const sfilter_t *f, uint64_t line)
{
    int64_t i = sf_find(f, line);
    return i < 0 ? 0 : f->slot[i].agents;
}

/* The agent holding line in E, M or O (a protocol has at most one), or SF_NO_OWNER. */
static inline unsigned sf_owner(const sfilter_t *f, uint64_t line)
{
    int64_t i = sf_find(f, line);
    return i < 0 ? SF_NO_OWNER : f->owner[i];
}

/* The agents holding line (0: none) and, in *owner, the one that owns it (sf_owner), from one
 * search. */
static inline uint64_t sf_agents_owner(const sfilter_t *f, uint64_t line, unsigned *owner)
{
    int64_t i = sf_find(f, line);
    *owner = i < 0 ? SF_NO_OWNER : f->owner[i];
    return i < 0 ? 0 : f->slot[i].agents;
}

/* Agent, which holds line, now owns it (owns) or holds it in S (it owns it no longer, if it
 * did). */
static inline void sf_note_owner(sfilter_t *f, uint64_t line, unsigned agent, bool owns)
{
    int64_t i = sf_find(f, line);
    if (i < 0)
        return;
    if (owns)
        f->owner[i] = (uint8_t)agent;
    else if (f->owner[i] == agent)
        f->owner[i] = SF_NO_OWNER;
}

/* sf_add for a line without an entry, whose run ends at empty slot i: the slot the entry took
 * (another, when the table grew), or -1 when the table could not grow. */
int64_t sf_insert(sfilter_t *f, uint64_t line, unsigned agent, uint64_t i);

/* Agent gains line, and owns it when owns (what sf_note_owner would then do, without a second
 * search: most lines a core gains alone it owns, in E or M): true, or false when the table
 * could not grow (out of memory; the filter is then unchanged, and no longer complete: its owner
 * must stop using it). */
static inline bool sf_add_as(sfilter_t *f, uint64_t line, unsigned agent, bool owns)
{
    for (uint64_t i = sf_home(f, line);; i = (i + 1) & f->cap_mask) {
        sf_entry_t *e = &f->slot[i];
        if (e->line == line) {
            e->agents |= 1ull << agent;
        } else if (e->line == SF_EMPTY) {
            int64_t j = sf_insert(f, line, agent, i);
            if (j < 0)
                return false;
            i = (uint64_t)j;
        } else {
            continue;
        }
        if (owns)
            f->owner[i] = (uint8_t)agent;
        return true;
    }
}

/* Agent gains line (sf_add_as, not owning it). */
static inline bool sf_add(sfilter_t *f, uint64_t line, unsigned agent)
{
    return sf_add_as(f, line, agent, false);
}

/* Agent no longer holds line, nor owns it (nothing when it was not named). */
void sf_remove(sfilter_t *f, uint64_t line, unsigned agent);

/* The i-th slot's entry (i < cap), for check mode's walk over every entry: its line, or
 * SF_EMPTY. */
static inline uint64_t sf_cap(const sfilter_t *f) { return f->cap_mask + 1; }
static inline const sf_entry_t *sf_slot(const sfilter_t *f, uint64_t i) { return &f->slot[i]; }

#endif
