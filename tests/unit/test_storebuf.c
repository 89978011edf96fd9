/* test_storebuf.c: the store buffer alone (no machine), as an RTL twin's harness drives it:
 * capacity, in-order drain, youngest-match forwarding byte by byte, drain timing; and the IPI
 * ports: earliest-first delivery, one handler at a time, acknowledgements ending a round. */
#include <criterion/criterion.h>

#include "model/ipi.h"
#include "model/storebuf.h"

Test(storebuf, drains_in_program_order_and_respects_capacity)
{
    sb_t *sb = sb_create(3, 5);
    cr_assert_not_null(sb);
    cr_assert_eq(sb_capacity(sb), 3);
    cr_assert_null(sb_drain_next(sb));
    for (unsigned i = 0; i < 3; i++)
        sb_push(sb, 0x100 + 8 * i, 8, i, 10 + i);
    cr_assert(sb_is_full(sb));
    /* Wrap the ring: drain one, push one, and the order stays that of the pushes. */
    cr_assert_eq(sb_drain_time(sb), 15);
    sb_drain_done(sb, 40);
    sb_push(sb, 0x200, 4, 3, 20);
    uint64_t want[] = {0x108, 0x110, 0x200};
    for (unsigned i = 0; i < 3; i++) {
        const sb_entry_t *e = sb_drain_next(sb);
        cr_assert_not_null(e);
        cr_assert_eq(e->addr, want[i]);
        /* A drain waits for the previous one to finish (busy until 40) */
        cr_assert_eq(sb_drain_time(sb), i == 0 ? 40 : 100 + i - 1);
        sb_drain_done(sb, 100 + i);
    }
    cr_assert_eq(sb_occupancy(sb), 0);
    cr_assert_eq(sb_busy_until(sb), 102);
    const sb_stats_t *st = sb_stats(sb);
    cr_assert_eq(st->stores, 4);
    cr_assert_eq(st->drained, 4);
    cr_assert_eq(st->max_occupancy, 3);
    sb_destroy(sb);
}

Test(storebuf, forwards_each_byte_from_the_youngest_store)
{
    sb_t *sb = sb_create(4, 1);
    sb_push(sb, 0x40, 8, 0x1111111111111111ull, 0);
    sb_push(sb, 0x42, 2, 0x2222, 1);   /* younger: bytes 2..3 */
    sb_push(sb, 0x43, 1, 0x33, 2);     /* youngest: byte 3 */
    uint8_t b[8];
    memset(b, 0xee, sizeof b);
    cr_assert_eq(sb_forward(sb, 0x40, 8, b), 8);
    uint8_t want[8] = {0x11, 0x11, 0x22, 0x33, 0x11, 0x11, 0x11, 0x11};
    cr_assert_arr_eq(b, want, 8);
    /* Partly covered: the bytes outside every entry keep the hierarchy's value. */
    memset(b, 0xee, sizeof b);
    cr_assert_eq(sb_forward(sb, 0x46, 4, b), 2);
    cr_assert_eq(b[1], 0x11);
    cr_assert_eq(b[2], 0xee);
    cr_assert_eq(sb_forward(sb, 0x80, 8, NULL), 0);
    cr_assert_not(sb_overlaps(sb, 0x48, 8));
    cr_assert(sb_overlaps(sb, 0x47, 8));
    /* sb_load counts a forward only when the buffer supplied every byte. */
    sb_load(sb, 0x46, 4, NULL);
    cr_assert_eq(sb_stats(sb)->forwarded, 0);
    sb_load(sb, 0x42, 2, NULL);
    cr_assert_eq(sb_stats(sb)->forwarded, 1);
    sb_destroy(sb);
}

Test(storebuf, zero_capacity_holds_nothing)
{
    sb_t *sb = sb_create(0, 1);
    cr_assert_not_null(sb);
    cr_assert(sb_is_full(sb));
    cr_assert_eq(sb_forward(sb, 0, 8, NULL), 0);
    sb_destroy(sb);
}

Test(ipi, delivers_earliest_first_and_acks_end_the_round)
{
    ipi_port_t s = {0}, a = {0};
    uint64_t at;
    cr_assert_not(ipi_next_delivery(&a, &at));
    cr_assert_eq(ipi_send(&s, 7, &a, 10, 300, IPI_WORK_DRAIN), 0);
    cr_assert_eq(ipi_send(&s, 7, &a, 10, 200, IPI_WORK_DRAIN), 0);
    cr_assert_eq(s.acks_waiting, 2);
    cr_assert(ipi_next_delivery(&a, &at));
    cr_assert_eq(at, 200);
    cr_assert_eq(ipi_deliver(&a), 7);
    /* One handler at a time: the second waits. */
    cr_assert_not(ipi_next_delivery(&a, &at));
    cr_assert_eq(ipi_handler_end(&a, 250, 50), 300);
    cr_assert_eq(ipi_handler_finish(&a), 7);
    cr_assert_not(ipi_ack(&s, 300));
    cr_assert(ipi_next_delivery(&a, &at));
    cr_assert_eq(at, 300);
    ipi_deliver(&a);
    ipi_handler_finish(&a);
    cr_assert(ipi_ack(&s, 280));
    cr_assert_eq(s.last_ack, 300);
    cr_assert_eq(s.stats.sent, 2);
    cr_assert_eq(a.stats.delivered, 2);
}

Test(ipi, a_full_queue_refuses)
{
    ipi_port_t s = {0}, a = {0};
    for (unsigned i = 0; i < IPI_MAX_QUEUED; i++)
        cr_assert_eq(ipi_send(&s, 0, &a, 0, i, IPI_WORK_DRAIN), 0);
    cr_assert_eq(ipi_send(&s, 0, &a, 0, 99, IPI_WORK_DRAIN), -1);
    cr_assert_eq(s.acks_waiting, IPI_MAX_QUEUED);
}
