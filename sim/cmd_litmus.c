/* cmd_litmus.c: `cohsim litmus`: run x86 litmus tests (herd format) on the simulated machine
 * many times with seeded jitter and start skews, and print the final states in herd's layout.
 *
 * How the runs explore (isa/litmus_explore.h has the why):
 * - each run builds a machine from the configuration (caches cut to the sets a test can use,
 *   isa/litmus_sim.h), fetches every thread's code and its preloaded locations into its caches,
 *   then starts each core at a skew of its own, in cycles: 0..--skew, by default four times
 *   the machine's miss latency (litmus_miss_cycles: 428 cycles on x86-4, so 0..1712), drawn at
 *   one of four scales per run (skew, /2, /4, /8); a thread may pause (an idle loop of up to the
 *   same scale) before an instruction; half the threads are busy: up to 4 scratch stores ahead
 *   of the test's stores (each keeps them buffered for one miss) and a location preloaded one
 *   time in four; the jitter bound is 0 in half the runs, else 0..--jitter;
 * - until the condition's outcome is reached, half the runs mutate a run from a pool holding one
 *   run per final state seen, the closer to the condition the likelier (--no-guide: none);
 * - the default number of runs grows with the threads: 500 for two, 2500 for three, 12500 for
 *   four (each thread adds a dimension to the timing space). With these, every condition of the
 *   x86 suite that herd observes Sometimes is reached at the default seed, n1 and n2 included,
 *   and the whole suite takes about 6 s (tests/cli/scripts/litmus_conformance.sh runs it).
 * None of this changes what the machine allows: a run is an ordinary run of a TSO machine, so a
 * forbidden outcome stays unreachable whatever the seed, skew or jitter.
 *
 * A test's result is a pure function of its file, the options and the seed (run r's machine has
 * sim.seed = seed + r). The histogram keeps every distinct final state (projected on what the
 * condition names) in herd's order; a state's line is `COUNT *>STATE` when the proposition holds
 * in it, `COUNT :>STATE` when not (litmus7's marks), so that removing the prefix gives herd's
 * state line. Counts are not frequencies on any hardware: the search favours the condition.
 */
#include <cjson/cJSON.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "isa/asm.h"
#include "isa/litmus.h"
#include "isa/litmus_explore.h"
#include "isa/litmus_sim.h"
#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/html.h"
#include "sim/outfile.h"
#include "sim/report.h"
#include "sim/seeing.h"

#define LITMUS_DEFAULT_JITTER 24
#define LITMUS_STATE_TEXT 512

static const cli_opt_t litmus_opts[] = {
    CLI_MACHINE_OPTS,
    {"runs", 'n', "N", "runs per test (default 500 for two threads, 5 times as many for "
                         "each thread more)"},
    {"model", 'm', "tso|sc", "tso: store buffers as the preset says (default); sc: no store "
                             "buffer, every store performs before the next instruction"},
    {"jitter", 'j', "CYCLES", "largest latency jitter: each run draws sim.jitter from 0..CYCLES "
                              "(default 24)"},
    {"skew", 0, "CYCLES", "largest start skew, and pause between two instructions, in cycles "
                          "(default: four times the machine's miss latency)"},
    {"json", 0, CLI_OUTPUT_FILE, "also write the results as JSON to FILE"},
    {"csv", 0, CLI_OUTPUT_FILE, "also write a row per test as CSV to FILE: test, file, kind, runs, states, "
                       "positive, negative, ok, observation"},
    {"no-guide", 0, NULL, "draw every run's timing at random; by default, until the condition is "
                          "reached, half the runs mutate the runs that came closest to it"},
    {"no-preload", 0, NULL, "do not preload locations into a thread's caches, nor fill its "
                            "store buffer with scratch stores, before the test"},
    {"show-asm", 0, NULL, "print each test's lowered ISA code instead of running it"},
    CLI_SEEING_OPTS,
    CLI_INJECT_OPT,
    {0},
};

