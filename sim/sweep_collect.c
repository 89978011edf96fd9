/* sweep_collect.c: a sweep's results merged into one CSV, and a statistic plotted as SVG.
 *
 * Rows are the points in the spec's cross-product order, traces innermost; columns are id, trace,
 * one per parameter and one per headline statistic (sweep_stats.def), a cache level's only when
 * some result has it. Every result must exist, be complete and echo its point's values: a CSV
 * is never made of a part of a sweep, nor of another sweep's results.
 */
#include "sim/sweep.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/config.h"

typedef enum stat_scope { DOC, CORES } stat_scope_t;

/* The sweeps a statistic belongs to, by their command (sweep_kind_t as a bit). */
enum { RUN = 1 << SWEEP_RUN, EXEC = 1 << SWEEP_EXEC, LITMUS = 1 << SWEEP_LITMUS };

typedef struct stat_row {
    const char *name, *unit;
    stat_scope_t scope;
    const char *path;
    int level; /* a LEVEL row: three columns */
    unsigned commands;
} stat_row_t;

static const stat_row_t stat_rows[] = {
#define STAT(name, unit, scope, path, commands) {name, unit, scope, path, 0, commands},
#define LEVEL(name, scope, path) {name, NULL, scope, path, 1, RUN | EXEC},
#include "sim/sweep_stats.def"
#undef STAT
#undef LEVEL
};
#define NSTAT_ROWS (sizeof stat_rows / sizeof stat_rows[0])

typedef enum col_kind { COL_COUNT, COL_RATE } col_kind_t;

/* A statistic column: a value read at path (COL_COUNT) or misses over accesses (COL_RATE). */
typedef struct stat_col {
    char name[48], path[64];
    const char *unit;
    stat_scope_t scope;
    col_kind_t kind;
    int used; /* some result has it */
} stat_col_t;

#define MAX_COLS (3 * NSTAT_ROWS)

static size_t stat_columns(sweep_kind_t kind, stat_col_t *cols)
{
    static const char *const level_parts[3] = {"accesses", "misses", "miss_rate"};
    static const char *const level_units[3] = {"accesses", "misses", "misses per access"};
    size_t n = 0;
    for (size_t i = 0; i < NSTAT_ROWS; i++) {
        const stat_row_t *r = &stat_rows[i];
        if (!(r->commands & (1u << kind)))
            continue;
        for (int part = 0; part < (r->level ? 3 : 1); part++) {
            stat_col_t *c = &cols[n++];
            c->scope = r->scope;
            c->used = !r->level;
            c->kind = r->level && part == 2 ? COL_RATE : COL_COUNT;
            if (r->level) {
                snprintf(c->name, sizeof c->name, "%s_%s", r->name, level_parts[part]);
                snprintf(c->path, sizeof c->path, "%s%s", r->path,
                         part == 0 ? ".accesses.total" : part == 1 ? ".misses.total" : "");
                c->unit = level_units[part];
            } else {
                snprintf(c->name, sizeof c->name, "%s", r->name);
                snprintf(c->path, sizeof c->path, "%s", r->path);
                c->unit = r->unit;
            }
        }
    }
    return n;
}

/* The number at the dotted path under o (a number indexes an array, # is an array's length, a
 * boolean is 1 or 0); 0 when it is missing. */
static int json_number_at(const cJSON *o, const char *path, double *v)
{
    char part[64];
    while (o && *path) {
        size_t n = strcspn(path, ".");
        if (n >= sizeof part)
            return 0;
        memcpy(part, path, n);
        part[n] = '\0';
        path += n + (path[n] == '.');
        if (strcmp(part, "#") == 0 && !*path) {
            if (!cJSON_IsArray(o))
                return 0;
            *v = (double)cJSON_GetArraySize(o);
            return 1;
        }
        o = cJSON_IsArray(o) && part[0] >= '0' && part[0] <= '9'
                ? cJSON_GetArrayItem(o, atoi(part))
                : cJSON_GetObjectItemCaseSensitive(o, part);
    }
    if (cJSON_IsBool(o)) {
        *v = cJSON_IsTrue(o) ? 1.0 : 0.0;
        return 1;
    }
    if (!cJSON_IsNumber(o))
        return 0;
    *v = o->valuedouble;
    return 1;
}

