/* os.c: processes, handles, files on a simulated disk, the page cache and views (see os.h).
 *
 * Representation: processes, handles and files are small growable arrays (a trace declares a
 * handful); views are kept sorted by base so an address finds its view by binary search. Each file
 * has one os_page_t per page: its frame (0: not resident), the disk's bytes (NULL: never written,
 * reads as zeros) and the dirty and locked bits. Frames are numbered from OS_FRAME_BASE; frame k
 * belongs to owner[k] (file and page; purged once the page left the cache: frames are not reused,
 * so a late store to one is seen and counted). Frame bytes live in the physical memory given at
 * creation. Invariants: dirty or locked implies resident; a
 * resident page's frame is owned by it; the views' address ranges are disjoint; a view lies within
 * its file.
 */
#include "model/os.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct os_page {
    uint64_t frame; /* physical address of its frame; 0: not resident */
    uint8_t *disk;  /* disk bytes; NULL: zeros */
    bool dirty, locked;
} os_page_t;

typedef struct os_file {
    char *name;
    uint64_t size, npages;
    os_page_t *pages;
    bool acquired;
    os_file_stats_t stats;
} os_file_t;

typedef struct os_handle {
    uint64_t value;
    uint32_t pid;
    bool access;
} os_handle_t;

typedef struct os_frame_owner {
    int32_t file;
    bool purged; /* its page was purged (or its fault failed): no longer the page's bytes */
    uint64_t page;
} os_frame_owner_t;

struct os {
    os_config_t cfg;
    os_phys_t phys;
    os_frame_owner_t *owner; /* per frame */
    size_t nframes, capframes;
    os_process_t *procs;
    size_t nprocs, capprocs;
    os_handle_t *handles;
    size_t nhandles, caphandles;
    os_file_t *files;
    size_t nfiles, capfiles;
    os_view_t *views; /* sorted by base */
    size_t nviews, capviews;
    uint64_t io_limit;
};

