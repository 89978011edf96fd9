/* host_json.c: a host's measurements as a JSON file: written by `cohsim host --json`, read back
 * by `cohsim compare --host-results`, so that a comparison can use a stored measurement, and the
 * tests a hand-made one, instead of timing the machine they run on.
 *
 * Representation: one object {"command": "host", "cohsim_host_results": 1, "host": {...},
 * "staircase": [...],
 * "primitives": [...]}; a time is {median_ns, min_ns, max_ns, q1_ns, q3_ns, samples}, the
 * fields host.h's structs hold, under the names `cohsim compare --json` uses. Invariant: what
 * host_results_json writes, host_results_load reads back into the same structs; the loader
 * checks every field it takes and names the file and the place of the first one that is wrong.
 */
#define _GNU_SOURCE
#include "sim/host.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#define HJ_VERSION 1
/* What a results file may say, generously beyond any host's: the loader refuses more, so that
 * no reader converts a number its integers cannot hold (cpus, sizes, counts, cycles). */
#define HJ_MAX_CPUS 65536.0
#define HJ_MAX_MHZ 100000.0               /* machine.clock_mhz's range */
#define HJ_MAX_NS 1e12                    /* 1000 s for one operation */
#define HJ_MAX_STAIR_BYTES 1099511627776.0 /* 1 TiB */
#define HJ_MAX_COUNT 9007199254740992.0   /* 2^53: every whole number up to it is exact */

void host_results_describe(host_results_t *r)
{
    snprintf(r->hostname, sizeof r->hostname, "unknown");
    gethostname(r->hostname, sizeof r->hostname - 1);
    struct utsname u;
    snprintf(r->kernel, sizeof r->kernel, "%s", uname(&u) == 0 ? u.release : "unknown");
    r->cpus = host_cpus();
    r->tsc_mhz = host_tsc_mhz();
}

/* ---- writing ------------------------------------------------------------------------------- */

cJSON *host_stat_json(const host_stat_t *s)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "median_ns", s->median);
    cJSON_AddNumberToObject(o, "min_ns", s->min);
    cJSON_AddNumberToObject(o, "max_ns", s->max);
    cJSON_AddNumberToObject(o, "q1_ns", s->q1);
    cJSON_AddNumberToObject(o, "q3_ns", s->q3);
    cJSON_AddNumberToObject(o, "samples", s->n);
    return o;
}

static const char *hj_status_word(int st)
{
    return st == HOST_OK ? "ok" : st == HOST_FAILED ? "failed" : "unavailable";
}

static cJSON *hj_measure(const host_measure_t *m)
{
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "case", m->label);
    if (m->ns.n)
        cJSON_AddItemToObject(c, "time", host_stat_json(&m->ns));
    if (m->count_name[0]) {
        cJSON_AddStringToObject(c, "counted", m->count_name);
        if (m->count >= 0 && !m->count_note[0])
            cJSON_AddNumberToObject(c, "count", m->count);
        if (m->expected >= 0)
            cJSON_AddNumberToObject(c, "expected", m->expected);
    }
    if (m->count_note[0])
        cJSON_AddStringToObject(c, "count_note", m->count_note);
    if (m->model_only)
        cJSON_AddBoolToObject(c, "model_only", true);
    if (m->before >= 0) {
        cJSON_AddNumberToObject(c, "resident_before", m->before);
        cJSON_AddNumberToObject(c, "resident_after", m->after);
    }
    if (m->bytes >= 0)
        cJSON_AddNumberToObject(c, "bytes", m->bytes);
    return c;
}

