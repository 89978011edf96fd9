/* seeing.h: what `run`, `exec` and `litmus` show of a run besides their totals: a narrated log
 * (--explain, explain.c) and a waveform (--vcd, vcd.c), both fed by the machine's event stream
 * (model/observe.h) through one filter (seeing.c: --watch lines, a --cycles window, a cap).
 *
 * Invariants: the views only read events, so an observed run prints the statistics of an
 * unobserved one; nothing is written before the run ends, and each output file is written whole
 * (a temporary file renamed) or not at all; an option's bad argument is an error naming the
 * option, found before the run starts.
 */
#ifndef COHSIM_SEEING_H
#define COHSIM_SEEING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model/machine.h"
#include "sim/cli.h"

#define SEEING_MAX_WATCH 64
#define SEEING_DEFAULT_MAX_EVENTS 200000ull

/* The options every command that shows a run shares. */
#define CLI_SEEING_OPTS                                                                            \
    {"explain", 0, NULL, "narrate the run: one line per event, in words (to standard output)"},   \
    {"explain-to", 0, CLI_OUTPUT_FILE, "write the narrated log to FILE instead"},                          \
    {"vcd", 0, CLI_OUTPUT_FILE, "write a waveform (Value Change Dump, for GTKWave or Surfer) to FILE"},     \
    {"html", 0, CLI_OUTPUT_FILE, "write a step-through page (one self-contained HTML file) to FILE"},     \
    {"watch", 0, "ADDR[,ADDR...]", "show only the events of these addresses' lines (and the "      \
                                   "core-wide ones: IPIs, primitives); in --vcd, their states"},  \
    {"cycles", 0, "FROM:TO", "show only the events of cycles FROM to TO (TO may be left out)"},    \
    {"max-events", 0, "N", "keep at most N events in the log and the page, and N changes in "    \
                           "the waveform (default 200000); a longer run is cut, saying so"}

typedef struct seeing_opts {
    bool explain;
    const char *explain_to, *vcd, *html;
    uint64_t watch[SEEING_MAX_WATCH];
    unsigned nwatch;
    uint64_t from, to; /* the window, inclusive; 0..UINT64_MAX when none is given */
    uint64_t max_events;
} seeing_opts_t;

#define SEEING_OPTS_INIT {.to = UINT64_MAX, .max_events = SEEING_DEFAULT_MAX_EVENTS}

/* Handle one of CLI_SEEING_OPTS for command cmd: 1 handled, 0 not one of them, -1 a bad argument
 * (printed, naming the option). */
int seeing_option(seeing_opts_t *o, const char *cmd, const cli_opt_t *opt, const char *arg);
/* Whether any view was asked for. */
bool seeing_wanted(const seeing_opts_t *o);

