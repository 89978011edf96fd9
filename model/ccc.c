/* ccc.c: the 3C classifier (see ccc.h).
 *
 * The shadow: nodes[0..used) in a doubly linked recency list (head most recent, tail the victim)
 * and a chained hash from line number to node; nodes[used..lines) are not in use yet. The
 * referenced lines: an open-addressing set of line numbers + 1 (0 marks an empty slot), at most
 * half full.
 */
#include "ccc.h"

#include <stdlib.h>
#include <string.h>

#define CCC_NIL UINT32_MAX

typedef struct ccc_node {
    uint64_t key;
    uint32_t prev, next, chain;
} ccc_node_t;

struct ccc {
    ccc_node_t *nodes;
    uint32_t lines, used, head, tail;
    uint32_t *buckets;
    uint32_t bucket_mask;
    uint64_t *seen;
    uint64_t seen_mask, seen_count;
    ccc_stats_t stats;
    bool failed;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

ccc_t *ccc_create(uint64_t lines)
{
    if (lines == 0 || lines >= CCC_NIL)
        return NULL;
    ccc_t *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    uint64_t nb = 1;
    while (nb < 2 * lines)
        nb <<= 1;
    k->lines = (uint32_t)lines;
    k->nodes = malloc(lines * sizeof *k->nodes);
    k->buckets = malloc(nb * sizeof *k->buckets);
    k->bucket_mask = (uint32_t)(nb - 1);
    k->seen_mask = 1023;
    k->seen = calloc(k->seen_mask + 1, sizeof *k->seen);
    if (!k->nodes || !k->buckets || !k->seen) {
        ccc_destroy(k);
        return NULL;
    }
    memset(k->buckets, 0xff, nb * sizeof *k->buckets);
    k->head = k->tail = CCC_NIL;
    return k;
}

void ccc_destroy(ccc_t *k)
{
    if (!k)
        return;
    free(k->nodes);
    free(k->buckets);
    free(k->seen);
    free(k);
}

/* Insert key into the referenced set; 1 when it was new, 0 when seen before, -1 no memory. */
static int seen_insert(ccc_t *k, uint64_t lineno)
{
    if (2 * (k->seen_count + 1) > k->seen_mask + 1) {
        uint64_t nmask = 2 * k->seen_mask + 1;
        uint64_t *n = calloc(nmask + 1, sizeof *n);
        if (!n)
            return -1;
        for (uint64_t i = 0; i <= k->seen_mask; i++)
            if (k->seen[i]) {
                uint64_t j = mix(k->seen[i]) & nmask;
                while (n[j])
                    j = (j + 1) & nmask;
                n[j] = k->seen[i];
            }
        free(k->seen);
        k->seen = n;
        k->seen_mask = nmask;
    }
    uint64_t v = lineno + 1, j = mix(v) & k->seen_mask;
    while (k->seen[j]) {
        if (k->seen[j] == v)
            return 0;
        j = (j + 1) & k->seen_mask;
    }
    k->seen[j] = v;
    k->seen_count++;
    return 1;
}

static uint32_t shadow_find(const ccc_t *k, uint64_t lineno)
{
    for (uint32_t n = k->buckets[mix(lineno) & k->bucket_mask]; n != CCC_NIL; n = k->nodes[n].chain)
        if (k->nodes[n].key == lineno)
            return n;
    return CCC_NIL;
}

static void list_unlink(ccc_t *k, uint32_t n)
{
    ccc_node_t *x = &k->nodes[n];
    if (x->prev != CCC_NIL)
        k->nodes[x->prev].next = x->next;
    else
        k->head = x->next;
    if (x->next != CCC_NIL)
        k->nodes[x->next].prev = x->prev;
    else
        k->tail = x->prev;
}

static void list_push_front(ccc_t *k, uint32_t n)
{
    k->nodes[n].prev = CCC_NIL;
    k->nodes[n].next = k->head;
    if (k->head != CCC_NIL)
        k->nodes[k->head].prev = n;
    k->head = n;
    if (k->tail == CCC_NIL)
        k->tail = n;
}

static void hash_remove(ccc_t *k, uint32_t n)
{
    uint32_t *p = &k->buckets[mix(k->nodes[n].key) & k->bucket_mask];
    while (*p != n)
        p = &k->nodes[*p].chain;
    *p = k->nodes[n].chain;
}

/* Bring lineno to the front of the shadow, evicting its least recent line when full. */
static void shadow_insert(ccc_t *k, uint64_t lineno)
{
    uint32_t n;
    if (k->used < k->lines) {
        n = k->used++;
    } else {
        n = k->tail;
        list_unlink(k, n);
        hash_remove(k, n);
    }
    k->nodes[n].key = lineno;
    uint32_t *b = &k->buckets[mix(lineno) & k->bucket_mask];
    k->nodes[n].chain = *b;
    *b = n;
    list_push_front(k, n);
}

void ccc_reference(ccc_t *k, uint64_t lineno, access_kind_t kind, bool miss, bool allocate)
{
    uint32_t n = shadow_find(k, lineno);
    bool shadow_miss = n == CCC_NIL;
    if (!shadow_miss) {
        list_unlink(k, n);
        list_push_front(k, n);
    } else if (allocate) {
        shadow_insert(k, lineno);
    }
    int fresh = seen_insert(k, lineno);
    if (fresh < 0) {
        k->failed = true;
        return;
    }
    if (!miss)
        return;
    if (!shadow_miss)
        k->stats.conflict[kind]++;
    else if (fresh)
        k->stats.compulsory[kind]++;
    else
        k->stats.capacity[kind]++;
}

bool ccc_failed(const ccc_t *k) { return k->failed; }

const ccc_stats_t *ccc_stats(const ccc_t *k) { return &k->stats; }
void ccc_reset_stats(ccc_t *k) { memset(&k->stats, 0, sizeof k->stats); }
