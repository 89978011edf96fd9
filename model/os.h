/* os.h: the simulated operating system: processes, handles, files on a simulated disk, the page
 * cache, and views that map file ranges into the (single, shared) simulated address space.
 *
 * Representation and invariants:
 * - A process has an id (>= 1), an affinity set of cores running its threads (a 64-bit mask, never
 *   empty) and a terminating flag. Until the first process is created explicitly, the OS holds an
 *   implicit process 1 with a thread on every core; creating any process replaces it (only while
 *   nothing refers to it yet).
 * - A handle value names a process: OS_HANDLE_CURRENT ((HANDLE)-1, NtCurrentProcess) is the
 *   calling core's process; a declared handle (os_handle_create) names a process with or without
 *   access; any other value equal to a process id is a full-access handle to that process.
 * - A file has a name, a size and one page record per page (ceil(size / page)). Its disk
 *   contents are sparse: a page never written reads as zeros. A page is resident when the page
 *   cache holds its bytes; dirty implies resident; locked implies resident (locking faults the
 *   page in) and a locked page is never purged.
 * - Views are page-aligned and never overlap (one virtual address space shared by every process;
 *   addresses outside views are identity-mapped). A resident page lives in a physical frame at
 *   OS_FRAME_BASE + k * page, whose bytes are held by the physical memory the OS is given
 *   (os_phys_t, the machine's memory): a view address translates to its page's frame, so two views
 *   of one file page share the same physical lines, bytes and cache copies.
 * - Every fallible operation returns an os_result_t (OS_E* on error, with a message in the
 *   caller's buffer where it takes one); nothing here prints, exits or keeps global state. Costs
 *   are returned in cycles for the caller to charge.
 */
#ifndef COHSIM_OS_H
#define COHSIM_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OS_HANDLE_CURRENT UINT64_MAX
/* The top of the user address space (x64): a base above it is not a valid user address. */
#define OS_USER_LIMIT 0x00007fffffffffffull
/* At most this many pages per file (keeps the per-page table small). */
#define OS_MAX_FILE_PAGES (1u << 22)
#define OS_MAX_NAME 128
/* Physical frames of the page cache start here (far above the user address space). */
#define OS_FRAME_BASE 0xF000000000000000ull

/* What happened to a page, for os_phys_t's page_event. */
typedef enum os_page_event { OS_PAGE_FAULTED, OS_PAGE_WRITTEN, OS_PAGE_PURGED } os_page_event_t;

/* What an OS call returned: success, a page operation's outcome, or an error (negative). A page
 * operation that found nothing to do (the page resident, clean, or not resident) returns OS_OK;
 * one that moved the page returns the name its comment gives (all three are 1). */
typedef enum os_result {
    OS_OK = 0,
    OS_FAULTED = 1,    /* os_page_fault_in, os_translate: the page was read from disk */
    OS_WRITTEN = 1,    /* os_page_write: the dirty page was written to disk */
    OS_PURGED = 1,     /* os_page_purge: the page was dropped from the page cache */
    OS_EINVAL = -1,    /* a bad argument (message says which) */
    OS_ENOMEM = -2,
    OS_EEXIST = -3,    /* a process, handle, file or overlapping view already exists */
    OS_ENOENT = -4,    /* unknown process, file or page */
    OS_EBUSY = -5,     /* acquire of a held file, release of a free one, purge of a locked page */
} os_result_t;

/* On the OS's fallible calls: a caller that drops the result is a compile error. */
#define OS_MUST_CHECK __attribute__((warn_unused_result))

/* Whether r is an error (OS_E*), as opposed to OS_OK or a page operation's outcome. */
static inline bool os_failed(os_result_t r) { return r < OS_OK; }

/* os_file_find's answer for a name no file has. */
#define OS_NO_FILE (-1)

/* The physical memory that holds frame bytes: read never fails; write OS_OK or OS_ENOMEM.
 * page_event (optional) hears of every page read from disk, written to disk or purged. */
typedef struct os_phys {
    void *opaque;
    void (*read)(void *opaque, uint64_t paddr, void *buf, size_t len);
    os_result_t (*write)(void *opaque, uint64_t paddr, const void *buf, size_t len);
    void (*page_event)(void *opaque, os_page_event_t what, unsigned file, uint64_t page);
} os_phys_t;

