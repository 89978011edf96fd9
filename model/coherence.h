/* coherence.h: coherence protocols as state x event tables, one const struct per protocol
 * (model/protocol/: one file each), found by name in one registry (coherence.c).
 *
 * The processor side says what a local read or write needs (which bus transaction, which state
 * after); the snoop side says what a remote agent does when it sees a transaction on the bus.
 * States are the LINE_* coherence values of cache.h. Invariants every protocol's tables keep
 * (test_machine checks them for each registered protocol): a write leaves the writer in M; after
 * BUS_RDX or BUS_UPGR no other agent keeps a copy; at most one agent supplies data; the states a
 * protocol does not use are never reached from I through its own tables.
 */
#ifndef COHSIM_COHERENCE_H
#define COHSIM_COHERENCE_H

#include <stdint.h>

#include "cache.h"

typedef enum bus_event {
    BUS_NONE,  /* no transaction needed */
    BUS_RD,    /* read miss: a readable copy */
    BUS_RDX,   /* write miss: an exclusive copy (read for ownership) */
    BUS_UPGR,  /* write hit on a shared copy: invalidate the others */
    BUS_EVENTS
} bus_event_t;

typedef enum proc_event { PR_RD, PR_WR, PR_EVENTS } proc_event_t;

/* A local access in state: the transaction it needs and the state after it. For a BUS_RD the
 * state after depends on whether another agent keeps a copy: next without one, next_if_shared
 * with one. */
typedef struct proc_rule {
    bus_event_t bus;
    uint8_t next, next_if_shared;
} proc_rule_t;

/* A remote agent in state seeing a transaction: its next state, whether it supplies the data
 * (an intervention), and whether it writes the line back to the shared level. */
typedef struct snoop_rule {
    uint8_t next;
    uint8_t supplies;
    uint8_t writes_back;
} snoop_rule_t;

#define COHERENCE_STATES (LINE_M + 1)

typedef struct protocol {
    const char *name;  /* as configured (machine.protocol = name) */
    const char *title; /* as printed */
    /* The state of a copy that a write-back has just made clean while no other agent holds it
     * (maintenance, a write-through L1): E, or S in a protocol without E. */
    uint8_t clean_sole;
    const proc_rule_t (*proc)[PR_EVENTS];   /* [state][event], COHERENCE_STATES rows */
    const snoop_rule_t (*snoop)[BUS_EVENTS]; /* [state][transaction], COHERENCE_STATES rows */
} protocol_t;

/* The one list of registered protocols, in the order configuration shows them: X(name) for each,
 * SEP between two. The registry (protocols[] in coherence.c) and machine.protocol's allowed values
 * (sim/config_keys.def) expand it; each protocol is a const protocol_t protocol_NAME in
 * model/protocol/NAME.c whose .name is "NAME". */
#define PROTOCOLS(X, SEP) X(mesi) SEP X(moesi) SEP X(msi)

#define PROTOCOL_EXTERN(name) extern const protocol_t protocol_##name;
PROTOCOLS(PROTOCOL_EXTERN, )
#undef PROTOCOL_EXTERN

/* The protocols' names as one string literal, sep between two ("mesi|moesi|msi"). */
#define PROTOCOL_NAME_STRING(name) #name
#define PROTOCOL_NAMES_JOINED(sep) PROTOCOLS(PROTOCOL_NAME_STRING, sep)

/* The processor side of the protocols with an exclusive state (MESI, MOESI): the textbook's. */
extern const proc_rule_t coherence_proc_with_e[COHERENCE_STATES][PR_EVENTS];

/* The protocol called name, or NULL. */
const protocol_t *protocol_lookup(const char *name);
/* The registry's i-th protocol (NULL past the last), in the order names lists them. */
const protocol_t *protocol_at(unsigned i);

static inline const proc_rule_t *coherence_proc(const protocol_t *p, uint8_t state, proc_event_t ev)
{
    return &p->proc[state & LINE_STATE_MASK][ev];
}

static inline const snoop_rule_t *coherence_snoop(const protocol_t *p, uint8_t state,
                                                  bus_event_t ev)
{
    return &p->snoop[state & LINE_STATE_MASK][ev];
}

const char *coherence_state_name(uint8_t state);
const char *coherence_bus_name(bus_event_t ev);

#endif
