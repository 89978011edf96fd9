/* test_fast_paths.c: the machine's fast paths (batched sources, the solo loop of one core without
 * a store buffer and its burst over a batch, the quick path for one-line loads and fetches,
 * buffered stores and one-line stores without a buffer) change nothing observable:
 * random traffic run with them and with general_paths_only gives the same statistics at every
 * level, the same cycles, and the same values returned to the source. So does an attached
 * observer (model/observe.h), whose records must also agree with those statistics, and so does
 * snooping every core (snoop_broadcast) instead of those the snoop filter names, and neither does
 * the filter's fallback to snooping every core when it cannot grow. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/machine.h"
#include "model/machine_priv.h"
#include "model/rng.h"

enum { N = 6000, MAX_SOURCES = 12 };

/* A trace-like source over reqs: hands out batches of varying size (or one at a time), records
 * every result it is given. */
typedef struct batch_src {
    const mem_req_t *reqs;
    unsigned n, next;
    uint32_t step; /* the next batch size grows with it, 1 to 37 */
    bool batches;
    uint64_t results[N][2]; /* seq, value of each done */
    unsigned nresults;
} batch_src_t;

static int src_next(void *opaque, mem_req_t *out)
{
    batch_src_t *s = opaque;
    if (s->next == s->n)
        return 0;
    *out = s->reqs[s->next++];
    return 1;
}

static int src_next_batch(void *opaque, const mem_req_t **reqs)
{
    batch_src_t *s = opaque;
    if (s->next == s->n)
        return 0;
    unsigned k = 1 + s->step++ % 37;
    if (k > s->n - s->next)
        k = s->n - s->next;
    *reqs = &s->reqs[s->next];
    s->next += k;
    return (int)k;
}

static int src_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    batch_src_t *s = opaque;
    (void)req;
    cr_assert_lt(s->nresults, N);
    s->results[s->nresults][0] = res->seq;
    s->results[s->nresults][1] = res->value;
    s->nresults++;
    return 0;
}

static mem_req_t *traffic(uint64_t seed, unsigned cores, unsigned n)
{
    static const uint8_t sizes[] = {1, 2, 4, 8, 8, 8, 16, 64};
    mem_req_t *r = calloc(n, sizeof *r);
    cr_assert_not_null(r);
    rng_t g;
    rng_seed(&g, seed);
    for (unsigned i = 0; i < n; i++) {
        uint32_t k = rng_below(&g, 100);
        r[i].cpu = (uint16_t)rng_below(&g, cores);
        r[i].size = sizes[rng_below(&g, sizeof sizes)];
        /* A few hot lines (hits) among many (misses, evictions, sharing). */
        uint64_t line = rng_below(&g, 4) ? rng_below(&g, 6) : rng_below(&g, 200);
        r[i].addr = line * 64 + rng_below(&g, 64);
        r[i].op = k < 38 ? OP_LOAD : k < 68 ? OP_STORE : k < 85 ? OP_IFETCH : k < 90 ? OP_RMW
                : k < 95 ? OP_FENCE : OP_MISC;
        r[i].value = rng_next(&g);
        r[i].flags = rng_below(&g, 2) && r[i].op != OP_IFETCH ? REQ_HAS_VALUE : 0;
    }
    return r;
}

