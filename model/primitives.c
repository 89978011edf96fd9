/* primitives.c: the OS layer wired into a machine (see primitives.h): view translation, page
 * dirtying, OS set-up and checks, and the five flush primitives with their costs and work.
 *
 * Representation: the OS (os.c) plus per-primitive statistics, the log of calls (one entry per
 * call, grown as calls are made), and per core the call now waiting for IPI acknowledgements
 * (with, for a CcCoherencyFlushAndPurgeCache, the range it flushes and purges once they are all
 * in). Invariant: a core has at most one call waiting.
 */
#include "primitives.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CcCoherencyFlushAndPurgeCache's flush and purge of pages [first, first+count) of file. */
typedef struct cc_work {
    unsigned file;
    uint64_t first, count;
    bool purge; /* not CC_FLUSH_AND_PURGE_NO_PURGE */
} cc_work_t;

struct prim {
    machine_t *m;
    os_t *os;
    prim_stats_t stats[PRIM_COUNT];
    prim_call_t *calls;
    size_t ncalls, capcalls;
    size_t waiting_call[MACHINE_MAX_CORES]; /* index into calls, or SIZE_MAX */
    uint64_t now; /* the cycle of the access or request the OS is serving (for page events) */
    unsigned ipis_pending[MACHINE_MAX_CORES]; /* IPIs the waiting call sent */
    size_t last_call[MACHINE_MAX_CORES]; /* index into calls of each core's latest, or SIZE_MAX */
    size_t region_first_call; /* the first call made since the statistics were last reset */
    cc_work_t cc_waiting[MACHINE_MAX_CORES]; /* a waiting CcCoherencyFlushAndPurgeCache's */
};

#define CC_NO_PURGE 1u
/* The slots several primitives share, named once (ops.def places them alike). */
#define PRIM_ARG_HANDLE OPARG_AT_FLUSH_INSTRUCTION_CACHE_HANDLE
#define PRIM_ARG_SIZE OPARG_AT_FLUSH_INSTRUCTION_CACHE_SIZE
_Static_assert(PRIM_ARG_HANDLE == OPARG_AT_ZW_FLUSH_VIRTUAL_MEMORY_HANDLE &&
                   PRIM_ARG_SIZE == OPARG_AT_ZW_FLUSH_VIRTUAL_MEMORY_SIZE &&
                   PRIM_ARG_SIZE == OPARG_AT_CC_COHERENCY_FLUSH_AND_PURGE_SIZE,
               "the primitives' handle and size slots are shared");

static const op_t prim_ops[PRIM_COUNT] = {
#define OP(id, spelling, cls, doc)
#define PRIM(id, spelling, doc, a1, a2, a3, a4) OP_##id,
#include "ops.def"
#undef PRIM
#undef OP
};

op_t prim_op(unsigned i) { return i < PRIM_COUNT ? prim_ops[i] : OP_COUNT; }

static unsigned prim_index(op_t op)
{
    for (unsigned i = 0; i < PRIM_COUNT; i++)
        if (prim_ops[i] == op)
            return i;
    return 0;
}

/* ---- physical memory for the page cache: the machine's ---- */

static void phys_read(void *opaque, uint64_t paddr, void *buf, size_t len)
{
    prim_t *p = opaque;
    machine_mem_read(p->m, paddr, buf, len);
}

static os_result_t phys_write(void *opaque, uint64_t paddr, const void *buf, size_t len)
{
    prim_t *p = opaque;
    return machine_mem_write(p->m, paddr, buf, len) == MACHINE_OK ? OS_OK : OS_ENOMEM;
}

/* The page cache's events, reported to the machine's observer. */
static void phys_page_event(void *opaque, os_page_event_t what, unsigned file, uint64_t page)
{
    prim_t *p = opaque;
    static const obs_kind_t kinds[] = {[OS_PAGE_FAULTED] = OBS_PAGE_FAULT,
                                       [OS_PAGE_WRITTEN] = OBS_PAGE_WRITTEN,
                                       [OS_PAGE_PURGED] = OBS_PAGE_PURGED};
    machine_emit(p->m, &(obs_event_t){.kind = kinds[what], .cycle = p->now, .cpu = -1,
                                      .addr = page, .value = file});
}

/* View invalidation, for the observer: every view that maps page pg of file loses it (the next
 * access there faults the page in again). */
