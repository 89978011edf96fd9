/* cmd_run.c: `cohsim run`: traces through a configured machine; statistics as a table and JSON.
 *
 * One trace is a global issue order (its records carry CPUs); several traces are one per core,
 * independent streams. A load that states its value is checked: a mismatch stops the run with
 * exit status 1, naming the trace line, the expected and the actual value. SIGINT or SIGTERM ends
 * every trace at the next record boundary: the statistics so far are printed and written, marked
 * "interrupted", and the exit status is 130 or 143.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compat.h"
#include "sim/interrupt.h"
#include "sim/os_report.h"
#include "sim/progress.h"
#include "sim/report.h"
#include "traces/binary.h"
#include "sim/report_3c.h"
#include "sim/top.h"
#include "sim/seeing.h"
#include "traces/trace.h"

static const cli_opt_t run_opts[] = {
    CLI_MACHINE_OPTS,
    {"format", 'f', "NAME", "trace format instead of detecting it from the content"},
    {"json", 0, CLI_OUTPUT_FILE, "write the statistics as JSON to FILE"},
    {"csv", 0, CLI_OUTPUT_FILE, "write the per-cache table as CSV to FILE (a row per cache: accesses and "
                       "misses per kind, miss rate, write-backs; with --3c the 3C misses)"},
    {"check", 0, NULL, "verify the coherence invariants after every transaction"},
    {"quiet", 'q', NULL, "print no statistics table"},
    {"address-spaces", 0, "shared|separate",
     "with one trace per core: whether the traces share addresses (threads of one program) or "
     "each has its own (separate programs: no line is shared; the default)"},
    {"3c", 0, NULL, "classify every cache's misses as compulsory, capacity or conflict (Dinero IV's "
                    "-lN-Tccc)"},
    {"top", 0, "N", "the N program counters and N lines with the most first-level misses (traces "
                    "with instruction fetches: Lackey, ChampSim)"},
    {"skip", 0, "N", "read the first N records of each trace without simulating them"},
    {"warmup", 0, "N", "simulate the next N records of each trace, then reset every statistic "
                       "(when every trace has done its warm-up)"},
    {"max", 0, "N", "after the warm-up, simulate at most N records of each trace"},
    {"compat", 0, "MODE", "dinero (--format din|xdin, preset dinero) or cachegrind (--format lackey, "
                          "preset cachegrind): that simulator's exact rules and counts"},
    CLI_SEEING_OPTS,
    CLI_INJECT_OPT,
    {0},
};

static const cli_spec_t run_spec = {
    "run", "[options] TRACE...",
    "Runs memory traces through a configured machine and prints hit/miss, coherence and\n"
    "store-buffer statistics. One trace whose records carry CPUs is a global issue order; several\n"
    "traces run one per core. A load written `=VALUE` must read VALUE, or the run fails (exit 1).\n"
    "A text trace may mark its region of interest: `roi begin` resets every statistic, `roi end`\n"
    "ends the trace. --skip, --warmup and --max count each trace's records.\n"
    "The machine is --preset x86-2 unless --preset or --config says otherwise.",
    run_opts,
};

typedef struct run_args {
    machine_opts_t mo;
    const char *format, *json, *csv;
    int check, quiet;
    const char *compat; /* --compat MODE */
    uint64_t skip, warmup, max; /* --skip, --warmup, --max (max 0: no limit) */
    int have_region;            /* one of them was given */
    const char *spaces;         /* --address-spaces, NULL when not given */
    int ccc;                    /* --3c */
    unsigned top;               /* --top N, 0: off */
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
    else if (strcmp(opt->name, "csv") == 0)
        a->csv = arg;
    else if (strcmp(opt->name, "check") == 0)
        a->check = 1;
    else if (strcmp(opt->name, "quiet") == 0)
        a->quiet = 1;
    else if (strcmp(opt->name, "compat") == 0)
        a->compat = arg;
    else if (strcmp(opt->name, "3c") == 0)
        a->ccc = 1;
    else if (strcmp(opt->name, "top") == 0) {
        char *end;
        unsigned long v = strtoul(arg, &end, 10);
        if (!*arg || *arg == '-' || *end || v == 0 || v > 100000) {
            cli_error("run: bad --top '%s': expected a number from 1 to 100000", arg);
            return -1;
        }
        a->top = (unsigned)v;
    }
    else if (strcmp(opt->name, "address-spaces") == 0) {
        if (strcmp(arg, "shared") != 0 && strcmp(arg, "separate") != 0) {
            cli_error("run: bad --address-spaces '%s': expected shared or separate", arg);
            return -1;
        }
        a->spaces = arg;
    }
    else if (strcmp(opt->name, "skip") == 0 || strcmp(opt->name, "warmup") == 0 ||
             strcmp(opt->name, "max") == 0) {
        uint64_t *dst = opt->name[0] == 's' ? &a->skip : opt->name[0] == 'w' ? &a->warmup : &a->max;
        char *end;
        errno = 0;
        unsigned long long v = strtoull(arg, &end, 10);
        if (!*arg || *arg == '-' || *end || errno || (opt->name[0] == 'm' && v == 0)) {
            cli_error("run: bad --%s '%s': expected a number of records%s", opt->name, arg,
                      opt->name[0] == 'm' ? " from 1" : "");
            return -1;
        }
        *dst = v;
        a->have_region = 1;
    }
    return 0;
}