static const cli_spec_t litmus_spec = {
    "litmus", "[options] FILE.litmus...",
    "Runs x86 litmus tests in herd's format on the simulated machine (default preset x86-4), "
    "each N times with seeded jitter and start skews, and prints herd's layout: Test, States "
    "with a count per final state, Ok/No, Positive/Negative, Condition and Observation. Exit "
    "status 1 when a ~exists or forall test is not validated (a forbidden outcome was reached), "
    "2 for bad input. --explain and --vcd show one run of each test: the first that reached its "
    "condition (for forall, the first where it failed), else the first run.",
    litmus_opts,
};

typedef struct litmus_cli {
    machine_opts_t mo;
    unsigned long runs;
    bool sc;
    long jitter;
    long skew; /* cycles; -1: litmus_default_skew */
    const char *json, *csv;
    bool show_asm;
    bool preload;
    bool guided;
    seeing_opts_t see; /* --explain, --vcd: one run of the test shown */
} litmus_cli_t;

static int parse_ulong(const char *opt, const char *arg, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-' || v > max) {
        cli_error("litmus: --%s %s: expected a whole number from 0 to %lu", opt, arg, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int litmus_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    litmus_cli_t *lc = ctx;
    int h = machine_opts_handle(&lc->mo, opt, arg, "x86-4");
    if (h != 0)
        return h > 0 ? 0 : -1;
    if ((h = seeing_option(&lc->see, "litmus", opt, arg)) != 0)
        return h > 0 ? 0 : -1;
    unsigned long v;
    if (strcmp(opt->name, "runs") == 0) {
        if (parse_ulong("runs", arg, 100000000ul, &lc->runs))
            return -1;
        if (lc->runs == 0) {
            cli_error("litmus: --runs 0: expected at least 1");
            return -1;
        }
    } else if (strcmp(opt->name, "model") == 0) {
        if (strcmp(arg, "tso") != 0 && strcmp(arg, "sc") != 0) {
            cli_error("litmus: --model %s: expected tso or sc", arg);
            return -1;
        }
        lc->sc = strcmp(arg, "sc") == 0;
    } else if (strcmp(opt->name, "jitter") == 0) {
        if (parse_ulong("jitter", arg, 1000000ul, &v))
            return -1;
        lc->jitter = (long)v;
    } else if (strcmp(opt->name, "skew") == 0) {
        if (parse_ulong("skew", arg, LITMUS_MAX_SKEW, &v))
            return -1;
        lc->skew = (long)v;
    } else if (strcmp(opt->name, "json") == 0) {
        lc->json = arg;
    } else if (strcmp(opt->name, "csv") == 0) {
        lc->csv = arg;
    } else if (strcmp(opt->name, "no-guide") == 0) {
        lc->guided = false;
    } else if (strcmp(opt->name, "no-preload") == 0) {
        lc->preload = false;
    } else if (strcmp(opt->name, "show-asm") == 0) {
        lc->show_asm = true;
    }
    return 0;
}

typedef struct hist_entry {
    char text[LITMUS_STATE_TEXT];
    uint64_t count;
    bool holds;
} hist_entry_t;

typedef struct hist {
    hist_entry_t *e;
    size_t n, cap;
} hist_t;

static int hist_add(hist_t *h, const char *text, bool holds)
{
    for (size_t i = 0; i < h->n; i++)
        if (strcmp(h->e[i].text, text) == 0) {
            h->e[i].count++;
            return 0;
        }
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 16;
        hist_entry_t *ne = realloc(h->e, cap * sizeof *ne);
        if (!ne)
            return -1;
        h->e = ne;
        h->cap = cap;
    }
    snprintf(h->e[h->n].text, sizeof h->e[h->n].text, "%s", text);
    h->e[h->n].count = 1;
    h->e[h->n].holds = holds;
    h->n++;
    return 0;
}

static int hist_cmp(const void *a, const void *b)
{
    return strcmp(((const hist_entry_t *)a)->text, ((const hist_entry_t *)b)->text);
}

/* The histogram of one test's runs, and the run --explain shows: the first that reached the
 * condition's target (the proposition; for forall, its negation), else run 0. */
typedef struct tally {
    const litmus_test_t *t;
    hist_t h;
    uint64_t pos, neg;
    bool oom;
    uint64_t runs;
    bool reached;
    uint64_t shown_run;
    char shown_state[LITMUS_STATE_TEXT];
} tally_t;

