/* cmd_compare.c: `cohsim compare`: the model and this host on the same work, side by side.
 *
 * Staircase: the same random cyclic pointer chase (one pointer per 64-byte line, Sattolo order)
 * runs on the host and as dependent loads through the configured machine, its pages placed at
 * random as the host's are (sim/stair_model.c); model ns = cycles * 1000 / clock_mhz,
 * clock_mhz from machine.clock_mhz (calibrate writes it) or else the host's time-stamp counter.
 * Error = (model - host) / host.
 * Primitives: the host's cases (host_primitives.c) replayed on the model (compare_prims.c): cost
 * per operation side by side, and the counted work (stale fetches, refetched lines, IPIs, lines
 * to memory, pages written, resident pages) compared exactly; counts_agree is true when at
 * least one count was compared and all compared ones are equal.
 * Litmus: the 2-thread tests given (files, or --litmus DIR) through the model's exploration
 * (the one `cohsim litmus` runs) and the host runner; subset is true when every state the host
 * showed is one the model reached.
 * Exit status 1 when a compared count differs or a host state is not a model state.
 * Output: a table; --json FILE and --html FILE (with an inline SVG plot of the staircase and the
 * primitive and litmus tables) are written whole or not at all.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
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

static const cli_opt_t compare_opts[] = {
    CLI_MACHINE_OPTS,
    {"json", 0, "FILE", "write the comparison as JSON"},
    {"html", 0, "FILE", "write the comparison as HTML with an SVG plot of the staircase"},
    {"litmus", 0, "DIR", "compare the 2-thread litmus tests of DIR (its @all list, else every "
                         "*.litmus file), besides any FILE.litmus given"},
    {"litmus-runs", 0, "N", "model runs per litmus test (default 2000: four times what cohsim "
                            "litmus gives a 2-thread test, for every allowed state, not only "
                            "the condition's)"},
    HOST_TIMING_OPTS,
    HOST_LITMUS_OPTS("host-seed"), /* --seed is the machine's */
    {0},
};

static const cli_spec_t compare_spec = {
    "compare", "[options] [FILE.litmus...]",
    "Runs the model and this host on the same work and prints one table: the latency staircase\n"
    "(model vs measured per working set, with the error), the primitives (cost per operation and\n"
    "the counted work, which must agree exactly) and the 2-thread litmus tests given (the states\n"
    "each side reached; the host's must be among the model's). Exit status 1 when a count differs\n"
    "or a host state is not a model state. Use the preset `cohsim calibrate -o host.ini` wrote:\n"
    "--config host.ini.",
    compare_opts,
};

typedef struct compare_ctx {
    machine_opts_t mo;
    host_run_opts_t h;
    const char *json, *html, *litmus_dir;
    const char *config_path; /* --config: calibrate's staircase is read from its comments */
    uint64_t litmus_runs;
} compare_ctx_t;

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

typedef struct stair_row {
    uint64_t bytes;
    double model_ns, host_ns, error;
    double cal_ns, cal_error; /* the host as calibrate measured it (cal_ns < 0: not there) */
} stair_row_t;

/* Everything one comparison found, for the table, the JSON and the HTML. */
typedef struct report {
    double mhz;
    stair_row_t rows[40];
    unsigned n;
    double med_err, max_err;
    unsigned within; /* points within 15% */
    unsigned ncal;   /* points calibrate measured too */
    double cal_med_err, cal_max_err;
    unsigned cal_within;
    host_prim_t prims[HOST_NPRIMS];
    cmp_prim_t model[HOST_NPRIMS];
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

static cJSON *stat_json(const host_stat_t *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "median_ns", s->median);
    cJSON_AddNumberToObject(o, "min_ns", s->min);
    cJSON_AddNumberToObject(o, "max_ns", s->max);
    cJSON_AddNumberToObject(o, "q1_ns", s->q1);
    cJSON_AddNumberToObject(o, "q3_ns", s->q3);
    cJSON_AddNumberToObject(o, "samples", s->n);
    return o;
}

