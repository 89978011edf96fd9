/* stream.h: a buffered byte stream over a trace file, with lines handed out without copying.
 *
 * Compressed files are recognised by their magic bytes, never their name. A line returned by
 * stream_line stays valid until the next call on the stream; its newline is stripped.
 */
#ifndef COHSIM_STREAM_H
#define COHSIM_STREAM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef struct stream stream_t;

/* NULL on failure with the reason in err. path "-" is standard input; pipes and FIFOs work as
 * files do (nothing seeks). A directory is refused. */
stream_t *stream_open(const char *path, char *err, size_t errlen);
/* As stream_open, for one of `streams` streams read at once (per-core traces): its read buffer is
 * its share of a budget for them all (stream.c), which bounds memory at many cores. */
stream_t *stream_open_shared(const char *path, unsigned streams, char *err, size_t errlen);
/* The read buffer's bytes for each of `streams` streams read at once. */
size_t stream_buffer_share(unsigned streams);
/* A stream over a copy of data[0..len), named path (a format's trial run on a file's head). */
stream_t *stream_from_memory(const char *path, const uint8_t *data, size_t len);
void stream_close(stream_t *s);

/* Up to len bytes of the (decompressed) content that are next, without consuming them. */
size_t stream_peek(stream_t *s, const uint8_t **data, size_t len);
/* Consume n bytes that stream_peek has just shown (n at most what it returned). */
void stream_skip(stream_t *s, size_t n);
/* The same for n bytes that are one whole line with its newline, which a reader parsed in place
 * (stream_lineno then counts it). */
void stream_skip_line(stream_t *s, size_t n);
/* The same for n bytes that are the given number of whole lines (a batch parsed in place). */
void stream_skip_lines(stream_t *s, size_t n, uint64_t lines);
/* Read exactly len bytes: len, 0 at a clean end, or -1 (error or truncation: see stream_error). */
ssize_t stream_read(stream_t *s, void *buf, size_t len);
/* Bytes after the end of a line (its NUL), or after what stream_peek shows, that a parser may
 * read, eight at a time, without leaving the buffer: they are initialised, and what they hold is
 * unspecified. */
#define STREAM_LINE_SLACK 16u
/* The next line without its newline, or NULL at the end or on error (see stream_error). */
const char *stream_line(stream_t *s, size_t *len);
/* Bytes consumed so far, and the number of the line stream_line last returned (from 1). */
uint64_t stream_offset(const stream_t *s);
uint64_t stream_lineno(const stream_t *s);
/* NULL when no error happened, else what went wrong (a read error, corrupt compressed data). */
const char *stream_error(const stream_t *s);
/* The compression detected: "none", "gzip", "xz", "zstd". */
const char *stream_compression(const stream_t *s);

#endif
