/* coherence.h: the MESI and MOESI protocols as state x event tables.
 *
 * The processor side says what a local read or write needs (which bus transaction, which state
 * after); the snoop side says what a remote agent does when it sees a transaction on the bus.
 * States are the LINE_* coherence values of cache.h.
 */
#ifndef COHSIM_COHERENCE_H
#define COHSIM_COHERENCE_H

#include <stdint.h>

#include "cache.h"

typedef enum protocol { PROTOCOL_MESI, PROTOCOL_MOESI } protocol_t;

typedef enum bus_event {
    BUS_NONE,  /* no transaction needed */
    BUS_RD,    /* read miss: a readable copy */
    BUS_RDX,   /* write miss: an exclusive copy (read for ownership) */
    BUS_UPGR,  /* write hit on a shared copy: invalidate the others */
    BUS_EVENTS
} bus_event_t;

typedef enum proc_event { PR_RD, PR_WR, PR_EVENTS } proc_event_t;

/* A local access in state: the transaction it needs and the state after it. For a BUS_RD the
 * state after depends on whether another agent keeps a copy: next is LINE_E, next_if_shared
 * LINE_S. */
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

const proc_rule_t *coherence_proc(protocol_t p, uint8_t state, proc_event_t ev);
const snoop_rule_t *coherence_snoop(protocol_t p, uint8_t state, bus_event_t ev);
const char *coherence_state_name(uint8_t state);
const char *coherence_bus_name(bus_event_t ev);

#endif
