/* stream.c: buffered reading of a trace file, with line splitting that does not copy.
 *
 * Representation: buf[pos..end) holds decompressed bytes not yet consumed; the buffer is refilled
 * by moving the unconsumed tail to the front. Invariants: pos <= end <= cap <= STREAM_BUFMAX
 * (a stream from memory: cap is its length); a line handed out lies wholly inside buf and stays
 * there until the next call. A file's buffer starts at its share of STREAM_BUDGET (many traces
 * read at once, one per core, would otherwise hold STREAM_BUFMAX each) and doubles, up to
 * STREAM_BUFMAX, when a line does not fit: lines longer than STREAM_BUFMAX are an error whatever
 * the share, not silently split.
 */
#include "traces/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "traces/stream_priv.h"

/* The largest buffer, and so the longest line: one trace alone reads with it. */
#define STREAM_BUFMAX (1u << 20)
/* The buffers of the streams open at once, together: 4 per-core traces still read with
 * STREAM_BUFMAX each, 64 with 64 KiB. */
#define STREAM_BUDGET (4u << 20)
/* The smallest buffer: reads stay large (a system call per 64 KiB) however many streams. */
#define STREAM_BUFMIN (64u << 10)

size_t stream_buffer_share(unsigned streams)
{
    size_t share = streams ? STREAM_BUDGET / streams : STREAM_BUFMAX;
    return share > STREAM_BUFMAX ? STREAM_BUFMAX : share < STREAM_BUFMIN ? STREAM_BUFMIN : share;
}

stream_t *stream_open(const char *path, char *err, size_t errlen)
{
    return stream_open_shared(path, 1, err, errlen);
}

stream_t *stream_open_shared(const char *path, unsigned streams, char *err, size_t errlen)
{
    /* "-" is standard input (a pipe, most often: nothing here seeks). */
    int fd = strcmp(path, "-") == 0 ? dup(STDIN_FILENO) : open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        snprintf(err, errlen, "%s: is a directory: expected a trace file", path);
        return NULL;
    }
    stream_t *s = calloc(1, sizeof *s);
    if (!s) {
        close(fd);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    s->fd = fd;
    s->path = path;
    s->cap = stream_buffer_share(streams);
    s->buf = calloc(s->cap + 1 + STREAM_LINE_SLACK, 1);
    if (!s->buf) {
        stream_close(s);
        snprintf(err, errlen, "%s: out of memory", path);
        return NULL;
    }
    if (stream_decoder_select(s, err, errlen) != 0) {
        stream_close(s);
        return NULL;
    }
    return s;
}

stream_t *stream_from_memory(const char *path, const uint8_t *data, size_t len)
{
    stream_t *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->fd = -1;
    s->path = path;
    s->cap = len ? len : 1;
    s->buf = calloc(s->cap + 1 + STREAM_LINE_SLACK, 1);
    if (!s->buf) {
        free(s);
        return NULL;
    }
    memcpy(s->buf, data, len);
    s->end = len;
    s->eof = 1;
    s->decoder = stream_decoder_plain();
    return s;
}

void stream_close(stream_t *s)
{
    if (!s)
        return;
    stream_decoder_close(s);
    if (s->fd >= 0)
        close(s->fd);
    free(s->buf);
    free(s);
}

/* Refill: keep buf[pos..end), append decoded bytes. Returns bytes added, 0 at end, -1 on error. */
static ssize_t stream_fill(stream_t *s)
{
    if (s->eof || s->error[0])
        return s->error[0] ? -1 : 0;
    if (s->pos > 0) {
        memmove(s->buf, s->buf + s->pos, s->end - s->pos);
        s->end -= s->pos;
        s->consumed_before += s->pos;
        s->pos = 0;
    }
    if (s->end == s->cap)
        return 0;
    ssize_t n = stream_decoded(s, s->buf + s->end, s->cap - s->end);
    if (n < 0)
        return -1;
    if (n == 0)
        s->eof = 1;
    s->end += (size_t)n;
    return n;
}

size_t stream_peek(stream_t *s, const uint8_t **data, size_t len)
{
    while (s->end - s->pos < len && stream_fill(s) > 0)
        ;
    *data = (const uint8_t *)s->buf + s->pos;
    size_t have = s->end - s->pos;
    return have < len ? have : len;
}

void stream_skip(stream_t *s, size_t n) { s->pos += n; }

void stream_skip_line(stream_t *s, size_t n)
{
    s->pos += n;
    s->lineno++;
}

void stream_skip_lines(stream_t *s, size_t n, uint64_t lines)
{
    s->pos += n;
    s->lineno += lines;
}

ssize_t stream_read(stream_t *s, void *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        if (s->pos == s->end && stream_fill(s) <= 0)
            break;
        size_t take = s->end - s->pos;
        if (take > len - got)
            take = len - got;
        memcpy((char *)buf + got, s->buf + s->pos, take);
        s->pos += take;
        got += take;
    }
    if (s->error[0])
        return -1;
    if (got == len)
        return (ssize_t)len;
    if (got == 0)
        return 0;
    snprintf(s->error, sizeof s->error, "truncated: %zu of %zu bytes of a record", got, len);
    return -1;
}

/* Double a full buffer (its line did not fit in the stream's share): 0, or -1 with the error. */
static int stream_grow(stream_t *s)
{
    size_t cap = 2 * s->cap > STREAM_BUFMAX ? STREAM_BUFMAX : 2 * s->cap;
    char *buf = realloc(s->buf, cap + 1 + STREAM_LINE_SLACK);
    if (!buf) {
        snprintf(s->error, sizeof s->error, "out of memory for line %llu",
                 (unsigned long long)s->lineno + 1);
        return -1;
    }
    memset(buf + s->cap, 0, cap - s->cap + 1 + STREAM_LINE_SLACK);
    s->buf = buf;
    s->cap = cap;
    return 0;
}

const char *stream_line(stream_t *s, size_t *len)
{
    for (;;) {
        char *start = s->buf + s->pos;
        char *nl = memchr(start, '\n', s->end - s->pos);
        if (nl) {
            size_t n = (size_t)(nl - start);
            s->pos += n + 1;
            if (n > 0 && start[n - 1] == '\r')
                n--;
            start[n] = '\0';
            s->lineno++;
            *len = n;
            return start;
        }
        ssize_t added = stream_fill(s);
        if (added < 0)
            return NULL;
        if (added > 0)
            continue;
        size_t n = s->end - s->pos;
        if (n == 0)
            return NULL;
        if (n == s->cap && s->fd >= 0 && s->cap < STREAM_BUFMAX) {
            if (stream_grow(s) != 0)
                return NULL;
            continue;
        }
        if (n == s->cap) {
            snprintf(s->error, sizeof s->error, "line %llu is longer than %u bytes",
                     (unsigned long long)s->lineno + 1, STREAM_BUFMAX);
            return NULL;
        }
        /* The last line has no newline: hand it out as it is. */
        start = s->buf + s->pos;
        s->pos = s->end;
        start[n] = '\0';
        if (n > 0 && start[n - 1] == '\r')
            start[--n] = '\0';
        s->lineno++;
        *len = n;
        return start;
    }
}

uint64_t stream_offset(const stream_t *s) { return s->consumed_before + s->pos; }
uint64_t stream_lineno(const stream_t *s) { return s->lineno; }
const char *stream_error(const stream_t *s) { return s->error[0] ? s->error : NULL; }
const char *stream_compression(const stream_t *s) { return s->decoder->name; }
