/* ahead.c: a trace's records read ahead on a thread of its own (ahead.h), after decode.c's reader
 * thread: a ring of batches filled by the thread and taken in order by the reader.
 *
 * Invariants: only the thread touches the trace until it has been joined; the thread fills slot
 * (head + filled) and then counts it in filled, the reader takes slot head, and it stays the
 * reader's (still counted in filled, so the thread never writes it) until the next call; so
 * batches leave the ring in the order they were decoded. The end or an error is published (its
 * message written first) only after every batch before it was counted, and the reader looks at
 * it only when the ring is empty, so it comes after them all.
 * Hand-overs go through atomics (no lock per batch). A side that must wait sleeps on a condition
 * variable: it raises its `waits` flag and re-checks under the mutex; the other side, after its
 * atomic update, signals under the mutex when it sees the flag (sequentially consistent, so no
 * wake-up is lost). The thread is woken only when half the ring is free (few wake-ups); the
 * reader, which has nothing else to do, first spins a little: an empty ring usually means the
 * thread is within a batch of it.
 */
#include "traces/ahead.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD_BATCHES 16u
/* Looks at an empty ring before the reader sleeps (about a microsecond). */
#define AHEAD_SPIN 1000u

typedef struct ahead_slot {
    mem_req_t *recs;
    int count;
    trace_batch_info_t info;
} ahead_slot_t;

struct trace_ahead {
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t filled_cv; /* the reader sleeps on it */
    pthread_cond_t freed_cv;  /* the thread sleeps on it */
    trace_t *trace;
    unsigned max;
    ahead_slot_t slot[AHEAD_BATCHES];
    unsigned head;             /* the reader's: the oldest filled slot */
    unsigned tail;             /* the thread's: the next slot it fills */
    int held;                  /* the reader's: it holds slot head */
    atomic_uint filled;        /* filled slots, the held one included */
    atomic_int ended;          /* 1 at the end, -1 after an error (error written before) */
    atomic_int stop;           /* the reader stops: end early */
    atomic_int thread_waits, reader_waits;
    char error[512];
};

/* Wake the side sleeping on cv if its flag says it sleeps or is about to. */
static void ahead_wake(trace_ahead_t *a, atomic_int *waits, pthread_cond_t *cv)
{
    if (atomic_load(waits)) {
        pthread_mutex_lock(&a->mu);
        pthread_cond_signal(cv);
        pthread_mutex_unlock(&a->mu);
    }
}

static bool ahead_room(trace_ahead_t *a)
{
    return AHEAD_BATCHES - atomic_load(&a->filled) >= AHEAD_BATCHES / 2 || atomic_load(&a->stop);
}

static void *ahead_main(void *arg)
{
    trace_ahead_t *a = arg;
    for (;;) {
        if (atomic_load(&a->filled) == AHEAD_BATCHES && !atomic_load(&a->stop)) {
            pthread_mutex_lock(&a->mu);
            atomic_store(&a->thread_waits, 1);
            while (!ahead_room(a))
                pthread_cond_wait(&a->freed_cv, &a->mu);
            atomic_store(&a->thread_waits, 0);
            pthread_mutex_unlock(&a->mu);
        }
        if (atomic_load(&a->stop))
            break;
        ahead_slot_t *s = &a->slot[a->tail];
        int n = trace_next_batch(a->trace, s->recs, a->max);
        if (n > 0) {
            s->info = trace_batch_info(a->trace, s->recs, (unsigned)n);
            s->count = n;
            a->tail = (a->tail + 1) % AHEAD_BATCHES;
            atomic_fetch_add(&a->filled, 1);
        } else {
            if (n < 0)
                snprintf(a->error, sizeof a->error, "%s", trace_error(a->trace));
            atomic_store(&a->ended, n < 0 ? -1 : 1);
        }
        ahead_wake(a, &a->reader_waits, &a->filled_cv);
        if (n <= 0)
            break;
    }
    return NULL;
}

static void ahead_free(trace_ahead_t *a)
{
    free(a->slot[0].recs);
    free(a);
}

trace_ahead_t *trace_ahead_start(trace_t *t, unsigned max)
{
    if (max == 0)
        max = 1;
    trace_ahead_t *a = calloc(1, sizeof *a);
    mem_req_t *recs = a ? calloc((size_t)AHEAD_BATCHES * max, sizeof *recs) : NULL;
    if (!recs) {
        free(a);
        return NULL;
    }
    for (unsigned i = 0; i < AHEAD_BATCHES; i++)
        a->slot[i].recs = recs + (size_t)i * max;
    /* calloc zeroed every arg and name; trace_ahead_next's callers change neither */
    trace_batch_buffer(t, recs, (size_t)AHEAD_BATCHES * max);
    a->trace = t;
    a->max = max;
    atomic_init(&a->filled, 0);
    atomic_init(&a->ended, 0);
    atomic_init(&a->stop, 0);
    atomic_init(&a->thread_waits, 0);
    atomic_init(&a->reader_waits, 0);
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->filled_cv, NULL);
    pthread_cond_init(&a->freed_cv, NULL);
    if (pthread_create(&a->thread, NULL, ahead_main, a) != 0) {
        pthread_mutex_destroy(&a->mu);
        pthread_cond_destroy(&a->filled_cv);
        pthread_cond_destroy(&a->freed_cv);
        ahead_free(a);
        return NULL;
    }
    return a;
}

/* Whether the reader can go on: a batch is there, or the thread ended. The end is read after
 * filled, and the thread publishes it after its last batch, so it is seen only with none left. */
static bool ahead_ready(trace_ahead_t *a)
{
    return atomic_load(&a->filled) > 0 || atomic_load(&a->ended);
}

int trace_ahead_next(trace_ahead_t *a, mem_req_t **recs, trace_batch_info_t *info)
{
    if (a->held) {
        a->head = (a->head + 1) % AHEAD_BATCHES;
        a->held = 0;
        atomic_fetch_sub(&a->filled, 1);
        if (ahead_room(a))
            ahead_wake(a, &a->thread_waits, &a->freed_cv);
    }
    for (unsigned spin = 0; spin < AHEAD_SPIN && !ahead_ready(a); spin++)
        continue;
    if (!ahead_ready(a)) {
        pthread_mutex_lock(&a->mu);
        atomic_store(&a->reader_waits, 1);
        while (!ahead_ready(a))
            pthread_cond_wait(&a->filled_cv, &a->mu);
        atomic_store(&a->reader_waits, 0);
        pthread_mutex_unlock(&a->mu);
    }
    if (atomic_load(&a->filled) == 0)
        return atomic_load(&a->ended) < 0 ? -1 : 0;
    ahead_slot_t *s = &a->slot[a->head];
    a->held = 1;
    *recs = s->recs;
    *info = s->info;
    return s->count;
}

const char *trace_ahead_error(const trace_ahead_t *a) { return a->error; }

void trace_ahead_stop(trace_ahead_t *a)
{
    if (!a)
        return;
    atomic_store(&a->stop, 1);
    pthread_mutex_lock(&a->mu);
    pthread_cond_signal(&a->freed_cv);
    pthread_mutex_unlock(&a->mu);
    pthread_join(a->thread, NULL);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->filled_cv);
    pthread_cond_destroy(&a->freed_cv);
    ahead_free(a);
}
