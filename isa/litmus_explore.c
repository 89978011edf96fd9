/* litmus_explore.c: the series of runs of one litmus test (see litmus_explore.h).
 *
 * Representation: a candidate is one run's full choice (every thread's variation and the jitter
 * bound); the pool keeps the LITMUS_POOL candidates closest to the condition's target so far,
 * with their closeness and the threads their failed atoms name. Invariant: the pool only grows
 * or replaces its least close entry, so its best closeness never decreases.
 */
#include "isa/litmus_explore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/litmus_sim.h"
#include "model/rng.h"

#define LITMUS_POOL 64
#define LITMUS_SCALES 4 /* skews and pauses at skew, skew/2, skew/4 or skew/8 */

typedef struct candidate {
    litmus_state_t state; /* the final state it reached */
    uint64_t seen;        /* runs that reached that state (projected) */
    litmus_variation_t var[LITMUS_MAX_THREADS];
    uint32_t jitter;
    uint64_t seed;  /* the machine's sim.seed: a mutation keeps its parent's jitter draws */
    double close;   /* 0..1: share of the target's atoms that held */
    uint32_t blame; /* bit i: thread i is named by an atom that failed */
} candidate_t;

typedef struct explorer {
    const litmus_test_t *t;
    const litmus_explore_opts_t *o;
    rng_t rng;
    uint64_t loop; /* cycles per pause iteration */
    candidate_t *pool;
    unsigned npool;
} explorer_t;

uint64_t litmus_default_runs(unsigned nthreads)
{
    uint64_t runs = 500;
    for (unsigned n = 2; n < nthreads && runs < 62500; n++)
        runs *= 5;
    return runs;
}

uint32_t litmus_default_skew(const machine_config_t *cfg)
{
    uint64_t s = 4 * litmus_miss_cycles(cfg);
    return s > LITMUS_MAX_SKEW ? LITMUS_MAX_SKEW : (uint32_t)s;
}

/* How close node n of the condition is to evaluating to want in s: *held of its *atoms atoms
 * hold as needed (an or, or an and that must fail, counts its better side). Failed atoms add
 * their thread (a location atom: every thread) to *blame. */
static void closeness(const litmus_test_t *t, int n, const litmus_state_t *s, bool want,
                      unsigned *held, unsigned *atoms, uint32_t *blame)
{
    const litmus_node_t *nd = &t->cond[n];
    switch (nd->kind) {
    case LITMUS_ATOM_REG:
    case LITMUS_ATOM_LOC: {
        bool holds = nd->kind == LITMUS_ATOM_REG ? s->reg[nd->thread][nd->reg] == nd->value
                                                 : s->loc[nd->loc] == nd->value;
        *atoms += 1;
        if (holds == want)
            *held += 1;
        else
            *blame |= nd->kind == LITMUS_ATOM_REG ? 1u << nd->thread : (1u << t->nthreads) - 1;
        return;
    }
    case LITMUS_AND:
    case LITMUS_OR: {
        unsigned ha = 0, na = 0, hb = 0, nb = 0;
        closeness(t, nd->a, s, want, &ha, &na, blame);
        closeness(t, nd->b, s, want, &hb, &nb, blame);
        if ((nd->kind == LITMUS_AND) == want) { /* both sides are needed */
            *held += ha + hb;
            *atoms += na + nb;
        } else if ((double)ha * nb >= (double)hb * na) { /* either will do: the better one */
            *held += ha;
            *atoms += na;
        } else {
            *held += hb;
            *atoms += nb;
        }
        return;
    }
    case LITMUS_NOT:
        closeness(t, nd->a, s, !want, held, atoms, blame);
        return;
    case LITMUS_TRUE:
        *atoms += 1;
        *held += want;
        return;
    }
}

static uint32_t draw_pause(explorer_t *x, uint32_t scale)
{
    uint64_t it = rng_below(&x->rng, scale + 1) / x->loop;
    return it > LITMUS_MAX_PAUSE ? LITMUS_MAX_PAUSE : (uint32_t)it;
}

static unsigned draw_prestores(explorer_t *x)
{
    return rng_below(&x->rng, 2) ? 1 + rng_below(&x->rng, 4) : 0;
}

/* A fresh candidate: every parameter drawn anew, the skews and pauses at one of three scales. */
static void fresh(explorer_t *x, candidate_t *c)
{
    const litmus_test_t *t = x->t;
    memset(c, 0, sizeof *c);
    uint32_t scale = x->o->skew >> rng_below(&x->rng, LITMUS_SCALES);
    bool pauses = rng_below(&x->rng, 2);
    for (unsigned th = 0; th < t->nthreads; th++) {
        litmus_variation_t *v = &c->var[th];
        if (x->o->vary_cache && rng_below(&x->rng, 2)) { /* a busy thread */
            for (unsigned i = 0; i < t->nlocs; i++)
                if (rng_below(&x->rng, 4) == 0)
                    v->preload |= 1u << i;
            v->prestores = 1 + rng_below(&x->rng, 4);
        }
        v->skew = scale ? rng_below(&x->rng, scale + 1) : 0;
        for (unsigned k = 1; k < t->ninsns[th] && scale && pauses; k++)
            if (rng_below(&x->rng, 4) == 0)
                v->pause[k] = draw_pause(x, scale);
    }
    c->jitter = x->o->jitter && rng_below(&x->rng, 2) ? rng_below(&x->rng, x->o->jitter + 1) : 0;
}

