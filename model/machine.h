/* machine.h: a configured multicore machine: per-core caches and store buffers, a snooping bus,
 * a shared last level, memory holding real bytes, and the event loop that runs cores in
 * simulated-time order.
 *
 * Invariants the machine keeps (checked after every transaction when cfg.check is set):
 * - a line is writable (E or M) in at most one core, and then valid in no other core's D-side;
 * - every readable copy holds the latest value (memory's bytes are the performed value; caches
 *   hold coherence state, and non-snooping I-caches the bytes they were filled with, which they
 *   fill from the point of unification, below the L1Ds);
 * - each core's stores leave its store buffer in program order;
 * - events happen in time order; among equal times, lower core ids first: a run is a pure
 *   function of its configuration, inputs and seed.
 */
#ifndef COHSIM_MACHINE_H
#define COHSIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bus.h"
#include "cache.h"
#include "coherence.h"
#include "faults.h"
#include "ipi.h"
#include "observe.h"
#include "op.h"
#include "storebuf.h"

#define MACHINE_MAX_CORES 64

typedef enum arch { ARCH_X86, ARCH_ARM } arch_t;

typedef struct machine_config {
    uint32_t cores;
    const protocol_t *protocol; /* coherence.h: protocol_lookup(name) */
    arch_t arch;
    bool icache_snoop;     /* stores invalidate matching I-cache lines (x86) */
    /* First level: split (l1i + l1d) or unified (l1): exactly one of l1.size and l1d.size is
     * nonzero; l1i.size may be 0 with a split L1 (no I-cache: ifetches go to the next level). */
    cache_config_t l1i, l1d, l1;
    cache_config_t l2;     /* private per core; size 0: absent */
    cache_config_t llc;    /* shared; size 0: absent */
    bool llc_inclusive;
    uint32_t sb_entries;   /* 0: no store buffer, stores perform at once */
    uint32_t sb_drain_latency;
    uint32_t bus_latency, bus_occupancy;
    uint32_t mem_latency;
    uint32_t ipi_latency, ipi_handler;
    uint32_t ipi_ack;      /* cycles from a handler's end to its acknowledgement reaching the sender */
    uint32_t syscall;      /* cycles to enter and leave the kernel: the OS layer's calls charge it */
    uint32_t page_size;
    uint32_t disk_latency;     /* cycles per disk request */
    uint32_t disk_bandwidth;   /* bytes per cycle */
    uint64_t seed;
    uint32_t jitter;           /* each latency gains a uniform 0..jitter extra cycles */
    bool check;                /* verify the invariants after every transaction */
    uint64_t memory_pages_max; /* simulated memory: at most this many 4 KiB pages; 0: no limit */
    /* Run every request through the general event loop and execute, never the solo loop or the
     * quick path: for tests that show those change nothing. */
    bool general_paths_only;
    /* Deliberate protocol bugs (FAULT_BIT of faults.def; 0: none), for teaching: --inject. */
    uint32_t faults;
    /* Let every bus transaction visit every other core, as a snooping bus does, instead of only
     * those the snoop filter names as holding the line: for tests that show the filter changes
     * nothing (every count and cycle is the same either way). */
    bool snoop_broadcast;
    /* The most lines the snoop filter may track (0: as many as memory allows): past them the bus
     * snoops every core, as when the filter cannot grow; for tests that show that fallback
     * changes nothing. */
    uint64_t snoop_filter_max_lines;
} machine_config_t;

typedef struct machine machine_t;

typedef struct core_stats {
    uint64_t ops[OP_COUNT];
    uint64_t stall_cycles;
} core_stats_t;

/* What one executed request returned. */
typedef struct req_result {
    uint64_t value;  /* loads and rmw: the value read (little-endian, first 8 bytes) */
    uint64_t issued; /* the cycle it started */
    uint64_t done;   /* the cycle its core may go on */
    uint64_t seq;    /* which request of its source this was, counting from 1 */
    int status;      /* a machine_status_t: MACHINE_OK or MACHINE_STOPPED (observer records) */
} req_result_t;

/* What the machine's fallible calls return: MACHINE_OK, MACHINE_STOPPED (no error: the run was
 * asked to stop), or an error (negative). */
typedef enum machine_status {
    MACHINE_OK = 0,
    MACHINE_STOPPED = 1,       /* a source's done callback or a failed check stopped the run */
    MACHINE_EBADCPU = -1,      /* cpu >= cores */
    MACHINE_EBADSIZE = -2,     /* size not 1..64 */
    MACHINE_ENOMEM = -3,
    MACHINE_EUNSUPPORTED = -4, /* an operation this machine cannot execute */
    MACHINE_EDEADLOCK = -5,    /* nothing can move */
    MACHINE_ECHECK = -6,       /* an invariant failed (check mode); see machine_error */
    MACHINE_ECONFIG = -7,      /* machine_config_check: a configuration that cannot be built */
    MACHINE_ESOURCE = -100,    /* machine_run: a source's next failed (the source has the message) */
} machine_status_t;

