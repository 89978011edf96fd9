/* cmd_trace.c: `cohsim trace convert IN OUT --to FORMAT` and `cohsim trace stats IN`.
 *
 * convert streams records from any readable format to a writable one; OUT appears whole or not at
 * all (sim/outfile.h), also when SIGINT or SIGTERM stops it (exit 130 or 143). stats counts
 * records by operation and the distinct lines and pages touched; its sets grow with the
 * footprint, never with trace length.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/interrupt.h"
#include "sim/outfile.h"
#include "sim/hash.h"
#include "sim/progress.h"
#include "sim/reuse.h"
#include "traces/compress_out.h"
#include "traces/trace.h"
#include "traces/writer.h"

static const cli_opt_t trace_opts[] = {
    {"to", 't', "FORMAT", "convert: the output format (binary: version 2, binary-v1, text, din, xdin)"},
    {"format", 'f', "NAME", "the input's format instead of detecting it from the content"},
    {"line", 0, "BYTES", "stats: line size for distinct lines (default 64); with --reuse, "
                         "repeatable: one curve per line size"},
    {"page", 0, "BYTES", "stats: page size for distinct pages (default 4096)"},
    {"reuse", 0, NULL, "stats: LRU stack distances, and the miss ratio of a fully associative LRU "
                       "cache of every size (Mattson)"},
    {"svg", 0, CLI_OUTPUT_FILE, "stats --reuse: also plot the miss-ratio curves as SVG to FILE"},
    {0},
};

static const cli_spec_t trace_spec = {
    "trace", "convert IN OUT --to FORMAT | stats IN",
    "Converts a trace between formats (the output is written whole or not at all), or prints its "
    "statistics: records by operation, distinct lines and pages, and the footprint (distinct "
    "lines x line size); --reuse adds the miss ratio of a fully associative LRU cache of every "
    "size, from one pass. Input formats: text, binary, din, xdin, lackey, champsim, detected from "
    "the content; xz, zstd and gzip compression are recognised by their magic bytes.",
    trace_opts,
};

#define TRACE_MAX_LINES 8

typedef struct trace_args {
    const char *to, *format;
    uint64_t line, page;
    uint64_t lines[TRACE_MAX_LINES]; /* --line values, for --reuse */
    unsigned nlines;
    int reuse;
    const char *svg;
    char *pos[3];
    int npos;
} trace_args_t;

static int trace_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    trace_args_t *a = ctx;
    if (strcmp(opt->name, "to") == 0) {
        a->to = arg;
    } else if (strcmp(opt->name, "format") == 0) {
        a->format = arg;
    } else if (strcmp(opt->name, "reuse") == 0) {
        a->reuse = 1;
    } else if (strcmp(opt->name, "svg") == 0) {
        a->svg = arg;
    } else {
        uint64_t v;
        if (config_parse_size(arg, &v) != 0 || v == 0 || (v & (v - 1))) {
            cli_error("trace: --%s %s: expected a power of two (K/M suffixes allowed)", opt->name,
                      arg);
            return -1;
        }
        if (strcmp(opt->name, "line") == 0) {
            if (a->nlines == TRACE_MAX_LINES) {
                cli_error("trace: at most %d --line sizes", TRACE_MAX_LINES);
                return -1;
            }
            a->lines[a->nlines++] = v;
            a->line = a->lines[0];
        } else
            a->page = v;
    }
    return 0;
}

/* Options may come before, between or after the positional arguments. */
static int trace_parse(int argc, char **argv, trace_args_t *a)
{
    for (;;) {
        int first;
        int rc = cli_parse(&trace_spec, argc, argv, trace_option, a, &first);
        if (rc != 0)
            return rc;
        if (first >= argc)
            return 0;
        if (a->npos == 3) {
            cli_error("trace: unexpected argument '%s'", argv[first]);
            return -1;
        }
        a->pos[a->npos++] = argv[first];
        argc -= first;
        argv += first; /* the positional takes argv[0]'s place, which parsing skips */
    }
}

/* ---- stats: a set of 64-bit keys, open addressing, grows by doubling ------------------------ */

typedef struct keyset {
    uint64_t *slot; /* key + 1; 0 is empty */
    size_t cap, n;
} keyset_t;

static int keyset_add(keyset_t *s, uint64_t key)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            return -1;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->slot[i])
                continue;
            size_t j = sim_hash(s->slot[i]) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    uint64_t v = key + 1;
    size_t j = sim_hash(v) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == v)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = v;
    s->n++;
    return 0;
}

/* The cache sizes a curve is given at: 1, 2, 4 ... lines, up to the first that holds every
 * distinct line. */
