/* ipi.c: the inter-processor interrupt ports: send, deliver, handle, acknowledge. Invariants:
 * ipi.h. */
#include "ipi.h"

#include <assert.h>

int ipi_send(ipi_port_t *sender, unsigned from, ipi_port_t *to, uint64_t now, uint64_t at,
             ipi_work_t work)
{
    if (to->nirqs == IPI_MAX_QUEUED)
        return -1;
    if (sender->acks_waiting == 0) {
        sender->round_drained = 0;
        sender->round_invalidated = sender->round_written_back = 0;
        sender->last_ack = now;
    }
    to->irqs[to->nirqs++] = (ipi_irq_t){at, from, work};
    if (work == IPI_WORK_FLUSH_CACHES)
        sender->flushes_pending++;
    sender->acks_waiting++;
    sender->stats.sent++;
    return 0;
}

unsigned ipi_deliver(ipi_port_t *p)
{
    assert(!p->in_handler && p->nirqs > 0);
    unsigned k = ipi_earliest(p);
    p->handling = p->irqs[k];
    p->irqs[k] = p->irqs[--p->nirqs];
    p->in_handler = true;
    p->work_done = false;
    p->stats.delivered++;
    return p->handling.from;
}

unsigned ipi_handler_finish(ipi_port_t *p)
{
    assert(p->in_handler);
    p->in_handler = false;
    return p->handling.from;
}

bool ipi_ack(ipi_port_t *s, uint64_t at)
{
    assert(s->acks_waiting > 0);
    if (at > s->last_ack)
        s->last_ack = at;
    return --s->acks_waiting == 0;
}
