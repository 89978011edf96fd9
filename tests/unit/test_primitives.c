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
        LD(3, 0x1000), LD(3, 0x2000), LD(3, 0x3000),
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

Test(primitives, ke_invalidate_all_caches_is_refused_on_arm_and_touches_nothing)
{
    const mem_req_t reqs[] = {
        ST(0, 0x1000, 1), {.op = OP_FENCE, .cpu = 0},
        CALL(1, OP_KE_INVALIDATE_ALL_CACHES),
    };
    run_t r;
    run(&r, tiny4(ARCH_ARM), reqs, sizeof reqs / sizeof reqs[0]);
    const prim_call_t *c = prim_call_at(r.p, 0);
    cr_assert_eq(c->status, OS_STATUS_NOT_SUPPORTED);
    cr_assert_str_eq(prim_call_status(c), "STATUS_NOT_SUPPORTED");
    const prim_stats_t *st = stats_of(&r, OP_KE_INVALIDATE_ALL_CACHES);
    cr_assert_eq(st->lines_written_back, 0);
    cr_assert_eq(st->lines_invalidated, 0);
    cr_assert_eq(st->ipis, 0);
    cr_assert_eq(r.s.res[2].value, 0, "the call reports failure to its caller");
    finish(&r);
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
