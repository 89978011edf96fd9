/* os_report.h: the OS layer's part of `cohsim run`'s output: IPIs, the primitives' costs and work,
 * the files and every primitive call, as JSON and as a short table. */
#ifndef COHSIM_OS_REPORT_H
#define COHSIM_OS_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/machine.h"
#include "model/primitives.h"

/* Add "ipi", "primitives", "files" and "calls" to doc. 0, or -1 when out of memory. */
int sim_os_json(cJSON *doc, const machine_t *m, const prim_t *p);
/* The same, readable: lines only for primitives that were called and files that exist. */
void sim_os_print(FILE *out, const machine_t *m, const prim_t *p);

#endif