typedef struct os os_t;

typedef struct os_config {
    uint32_t cores;          /* cores of the machine (affinity sets must fit) */
    uint32_t page_size;      /* a power of two */
    uint32_t disk_latency;   /* cycles per disk request */
    uint32_t disk_bandwidth; /* bytes per cycle, >= 1 */
} os_config_t;

typedef struct os_process {
    uint32_t id;
    uint64_t cpus;    /* affinity: bit i = a thread of the process runs on core i */
    bool terminating;
    bool implicit;    /* the default process 1 of a trace without process lines */
} os_process_t;

typedef struct os_view {
    uint32_t pid;
    uint32_t file;    /* index into the file table */
    uint64_t base;    /* page-aligned */
    uint64_t offset;  /* file offset of base, page-aligned */
    uint64_t length;  /* bytes mapped (not rounded) */
    uint64_t span;    /* length rounded up to pages: the address range [base, base+span) */
} os_view_t;

/* Counters per file, as the run's statistics report them. */
typedef struct os_file_stats {
    uint64_t pages_read;    /* faults that read a page from disk */
    uint64_t pages_written; /* pages written to disk by a flush */
    uint64_t pages_purged;  /* resident pages dropped by a purge */
    uint64_t pages_lost;    /* dirty pages dropped without being written: data lost (reported) */
    uint64_t stores_lost;   /* stores that reached a page's frame after the page was purged */
} os_file_stats_t;

/* Page state bits (os_page_state). */
enum { OS_PAGE_RESIDENT = 1, OS_PAGE_DIRTY = 2, OS_PAGE_LOCKED = 4 };

os_t *os_create(const os_config_t *cfg, const os_phys_t *phys, char *err, size_t errlen);
void os_destroy(os_t *os);
const os_config_t *os_config(const os_t *os);

/* Cycles the disk takes for one request of bytes: latency + ceil(bytes / bandwidth). */
uint64_t os_disk_cycles(const os_t *os, uint64_t bytes);

/* ---- processes and handles ---- */
os_result_t os_process_create(os_t *os, uint32_t pid, uint64_t cpus, char *err, size_t errlen)
    OS_MUST_CHECK;
os_result_t os_process_terminate(os_t *os, uint32_t pid, char *err, size_t errlen)
    OS_MUST_CHECK;
const os_process_t *os_process_find(const os_t *os, uint32_t pid);
/* The process a core runs: the lowest-numbered one whose affinity contains cpu, or NULL. */
const os_process_t *os_process_of_cpu(const os_t *os, unsigned cpu);
size_t os_process_count(const os_t *os);
const os_process_t *os_process_at(const os_t *os, size_t i);
/* Declare handle value h naming process pid; access false: a handle without VM access. */
os_result_t os_handle_create(os_t *os, uint64_t h, uint32_t pid, bool access, char *err,
                             size_t errlen)
    OS_MUST_CHECK;

typedef enum os_handle_result {
    OS_HANDLE_OK,
    OS_HANDLE_INVALID,  /* names no process */
    OS_HANDLE_DENIED,   /* a declared handle without access */
} os_handle_result_t;
/* Resolve handle h used by a thread on cpu; *proc is set when OS_HANDLE_OK or _DENIED. */
os_handle_result_t os_handle_resolve(const os_t *os, uint64_t h, unsigned cpu,
                                     const os_process_t **proc);

/* ---- files, disk and page cache ---- */
os_result_t os_file_create(os_t *os, const char *name, uint64_t size, char *err, size_t errlen)
    OS_MUST_CHECK;
/* The file's index, or OS_NO_FILE. */
int os_file_find(const os_t *os, const char *name);
size_t os_file_count(const os_t *os);
const char *os_file_name(const os_t *os, unsigned file);
uint64_t os_file_size(const os_t *os, unsigned file);
uint64_t os_file_pages(const os_t *os, unsigned file);
const os_file_stats_t *os_file_stats(const os_t *os, unsigned file);
/* Zero every file's counters (a statistics reset: pages stay as they are). */
void os_file_stats_reset(os_t *os);
unsigned os_page_state(const os_t *os, unsigned file, uint64_t page);
uint64_t os_file_resident_pages(const os_t *os, unsigned file);
uint64_t os_file_dirty_pages(const os_t *os, unsigned file);

