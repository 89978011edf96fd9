/* test_inject.c: the deliberate protocol bugs of model/faults.def, each on a tiny machine: what
 * it does to a run's values, and which invariant of check mode (the machine's monitor) catches it,
 * named with the event that broke it. One scenario per bug, run with and without the bug, so
 * that each test shows the bug is what makes the difference. */
#include <criterion/criterion.h>
#include <string.h>

#include "model/faults.h"
#include "model/machine.h"
#include "model/storebuf.h"
#include "tests/unit/tiny_machine.h"

/* Run reqs (one global stream) on cfg; the status, with the machine kept in *out. */
static int run_reqs(machine_config_t cfg, const mem_req_t *reqs, unsigned n, script_t *s,
                    machine_t **out)
{
    char err[256];
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    *s = (script_t){.reqs = reqs, .n = n};
    core_source_t src = {.next = script_next, .done = script_done, .opaque = s};
    int rc = machine_run(m, &src, 1, false);
    *out = m;
    return rc;
}

/* With check mode on, the run stops with MACHINE_ECHECK and a message holding want and the
 * event that broke it. */
static void assert_caught(machine_config_t cfg, const mem_req_t *reqs, unsigned n, const char *want)
{
    script_t s;
    machine_t *m;
    cfg.check = true;
    int rc = run_reqs(cfg, reqs, n, &s, &m);
    cr_assert_eq(rc, MACHINE_ECHECK, "rc %d: %s", rc, machine_error(m));
    cr_assert(strstr(machine_error(m), want), "%s", machine_error(m));
    cr_assert(strstr(machine_error(m), "(broken at cycle "), "%s", machine_error(m));
    machine_destroy(m);
}

Test(inject, names_round_trip_and_unknown_is_zero)
{
    for (unsigned f = 0; f < FAULT_COUNT; f++)
        cr_assert_eq(fault_lookup(fault_name((fault_id_t)f)), 1u << f);
    cr_assert_eq(fault_lookup("no-such-bug"), 0);
    char names[256];
    fault_names(names, sizeof names, ", ");
    cr_assert_str_eq(names, "no-invalidate, no-writeback, sb-reorder, no-drain-on-fence, "
                            "icache-no-snoop");
}

Test(inject, youngest_first_keeps_the_others_in_order)
{
    sb_t *sb = sb_create(4, 1);
    for (unsigned i = 0; i < 4; i++)
        sb_push(sb, 0x100 + 8 * i, 8, i, i);
    sb_youngest_first(sb);
    uint64_t want[] = {0x118, 0x100, 0x108, 0x110};
    for (unsigned i = 0; i < 4; i++) {
        cr_assert_eq(sb_drain_next(sb)->addr, want[i]);
        sb_drain_done(sb, 10 + i);
    }
    sb_destroy(sb);
}

Test(inject, no_invalidate_leaves_two_writable_copies)
{
    mem_req_t r[] = {LD(1, 0x100), ST(0, 0x100, 1), FENCE(0)};
    machine_config_t cfg = tiny_machine(2, &protocol_mesi);
    cfg.check = false;
    cfg.faults = FAULT_BIT(NO_INVALIDATE);
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, r, 3, &s, &m), 0, "%s", machine_error(m));
    /* cpu1 kept its copy (E) while cpu0 wrote the line (M) */
    cr_assert_neq(cache_find(machine_l1d(m, 1), 0x100), -1);
    machine_destroy(m);
    assert_caught(cfg, r, 3, "line 0x100 is writable in cores 0 and 1 at once");
    cfg.faults = 0;
    cr_assert_eq(run_reqs(cfg, r, 3, &s, &m), 0);
    cr_assert_eq(cache_find(machine_l1d(m, 1), 0x100), -1);
    machine_destroy(m);
}

/* 0x000, 0x080, 0x100 and 0x180 share set 0 of the tiny L2 (2 sets of 2 ways): the last two
 * loads evict the modified 0x000. */
static const mem_req_t evict_modified[] = {ST(0, 0x000, 7), FENCE(0), LD(0, 0x080), LD(0, 0x100),
                                          LD(0, 0x180), LD(0, 0x000)};

