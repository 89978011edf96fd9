/* test_observe.c: the observer seam (model/observe.h): the records of a directed scenario say
 * what happened (a BusRdX takes the other core's copy to I, with the snoop as reason; drains,
 * forwards and IPIs appear), names come from the tables, and counts of records agree with the
 * statistics the machine keeps. (test_fast_paths.c shows an observed run computes exactly what
 * an unobserved one does.) */
#include <criterion/criterion.h>
#include <string.h>

#include "model/coherence.h"
#include "model/machine.h"
#include "tests/unit/tiny_machine.h"

enum { MAX_EVENTS = 4096 };

typedef struct log {
    obs_event_t ev[MAX_EVENTS];
    unsigned n;
    uint64_t per_kind[OBS_KINDS];
} log_t;

static void record(void *opaque, const obs_event_t *ev)
{
    log_t *l = opaque;
    cr_assert_lt((unsigned)ev->kind, OBS_KINDS);
    l->per_kind[ev->kind]++;
    if (l->n < MAX_EVENTS)
        l->ev[l->n++] = *ev;
}

static machine_t *run_observed(machine_config_t cfg, script_t *s, log_t *log)
{
    char err[256];
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    machine_observe(m, record, log);
    core_source_t src = {.next = script_next, .done = script_done, .opaque = s};
    int rc = machine_run(m, &src, 1, false);
    cr_assert_eq(rc, 0, "machine_run: %d %s", rc, machine_error(m));
    return m;
}

/* The index of the first record at or after from matching kind and cpu, or -1. */
static int find(const log_t *l, unsigned from, obs_kind_t kind, int cpu)
{
    for (unsigned i = from; i < l->n; i++)
        if (l->ev[i].kind == kind && l->ev[i].cpu == cpu)
            return (int)i;
    return -1;
}

/* The index of the first bus transaction ev by requester, or -1. */
static int find_bus(const log_t *l, bus_event_t ev, int requester)
{
    for (unsigned i = 0; i < l->n; i++)
        if (l->ev[i].kind == OBS_BUS && l->ev[i].bus == ev && l->ev[i].requester == requester)
            return (int)i;
    return -1;
}

/* A scenario run on a tiny machine of two cores with protocol p, its records in *log. */
static machine_t *observe_two_cores(const protocol_t *p, mem_req_t *r, unsigned n, script_t *s,
                                    log_t *log)
{
    *s = (script_t){.reqs = r, .n = n};
    memset(log, 0, sizeof *log);
    return run_observed(tiny_machine(2, p), s, log);
}

Test(observe, bus_rdx_takes_the_other_copy_to_invalid)
{
    /* Core 0 reads the line (E in its L1D and L2); core 1's store drains as a BusRdX. */
    mem_req_t r[] = {LD(0, 0x40), ST(1, 0x40, 7), FENCE(1)};
    script_t s;
    static log_t log;
    machine_t *m = observe_two_cores(&protocol_mesi, r, 3, &s, &log);
    int bus = find_bus(&log, BUS_RDX, 1);
    cr_assert_geq(bus, 0, "no BusRdX by core 1 reported");
    cr_assert_eq(log.ev[bus].cpu, 1);
    cr_assert_eq(log.ev[bus].addr, 0x40);
    cr_assert_eq(log.ev[bus].supplier, -1, "an E copy does not supply");
    /* Right after it, core 0's L1D and L2 copies go E -> I because of the snoop. */
    bool l1 = false, l2 = false;
    for (unsigned i = (unsigned)bus + 1; i < log.n && log.ev[i].kind == OBS_STATE; i++) {
        const obs_event_t *e = &log.ev[i];
        cr_assert_eq(e->cpu, 0);
        cr_assert_eq(e->old_state, LINE_E);
        cr_assert_eq(e->new_state, LINE_I);
        cr_assert_eq(e->reason, OBS_REASON_SNOOP);
        l1 |= e->level == OBS_LEVEL_L1D;
        l2 |= e->level == OBS_LEVEL_L2;
    }
    cr_assert(l1 && l2, "the snoop's state changes follow the transaction");
    /* The store entered the buffer, drained (start before done), and core 1 filled the line in
     * M for its write. */
    int push = find(&log, 0, OBS_SB_PUSH, 1);
    int start = find(&log, 0, OBS_SB_DRAIN_START, 1);
    int done = find(&log, 0, OBS_SB_DRAIN_DONE, 1);
    cr_assert(push >= 0 && push < start && start < bus && bus < done);
    cr_assert_eq(log.ev[start].value, 7);
    int fill = find(&log, (unsigned)bus, OBS_FILL, 1);
    cr_assert_geq(fill, 0);
    cr_assert_eq(log.ev[fill].new_state & LINE_STATE_MASK, LINE_M);
    cr_assert_eq(log.ev[fill].reason, OBS_REASON_WRITE);
    /* Every request issued is completed; records agree with the statistics. */
    cr_assert_eq(log.per_kind[OBS_REQ_ISSUED], 3);
    cr_assert_eq(log.per_kind[OBS_REQ_COMPLETED], 3);
    cr_assert_eq(log.per_kind[OBS_SB_PUSH], machine_sb_stats(m, 1)->stores);
    cr_assert_eq(log.per_kind[OBS_SB_DRAIN_DONE], machine_sb_stats(m, 1)->drained);
    machine_destroy(m);
}

Test(observe, modified_copy_supplies_and_moesi_keeps_it_owned)
{
    mem_req_t r[] = {ST(0, 0x80, 5), FENCE(0), LD(1, 0x80)};
    script_t s;
    static log_t log;
    machine_t *m = observe_two_cores(&protocol_moesi, r, 3, &s, &log);
    int bus = find_bus(&log, BUS_RD, 1);
    cr_assert_geq(bus, 0);
    cr_assert_eq(log.ev[bus].supplier, 0, "the M copy of core 0 supplies");
    int st = find(&log, (unsigned)bus, OBS_STATE, 0);
    cr_assert_geq(st, 0);
    cr_assert_eq(log.ev[st].old_state, LINE_M);
    cr_assert_eq(log.ev[st].new_state, LINE_O);
    cr_assert_eq(log.ev[st].reason, OBS_REASON_SNOOP);
    machine_destroy(m);
}

Test(observe, fence_waits_and_ipis_and_names)
{
    cr_assert_str_eq(obs_kind_name(OBS_BUS), "bus");
    cr_assert_str_eq(obs_kind_name(OBS_SB_DRAIN_START), "sb.drain.start");
    cr_assert_str_eq(obs_reason_name(OBS_REASON_SNOOP), "snoop");
    cr_assert_str_eq(obs_level_name(OBS_LEVEL_L2), "L2");
    cr_assert_str_eq(obs_kind_name(OBS_KINDS), "?");
    for (unsigned k = 0; k < OBS_KINDS; k++) {
        cr_assert_str_neq(obs_kind_name((obs_kind_t)k), "?");
        cr_assert_gt(strlen(obs_kind_fields((obs_kind_t)k)), 0);
    }
    /* A load that finds its own buffered store is a forward. */
    mem_req_t r[] = {ST(0, 0x100, 9), LD(0, 0x100)};
    script_t s = {.reqs = r, .n = 2};
    static log_t log;
    memset(&log, 0, sizeof log);
    machine_t *m = run_observed(tiny_machine(1, &protocol_mesi), &s, &log);
    int fw = find(&log, 0, OBS_SB_FORWARD, 0);
    cr_assert_geq(fw, 0);
    cr_assert_eq(log.ev[fw].value, 9);
    cr_assert_eq(s.values[1], 9);
    machine_destroy(m);
}