/* The value of a count column in a result (summed over the cores for CORES); 0 when absent. */
static int stat_value(const cJSON *doc, stat_scope_t scope, const char *path, double *v)
{
    if (scope == DOC)
        return json_number_at(doc, path, v);
    const cJSON *core;
    int found = 0;
    *v = 0;
    cJSON_ArrayForEach(core, cJSON_GetObjectItemCaseSensitive(doc, "cores"))
    {
        double x;
        if (json_number_at(core, path, &x)) {
            *v += x;
            found = 1;
        }
    }
    return found;
}

static int col_value(const cJSON *doc, const stat_col_t *c, double *v)
{
    if (c->kind == COL_COUNT)
        return stat_value(doc, c->scope, c->path, v);
    char p[80];
    double miss, acc;
    snprintf(p, sizeof p, "%s.misses.total", c->path);
    if (!stat_value(doc, c->scope, p, &miss))
        return 0;
    snprintf(p, sizeof p, "%s.accesses.total", c->path);
    if (!stat_value(doc, c->scope, p, &acc))
        return 0;
    *v = acc > 0 ? miss / acc : 0.0;
    return 1;
}

/* The result document at path, or NULL when it is missing, not JSON or not a whole result of
 * the sweep's command (a document without "command" is run's, from before it was written). */
static cJSON *result_load(const sweep_spec_t *s, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    char buf[8192];
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = 2 * (len + n + 1);
            char *grown = realloc(text, cap);
            if (!grown) {
                free(text);
                fclose(f);
                return NULL;
            }
            text = grown;
        }
        memcpy(text + len, buf, n);
        len += n;
    }
    fclose(f);
    if (!text)
        return NULL;
    text[len] = '\0';
    cJSON *doc = cJSON_Parse(text);
    free(text);
    if (!doc)
        return NULL;
    const cJSON *command = cJSON_GetObjectItemCaseSensitive(doc, "command");
    const char *want = sweep_kind_command(s->kind);
    int whole = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(doc, "config")) &&
                (cJSON_IsString(command) ? strcmp(command->valuestring, want) == 0
                                         : s->kind == SWEEP_RUN);
    if (s->kind == SWEEP_LITMUS)
        whole = whole && cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "tests")) == 1;
    else
        whole = whole && cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(doc, "cycles")) &&
                cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "cores"));
    if (!whole) {
        cJSON_Delete(doc);
        return NULL;
    }
    return doc;
}

int sweep_result_complete(const sweep_spec_t *s, const char *path)
{
    cJSON *doc = result_load(s, path);
    cJSON_Delete(doc);
    return doc != NULL;
}

/* A configuration value of a result (config_to_json: a number, a boolean or a word) as
 * sweep_spec.c canonicalises the spec's: a number in decimal, yes/no, else as written. NULL when
 * the result has no such value. */
static const char *echoed_value(const cJSON *v, char *buf, size_t len)
{
    if (cJSON_IsNumber(v)) {
        snprintf(buf, len, "%.0f", v->valuedouble);
        return buf;
    }
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? "yes" : "no";
    if (!cJSON_IsString(v))
        return NULL;
    uint64_t n;
    if (config_parse_size(v->valuestring, &n) == 0) {
        snprintf(buf, len, "%llu", (unsigned long long)n);
        return buf;
    }
    return v->valuestring;
}

/* The CSV's column of the inputs (and --series's name for them): trace, program or litmus. */
static const char *input_column(const sweep_spec_t *s)
{
    return s->kind == SWEEP_EXEC ? "program" : s->kind == SWEEP_LITMUS ? "litmus" : "trace";
}

/* The collected table: values[row * ncols + col], has[...] whether the result had it. */
typedef struct table {
    size_t nrows, ncols;
    stat_col_t cols[MAX_COLS];
    double *values;
    unsigned char *has;
} table_t;

