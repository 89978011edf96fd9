/* report_3c.h: --3c's compulsory, capacity and conflict misses per cache and access kind, as a
 * table and as a "ccc" object in each cache of report_json's document (and of compat dinero's). */
#ifndef COHSIM_REPORT_3C_H
#define COHSIM_REPORT_3C_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/ccc.h"
#include "model/machine.h"

/* A header, then one row per cache and kind with misses. */
void report_3c_header(FILE *out);
void report_3c_rows(FILE *out, const char *name, const ccc_stats_t *s);
/* The table of every cache of m. */
void report_3c_print(FILE *out, const machine_t *m);
/* {"compulsory": {read, write, ifetch, misc, total}, "capacity": ..., "conflict": ...} */
cJSON *report_3c_object(const ccc_stats_t *s);
/* Add "ccc" to every cache object of report_json(m)'s doc. 0, or -1 out of memory. */
int report_3c_json(cJSON *doc, const machine_t *m);
/* Whether some cache of m could not classify a reference (out of memory). */
bool report_3c_failed(const machine_t *m);

#endif
