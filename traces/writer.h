/* writer.h: writing traces: the cohsim binary (version 2, or binary-v1) and text formats, and
 * Dinero's din and xdin.
 *
 * A writer formats records onto a FILE the caller opened (the caller makes the output whole or
 * nothing: a temporary file renamed into place). Records a format cannot carry are refused with
 * a reason; what din and xdin change (they have no values, din no sizes) is counted and said
 * (trace_writer_losses).
 */
#ifndef COHSIM_WRITER_H
#define COHSIM_WRITER_H

#include <stddef.h>
#include <stdio.h>

#include "model/op.h"

typedef struct trace_writer trace_writer_t;

/* A writer of format ("binary", "binary-v1", "text", "din", "xdin") onto out; NULL with the reason in err. */
trace_writer_t *trace_writer_open(const char *format, FILE *out, char *err, size_t errlen);
/* 0, or -1 with the reason in err (a record the format cannot carry, a write error). */
int trace_writer_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen);
/* 1 with a sentence in buf saying what the records written so far lost (din: sizes and lines;
 * din and xdin: values and modify marks), 0 when nothing was lost. */
int trace_writer_losses(const trace_writer_t *w, char *buf, size_t len);
/* Flush; 0 or -1 on a write error. Frees the writer; does not close out. */
int trace_writer_close(trace_writer_t *w, char *err, size_t errlen);
/* The names of the formats that can be written, comma-separated. */
const char *trace_writer_formats(void);

#endif