static const char *status_word(int st)
{
    return st == HOST_OK ? "ok" : st == HOST_FAILED ? "failed" : "unavailable";
}

static cJSON *strings_json(char *const *s, size_t n)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(s[i]));
    return a;
}

static char *compare_json(const report_t *r)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddNumberToObject(root, "clock_mhz", r->mhz);
    cJSON *st = cJSON_AddArrayToObject(root, "staircase");
    for (unsigned i = 0; i < r->n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "bytes", (double)r->rows[i].bytes);
        cJSON_AddNumberToObject(o, "model_ns", r->rows[i].model_ns);
        cJSON_AddNumberToObject(o, "host_ns", r->rows[i].host_ns);
        cJSON_AddNumberToObject(o, "error", r->rows[i].error);
        if (r->rows[i].cal_ns > 0) {
            cJSON_AddNumberToObject(o, "calibrated_host_ns", r->rows[i].cal_ns);
            cJSON_AddNumberToObject(o, "calibrated_error", r->rows[i].cal_error);
        }
        cJSON_AddItemToArray(st, o);
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "staircase_summary");
    cJSON_AddNumberToObject(sum, "median_abs_error", r->med_err);
    cJSON_AddNumberToObject(sum, "max_abs_error", r->max_err);
    cJSON_AddNumberToObject(sum, "points_within_15_percent", r->within);
    cJSON_AddNumberToObject(sum, "points", r->n);
    cJSON_AddBoolToObject(sum, "within_15_percent_median", r->med_err <= 0.15);
    if (r->ncal) {
        cJSON *cal = cJSON_AddObjectToObject(sum, "against_calibration");
        cJSON_AddNumberToObject(cal, "points", r->ncal);
        cJSON_AddNumberToObject(cal, "median_abs_error", r->cal_med_err);
        cJSON_AddNumberToObject(cal, "max_abs_error", r->cal_max_err);
        cJSON_AddNumberToObject(cal, "points_within_15_percent", r->cal_within);
    }
    cJSON *pa = cJSON_AddArrayToObject(root, "primitives");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->prims[i];
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
                cJSON_AddItemToObject(c, "time", stat_json(&m->ns));
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
                if (m->ns.n && m->ns.median > 0)
                    cJSON_AddNumberToObject(k, "error", (model_ns(r, mc->cycles) - m->ns.median) /
                                                            m->ns.median);
                cJSON *cnt = cJSON_AddArrayToObject(k, "counts");
                for (unsigned q = 0; q < mc->ncounts; q++) {
                    const cmp_count_t *x = &mc->count[q];
                    cJSON *e = cJSON_CreateObject();
                    cJSON_AddStringToObject(e, "counted", x->name);
                    cJSON_AddNumberToObject(e, "model", x->model);
                    if (x->host >= 0) {
                        cJSON_AddNumberToObject(e, "host", x->host);
                        cJSON_AddBoolToObject(e, "agree", x->agree);
                    }
                    cJSON_AddItemToArray(cnt, e);
                }
            }
            if (mc->note[0])
                cJSON_AddStringToObject(k, "note", mc->note);
            cJSON_AddItemToArray(mcases, k);
        }
        cJSON_AddBoolToObject(o, "counts_agree", mp->counts_agree);
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

static void html_escape(FILE *f, const char *s)
{
    for (; *s; s++)
        if (*s == '<')
            fputs("&lt;", f);
        else if (*s == '>')
            fputs("&gt;", f);
        else if (*s == '&')
            fputs("&amp;", f);
        else
            fputc(*s, f);
}

