/* compare_prims.c: the host's primitive cases replayed on the simulated machine (compare.h).
 *
 * Each primitive's cases run as one stream of requests in global issue order on core 0 of a
 * fresh machine with the OS layer attached (model/primitives.h), exactly the operations a cohsim
 * text trace of the same work would hold, so the costs and counts are those `cohsim run` gives.
 * What each replays, and what it counts against the host:
 *   FlushInstructionCache   a code line rewritten (an 8-byte store), FlushInstructionCache over
 *                           the host's rewritten bytes, the instruction fetched; counted: stale
 *                           fetches (host: stale runs) and I-cache lines invalidated and fetched
 *                           again (model only: no user-space counter sees I-cache refills); the
 *                           host's cross-CPU case has no model case (one core replays)
 *   FlushProcessWriteBuffers calls from a process whose affinity is core 0, then cores 0 and 1
 *                           (one thread running on each, as the host pins its spinner); IPIs
 *   KeInvalidateAllCaches   every line of the working set stored to, then the call; lines that
 *                           reach memory (model only: user space cannot count WBINVD's); then
 *                           two reloads
 *   ZwFlushVirtualMemory    a view of a file, each page written once and flushed (clean, as the
 *                           host starts), then per case N pages dirtied and the whole view flushed
 *                           (size 0); pages written
 *   CcCoherencyFlushAndPurgeCache every page of a file dirtied through a view, then flush and
 *                           purge (and flush without purge); resident pages before and after
 * Per case the step's cycles are divided by its operations. Representation: a list of steps (a
 * request repeated count times, the address advancing by stride); the source hands them out in
 * order and the done callback records each step's first issue, last completion, mismatching
 * fetches and, after it, a snapshot of the counters the cases read.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/primitives.h"
#include "sim/compare.h"

#define CMP_STEPS 64
#define CMP_REPEAT 16 /* operations per timed case */
#define CMP_INSN 8     /* bytes of one instruction fetch (isa.h: ISA_INSN_SIZE) */
#define CMP_CODE 0x400000ull
#define CMP_WORK 0x10000000ull
#define CMP_VIEW 0x40000000ull

typedef struct snap {
    prim_stats_t ps[PRIM_COUNT];
    uint64_t llc_wb, l1i_misses, resident;
} snap_t;

typedef struct step {
    mem_req_t r;
    uint64_t count, stride;
    bool check;          /* an ifetch that must read r.value */
    /* results */
    uint64_t first, last, mismatches;
    snap_t after;
} step_t;

typedef struct plan {
    step_t s[CMP_STEPS];
    unsigned n;
    unsigned next, next_k;   /* the source's position */
    unsigned done, done_k;   /* the callback's position */
    bool issued_first;
    machine_t *m;
    prim_t *p;
    int file;                /* the file whose residency snapshots count, or -1 */
} plan_t;

static step_t *add(plan_t *pl, op_t op, uint64_t addr, unsigned size, uint64_t count)
{
    step_t *st = &pl->s[pl->n++];
    memset(st, 0, sizeof *st);
    st->r.op = (uint8_t)op;
    st->r.addr = addr;
    st->r.size = size;
    st->count = count ? count : 1;
    return st;
}

/* Set the argument of that kind of a step where its PRIM or DIRECTIVE row in model/ops.def puts it. */
static void put_arg(step_t *st, op_arg_kind_t kind, uint64_t v)
{
    const op_arg_t *a = op_arg_of((op_t)st->r.op, kind);
    assert(a != NULL);
    op_arg_put(&st->r, a, v);
}

static step_t *add_store(plan_t *pl, uint64_t addr, uint64_t value, uint64_t count,
                         uint64_t stride)
{
    step_t *st = add(pl, OP_STORE, addr, 8, count);
    st->r.value = value;
    st->r.flags = REQ_HAS_VALUE;
    st->stride = stride;
    return st;
}