static void report_views_invalidated(prim_t *p, unsigned file, uint64_t pg)
{
    uint64_t at = pg * os_config(p->os)->page_size;
    for (size_t i = 0; i < os_view_count(p->os); i++) {
        const os_view_t *v = os_view_at_index(p->os, i);
        if (v->file != file || at < v->offset || at - v->offset >= v->span)
            continue;
        machine_emit(p->m, &(obs_event_t){.kind = OBS_VIEW_INVALIDATED, .cycle = p->now,
                                          .cpu = -1, .addr = v->base + (at - v->offset),
                                          .value = file, .other = (int)v->pid});
    }
}

/* ---- the machine's signals ---- */

static bool sig_identity(void *opaque)
{
    prim_t *p = opaque;
    return os_view_count(p->os) == 0;
}

/* A statistics reset: the counters restart; the call log stays whole (numbered from the start). */
static void sig_stats_reset(void *opaque)
{
    prim_t *p = opaque;
    memset(p->stats, 0, sizeof p->stats);
    p->region_first_call = p->ncalls;
    os_file_stats_reset(p->os);
}

static machine_status_t sig_translate(void *opaque, unsigned cpu, uint64_t vaddr, unsigned size,
                                      bool write, uint64_t now, uint64_t *paddr, uint64_t *extra)
{
    (void)write;
    prim_t *p = opaque;
    p->now = now;
    if (os_view_count(p->os) == 0) {
        /* No views: every address is its own physical address (the common trace run). */
        *paddr = vaddr;
        *extra = 0;
        return MACHINE_OK;
    }
    uint64_t run;
    const os_view_t *v = os_view_span(p->os, vaddr, &run);
    if (size > run)
        return machine_fail(p->m, MACHINE_EUNSUPPORTED,
                            v ? "access at %#llx (%u bytes) crosses a page of a mapped view"
                              : "access at %#llx (%u bytes) runs into a mapped view",
                            (unsigned long long)vaddr, size);
    uint64_t cycles = 0;
    if (os_failed(os_translate(p->os, vaddr, paddr, &cycles)))
        return machine_fail(p->m, MACHINE_ENOMEM, "out of memory for the page cache");
    *extra = cycles;
    return MACHINE_OK;
}

static void sig_store_performed(void *opaque, uint64_t paddr, unsigned size)
{
    prim_t *p = opaque;
    os_store_performed(p->os, paddr, size);
}

/* ---- helpers ---- */

/* A file named by a request, or OS_NO_FILE after machine_fail. */
static int need_file(prim_t *p, const mem_req_t *r)
{
    int f = r->name ? os_file_find(p->os, r->name) : OS_NO_FILE;
    if (f == OS_NO_FILE)
        machine_fail(p->m, MACHINE_EUNSUPPORTED, "%s: unknown file '%s' (declare it with 'file'"
                     " first)", op_name(r->op), r->name ? r->name : "");
    return f;
}

static machine_status_t os_error(prim_t *p, const mem_req_t *r, const char *msg)
{
    return machine_fail(p->m, MACHINE_EUNSUPPORTED, "%s: %s", op_name(r->op), msg);
}

/* Apply fn to each physical line range behind the virtual [addr, addr+len): view pages that are
 * resident go to their frames (non-resident ones cannot be cached), other addresses to themselves. */
typedef uint64_t (*phys_fn)(prim_t *p, uint64_t paddr, uint64_t len, void *ctx);
static uint64_t each_phys(prim_t *p, uint64_t addr, uint64_t len, phys_fn fn, void *ctx)
{
    uint64_t cycles = 0;
    while (len) {
        uint64_t run;
        const os_view_t *v = os_view_span(p->os, addr, &run);
        if (run > len)
            run = len;
        if (v) {
            uint64_t frame = os_page_frame(p->os, v->file, os_view_page(p->os, v, addr));
            if (frame)
                cycles += fn(p, frame + (v->offset + (addr - v->base)) %
                                            os_config(p->os)->page_size,
                             run, ctx);
        } else {
            cycles += fn(p, addr, run, ctx);
        }
        addr += run, len -= run;
    }
    return cycles;
}

typedef struct fic_ctx {
    uint64_t mask;
    maint_counts_t *counts;
} fic_ctx_t;

static uint64_t fic_clean(prim_t *p, uint64_t pa, uint64_t len, void *ctx)
{
    fic_ctx_t *c = ctx;
    return machine_dcache_clean(p->m, c->mask, pa, len, false, c->counts);
}

