/* asm.c: the two-pass assembler of asm.h.
 *
 * Pass 1 walks every statement to give each label its address (every instruction is
 * ISA_INSN_SIZE bytes, so sizes never depend on labels); pass 2 walks them again, now with every
 * name known, and emits bytes. Both passes run the same statement code; only pass 2 writes.
 */
#include "isa/asm.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct assembler {
    const char *path;
    const char *text;
    size_t len;
    int pass;            /* 1 or 2 */
    unsigned line;
    size_t ls, le;       /* current line [ls, le), comment stripped */
    size_t i;            /* cursor in the line */
    uint64_t loc;        /* current address */
    unsigned cpu;        /* core the current code belongs to */
    bool started[ASM_MAX_CPUS];
    bool unresolved;     /* the last expression named something not defined (yet) */
    asm_program_t *prog;
    char *err;
    size_t errlen;
    bool oom;
} assembler_t;

__attribute__((format(printf, 3, 4))) static int fail(assembler_t *a, size_t pos, const char *fmt,
                                                      ...)
{
    if (a->err[0])
        return -1; /* keep the first message */
    int n = snprintf(a->err, a->errlen, "%s:%u:%zu: ", a->path, a->line,
                     pos >= a->ls ? pos - a->ls + 1 : 1);
    if (n < 0 || (size_t)n >= a->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->err + n, a->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

static void skip_ws(assembler_t *a)
{
    while (a->i < a->le && (a->text[a->i] == ' ' || a->text[a->i] == '\t'))
        a->i++;
}

static bool at_end(assembler_t *a)
{
    skip_ws(a);
    return a->i >= a->le;
}

static bool is_name_start(char c) { return isalpha((unsigned char)c) || c == '_' || c == '.'; }
static bool is_name_char(char c) { return isalnum((unsigned char)c) || c == '_' || c == '.'; }

static size_t name_end(const assembler_t *a, size_t i)
{
    while (i < a->le && is_name_char(a->text[i]))
        i++;
    return i;
}

static bool accept(assembler_t *a, char c)
{
    skip_ws(a);
    if (a->i < a->le && a->text[a->i] == c) {
        a->i++;
        return true;
    }
    return false;
}

static int expect(assembler_t *a, char c, const char *what)
{
    if (accept(a, c))
        return 0;
    return fail(a, a->i, "expected '%c' %s", c, what);
}

/* ---- symbols ------------------------------------------------------------------------------ */

/* FNV-1a: names are short, and a program may define tens of thousands of them. */
static uint64_t symbol_hash(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    return h;
}

/* The index slot of name s[0..n): its symbol's, or the empty one where it would go. */
static uint32_t *symbol_slot(const asm_program_t *p, const char *s, size_t n)
{
    size_t mask = p->symbol_slots - 1;
    for (size_t i = symbol_hash(s, n) & mask;; i = (i + 1) & mask) {
        uint32_t k = p->symbol_index[i];
        if (k == 0 || (strncmp(p->symbols[k - 1].name, s, n) == 0 &&
                       p->symbols[k - 1].name[n] == '\0'))
            return &p->symbol_index[i];
    }
}

static asm_symbol_t *find_symbol(asm_program_t *p, const char *s, size_t n)
{
    if (p->symbol_slots == 0)
        return NULL;
    uint32_t k = *symbol_slot(p, s, n);
    return k ? &p->symbols[k - 1] : NULL;
}

/* Room for one more symbol: the array and the index double as needed. 0, or -1 out of memory. */
static int symbol_reserve(asm_program_t *p)
{
    if (p->nsymbols == p->capsymbols) {
        size_t cap = p->capsymbols ? 2 * p->capsymbols : 64;
        asm_symbol_t *ns = realloc(p->symbols, cap * sizeof *ns);
        if (!ns)
            return -1;
        p->symbols = ns;
        p->capsymbols = cap;
    }
    if (2 * (p->nsymbols + 1) > p->symbol_slots) {
        size_t slots = p->symbol_slots ? 2 * p->symbol_slots : 128;
        uint32_t *index = calloc(slots, sizeof *index);
        if (!index)
            return -1;
        free(p->symbol_index);
        p->symbol_index = index;
        p->symbol_slots = slots;
        for (size_t k = 0; k < p->nsymbols; k++)
            *symbol_slot(p, p->symbols[k].name, strlen(p->symbols[k].name)) = (uint32_t)k + 1;
    }
    return 0;
}

bool asm_symbol(const asm_program_t *p, const char *name, uint64_t *value)
{
    asm_symbol_t *s = find_symbol((asm_program_t *)p, name, strlen(name));
    if (s)
        *value = s->value;
    return s != NULL;
}

static int define(assembler_t *a, size_t pos, size_t n, uint64_t value)
{
    const char *s = a->text + pos;
    asm_symbol_t *sym = find_symbol(a->prog, s, n);
    if (a->pass == 2)
        return 0; /* every value is known in pass 1: sizes and .equ never depend on later names */
    if (sym)
        return fail(a, pos, "'%.*s' is defined twice", (int)n, s);
    if (isa_lookup(s, n) != ISA_OP_COUNT)
        return fail(a, pos, "'%.*s' is an instruction, not a name", (int)n, s);
    if (n >= 2 && s[0] == 'r' && isdigit((unsigned char)s[1])) {
        char *end;
        unsigned long r = strtoul(s + 1, &end, 10);
        if (end == s + n && r < ISA_NREGS)
            return fail(a, pos, "'%.*s' is a register, not a name", (int)n, s);
    }
    asm_program_t *p = a->prog;
    char *copy = p->nsymbols < UINT32_MAX && symbol_reserve(p) == 0 ? malloc(n + 1) : NULL;
    if (!copy) {
        a->oom = true;
        return fail(a, pos, "out of memory");
    }
    memcpy(copy, s, n);
    copy[n] = 0;
    p->symbols[p->nsymbols].name = copy;
    p->symbols[p->nsymbols].value = value;
    uint32_t *slot = symbol_slot(p, copy, n);
    *slot = (uint32_t)++p->nsymbols;
    return 0;
}

/* ---- expressions -------------------------------------------------------------------------- */

static int parse_term(assembler_t *a, uint64_t *out)
{
    skip_ws(a);
    size_t s = a->i;
    if (s >= a->le)
        return fail(a, s, "expected a number or a name");
    char c = a->text[s];
    if (isdigit((unsigned char)c)) {
        int base = 10;
        size_t j = s;
        if (c == '0' && j + 1 < a->le && (a->text[j + 1] == 'x' || a->text[j + 1] == 'X')) {
            base = 16;
            j += 2;
        }
        uint64_t v = 0;
        size_t d0 = j;
        for (; j < a->le && isxdigit((unsigned char)a->text[j]); j++) {
            unsigned d = isdigit((unsigned char)a->text[j])
                             ? (unsigned)(a->text[j] - '0')
                             : (unsigned)(tolower((unsigned char)a->text[j]) - 'a' + 10);
            if (d >= (unsigned)base)
                return fail(a, j, "bad digit in a %s number", base == 16 ? "hex" : "decimal");
            if (v > (UINT64_MAX - d) / (unsigned)base)
                return fail(a, s, "number too large for 64 bits");
            v = v * (unsigned)base + d;
        }
        if (j == d0)
            return fail(a, j, "expected hex digits after 0x");
        if (j < a->le && is_name_char(a->text[j]))
            return fail(a, j, "unexpected character in a number");
        a->i = j;
        *out = v;
        return 0;
    }
    if (c == '\'') {
        if (s + 2 >= a->le || a->text[s + 2] != '\'')
            return fail(a, s, "expected a character constant like 'a'");
        *out = (unsigned char)a->text[s + 1];
        a->i = s + 3;
        return 0;
    }
    if (is_name_start(c)) {
        size_t e = name_end(a, s);
        asm_symbol_t *sym = find_symbol(a->prog, a->text + s, e - s);
        a->i = e;
        if (sym) {
            *out = sym->value;
            return 0;
        }
        if (a->pass == 2)
            return fail(a, s, "undefined name '%.*s'", (int)(e - s), a->text + s);
        a->unresolved = true;
        *out = 0;
        return 0;
    }
    return fail(a, s, "expected a number or a name");
}

static int parse_expr(assembler_t *a, uint64_t *out)
{
    a->unresolved = false;
    bool neg = accept(a, '-');
    uint64_t v;
    if (parse_term(a, &v))
        return -1;
    if (neg)
        v = (uint64_t)0 - v;
    for (;;) {
        skip_ws(a);
        if (a->i >= a->le || (a->text[a->i] != '+' && a->text[a->i] != '-'))
            break;
        char op = a->text[a->i++];
        uint64_t t;
        bool unres = a->unresolved;
        if (parse_term(a, &t))
            return -1;
        a->unresolved |= unres;
        v = op == '+' ? v + t : v - t;
    }
    *out = v;
    return 0;
}

/* An expression that must be known now (both passes): .org, .align, .zero, .cpu. */
static int parse_const(assembler_t *a, uint64_t *out)
{
    size_t s = (skip_ws(a), a->i);
    if (parse_expr(a, out))
        return -1;
    if (a->unresolved)
        return fail(a, s, "this expression must use only names defined above it");
    return 0;
}

static int fits_imm(assembler_t *a, size_t pos, uint64_t v, int32_t *imm)
{
    int64_t sv = (int64_t)v;
    if (sv < INT32_MIN || sv > (int64_t)UINT32_MAX)
        return a->pass == 2 ? fail(a, pos, "value 0x%llx does not fit a 32-bit immediate",
                                   (unsigned long long)v)
                            : 0;
    *imm = (int32_t)(uint32_t)v;
    if (sv > INT32_MAX && a->pass == 2)
        return fail(a, pos, "value %lld does not fit a signed 32-bit immediate (it is "
                            "sign-extended)",
                    (long long)sv);
    return 0;
}

/* ---- operands ----------------------------------------------------------------------------- */

static int parse_reg(assembler_t *a, uint8_t *r)
{
    skip_ws(a);
    size_t s = a->i, e = name_end(a, s);
    if (e - s >= 2 && a->text[s] == 'r') {
        unsigned v = 0;
        bool ok = true;
        for (size_t j = s + 1; j < e; j++) {
            if (!isdigit((unsigned char)a->text[j]))
                ok = false;
            else
                v = v * 10 + (unsigned)(a->text[j] - '0');
            if (v >= 100)
                ok = false;
        }
        if (ok && v < ISA_NREGS && !(e - s > 2 && a->text[s + 1] == '0')) {
            *r = (uint8_t)v;
            a->i = e;
            return 0;
        }
    }
    return fail(a, s, "expected a register r0..r15");
}

static bool looks_like_reg(assembler_t *a)
{
    skip_ws(a);
    size_t s = a->i, e = name_end(a, s);
    if (e - s < 2 || a->text[s] != 'r')
        return false;
    for (size_t j = s + 1; j < e; j++)
        if (!isdigit((unsigned char)a->text[j]))
            return false;
    return true;
}

/* [rN], [rN+expr], [rN-expr], [expr] */
static int parse_mem(assembler_t *a, uint8_t *base, int32_t *imm)
{
    if (expect(a, '[', "opening a memory operand [rN+offset]"))
        return -1;
    *base = 0;
    uint64_t off = 0;
    size_t pos = (skip_ws(a), a->i);
    if (looks_like_reg(a)) {
        if (parse_reg(a, base))
            return -1;
        skip_ws(a);
        if (a->i < a->le && (a->text[a->i] == '+' || a->text[a->i] == '-')) {
            bool neg = a->text[a->i++] == '-';
            pos = (skip_ws(a), a->i);
            if (parse_expr(a, &off))
                return -1;
            if (neg)
                off = (uint64_t)0 - off;
        }
    } else if (parse_expr(a, &off)) {
        return -1;
    }
    if (fits_imm(a, pos, off, imm))
        return -1;
    return expect(a, ']', "closing the memory operand");
}

static int comma(assembler_t *a) { return expect(a, ',', "between operands"); }

static int parse_imm(assembler_t *a, int32_t *imm)
{
    uint64_t v;
    size_t pos = (skip_ws(a), a->i);
    if (parse_expr(a, &v))
        return -1;
    return fits_imm(a, pos, v, imm);
}

static int parse_target(assembler_t *a, int32_t *imm)
{
    uint64_t v;
    size_t pos = (skip_ws(a), a->i);
    if (parse_expr(a, &v))
        return -1;
    return fits_imm(a, pos, v - a->loc, imm);
}

/* ---- output ------------------------------------------------------------------------------- */

/* Record that the current line placed n bytes at the current address: one span per line, or
 * the last span grown when the same line goes on placing bytes right after it. */
static int note_span(assembler_t *a, size_t n)
{
    asm_program_t *p = a->prog;
    asm_span_t *last = p->nspans ? &p->spans[p->nspans - 1] : NULL;
    if (last && last->line == a->line && last->addr + last->len == a->loc) {
        last->len += n;
        return 0;
    }
    if (p->nspans == p->capspans) {
        size_t cap = p->capspans ? p->capspans * 2 : 64;
        asm_span_t *ns = realloc(p->spans, cap * sizeof *ns);
        if (!ns) {
            a->oom = true;
            return fail(a, a->ls, "out of memory");
        }
        p->spans = ns;
        p->capspans = cap;
    }
    p->spans[p->nspans++] = (asm_span_t){a->loc, n, a->line};
    return 0;
}

static int emit(assembler_t *a, const uint8_t *bytes, size_t n)
{
    if (a->pass == 2 && n) {
        asm_program_t *p = a->prog;
        asm_chunk_t *c = p->nchunks ? &p->chunks[p->nchunks - 1] : NULL;
        if (!c || c->addr + c->len != a->loc) {
            asm_chunk_t *nc = realloc(p->chunks, (p->nchunks + 1) * sizeof *nc);
            if (!nc) {
                a->oom = true;
                return fail(a, a->ls, "out of memory");
            }
            p->chunks = nc;
            c = &p->chunks[p->nchunks++];
            memset(c, 0, sizeof *c);
            c->addr = a->loc;
            c->line = a->line;
        }
        if (c->len + n > c->cap) {
            size_t cap = c->cap ? c->cap * 2 : 256;
            while (cap < c->len + n)
                cap *= 2;
            uint8_t *nb = realloc(c->bytes, cap);
            if (!nb) {
                a->oom = true;
                return fail(a, a->ls, "out of memory");
            }
            c->bytes = nb;
            c->cap = cap;
        }
        memcpy(c->bytes + c->len, bytes, n);
        c->len += n;
        if (note_span(a, n))
            return -1;
    }
    if (a->loc + n < a->loc)
        return fail(a, a->ls, "the address wraps past 2^64");
    a->loc += n;
    return 0;
}

static void start_cpu_code(assembler_t *a)
{
    if (!a->started[a->cpu]) {
        a->started[a->cpu] = true;
        if (a->pass == 2) {
            a->prog->has_entry[a->cpu] = true;
            a->prog->entry[a->cpu] = a->loc;
        }
    }
}

/* ---- statements --------------------------------------------------------------------------- */

static int instruction(assembler_t *a, size_t s, size_t e)
{
    isa_op_t op = isa_lookup(a->text + s, e - s);
    if (op == ISA_OP_COUNT)
        return fail(a, s, "unknown instruction '%.*s'", (int)(e - s), a->text + s);
    /* A core fetches 8-byte words at multiples of 8: one placed elsewhere could only fault. */
    if (a->loc % ISA_INSN_SIZE)
        return fail(a, s, "instruction at 0x%llx is not on an %u-byte boundary (put .align %u "
                          "before it)",
                    (unsigned long long)a->loc, ISA_INSN_SIZE, ISA_INSN_SIZE);
    isa_insn_t in = {.op = op};
    a->i = e;
    int rc = 0;
    switch (isa_info(op)->format) {
    case ISA_F_N:
        break;
    case ISA_F_R:
        rc = parse_reg(a, &in.rd);
        break;
    case ISA_F_RI:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_imm(a, &in.imm);
        break;
    case ISA_F_RR:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_reg(a, &in.rs1);
        break;
    case ISA_F_RRR:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_reg(a, &in.rs1) || comma(a) ||
             parse_reg(a, &in.rs2);
        break;
    case ISA_F_RRI:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_reg(a, &in.rs1) || comma(a) ||
             parse_imm(a, &in.imm);
        break;
    case ISA_F_LD:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_mem(a, &in.rs1, &in.imm);
        break;
    case ISA_F_ST:
        rc = parse_mem(a, &in.rs1, &in.imm) || comma(a) || parse_reg(a, &in.rs2);
        break;
    case ISA_F_RMW:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_mem(a, &in.rs1, &in.imm) || comma(a) ||
             parse_reg(a, &in.rs2);
        break;
    case ISA_F_BR:
        rc = parse_reg(a, &in.rs1) || comma(a) || parse_reg(a, &in.rs2) || comma(a) ||
             parse_target(a, &in.imm);
        break;
    case ISA_F_J:
        rc = parse_target(a, &in.imm);
        break;
    case ISA_F_P3:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_reg(a, &in.rs1) || comma(a) ||
             parse_reg(a, &in.rs2) || comma(a) || parse_reg(a, &in.rs3);
        break;
    case ISA_F_P3I:
        rc = parse_reg(a, &in.rd) || comma(a) || parse_reg(a, &in.rs1) || comma(a) ||
             parse_reg(a, &in.rs2) || comma(a) || parse_reg(a, &in.rs3) || comma(a) ||
             parse_imm(a, &in.imm);
        break;
    case ISA_F_COUNT:
        break;
    }
    if (rc)
        return -1;
    if (!at_end(a))
        return fail(a, a->i, "unexpected text after the operands of %s", isa_info(op)->name);
    start_cpu_code(a);
    uint8_t b[ISA_INSN_SIZE];
    isa_put_word(b, isa_encode(&in));
    return emit(a, b, sizeof b);
}

static int data(assembler_t *a, unsigned width)
{
    do {
        uint64_t v;
        size_t pos = (skip_ws(a), a->i);
        if (parse_expr(a, &v))
            return -1;
        if (width < 8 && a->pass == 2) {
            int64_t sv = (int64_t)v;
            int64_t lo = -((int64_t)1 << (8 * width - 1));
            uint64_t hi = ((uint64_t)1 << (8 * width)) - 1;
            if (sv < lo || (sv >= 0 && v > hi))
                return fail(a, pos, "value does not fit %u byte%s", width, width > 1 ? "s" : "");
        }
        uint8_t b[8];
        for (unsigned k = 0; k < width; k++)
            b[k] = (uint8_t)(v >> (8 * k));
        if (emit(a, b, width))
            return -1;
    } while (accept(a, ','));
    return 0;
}

static int zeros(assembler_t *a, uint64_t n)
{
    static const uint8_t z[256] = {0};
    while (n) {
        size_t k = n > sizeof z ? sizeof z : (size_t)n;
        if (emit(a, z, k))
            return -1;
        n -= k;
    }
    return 0;
}

static int directive(assembler_t *a, size_t s, size_t e)
{
    const char *d = a->text + s;
    size_t n = e - s;
    a->i = e;
#define IS(w) (n == sizeof(w) - 1 && memcmp(d, w, n) == 0)
    uint64_t v;
    if (IS(".cpu")) {
        size_t pos = (skip_ws(a), a->i);
        if (parse_const(a, &v))
            return -1;
        if (v >= ASM_MAX_CPUS)
            return fail(a, pos, ".cpu %llu: expected 0 to %d", (unsigned long long)v,
                        ASM_MAX_CPUS - 1);
        a->cpu = (unsigned)v; /* its entry is its first instruction (after any .org) */
    } else if (IS(".org")) {
        if (parse_const(a, &v))
            return -1;
        a->loc = v;
    } else if (IS(".align")) {
        size_t pos = (skip_ws(a), a->i);
        if (parse_const(a, &v))
            return -1;
        if (v == 0 || (v & (v - 1)) || v > 1u << 20)
            return fail(a, pos, ".align needs a power of two up to 1M");
        if (zeros(a, (v - (a->loc & (v - 1))) & (v - 1)))
            return -1;
    } else if (IS(".zero")) {
        size_t pos = (skip_ws(a), a->i);
        if (parse_const(a, &v))
            return -1;
        if (v > 1u << 24)
            return fail(a, pos, ".zero larger than 16M");
        if (zeros(a, v))
            return -1;
    } else if (IS(".byte") || IS(".half") || IS(".word") || IS(".quad")) {
        if (data(a, IS(".byte") ? 1 : IS(".half") ? 2 : IS(".word") ? 4 : 8))
            return -1;
    } else if (IS(".equ")) {
        skip_ws(a);
        size_t ns = a->i, ne = name_end(a, ns);
        if (ne == ns || !is_name_start(a->text[ns]))
            return fail(a, ns, "expected a name after .equ");
        a->i = ne;
        if (comma(a) || parse_const(a, &v))
            return -1;
        if (define(a, ns, ne - ns, v))
            return -1;
    } else {
        return fail(a, s, "unknown directive '%.*s' (expected .cpu, .org, .align, .byte, .half, "
                          ".word, .quad, .zero or .equ)",
                    (int)n, d);
    }
#undef IS
    if (!at_end(a))
        return fail(a, a->i, "unexpected text after %.*s", (int)n, d);
    return 0;
}

static int statement(assembler_t *a)
{
    a->i = a->ls;
    while (!at_end(a)) {
        size_t s = a->i;
        if (!is_name_start(a->text[s]))
            return fail(a, s, "expected a label, an instruction or a directive");
        size_t e = name_end(a, s);
        size_t after = e;
        while (after < a->le && (a->text[after] == ' ' || a->text[after] == '\t'))
            after++;
        if (after < a->le && a->text[after] == ':') {
            if (a->text[s] == '.')
                return fail(a, s, "a label cannot start with '.'");
            if (define(a, s, e - s, a->loc))
                return -1;
            a->i = after + 1;
            continue;
        }
        return a->text[s] == '.' ? directive(a, s, e) : instruction(a, s, e);
    }
    return 0;
}

static int run_pass(assembler_t *a, uint64_t origin, unsigned default_cpu)
{
    a->loc = origin;
    a->cpu = default_cpu;
    memset(a->started, 0, sizeof a->started);
    size_t pos = 0;
    a->line = 0;
    while (pos < a->len) {
        a->line++;
        size_t e = pos;
        while (e < a->len && a->text[e] != '\n')
            e++;
        a->ls = pos;
        a->le = e;
        if (a->le > a->ls && a->text[a->le - 1] == '\r')
            a->le--;
        /* comments: '#' or ';' outside a character constant */
        for (size_t k = a->ls; k < a->le; k++) {
            if (a->text[k] == '\'' && k + 2 < a->le && a->text[k + 2] == '\'') {
                k += 2;
                continue;
            }
            if (a->text[k] == '#' || a->text[k] == ';') {
                a->le = k;
                break;
            }
        }
        for (size_t k = a->ls; k < a->le; k++)
            if ((unsigned char)a->text[k] < 0x20 && a->text[k] != '\t')
                return fail(a, k, "unexpected control character 0x%02x",
                            (unsigned char)a->text[k]);
        if (statement(a))
            return -1;
        pos = e + 1;
    }
    return 0;
}

static int chunk_cmp(const void *x, const void *y)
{
    const asm_chunk_t *a = x, *b = y;
    return a->addr < b->addr ? -1 : a->addr > b->addr;
}

void asm_free(asm_program_t *p)
{
    for (size_t k = 0; k < p->nchunks; k++)
        free(p->chunks[k].bytes);
    for (size_t k = 0; k < p->nsymbols; k++)
        free(p->symbols[k].name);
    free(p->chunks);
    free(p->symbols);
    free(p->symbol_index);
    free(p->spans);
    memset(p, 0, sizeof *p);
}

unsigned asm_line_at(const asm_program_t *p, uint64_t addr)
{
    /* Only asked when something went wrong: a scan is enough. */
    for (size_t k = 0; p && k < p->nspans; k++)
        if (addr - p->spans[k].addr < p->spans[k].len)
            return p->spans[k].line;
    return 0;
}

int asm_assemble(const char *path, const char *text, size_t len, uint64_t origin,
                 unsigned default_cpu, asm_program_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (errlen)
        err[0] = 0;
    assembler_t a = {.path = path, .text = text, .len = len, .prog = out, .err = err,
                     .errlen = errlen};
    if (default_cpu >= ASM_MAX_CPUS) {
        snprintf(err, errlen, "%s: core %u: at most %d cores", path, default_cpu, ASM_MAX_CPUS);
        return -1;
    }
    a.pass = 1;
    if (run_pass(&a, origin, default_cpu) == 0) {
        a.pass = 2;
        if (run_pass(&a, origin, default_cpu) == 0) {
            if (out->nchunks > 1) /* a source with no bytes has no chunk array at all */
                qsort(out->chunks, out->nchunks, sizeof out->chunks[0], chunk_cmp);
            for (size_t k = 1; k < out->nchunks; k++) {
                const asm_chunk_t *p = &out->chunks[k - 1], *c = &out->chunks[k];
                if (p->addr + p->len > c->addr) {
                    snprintf(err, errlen, "%s:%u: the bytes placed here at 0x%llx overlap those "
                                          "placed at line %u",
                             path, c->line > p->line ? c->line : p->line,
                             (unsigned long long)c->addr, c->line > p->line ? p->line : c->line);
                    asm_free(out);
                    return -1;
                }
            }
            return 0;
        }
    }
    asm_free(out);
    return -1;
}

int asm_assemble_file(const char *path, uint64_t origin, unsigned default_cpu,
                      asm_program_t *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n, f);
        if (n < cap || cap >= (1u << 26))
            break;
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    int bad = ferror(f) || !buf || n == cap;
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: %s", path,
                 !buf ? "out of memory" : n == cap ? "larger than 64 MiB" : "read error");
        free(buf);
        return -1;
    }
    int rc = asm_assemble(path, buf, n, origin, default_cpu, out, err, errlen);
    free(buf);
    return rc;
}
