/* cmd_compare.c: `cohsim compare`: the model and this host on the same work, side by side.
 *
 * Staircase: the same random cyclic pointer chase (one pointer per 64-byte line, Sattolo order)
 * runs on the host and as dependent loads through the configured machine (a core source that
 * issues the next load only when the previous one is done); model ns = cycles * 1000 /
 * clock_mhz, clock_mhz from machine.clock_mhz (calibrate writes it) or else the host's
 * time-stamp counter. Error = (model - host) / host.
 * Primitives: the host's measurements with their counted work; the model's side needs the OS
 * layer, and is reported as missing when this build has none.
 * Output: a table; --json FILE and --html FILE (with an inline SVG plot of the staircase) are
 * written whole or not at all.
 */
#define _GNU_SOURCE
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/machine.h"
#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/host.h"
#include "sim/host_cmd.h"

static const cli_opt_t compare_opts[] = {
    CLI_MACHINE_OPTS,
    {"json", 0, "FILE", "write the comparison as JSON"},
    {"html", 0, "FILE", "write the comparison as HTML with an SVG plot of the staircase"},
    HOST_MEASURE_OPTS,
    {0},
};

static const cli_spec_t compare_spec = {
    "compare", "[options]",
    "Runs the model and this host on the same work and prints one table: the latency staircase\n"
    "(model vs measured per working set, with the error) and the primitives (cost and counted\n"
    "work). Use the preset `cohsim calibrate -o host.ini` wrote: --config host.ini.",
    compare_opts,
};

typedef struct compare_ctx {
    machine_opts_t mo;
    host_run_opts_t h;
    const char *json, *html;
} compare_ctx_t;

static int compare_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    compare_ctx_t *c = ctx;
    int h = machine_opts_handle(&c->mo, opt, arg, "x86-2");
    if (h != 0)
        return h < 0 ? -1 : 0;
    if (strcmp(opt->name, "json") == 0)
        c->json = arg;
    else if (strcmp(opt->name, "html") == 0)
        c->html = arg;
    else
        return host_opts_option(&c->h, opt, arg);
    return 0;
}

/* ---- the model's staircase ------------------------------------------------------------------ */

typedef struct chase_src {
    const uint32_t *next; /* next[line]: the line loaded after line */
    uint64_t base;
    uint32_t line;        /* the line of the next load */
    uint64_t issued, warm, total;
    uint64_t t_start, t_end; /* cycles: first measured load issued, last one done */
} chase_src_t;

static int chase_next(void *opaque, mem_req_t *out)
{
    chase_src_t *s = opaque;
    if (s->issued == s->total)
        return 0;
    memset(out, 0, sizeof *out);
    out->op = OP_LOAD;
    out->size = 8;
    out->addr = s->base + (uint64_t)s->line * 64;
    s->line = s->next[s->line];
    s->issued++;
    return 1;
}

static int chase_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    chase_src_t *s = opaque;
    (void)req;
    if (s->issued == s->warm + 1)
        s->t_start = res->issued;
    s->t_end = res->done;
    return 0;
}

static uint64_t cmp_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* Cycles per dependent load over a working set of bytes, on a fresh machine; -1 on error. */
static double model_chase(const machine_config_t *cfg, uint64_t bytes, uint64_t min_loads,
                          char *err, size_t errlen)
{
    uint32_t lines = (uint32_t)(bytes / 64);
    uint32_t *perm = malloc((size_t)lines * sizeof *perm), *next = malloc((size_t)lines * sizeof *next);
    machine_t *m = NULL;
    double r = -1;
    if (!perm || !next) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < lines; i++)
        perm[i] = i;
    for (uint32_t i = lines - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(cmp_rand(&rng) % i), t = perm[i];
        perm[i] = perm[j], perm[j] = t;
    }
    /* Sattolo's permutation read as a cycle: line i is followed by perm[i]. */
    for (uint32_t i = 0; i < lines; i++)
        next[i] = perm[i];
    m = machine_create(cfg, err, errlen);
    if (!m)
        goto out;
    uint64_t loads = (uint64_t)lines * 2 > min_loads ? (uint64_t)lines * 2 : min_loads;
    /* Two warm laps: a cache that holds the set then hits on every load. */
    chase_src_t s = {next, 1ull << 32, 0, 0, (uint64_t)lines * 2, (uint64_t)lines * 2 + loads, 0, 0};
    core_source_t src = {chase_next, chase_done, &s, false};
    int rc = machine_run(m, &src, 1, true);
    if (rc != 0) {
        snprintf(err, errlen, "model run failed (%d): %s", rc, machine_error(m));
        goto out;
    }
    r = (double)(s.t_end - s.t_start) / (double)loads;
