/* tracegen.c: the deterministic inputs of `make bench`: large traces made by expanding the
 * reference traces with address offsets, and a synthetic multicore workload with sharing.
 *
 *   tracegen din    IN N OUT   N din records: IN (din text) repeated, copy k at offset k
 *   tracegen dinbin IN N OUT   the same N records as a cohsim binary trace (what the din reader
 *                              yields: the address rounded down to 4, 4 bytes)
 *   tracegen lackey IN N OUT   N Lackey lines: IN (Lackey text) repeated, copy k at offset k
 *   tracegen shared N PREFIX [CORES]
 *                              CORES (default 4, at most 64) per-core binary traces PREFIX0.bin
 *                              .. PREFIX<CORES-1>.bin of N records each (the workload below),
 *                              seeded by the core number
 *
 * Offsets: copy k of a reference trace adds (k mod 16) << 36 to every address, so consecutive
 * copies touch disjoint lines (each copy starts cold, as a new process would) and the address
 * stream never repeats a copy before sixteen copies have gone by. Records of other kinds (din
 * labels 4 and 5, Lackey's ==PID== lines) are dropped.
 *
 * The shared workload, per core, one draw of a splitmix64 generator per decision:
 *   50% ifetch, 4 bytes, sequential in a 48 KiB code region all cores share, jumping to a random
 *       instruction with probability 1/16;
 *   35% private data, 8 bytes: half in a 4 KiB stack, half a walk through a 512 KiB heap (next
 *       8 bytes, or a random place with probability 1/32); 70% loads, 30% stores;
 *   14% shared data, 8 bytes: 1 MiB read-mostly (90% loads), or (one in four) 4 KiB of hot
 *       counters written half the time, which moves lines between cores;
 *    1% synchronisation: rmw (add) on a hot counter, or one in four a fence.
 * Stores carry values (the record number), as cohsim traces do.
 * Each file opens with what it represents; everything here is one process' locals.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/op.h"
#include "traces/binary.h"

typedef struct out {
    FILE *f;
    const char *path;
} out_t;

static void die(const char *what, const char *path)
{
    fprintf(stderr, "tracegen: %s: %s%s%s\n", path, what, errno ? ": " : "",
            errno ? strerror(errno) : "");
    exit(2);
}

static uint64_t offset_of(uint64_t copy) { return (copy % 16) << 36; }

/* The whole of a (small) reference file, NUL-terminated. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open", path);
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, (cap *= 2) + 1);
    }
    if (!buf || ferror(f))
        die("cannot read", path);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static void write_header(out_t *o)
{
    uint8_t h[BINARY_HEADER_SIZE] = {0};
    memcpy(h, BINARY_MAGIC, 8);
    binary_put16(h + 8, BINARY_VERSION);
    binary_put16(h + 10, BINARY_RECORD_SIZE);
    if (fwrite(h, sizeof h, 1, o->f) != 1)
        die("write error", o->path);
}

static void write_record(out_t *o, op_t op, uint8_t flags, uint32_t size, uint64_t addr,
                         uint64_t value)
{
    uint8_t b[BINARY_RECORD_SIZE];
    b[0] = (uint8_t)op;
    b[1] = flags;
    binary_put16(b + 2, 0);
    binary_put32(b + 4, size);
    binary_put64(b + 8, addr);
    binary_put64(b + 16, value);
    if (fwrite(b, sizeof b, 1, o->f) != 1)
        die("write error", o->path);
}

/* One din reference of the reference file: label 0-3 and address; 0 when the line is not one. */
static int din_line(const char *p, const char *end, int *label, uint64_t *addr)
{
    if (p >= end || *p < '0' || *p > '3' || p + 1 >= end || p[1] != ' ')
        return 0;
    *label = *p - '0';
    *addr = strtoull(p + 2, NULL, 16);
    return 1;
}

static void gen_din(const char *in, uint64_t n, const char *path, int binary)
{
    size_t len;
    char *text = slurp(in, &len);
    out_t o = {fopen(path, "wb"), path};
    if (!o.f)
        die("cannot create", path);
    if (binary)
        write_header(&o);
    static const op_t ops[4] = {OP_LOAD, OP_STORE, OP_IFETCH, OP_MISC};
    uint64_t done = 0;
    for (uint64_t copy = 0; done < n; copy++) {
        const char *p = text, *end = text + len;
        uint64_t before = done;
        while (p < end && done < n) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                nl = end;
            int label;
            uint64_t addr;
            if (din_line(p, nl, &label, &addr)) {
                addr += offset_of(copy);
                if (binary)
                    write_record(&o, ops[label], 0, 4, addr & ~(uint64_t)3, 0);
                else
                    fprintf(o.f, "%d %llx\n", label, (unsigned long long)addr);
                done++;
            }
            p = nl + 1;
        }
        if (done == before)
            die("no din references", in);
    }
    if (fclose(o.f) != 0)
        die("write error", path);
    free(text);
}

static void gen_lackey(const char *in, uint64_t n, const char *path)
{
    size_t len;
    char *text = slurp(in, &len);
    FILE *f = fopen(path, "wb");
    if (!f)
        die("cannot create", path);
    uint64_t done = 0;
    for (uint64_t copy = 0; done < n; copy++) {
        const char *p = text, *end = text + len;
        uint64_t before = done;
        while (p < end && done < n) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl)
                nl = end;
            /* "I  ADDR,SIZE" or " K ADDR,SIZE" with K one of L S M. */
            if (nl - p > 3 && (p[0] == 'I' || (p[0] == ' ' && strchr("LSM", p[1])))) {
                char *comma;
                uint64_t addr = strtoull(p + 3, &comma, 16) + offset_of(copy);
                unsigned size = (unsigned)strtoul(comma + 1, NULL, 10);
                if (p[0] == 'I')
                    fprintf(f, "I  %08llx,%u\n", (unsigned long long)addr, size);
                else
                    fprintf(f, " %c %08llx,%u\n", p[1], (unsigned long long)addr, size);
                done++;
            }
            p = nl + 1;
        }
        if (done == before)
            die("no Lackey accesses", in);
    }
    if (fclose(f) != 0)
        die("write error", path);
    free(text);
}

