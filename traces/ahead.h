/* ahead.h: a trace's records read ahead on a thread of its own, batch by batch, in order.
 *
 * The thread runs trace_next_batch (the same batch size, the same batch summaries) into a ring of
 * AHEAD_BATCHES batches; the reader takes them in the order they were decoded. An error or the
 * end comes after every batch decoded before it, with the trace's own message, so the reader sees
 * exactly what trace_next_batch would give it one call after another, whatever the timing. While
 * the read-ahead runs the trace is the thread's: the reader touches it again only after
 * trace_ahead_stop (trace_path and trace_format, fixed at open, excepted).
 */
#ifndef COHSIM_AHEAD_H
#define COHSIM_AHEAD_H

#include "traces/trace.h"

typedef struct trace_ahead trace_ahead_t;

/* Start reading t ahead in batches of up to max records. NULL when that cannot be (no memory, no
 * thread): the caller then reads t itself, as if it had not asked. */
trace_ahead_t *trace_ahead_start(trace_t *t, unsigned max);
/* The next batch, as trace_next_batch: count > 0 with *recs its records (valid, and the caller's
 * to change, until the next call) and *info their summary (trace_batch_info); 0 at the end; -1
 * with the trace's message in trace_ahead_error. After 0 or -1 every later call says the same. */
int trace_ahead_next(trace_ahead_t *a, mem_req_t **recs, trace_batch_info_t *info);
const char *trace_ahead_error(const trace_ahead_t *a);
/* Stop the thread (it finishes the batch in hand), join it and free the ring; NULL is fine. The
 * trace is the caller's again (records decoded and not taken are dropped). */
void trace_ahead_stop(trace_ahead_t *a);

#endif
