/* litmus_sim.h: running a parsed litmus test (isa/litmus.h) on the simulated machine.
 *
 * Lowering: thread T becomes ISA code on core T (section `.cpu T` at LITMUS_CODE_BASE +
 * T * LITMUS_CODE_STRIDE). Registers EAX, EBX, ECX, EDX, ESI, EDI are r1..r6; r8..r11 are
 * scratch. Location i is 4 bytes at LITMUS_LOC_BASE + i * LITMUS_LOC_STRIDE, each on its own
 * cache line. MOV loads and stores are ld4/st4; MFENCE is fence; XCHG is xchg4; LOCK ADD/INC
 * are xadd4 (locked, draining); an unlocked ADD/INC to memory is ld4, add, st4 (not atomic, as
 * on x86).
 *
 * Each run varies how the threads meet (a litmus_variation_t per thread, baked into that run's
 * code): before its test code a thread may read some locations into its caches (litmus7's
 * preload), store to lines of its own scratch area (so its store buffer is still busy when the
 * test's stores arrive, as behind a miss on hardware), and idle a number of loop iterations (the
 * start skew); and it may pause once between two of its instructions. None of this touches the
 * test's registers or locations, so the outcomes x86-TSO allows are unchanged; it only changes
 * the timing, and so which of them a run reaches.
 *
 * A run owns its machine: it is created from the configuration, the code and the init values
 * are written into its memory, every core runs to its halt, and the final state is read: the
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
#define LITMUS_MAX_SKEW 100000u

typedef struct litmus_variation {
    uint32_t preload;       /* bit i: read location i first */
    unsigned prestores;     /* stores to distinct scratch lines first (<= LITMUS_MAX_PRESTORES) */
    unsigned skew;          /* idle loop iterations before the test code (<= LITMUS_MAX_SKEW) */
    unsigned pause_before;  /* 1..ninsns-1: pause before that instruction (0-based); 0: none */
    unsigned pause;         /* idle loop iterations of the pause (<= LITMUS_MAX_SKEW) */
} litmus_variation_t;

/* The assembly text of the whole test, with var[i] for thread i (var may be NULL: none).
 * Returns the length snprintf would have written. */
int litmus_lower(const litmus_test_t *t, const litmus_variation_t *var, char *buf, size_t len);

/* The address of location i. */
uint64_t litmus_loc_addr(unsigned i);

/* One run on a machine built from cfg (cfg->cores >= t->nthreads) with var[i] for thread i (var
 * may be NULL). 0 with the final state in *out, or -1 with a message in err. */
int litmus_run_once(const litmus_test_t *t, const machine_config_t *cfg,
                    const litmus_variation_t *var, litmus_state_t *out, char *err, size_t errlen);

#endif
