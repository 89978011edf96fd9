/* memory.h: sparse physical memory holding real bytes; unwritten bytes read as zero.
 *
 * Pages are allocated on the first write of a nonzero byte, so reads (and zeros) never grow memory;
 * the page table is an open addressing hash from page number to page, kept at most half full.
 */
#ifndef COHSIM_MEMORY_H
#define COHSIM_MEMORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct memory memory_t;

memory_t *memory_create(void);
void memory_destroy(memory_t *m);
void memory_read(const memory_t *m, uint64_t addr, void *buf, size_t len);
/* 0, or -1 when memory for a new page could not be allocated. */
int memory_write(memory_t *m, uint64_t addr, const void *buf, size_t len)
    __attribute__((warn_unused_result));
/* Pages allocated so far (4 KiB each). */
uint64_t memory_pages(const memory_t *m);
/* Allow at most max_pages pages (0: no limit); a write that needs one more fails (-1) and
 * memory_at_limit says so. */
void memory_set_limit(memory_t *m, uint64_t max_pages);
bool memory_at_limit(const memory_t *m);
/* Bytes a memory of n pages takes: the pages and their slots in the table. */
uint64_t memory_bytes_for(uint64_t pages);

/* Little-endian helpers for values of 1..8 bytes. */
uint64_t memory_load_le(const memory_t *m, uint64_t addr, unsigned size);
int memory_store_le(memory_t *m, uint64_t addr, unsigned size, uint64_t value)
    __attribute__((warn_unused_result));

#endif
