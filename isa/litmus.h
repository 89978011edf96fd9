/* litmus.h: x86 litmus tests in herd's format: parse a file into a test, evaluate its final
 * condition on a final state, and format states and conditions the way herd7 prints them.
 *
 * Accepted input is exactly the subset ../shared/litmus/x86/README.md describes: the header
 * `X86 NAME`, optional quoted and `Key=value` lines, an init block, a table of thread columns
 * (MOV, MFENCE, XCHG, ADD, INC, optionally LOCK-prefixed; and, as a cohsim extension that herd
 * does not accept, FlushProcessWriteBuffers), and one `exists`, `~exists` or
 * `forall` condition. Anything else is an error "FILE:LINE:COL: what was expected".
 *
 * Representation: a litmus_test_t is a plain value with fixed-size arrays (no heap, nothing to
 * free; copy it freely). Invariants after a successful parse:
 * - every location named in the code, the init block or the condition is in locs[] (first
 *   appearance order), and every litmus_operand_t of kind LITMUS_OPD_MEM indexes it;
 * - every instruction is one of the forms litmus_insn_valid accepts (see the table in the .c);
 * - the condition is a tree in cond[] whose root is cond[cond_root]; atoms name a thread below
 *   nthreads and a register, or a location in locs[];
 * - observed[] lists what the condition names, each once, in herd's order (registers by thread
 *   then register name, then locations by name): the projection a final state is printed on.
 *
 * Final states: a litmus_state_t holds every register of every thread and every location's final
 * memory value (after all store buffers drained). Values are the 32-bit x86 values, sign-extended.
 */
#ifndef COHSIM_LITMUS_H
#define COHSIM_LITMUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LITMUS_MAX_THREADS 8
#define LITMUS_MAX_INSNS 32   /* per thread */
#define LITMUS_MAX_LOCS 16
#define LITMUS_MAX_NAME 64    /* test name, NUL included */
#define LITMUS_MAX_LOCNAME 16 /* location name, NUL included */
#define LITMUS_MAX_COND 64    /* condition tree nodes */

/* The registers a thread may use; litmus_reg_name gives their spelling. */
typedef enum litmus_reg {
    LITMUS_EAX, LITMUS_EBX, LITMUS_ECX, LITMUS_EDX, LITMUS_ESI, LITMUS_EDI,
    LITMUS_NREGS
} litmus_reg_t;

typedef enum litmus_opd_kind {
    LITMUS_OPD_NONE,
    LITMUS_OPD_REG, /* reg */
    LITMUS_OPD_MEM, /* [locs[loc]] */
    LITMUS_OPD_IMM, /* $imm */
} litmus_opd_kind_t;

typedef struct litmus_operand {
    litmus_opd_kind_t kind;
    litmus_reg_t reg;
    unsigned loc;
    int64_t imm;
} litmus_operand_t;

typedef enum litmus_mnemonic {
    LITMUS_MOV,    /* MOV dst,src: one of reg<-[loc], [loc]<-$imm, [loc]<-reg, reg<-$imm, reg<-reg */
    LITMUS_MFENCE, /* full fence */
    LITMUS_XCHG,   /* XCHG [loc],reg (or reg,[loc]): atomic swap; locked and a full fence */
    LITMUS_ADD,    /* ADD dst,src: [loc]+=$imm|reg (a locked RMW with LOCK, else load then store),
                      or reg+=$imm|reg */
    LITMUS_INC,    /* INC [loc] (LOCK: locked RMW) or INC reg */
    LITMUS_DEC,    /* DEC [loc] (LOCK: locked RMW) or DEC reg */
    LITMUS_XOR,    /* XOR dst,src: as ADD, with exclusive or */
    LITMUS_IOR,    /* OR dst,src: as ADD, with inclusive or */
    LITMUS_CMPXCHG, /* CMPXCHG [loc],reg: if [loc] == EAX then [loc] = reg, else EAX = [loc] (EAX
                       ends as [loc]'s old value); locked with LOCK, else a load and maybe a store */
    LITMUS_FPWB,   /* FlushProcessWriteBuffers: a cohsim extension, not herd's (no operands):
                      every core of the process drains its store buffer before it returns */
} litmus_mnemonic_t;

typedef struct litmus_insn {
    litmus_mnemonic_t op;
    bool lock;              /* a LOCK prefix was written */
    litmus_operand_t dst, src; /* src.kind == NONE for INC; both NONE for MFENCE */
    unsigned line, col;     /* where the cell's text starts in the file */
} litmus_insn_t;

typedef enum litmus_quant { LITMUS_EXISTS, LITMUS_NOT_EXISTS, LITMUS_FORALL } litmus_quant_t;

