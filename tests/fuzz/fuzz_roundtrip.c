/* fuzz_roundtrip.c: a text trace (directives, primitives with as=, accesses) read, written back by
 * `trace convert`'s writers (text, and binary version 2), and read again must give the same
 * requests, field by field, in the same order, and end cleanly. The records compared are those
 * read before the input's end or first error, up to the first one a writer refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/fuzz/fuzz.h"
#include "traces/trace.h"
#include "traces/writer.h"

/* Enough to reach every kind of line; the fuzzer's inputs are small. */
#define ROUNDTRIP_MAX 4096

typedef struct kept {
    mem_req_t req;
    char *name; /* the request's name, copied (the reader owns its own) */
} kept_t;

static int same_req(const mem_req_t *a, const char *a_name, const mem_req_t *b)
{
    if (a->addr != b->addr || a->value != b->value || a->size != b->size || a->cpu != b->cpu ||
        a->op != b->op || a->flags != b->flags || memcmp(a->arg, b->arg, sizeof a->arg) != 0)
        return 0;
    if (!a_name || !b->name)
        return a_name == b->name;
    return strcmp(a_name, b->name) == 0;
}

/* Write the n kept requests in format to a scratch file; read it back and compare. */
static void roundtrip(const kept_t *kept, size_t n, const char *format)
{
    const char *dir = getenv("TMPDIR");
    char path[256];
    snprintf(path, sizeof path, "%s/cohsim-roundtrip-XXXXXX",
             dir && strlen(dir) < 128 ? dir : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return;
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        close(fd);
        unlink(path);
        return;
    }
    char err[1024];
    trace_writer_t *w = trace_writer_open(format, f, err, sizeof err);
    if (!w)
        abort();
    size_t written = 0;
    while (written < n && trace_writer_put(w, &kept[written].req, err, sizeof err) == 0)
        written++;
    if (trace_writer_close(w, err, sizeof err) != 0 || fclose(f) != 0) {
        unlink(path);
        return;
    }
    trace_t *t = trace_open(path, strcmp(format, "text") == 0 ? "text" : "binary", err, sizeof err);
    if (!t) {
        fprintf(stderr, "roundtrip %s: %s\n", format, err);
        abort();
    }
    mem_req_t r;
    int rc = 0;
    for (size_t i = 0; i < written; i++)
        if ((rc = trace_next(t, &r)) != 1 || !same_req(&kept[i].req, kept[i].name, &r)) {
            fprintf(stderr, "roundtrip %s: record %zu differs (rc %d%s%s)\n", format, i, rc,
                    rc < 0 ? ": " : "", rc < 0 ? trace_error(t) : "");
            abort();
        }
    if ((rc = trace_next(t, &r)) != 0) {
        fprintf(stderr, "roundtrip %s: %d after the last record%s%s\n", format, rc,
                rc < 0 ? ": " : "", rc < 0 ? trace_error(t) : "");
        abort();
    }
    trace_close(t);
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    if (!path)
        return 0;
    char err[1024];
    trace_t *t = trace_open(path, "text", err, sizeof err);
    if (!t)
        return 0;
    kept_t *kept = calloc(ROUNDTRIP_MAX, sizeof *kept);
    size_t n = 0;
    mem_req_t r;
    while (kept && n < ROUNDTRIP_MAX && trace_next(t, &r) > 0) {
        kept[n].req = r;
        kept[n].name = r.name ? strdup(r.name) : NULL;
        kept[n].req.name = kept[n].name;
        n++;
    }
    trace_close(t);
    if (kept) {
        if (n > 0) /* no records is an empty text file, which the reader refuses */
            roundtrip(kept, n, "text");
        roundtrip(kept, n, "binary");
        for (size_t i = 0; i < n; i++)
            free(kept[i].name);
    }
    free(kept);
    return 0;
}