/* Records read ahead from the traces at once (formats with next_batch only): enough to make the
 * per-record cost of the reader's call chain vanish, few enough to stay in the L1 cache (256
 * records, 18 KiB): the traces of a run share them (source_batch_max), down to SOURCE_BATCH_MIN
 * each. */
#define SOURCE_BATCH 256u
#define SOURCE_BATCH_MIN 64u

/* The records one of ntraces traces reads ahead at once. */
static unsigned source_batch_max(unsigned ntraces)
{
    unsigned share = SOURCE_BATCH / (ntraces ? ntraces : 1);
    return share < SOURCE_BATCH_MIN ? SOURCE_BATCH_MIN : share;
}

/* The progress line of a run: records handed to the machine from every trace together. */
typedef struct run_progress {
    progress_t line;
    uint64_t records;
} run_progress_t;

/* A trace as a core source: validates CPUs, checks loaded values, keeps the first failure.
 * batch[next..count) are records read and checked but not yet handed to the machine; records
 * counts those handed, so a bad CPU names its record (binary formats; line formats name the
 * line, and their reader hands over one record at a time).
 *
 * The region: the first skip records are read and dropped; the next warmup are handed, then one
 * roi begin of the source's own (mark) that waits for every trace's (marks_wanted); then at most
 * max more (0: no limit). A trace that ends within its warm-up hands its mark at its end, so the
 * others are not kept waiting. A `roi end` record ends the trace: it is not handed, nothing after
 * it is read. */
typedef struct trace_source {
    trace_t *trace;
    run_progress_t *progress;
    unsigned cores;
    uint64_t records;
    unsigned next, count;
    unsigned batch_max; /* source_batch_max: the records read ahead at once */
    mem_req_t batch[SOURCE_BATCH];
    char failure[1024];
    int failed_check;
    uint64_t skip, warmup, max;
    uint64_t skipped;     /* records read and dropped */
    uint64_t mark_seq;    /* the machine's number of the mark (0: not handed) */
    uint64_t after_mark;  /* records handed after the mark */
    mem_req_t mark;
    int eof, roi_end;     /* the trace ended; it ended at a roi end */
    /* Separate address spaces: the trace's addresses are its own process's, placed at
     * space << SPACE_SHIFT (space_bit set). unplaced is the first record of the batch that
     * cannot be placed (count when none), with its reason. */
    uint64_t values_checked; /* loads whose stated value was read */
    uint64_t expects;        /* expect lines handed (a run that ends well passed them all) */
    top_t *top;           /* --top: shared by every source */
    const machine_t *m;
    int core;             /* this source's core with one trace per core, else -1 */
    uint64_t resets_seen; /* the machine's statistics resets when top last looked */
    int separate;
    uint64_t space;
    unsigned unplaced;
    char unplaced_why[160];
    /* batch[next..unplaced) holds only plain records: CPUs the machine has, no check and no
     * mark (roi begin, roi end). Such a batch is handed whole, up to the allowance, without a
     * look at each record; else record by record. */
    int plain;
    seeing_t *see; /* the views of the run, told of each checked value; NULL: none */
} trace_source_t;

