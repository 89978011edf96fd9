/* compat_cachegrind.c: Cachegrind's I1/D1/LL simulation (rules in compat_cachegrind.h).
 *
 * Representation: three LRU cache arrays; a line is LINE_S when valid, never dirty. The counters
 * are Cachegrind's nine. Invariant: the LL changes only on an L1 miss.
 */
#include "compat_cachegrind.h"

#include "cache_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The hit fast path of one operation (cachegrind_refs): its first-level cache and its access
 * counter; no cache for the ops that take the general path. */
typedef struct cg_entry {
    cache_t *cache;
    uint64_t *count;
} cg_entry_t;

struct cachegrind {
    cache_t *c[3]; /* l1i, l1d, llc */
    rng_t rng;     /* unused by LRU; cache_create wants one */
    cachegrind_counts_t n;
    uint64_t straddles[3];
    cg_entry_t entry[UINT8_MAX + 1]; /* by any op byte, so no range test: past OP_COUNT, none */
};
_Static_assert(sizeof ((mem_req_t *)0)->op == 1, "entry[] is indexed by any op byte");

static const char *const cg_names[3] = {"l1i", "l1d", "llc"};

cachegrind_t *cachegrind_create(const machine_config_t *cfg, char *err, size_t errlen)
{
    if (cfg->cores != 1) {
        snprintf(err, errlen, "machine.cores = %u: Cachegrind simulates one core", cfg->cores);
        return NULL;
    }
    if (cfg->l1.size || cfg->l2.size) {
        snprintf(err, errlen, "Cachegrind has I1, D1 and LL only: use [l1i], [l1d] and [llc] "
                              "(set %s.size=0)",
                 cfg->l1.size ? "l1" : "l2");
        return NULL;
    }
    const cache_config_t *in[3] = {&cfg->l1i, &cfg->l1d, &cfg->llc};
    cachegrind_t *g = calloc(1, sizeof *g);
    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    rng_seed(&g->rng, 1);
    for (int i = 0; i < 3; i++) {
        char why[200];
        if (!in[i]->size) {
            snprintf(err, errlen, "[%s] is missing: Cachegrind needs l1i, l1d and llc", cg_names[i]);
            goto fail;
        }
        if (!in[i]->repl || strcmp(in[i]->repl->name, "lru") != 0) {
            snprintf(err, errlen, "%s.repl = %s: Cachegrind simulates LRU only", cg_names[i],
                     in[i]->repl ? in[i]->repl->name : "?");
            goto fail;
        }
        if (cache_config_check(in[i], why, sizeof why) != 0) {
            snprintf(err, errlen, "[%s]: %s", cg_names[i], why);
            goto fail;
        }
        if (!(g->c[i] = cache_create(in[i], &g->rng))) {
            snprintf(err, errlen, "[%s]: out of memory", cg_names[i]);
            goto fail;
        }
    }
    g->entry[OP_IFETCH] = (cg_entry_t){g->c[0], &g->n.Ir};
    g->entry[OP_LOAD] = (cg_entry_t){g->c[1], &g->n.Dr};
    g->entry[OP_MISC] = (cg_entry_t){g->c[1], &g->n.Dr};
    g->entry[OP_STORE] = (cg_entry_t){g->c[1], &g->n.Dw};
    return g;
fail:
    cachegrind_destroy(g);
    return NULL;
}

void cachegrind_destroy(cachegrind_t *g)
{
    if (!g)
        return;
    for (int i = 0; i < 3; i++)
        cache_destroy(g->c[i]);
    free(g);
}

/* Look up every line of [addr, addr+size) in c, filling the missing ones: 1 when any missed. */
static int cg_ref(cache_t *c, uint64_t addr, uint32_t size)
{
    uint64_t line = c->cfg.line;
    uint64_t first = addr & ~(line - 1), last = (addr + size - 1) & ~(line - 1);
    int miss = 0;
    for (uint64_t a = first;; a += line) {
        if (cache_lookup(c, a) < 0) {
            miss = 1;
            cache_fill(c, cache_victim(c, a), a, LINE_S);
        }
        if (a == last)
            break;
    }
    return miss;
}

static int cg_straddles(const cache_t *c, uint64_t addr, uint32_t size)
{
    return (addr >> c->line_shift) != ((addr + size - 1) >> c->line_shift);
}

static void cg_access(cachegrind_t *g, int l1, uint64_t addr, uint32_t size, uint64_t *l1m,
                      uint64_t *llm)
{
    g->straddles[l1] += (uint64_t)cg_straddles(g->c[l1], addr, size);
    if (cg_ref(g->c[l1], addr, size)) {
        (*l1m)++;
        g->straddles[2] += (uint64_t)cg_straddles(g->c[2], addr, size);
        if (cg_ref(g->c[2], addr, size))
            (*llm)++;
    }
}

int cachegrind_ref(cachegrind_t *g, const mem_req_t *r, char *err, size_t errlen)
{
    cachegrind_counts_t *n = &g->n;
    switch ((op_t)r->op) {
    case OP_IFETCH:
        n->Ir++;
        cg_access(g, 0, r->addr, r->size, &n->I1mr, &n->ILmr);
        return 0;
    case OP_LOAD:
    case OP_MISC:
        n->Dr++;
        cg_access(g, 1, r->addr, r->size, &n->D1mr, &n->DLmr);
        return 0;
    case OP_STORE:
        if (r->flags & REQ_MODIFY)
            return 0; /* the store half of a modify: its load was the one access */
        n->Dw++;
        cg_access(g, 1, r->addr, r->size, &n->D1mw, &n->DLmw);
        return 0;
    default:
        snprintf(err, errlen, "operation '%s' has no meaning in Cachegrind (expected load, store "
                              "or ifetch)",
                 op_name((op_t)r->op));
        return -1;
    }
}

/* An access that hits within one line of its first-level cache, done as cg_access would do it
 * (the LRU hit, the count): 1, or 0 with nothing changed when the record needs the general path
 * (a miss, a straddle, the store half of a modify, another op). */
static inline int cg_hit(cachegrind_t *g, const mem_req_t *r)
{
    if (r->flags & REQ_MODIFY && r->op == OP_STORE)
        return 0;
    const cg_entry_t *e = &g->entry[r->op];
    cache_t *c = e->cache;
    if (!c)
        return 0;
    /* cache_lookup inline for an LRU cache (Cachegrind's only policy, checked at create): the
     * recent slot, then the set; recent is stored only when it moves. */
    if (!cache_hit_in_line(c, r->addr, r->size, &c->recent))
        return 0;
    uint32_t slot = c->recent;
    c->stamp[slot] = ++c->uses;
    (*e->count)++;
    return 1;
}

unsigned cachegrind_refs(cachegrind_t *g, const mem_req_t *r, unsigned n, char *err,
                         size_t errlen)
{
    for (unsigned i = 0; i < n; i++)
        if (!cg_hit(g, &r[i]) && cachegrind_ref(g, &r[i], err, errlen) != 0)
            return i;
    return n;
}

const cachegrind_counts_t *cachegrind_counts(const cachegrind_t *g) { return &g->n; }
const cache_config_t *cachegrind_cache_config(const cachegrind_t *g, unsigned i)
{
    return cache_config(g->c[i]);
}
uint64_t cachegrind_straddles(const cachegrind_t *g, unsigned i) { return g->straddles[i]; }
