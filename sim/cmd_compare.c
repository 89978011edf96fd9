/* cmd_compare.c: `cohsim compare`: the model and this host on the same work, side by side.
 *
 * Staircase: the same random cyclic pointer chase (one pointer per 64-byte line, Sattolo order)
 * runs on the host and as dependent loads through the configured machine, its pages placed at
 * random as the host's are (sim/stair_model.c); model ns = cycles * 1000 / clock_mhz,
 * clock_mhz from machine.clock_mhz (calibrate writes it) or else the host's time-stamp counter.
 * Error = (model - host) / host.
 * Primitives: the host's cases (host_primitives.c) replayed on the model (compare_prims.c): cost
 * per operation side by side, and the counted work compared exactly where the host measured it
 * (stale runs, IPIs, pages written, resident pages); a count user space cannot measure
 * (refetched I-cache lines, WBINVD's lines to memory) is shown as "model only" and never
 * agrees; counts_agree is true when at least one count was compared and all compared ones are
 * equal.
 * --host-results FILE: the host side read from a file `cohsim host --json` wrote (or a test
 * made) instead of measured now.
 * Litmus: the 2-thread tests given (files, or --litmus DIR) through the model's exploration
 * (the one `cohsim litmus` runs) and the host runner; subset is true when every state the host
 * showed is one the model reached.
 * Time errors: each staircase point and primitive case is "within noise" (|model - host median|
 * no larger than the host's interquartile range), "within" (|error| at most --tolerance, 15% by
 * default) or "OUTSIDE"; a primitive is OUTSIDE when one of its cases is, the staircase when its
 * median |error| is past the tolerance even with the points within noise counted as no error.
 * The configuration compared is named, with whether calibrate wrote it on the host compared
 * (its "# cohsim preset calibrated on HOST:" line), in the text, the JSON and the HTML.
 * Exit status 1 when a compared count differs or a host state is not a model state, and with
 * --strict when a time error is OUTSIDE.
 * Output: a table; --json FILE and --html FILE (with an inline SVG plot of the staircase and the
 * primitive and litmus tables) are written whole or not at all.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "isa/litmus_explore.h"
#include "model/machine.h"
#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "sim/host.h"
#include "sim/host_cmd.h"
#include "sim/outfile.h"
#include "sim/report.h"

static const cli_opt_t compare_opts[] = {
    CLI_MACHINE_OPTS,
    {"json", 0, CLI_OUTPUT_FILE, "write the comparison as JSON"},
    {"html", 0, CLI_OUTPUT_FILE, "write the comparison as HTML with an SVG plot of the staircase"},
    {"litmus", 0, "DIR", "compare the 2-thread litmus tests of DIR (its @all list, else every "
                         "*.litmus file), besides any FILE.litmus given"},
    {"litmus-runs", 0, "N", "model runs per litmus test (default 2000: four times what cohsim "
                            "litmus gives a 2-thread test, for every allowed state, not only "
                            "the condition's)"},
    {"host-results", 0, "FILE", "compare with the staircase and primitives `cohsim host --json "
                                "FILE` wrote instead of measuring them now"},
    {"tolerance", 0, "PCT", "the time error (model vs host median) still within the model's "
                            "reach, in percent (default 15)"},
    {"strict", 0, NULL, "exit 1 also when a time error is past the tolerance (and not within "
                        "the host's own spread)"},
    HOST_TIMING_OPTS,
    HOST_LITMUS_OPTS("host-seed"), /* --seed is the machine's */
    {0},
};

static const cli_spec_t compare_spec = {
    "compare", "[options] [FILE.litmus...]",
    "Runs the model and this host on the same work and prints one table: the latency staircase\n"
    "(model vs measured per working set, with the error), the primitives (cost per operation and\n"
    "the counted work, which must agree exactly) and the 2-thread litmus tests given (the states\n"
    "each side reached; the host's must be among the model's). Each time error gets a verdict:\n"
    "within the tolerance, within noise (the difference is no larger than the host's own\n"
    "interquartile range) or OUTSIDE. Exit status 1 when a count differs, a host state is not a\n"
    "model state or, with --strict, a time error is OUTSIDE. Use the preset `cohsim calibrate -o\n"
    "host.ini` wrote: --config host.ini.",
    compare_opts,
};

typedef struct compare_ctx {
    machine_opts_t mo;
    host_run_opts_t h;
    const char *json, *html, *litmus_dir;
    const char *host_results; /* --host-results: measured before (or made by a test) */
    const char *config_path; /* --config: calibrate's staircase is read from its comments */
    uint64_t litmus_runs;
    double tolerance; /* a fraction; 0: the default */
    int strict;
} compare_ctx_t;

#define COMPARE_TOLERANCE 0.15 /* the README's default */

static int compare_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    compare_ctx_t *c = ctx;
    if (strcmp(opt->name, "config") == 0)
        c->config_path = arg;
    int h = machine_opts_handle(&c->mo, opt, arg, "x86-2");
    if (h != 0)
        return h < 0 ? -1 : 0;
    if (strcmp(opt->name, "json") == 0)
        c->json = arg;
    else if (strcmp(opt->name, "html") == 0)
        c->html = arg;
    else if (strcmp(opt->name, "litmus") == 0)
        c->litmus_dir = arg;
    else if (strcmp(opt->name, "host-results") == 0)
        c->host_results = arg;
    else if (strcmp(opt->name, "strict") == 0)
        c->strict = 1;
    else if (strcmp(opt->name, "tolerance") == 0) {
        char *end;
        double v = strtod(arg, &end);
        if (*end == '%')
            end++;
        if (end == arg || *end || !(v > 0 && v <= 1000)) {
            cli_error("compare: --tolerance '%s': expected a percentage above 0 and at most 1000 "
                      "(e.g. 15 or 15%%)", arg);
            return -1;
        }
        c->tolerance = v / 100;
    }
    else if (strcmp(opt->name, "litmus-runs") == 0) {
        char *end;
        unsigned long long v = strtoull(arg, &end, 10);
        if (!*arg || *end || *arg == '-' || v == 0 || v > 100000000ull) {
            cli_error("compare: --litmus-runs '%s': expected a whole number from 1 to 100000000",
                      arg);
            return -1;
        }
        c->litmus_runs = v;
    } else
        return host_opts_option(&c->h, opt, arg);
    return 0;
}

/* ---- output ------------------------------------------------------------------------------- */

/* A time error's verdict: no time on one side; the difference no larger than the host's own
 * interquartile range (the error cannot be told from the host's scatter); within the tolerance;
 * past it. */
typedef enum { VERDICT_NONE, VERDICT_NOISE, VERDICT_WITHIN, VERDICT_OUTSIDE } verdict_t;

