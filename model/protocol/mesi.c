/* mesi.c: MESI, the snoop side as the textbook's table (the processor side is coherence.c's
 * coherence_proc_with_e). A modified line seen by a reader is written back and shared; E and S
 * give up silently; nothing survives RdX/Upgr. O is unused. */
#include "../coherence.h"

#define I LINE_I
#define S LINE_S
#define E LINE_E
#define O LINE_O
#define M LINE_M

/* [state][transaction] = {next, supplies, writes back} */
static const snoop_rule_t mesi_snoop[COHERENCE_STATES][BUS_EVENTS] = {
    /*          NONE        BUS_RD       BUS_RDX      BUS_UPGR  */
    [I] = {{I, 0, 0}, {I, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [S] = {{S, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [E] = {{E, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [O] = {{O, 0, 0}, {O, 1, 0}, {I, 1, 0}, {I, 0, 0}}, /* unused by MESI */
    [M] = {{M, 0, 0}, {S, 1, 1}, {I, 1, 0}, {I, 0, 0}},
};

const protocol_t protocol_mesi = {
    .name = "mesi",
    .title = "MESI",
    .clean_sole = E,
    .proc = coherence_proc_with_e,
    .snoop = mesi_snoop,
};