char *host_results_json(const host_results_t *r)
{
    cJSON *root = cJSON_CreateObject();
    if (!root)
        return NULL;
    cJSON_AddStringToObject(root, "command", "host");
    cJSON_AddNumberToObject(root, "cohsim_host_results", HJ_VERSION);
    cJSON *h = cJSON_AddObjectToObject(root, "host");
    cJSON_AddStringToObject(h, "name", r->hostname);
    cJSON_AddStringToObject(h, "kernel", r->kernel);
    cJSON_AddNumberToObject(h, "cpus", r->cpus);
    cJSON_AddNumberToObject(h, "tsc_mhz", r->tsc_mhz);
    if (r->has_stair) {
        cJSON *st = cJSON_AddArrayToObject(root, "staircase");
        for (unsigned i = 0; i < r->nstair; i++) {
            cJSON *o = cJSON_CreateObject();
            cJSON_AddNumberToObject(o, "bytes", (double)r->stair[i].bytes);
            cJSON_AddItemToObject(o, "time", host_stat_json(&r->stair[i].ns));
            cJSON_AddItemToArray(st, o);
        }
    }
    if (r->has_prims) {
        cJSON *pa = cJSON_AddArrayToObject(root, "primitives");
        for (unsigned i = 0; i < HOST_NPRIMS; i++) {
            const host_prim_t *p = &r->prims[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddStringToObject(o, "name", host_prim_name(i));
            cJSON_AddStringToObject(o, "equivalent", p->equivalent);
            cJSON_AddStringToObject(o, "status", hj_status_word(p->status));
            cJSON_AddStringToObject(o, "note", p->note);
            cJSON *cases = cJSON_AddArrayToObject(o, "cases");
            for (unsigned j = 0; j < p->nm; j++)
                cJSON_AddItemToArray(cases, hj_measure(&p->m[j]));
            cJSON_AddItemToArray(pa, o);
        }
    }
    char *text = cJSON_Print(root);
    cJSON_Delete(root);
    return text;
}

/* ---- reading ------------------------------------------------------------------------------- */

/* The loader's state: the file, where in it, and the first error. */
typedef struct hj_reader {
    const char *path;
    char *err;
    size_t errlen;
    int failed;
} hj_reader_t;

static int hj_fail(hj_reader_t *rd, const char *where, const char *what)
{
    if (!rd->failed)
        snprintf(rd->err, rd->errlen, "%s: %s: expected %s", rd->path, where, what);
    rd->failed = 1;
    return -1;
}

/* A number member of o, from lo to hi: 0, or -1 (an error when required). The bounds keep every
 * value one the readers can convert to their integers and cycles without overflow. */
static int hj_number(hj_reader_t *rd, const cJSON *o, const char *key, const char *where,
                     double lo, double hi, int required, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    char at[256];
    snprintf(at, sizeof at, "%s.%s", where, key);
    if (!v)
        return required ? hj_fail(rd, at, "a number (the member is missing)") : -1;
    if (!cJSON_IsNumber(v) || !(v->valuedouble >= lo && v->valuedouble <= hi)) {
        char what[64];
        snprintf(what, sizeof what, "a number from %g to %g", lo, hi);
        return hj_fail(rd, at, what);
    }
    *out = v->valuedouble;
    return 0;
}

/* A string member of o copied into out (len bytes): 0, or -1 (an error when required). */
static int hj_string(hj_reader_t *rd, const cJSON *o, const char *key, const char *where,
                     int required, char *out, size_t len)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    char at[256];
    snprintf(at, sizeof at, "%s.%s", where, key);
    if (!v)
        return required ? hj_fail(rd, at, "a string (the member is missing)") : -1;
    if (!cJSON_IsString(v))
        return hj_fail(rd, at, "a string");
    if (strlen(v->valuestring) >= len) {
        char what[64];
        snprintf(what, sizeof what, "a string of at most %zu characters", len - 1);
        return hj_fail(rd, at, what);
    }
    snprintf(out, len, "%s", v->valuestring);
    return 0;
}

static int hj_stat(hj_reader_t *rd, const cJSON *o, const char *where, host_stat_t *s)
{
    if (!cJSON_IsObject(o))
        return hj_fail(rd, where, "an object {median_ns, min_ns, max_ns, q1_ns, q3_ns, samples}");
    double n = 0;
    if (hj_number(rd, o, "median_ns", where, 0, HJ_MAX_NS, 1, &s->median) ||
        hj_number(rd, o, "min_ns", where, 0, HJ_MAX_NS, 1, &s->min) ||
        hj_number(rd, o, "max_ns", where, 0, HJ_MAX_NS, 1, &s->max) ||
        hj_number(rd, o, "q1_ns", where, 0, HJ_MAX_NS, 1, &s->q1) ||
        hj_number(rd, o, "q3_ns", where, 0, HJ_MAX_NS, 1, &s->q3) ||
        hj_number(rd, o, "samples", where, 1, HJ_MAX_COUNT, 1, &n))
        return -1;
    if (!(s->min <= s->q1 && s->q1 <= s->median && s->median <= s->q3 && s->q3 <= s->max))
        return hj_fail(rd, where, "min_ns <= q1_ns <= median_ns <= q3_ns <= max_ns");
    s->n = (unsigned)n;
    return 0;
}

