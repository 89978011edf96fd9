/* machine_priv.h: the machine's representation, shared by the files of model/ that implement it
 * (machine.c: creation and the event loop; hierarchy.c: accesses and the bus's snoops;
 * maintenance.c: cache maintenance). A core embeds its store buffer (storebuf_priv.h) and IPI
 * port (ipi.h); the machine its bus (bus.h). The OS layer (primitives.c) does not include it: it
 * goes through machine.h and its signals. Nothing outside model/ and tests may include it.
 *
 * Invariants, besides those of machine.h:
 * - a private L2, when present, holds every line of its core's L1D (and of its L1I when I-caches
 *   snoop), in the same coherence state; an inclusive LLC holds every line of every private cache;
 * - a store buffer has capacity cfg.sb_entries (storebuf.h keeps its own invariants);
 * - a core is in at most one wait (store buffer, acknowledgements) and handles one IPI at a time;
 * - with I-caches that do not snoop and a split first level (pou_in_l1d), an L1D line marked
 *   LINE_DIRTY holds, in its data, the line's bytes at the point of unification (what the level
 *   below it holds, which an instruction fetch reads): memory's bytes when the line became dirty
 *   there. At most one L1D holds a line dirty.
 */
#ifndef COHSIM_MACHINE_PRIV_H
#define COHSIM_MACHINE_PRIV_H

#include "bus.h"
#include "coherence.h"
#include "faults.h"
#include "ipi.h"
#include "machine.h"
#include "memory.h"
#include "observe.h"
#include "rng.h"
#include "storebuf_priv.h"

typedef struct monitor monitor_t;

typedef struct core {
    unsigned id;
    bool l1i_got_modified; /* hierarchy.c: an L1I fill found the line modified (M) in this core */
    cache_t *l1i;  /* NULL: no I-cache, or a unified L1 (ifetches use l1d) */
    cache_t *l1d;  /* the unified L1 when the first level is unified */
    cache_t *l2;   /* NULL: none */
    /* The caches whose lines make up this core's agent state (hier_lines.h), which the snoop
     * filter follows: {l2, NULL} with an L2, else {l1d, the L1I when it snoops, else NULL}. */
    cache_t *coherent[2];
    sb_t sb;               /* storebuf.c */
    uint64_t clock;        /* the cycle the core may issue its next request */

    /* The request taken from the source and not yet executed, where the source keeps it (valid
     * until the source is asked again, which happens only after it has issued), and its number in
     * the source. Its cpu field may name another core (per-core streams): the machine gives the
     * request to the OS layer and the source's done with the core's id in it. */
    const mem_req_t *pending;
    uint64_t pending_seq;
    bool pending_needs_empty; /* it waits for an empty store buffer (a fence, rmw, primitive) */
    bool has_pending;
    /* Its next request is the batch's next (machine.c's core_burst left it there, its key made):
     * not taken from the source yet, but as if held, for the event loop. */
    bool pending_in_batch;
    uint64_t not_before;   /* global issue order: the previous record's issue cycle */
    bool source_done;
    bool waited_full;      /* the pending store found the buffer full */
    bool values_unused;    /* its source does not look at values it did not state */
    bool done_for_values;  /* its source's done is called only for loads stating a value */
    uint64_t syscall_drained; /* entries drained while the pending request waited for them */

    /* The request waiting for the acknowledgements of the IPIs it sent (has_waiting_req, which
     * the event loop reads for every core, before the port, near the fields above). */
    bool has_waiting_req;
    ipi_port_t ipi;        /* ipi.c: IPIs to this core, and the acknowledgements it waits for */
    mem_req_t waiting_req;
    req_result_t waiting_res;

    core_stats_t stats;
} core_t;

/* Where a source's requests are taken from: batch[pos..count) are those not yet taken (sources
 * with next_batch); a source with only next delivers into slot. taken counts requests taken. */
typedef struct feed {
    const mem_req_t *batch;
    unsigned pos, count;
    uint64_t taken;
    mem_req_t slot;
} feed_t;

