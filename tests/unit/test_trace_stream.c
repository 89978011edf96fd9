/* test_trace_stream.c: readers stream: reading a long trace does not grow memory, plain or
 * gzip-compressed; many traces read at once share one budget of read buffers, yet each still reads
 * lines as long as one trace alone does; and the binary format's operation numbers stay the rows
 * of ops.def. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include "traces/stream.h"
#include "traces/trace.h"

static long max_rss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* Read path to the end; the peak RSS growth between record 100000 and the end, in KiB. */
static long growth(const char *path, uint64_t *records)
{
    char err[512];
    trace_t *t = trace_open(path, NULL, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    mem_req_t r;
    long early = 0;
    int rc;
    *records = 0;
    while ((rc = trace_next(t, &r)) > 0)
        if (++*records == 100000)
            early = max_rss_kb();
    cr_assert_eq(rc, 0, "%s", trace_error(t));
    trace_close(t);
    return max_rss_kb() - early;
}

Test(trace_stream, memory_does_not_grow_with_length)
{
    enum { N = 3000000 };
    char plain[] = "/tmp/cohsim-stream-XXXXXX", gz[] = "/tmp/cohsim-streamgz-XXXXXX";
    int fd = mkstemp(plain);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    int gfd = mkstemp(gz);
    cr_assert(gfd >= 0);
    gzFile g = gzdopen(gfd, "wb1");
    cr_assert_not_null(g);
    for (unsigned i = 0; i < N; i++) {
        /* ~45 MB of text: far more than any buffer a streaming reader may keep. */
        fprintf(f, "r %x %x\n", 0x10000000u + (i * 64u) % (1u << 26), 8u);
        gzprintf(g, "w %x 4\n", 0x20000000u + (i * 4u) % (1u << 20));
    }
    fclose(f);
    gzclose(g);
    uint64_t n;
    long grew = growth(plain, &n);
    cr_expect_eq(n, N);
    cr_expect_lt(grew, 4096, "reading %u plain records grew the peak RSS by %ld KiB", N, grew);
    grew = growth(gz, &n);
    cr_expect_eq(n, N);
    cr_expect_lt(grew, 4096, "reading %u gzip records grew the peak RSS by %ld KiB", N, grew);
    unlink(plain);
    unlink(gz);
}

Test(trace_stream, many_streams_share_a_budget_and_long_lines_still_fit)
{
    /* One trace and four per-core traces read with 1 MiB each; 64 with far less, all together
     * no more than four; never less than 64 KiB each. */
    cr_assert_eq(stream_buffer_share(1), 1u << 20);
    cr_assert_eq(stream_buffer_share(4), 1u << 20);
    cr_assert_leq(64 * stream_buffer_share(64), 4u << 20);
    cr_assert_geq(stream_buffer_share(1000), 64u << 10);

    /* A line of 300 KiB, past a 64-stream share, is read whole: the buffer grows for it. */
    enum { LONG = 300 << 10 };
    char path[] = "/tmp/cohsim-longline-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("first\n", f);
    for (unsigned i = 0; i < LONG; i++)
        fputc('x', f);
    fputs("\nlast\n", f);
    fclose(f);
    char err[256];
    stream_t *s = stream_open_shared(path, 64, err, sizeof err);
    cr_assert_not_null(s, "%s", err);
    size_t len;
    const char *line = stream_line(s, &len);
    cr_assert(line && len == 5 && strcmp(line, "first") == 0);
    line = stream_line(s, &len);
    cr_assert_not_null(line, "%s", stream_error(s));
    cr_assert_eq(len, LONG);
    cr_assert(line[0] == 'x' && line[LONG - 1] == 'x');
    line = stream_line(s, &len);
    cr_assert(line && strcmp(line, "last") == 0);
    cr_assert_null(stream_line(s, &len));
    cr_assert_null(stream_error(s));
    stream_close(s);
    unlink(path);
}

Test(trace_stream, binary_operation_numbers_are_ops_def_rows)
{
    /* Version 1 files store ops as these numbers: reordering ops.def would break them. */
    cr_assert_eq(OP_LOAD, 0);
    cr_assert_eq(OP_STORE, 1);
    cr_assert_eq(OP_IFETCH, 2);
    cr_assert_eq(OP_RMW, 3);
    cr_assert_eq(OP_MISC, 4);
    cr_assert_eq(OP_FENCE, 5);
    cr_assert_eq(OP_COPYBACK, 6);
    cr_assert_eq(OP_INVALIDATE, 7);
}
