/* litmus_sim.c: lowering of litmus threads to ISA code, and one run of a test on a machine. */
#include "isa/litmus_sim.h"

#include <stdio.h>
#include <string.h>

#include "isa/asm.h"
#include "isa/interp.h"
#include "model/primitives.h"

/* Instructions each thread may execute: the skew loop plus a few per litmus instruction. */
#define LITMUS_MAX_RETIRED 1000000u

uint64_t litmus_loc_addr(unsigned i) { return LITMUS_LOC_BASE + (uint64_t)i * LITMUS_LOC_STRIDE; }

static unsigned isa_reg(litmus_reg_t r) { return 1u + (unsigned)r; }

/* "[0x200100]" for a memory operand */
static void mem(const litmus_operand_t *o, char *m, size_t n)
{
    snprintf(m, n, "[0x%llx]", (unsigned long long)litmus_loc_addr(o->loc));
}

static void lower_insn(const litmus_test_t *t, const litmus_insn_t *in, char *buf, size_t len,
                       size_t *off)
{
    char m[32] = "";
    const litmus_operand_t *d = &in->dst, *s = &in->src;
    if (d->kind == LITMUS_OPD_MEM)
        mem(d, m, sizeof m);
    char text[64];
    litmus_insn_format(t, in, text, sizeof text);
    litmus_put(buf, len, off, "    # %s\n", text);
    /* the source value as a register: an immediate goes through r8 */
    unsigned src = 8;
    if (s->kind == LITMUS_OPD_REG)
        src = isa_reg(s->reg);
    else if (s->kind == LITMUS_OPD_IMM && in->op != LITMUS_MOV)
        litmus_put(buf, len, off, "    li r8, %lld\n", (long long)s->imm);
    switch (in->op) {
    case LITMUS_MOV:
        if (d->kind == LITMUS_OPD_REG && s->kind == LITMUS_OPD_MEM) {
            mem(s, m, sizeof m);
            litmus_put(buf, len, off, "    ld4 r%u, %s\n", isa_reg(d->reg), m);
        } else if (d->kind == LITMUS_OPD_REG && s->kind == LITMUS_OPD_IMM) {
            litmus_put(buf, len, off, "    li r%u, %lld\n", isa_reg(d->reg), (long long)s->imm);
        } else if (d->kind == LITMUS_OPD_REG) {
            litmus_put(buf, len, off, "    mov r%u, r%u\n", isa_reg(d->reg), src);
        } else {
            if (s->kind == LITMUS_OPD_IMM)
                litmus_put(buf, len, off, "    li r8, %lld\n", (long long)s->imm);
            litmus_put(buf, len, off, "    st4 %s, r%u\n", m, src);
        }
        break;
    case LITMUS_MFENCE:
        litmus_put(buf, len, off, "    fence\n");
        break;
    case LITMUS_FPWB:
        litmus_put(buf, len, off, "    FlushProcessWriteBuffers\n");
        break;
    case LITMUS_XCHG:
        litmus_put(buf, len, off, "    xchg4 r%u, %s, r%u\n", isa_reg(s->reg), m, isa_reg(s->reg));
        break;
    case LITMUS_XOR:
    case LITMUS_IOR: {
        const char *alu = in->op == LITMUS_XOR ? "xor" : "or";
        if (d->kind == LITMUS_OPD_REG)
            litmus_put(buf, len, off, "    %s r%u, r%u, r%u\n", alu, isa_reg(d->reg),
                isa_reg(d->reg), src);
        else if (in->lock)
            litmus_put(buf, len, off, "    l%s4 r0, %s, r%u\n", alu, m, src);
        else /* unlocked: a load and a buffered store, not atomic */
            litmus_put(buf, len, off, "    ld4 r9, %s\n    %s r9, r9, r%u\n    st4 %s, r9\n", m, alu,
                src, m);
        break;
    }
    case LITMUS_CMPXCHG: {
        unsigned eax = isa_reg(LITMUS_EAX);
        if (in->lock) {
            litmus_put(buf, len, off, "    cmpxchg4 r%u, %s, r%u\n", eax, m, src);
            break;
        }
        /* unlocked: a load, then a buffered store only when it equals EAX; EAX gets the load.
         * The label is unique: no two instructions share a line and column. */
        litmus_put(buf, len, off,
            "    ld4 r9, %s\n    bne r9, r%u, cx_%u_%u\n    st4 %s, r%u\ncx_%u_%u:\n    mov r%u, r9\n",
            m, eax, in->line, in->col, m, src, in->line, in->col, eax);
        break;
    }
    case LITMUS_ADD:
    case LITMUS_INC:
    case LITMUS_DEC:
        if (in->op != LITMUS_ADD)
            litmus_put(buf, len, off, "    li r8, %d\n", in->op == LITMUS_INC ? 1 : -1);
        if (d->kind == LITMUS_OPD_REG) {
            litmus_put(buf, len, off, "    add r%u, r%u, r%u\n", isa_reg(d->reg), isa_reg(d->reg), src);
        } else if (in->lock) {
            litmus_put(buf, len, off, "    xadd4 r0, %s, r%u\n", m, src);
        } else {
            /* unlocked: a load and a buffered store, not atomic */
            litmus_put(buf, len, off, "    ld4 r9, %s\n    add r9, r9, r%u\n    st4 %s, r9\n", m, src,
                m);
        }
        break;
    }
}

