/* test_binary_v2.c: binary trace version 2 gives back exactly the records written, one at a time
 * and in batches, as version 1 does: random records with every field's extremes (address jumps
 * of either sign and across 2^64, sizes of 1 to 4 bytes' worth, CPUs, values and flags), and a
 * file cut anywhere is an error at a record, never a wrong record. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/trace.h"
#include "traces/writer.h"

enum { N = 50000 };

static uint64_t next_random(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 11 ^ *s << 7;
}

/* Record i of a deterministic mix: runs of nearby accesses, jumps, the top of the address space,
 * operations without an address, CPUs that repeat or change. */
static mem_req_t random_record(uint64_t *s, const mem_req_t *prev)
{
    static const op_t ops[] = {OP_LOAD, OP_STORE, OP_IFETCH, OP_RMW, OP_MISC, OP_FENCE,
                               OP_COPYBACK, OP_INVALIDATE, OP_ROI_BEGIN};
    uint64_t x = next_random(s);
    mem_req_t r = {.op = (uint8_t)ops[x % (sizeof ops / sizeof ops[0])]};
    unsigned kind = (unsigned)(x >> 8) % 8;
    uint32_t size = kind == 0 ? 1u + (uint32_t)(x >> 20) % 4096u : 1u << ((x >> 20) % 4);
    uint64_t addr = kind == 1   ? next_random(s)
                    : kind == 2 ? UINT64_MAX - size - (x >> 40) % 64
                    : kind == 3 ? prev->addr - (x >> 30) % 70000
                                : prev->addr + (x >> 30) % 300;
    if (op_class((op_t)r.op) == OPC_MEM) {
        r.size = size;
        r.addr = addr + size < addr ? UINT64_MAX - size : addr; /* no access wraps */
    } else {
        r.size = kind == 4 ? (uint32_t)next_random(s) : 0;
        r.addr = kind == 5 ? next_random(s) : 0;
    }
    r.cpu = (x >> 50) % 4 == 0 ? (uint16_t)next_random(s) : prev->cpu;
    r.flags = (uint8_t)((x >> 54) & 7u);
    if (r.flags & REQ_HAS_VALUE)
        r.value = (x >> 57) % 2 ? next_random(s) : (x >> 58);
    return r;
}

static void write_file(const char *path, const char *format, const mem_req_t *recs, unsigned n)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    char err[256];
    trace_writer_t *w = trace_writer_open(format, f, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    for (unsigned i = 0; i < n; i++)
        cr_assert_eq(trace_writer_put(w, &recs[i], err, sizeof err), 0, "record %u: %s", i, err);
    cr_assert_eq(trace_writer_close(w, err, sizeof err), 0, "%s", err);
    fclose(f);
}

/* Read path in batches of up to max (1: one at a time); the records read, or -1 at an error. */
static long read_back(const char *path, unsigned max, const mem_req_t *want, unsigned n)
{
    char err[512];
    trace_t *t = trace_open(path, "binary", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    mem_req_t batch[64];
    long got = 0;
    int rc;
    while ((rc = trace_next_batch(t, batch, max)) > 0)
        for (int i = 0; i < rc; i++, got++) {
            cr_assert_lt(got, (long)n, "more records than written");
            cr_assert(memcmp(&batch[i], &want[got], sizeof batch[i]) == 0,
                      "%s: record %ld differs (op %u cpu %u size %u addr %#llx)", path, got + 1,
                      batch[i].op, batch[i].cpu, batch[i].size,
                      (unsigned long long)batch[i].addr);
        }
    if (rc < 0)
        cr_assert(strstr(trace_error(t), path) && strstr(trace_error(t), ": record "),
                  "%s", trace_error(t));
    trace_close(t);
    return rc < 0 ? -1 : got;
}

Test(binary_v2, gives_back_every_record_as_version_1)
{
    mem_req_t *recs = calloc(N, sizeof *recs);
    cr_assert_not_null(recs);
    uint64_t seed = 24;
    mem_req_t prev = {0};
    for (unsigned i = 0; i < N; i++)
        prev = recs[i] = random_record(&seed, &prev);
    char v1[] = "/tmp/cohsim-v1-XXXXXX", v2[] = "/tmp/cohsim-v2-XXXXXX";
    int fd1 = mkstemp(v1), fd2 = mkstemp(v2);
    cr_assert(fd1 >= 0 && fd2 >= 0);
    close(fd1);
    close(fd2);
    write_file(v1, "binary-v1", recs, N);
    write_file(v2, "binary", recs, N);
    for (unsigned max = 1; max <= 64; max += 63) {
        cr_expect_eq(read_back(v1, max, recs, N), N);
        cr_expect_eq(read_back(v2, max, recs, N), N);
    }
    unlink(v1);
    unlink(v2);
    free(recs);
}

Test(binary_v2, a_cut_file_ends_in_an_error_at_a_record)
{
    enum { M = 300 };
    mem_req_t recs[M];
    uint64_t seed = 7;
    mem_req_t prev = {0};
    for (unsigned i = 0; i < M; i++)
        prev = recs[i] = random_record(&seed, &prev);
    char v2[] = "/tmp/cohsim-v2cut-XXXXXX";
    int fd = mkstemp(v2);
    cr_assert(fd >= 0);
    close(fd);
    write_file(v2, "binary", recs, M);
    FILE *f = fopen(v2, "rb");
    cr_assert_not_null(f);
    uint8_t *whole = malloc(M * 24 + 16);
    cr_assert_not_null(whole);
    size_t len = fread(whole, 1, M * 24 + 16, f);
    fclose(f);
    /* Every cut: the records before it, then either the end (a cut between records) or an
     * error naming a record; never a record that was not written. */
    for (size_t cut = 17; cut < len; cut += 1 + cut / 64) {
        f = fopen(v2, "wb");
        cr_assert_not_null(f);
        cr_assert_eq(fwrite(whole, 1, cut, f), cut);
        fclose(f);
        for (unsigned max = 1; max <= 64; max += 63)
            read_back(v2, max, recs, M);
    }
    free(whole);
    unlink(v2);
}
