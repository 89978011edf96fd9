/* fuzz_trace.c: a trace reader on any bytes: opened as FUZZ_FORMAT (or detected, with the
 * compressed wrappers, when it is NULL) and read to its end or its first error, which must name
 * the file. Built once per format (make fuzz: fuzz_trace_text, ..._auto). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/fuzz.h"
#include "traces/trace.h"

#ifndef FUZZ_FORMAT
#define FUZZ_FORMAT NULL
#endif

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
    trace_close(t);
    return 0;
}