/* Everything the machine counts, as text. */
static void dump(const machine_t *m, char *out, size_t len)
{
    const machine_config_t *cfg = machine_config(m);
    size_t at = 0;
#define PUT(...) at += (size_t)snprintf(out + at, at < len ? len - at : 0, __VA_ARGS__)
    PUT("cycles %llu\n", (unsigned long long)machine_cycles(m));
    for (unsigned c = 0; c < cfg->cores; c++) {
        const core_stats_t *cs = machine_core_stats(m, c);
        PUT("core %u %llu stall %llu ops", c, (unsigned long long)machine_core_cycles(m, c),
            (unsigned long long)cs->stall_cycles);
        for (unsigned o = 0; o < OP_COUNT; o++)
            PUT(" %llu", (unsigned long long)cs->ops[o]);
        const sb_stats_t *sb = machine_sb_stats(m, c);
        PUT(" sb %llu %llu %llu %llu %llu\n", (unsigned long long)sb->stores,
            (unsigned long long)sb->forwarded, (unsigned long long)sb->drained,
            (unsigned long long)sb->full_stalls, (unsigned long long)sb->max_occupancy);
        const cache_t *levels[3] = {machine_l1i(m, c), machine_l1d(m, c), machine_l2(m, c)};
        for (unsigned l = 0; l < 3; l++) {
            if (!levels[l])
                continue;
            const cache_stats_t *st = cache_stats_const(levels[l]);
            PUT("  level %u", l);
            for (unsigned k = 0; k < ACCESS_KINDS; k++)
                PUT(" %llu/%llu", (unsigned long long)st->accesses[k],
                    (unsigned long long)st->misses[k]);
            PUT(" wb %llu\n", (unsigned long long)st->writebacks);
        }
    }
    if (machine_llc(m)) {
        const cache_stats_t *st = cache_stats_const(machine_llc(m));
        PUT("llc");
        for (unsigned k = 0; k < ACCESS_KINDS; k++)
            PUT(" %llu/%llu", (unsigned long long)st->accesses[k], (unsigned long long)st->misses[k]);
        PUT(" wb %llu\n", (unsigned long long)st->writebacks);
    }
    const coherence_stats_t *co = machine_coherence_stats(m);
    PUT("coherence %llu %llu %llu %llu %llu\n", (unsigned long long)co->bus_transactions,
        (unsigned long long)co->invalidations, (unsigned long long)co->interventions,
        (unsigned long long)co->upgrades, (unsigned long long)co->writebacks);
#undef PUT
    cr_assert_lt(at, len, "dump truncated");
}

/* An observer that counts records per kind and checks each is well formed. */
typedef struct tally {
    uint64_t kind[OBS_KINDS];
    uint64_t writebacks_per_level[OBS_LEVEL_COUNT];
    uint64_t last_issue[MAX_SOURCES * 16];
} tally_t;

static void count_event(void *opaque, const obs_event_t *ev)
{
    tally_t *t = opaque;
    cr_assert_lt((unsigned)ev->kind, OBS_KINDS);
    t->kind[ev->kind]++;
    switch (ev->kind) {
    case OBS_STATE:
        cr_assert_neq(ev->old_state, ev->new_state, "a state change changes the state");
        cr_assert(ev->level > OBS_LEVEL_NONE && ev->level < OBS_LEVEL_COUNT);
        cr_assert(ev->reason > OBS_REASON_NONE && ev->reason < OBS_REASON_COUNT);
        break;
    case OBS_WRITEBACK:
        t->writebacks_per_level[ev->level]++;
        break;
    case OBS_BUS:
        cr_assert_eq(ev->requester, ev->cpu);
        cr_assert_neq(ev->supplier, ev->requester);
        break;
    case OBS_REQ_ISSUED:
        /* A core's requests issue in time order. */
        cr_assert_geq(ev->cycle, t->last_issue[ev->cpu]);
        t->last_issue[ev->cpu] = ev->cycle;
        break;
    default:
        break;
    }
}

