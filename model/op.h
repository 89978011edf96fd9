/* op.h: the operation vocabulary (from ops.def) and the request that carries one operation.
 *
 * A request is a small value struct, copied freely; it owns no memory. Its name field, when set,
 * points into storage owned by whoever produced the request and is valid until that producer's
 * next record. This header is the only part of model/ that traces/ may include.
 */
#ifndef COHSIM_OP_H
#define COHSIM_OP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum op_class {
    OPC_MEM,
    OPC_SYNC,
    OPC_CACHE,
    OPC_PRIMITIVE,
    OPC_OS,
    OPC_CHECK,
    OPC_MARK,
} op_class_t;

typedef enum op {
#define OP(id, spelling, cls, doc) OP_##id,
#include "ops.def"
#undef OP
    OP_COUNT
} op_t;

/* Request flags. */
enum {
    REQ_HAS_VALUE = 1u << 0, /* store: value is what is written; load: value is what it must read */
    REQ_NULL_BASE = 1u << 1, /* primitives: the base (or file offset) argument was NULL */
    REQ_MODIFY = 1u << 2,    /* one half of a read-modify-write instruction that is not locked
                              * (Lackey's M): a load so flagged is followed by its store, also
                              * flagged; Cachegrind counts the pair as one read */
};

/* rmw: arg[0] says what it writes (value is the operand; RMW_CMPXCHG compares with arg[1]).
 * Numbers are only ever appended. */
enum { RMW_ADD = 0, RMW_XCHG = 1, RMW_OR = 2, RMW_XOR = 3, RMW_CMPXCHG = 4 };

/* The largest access one request may make (one cache line of the widest supported size). */
#define REQ_MAX_SIZE 64u

typedef struct mem_req {
    uint64_t addr;     /* byte address; for primitives, the base argument */
    uint64_t value;    /* value stored, or value a load must read (REQ_HAS_VALUE) */
    uint64_t arg[4];   /* operation-specific: rmw arg[0] is an RMW_* (value is the operand, arg[1]
                        * what RMW_CMPXCHG compares with); primitives and OS operations document
                        * theirs in ops.def */
    const char *name;  /* a file name for file operations; owned by the producer */
    uint32_t size;     /* bytes accessed, 1..REQ_MAX_SIZE for memory operations */
    uint16_t cpu;      /* issuing core */
    uint8_t op;        /* op_t */
    uint8_t flags;     /* REQ_* */
} mem_req_t;

const char *op_name(op_t op);
/* Each operation's class, by op: a table, since readers and the event loop ask per record. */
extern const uint8_t op_classes[OP_COUNT];
static inline op_class_t op_class(op_t op) { return (op_class_t)op_classes[op]; }
const char *op_doc(op_t op);
/* The op whose text spelling is name (exact, case-sensitive), or OP_COUNT when none. */
op_t op_lookup(const char *name, unsigned len);

/* ---- argument layouts (the PRIM and DIRECTIVE rows of ops.def) ---- */

/* What an argument is. A primitive's (PRIM row) also says how the text reader and writer and the
 * ISA read it; a directive's names it (the text reader parses each directive in its own words). */
typedef enum op_arg_kind {
    OPARG_NONE,   /* an unused slot */
    OPARG_HANDLE, /* a process handle: a number, or the current process (UINT64_MAX) */
    OPARG_BASE,   /* an address, or NULL (REQ_NULL_BASE) */
    OPARG_OFFSET, /* a file offset, or NULL (REQ_NULL_BASE) */
    OPARG_SIZE,   /* a byte count */
    OPARG_FILE,   /* a file name */
    OPARG_FLAGS,  /* flag bits; optional (0 when left out), so it comes last */
    /* directives only */
    OPARG_PID,    /* a process id, 1 or more */
    OPARG_CPUS,   /* a set of cores, bit i core i */
    OPARG_ACCESS, /* 1 full access, 0 none */
    OPARG_PAGE,   /* a page number of a file */
    OPARG_COUNT,  /* a count */
    OPARG_ADDR,   /* an address */
    OPARG_WIDTH,  /* a check's size: 1, 2, 4 or 8 bytes */
    OPARG_VALUE,  /* a check's value */
    OPARG_CPU,    /* a core number */
} op_arg_kind_t;

/* Where a request carries an argument. */
typedef enum op_arg_field {
    OPF_ADDR,
    OPF_ARG0,
    OPF_ARG1,
    OPF_ARG2,
    OPF_NAME,
    OPF_SIZE,
    OPF_VALUE, /* with REQ_HAS_VALUE */
} op_arg_field_t;