static uint64_t fic_inval(prim_t *p, uint64_t pa, uint64_t len, void *ctx)
{
    fic_ctx_t *c = ctx;
    return machine_icache_invalidate(p->m, c->mask, pa, len, false, c->counts);
}

static prim_call_t *new_call(prim_t *p, unsigned cpu, const mem_req_t *r, uint64_t now)
{
    if (p->ncalls == p->capcalls) {
        size_t ncap = p->capcalls ? p->capcalls * 2 : 16;
        prim_call_t *c = realloc(p->calls, ncap * sizeof *c);
        if (!c)
            return NULL;
        p->calls = c;
        p->capcalls = ncap;
    }
    prim_call_t *c = &p->calls[p->ncalls];
    *c = (prim_call_t){.seq = p->ncalls, .cpu = cpu, .op = (op_t)r->op,
                       .status = OS_STATUS_SUCCESS, .win32_ok = true, .base = r->addr,
                       .size = r->arg[PRIM_ARG_SIZE], .issued = now};
    p->last_call[cpu] = p->ncalls;
    p->ncalls++;
    return c;
}

/* Flush the dirty pages of [first, first+count) of file: snoop their dirty lines out of every
 * cache, then write them to disk, one request per run of consecutive dirty pages. The work is the
 * modified pages': a cache line can be dirty only in a dirty page (a store dirties its page when
 * it performs, and a page is cleaned only here, after its lines were snooped out), so a clean
 * page, resident or not, is left alone and costs nothing. */
static uint64_t flush_pages(prim_t *p, unsigned file, uint64_t first, uint64_t count,
                            prim_stats_t *st, maint_counts_t *mc, uint64_t *bytes)
{
    uint64_t cycles = 0, ps = os_config(p->os)->page_size, run = 0;
    for (uint64_t pg = first; pg <= first + count; pg++) {
        bool dirty = pg < first + count && (os_page_state(p->os, file, pg) & OS_PAGE_DIRTY);
        if (dirty) {
            cycles += machine_snoop_out(p->m, os_page_frame(p->os, file, pg), ps, false, mc);
            uint64_t ignored = 0;
            if (os_page_write(p->os, file, pg, &ignored) == OS_WRITTEN) {
                st->pages_written++;
                uint64_t end = (pg + 1) * ps, size = os_file_size(p->os, file);
                run += (end > size ? size : end) - pg * ps;
            }
        } else if (run) {
            cycles += os_disk_cycles(p->os, run);
            *bytes += run;
            run = 0;
        }
    }
    return cycles;
}

/* ---- the primitives ---- */

/* The cores that run a thread of a process with a view of [first, first+count) of file. */
static uint64_t mapping_cores(const prim_t *p, unsigned file, uint64_t first, uint64_t count)
{
    uint64_t cores = 0, ps = os_config(p->os)->page_size;
    for (size_t i = 0; i < os_view_count(p->os); i++) {
        const os_view_t *v = os_view_at_index(p->os, i);
        uint64_t vfirst = v->offset / ps, vend = vfirst + v->span / ps;
        if (v->file != file || vend <= first || vfirst >= first + count)
            continue;
        const os_process_t *proc = os_process_find(p->os, v->pid);
        if (proc)
            cores |= proc->cpus;
    }
    return cores;
}

/* Flush the range's dirty pages, then (unless a page is locked, or NO_PURGE) purge them and take
 * their lines out of every cache; sets the call's status and returns the cycles. */
static uint64_t cc_flush_and_purge(prim_t *p, const cc_work_t *w, prim_call_t *call,
                                   prim_stats_t *st, maint_counts_t *mc)
{
    uint64_t cycles = flush_pages(p, w->file, w->first, w->count, st, mc, &call->information);
    if (os_pages_locked(p->os, w->file, w->first, w->count)) {
        call->status = OS_STATUS_CACHE_PAGE_LOCKED;
        return cycles;
    }
    if (!w->purge)
        return cycles;
    uint64_t ps = os_config(p->os)->page_size;
    for (uint64_t pg = w->first; pg < w->first + w->count; pg++) {
        uint64_t frame = os_page_frame(p->os, w->file, pg);
        if (!frame)
            continue;
        /* View invalidation: no cache may keep a line of a page that leaves memory. */
        cycles += machine_snoop_out(p->m, frame, ps, true, mc);
        if (os_page_purge(p->os, w->file, pg, false) == OS_PURGED) {
            st->pages_purged++;
            report_views_invalidated(p, w->file, pg);
        }
    }
    return cycles + machine_config(p->m)->bus_latency;
}

