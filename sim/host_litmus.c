/* host_litmus.c: x86 litmus tests run natively, the way litmus7 makes rare outcomes show.
 *
 * Representation: each thread's column is lowered to a small array of host ops, each executed
 * by one inline-asm instruction of the same form (MOV store/load, MFENCE, XCHG; ADD, INC, DEC,
 * XOR, OR and CMPXCHG, each LOCKed or not as written), so the CPU sees the test's own memory
 * instructions in program order ("memory" clobbers stop the compiler from reordering them). A
 * run is `size` iterations; iteration i uses fresh locations: location l of iteration i lives at
 * addr[i][l], and nothing is reset between the iterations of a run. Per run, drawn from the
 * seed: the placement (each location its own array, or all locations of an iteration in one
 * cache line), a shuffled or in-order slot per iteration, the stride of the walk, and which CPU
 * runs which thread. Before each iteration the thread whose turn it is writes the iteration's
 * barrier word and the others spin on it (litmus7's cheap "user" barrier).
 * Invariants: threads are pinned to distinct CPUs and never outnumber them; a run's threads
 * are joined before its results are read; a final state counts once per iteration.
 */
#define _GNU_SOURCE
#include "sim/host_litmus.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "sim/host.h"

/* The forms that touch a location come first (up to HL_LAST_MEM): only they take one. */
typedef enum hl_kind {
    HL_ST_IMM, HL_ST_REG, HL_LD, HL_XCHG,
    HL_LADD_IMM, HL_LADD_REG, HL_LINC, HL_ADD_IMM, HL_ADD_REG, HL_INC, HL_LDEC, HL_DEC,
    HL_LXOR_IMM, HL_LXOR_REG, HL_XOR_IMM, HL_XOR_REG,
    HL_LOR_IMM, HL_LOR_REG, HL_OR_IMM, HL_OR_REG,
    HL_LCMPXCHG, HL_CMPXCHG,
    HL_LAST_MEM = HL_CMPXCHG,
    HL_MOV_RI, HL_MOV_RR, HL_MFENCE,
    HL_RADD_IMM, HL_RADD_REG, HL_RINC, HL_RXOR_IMM, HL_RXOR_REG, HL_ROR_IMM, HL_ROR_REG,
} hl_kind_t;

typedef struct hl_op {
    hl_kind_t kind;
    unsigned reg, src, loc;
    int32_t imm;
} hl_op_t;

typedef struct hl_prog {
    unsigned n;
    hl_op_t op[LITMUS_MAX_INSNS];
} hl_prog_t;