/* The statistics the observer's records must add up to. */
static void tally_agrees(const tally_t *t, const machine_t *m)
{
    const machine_config_t *cfg = machine_config(m);
    uint64_t ops = 0, stores = 0, drained = 0, forwarded = 0, wb[OBS_LEVEL_COUNT] = {0};
    for (unsigned c = 0; c < cfg->cores; c++) {
        for (unsigned o = 0; o < OP_COUNT; o++)
            ops += machine_core_stats(m, c)->ops[o];
        stores += machine_sb_stats(m, c)->stores;
        drained += machine_sb_stats(m, c)->drained;
        forwarded += machine_sb_stats(m, c)->forwarded;
        if (machine_l1i(m, c))
            wb[OBS_LEVEL_L1I] += cache_stats_const(machine_l1i(m, c))->writebacks;
        wb[OBS_LEVEL_L1D] += cache_stats_const(machine_l1d(m, c))->writebacks;
        if (machine_l2(m, c))
            wb[OBS_LEVEL_L2] += cache_stats_const(machine_l2(m, c))->writebacks;
    }
    if (machine_llc(m))
        wb[OBS_LEVEL_LLC] = cache_stats_const(machine_llc(m))->writebacks;
    cr_assert_eq(t->kind[OBS_REQ_ISSUED], ops);
    cr_assert_eq(t->kind[OBS_REQ_COMPLETED], ops);
    cr_assert_eq(t->kind[OBS_SB_PUSH], stores);
    cr_assert_eq(t->kind[OBS_SB_DRAIN_START], drained);
    cr_assert_eq(t->kind[OBS_SB_DRAIN_DONE], drained);
    cr_assert_eq(t->kind[OBS_SB_FORWARD], forwarded);
    for (unsigned l = 0; l < OBS_LEVEL_COUNT; l++)
        cr_assert_eq(t->writebacks_per_level[l], wb[l], "write-backs of level %s",
                     obs_level_name((obs_level_t)l));
    cr_assert_gt(t->kind[OBS_BUS], 0);
    cr_assert_gt(t->kind[OBS_STATE] + t->kind[OBS_FILL], 0);
}

/* How a run goes besides its configuration: observed (tally not NULL), with --3c's classifier,
 * with per-core streams even for one source; solo_plain says afterwards whether the solo loop's
 * specialised burst was allowed. */
typedef struct run_how {
    tally_t *tally;
    bool classify;
    bool per_core;
    bool solo_plain;
} run_how_t;

/* One run: nsrc sources (one global stream, or one per core), batched or not. */
static void run_how(machine_config_t cfg, const mem_req_t *reqs, unsigned nsrc, bool batches,
                    batch_src_t *srcs, char *out, size_t len, run_how_t *how)
{
    char err[256];
    machine_t *m = machine_create(&cfg, err, sizeof err);
    cr_assert_not_null(m, "%s", err);
    tally_t *tally = how->tally;
    if (tally)
        machine_observe(m, count_event, tally);
    if (how->classify)
        cr_assert_eq(machine_enable_3c(m), MACHINE_OK);
    core_source_t cs[MAX_SOURCES];
    for (unsigned i = 0; i < nsrc; i++) {
        srcs[i] = (batch_src_t){.reqs = reqs + i * (N / nsrc), .n = N / nsrc, .batches = batches};
        cs[i] = (core_source_t){.next = src_next, .done = src_done, .opaque = &srcs[i],
                                .values_unused = true, .done_only_for_values = true,
                                .next_batch = batches ? src_next_batch : NULL};
    }
    int rc = machine_run(m, cs, nsrc, nsrc > 1 || how->per_core);
    cr_assert_eq(rc, 0, "machine_run: %d %s", rc, machine_error(m));
    how->solo_plain = m->solo_plain;
    dump(m, out, len);
    if (tally)
        tally_agrees(tally, m);
    machine_destroy(m);
}

static void run_observed(machine_config_t cfg, const mem_req_t *reqs, unsigned nsrc, bool batches,
                         batch_src_t *srcs, char *out, size_t len, tally_t *tally)
{
    run_how(cfg, reqs, nsrc, batches, srcs, out, len, &(run_how_t){.tally = tally});
}

static void run(machine_config_t cfg, const mem_req_t *reqs, unsigned nsrc, bool batches,
                batch_src_t *srcs, char *out, size_t len)
{
    run_observed(cfg, reqs, nsrc, batches, srcs, out, len, NULL);
}

static cache_config_t small_cache(uint32_t sets, uint32_t assoc, uint32_t latency)
{
    return (cache_config_t){.size = sets * assoc * 64, .assoc = assoc, .line = 64,
                            .repl = &repl_lru, .write_back = true, .write_allocate = true,
                            .latency = latency};
}

