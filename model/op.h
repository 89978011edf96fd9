/* op.h: the operation vocabulary (from ops.def) and the request that carries one operation.
 *
 * A request is a small value struct, copied freely; it owns no memory. Its name field, when set,
 * points into storage owned by whoever produced the request and is valid until that producer's
 * next record. This header is the only part of model/ that traces/ may include.
 */
#ifndef COHSIM_OP_H
#define COHSIM_OP_H

#include <stdbool.h>
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

/* What a locked rmw r writes over old (size bytes, little-endian in the low bits): add, exchange,
 * or, xor, or compare-exchange (value when old equals arg[1], else old itself: x86's LOCK CMPXCHG
 * writes either way). */
uint64_t op_rmw_result(const mem_req_t *r, uint64_t old);

#endif