/* The step that a position (step *i, request *k within it) falls in, moving the position past
 * steps already used up; NULL after the last step. */
static step_t *step_at(plan_t *pl, unsigned *i, unsigned *k)
{
    while (*i < pl->n && *k >= pl->s[*i].count) {
        ++*i;
        *k = 0;
    }
    return *i < pl->n ? &pl->s[*i] : NULL;
}

static int plan_next(void *opaque, mem_req_t *out)
{
    plan_t *pl = opaque;
    step_t *st = step_at(pl, &pl->next, &pl->next_k);
    if (!st)
        return SOURCE_END;
    *out = st->r;
    out->addr += st->stride * pl->next_k;
    pl->next_k++;
    return SOURCE_GOT;
}

static void take_snap(plan_t *pl, snap_t *s)
{
    for (unsigned i = 0; i < PRIM_COUNT; i++)
        s->ps[i] = *prim_stats(pl->p, i);
    const cache_t *llc = machine_llc(pl->m), *l1i = machine_l1i(pl->m, 0);
    s->llc_wb = llc ? cache_stats_const(llc)->writebacks : 0;
    s->l1i_misses = l1i ? cache_stats_const(l1i)->misses[ACCESS_IFETCH] : 0;
    s->resident = pl->file >= 0 ? os_file_resident_pages(prim_os_const(pl->p), (unsigned)pl->file)
                                : 0;
}

static int plan_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    plan_t *pl = opaque;
    step_t *st = step_at(pl, &pl->done, &pl->done_k);
    if (!st)
        return 0;
    if (pl->done_k == 0)
        st->first = res->issued;
    st->last = res->done;
    if (st->check && res->value != req->value)
        st->mismatches++;
    if (++pl->done_k == st->count)
        take_snap(pl, &st->after);
    return 0;
}

/* Run the plan on a fresh machine; 0 or -1 with err. The machine and OS stay in pl for reading
 * (plan_free). */
static int plan_run(plan_t *pl, const machine_config_t *cfg, char *err, size_t errlen)
{
    machine_config_t mc = *cfg;
    mc.jitter = 0; /* a cost, not an exploration */
    pl->m = machine_create(&mc, err, errlen);
    if (!pl->m)
        return -1;
    pl->p = prim_attach(pl->m, err, errlen);
    if (!pl->p)
        return -1;
    core_source_t src = {.next = plan_next, .done = plan_done, .opaque = pl};
    int rc = machine_run(pl->m, &src, 1, false);
    if (rc != 0) {
        snprintf(err, errlen, "model run failed (%d): %s", rc, machine_error(pl->m));
        return -1;
    }
    return 0;
}

/* An empty plan whose residency snapshots count file (-1: none); NULL with err when out of memory. */
static plan_t *plan_new(int file, char *err, size_t errlen)
{
    plan_t *pl = calloc(1, sizeof *pl);
    if (!pl) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    pl->file = file;
    return pl;
}

static void plan_free(plan_t *pl)
{
    prim_destroy(pl->p);
    machine_destroy(pl->m);
    pl->p = NULL;
    pl->m = NULL;
}

static double per_op(const step_t *st)
{
    return (double)(st->last - st->first) / (double)st->count;
}

static cmp_count_t *count_model(cmp_case_t *c, const char *name, double model)
{
    cmp_count_t *k = &c->count[c->ncounts++];
    snprintf(k->name, sizeof k->name, "%s", name);
    k->model = model;
    k->host = -1;
    return k;
}

/* A count the host may have measured in its case h: compared when it did, else why not. */
static void compare_count(cmp_case_t *c, const char *name, double model, const host_measure_t *h)
{
    cmp_count_t *k = count_model(c, name, model);
    if (h->model_only)
        snprintf(k->host_note, sizeof k->host_note, "model only");
    else if (h->count_note[0] || h->count < 0)
        snprintf(k->host_note, sizeof k->host_note, "not measured");
    else
        k->host = h->count;
    k->agree = k->host >= 0 && model == k->host;
}