static uint64_t reuse_top_lines(const reuse_t *r)
{
    uint64_t top = 1;
    while (top < reuse_distinct(r))
        top *= 2;
    return top;
}

static void reuse_print(FILE *out, const reuse_t *r)
{
    uint64_t refs = reuse_refs(r);
    fprintf(out, "\nreuse, %llu-byte lines: %llu references, %llu cold (first of their line)\n",
            (unsigned long long)reuse_line(r), (unsigned long long)refs,
            (unsigned long long)reuse_cold(r));
    fprintf(out, "  %14s %10s %12s %10s   (fully associative LRU)\n", "cache bytes", "lines",
            "misses", "miss ratio");
    for (uint64_t n = 1;; n *= 2) {
        uint64_t miss = reuse_misses(r, n);
        fprintf(out, "  %14llu %10llu %12llu %9.4f%%\n", (unsigned long long)(n * reuse_line(r)),
                (unsigned long long)n, (unsigned long long)miss,
                refs ? 100.0 * (double)miss / (double)refs : 0.0);
        if (n >= reuse_top_lines(r))
            break;
    }
}

/* Append printf-style text to a growing buffer; -1 when out of memory. */
typedef struct textbuf {
    char *p;
    size_t len, cap;
    int failed;
} textbuf_t;

static void tb_printf(textbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tb_printf(textbuf_t *b, const char *fmt, ...)
{
    for (int tries = 0; !b->failed && tries < 2; tries++) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = (b->cap ? b->cap : 4096);
        while (cap <= b->len + (size_t)n)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

/* The miss-ratio curves as an SVG plot: x log2 of the cache bytes, y the miss ratio 0..1. */
static int reuse_write_svg(const char *path, const char *trace, reuse_t *const *r, unsigned n)
{
    static const char *const colours[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd",
                                          "#ff7f0e", "#8c564b", "#e377c2", "#7f7f7f"};
    const double w = 720, h = 420, left = 70, right = 20, top = 40, bottom = 60;
    unsigned lo = 63, hi = 0;
    for (unsigned i = 0; i < n; i++) {
        unsigned a = (unsigned)__builtin_ctzll(reuse_line(r[i]));
        unsigned b = (unsigned)__builtin_ctzll(reuse_top_lines(r[i]) * reuse_line(r[i]));
        lo = a < lo ? a : lo;
        hi = b > hi ? b : hi;
    }
    if (hi <= lo)
        hi = lo + 1;
    double pw = w - left - right, ph = h - top - bottom;
    textbuf_t b = {0};
    tb_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                  "font-family=\"sans-serif\" font-size=\"12\">\n", w, h);
    tb_printf(&b, "<title>miss ratio of a fully associative LRU cache</title>\n");
    tb_printf(&b, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    tb_printf(&b, "<text x=\"%.0f\" y=\"20\">miss ratio, fully associative LRU: ", left);
    for (const char *c = trace; *c; c++)
        tb_printf(&b, "%s", *c == '<' ? "&lt;" : *c == '&' ? "&amp;" : *c == '>' ? "&gt;"
                                                                    : (char[2]){*c, 0});
    tb_printf(&b, "</text>\n");
    for (unsigned e = lo; e <= hi; e++) {
        double x = left + pw * (e - lo) / (hi - lo);
        tb_printf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                  x, top, x, top + ph);
        uint64_t bytes = 1ull << e;
        tb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%llu%s</text>\n", x,
                  top + ph + 16,
                  (unsigned long long)(bytes >= (1u << 20) ? bytes >> 20
                                       : bytes >= 1024    ? bytes >> 10
                                                          : bytes),
                  bytes >= (1u << 20) ? "M" : bytes >= 1024 ? "K" : "");
    }
    for (int k = 0; k <= 10; k += 2) {
        double y = top + ph * (1 - k / 10.0);
        tb_printf(&b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
                  left, y, left + pw, y);
        tb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%.1f</text>\n", left - 6,
                  y + 4, k / 10.0);
    }
    tb_printf(&b, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">cache size (bytes)</text>\n",
              left + pw / 2, h - 18);
    for (unsigned i = 0; i < n; i++) {
        uint64_t refs = reuse_refs(r[i]);
        tb_printf(&b, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"",
                  colours[i % 8]);
        for (uint64_t lines = 1;; lines *= 2) {
            unsigned e = (unsigned)__builtin_ctzll(lines * reuse_line(r[i]));
            double ratio = refs ? (double)reuse_misses(r[i], lines) / (double)refs : 0;
            tb_printf(&b, "%.1f,%.1f ", left + pw * (e - lo) / (hi - lo), top + ph * (1 - ratio));
            if (lines >= reuse_top_lines(r[i]))
                break;
        }
        tb_printf(&b, "\"/>\n<text x=\"%.1f\" y=\"%.1f\" fill=\"%s\">%llu-byte lines</text>\n",
                  left + pw - 110, top + 16 + 16 * i, colours[i % 8],
                  (unsigned long long)reuse_line(r[i]));
    }
    tb_printf(&b, "</svg>\n");
    int rc = -1;
    if (b.failed)
        cli_error("%s: out of memory", path);
    else
        rc = outfile_write(path, b.p, b.len);
    free(b.p);
    return rc;
}