static int hj_measure_load(hj_reader_t *rd, const cJSON *c, const char *where, host_measure_t *m)
{
    memset(m, 0, sizeof *m);
    m->count = m->expected = m->before = m->after = m->bytes = -1;
    char at[256];
    if (!cJSON_IsObject(c))
        return hj_fail(rd, where, "an object (a case)");
    if (hj_string(rd, c, "case", where, 1, m->label, sizeof m->label))
        return -1;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "time");
    snprintf(at, sizeof at, "%s.time", where);
    if (t && hj_stat(rd, t, at, &m->ns))
        return -1;
    hj_string(rd, c, "counted", where, 0, m->count_name, sizeof m->count_name);
    hj_string(rd, c, "count_note", where, 0, m->count_note, sizeof m->count_note);
    hj_number(rd, c, "count", where, 0, HJ_MAX_COUNT, 0, &m->count);
    hj_number(rd, c, "expected", where, 0, HJ_MAX_COUNT, 0, &m->expected);
    hj_number(rd, c, "bytes", where, 0, HJ_MAX_COUNT, 0, &m->bytes);
    if (cJSON_GetObjectItemCaseSensitive(c, "resident_before") &&
        (hj_number(rd, c, "resident_before", where, 0, HJ_MAX_COUNT, 1, &m->before) ||
         hj_number(rd, c, "resident_after", where, 0, HJ_MAX_COUNT, 1, &m->after)))
        return -1;
    const cJSON *mo = cJSON_GetObjectItemCaseSensitive(c, "model_only");
    snprintf(at, sizeof at, "%s.model_only", where);
    if (mo && !cJSON_IsBool(mo))
        return hj_fail(rd, at, "true or false");
    m->model_only = cJSON_IsTrue(mo);
    if (rd->failed)
        return -1;
    if (m->model_only && m->count >= 0)
        return hj_fail(rd, where, "no count where model_only is true (user space cannot count it)");
    if (m->count_name[0] && m->count < 0 && !m->count_note[0])
        return hj_fail(rd, where, "a count or a count_note saying why there is none");
    if (!m->count_name[0] && m->count >= 0)
        return hj_fail(rd, where, "'counted' naming what 'count' counts");
    return 0;
}

static int hj_prim(hj_reader_t *rd, const cJSON *o, unsigned i, host_prim_t *p)
{
    char where[64], at[128], status[16];
    snprintf(where, sizeof where, "primitives[%u]", i);
    memset(p, 0, sizeof *p);
    p->name = host_prim_name(i);
    if (!cJSON_IsObject(o))
        return hj_fail(rd, where, "an object (a primitive)");
    char name[64];
    if (hj_string(rd, o, "name", where, 1, name, sizeof name))
        return -1;
    if (strcmp(name, p->name) != 0) {
        char what[96];
        snprintf(what, sizeof what, "\"%s\" (the primitives in the ops table's order)", p->name);
        snprintf(at, sizeof at, "%s.name", where);
        return hj_fail(rd, at, what);
    }
    if (hj_string(rd, o, "equivalent", where, 1, p->equivalent, sizeof p->equivalent) ||
        hj_string(rd, o, "status", where, 1, status, sizeof status) ||
        hj_string(rd, o, "note", where, 1, p->note, sizeof p->note))
        return -1;
    if (strcmp(status, "ok") == 0)
        p->status = HOST_OK;
    else if (strcmp(status, "unavailable") == 0)
        p->status = HOST_UNAVAILABLE;
    else if (strcmp(status, "failed") == 0)
        p->status = HOST_FAILED;
    else {
        snprintf(at, sizeof at, "%s.status", where);
        return hj_fail(rd, at, "\"ok\", \"unavailable\" or \"failed\"");
    }
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(o, "cases");
    snprintf(at, sizeof at, "%s.cases", where);
    if (!cJSON_IsArray(cases) || cJSON_GetArraySize(cases) > HOST_MAX_MEASURES) {
        char what[64];
        snprintf(what, sizeof what, "an array of at most %d cases", HOST_MAX_MEASURES);
        return hj_fail(rd, at, what);
    }
    const cJSON *c;
    cJSON_ArrayForEach(c, cases)
    {
        char cw[160];
        snprintf(cw, sizeof cw, "%s[%u]", at, p->nm);
        if (hj_measure_load(rd, c, cw, &p->m[p->nm]))
            return -1;
        p->nm++;
    }
    return 0;
}

