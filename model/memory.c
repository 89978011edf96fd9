/* memory.c: sparse memory as a hash of 4 KiB pages, each a directory of 64-byte chunks.
 *
 * Representation: slots[0..cap) hold (page number + 1, page directory); key 0 marks an empty
 * slot. A key's home slot is the top `bits` bits of key * 2^64/phi (Fibonacci hashing: the high
 * bits of the product depend on every bit of the key, so regions far apart, such as one per core,
 * do not pile up in one run of slots); collisions probe linearly. A directory holds a pointer per
 * 64-byte chunk of its page, NULL for a chunk never written with a nonzero byte (it reads as
 * zeros): a program that writes a word here and there (a heap walked in short runs) keeps only
 * the chunks it wrote, about a third of its pages' bytes, instead of whole pages. Chunks are cut
 * from blocks of ARENA_CHUNKS chunks (no allocator overhead per chunk), freed only with the memory.
 * Invariants: cap == 2^bits; used <= cap / 2; a page number appears in at most one slot;
 * `used` counts pages (the limit's unit), not chunks; a chunk belongs to one directory entry.
 */
#include "memory.h"

#include <stdlib.h>
#include <string.h>

#define PAGE_SHIFT 12
#define PAGE_BYTES (1u << PAGE_SHIFT)
#define CHUNK_SHIFT 6
#define CHUNK_BYTES (1u << CHUNK_SHIFT)
#define PAGE_CHUNKS (PAGE_BYTES / CHUNK_BYTES)
#define ARENA_CHUNKS 1024u

typedef struct page_dir {
    uint8_t *chunk[PAGE_CHUNKS];
} page_dir_t;

typedef struct slot {
    uint64_t key; /* page number + 1; 0: empty */
    page_dir_t *page;
} slot_t;

/* A block of chunks; blocks are chained for memory_destroy. */
typedef struct arena_block {
    struct arena_block *prev;
    uint8_t bytes[] __attribute__((aligned(CHUNK_BYTES)));
} arena_block_t;

struct memory {
    slot_t *slots;
    uint64_t cap, used;
    unsigned bits;
    uint64_t max_pages;  /* 0: no limit */
    arena_block_t *block; /* the newest block of chunks, or NULL */
    unsigned block_left;  /* chunks not yet handed out in block */
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
    for (arena_block_t *b = m->block; b;) {
        arena_block_t *prev = b->prev;
        free(b);
        b = prev;
    }
    free(m->slots);
    free(m);
}

static inline __attribute__((always_inline)) slot_t *find_slot(const memory_t *m, uint64_t key)
{
    uint64_t mask = m->cap - 1;
    for (uint64_t i = (key * 0x9E3779B97F4A7C15ull) >> (64 - m->bits);; i = (i + 1) & mask)
        if (m->slots[i].key == key || m->slots[i].key == 0)
            return &m->slots[i];
}

static inline __attribute__((always_inline)) page_dir_t *page_of(const memory_t *m,
                                                                 uint64_t pageno)
{
    slot_t *s = find_slot(m, pageno + 1);
    return s->key ? s->page : NULL;
}

static int grow(memory_t *m)
{
    memory_t bigger = *m;
    bigger.slots = calloc(m->cap * 2, sizeof(slot_t));
    bigger.cap = m->cap * 2;
    bigger.bits = m->bits + 1;
    if (!bigger.slots)
        return -1;
    for (uint64_t i = 0; i < m->cap; i++)
        if (m->slots[i].key)
            *find_slot(&bigger, m->slots[i].key) = m->slots[i];
    free(m->slots);
    *m = bigger;
    return 0;
}

static page_dir_t *page_for_write(memory_t *m, uint64_t pageno)
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
    page_dir_t *page = calloc(1, sizeof *page);
    if (!page)
        return NULL;
    s->key = pageno + 1;
    s->page = page;
    m->used++;
    return page;
}

/* A zeroed chunk from the arena, or NULL when the host has no memory for a new block. A chunk is
 * zeroed when handed out (a few stores), not its block when made (calloc's memset of the whole
 * block cost more than the chunks it zeroed, most of them later). */