/* Lower one instruction; -1 for a form this runner does not implement. */
static int hl_lower(const litmus_insn_t *in, hl_op_t *op)
{
    const litmus_operand_t *d = &in->dst, *s = &in->src;
    memset(op, 0, sizeof *op);
    int dm = d->kind == LITMUS_OPD_MEM, dr = d->kind == LITMUS_OPD_REG;
    int sm = s->kind == LITMUS_OPD_MEM, sr = s->kind == LITMUS_OPD_REG;
    int si = s->kind == LITMUS_OPD_IMM;
    op->imm = (int32_t)s->imm;
    switch (in->op) {
    case LITMUS_MOV:
        if (dm && (si || sr)) {
            op->kind = si ? HL_ST_IMM : HL_ST_REG;
            op->loc = d->loc, op->src = s->reg;
        } else if (dr && sm) {
            op->kind = HL_LD, op->reg = d->reg, op->loc = s->loc;
        } else if (dr && (si || sr)) {
            op->kind = si ? HL_MOV_RI : HL_MOV_RR, op->reg = d->reg, op->src = s->reg;
        } else
            return -1;
        return 0;
    case LITMUS_MFENCE:
        op->kind = HL_MFENCE;
        return 0;
    case LITMUS_XCHG:
        if (dm && sr)
            op->kind = HL_XCHG, op->loc = d->loc, op->reg = s->reg;
        else if (dr && sm)
            op->kind = HL_XCHG, op->loc = s->loc, op->reg = d->reg;
        else
            return -1;
        return 0;
    case LITMUS_ADD:
        if (dm && (si || sr))
            op->kind = in->lock ? (si ? HL_LADD_IMM : HL_LADD_REG) : (si ? HL_ADD_IMM : HL_ADD_REG);
        else if (dr && (si || sr) && !in->lock)
            op->kind = si ? HL_RADD_IMM : HL_RADD_REG;
        else
            return -1;
        op->loc = d->loc, op->reg = d->reg, op->src = s->reg;
        return 0;
    case LITMUS_INC:
        if (dm)
            op->kind = in->lock ? HL_LINC : HL_INC, op->loc = d->loc;
        else if (dr && !in->lock)
            op->kind = HL_RINC, op->reg = d->reg;
        else
            return -1;
        return 0;
    case LITMUS_DEC:
        op->imm = -1;
        if (dm)
            op->kind = in->lock ? HL_LDEC : HL_DEC, op->loc = d->loc;
        else if (dr && !in->lock)
            op->kind = HL_RADD_IMM, op->reg = d->reg;
        else
            return -1;
        return 0;
    case LITMUS_XOR: /* as ADD, with its own instruction */
    case LITMUS_IOR: {
        int x = in->op == LITMUS_XOR;
        if (dm && (si || sr))
            op->kind = in->lock ? (x ? (si ? HL_LXOR_IMM : HL_LXOR_REG)
                                     : (si ? HL_LOR_IMM : HL_LOR_REG))
                                : (x ? (si ? HL_XOR_IMM : HL_XOR_REG)
                                     : (si ? HL_OR_IMM : HL_OR_REG));
        else if (dr && (si || sr) && !in->lock)
            op->kind = x ? (si ? HL_RXOR_IMM : HL_RXOR_REG) : (si ? HL_ROR_IMM : HL_ROR_REG);
        else
            return -1;
        op->loc = d->loc, op->reg = d->reg, op->src = s->reg;
        return 0;
    }
    case LITMUS_CMPXCHG: /* CMPXCHG [loc],reg, EAX the expected value: the instruction itself */
        if (!dm || !sr)
            return -1;
        op->kind = in->lock ? HL_LCMPXCHG : HL_CMPXCHG, op->loc = d->loc, op->src = s->reg;
        return 0;
    case LITMUS_FPWB: /* cohsim's extension: not run on the host */
        return -1;
    }
    return -1;
}