/* A call's system-call cost, os.syscall, split into entering the kernel and leaving it. */
static uint64_t syscall_entry(const machine_t *m) { return machine_config(m)->syscall / 2; }
static uint64_t syscall_exit(const machine_t *m)
{
    return machine_config(m)->syscall - syscall_entry(m);
}

static machine_status_t do_primitive(prim_t *p, machine_t *m, unsigned cpu, const mem_req_t *r,
                                     uint64_t now, req_result_t *res)
{
    if (r->op == OP_KE_INVALIDATE_ALL_CACHES && machine_config(m)->arch == ARCH_ARM)
        return machine_fail(m, MACHINE_EUNSUPPORTED,
                            "KeInvalidateAllCaches does not exist on this machine (machine.arch ="
                            " arm): on Arm there is no architecturally reliable way to flush the"
                            " whole cache");
    /* The calling thread's process: the one the request names (arg[OP_ARG_CALLER]), which must
     * have a thread on this core, else the core's lowest-numbered process. */
    const os_process_t *caller = os_process_of_cpu(p->os, cpu);
    if (r->arg[OP_ARG_CALLER]) {
        caller = r->arg[OP_ARG_CALLER] <= UINT32_MAX
                     ? os_process_find(p->os, (uint32_t)r->arg[OP_ARG_CALLER])
                     : NULL;
        if (!caller || !(caller->cpus >> cpu & 1))
            return machine_fail(m, MACHINE_EUNSUPPORTED,
                                "%s: the calling thread names process %llu, which %s", op_name(r->op),
                                (unsigned long long)r->arg[OP_ARG_CALLER],
                                caller ? "has no thread on this CPU" : "does not exist");
    }
    /* NtCurrentProcess() names the caller's process: a full-access handle to it. */
    uint64_t handle = r->arg[PRIM_ARG_HANDLE] == OS_HANDLE_CURRENT && r->arg[OP_ARG_CALLER]
                          ? r->arg[OP_ARG_CALLER]
                          : r->arg[PRIM_ARG_HANDLE];
    prim_call_t *call = new_call(p, cpu, r, now);
    if (!call)
        return machine_fail(m, MACHINE_ENOMEM, "out of memory for the call log");
    call->pid = caller ? caller->id : 0;
    prim_stats_t *st = &p->stats[prim_index((op_t)r->op)];
    uint64_t own = machine_syscall_drained(m, cpu);
    maint_counts_t mc = {0, 0};
    /* Entering the kernel; IPIs leave after it, and leaving costs the rest (sig_resume when the
     * call waits for acknowledgements). */
    uint64_t entry = syscall_entry(m), cost = entry;
    unsigned ipis = 0;
    const os_process_t *proc = NULL;

    switch (r->op) {
    case OP_FLUSH_INSTRUCTION_CACHE: {
        os_handle_result_t h = os_handle_resolve(p->os, handle, cpu, &proc);
        if (h != OS_HANDLE_OK) {
            call->win32_ok = false;
            call->last_error =
                h == OS_HANDLE_DENIED ? PRIM_ERROR_ACCESS_DENIED : PRIM_ERROR_INVALID_HANDLE;
            break;
        }
        bool all = r->flags & REQ_NULL_BASE;
        if (all)
            call->base = 0, call->size = 0;
        /* Snooping I-caches (x86) are coherent with every store: nothing to invalidate, the
         * call is the system call alone. */
        if (machine_config(m)->icache_snoop)
            break;
        /* Clean to the point of unification first, or the I-side refills stale bytes: one
         * broadcast by address that reaches every core's L1D, the writer's wherever it runs
         * (it need not be a core of the process). */
        uint64_t every_core = ~0ull >> (64 - machine_config(m)->cores);
        fic_ctx_t clean = {.mask = every_core, .counts = &mc};
        if (all)
            cost += machine_dcache_clean(m, every_core, 0, 0, true, &mc);
        else
            cost += each_phys(p, r->addr, OP_ARG(r, FLUSH_INSTRUCTION_CACHE, SIZE), fic_clean,
                              &clean);
        fic_ctx_t inval = {.mask = proc->cpus, .counts = &mc};
        if (all)
            cost += machine_icache_invalidate(m, proc->cpus, 0, 0, true, &mc);
        else
            cost += each_phys(p, r->addr, OP_ARG(r, FLUSH_INSTRUCTION_CACHE, SIZE), fic_inval,
                              &inval);
        cost += machine_config(m)->bus_latency; /* the maintenance is broadcast to the other cores */
        break;
    }
    case OP_FLUSH_PROCESS_WRITE_BUFFERS:
        proc = caller;
        for (unsigned i = 0; proc && i < machine_config(m)->cores; i++)
            if ((proc->cpus >> i & 1) && i != cpu) {
                machine_status_t rc = machine_ipi_send(m, cpu, i, now + entry);
                if (rc != MACHINE_OK)
                    return rc;
                ipis++;
            }
        call->base = call->size = 0;
        break;
    case OP_KE_INVALIDATE_ALL_CACHES:
        call->base = call->size = 0;
        /* Every other processor drains its store buffer, writes back and invalidates its own
         * caches in an IPI handler, the last of them the shared level too; the caller does its
         * own meanwhile (and the shared level when it is alone). The call returns after the
         * last acknowledgement, every flush complete. */
        for (unsigned i = 0; i < machine_config(m)->cores; i++)
            if (i != cpu) {
                machine_status_t rc =
                    machine_ipi_send_work(m, cpu, i, now + entry, IPI_WORK_FLUSH_CACHES);
                if (rc != MACHINE_OK)
                    return rc;
                ipis++;
            }
        cost += machine_flush_processor(m, cpu, ipis == 0, &mc);
        break;
    case OP_ZW_FLUSH_VIRTUAL_MEMORY: {
        const os_view_t *v;
        uint64_t rbase, rsize;
        call->status = os_zw_flush_check(p->os, handle, cpu, r->addr,
                                         OP_ARG(r, ZW_FLUSH_VIRTUAL_MEMORY, SIZE), &v, &rbase,
                                         &rsize);
        if (call->status != OS_STATUS_SUCCESS)
            break;
        uint64_t ps = os_config(p->os)->page_size;
        call->base = rbase;
        call->size = rsize;
        cost += flush_pages(p, v->file, os_view_page(p->os, v, rbase), rsize / ps, st, &mc,
                            &call->information);
        break;
    }
    case OP_CC_COHERENCY_FLUSH_AND_PURGE: {
        int f = need_file(p, r);
        if (f == OS_NO_FILE)
            return MACHINE_EUNSUPPORTED;
        if (!os_file_acquired(p->os, (unsigned)f))
            return os_error(p, r, "the file must be acquired exclusively first ('acquire FILE')");
        uint64_t first, count;
        char err[256];
        if (os_cc_range(p->os, (unsigned)f, r->flags & REQ_NULL_BASE, r->addr,
                        OP_ARG(r, CC_COHERENCY_FLUSH_AND_PURGE, SIZE), &first, &count, err,
                        sizeof err) != OS_OK)
            return os_error(p, r, err);
        uint64_t ps = os_config(p->os)->page_size;
        call->base = first * ps;
        call->size = count * ps;
        cc_work_t work = {.file = (unsigned)f, .first = first, .count = count,
                          .purge = !(OP_ARG(r, CC_COHERENCY_FLUSH_AND_PURGE, FLAGS) & CC_NO_PURGE)};
        /* Invalidating the user-mapped views: the range leaves every view (its pages leave
         * memory at the purge, so a view's next access faults), and every other core running a
         * thread of a process that maps it is shot down; each handler drains its store buffer,
         * so those stores reach the pages before the flush. */
        uint64_t mappers = mapping_cores(p, work.file, first, count) & ~(1ull << cpu);
        for (unsigned i = 0; i < machine_config(m)->cores; i++)
            if (mappers >> i & 1) {
                machine_status_t rc = machine_ipi_send(m, cpu, i, now + entry);
                if (rc != MACHINE_OK)
                    return rc;
                ipis++;
            }
        if (ipis) {
            p->cc_waiting[cpu] = work; /* flushed and purged after the round: sig_resume */
            break;
        }
        cost += cc_flush_and_purge(p, &work, call, st, &mc);
        break;
    }
    default:
        return machine_fail(m, MACHINE_EUNSUPPORTED, "%s is not a primitive", op_name(r->op));
    }
    st->calls++;
    st->lines_invalidated += mc.lines_invalidated;
    st->lines_written_back += mc.lines_written_back;
    st->ipis += ipis;
    st->sb_drained += own;
    if (!ipis)
        cost += syscall_exit(m);
    res->done = now + cost;
    res->value = call->win32_ok && call->status == OS_STATUS_SUCCESS;
    p->ipis_pending[cpu] = ipis;
    p->waiting_call[cpu] = p->ncalls - 1;
    return MACHINE_OK;
}

