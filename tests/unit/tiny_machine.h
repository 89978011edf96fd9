/* tiny_machine.h: for the unit tests of the machine and the OS layer: a machine on tiny
 * geometries, so that misses, evictions and snoops happen within a few requests, and a scripted
 * source of requests that keeps each one's result. */
#ifndef COHSIM_TEST_TINY_MACHINE_H
#define COHSIM_TEST_TINY_MACHINE_H

#include "model/machine.h"

/* 1-set 2-way L1s, a 2-set 2-way L2, a 4-set 4-way LLC, 4-entry store buffers, IPIs of 100 cycles
 * to deliver and 50 to handle, system calls of 2 cycles; invariants checked after every transaction. */
static inline machine_config_t tiny_machine(unsigned cores, const protocol_t *p)
{
    cache_config_t l1 = {.size = 2 * 64, .assoc = 2, .line = 64, .repl = &repl_lru,
                         .write_back = true, .write_allocate = true, .latency = 1};
    cache_config_t l2 = l1, llc = l1;
    l2.size = 4 * 64;
    l2.latency = 4;
    llc.size = 16 * 64;
    llc.assoc = 4;
    llc.latency = 10;
    machine_config_t c = {.cores = cores, .protocol = p, .arch = ARCH_X86, .icache_snoop = true,
                          .l1i = l1, .l1d = l1, .l2 = l2, .llc = llc,
                          .sb_entries = 4, .sb_drain_latency = 5, .bus_latency = 20,
                          .bus_occupancy = 2, .mem_latency = 100, .ipi_latency = 100,
                          .ipi_handler = 50, .syscall = 2, .page_size = 4096, .disk_latency = 1000,
                          .disk_bandwidth = 1, .seed = 1, .check = true};
    return c;
}

/* reqs[0..n) in order; values[i] and res[i] are request i's result once it is done. */
typedef struct script {
    const mem_req_t *reqs;
    unsigned n, next;
    uint64_t values[64];
    req_result_t res[64];
} script_t;

static inline int script_next(void *opaque, mem_req_t *out)
{
    script_t *s = opaque;
    if (s->next == s->n)
        return 0;
    *out = s->reqs[s->next++];
    return 1;
}

/* A request is done before its source gives the next: the last one given is the one done. */
static inline int script_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    script_t *s = opaque;
    (void)req;
    s->values[s->next - 1] = res->value;
    s->res[s->next - 1] = *res;
    return 0;
}

#define LD(c, a) {.op = OP_LOAD, .cpu = c, .addr = a, .size = 8}
#define ST(c, a, v) {.op = OP_STORE, .cpu = c, .addr = a, .size = 8, .value = v, .flags = REQ_HAS_VALUE}
#define FENCE(c) {.op = OP_FENCE, .cpu = c}
#define IF(c, a) {.op = OP_IFETCH, .cpu = c, .addr = a, .size = 4}

#endif