int litmus_lower(const litmus_test_t *t, const litmus_variation_t *var, char *buf, size_t len)
{
    size_t off = 0;
    if (len)
        buf[0] = 0;
    litmus_put(buf, len, &off, "# litmus test %s, lowered by cohsim\n", t->name);
    for (unsigned i = 0; i < t->nlocs; i++)
        litmus_put(buf, len, &off, "# [%s] at 0x%llx\n", t->locs[i],
            (unsigned long long)litmus_loc_addr(i));
    for (unsigned th = 0; th < t->nthreads; th++) {
        const litmus_variation_t none = {0};
        const litmus_variation_t *v = var ? &var[th] : &none;
        litmus_put(buf, len, &off, ".cpu %u\n.org 0x%llx\n", th,
            (unsigned long long)(LITMUS_CODE_BASE + (uint64_t)th * LITMUS_CODE_STRIDE));
        if (v->skew)
            litmus_put(buf, len, &off, "    # starts %u cycles late\n", v->skew);
        for (unsigned i = 0; i < t->nlocs; i++)
            if (v->preload >> i & 1)
                litmus_put(buf, len, &off, "    # [%s] preloaded into this core's caches before the start\n",
                    t->locs[i]);
        for (unsigned k = 0; k < v->prestores; k++)
            litmus_put(buf, len, &off, "    st8 [0x%llx], r0    # scratch store\n",
                (unsigned long long)(LITMUS_SCRATCH_BASE + (uint64_t)th * LITMUS_CODE_STRIDE +
                                     (uint64_t)k * LITMUS_LOC_STRIDE));
        for (unsigned k = 0; k < t->ninsns[th]; k++) {
            if (k > 0 && v->pause[k])
                litmus_put(buf, len, &off, "    li r9, %u    # pause\np%u_pause%u:\n    addi r9, r9, -1\n"
                                    "    bne r9, r0, p%u_pause%u\n",
                    v->pause[k], th, k, th, k);
            lower_insn(t, &t->insns[th][k], buf, len, &off);
        }
        litmus_put(buf, len, &off, "    halt\n");
    }
    return (int)off;
}

void litmus_machine_config(const machine_config_t *cfg, machine_config_t *out)
{
    *out = *cfg;
    cache_config_t *levels[] = {&out->l1i, &out->l1d, &out->l1, &out->l2, &out->llc};
    for (unsigned i = 0; i < sizeof levels / sizeof levels[0]; i++) {
        cache_config_t *c = levels[i];
        uint64_t most = (uint64_t)LITMUS_MAX_SETS * c->assoc * c->line;
        if (c->size > most)
            c->size = most;
    }
}

uint64_t litmus_miss_cycles(const machine_config_t *cfg)
{
    uint64_t c = cfg->l1.size ? cfg->l1.latency : cfg->l1d.latency;
    if (cfg->l2.size)
        c += cfg->l2.latency;
    c += cfg->bus_latency + cfg->mem_latency;
    if (cfg->llc.size)
        c += cfg->llc.latency;
    return c;
}