struct machine {
    machine_config_t cfg;
    rng_t rng;
    core_t core[MACHINE_MAX_CORES];
    cache_t *llc;
    memory_t *mem;
    uint32_t line;         /* line size, the same at every level */
    bus_t bus;             /* bus.h: the interconnect's state and counts */
    machine_os_t os;
    bool has_os;
    const core_source_t *sources;
    feed_t feed[MACHINE_MAX_CORES]; /* one per source */
    unsigned nsources;
    bool identity;         /* the OS layer's translation is the identity now (or there is none) */
    bool quick;            /* identity, no check mode, no jitter: quick_issue may serve requests */
    bool per_core;
    bool solo_plain;       /* machine.c's solo_plain, for this machine_run */
    uint64_t last_issue;   /* global issue order: the previous record's issue cycle */
    unsigned npending;     /* cores holding a request taken from a source */
    uint64_t stale;        /* cores whose cached next event must be computed again (bit i) */
    /* Core i's earliest event, valid while its bit in stale is clear, as one number that orders
     * events as the loop takes them: cycle << 8 | kind << 6 | i (UINT64_MAX for none). Cycles
     * must stay below 2^56 (time_overflow says when one did not). The keys of cores the machine
     * has not stay UINT64_MAX (least_key reads four whatever the cores). */
    uint64_t next_key[MACHINE_MAX_CORES];
    /* With more than EVENT_SCAN_MAX cores (machine.c) the keys are kept instead as the leaves of
     * a tournament tree of four-way nodes, so that a core's new key costs three steps of four
     * keys each instead of a scan of every core: event_tree[i] is core i's key (UINT64_MAX past
     * the last core); event_tree[EVENT_TREE_L1 + k] the least of leaves 4k..4k+3,
     * event_tree[EVENT_TREE_L2 + k] the least of event_tree[EVENT_TREE_L1 + 4k..], and
     * event_tree[EVENT_TREE_ROOT] the least of those four: the earliest. event_tree_kept: false
     * when next_key is scanned instead (few cores: a scan costs less than the tree). */
#define EVENT_TREE_L1 MACHINE_MAX_CORES
#define EVENT_TREE_L2 (EVENT_TREE_L1 + MACHINE_MAX_CORES / 4)
#define EVENT_TREE_ROOT (EVENT_TREE_L2 + MACHINE_MAX_CORES / 16)
    uint64_t event_tree[EVENT_TREE_ROOT + 1];
    bool event_tree_kept;
    bool time_overflow;
    /* Non-snooping I-caches on a split first level: L1D lines keep the point of unification's
     * bytes while dirty (hier_pou_capture). pou_handoff holds them for pou_handoff_line while a
     * dirty L1D copy passes to another core without reaching the point of unification (an owner
     * invalidated by a write without writing back: MOESI), until the writer's L1D takes them. */
    bool pou_in_l1d;
    uint64_t pou_handoff_line;
    uint8_t *pou_handoff;
    int failed_cpu;          /* see machine_failed_cpu */
    machine_region_t region; /* region.c: the statistics' last reset */
    uint64_t roi_marks;      /* roi begins issued since the last reset */
    /* The observer (machine_observe), NULL when none; obs_now is the cycle its records of cache
     * and bus changes carry: the start of the access or operation that caused them. */
    obs_fn obs;
    void *obs_opaque;
    uint64_t obs_now;
    /* Check mode and the faults (faults.h) watch the machine through its own observer, the
     * monitor (monitor.c): obs is then monitor_event, which passes every record on to the
     * observer machine_observe attached (user_obs, NULL: none). */
    monitor_t *mon;
    obs_fn user_obs;
    void *user_obs_opaque;
    /* What the faults change, built once (machine.c): whether I-caches take part in coherence
     * (icache-no-snoop), and the protocol whose snoop table keeps copies on a BusRdX
     * (no-invalidate). */
    bool l1i_snoops;
    protocol_t faulty_protocol;
    snoop_rule_t faulty_snoop[COHERENCE_STATES][BUS_EVENTS];
    char error[1024];
};

/* Report an event to the observer, if one is attached: OBSERVE(m, .kind = ..., ...), the fields
 * of obs_event_t that the kind fills (observe.def); the rest are 0. Only general paths use it:
 * with an observer attached the machine never takes its quick paths. */
#define OBSERVE(m, ...)                                                                            \
    do {                                                                                           \
        if (__builtin_expect((m)->obs != NULL, 0))                                                 \
            machine_emit((m), &(obs_event_t){__VA_ARGS__});                                        \
    } while (0)

