/* cmd_host.c: `cohsim host`: the primitives' Linux equivalents and the latency staircase,
 * measured on this machine and printed as tables (median and spread of the repetitions).
 *
 * What cannot run here (no permission, one CPU, tmpfs, a read-only or full directory) is
 * reported per measurement and the rest still runs. Exit status 1 only when a correctness check
 * failed (new code not run, flushed content read back wrong); 2 for bad usage.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/outfile.h"
#include "sim/host.h"
#include "sim/host_cmd.h"
#include "sim/host_litmus.h"

static const cli_opt_t host_opts[] = {
    HOST_MEASURE_OPTS,
    {"json", 0, CLI_OUTPUT_FILE, "also write what was measured as JSON (`cohsim compare --host-results "
                        "FILE` reads it back)"},
    {0},
};

typedef struct host_ctx {
    host_run_opts_t h;
    const char *json;
} host_ctx_t;

static int host_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    host_ctx_t *c = ctx;
    if (strcmp(opt->name, "json") == 0) {
        c->json = arg;
        return 0;
    }
    return host_opts_option(&c->h, opt, arg);
}

static const cli_spec_t host_spec = {
    "host", "[options] [primitives|staircase]... | [options] litmus FILE...",
    "Measures on this machine what the model simulates: the five primitives' Linux equivalents\n"
    "(clear_cache, membarrier, CLFLUSHOPT, msync, sync_file_range + fadvise) with the work each\n"
    "did (IPIs, pages), and the pointer-chasing latency staircase. With no argument, both.\n"
    "`host litmus FILE...` runs x86 litmus tests natively (threads pinned to distinct CPUs,\n"
    "litmus7's methods) and prints herd's layout; exit 1 if a forbidden outcome shows.\n"
    "Files go to a temporary directory on a disk filesystem and are removed whatever happens.",
    host_opts,
};

static int host_parse_uint(const char *opt, const char *arg, uint64_t lo, uint64_t hi,
                           int size, uint64_t *out)
{
    uint64_t v;
    char *end;
    if (size) {
        if (config_parse_size(arg, &v) != 0)
            v = hi + 1;
    } else {
        v = strtoull(arg, &end, 10);
        if (!*arg || *end || *arg == '-')
            v = hi + 1;
    }
    if (v < lo || v > hi) {
        cli_error("host: --%s '%s': expected %s from %llu to %llu", opt, arg,
                  size ? "a size (K, M, G suffixes)" : "a whole number",
                  (unsigned long long)lo, (unsigned long long)hi);
        return -1;
    }
    *out = v;
    return 0;
}

int host_opts_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    host_run_opts_t *h = ctx;
    uint64_t v;
    if (strcmp(opt->name, "quick") == 0) {
        h->quick = 1;
        return 0;
    }
    if (strcmp(opt->name, "dir") == 0) {
        h->dir = arg;
        return 0;
    }
    if (strcmp(opt->name, "reps") == 0) {
        if (host_parse_uint(opt->name, arg, 1, 64, 0, &v))
            return -1;
        h->reps = (unsigned)v;
    } else if (strcmp(opt->name, "min-bytes") == 0 || strcmp(opt->name, "max-bytes") == 0) {
        if (host_parse_uint(opt->name, arg, 128, (uint64_t)1 << 32, 1, &v))
            return -1;
        if (v & (v - 1)) {
            cli_error("host: --%s '%s': expected a power of two", opt->name, arg);
            return -1;
        }
        *(opt->name[1] == 'i' ? &h->min_bytes : &h->max_bytes) = v;
    } else if (strcmp(opt->name, "flush-bytes") == 0) {
        if (host_parse_uint(opt->name, arg, 64, (uint64_t)1 << 32, 1, &v))
            return -1;
        h->flush_bytes = v;
    } else if (strcmp(opt->name, "iterations") == 0) {
        if (host_parse_uint(opt->name, arg, 1, (uint64_t)1 << 40, 0, &v))
            return -1;
        h->iterations = v;
    } else if (strcmp(opt->name, "size") == 0) {
        if (host_parse_uint(opt->name, arg, 1, 1000000, 0, &v))
            return -1;
        h->size = (unsigned)v;
    } else if (strcmp(opt->name, "seed") == 0 || strcmp(opt->name, "host-seed") == 0) {
        if (host_parse_uint(opt->name, arg, 0, UINT64_MAX - 1, 0, &v))
            return -1;
        h->seed = v + 1;
    } else if (strcmp(opt->name, "pages") == 0) {
        if (host_parse_uint(opt->name, arg, 1, 65536, 0, &v))
            return -1;
        h->pages = (unsigned)v;
    } else {
        cli_error("host: option --%s is not handled (a bug)", opt->name);
        return -1;
    }
    return 0;
}

void host_opts_finish(host_run_opts_t *h)
{
    if (!h->reps)
        h->reps = h->quick ? 3 : 15;
    if (!h->min_bytes)
        h->min_bytes = 4096;
    if (!h->max_bytes)
        h->max_bytes = h->quick ? (uint64_t)1 << 20 : (uint64_t)256 << 20;
    if (!h->flush_bytes)
        h->flush_bytes = h->quick ? 256 << 10 : 4 << 20;
    if (!h->pages)
        h->pages = h->quick ? 16 : 4096;
    if (!h->iterations)
        h->iterations = h->quick ? 20000 : 1000000;
    if (!h->size)
        h->size = h->iterations < 5000 ? (unsigned)h->iterations : 5000;
    if (!h->seed)
        h->seed = 2;
    /* A full disk under a file-size limit raises SIGXFSZ; the write's error is the report. */
    signal(SIGXFSZ, SIG_IGN);
}