static int tally_run(void *ctx, const litmus_state_t *s)
{
    tally_t *tl = ctx;
    bool holds = litmus_prop_holds(tl->t, s);
    char text[LITMUS_STATE_TEXT];
    litmus_state_format(tl->t, s, text, sizeof text);
    if (hist_add(&tl->h, text, holds) != 0) {
        tl->oom = true;
        return 1;
    }
    if (holds)
        tl->pos++;
    else
        tl->neg++;
    bool target = holds == (tl->t->quant != LITMUS_FORALL);
    if (tl->runs == 0 || (target && !tl->reached)) {
        tl->shown_run = tl->runs;
        snprintf(tl->shown_state, sizeof tl->shown_state, "%s", text);
        tl->reached = target;
    }
    tl->runs++;
    return 0;
}

/* The replay's callback: keeps the final state of the last run, the one observed. */
typedef struct replay {
    const litmus_test_t *t;
    char state[LITMUS_STATE_TEXT];
} replay_t;

static int replay_run(void *ctx, const litmus_state_t *s)
{
    replay_t *r = ctx;
    litmus_state_format(r->t, s, r->state, sizeof r->state);
    return 0;
}

/* The page's litmus sections: each thread's code with its instructions as rows code-T-K (the
 * rows the page highlights as the cores fetch them: the observed run's code, lowered with its
 * variations and assembled, gives each row's addresses), and the final state against the
 * condition. 0, or -1 (printed). */
static int page_litmus(html_run_t *h, const litmus_test_t *t, const litmus_variation_t *var,
                       const tally_t *tl)
{
    size_t len = (size_t)litmus_lower(t, var, NULL, 0) + 1;
    char *text = malloc(len), err[1024];
    unsigned *owner = NULL; /* per line of text: thread << 8 | instruction, plus one; 0: none */
    html_code_range_t *ranges = NULL;
    asm_program_t prog;
    int rc = -1;
    if (!text)
        goto oom;
    litmus_lower(t, var, text, len);
    if (asm_assemble("lowered litmus test", text, strlen(text), 0, 0, &prog, err, sizeof err) != 0) {
        cli_error("litmus: %s: %s", t->name, err);
        free(text);
        return -1;
    }
    size_t nlines = 1;
    for (const char *p = text; *p; p++)
        nlines += *p == '\n';
    owner = calloc(nlines + 1, sizeof *owner);
    ranges = malloc((prog.nspans ? prog.nspans : 1) * sizeof *ranges);
    if (!owner || !ranges)
        goto oom_asm;
    /* a thread's instruction owns the lines from its comment to the next pause, thread or halt */
    unsigned line = 1, thread = 0, next = 0, current = 0;
    for (char *p = text; *p; line++) {
        char *end = strchr(p, '\n');
        if (end)
            *end = 0;
        char want[80] = "";
        if (thread < t->nthreads && next < t->ninsns[thread]) {
            char insn[64];
            litmus_insn_format(t, &t->insns[thread][next], insn, sizeof insn);
            snprintf(want, sizeof want, "    # %s", insn);
        }
        unsigned cpu;
        if (sscanf(p, ".cpu %u", &cpu) == 1) {
            thread = cpu;
            next = current = 0;
        } else if (want[0] && strcmp(p, want) == 0) {
            current = (thread << 8 | next) + 1;
            next++;
        } else if (strstr(p, "# pause") || strstr(p, "halt")) {
            current = 0;
        }
        owner[line] = current;
        if (!end)
            break;
        p = end + 1;
    }
    size_t n = 0;
    for (size_t i = 0; i < prog.nspans; i++) {
        unsigned o = prog.spans[i].line <= nlines ? owner[prog.spans[i].line] : 0;
        if (o)
            ranges[n++] = (html_code_range_t){prog.spans[i].addr,
                                              prog.spans[i].addr + prog.spans[i].len,
                                              (int)((o - 1) >> 8), (o - 1) & 0xff};
    }
    if (html_run_code(h, ranges, n) != 0)
        goto oom_asm;
    sbuf_t b = {0};
    sbuf_printf(&b, "<div class=\"threads\">\n");
    for (unsigned th = 0; th < t->nthreads; th++) {
        sbuf_printf(&b, "<table class=\"code\"><tr><th>P%u (cpu%u)</th></tr>\n", th, th);
        for (unsigned k = 0; k < t->ninsns[th]; k++) {
            char insn[64];
            litmus_insn_format(t, &t->insns[th][k], insn, sizeof insn);
            sbuf_printf(&b, "<tr id=\"code-%u-%u\"><td>", th, k);
            html_text(&b, insn);
            sbuf_printf(&b, "</td></tr>\n");
        }
        sbuf_printf(&b, "</table>\n");
    }
    sbuf_printf(&b, "</div>\n");
    html_run_section(h, "Code (the instruction each core fetched last is highlighted)", b.p ? b.p : "");
    b.n = 0;
    char cond[1024];
    litmus_condition_format(t, cond, sizeof cond);
    /* the run shown reached the target when one did; else no run did, and neither did it */
    bool holds = tl->reached == (t->quant != LITMUS_FORALL);
    sbuf_printf(&b, "<p id=\"final\">Final state of this run: <code>");
    html_text(&b, tl->shown_state);
    sbuf_printf(&b, "</code><br>Condition: <code>");
    html_text(&b, cond);
    sbuf_printf(&b, "</code><br>Its proposition %s in this run.</p>\n",
                holds ? "<b>holds</b>" : "does <b>not</b> hold");
    html_run_section(h, "Final state", b.p ? b.p : "");
    rc = b.oom ? -1 : 0;
    sbuf_free(&b);
    if (rc != 0)
        cli_error("out of memory");
    free(owner);
    free(ranges);
    asm_free(&prog);
    free(text);
    return rc;
oom_asm:
    asm_free(&prog);
oom:
    cli_error("out of memory");
    free(owner);
    free(ranges);
    free(text);
    return -1;
}

