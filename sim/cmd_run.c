/* cmd_run.c: `cohsim run`: traces through a configured machine; statistics as a table and JSON.
 *
 * One trace is a global issue order (its records carry CPUs); several traces are one per core,
 * independent streams. A load that states its value is checked: a mismatch stops the run with
 * exit status 1, naming the trace line, the expected and the actual value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compat.h"
#include "sim/os_report.h"
#include "sim/progress.h"
#include "sim/report.h"
#include "sim/seeing.h"
#include "traces/trace.h"

static const cli_opt_t run_opts[] = {
    CLI_MACHINE_OPTS,
    {"format", 0, "NAME", "trace format instead of detecting it from the content"},
    {"json", 0, "FILE", "write the statistics as JSON to FILE"},
    {"check", 0, NULL, "verify the coherence invariants after every transaction"},
    {"quiet", 'q', NULL, "print no statistics table"},
    {"compat", 0, "MODE", "dinero (--format din|xdin, preset dinero) or cachegrind (--format lackey, "
                          "preset cachegrind): that simulator's exact rules and counts"},
    CLI_SEEING_OPTS,
    {0},
};

static const cli_spec_t run_spec = {
    "run", "[options] TRACE...",
    "Runs memory traces through a configured machine and prints hit/miss, coherence and\n"
    "store-buffer statistics. One trace whose records carry CPUs is a global issue order; several\n"
    "traces run one per core. A load written `=VALUE` must read VALUE, or the run fails (exit 1).\n"
    "The machine is --preset x86-2 unless --preset or --config says otherwise.",
    run_opts,
};

typedef struct run_args {
    machine_opts_t mo;
    const char *format, *json;
    int check, quiet;
    const char *compat; /* --compat MODE */
    const char *dflt;   /* the preset when none is given: x86-2, or the --compat mode's */
    seeing_opts_t see;  /* --explain, --vcd and their filters */
} run_args_t;

static int run_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    run_args_t *a = ctx;
    int h = machine_opts_handle(&a->mo, opt, arg, a->dflt);
    if (h)
        return h < 0 ? -1 : 0;
    if ((h = seeing_option(&a->see, "run", opt, arg)) != 0)
        return h < 0 ? -1 : 0;
    if (strcmp(opt->name, "format") == 0)
        a->format = arg;
    else if (strcmp(opt->name, "json") == 0)
        a->json = arg;
    else if (strcmp(opt->name, "check") == 0)
        a->check = 1;
    else if (strcmp(opt->name, "quiet") == 0)
        a->quiet = 1;
    else if (strcmp(opt->name, "compat") == 0)
        a->compat = arg;
    return 0;
}

/* Records read ahead from a trace at once (formats with next_batch only): enough to make the
 * per-record cost of the reader's call chain vanish, few enough to stay in the L1 cache. */
#define SOURCE_BATCH 64u

/* The progress line of a run: records handed to the machine from every trace together. */
typedef struct run_progress {
    progress_t line;
    uint64_t records;
} run_progress_t;

/* A trace as a core source: validates CPUs, checks loaded values, keeps the first failure.
 * batch[next..count) are records read and checked but not yet handed to the machine; records
 * counts those handed, so a bad CPU names its record (binary formats; line formats name the
 * line, and their reader hands over one record at a time). */
typedef struct trace_source {
    trace_t *trace;
    run_progress_t *progress;
    unsigned cores;
    uint64_t records;
    unsigned next, count;
    mem_req_t batch[SOURCE_BATCH];
    char failure[1024];
    int failed_check;
    seeing_t *see; /* the views of the run, told of each checked value; NULL: none */
} trace_source_t;

/* The line of the record numbered seq (from 1) in its trace, for a line format (whose records
 * come one at a time, so the stream is at that record's line), else seq. */
static uint64_t where(trace_source_t *s, uint64_t seq)
{
    uint64_t line = stream_lineno(trace_stream(s->trace));
    return line ? line : seq;
}

/* The next records up to the first with a CPU the machine does not have, which fails when its
 * turn comes: the machine still executes every record before it, as it would one at a time. */
