/* memory.c: sparse memory as a hash of 4 KiB pages.
 *
 * Representation: slots[0..cap) hold (page number + 1, page pointer); key 0 marks an empty slot.
 * A key's home slot is the top `bits` bits of key * 2^64/phi (Fibonacci hashing: the high bits
 * of the product depend on every bit of the key, so regions far apart, such as one per core,
 * do not pile up in one run of slots); collisions probe linearly.
 * Invariants: cap == 2^bits; used <= cap / 2; a page number appears in at most one slot.
 */
#include "memory.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_BYTES (1u << PAGE_SHIFT)

typedef struct slot {
    uint64_t key; /* page number + 1; 0: empty */
    uint8_t *page;
} slot_t;

struct memory {
    slot_t *slots;
    uint64_t cap, used;
    unsigned bits;
    uint64_t max_pages; /* 0: no limit */
};

memory_t *memory_create(void)
{
    memory_t *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->bits = 6;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof *m->slots);
    if (!m->slots) {
        free(m);
        return NULL;
    }
    return m;
}

void memory_destroy(memory_t *m)
{
    if (!m)
        return;
    for (uint64_t i = 0; i < m->cap; i++)
        free(m->slots[i].page);
    free(m->slots);
    free(m);
}

static slot_t *find_slot(const memory_t *m, uint64_t key)
{
    uint64_t mask = m->cap - 1;
    for (uint64_t i = (key * 0x9E3779B97F4A7C15ull) >> (64 - m->bits);; i = (i + 1) & mask)
        if (m->slots[i].key == key || m->slots[i].key == 0)
            return &m->slots[i];
}

static uint8_t *page_of(const memory_t *m, uint64_t pageno)
{
    slot_t *s = find_slot(m, pageno + 1);
    return s->key ? s->page : NULL;
}

static int grow(memory_t *m)
{
    memory_t bigger = {calloc(m->cap * 2, sizeof(slot_t)), m->cap * 2, m->used, m->bits + 1,
                       m->max_pages};
    if (!bigger.slots)
        return -1;
    for (uint64_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find_slot(&bigger, m->slots[i].key) = m->slots[i];
    free(m->slots);
    *m = bigger;
    return 0;
}

static uint8_t *page_for_write(memory_t *m, uint64_t pageno)
{
    slot_t *s = find_slot(m, pageno + 1);
    if (s->key)
        return s->page;
    if (m->max_pages && m->used == m->max_pages)
        return NULL;
    if ((m->used + 1) * 2 > m->cap) {
        if (grow(m) != 0)
            return NULL;
        s = find_slot(m, pageno + 1);
    }
    uint8_t *page = calloc(1, PAGE_BYTES);
    if (!page)
        return NULL;
    s->key = pageno + 1;
    s->page = page;
    m->used++;
    return page;
}

/* Why page_for_write found no page. */
static memory_result_t no_page(const memory_t *m)
{
    return m->max_pages && m->used == m->max_pages ? MEMORY_AT_LIMIT : MEMORY_NO_HOST_MEMORY;
}

void memory_read(const memory_t *m, uint64_t addr, void *buf, size_t len)
{
    uint8_t *out = buf;
    /* Traces without values never allocate a page: every load reads zeros. */
    if (m->used == 0) {
        memset(out, 0, len);
        return;
    }
    while (len) {
        uint64_t off = addr & (PAGE_BYTES - 1);
        size_t n = PAGE_BYTES - off < len ? PAGE_BYTES - off : len;
        const uint8_t *page = page_of(m, addr >> PAGE_SHIFT);
        if (page)
            memcpy(out, page + off, n);
        else
            memset(out, 0, n);
        out += n, addr += n, len -= n;
    }
}

static int all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

memory_result_t memory_write(memory_t *m, uint64_t addr, const void *buf, size_t len)
{
    const uint8_t *in = buf;
    while (len) {
        uint64_t off = addr & (PAGE_BYTES - 1);
        size_t n = PAGE_BYTES - off < len ? PAGE_BYTES - off : len;
        /* Zeros written to a page never written before change nothing: traces without values
         * (Dinero, Lackey, ChampSim) then keep memory use independent of their footprint. */
        if (!page_of(m, addr >> PAGE_SHIFT) && all_zero(in, n)) {
            in += n, addr += n, len -= n;
            continue;
        }
        uint8_t *page = page_for_write(m, addr >> PAGE_SHIFT);
        if (!page)
            return no_page(m);
        memcpy(page + off, in, n);
        in += n, addr += n, len -= n;
    }
    return MEMORY_OK;
}

uint64_t memory_pages(const memory_t *m) { return m->used; }

uint64_t memory_load_le(const memory_t *m, uint64_t addr, unsigned size)
{
    uint8_t b[8] = {0};
    memory_read(m, addr, b, size > 8 ? 8 : size);
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | b[i];
    return v;
}

memory_result_t memory_store_le(memory_t *m, uint64_t addr, unsigned size, uint64_t value)
{
    /* Every store performed goes through here: a store of up to 8 bytes inside one page is
     * written in place (memory_write's rules: zeros to a page never written allocate nothing). */
    uint64_t off = addr & (PAGE_BYTES - 1);
    if (size - 1 < 8 && off + size <= PAGE_BYTES) {
        uint8_t *page = page_of(m, addr >> PAGE_SHIFT);
        if (!page) {
            if (!(size < 8 ? value & ((1ull << (8 * size)) - 1) : value))
                return MEMORY_OK;
            if (!(page = page_for_write(m, addr >> PAGE_SHIFT)))
                return no_page(m);
        }
        /* Written out so that the compiler makes it one store on a little-endian host. */
        uint8_t b[8] = {(uint8_t)value,         (uint8_t)(value >> 8),  (uint8_t)(value >> 16),
                        (uint8_t)(value >> 24), (uint8_t)(value >> 32), (uint8_t)(value >> 40),
                        (uint8_t)(value >> 48), (uint8_t)(value >> 56)};
        if (size == 8)
            memcpy(page + off, b, 8);
        else
            memcpy(page + off, b, size);
        return MEMORY_OK;
    }
    uint8_t b[64] = {0};
    for (unsigned i = 0; i < 8 && i < size; i++)
        b[i] = (uint8_t)(value >> (8 * i));
    return memory_write(m, addr, b, size > 64 ? 64 : size);
}

void memory_set_limit(memory_t *m, uint64_t max_pages) { m->max_pages = max_pages; }

bool memory_at_limit(const memory_t *m) { return m->max_pages && m->used == m->max_pages; }

uint64_t memory_bytes_for(uint64_t pages)
{
    /* the table is at most half full and doubles: up to four slots a page */
    return pages * (PAGE_BYTES + 4 * sizeof(slot_t));
}