const char *host_fmt_ns(double ns, char *buf, size_t len)
{
    if (ns < 1e3)
        snprintf(buf, len, "%.2f ns", ns);
    else if (ns < 1e6)
        snprintf(buf, len, "%.2f us", ns / 1e3);
    else if (ns < 1e9)
        snprintf(buf, len, "%.2f ms", ns / 1e6);
    else
        snprintf(buf, len, "%.2f s", ns / 1e9);
    return buf;
}

static const char *host_status_word(int s)
{
    return s == HOST_OK ? "ok" : s == HOST_UNAVAILABLE ? "unavailable" : "FAILED";
}

void host_print_prims(FILE *out, const host_prim_t prims[HOST_NPRIMS])
{
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &prims[i];
        fprintf(out, "%s  [%s]  as %s\n", p->name, host_status_word(p->status), p->equivalent);
        if (p->nm)
            fprintf(out, "  %-46s %12s %25s  %s\n", "case", "median", "min..max", "counted");
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j];
            char a[32], b[32], c[32], range[sizeof b + sizeof c + 2], count[160];
            if (m->ns.n)
                snprintf(range, sizeof range, "%s..%s", host_fmt_ns(m->ns.min, b, sizeof b),
                         host_fmt_ns(m->ns.max, c, sizeof c));
            else
                snprintf(range, sizeof range, "-");
            count[0] = '\0';
            if (m->count_note[0])
                snprintf(count, sizeof count, "%s: %s", m->count_name[0] ? m->count_name : "",
                         m->count_note);
            else if (m->count_name[0]) {
                int n = snprintf(count, sizeof count, "%s %g", m->count_name, m->count);
                if (m->expected >= 0)
                    snprintf(count + n, sizeof count - (size_t)n, " (expected %g%s)", m->expected,
                             m->count == m->expected ? "" : ", differs");
            }
            if (m->before >= 0) {
                size_t n = strlen(count);
                snprintf(count + n, sizeof count - n, "; resident before %g", m->before);
            }
            fprintf(out, "  %-46s %12s %25s  %s\n", m->label,
                    m->ns.n ? host_fmt_ns(m->ns.median, a, sizeof a) : "-", range, count);
        }
        if (p->note[0])
            fprintf(out, "  %s: %s\n", p->status == HOST_OK ? "note" : host_status_word(p->status),
                    p->note);
        fputc('\n', out);
    }
}

void host_print_staircase(FILE *out, const host_stair_point_t *pts, unsigned n)
{
    fprintf(out, "staircase: ns per dependent load (pointer chase, random order)\n");
    fprintf(out, "  %12s %12s %22s\n", "working set", "median", "min..max");
    for (unsigned i = 0; i < n; i++) {
        char size[32], range[48];
        uint64_t b = pts[i].bytes;
        if (b >= (1u << 30))
            snprintf(size, sizeof size, "%llu GiB", (unsigned long long)(b >> 30));
        else if (b >= (1u << 20))
            snprintf(size, sizeof size, "%llu MiB", (unsigned long long)(b >> 20));
        else
            snprintf(size, sizeof size, "%llu KiB", (unsigned long long)(b >> 10));
        snprintf(range, sizeof range, "%.2f..%.2f", pts[i].ns.min, pts[i].ns.max);
        fprintf(out, "  %12s %9.2f ns %22s\n", size, pts[i].ns.median, range);
    }
    fputc('\n', out);
}

int host_run_staircase(const host_run_opts_t *h, host_stair_point_t *pts, unsigned max)
{
    host_stair_opts_t so = {h->min_bytes, h->max_bytes, h->quick ? 3 : (h->reps < 7 ? h->reps : 7),
                            h->quick ? 20000 : 1000000, 1};
    char err[256];
    int n = host_staircase(&so, pts, max, err, sizeof err);
    if (n < 0)
        cli_error("host: %s", err);
    return n;
}

