/* registry.c: the replacement policies that configuration looks up by name, expanded from
 * REPL_POLICIES (model/repl.h), the one list. */
#include <string.h>

#include "../repl.h"

#define POLICY_ADDRESS(name) &repl_##name
#define POLICY_COMMA ,
static const repl_ops_t *const policies[] = {REPL_POLICIES(POLICY_ADDRESS, POLICY_COMMA)};

const repl_ops_t *repl_lookup(const char *name)
{
    for (unsigned i = 0; i < sizeof policies / sizeof policies[0]; i++)
        if (strcmp(policies[i]->name, name) == 0)
            return policies[i];
    return NULL;
}

const char *repl_names(void) { return REPL_NAMES_JOINED(", "); }
