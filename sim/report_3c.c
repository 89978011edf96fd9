/* report_3c.c: --3c's table and JSON (see report_3c.h). */
#include "sim/report_3c.h"

void report_3c_header(FILE *out)
{
    fprintf(out, "\n  %-9s %-7s %11s %11s %11s\n", "3C misses", "kind", "compulsory", "capacity",
            "conflict");
}

void report_3c_rows(FILE *out, const char *name, const ccc_stats_t *s)
{
    for (int k = 0; k < ACCESS_KINDS; k++)
        if (s->compulsory[k] || s->capacity[k] || s->conflict[k])
            fprintf(out, "  %-9s %-7s %11llu %11llu %11llu\n", name,
                    cache_access_kind_name((access_kind_t)k),
                    (unsigned long long)s->compulsory[k], (unsigned long long)s->capacity[k],
                    (unsigned long long)s->conflict[k]);
}

/* Every cache of m with its table name and its JSON place: core (-1 for the shared level) and
 * key. */
typedef void (*each_cache_fn)(void *ctx, const cache_t *c, int core, const char *key);

static void each_cache(const machine_t *m, each_cache_fn fn, void *ctx)
{
    const machine_config_t *cfg = machine_config(m);
    for (unsigned i = 0; i < cfg->cores; i++) {
        if (machine_l1d(m, i))
            fn(ctx, machine_l1d(m, i), (int)i, cfg->l1.size ? "l1" : "l1d");
        if (machine_l1i(m, i))
            fn(ctx, machine_l1i(m, i), (int)i, "l1i");
        if (machine_l2(m, i))
            fn(ctx, machine_l2(m, i), (int)i, "l2");
    }
    if (machine_llc(m))
        fn(ctx, machine_llc(m), -1, "llc");
}

static void print_one(void *ctx, const cache_t *c, int core, const char *key)
{
    char name[32];
    if (core >= 0)
        snprintf(name, sizeof name, "%d.%s", core, key);
    else
        snprintf(name, sizeof name, "%s", key);
    if (cache_3c(c))
        report_3c_rows(ctx, name, cache_3c(c));
}

void report_3c_print(FILE *out, const machine_t *m)
{
    report_3c_header(out);
    each_cache(m, print_one, out);
}

static cJSON *kinds(const uint64_t *v)
{
    cJSON *o = cJSON_CreateObject();
    uint64_t total = 0;
    for (int k = 0; o && k < ACCESS_KINDS; k++) {
        cJSON_AddNumberToObject(o, cache_access_kind_name((access_kind_t)k), (double)v[k]);
        total += v[k];
    }
    if (o)
        cJSON_AddNumberToObject(o, "total", (double)total);
    return o;
}

cJSON *report_3c_object(const ccc_stats_t *s)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "compulsory", kinds(s->compulsory));
    cJSON_AddItemToObject(o, "capacity", kinds(s->capacity));
    cJSON_AddItemToObject(o, "conflict", kinds(s->conflict));
    return o;
}

typedef struct json_ctx {
    cJSON *doc;
    int failed;
} json_ctx_t;

static void json_one(void *opaque, const cache_t *c, int core, const char *key)
{
    json_ctx_t *j = opaque;
    cJSON *holder = core >= 0 ? cJSON_GetObjectItem(
                                    cJSON_GetArrayItem(cJSON_GetObjectItem(j->doc, "cores"), core),
                                    "caches")
                              : cJSON_GetObjectItem(j->doc, "shared");
    cJSON *obj = cJSON_GetObjectItem(holder, key);
    cJSON *ccc = cache_3c(c) ? report_3c_object(cache_3c(c)) : NULL;
    if (!obj || !ccc || !cJSON_AddItemToObject(obj, "ccc", ccc)) {
        cJSON_Delete(ccc);
        j->failed = 1;
    }
}

int report_3c_json(cJSON *doc, const machine_t *m)
{
    json_ctx_t j = {doc, 0};
    each_cache(m, json_one, &j);
    return j.failed ? -1 : 0;
}

static void failed_one(void *ctx, const cache_t *c, int core, const char *key)
{
    (void)core, (void)key;
    if (cache_3c_failed(c))
        *(int *)ctx = 1;
}

bool report_3c_failed(const machine_t *m)
{
    int failed = 0;
    each_cache(m, failed_one, &failed);
    return failed;
}