static const char *const verdict_words[] = {"", "within noise", "within", "OUTSIDE"};

typedef struct stair_row {
    uint64_t bytes;
    double model_ns, error;
    host_stat_t host;         /* the host's median and spread */
    verdict_t verdict;
    double cal_ns, cal_error; /* the host as calibrate measured it (cal_ns < 0: not there) */
} stair_row_t;

/* The time verdicts of one primitive's cases. */
typedef struct prim_times {
    verdict_t v[HOST_MAX_MEASURES];
    double error[HOST_MAX_MEASURES]; /* (model - host) / host where both timed */
    unsigned timed, noise, within, outside;
    double worst; /* the largest |error| of a case not within noise */
} prim_times_t;

/* The configuration compared and whether it was calibrated on the host compared with. */
typedef struct config_desc {
    char what[600];         /* "preset x86-2", "configuration host.ini", ... */
    char calibrated_on[256]; /* the host calibrate ran on ("": not a calibrate output) */
    bool on_this_host;
    char note[800];          /* one sentence for all three outputs */
} config_desc_t;

/* Everything one comparison found, for the table, the JSON and the HTML. */
typedef struct report {
    double mhz;
    bool clock_from_config;
    config_desc_t cfg;
    char host_source[600]; /* "measured now" or "read from FILE" */
    double tolerance;
    stair_row_t rows[40];
    unsigned n;
    double med_err, max_err;
    unsigned within; /* points within the tolerance */
    unsigned noise;  /* points within noise */
    verdict_t stair_verdict; /* of the median |error| */
    unsigned ncal;   /* points calibrate measured too */
    double cal_med_err, cal_max_err;
    unsigned cal_within;
    host_results_t host; /* measured now, or read from --host-results */
    cmp_prim_t model[HOST_NPRIMS];
    prim_times_t times[HOST_NPRIMS];
    cmp_litmus_t *lit;
    size_t nlit, caplit;
    char litmus_note[256];
} report_t;

static const char *size_name(uint64_t b, char *buf, size_t len)
{
    if (b >= (1u << 20))
        snprintf(buf, len, "%llu MiB", (unsigned long long)(b >> 20));
    else
        snprintf(buf, len, "%llu KiB", (unsigned long long)(b >> 10));
    return buf;
}

static double model_ns(const report_t *r, double cycles) { return cycles * 1000.0 / r->mhz; }

static verdict_t time_verdict(double model, const host_stat_t *h, double tolerance)
{
    if (!h->n || h->median <= 0 || model < 0)
        return VERDICT_NONE;
    double diff = fabs(model - h->median);
    if (diff <= h->q3 - h->q1)
        return VERDICT_NOISE;
    return diff / h->median <= tolerance ? VERDICT_WITHIN : VERDICT_OUTSIDE;
}

/* Each primitive case's time error and verdict, and their tally per primitive. */
static void judge_prims(report_t *r)
{
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->host.prims[i];
        prim_times_t *t = &r->times[i];
        memset(t, 0, sizeof *t);
        for (unsigned j = 0; j < p->nm; j++) {
            const cmp_case_t *c = &r->model[i].c[j];
            double m = c->run ? model_ns(r, c->cycles) : -1;
            t->v[j] = time_verdict(m, &p->m[j].ns, r->tolerance);
            if (t->v[j] == VERDICT_NONE)
                continue;
            t->error[j] = (m - p->m[j].ns.median) / p->m[j].ns.median;
            t->timed++;
            t->noise += t->v[j] == VERDICT_NOISE;
            t->within += t->v[j] == VERDICT_WITHIN;
            t->outside += t->v[j] == VERDICT_OUTSIDE;
            if (t->v[j] != VERDICT_NOISE && fabs(t->error[j]) > t->worst)
                t->worst = fabs(t->error[j]);
        }
    }
}

/* A primitive's time verdict in words: "within 15%", "OUTSIDE 15% in 2 of 3 cases" ... */
static const char *prim_time_words(const prim_times_t *t, double tolerance, char *buf,
                                   size_t len)
{
    if (!t->timed)
        snprintf(buf, len, "no case timed on both sides");
    else if (t->outside)
        snprintf(buf, len, "OUTSIDE %g%% in %u of %u cases (largest |error| %.0f%%)",
                 tolerance * 100, t->outside, t->timed, t->worst * 100);
    else
        snprintf(buf, len, "within %g%% (%u case%s, %u within noise)", tolerance * 100, t->timed,
                 t->timed == 1 ? "" : "s", t->noise);
    return buf;
}

/* The staircase's verdict in words: its median |error| within the tolerance; past it only at
 * points within noise (the median with those counted as no error is within); or OUTSIDE. */
static const char *stair_verdict_words(const report_t *r, char *buf, size_t len)
{
    if (r->stair_verdict == VERDICT_WITHIN)
        snprintf(buf, len, "within the %g%% tolerance", r->tolerance * 100);
    else if (r->stair_verdict == VERDICT_NOISE)
        snprintf(buf, len, "within noise (past the %g%% tolerance only at points the host's own "
                 "spread covers)", r->tolerance * 100);
    else
        snprintf(buf, len, "OUTSIDE the %g%% tolerance", r->tolerance * 100);
    return buf;
}

/* One line of the text table, built piece by piece and printed without trailing blanks (the
 * columns of an empty cell). */
typedef struct line {
    char s[2048];
    size_t n;
} line_t;