uint64_t litmus_loop_cycles(const machine_config_t *cfg)
{
    uint32_t fetch = cfg->l1.size ? cfg->l1.latency : cfg->l1i.size ? cfg->l1i.latency
                                                                     : cfg->l1d.latency;
    return 2 * (uint64_t)(fetch ? fetch : 1);
}

/* The warm-up, in one global issue order: every code line fetched by the core whose code it is,
 * then each thread's preloaded locations read by its core. */
typedef struct warm_src {
    const asm_program_t *p;
    const litmus_variation_t *var;
    unsigned nthreads, nlocs;
    size_t chunk;
    uint64_t off; /* within the chunk, line-aligned from its first line */
    unsigned line;
    unsigned th, loc; /* the next preload to consider */
} warm_src_t;

static int warm_next(void *opaque, mem_req_t *out)
{
    warm_src_t *w = opaque;
    memset(out, 0, sizeof *out);
    while (w->chunk < w->p->nchunks) {
        const asm_chunk_t *c = &w->p->chunks[w->chunk];
        uint64_t a = (c->addr & ~(uint64_t)(w->line - 1)) + w->off;
        if (a >= c->addr + c->len || a < LITMUS_CODE_BASE ||
            (a - LITMUS_CODE_BASE) / LITMUS_CODE_STRIDE >= w->nthreads) {
            w->chunk++;
            w->off = 0;
            continue;
        }
        w->off += w->line;
        out->op = OP_IFETCH;
        out->addr = a;
        out->size = ISA_INSN_SIZE;
        out->cpu = (uint16_t)((a - LITMUS_CODE_BASE) / LITMUS_CODE_STRIDE);
        return 1;
    }
    for (; w->var && w->th < w->nthreads; w->th++, w->loc = 0)
        while (w->loc < w->nlocs) {
            unsigned i = w->loc++;
            if (w->var[w->th].preload >> i & 1) {
                out->op = OP_LOAD;
                out->addr = litmus_loc_addr(i);
                out->size = 4;
                out->cpu = (uint16_t)w->th;
                return 1;
            }
        }
    return 0;
}

int litmus_run_once(const litmus_test_t *t, const machine_config_t *cfg,
                    const litmus_variation_t *var, litmus_state_t *out, char *err, size_t errlen)
{
    return litmus_run_observed(t, cfg, var, NULL, NULL, out, err, errlen);
}