/* A count user space cannot measure at all: the model's alone. */
static void model_only_count(cmp_case_t *c, const char *name, double model)
{
    snprintf(count_model(c, name, model)->host_note, sizeof c->count[0].host_note, "model only");
}

/* The largest count the host expected in any of its cases (0 when none). */
static uint64_t largest_expected(const host_prim_t *h)
{
    uint64_t most = 0;
    for (unsigned j = 0; j < h->nm; j++)
        if (h->m[j].expected > (double)most)
            most = (uint64_t)h->m[j].expected;
    return most;
}

/* ---- the five ------------------------------------------------------------------------------ */

static int fic(const machine_config_t *cfg, const host_prim_t *h, cmp_prim_t *o, char *err,
               size_t errlen)
{
    plan_t *pl = plan_new(-1, err, errlen);
    if (!pl)
        return -1;
    /* the code line holds its first version and is in the I-cache before anything is timed */
    add_store(pl, CMP_CODE, 7, 1, 0);
    step_t *fl = add(pl, OP_FLUSH_INSTRUCTION_CACHE, 0, 0, 1);
    put_arg(fl, OPARG_HANDLE, OS_HANDLE_CURRENT);
    put_arg(fl, OPARG_BASE, CMP_CODE);
    put_arg(fl, OPARG_SIZE, CMP_INSN);
    add(pl, OP_IFETCH, CMP_CODE, CMP_INSN, 1);
    step_t *calls = add(pl, OP_IFETCH, CMP_CODE, CMP_INSN, CMP_REPEAT);
    calls->r.value = 7;
    calls->check = true;
    unsigned first_rewrite = pl->n;
    double bytes = h->nm >= 2 && h->m[1].bytes > 0 ? h->m[1].bytes : 6;
    for (unsigned i = 0; i < CMP_REPEAT; i++) {
        uint64_t v = 1000 + i;
        add_store(pl, CMP_CODE, v, 1, 0);
        step_t *f = add(pl, OP_FLUSH_INSTRUCTION_CACHE, 0, 0, 1);
        put_arg(f, OPARG_HANDLE, OS_HANDLE_CURRENT);
        put_arg(f, OPARG_BASE, CMP_CODE);
        put_arg(f, OPARG_SIZE, (uint64_t)bytes);
        step_t *x = add(pl, OP_IFETCH, CMP_CODE, CMP_INSN, 1);
        x->r.value = v;
        x->check = true;
    }
    if (plan_run(pl, cfg, err, errlen) != 0) {
        plan_free(pl);
        free(pl);
        return -1;
    }
    const step_t *last = &pl->s[pl->n - 1], *before = &pl->s[first_rewrite - 1];
    uint64_t stale = 0;
    for (unsigned i = first_rewrite; i < pl->n; i++)
        stale += pl->s[i].mismatches;
    double refetched = (double)(last->after.l1i_misses - before->after.l1i_misses) / CMP_REPEAT;
    uint64_t fic_inval = last->after.ps[0].lines_invalidated - before->after.ps[0].lines_invalidated;
    for (unsigned j = 0; j < h->nm; j++) {
        cmp_case_t *c = &o->c[j];
        if (j == 0) {
            c->run = true;
            c->cycles = per_op(calls);
            count_model(c, "stale fetches", (double)calls->mismatches);
        } else if (j == 1) {
            c->run = true;
            c->cycles = (double)(last->last - pl->s[first_rewrite].first) / CMP_REPEAT;
            compare_count(c, "stale fetches", (double)stale, &h->m[1]);
            /* no user-space counter sees I-cache refills: the lines are the model's alone */
            model_only_count(c, "lines refetched", refetched);
            snprintf(c->note, sizeof c->note,
                     "model: I-cache lines invalidated and fetched again per rewrite");
        } else {
            snprintf(c->note, sizeof c->note,
                     "no model case: the replay runs on one core (the host's count is checked "
                     "against its expected 0)");
        }
    }
    snprintf(o->note, sizeof o->note,
             "model: %u rewrites of an 8-byte instruction, FlushInstructionCache over %g bytes, "
             "the instruction fetched; FlushInstructionCache itself invalidated %llu lines (%s)",
             CMP_REPEAT, bytes, (unsigned long long)fic_inval,
             machine_config(pl->m)->icache_snoop
                 ? "the I-cache snoops stores: the store invalidated the line first"
                 : "the I-cache does not snoop stores");
    plan_free(pl);
    free(pl);
    return 0;
}

