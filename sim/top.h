/* top.h: --top N: the program counters and the lines that miss most in the first-level caches.
 *
 * A trace with instruction addresses (Lackey's I record before an instruction's data accesses,
 * ChampSim's ip) tells each access's program counter: the address of the latest ifetch of the
 * same core. After each request completes, the first-level misses its core counted since its
 * previous request are the request's: they go to its program counter and to its line. (A store
 * buffer drains stores later: a drain's miss goes to the request that completes after it.)
 */
#ifndef COHSIM_TOP_H
#define COHSIM_TOP_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/machine.h"

typedef struct top top_t;

/* For machine m, lines of line bytes; NULL when out of memory. */
top_t *top_create(const machine_t *m, uint64_t line);
void top_destroy(top_t *t);
/* After request req of core cpu completed. 0, or -1 when out of memory. */
int top_request(top_t *t, unsigned cpu, const mem_req_t *req);
/* Forget every count (a statistics reset), keeping each core's program counter. */
void top_reset(top_t *t);
void top_print(FILE *out, const top_t *t, unsigned n);
/* {"pcs": [{"pc", "misses"}...], "lines": [{"line", "misses"}...]}, n of each at most. */
cJSON *top_json(const top_t *t, unsigned n);

#endif
