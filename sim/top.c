/* top.c: --top N (see top.h).
 *
 * Two counting maps (open addressing, key + 1 so that 0 marks an empty slot, at most half full):
 * program counter -> misses and line -> misses; per core, the first-level misses seen so far and
 * the current program counter (0 until the core fetches an instruction).
 */
#include "sim/top.h"

#include <stdlib.h>
#include <string.h>

#include "sim/hash.h"

typedef struct top_map {
    uint64_t *key, *count;
    uint64_t cap, n;
} top_map_t;

struct top {
    const machine_t *m;
    uint64_t line;
    top_map_t pcs, lines;
    uint64_t seen[MACHINE_MAX_CORES];
    uint64_t pc[MACHINE_MAX_CORES];
};

static int map_add(top_map_t *m, uint64_t key, uint64_t by)
{
    if (2 * (m->n + 1) > m->cap) {
        uint64_t cap = m->cap ? 2 * m->cap : 1024;
        uint64_t *k = calloc(cap, sizeof *k), *c = calloc(cap, sizeof *c);
        if (!k || !c) {
            free(k);
            free(c);
            return -1;
        }
        for (uint64_t i = 0; i < m->cap; i++)
            if (m->key[i]) {
                uint64_t j = sim_hash(m->key[i]) & (cap - 1);
                while (k[j])
                    j = (j + 1) & (cap - 1);
                k[j] = m->key[i];
                c[j] = m->count[i];
            }
        free(m->key);
        free(m->count);
        m->key = k;
        m->count = c;
        m->cap = cap;
    }
    uint64_t v = key + 1, j = sim_hash(v) & (m->cap - 1);
    while (m->key[j] && m->key[j] != v)
        j = (j + 1) & (m->cap - 1);
    if (!m->key[j]) {
        m->key[j] = v;
        m->n++;
    }
    m->count[j] += by;
    return 0;
}

/* First-level misses of core cpu so far. */
static uint64_t l1_misses(const machine_t *m, unsigned cpu)
{
    uint64_t n = 0;
    const cache_t *c[2] = {machine_l1d(m, cpu), machine_l1i(m, cpu)};
    for (int i = 0; i < 2; i++)
        for (int k = 0; c[i] && k < ACCESS_KINDS; k++)
            n += cache_stats_const(c[i])->misses[k];
    return n;
}

top_t *top_create(const machine_t *m, uint64_t line)
{
    top_t *t = calloc(1, sizeof *t);
    if (t) {
        t->m = m;
        t->line = line;
    }
    return t;
}

void top_destroy(top_t *t)
{
    if (!t)
        return;
    free(t->pcs.key);
    free(t->pcs.count);
    free(t->lines.key);
    free(t->lines.count);
    free(t);
}

int top_request(top_t *t, unsigned cpu, const mem_req_t *req)
{
    if (req->op == OP_IFETCH)
        t->pc[cpu] = req->addr;
    uint64_t now = l1_misses(t->m, cpu);
    /* below a statistics reset the count restarts: take it from there */
    uint64_t delta = now >= t->seen[cpu] ? now - t->seen[cpu] : now;
    t->seen[cpu] = now;
    if (!delta || op_class((op_t)req->op) != OPC_MEM)
        return 0;
    if (map_add(&t->pcs, t->pc[cpu], delta) != 0 ||
        map_add(&t->lines, req->addr / t->line * t->line, delta) != 0)
        return -1;
    return 0;
}

void top_reset(top_t *t)
{
    memset(t->seen, 0, sizeof t->seen);
    top_map_t *maps[2] = {&t->pcs, &t->lines};
    for (int i = 0; i < 2; i++) {
        free(maps[i]->key);
        free(maps[i]->count);
        memset(maps[i], 0, sizeof *maps[i]);
    }
}

/* The n largest entries of m, most misses first (ties: the lower key), into idx; how many. */
static unsigned top_n(const top_map_t *m, unsigned n, uint64_t *idx)
{
    unsigned k = 0;
    for (uint64_t i = 0; i < m->cap; i++) {
        if (!m->key[i])
            continue;
        unsigned at = k;
        while (at > 0 && (m->count[idx[at - 1]] < m->count[i] ||
                          (m->count[idx[at - 1]] == m->count[i] && m->key[idx[at - 1]] > m->key[i])))
            at--;
        if (at >= n)
            continue;
        unsigned last = k < n ? k : n - 1;
        memmove(idx + at + 1, idx + at, (last - at) * sizeof *idx);
        idx[at] = i;
        if (k < n)
            k++;
    }
    return k;
}

static void print_map(FILE *out, const top_map_t *m, unsigned n, const char *what)
{
    uint64_t *idx = calloc(n ? n : 1, sizeof *idx);
    if (!idx)
        return;
    unsigned k = top_n(m, n, idx);
    fprintf(out, "  %-20s %12s\n", what, "L1 misses");
    for (unsigned i = 0; i < k; i++)
        fprintf(out, "  %#-20llx %12llu\n", (unsigned long long)(m->key[idx[i]] - 1),
                (unsigned long long)m->count[idx[i]]);
    free(idx);
}

void top_print(FILE *out, const top_t *t, unsigned n)
{
    fprintf(out, "\n  top %u program counters by first-level misses (0: before any ifetch)\n", n);
    print_map(out, &t->pcs, n, "pc");
    fprintf(out, "\n  top %u lines by first-level misses\n", n);
    print_map(out, &t->lines, n, "line");
}

static cJSON *map_json(const top_map_t *m, unsigned n, const char *key)
{
    cJSON *a = cJSON_CreateArray();
    uint64_t *idx = calloc(n ? n : 1, sizeof *idx);
    if (!a || !idx) {
        cJSON_Delete(a);
        free(idx);
        return NULL;
    }
    unsigned k = top_n(m, n, idx);
    for (unsigned i = 0; i < k; i++) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(a, o);
        cJSON_AddNumberToObject(o, key, (double)(m->key[idx[i]] - 1));
        cJSON_AddNumberToObject(o, "misses", (double)m->count[idx[i]]);
    }
    free(idx);
    return a;
}

cJSON *top_json(const top_t *t, unsigned n)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *p = map_json(&t->pcs, n, "pc"), *l = map_json(&t->lines, n, "line");
    if (!o || !p || !l) {
        cJSON_Delete(o);
        cJSON_Delete(p);
        cJSON_Delete(l);
        return NULL;
    }
    cJSON_AddItemToObject(o, "pcs", p);
    cJSON_AddItemToObject(o, "lines", l);
    return o;
}
