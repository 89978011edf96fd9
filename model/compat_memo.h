/* compat_memo.h: the last line one access stream found in a cache, so that the compat engines'
 * hit paths (compat_dinero.c, compat_cachegrind.c) skip the way search when a reference falls in
 * the same line as the stream's previous one (about three references in four of the reference
 * traces: instruction fetches run through a line, data walks through it).
 *
 * Representation: the line number and the slot it was found in. Invariant kept by checking, not
 * by being told: the memo is only a guess; a slot is trusted only while it still holds that line
 * (valid, same tag), and since a line lives in at most one slot, that slot is the one
 * cache_probe would return. Nothing needs to be invalidated when the cache changes.
 */
#ifndef COHSIM_COMPAT_MEMO_H
#define COHSIM_COMPAT_MEMO_H

#include <stdint.h>

#include "cache_priv.h"

typedef struct compat_memo {
    uint64_t line; /* addr >> line_shift; UINT64_MAX (no line number) when empty */
    int32_t slot;
} compat_memo_t;

#define COMPAT_MEMO_EMPTY ((compat_memo_t){UINT64_MAX, 0})

/* cache_probe(c, addr), looking at the memo's slot first; the memo follows what is found. */
static inline int32_t compat_memo_probe(const cache_t *c, compat_memo_t *m, uint64_t addr)
{
    uint64_t line = addr >> c->line_shift;
    if (line == m->line && c->tag[m->slot] == line &&
        (c->state[m->slot] & LINE_STATE_MASK) != LINE_I)
        return m->slot;
    int32_t slot = cache_probe(c, addr);
    if (slot >= 0) {
        m->line = line;
        m->slot = slot;
    }
    return slot;
}

#endif