static int table_fill(const sweep_spec_t *s, const char *out, table_t *tb, char *err,
                      size_t errlen)
{
    tb->ncols = stat_columns(s->kind, tb->cols);
    tb->nrows = s->npoints * s->ntraces;
    tb->values = calloc(tb->nrows * tb->ncols, sizeof *tb->values);
    tb->has = calloc(tb->nrows * tb->ncols, 1);
    if (!tb->values || !tb->has) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t missing = 0;
    char *first_missing = NULL;
    for (size_t p = 0; p < s->npoints; p++)
        for (size_t t = 0; t < s->ntraces; t++) {
            size_t row = p * s->ntraces + t;
            char *path = sweep_result_path(s, out, p, t);
            cJSON *doc = path ? result_load(s, path) : NULL;
            if (!doc) {
                if (!missing++)
                    first_missing = path;
                else
                    free(path);
                continue;
            }
            const cJSON *config = cJSON_GetObjectItemCaseSensitive(doc, "config");
            for (size_t k = 0; k < s->nparams; k++) {
                const sweep_param_t *q = &s->params[k];
                const cJSON *v = cJSON_GetObjectItemCaseSensitive(
                    cJSON_GetObjectItemCaseSensitive(config, q->section), q->key);
                const char *want = q->canon[sweep_value_index(s, p, k)];
                char buf[32];
                const char *got = echoed_value(v, buf, sizeof buf);
                if (!got || strcmp(got, want) != 0) {
                    snprintf(err, errlen,
                             "%s: its configuration has %s.%s = %s, not %s: the result of another "
                             "run (remove it to run the point again)",
                             path, q->section, q->key, got ? got : "(nothing)",
                             q->values[sweep_value_index(s, p, k)]);
                    cJSON_Delete(doc);
                    free(path);
                    free(first_missing);
                    return -1;
                }
            }
            for (size_t c = 0; c < tb->ncols; c++) {
                double v;
                if (col_value(doc, &tb->cols[c], &v)) {
                    tb->values[row * tb->ncols + c] = v;
                    tb->has[row * tb->ncols + c] = 1;
                    tb->cols[c].used = 1;
                }
            }
            cJSON_Delete(doc);
            free(path);
        }
    if (missing) {
        snprintf(err, errlen,
                 "%zu of %zu results are missing or incomplete (the first: %s): run the sweep "
                 "to the end first",
                 missing, tb->nrows, first_missing ? first_missing : "?");
        free(first_missing);
        return -1;
    }
    return 0;
}

static void table_csv(const sweep_spec_t *s, const table_t *tb, FILE *out)
{
    fprintf(out, "id,%s", input_column(s));
    for (size_t k = 0; k < s->nparams; k++) {
        fputc(',', out);
        fprintf(out, "%s.%s", s->params[k].section, s->params[k].key);
    }
    for (size_t c = 0; c < tb->ncols; c++)
        if (tb->cols[c].used)
            fprintf(out, ",%s", tb->cols[c].name);
    fputc('\n', out);
    for (size_t p = 0; p < s->npoints; p++) {
        char id[17];
        sweep_point_id(s, p, id);
        for (size_t t = 0; t < s->ntraces; t++) {
            size_t row = p * s->ntraces + t;
            fprintf(out, "%s,", id);
            cli_csv_field(out, s->traces[t].path);
            for (size_t k = 0; k < s->nparams; k++) {
                fputc(',', out);
                cli_csv_field(out, s->params[k].values[sweep_value_index(s, p, k)]);
            }
            for (size_t c = 0; c < tb->ncols; c++) {
                if (!tb->cols[c].used)
                    continue;
                fputc(',', out);
                if (!tb->has[row * tb->ncols + c])
                    continue;
                double v = tb->values[row * tb->ncols + c];
                if (tb->cols[c].kind == COL_RATE)
                    fprintf(out, "%.6f", v);
                else
                    fprintf(out, "%.0f", v);
            }
            fputc('\n', out);
        }
    }
}

/* ---- the plot ------------------------------------------------------------------------------ */

enum { SVG_W = 800, SVG_H = 500, PLOT_L = 90, PLOT_R = 590, PLOT_T = 70, PLOT_B = 420 };

static const char *const palette[] = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e",
                                      "#9467bd", "#8c564b", "#e377c2", "#17becf"};
#define NPALETTE (sizeof palette / sizeof palette[0])

/* The parameter named name, or -1. */
static int param_index(const sweep_spec_t *s, const char *name)
{
    for (size_t k = 0; k < s->nparams; k++) {
        size_t n = strlen(s->params[k].section);
        if (strncmp(name, s->params[k].section, n) == 0 && name[n] == '.' &&
            strcmp(name + n + 1, s->params[k].key) == 0)
            return (int)k;
    }
    return -1;
}