typedef struct op_arg {
    uint8_t kind;      /* op_arg_kind_t */
    uint8_t field;     /* op_arg_field_t */
    const char *label; /* in a usage line: PROCESS, BASE|NULL, size=SIZE, [FLAGS] ([...]: optional) */
    const char *what;  /* in an error message: "bad WHAT '...'" */
} op_arg_t;

#define OP_MAX_ARGS 5

/* Named indexes into mem_req_t.arg, from the rows: OPARG_AT_<ID>_<KIND> for each slot whose
 * field is ARG0..ARG2, so model code writes OP_ARG(r, OS_MAP, OFFSET) where it would write
 * r->arg[1]; a slot that moves in ops.def moves everywhere, and one that is not there does not
 * compile. */
#define OPS_SLOT_AT_ARG0(id, kind) OPARG_AT_##id##_##kind = 0,
#define OPS_SLOT_AT_ARG1(id, kind) OPARG_AT_##id##_##kind = 1,
#define OPS_SLOT_AT_ARG2(id, kind) OPARG_AT_##id##_##kind = 2,
#define OPS_SLOT_AT_ADDR(id, kind)
#define OPS_SLOT_AT_NAME(id, kind)
#define OPS_SLOT_AT_SIZE(id, kind)
#define OPS_SLOT_AT_VALUE(id, kind)
#define OPS_SLOT_AT_NONE(id, kind)
#define OPS_SLOT_AT_(id, kind, field) OPS_SLOT_AT_##field(id, kind)
#define OPS_SLOT_CALL(m, args) m args
#define OPS_SLOT_UNPAREN(...) __VA_ARGS__
#define OPS_SLOT_AT(id, slot) OPS_SLOT_CALL(OPS_SLOT_AT_, (id, OPS_SLOT_UNPAREN slot))
enum op_arg_index {
#define ARG(kind, field, label, what) (kind, field)
#define NOARG (NONE, NONE)
#define OP(id, spelling, cls, doc)
#define PRIM(id, spelling, doc, a1, a2, a3, a4)                                                   \
    OPS_SLOT_AT(id, a1) OPS_SLOT_AT(id, a2) OPS_SLOT_AT(id, a3) OPS_SLOT_AT(id, a4)
#define DIRECTIVE(id, spelling, cls, doc, a1, a2, a3, a4, a5)                                     \
    OPS_SLOT_AT(id, a1) OPS_SLOT_AT(id, a2) OPS_SLOT_AT(id, a3) OPS_SLOT_AT(id, a4)              \
    OPS_SLOT_AT(id, a5)
#include "ops.def"
#undef DIRECTIVE
#undef PRIM
#undef OP
#undef NOARG
#undef ARG
    /* a primitive's calling thread's process id (0: the core's lowest-numbered process) */
    OP_ARG_CALLER = 3,
};
#undef OPS_SLOT_AT
#undef OPS_SLOT_UNPAREN
#undef OPS_SLOT_CALL
#undef OPS_SLOT_AT_
#undef OPS_SLOT_AT_NONE
#undef OPS_SLOT_AT_VALUE
#undef OPS_SLOT_AT_SIZE
#undef OPS_SLOT_AT_NAME
#undef OPS_SLOT_AT_ADDR
#undef OPS_SLOT_AT_ARG2
#undef OPS_SLOT_AT_ARG1
#undef OPS_SLOT_AT_ARG0
#define OP_ARG(r, id, kind) ((r)->arg[OPARG_AT_##id##_##kind])

/* The argument layout of op (its PRIM or DIRECTIVE row), or NULL when ops.def gives it none;
 * *nargs is set to the arguments it has (the first slots), *required to the leading ones that
 * must be given (an optional one, labelled [...], may be left out). */
const op_arg_t *op_args(op_t op, unsigned *nargs, unsigned *required);
/* The argument of op's layout of that kind, or NULL. */
const op_arg_t *op_arg_of(op_t op, op_arg_kind_t kind);
/* Read or write an argument's field in r (not for OPF_NAME, a file name). */
uint64_t op_arg_get(const mem_req_t *r, const op_arg_t *a);
void op_arg_put(mem_req_t *r, const op_arg_t *a, uint64_t v);
/* "SPELLING LABEL LABEL ...": how op's arguments are written in a text trace. */
void op_usage(op_t op, char *buf, size_t len);

/* What a locked rmw r writes over old (size bytes, little-endian in the low bits): add, exchange,
 * or, xor, or compare-exchange (value when old equals arg[1], else old itself: x86's LOCK CMPXCHG
 * writes either way). */
uint64_t op_rmw_result(const mem_req_t *r, uint64_t old);

#endif
