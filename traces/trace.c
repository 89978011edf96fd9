/* trace.c: opening a trace, choosing its format by content, and the error channel of readers.
 *
 * A trace owns its stream and its reader's state; the reader writes errors through trace_fail,
 * which formats "path:line: message" once, so every format reports alike.
 */
#include "traces/trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct trace {
    const trace_format_t *format;
    stream_t *stream;
    char *path;
    void *state;
    char error[512];
    trace_batch_info_t info; /* the last batch's summary, when info_set (its reader's) */
    bool info_set;
    /* batch_fields_only: the buffer whose arg and name were zeroed, and its records */
    mem_req_t *zeroed;
    unsigned zeroed_max;
};

extern const trace_format_t trace_format_text;
extern const trace_format_t trace_format_binary;
extern const trace_format_t trace_format_din;
extern const trace_format_t trace_format_xdin;
extern const trace_format_t trace_format_lackey;
extern const trace_format_t trace_format_champsim;

/* Detection order matters only for ties: the highest probe score wins, the first on a tie. */
static const trace_format_t *const formats[] = {
    &trace_format_text,
    &trace_format_binary,
    &trace_format_din,
    &trace_format_xdin,
    &trace_format_lackey,
    &trace_format_champsim,
    NULL,
};

const trace_format_t *const *trace_formats(void) { return formats; }

const trace_format_t *trace_format_lookup(const char *name)
{
    for (unsigned i = 0; formats[i]; i++)
        if (strcmp(formats[i]->name, name) == 0)
            return formats[i];
    return NULL;
}

/* A trace of format fmt over stream s (which it then owns, also on failure). */
static trace_t *trace_make(const char *path, const trace_format_t *fmt, stream_t *s, char *err,
                           size_t errlen)
{
    trace_t *t = calloc(1, sizeof *t);
    if (t) {
        t->path = strdup(path);
        t->state = calloc(1, fmt->state_size ? fmt->state_size : 1);
    }
    if (!t || !t->path || !t->state) {
        snprintf(err, errlen, "%s: out of memory", path);
        stream_close(s);
        if (t) {
            free(t->path);
            free(t->state);
        }
        free(t);
        return NULL;
    }
    t->format = fmt;
    t->stream = s;
    if (fmt->init && fmt->init(t, t->state) != 0) {
        snprintf(err, errlen, "%s", t->error);
        trace_close(t);
        return NULL;
    }
    return t;
}

/* Read head[0..len) as fmt: how many records it gives before it fails, with its message in why;
 * -1 when it reads them all (or cannot be tried). A line format reads only whole lines. */
static long trace_trial(const char *path, const trace_format_t *fmt, const uint8_t *head,
                        size_t len, char *why, size_t whylen)
{
    if (fmt->by_line)
        while (len > 0 && head[len - 1] != '\n')
            len--;
    stream_t *s = stream_from_memory(path, head, len);
    if (!s)
        return -1;
    trace_t *t = trace_make(path, fmt, s, why, whylen);
    if (!t)
        return 0; /* its header is refused: the message is in why */
    long n = 0;
    mem_req_t r;
    int rc;
    while ((rc = trace_next(t, &r)) > 0)
        n++;
    if (rc < 0)
        snprintf(why, whylen, "%s", trace_error(t));
    trace_close(t);
    return rc < 0 ? n : -1;
}

/* Why no format took the head: the format that read most records before refusing one, and its
 * message ("din (the likeliest) refused path:3: bad label ..."). Empty when every format read the
 * whole head. */
static void trace_why_not(const char *path, const uint8_t *head, size_t len, char *why,
                          size_t whylen)
{
    long best = -1;
    char msg[512];
    why[0] = '\0';
    for (unsigned i = 0; formats[i]; i++) {
        long n = trace_trial(path, formats[i], head, len, msg, sizeof msg);
        if (n > best) {
            best = n;
            snprintf(why, whylen, "%s (the likeliest) refused %s", formats[i]->name, msg);
        }
    }
}

trace_t *trace_open(const char *path, const char *format, char *err, size_t errlen)
{
    return trace_open_shared(path, format, 1, err, errlen);
}

trace_t *trace_open_shared(const char *path, const char *format, unsigned traces, char *err,
                           size_t errlen)
{
    const trace_format_t *fmt = NULL;
    if (format) {
        fmt = trace_format_lookup(format);
        if (!fmt) {
            int n = snprintf(err, errlen, "unknown trace format '%s'; expected one of:", format);
            for (unsigned i = 0; formats[i] && n > 0 && (size_t)n < errlen; i++)
                n += snprintf(err + n, errlen - (size_t)n, "%s %s", i ? "," : "", formats[i]->name);
            return NULL;
        }
    }
    stream_t *s = stream_open_shared(path, traces, err, errlen);
    if (!s)
        return NULL;
    {
        /* An empty trace is a mistake whatever its format (and detection needs content). */
        const uint8_t *head;
        size_t len = stream_peek(s, &head, 1);
        if (!stream_error(s) && len == 0) {
            snprintf(err, errlen, "%s: empty file: expected a trace", path);
            stream_close(s);
            return NULL;
        }
    }
    if (!fmt) {
        const uint8_t *head;
        size_t len = stream_peek(s, &head, 4096);
        if (stream_error(s)) {
            snprintf(err, errlen, "%s: %s", path, stream_error(s));
            stream_close(s);
            return NULL;
        }
        if (len == 0) {
            snprintf(err, errlen, "%s: empty file: expected a trace", path);
            stream_close(s);
            return NULL;
        }
        int best = 0;
        for (unsigned i = 0; formats[i]; i++) {
            int score = formats[i]->probe(head, len);
            if (score > best) {
                best = score;
                fmt = formats[i];
            }
        }
        if (!fmt) {
            char why[600];
            trace_why_not(path, head, len, why, sizeof why);
            snprintf(err, errlen, "%s: not a trace format cohsim knows (see --format)%s%s", path,
                     why[0] ? "; " : "", why);
            stream_close(s);
            return NULL;
        }
    }
    return trace_make(path, fmt, s, err, errlen);
}

