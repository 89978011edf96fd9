/* compat.h: `cohsim run --compat dinero|cachegrind`: replay a trace under Dinero IV's or Valgrind
 * Cachegrind's exact rules, print a table and optionally write the JSON report. */
#ifndef COHSIM_COMPAT_H
#define COHSIM_COMPAT_H

#include <stdbool.h>

#include "sim/cli.h"

/* mode "dinero" (format din or xdin; NULL: detected, and it must be one of those) or "cachegrind"
 * (format lackey). One trace (one core). ccc: --3c (dinero only). json_path NULL: no JSON;
 * csv_path NULL: no CSV; quiet: no table. mo: the machine options (its configuration, its preset
 * for the JSON). Returns the exit status: 0, or 2 after printing what was wrong (no JSON file
 * is left behind then). */
int compat_run(const char *mode, const machine_opts_t *mo, const char *format, char **traces,
               int ntraces, const char *json_path, const char *csv_path, bool quiet,
               bool ccc);

#endif