static int fpwb(const machine_config_t *cfg, const host_prim_t *h, cmp_prim_t *o, char *err,
                size_t errlen)
{
    for (unsigned j = 0; j < h->nm && j < 2; j++) {
        cmp_case_t *c = &o->c[j];
        if (j == 1 && cfg->cores < 2) {
            snprintf(c->note, sizeof c->note, "the machine has one core");
            continue;
        }
        plan_t *pl = plan_new(-1, err, errlen);
        if (!pl)
            return -1;
        step_t *proc = add(pl, OP_OS_PROCESS, 0, 0, 1);
        put_arg(proc, OPARG_PID, 1);
        put_arg(proc, OPARG_CPUS, j == 0 ? 1 : 3);
        step_t *calls = add(pl, OP_FLUSH_PROCESS_WRITE_BUFFERS, 0, 0, CMP_REPEAT);
        if (plan_run(pl, cfg, err, errlen) != 0) {
            plan_free(pl);
            free(pl);
            return -1;
        }
        c->run = true;
        c->cycles = per_op(calls);
        double ipis = (double)(calls->after.ps[1].ipis - proc->after.ps[1].ipis) / CMP_REPEAT;
        compare_count(c, "IPIs", ipis, &h->m[j]);
        plan_free(pl);
        free(pl);
    }
    snprintf(o->note, sizeof o->note,
             "model: %u calls from a process whose threads run on core 0, then on cores 0 and 1",
             CMP_REPEAT);
    return 0;
}

static int kiac(const machine_config_t *cfg, const host_prim_t *h, cmp_prim_t *o, char *err,
                size_t errlen)
{
    if (h->nm == 0 || h->m[0].bytes <= 0) {
        snprintf(o->note, sizeof o->note, "the host measured no working set: nothing to replay");
        return 0;
    }
    if (cfg->arch == ARCH_ARM) {
        snprintf(o->note, sizeof o->note, "model: an Arm machine has no KeInvalidateAllCaches");
        return 0;
    }
    uint64_t lines = (uint64_t)h->m[0].bytes / 64;
    plan_t *pl = plan_new(-1, err, errlen);
    if (!pl)
        return -1;
    add_store(pl, CMP_WORK, 1, lines, 64);
    step_t *fence = add(pl, OP_FENCE, 0, 0, 1);
    step_t *call = add(pl, OP_KE_INVALIDATE_ALL_CACHES, 0, 0, 1);
    step_t *cold = add(pl, OP_LOAD, CMP_WORK, 8, lines);
    cold->stride = 64;
    step_t *warm = add(pl, OP_LOAD, CMP_WORK, 8, lines);
    warm->stride = 64;
    if (plan_run(pl, cfg, err, errlen) != 0) {
        plan_free(pl);
        free(pl);
        return -1;
    }
    bool llc = machine_llc(pl->m) != NULL;
    /* lines that reached memory: out of the shared level, or out of the private caches when
     * there is none */
    double to_memory = llc ? (double)(call->after.llc_wb - fence->after.llc_wb)
                           : (double)(call->after.ps[2].lines_written_back -
                                      fence->after.ps[2].lines_written_back);
    const step_t *st[3] = {call, cold, warm};
    for (unsigned j = 0; j < h->nm && j < 3; j++) {
        cmp_case_t *c = &o->c[j];
        c->run = true;
        c->cycles = (double)(st[j]->last - st[j]->first);
        if (j == 0)
            compare_count(c, "lines to memory", to_memory, &h->m[0]);
    }
    snprintf(o->note, sizeof o->note,
             "model: %llu lines stored to, then the call (write-backs counted by the call: %llu, "
             "into the shared level and from it to memory); the reloads are %llu dependent-free "
             "loads issued one at a time",
             (unsigned long long)lines,
             (unsigned long long)(call->after.ps[2].lines_written_back -
                                  fence->after.ps[2].lines_written_back),
             (unsigned long long)lines);
    plan_free(pl);
    free(pl);
    return 0;
}

