/* test_primitives.c: the OS layer's primitives driven directly (prim_attach on a tiny machine, a
 * scripted global stream): whom FlushProcessWriteBuffers interrupts and what it guarantees when it
 * returns, KeInvalidateAllCaches' counts and its refusal on Arm, and the call log. The command-line
 * tests drive the same code through text traces and `exec`. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/machine.h"
#include "model/primitives.h"
#include "tests/unit/tiny_machine.h"

/* Four cores of the tiny machine, of architecture arch (Arm: I-caches that do not snoop). */
static machine_config_t tiny4(arch_t arch)
{
    machine_config_t c = tiny_machine(4, &protocol_mesi);
    c.arch = arch;
    c.icache_snoop = arch == ARCH_X86;
    return c;
}

#define PROCESS(pid, mask) {.op = OP_OS_PROCESS, .arg = {pid, mask}}
#define CALL(c, op_) {.op = op_, .cpu = c}

typedef struct run {
    machine_t *m;
    prim_t *p;
    script_t s;
} run_t;

static void run(run_t *r, machine_config_t cfg, const mem_req_t *reqs, unsigned n)
{
    char err[256];
    r->m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(r->m, "%s", err);
    r->p = prim_attach(r->m, err, sizeof err);
    cr_assert_not_null(r->p, "%s", err);
    r->s = (script_t){.reqs = reqs, .n = n};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = &r->s};
    int rc = machine_run(r->m, &src, 1, false);
    cr_assert_eq(rc, 0, "machine_run: %d %s", rc, machine_error(r->m));
}

static void finish(run_t *r)
{
    prim_destroy(r->p);
    machine_destroy(r->m);
}

static const prim_stats_t *stats_of(const run_t *r, op_t op)
{
    for (unsigned i = 0; i < PRIM_COUNT; i++)
        if (prim_op(i) == op)
            return prim_stats(r->p, i);
    cr_assert_fail("%s is not a primitive", op_name(op));
    return NULL;
}

