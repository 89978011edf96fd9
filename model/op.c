/* op.c: names, classes and lookup for the operation table (ops.def); pure data, no state. */
#include "op.h"

#include <string.h>

static const struct {
    const char *name;
    const char *doc;
} op_table[OP_COUNT] = {
#define OP(id, spelling, cls, doc) [OP_##id] = {spelling, doc},
#include "ops.def"
#undef OP
};

const uint8_t op_classes[OP_COUNT] = {
#define OP(id, spelling, cls, doc) [OP_##id] = cls,
#include "ops.def"
#undef OP
};

const char *op_name(op_t op) { return op < OP_COUNT ? op_table[op].name : "?"; }
const char *op_doc(op_t op) { return op < OP_COUNT ? op_table[op].doc : ""; }

op_t op_lookup(const char *name, unsigned len)
{
    for (unsigned i = 0; i < OP_COUNT; i++)
        if (strlen(op_table[i].name) == len && memcmp(op_table[i].name, name, len) == 0)
            return (op_t)i;
    return OP_COUNT;
}

uint64_t op_rmw_result(const mem_req_t *r, uint64_t old)
{
    uint64_t operand = r->flags & REQ_HAS_VALUE ? r->value : 1;
    uint64_t mask = r->size >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * r->size)) - 1;
    switch (r->arg[0]) {
    case RMW_XCHG: return operand;
    case RMW_OR: return old | operand;
    case RMW_XOR: return old ^ operand;
    case RMW_CMPXCHG: return (old & mask) == (r->arg[1] & mask) ? operand : old;
    default: return old + operand;
    }
}
