/* compat.c: the program side of the compatibility modes: open the trace, feed the Dinero IV or
 * Cachegrind engine (model/compat_*.c), print a table and write the JSON report whole or not at
 * all. The engines count; this file only reads and reports. */
#include "sim/compat.h"

#include "sim/report_3c.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/compat_cachegrind.h"
#include "model/compat_dinero.h"
#include "sim/cli.h"
#include "sim/interrupt.h"
#include "sim/report.h"
#include "sim/outfile.h"
#include "sim/progress.h"
#include "traces/trace.h"

static void print_size(char *buf, size_t len, uint64_t bytes)
{
    if (bytes % (1u << 20) == 0)
        snprintf(buf, len, "%lluM", (unsigned long long)(bytes >> 20));
    else if (bytes % 1024 == 0)
        snprintf(buf, len, "%lluK", (unsigned long long)(bytes >> 10));
    else
        snprintf(buf, len, "%llu", (unsigned long long)bytes);
}

static cJSON *json_geometry(cJSON *o, const cache_config_t *c, int policies)
{
    cJSON_AddNumberToObject(o, "size", (double)c->size);
    cJSON_AddNumberToObject(o, "assoc", c->assoc);
    cJSON_AddNumberToObject(o, "line", c->line);
    cJSON_AddStringToObject(o, "repl", c->repl->name);
    if (policies) {
        cJSON_AddStringToObject(o, "write", c->write_back ? "back" : "through");
        cJSON_AddBoolToObject(o, "alloc", c->write_allocate);
    }
    return o;
}

/* "miss_rate" of a cache object: its misses' total over its accesses' (0 when none). */
static void add_miss_rate(cJSON *o)
{
    const cJSON *acc = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(o, "accesses"), "total");
    const cJSON *miss = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(o, "misses"), "total");
    double a = cJSON_IsNumber(acc) ? acc->valuedouble : 0.0;
    double m = cJSON_IsNumber(miss) ? miss->valuedouble : 0.0;
    cJSON_AddNumberToObject(o, "miss_rate", a > 0 ? m / a : 0.0);
}

/* {read, write, ifetch, [misc,] total} */
static cJSON *json_kinds(const uint64_t *v, int with_misc)
{
    cJSON *o = cJSON_CreateObject();
    uint64_t total = 0;
    for (int k = 0; k < ACCESS_KINDS; k++) {
        if (k == ACCESS_MISC && !with_misc)
            continue;
        cJSON_AddNumberToObject(o, cache_access_kind_name((access_kind_t)k), (double)v[k]);
        total += v[k];
    }
    cJSON_AddNumberToObject(o, "total", (double)total);
    return o;
}

static void print_kinds_table(FILE *out, const char *name, const cache_config_t *c,
                              const uint64_t *acc, const uint64_t *miss, int with_misc,
                              int policies)
{
    char size[32];
    print_size(size, sizeof size, c->size);
    fprintf(out, "%s: %s %u-way, %u-byte lines, %s", name, size, c->assoc, c->line, c->repl->name);
    if (policies)
        fprintf(out, ", write-%s, %s", c->write_back ? "back" : "through",
                c->write_allocate ? "write-allocate" : "no write-allocate");
    fprintf(out, "\n  %-10s %12s", "", "total");
    int nk = with_misc ? ACCESS_KINDS : ACCESS_MISC;
    for (int k = 0; k < nk; k++)
        fprintf(out, " %12s", cache_access_kind_name((access_kind_t)k));
    uint64_t ta = 0, tm = 0;
    for (int k = 0; k < nk; k++)
        ta += acc[k], tm += miss[k];
    fprintf(out, "\n  %-10s %12llu", "accesses", (unsigned long long)ta);
    for (int k = 0; k < nk; k++)
        fprintf(out, " %12llu", (unsigned long long)acc[k]);
    fprintf(out, "\n  %-10s %12llu", "misses", (unsigned long long)tm);
    for (int k = 0; k < nk; k++)
        fprintf(out, " %12llu", (unsigned long long)miss[k]);
    fprintf(out, "\n  %-10s %12.4f", "miss rate", ta ? (double)tm / (double)ta : 0.0);
    for (int k = 0; k < nk; k++) {
        if (acc[k])
            fprintf(out, " %12.4f", (double)miss[k] / (double)acc[k]);
        else
            fprintf(out, " %12s", "-");
    }
    fprintf(out, "\n");
}

