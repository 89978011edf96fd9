/* test_ahead.c: a trace read ahead on a thread (traces/ahead.h) hands out exactly the batches,
 * summaries, end and error (its message) that trace_next_batch gives one call after another,
 * whatever the timing: a reader that keeps up, one that sleeps on some batches, one that sleeps
 * on every batch; a bad record in the first, a middle and the last batch, a cut file; and a
 * reader that stops early (before its first batch, with the ring full) stops the thread cleanly. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "traces/ahead.h"
#include "traces/binary.h"
#include "traces/writer.h"

enum { N = 20000, BATCH = 256 };

/* What a whole read gives: every batch's size and summary, the records, and the end. */
typedef struct reading {
    unsigned batches;
    int count[N + 1];
    trace_batch_info_t info[N + 1];
    mem_req_t recs[N];
    unsigned total;
    int end; /* 0 or -1 */
    char error[512];
} reading_t;

static void write_trace(const char *path)
{
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f);
    char err[256];
    trace_writer_t *w = trace_writer_open("binary-v1", f, err, sizeof err);
    cr_assert_not_null(w, "%s", err);
    for (unsigned i = 0; i < N; i++) {
        /* an occasional fence and a second CPU, so summaries differ between batches */
        mem_req_t r = {.op = i % 97 == 0 ? OP_FENCE : i % 3 ? OP_LOAD : OP_STORE,
                       .cpu = (uint16_t)(i % 1000 == 999),
                       .addr = i % 97 == 0 ? 0 : 0x1000 + 8ull * (i * 7919u % 50000u),
                       .size = i % 97 == 0 ? 0 : 8};
        cr_assert_eq(trace_writer_put(w, &r, err, sizeof err), 0, "%s", err);
    }
    cr_assert_eq(trace_writer_close(w, err, sizeof err), 0, "%s", err);
    fclose(f);
}

/* Make record r (from 1) of the version 1 file an unknown operation. */
static void spoil(const char *path, unsigned r)
{
    FILE *f = fopen(path, "r+b");
    cr_assert_not_null(f);
    cr_assert_eq(fseek(f, BINARY_HEADER_SIZE + (long)(r - 1) * BINARY_RECORD_SIZE, SEEK_SET), 0);
    cr_assert_eq(fputc(200, f), 200);
    fclose(f);
}