void host_run_prims(const host_run_opts_t *h, host_prim_t prims[HOST_NPRIMS])
{
    host_prim_opts_t po = {h->reps, h->dir, h->flush_bytes, h->pages};
    host_primitives(&po, prims);
}

int host_run_litmus_file(const host_run_opts_t *h, const char *path, litmus_test_t *t,
                         host_litmus_result_t *r)
{
    char err[512];
    if (litmus_load(path, t, err, sizeof err) != 0) {
        cli_error("host litmus: %s", err);
        return -1;
    }
    host_litmus_opts_t lo = {h->iterations, h->size, h->seed};
    if (host_litmus_run(t, &lo, r) != 0) {
        cli_error("host litmus: %s: %s", path, r->note);
        return -1;
    }
    return 0;
}

static int host_litmus_cmd(host_run_opts_t *h, int argc, char **argv)
{
    if (argc == 0) {
        cli_error("host litmus: expected one or more litmus files");
        return EXIT_USAGE;
    }
    host_litmus_result_t *r = malloc(sizeof *r);
    litmus_test_t *t = malloc(sizeof *t);
    int status = EXIT_DONE;
    if (!r || !t) {
        cli_error("out of memory");
        status = EXIT_USAGE;
    }
    for (int i = 0; i < argc && r && t; i++) {
        if (host_run_litmus_file(h, argv[i], t, r) != 0) {
            status = EXIT_USAGE;
            continue;
        }
        host_litmus_print(stdout, t, r);
        /* A forbidden outcome seen, or a required one missed, is a runner (or CPU) bug. */
        if (r->status == HOST_OK && t->quant != LITMUS_EXISTS &&
            !litmus_validated(t, r->pos, r->neg)) {
            cli_error("host litmus: %s: the condition of a %s test failed on the host", t->name,
                      litmus_kind_name(t));
            if (status == EXIT_DONE)
                status = EXIT_CHECK;
        }
    }
    fflush(stdout);
    free(r);
    free(t);
    return status;
}

int cmd_host(int argc, char **argv)
{
    host_ctx_t cx = {0};
    host_run_opts_t h = {0};
    int first;
    int rc = cli_parse(&host_spec, argc, argv, host_option, &cx, &first);
    h = cx.h;
    if (rc != 0)
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    if (h.min_bytes && h.max_bytes && h.min_bytes > h.max_bytes) {
        cli_error("host: --min-bytes must not exceed --max-bytes");
        return EXIT_USAGE;
    }
    if (first < argc && strcmp(argv[first], "litmus") == 0) {
        /* Options may also follow the word litmus: parse the rest as its own command line. */
        int lfirst;
        rc = cli_parse(&host_spec, argc - first, argv + first, host_option, &cx, &lfirst);
        if (rc != 0)
            return rc > 0 ? EXIT_DONE : EXIT_USAGE;
        h = cx.h;
        if (cx.json) {
            cli_error("host: --json writes the primitives and the staircase, not litmus results");
            return EXIT_USAGE;
        }
        host_opts_finish(&h);
        return host_litmus_cmd(&h, argc - first - lfirst, argv + first + lfirst);
    }
    int want_prims = first == argc, want_stair = first == argc;
    for (int i = first; i < argc; i++) {
        if (strcmp(argv[i], "primitives") == 0)
            want_prims = 1;
        else if (strcmp(argv[i], "staircase") == 0)
            want_stair = 1;
        else {
            cli_error("host: unknown measurement '%s': expected primitives, staircase or litmus",
                      argv[i]);
            return EXIT_USAGE;
        }
    }
    host_opts_finish(&h);
    if (h.min_bytes > h.max_bytes)
        h.min_bytes = h.max_bytes;
    host_results_t *r = calloc(1, sizeof *r);
    if (!r) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    host_results_describe(r);
    printf("host: %u CPUs available", r->cpus);
    if (r->tsc_mhz > 0)
        printf(", time-stamp counter %.0f MHz", r->tsc_mhz);
    printf("\n\n");
    int status = EXIT_DONE;
    if (want_prims) {
        r->has_prims = true;
        host_run_prims(&h, r->prims);
        host_print_prims(stdout, r->prims);
        for (unsigned i = 0; i < HOST_NPRIMS; i++)
            if (r->prims[i].status == HOST_FAILED)
                status = EXIT_CHECK;
    }
    if (want_stair) {
        int n = host_run_staircase(&h, r->stair, 40);
        if (n > 0) {
            r->has_stair = true;
            r->nstair = (unsigned)n;
            host_print_staircase(stdout, r->stair, r->nstair);
        }
    }
    if (cx.json) {
        char *text = host_results_json(r);
        if (!text || outfile_write(cx.json, text, strlen(text)) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    free(r);
    return status;
}