static machine_config_t base(unsigned cores)
{
    return (machine_config_t){.cores = cores, .protocol = &protocol_mesi, .arch = ARCH_X86,
                              .icache_snoop = true, .l1i = small_cache(4, 2, 1),
                              .l1d = small_cache(4, 2, 1), .l2 = small_cache(8, 4, 5),
                              .llc = small_cache(32, 4, 20), .sb_entries = 4,
                              .sb_drain_latency = 3, .bus_latency = 10, .bus_occupancy = 2,
                              .mem_latency = 60, .ipi_latency = 100, .ipi_handler = 50,
                              .page_size = 4096, .disk_latency = 1000, .disk_bandwidth = 1,
                              .seed = 1};
}

/* A solo run's fast path, with and without --3c's classifier, in global issue order and as a
 * per-core stream, agrees with the general paths (run the same way); the fast run took the
 * specialised burst (solo_burst_plain) exactly when plain says, and never with the classifier,
 * whose solo runs take solo_burst. */
static void agree_solo(machine_config_t cfg, uint64_t seed, bool plain)
{
#ifdef COHSIM_STRESS
    /* The stress build runs every machine with the invariant checker, which keeps to the
     * general request path: the specialised burst is never taken there. */
    plain = false;
#endif
    static char fast[65536], general[65536];
    static batch_src_t a[1], b[1];
    mem_req_t *reqs = traffic(seed, 1, N);
    machine_config_t slow = cfg;
    slow.general_paths_only = true;
    for (int way = 0; way < 4; way++) {
        bool classify = way & 1, per_core = way & 2;
        run_how_t how = {.classify = classify, .per_core = per_core};
        run_how(cfg, reqs, 1, true, a, fast, sizeof fast, &how);
        cr_assert_eq(how.solo_plain, plain && !classify, "seed %llu, classify %d, per core %d",
                     (unsigned long long)seed, classify, per_core);
        run_how(slow, reqs, 1, true, b, general, sizeof general,
                &(run_how_t){.classify = classify, .per_core = per_core});
        cr_assert_str_eq(fast, general,
                         "seed %llu, classify %d, per core %d:\nfast:\n%s\ngeneral:\n%s",
                         (unsigned long long)seed, classify, per_core, fast, general);
        cr_assert_eq(a[0].nresults, b[0].nresults);
        cr_assert(memcmp(a[0].results, b[0].results, sizeof a[0].results[0] * a[0].nresults) == 0);
    }
    free(reqs);
}

/* Fast and general runs of one configuration agree on everything, for a global stream and for
 * per-core streams, batched or not. */