/* Replay the exploration up to the run tl chose, with the views attached to that run. */
static int show_run(const litmus_cli_t *lc, const litmus_test_t *t, const machine_config_t *cfg,
                    const litmus_explore_opts_t *eo, const tally_t *tl)
{
    char locs[512] = "", title[2048], err[1024];
    size_t k = 0;
    for (unsigned i = 0; i < t->nlocs && k < sizeof locs; i++) {
        int w = snprintf(locs + k, sizeof locs - k, " %s=%#llx", t->locs[i],
                         (unsigned long long)litmus_loc_addr(i));
        k += w > 0 ? (size_t)w : 0;
    }
    char bugs[160];
    cli_faults_text(cfg->faults, bugs, sizeof bugs);
    snprintf(title, sizeof title,
             "cohsim litmus %s: run %llu of %llu, %s; final state %s locations%s (stores at "
             "%#x.. and loads before the test's code are its timing variation)%s",
             t->name, (unsigned long long)tl->shown_run + 1, (unsigned long long)eo->runs,
             tl->reached ? (t->quant == LITMUS_FORALL ? "the first where the condition fails"
                                                       : "the first that reached the condition")
                         : "no run reached the condition, so the first",
             tl->shown_state, locs, LITMUS_SCRATCH_BASE, bugs);
    seeing_t *see = seeing_create(&lc->see, cfg, "litmus", title);
    if (!see)
        return EXIT_USAGE;
    litmus_explore_opts_t o = *eo;
    o.runs = tl->shown_run + 1;
    o.observed_run = tl->shown_run;
    o.observe = seeing_observe;
    o.observe_opaque = see;
    litmus_variation_t var[LITMUS_MAX_THREADS];
    o.observed_var = var;
    int status = EXIT_DONE;
    replay_t r = {.t = t};
    if (litmus_explore(t, cfg, &o, replay_run, &r, err, sizeof err) != 0) {
        cli_error("litmus: %s: replaying run %llu: %s", t->name,
                  (unsigned long long)tl->shown_run + 1, err);
        status = EXIT_USAGE;
    } else if (strcmp(r.state, tl->shown_state) != 0) {
        /* an observed run must compute what the unobserved one did */
        cli_error("litmus: %s: run %llu observed ended in %s, unobserved in %s", t->name,
                  (unsigned long long)tl->shown_run + 1, r.state, tl->shown_state);
        status = EXIT_USAGE;
    } else if ((seeing_page(see) && page_litmus(seeing_page(see), t, var, tl) != 0) ||
               seeing_finish(see) != 0) {
        status = EXIT_USAGE;
    }
    seeing_destroy(see);
    return status;
}

