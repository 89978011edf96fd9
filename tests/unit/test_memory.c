/* test_memory.c: sparse memory: little-endian stores of every size, across page boundaries, and
 * the rule that zeros never allocate a page, and pages kept as 64-byte chunks. */
#include <criterion/criterion.h>

#include "model/memory.h"

Test(memory, store_le_every_size_and_offset_reads_back)
{
    memory_t *m = memory_create();
    cr_assert_not_null(m);
    uint64_t v = 0x8877665544332211ull;
    /* Offsets near the end of a page make the wider stores straddle two pages. */
    for (unsigned size = 1; size <= 8; size++)
        for (uint64_t off = 4096 - 9; off < 4096 + 2; off++) {
            uint64_t addr = ((uint64_t)size << 20) + off;
            cr_assert_eq(memory_store_le(m, addr, size, v), 0);
            uint64_t want = size < 8 ? v & ((1ull << (8 * size)) - 1) : v;
            cr_assert_eq(memory_load_le(m, addr, size), want, "size %u offset %llu", size,
                         (unsigned long long)off);
            /* The bytes beside it are untouched by a store that fits. */
            cr_assert_eq(memory_load_le(m, addr + size, 1), 0);
            cr_assert_eq(memory_store_le(m, addr, size, 0), 0);
        }
    memory_destroy(m);
}

Test(memory, zeros_allocate_nothing_and_bytes_above_size_are_ignored)
{
    memory_t *m = memory_create();
    cr_assert_not_null(m);
    cr_assert_eq(memory_store_le(m, 0x1000, 8, 0), 0);
    /* Only the low size bytes of the value are stored: these are all zero. */
    cr_assert_eq(memory_store_le(m, 0x2000, 2, 0xffff0000ull), 0);
    cr_assert_eq(memory_store_le(m, 0x3ffe, 4, 0), 0); /* straddles two pages */
    cr_assert_eq(memory_pages(m), 0);
    cr_assert_eq(memory_store_le(m, 0x2000, 2, 0x12340001ull), 0);
    cr_assert_eq(memory_pages(m), 1);
    cr_assert_eq(memory_load_le(m, 0x2000, 4), 0x0001);
    /* A store wider than 8 bytes writes the value and zeros above it. */
    cr_assert_eq(memory_store_le(m, 0x2004, 8, ~0ull), 0);
    cr_assert_eq(memory_store_le(m, 0x2000, 16, 0x55), 0);
    cr_assert_eq(memory_load_le(m, 0x2000, 8), 0x55);
    cr_assert_eq(memory_load_le(m, 0x2008, 8), 0);
    memory_destroy(m);
}

Test(memory, many_distant_pages_keep_their_bytes)
{
    /* Regions far apart (one per core, say) and enough pages to grow the table several times. */
    memory_t *m = memory_create();
    cr_assert_not_null(m);
    for (uint64_t r = 0; r < 8; r++)
        for (uint64_t p = 0; p < 300; p++)
            cr_assert_eq(memory_store_le(m, (r << 40) + (p << 12) + 8, 8, r * 1000 + p + 1), 0);
    cr_assert_eq(memory_pages(m), 8 * 300);
    for (uint64_t r = 0; r < 8; r++)
        for (uint64_t p = 0; p < 300; p++)
            cr_assert_eq(memory_load_le(m, (r << 40) + (p << 12) + 8, 8), r * 1000 + p + 1);
    memory_destroy(m);
}

/* A write past memory_set_limit's pages says so by its result, and leaves memory as it was. */
Test(memory, a_write_past_the_limit_is_named)
{
    memory_t *m = memory_create();
    cr_assert_not_null(m);
    memory_set_limit(m, 2);
    cr_assert_eq(memory_store_le(m, 0x1000, 8, 1), MEMORY_OK);
    cr_assert_eq(memory_store_le(m, 0x2000, 8, 2), MEMORY_OK);
    cr_assert_eq(memory_store_le(m, 0x3000, 8, 3), MEMORY_AT_LIMIT);
    uint8_t b[16] = {1};
    cr_assert_eq(memory_write(m, 0x4ff8, b, sizeof b), MEMORY_AT_LIMIT);
    cr_assert_eq(memory_store_le(m, 0x3000, 8, 0), MEMORY_OK); /* zeros need no page */
    cr_assert(memory_at_limit(m));
    cr_assert_eq(memory_pages(m), 2);
    cr_assert_eq(memory_load_le(m, 0x3000, 8), 0);
    memory_destroy(m);
}

/* Pages keep only the 64-byte chunks written: stores that straddle two chunks, a write across a
 * page of chunks some written and some not, and line reads of written and unwritten chunks all
 * read back what a flat array would hold. */
Test(memory, chunks_of_a_page_read_back_as_a_flat_page_would)
{
    memory_t *m = memory_create();
    cr_assert_not_null(m);
    uint8_t flat[2 * 4096] = {0};
    uint64_t base = 0x7000;
    for (unsigned i = 0; i < 40; i++) {
        uint64_t off = (i * 997u) % (sizeof flat - 8), v = 0x0102030405060708ull * (i + 1);
        unsigned size = 1u << (i % 4);
        cr_assert_eq(memory_store_le(m, base + off, size, v), MEMORY_OK);
        for (unsigned b = 0; b < size; b++)
            flat[off + b] = (uint8_t)(v >> (8 * b));
    }
    uint8_t run[200];
    for (unsigned i = 0; i < sizeof run; i++)
        run[i] = (uint8_t)(i + 1);
    cr_assert_eq(memory_write(m, base + 4096 - 100, run, sizeof run), MEMORY_OK);
    for (unsigned i = 0; i < sizeof run; i++)
        flat[4096 - 100 + i] = run[i];
    uint8_t got[sizeof flat];
    memory_read(m, base, got, sizeof got);
    cr_assert_arr_eq(got, flat, sizeof flat);
    for (uint64_t line = 0; line < sizeof flat; line += 64) {
        uint8_t l[64];
        memory_read(m, base + line, l, sizeof l);
        cr_assert_arr_eq(l, flat + line, sizeof l, "line at %llu", (unsigned long long)line);
    }
    cr_assert_eq(memory_pages(m), 2);
    memory_destroy(m);
}
