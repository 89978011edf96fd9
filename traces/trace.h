/* trace.h: the one trace-reader interface; every format is one file behind it.
 *
 * trace_next yields one mem_req_t at a time (1 record, 0 end, -1 error), streaming: memory does not
 * grow with the trace. After -1, trace_error() says "file:line: what was expected" (or a byte offset
 * for binary formats). Readers never touch stdin and keep no static state; a reader's record (and
 * its name field) is valid until the next trace_next on the same trace.
 */
#ifndef COHSIM_TRACE_H
#define COHSIM_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "model/op.h"
#include "traces/stream.h"

typedef struct trace trace_t;

/* A format: one file in traces/ exports one of these. */
typedef struct trace_format {
    const char *name;
    const char *doc;
    /* Whether the first bytes of a (decompressed) file look like this format; 0 no, higher is
     * more certain. */
    int (*probe)(const uint8_t *head, size_t len);
    /* Per-trace reader state: size to allocate, and init/next/fini. */
    size_t state_size;
    int (*init)(trace_t *t, void *state);
    int (*next)(trace_t *t, void *state, mem_req_t *out);
    /* Records are lines (errors name a line); else errors name byte offsets. */
    bool by_line;
    /* Optional: up to max records at once (count > 0, 0 at the end, -1 error), for formats whose
     * records borrow nothing from the reader (no name field): every record of a batch stays
     * valid. A bad record ends the batch before it; its error comes on the following call. */
    int (*next_batch)(trace_t *t, void *state, mem_req_t *out, unsigned max);
    /* next_batch writes only the fields the format's records have (addr, value, size, cpu, op,
     * flags): trace_next_batch zeroes the others (arg, name) of the caller's buffer once. */
    bool batch_fields_only;
    void (*fini)(void *state);
} trace_format_t;

/* Open path as format (NULL: detect from content). NULL on failure, with the reason in err. */
trace_t *trace_open(const char *path, const char *format, char *err, size_t errlen);
/* As trace_open, for one of `traces` traces read at once (one per core): the read buffers of all
 * share one budget (stream_open_shared). */
trace_t *trace_open_shared(const char *path, const char *format, unsigned traces, char *err,
                           size_t errlen);
int trace_next(trace_t *t, mem_req_t *out);
/* Up to max records (count > 0, 0 at the end, -1 error, as trace_next): several only from formats
 * with next_batch, whose records stay valid together; one from the others. Records before a bad
 * one are delivered first, so work happens in the same order as one at a time. After a batch
 * from a format by_line, the stream's line number is that of the batch's last record.
 * Between calls with the same out, the caller leaves its records' arg and name as they are: a
 * reader may write only the fields its format has (batch_fields_only), since a record's arg and
 * name are zeroed once per buffer, when out (or a larger max) is first seen. */
int trace_next_batch(trace_t *t, mem_req_t *out, unsigned max);
/* What the records of a batch have in common, for a caller that treats most records alike and
 * looks at each record only when a batch holds something else: bit op of ops is set for each
 * operation present (and perhaps for others), and the largest CPU or a bound above it. Bounds
 * cost a reader less per record: it may give the OR of the CPUs, and every operation up to the
 * OR of those present; a caller that finds either too wide looks at each record. */
typedef struct trace_batch_info {
    uint64_t ops;
    unsigned max_cpu;
} trace_batch_info_t;
/* The summary of the n records the last trace_next_batch put in out: the reader's, when it
 * gathered one while decoding, else computed here (a pass over the records). */
trace_batch_info_t trace_batch_info(trace_t *t, const mem_req_t *out, unsigned n);
/* For readers' next_batch: the summary of the records it is about to return. */
void trace_set_batch_info(trace_t *t, trace_batch_info_t info);
const char *trace_error(const trace_t *t);
const char *trace_path(const trace_t *t);
const trace_format_t *trace_format(const trace_t *t);
void trace_close(trace_t *t);

/* The known formats in detection order, NULL-terminated; and lookup by name. */
const trace_format_t *const *trace_formats(void);
const trace_format_t *trace_format_lookup(const char *name);

/* For line-based readers: the next line (NUL-terminated, newline stripped, writable until the
 * next call) and its number. NULL at the end (*status 0) or after a read error, which it reports
 * as "path:line: ..." (*status -1). */
char *trace_read_line(trace_t *t, size_t *len, uint64_t *lineno, int *status);

/* For a format's own helpers: the reader state of t (its format's state_size bytes). */
void *trace_reader_state(trace_t *t);
/* For readers: the trace's byte stream, and error reporting ("path:line: message"). */
stream_t *trace_stream(trace_t *t);
int trace_fail(trace_t *t, uint64_t line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* For readers of binary formats: "path: byte N: message" (a header), and "path: record N, byte
 * B: message" (record N from 1, the fault at file byte B). */
int trace_fail_at(trace_t *t, uint64_t offset, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int trace_fail_record(trace_t *t, uint64_t record, uint64_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* For next_batch with batch_fields_only: a record's size, cpu, op and flags as one word (a
 * constant expression, for readers' tables), which trace_put_fields stores with one write on a
 * little-endian host (GCC does not merge the four narrow stores by itself). */
#define TRACE_FIELDS_WORD(size, cpu, op, flags)                                              \
    ((uint64_t)(size) | (uint64_t)(cpu) << 32 | (uint64_t)(op) << 48 | (uint64_t)(flags) << 56)

#ifndef __cplusplus /* the C++ harnesses include this header; the C build checks the layout */
_Static_assert(offsetof(mem_req_t, cpu) == offsetof(mem_req_t, size) + 4 &&
                   offsetof(mem_req_t, op) == offsetof(mem_req_t, size) + 6 &&
                   offsetof(mem_req_t, flags) == offsetof(mem_req_t, size) + 7,
               "size, cpu, op and flags are adjacent: trace_put_fields writes them as one word");
#endif

/* Write a record's own fields (addr, value, and size .. flags as TRACE_FIELDS_WORD makes them),
 * leaving arg and name as they are. */
static inline void trace_put_fields(mem_req_t *r, uint64_t addr, uint64_t value, uint64_t word)
{
    r->addr = addr;
    r->value = value;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy((unsigned char *)r + offsetof(mem_req_t, size), &word, sizeof word);
#else
    r->size = (uint32_t)word;
    r->cpu = (uint16_t)(word >> 32);
    r->op = (uint8_t)(word >> 48);
    r->flags = (uint8_t)(word >> 56);
#endif
}

#endif