static int trace_stats(const trace_args_t *a)
{
    char err[1024];
    trace_t *t = trace_open(a->pos[1], a->format, err, sizeof err);
    if (!t) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    uint64_t by_op[OP_COUNT] = {0}, records = 0, bytes = 0, max_cpu = 0;
    keyset_t lines = {0}, pages = {0};
    reuse_t *reuse[TRACE_MAX_LINES] = {0};
    unsigned nreuse = a->reuse ? (a->nlines ? a->nlines : 1) : 0;
    for (unsigned i = 0; i < nreuse; i++)
        if (!(reuse[i] = reuse_create(a->nlines ? a->lines[i] : a->line))) {
            cli_error("out of memory");
            for (unsigned k = 0; k < i; k++)
                reuse_destroy(reuse[k]);
            trace_close(t);
            return EXIT_USAGE;
        }
    progress_t pr;
    progress_start(&pr, a->pos[1]);
    mem_req_t r;
    int rc;
    while ((rc = trace_next(t, &r)) > 0) {
        records++;
        by_op[r.op]++;
        if (r.cpu > max_cpu)
            max_cpu = r.cpu;
        if (op_class((op_t)r.op) == OPC_MEM && r.size) {
            bytes += r.size;
            uint64_t last = r.addr + r.size - 1;
            for (uint64_t l = r.addr / a->line; l <= last / a->line; l++)
                if (keyset_add(&lines, l) != 0)
                    rc = -2;
            for (uint64_t p = r.addr / a->page; p <= last / a->page; p++)
                if (keyset_add(&pages, p) != 0)
                    rc = -2;
            for (unsigned i = 0; i < nreuse; i++)
                if (reuse_access(reuse[i], r.addr, r.size) != 0)
                    rc = -2;
            if (rc == -2)
                break;
        }
        progress_update(&pr, records);
    }
    progress_done(&pr);
    int status = EXIT_DONE;
    if (rc == -2) {
        cli_error("%s: out of memory counting distinct lines", a->pos[1]);
        status = EXIT_USAGE;
    } else if (rc < 0) {
        cli_error("%s", trace_error(t));
        status = EXIT_USAGE;
    } else {
        printf("trace      %s\nformat     %s (compression: %s)\nrecords    %llu\ncpus       %llu\n",
               a->pos[1], trace_format(t)->name, stream_compression(trace_stream(t)),
               (unsigned long long)records, (unsigned long long)(records ? max_cpu + 1 : 0));
        for (int op = 0; op < OP_COUNT; op++)
            if (by_op[op])
                printf("  %-28s %llu\n", op_name((op_t)op), (unsigned long long)by_op[op]);
        printf("bytes accessed          %llu\n", (unsigned long long)bytes);
        printf("distinct %llu-byte lines %llu\n", (unsigned long long)a->line,
               (unsigned long long)lines.n);
        printf("distinct %llu-byte pages %llu\n", (unsigned long long)a->page,
               (unsigned long long)pages.n);
        printf("footprint bytes         %llu\n", (unsigned long long)(lines.n * a->line));
        for (unsigned i = 0; i < nreuse; i++)
            reuse_print(stdout, reuse[i]);
        if (a->svg && nreuse && reuse_write_svg(a->svg, a->pos[1], reuse, nreuse) != 0)
            status = EXIT_USAGE;
    }
    for (unsigned i = 0; i < nreuse; i++)
        reuse_destroy(reuse[i]);
    free(lines.slot);
    free(pages.slot);
    trace_close(t);
    return status;
}