typedef struct compat_run_state {
    const char *mode;
    FILE *out; /* where the table goes; NULL: none (--quiet) */
    trace_t *trace;
    dinero_t *dinero;
    cachegrind_t *cg;
    uint64_t records;
    int interrupted; /* the signal that stopped the replay at a batch boundary, or 0 */
} compat_state_t;

/* Records per batch: the engines take a batch in one call, so the per-record work is the
 * parse and the cache lookup; 256 records (18 KiB) stay in the first-level data cache. */
#define COMPAT_BATCH 256u

static int replay(compat_state_t *st)
{
    progress_t pr;
    progress_start(&pr, trace_path(st->trace));
    mem_req_t batch[COMPAT_BATCH];
    int n = 0;
    char err[512];
    while (!(st->interrupted = interrupt_signal()) &&
           (n = trace_next_batch(st->trace, batch, COMPAT_BATCH)) > 0) {
        unsigned done = st->dinero ? dinero_refs(st->dinero, batch, (unsigned)n, err, sizeof err)
                                   : cachegrind_refs(st->cg, batch, (unsigned)n, err, sizeof err);
        uint64_t before = st->records;
        st->records += done;
        if (done < (unsigned)n) {
            progress_done(&pr);
            cli_error("%s: record %llu: %s", trace_path(st->trace),
                      (unsigned long long)st->records + 1, err);
            return -1;
        }
        /* progress_update looks at the clock on multiples of 65536 records. */
        if ((before ^ st->records) >> 16)
            progress_update(&pr, st->records & ~(uint64_t)0xffff);
    }
    progress_done(&pr);
    if (n < 0) {
        cli_error("%s", trace_error(st->trace));
        return -1;
    }
    if (st->dinero)
        dinero_finish(st->dinero);
    return 0;
}

static void report_dinero(const compat_state_t *st, cJSON *caches)
{
    for (unsigned i = 0; i < dinero_ncaches(st->dinero); i++) {
        const dinero_stats_t *s = dinero_cache_stats(st->dinero, i);
        const cache_config_t *c = dinero_cache_config(st->dinero, i);
        const char *name = dinero_cache_name(st->dinero, i);
        if (st->out) {
            print_kinds_table(st->out, name, c, s->fetch, s->miss, 1, 1);
            fprintf(st->out, "  multi-block refs %llu; write-backs %llu during the trace, %llu at "
                             "the end\n\n",
                    (unsigned long long)s->multiblock, (unsigned long long)s->writebacks,
                    (unsigned long long)s->writebacks_at_end);
        }
        cJSON *o = json_geometry(cJSON_CreateObject(), c, 1);
        cJSON_AddItemToObject(o, "accesses", json_kinds(s->fetch, 1));
        cJSON_AddItemToObject(o, "misses", json_kinds(s->miss, 1));
        cJSON_AddNumberToObject(o, "writebacks", (double)s->writebacks);
        cJSON_AddNumberToObject(o, "writebacks_at_end", (double)s->writebacks_at_end);
        cJSON_AddNumberToObject(o, "multiblock", (double)s->multiblock);
        cJSON_AddNumberToObject(o, "bytes_from_below", (double)s->bytes_from_below);
        cJSON_AddNumberToObject(o, "bytes_to_below", (double)s->bytes_to_below);
        add_miss_rate(o);
        if (dinero_cache_3c(st->dinero, i))
            cJSON_AddItemToObject(o, "ccc", report_3c_object(dinero_cache_3c(st->dinero, i)));
        cJSON_AddItemToObject(caches, name, o);
    }
    if (st->out && dinero_ncaches(st->dinero) && dinero_cache_3c(st->dinero, 0)) {
        report_3c_header(st->out);
        for (unsigned i = 0; i < dinero_ncaches(st->dinero); i++)
            report_3c_rows(st->out, dinero_cache_name(st->dinero, i),
                           dinero_cache_3c(st->dinero, i));
    }
}