/* hierarchy.c: one access by core c at cycle now; each returns the cycles it takes. hier_read and
 * hier_ifetch are inline in hier_access.h, for both issue paths. */
uint64_t hier_write(machine_t *m, core_t *c, uint64_t line, uint64_t now);
/* hier_write for a caller that knows the L1D is cache_is_plain and keeps its own recent slot for
 * data accesses (hint, as cache_lookup_as): solo_burst_plain's stores, out of line so that its
 * loop keeps its registers. */
uint64_t hier_write_plain(machine_t *m, core_t *c, uint64_t line, uint64_t now, uint32_t *hint);
/* hier_write_as (hier_access.h, hier_write's body) after its L1D lookup missed, or hit slot s in
 * a state that needs more than a dirty mark; and the drop of a line the core's own L1I fetched
 * modified. Out of line, as the misses below. */
uint64_t hier_write_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now);
uint64_t hier_write_hit_slow(machine_t *m, core_t *c, uint64_t line, int32_t s, uint64_t now);
void hier_drop_own_icache_copy(machine_t *m, core_t *c, uint64_t line);
/* hier_read and hier_ifetch (with an L1I) after their L1 lookup, already counted as an access,
 * missed; and hier_ifetch on a split first level without an I-cache. Out of line: the hit paths
 * save no registers. */
uint64_t hier_read_miss(machine_t *m, core_t *c, uint64_t line, access_kind_t kind, uint64_t now);
uint64_t hier_ifetch_miss(machine_t *m, core_t *c, uint64_t line, uint64_t now);
uint64_t hier_ifetch_without_l1(machine_t *m, core_t *c, uint64_t line, uint64_t now);
/* The fetched bytes of [addr, addr+size) as core c's I-side sees them: its I-cache's bytes when
 * it holds the line, else those a fill would read at the point of unification (hier_pou_read). */
void hier_ifetch_bytes(machine_t *m, core_t *c, uint64_t addr, unsigned size, uint8_t *out);
/* The bytes of line at the point of unification, which an I-cache fill reads: memory's, except
 * that a line dirty in an L1D (pou_in_l1d) shows the bytes it had below that L1D. fetcher NULL:
 * as they are now (a fill, after its own bus transaction); else as a fill by fetcher would find
 * them, counting the write-back its bus read would cause. */
void hier_pou_read(const machine_t *m, const core_t *fetcher, uint64_t line, uint8_t *out);
/* The coherence state of line in core c's private caches (LINE_I when none holds it). */
uint8_t hier_agent_state(const machine_t *m, const core_t *c, uint64_t line);
/* Check the invariants for line; 0, or MACHINE_ECHECK with the message in m->error. */
int hier_check_line(machine_t *m, uint64_t line);
/* Check every line any cache holds. */
int hier_check_all(machine_t *m);

/* machine.c */
uint64_t machine_jitter(machine_t *m);

/* monitor.c: the machine's own observer, created when check mode or a fault is on.
 * monitor_event is the machine's observer then (opaque: the machine); it keeps what the checks
 * and no-writeback need and passes the record on. monitor_check: the invariants that the event
 * stream shows since the last call (stores leave a store buffer in program order; modified data
 * leaves a core only by a write-back or to another core), 0 or MACHINE_ECHECK with the message;
 * monitor_blame adds to m->error the event that broke the invariant; monitor_lose_line (the
 * no-writeback fault) puts back in memory the bytes the shared level last had of line. */
monitor_t *monitor_create(const machine_config_t *cfg);
void monitor_destroy(monitor_t *mon);
void monitor_event(void *machine, const obs_event_t *ev);
int monitor_check(machine_t *m);
void monitor_blame(machine_t *m);
uint64_t monitor_broken_cycle(const monitor_t *mon, uint64_t otherwise);
void monitor_lose_line(machine_t *m, uint64_t line);

/* region.c: core-independent work of a roi begin or roi end request issued at cycle now. */
void region_mark(machine_t *m, const mem_req_t *r, uint64_t now);

/* Whether machine_create gives cfg's bus a snoop filter. */
bool machine_filters(const machine_config_t *cfg);

#endif
