/* op.c: names, classes, lookup and argument layouts for the operation table (ops.def); pure
 * data, no state. */
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

/* The argument slots of each PRIM and DIRECTIVE row (all OPARG_NONE for the other rows). */
#define ARG(kind, field, label, what) {OPARG_##kind, OPF_##field, label, what}
#define NOARG {OPARG_NONE, OPF_ADDR, NULL, NULL}
static const op_arg_t op_slots[OP_COUNT][OP_MAX_ARGS] = {
#define OP(id, spelling, cls, doc)
#define PRIM(id, spelling, doc, a1, a2, a3, a4) [OP_##id] = {a1, a2, a3, a4},
#define DIRECTIVE(id, spelling, cls, doc, a1, a2, a3, a4, a5) [OP_##id] = {a1, a2, a3, a4, a5},
#include "ops.def"
#undef DIRECTIVE
#undef PRIM
#undef OP
};
#undef NOARG
#undef ARG

static const bool op_has_args[OP_COUNT] = {
#define OP(id, spelling, cls, doc)
#define PRIM(id, spelling, doc, a1, a2, a3, a4) [OP_##id] = true,
#define DIRECTIVE(id, spelling, cls, doc, a1, a2, a3, a4, a5) [OP_##id] = true,
#include "ops.def"
#undef DIRECTIVE
#undef PRIM
#undef OP
};

const op_arg_t *op_args(op_t op, unsigned *nargs, unsigned *required)
{
    *nargs = *required = 0;
    if (op >= OP_COUNT || !op_has_args[op])
        return NULL;
    const op_arg_t *a = op_slots[op];
    while (*nargs < OP_MAX_ARGS && a[*nargs].kind != OPARG_NONE)
        ++*nargs;
    while (*required < *nargs && a[*required].label[0] != '[')
        ++*required;
    return a;
}

const op_arg_t *op_arg_of(op_t op, op_arg_kind_t kind)
{
    unsigned n, req;
    const op_arg_t *a = op_args(op, &n, &req);
    for (unsigned i = 0; i < n; i++)
        if (a[i].kind == kind)
            return &a[i];
    return NULL;
}

uint64_t op_arg_get(const mem_req_t *r, const op_arg_t *a)
{
    switch ((op_arg_field_t)a->field) {
    case OPF_ADDR: return r->addr;
    case OPF_ARG0: return r->arg[0];
    case OPF_ARG1: return r->arg[1];
    case OPF_ARG2: return r->arg[2];
    case OPF_SIZE: return r->size;
    case OPF_VALUE: return r->value;
    case OPF_NAME: break;
    }
    return 0;
}

void op_arg_put(mem_req_t *r, const op_arg_t *a, uint64_t v)
{
    switch ((op_arg_field_t)a->field) {
    case OPF_ADDR: r->addr = v; break;
    case OPF_ARG0: r->arg[0] = v; break;
    case OPF_ARG1: r->arg[1] = v; break;
    case OPF_ARG2: r->arg[2] = v; break;
    case OPF_SIZE: r->size = (uint32_t)v; break;
    case OPF_VALUE: r->value = v; r->flags |= REQ_HAS_VALUE; break;
    case OPF_NAME: break;
    }
}

void op_usage(op_t op, char *buf, size_t len)
{
    unsigned n, req;
    const op_arg_t *a = op_args(op, &n, &req);
    size_t used = 0;
    const char *name = op_name(op);
    if (len == 0)
        return;
    buf[0] = '\0';
    for (unsigned i = 0; i <= n; i++) {
        const char *word = i == 0 ? name : a[i - 1].label;
        size_t w = strlen(word);
        if (used + (i > 0) + w >= len)
            break;
        if (i > 0)
            buf[used++] = ' ';
        memcpy(buf + used, word, w + 1);
        used += w;
    }
}

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
