/* interp.h: the interpreter of one simulated core, as a core_source_t for machine_run.
 *
 * Every instruction is fetched from simulated memory: the core first emits an ifetch of
 * ISA_INSN_SIZE bytes at pc, decodes the bytes the machine returns (what the I-cache holds, so a
 * stale line executes stale code), then emits the instruction's own request, if it has one
 * (load, store, rmw, fence, a primitive). Instructions without a request (ALU, branches, checks)
 * execute when the next request is asked for, so they cost only their fetch.
 *
 * Lowering (the requests carry values as model/op.h says):
 * - ldN: load addr=rs1+imm size N; the result value (little-endian) is zero-extended into rd;
 * - stN: store with REQ_HAS_VALUE, value = rs2 truncated to N bytes;
 * - xchgN / xaddN / lorN / lxorN / cmpxchgN: rmw with REQ_HAS_VALUE, value = rs2, arg[0] =
 *   RMW_XCHG, RMW_ADD, RMW_OR, RMW_XOR or RMW_CMPXCHG (model/op.h; cmpxchg: arg[1] = rd, the
 *   expected value); rd gets the old value the machine returns;
 * - fence: fence;
 * - primitives: the arguments of the op's PRIM row in model/ops.def, in order, from rs1, rs2,
 *   rs3 and imm, each put in the request field its slot names (so CcCoherencyFlushAndPurgeCache:
 *   name = the string at rs1, addr = rs2 offset, arg[1] = rs3 length, arg[2] = imm flags); a
 *   base or offset given as r0 sets REQ_NULL_BASE;
 * - OS set-up: the slots of the op's DIRECTIVE row in model/ops.def, by name (process: PID =
 *   rs1, CPUS = rs2; file: name at rs1, SIZE = rs2; map: name at rs1, PID = imm, BASE = rs2,
 *   OFFSET = rs3, length to the end of the file; acquire, release: name at rs1);
 * - a file name is read from image, the assembled program; rd gets the result value (1 success,
 *   0 failure); a primitive's arg[3] is the process the core's thread belongs to (set by
 *   `thread`, 0 by default);
 * - lastcall rd, imm: rd = field imm (opcodes.def) of what the core's last primitive call
 *   returned, read from the OS layer (os) when that call completed; thread rd: the process of
 *   the core's thread from now on. Both execute in the core, without a request.
 * Accesses must be naturally aligned and pc a multiple of ISA_INSN_SIZE; a violation, an
 * undecodable word or a machine error stops the core with a message (isa_core_error).
 *
 * Invariants: reg[0] is always 0; a core in phase ISA_WAIT has exactly one request outstanding.
 */
#ifndef COHSIM_INTERP_H
#define COHSIM_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "isa/asm.h"
#include "isa/isa.h"
#include "model/machine.h"
#include "model/primitives.h"

typedef enum isa_phase {
    ISA_FETCH,  /* next: emit the ifetch at pc */
    ISA_EXEC,   /* cur is decoded; next: execute it or emit its request */
    ISA_WAIT,   /* a request is outstanding */
    ISA_HALTED, /* halt executed, or stopped by an error or a failed assert */
} isa_phase_t;

typedef struct isa_core isa_core_t;
struct isa_core {
    unsigned cpu;
    uint64_t reg[ISA_NREGS];
    uint64_t pc;
    isa_phase_t phase;
    isa_insn_t cur;
    uint64_t retired;      /* instructions completed */
    uint64_t max_insns;    /* stop with an error after this many (0: no limit) */
    uint64_t asserts, asserts_failed;
    char assert_msg[160];  /* the first failed assert */
    uint64_t assert_pc;    /* ... and its address */
    bool failed;           /* stopped by an error: err says why */
    char err[200];
    const asm_program_t *image; /* where file names are read (NULL: none) */
    char name[128];        /* the current request's file name */
    uint64_t now;          /* the cycle its last request completed: when local instructions run */
    /* Optional (NULL: none), set after isa_core_init: told of every assert as it executes, held
     * or not, with cur, pc and reg as the assert saw them (for a narrated log). */
    void (*on_assert)(void *opaque, const struct isa_core *c, bool held);
    void *assert_opaque;
    const prim_t *os;      /* the OS layer whose calls lastcall reads (NULL: none) */
    uint32_t pid;          /* the process of the core's thread (0: the core's lowest-numbered) */
    bool has_call;         /* call holds the last primitive call's results */
    uint64_t call[5];      /* its code, last error, base, size, information (lastcall's imm) */
};

void isa_core_init(isa_core_t *c, unsigned cpu, uint64_t entry, uint64_t max_insns);
/* The core_source_t functions (opaque is the isa_core_t). */
int isa_core_next(void *opaque, mem_req_t *out);
/* Returns nonzero (stop the run) when the core stopped on an error: the others may wait for it
 * forever. A failed assert does not stop the run. */
int isa_core_done(void *opaque, const mem_req_t *req, const req_result_t *res);
core_source_t isa_core_source(isa_core_t *c);

/* Pure parts, used by the above and by tests. */
/* Whether in executes in the core alone (no request). */
bool isa_is_local(const isa_insn_t *in);
/* Execute a local instruction: update reg (reg[0] stays 0) and return the next pc.
 * *assert_failed is set when an assert does not hold. */
uint64_t isa_exec_local(const isa_insn_t *in, uint64_t *reg, uint64_t pc, bool *assert_failed);
/* The request of a non-local instruction. 0, or -1 with a reason in err (misaligned access). */
int isa_lower(const isa_insn_t *in, const uint64_t *reg, unsigned cpu, mem_req_t *out,
              char *err, size_t errlen);
/* Take a non-local instruction's result value into reg. */
void isa_complete(const isa_insn_t *in, uint64_t *reg, uint64_t value);

#endif