static void line_add(line_t *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void line_add(line_t *l, const char *fmt, ...)
{
    if (l->n >= sizeof l->s - 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(l->s + l->n, sizeof l->s - l->n, fmt, ap);
    va_end(ap);
    if (k > 0)
        l->n = l->n + (size_t)k < sizeof l->s ? l->n + (size_t)k : sizeof l->s - 1;
}

static void line_print(line_t *l)
{
    while (l->n && l->s[l->n - 1] == ' ')
        l->n--;
    l->s[l->n] = '\0';
    puts(l->s);
    l->n = 0;
}

/* "1.23 ns..1.40 ns": a host time's interquartile range. */
static const char *iqr_words(const host_stat_t *s, char *buf, size_t len)
{
    char a[32], b[32];
    if (!s->n)
        snprintf(buf, len, "-");
    else
        snprintf(buf, len, "%s..%s", host_fmt_ns(s->q1, a, sizeof a),
                 host_fmt_ns(s->q3, b, sizeof b));
    return buf;
}

static const char *status_word(int st)
{
    return st == HOST_OK ? "ok" : st == HOST_FAILED ? "failed" : "unavailable";
}

/* Whether a primitive's counts agree: "none measured" when the host measured none of them. */
static const char *counts_word(const cmp_prim_t *m)
{
    return !m->compared ? "none measured" : m->counts_agree ? "yes" : "no";
}

static cJSON *strings_json(char *const *s, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
    return a;
}

/* The document of docs/cohsim.schema.json: "command", the machine's "preset" and "config" as
 * every command gives them, then the comparison. */
static char *compare_json(const report_t *r, const machine_opts_t *mo)
{
    cJSON *root = report_doc("compare", mo);
    if (!root)
        return NULL;
    cJSON_AddNumberToObject(root, "clock_mhz", r->mhz);
    cJSON_AddStringToObject(root, "clock_from", r->clock_from_config ? "machine.clock_mhz"
                                                                     : "time-stamp counter");
    cJSON *cfg = cJSON_AddObjectToObject(root, "configuration");
    cJSON_AddStringToObject(cfg, "compared", r->cfg.what);
    if (r->cfg.calibrated_on[0])
        cJSON_AddStringToObject(cfg, "calibrated_on", r->cfg.calibrated_on);
    else
        cJSON_AddNullToObject(cfg, "calibrated_on");
    cJSON_AddBoolToObject(cfg, "calibrated_on_this_host", r->cfg.on_this_host);
    cJSON_AddStringToObject(cfg, "note", r->cfg.note);
    cJSON *hj = cJSON_AddObjectToObject(root, "host");
    cJSON_AddStringToObject(hj, "name", r->host.hostname);
    cJSON_AddStringToObject(hj, "kernel", r->host.kernel);
    cJSON_AddNumberToObject(hj, "cpus", r->host.cpus);
    cJSON_AddStringToObject(hj, "results", r->host_source);
    cJSON_AddNumberToObject(root, "tolerance", r->tolerance);
    cJSON *st = cJSON_AddArrayToObject(root, "staircase");
    for (unsigned i = 0; i < r->n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "bytes", (double)r->rows[i].bytes);
        cJSON_AddNumberToObject(o, "model_ns", r->rows[i].model_ns);
        cJSON_AddNumberToObject(o, "host_ns", r->rows[i].host.median);
        cJSON_AddItemToObject(o, "host_time", host_stat_json(&r->rows[i].host));
        cJSON_AddNumberToObject(o, "error", r->rows[i].error);
        cJSON_AddStringToObject(o, "verdict", verdict_words[r->rows[i].verdict]);
        if (r->rows[i].cal_ns > 0) {
            cJSON_AddNumberToObject(o, "calibrated_host_ns", r->rows[i].cal_ns);
            cJSON_AddNumberToObject(o, "calibrated_error", r->rows[i].cal_error);
        }
        cJSON_AddItemToArray(st, o);
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "staircase_summary");
    cJSON_AddNumberToObject(sum, "median_abs_error", r->med_err);
    cJSON_AddNumberToObject(sum, "max_abs_error", r->max_err);
    cJSON_AddNumberToObject(sum, "points", r->n);
    cJSON_AddNumberToObject(sum, "points_within_tolerance", r->within);
    cJSON_AddNumberToObject(sum, "points_within_noise", r->noise);
    cJSON_AddNumberToObject(sum, "tolerance", r->tolerance);
    cJSON_AddStringToObject(sum, "verdict", verdict_words[r->stair_verdict]);
    if (r->ncal) {
        cJSON *cal = cJSON_AddObjectToObject(sum, "against_calibration");
        cJSON_AddNumberToObject(cal, "points", r->ncal);
        cJSON_AddNumberToObject(cal, "median_abs_error", r->cal_med_err);
        cJSON_AddNumberToObject(cal, "max_abs_error", r->cal_max_err);
        cJSON_AddNumberToObject(cal, "points_within_tolerance", r->cal_within);
    }
    cJSON *pa = cJSON_AddArrayToObject(root, "primitives");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->host.prims[i];
        const cmp_prim_t *mp = &r->model[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON *model = cJSON_AddObjectToObject(o, "model");
        cJSON_AddStringToObject(model, "note", mp->note);
        cJSON *mcases = cJSON_AddArrayToObject(model, "cases");
        cJSON *host = cJSON_AddObjectToObject(o, "host");
        cJSON_AddStringToObject(host, "equivalent", p->equivalent);
        cJSON_AddStringToObject(host, "status", status_word(p->status));
        cJSON_AddStringToObject(host, "note", p->note);
        cJSON *cases = cJSON_AddArrayToObject(host, "cases");
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j];
            const cmp_case_t *mc = &mp->c[j];
            cJSON *c = cJSON_CreateObject();
            cJSON_AddStringToObject(c, "case", m->label);
            if (m->ns.n)
                cJSON_AddItemToObject(c, "time", host_stat_json(&m->ns));
            if (m->count_name[0] && m->count >= 0 && !m->count_note[0]) {
                cJSON_AddStringToObject(c, "counted", m->count_name);
                cJSON_AddNumberToObject(c, "count", m->count);
                if (m->expected >= 0)
                    cJSON_AddNumberToObject(c, "expected", m->expected);
            } else if (m->count_note[0]) {
                cJSON_AddStringToObject(c, "count_note", m->count_note);
            }
            if (m->before >= 0) {
                cJSON_AddNumberToObject(c, "resident_before", m->before);
                cJSON_AddNumberToObject(c, "resident_after", m->after);
            }
            cJSON_AddItemToArray(cases, c);
            cJSON *k = cJSON_CreateObject();
            cJSON_AddStringToObject(k, "case", m->label);
            cJSON_AddBoolToObject(k, "run", mc->run);
            if (mc->run) {
                cJSON_AddNumberToObject(k, "cycles", mc->cycles);
                cJSON_AddNumberToObject(k, "ns", model_ns(r, mc->cycles));
                if (r->times[i].v[j] != VERDICT_NONE) {
                    cJSON_AddNumberToObject(k, "error", r->times[i].error[j]);
                    cJSON_AddStringToObject(k, "verdict", verdict_words[r->times[i].v[j]]);
                }
                cJSON *cnt = cJSON_AddArrayToObject(k, "counts");
                for (unsigned q = 0; q < mc->ncounts; q++) {
                    const cmp_count_t *x = &mc->count[q];
                    cJSON *e = cJSON_CreateObject();
                    cJSON_AddStringToObject(e, "counted", x->name);
                    cJSON_AddNumberToObject(e, "model", x->model);
                    if (x->host >= 0) {
                        cJSON_AddNumberToObject(e, "host", x->host);
                        cJSON_AddBoolToObject(e, "agree", x->agree);
                    } else if (x->host_note[0]) {
                        cJSON_AddStringToObject(e, "host_note", x->host_note);
                    }
                    cJSON_AddItemToArray(cnt, e);
                }
            }
            if (mc->note[0])
                cJSON_AddStringToObject(k, "note", mc->note);
            cJSON_AddItemToArray(mcases, k);
        }
        cJSON_AddBoolToObject(o, "counts_agree", mp->counts_agree);
        const prim_times_t *t = &r->times[i];
        cJSON *tj = cJSON_AddObjectToObject(o, "time");
        cJSON_AddStringToObject(tj, "verdict", !t->timed ? "" : t->outside ? "OUTSIDE" : "within");
        cJSON_AddNumberToObject(tj, "cases_timed", t->timed);
        cJSON_AddNumberToObject(tj, "within", t->within);
        cJSON_AddNumberToObject(tj, "within_noise", t->noise);
        cJSON_AddNumberToObject(tj, "outside", t->outside);
        cJSON_AddNumberToObject(tj, "largest_abs_error", t->worst);
        cJSON_AddNumberToObject(o, "counts_compared", mp->compared);
        cJSON_AddItemToArray(pa, o);
    }
    cJSON *la = cJSON_AddArrayToObject(root, "litmus");
    for (size_t i = 0; i < r->nlit; i++) {
        const cmp_litmus_t *l = &r->lit[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "test", l->test);
        cJSON_AddStringToObject(o, "file", l->path);
        cJSON_AddItemToObject(o, "model_states", strings_json(l->model, l->nmodel));
        cJSON_AddItemToObject(o, "host_states", strings_json(l->host, l->nhost));
        cJSON_AddNumberToObject(o, "model_runs", (double)l->model_runs);
        cJSON_AddNumberToObject(o, "host_iterations", (double)l->host_iterations);
        if (!l->host_ran)
            cJSON_AddStringToObject(o, "host_note", l->host_note);
        cJSON_AddBoolToObject(o, "subset", l->subset);
        cJSON_AddItemToArray(la, o);
    }
    if (r->litmus_note[0])
        cJSON_AddStringToObject(root, "litmus_note", r->litmus_note);
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

