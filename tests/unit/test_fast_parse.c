/* test_fast_parse.c: the per-record fast paths of the line readers give exactly what the general
 * parsers give: fields_hexrun against fields_hex on random runs, and din and Lackey lines of
 * every shape (the exact shape parsed in place, and the shapes that fall back) read alike, one
 * record at a time and in batches of every size, with line numbers intact for the error after
 * them. Also a compressed trace read through the reader
 * thread, and closed early while that thread is still decoding. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/fields.h"
#include "traces/trace.h"

Test(fast_parse, hexrun_agrees_with_fields_hex)
{
    /* Digits, letters and their neighbours, and bytes that a folded or shifted range test
     * could take for digits (0x10..0x19, 0x41 with its high bit, 0x80 and above). */
    const char alphabet[] = "0123456789abcdefABCDEFxXgG ,\t\r\n:/@`"
                            "\x10\x19\x01\xb0\xc1\xe1\x80\xff\x7f";
    size_t nalpha = sizeof alphabet - 1;
    uint64_t seed = 12345;
    char buf[40];
    for (int it = 0; it < 200000; it++) {
        for (int i = 0; i < 40; i++) {
            seed = seed * 6364136223846793005ull + 1442695040888963407ull;
            buf[i] = alphabet[(seed >> 33) % nalpha];
        }
        size_t run = 0;
        while (run < 24 && fields_hexdigit((unsigned char)buf[run]) >= 0)
            run++;
        uint64_t v = 0, w = 0;
        unsigned n = fields_hexrun(buf, &v);
        cr_assert_eq(n, run >= 16 ? 16u : (unsigned)run, "run of %zu at '%.20s'", run, buf);
        if (n > 0 && n < 16) {
            cr_assert_eq(fields_hex(buf, n, &w), 0);
            cr_assert_eq(v, w, "'%.*s': %llx, expected %llx", (int)n, buf, (unsigned long long)v,
                         (unsigned long long)w);
        }
    }
}

/* Write text to a temporary file; the caller unlinks it. */
static void write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
}

typedef struct want {
    uint8_t op;
    uint64_t addr;
    uint32_t size;
} want_t;

/* Read the trace at path in batches of up to max records (max 1: trace_next) into got (room
 * for cap); the count, and the final status (0 end, -1 error) in *status. */
static size_t read_all(const char *path, const char *format, unsigned max, mem_req_t *got,
                       size_t cap, int *status, char *error, size_t errlen)
{
    char err[512];
    trace_t *t = trace_open(path, format, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    mem_req_t batch[300];
    cr_assert(max <= 300);
    size_t n = 0;
    int rc;
    while ((rc = max == 1 ? trace_next(t, batch) : trace_next_batch(t, batch, max)) > 0) {
        cr_assert_leq((unsigned)rc, max);
        cr_assert_leq(n + (size_t)rc, cap, "more records than expected");
        memcpy(got + n, batch, (size_t)rc * sizeof *batch);
        n += (size_t)rc;
    }
    *status = rc;
    snprintf(error, errlen, "%s", trace_error(t));
    trace_close(t);
    return n;
}

static const unsigned batch_sizes[] = {1, 2, 3, 7, 64, 256};

static void expect_records(const char *text, const char *format, const want_t *want, size_t n,
                           const char *error_after)
{
    char path[] = "/tmp/cohsim-fastparse-XXXXXX";
    write_temp(path, text);
    for (unsigned b = 0; b < sizeof batch_sizes / sizeof batch_sizes[0]; b++) {
        mem_req_t got[64];
        int rc;
        char error[512];
        size_t have = read_all(path, format, batch_sizes[b], got, 64, &rc, error, sizeof error);
        cr_assert_eq(have, n, "batches of %u: %zu records, expected %zu (%s)", batch_sizes[b],
                     have, n, error);
        for (size_t i = 0; i < n; i++) {
            cr_expect_eq(got[i].op, want[i].op, "record %zu op", i);
            cr_expect_eq(got[i].addr, want[i].addr, "record %zu addr %llx", i,
                         (unsigned long long)got[i].addr);
            cr_expect_eq(got[i].size, want[i].size, "record %zu size", i);
        }
        if (error_after) {
            cr_assert_eq(rc, -1);
            cr_expect(strstr(error, error_after) != NULL, "error '%s', expected '%s'", error,
                      error_after);
        } else {
            cr_assert_eq(rc, 0, "%s", error);
        }
    }
    unlink(path);
}

/* A long trace of lines of varying length, the exact shape mostly, other shapes now and then
 * (so that batches stop at them, anywhere in a 64-byte block and at the edges of what one peek
 * shows), and a bad line near the end: every batch size reads the same records, then the same
 * error with the bad line's number. */
static void expect_long_trace_alike(const char *format)
{
    char path[] = "/tmp/cohsim-fastparse-long-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    enum { LINES = 200000 };
    uint64_t seed = 99;
    unsigned bad_line = 0, lineno = 1; /* lineno: the file's line the next record starts at */
    for (unsigned i = 1; i <= LINES; i++) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        unsigned r = (unsigned)(seed >> 40);
        uint64_t addr = (seed >> 3) >> (r % 60);
        int odd = r % 97 == 0;
        if (i == LINES - 17)
            bad_line = lineno;
        lineno += 1 + (odd && ((r & 1) == 0) == (strcmp(format, "din") == 0));
        if (i == LINES - 17)
            fputs(strcmp(format, "din") == 0 ? "0 12z4\n" : " L 12z4,8\n", f);
        else if (strcmp(format, "din") == 0)
            fprintf(f, odd ? (r & 1 ? "%u 0x%llx\n" : "\n%u %llx\n") : "%u %llx\n", r % 3,
                    (unsigned long long)addr);
        else if (odd)
            fprintf(f, r & 1 ? "==12== note\n L %llx,4\n" : " S %llx,128\n",
                    (unsigned long long)addr);
        else
            fprintf(f, "%c%c %llx,%u\n", r % 4 == 0 ? 'I' : ' ', " LSM"[r % 4],
                    (unsigned long long)addr, 1 + r % 16);
    }
    fclose(f);
    size_t cap = 2 * LINES;
    mem_req_t *ref = calloc(cap, sizeof *ref), *got = calloc(cap, sizeof *got);
    cr_assert(ref && got);
    int rc_ref, rc;
    char err_ref[512], error[512];
    size_t n_ref = read_all(path, format, 1, ref, cap, &rc_ref, err_ref, sizeof err_ref);
    char where[64];
    snprintf(where, sizeof where, ":%u: bad", bad_line);
    cr_assert_eq(rc_ref, -1);
    cr_assert(strstr(err_ref, where) != NULL, "error '%s', expected '%s'", err_ref, where);
    for (unsigned b = 1; b < sizeof batch_sizes / sizeof batch_sizes[0]; b++) {
        size_t n = read_all(path, format, batch_sizes[b], got, cap, &rc, error, sizeof error);
        cr_assert_eq(n, n_ref, "batches of %u: %zu records, expected %zu", batch_sizes[b], n,
                     n_ref);
        for (size_t i = 0; i < n; i++)
            cr_assert(got[i].op == ref[i].op && got[i].addr == ref[i].addr &&
                          got[i].size == ref[i].size && got[i].flags == ref[i].flags,
                      "batches of %u: record %zu differs", batch_sizes[b], i);
        cr_assert_eq(rc, -1);
        cr_assert_str_eq(error, err_ref);
    }
    free(ref);
    free(got);
    unlink(path);
}