/* On the machine's fallible calls: a caller that drops the status is a compile error. */
#define MACHINE_MUST_CHECK __attribute__((warn_unused_result))

/* MACHINE_OK when cfg can be built, else MACHINE_ECONFIG with "key: reason" in err. */
machine_status_t machine_config_check(const machine_config_t *cfg, char *err, size_t errlen)
    MACHINE_MUST_CHECK;
/* The bytes machine_create allocates for cfg (which passes machine_config_check): caches, store
 * buffers, the snoop filter at its largest and the machine itself; simulated memory grows apart
 * (memory_bytes_for). */
uint64_t machine_bytes(const machine_config_t *cfg);
/* NULL with the reason in err when cfg is invalid or memory runs out. */
machine_t *machine_create(const machine_config_t *cfg, char *err, size_t errlen);
void machine_destroy(machine_t *m);
const machine_config_t *machine_config(const machine_t *m);

/* What a source's next (and next_batch) says: a request (next_batch: a count of them, > 0), the
 * end of the stream, or its own error (the source keeps the message). */
enum { SOURCE_GOT = 1, SOURCE_END = 0, SOURCE_ERROR = -1 };

/* A source of requests for the event loop: the next request for its core(s), and the result of
 * each executed one (an interpreter needs loaded values before it can go on).
 * next: SOURCE_GOT, SOURCE_END or SOURCE_ERROR. */
typedef struct core_source {
    int (*next)(void *opaque, mem_req_t *out);
    /* 0 go on; nonzero stops the run (machine_run returns MACHINE_STOPPED), e.g. a failed
     * expectation. */
    int (*done)(void *opaque, const mem_req_t *req, const req_result_t *res);
    void *opaque;
    /* true: the source looks at the value a load or fetch returned only for requests that state
     * one (REQ_HAS_VALUE), so the machine may leave res->value 0 for the others (a trace). An
     * interpreter leaves it false. */
    bool values_unused;
    /* true: done need only be called for loads that state a value (a trace checking what they
     * read); false: for every request (an interpreter, a timer). */
    bool done_only_for_values;
    /* Optional, used instead of next: *reqs points to the next count requests (count > 0;
     * SOURCE_END no more, SOURCE_ERROR), which stay valid and unchanged until the next call. */
    int (*next_batch)(void *opaque, const mem_req_t **reqs);
} core_source_t;

/* The OS layer, wired in as signals so that the machine never includes it.
 * translate: map [vaddr, vaddr+size) of cpu to a contiguous physical range before it reaches the
 *   caches; extra_cycles is charged to the access (a page fault reading from disk). MACHINE_OK
 *   or an error status (with the message in machine_error via machine_fail).
 * store_performed: a store left a store buffer (or an rmw wrote) at paddr: dirty the page.
 * execute: run an OPC_PRIMITIVE, OPC_OS or OPC_CHECK request on cpu at cycle now (the machine has
 *   drained cpu's store buffer first for primitives). It may send IPIs (machine_ipi_send); the
 *   request then completes when every IPI has been acknowledged. Returns MACHINE_OK,
 *   MACHINE_STOPPED for a failed check (machine_run returns it), or an error status.
 * resume: optional; the last acknowledgement of the IPIs execute sent for req has reached cpu and
 *   the core is free, at cycle res->done: the OS layer does the call's work that had to wait for
 *   the handlers (and its return to user mode), moving res->done later and setting res->value.
 * completed: the request executed by execute is complete, with its final timing. */
typedef struct machine_os {
    void *opaque;
    machine_status_t (*translate)(void *opaque, unsigned cpu, uint64_t vaddr, unsigned size,
                                  bool write, uint64_t now, uint64_t *paddr,
                                  uint64_t *extra_cycles);
    void (*store_performed)(void *opaque, uint64_t paddr, unsigned size);
    /* store_performed is called only for stores at or above this physical address (0: every
     * store): the OS layer's frames, the only memory whose stores it notes. */
    uint64_t stores_noted_from;
    machine_status_t (*execute)(void *opaque, machine_t *m, unsigned cpu, const mem_req_t *req,
                                uint64_t now, req_result_t *res);
    void (*resume)(void *opaque, machine_t *m, unsigned cpu, const mem_req_t *req,
                   req_result_t *res);
    void (*completed)(void *opaque, unsigned cpu, const mem_req_t *req, const req_result_t *res);
    /* Optional: whether translate is now the identity with no extra cycles (nothing is mapped),
     * so the machine may skip it. Asked at the start of a run and after every request executed
     * by execute, the only ones that can change the answer. */
    bool (*identity)(void *opaque);
    /* Optional: zero the OS layer's counters, called by machine_stats_reset with the machine's
     * own, so a warm-up's primitive calls and page traffic are not counted in the region. */
    void (*stats_reset)(void *opaque);
} machine_os_t;