static int trace_convert(const trace_args_t *a)
{
    if (!a->to) {
        cli_error("trace convert: --to FORMAT is required (one of %s)", trace_writer_formats());
        return EXIT_USAGE;
    }
    if (interrupt_catch() != 0)
        return EXIT_USAGE;
    char err[1024];
    trace_t *t = trace_open(a->pos[1], a->format, err, sizeof err);
    if (!t) {
        cli_error("%s", err);
        return EXIT_USAGE;
    }
    const char *out = a->pos[2];
    struct stat in_st, out_st;
    if (stat(a->pos[1], &in_st) == 0 && stat(out, &out_st) == 0 && in_st.st_dev == out_st.st_dev &&
        in_st.st_ino == out_st.st_ino) {
        cli_error("trace convert: %s is the input %s: write the output elsewhere", out, a->pos[1]);
        trace_close(t);
        return EXIT_USAGE;
    }
    outfile_t of;
    if (outfile_open(&of, out) != 0) {
        trace_close(t);
        return EXIT_USAGE;
    }
    int status = EXIT_USAGE;
    int sig = 0;
    /* OUT's name asks for compression: the writer writes through an encoder onto the file. */
    const char *kind = compress_out_kind(out);
    FILE *wf = kind ? compress_out_open(of.f, kind, err, sizeof err) : of.f;
    trace_writer_t *w = wf ? trace_writer_open(a->to, wf, err, sizeof err) : NULL;
    if (!wf) {
        cli_error("%s: %s", out, err);
    } else if (!w) {
        if (ferror(of.f))
            cli_error("%s: %s", out, err);
        else
            cli_error("trace convert: %s", err);
    } else {
        progress_t pr;
        progress_start(&pr, a->pos[1]);
        mem_req_t r;
        int rc = 0;
        uint64_t records = 0;
        while (!(sig = interrupt_signal()) && (rc = trace_next(t, &r)) > 0) {
            records++;
            if (trace_writer_put(w, &r, err, sizeof err) != 0) {
                rc = -2;
                break;
            }
            progress_update(&pr, records);
        }
        progress_done(&pr);
        /* The record is fine; the output format cannot hold it: name where it came from (its
         * line in a line format, else its number) and which format refused it. A write that
         * failed (a full disk) is the output's fault, not the record's. */
        uint64_t line = stream_lineno(trace_stream(t));
        if (sig)
            cli_error("trace convert: %s after %llu records: %s not written", interrupt_name(sig),
                      (unsigned long long)records, out);
        else if (rc == -2 && (ferror(of.f) || (wf != of.f && ferror(wf))))
            cli_error("%s: %s", out, err);
        else if (rc == -2 && line)
            cli_error("%s:%llu: cannot be written as %s: %s", a->pos[1], (unsigned long long)line,
                      a->to, err);
        else if (rc == -2)
            cli_error("%s: record %llu: cannot be written as %s: %s", a->pos[1],
                      (unsigned long long)records, a->to, err);
        else if (rc < 0)
            cli_error("%s", trace_error(t));
        char lost[512];
        if (rc == 0 && trace_writer_losses(w, lost, sizeof lost))
            fprintf(stderr, "cohsim: %s: %s\n", out, lost);
        int closed = trace_writer_close(w, err, sizeof err);
        if (!sig && rc == 0 && closed != 0)
            cli_error("%s: %s", out, err);
        if (!sig && rc == 0 && closed == 0)
            status = EXIT_DONE;
    }
    if (wf && wf != of.f && fclose(wf) != 0 && status == EXIT_DONE) {
        cli_error("%s: cannot write the %s stream: %s", out, kind, strerror(errno));
        status = EXIT_USAGE;
    }
    if (status == EXIT_DONE && outfile_commit(&of) != 0)
        status = EXIT_USAGE;
    else if (status != EXIT_DONE)
        outfile_discard(&of);
    trace_close(t);
    return sig ? interrupt_exit_status(sig) : status;
}

int cmd_trace(int argc, char **argv)
{
    trace_args_t a = {.line = 64, .page = 4096};
    int rc = trace_parse(argc, argv, &a);
    if (rc != 0)
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    if (a.npos == 0) {
        cli_error("trace: expected 'convert IN OUT --to FORMAT' or 'stats IN'");
        return EXIT_USAGE;
    }
    if (strcmp(a.pos[0], "convert") == 0) {
        if (a.npos != 3) {
            cli_error("trace convert: expected IN OUT (and --to FORMAT)");
            return EXIT_USAGE;
        }
        return trace_convert(&a);
    }
    if (strcmp(a.pos[0], "stats") == 0) {
        if (a.npos != 2) {
            cli_error("trace stats: expected one trace, IN");
            return EXIT_USAGE;
        }
        if (a.to) {
            cli_error("trace stats: --to is for convert");
            return EXIT_USAGE;
        }
        if (a.svg && !a.reuse) {
            cli_error("trace stats: --svg plots --reuse's curves: give --reuse too");
            return EXIT_USAGE;
        }
        return trace_stats(&a);
    }
    cli_error("trace: unknown action '%s': expected convert or stats", a.pos[0]);
    return EXIT_USAGE;
}