static void agree(machine_config_t cfg, uint64_t seed)
{
    static char fast[65536], general[65536];
    static batch_src_t a[MAX_SOURCES], b[MAX_SOURCES];
    mem_req_t *reqs = traffic(seed, cfg.cores, N);
    for (unsigned nsrc = 1; nsrc <= cfg.cores && nsrc <= MAX_SOURCES; nsrc += cfg.cores - 1 ? cfg.cores - 1 : 1) {
        for (int batches = 0; batches < 2; batches++) {
            machine_config_t slow = cfg;
            slow.general_paths_only = true;
            run(cfg, reqs, nsrc, batches, a, fast, sizeof fast);
            run(slow, reqs, nsrc, batches, b, general, sizeof general);
            cr_assert_str_eq(fast, general, "seed %llu, %u sources, batches %d:\nfast:\n%s\ngeneral:\n%s",
                             (unsigned long long)seed, nsrc, batches, fast, general);
            for (unsigned i = 0; i < nsrc; i++) {
                cr_assert_eq(a[i].nresults, b[i].nresults);
                cr_assert(memcmp(a[i].results, b[i].results, sizeof a[i].results[0] * a[i].nresults) == 0,
                          "results of source %u differ", i);
            }
            /* Observed: the general paths again, with every event reported. */
            static tally_t tally;
            memset(&tally, 0, sizeof tally);
            run_observed(cfg, reqs, nsrc, batches, b, general, sizeof general, &tally);
            cr_assert_str_eq(fast, general, "seed %llu, %u sources, batches %d:\nfast:\n%s\nobserved:\n%s",
                             (unsigned long long)seed, nsrc, batches, fast, general);
            for (unsigned i = 0; i < nsrc; i++)
                cr_assert(memcmp(a[i].results, b[i].results, sizeof a[i].results[0] * a[i].nresults) == 0,
                          "results of source %u differ when observed", i);
            /* Every transaction snooping every core instead of those the snoop filter names. */
            machine_config_t broadcast = cfg;
            broadcast.snoop_broadcast = true;
            run(broadcast, reqs, nsrc, batches, b, general, sizeof general);
            cr_assert_str_eq(fast, general, "seed %llu, %u sources, batches %d:\nfiltered:\n%s\nbroadcast:\n%s",
                             (unsigned long long)seed, nsrc, batches, fast, general);
            for (unsigned i = 0; i < nsrc; i++)
                cr_assert(memcmp(a[i].results, b[i].results, sizeof a[i].results[0] * a[i].nresults) == 0,
                          "results of source %u differ with the broadcast", i);
        }
        if (cfg.cores == 1)
            break;
    }
    free(reqs);
}

Test(fast_paths, solo_core_unified_l1_no_store_buffer)
{
    machine_config_t cfg = base(1);
    cfg.l1 = small_cache(8, 2, 1);
    cfg.l1i.size = cfg.l1d.size = 0;
    cfg.l2.size = cfg.llc.size = 0;
    cfg.sb_entries = 0;
    for (uint64_t seed = 1; seed <= 4; seed++) {
        agree(cfg, seed);
        agree_solo(cfg, seed, true);
    }
    /* 32-byte lines: the specialised burst with the line size not a constant */
    cfg.l1.line = 32;
    cfg.l1.size /= 2;
    agree_solo(cfg, 5, true);
}

/* The solo loop's general burst: a first level (unified, or the L1D) that is not LRU. */
Test(fast_paths, solo_core_fifo_l1_takes_the_general_burst)
{
    machine_config_t cfg = base(1);
    cfg.l1 = small_cache(8, 2, 1);
    cfg.l1.repl = &repl_fifo;
    cfg.l1i.size = cfg.l1d.size = 0;
    cfg.l2.size = cfg.llc.size = 0;
    cfg.sb_entries = 0;
    for (uint64_t seed = 30; seed <= 32; seed++) {
        agree(cfg, seed);
        agree_solo(cfg, seed, false);
    }
    cfg = base(1);
    cfg.sb_entries = 0;
    cfg.l1d.repl = &repl_fifo;
    agree_solo(cfg, 33, false);
}

Test(fast_paths, solo_core_split_l1_with_l2)
{
    machine_config_t cfg = base(1);
    cfg.sb_entries = 0;
    for (uint64_t seed = 5; seed <= 8; seed++) {
        agree(cfg, seed);
        agree_solo(cfg, seed, true);
    }
}

Test(fast_paths, four_cores_store_buffers_mesi)
{
    for (uint64_t seed = 9; seed <= 12; seed++)
        agree(base(4), seed);
}

Test(fast_paths, four_cores_moesi_stale_icaches_write_through)
{
    machine_config_t cfg = base(4);
    cfg.protocol = &protocol_moesi;
    cfg.icache_snoop = false;
    cfg.l1d.write_back = false;
    cfg.llc_inclusive = true;
    for (uint64_t seed = 13; seed <= 16; seed++)
        agree(cfg, seed);
}

/* Enough cores for the snoop filter (machine.c's FILTER_MIN_CORES), too few for it to keep
 * owners (FILTER_OWNERS_MIN_CORES). */