/* Separate address spaces: core i's address A is the physical address i << SPACE_SHIFT | A.
 * Every address below 2^SPACE_SHIFT keeps its offset in the page and its set in every cache, so
 * each core's private caches see exactly what they would see running its trace alone; no two
 * cores share a line; the map is fixed, so runs stay deterministic. 64 cores need 6 bits. */
#define SPACE_SHIFT 58

/* Place a record in its trace's address space, or say why it cannot be (0 or -1). Records that
 * name a virtual address the OS layer interprets (views, the flush primitives' ranges, checks of
 * memory) would need a process per trace, which the OS layer's one default process is not. */
static int space_place(trace_source_t *s, mem_req_t *r)
{
    op_class_t cls = op_class((op_t)r->op);
    if (cls == OPC_MEM) {
        uint64_t last = r->addr + (r->size ? r->size - 1 : 0);
        if (last < r->addr || last >> SPACE_SHIFT) {
            snprintf(s->unplaced_why, sizeof s->unplaced_why,
                     "address %#llx is at or above 2^%d, where separate address spaces begin "
                     "(use --address-spaces shared)",
                     (unsigned long long)r->addr, SPACE_SHIFT);
            return -1;
        }
        r->addr |= s->space << SPACE_SHIFT;
        return 0;
    }
    bool virtual_address = r->op == OP_OS_MAP || r->op == OP_EXPECT_MEM ||
                           r->op == OP_EXPECT_FETCH || r->op == OP_ZW_FLUSH_VIRTUAL_MEMORY ||
                           (r->op == OP_FLUSH_INSTRUCTION_CACHE && !(r->flags & REQ_NULL_BASE));
    if (virtual_address) {
        snprintf(s->unplaced_why, sizeof s->unplaced_why,
                 "%s names a virtual address, which needs --address-spaces shared with several "
                 "traces",
                 op_name((op_t)r->op));
        return -1;
    }
    return 0;
}

/* Where the record numbered seq (from 1 among those the machine took) came from, counting
 * skipped records and not the source's own warm-up mark: "path:LINE" for a line format (whose
 * records come one at a time, so the stream is at that record's line); "path: record N, byte B"
 * for the cohsim binary format version 1 (one request per fixed-size record), "path: record N"
 * for version 2 (records vary in size); else "path: access N". */
typedef struct where {
    char text[600];
} where_t;

static where_t where(trace_source_t *s, uint64_t seq)
{
    where_t w;
    const char *path = trace_path(s->trace);
    uint64_t line = stream_lineno(trace_stream(s->trace));
    uint64_t n = s->skipped + seq - (s->mark_seq && seq > s->mark_seq);
    if (line)
        snprintf(w.text, sizeof w.text, "%s:%llu", path, (unsigned long long)line);
    else if (strcmp(trace_format(s->trace)->name, "binary") == 0 &&
             binary_trace_record_size(s->trace) == 0)
        snprintf(w.text, sizeof w.text, "%s: record %llu", path, (unsigned long long)n);
    else if (strcmp(trace_format(s->trace)->name, "binary") == 0)
        snprintf(w.text, sizeof w.text, "%s: record %llu, byte %llu", path,
                 (unsigned long long)n,
                 (unsigned long long)(BINARY_HEADER_SIZE + (n - 1) * BINARY_RECORD_SIZE));
    else
        snprintf(w.text, sizeof w.text, "%s: access %llu", path, (unsigned long long)n);
    return w;
}

/* Whether the source still owes its warm-up mark. */
static int mark_due(const trace_source_t *s)
{
    return s->warmup && !s->mark_seq && (s->records == s->warmup || s->eof);
}