/* The staircase as an SVG plot: log2 working set across, log10 ns up, model and host. */
static void html_svg(FILE *f, const stair_row_t *rows, unsigned n)
{
    const double W = 720, H = 360, L = 60, R = 20, T = 20, B = 50;
    double lo = 1e300, hi = 0;
    for (unsigned i = 0; i < n; i++) {
        double v[5] = {rows[i].model_ns, rows[i].host.median, rows[i].cal_ns, rows[i].host.q1,
                       rows[i].host.q3};
        for (int k = 0; k < 5; k++)
            if (v[k] > 0) {
                lo = v[k] < lo ? v[k] : lo;
                hi = v[k] > hi ? v[k] : hi;
            }
    }
    if (hi <= 0)
        lo = 1, hi = 10;
    double ylo = floor(log10(lo)), yhi = ceil(log10(hi));
    if (yhi <= ylo)
        yhi = ylo + 1;
    double x0 = log2((double)rows[0].bytes), x1 = log2((double)rows[n - 1].bytes);
    if (x1 <= x0)
        x1 = x0 + 1;
#define PX(b) (L + (log2((double)(b)) - x0) / (x1 - x0) * (W - L - R))
#define PY(v) (H - B - (log10(v) - ylo) / (yhi - ylo) * (H - T - B))
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "font-family=\"sans-serif\" font-size=\"11\">\n", W, H);
    fprintf(f, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" fill=\"none\" "
               "stroke=\"#999\"/>\n", L, T, W - L - R, H - T - B);
    for (double d = ylo; d <= yhi; d++) {
        double y = PY(pow(10, d));
        fprintf(f, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#eee\"/>"
                   "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%g ns</text>\n",
                L, W - R, y, y, L - 4, y + 4, pow(10, d));
    }
    for (unsigned i = 0; i < n; i += 2) {
        char sz[32];
        fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
                PX(rows[i].bytes), H - B + 16, size_name(rows[i].bytes, sz, sizeof sz));
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">working set</text>\n",
            (W + L) / 2, H - 10);
    const char *names[3] = {"model", "host", "host at calibration"};
    const char *colors[3] = {"#d62728", "#1f77b4", "#7f7f7f"};
    bool cal = false;
    for (unsigned i = 0; i < n; i++)
        cal = cal || rows[i].cal_ns > 0;
    for (int k = 0; k < (cal ? 3 : 2); k++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"",
                colors[k], k == 2 ? " stroke-dasharray=\"4 3\"" : "");
        for (unsigned i = 0; i < n; i++) {
            double v = k == 2 ? rows[i].cal_ns : k ? rows[i].host.median : rows[i].model_ns;
            if (v > 0)
                fprintf(f, "%.1f,%.1f ", PX(rows[i].bytes), PY(v));
        }
        fprintf(f, "\"/>\n<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s</text>\n", L + 10,
                T + 16 + 14 * k, colors[k], names[k]);
    }
    /* the host's spread as a bar over each point; an outlier (an error OUTSIDE the
     * tolerance) ringed */
    for (unsigned i = 0; i < n; i++) {
        if (rows[i].host.q1 > 0 && rows[i].host.q3 > rows[i].host.q1)
            fprintf(f, "<line class=\"spread\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" "
                       "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
                    PX(rows[i].bytes), PX(rows[i].bytes), PY(rows[i].host.q1),
                    PY(rows[i].host.q3), colors[1]);
        if (rows[i].verdict == VERDICT_OUTSIDE)
            fprintf(f, "<circle class=\"outlier\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\" "
                       "fill=\"none\" stroke=\"#b00\" stroke-width=\"1.5\"/>\n",
                    PX(rows[i].bytes), PY(rows[i].model_ns));
    }
    fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" fill=\"#b00\">&#9675; outlier: error outside "
               "the tolerance</text>\n", L + 10, T + 16 + 14 * (cal ? 3 : 2));
#undef PX
#undef PY
    fprintf(f, "</svg>\n");
}

