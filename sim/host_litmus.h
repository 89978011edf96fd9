/* host_litmus.h: x86 litmus tests run natively on this host, litmus7-style, with herd's report.
 *
 * A result is a histogram of final states projected on what the condition names, with how
 * many iterations satisfied the condition's proposition (pos) and how many did not (neg).
 */
#ifndef COHSIM_HOST_LITMUS_H
#define COHSIM_HOST_LITMUS_H

#include <stdint.h>
#include <stdio.h>

#include "isa/litmus.h"

#define HOST_LITMUS_MAX_STATES 256

typedef struct host_litmus_opts {
    uint64_t iterations; /* at least this many iterations in all (rounded up to whole runs) */
    unsigned size;       /* iterations per run: each location is an array of this many slots */
    uint64_t seed;       /* placement, stride and launch order are drawn from it */
} host_litmus_opts_t;

typedef struct host_litmus_count {
    litmus_state_t state; /* only the observed registers and locations are meaningful */
    uint64_t count;
    int holds;            /* the proposition holds in this state */
} host_litmus_count_t;

typedef struct host_litmus_result {
    int status;          /* HOST_OK, or HOST_UNAVAILABLE with the reason in note */
    char note[256];
    unsigned nstates;
    host_litmus_count_t states[HOST_LITMUS_MAX_STATES];
    uint64_t pos, neg;
    double seconds;
} host_litmus_result_t;

/* Run t natively. Returns 0 (r->status says whether it ran), or -1 with the reason in r->note
 * when the test uses an instruction form the runner does not implement. */
int host_litmus_run(const litmus_test_t *t, const host_litmus_opts_t *o, host_litmus_result_t *r);

/* herd's layout: Test, States with counts (* marks states satisfying the proposition), Ok/No,
 * Witnesses, Positive/Negative, Condition, Observation NAME Never|Sometimes|Always P N, Time. */
void host_litmus_print(FILE *out, const litmus_test_t *t, const host_litmus_result_t *r);

#endif