static void report_cachegrind(const compat_state_t *st, cJSON *root, cJSON *caches,
                              cJSON *shared)
{
    const cachegrind_counts_t *n = cachegrind_counts(st->cg);
    /* Per cache, by kind: I1 sees ifetches, D1 reads and writes, LL the L1 misses of each. */
    uint64_t acc[3][ACCESS_KINDS] = {{0}}, miss[3][ACCESS_KINDS] = {{0}};
    acc[0][ACCESS_IFETCH] = n->Ir, miss[0][ACCESS_IFETCH] = n->I1mr;
    acc[1][ACCESS_READ] = n->Dr, miss[1][ACCESS_READ] = n->D1mr;
    acc[1][ACCESS_WRITE] = n->Dw, miss[1][ACCESS_WRITE] = n->D1mw;
    acc[2][ACCESS_IFETCH] = n->I1mr, miss[2][ACCESS_IFETCH] = n->ILmr;
    acc[2][ACCESS_READ] = n->D1mr, miss[2][ACCESS_READ] = n->DLmr;
    acc[2][ACCESS_WRITE] = n->D1mw, miss[2][ACCESS_WRITE] = n->DLmw;
    static const char *const names[3] = {"l1i", "l1d", "llc"};
    for (unsigned i = 0; i < 3; i++) {
        const cache_config_t *c = cachegrind_cache_config(st->cg, i);
        if (st->out) {
            print_kinds_table(st->out, names[i], c, acc[i], miss[i], 0, 0);
            fprintf(st->out, "  accesses touching two lines %llu\n\n",
                    (unsigned long long)cachegrind_straddles(st->cg, i));
        }
        cJSON *o = json_geometry(cJSON_CreateObject(), c, 0);
        cJSON_AddItemToObject(o, "accesses", json_kinds(acc[i], 0));
        cJSON_AddItemToObject(o, "misses", json_kinds(miss[i], 0));
        cJSON_AddNumberToObject(o, "writebacks", 0);
        cJSON_AddNumberToObject(o, "writebacks_at_end", 0);
        cJSON_AddNumberToObject(o, "multiblock", (double)cachegrind_straddles(st->cg, i));
        add_miss_rate(o);
        /* the last level is shared, as in `run`'s layout */
        cJSON_AddItemToObject(strcmp(names[i], "llc") == 0 ? shared : caches, names[i], o);
    }
    const struct {
        const char *name;
        uint64_t v;
    } ctr[9] = {{"Ir", n->Ir},     {"I1mr", n->I1mr}, {"ILmr", n->ILmr},
                {"Dr", n->Dr},     {"D1mr", n->D1mr}, {"DLmr", n->DLmr},
                {"Dw", n->Dw},     {"D1mw", n->D1mw}, {"DLmw", n->DLmw}};
    cJSON *cj = cJSON_CreateObject();
    for (int i = 0; i < 9; i++) {
        if (st->out)
            fprintf(st->out, "%s%s %llu", i ? "  " : "", ctr[i].name, (unsigned long long)ctr[i].v);
        cJSON_AddNumberToObject(cj, ctr[i].name, (double)ctr[i].v);
    }
    if (st->out)
        fprintf(st->out, "\n");
    cJSON_AddItemToObject(root, "cachegrind", cj);
}

/* What an engine does not model, for the keys neither engine reads (section "cache": every
 * cache section; key NULL: every key of the section). */
static const struct {
    const char *section, *key, *lacks;
} compat_unread[] = {
    {"cache", "latency", "models no timing"},     {"llc", "inclusive", "enforces no inclusion"},
    {"storebuf", NULL, "has no store buffer"},    {"bus", NULL, "models no timing"},
    {"memory", NULL, "models no timing"},         {"ipi", NULL, "has no IPIs"},
    {"os", NULL, "has no OS layer"},              {"sim", "jitter", "models no timing"},
    {"machine", "clock_mhz", "models no timing"}, {"machine", "protocol", "models no coherence"},
    {"machine", "icache_snoop", "models no coherence"},
    {"machine", "arch", "runs no flush primitives"},
};

/* Whether a cache section describes a level that exists (a nonzero size). */
static int level_exists(const config_t *cfg, const char *section)
{
    const char *v = config_get(cfg, section, "size");
    uint64_t size;
    return v && config_parse_size(v, &size) == 0 && size != 0;
}

static int in_list(const char *s, const char *const *list, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}

/* Why section.key changes nothing under the mode (dinero when dinero, else cachegrind), in buf,
 * or NULL when the engine reads it. The engines read: machine.cores (refused unless 1); each
 * level's size, and the geometry and replacement of the levels that exist; Dinero also the write
 * and allocation policies of the levels that take writes (not an I-cache), and sim.seed when a
 * level replaces at random (Cachegrind is LRU only and seeds nothing); Cachegrind also l1.size
 * and l2.size, which it refuses unless 0. Nothing else. */