typedef enum litmus_node_kind {
    LITMUS_ATOM_REG, /* thread:reg = value */
    LITMUS_ATOM_LOC, /* [loc] = value */
    LITMUS_AND,      /* a /\ b */
    LITMUS_OR,       /* a \/ b */
    LITMUS_NOT,      /* ~a */
    LITMUS_TRUE,     /* `true` */
} litmus_node_kind_t;

typedef struct litmus_node {
    litmus_node_kind_t kind;
    unsigned thread;   /* ATOM_REG */
    litmus_reg_t reg;  /* ATOM_REG */
    unsigned loc;      /* ATOM_LOC */
    int64_t value;     /* atoms */
    int a, b;          /* children (indices into cond[]); b unused for NOT */
} litmus_node_t;

/* One thing a final state is projected on (a register of a thread, or a location). */
typedef struct litmus_observed {
    bool is_loc;
    unsigned thread;
    litmus_reg_t reg;
    unsigned loc;
} litmus_observed_t;

typedef struct litmus_test {
    char name[LITMUS_MAX_NAME];
    unsigned nthreads;
    unsigned ninsns[LITMUS_MAX_THREADS];
    litmus_insn_t insns[LITMUS_MAX_THREADS][LITMUS_MAX_INSNS];
    unsigned nlocs;
    char locs[LITMUS_MAX_LOCS][LITMUS_MAX_LOCNAME];
    int64_t loc_init[LITMUS_MAX_LOCS];                  /* 0 unless the init block says */
    int64_t reg_init[LITMUS_MAX_THREADS][LITMUS_NREGS]; /* 0 unless the init block says */
    litmus_quant_t quant;
    unsigned ncond;
    litmus_node_t cond[LITMUS_MAX_COND];
    int cond_root;
    unsigned nobserved;
    litmus_observed_t observed[LITMUS_MAX_THREADS * LITMUS_NREGS + LITMUS_MAX_LOCS];
} litmus_test_t;

typedef struct litmus_state {
    int64_t reg[LITMUS_MAX_THREADS][LITMUS_NREGS];
    int64_t loc[LITMUS_MAX_LOCS];
} litmus_state_t;

/* Parse text (len bytes; need not be NUL-terminated) that came from file `path` (used only in
 * messages). 0, or -1 with "PATH:LINE:COL: message" in err. */
int litmus_parse(const char *path, const char *text, size_t len, litmus_test_t *out, char *err,
                 size_t errlen);
/* Read and parse file path. 0, or -1 with "PATH[:LINE:COL]: message" in err. */
int litmus_load(const char *path, litmus_test_t *out, char *err, size_t errlen);

const char *litmus_reg_name(litmus_reg_t reg);
const char *litmus_quant_name(litmus_quant_t q); /* "exists", "~exists", "forall" */

/* The initial state: registers and locations as the init block sets them, the rest 0. */
void litmus_initial_state(const litmus_test_t *t, litmus_state_t *s);

/* Whether the condition's proposition (without its quantifier) holds in state s. */
bool litmus_prop_holds(const litmus_test_t *t, const litmus_state_t *s);

/* herd's word for the test: "Allowed" (exists), "Forbidden" (~exists), "Required" (forall). */
const char *litmus_kind_name(const litmus_test_t *t);
/* herd's Ok/No given how many runs satisfied the proposition (pos) and how many did not (neg):
 * exists: pos > 0; ~exists: pos == 0; forall: neg == 0. */
bool litmus_validated(const litmus_test_t *t, uint64_t pos, uint64_t neg);
/* herd's observation word: "Never" (pos == 0), "Always" (neg == 0 and pos > 0), "Sometimes". */
const char *litmus_observation(uint64_t pos, uint64_t neg);

/* "0:EAX=0; [x]=1;" : s projected on t->observed, as herd prints a state. Returns the length
 * snprintf would have written. */
int litmus_state_format(const litmus_test_t *t, const litmus_state_t *s, char *buf, size_t len);
/* Append to buf (len bytes) at *off, which counts what would have been written, as snprintf. */
void litmus_put(char *buf, size_t len, size_t *off, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "exists (0:EAX=0 /\ [x]=1)" : the condition on one line, locations bracketed, as herd's
 * Condition line prints it. Returns the length snprintf would have written. */
int litmus_condition_format(const litmus_test_t *t, char *buf, size_t len);
/* "MOV [x],$1", "LOCK ADD [a],EAX": one instruction in the test's syntax. */
int litmus_insn_format(const litmus_test_t *t, const litmus_insn_t *in, char *buf, size_t len);

#endif
