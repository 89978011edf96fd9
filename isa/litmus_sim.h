/* litmus_sim.h: running a parsed litmus test (isa/litmus.h) on the simulated machine.
 *
 * Lowering: thread T becomes ISA code on core T (section `.cpu T` at LITMUS_CODE_BASE +
 * T * LITMUS_CODE_STRIDE). Registers EAX, EBX, ECX, EDX, ESI, EDI are r1..r6; r8..r11 are
 * scratch. Location i is 4 bytes at LITMUS_LOC_BASE + i * LITMUS_LOC_STRIDE, each on its own
 * cache line. MOV loads and stores are ld4/st4; MFENCE is fence; XCHG is xchg4; LOCK ADD/INC
 * are xadd4 (locked, draining); an unlocked ADD/INC to memory is ld4, add, st4 (not atomic, as
 * on x86).
 *
 * Each run varies how the threads meet (a litmus_variation_t per thread): before its test code a
 * thread may read some locations into its caches (litmus7's preload) and store to lines of its
 * own scratch area (so its store buffer is still busy when the test's stores arrive, as behind a
 * miss on hardware); it may pause between two of its instructions (an idle loop); and its
 * core starts at a cycle of its own (the start skew, machine_set_core_clock). None of this
 * touches the test's registers or locations, so the outcomes x86-TSO allows are unchanged; it
 * only changes the timing, and so which of them a run reaches.
 *
 * A run owns its machine: it is created from the configuration with every cache cut to at most
 * LITMUS_MAX_SETS sets (litmus_machine_config: a test touches a few dozen lines, and on the
 * presets' 8- and 16-way caches none of a test of up to four threads is evicted either way, so
 * only the cost of building the machine changes, not a latency), the code and the init values
 * are written into its memory, each thread's code lines are fetched once into its caches, and
 * its preloaded locations read (the warm-up, a first machine_run in global issue order: on
 * hardware litmus7's code is hot after the first iterations, so what separates the threads is
 * their data accesses and skews, not cold instruction misses), every core then starts
 * at the warm-up's end plus its skew and runs to its halt, and the final state is read: the
 * registers from the interpreters, the locations from memory after every store buffer drained.
 */
#ifndef COHSIM_LITMUS_SIM_H
#define COHSIM_LITMUS_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "isa/litmus.h"
#include "model/machine.h"

#define LITMUS_CODE_BASE 0x100000u
#define LITMUS_CODE_STRIDE 0x1000u
#define LITMUS_LOC_BASE 0x200000u
#define LITMUS_LOC_STRIDE 0x100u
#define LITMUS_SCRATCH_BASE 0x300000u /* + thread * LITMUS_CODE_STRIDE: private scratch lines */
#define LITMUS_MAX_PRESTORES 15u
#define LITMUS_MAX_SKEW 10000000u /* start skew, cycles */
#define LITMUS_MAX_PAUSE 100000u  /* idle loop iterations */
#define LITMUS_MAX_SETS 64u

typedef struct litmus_variation {
    uint32_t preload;       /* bit i: read location i first */
    unsigned prestores;     /* stores to distinct scratch lines first (<= LITMUS_MAX_PRESTORES) */
    uint32_t skew;          /* cycles the core starts after the others' zero (<= LITMUS_MAX_SKEW) */
    /* pause[k]: idle loop iterations before instruction k (k >= 1; <= LITMUS_MAX_PAUSE) */
    uint32_t pause[LITMUS_MAX_INSNS];
} litmus_variation_t;

/* The assembly text of the whole test, with var[i] for thread i (var may be NULL: none).
 * Returns the length snprintf would have written. */
int litmus_lower(const litmus_test_t *t, const litmus_variation_t *var, char *buf, size_t len);

/* The address of location i. */
uint64_t litmus_loc_addr(unsigned i);

/* The machine a run builds from cfg: the same, with every cache cut to LITMUS_MAX_SETS sets. */
void litmus_machine_config(const machine_config_t *cfg, machine_config_t *out);

/* Cycles of a load that misses every cache of cfg's machine (first level, L2, bus, last level,
 * memory): the scale of a store's drain behind a miss, and so of the skews worth exploring. */
uint64_t litmus_miss_cycles(const machine_config_t *cfg);

/* Cycles one iteration of a pause's idle loop takes on cfg's machine (two instruction fetches
 * that hit, without jitter). */
uint64_t litmus_loop_cycles(const machine_config_t *cfg);

/* One run on a machine built from cfg (cfg->cores >= t->nthreads) with var[i] for thread i (var
 * may be NULL). 0 with the final state in *out, or -1 with a message in err. */
int litmus_run_once(const litmus_test_t *t, const machine_config_t *cfg,
                    const litmus_variation_t *var, litmus_state_t *out, char *err, size_t errlen);
/* The same run with an observer attached (model/observe.h) from the warm-up on, so that the
 * caches' states are seen from their first fill. */
int litmus_run_observed(const litmus_test_t *t, const machine_config_t *cfg,
                        const litmus_variation_t *var, obs_fn observe, void *opaque,
                        litmus_state_t *out, char *err, size_t errlen);

#endif
