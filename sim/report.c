/* report.c: statistics of a machine, printed as tables and built as JSON (cJSON). */
#include "sim/report.h"

#include <stdlib.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/config.h"
#include "sim/outfile.h"

static const char *plural(uint64_t n) { return n == 1 ? "" : "s"; }

static uint64_t total(const uint64_t *v)
{
    uint64_t t = 0;
    for (int k = 0; k < ACCESS_KINDS; k++)
        t += v[k];
    return t;
}

static void print_cache(FILE *out, const char *name, const cache_t *c)
{
    if (!c)
        return;
    const cache_stats_t *s = cache_stats_const(c);
    uint64_t acc = total(s->accesses), miss = total(s->misses);
    fprintf(out, "  %-9s %10llu %10llu %10llu %10llu  %9llu %9llu %9llu  %6.2f%%  %9llu\n", name,
            (unsigned long long)s->accesses[ACCESS_READ], (unsigned long long)s->accesses[ACCESS_WRITE],
            (unsigned long long)s->accesses[ACCESS_IFETCH], (unsigned long long)acc,
            (unsigned long long)s->misses[ACCESS_READ], (unsigned long long)s->misses[ACCESS_WRITE],
            (unsigned long long)s->misses[ACCESS_IFETCH], acc ? 100.0 * (double)miss / (double)acc : 0.0,
            (unsigned long long)s->writebacks);
}

void report_print(FILE *out, const machine_t *m)
{
    const machine_config_t *cfg = machine_config(m);
    fprintf(out, "cycles %llu\n\n", (unsigned long long)machine_cycles(m));
    fprintf(out, "  %-5s %12s %10s %10s %8s %8s %8s %10s |", "core", "cycles", "load", "store",
            "ifetch", "rmw", "fence", "stall");
#define SB_HEADING(field, key, heading, width) fprintf(out, " %*s", width, heading);
    SB_STAT_ROWS(SB_HEADING)
#undef SB_HEADING
    fputc('\n', out);
    for (unsigned i = 0; i < cfg->cores; i++) {
        const core_stats_t *cs = machine_core_stats(m, i);
        const sb_stats_t *sb = machine_sb_stats(m, i);
        fprintf(out, "  %-5u %12llu %10llu %10llu %8llu %8llu %8llu %10llu |", i,
                (unsigned long long)machine_core_cycles(m, i),
                (unsigned long long)cs->ops[OP_LOAD], (unsigned long long)cs->ops[OP_STORE],
                (unsigned long long)cs->ops[OP_IFETCH], (unsigned long long)cs->ops[OP_RMW],
                (unsigned long long)cs->ops[OP_FENCE], (unsigned long long)cs->stall_cycles);
#define SB_CELL(field, key, heading, width) fprintf(out, " %*llu", width, (unsigned long long)sb->field);
        SB_STAT_ROWS(SB_CELL)
#undef SB_CELL
        fputc('\n', out);
    }
    fprintf(out, "\n  %-9s %10s %10s %10s %10s  %9s %9s %9s  %7s  %9s\n", "cache", "reads",
            "writes", "ifetches", "accesses", "rd.miss", "wr.miss", "if.miss", "miss", "writebacks");
    for (unsigned i = 0; i < cfg->cores; i++) {
        char name[32];
        snprintf(name, sizeof name, "%u.%s", i, cfg->l1.size ? "l1" : "l1d");
        print_cache(out, name, machine_l1d(m, i));
        snprintf(name, sizeof name, "%u.l1i", i);
        print_cache(out, name, machine_l1i(m, i));
        snprintf(name, sizeof name, "%u.l2", i);
        print_cache(out, name, machine_l2(m, i));
    }
    print_cache(out, "llc", machine_llc(m));
    /* One core has no coherence to speak of: its write-backs are in the cache table. */
    if (cfg->cores == 1)
        return;
    const coherence_stats_t *co = machine_coherence_stats(m);
    fputs("\n  coherence:", out);
    const char *sep = "";
#define COHERENCE_COUNT(field, key, word)                                                       \
    fprintf(out, "%s %llu %s%s", sep, (unsigned long long)co->field, word, plural(co->field)); \
    sep = ",";
    COHERENCE_STAT_ROWS(COHERENCE_COUNT)
#undef COHERENCE_COUNT
    fputc('\n', out);
}

static cJSON *kinds_json(const uint64_t *v)
{
    cJSON *o = cJSON_CreateObject();
    for (int k = 0; k < ACCESS_KINDS; k++)
        cJSON_AddNumberToObject(o, cache_access_kind_name((access_kind_t)k), (double)v[k]);
    cJSON_AddNumberToObject(o, "total", (double)total(v));
    return o;
}

static void add_cache(cJSON *parent, const char *name, const cache_t *c)
{
    if (!c)
        return;
    const cache_stats_t *s = cache_stats_const(c);
    cJSON *o = cJSON_AddObjectToObject(parent, name);
    cJSON_AddItemToObject(o, "accesses", kinds_json(s->accesses));
    cJSON_AddItemToObject(o, "misses", kinds_json(s->misses));
    cJSON_AddNumberToObject(o, "writebacks", (double)s->writebacks);
    uint64_t acc = total(s->accesses);
    cJSON_AddNumberToObject(o, "miss_rate", acc ? (double)total(s->misses) / (double)acc : 0.0);
}

cJSON *report_doc(const char *command, const machine_opts_t *mo)
{
    cJSON *doc = cJSON_CreateObject();
    cJSON *config = config_to_json(mo->config);
    if (!doc || !config || !cJSON_AddStringToObject(doc, "command", command) ||
        !cJSON_AddItemToObject(doc, "preset", mo->preset ? cJSON_CreateString(mo->preset)
                                                         : cJSON_CreateNull())) {
        cJSON_Delete(doc);
        cJSON_Delete(config);
        return NULL;
    }
    cJSON_AddItemToObject(doc, "config", config);
    return doc;
}