/* A step of 1, 2 or 5 times a power of ten that cuts 0..max into about five intervals. */
static double nice_step(double max)
{
    double raw = max / 5, mag = pow(10, floor(log10(raw))), norm = raw / mag;
    return (norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10) * mag;
}

static void plot_names(const sweep_spec_t *s, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < s->nparams && n < len; k++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s.%s", k ? ", " : "", s->params[k].section,
                              s->params[k].key);
}

/* Where a value at fraction f (0: the leftmost, 1: the rightmost) of the x axis goes: 30 pixels
 * in from either end. */
static double plot_x(double f)
{
    double pad = 30, span = PLOT_R - PLOT_L - 2 * pad;
    return PLOT_L + pad + span * f;
}

static double plot_y(double v, double top) { return PLOT_B - (PLOT_B - PLOT_T) * v / top; }

typedef struct plot_data {
    size_t nx, nseries;
    size_t *xorder;      /* x's value indices, left to right */
    double *xfrac;       /* [xi]: where on the axis, 0..1 */
    int xlog;            /* numbers on a log2 scale */
    double *sum;         /* [series * nx + xi] */
    size_t *count;
} plot_data_t;

/* Where each x value goes. Words, and a single value, are evenly spaced (one value: in the
 * middle). Numbers are to scale: linear, unless every one is above 0 and they grow faster than
 * a linear range does (the largest over the smallest beyond their count: sizes 1K..16K *2), when
 * the scale is log2 and each doubling is the same distance. */
static void axis_scale(const sweep_param_t *xp, int numeric, plot_data_t *d)
{
    d->xlog = 0;
    if (!numeric || d->nx < 2) {
        for (size_t i = 0; i < d->nx; i++)
            d->xfrac[i] = d->nx < 2 ? 0.5 : (double)i / (double)(d->nx - 1);
        return;
    }
    double lo = strtod(xp->canon[d->xorder[0]], NULL);
    double hi = strtod(xp->canon[d->xorder[d->nx - 1]], NULL);
    d->xlog = lo > 0 && hi / lo > (double)d->nx;
    for (size_t i = 0; i < d->nx; i++) {
        double v = strtod(xp->canon[d->xorder[i]], NULL);
        d->xfrac[i] = hi == lo  ? 0.5
                      : d->xlog ? (log2(v) - log2(lo)) / (log2(hi) - log2(lo))
                                : (v - lo) / (hi - lo);
    }
}