/* Run one test and print its block; fills j (when not NULL) with the same. Returns the exit
 * status for this test (0, 1 or 2). */
static int run_test(const litmus_cli_t *lc, const char *path, const machine_config_t *base,
                    cJSON *jtests)
{
    char err[1024];
    const size_t errlen = sizeof err;
    litmus_test_t *t = malloc(sizeof *t);
    if (!t) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    if (litmus_load(path, t, err, errlen) != 0) {
        cli_error("%s", err);
        free(t);
        return EXIT_USAGE;
    }
    if (lc->show_asm) {
        char text[16384];
        litmus_lower(t, NULL, text, sizeof text);
        fputs(text, stdout);
        free(t);
        return EXIT_DONE;
    }
    machine_config_t cfg = *base;
    if (lc->sc)
        cfg.sb_entries = 0;
    litmus_explore_opts_t eo = {
        .runs = lc->runs ? lc->runs : litmus_default_runs(t->nthreads), .seed = base->seed, .jitter = (uint32_t)lc->jitter,
        .skew = lc->skew >= 0 ? (uint32_t)lc->skew : litmus_default_skew(&cfg),
        .vary_cache = lc->preload, .guided = lc->guided};
    tally_t tl = {.t = t};
    int status = EXIT_DONE;
    int rc = litmus_explore(t, &cfg, &eo, tally_run, &tl, err, errlen);
    if (rc != 0) {
        if (tl.oom)
            cli_error("out of memory");
        else
            cli_error("%s: %s", path, err);
        status = EXIT_USAGE;
    }
    hist_t h = tl.h;
    uint64_t pos = tl.pos, neg = tl.neg;
    if (status == EXIT_DONE) {
        qsort(h.e, h.n, sizeof h.e[0], hist_cmp);
        bool ok = litmus_validated(t, pos, neg);
        /* herd counts Positive/Negative against the quantified condition: for ~exists, the
         * runs where the proposition does not hold are the positive ones */
        uint64_t p = t->quant == LITMUS_NOT_EXISTS ? neg : pos;
        uint64_t n = t->quant == LITMUS_NOT_EXISTS ? pos : neg;
        char cond[1024];
        litmus_condition_format(t, cond, sizeof cond);
        printf("Test %s %s\nStates %zu\n", t->name, litmus_kind_name(t), h.n);
        for (size_t i = 0; i < h.n; i++)
            printf("%-6llu%s>%s\n", (unsigned long long)h.e[i].count, h.e[i].holds ? "*" : ":",
                   h.e[i].text);
        printf("%s\nWitnesses\nPositive: %llu Negative: %llu\nCondition %s\n"
               "Observation %s %s %llu %llu\n\n",
               ok ? "Ok" : "No", (unsigned long long)p, (unsigned long long)n, cond, t->name,
               litmus_observation(pos, neg), (unsigned long long)pos, (unsigned long long)neg);
        if (!ok && t->quant != LITMUS_EXISTS)
            status = EXIT_CHECK;
        if (seeing_wanted(&lc->see)) {
            fflush(stdout);
            if (show_run(lc, t, &cfg, &eo, &tl) != EXIT_DONE)
                status = EXIT_USAGE;
        }
        if (jtests) {
            cJSON *jt = cJSON_CreateObject();
            cJSON_AddStringToObject(jt, "test", t->name);
            cJSON_AddStringToObject(jt, "file", path);
            cJSON_AddStringToObject(jt, "kind", litmus_kind_name(t));
            cJSON_AddNumberToObject(jt, "runs", (double)eo.runs);
            cJSON *js = cJSON_AddArrayToObject(jt, "states");
            for (size_t i = 0; i < h.n; i++) {
                cJSON *e = cJSON_CreateObject();
                cJSON_AddStringToObject(e, "state", h.e[i].text);
                cJSON_AddNumberToObject(e, "count", (double)h.e[i].count);
                cJSON_AddBoolToObject(e, "satisfies", h.e[i].holds);
                cJSON_AddItemToArray(js, e);
            }
            cJSON_AddBoolToObject(jt, "ok", ok);
            cJSON_AddNumberToObject(jt, "positive", (double)p);
            cJSON_AddNumberToObject(jt, "negative", (double)n);
            cJSON_AddStringToObject(jt, "condition", cond);
            cJSON_AddStringToObject(jt, "observation", litmus_observation(pos, neg));
            cJSON_AddNumberToObject(jt, "satisfied", (double)pos);
            cJSON_AddNumberToObject(jt, "not_satisfied", (double)neg);
            cJSON_AddItemToArray(jtests, jt);
        }
    }
    free(h.e);
    free(t);
    return status;
}

