/* snoopfilter.c: the snoop filter's table: growth, insertion and removal (snoopfilter.h says
 * what it represents and its invariants). */
#include "snoopfilter.h"

#include <stdlib.h>
#include <string.h>

#define SF_FIRST_BITS 10

static sf_entry_t *empty_slots(uint64_t cap)
{
    sf_entry_t *s = malloc(cap * sizeof *s);
    if (s)
        for (uint64_t i = 0; i < cap; i++)
            s[i] = (sf_entry_t){SF_EMPTY, 0};
    return s;
}

static uint8_t *no_owners(uint64_t cap)
{
    uint8_t *o = malloc(cap);
    if (o)
        memset(o, SF_NO_OWNER, cap);
    return o;
}

int sf_init(sfilter_t *f, unsigned line_shift)
{
    *f = (sfilter_t){.cap_mask = (1ull << SF_FIRST_BITS) - 1, .shift = 64 - SF_FIRST_BITS,
                     .line_shift = line_shift, .room = (1ull << SF_FIRST_BITS) / 2};
    f->slot = empty_slots(1ull << SF_FIRST_BITS);
    f->owner = no_owners(1ull << SF_FIRST_BITS);
    if (f->slot && f->owner)
        return 0;
    sf_fini(f);
    return -1;
}

void sf_fini(sfilter_t *f)
{
    free(f->slot);
    free(f->owner);
    f->slot = NULL;
    f->owner = NULL;
}

void sf_limit(sfilter_t *f, uint64_t max_used)
{
    f->max_used = max_used;
    f->room = max_used && max_used < sf_cap(f) / 2 ? max_used : sf_cap(f) / 2;
}

uint64_t sf_bytes_for(uint64_t lines)
{
    uint64_t cap = 1ull << SF_FIRST_BITS;
    while (cap / 2 < lines)
        cap *= 2;
    uint64_t slot = sizeof(sf_entry_t) + 1; /* the entry and its owner byte */
    return cap * slot + (cap > 1ull << SF_FIRST_BITS ? cap / 2 * slot : 0);
}

/* Double the table, placing every entry again. */
static __attribute__((noinline)) bool grow(sfilter_t *f)
{
    uint64_t cap = sf_cap(f);
    sf_entry_t *old = f->slot, *s = empty_slots(2 * cap);
    uint8_t *old_owner = f->owner, *o = s ? no_owners(2 * cap) : NULL;
    if (!o) {
        free(s);
        return false;
    }
    f->slot = s;
    f->owner = o;
    f->cap_mask = 2 * cap - 1;
    f->shift--;
    for (uint64_t i = 0; i < cap; i++) {
        if (old[i].line == SF_EMPTY)
            continue;
        uint64_t j = sf_home(f, old[i].line);
        while (s[j].line != SF_EMPTY)
            j = (j + 1) & f->cap_mask;
        s[j] = old[i];
        o[j] = old_owner[i];
    }
    free(old);
    free(old_owner);
    return true;
}

int64_t sf_insert(sfilter_t *f, uint64_t line, unsigned agent, uint64_t i)
{
    if (__builtin_expect(f->used >= f->room, 0)) {
        if ((f->max_used && f->used >= f->max_used) || !grow(f))
            return -1;
        sf_limit(f, f->max_used);
        for (i = sf_home(f, line); f->slot[i].line != SF_EMPTY; i = (i + 1) & f->cap_mask)
            ;
    }
    f->slot[i] = (sf_entry_t){line, 1ull << agent};
    f->owner[i] = SF_NO_OWNER;
    f->used++;
    return (int64_t)i;
}

void sf_remove(sfilter_t *f, uint64_t line, unsigned agent)
{
    uint64_t i = sf_home(f, line);
    for (;; i = (i + 1) & f->cap_mask) {
        if (f->slot[i].line == line)
            break;
        if (f->slot[i].line == SF_EMPTY)
            return;
    }
    if (f->owner[i] == agent)
        f->owner[i] = SF_NO_OWNER;
    if ((f->slot[i].agents &= ~(1ull << agent)) != 0)
        return;
    /* The entry goes: move back every later entry of the run whose home does not lie cyclically
     * in (i, j], so that each stays reachable from its home without crossing an empty slot. */
    f->used--;
    for (uint64_t j = (i + 1) & f->cap_mask;; j = (j + 1) & f->cap_mask) {
        sf_entry_t *e = &f->slot[j];
        if (e->line == SF_EMPTY)
            break;
        uint64_t h = sf_home(f, e->line);
        bool stays = i <= j ? (i < h && h <= j) : (i < h || h <= j);
        if (stays)
            continue;
        f->slot[i] = *e;
        f->owner[i] = f->owner[j];
        i = j;
    }
    f->slot[i] = (sf_entry_t){SF_EMPTY, 0};
    f->owner[i] = SF_NO_OWNER;
}