static int hj_root(hj_reader_t *rd, const cJSON *root, host_results_t *r)
{
    double v;
    if (!cJSON_IsObject(root))
        return hj_fail(rd, "the top level", "an object");
    if (hj_number(rd, root, "cohsim_host_results", "(top)", 1, HJ_MAX_COUNT, 1, &v))
        return -1;
    if (v != HJ_VERSION)
        return hj_fail(rd, "(top).cohsim_host_results", "1 (the format's version)");
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(root, "host");
    if (!cJSON_IsObject(h))
        return hj_fail(rd, "host", "an object {name, kernel, cpus, tsc_mhz}");
    if (hj_string(rd, h, "name", "host", 1, r->hostname, sizeof r->hostname) ||
        hj_string(rd, h, "kernel", "host", 1, r->kernel, sizeof r->kernel) ||
        hj_number(rd, h, "cpus", "host", 1, HJ_MAX_CPUS, 1, &v) ||
        hj_number(rd, h, "tsc_mhz", "host", 0, HJ_MAX_MHZ, 1, &r->tsc_mhz))
        return -1;
    r->cpus = (unsigned)v;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(root, "staircase");
    if (st) {
        if (!cJSON_IsArray(st) || cJSON_GetArraySize(st) < 1 ||
            cJSON_GetArraySize(st) > (int)(sizeof r->stair / sizeof r->stair[0]))
            return hj_fail(rd, "staircase", "an array of 1 to 40 points");
        r->has_stair = true;
        const cJSON *pt;
        cJSON_ArrayForEach(pt, st)
        {
            char where[64];
            snprintf(where, sizeof where, "staircase[%u]", r->nstair);
            host_stair_point_t *p = &r->stair[r->nstair];
            if (!cJSON_IsObject(pt))
                return hj_fail(rd, where, "an object {bytes, time}");
            if (hj_number(rd, pt, "bytes", where, 64, HJ_MAX_STAIR_BYTES, 1, &v))
                return -1;
            p->bytes = (uint64_t)v;
            if (p->bytes & (p->bytes - 1) ||
                (r->nstair && p->bytes <= r->stair[r->nstair - 1].bytes))
                return hj_fail(rd, where, "bytes: powers of two in increasing order");
            char at[80];
            snprintf(at, sizeof at, "%s.time", where);
            if (hj_stat(rd, cJSON_GetObjectItemCaseSensitive(pt, "time"), at, &p->ns))
                return -1;
            if (p->ns.median <= 0)
                return hj_fail(rd, at, "a median of more than 0 ns");
            r->nstair++;
        }
    }
    const cJSON *pa = cJSON_GetObjectItemCaseSensitive(root, "primitives");
    if (pa) {
        if (!cJSON_IsArray(pa) || cJSON_GetArraySize(pa) != HOST_NPRIMS)
            return hj_fail(rd, "primitives", "an array of the five primitives");
        r->has_prims = true;
        for (unsigned i = 0; i < HOST_NPRIMS; i++)
            if (hj_prim(rd, cJSON_GetArrayItem(pa, (int)i), i, &r->prims[i]))
                return -1;
    }
    return 0;
}

int host_results_load(const char *path, host_results_t *r, char *err, size_t errlen)
{
    memset(r, 0, sizeof *r);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: cannot read: %s", path, strerror(errno));
        return -1;
    }
    char *text = NULL;
    size_t len = 0, cap = 0;
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *nt = realloc(text, cap);
            if (!nt) {
                free(text);
                fclose(f);
                snprintf(err, errlen, "%s: out of memory", path);
                return -1;
            }
            text = nt;
        }
        size_t got = fread(text + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
    }
    int rerr = ferror(f);
    fclose(f);
    if (rerr) {
        free(text);
        snprintf(err, errlen, "%s: cannot read", path);
        return -1;
    }
    text[len] = '\0';
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(text, &end, 1);
    if (!root) {
        unsigned line = 1;
        for (const char *p = text; end && p < end; p++)
            line += *p == '\n';
        snprintf(err, errlen, "%s:%u: not valid JSON", path, line);
        free(text);
        return -1;
    }
    free(text);
    hj_reader_t rd = {path, err, errlen, 0};
    int rc = hj_root(&rd, root, r);
    cJSON_Delete(root);
    return rc;
}