static os_result_t fail(char *err, size_t errlen, os_result_t code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static os_result_t fail(char *err, size_t errlen, os_result_t code, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

/* Make room for one more element in a growable array. */
static os_result_t grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return OS_OK;
    size_t ncap = *cap ? *cap * 2 : 4;
    void *p = realloc(*arr, ncap * elem);
    if (!p)
        return OS_ENOMEM;
    *arr = p;
    *cap = ncap;
    return OS_OK;
}

os_t *os_create(const os_config_t *cfg, const os_phys_t *phys, char *err, size_t errlen)
{
    if (cfg->cores < 1 || cfg->cores > 64) {
        fail(err, errlen, OS_EINVAL, "cores = %u: expected 1 to 64", cfg->cores);
        return NULL;
    }
    if (cfg->page_size < 64 || (cfg->page_size & (cfg->page_size - 1))) {
        fail(err, errlen, OS_EINVAL, "os.page = %u: expected a power of two of at least 64",
             cfg->page_size);
        return NULL;
    }
    if (cfg->disk_bandwidth == 0) {
        fail(err, errlen, OS_EINVAL, "os.disk_bandwidth = 0: expected at least 1 byte per cycle");
        return NULL;
    }
    os_t *os = calloc(1, sizeof *os);
    if (!os || grow((void **)&os->procs, &os->capprocs, 0, sizeof *os->procs) != OS_OK) {
        free(os);
        fail(err, errlen, OS_ENOMEM, "out of memory");
        return NULL;
    }
    os->cfg = *cfg;
    os->phys = *phys;
    uint64_t all = cfg->cores == 64 ? UINT64_MAX : (1ull << cfg->cores) - 1;
    os->procs[0] = (os_process_t){.id = 1, .cpus = all, .implicit = true};
    os->nprocs = 1;
    return os;
}

void os_destroy(os_t *os)
{
    if (!os)
        return;
    for (size_t i = 0; i < os->nfiles; i++) {
        os_file_t *f = &os->files[i];
        for (uint64_t p = 0; p < f->npages; p++) {
            free(f->pages[p].disk);
        }
        free(f->pages);
        free(f->name);
    }
    free(os->files);
    free(os->owner);
    free(os->procs);
    free(os->handles);
    free(os->views);
    free(os);
}

const os_config_t *os_config(const os_t *os) { return &os->cfg; }

uint64_t os_disk_cycles(const os_t *os, uint64_t bytes)
{
    uint64_t bw = os->cfg.disk_bandwidth;
    return os->cfg.disk_latency + (bytes + bw - 1) / bw;
}

/* ---- processes and handles ---- */

const os_process_t *os_process_find(const os_t *os, uint32_t pid)
{
    for (size_t i = 0; i < os->nprocs; i++)
        if (os->procs[i].id == pid)
            return &os->procs[i];
    return NULL;
}

static bool pid_referenced(const os_t *os, uint32_t pid)
{
    for (size_t i = 0; i < os->nviews; i++)
        if (os->views[i].pid == pid)
            return true;
    for (size_t i = 0; i < os->nhandles; i++)
        if (os->handles[i].pid == pid)
            return true;
    return false;
}

os_result_t os_process_create(os_t *os, uint32_t pid, uint64_t cpus, char *err, size_t errlen)
{
    if (pid == 0)
        return fail(err, errlen, OS_EINVAL, "process id 0: expected 1 or more");
    uint64_t all = os->cfg.cores == 64 ? UINT64_MAX : (1ull << os->cfg.cores) - 1;
    if (cpus == 0)
        return fail(err, errlen, OS_EINVAL, "process %u has no cpus: expected cpus=LIST", pid);
    if (cpus & ~all)
        return fail(err, errlen, OS_EINVAL,
                    "process %u: cpus name a core this machine lacks (it has cores 0-%u)", pid,
                    os->cfg.cores - 1);
    if (os->nprocs == 1 && os->procs[0].implicit) {
        if (pid_referenced(os, 1) || os->procs[0].terminating)
            return fail(err, errlen, OS_EINVAL,
                        "process lines must come before anything uses the implicit process 1");
        os->nprocs = 0;
    }
    if (os_process_find(os, pid))
        return fail(err, errlen, OS_EEXIST, "process %u already exists", pid);
    for (size_t i = 0; i < os->nhandles; i++)
        if (os->handles[i].value == pid)
            return fail(err, errlen, OS_EEXIST, "process id %u is already a handle value", pid);
    if (grow((void **)&os->procs, &os->capprocs, os->nprocs, sizeof *os->procs) != OS_OK)
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    os->procs[os->nprocs++] = (os_process_t){.id = pid, .cpus = cpus};
    return OS_OK;
}

os_result_t os_process_terminate(os_t *os, uint32_t pid, char *err, size_t errlen)
{
    for (size_t i = 0; i < os->nprocs; i++)
        if (os->procs[i].id == pid) {
            os->procs[i].terminating = true;
            return OS_OK;
        }
    return fail(err, errlen, OS_ENOENT, "unknown process %u", pid);
}

const os_process_t *os_process_of_cpu(const os_t *os, unsigned cpu)
{
    const os_process_t *best = NULL;
    if (cpu >= 64)
        return NULL;
    for (size_t i = 0; i < os->nprocs; i++)
        if ((os->procs[i].cpus >> cpu & 1) && (!best || os->procs[i].id < best->id))
            best = &os->procs[i];
    return best;
}

size_t os_process_count(const os_t *os) { return os->nprocs; }
const os_process_t *os_process_at(const os_t *os, size_t i)
{
    return i < os->nprocs ? &os->procs[i] : NULL;
}

os_result_t os_handle_create(os_t *os, uint64_t h, uint32_t pid, bool access, char *err,
                             size_t errlen)
{
    if (h == OS_HANDLE_CURRENT || h == 0)
        return fail(err, errlen, OS_EINVAL,
                    "handle value %lld is reserved: expected a positive number",
                    (long long)h);
    if (!os_process_find(os, pid))
        return fail(err, errlen, OS_ENOENT, "unknown process %u", pid);
    if (h <= UINT32_MAX && os_process_find(os, (uint32_t)h))
        return fail(err, errlen, OS_EEXIST, "handle %llu is already a process id",
                    (unsigned long long)h);
    for (size_t i = 0; i < os->nhandles; i++)
        if (os->handles[i].value == h)
            return fail(err, errlen, OS_EEXIST, "handle %llu already exists",
                        (unsigned long long)h);
    if (grow((void **)&os->handles, &os->caphandles, os->nhandles, sizeof *os->handles) != OS_OK)
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    os->handles[os->nhandles++] = (os_handle_t){.value = h, .pid = pid, .access = access};
    return OS_OK;
}

os_handle_result_t os_handle_resolve(const os_t *os, uint64_t h, unsigned cpu,
                                     const os_process_t **proc)
{
    *proc = NULL;
    if (h == OS_HANDLE_CURRENT) {
        *proc = os_process_of_cpu(os, cpu);
        return *proc ? OS_HANDLE_OK : OS_HANDLE_INVALID;
    }
    for (size_t i = 0; i < os->nhandles; i++)
        if (os->handles[i].value == h) {
            *proc = os_process_find(os, os->handles[i].pid);
            return os->handles[i].access ? OS_HANDLE_OK : OS_HANDLE_DENIED;
        }
    if (h <= UINT32_MAX && (*proc = os_process_find(os, (uint32_t)h)))
        return OS_HANDLE_OK;
    return OS_HANDLE_INVALID;
}

/* ---- files, disk and page cache ---- */

os_result_t os_file_create(os_t *os, const char *name, uint64_t size, char *err, size_t errlen)
{
    size_t len = strlen(name);
    if (len == 0 || len >= OS_MAX_NAME)
        return fail(err, errlen, OS_EINVAL, "file name must be 1 to %d characters",
                    OS_MAX_NAME - 1);
    if (os_file_find(os, name) != OS_NO_FILE)
        return fail(err, errlen, OS_EEXIST, "file %s already exists", name);
    uint64_t npages = size / os->cfg.page_size + (size % os->cfg.page_size != 0);
    if (npages > OS_MAX_FILE_PAGES)
        return fail(err, errlen, OS_EINVAL, "file %s: size %llu is more than %u pages", name,
                    (unsigned long long)size, OS_MAX_FILE_PAGES);
    if (grow((void **)&os->files, &os->capfiles, os->nfiles, sizeof *os->files) != OS_OK)
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    os_file_t f = {.size = size, .npages = npages};
    f.name = malloc(len + 1);
    f.pages = calloc(npages ? npages : 1, sizeof *f.pages);
    if (!f.name || !f.pages) {
        free(f.name);
        free(f.pages);
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    }
    memcpy(f.name, name, len + 1);
    os->files[os->nfiles++] = f;
    return OS_OK;
}

int os_file_find(const os_t *os, const char *name)
{
    for (size_t i = 0; i < os->nfiles; i++)
        if (strcmp(os->files[i].name, name) == 0)
            return (int)i;
    return OS_NO_FILE;
}

size_t os_file_count(const os_t *os) { return os->nfiles; }
const char *os_file_name(const os_t *os, unsigned file) { return os->files[file].name; }
uint64_t os_file_size(const os_t *os, unsigned file) { return os->files[file].size; }
uint64_t os_file_pages(const os_t *os, unsigned file) { return os->files[file].npages; }
const os_file_stats_t *os_file_stats(const os_t *os, unsigned file)
{
    return &os->files[file].stats;
}

void os_file_stats_reset(os_t *os)
{
    for (size_t i = 0; i < os->nfiles; i++)
        memset(&os->files[i].stats, 0, sizeof os->files[i].stats);
}

unsigned os_page_state(const os_t *os, unsigned file, uint64_t page)
{
    const os_file_t *f = &os->files[file];
    if (page >= f->npages)
        return 0;
    const os_page_t *p = &f->pages[page];
    return (p->frame ? OS_PAGE_RESIDENT : 0) | (p->dirty ? OS_PAGE_DIRTY : 0) |
           (p->locked ? OS_PAGE_LOCKED : 0);
}

uint64_t os_file_resident_pages(const os_t *os, unsigned file)
{
    uint64_t n = 0;
    for (uint64_t p = 0; p < os->files[file].npages; p++)
        n += os->files[file].pages[p].frame != 0;
    return n;
}

uint64_t os_file_dirty_pages(const os_t *os, unsigned file)
{
    uint64_t n = 0;
    for (uint64_t p = 0; p < os->files[file].npages; p++)
        n += os->files[file].pages[p].dirty;
    return n;
}

os_result_t os_file_acquire(os_t *os, unsigned file, char *err, size_t errlen)
{
    os_file_t *f = &os->files[file];
    if (f->acquired)
        return fail(err, errlen, OS_EBUSY, "file %s is already acquired exclusively", f->name);
    f->acquired = true;
    return OS_OK;
}

os_result_t os_file_release(os_t *os, unsigned file, char *err, size_t errlen)
{
    os_file_t *f = &os->files[file];
    if (!f->acquired)
        return fail(err, errlen, OS_EBUSY, "file %s is not acquired: nothing to release",
                    f->name);
    f->acquired = false;
    return OS_OK;
}

bool os_file_acquired(const os_t *os, unsigned file) { return os->files[file].acquired; }

/* Bytes of page that lie within the file (the last page may be partial). */
static uint64_t page_bytes(const os_t *os, const os_file_t *f, uint64_t page)
{
    uint64_t start = page * os->cfg.page_size;
    uint64_t left = f->size - start;
    return left < os->cfg.page_size ? left : os->cfg.page_size;
}

/* A new frame for (file, page); 0 when out of memory. Frames are never reused: a store still on
 * its way to a purged page's frame (in a store buffer) lands there and is counted as lost. */
static uint64_t frame_alloc(os_t *os, unsigned file, uint64_t page)
{
    if (grow((void **)&os->owner, &os->capframes, os->nframes, sizeof *os->owner) != OS_OK)
        return 0;
    uint64_t k = os->nframes++;
    os->owner[k] = (os_frame_owner_t){.file = (int32_t)file, .page = page};
    return OS_FRAME_BASE + k * os->cfg.page_size;
}

static void frame_free(os_t *os, uint64_t frame)
{
    os->owner[(frame - OS_FRAME_BASE) / os->cfg.page_size].purged = true;
}

os_result_t os_page_fault_in(os_t *os, unsigned file, uint64_t page, uint64_t *cycles)
{
    os_file_t *f = &os->files[file];
    os_page_t *p = &f->pages[page];
    if (p->frame)
        return OS_OK;
    uint64_t frame = frame_alloc(os, file, page);
    if (!frame)
        return OS_ENOMEM;
    os_result_t rc;
    if (p->disk) {
        rc = os->phys.write(os->phys.opaque, frame, p->disk, os->cfg.page_size);
    } else {
        uint8_t zero[512] = {0};
        rc = OS_OK;
        for (uint32_t off = 0; off < os->cfg.page_size && rc == OS_OK; off += sizeof zero) {
            uint32_t n = os->cfg.page_size - off < sizeof zero ? os->cfg.page_size - off
                                                                : (uint32_t)sizeof zero;
            rc = os->phys.write(os->phys.opaque, frame + off, zero, n);
        }
    }
    if (rc != OS_OK) {
        frame_free(os, frame);
        return OS_ENOMEM;
    }
    p->frame = frame;
    f->stats.pages_read++;
    if (os->phys.page_event)
        os->phys.page_event(os->phys.opaque, OS_PAGE_FAULTED, file, page);
    *cycles += os_disk_cycles(os, page_bytes(os, f, page));
    return OS_FAULTED;
}

os_result_t os_page_write(os_t *os, unsigned file, uint64_t page, uint64_t *cycles)
{
    os_file_t *f = &os->files[file];
    os_page_t *p = &f->pages[page];
    if (!p->dirty)
        return OS_OK;
    if (!p->disk) {
        p->disk = calloc(1, os->cfg.page_size);
        if (!p->disk)
            return OS_ENOMEM;
    }
    /* Bytes past the end of the file never reach the disk. */
    uint64_t n = page_bytes(os, f, page);
    os->phys.read(os->phys.opaque, p->frame, p->disk, n);
    p->dirty = false;
    f->stats.pages_written++;
    if (os->phys.page_event)
        os->phys.page_event(os->phys.opaque, OS_PAGE_WRITTEN, file, page);
    *cycles += os_disk_cycles(os, n);
    return OS_WRITTEN;
}

os_result_t os_page_purge(os_t *os, unsigned file, uint64_t page, bool allow_loss)
{
    os_file_t *f = &os->files[file];
    os_page_t *p = &f->pages[page];
    if (!p->frame)
        return OS_OK;
    if (p->locked)
        return OS_EBUSY;
    if (p->dirty) {
        if (!allow_loss)
            return OS_EINVAL;
        f->stats.pages_lost++;
    }
    frame_free(os, p->frame);
    p->frame = 0;
    p->dirty = false;
    f->stats.pages_purged++;
    if (os->phys.page_event)
        os->phys.page_event(os->phys.opaque, OS_PAGE_PURGED, file, page);
    return OS_PURGED;
}

uint64_t os_page_frame(const os_t *os, unsigned file, uint64_t page)
{
    return page < os->files[file].npages ? os->files[file].pages[page].frame : 0;
}

os_result_t os_page_lock(os_t *os, unsigned file, uint64_t page, uint64_t *cycles, char *err,
                         size_t errlen)
{
    os_file_t *f = &os->files[file];
    if (page >= f->npages)
        return fail(err, errlen, OS_ENOENT, "file %s has %llu pages: no page %llu", f->name,
                    (unsigned long long)f->npages, (unsigned long long)page);
    if (f->pages[page].locked)
        return fail(err, errlen, OS_EBUSY, "page %llu of %s is already locked",
                    (unsigned long long)page, f->name);
    if (os_failed(os_page_fault_in(os, file, page, cycles)))
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    f->pages[page].locked = true;
    return OS_OK;
}

os_result_t os_page_unlock(os_t *os, unsigned file, uint64_t page, char *err, size_t errlen)
{
    os_file_t *f = &os->files[file];
    if (page >= f->npages)
        return fail(err, errlen, OS_ENOENT, "file %s has %llu pages: no page %llu", f->name,
                    (unsigned long long)f->npages, (unsigned long long)page);
    if (!f->pages[page].locked)
        return fail(err, errlen, OS_EBUSY, "page %llu of %s is not locked",
                    (unsigned long long)page, f->name);
    f->pages[page].locked = false;
    return OS_OK;
}

os_result_t os_disk_read(const os_t *os, unsigned file, uint64_t offset, void *buf, size_t len)
{
    const os_file_t *f = &os->files[file];
    if (offset > f->size || len > f->size - offset)
        return OS_EINVAL;
    uint8_t *out = buf;
    while (len) {
        uint64_t page = offset / os->cfg.page_size, in = offset % os->cfg.page_size;
        size_t n = os->cfg.page_size - in;
        if (n > len)
            n = len;
        const uint8_t *d = f->pages[page].disk;
        if (d)
            memcpy(out, d + in, n);
        else
            memset(out, 0, n);
        out += n, offset += n, len -= n;
    }
    return OS_OK;
}

/* ---- views ---- */

/* Index of the first view whose base is greater than addr. */
static size_t view_upper(const os_t *os, uint64_t addr)
{
    size_t lo = 0, hi = os->nviews;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (os->views[mid].base <= addr)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

os_result_t os_map(os_t *os, uint32_t pid, unsigned file, uint64_t base, uint64_t offset,
                   uint64_t length, char *err, size_t errlen)
{
    uint64_t ps = os->cfg.page_size;
    if (!os_process_find(os, pid))
        return fail(err, errlen, OS_ENOENT, "unknown process %u", pid);
    if (file >= os->nfiles)
        return fail(err, errlen, OS_ENOENT, "unknown file");
    const os_file_t *f = &os->files[file];
    if (base % ps || offset % ps)
        return fail(err, errlen, OS_EINVAL,
                    "map %s: base 0x%llx and offset %llu must be multiples of the page (%llu)",
                    f->name, (unsigned long long)base, (unsigned long long)offset,
                    (unsigned long long)ps);
    if (length == 0)
        return fail(err, errlen, OS_EINVAL, "map %s: length 0: expected at least one byte",
                    f->name);
    if (offset > f->size || length > f->size - offset)
        return fail(err, errlen, OS_EINVAL,
                    "map %s: offset %llu + length %llu is past the end of the file (%llu bytes)",
                    f->name, (unsigned long long)offset, (unsigned long long)length,
                    (unsigned long long)f->size);
    uint64_t span = (length + ps - 1) / ps * ps;
    if (base == 0 || base > OS_USER_LIMIT || span > OS_USER_LIMIT + 1 - base)
        return fail(err, errlen, OS_EINVAL,
                    "map %s: base 0x%llx: the view must lie in user space, 0x%llx to 0x%llx",
                    f->name, (unsigned long long)base, (unsigned long long)ps,
                    (unsigned long long)OS_USER_LIMIT);
    size_t at = view_upper(os, base);
    if (at > 0) {
        const os_view_t *prev = &os->views[at - 1];
        if (prev->base + prev->span > base)
            return fail(err, errlen, OS_EEXIST,
                        "map %s at 0x%llx overlaps the view of %s at 0x%llx (0x%llx bytes)",
                        f->name, (unsigned long long)base, os->files[prev->file].name,
                        (unsigned long long)prev->base, (unsigned long long)prev->span);
    }
    if (at < os->nviews && os->views[at].base < base + span)
        return fail(err, errlen, OS_EEXIST,
                    "map %s at 0x%llx (0x%llx bytes) overlaps the view of %s at 0x%llx", f->name,
                    (unsigned long long)base, (unsigned long long)span,
                    os->files[os->views[at].file].name, (unsigned long long)os->views[at].base);
    if (grow((void **)&os->views, &os->capviews, os->nviews, sizeof *os->views) != OS_OK)
        return fail(err, errlen, OS_ENOMEM, "out of memory");
    memmove(&os->views[at + 1], &os->views[at], (os->nviews - at) * sizeof *os->views);
    os->views[at] = (os_view_t){.pid = pid, .file = file, .base = base, .offset = offset,
                                .length = length, .span = span};
    os->nviews++;
    return OS_OK;
}

size_t os_view_count(const os_t *os) { return os->nviews; }
const os_view_t *os_view_at_index(const os_t *os, size_t i)
{
    return i < os->nviews ? &os->views[i] : NULL;
}

const os_view_t *os_view_at(const os_t *os, uint64_t addr)
{
    size_t at = view_upper(os, addr);
    if (at == 0)
        return NULL;
    const os_view_t *v = &os->views[at - 1];
    return addr - v->base < v->span ? v : NULL;
}

const os_view_t *os_view_span(const os_t *os, uint64_t addr, uint64_t *run)
{
    const os_view_t *v = os_view_at(os, addr);
    if (v) {
        uint64_t ps = os->cfg.page_size;
        *run = ps - (addr - v->base) % ps;
        return v;
    }
    size_t at = view_upper(os, addr);
    *run = at < os->nviews ? os->views[at].base - addr : UINT64_MAX;
    return NULL;
}

uint64_t os_view_page(const os_t *os, const os_view_t *v, uint64_t addr)
{
    return (v->offset + (addr - v->base)) / os->cfg.page_size;
}

os_result_t os_fault_range(os_t *os, uint64_t addr, uint64_t len, uint64_t *cycles,
                           uint64_t *faulted)
{
    while (len) {
        uint64_t run;
        const os_view_t *v = os_view_span(os, addr, &run);
        if (run > len)
            run = len;
        if (v) {
            os_result_t r = os_page_fault_in(os, v->file, os_view_page(os, v, addr), cycles);
            if (os_failed(r))
                return r;
            if (r == OS_FAULTED)
                ++*faulted;
        }
        addr += run, len -= run;
    }
    return OS_OK;
}

os_result_t os_translate(os_t *os, uint64_t vaddr, uint64_t *paddr, uint64_t *cycles)
{
    const os_view_t *v = os_view_at(os, vaddr);
    if (!v) {
        *paddr = vaddr;
        return OS_OK;
    }
    uint64_t pg = os_view_page(os, v, vaddr);
    os_result_t r = os_page_fault_in(os, v->file, pg, cycles);
    if (os_failed(r))
        return r;
    *paddr = os->files[v->file].pages[pg].frame +
             (v->offset + (vaddr - v->base)) % os->cfg.page_size;
    return r;
}

void os_store_performed(os_t *os, uint64_t paddr, uint64_t len)
{
    uint64_t ps = os->cfg.page_size;
    while (len && paddr >= OS_FRAME_BASE) {
        uint64_t k = (paddr - OS_FRAME_BASE) / ps;
        if (k < os->nframes && os->owner[k].purged)
            os->files[os->owner[k].file].stats.stores_lost++;
        else if (k < os->nframes)
            os->files[os->owner[k].file].pages[os->owner[k].page].dirty = true;
        uint64_t n = ps - (paddr - OS_FRAME_BASE) % ps;
        if (n >= len)
            break;
        paddr += n, len -= n;
    }
}

/* The physical address behind [addr, addr+len), which must lie in one page of one view. */
static os_result_t view_phys(os_t *os, uint64_t addr, size_t len, uint64_t *paddr)
{
    uint64_t run, cycles = 0;
    if (!os_view_span(os, addr, &run) || len > run)
        return OS_EINVAL;
    return os_failed(os_translate(os, addr, paddr, &cycles)) ? OS_ENOMEM : OS_OK;
}

os_result_t os_view_read(os_t *os, uint64_t addr, void *buf, size_t len)
{
    uint64_t pa;
    os_result_t r = view_phys(os, addr, len, &pa);
    if (r == OS_OK)
        os->phys.read(os->phys.opaque, pa, buf, len);
    return r;
}

os_result_t os_view_write(os_t *os, uint64_t addr, const void *buf, size_t len)
{
    uint64_t pa;
    os_result_t r = view_phys(os, addr, len, &pa);
    if (r == OS_OK) {
        if (os->phys.write(os->phys.opaque, pa, buf, len) != OS_OK)
            return OS_ENOMEM;
        os_store_performed(os, pa, len);
    }
    return r;
}

void os_set_io_limit(os_t *os, uint64_t n) { os->io_limit = n; }
uint64_t os_io_limit(const os_t *os) { return os->io_limit; }

/* ---- the primitives' OS side ---- */

static const struct {
    const char *name;
    uint32_t value;
} status_table[OS_STATUS_COUNT] = {
#define OS_STATUS_ROW(name, value) [OS_##name] = {#name, value},
    OS_STATUS_TABLE(OS_STATUS_ROW)
#undef OS_STATUS_ROW
};

const char *os_status_name(os_status_t s) { return s < OS_STATUS_COUNT ? status_table[s].name : "?"; }
uint32_t os_status_value(os_status_t s) { return s < OS_STATUS_COUNT ? status_table[s].value : 0; }

uint64_t os_pages_dirty(const os_t *os, unsigned file, uint64_t first, uint64_t count)
{
    uint64_t n = 0;
    for (uint64_t p = first; p < first + count && p < os->files[file].npages; p++)
        n += os->files[file].pages[p].dirty;
    return n;
}

bool os_pages_locked(const os_t *os, unsigned file, uint64_t first, uint64_t count)
{
    for (uint64_t p = first; p < first + count && p < os->files[file].npages; p++)
        if (os->files[file].pages[p].locked)
            return true;
    return false;
}

os_status_t os_zw_flush_check(const os_t *os, uint64_t handle, unsigned cpu, uint64_t base,
                              uint64_t size, const os_view_t **view, uint64_t *rbase,
                              uint64_t *rsize)
{
    const os_process_t *proc;
    switch (os_handle_resolve(os, handle, cpu, &proc)) {
    case OS_HANDLE_INVALID:
        return OS_STATUS_INVALID_HANDLE;
    case OS_HANDLE_DENIED:
        return OS_STATUS_ACCESS_DENIED;
    case OS_HANDLE_OK:
        break;
    }
    if (proc->terminating)
        return OS_STATUS_PROCESS_IS_TERMINATING;
    if (base > OS_USER_LIMIT)
        return OS_STATUS_INVALID_PARAMETER_2;
    const os_view_t *v = os_view_at(os, base);
    if (!v || v->pid != proc->id)
        return OS_STATUS_NOT_MAPPED_VIEW;
    uint64_t ps = os->cfg.page_size;
    uint64_t start = base / ps * ps, end;
    if (size == 0) {
        end = v->base + v->span;
    } else {
        if (size > v->base + v->span - base)
            return OS_STATUS_INVALID_PARAMETER_2;
        end = (base + size + ps - 1) / ps * ps;
    }
    const os_file_t *f = &os->files[v->file];
    if (f->acquired)
        return OS_STATUS_FILE_LOCK_CONFLICT;
    uint64_t first = os_view_page(os, v, start), count = (end - start) / ps;
    if (os->io_limit && os_pages_dirty(os, v->file, first, count) > os->io_limit)
        return OS_STATUS_INSUFFICIENT_RESOURCES;
    *view = v;
    *rbase = start;
    *rsize = end - start;
    return OS_STATUS_SUCCESS;
}

os_result_t os_cc_range(const os_t *os, unsigned file, bool null_offset, uint64_t offset,
                        uint64_t length, uint64_t *first, uint64_t *count, char *err, size_t errlen)
{
    const os_file_t *f = &os->files[file];
    uint64_t ps = os->cfg.page_size;
    if (null_offset) {
        *first = 0;
        *count = f->npages;
        return OS_OK;
    }
    if (offset > f->size || length > f->size - offset)
        return fail(err, errlen, OS_EINVAL,
                    "%s: offset %llu + length %llu is past the end of the file (%llu bytes)",
                    f->name, (unsigned long long)offset, (unsigned long long)length,
                    (unsigned long long)f->size);
    if (length == 0) {
        *first = offset / ps;
        *count = 0;
        return OS_OK;
    }
    *first = offset / ps;
    *count = (offset + length + ps - 1) / ps - *first;
    return OS_OK;
}