/* MACHINE_OK when the check holds, MACHINE_STOPPED (the run stops) when it fails. */
static machine_status_t do_check(prim_t *p, machine_t *m, const mem_req_t *r, req_result_t *res)
{
    uint64_t got = 0, want = r->value;
    if (r->size < 8)
        want &= (1ull << (8 * r->size)) - 1;
    if (r->op == OP_EXPECT_DISK) {
        int f = need_file(p, r);
        if (f == OS_NO_FILE)
            return MACHINE_EUNSUPPORTED;
        if (os_disk_read(p->os, (unsigned)f, OP_ARG(r, EXPECT_DISK, OFFSET), &got, r->size) !=
            OS_OK)
            return machine_fail(m, MACHINE_EUNSUPPORTED,
                                "expect disk %s %#llx %u: past the end of the file (%llu bytes)",
                                r->name, (unsigned long long)OP_ARG(r, EXPECT_DISK, OFFSET),
                                r->size,
                                (unsigned long long)os_file_size(p->os, (unsigned)f));
        res->value = got;
        if (got != want)
            return machine_fail(m, MACHINE_STOPPED,
                                "expect disk %s %#llx %u failed: the disk holds %llu "
                                "(%#llx), expected %llu (%#llx)",
                                r->name, (unsigned long long)OP_ARG(r, EXPECT_DISK, OFFSET),
                                r->size,
                                (unsigned long long)got, (unsigned long long)got,
                                (unsigned long long)want, (unsigned long long)want);
        return MACHINE_OK;
    }
    /* expect mem: what a load by CPU 0 would read now (its store buffer forwards); expect fetch:
     * what the I-side of a CPU would fetch. */
    uint64_t run, paddr, cycles = 0;
    const os_view_t *v = os_view_span(p->os, r->addr, &run);
    if (r->size > run)
        return machine_fail(m, MACHINE_EUNSUPPORTED,
                            "%s %#llx %u: %s", op_name(r->op), (unsigned long long)r->addr, r->size,
                            v ? "crosses a page of a view" : "runs into a view");
    if (os_failed(os_translate(p->os, r->addr, &paddr, &cycles)))
        return machine_fail(m, MACHINE_ENOMEM, "out of memory for the page cache");
    if (r->op == OP_EXPECT_FETCH) {
        if (OP_ARG(r, EXPECT_FETCH, CPU) >= machine_config(m)->cores)
            return machine_fail(m, MACHINE_EBADCPU, "expect fetch: CPU %llu does not exist",
                                (unsigned long long)OP_ARG(r, EXPECT_FETCH, CPU));
        uint8_t bytes[8] = {0};
        machine_ifetch_bytes(m, (unsigned)OP_ARG(r, EXPECT_FETCH, CPU), paddr, r->size, bytes);
        for (unsigned i = 0; i < r->size; i++)
            got |= (uint64_t)bytes[i] << (8 * i);
        res->value = got;
        if (got != want)
            return machine_fail(m, MACHINE_STOPPED,
                                "expect fetch %#llx %u failed: CPU %llu would fetch %llu "
                                "(%#llx), expected %llu (%#llx)",
                                (unsigned long long)r->addr, r->size,
                                (unsigned long long)OP_ARG(r, EXPECT_FETCH, CPU),
                                (unsigned long long)got,
                                (unsigned long long)got, (unsigned long long)want,
                                (unsigned long long)want);
        return MACHINE_OK;
    }
    got = machine_peek(m, 0, paddr, r->size);
    res->value = got;
    if (got != want)
        return machine_fail(m, MACHINE_STOPPED,
                            "expect mem %#llx %u failed: CPU 0 would read %llu (%#llx), "
                            "expected %llu (%#llx)",
                            (unsigned long long)r->addr, r->size, (unsigned long long)got,
                            (unsigned long long)got, (unsigned long long)want,
                            (unsigned long long)want);
    return MACHINE_OK;
}