static int source_next_batch(void *opaque, const mem_req_t **reqs)
{
    trace_source_t *s = opaque;
    if (s->next == s->count) {
        /* A line format's messages name the line of the record at fault, which the stream
         * knows only when records come one at a time. */
        int r = trace_next_batch(s->trace, s->batch,
                                 trace_format(s->trace)->by_line ? 1 : SOURCE_BATCH);
        if (r < 0) {
            snprintf(s->failure, sizeof s->failure, "%s", trace_error(s->trace));
            return -1;
        }
        if (r == 0)
            return 0;
        s->next = 0;
        s->count = (unsigned)r;
    }
    unsigned k = s->next;
    while (k < s->count && s->batch[k].cpu < s->cores)
        k++;
    if (k == s->next) {
        const mem_req_t *bad = &s->batch[k];
        snprintf(s->failure, sizeof s->failure,
                 "%s:%llu: CPU %u does not exist: expected a CPU from 0 to %u (the machine has %u "
                 "core%s)",
                 trace_path(s->trace), (unsigned long long)where(s, s->records + 1), bad->cpu,
                 s->cores - 1, s->cores, s->cores == 1 ? "" : "s");
        return -1;
    }
    *reqs = &s->batch[s->next];
    unsigned n = k - s->next;
    s->records += n;
    run_progress_t *pr = s->progress;
    uint64_t before = pr->records;
    pr->records += n;
    /* progress_update looks at the clock on multiples of 65536 records */
    if ((before ^ pr->records) >> 16)
        progress_update(&pr->line, pr->records & ~(uint64_t)0xffff);
    s->next = k;
    return (int)n;
}

static uint64_t mask_to_size(uint64_t v, unsigned size)
{
    return size >= 8 ? v : v & ((1ull << (8 * size)) - 1);
}

static int source_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    trace_source_t *s = opaque;
    if (req->op != OP_LOAD || !(req->flags & REQ_HAS_VALUE))
        return 0;
    uint64_t want = mask_to_size(req->value, req->size), got = mask_to_size(res->value, req->size);
    seeing_note(s->see, res->done, req->cpu, req->addr,
                "check: load %#llx read %llu, the trace expects %llu: %s",
                (unsigned long long)req->addr, (unsigned long long)got, (unsigned long long)want,
                want == got ? "as expected" : "MISMATCH, the run stops");
    if (want == got)
        return 0;
    snprintf(s->failure, sizeof s->failure,
             "%s:%llu: CPU %u load %#llx read %llu (%#llx), expected %llu (%#llx) at cycle %llu",
             trace_path(s->trace), (unsigned long long)where(s, res->seq), req->cpu,
             (unsigned long long)req->addr, (unsigned long long)got, (unsigned long long)got,
             (unsigned long long)want, (unsigned long long)want, (unsigned long long)res->issued);
    s->failed_check = 1;
    return 1;
}

/* The exit status of a run that stopped with rc: a failed check (1) or bad input (2). The first
 * trace with a failure of its own decides; else the machine's status. */
static int failure_status(const trace_source_t *srcs, int npaths, int rc)
{
    for (int i = 0; i < npaths; i++)
        if (srcs[i].failure[0])
            return srcs[i].failed_check ? EXIT_CHECK : EXIT_USAGE;
    return rc == MACHINE_ECHECK || rc == 1 ? EXIT_CHECK : EXIT_USAGE;
}

