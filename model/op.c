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