static const char *compat_ignores(const config_t *cfg, int dinero, const char *section,
                                  const char *key, char *buf, size_t len)
{
    static const char *const dinero_levels[] = {"l1", "l1i", "l1d", "l2", "llc"};
    static const char *const cg_levels[] = {"l1i", "l1d", "llc"};
    static const char *const cache_sections[] = {"l1", "l1i", "l1d", "l2", "llc"};
    const char *engine = dinero ? "Dinero IV" : "Cachegrind";
    const char *const *levels = dinero ? dinero_levels : cg_levels;
    unsigned nlevels = dinero ? 5 : 3;
    int cache = in_list(section, cache_sections, 5), level = in_list(section, levels, nlevels);
    int geometry = strcmp(key, "assoc") == 0 || strcmp(key, "line") == 0 ||
                   strcmp(key, "repl") == 0;
    int policy = strcmp(key, "write") == 0 || strcmp(key, "alloc") == 0;
    if ((strcmp(section, "machine") == 0 && strcmp(key, "cores") == 0) ||
        (cache && strcmp(key, "size") == 0))
        return NULL;
    if (level && (geometry || (dinero && policy))) {
        if (!level_exists(cfg, section))
            return "that level does not exist (its size is 0)";
        if (dinero && policy && strcmp(section, "l1i") == 0)
            return "Dinero IV's instruction cache is never written";
        return NULL;
    }
    if (!dinero && level && policy)
        return "Cachegrind keeps no dirty state and always allocates";
    if (cache && !level && strcmp(key, "latency") != 0)
        return "Cachegrind has I1, D1 and LL only";
    if (strcmp(section, "sim") == 0 && strcmp(key, "seed") == 0) {
        for (unsigned i = 0; dinero && i < nlevels; i++) {
            const char *r = config_get(cfg, levels[i], "repl");
            if (level_exists(cfg, levels[i]) && r && strcmp(r, "random") == 0)
                return NULL;
        }
        snprintf(buf, len, "%s",
                 dinero ? "no level replaces at random"
                        : "Cachegrind is LRU only: it draws nothing");
        return buf;
    }
    for (unsigned i = 0; i < sizeof compat_unread / sizeof compat_unread[0]; i++) {
        const char *s = compat_unread[i].section, *k = compat_unread[i].key;
        if ((strcmp(s, section) == 0 || (strcmp(s, "cache") == 0 && cache)) &&
            (!k || strcmp(k, key) == 0)) {
            snprintf(buf, len, "%s %s", engine, compat_unread[i].lacks);
            return buf;
        }
    }
    snprintf(buf, len, "%s does not read it", engine);
    return buf;
}

/* Every key the mode would not read is refused, naming it and where it was set: it would change
 * nothing. The entries of the mode's own presets are not the user's request (they also serve
 * `cohsim run --preset dinero` on the machine model, which reads latencies and the rest); a -c
 * override of one of them is. 0, or -1 after reporting each such key. */
static int refuse_ignored_keys(const config_t *cfg, const char *mode, int dinero)
{
    const char *const own[] = {dinero ? "preset dinero" : "preset cachegrind",
                               dinero ? "preset dinero-split" : NULL};
    const char *section, *key, *value, *origin;
    int refused = 0;
    for (size_t i = 0; config_entry(cfg, i, &section, &key, &value, &origin); i++) {
        if (strcmp(origin, own[0]) == 0 || (own[1] && strcmp(origin, own[1]) == 0))
            continue;
        char buf[128];
        const char *why = compat_ignores(cfg, dinero, section, key, buf, sizeof buf);
        if (!why)
            continue;
        cli_error("--compat %s: %s.%s (set by %s) would change nothing: %s; remove it", mode,
                  section, key, origin, why);
        refused = 1;
    }
    return refused ? -1 : 0;
}