int litmus_run_observed(const litmus_test_t *t, const machine_config_t *cfg,
                        const litmus_variation_t *var, obs_fn observe, void *opaque,
                        litmus_state_t *out, char *err, size_t errlen)
{
    if (cfg->cores < t->nthreads) {
        snprintf(err, errlen, "%s needs %u cores; the machine has %u (choose a preset with more "
                              "cores or set -c machine.cores=%u)",
                 t->name, t->nthreads, cfg->cores, t->nthreads);
        return -1;
    }
    for (unsigned th = 0; var && th < t->nthreads; th++) {
        bool bad = var[th].prestores > LITMUS_MAX_PRESTORES || var[th].skew > LITMUS_MAX_SKEW;
        for (unsigned k = 0; k < LITMUS_MAX_INSNS; k++)
            bad = bad || var[th].pause[k] > LITMUS_MAX_PAUSE;
        if (bad) {
            snprintf(err, errlen, "%s: P%u: variation out of range", t->name, th);
            return -1;
        }
    }
    char text[32768];
    int n = litmus_lower(t, var, text, sizeof text);
    if (n < 0 || (size_t)n >= sizeof text) {
        snprintf(err, errlen, "%s: the lowered code is too long", t->name);
        return -1;
    }
    char name[LITMUS_MAX_NAME + 16];
    snprintf(name, sizeof name, "<%s lowered>", t->name);
    asm_program_t prog;
    if (asm_assemble(name, text, (size_t)n, LITMUS_CODE_BASE, 0, &prog, err, errlen) != 0)
        return -1;
    const asm_program_t *p = &prog;
    machine_config_t mc;
    litmus_machine_config(cfg, &mc);
    machine_t *m = machine_create(&mc, err, errlen);
    if (!m) {
        asm_free(&prog);
        return -1;
    }
    if (observe)
        machine_observe(m, observe, opaque);
    /* the OS layer runs FlushProcessWriteBuffers (its implicit process 1 spans every core) */
    prim_t *os = prim_attach(m, err, errlen);
    if (!os) {
        machine_destroy(m);
        asm_free(&prog);
        return -1;
    }
    int rc = 0;
    for (size_t k = 0; k < p->nchunks && rc == 0; k++)
        if (machine_mem_write(m, p->chunks[k].addr, p->chunks[k].bytes, p->chunks[k].len) != 0)
            rc = -1;
    for (unsigned i = 0; i < t->nlocs && rc == 0; i++) {
        uint8_t b[4];
        uint32_t v = (uint32_t)t->loc_init[i];
        for (unsigned k = 0; k < 4; k++)
            b[k] = (uint8_t)(v >> (8 * k));
        if (machine_mem_write(m, litmus_loc_addr(i), b, sizeof b) != 0)
            rc = -1;
    }
    if (rc != 0) {
        snprintf(err, errlen, "%s: cannot write the program into memory: %s", t->name,
                 machine_error(m));
        prim_destroy(os);
        machine_destroy(m);
        asm_free(&prog);
        return -1;
    }
    /* the warm-up, then each core starts at its skew after the warm-up's last cycle */
    warm_src_t w = {p, var, t->nthreads, t->nlocs, 0, 0,
                    cfg->l1.size ? cfg->l1.line : cfg->l1d.line, 0, 0};
    core_source_t ws = {.next = warm_next, .opaque = &w, .values_unused = true};
    rc = machine_run(m, &ws, 1, false);
    if (rc != 0) {
        snprintf(err, errlen, "%s: the warm-up stopped (status %d): %s", t->name, rc,
                 machine_error(m));
        prim_destroy(os);
        machine_destroy(m);
        asm_free(&prog);
        return -1;
    }
    uint64_t zero = machine_cycles(m);
    for (unsigned th = 0; th < t->nthreads; th++)
        machine_set_core_clock(m, th, zero + (var ? var[th].skew : 0));
    isa_core_t cores[LITMUS_MAX_THREADS];
    core_source_t src[LITMUS_MAX_THREADS];
    for (unsigned th = 0; th < t->nthreads; th++) {
        isa_core_init(&cores[th], th, p->entry[th], LITMUS_MAX_RETIRED);
        for (unsigned r = 0; r < LITMUS_NREGS; r++)
            cores[th].reg[isa_reg((litmus_reg_t)r)] = (uint64_t)t->reg_init[th][r];
        src[th] = isa_core_source(&cores[th]);
    }
    rc = machine_run(m, src, t->nthreads, true);
    unsigned bad = 0;
    while (bad < t->nthreads && !cores[bad].failed)
        bad++;
    if (bad < t->nthreads || rc != 0) {
        const char *why = machine_error(m);
        if (bad < t->nthreads)
            snprintf(err, errlen, "%s: P%u: %s", t->name, bad, cores[bad].err);
        else
            snprintf(err, errlen, "%s: the machine stopped (status %d): %s", t->name, rc,
                     why && *why ? why : "no reason given");
        prim_destroy(os);
        machine_destroy(m);
        asm_free(&prog);
        return -1;
    }
    memset(out, 0, sizeof *out);
    for (unsigned th = 0; th < t->nthreads; th++)
        for (unsigned r = 0; r < LITMUS_NREGS; r++)
            out->reg[th][r] = (int64_t)(int32_t)(uint32_t)cores[th].reg[isa_reg((litmus_reg_t)r)];
    for (unsigned i = 0; i < t->nlocs; i++) {
        uint8_t b[4];
        machine_mem_read(m, litmus_loc_addr(i), b, sizeof b);
        uint32_t v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[3] << 24;
        out->loc[i] = (int64_t)(int32_t)v;
    }
    prim_destroy(os);
    machine_destroy(m);
    asm_free(&prog);
    return 0;
}
