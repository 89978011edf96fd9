/* coherence.c: the registry of coherence protocols, the processor side MESI and MOESI share, and
 * the names of states and transactions. Pure data; no state. */
#include <string.h>

#include "coherence.h"

#define I LINE_I
#define S LINE_S
#define E LINE_E
#define O LINE_O
#define M LINE_M

/* Processor side: [state][event]. Identical for MESI and MOESI (an owner O is readable and must
 * upgrade to write, like S). */
const proc_rule_t coherence_proc_with_e[COHERENCE_STATES][PR_EVENTS] = {
    /*            PR_RD                 PR_WR              */
    [I] = {{BUS_RD, E, S},       {BUS_RDX, M, M}},
    [S] = {{BUS_NONE, S, S},     {BUS_UPGR, M, M}},
    [E] = {{BUS_NONE, E, E},     {BUS_NONE, M, M}},
    [O] = {{BUS_NONE, O, O},     {BUS_UPGR, M, M}},
    [M] = {{BUS_NONE, M, M},     {BUS_NONE, M, M}},
};

/* The protocols that configuration looks up by name, expanded from PROTOCOLS (coherence.h). */
#define PROTOCOL_ADDRESS(name) &protocol_##name
#define PROTOCOL_COMMA ,
static const protocol_t *const protocols[] = {PROTOCOLS(PROTOCOL_ADDRESS, PROTOCOL_COMMA)};

const protocol_t *protocol_at(unsigned i)
{
    return i < sizeof protocols / sizeof protocols[0] ? protocols[i] : NULL;
}

const protocol_t *protocol_lookup(const char *name)
{
    for (unsigned i = 0; protocol_at(i); i++)
        if (strcmp(protocols[i]->name, name) == 0)
            return protocols[i];
    return NULL;
}

const char *coherence_state_name(uint8_t state)
{
    static const char *const names[] = {"I", "S", "E", "O", "M"};
    unsigned s = state & LINE_STATE_MASK;
    return s <= LINE_M ? names[s] : "?";
}

const char *coherence_bus_name(bus_event_t ev)
{
    static const char *const names[] = {"none", "BusRd", "BusRdX", "BusUpgr"};
    return ev < BUS_EVENTS ? names[ev] : "?";
}