static int plot_svg(const sweep_spec_t *s, const table_t *tb, const sweep_plot_t *pl, FILE *out,
                    char *err, size_t errlen)
{
    char names[512];
    plot_names(s, names, sizeof names);
    int xk = param_index(s, pl->x);
    if (xk < 0) {
        snprintf(err, errlen, "--x %s: not a parameter of the sweep: expected one of %s", pl->x,
                 names);
        return -1;
    }
    int by_trace = pl->series && (strcmp(pl->series, "trace") == 0 ||
                                  strcmp(pl->series, input_column(s)) == 0);
    int sk = pl->series && !by_trace ? param_index(s, pl->series) : -1;
    if (pl->series && !by_trace && (sk < 0 || sk == xk)) {
        snprintf(err, errlen, "--series %s: expected %s or a parameter other than --x: one of %s",
                 pl->series, input_column(s), names);
        return -1;
    }
    size_t yc = tb->ncols;
    for (size_t c = 0; c < tb->ncols; c++)
        if (tb->cols[c].used && strcmp(tb->cols[c].name, pl->y) == 0)
            yc = c;
    if (yc == tb->ncols) {
        int n = snprintf(err, errlen, "--y %s: not a statistic of these results: expected one of",
                         pl->y);
        for (size_t c = 0; c < tb->ncols && n >= 0 && (size_t)n < errlen; c++)
            if (tb->cols[c].used)
                n += snprintf(err + n, errlen - (size_t)n, " %s", tb->cols[c].name);
        return -1;
    }
    const sweep_param_t *xp = &s->params[xk];
    plot_data_t d = {.nx = xp->nvalues,
                     .nseries = by_trace ? s->ntraces : sk >= 0 ? s->params[sk].nvalues : 1};
    d.xorder = malloc(d.nx * sizeof *d.xorder);
    d.xfrac = malloc(d.nx * sizeof *d.xfrac);
    d.sum = calloc(d.nx * d.nseries, sizeof *d.sum);
    d.count = calloc(d.nx * d.nseries, sizeof *d.count);
    if (!d.xorder || !d.xfrac || !d.sum || !d.count) {
        free(d.xorder), free(d.xfrac), free(d.sum), free(d.count);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* Numbers left to right by size; words in the spec's order. */
    int numeric = 1;
    for (size_t i = 0; i < d.nx; i++) {
        uint64_t v;
        numeric &= config_parse_size(xp->values[i], &v) == 0;
        d.xorder[i] = i;
    }
    for (size_t i = 1; numeric && i < d.nx; i++)
        for (size_t j = i; j > 0 && strtod(xp->canon[d.xorder[j - 1]], NULL) >
                                        strtod(xp->canon[d.xorder[j]], NULL);
             j--) {
            size_t tmp = d.xorder[j];
            d.xorder[j] = d.xorder[j - 1];
            d.xorder[j - 1] = tmp;
        }
    /* values that constraints left without a point get no place on the axis */
    size_t kept = 0;
    for (size_t i = 0; i < d.nx; i++) {
        int used = 0;
        for (size_t p = 0; p < s->npoints && !used; p++)
            used = sweep_value_index(s, p, (size_t)xk) == d.xorder[i];
        if (used)
            d.xorder[kept++] = d.xorder[i];
    }
    d.nx = kept;
    axis_scale(xp, numeric, &d);
    size_t most = 0;
    double ymax = 0;
    for (size_t p = 0; p < s->npoints; p++)
        for (size_t t = 0; t < s->ntraces; t++) {
            size_t row = p * s->ntraces + t, xi = 0, xv = sweep_value_index(s, p, (size_t)xk);
            while (d.xorder[xi] != xv)
                xi++;
            size_t se = by_trace ? t : sk >= 0 ? sweep_value_index(s, p, (size_t)sk) : 0;
            if (!tb->has[row * tb->ncols + yc])
                continue;
            d.sum[se * d.nx + xi] += tb->values[row * tb->ncols + yc];
            if (++d.count[se * d.nx + xi] > most)
                most = d.count[se * d.nx + xi];
        }
    for (size_t i = 0; i < d.nx * d.nseries; i++)
        if (d.count[i] && d.sum[i] / (double)d.count[i] > ymax)
            ymax = d.sum[i] / (double)d.count[i];
    double step = nice_step(ymax > 0 ? ymax : 1), top = ceil((ymax > 0 ? ymax : 1) / step) * step;
    int decimals = step >= 1 ? 0 : (int)ceil(-log10(step));

    const stat_col_t *ycol = &tb->cols[yc];
    const char *xunit = config_key_unit(xp->section, xp->key);
    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"13\">\n",
            SVG_W, SVG_H, SVG_W, SVG_H);
    fprintf(out, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", SVG_W, SVG_H);
    fprintf(out, "<text x=\"%d\" y=\"28\" text-anchor=\"middle\" font-size=\"16\" "
                 "font-weight=\"bold\">",
            (PLOT_L + PLOT_R) / 2);
    cli_xml_text(out, ycol->name);
    fputs(" against ", out);
    cli_xml_text(out, pl->x);
    if (pl->series) {
        fputs(", one line per ", out);
        cli_xml_text(out, pl->series);
    }
    fputs("</text>\n", out);
    fprintf(out, "<text x=\"%d\" y=\"48\" text-anchor=\"middle\" fill=\"#555\">",
            (PLOT_L + PLOT_R) / 2);
    if (most > 1) {
        /* name what the mean runs over: the traces, unless they are the series, and every
         * parameter with several values that is neither axis nor series */
        fprintf(out, "each point: the mean of %zu results, over", most);
        const char *sep = " ";
        if (!by_trace && s->ntraces > 1) {
            fputs(s->kind == SWEEP_EXEC     ? " the programs"
                  : s->kind == SWEEP_LITMUS ? " the litmus tests"
                                            : " the traces",
                  out);
            sep = ", ";
        }
        for (size_t k = 0; k < s->nparams; k++)
            if ((int)k != xk && (int)k != sk && s->params[k].nvalues > 1) {
                fprintf(out, "%s", sep);
                cli_xml_text(out, s->params[k].section);
                fputc('.', out);
                cli_xml_text(out, s->params[k].key);
                sep = ", ";
            }
    } else
        fputs("each point: one result", out);
    fputs("</text>\n", out);
    /* axes and the y grid */
    fprintf(out, "<g stroke=\"#000\" stroke-width=\"1\">\n"
                 "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n"
                 "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n</g>\n",
            PLOT_L, PLOT_B, PLOT_R, PLOT_B, PLOT_L, PLOT_B, PLOT_L, PLOT_T);
    for (int i = 0; i * step <= top + step / 2; i++) {
        double v = i * step, y = plot_y(v, top);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                PLOT_L + 1, y, PLOT_R, y);
        fprintf(out, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#000\"/>\n",
                PLOT_L - 5, y, PLOT_L, y);
        fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%.*f</text>\n", PLOT_L - 8,
                y + 4, decimals, v);
    }
    for (size_t i = 0; i < d.nx; i++) {
        double x = plot_x(d.xfrac[i]);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>\n", x,
                PLOT_B, x, PLOT_B + 5);
        fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", x, PLOT_B + 20);
        cli_xml_text(out, xp->values[d.xorder[i]]);
        fputs("</text>\n", out);
    }
    fprintf(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">", (PLOT_L + PLOT_R) / 2,
            PLOT_B + 45);
    cli_xml_text(out, pl->x);
    if (xunit && *xunit)
        fprintf(out, " (%s%s)", xunit, d.xlog ? ", log scale" : "");
    else if (d.xlog)
        fputs(" (log scale)", out);
    fputs("</text>\n", out);
    fprintf(out, "<text transform=\"translate(%d %d) rotate(-90)\" text-anchor=\"middle\">", 22,
            (PLOT_T + PLOT_B) / 2);
    cli_xml_text(out, ycol->name);
    fprintf(out, " (%s)</text>\n", ycol->unit);
    /* one line per series, and its legend entry */
    if (pl->series) {
        fprintf(out, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", PLOT_R + 25, PLOT_T + 5);
        cli_xml_text(out, pl->series);
        fputs("</text>\n", out);
    }
    for (size_t se = 0; se < d.nseries; se++) {
        const char *color = palette[se % NPALETTE];
        const char *dash = se / NPALETTE ? " stroke-dasharray=\"6 3\"" : "";
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s points=\"", color,
                dash);
        for (size_t i = 0; i < d.nx; i++) {
            if (!d.count[se * d.nx + i])
                continue;
            double x = plot_x(d.xfrac[i]);
            double y = plot_y(d.sum[se * d.nx + i] / (double)d.count[se * d.nx + i], top);
            fprintf(out, "%s%.1f,%.1f", i ? " " : "", x, y);
        }
        fputs("\"/>\n", out);
        for (size_t i = 0; i < d.nx; i++) {
            if (!d.count[se * d.nx + i])
                continue;
            double x = plot_x(d.xfrac[i]);
            double y = plot_y(d.sum[se * d.nx + i] / (double)d.count[se * d.nx + i], top);
            fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x, y, color);
        }
        if (!pl->series)
            continue;
        int ly = PLOT_T + 25 + 22 * (int)se;
        fprintf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
                     "stroke-width=\"2\"%s/>\n",
                PLOT_R + 25, ly - 4, PLOT_R + 55, ly - 4, color, dash);
        fprintf(out, "<text x=\"%d\" y=\"%d\">", PLOT_R + 62, ly);
        cli_xml_text(out, by_trace ? s->traces[se].result : s->params[sk].values[se]);
        fputs("</text>\n", out);
    }
    fputs("</svg>\n", out);
    free(d.xorder);
    free(d.xfrac);
    free(d.sum);
    free(d.count);
    return 0;
}

int sweep_collect(const sweep_spec_t *s, const char *out, FILE *csv, FILE *svg,
                  const sweep_plot_t *plot, char *err, size_t errlen)
{
    table_t tb = {.nrows = 0};
    int rc = table_fill(s, out, &tb, err, errlen);
    if (rc == 0 && csv)
        table_csv(s, &tb, csv);
    if (rc == 0 && svg)
        rc = plot_svg(s, &tb, plot, svg, err, errlen);
    free(tb.values);
    free(tb.has);
    return rc;
}