Test(fast_parse, din_batches_read_alike) { expect_long_trace_alike("din"); }
Test(fast_parse, lackey_batches_read_alike) { expect_long_trace_alike("lackey"); }

Test(fast_parse, din_lines_of_every_shape)
{
    const want_t want[] = {
        {OP_IFETCH, 0x401ab70, 4},      /* exact shape */
        {OP_LOAD, 0x1fff000d98, 4},     /* exact shape, rounded down to 4 */
        {OP_STORE, 0xabcdef0, 4},       /* upper case */
        {OP_LOAD, 0x10, 4},             /* 0x prefix: falls back */
        {OP_MISC, 0x20, 4},             /* leading blanks and tabs */
        {OP_LOAD, 0x30, 4},             /* \r\n */
        {OP_STORE, 0x40, 4},            /* a trailing field */
        {OP_LOAD, 0xfffffffffffffffc, 4}, /* 16 digits: falls back */
        {OP_LOAD, 0x50, 4},             /* after a blank line */
    };
    expect_records("2 401ab70\n0 1fff000d9b\n1 ABCDEF0\n0 0x10\n \t3 20\n0 30\r\n1 40 extra\n"
                   "0 ffffffffffffffff\n\n0 50\n0 5g\n",
                   "din", want, sizeof want / sizeof want[0], ":11: bad address '5g'");
}

Test(fast_parse, lackey_lines_of_every_shape)
{
    const want_t want[] = {
        {OP_IFETCH, 0x0401ab70, 3},     /* exact shape */
        {OP_STORE, 0x1fff000d98, 8},
        {OP_LOAD, 0x1000, 16},          /* two size digits */
        {OP_LOAD, 0x2000, 4},           /* modify: load ... */
        {OP_STORE, 0x2000, 4},          /* ... then store */
        {OP_LOAD, 0x3000, 128},         /* three size digits: falls back */
        {OP_LOAD, 0x4000, 8},           /* trailing blank: falls back */
        {OP_IFETCH, 0x5000, 2},         /* after a Valgrind message */
    };
    expect_records("I  0401ab70,3\n S 1fff000d98,8\n L 1000,16\n M 2000,4\n L 3000,128\n"
                   " L 4000,8 \n==123== hello\nI  5000,2\n L 6000,0\n",
                   "lackey", want, sizeof want / sizeof want[0], ":9: bad size");
}

Test(fast_parse, compressed_trace_through_the_reader_thread)
{
    char plain[] = "/tmp/cohsim-fastparse-xz-XXXXXX";
    int fd = mkstemp(plain);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    enum { N = 400000 };
    for (unsigned i = 0; i < N; i++)
        fprintf(f, "%u %x\n", i % 3, 0x100000u + i * 4u);
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "xz -1 -f -S .xz %s", plain);
    cr_assert_eq(system(cmd), 0);
    char xz[300];
    snprintf(xz, sizeof xz, "%s.xz", plain);
    char err[512];
    trace_t *t = trace_open(xz, NULL, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    mem_req_t r;
    unsigned n = 0;
    int rc;
    while ((rc = trace_next(t, &r)) > 0) {
        cr_assert_eq(r.addr, 0x100000u + n * 4u, "record %u", n);
        n++;
    }
    cr_assert_eq(rc, 0, "%s", trace_error(t));
    cr_assert_eq(n, N);
    trace_close(t);
    /* Closing after one record stops a thread that is still decoding. */
    t = trace_open(xz, NULL, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_assert_eq(trace_next(t, &r), 1);
    trace_close(t);
    unlink(xz);
}
