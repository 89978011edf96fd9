/* ipi.h: one core's end of the inter-processor interrupt wires: the IPIs sent to it and not yet
 * handled, the handler it is running, and, as a sender, the acknowledgements it waits for.
 *
 * The port keeps the state; the machine decides times (latency, jitter, the handler's wait for an
 * empty store buffer) and runs the handler as an event. Invariants:
 * - a port runs at most one handler at a time, and holds at most IPI_MAX_QUEUED undelivered IPIs;
 * - IPIs are delivered earliest first (the lowest slot among equal times);
 * - a sender's acks_waiting counts the IPIs it sent that no handler has acknowledged yet; a round
 *   (the IPIs one request sends) starts when it is 0;
 * - every IPI names the work its handler does: drain the store buffer (all do that first), or also
 *   write back and invalidate the core's caches.
 */
#ifndef COHSIM_IPI_H
#define COHSIM_IPI_H

#include <stdbool.h>
#include <stdint.h>

#define IPI_MAX_QUEUED 64

typedef struct ipi_stats {
    uint64_t sent, delivered;
} ipi_stats_t;

/* What a handler does once its core's store buffer has drained. */
typedef enum ipi_work {
    IPI_WORK_DRAIN,        /* nothing more (FlushProcessWriteBuffers, a TLB shootdown) */
    IPI_WORK_FLUSH_CACHES, /* write back and invalidate the core's caches (KeInvalidateAllCaches) */
} ipi_work_t;

typedef struct ipi_irq {
    uint64_t at;     /* delivery cycle */
    unsigned from;   /* the sender, to acknowledge */
    ipi_work_t work;
} ipi_irq_t;

/* The fields the event loop reads for every core it looks at come first, the queue last, so
 * that they share a cache line with the core's fields before the port (machine_priv.h). */
typedef struct ipi_port {
    unsigned nirqs;
    bool in_handler;
    unsigned acks_waiting;          /* as a sender */
    ipi_irq_t handling;             /* the IPI whose handler runs, while in_handler */
    bool work_done;                 /* its work beyond the drain is done, the handler ending at */
    uint64_t work_until;            /* work_until */
    uint64_t last_ack;              /* the latest acknowledgement of the current round */
    uint64_t round_drained;         /* store-buffer entries the round's handlers found */
    /* the lines the round's handlers invalidated and wrote back (IPI_WORK_FLUSH_CACHES) */
    uint64_t round_invalidated, round_written_back;
    unsigned flushes_pending;       /* the round's IPI_WORK_FLUSH_CACHES handlers yet to flush */
    ipi_stats_t stats;
    ipi_irq_t irqs[IPI_MAX_QUEUED]; /* sent to this core, not yet delivered */
} ipi_port_t;

/* Sender `from` (its port sender) sends an IPI at cycle now, to be delivered to port to at cycle
 * at, its handler to do work. 0, or -1 when to already holds IPI_MAX_QUEUED undelivered IPIs
 * (nothing changed). */
int ipi_send(ipi_port_t *sender, unsigned from, ipi_port_t *to, uint64_t now, uint64_t at,
             ipi_work_t work) __attribute__((warn_unused_result));
/* The slot of the earliest queued IPI (p->nirqs > 0; the lowest slot among equal times). */
static inline unsigned ipi_earliest(const ipi_port_t *p)
{
    unsigned k = 0;
    for (unsigned j = 1; j < p->nirqs; j++)
        if (p->irqs[j].at < p->irqs[k].at)
            k = j;
    return k;
}
/* Whether port p can take an IPI now (no handler running, one queued), and when the earliest
 * arrives. Inline: the event loop asks for every core whose state changed. */
static inline bool ipi_next_delivery(const ipi_port_t *p, uint64_t *at)
{
    if (p->in_handler || p->nirqs == 0)
        return false;
    *at = p->irqs[ipi_earliest(p)].at;
    return true;
}
/* Deliver the earliest queued IPI: the handler starts. Returns its sender. */
unsigned ipi_deliver(ipi_port_t *p);
/* The handler of p, which may start work once its store buffer drained at cycle drained_at,
 * finishes at the returned cycle (or its work does, when it has work beyond the drain that is not
 * done yet: the machine then does it, ipi_work_done, and the handler ends after it). */
static inline uint64_t ipi_handler_end(const ipi_port_t *p, uint64_t drained_at,
                                       uint32_t handler_cost)
{
    if (p->work_done)
        return p->work_until;
    return (p->handling.at > drained_at ? p->handling.at : drained_at) + handler_cost;
}
/* Whether the running handler still has work beyond the drain to do. */
static inline bool ipi_work_pending(const ipi_port_t *p)
{
    return p->handling.work != IPI_WORK_DRAIN && !p->work_done;
}
/* The running handler's work is done; the handler ends at cycle until. */
static inline void ipi_work_done(ipi_port_t *p, uint64_t until)
{
    p->work_done = true;
    p->work_until = until;
}
/* The handler finished. Returns the sender to acknowledge. */
unsigned ipi_handler_finish(ipi_port_t *p);
/* Sender s receives an acknowledgement at cycle at; true when it was the last it waited for. */
bool ipi_ack(ipi_port_t *s, uint64_t at);
/* Whether p has interrupt work: a handler running or an IPI queued. */
static inline bool ipi_busy(const ipi_port_t *p) { return p->in_handler || p->nirqs; }

#endif