Test(inject, no_writeback_loses_the_evicted_store)
{
    machine_config_t cfg = tiny_machine(1, &protocol_mesi);
    cfg.check = false;
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, evict_modified, 6, &s, &m), 0);
    cr_assert_eq(s.values[5], 7);
    machine_destroy(m);
    cfg.faults = FAULT_BIT(NO_WRITEBACK);
    cr_assert_eq(run_reqs(cfg, evict_modified, 6, &s, &m), 0, "%s", machine_error(m));
    cr_assert_eq(s.values[5], 0, "the store survived the eviction: %llu",
                 (unsigned long long)s.values[5]);
    machine_destroy(m);
    assert_caught(cfg, evict_modified, 6,
                  "modified data leaves a core only by a write-back, but cpu0's L2 dropped line "
                  "0x0 in M without one");
}

Test(inject, sb_reorder_lets_the_older_store_land_last)
{
    mem_req_t r[] = {ST(0, 0x100, 1), ST(0, 0x100, 2), FENCE(0)};
    machine_config_t cfg = tiny_machine(1, &protocol_mesi);
    cfg.check = false;
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, r, 3, &s, &m), 0);
    cr_assert_eq(machine_peek(m, 0, 0x100, 8), 2);
    machine_destroy(m);
    cfg.faults = FAULT_BIT(SB_REORDER);
    cr_assert_eq(run_reqs(cfg, r, 3, &s, &m), 0);
    cr_assert_eq(machine_peek(m, 0, 0x100, 8), 1);
    machine_destroy(m);
    assert_caught(cfg, r, 3,
                  "stores leave a store buffer in program order, but cpu0's store 0x100 =2 left "
                  "before its older store 0x100 =1");
}

Test(inject, no_drain_on_fence_lets_store_buffering_read_both_zero)
{
    mem_req_t r[] = {ST(0, 0x100, 1), ST(1, 0x200, 1), FENCE(0), FENCE(1), LD(0, 0x200),
                     LD(1, 0x100)};
    machine_config_t cfg = tiny_machine(2, &protocol_mesi);
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, r, 6, &s, &m), 0);
    cr_assert(s.values[4] == 1 || s.values[5] == 1);
    machine_destroy(m);
    /* Check mode has no invariant for it (the caches stay coherent): the litmus verdict of
     * SB+mfences is what catches it (tests/cli/scripts/inject.sh). */
    cfg.faults = FAULT_BIT(NO_DRAIN_ON_FENCE);
    cr_assert_eq(run_reqs(cfg, r, 6, &s, &m), 0, "%s", machine_error(m));
    cr_assert_eq(s.values[4], 0);
    cr_assert_eq(s.values[5], 0);
    machine_destroy(m);
}

Test(inject, icache_no_snoop_fetches_stale_code_on_x86)
{
    mem_req_t r[] = {IF(1, 0x400), ST(0, 0x400, 0x1234), FENCE(0), IF(1, 0x400)};
    r[1].size = 4;
    machine_config_t cfg = tiny_machine(2, &protocol_mesi);
    cfg.check = false;
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, r, 4, &s, &m), 0);
    cr_assert_eq(s.values[3], 0x1234);
    machine_destroy(m);
    cfg.faults = FAULT_BIT(ICACHE_NO_SNOOP);
    cr_assert_eq(run_reqs(cfg, r, 4, &s, &m), 0);
    cr_assert_eq(s.values[3], 0, "fetched %#llx", (unsigned long long)s.values[3]);
    machine_destroy(m);
    assert_caught(cfg, r, 4, "the snooping I-cache holds stale bytes of line 0x400");
}

Test(inject, check_mode_without_a_fault_passes_these_scenarios)
{
    machine_config_t cfg = tiny_machine(1, &protocol_mesi);
    script_t s;
    machine_t *m;
    cr_assert_eq(run_reqs(cfg, evict_modified, 6, &s, &m), 0, "%s", machine_error(m));
    cr_assert_eq(machine_broken_cycle(m), machine_cycles(m));
    machine_destroy(m);
}