static machine_status_t do_os(prim_t *p, machine_t *m, unsigned cpu, const mem_req_t *r,
                              uint64_t now, req_result_t *res)
{
    (void)cpu;
    char err[256];
    os_result_t rc = OS_OK;
    uint64_t cycles = 0;
    switch (r->op) {
    case OP_OS_PROCESS:
        rc = os_process_create(p->os, (uint32_t)OP_ARG(r, OS_PROCESS, PID),
                               OP_ARG(r, OS_PROCESS, CPUS), err, sizeof err);
        break;
    case OP_OS_TERMINATE:
        rc = os_process_terminate(p->os, (uint32_t)OP_ARG(r, OS_TERMINATE, PID), err, sizeof err);
        break;
    case OP_OS_HANDLE:
        rc = os_handle_create(p->os, OP_ARG(r, OS_HANDLE, HANDLE),
                              (uint32_t)OP_ARG(r, OS_HANDLE, PID),
                              OP_ARG(r, OS_HANDLE, ACCESS) != 0, err,
                              sizeof err);
        break;
    case OP_OS_FILE:
        rc = os_file_create(p->os, r->name ? r->name : "", OP_ARG(r, OS_FILE, SIZE), err,
                            sizeof err);
        break;
    case OP_OS_LIMIT:
        os_set_io_limit(p->os, OP_ARG(r, OS_LIMIT, COUNT));
        break;
    default: {
        int f = need_file(p, r);
        if (f == OS_NO_FILE)
            return MACHINE_EUNSUPPORTED;
        switch (r->op) {
        case OP_OS_MAP: {
            uint64_t len = OP_ARG(r, OS_MAP, SIZE);
            if (len == 0) { /* to the end of the file */
                uint64_t size = os_file_size(p->os, (unsigned)f);
                len = OP_ARG(r, OS_MAP, OFFSET) < size ? size - OP_ARG(r, OS_MAP, OFFSET) : 0;
            }
            rc = os_map(p->os, (uint32_t)OP_ARG(r, OS_MAP, PID), (unsigned)f, r->addr,
                        OP_ARG(r, OS_MAP, OFFSET),
                        len, err,
                        sizeof err);
            break;
        }
        case OP_OS_LOCK:
            rc = os_page_lock(p->os, (unsigned)f, OP_ARG(r, OS_LOCK, PAGE), &cycles, err,
                              sizeof err);
            break;
        case OP_OS_UNLOCK:
            rc = os_page_unlock(p->os, (unsigned)f, OP_ARG(r, OS_UNLOCK, PAGE), err, sizeof err);
            break;
        case OP_OS_ACQUIRE:
            rc = os_file_acquire(p->os, (unsigned)f, err, sizeof err);
            break;
        case OP_OS_RELEASE:
            rc = os_file_release(p->os, (unsigned)f, err, sizeof err);
            break;
        default:
            return machine_fail(m, MACHINE_EUNSUPPORTED, "%s is not an OS operation",
                                op_name(r->op));
        }
    }
    }
    if (rc != OS_OK)
        return rc == OS_ENOMEM ? machine_fail(m, MACHINE_ENOMEM, "out of memory")
                               : os_error(p, r, err);
    /* Set-up happens outside simulated time, except a lock's disk read. Its value says it was
     * done (a program's rd gets 1, see isa/opcodes.def). */
    res->done = now + cycles;
    res->value = 1;
    return MACHINE_OK;
}