static char *compare_html(const report_t *r, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>cohsim compare"
               "</title>\n<style>body{font-family:sans-serif}td,th{padding:2px 8px;"
               "text-align:right}td.l,th.l{text-align:left}.bad{color:#b00}"
               "tr.outlier{background:#fdd}</style></head>"
               "<body>\n<h1>Model vs host</h1>\n<p>Model: ");
    cli_xml_text(f, r->cfg.what);
    fprintf(f, "; ");
    cli_xml_text(f, r->cfg.note);
    fprintf(f, ".</p>\n<p>Host: ");
    cli_xml_text(f, r->host.hostname);
    fprintf(f, ", %u CPUs, Linux ", r->host.cpus);
    cli_xml_text(f, r->host.kernel);
    fprintf(f, "; ");
    cli_xml_text(f, r->host_source);
    fprintf(f, ". Model cycles are converted at %.0f MHz (%s).</p>\n<p>Tolerance %g%%: an "
               "error past it is an outlier (rows <span class=\"bad\">shaded</span>, points "
               "ringed); an error no larger than the host's interquartile range is within "
               "noise.</p>\n<h2>Latency staircase</h2>\n", r->mhz,
            r->clock_from_config ? "machine.clock_mhz" : "the host's time-stamp counter",
            r->tolerance * 100);
    if (r->n)
        html_svg(f, r->rows, r->n);
    fprintf(f, "<table><tr><th>working set</th><th>model ns</th><th>host ns</th>"
               "<th>host IQR</th><th>error</th><th class=\"l\">verdict</th>%s</tr>\n",
            r->ncal ? "<th>host ns at calibration</th><th>error</th>" : "");
    for (unsigned i = 0; i < r->n; i++) {
        const stair_row_t *w = &r->rows[i];
        char sz[32];
        fprintf(f, "<tr%s><td>%s</td><td>%.2f</td><td>%.2f</td><td>%.2f..%.2f</td>"
                   "<td>%+.1f%%</td><td class=\"l\">%s</td>",
                w->verdict == VERDICT_OUTSIDE ? " class=\"outlier\"" : "",
                size_name(w->bytes, sz, sizeof sz), w->model_ns, w->host.median, w->host.q1,
                w->host.q3, w->error * 100, verdict_words[w->verdict]);
        if (r->ncal && w->cal_ns > 0)
            fprintf(f, "<td>%.2f</td><td>%+.1f%%</td>", w->cal_ns, w->cal_error * 100);
        fprintf(f, "</tr>\n");
    }
    char vw[128];
    fprintf(f, "</table>\n<p>Median |error| %.1f%%: %s%s%s; largest %.1f%%; %u of %u points "
               "within the tolerance, %u within noise.", r->med_err * 100,
            r->stair_verdict == VERDICT_OUTSIDE ? "<span class=\"bad\">" : "",
            stair_verdict_words(r, vw, sizeof vw),
            r->stair_verdict == VERDICT_OUTSIDE ? "</span>" : "", r->max_err * 100, r->within,
            r->n, r->noise);
    if (r->ncal)
        fprintf(f, " Against the staircase calibrate measured: median |error| %.1f%%, largest "
                   "%.1f%%; %u of %u points within %g%%.", r->cal_med_err * 100,
                r->cal_max_err * 100, r->cal_within, r->ncal, r->tolerance * 100);
    fprintf(f, "</p>\n<h2>Primitives</h2>\n<table><tr><th class=\"l\">primitive</th>"
               "<th class=\"l\">case</th><th>model</th><th>host median</th><th>host IQR</th>"
               "<th>error</th><th class=\"l\">verdict</th>"
               "<th class=\"l\">counted (model / host)</th></tr>\n");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->host.prims[i];
        const prim_times_t *tm = &r->times[i];
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j];
            const cmp_case_t *mc = &r->model[i].c[j];
            char t[32] = "-", mt[32] = "-", e[32] = "-", iqr[48];
            if (m->ns.n)
                host_fmt_ns(m->ns.median, t, sizeof t);
            if (mc->run)
                host_fmt_ns(model_ns(r, mc->cycles), mt, sizeof mt);
            if (tm->v[j] != VERDICT_NONE)
                snprintf(e, sizeof e, "%+.0f%%", tm->error[j] * 100);
            fprintf(f, "<tr%s><td class=\"l\">%s</td><td class=\"l\">",
                    tm->v[j] == VERDICT_OUTSIDE ? " class=\"outlier\"" : "", j ? "" : p->name);
            cli_xml_text(f, m->label);
            fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"l\">%s"
                       "</td><td class=\"l\">", mt, t, iqr_words(&m->ns, iqr, sizeof iqr), e,
                    verdict_words[tm->v[j]]);
            for (unsigned q = 0; q < mc->ncounts; q++) {
                const cmp_count_t *x = &mc->count[q];
                fprintf(f, "%s%s%s %g", q ? "; " : "",
                        x->host >= 0 && !x->agree ? "<span class=\"bad\">" : "", x->name, x->model);
                if (x->host >= 0)
                    fprintf(f, " / %g%s", x->host, x->agree ? "" : " (differs)</span>");
                else if (x->host_note[0])
                    fprintf(f, " / %s", x->host_note);
            }
            if (!mc->ncounts && m->count_note[0])
                cli_xml_text(f, m->count_note);
            if (mc->note[0]) {
                fprintf(f, "%s", mc->ncounts ? "<br>" : "");
                cli_xml_text(f, mc->note);
            }
            fprintf(f, "</td></tr>\n");
        }
        char tw[96];
        fprintf(f, "<tr><td></td><td class=\"l\" colspan=\"7\">counts agree: %s; time: %s%s%s. ",
                r->model[i].compared && !r->model[i].counts_agree
                    ? "<span class=\"bad\">no</span>" : counts_word(&r->model[i]),
                tm->outside ? "<span class=\"bad\">" : "",
                prim_time_words(tm, r->tolerance, tw, sizeof tw), tm->outside ? "</span>" : "");
        cli_xml_text(f, r->model[i].note);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n<h2>Litmus tests (2 threads)</h2>\n");
    if (r->litmus_note[0]) {
        fprintf(f, "<p>");
        cli_xml_text(f, r->litmus_note);
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<table><tr><th class=\"l\">test</th><th class=\"l\">model states</th>"
               "<th class=\"l\">host states</th><th>host &sube; model</th></tr>\n");
    for (size_t i = 0; i < r->nlit; i++) {
        const cmp_litmus_t *l = &r->lit[i];
        fprintf(f, "<tr><td class=\"l\">");
        cli_xml_text(f, l->test);
        fprintf(f, "</td><td class=\"l\">");
        for (size_t k = 0; k < l->nmodel; k++) {
            cli_xml_text(f, l->model[k]);
            fprintf(f, "<br>");
        }
        fprintf(f, "</td><td class=\"l\">");
        for (size_t k = 0; k < l->nhost; k++) {
            cli_xml_text(f, l->host[k]);
            fprintf(f, "<br>");
        }
        if (!l->host_ran)
            cli_xml_text(f, l->host_note);
        fprintf(f, "</td><td>%s</td></tr>\n",
                !l->host_ran ? "-" : l->subset ? "yes" : "<span class=\"bad\">no</span>");
    }
    fprintf(f, "</table>\n</body></html>\n");
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static int cmp_abs(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* What calibrate wrote into the comments of the preset it made: the host it ran on
 * ("# cohsim preset calibrated on HOST: ...") and the staircase it measured ("# staircase (ns
 * per load): 4K=1.08 8K=1.10 ..."). The number of staircase points read. */
static unsigned read_calibration(const char *path, char *host, size_t hostlen, uint64_t *bytes,
                                 double *ns, unsigned max)
{
    static const char tag[] = "# staircase (ns per load):";
    static const char head[] = "# cohsim preset calibrated on ";
    FILE *f = path ? fopen(path, "r") : NULL;
    unsigned n = 0;
    char line[512];
    host[0] = '\0';
    while (f && fgets(line, sizeof line, f)) {
        if (strncmp(line, head, sizeof head - 1) == 0) {
            const char *h = line + sizeof head - 1;
            const char *colon = strchr(h, ':');
            if (colon && colon > h && !host[0])
                snprintf(host, hostlen, "%.*s", (int)(colon - h), h);
        }
        if (strncmp(line, tag, sizeof tag - 1) != 0)
            continue;
        for (char *p = line + sizeof tag - 1; n < max;) {
            char *end;
            unsigned long long k = strtoull(p, &end, 10);
            if (end == p || strncmp(end, "K=", 2) != 0)
                break;
            double v = strtod(end + 2, &p);
            if (p == end + 2)
                break;
            bytes[n] = (uint64_t)k << 10;
            ns[n++] = v;
        }
    }
    if (f)
        fclose(f);
    return n;
}

/* Name the configuration compared and say whether it was calibrated on the host compared. */
static void describe_config(const compare_ctx_t *cx, const char *calibrated_on,
                            const char *this_host, config_desc_t *d)
{
    if (cx->mo.preset && cx->config_path)
        snprintf(d->what, sizeof d->what, "preset %s, then configuration %s", cx->mo.preset,
                 cx->config_path);
    else if (cx->config_path)
        snprintf(d->what, sizeof d->what, "configuration %s", cx->config_path);
    else
        snprintf(d->what, sizeof d->what, "preset %s", cx->mo.preset ? cx->mo.preset : "x86-2");
    snprintf(d->calibrated_on, sizeof d->calibrated_on, "%s", calibrated_on);
    d->on_this_host = calibrated_on[0] && strcmp(calibrated_on, this_host) == 0;
    static const char advice[] = "run `cohsim calibrate -o host.ini` on it and pass --config "
                                 "host.ini";
    if (d->on_this_host)
        snprintf(d->note, sizeof d->note, "calibrated on this host (%s)", calibrated_on);
    else if (calibrated_on[0])
        snprintf(d->note, sizeof d->note, "calibrated on %s, not on this host (%s): %s",
                 calibrated_on, this_host, advice);
    else if (cx->config_path)
        snprintf(d->note, sizeof d->note, "not calibrated (%s has no `cohsim calibrate` header): "
                 "%s", cx->config_path, advice);
    else
        snprintf(d->note, sizeof d->note, "not calibrated on this host (%s; a built-in "
                 "preset): %s", this_host, advice);
}

static double median_of(double *v, unsigned n)
{
    qsort(v, n, sizeof *v, cmp_abs);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- litmus ---------------------------------------------------------------------------------- */

typedef struct paths {
    char **p;
    size_t n, cap;
} paths_t;

static int paths_add(paths_t *ps, const char *dir, const char *name)
{
    if (ps->n == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        char **np = realloc(ps->p, cap * sizeof *np);
        if (!np)
            return -1;
        ps->p = np;
        ps->cap = cap;
    }
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    if (!(ps->p[ps->n] = malloc(len)))
        return -1;
    snprintf(ps->p[ps->n], len, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    ps->n++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* DIR's tests: the names its @all lists (herd's list), else its *.litmus files sorted. 0, or -1
 * after a message. */
static int litmus_dir(const char *dir, paths_t *ps)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/@all", dir);
    FILE *f = fopen(path, "r");
    if (f) {
        char line[512];
        int rc = 0;
        while (rc == 0 && fgets(line, sizeof line, f)) {
            line[strcspn(line, "\r\n")] = 0;
            if (line[0] && line[0] != '#')
                rc = paths_add(ps, dir, line);
        }
        fclose(f);
        if (rc != 0)
            cli_error("out of memory");
        return rc;
    }
    DIR *d = opendir(dir);
    if (!d) {
        cli_error("compare: --litmus %s: cannot read the directory: %s", dir, strerror(errno));
        return -1;
    }
    size_t from = ps->n;
    struct dirent *e;
    int rc = 0;
    while (rc == 0 && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 7 && strcmp(e->d_name + n - 7, ".litmus") == 0)
            rc = paths_add(ps, dir, e->d_name);
    }
    closedir(d);
    if (rc != 0) {
        cli_error("out of memory");
        return -1;
    }
    qsort(ps->p + from, ps->n - from, sizeof *ps->p, cmp_str);
    if (ps->n == from) {
        cli_error("compare: --litmus %s: no @all list and no .litmus file", dir);
        return -1;
    }
    return 0;
}

/* Run every 2-thread test of ps on both sides into r. 0, or EXIT_USAGE after a message. */
static int litmus_compare(const compare_ctx_t *cx, const machine_config_t *mc, const paths_t *ps,
                          report_t *r)
{
    litmus_test_t *t = malloc(sizeof *t);
    host_litmus_result_t *hr = malloc(sizeof *hr);
    int status = 0;
    unsigned skipped = 0;
    char err[1024];
    if (!t || !hr) {
        cli_error("out of memory");
        status = EXIT_USAGE;
    }
    host_litmus_opts_t lo = {cx->h.iterations, cx->h.size, cx->h.seed};
    uint64_t runs = cx->litmus_runs ? cx->litmus_runs : 4 * litmus_default_runs(2);
    for (size_t i = 0; status == 0 && i < ps->n; i++) {
        if (litmus_load(ps->p[i], t, err, sizeof err) != 0) {
            cli_error("compare: %s", err);
            status = EXIT_USAGE;
            break;
        }
        if (t->nthreads != 2) {
            skipped++;
            continue;
        }
        if (r->nlit == r->caplit) {
            size_t cap = r->caplit ? r->caplit * 2 : 64;
            cmp_litmus_t *nl = realloc(r->lit, cap * sizeof *nl);
            if (!nl) {
                cli_error("out of memory");
                status = EXIT_USAGE;
                break;
            }
            r->lit = nl;
            r->caplit = cap;
        }
        cmp_litmus_t *l = &r->lit[r->nlit];
        memset(l, 0, sizeof *l);
        snprintf(l->path, sizeof l->path, "%s", ps->p[i]);
        /* a form the host runner lacks (cohsim's extensions) leaves the host side empty */
        int hrc = host_litmus_run(t, &lo, hr);
        if (cmp_litmus_states(t, mc, runs, mc->seed, hrc == 0 ? hr : NULL, l, err,
                              sizeof err) != 0) {
            cli_error("compare: %s: %s", ps->p[i], err);
            status = EXIT_USAGE;
            break;
        }
        if (hrc != 0)
            snprintf(l->host_note, sizeof l->host_note, "%s", hr->note);
        r->nlit++;
    }
    if (skipped)
        snprintf(r->litmus_note, sizeof r->litmus_note,
                 "%u test%s with other than 2 threads skipped", skipped, skipped == 1 ? "" : "s");
    free(t);
    free(hr);
    return status;
}

/* ---- the command ----------------------------------------------------------------------------- */

int cmd_compare(int argc, char **argv)
{
    compare_ctx_t cx = {0};
    int first;
    int rc = cli_parse(&compare_spec, argc, argv, compare_option, &cx, &first);
    if (rc != 0) {
        machine_opts_free(&cx.mo);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    host_opts_finish(&cx.h);
    machine_config_t mc;
    if (machine_opts_build(&cx.mo, "x86-2", &mc) != 0) {
        machine_opts_free(&cx.mo);
        return EXIT_USAGE;
    }
    report_t *r = calloc(1, sizeof *r);
    paths_t ps = {0};
    int status = EXIT_DONE;
    if (!r) {
        cli_error("out of memory");
        machine_opts_free(&cx.mo);
        return EXIT_USAGE;
    }
    for (int i = first; i < argc && status == EXIT_DONE; i++)
        if (paths_add(&ps, NULL, argv[i]) != 0) {
            cli_error("out of memory");
            status = EXIT_USAGE;
        }
    if (status == EXIT_DONE && cx.litmus_dir && litmus_dir(cx.litmus_dir, &ps) != 0)
        status = EXIT_USAGE;
    if (status == EXIT_DONE && cx.host_results) {
        char herr[1024];
        if (host_results_load(cx.host_results, &r->host, herr, sizeof herr) != 0) {
            cli_error("compare: --host-results %s", herr);
            status = EXIT_USAGE;
        } else if (!r->host.has_stair || !r->host.has_prims) {
            cli_error("compare: --host-results %s: expected both \"staircase\" and "
                      "\"primitives\" (`cohsim host --json FILE` with no argument writes both)",
                      cx.host_results);
            status = EXIT_USAGE;
        }
    } else if (status == EXIT_DONE) {
        host_results_describe(&r->host);
    }
    const char *clk = config_get(cx.mo.config, "machine", "clock_mhz");
    r->clock_from_config = clk != NULL;
    r->mhz = clk ? strtod(clk, NULL) : r->host.tsc_mhz;
    if (status == EXIT_DONE && r->mhz <= 0) {
        cli_error("compare: no machine.clock_mhz in the configuration and no time-stamp counter "
                  "to measure the clock with");
        status = EXIT_USAGE;
    }
    if (status != EXIT_DONE)
        goto out;
    r->tolerance = cx.tolerance > 0 ? cx.tolerance : COMPARE_TOLERANCE;
    uint64_t cal_bytes[40];
    double cal_ns[40], errs[40], beyond[40], cal_errs[40];
    char calibrated_on[256];
    unsigned ncal = read_calibration(cx.config_path, calibrated_on, sizeof calibrated_on,
                                     cal_bytes, cal_ns, 40);
    describe_config(&cx, calibrated_on, r->host.hostname, &r->cfg);
    if (cx.host_results)
        snprintf(r->host_source, sizeof r->host_source, "read from %s", cx.host_results);
    else
        snprintf(r->host_source, sizeof r->host_source, "measured now");
    printf("compare: model %s, clock %.0f MHz (%s)\n", r->cfg.what, r->mhz,
           clk ? "machine.clock_mhz" : "the host's time-stamp counter");
    printf("configuration: %s\n", r->cfg.note);
    printf("host: %s, %u CPUs, Linux %s; %s\n", r->host.hostname, r->host.cpus, r->host.kernel,
           r->host_source);
    printf("tolerance: %g%% (--tolerance); an error no larger than the host's interquartile "
           "range is within noise%s\n\n", r->tolerance * 100,
           cx.strict ? "; --strict: an error past it exits 1" : "");

    if (!cx.host_results) {
        int n = host_run_staircase(&cx.h, r->host.stair, 40);
        r->host.nstair = n > 0 ? (unsigned)n : 0;
        r->host.has_stair = n > 0;
    }
    const host_stair_point_t *pts = r->host.stair;
    int np = (int)r->host.nstair;
    char err[512];
    line_t ln = {.n = 0};
    printf("staircase: ns per dependent load; host: median and interquartile range of the "
           "repetitions%s\n", ncal ? "; and the host as calibrate measured it (read from the "
           "configuration)" : "");
    line_add(&ln, "  %12s %10s %10s %17s %8s %-12s", "working set", "model", "host", "host IQR",
             "error", "verdict");
    if (ncal)
        line_add(&ln, " %12s %8s", "calibration", "error");
    line_print(&ln);
    for (int i = 0; i < np; i++) {
        double cyc = stair_model_chase(&mc, pts[i].bytes, cx.h.quick ? 20000 : 200000, err,
                                       sizeof err);
        if (cyc < 0) {
            cli_error("compare: %s", err);
            status = EXIT_USAGE;
            goto out;
        }
        stair_row_t *row = &r->rows[r->n];
        *row = (stair_row_t){.bytes = pts[i].bytes, .model_ns = model_ns(r, cyc),
                             .host = pts[i].ns, .cal_ns = -1};
        row->error = (row->model_ns - row->host.median) / row->host.median;
        row->verdict = time_verdict(row->model_ns, &row->host, r->tolerance);
        errs[r->n] = fabs(row->error);
        /* an error the host's own scatter covers does not count against the model */
        beyond[r->n] = row->verdict == VERDICT_NOISE ? 0 : errs[r->n];
        r->within += errs[r->n] <= r->tolerance;
        r->noise += row->verdict == VERDICT_NOISE;
        for (unsigned k = 0; k < ncal; k++)
            if (cal_bytes[k] == row->bytes && cal_ns[k] > 0) {
                row->cal_ns = cal_ns[k];
                row->cal_error = (row->model_ns - row->cal_ns) / row->cal_ns;
                cal_errs[r->ncal++] = fabs(row->cal_error);
                r->cal_within += fabs(row->cal_error) <= r->tolerance;
            }
        char sz[32], iqr[24];
        snprintf(iqr, sizeof iqr, "%.2f..%.2f", row->host.q1, row->host.q3);
        line_add(&ln, "  %12s %10.2f %10.2f %17s %+7.1f%% %-12s",
                 size_name(row->bytes, sz, sizeof sz), row->model_ns, row->host.median, iqr,
                 row->error * 100, verdict_words[row->verdict]);
        if (row->cal_ns > 0)
            line_add(&ln, " %12.2f %+7.1f%%", row->cal_ns, row->cal_error * 100);
        line_print(&ln);
        r->n++;
    }
    if (r->n) {
        r->med_err = median_of(errs, r->n);
        r->max_err = errs[r->n - 1];
        r->stair_verdict = r->med_err <= r->tolerance           ? VERDICT_WITHIN
                           : median_of(beyond, r->n) <= r->tolerance ? VERDICT_NOISE
                                                                     : VERDICT_OUTSIDE;
        char vw[128];
        printf("  median |error| %.1f%%: %s; largest %.1f%%; %u of %u points within the "
               "tolerance, %u within noise\n", r->med_err * 100,
               stair_verdict_words(r, vw, sizeof vw), r->max_err * 100, r->within, r->n,
               r->noise);
    }
    if (r->ncal) {
        r->cal_med_err = median_of(cal_errs, r->ncal);
        r->cal_max_err = cal_errs[r->ncal - 1];
        printf("  against calibrate's measurement: median |error| %.1f%%, largest %.1f%%, %u of "
               "%u points within %g%%\n", r->cal_med_err * 100, r->cal_max_err * 100,
               r->cal_within, r->ncal, r->tolerance * 100);
    }
    printf("\n");

    if (!cx.host_results) {
        host_run_prims(&cx.h, r->host.prims);
        r->host.has_prims = true;
    }
    if (cmp_model_prims(&mc, r->host.prims, r->model, err, sizeof err) != 0) {
        cli_error("compare: primitives: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    judge_prims(r);
    printf("primitives: cost per operation, model vs host (median and interquartile range), the "
           "error and its verdict, and the counted work (model / host)\n");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->host.prims[i];
        const cmp_prim_t *m = &r->model[i];
        char tw[96];
        printf("%s  [host %s; counts agree: %s; time: %s]\n", p->name, status_word(p->status),
               counts_word(m), prim_time_words(&r->times[i], r->tolerance, tw, sizeof tw));
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *h = &p->m[j];
            const cmp_case_t *c = &m->c[j];
            char a[32] = "-", b[32] = "-", e[16] = "", iqr[48];
            if (c->run)
                host_fmt_ns(model_ns(r, c->cycles), a, sizeof a);
            if (h->ns.n)
                host_fmt_ns(h->ns.median, b, sizeof b);
            if (r->times[i].v[j] != VERDICT_NONE)
                snprintf(e, sizeof e, "%+.0f%%", r->times[i].error[j] * 100);
            line_add(&ln, "  %-46s %11s %11s %23s %7s %-12s", h->label, a, b,
                     iqr_words(&h->ns, iqr, sizeof iqr), e, verdict_words[r->times[i].v[j]]);
            for (unsigned q = 0; q < c->ncounts; q++) {
                const cmp_count_t *x = &c->count[q];
                line_add(&ln, " %s %g", x->name, x->model);
                if (x->host >= 0) {
                    line_add(&ln, " / %g%s", x->host, x->agree ? "" : " DIFFERS");
                    if (!x->agree)
                        status = EXIT_CHECK;
                } else if (x->host_note[0]) {
                    line_add(&ln, " / %s", x->host_note);
                }
            }
            if (!c->ncounts && h->count_note[0])
                line_add(&ln, " (host: %s)", h->count_note);
            if (!c->run && c->note[0])
                line_add(&ln, " (model: %s)", c->note);
            line_print(&ln);
        }
        if (m->note[0])
            printf("  %s\n", m->note);
        if (p->note[0])
            printf("  host: %s\n", p->note);
        printf("\n");
    }
    if (cx.strict) {
        char past[512] = "";
        size_t used = 0;
        if (r->stair_verdict == VERDICT_OUTSIDE)
            used += (size_t)snprintf(past + used, sizeof past - used, " the staircase");
        for (unsigned i = 0; i < HOST_NPRIMS; i++)
            if (r->times[i].outside && used < sizeof past)
                used += (size_t)snprintf(past + used, sizeof past - used, "%s %s",
                                         used ? "," : "", r->host.prims[i].name);
        if (used) {
            printf("strict: time errors OUTSIDE the %g%% tolerance:%s\n\n", r->tolerance * 100,
                   past);
            if (status == EXIT_DONE)
                status = EXIT_CHECK;
        }
    }

    if (status != EXIT_USAGE && ps.n) {
        int lrc = litmus_compare(&cx, &mc, &ps, r);
        if (lrc != 0) {
            status = lrc;
            goto out;
        }
    }
    printf("litmus: states reached, model vs host (host states must be model states)\n");
    if (!ps.n)
        printf("  no litmus test given (FILE.litmus arguments or --litmus DIR)\n");
    for (size_t i = 0; i < r->nlit; i++) {
        const cmp_litmus_t *l = &r->lit[i];
        printf("  %-20s model %2zu states, host %2zu states: %s\n", l->test, l->nmodel,
               l->nhost, !l->host_ran ? l->host_note : l->subset ? "subset" : "NOT A SUBSET");
        for (size_t k = 0; l->host_ran && !l->subset && k < l->nhost; k++)
            if (!bsearch(&l->host[k], l->model, l->nmodel, sizeof *l->model, cmp_str))
                printf("    host only: %s\n", l->host[k]);
        if (l->host_ran && !l->subset && status == EXIT_DONE)
            status = EXIT_CHECK;
    }
    if (r->litmus_note[0])
        printf("  %s\n", r->litmus_note);
    if (cx.json) {
        char *text = compare_json(r, &cx.mo);
        if (!text || outfile_write(cx.json, text, strlen(text)) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    if (cx.html && status != EXIT_USAGE) {
        size_t len = 0;
        char *text = compare_html(r, &len);
        if (!text || outfile_write(cx.html, text, len) != 0)
            status = EXIT_USAGE;
        free(text);
    }
out:
    for (size_t i = 0; i < r->nlit; i++)
        cmp_litmus_free(&r->lit[i]);
    free(r->lit);
    free(r);
    for (size_t i = 0; i < ps.n; i++)
        free(ps.p[i]);
    free(ps.p);
    machine_opts_free(&cx.mo);
    return status;
}