/* The test files an argument names: itself; every *.litmus of a directory, in name order; or,
 * for a file whose name starts with '@' (herd's and litmus7's index files, like @all), each
 * line's file, relative to the index's directory ('#' comments and blank lines skipped; an index
 * may name an index). */
typedef struct path_list {
    char **v;
    size_t n, cap;
} path_list_t;

static int list_add(path_list_t *l, const char *dir, const char *name, size_t len)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        char **v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return -1;
        l->v = v;
        l->cap = cap;
    }
    size_t dl = dir ? strlen(dir) : 0;
    char *p = malloc(dl + 1 + len + 1);
    if (!p)
        return -1;
    if (dir)
        snprintf(p, dl + 1 + len + 1, "%s/%.*s", dir, (int)len, name);
    else
        snprintf(p, len + 1, "%.*s", (int)len, name);
    l->v[l->n++] = p;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int expand_arg(const char *path, path_list_t *l, int depth)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        if (!d) {
            cli_error("%s: %s", path, strerror(errno));
            return -1;
        }
        size_t first = l->n;
        struct dirent *e;
        int rc = 0;
        while (rc == 0 && (e = readdir(d))) {
            size_t n = strlen(e->d_name);
            if (n > 7 && strcmp(e->d_name + n - 7, ".litmus") == 0)
                rc = list_add(l, path, e->d_name, n);
        }
        closedir(d);
        if (rc != 0) {
            cli_error("out of memory");
            return -1;
        }
        if (l->n == first) {
            cli_error("%s: a directory without *.litmus files", path);
            return -1;
        }
        qsort(l->v + first, l->n - first, sizeof *l->v, by_name);
        return 0;
    }
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (base[0] != '@')
        return list_add(l, NULL, path, strlen(path)) == 0 ? 0 : (cli_error("out of memory"), -1);
    if (depth > 8) {
        cli_error("%s: index files nest more than 8 deep", path);
        return -1;
    }
    FILE *f = fopen(path, "r");
    if (!f) {
        cli_error("%s: %s", path, strerror(errno));
        return -1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%.*s", (int)((base - path) ? base - path - 1 : 1),
             base == path ? "." : path);
    char line[4096];
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        char *s = line, *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        while (*s == ' ' || *s == '\t')
            s++;
        size_t n = strcspn(s, " \t\r\n");
        if (n == 0)
            continue;
        path_list_t one = {0};
        char *full = NULL;
        if (s[0] == '/')
            rc = list_add(&one, NULL, s, n);
        else
            rc = list_add(&one, dir, s, n);
        if (rc == 0) {
            full = one.v[0];
            struct stat fs;
            if (stat(full, &fs) != 0) {
                cli_error("%s:%u: %s: %s", path, lineno, full, strerror(errno));
                rc = -1;
            } else {
                rc = expand_arg(full, l, depth + 1);
            }
        } else {
            cli_error("out of memory");
        }
        free(full);
        free(one.v);
    }
    fclose(f);
    if (rc == 0 && lineno == 0) {
        cli_error("%s: an empty index file", path);
        rc = -1;
    }
    return rc;
}