/* The pool entry to mutate: of two picked at random, the closer to the target, else the one
 * whose state was seen less often. */
static const candidate_t *pick(explorer_t *x)
{
    const candidate_t *a = &x->pool[rng_below(&x->rng, x->npool)];
    const candidate_t *b = &x->pool[rng_below(&x->rng, x->npool)];
    if (a->close != b->close)
        return a->close > b->close ? a : b;
    return a->seen <= b->seen ? a : b;
}

/* A mutation of a pool entry: one or two parameters of one thread, a thread that a failed atom
 * names half the time. */
static void mutate(explorer_t *x, candidate_t *c)
{
    const litmus_test_t *t = x->t;
    *c = *pick(x);
    unsigned changes = 1 + rng_below(&x->rng, 2);
    for (unsigned n = 0; n < changes; n++) {
        unsigned th = rng_below(&x->rng, t->nthreads);
        if (c->blame && rng_below(&x->rng, 2)) {
            unsigned k = rng_below(&x->rng, (unsigned)__builtin_popcount(c->blame));
            for (th = 0; th < t->nthreads; th++)
                if ((c->blame >> th & 1) && k-- == 0)
                    break;
        }
        litmus_variation_t *v = &c->var[th];
        uint32_t skew = x->o->skew;
        unsigned op = rng_below(&x->rng, x->o->vary_cache ? 6 : 4);
        switch (op) {
        case 0:
            v->skew = rng_below(&x->rng, (skew >> rng_below(&x->rng, LITMUS_SCALES)) + 1);
            break;
        case 1:
        case 3: { /* a nudge: up to a 16th (or a 64th) of the largest skew either way */
            int64_t d = (int64_t)rng_below(&x->rng, (skew >> (op == 1 ? 4 : 6)) + 1);
            int64_t s = (int64_t)v->skew + (rng_below(&x->rng, 2) ? d : -d);
            v->skew = s < 0 ? 0 : s > (int64_t)LITMUS_MAX_SKEW ? LITMUS_MAX_SKEW : (uint32_t)s;
            break;
        }
        case 2:
            if (t->ninsns[th] > 1) {
                unsigned k = 1 + rng_below(&x->rng, t->ninsns[th] - 1);
                v->pause[k] = rng_below(&x->rng, 2) ? draw_pause(x, skew) : 0;
            }
            break;
        case 4:
            v->prestores = draw_prestores(x);
            break;
        default:
            if (t->nlocs)
                v->preload ^= 1u << rng_below(&x->rng, t->nlocs);
            break;
        }
    }
}

static bool same_state(const litmus_test_t *t, const litmus_state_t *a, const litmus_state_t *b)
{
    for (unsigned i = 0; i < t->nobserved; i++) {
        const litmus_observed_t *ob = &t->observed[i];
        if (ob->is_loc ? a->loc[ob->loc] != b->loc[ob->loc]
                       : a->reg[ob->thread][ob->reg] != b->reg[ob->thread][ob->reg])
            return false;
    }
    return true;
}

/* The pool holds one candidate per final state reached (the first run that reached it), up to
 * LITMUS_POOL states. */
static void keep(explorer_t *x, const candidate_t *c)
{
    for (unsigned i = 0; i < x->npool; i++)
        if (same_state(x->t, &x->pool[i].state, &c->state)) {
            x->pool[i].seen++;
            return;
        }
    if (x->npool < LITMUS_POOL) {
        x->pool[x->npool] = *c;
        x->pool[x->npool++].seen = 1;
    }
}

int litmus_explore(const litmus_test_t *t, const machine_config_t *cfg,
                   const litmus_explore_opts_t *o, litmus_run_fn fn, void *ctx, char *err,
                   size_t errlen)
{
    explorer_t x = {t, o, {0}, litmus_loop_cycles(cfg), NULL, 0};
    rng_seed(&x.rng, o->seed);
    x.pool = calloc(LITMUS_POOL, sizeof *x.pool);
    candidate_t *c = malloc(sizeof *c);
    if (!x.pool || !c) {
        snprintf(err, errlen, "out of memory");
        free(x.pool);
        free(c);
        return -1;
    }
    /* forall tests are about the runs where the proposition fails */
    bool want = t->quant != LITMUS_FORALL, reached = false;
    machine_config_t mc = *cfg;
    int rc = 0;
    for (uint64_t r = 0; r < o->runs && rc == 0; r++) {
        bool guided = o->guided && !reached && t->ncond && x.npool && rng_below(&x.rng, 2);
        if (guided) {
            mutate(&x, c);
        } else {
            fresh(&x, c);
            c->seed = o->seed + r;
        }
        mc.jitter = c->jitter;
        mc.seed = c->seed;
        litmus_state_t s;
        obs_fn observe = r == o->observed_run ? o->observe : NULL;
        if (r == o->observed_run && o->observed_var)
            memcpy(o->observed_var, c->var, sizeof c->var);
        if (litmus_run_observed(t, &mc, c->var, observe, o->observe_opaque, &s, err, errlen) != 0) {
            rc = -1;
            break;
        }
        if (t->ncond) {
            unsigned held = 0, atoms = 0;
            c->blame = 0;
            closeness(t, t->cond_root, &s, want, &held, &atoms, &c->blame);
            c->close = atoms ? (double)held / atoms : 1;
            c->state = s;
            reached = reached || held == atoms;
            if (c->jitter == 0)
                keep(&x, c);
        }
        rc = fn(ctx, &s);
    }
    free(x.pool);
    free(c);
    return rc;
}