/* Exclusive acquisition (as CcCoherencyFlushAndPurgeCache requires). */
os_result_t os_file_acquire(os_t *os, unsigned file, char *err, size_t errlen)
    OS_MUST_CHECK;
os_result_t os_file_release(os_t *os, unsigned file, char *err, size_t errlen)
    OS_MUST_CHECK;
bool os_file_acquired(const os_t *os, unsigned file);

/* Pin a page in the page cache (faulting it in: *cycles gains the disk read) or unpin it. */
os_result_t os_page_lock(os_t *os, unsigned file, uint64_t page, uint64_t *cycles, char *err,
                         size_t errlen)
    OS_MUST_CHECK;
os_result_t os_page_unlock(os_t *os, unsigned file, uint64_t page, char *err, size_t errlen)
    OS_MUST_CHECK;

/* Make a page resident, reading it from disk when it is not: OS_FAULTED when it did (and adds the
 * disk read to *cycles), OS_OK when it was resident, OS_ENOMEM. */
os_result_t os_page_fault_in(os_t *os, unsigned file, uint64_t page, uint64_t *cycles)
    OS_MUST_CHECK;
/* Write a dirty page to disk (the bytes up to the end of the file), clearing dirty: OS_WRITTEN,
 * OS_OK when not dirty, OS_ENOMEM. *cycles gains the disk write. */
os_result_t os_page_write(os_t *os, unsigned file, uint64_t page, uint64_t *cycles)
    OS_MUST_CHECK;
/* Drop a resident page from the page cache. A locked page is refused (OS_EBUSY). A dirty page is
 * dropped only when allow_loss (its data counted in pages_lost: reported, never silent), else
 * refused with OS_EINVAL. Returns OS_PURGED, or OS_OK when not resident. */
os_result_t os_page_purge(os_t *os, unsigned file, uint64_t page, bool allow_loss)
    OS_MUST_CHECK;

/* Read bytes of the file as the disk holds them (what `expect disk` checks). The range must lie
 * within the file. */
os_result_t os_disk_read(const os_t *os, unsigned file, uint64_t offset, void *buf, size_t len)
    OS_MUST_CHECK;

/* ---- views and memory through them ---- */
/* Map [offset, offset+length) of file at base for pid. base and offset page-aligned, length > 0,
 * offset+length within the file, [base, base+span) free and below OS_USER_LIMIT. */
os_result_t os_map(os_t *os, uint32_t pid, unsigned file, uint64_t base, uint64_t offset,
                   uint64_t length, char *err, size_t errlen)
    OS_MUST_CHECK;
size_t os_view_count(const os_t *os);
const os_view_t *os_view_at_index(const os_t *os, size_t i);
/* The view whose address range holds addr, or NULL. View pointers stay valid until the next
 * os_map. */
const os_view_t *os_view_at(const os_t *os, uint64_t addr);
/* How addr relates to views: returns the view holding addr (or NULL) and sets *run to the bytes
 * from addr that stay in the same page of that view (or, outside views, to the next view's base;
 * UINT64_MAX when none follows). */
const os_view_t *os_view_span(const os_t *os, uint64_t addr, uint64_t *run);
/* The file page behind a view address (addr must lie in v). */
uint64_t os_view_page(const os_t *os, const os_view_t *v, uint64_t addr);

/* Fault in every view page that [addr, addr+len) touches: OS_OK with the pages faulted added to
 * *faulted and the disk cycles to *cycles, or OS_ENOMEM. Addresses outside views are ignored. */
os_result_t os_fault_range(os_t *os, uint64_t addr, uint64_t len, uint64_t *cycles,
                           uint64_t *faulted)
    OS_MUST_CHECK;
/* Translate a virtual address: a view address goes to its page's frame (faulting the page in:
 * OS_FAULTED when it did, *cycles gains the disk read), any other address to itself (OS_OK).
 * OS_ENOMEM. */
os_result_t os_translate(os_t *os, uint64_t vaddr, uint64_t *paddr, uint64_t *cycles)
    OS_MUST_CHECK;
/* A store performed at paddr: when it lies in a frame of the page cache, that page is dirty; in
 * the frame of a purged page, it is counted in stores_lost (reported, never silent). */