Test(fast_paths, six_cores_snoop_filter_without_owners)
{
    agree(base(6), 25);
    machine_config_t cfg = base(6);
    cfg.l2.size = 0;
    cfg.icache_snoop = false;
    agree(cfg, 26);
}

/* More cores than the event loop scans (machine.c's EVENT_SCAN_MAX): its event tree, and the
 * snoop filter with owners. */
Test(fast_paths, twelve_cores_event_tree_and_snoop_filter)
{
    for (uint64_t seed = 21; seed <= 23; seed++)
        agree(base(12), seed);
    machine_config_t cfg = base(12);
    cfg.l2.size = 0;
    cfg.protocol = &protocol_moesi;
    agree(cfg, 24);
}

Test(fast_paths, two_cores_without_icache_or_store_buffer)
{
    machine_config_t cfg = base(2);
    cfg.l1i.size = 0;
    cfg.sb_entries = 0;
    for (uint64_t seed = 17; seed <= 20; seed++)
        agree(cfg, seed);
}

/* The snoop filter that cannot grow (here: past snoop_filter_max_lines, as when memory runs out)
 * refuses the line, stays as it was, and the machine snoops every core from then on: every count,
 * cycle and value is the same as with the filter throughout and with the broadcast throughout. */
Test(fast_paths, snoop_filter_falls_back_to_broadcast_when_it_cannot_grow)
{
    sfilter_t f;
    cr_assert_eq(sf_init(&f, 6), 0);
    sf_limit(&f, 3);
    for (uint64_t line = 0; line < 3; line++)
        cr_assert(sf_add(&f, line * 64, 1));
    cr_assert(sf_add(&f, 64, 2), "a line with an entry gains an agent without a new entry");
    cr_assert_not(sf_add(&f, 3 * 64, 1), "a fourth line does not fit");
    cr_assert_eq(f.used, 3);
    cr_assert_eq(sf_agents(&f, 3 * 64), 0);
    cr_assert_eq(sf_agents(&f, 64), (1u << 1) | (1u << 2));
    sf_fini(&f);

    static char filtered[65536], limited[65536], broadcast[65536];
    static batch_src_t srcs[MAX_SOURCES];
    const unsigned cores[] = {6, 12}; /* the filter without owners, and with */
    for (unsigned k = 0; k < 2; k++) {
        machine_config_t cfg = base(cores[k]);
        mem_req_t *reqs = traffic(40 + k, cfg.cores, N);
        run(cfg, reqs, cfg.cores, true, srcs, filtered, sizeof filtered);
        machine_config_t all = cfg;
        all.snoop_broadcast = true;
        run(all, reqs, cfg.cores, true, srcs, broadcast, sizeof broadcast);
        cr_assert_str_eq(filtered, broadcast);

        machine_config_t small = cfg;
        small.snoop_filter_max_lines = 40; /* the traffic touches about 200 lines */
        char err[256];
        machine_t *m = machine_create(&small, err, sizeof err);
        cr_assert_not_null(m, "%s", err);
        cr_assert(m->bus.filtering);
        core_source_t cs[MAX_SOURCES];
        for (unsigned i = 0; i < cfg.cores; i++) {
            srcs[i] = (batch_src_t){.reqs = reqs + i * (N / cfg.cores), .n = N / cfg.cores,
                                    .batches = true};
            cs[i] = (core_source_t){.next = src_next, .done = src_done, .opaque = &srcs[i],
                                    .values_unused = true, .done_only_for_values = true,
                                    .next_batch = src_next_batch};
        }
        cr_assert_eq(machine_run(m, cs, cfg.cores, true), 0, "%s", machine_error(m));
        cr_assert_not(m->bus.filtering, "%u cores: the filter should have given up", cores[k]);
        cr_assert_eq(m->bus.snoop, &bus_broadcast);
        dump(m, limited, sizeof limited);
        machine_destroy(m);
        cr_assert_str_eq(filtered, limited, "%u cores:\nfiltered:\n%s\nfallen back:\n%s",
                         cores[k], filtered, limited);
        free(reqs);
    }
}
