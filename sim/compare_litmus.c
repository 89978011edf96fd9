/* compare_litmus.c: one litmus test's final states on the model and on the host (compare.h).
 *
 * The model's side is the exploration `cohsim litmus` runs (isa/litmus_explore.h), the host's is
 * host_litmus_run's histogram; both are reduced to the set of states projected on what the
 * condition names, as herd prints them, sorted. Invariant: each list holds distinct states.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/litmus_explore.h"
#include "sim/compare.h"

#define CMP_STATE_TEXT 512

typedef struct state_set {
    const litmus_test_t *t;
    char **s;
    size_t n, cap;
    bool oom;
} state_set_t;

static int set_add(state_set_t *set, const litmus_state_t *st)
{
    char text[CMP_STATE_TEXT];
    litmus_state_format(set->t, st, text, sizeof text);
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->s[i], text) == 0)
            return 0;
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        char **ns = realloc(set->s, cap * sizeof *ns);
        if (!ns) {
            set->oom = true;
            return 1;
        }
        set->s = ns;
        set->cap = cap;
    }
    if (!(set->s[set->n] = strdup(text))) {
        set->oom = true;
        return 1;
    }
    set->n++;
    return 0;
}

static int on_run(void *ctx, const litmus_state_t *s) { return set_add(ctx, s); }

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void cmp_litmus_free(cmp_litmus_t *r)
{
    for (size_t i = 0; i < r->nmodel; i++)
        free(r->model[i]);
    for (size_t i = 0; i < r->nhost; i++)
        free(r->host[i]);
    free(r->model);
    free(r->host);
    r->model = r->host = NULL;
    r->nmodel = r->nhost = 0;
}

int cmp_litmus_states(const litmus_test_t *t, const machine_config_t *cfg, uint64_t runs,
                      uint64_t seed, const host_litmus_result_t *hr, cmp_litmus_t *r, char *err,
                      size_t errlen)
{
    snprintf(r->test, sizeof r->test, "%s", t->name);
    state_set_t ms = {t, NULL, 0, 0, false}, hs = {t, NULL, 0, 0, false};
    litmus_explore_opts_t o = {.runs = runs, .seed = seed, .jitter = 24,
                               .skew = litmus_default_skew(cfg), .vary_cache = true, .guided = true};
    int rc = litmus_explore(t, cfg, &o, on_run, &ms, err, errlen);
    if (rc == 0 && hr && hr->status == HOST_OK)
        for (unsigned i = 0; i < hr->nstates && !hs.oom; i++)
            set_add(&hs, &hr->states[i].state);
    r->model = ms.s, r->nmodel = ms.n;
    r->host = hs.s, r->nhost = hs.n;
    r->model_runs = runs;
    r->host_ran = hr && hr->status == HOST_OK;
    r->host_iterations = r->host_ran ? hr->pos + hr->neg : 0;
    if (!r->host_ran)
        snprintf(r->host_note, sizeof r->host_note, "%s", hr ? hr->note : "not run");
    if (rc != 0 || ms.oom || hs.oom) {
        if (rc == 0)
            snprintf(err, errlen, "out of memory");
        cmp_litmus_free(r);
        return -1;
    }
    qsort(r->model, r->nmodel, sizeof *r->model, cmp_text);
    qsort(r->host, r->nhost, sizeof *r->host, cmp_text);
    r->subset = r->host_ran;
    for (size_t i = 0; i < r->nhost && r->subset; i++)
        r->subset = bsearch(&r->host[i], r->model, r->nmodel, sizeof *r->model, cmp_text) != NULL;
    return 0;
}
