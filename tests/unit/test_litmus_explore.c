/* test_litmus_explore.c: start skews in cycles (machine_set_core_clock), the litmus machine's cut
 * caches, the default runs, and the exploration: deterministic per seed, never a forbidden
 * outcome, the rare outcomes it is tuned for reached. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "isa/litmus.h"
#include "isa/litmus_explore.h"
#include "isa/litmus_sim.h"
#include "sim/config.h"

#define FIX "tests/fixtures/litmus/"

static machine_config_t x86_4(void)
{
    char err[256];
    config_t *c = config_new();
    cr_assert_eq(config_load_preset(c, "x86-4", err, sizeof err), 0, "%s", err);
    machine_config_t mc;
    cr_assert_eq(config_to_machine(c, &mc, err, sizeof err), 0, "%s", err);
    config_free(c);
    return mc;
}

static void load(const char *name, litmus_test_t *t)
{
    char path[256], err[512];
    snprintf(path, sizeof path, FIX "%s.litmus", name);
    cr_assert_eq(litmus_load(path, t, err, sizeof err), 0, "%s", err);
}

typedef struct one_issue {
    int given;
    uint64_t issued;
} one_issue_t;

static int one_next(void *opaque, mem_req_t *out)
{
    one_issue_t *o = opaque;
    if (o->given)
        return 0;
    o->given = 1;
    memset(out, 0, sizeof *out);
    out->op = OP_LOAD;
    out->addr = 0x1000;
    out->size = 8;
    return 1;
}

static int one_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    (void)req;
    ((one_issue_t *)opaque)->issued = res->issued;
    return 0;
}

Test(litmus_explore, a_core_starts_at_its_clock)
{
    machine_config_t mc = x86_4();
    char err[256];
    machine_t *m = machine_create(&mc, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    machine_set_core_clock(m, 1, 5000);
    machine_set_core_clock(m, 1, 100); /* never backwards */
    one_issue_t a = {0, 0}, b = {0, 0};
    core_source_t src[2] = {{.next = one_next, .done = one_done, .opaque = &a},
                           {.next = one_next, .done = one_done, .opaque = &b}};
    cr_assert_eq(machine_run(m, src, 2, true), 0);
    cr_assert_eq(a.issued, 0);
    cr_assert_eq(b.issued, 5000);
    machine_destroy(m);
}

Test(litmus_explore, litmus_machine_keeps_latencies_and_cuts_sets)
{
    machine_config_t mc = x86_4(), lm;
    litmus_machine_config(&mc, &lm);
    const cache_config_t *c[] = {&lm.l1i, &lm.l1d, &lm.l2, &lm.llc};
    const cache_config_t *o[] = {&mc.l1i, &mc.l1d, &mc.l2, &mc.llc};
    for (unsigned i = 0; i < 4; i++) {
        cr_assert_leq(c[i]->size / (c[i]->assoc * c[i]->line), LITMUS_MAX_SETS);
        cr_assert_eq(c[i]->latency, o[i]->latency);
        cr_assert_eq(c[i]->assoc, o[i]->assoc);
    }
    cr_assert_eq(lm.llc.size, (uint64_t)LITMUS_MAX_SETS * 16 * 64);
    cr_assert_eq(lm.l1d.size, mc.l1d.size); /* 64 sets already */
    cr_assert_eq(lm.mem_latency, mc.mem_latency);
    /* first level + L2 + bus + LLC + memory of x86-4 */
    cr_assert_eq(litmus_miss_cycles(&mc), 4 + 14 + 60 + 50 + 300);
    cr_assert_eq(litmus_default_skew(&mc), 4 * 428);
}

Test(litmus_explore, default_runs_grow_with_threads)
{
    cr_assert_eq(litmus_default_runs(1), 500);
    cr_assert_eq(litmus_default_runs(2), 500);
    cr_assert_eq(litmus_default_runs(3), 2500);
    cr_assert_eq(litmus_default_runs(4), 12500);
    cr_assert_eq(litmus_default_runs(8), 62500);
}

Test(litmus_explore, skew_in_cycles_orders_the_threads)
{
    /* SB with P1 starting long after P0's store has drained: P1 reads x=1, P0 read y=0 */
    static litmus_test_t t;
    load("SB", &t);
    machine_config_t mc = x86_4();
    litmus_variation_t var[2];
    memset(var, 0, sizeof var);
    var[1].skew = 20000;
    litmus_state_t s;
    char err[512];
    cr_assert_eq(litmus_run_once(&t, &mc, var, &s, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.reg[0][LITMUS_EAX], 0);
    cr_assert_eq(s.reg[1][LITMUS_EAX], 1);
    var[0].skew = 40000; /* and the other way round */
    cr_assert_eq(litmus_run_once(&t, &mc, var, &s, err, sizeof err), 0, "%s", err);
    cr_assert_eq(s.reg[0][LITMUS_EAX], 1);
    cr_assert_eq(s.reg[1][LITMUS_EAX], 0);
}

typedef struct log {
    const litmus_test_t *t;
    char states[600][64]; /* the first 600 runs' states */
    unsigned n, holds;
} log_t;

static int record(void *ctx, const litmus_state_t *s)
{
    log_t *l = ctx;
    if (l->n < 600)
        litmus_state_format(l->t, s, l->states[l->n], sizeof l->states[0]);
    l->n++;
    l->holds += litmus_prop_holds(l->t, s);
    return 0;
}

static void explore(const litmus_test_t *t, uint64_t runs, uint64_t seed, log_t *l)
{
    machine_config_t mc = x86_4();
    litmus_explore_opts_t o = {.runs = runs, .seed = seed, .jitter = 24,
                               .skew = litmus_default_skew(&mc), .vary_cache = true, .guided = true};
    char err[512];
    memset(l, 0, sizeof *l);
    l->t = t;
    cr_assert_eq(litmus_explore(t, &mc, &o, record, l, err, sizeof err), 0, "%s", err);
    cr_assert_eq(l->n, runs);
}

Test(litmus_explore, deterministic_per_seed)
{
    static litmus_test_t t;
    static log_t a, b, c;
    load("SB", &t);
    explore(&t, 200, 7, &a);
    explore(&t, 200, 7, &b);
    explore(&t, 200, 8, &c);
    cr_assert_eq(memcmp(a.states, b.states, sizeof a.states), 0);
    cr_assert_neq(memcmp(a.states, c.states, sizeof a.states), 0);
    cr_assert_gt(a.holds, 0, "SB's relaxed outcome never reached in 200 runs");
}

Test(litmus_explore, guided_search_never_reaches_a_forbidden_outcome)
{
    /* the search steers toward the condition: for a ~exists-free forbidden test (MP, WRC) that
     * is a search for a TSO violation, and it must fail */
    static litmus_test_t t;
    static log_t l;
    const char *names[] = {"MP", "WRC", "IRIW", "n5"};
    for (unsigned i = 0; i < 4; i++) {
        load(names[i], &t);
        explore(&t, 400, 3, &l);
        cr_assert_eq(l.holds, 0, "%s: forbidden outcome reached", names[i]);
    }
}

Test(litmus_explore, rare_outcome_reached)
{
    /* n1 (3 threads): one store held behind a miss while two other threads meet around it */
    static litmus_test_t t;
    static log_t l;
    load("n1", &t);
    explore(&t, litmus_default_runs(t.nthreads), 1, &l);
    cr_assert_gt(l.holds, 0, "n1 not reached in %u runs", l.n);
}