/* The staircase as an SVG plot: log2 working set across, log10 ns up, model and host. */
static void html_svg(FILE *f, const stair_row_t *rows, unsigned n)
{
    const double W = 720, H = 360, L = 60, R = 20, T = 20, B = 50;
    double lo = 1e300, hi = 0;
    for (unsigned i = 0; i < n; i++) {
        double v[3] = {rows[i].model_ns, rows[i].host_ns, rows[i].cal_ns};
        for (int k = 0; k < 3; k++)
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
            double v = k == 2 ? rows[i].cal_ns : k ? rows[i].host_ns : rows[i].model_ns;
            if (v > 0)
                fprintf(f, "%.1f,%.1f ", PX(rows[i].bytes), PY(v));
        }
        fprintf(f, "\"/>\n<text x=\"%.0f\" y=\"%.0f\" fill=\"%s\">%s</text>\n", L + 10,
                T + 16 + 14 * k, colors[k], names[k]);
    }
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
               "text-align:right}td.l,th.l{text-align:left}.bad{color:#b00}</style></head>"
               "<body>\n<h1>Model vs host</h1>\n<p>Model cycles are converted at %.0f MHz.</p>\n"
               "<h2>Latency staircase</h2>\n", r->mhz);
    if (r->n)
        html_svg(f, r->rows, r->n);
    fprintf(f, "<table><tr><th>working set</th><th>model ns</th><th>host ns</th>"
               "<th>error</th>%s</tr>\n", r->ncal ? "<th>host ns at calibration</th>"
                                                   "<th>error</th>" : "");
    for (unsigned i = 0; i < r->n; i++) {
        char sz[32];
        fprintf(f, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%+.1f%%</td>",
                size_name(r->rows[i].bytes, sz, sizeof sz), r->rows[i].model_ns,
                r->rows[i].host_ns, r->rows[i].error * 100);
        if (r->ncal && r->rows[i].cal_ns > 0)
            fprintf(f, "<td>%.2f</td><td>%+.1f%%</td>", r->rows[i].cal_ns,
                    r->rows[i].cal_error * 100);
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n<p>Median |error| %.1f%%, largest %.1f%%; %u of %u points within "
               "15%%.", r->med_err * 100, r->max_err * 100, r->within, r->n);
    if (r->ncal)
        fprintf(f, " Against the staircase calibrate measured: median |error| %.1f%%, largest "
                   "%.1f%%; %u of %u points within 15%%.", r->cal_med_err * 100,
                r->cal_max_err * 100, r->cal_within, r->ncal);
    fprintf(f, "</p>\n<h2>Primitives</h2>\n<table><tr><th class=\"l\">primitive</th>"
               "<th class=\"l\">case</th><th>model</th><th>host median</th><th>error</th>"
               "<th class=\"l\">counted (model / host)</th></tr>\n");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->prims[i];
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j];
            const cmp_case_t *mc = &r->model[i].c[j];
            char t[32] = "-", mt[32] = "-", e[32] = "-";
            if (m->ns.n)
                host_fmt_ns(m->ns.median, t, sizeof t);
            if (mc->run) {
                host_fmt_ns(model_ns(r, mc->cycles), mt, sizeof mt);
                if (m->ns.n && m->ns.median > 0)
                    snprintf(e, sizeof e, "%+.0f%%",
                             (model_ns(r, mc->cycles) - m->ns.median) / m->ns.median * 100);
            }
            fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">", j ? "" : p->name);
            html_escape(f, m->label);
            fprintf(f, "</td><td>%s</td><td>%s</td><td>%s</td><td class=\"l\">", mt, t, e);
            for (unsigned q = 0; q < mc->ncounts; q++) {
                const cmp_count_t *x = &mc->count[q];
                fprintf(f, "%s%s%s %g", q ? "; " : "",
                        x->host >= 0 && !x->agree ? "<span class=\"bad\">" : "", x->name, x->model);
                if (x->host >= 0)
                    fprintf(f, " / %g%s", x->host, x->agree ? "" : " (differs)</span>");
            }
            if (!mc->ncounts && m->count_note[0])
                html_escape(f, m->count_note);
            if (mc->note[0]) {
                fprintf(f, "%s", mc->ncounts ? "<br>" : "");
                html_escape(f, mc->note);
            }
            fprintf(f, "</td></tr>\n");
        }
        fprintf(f, "<tr><td></td><td class=\"l\" colspan=\"5\">counts agree: %s. ",
                r->model[i].counts_agree ? "yes" : "<span class=\"bad\">no</span>");
        html_escape(f, r->model[i].note);
        fprintf(f, "</td></tr>\n");
    }
    fprintf(f, "</table>\n<h2>Litmus tests (2 threads)</h2>\n");
    if (r->litmus_note[0]) {
        fprintf(f, "<p>");
        html_escape(f, r->litmus_note);
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<table><tr><th class=\"l\">test</th><th class=\"l\">model states</th>"
               "<th class=\"l\">host states</th><th>host &sube; model</th></tr>\n");
    for (size_t i = 0; i < r->nlit; i++) {
        const cmp_litmus_t *l = &r->lit[i];
        fprintf(f, "<tr><td class=\"l\">");
        html_escape(f, l->test);
        fprintf(f, "</td><td class=\"l\">");
        for (size_t k = 0; k < l->nmodel; k++) {
            html_escape(f, l->model[k]);
            fprintf(f, "<br>");
        }
        fprintf(f, "</td><td class=\"l\">");
        for (size_t k = 0; k < l->nhost; k++) {
            html_escape(f, l->host[k]);
            fprintf(f, "<br>");
        }
        if (!l->host_ran)
            html_escape(f, l->host_note);
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

/* The staircase calibrate measured, from the comment lines it writes into the preset
 * ("# staircase (ns per load): 4K=1.08 8K=1.10 ..."): the number of points read. */
static unsigned calibrated_staircase(const char *path, uint64_t *bytes, double *ns, unsigned max)
{
    static const char tag[] = "# staircase (ns per load):";
    FILE *f = path ? fopen(path, "r") : NULL;
    unsigned n = 0;
    char line[512];
    while (f && n < max && fgets(line, sizeof line, f)) {
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
    const char *clk = config_get(cx.mo.config, "machine", "clock_mhz");
    r->mhz = clk ? strtod(clk, NULL) : host_tsc_mhz();
    if (status == EXIT_DONE && r->mhz <= 0) {
        cli_error("compare: no machine.clock_mhz in the configuration and no time-stamp counter "
                  "to measure the clock with");
        status = EXIT_USAGE;
    }
    if (status != EXIT_DONE)
        goto out;
    printf("compare: model %s%s, clock %.0f MHz (%s)\n\n",
           cx.mo.preset ? "preset " : "configuration", cx.mo.preset ? cx.mo.preset : "",
           r->mhz, clk ? "machine.clock_mhz" : "time-stamp counter");
    if (!clk)
        printf("note: not a calibrated configuration: run `cohsim calibrate -o host.ini` and "
               "pass --config host.ini\n\n");

    host_stair_point_t pts[40];
    int np = host_run_staircase(&cx.h, pts, 40);
    uint64_t cal_bytes[40];
    double cal_ns[40], errs[40], cal_errs[40];
    unsigned ncal = calibrated_staircase(cx.config_path, cal_bytes, cal_ns, 40);
    char err[512];
    printf("staircase: ns per dependent load%s\n  %12s %10s %10s %8s", ncal ? "; and the host as "
           "calibrate measured it (read from the configuration)" : "", "working set", "model",
           "host", "error");
    printf(ncal ? " %12s %8s\n" : "\n", "calibration", "error");
    for (int i = 0; i < np; i++) {
        double cyc = stair_model_chase(&mc, pts[i].bytes, cx.h.quick ? 20000 : 200000, err, sizeof err);
        if (cyc < 0) {
            cli_error("compare: %s", err);
            status = EXIT_USAGE;
            goto out;
        }
        stair_row_t *row = &r->rows[r->n];
        *row = (stair_row_t){pts[i].bytes, model_ns(r, cyc), pts[i].ns.median, 0, -1, 0};
        row->error = (row->model_ns - row->host_ns) / row->host_ns;
        errs[r->n] = fabs(row->error);
        r->within += errs[r->n] <= 0.15;
        for (unsigned k = 0; k < ncal; k++)
            if (cal_bytes[k] == row->bytes && cal_ns[k] > 0) {
                row->cal_ns = cal_ns[k];
                row->cal_error = (row->model_ns - row->cal_ns) / row->cal_ns;
                cal_errs[r->ncal++] = fabs(row->cal_error);
                r->cal_within += fabs(row->cal_error) <= 0.15;
            }
        char sz[32];
        printf("  %12s %10.2f %10.2f %+7.1f%%", size_name(row->bytes, sz, sizeof sz),
               row->model_ns, row->host_ns, row->error * 100);
        if (row->cal_ns > 0)
            printf(" %12.2f %+7.1f%%", row->cal_ns, row->cal_error * 100);
        printf("\n");
        r->n++;
    }
    if (r->n) {
        r->med_err = median_of(errs, r->n);
        r->max_err = errs[r->n - 1];
        printf("  median |error| %.1f%% (target 15%%), largest %.1f%%, %u of %u points within "
               "15%%\n", r->med_err * 100, r->max_err * 100, r->within, r->n);
    }
    if (r->ncal) {
        r->cal_med_err = median_of(cal_errs, r->ncal);
        r->cal_max_err = cal_errs[r->ncal - 1];
        printf("  against calibrate's measurement: median |error| %.1f%%, largest %.1f%%, %u of "
               "%u points within 15%%\n", r->cal_med_err * 100, r->cal_max_err * 100,
               r->cal_within, r->ncal);
    }
    printf("\n");

    host_run_prims(&cx.h, r->prims);
    if (cmp_model_prims(&mc, r->prims, r->model, err, sizeof err) != 0) {
        cli_error("compare: primitives: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    printf("primitives: cost per operation, model vs host, and the counted work (model / host)\n");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &r->prims[i];
        const cmp_prim_t *m = &r->model[i];
        printf("%s  [host %s; counts agree: %s]\n", p->name, status_word(p->status),
               m->counts_agree ? "yes" : "no");
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *h = &p->m[j];
            const cmp_case_t *c = &m->c[j];
            char a[32] = "-", b[32] = "-", e[16] = "";
            if (c->run)
                host_fmt_ns(model_ns(r, c->cycles), a, sizeof a);
            if (h->ns.n)
                host_fmt_ns(h->ns.median, b, sizeof b);
            if (c->run && h->ns.n && h->ns.median > 0)
                snprintf(e, sizeof e, "%+.0f%%",
                         (model_ns(r, c->cycles) - h->ns.median) / h->ns.median * 100);
            printf("  %-46s %11s %11s %7s ", h->label, a, b, e);
            for (unsigned q = 0; q < c->ncounts; q++) {
                const cmp_count_t *x = &c->count[q];
                printf(" %s %g", x->name, x->model);
                if (x->host >= 0) {
                    printf(" / %g%s", x->host, x->agree ? "" : " DIFFERS");
                    if (!x->agree)
                        status = EXIT_CHECK;
                }
            }
            if (!c->ncounts && h->count_note[0])
                printf(" (host: %s)", h->count_note);
            printf("\n");
        }
        if (m->note[0])
            printf("  %s\n", m->note);
        if (p->note[0])
            printf("  host: %s\n", p->note);
        printf("\n");
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
        char *text = compare_json(r);
        if (!text || cli_write_file_atomic(cx.json, text, strlen(text)) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    if (cx.html && status != EXIT_USAGE) {
        size_t len = 0;
        char *text = compare_html(r, &len);
        if (!text || cli_write_file_atomic(cx.html, text, len) != 0)
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