static step_t *add_zw(plan_t *pl)
{
    step_t *z = add(pl, OP_ZW_FLUSH_VIRTUAL_MEMORY, 0, 0, 1);
    put_arg(z, OPARG_HANDLE, OS_HANDLE_CURRENT);
    put_arg(z, OPARG_BASE, CMP_VIEW);
    put_arg(z, OPARG_SIZE, 0); /* to the end of the view */
    return z;
}

static step_t *add_file(plan_t *pl, const char *name, uint64_t bytes)
{
    step_t *f = add(pl, OP_OS_FILE, 0, 0, 1);
    f->r.name = name;
    put_arg(f, OPARG_SIZE, bytes);
    step_t *m = add(pl, OP_OS_MAP, CMP_VIEW, 0, 1);
    m->r.name = name;
    put_arg(m, OPARG_PID, 1);
    put_arg(m, OPARG_OFFSET, 0);
    put_arg(m, OPARG_SIZE, bytes);
    return m;
}

static int zw(const machine_config_t *cfg, const host_prim_t *h, cmp_prim_t *o, char *err,
              size_t errlen)
{
    uint64_t page = cfg->page_size, maxp = largest_expected(h);
    if (h->nm == 0 || maxp == 0) {
        snprintf(o->note, sizeof o->note, "the host measured no case: nothing to replay");
        return 0;
    }
    plan_t *pl = plan_new(0, err, errlen); /* file 0: the one made next */
    if (!pl)
        return -1;
    add_file(pl, "zw", maxp * page);
    add_store(pl, CMP_VIEW + 8, 1, maxp, page);
    add_zw(pl);
    unsigned call[HOST_MAX_MEASURES];
    for (unsigned j = 0; j < h->nm; j++) {
        uint64_t n = h->m[j].expected > 0 ? (uint64_t)h->m[j].expected : 0;
        if (n)
            add_store(pl, CMP_VIEW + 8, 100 + j, n, page);
        else
            add(pl, OP_FENCE, 0, 0, 1);
        call[j] = pl->n;
        add_zw(pl);
    }
    if (plan_run(pl, cfg, err, errlen) != 0) {
        plan_free(pl);
        free(pl);
        return -1;
    }
    for (unsigned j = 0; j < h->nm; j++) {
        cmp_case_t *c = &o->c[j];
        const step_t *z = &pl->s[call[j]], *b = &pl->s[call[j] - 1];
        c->run = true;
        c->cycles = per_op(z);
        compare_count(c, "pages written",
                      (double)(z->after.ps[3].pages_written - b->after.ps[3].pages_written),
                      &h->m[j]);
    }
    snprintf(o->note, sizeof o->note,
             "model: a %llu-page view, each page written and flushed once; then per case N pages "
             "dirtied and ZwFlushVirtualMemory(current, base, size 0)",
             (unsigned long long)maxp);
    plan_free(pl);
    free(pl);
    return 0;
}

