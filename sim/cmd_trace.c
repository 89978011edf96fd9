/* cmd_trace.c: `cohsim trace convert IN OUT --to FORMAT` and `cohsim trace stats IN`.
 *
 * convert streams records from any readable format to a writable one; OUT appears whole or not at
 * all (sim/outfile.h), also when SIGINT or SIGTERM stops it (exit 130 or 143). stats counts
 * records by operation and the distinct lines and pages touched; its sets grow with the
 * footprint, never with trace length.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/interrupt.h"
#include "sim/outfile.h"
#include "sim/progress.h"
#include "traces/trace.h"
#include "traces/writer.h"

static const cli_opt_t trace_opts[] = {
    {"to", 't', "FORMAT", "convert: the output format (binary, text, din, xdin)"},
    {"format", 'f', "NAME", "the input's format instead of detecting it from the content"},
    {"line", 0, "BYTES", "stats: line size for distinct lines (default 64)"},
    {"page", 0, "BYTES", "stats: page size for distinct pages (default 4096)"},
    {0},
};

static const cli_spec_t trace_spec = {
    "trace", "convert IN OUT --to FORMAT | stats IN",
    "Converts a trace between formats (the output is written whole or not at all), or prints its "
    "statistics: records by operation, distinct lines and pages, and the footprint (distinct "
    "lines x line size). Input formats: text, binary, din, xdin, lackey, champsim, detected from "
    "the content; xz, zstd and gzip compression are recognised by their magic bytes.",
    trace_opts,
};

typedef struct trace_args {
    const char *to, *format;
    uint64_t line, page;
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
    } else {
        uint64_t v;
        if (config_parse_size(arg, &v) != 0 || v == 0 || (v & (v - 1))) {
            cli_error("trace: --%s %s: expected a power of two (K/M suffixes allowed)", opt->name,
                      arg);
            return -1;
        }
        if (strcmp(opt->name, "line") == 0)
            a->line = v;
        else
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

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

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
            size_t j = mix(s->slot[i]) & (cap - 1);
            while (slot[j])
                j = (j + 1) & (cap - 1);
            slot[j] = s->slot[i];
        }
        free(s->slot);
        s->slot = slot;
        s->cap = cap;
    }
    uint64_t v = key + 1;
    size_t j = mix(v) & (s->cap - 1);
    while (s->slot[j]) {
        if (s->slot[j] == v)
            return 0;
        j = (j + 1) & (s->cap - 1);
    }
    s->slot[j] = v;
    s->n++;
    return 0;
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
    }
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
    outfile_t of;
    if (outfile_open(&of, out) != 0) {
        trace_close(t);
        return EXIT_USAGE;
    }
    int status = EXIT_USAGE;
    int sig = 0;
    trace_writer_t *w = trace_writer_open(a->to, of.f, err, sizeof err);
    if (!w) {
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
        else if (rc == -2 && ferror(of.f))
            cli_error("%s: %s", out, err);
        else if (rc == -2 && line)
            cli_error("%s:%llu: cannot be written as %s: %s", a->pos[1], (unsigned long long)line,
                      a->to, err);
        else if (rc == -2)
            cli_error("%s: record %llu: cannot be written as %s: %s", a->pos[1],
                      (unsigned long long)records, a->to, err);
        else if (rc < 0)
            cli_error("%s", trace_error(t));
        int closed = trace_writer_close(w, err, sizeof err);
        if (!sig && rc == 0 && closed != 0)
            cli_error("%s: %s", out, err);
        if (!sig && rc == 0 && closed == 0)
            status = EXIT_DONE;
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
        return trace_stats(&a);
    }
    cli_error("trace: unknown action '%s': expected convert or stats", a.pos[0]);
    return EXIT_USAGE;
}