static machine_status_t sig_execute(void *opaque, machine_t *m, unsigned cpu, const mem_req_t *r,
                                    uint64_t now, req_result_t *res)
{
    prim_t *p = opaque;
    p->now = now;
    switch (op_class((op_t)r->op)) {
    case OPC_PRIMITIVE:
        return do_primitive(p, m, cpu, r, now, res);
    case OPC_CHECK:
        return do_check(p, m, r, res);
    case OPC_OS:
        return do_os(p, m, cpu, r, now, res);
    default:
        return machine_fail(m, MACHINE_EUNSUPPORTED, "%s is not for the OS layer",
                            op_name(r->op));
    }
}

/* A call that sent IPIs: its handlers have all acknowledged. CcCoherencyFlushAndPurgeCache now
 * flushes and purges (the shot-down cores' stores have reached the pages); the call leaves the
 * kernel. */
static void sig_resume(void *opaque, machine_t *m, unsigned cpu, const mem_req_t *r,
                       req_result_t *res)
{
    prim_t *p = opaque;
    if (r->op == OP_CC_COHERENCY_FLUSH_AND_PURGE && p->waiting_call[cpu] != SIZE_MAX) {
        prim_call_t *call = &p->calls[p->waiting_call[cpu]];
        prim_stats_t *st = &p->stats[prim_index(call->op)];
        maint_counts_t mc = {0, 0};
        p->now = res->done;
        res->done += cc_flush_and_purge(p, &p->cc_waiting[cpu], call, st, &mc);
        st->lines_invalidated += mc.lines_invalidated;
        st->lines_written_back += mc.lines_written_back;
        res->value = call->win32_ok && call->status == OS_STATUS_SUCCESS;
    }
    res->done += syscall_exit(m);
}

