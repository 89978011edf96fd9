/* memory.h: sparse physical memory holding real bytes; unwritten bytes read as zero.
 *
 * Pages, and the 64-byte chunks of a page, are allocated on the first write of a nonzero byte to
 * them, so reads (and zeros) never grow memory; the page table is an open addressing hash from
 * page number to the page's directory of chunks, kept at most half full.
 */
#ifndef COHSIM_MEMORY_H
#define COHSIM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct memory memory_t;

/* What a write made of memory: done, or why a page it needed could not be had (the caller says
 * which: the limit is the run's setting, the host's memory is not). */
typedef enum memory_result {
    MEMORY_OK = 0,
    MEMORY_AT_LIMIT,      /* memory_set_limit's pages are all in use */
    MEMORY_NO_HOST_MEMORY /* the host could not allocate a page (or grow the table) */
} memory_result_t;

memory_t *memory_create(void);
void memory_destroy(memory_t *m);
void memory_read(const memory_t *m, uint64_t addr, void *buf, size_t len);
/* MEMORY_OK, or why a new page could not be had (what was written before it stays). */
memory_result_t memory_write(memory_t *m, uint64_t addr, const void *buf, size_t len)
    __attribute__((warn_unused_result));
/* Pages allocated so far (4 KiB each). */
uint64_t memory_pages(const memory_t *m);
/* Allow at most max_pages pages (0: no limit); a write that needs one more fails with
 * MEMORY_AT_LIMIT, and memory_at_limit says so. */
void memory_set_limit(memory_t *m, uint64_t max_pages);
bool memory_at_limit(const memory_t *m);
/* Bytes a memory of n pages takes at most: their chunks, directories and slots in the table. */
uint64_t memory_bytes_for(uint64_t pages);

/* Little-endian helpers for values of 1..8 bytes. */
uint64_t memory_load_le(const memory_t *m, uint64_t addr, unsigned size);
memory_result_t memory_store_le(memory_t *m, uint64_t addr, unsigned size, uint64_t value)
    __attribute__((warn_unused_result));

#endif