/* The operations a source looks at one by one (checks and marks), as a mask by op from ops.def. */
_Static_assert(OP_COUNT <= 64, "source_special_ops has a bit per operation");
static const uint64_t source_special_ops = 0
#define OP(id, spelling, cls, doc)                                                                 \
    | ((uint64_t)((cls) == OPC_CHECK || (cls) == OPC_MARK) << OP_##id)
#include "model/ops.def"
#undef OP
    ;

/* Refill the batch, dropping the records still to be skipped. 1 records, 0 end, -1 error. */
static int source_refill(trace_source_t *s)
{
    for (;;) {
        /* A line format's messages name the line of the record at fault, which the stream
         * knows only when records come one at a time. */
        int r = trace_next_batch(s->trace, s->batch,
                                 trace_format(s->trace)->by_line ? 1 : s->batch_max);
        if (r < 0) {
            snprintf(s->failure, sizeof s->failure, "%s", trace_error(s->trace));
            return -1;
        }
        if (r == 0) {
            s->eof = 1;
            return 0;
        }
        s->next = 0;
        s->count = (unsigned)r;
        if (s->skipped < s->skip) {
            uint64_t drop = s->skip - s->skipped;
            s->next = drop < (uint64_t)r ? (unsigned)drop : (unsigned)r;
            s->skipped += s->next;
        }
        s->unplaced = s->count;
        for (unsigned k = s->next; s->separate && k < s->count; k++)
            if (space_place(s, &s->batch[k]) != 0) {
                s->unplaced = k;
                break;
            }
        /* A summary of the whole batch, skipped and unplaced records too: at worst a batch
         * goes record by record for nothing. */
        trace_batch_info_t info = trace_batch_info(s->trace, s->batch, (unsigned)r);
        s->plain = info.max_cpu < s->cores && !(info.ops & source_special_ops);
        if (s->next < s->count)
            return 1;
    }
}

/* The most records the source may hand now: up to the warm-up's end, or the --max limit. */
static uint64_t source_allowance(const trace_source_t *s)
{
    if (s->warmup && !s->mark_seq)
        return s->warmup - s->records;
    if (s->max)
        return s->max - s->after_mark;
    return UINT64_MAX;
}

/* The next records up to the first with a CPU the machine does not have, which fails when its
 * turn comes: the machine still executes every record before it, as it would one at a time. */
static int source_next_batch(void *opaque, const mem_req_t **reqs)
{
    trace_source_t *s = opaque;
    /* A record boundary: an interrupt ends every trace here, as if it ended. */
    if (s->next == s->count && interrupt_signal())
        return 0;
    if (s->max && s->after_mark == s->max && (s->mark_seq || !s->warmup))
        return 0;
    if (!s->eof && s->next == s->count && !mark_due(s)) {
        int r = source_refill(s);
        if (r < 0)
            return -1;
    }
    if (!s->eof && s->next < s->count && s->batch[s->next].op == OP_ROI_END)
        s->eof = s->roi_end = 1;
    if (mark_due(s)) {
        s->mark_seq = s->records + 1;
        *reqs = &s->mark;
        return 1;
    }
    if (s->eof)
        return 0;
    uint64_t allowed = source_allowance(s);
    unsigned k = s->next;
    if (s->plain)
        k = s->unplaced - s->next <= allowed ? s->unplaced : s->next + (unsigned)allowed;
    else
        while (k < s->unplaced && s->batch[k].cpu < s->cores && k - s->next < allowed &&
               s->batch[k].op != OP_ROI_END)
            k++;
    if (k == s->next && k == s->unplaced) {
        snprintf(s->failure, sizeof s->failure, "%s: %s",
                 where(s, s->records + 1 + (s->mark_seq != 0)).text, s->unplaced_why);
        return -1;
    }
    if (k == s->next) {
        const mem_req_t *bad = &s->batch[k];
        snprintf(s->failure, sizeof s->failure,
                 "%s: CPU %u does not exist: expected a CPU from 0 to %u (the machine has %u "
                 "core%s)",
                 where(s, s->records + 1 + (s->mark_seq != 0)).text, bad->cpu,
                 s->cores - 1, s->cores, s->cores == 1 ? "" : "s");
        return -1;
    }
    *reqs = &s->batch[s->next];
    unsigned n = k - s->next;
    s->records += n;
    for (unsigned i = s->next; !s->plain && i < k; i++)
        s->expects += op_class((op_t)s->batch[i].op) == OPC_CHECK;
    if (s->mark_seq || !s->warmup)
        s->after_mark += n;
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
    if (s->top) {
        uint64_t resets = machine_region(s->m)->resets;
        if (resets != s->resets_seen)
            top_reset(s->top); /* what came before the reset is warm-up */
        s->resets_seen = resets;
        if (top_request(s->top, s->core >= 0 ? (unsigned)s->core : req->cpu, req) != 0) {
            snprintf(s->failure, sizeof s->failure, "--top: out of memory");
            return -1;
        }
    }
    if (req->op != OP_LOAD || !(req->flags & REQ_HAS_VALUE))
        return 0;
    uint64_t want = mask_to_size(req->value, req->size), got = mask_to_size(res->value, req->size);
    uint64_t vaddr = req->addr & ~(s->separate ? s->space << SPACE_SHIFT : 0);
    seeing_note(s->see, want == got ? EXPLAIN_PLAIN : EXPLAIN_FAILED, res->done, req->cpu,
                req->addr, "check: load %#llx read %llu, the trace expects %llu: %s",
                (unsigned long long)vaddr, (unsigned long long)got, (unsigned long long)want,
                want == got ? "as expected" : "MISMATCH, the run stops");
    if (want == got) {
        s->values_checked++;
        return 0;
    }
    snprintf(s->failure, sizeof s->failure,
             "%s: CPU %u load %#llx read %llu (%#llx), expected %llu (%#llx) at cycle %llu",
             where(s, res->seq).text, req->cpu, (unsigned long long)vaddr,
             (unsigned long long)got, (unsigned long long)got,
             (unsigned long long)want, (unsigned long long)want, (unsigned long long)res->issued);
    s->failed_check = 1;
    return 1;
}

/* Records the machine executed since the last statistics reset: core cpu's, or every core's
 * (cpu < 0). Every executed request counts once in its core's ops. */
static uint64_t executed_since_reset(const machine_t *m, int cpu)
{
    uint64_t n = 0;
    for (unsigned i = 0; i < machine_config(m)->cores; i++)
        for (int op = 0; op < OP_COUNT; op++)
            if (cpu < 0 || (unsigned)cpu == i)
                n += machine_core_stats(m, i)->ops[op];
    return n;
}

/* What trace i contributed: records read and dropped, simulated before the statistics were
 * reset (warm-up), and measured. With one trace per core, trace i is core i. */
typedef struct region_counts {
    uint64_t skipped, warmed, measured;
} region_counts_t;

static region_counts_t region_counts(const machine_t *m, const trace_source_t *s, int i,
                                     int npaths)
{
    /* A reset zeroes the counts of the marks executed before it, the one that causes it too,
     * so measured holds trace records only. */
    uint64_t measured = executed_since_reset(m, npaths > 1 ? i : -1);
    return (region_counts_t){s->skipped, s->records - measured, measured};
}

static void region_print(FILE *out, const run_args_t *a, const machine_t *m,
                         const trace_source_t *srcs, int npaths)
{
    const machine_region_t *r = machine_region(m);
    if (!a->have_region && !r->resets)
        return;
    for (int i = 0; i < npaths; i++) {
        region_counts_t c = region_counts(m, &srcs[i], i, npaths);
        fprintf(out, "  %s: %llu record%s skipped, %llu simulated as warm-up, %llu measured%s\n",
                trace_path(srcs[i].trace), (unsigned long long)c.skipped,
                c.skipped == 1 ? "" : "s", (unsigned long long)c.warmed,
                (unsigned long long)c.measured, srcs[i].roi_end ? " (stopped at roi end)" : "");
    }
    if (r->resets)
        fprintf(out, "  statistics reset at cycle %llu: %llu cycles measured\n",
                (unsigned long long)r->start_cycle,
                (unsigned long long)(machine_cycles(m) - r->start_cycle));
}

static int region_json(cJSON *doc, const run_args_t *a, const machine_t *m,
                       const trace_source_t *srcs, int npaths)
{
    const machine_region_t *r = machine_region(m);
    cJSON *o = cJSON_AddObjectToObject(doc, "region");
    if (!o)
        return -1;
    cJSON_AddNumberToObject(o, "skip", (double)a->skip);
    cJSON_AddNumberToObject(o, "warmup", (double)a->warmup);
    cJSON_AddNumberToObject(o, "max", (double)a->max);
    cJSON_AddNumberToObject(o, "resets", (double)r->resets);
    cJSON_AddNumberToObject(o, "start_cycle", (double)r->start_cycle);
    cJSON_AddNumberToObject(o, "measured_cycles", (double)(machine_cycles(m) - r->start_cycle));
    cJSON *traces = cJSON_AddArrayToObject(o, "traces");
    for (int i = 0; traces && i < npaths; i++) {
        region_counts_t c = region_counts(m, &srcs[i], i, npaths);
        cJSON *t = cJSON_CreateObject();
        if (!t)
            return -1;
        cJSON_AddItemToArray(traces, t);
        cJSON_AddNumberToObject(t, "skipped", (double)c.skipped);
        cJSON_AddNumberToObject(t, "warmup", (double)c.warmed);
        cJSON_AddNumberToObject(t, "measured", (double)c.measured);
        cJSON_AddBoolToObject(t, "roi_end", srcs[i].roi_end);
    }
    return traces ? 0 : -1;
}

/* "traces": each trace's name (as given), format and records read (skipped ones too). */
static int traces_json(cJSON *doc, const trace_source_t *srcs, int npaths)
{
    cJSON *traces = cJSON_AddArrayToObject(doc, "traces");
    for (int i = 0; traces && i < npaths; i++) {
        cJSON *t = cJSON_CreateObject();
        if (!t || !cJSON_AddItemToArray(traces, t))
            return -1;
        cJSON_AddStringToObject(t, "name", trace_path(srcs[i].trace));
        cJSON_AddStringToObject(t, "format", trace_format(srcs[i].trace)->name);
        cJSON_AddNumberToObject(t, "records", (double)(srcs[i].skipped + srcs[i].records));
    }
    return traces ? 0 : -1;
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
    if (machine_opts_build(&a->mo, "x86-2", &mcfg) != 0 || interrupt_catch() != 0)
        return EXIT_USAGE;
    mcfg.check = a->check;
    if (npaths > (int)mcfg.cores) {
        cli_error("run: %d traces but the machine has %u core%s (one trace per core, or one trace "
                  "whose records carry CPUs)",
                  npaths, mcfg.cores, mcfg.cores == 1 ? "" : "s");
        return EXIT_USAGE;
    }
    if (npaths == 1 && a->spaces && strcmp(a->spaces, "separate") == 0) {
        cli_error("run: --address-spaces separate needs one trace per core: one trace whose "
                  "records carry CPUs is one program, with one address space");
        return EXIT_USAGE;
    }
    /* The default cannot invent sharing: unrelated programs' traces share nothing. */
    int separate = npaths > 1 && !(a->spaces && strcmp(a->spaces, "shared") == 0);
    char err[1024];
    machine_t *m = machine_create(&mcfg, err, sizeof err);
    if (!m) {
        cli_error("run: %s", err);
        return EXIT_USAGE;
    }
    trace_source_t *srcs = calloc((size_t)npaths, sizeof *srcs);
    core_source_t *cs = calloc((size_t)npaths, sizeof *cs);
    int status = EXIT_DONE;
    top_t *top = NULL;
    seeing_t *see = NULL;
    prim_t *os = prim_attach(m, err, sizeof err);
    if (!os) {
        cli_error("run: %s", err);
        status = EXIT_USAGE;
        goto out;
    }
    top = a->top ? top_create(m, mcfg.l1.size ? mcfg.l1.line : mcfg.l1d.line) : NULL;
    if (!srcs || !cs || (a->ccc && machine_enable_3c(m) != 0) || (a->top && !top)) {
        cli_error("out of memory");
        status = EXIT_USAGE;
        goto out;
    }
    for (int i = 0; i < npaths; i++) {
        srcs[i].trace = trace_open_shared(paths[i], a->format, (unsigned)npaths, err, sizeof err);
        if (!srcs[i].trace) {
            cli_error("%s", err);
            status = EXIT_USAGE;
            goto out;
        }
        srcs[i].cores = npaths > 1 ? (unsigned)i + 1 : mcfg.cores;
        cs[i] = (core_source_t){.done = source_done, .opaque = &srcs[i], .values_unused = true,
                                .done_only_for_values = !a->top,
                                .next_batch = source_next_batch};
    }
    if (npaths > 1)
        for (int i = 0; i < npaths; i++)
            srcs[i].cores = mcfg.cores; /* per-core streams: the reader's CPU field is replaced */
    char bugs[160];
    cli_faults_text(mcfg.faults, bugs, sizeof bugs);
    if (seeing_wanted(&a->see)) {
        char title[512];
        snprintf(title, sizeof title, "cohsim run %s%s: %s, %u core%s, %s, store buffers of %u%s",
                 paths[0], npaths > 1 ? " ..." : "",
                 a->mo.preset ? a->mo.preset : "configured machine", mcfg.cores,
                 mcfg.cores == 1 ? "" : "s", mcfg.protocol->title, mcfg.sb_entries, bugs);
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
    for (int i = 0; i < npaths; i++) {
        srcs[i].progress = &progress;
        srcs[i].batch_max = source_batch_max((unsigned)npaths);
        srcs[i].skip = a->skip;
        srcs[i].warmup = a->warmup;
        srcs[i].max = a->max;
        srcs[i].mark = (mem_req_t){.op = OP_ROI_BEGIN, .arg = {(uint64_t)npaths}};
        srcs[i].separate = separate;
        srcs[i].top = top;
        srcs[i].m = m;
        srcs[i].core = npaths > 1 ? i : -1;
        srcs[i].space = (uint64_t)i;
    }
    int rc = machine_run(m, cs, (unsigned)npaths, npaths > 1);
    progress_done(&progress.line);
    int sig = interrupt_signal();
    if (rc == 0 && sig)
        cli_error("run: %s after %llu records: the statistics so far", interrupt_name(sig),
                  (unsigned long long)progress.records);
    /* The log and the waveform come before the statistics, and also when a check failed (they
     * show how it came about); not after bad input (exit 2), which writes nothing. */
    int failed = rc == 0 ? EXIT_DONE : failure_status(srcs, npaths, rc);
    if (rc == MACHINE_ECHECK)
        seeing_note(see, EXPLAIN_BROKEN, machine_broken_cycle(m), machine_failed_cpu(m), UINT64_MAX,
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
            cli_error("%s: %s", where(&srcs[cpu], machine_source_taken(m, (unsigned)cpu)).text,
                      machine_error(m));
        else
            cli_error("run: %s", machine_error(m));
        status = failed;
        goto out;
    }
    if (status != EXIT_DONE)
        goto out;
    if (a->ccc && report_3c_failed(m)) {
        cli_error("run: --3c: out of memory for the set of referenced lines");
        status = EXIT_USAGE;
        goto out;
    }
    if (!a->quiet) {
        printf("cohsim run: %s, %u core%s%s%s, %d trace%s%s%s\n",
               a->mo.preset ? a->mo.preset : "configured machine", mcfg.cores,
               mcfg.cores == 1 ? "" : "s",
               /* a one-core machine has no coherence protocol to speak of */
               mcfg.cores == 1 ? "" : ", ", mcfg.cores == 1 ? "" : mcfg.protocol->title,
               npaths, npaths == 1 ? "" : "s",
               npaths == 1 ? " (global issue order)"
               : separate  ? " (one per core, separate address spaces)"
                           : " (one per core, shared address space)",
               bugs);
        uint64_t values = 0, expects = 0;
        for (int i = 0; i < npaths; i++)
            values += srcs[i].values_checked, expects += srcs[i].expects;
        if (values || expects)
            printf("checks passed: %llu stated load value%s, %llu expect line%s\n",
                   (unsigned long long)values, values == 1 ? "" : "s",
                   (unsigned long long)expects, expects == 1 ? "" : "s");
        region_print(stdout, a, m, srcs, npaths);
        report_print(stdout, m);
        if (a->ccc)
            report_3c_print(stdout, m);
        if (top)
            top_print(stdout, top, a->top);
        sim_os_print(stdout, m, os);
    }
    if (a->json || a->csv) {
        cJSON *doc = report_doc("run", &a->mo);
        if (doc) {
            cJSON_AddStringToObject(doc, "address_spaces", separate ? "separate" : "shared");
            /* --inject: the bugs this run had, so that its numbers are not taken for a
             * machine's */
            cJSON *injected = mcfg.faults ? cJSON_AddArrayToObject(doc, "injected_bugs") : NULL;
            for (unsigned f = 0; injected && f < FAULT_COUNT; f++) {
                if (mcfg.faults >> f & 1)
                    cJSON_AddItemToArray(injected, cJSON_CreateString(fault_name((fault_id_t)f)));
            }
            if (sig)
                cJSON_AddBoolToObject(doc, "interrupted", 1);
            cJSON_AddNumberToObject(doc, "records", (double)progress.records);
        }
        if (!doc || traces_json(doc, srcs, npaths) != 0 || report_json(doc, m) != 0 ||
            sim_os_json(doc, m, os) != 0 ||
            region_json(doc, a, m, srcs, npaths) != 0 ||
            (a->ccc && report_3c_json(doc, m) != 0) ||
            (top && !cJSON_AddItemToObject(doc, "top", top_json(top, a->top))) ||
            (a->json && report_write_json(a->json, doc) != 0) ||
            (a->csv && report_write_csv(a->csv, doc) != 0))
            status = EXIT_USAGE;
        cJSON_Delete(doc);
    }
    if (sig && status == EXIT_DONE)
        status = interrupt_exit_status(sig);
out:
    for (int i = 0; srcs && i < npaths; i++)
        trace_close(srcs[i].trace);
    free(srcs);
    free(cs);
    seeing_destroy(see);
    prim_destroy(os);
    top_destroy(top);
    machine_destroy(m);
    return status;
}

static void print_operations(void)
{
    printf("\noperations of the text format (model/ops.def; traces/FORMATS.md and traces/text_os.c "
           "give their arguments):\n");
    for (int op = 0; op < OP_COUNT; op++)
        printf("  %-31s %s%s\n", op_name((op_t)op), op_doc((op_t)op),
               op_class((op_t)op) >= OPC_OS ? " (a directive: no CPU)" : "");
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
    if (rc > 0) /* --help: the operations a text trace may name, from the one table */
        print_operations();
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
    if (a.compat && a.have_region) {
        cli_error("run: --skip, --warmup and --max are not available with --compat (the compat "
                  "modes count whole traces, as their simulators do)");
        status = EXIT_USAGE;
    } else if (a.compat && seeing_wanted(&a.see)) {
        cli_error("run: --explain and --vcd show cohsim's own machine, not a --compat run");
        status = EXIT_USAGE;
    } else if (a.compat) {
        /* compat_run validates: a key the mode does not read is refused before anything else. */
        status = machine_opts_config(&a.mo, a.dflt) != 0
                     ? EXIT_USAGE
                     : compat_run(a.compat, &a.mo, a.format, argv + first, argc - first,
                                  a.json, a.csv, a.quiet, a.ccc);
    } else {
        status = run_traces(&a, argv + first, argc - first);
    }
    machine_opts_free(&a.mo);
    return status;
}
