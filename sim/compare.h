/* compare.h: the model's side of `cohsim compare`: each primitive's host cases replayed on the
 * simulated machine (the same work, through the OS layer as `cohsim run` executes it), and the
 * litmus tests run by the model's runner and by the host's, as state sets.
 *
 * Representation: plain result structs the caller owns. A model case mirrors the host case with
 * the same index; its count is compared with the host's only where both count the same thing
 * and the host measured it, and agreement is exact equality (never a tolerance). A count user
 * space cannot measure is "model only": shown, never compared, never agreeing.
 */
#ifndef COHSIM_COMPARE_H
#define COHSIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>

#include "isa/litmus.h"
#include "model/machine.h"
#include "sim/host.h"
#include "sim/host_litmus.h"

/* One counted quantity of a case: the model's, and the host's it is compared with. */
typedef struct cmp_count {
    char name[32];
    double model;    /* per operation */
    double host;     /* < 0: the host has no such count (not compared; host_note says why) */
    bool agree;      /* compared and exactly equal */
    char host_note[96]; /* host < 0: "model only" (user space cannot count it) or why the host
                         * did not measure it ("" when the host has no such case at all) */
} cmp_count_t;

typedef struct cmp_case {
    bool run;            /* the model has this case (else note says why not) */
    double cycles;       /* model cycles per operation */
    cmp_count_t count[2];
    unsigned ncounts;
    char note[192];
} cmp_case_t;

typedef struct cmp_prim {
    cmp_case_t c[HOST_MAX_MEASURES]; /* c[j] mirrors the host's m[j] */
    char note[256];      /* what the model did, and what it could not */
    bool counts_agree;   /* at least one count compared, and every compared count equal */
    unsigned compared;   /* counts compared with a measured host count */
} cmp_prim_t;

/* The model's staircase point (sim/stair_model.c): cycles per dependent load of the random
 * cyclic chase over a working set of bytes on a fresh machine built from cfg, or -1 with err. */
double stair_model_chase(const machine_config_t *cfg, uint64_t bytes, uint64_t min_loads,
                         char *err, size_t errlen);

/* Replay the host's cases of every primitive on machines built from cfg; out[i] matches
 * host[i]. 0, or -1 with the reason in err (a model run failed: a bug or a bad configuration). */
int cmp_model_prims(const machine_config_t *cfg, const host_prim_t host[HOST_NPRIMS],
                    cmp_prim_t out[HOST_NPRIMS], char *err, size_t errlen);

/* A litmus test on both sides: the final states each reached (projected on what the condition
 * names, formatted as herd prints them, in herd's order). */
typedef struct cmp_litmus {
    char test[LITMUS_MAX_NAME];
    char path[512];
    char **model, **host; /* state texts */
    size_t nmodel, nhost;
    uint64_t model_runs, host_iterations;
    bool host_ran;        /* else host_note says why not */
    char host_note[256];
    bool subset;          /* every host state is a model state */
} cmp_litmus_t;

/* Fill r from a model exploration of t (runs runs, seeded by seed) on cfg and, when hr ran, the
 * host's result. 0, or -1 with the reason in err. */
int cmp_litmus_states(const litmus_test_t *t, const machine_config_t *cfg, uint64_t runs,
                      uint64_t seed, const host_litmus_result_t *hr, cmp_litmus_t *r, char *err,
                      size_t errlen);
void cmp_litmus_free(cmp_litmus_t *r);

#endif
