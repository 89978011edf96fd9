/* msi.c: MSI, both sides as the textbook's tables. Without an exclusive state a read miss always
 * ends in S (even when no other agent holds the line), so the first write to a line read alone
 * still takes an upgrade; a modified line seen by a reader is written back and shared. E and O
 * are never entered (their rows behave as S and M would, should a maintenance path hand one in). */
#include "../coherence.h"

#define I LINE_I
#define S LINE_S
#define E LINE_E
#define O LINE_O
#define M LINE_M

/* [state][event] = {transaction, next, next if shared} */
static const proc_rule_t msi_proc[COHERENCE_STATES][PR_EVENTS] = {
    /*            PR_RD                 PR_WR              */
    [I] = {{BUS_RD, S, S},       {BUS_RDX, M, M}},
    [S] = {{BUS_NONE, S, S},     {BUS_UPGR, M, M}},
    [E] = {{BUS_NONE, S, S},     {BUS_UPGR, M, M}}, /* unused by MSI */
    [O] = {{BUS_NONE, M, M},     {BUS_NONE, M, M}}, /* unused by MSI */
    [M] = {{BUS_NONE, M, M},     {BUS_NONE, M, M}},
};

/* [state][transaction] = {next, supplies, writes back} */
static const snoop_rule_t msi_snoop[COHERENCE_STATES][BUS_EVENTS] = {
    /*          NONE        BUS_RD       BUS_RDX      BUS_UPGR  */
    [I] = {{I, 0, 0}, {I, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [S] = {{S, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}},
    [E] = {{S, 0, 0}, {S, 0, 0}, {I, 0, 0}, {I, 0, 0}}, /* unused by MSI */
    [O] = {{M, 0, 0}, {S, 1, 1}, {I, 1, 0}, {I, 0, 0}}, /* unused by MSI */
    [M] = {{M, 0, 0}, {S, 1, 1}, {I, 1, 0}, {I, 0, 0}},
};

const protocol_t protocol_msi = {
    .name = "msi",
    .title = "MSI",
    .clean_sole = S,
    .proc = msi_proc,
    .snoop = msi_snoop,
};