out:
    machine_destroy(m);
    free(perm);
    free(next);
    return r;
}

/* ---- output ------------------------------------------------------------------------------- */

typedef struct stair_row {
    uint64_t bytes;
    double model_ns, host_ns, error;
} stair_row_t;

static const char *size_name(uint64_t b, char *buf, size_t len)
{
    if (b >= (1u << 20))
        snprintf(buf, len, "%llu MiB", (unsigned long long)(b >> 20));
    else
        snprintf(buf, len, "%llu KiB", (unsigned long long)(b >> 10));
    return buf;
}

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

static char *compare_json(const stair_row_t *rows, unsigned n, const host_prim_t *prims,
                          double med_err, double max_err, const char *model_note)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *st = cJSON_AddArrayToObject(root, "staircase");
    for (unsigned i = 0; i < n; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "bytes", (double)rows[i].bytes);
        cJSON_AddNumberToObject(o, "model_ns", rows[i].model_ns);
        cJSON_AddNumberToObject(o, "host_ns", rows[i].host_ns);
        cJSON_AddNumberToObject(o, "error", rows[i].error);
        cJSON_AddItemToArray(st, o);
    }
    cJSON *sum = cJSON_AddObjectToObject(root, "staircase_summary");
    cJSON_AddNumberToObject(sum, "median_abs_error", med_err);
    cJSON_AddNumberToObject(sum, "max_abs_error", max_err);
    cJSON_AddBoolToObject(sum, "within_15_percent_median", med_err <= 0.15);
    cJSON *pa = cJSON_AddArrayToObject(root, "primitives");
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &prims[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", p->name);
        cJSON *model = cJSON_AddObjectToObject(o, "model");
        cJSON_AddBoolToObject(model, "available", 0);
        cJSON_AddStringToObject(model, "note", model_note);
        cJSON *host = cJSON_AddObjectToObject(o, "host");
        cJSON_AddStringToObject(host, "equivalent", p->equivalent);
        cJSON_AddStringToObject(host, "status", p->status == HOST_OK ? "ok"
                                                : p->status == HOST_FAILED ? "failed"
                                                                           : "unavailable");
        cJSON_AddStringToObject(host, "note", p->note);
        cJSON *cases = cJSON_AddArrayToObject(host, "cases");
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j];
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
        }
        /* No model counts to agree with: never claim agreement. */
        cJSON_AddBoolToObject(o, "counts_agree", 0);
        cJSON_AddItemToArray(pa, o);
    }
    cJSON_AddArrayToObject(root, "litmus");
    cJSON *nd = cJSON_AddArrayToObject(root, "not_done");
    cJSON_AddItemToArray(nd, cJSON_CreateString(model_note));
    cJSON_AddItemToArray(nd, cJSON_CreateString(
        "litmus: this build has no model litmus runner; use cohsim host litmus for the host side"));
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
        double v[2] = {rows[i].model_ns, rows[i].host_ns};
        for (int k = 0; k < 2; k++)
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
    const char *names[2] = {"model", "host"}, *colors[2] = {"#d62728", "#1f77b4"};
    for (int k = 0; k < 2; k++) {
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", colors[k]);
        for (unsigned i = 0; i < n; i++) {
            double v = k ? rows[i].host_ns : rows[i].model_ns;
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

static char *compare_html(const stair_row_t *rows, unsigned n, const host_prim_t *prims,
                          double med_err, double max_err, const char *model_note, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    if (!f)
        return NULL;
    fprintf(f, "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>cohsim compare"
               "</title>\n<style>body{font-family:sans-serif}td,th{padding:2px 8px;"
               "text-align:right}td.l,th.l{text-align:left}</style></head><body>\n"
               "<h1>Model vs host</h1>\n<h2>Latency staircase</h2>\n");
    if (n)
        html_svg(f, rows, n);
    fprintf(f, "<table><tr><th>working set</th><th>model ns</th><th>host ns</th>"
               "<th>error</th></tr>\n");
    for (unsigned i = 0; i < n; i++) {
        char sz[32];
        fprintf(f, "<tr><td>%s</td><td>%.2f</td><td>%.2f</td><td>%+.1f%%</td></tr>\n",
                size_name(rows[i].bytes, sz, sizeof sz), rows[i].model_ns, rows[i].host_ns,
                rows[i].error * 100);
    }
    fprintf(f, "</table>\n<p>Median |error| %.1f%%, largest %.1f%%.</p>\n<h2>Primitives</h2>\n"
               "<p>Model: ", med_err * 100, max_err * 100);
    html_escape(f, model_note);
    fprintf(f, "</p>\n<table><tr><th class=\"l\">primitive</th><th class=\"l\">case</th>"
               "<th>host median</th><th class=\"l\">counted</th></tr>\n");
    for (unsigned i = 0; i < HOST_NPRIMS; i++)
        for (unsigned j = 0; j < prims[i].nm; j++) {
            const host_measure_t *m = &prims[i].m[j];
            char t[32] = "-";
            if (m->ns.n)
                host_fmt_ns(m->ns.median, t, sizeof t);
            fprintf(f, "<tr><td class=\"l\">%s</td><td class=\"l\">", j ? "" : prims[i].name);
            html_escape(f, m->label);
            fprintf(f, "</td><td>%s</td><td class=\"l\">", t);
            if (m->count_name[0] && !m->count_note[0])
                fprintf(f, "%s %g", m->count_name, m->count);
            else
                html_escape(f, m->count_note);
            fprintf(f, "</td></tr>\n");
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

int cmd_compare(int argc, char **argv)
{
    compare_ctx_t cx = {0};
    int first;
    int rc = cli_parse(&compare_spec, argc, argv, compare_option, &cx, &first);
    if (rc != 0) {
        machine_opts_free(&cx.mo);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    if (first < argc) {
        cli_error("compare: unexpected argument '%s'", argv[first]);
        machine_opts_free(&cx.mo);
        return EXIT_USAGE;
    }
    host_opts_finish(&cx.h);
    machine_config_t mc;
    if (machine_opts_build(&cx.mo, "x86-2", &mc) != 0) {
        machine_opts_free(&cx.mo);
        return EXIT_USAGE;
    }
    const char *clk = config_get(cx.mo.config, "machine", "clock_mhz");
    double mhz = clk ? strtod(clk, NULL) : host_tsc_mhz();
    if (mhz <= 0) {
        cli_error("compare: no machine.clock_mhz in the configuration and no time-stamp counter "
                  "to measure the clock with");
        machine_opts_free(&cx.mo);
        return EXIT_USAGE;
    }
    printf("compare: model %s%s, clock %.0f MHz (%s)\n\n",
           cx.mo.preset ? "preset " : "configuration", cx.mo.preset ? cx.mo.preset : "",
           mhz, clk ? "machine.clock_mhz" : "time-stamp counter");
    if (!clk)
        printf("note: not a calibrated configuration: run `cohsim calibrate -o host.ini` and "
               "pass --config host.ini\n\n");
    machine_opts_free(&cx.mo);

    host_stair_point_t pts[40];
    int np = host_run_staircase(&cx.h, pts, 40);
    stair_row_t rows[40];
    unsigned n = 0;
    double errs[40];
    char err[512];
    int status = EXIT_DONE;
    printf("staircase: ns per dependent load\n  %12s %10s %10s %8s\n", "working set", "model",
           "host", "error");
    for (int i = 0; i < np; i++) {
        double cyc = model_chase(&mc, pts[i].bytes, cx.h.quick ? 20000 : 200000, err, sizeof err);
        if (cyc < 0) {
            cli_error("compare: %s", err);
            status = EXIT_USAGE;
            break;
        }
        rows[n] = (stair_row_t){pts[i].bytes, cyc * 1000.0 / mhz, pts[i].ns.median, 0};
        rows[n].error = (rows[n].model_ns - rows[n].host_ns) / rows[n].host_ns;
        errs[n] = fabs(rows[n].error);
        char sz[32];
        printf("  %12s %10.2f %10.2f %+7.1f%%\n", size_name(rows[n].bytes, sz, sizeof sz),
               rows[n].model_ns, rows[n].host_ns, rows[n].error * 100);
        n++;
    }
    double med_err = 0, max_err = 0;
    if (n) {
        qsort(errs, n, sizeof *errs, cmp_abs);
        med_err = n % 2 ? errs[n / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2;
        max_err = errs[n - 1];
        printf("  median |error| %.1f%% (target 15%%), largest %.1f%%\n\n", med_err * 100,
               max_err * 100);
    }
    host_prim_t prims[HOST_NPRIMS];
    host_run_prims(&cx.h, prims);
    const char *model_note = "primitives: this build's machine has no OS layer, so the model "
                             "side of the primitives is not run (host side only)";
    printf("primitives (host side; %s)\n\n", model_note);
    host_print_prims(stdout, prims);
    printf("litmus: not compared (this build has no model litmus runner)\n");
    if (cx.json && status == EXIT_DONE) {
        char *text = compare_json(rows, n, prims, med_err, max_err, model_note);
        if (!text || cli_write_file_atomic(cx.json, text, strlen(text)) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    if (cx.html && status == EXIT_DONE) {
        size_t len = 0;
        char *text = compare_html(rows, n, prims, med_err, max_err, model_note, &len);
        if (!text || cli_write_file_atomic(cx.html, text, len) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    return status;
}
