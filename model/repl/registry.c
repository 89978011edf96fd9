/* registry.c: the one list of replacement policies that configuration looks up by name. */
#include <string.h>

#include "../repl.h"

static const repl_ops_t *const policies[] = {&repl_lru, &repl_fifo, &repl_random, &repl_plru};

const repl_ops_t *repl_lookup(const char *name)
{
    for (unsigned i = 0; i < sizeof policies / sizeof policies[0]; i++)
        if (strcmp(policies[i]->name, name) == 0)
            return policies[i];
    return NULL;
}

const char *repl_names(void) { return "lru, fifo, random, plru"; }