void os_store_performed(os_t *os, uint64_t paddr, uint64_t len);
/* The frame of a resident page (0 when not resident). */
uint64_t os_page_frame(const os_t *os, unsigned file, uint64_t page);
/* Read or write len bytes at a view address through the page cache (as a core's access would,
 * without caches): the range must lie in one page of one view, the page is faulted in, and a
 * write dirties it. OS_OK, OS_EINVAL (not inside one view page), OS_ENOMEM. */
os_result_t os_view_read(os_t *os, uint64_t addr, void *buf, size_t len)
    OS_MUST_CHECK;
os_result_t os_view_write(os_t *os, uint64_t addr, const void *buf, size_t len)
    OS_MUST_CHECK;

/* ---- limits (make STATUS_INSUFFICIENT_RESOURCES reachable) ---- */
/* At most n dirty pages per flush request; 0: unlimited (the default). */
void os_set_io_limit(os_t *os, uint64_t n);
uint64_t os_io_limit(const os_t *os);

/* ---- the primitives' OS side (the machine side, caches and timing, is model/primitives.c) ---- */

/* NTSTATUS values the primitives return: X(NAME, value). */
#define OS_STATUS_TABLE(X)                          \
    X(STATUS_SUCCESS, 0x00000000u)                  \
    X(STATUS_ACCESS_DENIED, 0xC0000022u)            \
    X(STATUS_INSUFFICIENT_RESOURCES, 0xC000009Au)   \
    X(STATUS_INVALID_PARAMETER_2, 0xC00000F0u)      \
    X(STATUS_INVALID_HANDLE, 0xC0000008u)           \
    X(STATUS_NOT_MAPPED_VIEW, 0xC0000019u)          \
    X(STATUS_PROCESS_IS_TERMINATING, 0xC000010Au)   \
    X(STATUS_FILE_LOCK_CONFLICT, 0xC0000054u)       \
    X(STATUS_CACHE_PAGE_LOCKED, 0x00000115u)        \
    X(STATUS_NOT_SUPPORTED, 0xC00000BBu)

typedef enum os_status {
#define OS_STATUS_ENUM(name, value) OS_##name,
    OS_STATUS_TABLE(OS_STATUS_ENUM)
#undef OS_STATUS_ENUM
    OS_STATUS_COUNT
} os_status_t;

const char *os_status_name(os_status_t s);
uint32_t os_status_value(os_status_t s);

/* ZwFlushVirtualMemory's checks and rounding, in the order the status codes are tested:
 * STATUS_INVALID_HANDLE (handle names no process), STATUS_ACCESS_DENIED (a handle without
 * access), STATUS_PROCESS_IS_TERMINATING, STATUS_INVALID_PARAMETER_2 (base above the user
 * address space), STATUS_NOT_MAPPED_VIEW (no view of that process holds base),
 * STATUS_INVALID_PARAMETER_2 (the rounded region runs past the end of the view),
 * STATUS_FILE_LOCK_CONFLICT (the file is held exclusively, see os_file_acquire),
 * STATUS_INSUFFICIENT_RESOURCES (more dirty pages than os_set_io_limit allows in one request).
 * On success *view, *rbase (base rounded down to a page) and *rsize (base+size rounded up to a
 * page, minus *rbase; size 0: to the end of the view) are set. Writes nothing. */
os_status_t os_zw_flush_check(const os_t *os, uint64_t handle, unsigned cpu, uint64_t base,
                              uint64_t size, const os_view_t **view, uint64_t *rbase,
                              uint64_t *rsize);

/* CcCoherencyFlushAndPurgeCache's range: whole file when null_offset, else [offset,
 * offset+length) rounded out to pages (length 0: no page). OS_OK with *first and *count set,
 * or OS_EINVAL (past the end of the file, message in err). */
os_result_t os_cc_range(const os_t *os, unsigned file, bool null_offset, uint64_t offset,
                        uint64_t length, uint64_t *first, uint64_t *count, char *err, size_t errlen)
    OS_MUST_CHECK;
/* Whether any page of [first, first+count) is locked. */
bool os_pages_locked(const os_t *os, unsigned file, uint64_t first, uint64_t count);
/* Dirty pages among [first, first+count). */
uint64_t os_pages_dirty(const os_t *os, unsigned file, uint64_t first, uint64_t count);

#endif