int trace_next(trace_t *t, mem_req_t *out)
{
    if (t->error[0])
        return -1;
    int r = t->format->next(t, t->state, out);
    if (r < 0 && !t->error[0])
        snprintf(t->error, sizeof t->error, "%s: read error", t->path);
    return r;
}

_Static_assert(OP_COUNT <= 64, "trace_batch_info_t has a bit per operation");

void *trace_reader_state(trace_t *t) { return t->state; }

void trace_set_batch_info(trace_t *t, trace_batch_info_t info)
{
    t->info = info;
    t->info_set = true;
}

trace_batch_info_t trace_batch_info(trace_t *t, const mem_req_t *out, unsigned n)
{
    if (t->info_set)
        return t->info;
    trace_batch_info_t info = {0, 0};
    for (unsigned i = 0; i < n; i++) {
        info.ops |= 1ull << out[i].op;
        info.max_cpu = out[i].cpu > info.max_cpu ? out[i].cpu : info.max_cpu;
    }
    return info;
}

int trace_next_batch(trace_t *t, mem_req_t *out, unsigned max)
{
    t->info_set = false;
    if (!t->format->next_batch || max <= 1)
        return trace_next(t, out);
    if (t->error[0])
        return -1;
    t->info_set = false;
    if (t->format->batch_fields_only && (out != t->zeroed || max > t->zeroed_max)) {
        for (unsigned i = 0; i < max; i++) {
            memset(out[i].arg, 0, sizeof out[i].arg);
            out[i].name = NULL;
        }
        t->zeroed = out;
        t->zeroed_max = max;
    }
    int r = t->format->next_batch(t, t->state, out, max);
    if (r < 0 && !t->error[0])
        snprintf(t->error, sizeof t->error, "%s: read error", t->path);
    return r;
}

const char *trace_error(const trace_t *t) { return t->error; }
const char *trace_path(const trace_t *t) { return t->path; }
const trace_format_t *trace_format(const trace_t *t) { return t->format; }
stream_t *trace_stream(trace_t *t) { return t->stream; }

void trace_close(trace_t *t)
{
    if (!t)
        return;
    if (t->format->fini)
        t->format->fini(t->state);
    stream_close(t->stream);
    free(t->state);
    free(t->path);
    free(t);
}

char *trace_read_line(trace_t *t, size_t *len, uint64_t *lineno, int *status)
{
    stream_t *s = t->stream;
    char *line = (char *)stream_line(s, len);
    if (!line) {
        const char *e = stream_error(s);
        *status = e ? trace_fail(t, stream_lineno(s) + 1, "%s", e) : 0;
        return NULL;
    }
    *lineno = stream_lineno(s);
    /* A NUL would end the line early for every parser that reads it as a string. */
    const char *nul = memchr(line, '\0', *len);
    if (nul) {
        *status = trace_fail(t, *lineno, "NUL byte at byte %zu of the line: expected text",
                             (size_t)(nul - line) + 1);
        return NULL;
    }
    *status = 1;
    return line;
}

/* Control bytes of a message (a trace's bytes echoed in it) as \xNN, so they never reach a
 * terminal raw; a message cut short by the buffer stays a string. */
static void trace_escape(trace_t *t)
{
    char out[sizeof t->error];
    size_t o = 0;
    for (const char *p = t->error; *p && o + 5 < sizeof out; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(out + o, sizeof out - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
    memcpy(t->error, out, o + 1);
}

/* The message after its prefix (the first n bytes of t->error): escaped, and -1 for the reader. */
__attribute__((format(printf, 3, 0))) static int trace_fail_rest(trace_t *t, int n,
                                                                  const char *fmt, va_list ap)
{
    if (n > 0 && (size_t)n < sizeof t->error)
        vsnprintf(t->error + n, sizeof t->error - (size_t)n, fmt, ap);
    trace_escape(t);
    return -1;
}

int trace_fail(trace_t *t, uint64_t line, const char *fmt, ...)
{
    int n = snprintf(t->error, sizeof t->error, "%s:%llu: ", t->path, (unsigned long long)line);
    va_list ap;
    va_start(ap, fmt);
    trace_fail_rest(t, n, fmt, ap);
    va_end(ap);
    return -1;
}

int trace_fail_at(trace_t *t, uint64_t offset, const char *fmt, ...)
{
    int n = snprintf(t->error, sizeof t->error, "%s: byte %llu: ", t->path,
                     (unsigned long long)offset);
    va_list ap;
    va_start(ap, fmt);
    trace_fail_rest(t, n, fmt, ap);
    va_end(ap);
    return -1;
}

int trace_fail_record(trace_t *t, uint64_t record, uint64_t offset, const char *fmt, ...)
{
    int n = snprintf(t->error, sizeof t->error, "%s: record %llu, byte %llu: ", t->path,
                     (unsigned long long)record, (unsigned long long)offset);
    va_list ap;
    va_start(ap, fmt);
    trace_fail_rest(t, n, fmt, ap);
    va_end(ap);
    return -1;
}