/* ---- the synthetic multicore workload ------------------------------------------------------- */

typedef struct gen {
    uint64_t state;
    uint64_t pc, heap;
} gen_t;

static uint64_t next_u64(gen_t *g)
{
    uint64_t z = (g->state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* A uniform draw below n (n small: the modulo bias is negligible and deterministic anyway). */
static uint64_t below(gen_t *g, uint64_t n) { return next_u64(g) % n; }

enum {
    CODE_BASE = 0x400000, CODE_BYTES = 48 << 10,
    SHARED_BASE = 0x10000000, SHARED_BYTES = 1 << 20,
    HOT_BASE = 0x20000000, HOT_BYTES = 4 << 10,
    STACK_BASE = 0x7ff000000000ull, HEAP_BASE = 0x500000000ull,
    STACK_BYTES = 4 << 10, HEAP_BYTES = 512 << 10,
};

static void gen_shared_core(gen_t *g, unsigned core, uint64_t n, out_t *o)
{
    uint64_t stack = STACK_BASE + ((uint64_t)core << 24), heap = HEAP_BASE + ((uint64_t)core << 24);
    for (uint64_t i = 0; i < n; i++) {
        uint64_t r = below(g, 100);
        if (r < 50) {
            if (below(g, 16) == 0)
                g->pc = below(g, CODE_BYTES / 4) * 4;
            write_record(o, OP_IFETCH, 0, 4, CODE_BASE + g->pc, 0);
            g->pc = (g->pc + 4) % CODE_BYTES;
        } else if (r < 85) {
            uint64_t addr;
            if (below(g, 2) == 0) {
                addr = stack + below(g, STACK_BYTES / 8) * 8;
            } else {
                g->heap = below(g, 32) == 0 ? below(g, HEAP_BYTES / 8) * 8 : (g->heap + 8) % HEAP_BYTES;
                addr = heap + g->heap;
            }
            if (below(g, 10) < 7)
                write_record(o, OP_LOAD, 0, 8, addr, 0);
            else
                write_record(o, OP_STORE, REQ_HAS_VALUE, 8, addr, i);
        } else if (r < 99) {
            if (below(g, 4) == 0) {
                uint64_t addr = HOT_BASE + below(g, HOT_BYTES / 8) * 8;
                if (below(g, 2) == 0)
                    write_record(o, OP_LOAD, 0, 8, addr, 0);
                else
                    write_record(o, OP_STORE, REQ_HAS_VALUE, 8, addr, i);
            } else {
                uint64_t addr = SHARED_BASE + below(g, SHARED_BYTES / 8) * 8;
                if (below(g, 10) < 9)
                    write_record(o, OP_LOAD, 0, 8, addr, 0);
                else
                    write_record(o, OP_STORE, REQ_HAS_VALUE, 8, addr, i);
            }
        } else if (below(g, 4) == 0) {
            write_record(o, OP_FENCE, 0, 0, 0, 0);
        } else {
            write_record(o, OP_RMW, REQ_HAS_VALUE, 8, HOT_BASE + below(g, HOT_BYTES / 8) * 8, 1);
        }
    }
}

static void gen_shared(uint64_t n, const char *prefix, unsigned cores)
{
    for (unsigned core = 0; core < cores; core++) {
        char path[4096];
        snprintf(path, sizeof path, "%s%u.bin", prefix, core);
        out_t o = {fopen(path, "wb"), path};
        if (!o.f)
            die("cannot create", path);
        gen_t g = {.state = 0x636f6873696dull + core};
        write_header(&o);
        gen_shared_core(&g, core, n, &o);
        if (fclose(o.f) != 0)
            die("write error", path);
    }
}

static uint64_t count_arg(const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end || v < 1 || v > 1e12) {
        fprintf(stderr, "tracegen: bad record count '%s' (expected 1 to 1e12, e.g. 2e7)\n", s);
        exit(2);
    }
    return (uint64_t)v;
}

static unsigned cores_arg(const char *s)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || end == s || v < 1 || v > 64) {
        fprintf(stderr, "tracegen: bad core count '%s' (expected 1 to 64)\n", s);
        exit(2);
    }
    return (unsigned)v;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "din") == 0)
        gen_din(argv[2], count_arg(argv[3]), argv[4], 0);
    else if (argc == 5 && strcmp(argv[1], "dinbin") == 0)
        gen_din(argv[2], count_arg(argv[3]), argv[4], 1);
    else if (argc == 5 && strcmp(argv[1], "lackey") == 0)
        gen_lackey(argv[2], count_arg(argv[3]), argv[4]);
    else if ((argc == 4 || argc == 5) && strcmp(argv[1], "shared") == 0)
        gen_shared(count_arg(argv[2]), argv[3], argc == 5 ? cores_arg(argv[4]) : 4);
    else {
        fprintf(stderr,
                "usage: tracegen din|dinbin|lackey IN N OUT | tracegen shared N PREFIX [CORES]\n");
        return 2;
    }
    return 0;
}