static int run_traces(run_args_t *a, char **paths, int npaths)
{
    machine_config_t mcfg;
    if (machine_opts_build(&a->mo, "x86-2", &mcfg) != 0)
        return EXIT_USAGE;
    mcfg.check = a->check;
    if (npaths > (int)mcfg.cores) {
        cli_error("run: %d traces but the machine has %u core%s (one trace per core, or one trace "
                  "whose records carry CPUs)",
                  npaths, mcfg.cores, mcfg.cores == 1 ? "" : "s");
        return EXIT_USAGE;
    }
    char err[1024];
    machine_t *m = machine_create(&mcfg, err, sizeof err);
    if (!m) {
        cli_error("run: %s", err);
        return EXIT_USAGE;
    }
    trace_source_t *srcs = calloc((size_t)npaths, sizeof *srcs);
    core_source_t *cs = calloc((size_t)npaths, sizeof *cs);
    int status = EXIT_DONE;
    seeing_t *see = NULL;
    prim_t *os = prim_attach(m, err, sizeof err);
    if (!os) {
        cli_error("run: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    if (!srcs || !cs) {
        cli_error("out of memory");
        status = EXIT_USAGE;
        goto out;
    }
    for (int i = 0; i < npaths; i++) {
        srcs[i].trace = trace_open(paths[i], a->format, err, sizeof err);
        if (!srcs[i].trace) {
            cli_error("%s", err);
            status = EXIT_USAGE;
            goto out;
        }
        srcs[i].cores = npaths > 1 ? (unsigned)i + 1 : mcfg.cores;
        cs[i] = (core_source_t){.done = source_done, .opaque = &srcs[i], .values_unused = true,
                                .done_only_for_values = true, .next_batch = source_next_batch};
    }
    if (npaths > 1)
        for (int i = 0; i < npaths; i++)
            srcs[i].cores = mcfg.cores; /* per-core streams: the reader's CPU field is replaced */
    if (seeing_wanted(&a->see)) {
        char title[512];
        snprintf(title, sizeof title, "cohsim run %s%s: %s, %u core%s, %s, store buffers of %u",
                 paths[0], npaths > 1 ? " ..." : "",
                 a->mo.preset ? a->mo.preset : "configured machine", mcfg.cores,
                 mcfg.cores == 1 ? "" : "s", mcfg.protocol->title, mcfg.sb_entries);
        if (!(see = seeing_create(&a->see, &mcfg, "run", title))) {
            status = EXIT_USAGE;
            goto out;
        }
        machine_observe(m, seeing_observe, see);
        for (int i = 0; i < npaths; i++)
            srcs[i].see = see;
    }
    run_progress_t progress = {.records = 0};
    char label[64];
    snprintf(label, sizeof label, "%d traces", npaths);
    progress_start(&progress.line, npaths == 1 ? paths[0] : label);
    for (int i = 0; i < npaths; i++)
        srcs[i].progress = &progress;
    int rc = machine_run(m, cs, (unsigned)npaths, npaths > 1);
    progress_done(&progress.line);
    /* The log and the waveform come before the statistics, and also when a check failed (they
     * show how it came about); not after bad input (exit 2), which writes nothing. */
    int failed = rc == 0 ? EXIT_DONE : failure_status(srcs, npaths, rc);
    if (rc == MACHINE_ECHECK)
        seeing_note(see, machine_cycles(m), machine_failed_cpu(m), UINT64_MAX,
                    "check mode: an invariant is broken, the machine stops: %s", machine_error(m));
    if (see && failed != EXIT_USAGE && seeing_finish(see) != 0 && rc == 0)
        status = EXIT_USAGE;
    if (rc != 0) {
        for (int i = 0; i < npaths; i++)
            if (srcs[i].failure[0]) {
                cli_error("%s", srcs[i].failure);
                status = failed;
                goto out;
            }
        /* The failing record is the last one taken from its trace: the one trace, or the
         * failing core's. */
        int cpu = npaths == 1 ? 0 : machine_failed_cpu(m);
        if (cpu >= 0 && cpu < npaths)
            cli_error("%s:%llu: %s", trace_path(srcs[cpu].trace),
                      (unsigned long long)where(&srcs[cpu], machine_source_taken(m, (unsigned)cpu)),
                      machine_error(m));
        else
            cli_error("run: %s", machine_error(m));
        status = failed;
        goto out;
    }
    if (status != EXIT_DONE)
        goto out;
    if (!a->quiet) {
        printf("cohsim run: %s, %u core%s, %s, %d trace%s%s\n",
               a->mo.preset ? a->mo.preset : "configured machine", mcfg.cores,
               mcfg.cores == 1 ? "" : "s", mcfg.protocol->title,
               npaths, npaths == 1 ? "" : "s",
               npaths == 1 ? " (global issue order)" : " (one per core)");
        report_print(stdout, m);
        sim_os_print(stdout, m, os);
    }
    if (a->json) {
        cJSON *doc = report_json(m);
        cJSON *config = config_to_json(a->mo.config);
        if (doc && config)
            cJSON_AddItemToObject(doc, "config", config);
        else
            cJSON_Delete(config);
        if (!doc || !config || sim_os_json(doc, m, os) != 0 || report_write_json(a->json, doc) != 0)
            status = EXIT_USAGE;
        cJSON_Delete(doc);
    }
out:
    for (int i = 0; srcs && i < npaths; i++)
        trace_close(srcs[i].trace);
    free(srcs);
    free(cs);
    seeing_destroy(see);
    prim_destroy(os);
    machine_destroy(m);
    return status;
}

int cmd_run(int argc, char **argv)
{
    run_args_t a = {.dflt = "x86-2", .see = SEEING_OPTS_INIT};
    /* --compat picks the default preset, and -c may come before it: look ahead. */
    for (int i = 1; i < argc; i++) {
        const char *m = strcmp(argv[i], "--compat") == 0 && i + 1 < argc ? argv[i + 1]
                        : strncmp(argv[i], "--compat=", 9) == 0   ? argv[i] + 9
                                                                   : NULL;
        if (m && (strcmp(m, "dinero") == 0 || strcmp(m, "cachegrind") == 0))
            a.dflt = m;
    }
    int first;
    int rc = cli_parse(&run_spec, argc, argv, run_option, &a, &first);
    if (rc != 0) {
        machine_opts_free(&a.mo);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    if (first >= argc) {
        cli_error("run: no trace given (see cohsim run --help)");
        machine_opts_free(&a.mo);
        return EXIT_USAGE;
    }
    int status;
    if (a.compat && seeing_wanted(&a.see)) {
        cli_error("run: --explain and --vcd show cohsim's own machine, not a --compat run");
        machine_opts_free(&a.mo);
        return EXIT_USAGE;
    }
    if (a.compat) {
        machine_config_t unused;
        status = machine_opts_build(&a.mo, a.dflt, &unused) != 0
                     ? EXIT_USAGE
                     : compat_run(a.compat, a.mo.config, a.format, argv + first, argc - first,
                                  a.json, a.quiet);
    } else {
        status = run_traces(&a, argv + first, argc - first);
    }
    machine_opts_free(&a.mo);
    return status;
}
