/* harness.h: the RTL lockstep harness's C interface (model/rtl/harness.cpp): the Verilated RTL
 * (the Verilog in model/rtl) and the C model (model/rtl/refmodel.h) are driven with the same requests, and
 * every response is compared as it comes; the first difference stops the run.
 *
 * A run is a value struct; the harness owns nothing between runs (each run makes its own
 * VerilatedContext and model) and never prints or exits: the outcome, the counts and, at a
 * difference, both sides' state come back in lockstep_result_t.
 */
#ifndef COHSIM_RTL_HARNESS_H
#define COHSIM_RTL_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The RTL's geometries (cohsim_lockstep.v's sel): caches, then coherent systems. */
enum {
    LOCKSTEP_L1_32K8,  /* 64 sets x 8 ways x 64 B: sort.din's cache */
    LOCKSTEP_L1_TINY,  /* 4 x 2 x 16 B */
    LOCKSTEP_L1_MID,   /* 16 x 4 x 32 B */
    LOCKSTEP_L1_DIRECT,/* 8 x 1 x 16 B */
    LOCKSTEP_SYS2,     /* 2 cores, L1D 4 x 2 x 16 B, 4-entry store buffers */
    LOCKSTEP_SYS4,     /* 4 cores, L1D 4 x 2 x 32 B, 2-entry store buffers */
    LOCKSTEP_GEOMETRIES
};

typedef struct lockstep_run {
    unsigned geometry;    /* LOCKSTEP_* */
    bool fifo;            /* replacement: FIFO, else LRU */
    bool write_back;      /* write-back + write-allocate, else write-through + no-allocate */
    bool store_buffers;   /* systems: stores go through the store buffers, else perform at once */
    uint64_t seed;        /* random requests ... */
    uint64_t requests;    /* ... this many */
    const char *trace;    /* caches: the requests of this trace file instead (any cohsim format) */
    const char *vcd;      /* when set: write the RTL's waveform here */
    const char *fault;    /* the fault-seeded build only (rtl.mk's lockstep-fault): the name of
                           * the one rule to get wrong, e.g. "fault-fifo-renew"; the normal build
                           * has no such rule and ignores it */
} lockstep_run_t;

typedef struct lockstep_result {
    uint64_t requests;     /* requests given to both sides */
    uint64_t compared;     /* caches: line accesses compared; systems: bus transactions compared */
    uint64_t misses, writebacks; /* what both sides counted (caches) */
    bool differ;           /* the run stopped at a difference, described in diff */
    char diff[8192];
} lockstep_result_t;

/* 0: the run ended and every response agreed, or it stopped at a difference (result->differ);
 * -1: the run could not be made (the reason in err). */
int lockstep_execute(const lockstep_run_t *run, lockstep_result_t *result, char *err,
                     size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