Test(primitives, fpwb_interrupts_the_process_cores_and_returns_after_their_drains)
{
    /* Process 1 runs on cores 0-2, process 2 on core 3. Cores 1 and 2 leave stores in their
     * buffers; core 0's FlushProcessWriteBuffers must IPI cores 1 and 2 (not 3, not itself) and
     * return only when both buffers have drained, so its loads after the call see both stores. */
    const mem_req_t reqs[] = {
        PROCESS(1, 0x7), PROCESS(2, 0x8),
        ST(1, 0x1000, 11), ST(2, 0x2000, 22), ST(3, 0x3000, 33),
        CALL(0, OP_FLUSH_PROCESS_WRITE_BUFFERS),
        LD(0, 0x1000), LD(0, 0x2000),
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    const prim_stats_t *st = stats_of(&r, OP_FLUSH_PROCESS_WRITE_BUFFERS);
    cr_assert_eq(st->calls, 1);
    cr_assert_eq(st->ipis, 2, "IPIs to the process's other cores only, got %llu",
                 (unsigned long long)st->ipis);
    cr_assert_eq(machine_ipi_stats(r.m, 1)->delivered, 1);
    cr_assert_eq(machine_ipi_stats(r.m, 2)->delivered, 1);
    cr_assert_eq(machine_ipi_stats(r.m, 3)->delivered, 0);
    cr_assert_eq(r.s.res[6].value, 11);
    cr_assert_eq(r.s.res[7].value, 22);
    /* the call lasts at least one delivery and one handler */
    cr_assert_eq(prim_call_count(r.p), 1);
    const prim_call_t *c = prim_call_at(r.p, 0);
    cr_assert_eq(c->cpu, 0);
    cr_assert_geq(c->cycles, 100 + 50, "%llu cycles", (unsigned long long)c->cycles);
    finish(&r);
}

Test(primitives, ke_invalidate_all_caches_writes_each_dirty_line_back_once)
{
    /* Three dirty lines in three cores, one clean line: every copy is dropped, each dirty line is
     * written back once, and memory holds every value afterwards. */
    const mem_req_t reqs[] = {
        ST(0, 0x1000, 1), ST(1, 0x2000, 2), ST(2, 0x3000, 3), LD(3, 0x4000),
        {.op = OP_FENCE, .cpu = 0}, {.op = OP_FENCE, .cpu = 1}, {.op = OP_FENCE, .cpu = 2},
        CALL(0, OP_KE_INVALIDATE_ALL_CACHES),
        LD(0, 0x1000), LD(0, 0x2000), LD(0, 0x3000),
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    const prim_stats_t *st = stats_of(&r, OP_KE_INVALIDATE_ALL_CACHES);
    cr_assert_eq(st->calls, 1);
    cr_assert_eq(st->lines_written_back, 3);
    cr_assert_geq(st->lines_invalidated, 4, "every copy of the four lines is dropped");
    cr_assert_eq(st->ipis, 3, "every other core runs the flush in an IPI handler");
    cr_assert_eq(prim_call_at(r.p, 0)->status, OS_STATUS_SUCCESS);
    cr_assert_eq(r.s.res[8].value, 1);
    cr_assert_eq(r.s.res[9].value, 2);
    cr_assert_eq(r.s.res[10].value, 3);
    finish(&r);
}

Test(primitives, ke_invalidate_all_caches_does_not_exist_on_arm)
{
    /* The page: not available on Arm. A call there is an invalid input, refused with a message
     * naming the routine, before it touches anything. */
    const mem_req_t reqs[] = {
        ST(0, 0x1000, 1), {.op = OP_FENCE, .cpu = 0},
        CALL(1, OP_KE_INVALIDATE_ALL_CACHES),
    };
    char err[256];
    machine_config_t cfg = tiny4(ARCH_ARM);
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    prim_t *p = prim_attach(m, err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    script_t s = {.reqs = reqs, .n = sizeof reqs / sizeof reqs[0]};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = &s};
    cr_assert_eq(machine_run(m, &src, 1, false), MACHINE_EUNSUPPORTED);
    cr_assert(strstr(machine_error(m), "KeInvalidateAllCaches does not exist"), "%s",
              machine_error(m));
    cr_assert_eq(machine_failed_cpu(m), 1);
    cr_assert_eq(prim_call_count(p), 0, "no call was made");
    cr_assert_eq(machine_ipi_stats(m, 1)->sent, 0);
    cr_assert_eq(cache_dirty_lines(machine_l1d(m, 0)), 1, "core 0's dirty line is untouched");
    prim_destroy(p);
    machine_destroy(m);
}

Test(primitives, the_call_log_keeps_every_call_in_order)
{
    const mem_req_t reqs[] = {
        CALL(2, OP_FLUSH_PROCESS_WRITE_BUFFERS),
        {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = 1, .arg = {UINT64_MAX, 0}, .flags = REQ_NULL_BASE},
        {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = 3, .arg = {77, 64}, .addr = 0x1000},
        CALL(0, OP_KE_INVALIDATE_ALL_CACHES),
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(prim_call_count(r.p), 4);
    static const op_t ops[4] = {OP_FLUSH_PROCESS_WRITE_BUFFERS, OP_FLUSH_INSTRUCTION_CACHE,
                                OP_FLUSH_INSTRUCTION_CACHE, OP_KE_INVALIDATE_ALL_CACHES};
    static const unsigned cpus[4] = {2, 1, 3, 0};
    for (size_t i = 0; i < 4; i++) {
        const prim_call_t *c = prim_call_at(r.p, i);
        cr_assert_eq(c->seq, i);
        cr_assert_eq(c->op, ops[i], "call %zu is %s", i, op_name(c->op));
        cr_assert_eq(c->cpu, cpus[i]);
        cr_assert_gt(c->cycles, 0);
        if (i)
            cr_assert_geq(c->issued, prim_call_at(r.p, i - 1)->issued);
    }
    /* NULL base: the whole I-cache, reported as base 0 size 0; a handle that names nothing:
     * zero with ERROR_INVALID_HANDLE */
    const prim_call_t *all = prim_call_at(r.p, 1), *bad = prim_call_at(r.p, 2);
    cr_assert(all->win32_ok);
    cr_assert_eq(all->base, 0);
    cr_assert_eq(all->size, 0);
    cr_assert_not(bad->win32_ok);
    cr_assert_str_eq(prim_call_last_error(bad), "ERROR_INVALID_HANDLE");
    cr_assert_eq(r.s.res[1].value, 1);
    cr_assert_eq(r.s.res[2].value, 0);
    cr_assert_eq(stats_of(&r, OP_FLUSH_INSTRUCTION_CACHE)->calls, 2);
    finish(&r);
}

/* The observer's records of kind, counted, and the last one kept. */
typedef struct kind_log {
    obs_kind_t kind;
    unsigned n;
    obs_event_t last;
} kind_log_t;

static void log_kind(void *opaque, const obs_event_t *ev)
{
    kind_log_t *l = opaque;
    if (ev->kind == l->kind) {
        l->n++;
        l->last = *ev;
    }
}

Test(primitives, cc_purge_reports_each_view_it_invalidates)
{
    /* two pages of f.dat mapped at 0x40000000 in process 1; a store dirties the second one,
     * which the purge of page 1 then takes out of the view (and only that page) */
    mem_req_t r[] = {PROCESS(1, 0x3),
                     {.op = OP_OS_FILE, .name = "f.dat", .arg = {8192}},
                     {.op = OP_OS_MAP, .name = "f.dat", .addr = 0x40000000, .arg = {1, 0, 8192}},
                     ST(0, 0x40001008, 9),
                     FENCE(0),
                     {.op = OP_OS_ACQUIRE, .name = "f.dat"},
                     {.op = OP_CC_COHERENCY_FLUSH_AND_PURGE, .name = "f.dat", .addr = 4096,
                      .arg = {0, 4096, 0}}};
    char err[256];
    machine_config_t cfg = tiny4(ARCH_X86);
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    prim_t *p = prim_attach(m, err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    kind_log_t views = {.kind = OBS_VIEW_INVALIDATED};
    machine_observe(m, log_kind, &views);
    script_t s = {.reqs = r, .n = sizeof r / sizeof r[0]};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = &s};
    cr_assert_eq(machine_run(m, &src, 1, false), 0, "%s", machine_error(m));
    cr_assert_eq(s.values[6], 1, "the purge failed");
    cr_assert_eq(views.n, 1);
    cr_assert_eq(views.last.addr, 0x40001000);
    cr_assert_eq(views.last.other, 1);
    cr_assert_eq(views.last.value, 0);
    cr_assert_str_eq(obs_kind_name(OBS_VIEW_INVALIDATED), "view.invalidated");
    prim_destroy(p);
    machine_destroy(m);
}

/* ZwFlushVirtualMemory over view base with size 0 (to the end of the view), by core 0. */
#define ZW(base) {.op = OP_ZW_FLUSH_VIRTUAL_MEMORY, .cpu = 0, .addr = base, .arg = {UINT64_MAX, 0}}

Test(primitives, zw_flush_costs_the_modified_pages_not_the_resident_ones)
{
    /* Two views: one of 1 page, one of 48 pages, every page resident (a load faulted it in).
     * Flushing either while clean costs the same (the system call alone): a clean page has no
     * dirty line to look for. With one page modified in each, both calls again cost the same:
     * one page's lines snooped once each (not once per core) and one page written. */
    enum { PAGES = 48, PS = 4096 }; /* the script keeps at most 64 results */
    static mem_req_t reqs[8 + PAGES + 8];
    unsigned n = 0;
    reqs[n++] = (mem_req_t){.op = OP_OS_FILE, .name = "small", .arg = {PS}};
    reqs[n++] = (mem_req_t){.op = OP_OS_FILE, .name = "big", .arg = {PAGES * PS}};
    reqs[n++] = (mem_req_t){.op = OP_OS_MAP, .name = "small", .addr = 0x100000, .arg = {1, 0, PS}};
    reqs[n++] = (mem_req_t){.op = OP_OS_MAP, .name = "big", .addr = 0x200000,
                            .arg = {1, 0, PAGES * PS}};
    reqs[n++] = (mem_req_t)LD(0, 0x100000);
    for (unsigned i = 0; i < PAGES; i++)
        reqs[n++] = (mem_req_t)LD(0, 0x200000 + (uint64_t)i * PS);
    reqs[n++] = (mem_req_t)ZW(0x100000);
    reqs[n++] = (mem_req_t)ZW(0x200000);
    reqs[n++] = (mem_req_t)ST(1, 0x100040, 7);
    reqs[n++] = (mem_req_t)ST(1, 0x200000 + 5 * PS + 0x40, 7);
    reqs[n++] = (mem_req_t)FENCE(1);
    reqs[n++] = (mem_req_t)ZW(0x100000);
    reqs[n++] = (mem_req_t)ZW(0x200000);
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, n);
    cr_assert_eq(prim_call_count(r.p), 4);
    const prim_call_t *c[4];
    for (size_t i = 0; i < 4; i++) {
        c[i] = prim_call_at(r.p, i);
        cr_assert_eq(c[i]->status, OS_STATUS_SUCCESS, "call %zu: %s", i, prim_call_status(c[i]));
    }
    cr_assert_eq(c[1]->size, (uint64_t)PAGES * PS);
    cr_assert_eq(c[0]->cycles, c[1]->cycles, "a clean view of 1 page cost %llu, of %u pages %llu",
                 (unsigned long long)c[0]->cycles, PAGES, (unsigned long long)c[1]->cycles);
    cr_assert_eq(c[2]->cycles, c[3]->cycles, "one dirty page: %llu in a 1-page view, %llu in a "
                 "%u-page view", (unsigned long long)c[2]->cycles,
                 (unsigned long long)c[3]->cycles, PAGES);
    /* the dirty page's 64 lines looked up once each; one line written back, through the LLC (two
     * transfers of the bus occupancy, one memory latency); one page to disk (tiny_machine:
     * latency 1000, 1 byte per cycle) */
    uint64_t disk = 1000 + PS;
    cr_assert_eq(c[3]->cycles - c[1]->cycles, PS / 64 + 2 * 2 + 100 + disk, "%llu",
                 (unsigned long long)(c[3]->cycles - c[1]->cycles));
    cr_assert_eq(stats_of(&r, OP_ZW_FLUSH_VIRTUAL_MEMORY)->pages_written, 2);
    cr_assert_eq(stats_of(&r, OP_ZW_FLUSH_VIRTUAL_MEMORY)->lines_written_back, 2);
    finish(&r);
}

/* FlushInstructionCache(current process, base, size) by core c. */
#define FIC(c, base, size) \
    {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = c, .addr = base, .arg = {UINT64_MAX, size}}

static machine_config_t arm4(const protocol_t *proto)
{
    machine_config_t c = tiny4(ARCH_ARM);
    c.protocol = proto;
    return c;
}

Test(primitives, arm_fetch_reads_the_point_of_unification_until_the_clean)
{
    /* Code written by the fetching core sits dirty in its L1D, above the point of unification
     * that an I-cache fill reads: the fetch gets the old word, even on a miss, until
     * FlushInstructionCache cleans the line and invalidates the I-cache. */
    const mem_req_t reqs[] = {
        ST(0, 0x5000, 0x1234), FENCE(0),
        IF(0, 0x5000), IF(0, 0x5000),
        FIC(0, 0x5000, 8),
        IF(0, 0x5000),
    };
    run_t r;
    run(&r, arm4(&protocol_mesi), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(r.s.res[2].value, 0, "a fill took the word from the L1D: %#llx",
                 (unsigned long long)r.s.res[2].value);
    cr_assert_eq(r.s.res[3].value, 0);
    cr_assert_eq(r.s.res[5].value, 0x1234);
    cr_assert_eq(stats_of(&r, OP_FLUSH_INSTRUCTION_CACHE)->lines_written_back, 1);
    finish(&r);
}

Test(primitives, arm_clean_reaches_the_writer_outside_the_process)
{
    /* Core 1 (process 2) writes code; under MOESI core 0's fill leaves core 1 the dirty owner,
     * so core 0 fetches the old word. Core 0's FlushInstructionCache for its own process (core
     * 0 alone) must still clean core 1's line: the clean is a broadcast by address. */
    const mem_req_t reqs[] = {
        PROCESS(1, 0x1), PROCESS(2, 0x2),
        ST(1, 0x5000, 0x1234), FENCE(1),
        IF(0, 0x5000),
        FIC(0, 0x5000, 8),
        IF(0, 0x5000),
    };
    run_t r;
    run(&r, arm4(&protocol_moesi), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(r.s.res[4].value, 0, "the owner's dirty word was fetched before any clean");
    cr_assert_eq(r.s.res[6].value, 0x1234, "the clean did not reach the writer: %#llx",
                 (unsigned long long)r.s.res[6].value);
    cr_assert_eq(stats_of(&r, OP_FLUSH_INSTRUCTION_CACHE)->lines_written_back, 1);
    finish(&r);
}

Test(primitives, arm_dirty_line_passed_on_keeps_the_older_bytes_below)
{
    /* MOESI: core 0 writes, core 1 reads (core 0 owns it, O), core 1 writes (core 0's copy is
     * invalidated without a write-back). Neither store has reached the point of unification,
     * so core 2 fetches the original word until a clean. */
    const mem_req_t reqs[] = {
        ST(0, 0x5000, 0x1111), FENCE(0),
        LD(1, 0x5000),
        ST(1, 0x5000, 0x2222), FENCE(1),
        IF(2, 0x5000),
        FIC(2, 0x5000, 8),
        IF(2, 0x5000),
    };
    run_t r;
    run(&r, arm4(&protocol_moesi), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(r.s.res[5].value, 0, "fetched %#llx", (unsigned long long)r.s.res[5].value);
    cr_assert_eq(r.s.res[7].value, 0x2222);
    finish(&r);
}

Test(primitives, x86_flush_instruction_cache_is_the_system_call_alone)
{
    /* Snooping I-caches hold no stale line: FlushInstructionCache has nothing to invalidate or
     * clean and costs what a FlushProcessWriteBuffers with no other core to interrupt costs. */
    const mem_req_t reqs[] = {
        PROCESS(1, 0x1),
        IF(0, 0x5000), ST(0, 0x5000, 0x1234), FENCE(0), IF(0, 0x5000),
        FIC(0, 0x5000, 4096),
        CALL(0, OP_FLUSH_PROCESS_WRITE_BUFFERS),
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(r.s.res[4].value, 0x1234, "a snooping I-cache fetches the new word at once");
    const prim_call_t *fic = prim_call_at(r.p, 0), *fpwb = prim_call_at(r.p, 1);
    cr_assert(fic->win32_ok);
    cr_assert_eq(fic->cycles, fpwb->cycles, "FlushInstructionCache %llu cycles, the system "
                 "call %llu", (unsigned long long)fic->cycles, (unsigned long long)fpwb->cycles);
    const prim_stats_t *st = stats_of(&r, OP_FLUSH_INSTRUCTION_CACHE);
    cr_assert_eq(st->lines_invalidated, 0);
    cr_assert_eq(st->lines_written_back, 0);
    finish(&r);
}

Test(primitives, a_core_shared_by_two_processes_calls_as_either)
{
    /* Core 1 runs threads of processes 1 (cores 0-1) and 2 (cores 1-3). A call names its thread's
     * process in arg[3]; without one it is the lowest-numbered process's. */
    const mem_req_t reqs[] = {
        PROCESS(1, 0x3), PROCESS(2, 0xe),
        {.op = OP_FLUSH_PROCESS_WRITE_BUFFERS, .cpu = 1, .arg = {0, 0, 0, 2}},
        {.op = OP_FLUSH_PROCESS_WRITE_BUFFERS, .cpu = 1},
        {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = 1, .addr = 0x1000, .arg = {UINT64_MAX, 8, 0, 2}},
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(machine_ipi_stats(r.m, 0)->delivered, 1, "the call as process 1 IPIs core 0");
    cr_assert_eq(machine_ipi_stats(r.m, 2)->delivered, 1, "the call as process 2 IPIs core 2");
    cr_assert_eq(machine_ipi_stats(r.m, 3)->delivered, 1);
    cr_assert_eq(prim_call_at(r.p, 0)->pid, 2);
    cr_assert_eq(prim_call_at(r.p, 1)->pid, 1);
    cr_assert_eq(prim_call_at(r.p, 2)->pid, 2);
    cr_assert(prim_call_at(r.p, 2)->win32_ok);
    finish(&r);
}

Test(primitives, a_thread_of_a_process_without_that_core_is_refused)
{
    const mem_req_t reqs[] = {
        PROCESS(1, 0x3), PROCESS(2, 0xc),
        {.op = OP_FLUSH_PROCESS_WRITE_BUFFERS, .cpu = 1, .arg = {0, 0, 0, 2}},
    };
    machine_config_t cfg = tiny4(ARCH_X86);
    char err[256];
    machine_t *m = machine_create(&cfg, err, sizeof err);
    prim_t *p = prim_attach(m, err, sizeof err);
    script_t s = {.reqs = reqs, .n = 3};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = &s};
    cr_assert_eq(machine_run(m, &src, 1, false), MACHINE_EUNSUPPORTED);
    cr_assert(strstr(machine_error(m), "process 2, which has no thread on this CPU"), "%s",
              machine_error(m));
    prim_destroy(p);
    machine_destroy(m);
}

Test(primitives, the_last_call_of_each_core_and_its_code)
{
    const mem_req_t reqs[] = {
        {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = 1, .addr = 0x1000, .arg = {77, 8}},
        {.op = OP_ZW_FLUSH_VIRTUAL_MEMORY, .cpu = 2, .addr = 0x1000, .arg = {UINT64_MAX, 0}},
        CALL(2, OP_FLUSH_PROCESS_WRITE_BUFFERS),
    };
    run_t r;
    run(&r, tiny4(ARCH_X86), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_null(prim_last_call(r.p, 0));
    const prim_call_t *fic = prim_last_call(r.p, 1);
    cr_assert(prim_call_failed(fic));
    cr_assert_eq(prim_call_code(fic), 0);
    cr_assert_eq(prim_last_call(r.p, 2)->op, OP_FLUSH_PROCESS_WRITE_BUFFERS);
    const prim_call_t *zw = prim_call_at(r.p, 1);
    cr_assert(prim_call_failed(zw));
    cr_assert_eq(prim_call_code(zw), 0xC0000019u, "STATUS_NOT_MAPPED_VIEW, got %#llx",
                 (unsigned long long)prim_call_code(zw));
    finish(&r);
}

Test(primitives, arm_null_base_cleans_every_dirty_l1d_line_to_the_point_of_unification)
{
    /* A NULL base cleans every L1D's dirty lines (into each core's L2, the point of
     * unification: nothing goes further) and invalidates the whole I-caches of the process. */
    const mem_req_t reqs[] = {
        ST(0, 0x5000, 0x1234), ST(1, 0x6000, 0x5678), FENCE(0), FENCE(1),
        IF(0, 0x5000), IF(0, 0x6000),
        {.op = OP_FLUSH_INSTRUCTION_CACHE, .cpu = 0, .arg = {UINT64_MAX, 0}, .flags = REQ_NULL_BASE},
        IF(0, 0x5000), IF(0, 0x6000),
    };
    run_t r;
    run(&r, arm4(&protocol_moesi), reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(r.s.res[4].value, 0);
    cr_assert_eq(r.s.res[5].value, 0, "core 1 owns its dirty line under MOESI: stale");
    cr_assert_eq(r.s.res[7].value, 0x1234);
    cr_assert_eq(r.s.res[8].value, 0x5678);
    const prim_stats_t *st = stats_of(&r, OP_FLUSH_INSTRUCTION_CACHE);
    cr_assert_eq(st->lines_written_back, 2, "%llu", (unsigned long long)st->lines_written_back);
    cr_assert_eq(cache_stats_const(machine_l2(r.m, 0))->writebacks, 0, "nothing left the L2");
    cr_assert_eq(cache_dirty_lines(machine_l2(r.m, 0)), 1, "the L2 took the line, dirty");
    finish(&r);
}

Test(primitives, a_call_costs_its_system_call)
{
    /* A FlushProcessWriteBuffers of a process with one core sends no IPI: it costs os.syscall. */
    const mem_req_t reqs[] = {PROCESS(1, 0x1), CALL(0, OP_FLUSH_PROCESS_WRITE_BUFFERS)};
    machine_config_t cfg = tiny4(ARCH_X86);
    cfg.syscall = 40;
    run_t r;
    run(&r, cfg, reqs, sizeof reqs / sizeof reqs[0]);
    cr_assert_eq(prim_call_at(r.p, 0)->cycles, 40, "%llu cycles",
                 (unsigned long long)prim_call_at(r.p, 0)->cycles);
    finish(&r);
}

Test(primitives, an_ipi_round_costs_entry_delivery_handler_acknowledgement_and_exit)
{
    /* Entering the kernel (half of os.syscall), the IPI's latency, its handler (no store to
     * drain), the acknowledgement's way back, leaving the kernel: each once, in sequence. */
    const mem_req_t reqs[] = {PROCESS(1, 0x3), CALL(0, OP_FLUSH_PROCESS_WRITE_BUFFERS)};
    machine_config_t cfg = tiny4(ARCH_X86);
    cfg.syscall = 40;
    cfg.ipi_ack = 30;
    run_t r;
    run(&r, cfg, reqs, sizeof reqs / sizeof reqs[0]);
    uint64_t want = 20 + cfg.ipi_latency + cfg.ipi_handler + 30 + 20;
    cr_assert_eq(prim_call_at(r.p, 0)->cycles, want, "%llu cycles, expected %llu",
                 (unsigned long long)prim_call_at(r.p, 0)->cycles, (unsigned long long)want);
    finish(&r);
}

/* The cycle core 1 issues its load after a lock that reads the disk (a long call), with or
 * without core 0's FlushProcessWriteBuffers interrupting it meanwhile. */
static uint64_t load_after_long_call(bool interrupted)
{
    const mem_req_t with[] = {
        PROCESS(1, 0x3), {.op = OP_OS_FILE, .name = "f", .arg = {8192}},
        {.op = OP_OS_LOCK, .cpu = 1, .name = "f", .arg = {0}},
        CALL(0, OP_FLUSH_PROCESS_WRITE_BUFFERS), LD(1, 0x5000),
    };
    const mem_req_t without[] = {
        PROCESS(1, 0x3), {.op = OP_OS_FILE, .name = "f", .arg = {8192}},
        {.op = OP_OS_LOCK, .cpu = 1, .name = "f", .arg = {0}},
        LD(1, 0x5000),
    };
    run_t r;
    if (interrupted)
        run(&r, tiny4(ARCH_X86), with, sizeof with / sizeof with[0]);
    else
        run(&r, tiny4(ARCH_X86), without, sizeof without / sizeof without[0]);
    uint64_t at = r.s.res[interrupted ? 4 : 3].issued;
    cr_assert_geq(at, 1000, "the lock reads the disk first");
    finish(&r);
    return at;
}

Test(primitives, an_ipi_handler_delays_the_work_of_the_core_it_interrupts)
{
    uint64_t alone = load_after_long_call(false), interrupted = load_after_long_call(true);
    cr_assert_eq(interrupted, alone + tiny4(ARCH_X86).ipi_handler,
                 "the handler's %u cycles are core 1's: %llu, then %llu",
                 tiny4(ARCH_X86).ipi_handler, (unsigned long long)alone,
                 (unsigned long long)interrupted);
}

/* What KeInvalidateAllCaches left when it returned, seen by an observer at that event. */
typedef struct at_return {
    machine_t *m;
    bool seen;
    uint64_t valid_lines, buffered, mem[2];
} at_return_t;

static void note_return(void *opaque, const obs_event_t *ev)
{
    at_return_t *a = opaque;
    if (ev->kind != OBS_PRIM_RETURN || ev->op != OP_KE_INVALIDATE_ALL_CACHES)
        return;
    a->seen = true;
    for (unsigned i = 0; i < machine_config(a->m)->cores; i++) {
        const cache_t *levels[] = {machine_l1i(a->m, i), machine_l1d(a->m, i), machine_l2(a->m, i)};
        for (unsigned k = 0; k < 3; k++)
            if (levels[k])
                a->valid_lines += cache_valid_lines(levels[k]);
        a->buffered += machine_sb_count(a->m, i);
    }
    a->valid_lines += cache_valid_lines(machine_llc(a->m));
    static const uint64_t addrs[2] = {0x1000, 0x2000};
    for (unsigned k = 0; k < 2; k++)
        machine_mem_read(a->m, addrs[k], &a->mem[k], 8);
}

Test(primitives, ke_invalidate_all_caches_has_flushed_everything_when_it_returns)
{
    /* Cores 1 and 2 hold stores in their buffers (slow to drain) when the call starts; core 3
     * fetches a line after it started, before its IPI arrives. At the return
     * (check mode on: the invariants hold after every transaction) no cache holds a valid line
     * and every buffered store is in memory: each handler drained and flushed its own core. */
    const mem_req_t reqs[] = {
        ST(1, 0x1000, 11), ST(2, 0x2000, 22),
        CALL(0, OP_KE_INVALIDATE_ALL_CACHES),
        LD(3, 0x4000),
    };
    machine_config_t cfg = tiny4(ARCH_X86);
    cfg.sb_drain_latency = 500; /* still buffered when the IPIs arrive (100 cycles) */
    char err[256];
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    prim_t *p = prim_attach(m, err, sizeof err);
    cr_assert_not_null(p, "%s", err);
    at_return_t a = {.m = m};
    machine_observe(m, note_return, &a);
    script_t s = {.reqs = reqs, .n = sizeof reqs / sizeof reqs[0]};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = &s};
    int rc = machine_run(m, &src, 1, false);
    cr_assert_eq(rc, 0, "machine_run: %d %s", rc, machine_error(m));
    cr_assert(a.seen);
    cr_assert_eq(a.valid_lines, 0, "%llu lines still valid at the return",
                 (unsigned long long)a.valid_lines);
    cr_assert_eq(a.buffered, 0, "%llu stores still buffered at the return",
                 (unsigned long long)a.buffered);
    cr_assert_eq(a.mem[0], 11);
    cr_assert_eq(a.mem[1], 22);
    const prim_stats_t *st = NULL;
    for (unsigned i = 0; i < PRIM_COUNT; i++)
        if (prim_op(i) == OP_KE_INVALIDATE_ALL_CACHES)
            st = prim_stats(p, i);
    cr_assert_eq(st->lines_written_back, 2, "the two stored lines, once each");
    cr_assert_eq(st->sb_drained, 2, "the handlers drained the two buffered stores");
    /* The sum: entry, delivery, the slowest handler (its drain, its work, its flush), the
     * acknowledgement, exit; at least the delivery and the 500-cycle drain. */
    cr_assert_geq(prim_call_at(p, 0)->cycles, 1 + cfg.ipi_latency + 500 + cfg.ipi_handler);
    prim_destroy(p);
    machine_destroy(m);
}

Test(primitives, cc_flush_and_purge_shoots_down_the_mapping_cores_before_it_flushes)
{
    /* Process 1 maps the file and runs on cores 0 and 1. Core 1's store to the view is still in
     * its store buffer (slow to drain) when core 0 calls CcCoherencyFlushAndPurgeCache: the call
     * IPIs core 1, whose handler drains the store into the page, then flushes it to the file and
     * purges it. The store reaches the file; none lands in a purged frame. */
    const mem_req_t reqs[] = {
        PROCESS(1, 0x3), {.op = OP_OS_FILE, .name = "f", .arg = {8192}},
        {.op = OP_OS_MAP, .name = "f", .addr = 0x40000000, .arg = {1, 0, 0}},
        LD(1, 0x40000000), {.op = OP_OS_ACQUIRE, .name = "f"},
        ST(1, 0x40000008, 99),
        {.op = OP_CC_COHERENCY_FLUSH_AND_PURGE, .cpu = 0, .name = "f", .addr = 0,
         .arg = {0, 4096, 0}},
    };
    machine_config_t cfg = tiny4(ARCH_X86);
    cfg.sb_drain_latency = 1000; /* still buffered when the IPI arrives (100 cycles) */
    run_t r;
    run(&r, cfg, reqs, sizeof reqs / sizeof reqs[0]);
    os_t *os = prim_os(r.p);
    uint64_t disk = 0;
    cr_assert_eq(os_disk_read(os, 0, 8, &disk, 8), 0);
    cr_assert_eq(disk, 99, "the buffered store reached the file: %llu", (unsigned long long)disk);
    cr_assert_eq(os_file_stats(os, 0)->stores_lost, 0);
    cr_assert_eq(os_file_stats(os, 0)->pages_purged, 1);
    const prim_call_t *c = prim_call_at(r.p, 0);
    cr_assert_eq(c->status, OS_STATUS_SUCCESS);
    const prim_stats_t *st = stats_of(&r, OP_CC_COHERENCY_FLUSH_AND_PURGE);
    cr_assert_eq(st->ipis, 1, "core 1 only: it runs a thread of the mapping process");
    cr_assert_eq(st->sb_drained, 1, "core 1's handler drained the store");
    cr_assert_eq(st->pages_written, 1);
    /* the IPI round trip is part of the cost */
    cr_assert_geq(c->cycles, cfg.ipi_latency + cfg.ipi_handler);
    finish(&r);
}