static uint8_t *new_chunk(memory_t *m)
{
    if (!m->block_left) {
        arena_block_t *b = malloc(sizeof *b + (size_t)ARENA_CHUNKS * CHUNK_BYTES);
        if (!b)
            return NULL;
        b->prev = m->block;
        m->block = b;
        m->block_left = ARENA_CHUNKS;
    }
    uint8_t *c = m->block->bytes + (size_t)(ARENA_CHUNKS - m->block_left--) * CHUNK_BYTES;
    memset(c, 0, CHUNK_BYTES);
    return c;
}

/* The chunk holding addr for a write of a nonzero byte, allocated (with its page) if need be;
 * NULL when no page or chunk could be had (a new page's directory stays, empty of chunks, only
 * when its chunk failed: memory_destroy frees it). */
static uint8_t *chunk_for_write(memory_t *m, uint64_t addr)
{
    page_dir_t *page = page_for_write(m, addr >> PAGE_SHIFT);
    if (!page)
        return NULL;
    uint8_t **c = &page->chunk[(addr & (PAGE_BYTES - 1)) >> CHUNK_SHIFT];
    if (!*c)
        *c = new_chunk(m);
    return *c;
}

/* The chunk holding addr, or NULL when it reads as zeros. */
static inline __attribute__((always_inline)) uint8_t *chunk_of(const memory_t *m, uint64_t addr)
{
    const page_dir_t *page = page_of(m, addr >> PAGE_SHIFT);
    return page ? page->chunk[(addr & (PAGE_BYTES - 1)) >> CHUNK_SHIFT] : NULL;
}

/* Why chunk_for_write found no chunk. */
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
    if (len == CHUNK_BYTES && !(addr & (CHUNK_BYTES - 1))) { /* a line fill: one chunk, whole */
        const uint8_t *chunk = chunk_of(m, addr);
        if (chunk)
            memcpy(out, chunk, CHUNK_BYTES);
        else
            memset(out, 0, CHUNK_BYTES);
        return;
    }
    while (len) {
        uint64_t off = addr & (CHUNK_BYTES - 1);
        size_t n = CHUNK_BYTES - off < len ? CHUNK_BYTES - off : len;
        const uint8_t *chunk = chunk_of(m, addr);
        if (chunk)
            memcpy(out, chunk + off, n);
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
        uint64_t off = addr & (CHUNK_BYTES - 1);
        size_t n = CHUNK_BYTES - off < len ? CHUNK_BYTES - off : len;
        uint8_t *chunk = chunk_of(m, addr);
        /* Zeros written to a chunk never written before change nothing: traces without values
         * (Dinero, Lackey, ChampSim) then keep memory use independent of their footprint. */
        if (!chunk && all_zero(in, n)) {
            in += n, addr += n, len -= n;
            continue;
        }
        if (!chunk && !(chunk = chunk_for_write(m, addr)))
            return no_page(m);
        memcpy(chunk + off, in, n);
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
    /* Every store performed goes through here: a store of up to 8 bytes inside one chunk is
     * written in place (memory_write's rules: zeros to a chunk never written allocate nothing). */
    uint64_t off = addr & (CHUNK_BYTES - 1);
    if (size - 1 < 8 && off + size <= CHUNK_BYTES) {
        /* No page yet (traces without values): no table to search. */
        uint8_t *chunk = m->used ? chunk_of(m, addr) : NULL;
        if (!chunk) {
            if (!(size < 8 ? value & ((1ull << (8 * size)) - 1) : value))
                return MEMORY_OK;
            if (!(chunk = chunk_for_write(m, addr)))
                return no_page(m);
        }
        /* Written out so that the compiler makes it one store on a little-endian host. */
        uint8_t b[8] = {(uint8_t)value,         (uint8_t)(value >> 8),  (uint8_t)(value >> 16),
                        (uint8_t)(value >> 24), (uint8_t)(value >> 32), (uint8_t)(value >> 40),
                        (uint8_t)(value >> 48), (uint8_t)(value >> 56)};
        if (size == 8)
            memcpy(chunk + off, b, 8);
        else
            memcpy(chunk + off, b, size);
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
    /* At most: every chunk of every page written, its directory (and the allocator's word
     * beside it), and up to four slots a page (the table is at most half full and doubles); the
     * block of chunks not yet handed out (64 KiB) is left to the estimate's "about". */
    return pages * (PAGE_BYTES + sizeof(page_dir_t) + 16 + 4 * sizeof(slot_t));
}
