/* refmodel.h: the C model's side of the RTL lockstep (model/rtl/harness.cpp): the answers the C
 * blocks give, through their public interfaces only, in the shape the harness compares.
 *
 * Two references:
 * - a cache: model/cache.h's array with the write policy compat_dinero.c applies to one level
 *   (the response to each access: hit, way, victim, write-back), run beside the Dinero engine
 *   itself (its per-access miss and write-back counts), so both must agree with the RTL;
 * - a machine of 1 to 4 cores (model/machine.h) with split L1Ds only, MESI, and store buffers,
 *   fed one global stream of requests; after each request the harness sees the value a load
 *   returned, every core's store-buffer occupancy, coherence counts, L1D hits and misses, and
 *   can ask for any core's state of any line and for memory.
 * This is the one file to change when the store buffer and the observer get their own
 * interfaces (model/storebuf.h, model/observe.h): then drains can be seen one by one.
 * Model code: it never prints; errors come back in err.
 */
#ifndef COHSIM_REFMODEL_H
#define COHSIM_REFMODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#include "model/machine.h"

typedef struct ref_cache ref_cache_t;

typedef struct ref_cache_resp {
    bool hit;
    uint32_t way;         /* the way hit, or the way filled (meaningful only when filled) */
    bool filled;          /* a miss that allocated */
    bool victim_valid;    /* the fill replaced a valid line ... */
    uint64_t victim_addr; /* ... this one ... */
    bool writeback;       /* ... which was dirty */
    bool dinero_miss;     /* the Dinero engine counted a miss */
    bool dinero_writeback;/* ... and a write-back */
} ref_cache_resp_t;

/* A cache of sets x ways x line bytes, LRU (fifo false) or FIFO, write-back + write-allocate
 * (write_back) or write-through + no-allocate. NULL with the reason in err. */
ref_cache_t *ref_cache_create(uint32_t sets, uint32_t ways, uint32_t line, bool fifo,
                              bool write_back, char *err, size_t errlen);
void ref_cache_destroy(ref_cache_t *r);
/* One access within one line. 0, or -1 with the reason in err (the Dinero engine refused it). */
int ref_cache_access(ref_cache_t *r, uint64_t addr, bool write, ref_cache_resp_t *out, char *err,
                     size_t errlen);
/* Slot set * ways + way: its line address, state byte (cache.h's LINE_*), and whether valid. */
bool ref_cache_slot(const ref_cache_t *r, uint32_t slot, uint64_t *addr, uint8_t *state);

typedef struct ref_sys ref_sys_t;

typedef struct ref_sys_config {
    uint32_t cores;       /* 1..4 */
    uint32_t sets, ways, line;
    bool fifo, write_back;
    uint32_t sb_entries;  /* 0: stores perform at once */
} ref_sys_config_t;

/* What the machine shows after one request (cumulative counts; the harness takes differences). */
typedef struct ref_sys_view {
    uint64_t value;       /* a load's value */
    uint64_t issued;      /* the cycle the request started */
    unsigned sb_count[4];
    uint64_t l1_accesses[4], l1_misses[4]; /* per core, reads and writes */
    uint64_t forwarded[4];
    coherence_stats_t coh;
} ref_sys_view_t;

/* The harness's side: next fills *req (1), or says there is no more (0); check looks at the
 * machine after each request and returns 0 to go on, nonzero to stop. */
typedef int (*ref_sys_next_fn)(void *opaque, mem_req_t *req);
typedef int (*ref_sys_check_fn)(void *opaque, const ref_sys_t *sys, const mem_req_t *req,
                                const ref_sys_view_t *view);

/* The machine configuration ref_sys_run builds (for a platform that builds its own). */
void ref_sys_machine_config(const ref_sys_config_t *cfg, machine_config_t *out);

/* Build the machine and run the stream through it. Returns 0 when the stream ended (store
 * buffers then drained), 1 when check stopped it, -1 with the reason in err. on_end, when not
 * NULL, is called once after the final drain with the view then. */
int ref_sys_run(const ref_sys_config_t *cfg, ref_sys_next_fn next, ref_sys_check_fn check,
                ref_sys_check_fn on_end, void *opaque, char *err, size_t errlen);

/* Inside check: cpu's state byte for addr's line (LINE_I when absent), and memory. */
uint8_t ref_sys_line_state(const ref_sys_t *s, unsigned cpu, uint64_t addr);
uint64_t ref_sys_mem_word(const ref_sys_t *s, uint64_t addr);
unsigned ref_sys_sb_count(const ref_sys_t *s, unsigned cpu);
/* For a dump: slot set * ways + way of cpu's L1D, as ref_cache_slot. */
bool ref_sys_slot(const ref_sys_t *s, unsigned cpu, uint32_t slot, uint64_t *addr, uint8_t *state);

#ifdef __cplusplus
}
#endif

#endif