static void sig_completed(void *opaque, unsigned cpu, const mem_req_t *r, const req_result_t *res)
{
    prim_t *p = opaque;
    if (op_class((op_t)r->op) != OPC_PRIMITIVE || p->waiting_call[cpu] == SIZE_MAX)
        return;
    prim_call_t *c = &p->calls[p->waiting_call[cpu]];
    p->waiting_call[cpu] = SIZE_MAX;
    c->cycles = res->done - c->issued;
    prim_stats_t *st = &p->stats[prim_index(c->op)];
    st->cycles += c->cycles;
    /* The IPI handlers' drains and flushes. */
    if (p->ipis_pending[cpu]) {
        st->sb_drained += machine_ipi_round_drained(p->m, cpu);
        maint_counts_t mc = machine_ipi_round_maintenance(p->m, cpu);
        st->lines_invalidated += mc.lines_invalidated;
        st->lines_written_back += mc.lines_written_back;
    }
    p->ipis_pending[cpu] = 0;
}

/* ---- life cycle and accessors ---- */

prim_t *prim_attach(machine_t *m, char *err, size_t errlen)
{
    prim_t *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const machine_config_t *cfg = machine_config(m);
    os_config_t oc = {.cores = cfg->cores, .page_size = cfg->page_size,
                      .disk_latency = cfg->disk_latency, .disk_bandwidth = cfg->disk_bandwidth};
    p->m = m;
    os_phys_t phys = {.opaque = p, .read = phys_read, .write = phys_write,
                      .page_event = phys_page_event};
    p->os = os_create(&oc, &phys, err, errlen);
    if (!p->os) {
        free(p);
        return NULL;
    }
    for (unsigned i = 0; i < MACHINE_MAX_CORES; i++)
        p->waiting_call[i] = p->last_call[i] = SIZE_MAX;
    machine_os_t sig = {.opaque = p, .translate = sig_translate,
                        .store_performed = sig_store_performed,
                        .stores_noted_from = OS_FRAME_BASE, /* os_store_performed's frames */
                        .execute = sig_execute,
                        .resume = sig_resume, .completed = sig_completed, .identity = sig_identity,
                        .stats_reset = sig_stats_reset};
    machine_attach_os(m, &sig);
    return p;
}

void prim_destroy(prim_t *p)
{
    if (!p)
        return;
    os_destroy(p->os);
    free(p->calls);
    free(p);
}

os_t *prim_os(prim_t *p) { return p->os; }
const os_t *prim_os_const(const prim_t *p) { return p->os; }
const prim_stats_t *prim_stats(const prim_t *p, unsigned i) { return &p->stats[i]; }
size_t prim_call_count(const prim_t *p) { return p->ncalls; }
size_t prim_region_first_call(const prim_t *p) { return p->region_first_call; }

const prim_call_t *prim_last_call(const prim_t *p, unsigned cpu)
{
    return cpu < MACHINE_MAX_CORES && p->last_call[cpu] != SIZE_MAX ? &p->calls[p->last_call[cpu]]
                                                                      : NULL;
}

bool prim_call_failed(const prim_call_t *c)
{
    return c->op == OP_FLUSH_INSTRUCTION_CACHE ? !c->win32_ok : c->status != OS_STATUS_SUCCESS;
}

uint64_t prim_call_code(const prim_call_t *c)
{
    return c->op == OP_FLUSH_INSTRUCTION_CACHE ? (uint64_t)c->win32_ok
                                               : os_status_value(c->status);
}
const prim_call_t *prim_call_at(const prim_t *p, size_t i)
{
    return i < p->ncalls ? &p->calls[i] : NULL;
}

const char *prim_call_status(const prim_call_t *c)
{
    if (c->op == OP_FLUSH_INSTRUCTION_CACHE)
        return c->win32_ok ? "nonzero" : "zero";
    return os_status_name(c->status);
}

const char *prim_call_last_error(const prim_call_t *c)
{
    switch (c->last_error) {
    case PRIM_ERROR_ACCESS_DENIED:
        return "ERROR_ACCESS_DENIED";
    case PRIM_ERROR_INVALID_HANDLE:
        return "ERROR_INVALID_HANDLE";
    default:
        return NULL;
    }
}