#if defined(__x86_64__)
/* Execute one thread's program on the locations loc[]; r holds its registers. */
static void hl_exec(const hl_prog_t *p, int32_t *const *loc, int32_t *r)
{
    for (unsigned k = 0; k < p->n; k++) {
        const hl_op_t *o = &p->op[k];
        int32_t *m = o->kind <= HL_LAST_MEM ? loc[o->loc] : NULL;
        switch (o->kind) {
        case HL_ST_IMM:
            __asm__ volatile("movl %1, %0" : "=m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_ST_REG:
            __asm__ volatile("movl %1, %0" : "=m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_LD:
            __asm__ volatile("movl %1, %0" : "=r"(r[o->reg]) : "m"(*m) : "memory");
            break;
        case HL_MOV_RI:
            r[o->reg] = o->imm;
            break;
        case HL_MOV_RR:
            r[o->reg] = r[o->src];
            break;
        case HL_MFENCE:
            __asm__ volatile("mfence" ::: "memory");
            break;
        case HL_XCHG:
            __asm__ volatile("xchgl %0, %1" : "+r"(r[o->reg]), "+m"(*m) : : "memory");
            break;
        case HL_LADD_IMM:
            __asm__ volatile("lock addl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_LADD_REG:
            __asm__ volatile("lock addl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_LINC:
            __asm__ volatile("lock incl %0" : "+m"(*m) : : "memory");
            break;
        case HL_ADD_IMM:
            __asm__ volatile("addl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_ADD_REG:
            __asm__ volatile("addl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_INC:
            __asm__ volatile("incl %0" : "+m"(*m) : : "memory");
            break;
        case HL_RADD_IMM:
            r[o->reg] += o->imm;
            break;
        case HL_RADD_REG:
            r[o->reg] += r[o->src];
            break;
        case HL_RINC:
            r[o->reg]++;
            break;
        case HL_LDEC:
            __asm__ volatile("lock decl %0" : "+m"(*m) : : "memory");
            break;
        case HL_DEC:
            __asm__ volatile("decl %0" : "+m"(*m) : : "memory");
            break;
        case HL_LXOR_IMM:
            __asm__ volatile("lock xorl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_LXOR_REG:
            __asm__ volatile("lock xorl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_XOR_IMM:
            __asm__ volatile("xorl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_XOR_REG:
            __asm__ volatile("xorl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_LOR_IMM:
            __asm__ volatile("lock orl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_LOR_REG:
            __asm__ volatile("lock orl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_OR_IMM:
            __asm__ volatile("orl %1, %0" : "+m"(*m) : "ri"(o->imm) : "memory");
            break;
        case HL_OR_REG:
            __asm__ volatile("orl %1, %0" : "+m"(*m) : "r"(r[o->src]) : "memory");
            break;
        case HL_LCMPXCHG:
            __asm__ volatile("lock cmpxchgl %2, %1"
                             : "+a"(r[LITMUS_EAX]), "+m"(*m)
                             : "r"(r[o->src])
                             : "memory");
            break;
        case HL_CMPXCHG:
            __asm__ volatile("cmpxchgl %2, %1"
                             : "+a"(r[LITMUS_EAX]), "+m"(*m)
                             : "r"(r[o->src])
                             : "memory");
            break;
        case HL_RXOR_IMM:
            r[o->reg] ^= o->imm;
            break;
        case HL_RXOR_REG:
            r[o->reg] ^= r[o->src];
            break;
        case HL_ROR_IMM:
            r[o->reg] |= o->imm;
            break;
        case HL_ROR_REG:
            r[o->reg] |= r[o->src];
            break;
        }
    }
}
#endif

/* What all threads of one run share. */
typedef struct hl_run {
    const litmus_test_t *t;
    const hl_prog_t *prog;
    unsigned size, nlocs;
    int32_t **addr;            /* addr[i * nlocs + l]: location l of iteration i */
    int32_t *regs;             /* regs[(thread * size + i) * LITMUS_NREGS + reg] */
    const unsigned *order;     /* the walk: iteration order[k] runs k-th */
    atomic_uint *barrier;      /* barrier[k] == tag: iteration k may start */
    unsigned tag;
} hl_run_t;

typedef struct hl_thread {
    hl_run_t *run;
    unsigned id;
    int cpu;
    int pinned;
} hl_thread_t;

static void *hl_thread_main(void *arg)
{
    hl_thread_t *th = arg;
    hl_run_t *run = th->run;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(th->cpu, &set);
    th->pinned = pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
#if defined(__x86_64__)
    unsigned n = run->t->nthreads, id = th->id;
    for (unsigned k = 0; k < run->size; k++) {
        unsigned i = run->order[k];
        if (k % n == id)
            atomic_store_explicit(&run->barrier[k], run->tag, memory_order_release);
        else
            while (atomic_load_explicit(&run->barrier[k], memory_order_acquire) != run->tag)
                __builtin_ia32_pause();
        int32_t r[LITMUS_NREGS];
        for (unsigned g = 0; g < LITMUS_NREGS; g++)
            r[g] = (int32_t)run->t->reg_init[id][g];
        hl_exec(&run->prog[id], run->addr + (size_t)i * run->nlocs, r);
        memcpy(run->regs + ((size_t)id * run->size + i) * LITMUS_NREGS, r, sizeof r);
    }
#endif
    return NULL;
}

static uint64_t hl_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

static int hl_same_projection(const litmus_test_t *t, const litmus_state_t *a,
                              const litmus_state_t *b)
{
    for (unsigned i = 0; i < t->nobserved; i++) {
        const litmus_observed_t *o = &t->observed[i];
        if (o->is_loc ? a->loc[o->loc] != b->loc[o->loc]
                      : a->reg[o->thread][o->reg] != b->reg[o->thread][o->reg])
            return 0;
    }
    return 1;
}

static void hl_count(const litmus_test_t *t, host_litmus_result_t *r, const litmus_state_t *s)
{
    int holds = litmus_prop_holds(t, s);
    if (holds)
        r->pos++;
    else
        r->neg++;
    for (unsigned k = 0; k < r->nstates; k++)
        if (hl_same_projection(t, &r->states[k].state, s)) {
            r->states[k].count++;
            return;
        }
    if (r->nstates < HOST_LITMUS_MAX_STATES) {
        host_litmus_count_t *c = &r->states[r->nstates++];
        c->state = *s;
        c->count = 1;
        c->holds = holds;
    }
}

int host_litmus_run(const litmus_test_t *t, const host_litmus_opts_t *o, host_litmus_result_t *r)
{
    memset(r, 0, sizeof *r);
    hl_prog_t prog[LITMUS_MAX_THREADS];
    for (unsigned th = 0; th < t->nthreads; th++) {
        prog[th].n = t->ninsns[th];
        for (unsigned k = 0; k < t->ninsns[th]; k++)
            if (hl_lower(&t->insns[th][k], &prog[th].op[k]) != 0) {
                char ins[96];
                litmus_insn_format(t, &t->insns[th][k], ins, sizeof ins);
                r->status = HOST_UNAVAILABLE;
                snprintf(r->note, sizeof r->note, "P%u: '%s': the host runner has no form for it",
                         th, ins);
                return -1;
            }
    }
#if !defined(__x86_64__)
    r->status = HOST_UNAVAILABLE;
    snprintf(r->note, sizeof r->note, "host litmus runs need an x86-64 host");
    return 0;
#else
    cpu_set_t avail;
    int cpus[CPU_SETSIZE];
    unsigned ncpus = 0;
    if (sched_getaffinity(0, sizeof avail, &avail) == 0)
        for (int c = 0; c < CPU_SETSIZE; c++)
            if (CPU_ISSET(c, &avail))
                cpus[ncpus++] = c;
    if (t->nthreads > ncpus) {
        r->status = HOST_UNAVAILABLE;
        snprintf(r->note, sizeof r->note,
                 "%u threads but %u CPU%s: never more test threads than CPUs; skipped",
                 t->nthreads, ncpus, ncpus == 1 ? "" : "s");
        return 0;
    }
    unsigned size = o->size ? o->size : 5000;
    unsigned nlocs = t->nlocs ? t->nlocs : 1;
    uint64_t runs = (o->iterations + size - 1) / size;
    if (runs == 0)
        runs = 1;
    /* Room for both placements: nlocs arrays of size slots, each a line apart, or size lines. */
    size_t slots_a = ((size_t)size + 16) * nlocs, slots_b = (size_t)size * 16;
    size_t nslots = (slots_a > slots_b ? slots_a : slots_b) + 16;
    int32_t *mem = aligned_alloc(64, ((nslots * sizeof(int32_t)) + 63) & ~(size_t)63);
    int32_t **addr = malloc((size_t)size * nlocs * sizeof *addr);
    int32_t *regs = malloc((size_t)t->nthreads * size * LITMUS_NREGS * sizeof *regs);
    unsigned *order = malloc(size * sizeof *order), *slot = malloc(size * sizeof *slot);
    atomic_uint *barrier = malloc(size * sizeof *barrier);
    if (!mem || !addr || !regs || !order || !slot || !barrier) {
        r->status = HOST_UNAVAILABLE;
        snprintf(r->note, sizeof r->note, "out of memory");
        goto out;
    }
    for (unsigned k = 0; k < size; k++)
        atomic_init(&barrier[k], 0);
    uint64_t rng = o->seed ? o->seed : 0x2545f4914f6cdd1dull;
    hl_run_t run = {t, prog, size, nlocs, addr, regs, order, barrier, 0};
    double t0 = host_now_ns();
    for (uint64_t rn = 0; rn < runs; rn++) {
        /* Placement: a slot per iteration, in order or shuffled; locations apart or together. */
        for (unsigned i = 0; i < size; i++)
            slot[i] = i;
        if (hl_rand(&rng) & 1)
            for (unsigned i = size - 1; i > 0; i--) {
                unsigned j = (unsigned)(hl_rand(&rng) % (i + 1)), tmp = slot[i];
                slot[i] = slot[j], slot[j] = tmp;
            }
        int together = nlocs <= 16 && (hl_rand(&rng) % 4 == 0);
        for (unsigned i = 0; i < size; i++)
            for (unsigned l = 0; l < nlocs; l++) {
                size_t at = together ? (size_t)slot[i] * 16 + l
                                     : (size_t)l * (size + 16) + slot[i];
                addr[(size_t)i * nlocs + l] = &mem[at];
                mem[at] = (int32_t)(l < t->nlocs ? t->loc_init[l] : 0);
            }
        /* Stride st: passes j = st..1 visiting size-j, size-j-st, ... (litmus7's -st). */
        unsigned st = 1 + (unsigned)(hl_rand(&rng) % 4), k = 0;
        for (unsigned j = st; j >= 1; j--)
            for (long i = (long)size - (long)j; i >= 0; i -= st)
                order[k++] = (unsigned)i;
        run.tag = (unsigned)rn + 1;
        /* Launch order rotates: P0 goes to a different CPU each run. */
        hl_thread_t ths[LITMUS_MAX_THREADS];
        pthread_t pt[LITMUS_MAX_THREADS];
        unsigned started = 0;
        for (unsigned th = 0; th < t->nthreads; th++) {
            ths[th] = (hl_thread_t){&run, th, cpus[(th + rn) % ncpus], 0};
            if (pthread_create(&pt[th], NULL, hl_thread_main, &ths[th]) != 0)
                break;
            started++;
        }
        if (started < t->nthreads) {
            /* The started threads wait on iterations a missing thread leads: release them. */
            for (unsigned q = 0; q < size; q++)
                atomic_store(&barrier[q], run.tag);
            for (unsigned th = 0; th < started; th++)
                pthread_join(pt[th], NULL);
            r->status = HOST_UNAVAILABLE;
            snprintf(r->note, sizeof r->note, "cannot start thread %u: %s", started,
                     strerror(errno));
            goto out;
        }
        int pinned = 1;
        for (unsigned th = 0; th < t->nthreads; th++) {
            pthread_join(pt[th], NULL);
            pinned &= ths[th].pinned;
        }
        if (!pinned) {
            r->status = HOST_UNAVAILABLE;
            snprintf(r->note, sizeof r->note, "cannot pin the test threads to distinct CPUs");
            goto out;
        }
        for (unsigned i = 0; i < size; i++) {
            litmus_state_t s;
            memset(&s, 0, sizeof s);
            for (unsigned th = 0; th < t->nthreads; th++)
                for (unsigned g = 0; g < LITMUS_NREGS; g++)
                    s.reg[th][g] = regs[((size_t)th * size + i) * LITMUS_NREGS + g];
            for (unsigned l = 0; l < t->nlocs; l++)
                s.loc[l] = *addr[(size_t)i * nlocs + l];
            hl_count(t, r, &s);
        }
    }
    r->seconds = (host_now_ns() - t0) / 1e9;
    r->status = HOST_OK;
out:
    free(mem);
    free(addr);
    free(regs);
    free(order);
    free(slot);
    free(barrier);
    return 0;
#endif
}

static int hl_cmp_state(const void *a, const void *b, void *tv)
{
    const litmus_test_t *t = tv;
    const host_litmus_count_t *x = a, *y = b;
    for (unsigned i = 0; i < t->nobserved; i++) {
        const litmus_observed_t *o = &t->observed[i];
        int64_t u = o->is_loc ? x->state.loc[o->loc] : x->state.reg[o->thread][o->reg];
        int64_t v = o->is_loc ? y->state.loc[o->loc] : y->state.reg[o->thread][o->reg];
        if (u != v)
            return u < v ? -1 : 1;
    }
    return 0;
}

void host_litmus_print(FILE *out, const litmus_test_t *t, const host_litmus_result_t *r)
{
    fprintf(out, "Test %s %s\n", t->name, litmus_kind_name(t));
    if (r->status != HOST_OK) {
        fprintf(out, "Skipped: %s\n\n", r->note);
        return;
    }
    host_litmus_count_t *sorted = malloc(r->nstates * sizeof *sorted + 1);
    if (sorted) {
        memcpy(sorted, r->states, r->nstates * sizeof *sorted);
        qsort_r(sorted, r->nstates, sizeof *sorted, hl_cmp_state, (void *)t);
    }
    fprintf(out, "States %u\n", r->nstates);
    for (unsigned k = 0; sorted && k < r->nstates; k++) {
        char st[512];
        litmus_state_format(t, &sorted[k].state, st, sizeof st);
        fprintf(out, "%-8llu%s>%s\n", (unsigned long long)sorted[k].count,
                sorted[k].holds ? "*" : ":", st);
    }
    free(sorted);
    char cond[512];
    litmus_condition_format(t, cond, sizeof cond);
    fprintf(out, "%s\nWitnesses\nPositive: %llu Negative: %llu\nCondition %s\n",
            litmus_validated(t, r->pos, r->neg) ? "Ok" : "No", (unsigned long long)r->pos,
            (unsigned long long)r->neg, cond);
    fprintf(out, "Observation %s %s %llu %llu\nTime %s %.2f\n\n", t->name,
            litmus_observation(r->pos, r->neg), (unsigned long long)r->pos,
            (unsigned long long)r->neg, t->name, r->seconds);
}
