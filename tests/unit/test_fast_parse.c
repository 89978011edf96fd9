/* test_fast_parse.c: the per-record fast paths of the line readers give exactly what the general
 * parsers give: fields_hexrun against fields_hex on random runs, and din and Lackey lines of
 * every shape (the exact shape parsed in place, and the shapes that fall back) read alike, with
 * line numbers intact for the error after them. Also a compressed trace read through the reader
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
    const char *alphabet = "0123456789abcdefABCDEFxXgG ,\t\r\n:/@`";
    size_t nalpha = strlen(alphabet);
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

static void expect_records(const char *text, const char *format, const want_t *want, size_t n,
                           const char *error_after)
{
    char path[] = "/tmp/cohsim-fastparse-XXXXXX";
    write_temp(path, text);
    char err[512];
    trace_t *t = trace_open(path, format, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    mem_req_t r;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(trace_next(t, &r), 1, "record %zu: %s", i, trace_error(t));
        cr_expect_eq(r.op, want[i].op, "record %zu op", i);
        cr_expect_eq(r.addr, want[i].addr, "record %zu addr %llx", i, (unsigned long long)r.addr);
        cr_expect_eq(r.size, want[i].size, "record %zu size", i);
    }
    int rc = trace_next(t, &r);
    if (error_after) {
        cr_assert_eq(rc, -1);
        cr_expect(strstr(trace_error(t), error_after) != NULL, "error '%s', expected '%s'",
                  trace_error(t), error_after);
    } else {
        cr_assert_eq(rc, 0, "%s", trace_error(t));
    }
    trace_close(t);
    unlink(path);
}

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