/* --csv: a row per test of the JSON's tests array, written whole or not at all. 0 or -1. */
static int write_csv(const char *path, const cJSON *tests)
{
    outfile_text_t text;
    if (outfile_text_open(&text) != 0)
        return -1;
    FILE *out = text.f;
    fputs("test,file,kind,runs,states,positive,negative,ok,observation\n", out);
    const cJSON *t;
    cJSON_ArrayForEach(t, tests)
    {
        static const char *const words[] = {"test", "file", "kind"};
        for (int w = 0; w < 3; w++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, words[w]);
            if (w)
                fputc(',', out);
            cli_csv_field(out, cJSON_IsString(v) ? v->valuestring : "");
        }
        static const char *const counts[] = {"runs", "positive", "negative"};
        for (int c = 0; c < 3; c++) {
            const cJSON *v = cJSON_GetObjectItemCaseSensitive(t, counts[c]);
            if (c == 1)
                fprintf(out, ",%d",
                        cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(t, "states")));
            fprintf(out, ",%.0f", cJSON_IsNumber(v) ? v->valuedouble : 0.0);
        }
        const cJSON *obs = cJSON_GetObjectItemCaseSensitive(t, "observation");
        fprintf(out, ",%s,", cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(t, "ok")) ? "Ok" : "No");
        cli_csv_field(out, cJSON_IsString(obs) ? obs->valuestring : "");
        fputc('\n', out);
    }
    return outfile_text_commit(&text, path);
}

int cmd_litmus(int argc, char **argv)
{
    litmus_cli_t lc = {.runs = 0, .jitter = LITMUS_DEFAULT_JITTER,
                       .skew = -1, .preload = true, .guided = true, .see = SEEING_OPTS_INIT};
    int first;
    int rc = cli_parse(&litmus_spec, argc, argv, litmus_option, &lc, &first);
    if (rc != 0) {
        machine_opts_free(&lc.mo);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    if (first >= argc) {
        cli_error("litmus: expected at least one FILE.litmus (see cohsim litmus --help)");
        machine_opts_free(&lc.mo);
        return EXIT_USAGE;
    }
    if ((lc.see.explain_to || lc.see.vcd) && argc - first > 1) {
        cli_error("litmus: --explain-to and --vcd show one test's run: give one FILE.litmus");
        machine_opts_free(&lc.mo);
        return EXIT_USAGE;
    }
    machine_config_t cfg;
    if (machine_opts_build(&lc.mo, "x86-4", &cfg) != 0) {
        machine_opts_free(&lc.mo);
        return EXIT_USAGE;
    }
    cJSON *root = NULL, *jtests = NULL;
    if (lc.json || lc.csv) {
        root = report_doc("litmus", &lc.mo);
        if (!root) {
            cli_error("litmus: out of memory for the JSON report");
            machine_opts_free(&lc.mo);
            return EXIT_USAGE;
        }
        cJSON_AddStringToObject(root, "model", lc.sc ? "sc" : "tso");
        if (lc.runs)
            cJSON_AddNumberToObject(root, "runs", (double)lc.runs);
        cJSON_AddNumberToObject(root, "seed", (double)cfg.seed);
        cJSON_AddNumberToObject(root, "jitter", (double)lc.jitter);
        cJSON_AddNumberToObject(root, "skew",
                                (double)(lc.skew >= 0 ? (uint32_t)lc.skew : litmus_default_skew(&cfg)));
        jtests = cJSON_AddArrayToObject(root, "tests");
    }
    int status = EXIT_DONE;
    path_list_t files = {0};
    for (int i = first; i < argc && status == EXIT_DONE; i++)
        if (expand_arg(argv[i], &files, 0) != 0)
            status = EXIT_USAGE;
    for (size_t i = 0; i < files.n && status != EXIT_USAGE; i++) {
        int s = run_test(&lc, files.v[i], &cfg, jtests);
        if (s == EXIT_USAGE) {
            status = EXIT_USAGE;
            break;
        }
        if (s == EXIT_CHECK)
            status = EXIT_CHECK;
    }
    fflush(stdout);
    if (root && status != EXIT_USAGE && lc.csv && write_csv(lc.csv, jtests) != 0)
        status = EXIT_USAGE;
    if (root && status != EXIT_USAGE && lc.json) {
        char *text = cJSON_Print(root);
        if (!text)
            cli_error("litmus: out of memory writing %s", lc.json);
        if (!text || outfile_write(lc.json, text, strlen(text)) != 0)
            status = EXIT_USAGE;
        free(text);
    }
    cJSON_Delete(root);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    free(files.v);
    machine_opts_free(&lc.mo);
    return status;
}
