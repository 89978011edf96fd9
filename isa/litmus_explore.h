/* litmus_explore.h: many runs of one litmus test on the simulated machine, each with its own
 * timing (isa/litmus_sim.h's variations), chosen so that rare outcomes are reached in few runs.
 *
 * Why the variations look as they do: on this machine a store becomes visible when it leaves
 * the store buffer, and what keeps it there is a miss ahead of it (hundreds of cycles); loads
 * that hit or take a line from a peer take tens. A rare outcome needs each thread's accesses in
 * a window of a few tens of cycles placed hundreds of cycles after another thread's, so the
 * start skews and pauses span 0..skew cycles (by default twice a miss, litmus_miss_cycles) at
 * one of three scales (skew, skew/2, skew/4: a small scale packs the threads' windows densely,
 * a large one reaches offsets of several misses), and the cache set-up is sparse (a location
 * is preloaded one time in four, half the threads have no scratch stores ahead of the test's),
 * so that a run does not often disturb the few threads whose timing matters.
 *
 * Guided runs: a uniform draw still needs every thread in its window at once (n1 and n2 of the
 * x86-TSO suite: about 1 run in 10^3..10^4). So while the condition's target (its proposition
 * for exists and ~exists, its negation for forall: the outcome a test is about) has not been
 * reached, half the runs are mutations of the runs that came closest to it: closeness is the
 * share of the condition's atoms that hold (an or takes its best side), a mutation changes one
 * or two of the variation's parameters, for a thread named by an atom that failed half the time.
 * Each run is still a plain run of the machine, so the outcomes x86-TSO forbids stay unreachable
 * whatever is chosen; only which allowed outcomes show, and how often, depends on the search.
 * Counts are therefore not frequencies of the outcomes on any hardware.
 *
 * Determinism: the variations come from a generator seeded by opts.seed, and run r builds its
 * machine with sim.seed = opts.seed + r: an exploration is a pure function of the test, the
 * machine configuration and the options.
 */
#ifndef COHSIM_LITMUS_EXPLORE_H
#define COHSIM_LITMUS_EXPLORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/litmus.h"
#include "isa/litmus_sim.h"
#include "model/machine.h"

typedef struct litmus_explore_opts {
    uint64_t runs;
    uint64_t seed;
    uint32_t jitter;  /* each run's sim.jitter is drawn from 0..jitter */
    uint32_t skew;    /* largest start skew and pause, in cycles */
    bool vary_cache;  /* preloads and scratch stores (litmus7's preload, a busy store buffer) */
    bool guided;      /* half the runs search toward the condition until it is reached */
    /* Run observed_run (counting from 0) has observe attached (NULL: none): replaying an
     * exploration up to that run narrates it, the same run as the first time. */
    uint64_t observed_run;
    obs_fn observe;
    void *observe_opaque;
    /* When not NULL, receives the observed run's variations (LITMUS_MAX_THREADS entries): the
     * code it ran is litmus_lower's with them (a view shows that code). */
    litmus_variation_t *observed_var;
} litmus_explore_opts_t;

/* The default number of runs of a test with nthreads threads: 500 for one or two, five times as
 * many for each thread more (the timing space grows by a dimension per thread), at most 62500. */
uint64_t litmus_default_runs(unsigned nthreads);

/* The default skew for cfg's machine: twice litmus_miss_cycles. */
uint32_t litmus_default_skew(const machine_config_t *cfg);

/* Called with each run's final state; a nonzero return stops the exploration (and is returned). */
typedef int (*litmus_run_fn)(void *ctx, const litmus_state_t *s);

/* Run t o->runs times on machines built from cfg. 0, fn's nonzero return, or -1 with a message
 * in err (a run failed). */
int litmus_explore(const litmus_test_t *t, const machine_config_t *cfg,
                   const litmus_explore_opts_t *o, litmus_run_fn fn, void *ctx, char *err,
                   size_t errlen);

#endif