static trace_t *open_trace(const char *path)
{
    char err[512];
    trace_t *t = trace_open(path, NULL, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    return t;
}

static void read_plain(const char *path, reading_t *out)
{
    trace_t *t = open_trace(path);
    memset(out, 0, sizeof *out);
    mem_req_t batch[BATCH];
    int n;
    while ((n = trace_next_batch(t, batch, BATCH)) > 0) {
        out->count[out->batches] = n;
        out->info[out->batches++] = trace_batch_info(t, batch, (unsigned)n);
        memcpy(&out->recs[out->total], batch, (size_t)n * sizeof *batch);
        out->total += (unsigned)n;
    }
    out->end = n;
    snprintf(out->error, sizeof out->error, "%s", n < 0 ? trace_error(t) : "");
    trace_close(t);
}

/* The reader's pace: 0 keeps up, 1 sleeps on every seventh batch, 2 on every batch. */
static void pause_for(unsigned pace, unsigned batch)
{
    if (pace == 2 || (pace == 1 && batch % 7 == 3))
        nanosleep(&(struct timespec){0, 200000}, NULL);
}

static void read_ahead(const char *path, unsigned pace, reading_t *out)
{
    trace_t *t = open_trace(path);
    memset(out, 0, sizeof *out);
    trace_ahead_t *a = trace_ahead_start(t, BATCH);
    cr_assert_not_null(a);
    mem_req_t *batch;
    trace_batch_info_t info;
    int n;
    while ((n = trace_ahead_next(a, &batch, &info)) > 0) {
        cr_assert_leq(n, BATCH);
        cr_assert_leq(out->total + (unsigned)n, N);
        out->count[out->batches] = n;
        out->info[out->batches] = info;
        pause_for(pace, out->batches++);
        memcpy(&out->recs[out->total], batch, (size_t)n * sizeof *batch);
        out->total += (unsigned)n;
    }
    out->end = n;
    snprintf(out->error, sizeof out->error, "%s", n < 0 ? trace_ahead_error(a) : "");
    /* after the end or an error, the same again */
    cr_assert_eq(trace_ahead_next(a, &batch, &info), n);
    trace_ahead_stop(a);
    trace_close(t);
}

static void expect_same(const reading_t *want, const reading_t *got, const char *what)
{
    cr_assert_eq(got->batches, want->batches, "%s: %u batches, expected %u", what, got->batches,
                 want->batches);
    for (unsigned b = 0; b < want->batches; b++) {
        cr_assert_eq(got->count[b], want->count[b], "%s: batch %u", what, b);
        cr_assert_eq(got->info[b].ops, want->info[b].ops, "%s: batch %u's ops", what, b);
        cr_assert_eq(got->info[b].max_cpu, want->info[b].max_cpu, "%s: batch %u's CPU", what, b);
    }
    cr_assert_eq(got->total, want->total, "%s", what);
    cr_assert(memcmp(got->recs, want->recs, want->total * sizeof want->recs[0]) == 0, "%s", what);
    cr_assert_eq(got->end, want->end, "%s: end %d, expected %d", what, got->end, want->end);
    cr_assert_str_eq(got->error, want->error, "%s", what);
}

static reading_t want, got;

static void compare(const char *path, const char *what)
{
    read_plain(path, &want);
    for (unsigned pace = 0; pace < 3; pace++) {
        read_ahead(path, pace, &got);
        char label[128];
        snprintf(label, sizeof label, "%s, pace %u", what, pace);
        expect_same(&want, &got, label);
    }
}

Test(ahead, gives_what_trace_next_batch_gives_whatever_the_pace)
{
    char path[] = "/tmp/cohsim-ahead-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_trace(path);
    compare(path, "good");
    cr_assert_eq(want.end, 0);
    cr_assert_eq(want.total, N);
    cr_assert_gt(want.batches, 16, "the ring must fill up: %u batches", want.batches);
    /* bad records: first record, first batch's last, a middle batch, the last record */
    static const unsigned bad[] = {1, BATCH, BATCH + 1, N / 2, N};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        write_trace(path);
        spoil(path, bad[i]);
        char what[64];
        snprintf(what, sizeof what, "bad record %u", bad[i]);
        compare(path, what);
        cr_assert_eq(want.end, -1);
        cr_assert_eq(want.total, bad[i] - 1, "%s", what);
        cr_assert(strstr(want.error, "unknown operation 200"), "%s", want.error);
    }
    /* cut inside the last record */
    write_trace(path);
    cr_assert_eq(truncate(path, BINARY_HEADER_SIZE + (off_t)N * BINARY_RECORD_SIZE - 5), 0);
    compare(path, "cut");
    cr_assert_eq(want.end, -1);
    cr_assert(strstr(want.error, "truncated"), "%s", want.error);
    unlink(path);
}

Test(ahead, a_reader_that_stops_early_stops_the_thread)
{
    char path[] = "/tmp/cohsim-ahead-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    write_trace(path);
    for (unsigned stop_after = 0; stop_after < 40; stop_after += 13) {
        trace_t *t = open_trace(path);
        trace_ahead_t *a = trace_ahead_start(t, BATCH);
        cr_assert_not_null(a);
        mem_req_t *batch;
        trace_batch_info_t info;
        for (unsigned b = 0; b < stop_after; b++)
            cr_assert_gt(trace_ahead_next(a, &batch, &info), 0);
        /* give the thread time to fill the ring and wait for room */
        nanosleep(&(struct timespec){0, 2000000}, NULL);
        trace_ahead_stop(a);
        trace_close(t);
    }
    trace_ahead_stop(NULL);
    unlink(path);
}