static int cc(const machine_config_t *cfg, const host_prim_t *h, cmp_prim_t *o, char *err,
              size_t errlen)
{
    if (h->nm == 0 || h->m[0].before < 0) {
        snprintf(o->note, sizeof o->note, "the host measured no case: nothing to replay");
        return 0;
    }
    uint64_t page = cfg->page_size;
    /* the host's file: the pages it dirtied, resident before its first flush */
    uint64_t np = largest_expected(h);
    if (np == 0)
        np = (uint64_t)h->m[0].before;
    if (np == 0) {
        snprintf(o->note, sizeof o->note, "the host's file had no resident page: nothing to "
                                          "replay");
        return 0;
    }
    plan_t *pl = plan_new(0, err, errlen); /* file 0: the one made next */
    if (!pl)
        return -1;
    add_file(pl, "cc", np * page);
    step_t *acq = add(pl, OP_OS_ACQUIRE, 0, 0, 1);
    acq->r.name = "cc";
    unsigned call[2];
    for (unsigned j = 0; j < 2 && j < h->nm; j++) {
        add_store(pl, CMP_VIEW + 100, 200 + j, np, page);
        call[j] = pl->n;
        step_t *c = add(pl, OP_CC_COHERENCY_FLUSH_AND_PURGE, 0, 0, 1);
        c->r.name = "cc"; /* its file argument */
        c->r.flags = REQ_NULL_BASE; /* its offset: NULL, the whole file */
        put_arg(c, OPARG_FLAGS, j == 0 ? 0 : 1); /* CC_FLUSH_AND_PURGE_NO_PURGE */
    }
    if (plan_run(pl, cfg, err, errlen) != 0) {
        plan_free(pl);
        free(pl);
        return -1;
    }
    for (unsigned j = 0; j < h->nm; j++) {
        cmp_case_t *c = &o->c[j];
        if (j >= 2) {
            snprintf(c->note, sizeof c->note, "no model case: the primitive always flushes "
                                              "before it purges");
            continue;
        }
        const step_t *s = &pl->s[call[j]], *b = &pl->s[call[j] - 1];
        c->run = true;
        c->cycles = per_op(s);
        compare_count(c, "resident after", (double)s->after.resident, &h->m[j]);
        cmp_count_t *k = count_model(c, "resident before", (double)b->after.resident);
        k->host = h->m[j].before;
        k->agree = k->host >= 0 && k->model == k->host;
        if (k->host < 0)
            snprintf(k->host_note, sizeof k->host_note, "not measured");
        snprintf(c->note, sizeof c->note, "model: %llu pages purged",
                 (unsigned long long)(s->after.ps[4].pages_purged - b->after.ps[4].pages_purged));
    }
    snprintf(o->note, sizeof o->note,
             "model: a %llu-page file acquired exclusively, every page dirtied through a view, "
             "CcCoherencyFlushAndPurgeCache(whole file), then the same with "
             "CC_FLUSH_AND_PURGE_NO_PURGE",
             (unsigned long long)np);
    plan_free(pl);
    free(pl);
    return 0;
}

int cmp_model_prims(const machine_config_t *cfg, const host_prim_t host[HOST_NPRIMS],
                    cmp_prim_t out[HOST_NPRIMS], char *err, size_t errlen)
{
    static int (*const run[HOST_NPRIMS])(const machine_config_t *, const host_prim_t *,
                                          cmp_prim_t *, char *, size_t) = {fic, fpwb, kiac, zw,
                                                                            cc};
    memset(out, 0, HOST_NPRIMS * sizeof *out);
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        if (host[i].status == HOST_UNAVAILABLE && host[i].nm == 0) {
            snprintf(out[i].note, sizeof out[i].note, "the host could not run it: nothing to "
                                                      "replay");
            continue;
        }
        if (run[i](cfg, &host[i], &out[i], err, errlen) != 0)
            return -1;
        bool all = true;
        for (unsigned j = 0; j < host[i].nm; j++)
            for (unsigned k = 0; k < out[i].c[j].ncounts; k++)
                if (out[i].c[j].count[k].host >= 0) {
                    out[i].compared++;
                    all = all && out[i].c[j].count[k].agree;
                }
        out[i].counts_agree = out[i].compared > 0 && all;
    }
    return 0;
}
