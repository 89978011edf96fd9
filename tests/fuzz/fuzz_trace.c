/* fuzz_trace.c: a trace reader on any bytes: opened as FUZZ_FORMAT (or detected, with the
 * compressed wrappers, when it is NULL) and read to its end or its first error, which must name
 * the file. Built once per format (make fuzz: fuzz_trace_text, ..._auto). The binary reader is
 * also read in batches (its fast path, which reads its buffer without a check per byte), which
 * must give the same records and the same error as one at a time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "traces/trace.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT NULL
#endif

/* Read path as binary one record at a time and in batches of 64, side by side: the same
 * records, the same end or error. */
static void batches_agree(const char *path)
{
    char err[1024];
    trace_t *one = trace_open(path, "binary", err, sizeof err);
    trace_t *many = trace_open(path, "binary", err, sizeof err);
    if (!one || !many)
        abort(); /* it opened once */
    mem_req_t batch[64];
    mem_req_t r;
    int got, rc = 1;
    while ((got = trace_next_batch(many, batch, 64)) > 0)
        for (int i = 0; i < got; i++)
            if ((rc = trace_next(one, &r)) != 1 || memcmp(&r, &batch[i], sizeof r) != 0)
                abort();
    rc = trace_next(one, &r);
    if (rc != got || (rc < 0 && strcmp(trace_error(one), trace_error(many)) != 0))
        abort();
    trace_close(one);
    trace_close(many);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    if (!path)
        return 0;
    char err[1024];
    trace_t *t = trace_open(path, FUZZ_FORMAT, err, sizeof err);
    if (!t) {
        if (strncmp(err, path, strlen(path)) != 0)
            abort(); /* every message names the file */
        return 0;
    }
    mem_req_t r;
    int rc;
    while ((rc = trace_next(t, &r)) > 0)
        if (op_class((op_t)r.op) == OPC_MEM && r.size && r.addr + r.size < r.addr)
            abort(); /* no reader hands over an access that wraps */
    if (rc < 0 && strncmp(trace_error(t), path, strlen(path)) != 0)
        abort();
    if (strcmp(trace_format(t)->name, "binary") == 0)
        batches_agree(path);
    trace_close(t);
    return 0;
}