/* A growing text buffer; oom is set when it could not grow (the text is then incomplete). */
typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool oom;
} sbuf_t;
void sbuf_printf(sbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sbuf_free(sbuf_t *b);
/* Room for one more of the n items of size bytes at *items (capacity *cap, doubled from first
 * when full). false when out of memory (*items unchanged). */
bool seeing_grow(void **items, size_t *cap, size_t n, size_t size, size_t first);

/* The views of one run. */
typedef struct seeing seeing_t;
typedef struct html_run html_run_t;

/* Views for a run of a machine configured as cfg, for command cmd; title heads the log.
 * NULL when out of memory (printed). */
seeing_t *seeing_create(const seeing_opts_t *o, const machine_config_t *cfg, const char *cmd,
                        const char *title);
/* The observer to attach with machine_observe(m, seeing_observe, s). */
void seeing_observe(void *s, const obs_event_t *ev);
/* What a narrated line reports: the page (--html) highlights the failed and the broken ones. */
typedef enum explain_mark {
    EXPLAIN_PLAIN,  /* an event */
    EXPLAIN_FAILED, /* a check that failed: a checked load's value, an assert, an expect line */
    EXPLAIN_BROKEN, /* check mode's broken invariant, told of the core whose event broke it */
} explain_mark_t;
/* An event the program itself saw (a checked value, the machine stopping), reporting mark,
 * narrated at cycle by core cpu (-1: none) about addr (UINT64_MAX: none, kept whatever --watch
 * says). */
void seeing_note(seeing_t *s, explain_mark_t mark, uint64_t cycle, int cpu, uint64_t addr,
                 const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* The page of the run (NULL when --html was not given), for a command to add sections to. */
html_run_t *seeing_page(seeing_t *s);
/* Write the views: the log to standard output or its file, the waveform to its file; warn about
 * watched addresses no request touched, and about a run cut by the cap. 0, or -1 (printed). */
int seeing_finish(seeing_t *s);
void seeing_destroy(seeing_t *s);

/* ---- the two views (explain.c, vcd.c), fed by seeing.c with the events that pass its filter */

typedef struct explain explain_t;
explain_t *explain_create(const machine_config_t *cfg);
/* Every event, shown or not (the log's counts need them all); only shown ones are narrated. */
void explain_event(explain_t *x, const obs_event_t *ev, bool shown);
void explain_note(explain_t *x, uint64_t cycle, int cpu, explain_mark_t mark, const char *text);
/* Put the log's lines in cycle order (the machine's among equal cycles), closing the open
 * transaction: no event may follow. Returns how many lines (0 when out of memory). */
size_t explain_finish(explain_t *x);
/* Append line i (after explain_finish) as the log prints it, without its newline; *cycle is its
 * cycle, *order its place among the lines in the order they were made, *upto how many events had
 * arrived when the line was complete (any may be NULL). */
void explain_line(const explain_t *x, size_t i, sbuf_t *out, uint64_t *cycle, size_t *order,
                  size_t *upto);
/* What line i (after explain_finish) reports, and the core it is told of (*cpu; -1: none). */
explain_mark_t explain_line_mark(const explain_t *x, size_t i, int *cpu);
/* A value as a student reads it: decimal while small, else hexadecimal (every view). */
const char *explain_value(uint64_t v, char *buf, size_t len);
/* The log, in cycle order, after a line with title. */
void explain_write(explain_t *x, const char *title, sbuf_t *out);
void explain_destroy(explain_t *x);

typedef struct vcd vcd_t;
/* lines: the watched lines (nlines > 0), or none: the 8 most-accessed. */
vcd_t *vcd_create(const machine_config_t *cfg, const uint64_t *lines, unsigned nlines,
                  uint64_t from, uint64_t to);
/* Returns false once the waveform holds max changes (the event is then not kept). */
bool vcd_event(vcd_t *v, const obs_event_t *ev, uint64_t max);
/* The cycle up to which the waveform is complete when it was cut (UINT64_MAX: not cut). */
uint64_t vcd_cut_at(const vcd_t *v);
void vcd_write(vcd_t *v, const char *title, sbuf_t *out);
void vcd_destroy(vcd_t *v);

/* The step-through page (html_run.c): fed every event the log is fed, in the same order;
 * watched_lines (nwatch; none: every line) must outlive it; at most max changes are kept, those
 * of events before cycle from (the window's start) reduced to what they leave when they fill it. */
html_run_t *html_run_create(const uint64_t *watched_lines, unsigned nwatch, uint64_t max,
                            uint64_t from);
void html_run_event(html_run_t *h, const obs_event_t *ev);
/* Code a core runs: instructions at [lo, hi) on core cpu are row `row` of the code the page shows
 * (an element with id code-CPU-ROW, from html_run_section), highlighted while it is the last one
 * that core fetched. */
typedef struct html_code_range {
    uint64_t lo, hi;
    int cpu;
    unsigned row;
} html_code_range_t;
/* Copy the ranges (any order). 0, or -1 when out of memory. */
int html_run_code(html_run_t *h, const html_code_range_t *ranges, size_t n);
/* Add a section (heading, then html as given) below the step-through. */
void html_run_section(html_run_t *h, const char *heading, const char *html);
/* The page: one step per line of x's log (x is finished by it); log_cut_at is the cycle where the
 * log was cut (UINT64_MAX: not cut); *stops_at where the page stops (UINT64_MAX: it does not).
 * 0, or -1 when out of memory. */
int html_run_write(html_run_t *h, explain_t *x, const machine_config_t *cfg, const char *title,
                   uint64_t log_cut_at, sbuf_t *out, uint64_t *stops_at);
void html_run_destroy(html_run_t *h);

#endif
