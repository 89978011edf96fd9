/* report.h: a machine's statistics as a readable table and as the JSON document of `cohsim run`. */
#ifndef COHSIM_REPORT_H
#define COHSIM_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/machine.h"

void report_print(FILE *out, const machine_t *m);
/* The statistics object ("cycles", "cores", "shared", "coherence"); NULL when out of memory. */
cJSON *report_json(const machine_t *m);
/* Serialise doc and write it to path whole or not at all. 0 or -1 (printed). */
int report_write_json(const char *path, cJSON *doc);

#endif