int report_json(cJSON *doc, const machine_t *m)
{
    const machine_config_t *cfg = machine_config(m);
    cJSON_AddNumberToObject(doc, "cycles", (double)machine_cycles(m));
    cJSON *cores = cJSON_AddArrayToObject(doc, "cores");
    for (unsigned i = 0; i < cfg->cores; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddItemToArray(cores, c);
        cJSON_AddNumberToObject(c, "core", i);
        cJSON_AddNumberToObject(c, "cycles", (double)machine_core_cycles(m, i));
        const core_stats_t *cs = machine_core_stats(m, i);
        cJSON *ops = cJSON_AddObjectToObject(c, "ops");
        for (int op = 0; op < OP_COUNT; op++)
            if (op_class((op_t)op) == OPC_MEM || op_class((op_t)op) == OPC_SYNC || cs->ops[op])
                cJSON_AddNumberToObject(ops, op_name((op_t)op), (double)cs->ops[op]);
        cJSON_AddNumberToObject(c, "stall_cycles", (double)cs->stall_cycles);
        cJSON *caches = cJSON_AddObjectToObject(c, "caches");
        add_cache(caches, cfg->l1.size ? "l1" : "l1d", machine_l1d(m, i));
        add_cache(caches, "l1i", machine_l1i(m, i));
        add_cache(caches, "l2", machine_l2(m, i));
        const sb_stats_t *sb = machine_sb_stats(m, i);
        cJSON *o = cJSON_AddObjectToObject(c, "storebuf");
#define SB_JSON(field, key, heading, width) cJSON_AddNumberToObject(o, key, (double)sb->field);
        SB_STAT_ROWS(SB_JSON)
#undef SB_JSON
    }
    cJSON *shared = cJSON_AddObjectToObject(doc, "shared");
    add_cache(shared, "llc", machine_llc(m));
    const coherence_stats_t *co = machine_coherence_stats(m);
    cJSON *coh = cJSON_AddObjectToObject(doc, "coherence");
#define COHERENCE_JSON(field, key, word) cJSON_AddNumberToObject(coh, key, (double)co->field);
    COHERENCE_STAT_ROWS(COHERENCE_JSON)
#undef COHERENCE_JSON
    return cores && shared && coh ? 0 : -1;
}

/* ---- CSV ------------------------------------------------------------------------------------ */

static double kind_count(const cJSON *cache, const char *what, const char *kind)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(cache, what), kind);
    return cJSON_IsNumber(v) ? v->valuedouble : 0.0;
}

static void csv_caches(FILE *out, const cJSON *caches, const char *core, int ccc)
{
    static const char *const kinds[] = {"read", "write", "ifetch", "misc", "total"};
    const cJSON *c;
    cJSON_ArrayForEach(c, caches)
    {
        fprintf(out, "%s,%s", c->string, core);
        for (int what = 0; what < 2; what++)
            for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
                fprintf(out, ",%.0f", kind_count(c, what ? "misses" : "accesses", kinds[k]));
        const cJSON *rate = cJSON_GetObjectItemCaseSensitive(c, "miss_rate");
        const cJSON *wb = cJSON_GetObjectItemCaseSensitive(c, "writebacks");
        fprintf(out, ",%.6f,%.0f", cJSON_IsNumber(rate) ? rate->valuedouble : 0.0,
                cJSON_IsNumber(wb) ? wb->valuedouble : 0.0);
        if (ccc) {
            const cJSON *o = cJSON_GetObjectItemCaseSensitive(c, "ccc");
            fprintf(out, ",%.0f,%.0f,%.0f", kind_count(o, "compulsory", "total"),
                    kind_count(o, "capacity", "total"), kind_count(o, "conflict", "total"));
        }
        fputc('\n', out);
    }
}

int report_write_csv(const char *path, const cJSON *doc)
{
    const cJSON *cores = cJSON_GetObjectItemCaseSensitive(doc, "cores");
    const cJSON *shared = cJSON_GetObjectItemCaseSensitive(doc, "shared");
    /* --3c classified every cache or none: the first one says which */
    const cJSON *first = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(cores, 0), "caches");
    int ccc = first && first->child && cJSON_GetObjectItemCaseSensitive(first->child, "ccc");
    outfile_text_t t;
    if (outfile_text_open(&t) != 0)
        return -1;
    FILE *out = t.f;
    fputs("cache,core,reads,writes,ifetches,misc,accesses,read_misses,write_misses,ifetch_misses,"
          "misc_misses,misses,miss_rate,writebacks",
          out);
    fputs(ccc ? ",compulsory,capacity,conflict\n" : "\n", out);
    const cJSON *core;
    cJSON_ArrayForEach(core, cores)
    {
        char n[24];
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(core, "core");
        snprintf(n, sizeof n, "%.0f", cJSON_IsNumber(id) ? id->valuedouble : 0.0);
        csv_caches(out, cJSON_GetObjectItemCaseSensitive(core, "caches"), n, ccc);
    }
    csv_caches(out, shared, "", ccc);
    return outfile_text_commit(&t, path);
}

int report_write_json(const char *path, cJSON *doc)
{
    char *text = cJSON_Print(doc);
    if (!text) {
        cli_error("%s: out of memory serialising JSON", path);
        return -1;
    }
    size_t len = strlen(text);
    char *withnl = realloc(text, len + 2);
    if (!withnl) {
        free(text);
        cli_error("%s: out of memory", path);
        return -1;
    }
    withnl[len] = '\n';
    withnl[len + 1] = '\0';
    int rc = outfile_write(path, withnl, len + 1);
    free(withnl);
    return rc;
}
