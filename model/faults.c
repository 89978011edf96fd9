/* faults.c: the names of the deliberate protocol bugs, from faults.def. Pure data; no state. */
#include "faults.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *what, *caught;
} faults[FAULT_COUNT] = {
#define FAULT(id, name, what, caught) [FAULT_##id] = {name, what, caught},
#include "faults.def"
#undef FAULT
};

const char *fault_name(fault_id_t f) { return (unsigned)f < FAULT_COUNT ? faults[f].name : "?"; }
const char *fault_doc(fault_id_t f) { return (unsigned)f < FAULT_COUNT ? faults[f].what : "?"; }
const char *fault_caught_by(fault_id_t f)
{
    return (unsigned)f < FAULT_COUNT ? faults[f].caught : "?";
}

uint32_t fault_lookup(const char *name)
{
    for (unsigned f = 0; f < FAULT_COUNT; f++)
        if (strcmp(faults[f].name, name) == 0)
            return 1u << f;
    return 0;
}

void fault_names(char *out, size_t len, const char *sep)
{
    size_t n = 0;
    if (len)
        out[0] = '\0';
    for (unsigned f = 0; f < FAULT_COUNT && n < len; f++) {
        int k = snprintf(out + n, len - n, "%s%s", f ? sep : "", faults[f].name);
        if (k < 0)
            return;
        n += (size_t)k;
    }
}
