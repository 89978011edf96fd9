/* machine.h: a configured multicore machine: per-core caches and store buffers, a snooping bus,
 * a shared last level, memory holding real bytes, and the event loop that runs cores in
 * simulated-time order.
 *
 * Invariants the machine keeps (checked after every transaction when cfg.check is set):
 * - a line is writable (E or M) in at most one core, and then valid in no other core's D-side;
 * - every readable copy holds the latest value (memory's bytes are the performed value; caches
 *   hold coherence state, and non-snooping I-caches the bytes they were filled with);
 * - each core's stores leave its store buffer in program order;
 * - events happen in time order; among equal times, lower core ids first: a run is a pure
 *   function of its configuration, inputs and seed.
 */
#ifndef COHSIM_MACHINE_H
#define COHSIM_MACHINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cache.h"
#include "op.h"

#define MACHINE_MAX_CORES 64

typedef enum protocol { PROTOCOL_MESI, PROTOCOL_MOESI } protocol_t;
typedef enum arch { ARCH_X86, ARCH_ARM } arch_t;

typedef struct machine_config {
    uint32_t cores;
    protocol_t protocol;
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
    uint32_t page_size;
    uint32_t disk_latency;     /* cycles per disk request */
    uint32_t disk_bandwidth;   /* bytes per cycle */
    uint64_t seed;
    uint32_t jitter;           /* each latency gains a uniform 0..jitter extra cycles */
    bool check;                /* verify the invariants after every transaction */
} machine_config_t;

typedef struct machine machine_t;

/* Statistics of one store buffer. */
typedef struct sb_stats {
    uint64_t stores, forwarded, drained, full_stalls, max_occupancy;
} sb_stats_t;

typedef struct coherence_stats {
    uint64_t bus_transactions, invalidations, interventions, upgrades, writebacks;
} coherence_stats_t;

typedef struct core_stats {
    uint64_t ops[OP_COUNT];
    uint64_t stall_cycles;
} core_stats_t;

/* What one executed request returned. */
typedef struct req_result {
    uint64_t value;  /* loads and rmw: the value read (little-endian, first 8 bytes) */
    uint64_t issued; /* the cycle it started */
    uint64_t done;   /* the cycle its core may go on */
    int status;      /* 0, or a MACHINE_E* code */
} req_result_t;

enum {
    MACHINE_OK = 0,
    MACHINE_EBADCPU = -1,      /* cpu >= cores */
    MACHINE_EBADSIZE = -2,     /* size not 1..64 */
    MACHINE_ENOMEM = -3,
    MACHINE_EUNSUPPORTED = -4, /* an operation this machine cannot execute */
    MACHINE_EDEADLOCK = -5,    /* nothing can move */
    MACHINE_ECHECK = -6,       /* an invariant failed (check mode); see machine_error */
};

/* 0 when cfg can be built, else -1 with "key: reason" in err. */
int machine_config_check(const machine_config_t *cfg, char *err, size_t errlen);
/* NULL with the reason in err when cfg is invalid or memory runs out. */
machine_t *machine_create(const machine_config_t *cfg, char *err, size_t errlen);
void machine_destroy(machine_t *m);
const machine_config_t *machine_config(const machine_t *m);

/* A source of requests for the event loop: the next request for its core(s), and the result of
 * each executed one (an interpreter needs loaded values before it can go on).
 * next: 1 a request, 0 no more, -1 error (the source keeps its own message). */
typedef struct core_source {
    int (*next)(void *opaque, mem_req_t *out);
    void (*done)(void *opaque, const mem_req_t *req, const req_result_t *res);
    void *opaque;
} core_source_t;

/* Run to completion. per_core: sources[i] feeds core i (independent streams; a request's cpu
 * field is overwritten with i). !per_core: sources[0] alone feeds every core in global issue
 * order (each request issues at the later of its core's clock and the previous request's issue
 * time). Store buffers are drained at the end. Returns 0, 1 when a source's done callback asked
 * to stop, or a negative MACHINE_E* / -100 when a source failed. */
int machine_run(machine_t *m, const core_source_t *sources, unsigned nsources, bool per_core);

/* The cycle the machine has reached (the largest core clock). */
uint64_t machine_cycles(const machine_t *m);
uint64_t machine_core_cycles(const machine_t *m, unsigned cpu);
const char *machine_error(const machine_t *m);

/* Values: what a load by cpu would read now (store buffer forwarding included) and memory. */
uint64_t machine_peek(const machine_t *m, unsigned cpu, uint64_t addr, unsigned size);
void machine_mem_read(const machine_t *m, uint64_t addr, void *buf, size_t len);
int machine_mem_write(machine_t *m, uint64_t addr, const void *buf, size_t len);

/* Statistics. Cache accessors return NULL for levels this machine does not have. */
const core_stats_t *machine_core_stats(const machine_t *m, unsigned cpu);
const sb_stats_t *machine_sb_stats(const machine_t *m, unsigned cpu);
const cache_t *machine_l1i(const machine_t *m, unsigned cpu);
const cache_t *machine_l1d(const machine_t *m, unsigned cpu); /* the unified L1 when there is one */
const cache_t *machine_l2(const machine_t *m, unsigned cpu);
const cache_t *machine_llc(const machine_t *m);
const coherence_stats_t *machine_coherence_stats(const machine_t *m);

#endif