/* Attach an observer (fn NULL: detach), before machine_run: fn receives every event of the
 * following runs as a record (observe.h); the run computes exactly what it would without one
 * (the machine then keeps to its general paths). */
void machine_observe(machine_t *m, obs_fn fn, void *opaque);
/* Report ev to the observer, if any: for the OS layer's own events (primitives, page faults). */
void machine_emit(machine_t *m, const obs_event_t *ev);

/* Attach the OS layer (copied); before machine_run. */
void machine_attach_os(machine_t *m, const machine_os_t *os);
/* Record a failure message for machine_error (for the OS layer); returns status. */
machine_status_t machine_fail(machine_t *m, machine_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* IPIs: schedule delivery to core `to` at now + ipi latency; its handler waits for the core's store
 * buffer to drain, runs for the handler cost and acknowledges, the acknowledgement reaching the
 * sender ipi_ack cycles later. The handler's cycles are the interrupted core's: work it was busy
 * with ends that much later. The sender's current request completes when all its IPIs are
 * acknowledged. */
machine_status_t machine_ipi_send(machine_t *m, unsigned from, unsigned to, uint64_t now)
    MACHINE_MUST_CHECK;
/* The same with the handler's work named: IPI_WORK_FLUSH_CACHES also writes back and invalidates
 * the core's private caches after the drain (machine_flush_processor), and the round's last
 * handler the shared level too; those cycles lengthen the handler. */
machine_status_t machine_ipi_send_work(machine_t *m, unsigned from, unsigned to, uint64_t now,
                                       ipi_work_t work)
    MACHINE_MUST_CHECK;
/* Store-buffer entries the handlers of from's current IPI round found and drained. */
uint64_t machine_ipi_round_drained(const machine_t *m, unsigned from);
const ipi_stats_t *machine_ipi_stats(const machine_t *m, unsigned cpu);

/* Cache maintenance for the primitives. Each returns the cycles it costs and adds its work to
 * counts. A line costs one cycle to examine or invalidate; a write-back costs the bus occupancy
 * (at least one cycle), and any write-back adds one memory latency for the last to land. */
typedef struct maint_counts {
    uint64_t lines_invalidated, lines_written_back;
} maint_counts_t;
/* Invalidate I-cache lines of [addr, addr+len) (all lines when all) on the cores in core_mask. */
uint64_t machine_icache_invalidate(machine_t *m, uint64_t core_mask, uint64_t addr, uint64_t len,
                                   bool all, maint_counts_t *counts);
/* Clean the dirty L1D lines of [addr, addr+len) (every dirty L1D line when all) of the cores in
 * core_mask to the point of unification (the core's L2, else the shared level), keeping them
 * valid: what an instruction fetch reads then has their bytes. By address it is one broadcast
 * per line, which every L1D looks up at once; all: each core walks its own L1D, in parallel. */
uint64_t machine_dcache_clean(machine_t *m, uint64_t core_mask, uint64_t addr, uint64_t len,
                              bool all, maint_counts_t *counts);
/* Snoop dirty copies of [addr, addr+len) out of every cache to memory; invalidate them too when
 * invalidate. One snoop by address per line, which every cache looks up at once: a line costs
 * one cycle to examine however many cores there are. */
uint64_t machine_snoop_out(machine_t *m, uint64_t addr, uint64_t len, bool invalidate,
                           maint_counts_t *counts);
/* Write back and invalidate every line of every cache: cpu's own caches when cpu_only, else every
 * core's and the shared level. */
uint64_t machine_flush_caches(machine_t *m, int cpu_only, bool invalidate, maint_counts_t *counts);
/* One processor's share of flushing the whole machine (KeInvalidateAllCaches, each processor in
 * turn): write back and invalidate cpu's private caches, then the shared level when shared_too.
 * With a shared level, a core's dirty line is counted written back once, when the shared level
 * writes it out (so shared_too goes to the processor that flushes last). */
uint64_t machine_flush_processor(machine_t *m, unsigned cpu, bool shared_too,
                                 maint_counts_t *counts);
/* The lines the handlers of from's current IPI round invalidated and wrote back. */
maint_counts_t machine_ipi_round_maintenance(const machine_t *m, unsigned from);
/* Store-buffer entries cpu drained for the request it is executing (a fence, an rmw or a primitive
 * waits for its own store buffer to empty: the entries it found there). */
uint64_t machine_syscall_drained(const machine_t *m, unsigned cpu);
/* Store-buffer entries now held by cpu. */
unsigned machine_sb_count(const machine_t *m, unsigned cpu);

/* Run to completion. per_core: sources[i] feeds core i (independent streams; a request's cpu
 * field is overwritten with i). !per_core: sources[0] alone feeds every core in global issue
 * order (each request issues at the later of its core's clock and the previous request's issue
 * time). Store buffers are drained at the end. Returns MACHINE_OK, MACHINE_STOPPED when a source's
 * done callback (or a failed check of the OS layer) asked to stop, or an error (MACHINE_ESOURCE
 * when a source failed). */
machine_status_t machine_run(machine_t *m, const core_source_t *sources, unsigned nsources,
                             bool per_core) MACHINE_MUST_CHECK;

/* How many requests the machine has taken from source i (of the last machine_run): after a failure
 * of one global stream, the number of the failing request. */
uint64_t machine_source_taken(const machine_t *m, unsigned i);
/* The core whose request stopped the last machine_run with an error, or -1 when the error was no
 * request's (a source's own, a deadlock, a failed check). With one source per core, that core's
 * failing request is the last one taken from its source. */
int machine_failed_cpu(const machine_t *m);

/* The cycle the machine has reached (the largest core clock). */
uint64_t machine_cycles(const machine_t *m);
uint64_t machine_core_cycles(const machine_t *m, unsigned cpu);
const char *machine_error(const machine_t *m);
/* After a run that check mode stopped (MACHINE_ECHECK): the cycle of the event that broke the
 * invariant machine_error names (the bus transaction, drain or request it names), else the
 * machine's cycle. */
uint64_t machine_broken_cycle(const machine_t *m);

/* Values: what a load by cpu would read now (store buffer forwarding included) and memory. */
uint64_t machine_peek(const machine_t *m, unsigned cpu, uint64_t addr, unsigned size);
/* The bytes of [addr, addr+size) as cpu's instruction side would fetch them now: its I-cache's
 * copy when it holds the line, which a non-snooping I-cache may keep stale, else what a fill
 * would read at the point of unification (without I-cache snooping, a line dirty in an L1D shows
 * the bytes it had before it was written there, until it is cleaned). */
void machine_ifetch_bytes(machine_t *m, unsigned cpu, uint64_t addr, unsigned size, uint8_t *out);
void machine_mem_read(const machine_t *m, uint64_t addr, void *buf, size_t len);
machine_status_t machine_mem_write(machine_t *m, uint64_t addr, const void *buf, size_t len)
    MACHINE_MUST_CHECK;

/* Statistics. Cache accessors return NULL for levels this machine does not have. */
const core_stats_t *machine_core_stats(const machine_t *m, unsigned cpu);
const sb_stats_t *machine_sb_stats(const machine_t *m, unsigned cpu);
const cache_t *machine_l1i(const machine_t *m, unsigned cpu);
const cache_t *machine_l1d(const machine_t *m, unsigned cpu); /* the unified L1 when there is one */
const cache_t *machine_l2(const machine_t *m, unsigned cpu);
const cache_t *machine_llc(const machine_t *m);
const coherence_stats_t *machine_coherence_stats(const machine_t *m);

/* The measured region (model/region.c). Every statistic above (cores, store buffers, caches,
 * coherence, IPIs) is reset by machine_stats_reset, and when the machine issues a roi begin
 * request whose arg[0] roi begins (at least one) have now been issued since the last reset: so a
 * reset falls between the requests of a stream before the mark and those after it. Core clocks
 * are not reset; start_cycle is the cycle of the last reset (0: none). */
typedef struct machine_region {
    uint64_t resets;      /* how many resets happened */
    uint64_t start_cycle; /* the cycle of the last one */
} machine_region_t;
void machine_stats_reset(machine_t *m, uint64_t cycle);
/* --3c: classify every cache's misses from now on (cache_3c); MACHINE_OK, or MACHINE_ENOMEM.
 * A miss caused by another core's invalidation counts as the 3C rules say (model/ccc.h): there
 * is no fourth, coherence, class. */
machine_status_t machine_enable_3c(machine_t *m) MACHINE_MUST_CHECK;
const machine_region_t *machine_region(const machine_t *m);

/* Set cpu's clock before machine_run: the core issues nothing before that cycle (a litmus run's
 * start skew). Never moves a clock backwards. */
void machine_set_core_clock(machine_t *m, unsigned cpu, uint64_t cycle);

#endif