int compat_run(const char *mode, const machine_opts_t *mo, const char *format, char **traces,
               int ntraces, const char *json_path, const char *csv_path, bool quiet,
               bool ccc)
{
    const config_t *cfg = mo->config;
    int dinero = strcmp(mode, "dinero") == 0, cg = strcmp(mode, "cachegrind") == 0;
    if (!dinero && !cg) {
        cli_error("--compat %s: expected dinero or cachegrind", mode);
        return EXIT_USAGE;
    }
    if (ccc && !dinero) {
        cli_error("--compat %s: --3c is Dinero IV's (Cachegrind does not classify misses)", mode);
        return EXIT_USAGE;
    }
    if (ntraces != 1) {
        cli_error("--compat %s takes one trace (one core), not %d", mode, ntraces);
        return EXIT_USAGE;
    }
    if (format && dinero && strcmp(format, "din") != 0 && strcmp(format, "xdin") != 0) {
        cli_error("--compat dinero reads --format din or xdin, not %s", format);
        return EXIT_USAGE;
    }
    if (format && cg && strcmp(format, "lackey") != 0) {
        cli_error("--compat cachegrind reads --format lackey, not %s", format);
        return EXIT_USAGE;
    }
    if (refuse_ignored_keys(cfg, mode, dinero) != 0)
        return EXIT_USAGE;
    char err[1024];
    machine_config_t mc;
    if (config_to_machine(cfg, &mc, err, sizeof err) != 0) {
        cli_error("configuration: %s", err);
        return EXIT_USAGE;
    }
    compat_state_t st = {.mode = mode, .out = quiet ? NULL : stdout};
    rng_t rng;
    rng_seed(&rng, mc.seed);
    int status = EXIT_USAGE;
    cJSON *root = NULL;
    st.trace = trace_open(traces[0], format, err, sizeof err);
    if (!st.trace) {
        cli_error("%s", err);
        goto out;
    }
    const char *fmt = trace_format(st.trace)->name;
    if (dinero && strcmp(fmt, "din") != 0 && strcmp(fmt, "xdin") != 0) {
        cli_error("%s: detected format %s: --compat dinero reads din or xdin (see --format)",
                  traces[0], fmt);
        goto out;
    }
    if (cg && strcmp(fmt, "lackey") != 0) {
        cli_error("%s: detected format %s: --compat cachegrind reads lackey (see --format)",
                  traces[0], fmt);
        goto out;
    }
    if (dinero)
        st.dinero = dinero_create(&mc, &rng, err, sizeof err);
    else
        st.cg = cachegrind_create(&mc, err, sizeof err);
    if (!st.dinero && !st.cg) {
        cli_error("--compat %s: %s", mode, err);
        goto out;
    }
    if (ccc && dinero_enable_3c(st.dinero, err, sizeof err) != 0) {
        cli_error("--compat dinero: %s", err);
        goto out;
    }
    if (interrupt_catch() != 0 || replay(&st) != 0)
        goto out;

    /* `run`'s layout (docs/cohsim.schema.json): one core whose caches are the simulator's. */
    root = report_doc("run", mo);
    if (!root) {
        cli_error("run: out of memory for the JSON report");
        goto out;
    }
    cJSON_AddStringToObject(root, "compat", mode);
    if (st.interrupted) {
        cJSON_AddBoolToObject(root, "interrupted", 1);
        cli_error("run: %s after %llu records: the statistics so far",
                  interrupt_name(st.interrupted), (unsigned long long)st.records);
    }
    cJSON_AddNumberToObject(root, "records", (double)st.records);
    cJSON *jtrace = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "traces"), jtrace);
    cJSON_AddStringToObject(jtrace, "name", traces[0]);
    cJSON_AddStringToObject(jtrace, "format", fmt);
    cJSON_AddNumberToObject(jtrace, "records", (double)st.records);
    cJSON *core = cJSON_CreateObject();
    cJSON_AddItemToArray(cJSON_AddArrayToObject(root, "cores"), core);
    cJSON_AddNumberToObject(core, "core", 0);
    cJSON *caches = cJSON_AddObjectToObject(core, "caches");
    cJSON *shared = cJSON_AddObjectToObject(root, "shared");
    if (st.out)
        fprintf(st.out, "cohsim --compat %s: %s (%s, %llu records)\n\n", mode, traces[0], fmt,
                (unsigned long long)st.records);
    if (dinero)
        report_dinero(&st, caches);
    else
        report_cachegrind(&st, root, caches, shared);
    status = EXIT_DONE;
    if (csv_path && report_write_csv(csv_path, root) != 0)
        status = EXIT_USAGE;
    if (json_path && status == EXIT_DONE) {
        char *text = cJSON_Print(root);
        if (!text) {
            cli_error("%s: out of memory", json_path);
            status = EXIT_USAGE;
        } else {
            size_t len = strlen(text);
            text[len] = '\n';
            if (outfile_write(json_path, text, len + 1) != 0)
                status = EXIT_USAGE;
            free(text);
        }
    }
    if (st.interrupted && status == EXIT_DONE)
        status = interrupt_exit_status(st.interrupted);
out:
    cJSON_Delete(root);
    dinero_destroy(st.dinero);
    cachegrind_destroy(st.cg);
    trace_close(st.trace);
    return status;
}
