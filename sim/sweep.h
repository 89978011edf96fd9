/* sweep.h: a parameter sweep: its spec (an INI file), the points of its cross product with their
 * stable ids, the result file of each point and input (a trace for `run`, a program for `exec`, a
 * litmus file for `litmus`), and the statistics collected from them.
 *
 * A point is one value per parameter, from the cross product less those a [constraints] line
 * excludes (`l2.size > l1d.size`); its id hashes the sorted `section.key=value` pairs (values
 * canonical: numbers in decimal, so 8K and 8192 are one point), the base machine, and the
 * command when it is not run, so renaming the spec or reordering its lines renames no result.
 * Points are numbered in the spec's cross-product order (the first parameter varies slowest);
 * that order is the jobs' and the CSV's.
 */
#ifndef COHSIM_SWEEP_H
#define COHSIM_SWEEP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The most points a spec may make: more is a mistake in a range, not a sweep. */
#define SWEEP_MAX_POINTS 100000u

typedef struct sweep_param {
    char *section, *key; /* l1d, size */
    char **values;       /* as the jobs pass them (-c l1d.size=8K) */
    char **canon;        /* the same, canonical: what the id hashes and the results echo */
    size_t nvalues;
    int line; /* of the spec */
} sweep_param_t;

/* What each job runs on its input: `cohsim run` a trace, `cohsim exec` a program, `cohsim litmus`
 * a litmus file (the spec's traces, programs or litmus key). */
typedef enum sweep_kind { SWEEP_RUN, SWEEP_EXEC, SWEEP_LITMUS } sweep_kind_t;

/* The command of a kind ("run", "exec", "litmus") and the spec key of its inputs ("traces",
 * "programs", "litmus"). */
const char *sweep_kind_command(sweep_kind_t k);
const char *sweep_kind_inputs(sweep_kind_t k);

typedef struct sweep_trace {
    char *path;   /* as the jobs name it: relative to the spec's directory when the spec says so */
    char *result; /* the file-name part of its result: the input's base name */
} sweep_trace_t;

typedef struct sweep_spec {
    char *path;
    char *preset;      /* one of preset and config is set */
    char *config;      /* path, as the jobs name it */
    uint64_t config_hash; /* of the config file's bytes: an edited base is another sweep */
    char *format;      /* the traces' format, or NULL to detect */
    sweep_kind_t kind; /* the jobs' command */
    sweep_trace_t *traces; /* the inputs: traces, programs or litmus files, as kind says */
    size_t ntraces;
    sweep_param_t *params;
    size_t nparams;
    size_t *by_name; /* the parameters' indices sorted by section.key: the order ids hash them in */
    size_t ncross;   /* points of the cross product */
    size_t npoints;  /* those that meet every constraint */
    size_t *kept;    /* kept[p]: point p's number in the cross product */
} sweep_spec_t;

/* Read and check a spec: every key, list, range and value, the traces' existence, and the
 * machine of every point. 0, or -1 with "SPEC:LINE: what was expected" (or naming the point) in
 * err. The spec is freed by sweep_spec_free either way. */
int sweep_spec_load(sweep_spec_t *s, const char *path, char *err, size_t errlen);
void sweep_spec_free(sweep_spec_t *s);

/* Point p's value index of parameter k (mixed radix over the parameters' value counts, of its
 * number in the cross product). */
size_t sweep_value_index(const sweep_spec_t *s, size_t p, size_t k);
/* Point p's id, 16 hex digits. */
void sweep_point_id(const sweep_spec_t *s, size_t p, char id[17]);
/* The result file of point p on trace t: OUT/ID.TRACE.json (malloc'd; NULL when out of memory). */
char *sweep_result_path(const sweep_spec_t *s, const char *out, size_t p, size_t t);

/* Collect every point's results into CSV (a row per point and trace) and, when svg is set, plot
 * statistic y against parameter x with a line per value of parameter series (NULL: one line).
 * Returns 0, or -1 with the message in err (a missing or incomplete result, an unknown column). */
typedef struct sweep_plot {
    const char *x, *y, *series;
} sweep_plot_t;
int sweep_collect(const sweep_spec_t *s, const char *out, FILE *csv, FILE *svg,
                  const sweep_plot_t *plot, char *err, size_t errlen);

/* Whether path holds a complete result of the sweep's command (`cohsim run --json`, exec's or
 * litmus's): it parses, and has its statistics (litmus: its test). */
int sweep_result_complete(const sweep_spec_t *s, const char *path);

#endif
