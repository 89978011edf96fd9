/* report.h: a machine's statistics as a readable table and as the JSON document of `cohsim run`. */
#ifndef COHSIM_REPORT_H
#define COHSIM_REPORT_H

#include <cjson/cJSON.h>
#include <stdio.h>

#include "model/machine.h"
#include "sim/cli.h"

void report_print(FILE *out, const machine_t *m);
/* A new JSON document of cohsim (docs/cohsim.schema.json): "command" (run, exec...), "preset"
 * (its name, or null for a --config base) and "config" (every key, numbers as numbers); NULL
 * when out of memory. */
cJSON *report_doc(const char *command, const machine_opts_t *mo);
/* Add the statistics ("cycles", "cores", "shared", "coherence") to doc. 0, or -1 out of memory. */
int report_json(cJSON *doc, const machine_t *m);
/* The per-cache table of doc (report_json's, or a compat mode's) as CSV, written to path whole or
 * not at all: a row per cache (each core's, then the shared level's with an empty core), a column
 * per access kind of accesses and misses, the miss rate and write-backs, and with --3c the
 * compulsory, capacity and conflict misses. 0 or -1 (printed). */
int report_write_csv(const char *path, const cJSON *doc);
/* Serialise doc and write it to path whole or not at all. 0 or -1 (printed). */
int report_write_json(const char *path, cJSON *doc);

#endif
