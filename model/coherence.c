/* coherence.c: MESI and MOESI, written as the textbook's tables. Pure data; no state. */
#include "coherence.h"

#define I LINE_I
#define S LINE_S
#define E LINE_E
#define O LINE_O
#define M LINE_M

/* Processor side: [state][event]. Identical for both protocols (an owner O is readable and must
 * upgrade to write, like S). */
static const proc_rule_t proc_table[LINE_M + 1][PR_EVENTS] = {
    /*            PR_RD                 PR_WR              */
    [I] = {{BUS_RD, E, S},       {BUS_RDX, M, M}},
    [S] = {{BUS_NONE, S, S},     {BUS_UPGR, M, M}},
    [E] = {{BUS_NONE, E, E},     {BUS_NONE, M, M}},
    [O] = {{BUS_NONE, O, O},     {BUS_UPGR, M, M}},
    [M] = {{BUS_NONE, M, M},     {BUS_NONE, M, M}},
};

/* Snoop side, MESI: [state][transaction] = {next, supplies, writes back}. A modified line seen by
 * a reader is written back and shared; E and S give up silently; nothing survives RdX/Upgr. */
static const snoop_rule_t mesi_snoop[LINE_M + 1][BUS_EVENTS] = {
    /*          NONE        BUS_RD       BUS_RDX      BUS_UPGR  */
    [I] = {{I, 0, 0}, {I, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [S] = {{S, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [E] = {{E, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [O] = {{O, 0, 0}, {O, 1, 0}, {I, 1, 0}, {I, 0, 0}}, /* unused by MESI */
    [M] = {{M, 0, 0}, {S, 1, 1}, {I, 1, 0}, {I, 0, 0}},
};

/* Snoop side, MOESI: a modified line seen by a reader becomes the owner and keeps supplying it,
 * without a write-back; the owner writes back only when evicted. */
static const snoop_rule_t moesi_snoop[LINE_M + 1][BUS_EVENTS] = {
    /*          NONE        BUS_RD       BUS_RDX      BUS_UPGR  */
    [I] = {{I, 0, 0}, {I, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [S] = {{S, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [E] = {{E, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [O] = {{O, 0, 0}, {O, 1, 0}, {I, 1, 0}, {I, 0, 0}},
    [M] = {{M, 0, 0}, {O, 1, 0}, {I, 1, 0}, {I, 0, 0}},
};

const proc_rule_t *coherence_proc(protocol_t p, uint8_t state, proc_event_t ev)
{
    (void)p;
    return &proc_table[state & LINE_STATE_MASK][ev];
}

const snoop_rule_t *coherence_snoop(protocol_t p, uint8_t state, bus_event_t ev)
{
    return p == PROTOCOL_MOESI ? &moesi_snoop[state & LINE_STATE_MASK][ev]
                               : &mesi_snoop[state & LINE_STATE_MASK][ev];
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
