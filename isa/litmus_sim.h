/* litmus_sim.h: running a parsed litmus test (isa/litmus.h) on the simulated machine.
 *
 * Lowering: thread T becomes ISA code on core T (section `.cpu T` at LITMUS_CODE_BASE +
 * T * LITMUS_CODE_STRIDE). Registers EAX, EBX, ECX, EDX, ESI, EDI are r1..r6; r8 is scratch; r15
 * holds the start skew. Location i is 4 bytes at LITMUS_LOC_BASE + i * LITMUS_LOC_STRIDE, each on
 * its own cache line. MOV loads and stores are ld4/st4; MFENCE is fence; XCHG is xchg4; LOCK
 * ADD/INC are xadd4 (locked, draining); an unlocked ADD/INC to memory is ld4, add, st4 (not
 * atomic, as on x86). Each thread first reads the locations whose bits are set in r14 into
 * scratch r10 (a preload that warms its caches), then spins r15 times around a two-instruction
 * loop (the start skew); both vary from run to run and leave the test's registers alone.
 *
 * A run owns its machine: it is created from the configuration, the code and the init values
 * are written into its memory, every core runs to its halt, and the final state is read: the
 * registers from the interpreters, the locations from memory after every store buffer drained.
 */
#ifndef COHSIM_LITMUS_SIM_H
#define COHSIM_LITMUS_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "isa/asm.h"
#include "isa/litmus.h"
#include "model/machine.h"

#define LITMUS_CODE_BASE 0x100000u
#define LITMUS_CODE_STRIDE 0x1000u
#define LITMUS_LOC_BASE 0x200000u
#define LITMUS_LOC_STRIDE 0x100u

typedef struct litmus_prog {
    asm_program_t prog;
} litmus_prog_t;

/* The assembly text of the whole test (all threads). Returns the length snprintf would have
 * written. */
int litmus_lower(const litmus_test_t *t, char *buf, size_t len);
/* Lower and assemble. 0, or -1 with a message in err. */
int litmus_build(const litmus_test_t *t, litmus_prog_t *out, char *err, size_t errlen);
void litmus_prog_free(litmus_prog_t *p);

/* The address of location i. */
uint64_t litmus_loc_addr(unsigned i);

/* One run on a machine built from cfg (cfg->cores >= t->nthreads): thread i first reads every
 * location whose bit is set in preload[i] (warming its caches), then idles skew[i] loop
 * iterations, then runs its code. skew and preload may be NULL (none). 0 with the final state
 * in *out, or -1 with a message. */
int litmus_run_once(const litmus_test_t *t, const litmus_prog_t *p, const machine_config_t *cfg,
                    const unsigned *skew, const uint32_t *preload, litmus_state_t *out,
                    char *err, size_t errlen);

#endif
