/* bus.h: the interconnect: one shared snooping bus that grants transactions in request order of
 * time, keeps each for its occupancy, counts them, and decides which agents see each one.
 *
 * A transaction is a value (bus_req_t). The bus owns arbitration, occupancy and the counts; the
 * hierarchy applies the protocol's snoop rule at each agent the bus names (bus_targets) and
 * fetches the data. Which agents must see a transaction is the seam (bus_snoop_ops_t): the
 * broadcast names every agent but the requester; the snoop filter (snoopfilter.h) names only
 * those that hold the line, with no change to the protocols; the hierarchy keeps the filter
 * told of every line its agents gain or lose (hier_lines.h).
 * Invariants: free_at never decreases; a transaction starts no earlier than it was requested and
 * than free_at, and holds the bus for occupancy cycles.
 */
#ifndef COHSIM_BUS_H
#define COHSIM_BUS_H

#include <stdbool.h>
#include <stdint.h>

#include "coherence.h"
#include "snoopfilter.h"

/* The interconnect's counts (what machine_coherence_stats reports): X(field, JSON key, the
 * statistics line's word for one) rows, which the struct, the line and the JSON (sim/report.c)
 * all expand. */
#define COHERENCE_STAT_ROWS(X)                                  \
    X(bus_transactions, "bus_transactions", "bus transaction")  \
    X(invalidations, "invalidations", "invalidation")           \
    X(interventions, "interventions", "intervention")           \
    X(upgrades, "upgrades", "upgrade")                          \
    X(writebacks, "writebacks", "write-back")
typedef struct coherence_stats {
#define COHERENCE_STAT_FIELD(field, key, word) uint64_t field;
    COHERENCE_STAT_ROWS(COHERENCE_STAT_FIELD)
#undef COHERENCE_STAT_FIELD
} coherence_stats_t;

/* One transaction, as the requester puts it on the bus. */
typedef struct bus_req {
    uint64_t line;      /* line address */
    uint64_t now;       /* the cycle the requester asks for the bus */
    unsigned requester; /* agent (core) id */
    bus_event_t ev;     /* BUS_RD, BUS_RDX or BUS_UPGR */
    uint8_t kind;       /* access_kind_t of the access behind it: the LLC counts a fetch as such */
    bool fetch;         /* the requester needs the data (from a peer, the LLC or memory) */
} bus_req_t;

struct bus;

/* The snoop seam: the agents (bit i: agent i, i < nagents) that must see req. */
typedef struct bus_snoop_ops {
    const char *name;
    uint64_t (*targets)(const struct bus *b, const bus_req_t *req, unsigned nagents);
} bus_snoop_ops_t;

/* Every agent but the requester. */
extern const bus_snoop_ops_t bus_broadcast;
/* The agents but the requester that the snoop filter names as holding the line: exactly those
 * of the broadcast that hold it, which are the only ones a snoop changes, so every count and
 * cycle is the broadcast's. */
extern const bus_snoop_ops_t bus_filtered;

typedef struct bus {
    uint32_t latency, occupancy;
    uint64_t free_at;             /* the bus is busy until this cycle */
    const bus_snoop_ops_t *snoop;
    /* With bus_filtered: which agents hold each line (snoopfilter.h), kept by the hierarchy
     * while filtering is set (hier_lines.h); bus_stop_filtering goes back to the broadcast. */
    bool filtering;
    /* The filter also names each line's owner (the machine sets it with many cores, where it
     * lets a read visit the owner only: hierarchy.c's snoop_transaction); cleared with
     * filtering. */
    bool owners;
    sfilter_t filter;
    coherence_stats_t stats;
} bus_t;

/* With snoop bus_filtered, the filter starts empty (the caches must be too); 0, or -1 out of
 * memory. */
int bus_init(bus_t *b, uint32_t latency, uint32_t occupancy, const bus_snoop_ops_t *snoop,
             unsigned line_shift);
void bus_fini(bus_t *b);
/* Broadcast from now on (the filter could not grow): the same counts and cycles, more snoops. */
void bus_stop_filtering(bus_t *b);

/* Grant req the bus: the cycle its transaction starts (it then holds the bus for occupancy
 * cycles, and its requester waits start - now + latency before the snoops have answered). */
static inline uint64_t bus_grant(bus_t *b, const bus_req_t *req)
{
    uint64_t start = req->now > b->free_at ? req->now : b->free_at;
    b->free_at = start + b->occupancy;
    b->stats.bus_transactions++;
    if (req->ev == BUS_UPGR)
        b->stats.upgrades++;
    return start;
}

/* A write-back: it holds the bus, but costs its sender no time (write-back buffers hide it). */
static inline void bus_occupy(bus_t *b, uint64_t now)
{
    b->free_at = (now > b->free_at ? now : b->free_at) + b->occupancy;
    b->stats.bus_transactions++;
}

/* The agents that must see req, by the bus's snoop policy. */
static inline uint64_t bus_targets(const bus_t *b, const bus_req_t *req, unsigned nagents)
{
    return b->snoop->targets(b, req, nagents);
}

#endif
