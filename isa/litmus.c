/* litmus.c: the herd x86 litmus parser, condition evaluator and herd-style formatting.
 *
 * The parser walks the text line by line (a line is [start, end) without its newline); every
 * error is reported at the line and column (both 1-based) of the offending character. Parsing
 * fills a litmus_test_t in place and never allocates; on error the test's contents are
 * unspecified.
 */
#include "isa/litmus.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const reg_names[LITMUS_NREGS] = {"EAX", "EBX", "ECX", "EDX", "ESI", "EDI"};

const char *litmus_reg_name(litmus_reg_t reg)
{
    return (unsigned)reg < LITMUS_NREGS ? reg_names[reg] : "?";
}

const char *litmus_quant_name(litmus_quant_t q)
{
    return q == LITMUS_EXISTS ? "exists" : q == LITMUS_NOT_EXISTS ? "~exists" : "forall";
}

/* ---- the parser's cursor ------------------------------------------------------------------ */

typedef struct parser {
    const char *path;
    const char *text;
    size_t len;
    size_t line_start; /* of the current line */
    size_t line_end;   /* index of its newline, or len */
    unsigned line;     /* 1-based; 0 before the first line */
    litmus_test_t *t;
    char *err;
    size_t errlen;
} parser_t;

__attribute__((format(printf, 3, 4))) static int fail_at(parser_t *p, size_t pos, const char *fmt,
                                                         ...)
{
    /* pos is an index into text; find its line and column from the current line backwards */
    unsigned line = p->line;
    size_t ls = p->line_start;
    while (pos < ls && line > 1) {
        size_t e = ls - 1; /* the newline ending the previous line */
        size_t s = e;
        while (s > 0 && p->text[s - 1] != '\n')
            s--;
        ls = s;
        line--;
    }
    int n = snprintf(p->err, p->errlen, "%s:%u:%zu: ", p->path, line ? line : 1,
                     pos >= ls ? pos - ls + 1 : 1);
    if (n < 0 || (size_t)n >= p->errlen)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    return -1;
}

/* Advance to the next line: 1, or 0 at the end of the text. */
static int next_line(parser_t *p)
{
    size_t s = p->line ? p->line_end + 1 : 0;
    if (p->line && p->line_end < p->len && p->text[p->line_end] == '\r')
        s++; /* the line ended in CR LF: line_end is at the CR */
    if (s > p->len || (s == p->len && p->line))
        return 0;
    if (s == p->len && p->len == 0)
        return 0;
    p->line_start = s;
    size_t e = s;
    while (e < p->len && p->text[e] != '\n')
        e++;
    p->line_end = e;
    p->line++;
    /* a CR before the newline is part of the line ending, not of the text */
    if (p->line_end > p->line_start && p->text[p->line_end - 1] == '\r')
        p->line_end--;
    return 1;
}

static size_t skip_spaces(const parser_t *p, size_t i, size_t end)
{
    while (i < end && p->text[i] == ' ')
        i++;
    return i;
}

static bool line_blank(const parser_t *p)
{
    return skip_spaces(p, p->line_start, p->line_end) == p->line_end;
}

/* Reject tabs and other control characters in the current line. */
static int check_chars(parser_t *p)
{
    for (size_t i = p->line_start; i < p->line_end; i++) {
        unsigned char c = (unsigned char)p->text[i];
        if (c == '\t')
            return fail_at(p, i, "tab character: this format separates with spaces only");
        if (c < 0x20 || c >= 0x7f)
            return fail_at(p, i, "unexpected character 0x%02x", c);
    }
    return 0;
}

static bool is_ident_start(char c) { return isalpha((unsigned char)c) || c == '_'; }
static bool is_ident_char(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* Parse a decimal integer (optional '-') at i; *end gets the index after it. */
static int parse_int(parser_t *p, size_t i, size_t end, int64_t *out, size_t *after)
{
    size_t j = i;
    bool neg = false;
    if (j < end && (p->text[j] == '-' || p->text[j] == '+')) {
        neg = p->text[j] == '-';
        j++;
    }
    if (j >= end || !isdigit((unsigned char)p->text[j]))
        return fail_at(p, j, "expected a decimal integer");
    uint64_t v = 0;
    while (j < end && isdigit((unsigned char)p->text[j])) {
        v = v * 10 + (uint64_t)(p->text[j] - '0');
        if (v > 0xffffffffu)
            return fail_at(p, i, "integer out of the 32-bit range");
        j++;
    }
    /* the 32-bit value, sign-extended as the x86 register would read it */
    int64_t sv = neg ? -(int64_t)v : (int64_t)v;
    *out = (int64_t)(int32_t)(uint32_t)sv;
    *after = j;
    return 0;
}

static int find_reg(const char *s, size_t n)
{
    for (int r = 0; r < LITMUS_NREGS; r++)
        if (strlen(reg_names[r]) == n && strncasecmp(reg_names[r], s, n) == 0)
            return r;
    return -1;
}

/* The index of location name s (n bytes), adding it when new. */
static int loc_index(parser_t *p, size_t pos, size_t n)
{
    litmus_test_t *t = p->t;
    const char *s = p->text + pos;
    for (unsigned i = 0; i < t->nlocs; i++)
        if (strlen(t->locs[i]) == n && memcmp(t->locs[i], s, n) == 0)
            return (int)i;
    if (n >= LITMUS_MAX_LOCNAME)
        return fail_at(p, pos, "location name longer than %d characters", LITMUS_MAX_LOCNAME - 1);
    if (find_reg(s, n) >= 0)
        return fail_at(p, pos, "'%.*s' is a register, not a location", (int)n, s);
    if (t->nlocs == LITMUS_MAX_LOCS)
        return fail_at(p, pos, "more than %d locations", LITMUS_MAX_LOCS);
    memcpy(t->locs[t->nlocs], s, n);
    t->locs[t->nlocs][n] = 0;
    t->loc_init[t->nlocs] = 0;
    return (int)t->nlocs++;
}

static size_t ident_end(const parser_t *p, size_t i, size_t end)
{
    while (i < end && is_ident_char(p->text[i]))
        i++;
    return i;
}

/* ---- header ------------------------------------------------------------------------------- */

static int parse_header(parser_t *p)
{
    if (!next_line(p))
        return fail_at(p, 0, "empty file: expected 'X86 NAME'");
    if (check_chars(p))
        return -1;
    size_t s = p->line_start, e = p->line_end;
    if (e - s < 4 || memcmp(p->text + s, "X86 ", 4) != 0)
        return fail_at(p, s, "expected 'X86 NAME' (only x86 tests are supported)");
    size_t n0 = s + 4, n1 = n0;
    while (n1 < e && (isalnum((unsigned char)p->text[n1]) || strchr(".+-_", p->text[n1])))
        n1++;
    if (n1 == n0)
        return fail_at(p, n0, "expected the test's name after 'X86 '");
    if (skip_spaces(p, n1, e) != e)
        return fail_at(p, n1, "unexpected character in the test's name (allowed: letters, "
                              "digits, '.', '+', '-', '_')");
    if (n1 - n0 >= LITMUS_MAX_NAME)
        return fail_at(p, n0, "test name longer than %d characters", LITMUS_MAX_NAME - 1);
    memcpy(p->t->name, p->text + n0, n1 - n0);
    p->t->name[n1 - n0] = 0;
    return 0;
}

/* ---- init block --------------------------------------------------------------------------- */

static int parse_init_entry(parser_t *p, size_t i, size_t end)
{
    litmus_test_t *t = p->t;
    i = skip_spaces(p, i, end);
    if (i < end && isdigit((unsigned char)p->text[i])) {
        int64_t th;
        size_t j;
        if (parse_int(p, i, end, &th, &j))
            return -1;
        if (j >= end || p->text[j] != ':')
            return fail_at(p, j, "expected ':' after the thread number (T:REG=value)");
        if (th < 0 || th >= LITMUS_MAX_THREADS)
            return fail_at(p, i, "thread %lld out of range 0..%d", (long long)th,
                           LITMUS_MAX_THREADS - 1);
        size_t r0 = j + 1, r1 = ident_end(p, r0, end);
        int reg = find_reg(p->text + r0, r1 - r0);
        if (reg < 0)
            return fail_at(p, r0, "expected a register (EAX, EBX, ECX, EDX, ESI or EDI)");
        size_t k = skip_spaces(p, r1, end);
        if (k >= end || p->text[k] != '=')
            return fail_at(p, k, "expected '=' after the register");
        int64_t v;
        if (parse_int(p, skip_spaces(p, k + 1, end), end, &v, &j))
            return -1;
        if (skip_spaces(p, j, end) != end)
            return fail_at(p, j, "expected ';' after the value");
        t->reg_init[th][reg] = v;
        return 0;
    }
    if (i >= end || !is_ident_start(p->text[i]))
        return fail_at(p, i, "expected an init entry 'loc=value;' or 'T:REG=value;'");
    size_t n1 = ident_end(p, i, end);
    int loc = loc_index(p, i, n1 - i);
    if (loc < 0)
        return -1;
    size_t k = skip_spaces(p, n1, end);
    if (k >= end || p->text[k] != '=')
        return fail_at(p, k, "expected '=' after the location");
    int64_t v;
    size_t j;
    if (parse_int(p, skip_spaces(p, k + 1, end), end, &v, &j))
        return -1;
    if (skip_spaces(p, j, end) != end)
        return fail_at(p, j, "expected ';' after the value");
    t->loc_init[loc] = v;
    return 0;
}

/* Entries of one line's part of the init block, [i, end). */
static int parse_init_text(parser_t *p, size_t i, size_t end)
{
    while ((i = skip_spaces(p, i, end)) < end) {
        size_t semi = i;
        while (semi < end && p->text[semi] != ';')
            semi++;
        if (semi == end)
            return fail_at(p, end, "expected ';' to end the init entry");
        if (parse_init_entry(p, i, semi))
            return -1;
        i = semi + 1;
    }
    return 0;
}

/* After the header: quoted and Key=value lines, then the init block. */
static int parse_preamble_and_init(parser_t *p)
{
    for (;;) {
        if (!next_line(p))
            return fail_at(p, p->len, "unexpected end of file: expected the init block '{'");
        if (check_chars(p))
            return -1;
        size_t s = skip_spaces(p, p->line_start, p->line_end), e = p->line_end;
        if (s == e)
            return fail_at(p, s, "blank line: expected the init block '{'");
        char c = p->text[s];
        if (c == '"') {
            size_t q = e;
            while (q > s + 1 && p->text[q - 1] == ' ')
                q--;
            if (q <= s + 1 || p->text[q - 1] != '"')
                return fail_at(p, e, "expected '\"' closing the quoted line");
            continue;
        }
        if (c == '{')
            break;
        size_t k = ident_end(p, s, e);
        if (k > s && k < e && p->text[k] == '=')
            continue; /* Cycle=, Generator=, Prefetch=, Com=, Orig=: not needed to run */
        return fail_at(p, s, "expected a quoted line, 'Key=value' or the init block '{'");
    }
    /* the block: '{' ... '}' on one line or across lines */
    size_t i = skip_spaces(p, p->line_start, p->line_end) + 1;
    for (;;) {
        size_t e = p->line_end, close = i;
        while (close < e && p->text[close] != '}')
            close++;
        if (parse_init_text(p, i, close))
            return -1;
        if (close < e) {
            size_t after = skip_spaces(p, close + 1, e);
            if (after != e)
                return fail_at(p, after, "unexpected text after '}'");
            return 0;
        }
        if (!next_line(p))
            return fail_at(p, p->len, "unexpected end of file: expected '}' closing the init "
                                      "block");
        if (check_chars(p))
            return -1;
        i = p->line_start;
    }
}

/* ---- instructions ------------------------------------------------------------------------- */

static int parse_operand(parser_t *p, size_t i, size_t end, litmus_operand_t *o)
{
    i = skip_spaces(p, i, end);
    while (end > i && p->text[end - 1] == ' ')
        end--;
    memset(o, 0, sizeof *o);
    if (i >= end)
        return fail_at(p, i, "expected an operand ([loc], a register or $imm)");
    char c = p->text[i];
    if (c == '[') {
        size_t n0 = skip_spaces(p, i + 1, end), n1 = ident_end(p, n0, end);
        if (n1 == n0 || !is_ident_start(p->text[n0]))
            return fail_at(p, n0, "expected a location name inside '[...]'");
        size_t k = skip_spaces(p, n1, end);
        if (k >= end || p->text[k] != ']')
            return fail_at(p, k, "expected ']' after the location");
        if (k + 1 != end)
            return fail_at(p, k + 1, "unexpected text after the memory operand");
        int loc = loc_index(p, n0, n1 - n0);
        if (loc < 0)
            return -1;
        o->kind = LITMUS_OPD_MEM;
        o->loc = (unsigned)loc;
        return 0;
    }
    if (c == '$') {
        size_t j;
        if (parse_int(p, i + 1, end, &o->imm, &j))
            return -1;
        if (j != end)
            return fail_at(p, j, "unexpected text after the immediate");
        o->kind = LITMUS_OPD_IMM;
        return 0;
    }
    size_t n1 = ident_end(p, i, end);
    int reg = find_reg(p->text + i, n1 - i);
    if (reg < 0 || n1 != end)
        return fail_at(p, i, "expected an operand: [loc], a register (EAX, EBX, ECX, EDX, ESI, "
                             "EDI) or $imm");
    o->kind = LITMUS_OPD_REG;
    o->reg = (litmus_reg_t)reg;
    return 0;
}

static bool word_is(const parser_t *p, size_t s, size_t e, const char *w)
{
    return e - s == strlen(w) && strncasecmp(p->text + s, w, e - s) == 0;
}

static int parse_insn(parser_t *p, size_t s, size_t e, litmus_insn_t *in)
{
    memset(in, 0, sizeof *in);
    in->line = p->line;
    in->col = (unsigned)(s - p->line_start + 1);
    size_t w0 = s, w1 = ident_end(p, s, e);
    if (word_is(p, w0, w1, "LOCK")) {
        in->lock = true;
        w0 = skip_spaces(p, w1, e);
        if (w0 == w1)
            return fail_at(p, w0, "expected an instruction after LOCK");
        w1 = ident_end(p, w0, e);
    }
    static const struct {
        const char *name;
        litmus_mnemonic_t op;
        int nopd;
    } mn[] = {{"MOV", LITMUS_MOV, 2}, {"MFENCE", LITMUS_MFENCE, 0}, {"XCHG", LITMUS_XCHG, 2},
              {"ADD", LITMUS_ADD, 2}, {"INC", LITMUS_INC, 1}, {"DEC", LITMUS_DEC, 1},
              {"XOR", LITMUS_XOR, 2}, {"OR", LITMUS_IOR, 2}, {"CMPXCHG", LITMUS_CMPXCHG, 2},
              {"FlushProcessWriteBuffers", LITMUS_FPWB, 0}};
    int found = -1;
    for (int k = 0; k < (int)(sizeof mn / sizeof mn[0]); k++)
        if (word_is(p, w0, w1, mn[k].name))
            found = k;
    if (found < 0)
        return fail_at(p, w0, "unknown instruction '%.*s': expected MOV, MFENCE, XCHG, ADD, "
                              "INC, DEC, XOR, OR or CMPXCHG (optionally after LOCK), or "
                              "FlushProcessWriteBuffers",
                       (int)(w1 - w0), p->text + w0);
    in->op = mn[found].op;
    size_t a = skip_spaces(p, w1, e);
    if (mn[found].nopd == 0) {
        if (a != e)
            return fail_at(p, a, "%s takes no operands", mn[found].name);
    } else if (a == e) {
        return fail_at(p, a, "%s needs %d operand%s", mn[found].name, mn[found].nopd,
                       mn[found].nopd > 1 ? "s" : "");
    } else if (a == w1) {
        return fail_at(p, a, "expected a space after %s", mn[found].name);
    } else if (mn[found].nopd == 1) {
        if (parse_operand(p, a, e, &in->dst))
            return -1;
    } else {
        size_t comma = a;
        while (comma < e && p->text[comma] != ',')
            comma++;
        if (comma == e)
            return fail_at(p, e, "expected ',' between the two operands of %s", mn[found].name);
        if (parse_operand(p, a, comma, &in->dst) || parse_operand(p, comma + 1, e, &in->src))
            return -1;
    }
    /* the forms this front end can lower (and that x86 itself accepts) */
    litmus_opd_kind_t d = in->dst.kind, r = in->src.kind;
    bool ok;
    switch (in->op) {
    case LITMUS_MOV:
        ok = !in->lock && ((d == LITMUS_OPD_REG && r != LITMUS_OPD_NONE) ||
                           (d == LITMUS_OPD_MEM && (r == LITMUS_OPD_IMM || r == LITMUS_OPD_REG)));
        break;
    case LITMUS_MFENCE:
    case LITMUS_FPWB:
        ok = !in->lock;
        break;
    case LITMUS_XCHG:
        /* normalise to XCHG [loc],reg */
        if (d == LITMUS_OPD_REG && r == LITMUS_OPD_MEM) {
            litmus_operand_t tmp = in->dst;
            in->dst = in->src;
            in->src = tmp;
            d = LITMUS_OPD_MEM;
            r = LITMUS_OPD_REG;
        }
        ok = d == LITMUS_OPD_MEM && r == LITMUS_OPD_REG;
        break;
    case LITMUS_ADD:
    case LITMUS_XOR:
    case LITMUS_IOR:
        ok = (d == LITMUS_OPD_MEM && (r == LITMUS_OPD_IMM || r == LITMUS_OPD_REG)) ||
             (!in->lock && d == LITMUS_OPD_REG && (r == LITMUS_OPD_IMM || r == LITMUS_OPD_REG));
        break;
    case LITMUS_INC:
    case LITMUS_DEC:
        ok = d == LITMUS_OPD_MEM || (!in->lock && d == LITMUS_OPD_REG);
        break;
    case LITMUS_CMPXCHG:
        ok = d == LITMUS_OPD_MEM && r == LITMUS_OPD_REG;
        break;
    default:
        ok = false;
    }
    if (!ok)
        return fail_at(p, s, "unsupported operand form for %s%s (supported: MOV reg,[loc]|$imm|reg; "
                             "MOV [loc],$imm|reg; XCHG [loc],reg; [LOCK] ADD|XOR|OR [loc],$imm|reg; "
                             "ADD|XOR|OR reg,$imm|reg; [LOCK] INC|DEC [loc]; INC|DEC reg; [LOCK] "
                             "CMPXCHG [loc],reg; MFENCE)",
                       in->lock ? "LOCK " : "", mn[found].name);
    return 0;
}

/* ---- the thread table --------------------------------------------------------------------- */

/* Split the current line into cells at '|' up to its final ';'. starts/ends get [s, e) per cell,
 * trimmed of spaces. Returns the number of cells, or -1. */
static int split_row(parser_t *p, size_t *starts, size_t *ends, unsigned max)
{
    size_t s = p->line_start, e = p->line_end;
    while (e > s && p->text[e - 1] == ' ')
        e--;
    if (e == s || p->text[e - 1] != ';')
        return fail_at(p, e, "expected ';' at the end of the table row");
    e--;
    unsigned n = 0;
    size_t c = s;
    for (;;) {
        size_t bar = c;
        while (bar < e && p->text[bar] != '|' && p->text[bar] != ';')
            bar++;
        if (bar < e && p->text[bar] == ';')
            return fail_at(p, bar, "unexpected ';' inside the row (a row ends with one ';')");
        if (n == max)
            return fail_at(p, c, "more than %u thread columns", max);
        size_t cs = skip_spaces(p, c, bar), ce = bar;
        while (ce > cs && p->text[ce - 1] == ' ')
            ce--;
        starts[n] = cs;
        ends[n] = ce;
        n++;
        if (bar == e)
            break;
        c = bar + 1;
    }
    return (int)n;
}

static int parse_table(parser_t *p)
{
    litmus_test_t *t = p->t;
    size_t st[LITMUS_MAX_THREADS + 1], en[LITMUS_MAX_THREADS + 1];
    if (!next_line(p))
        return fail_at(p, p->len, "unexpected end of file: expected the thread header row "
                                  "' P0 | P1 ;'");
    if (check_chars(p))
        return -1;
    int n = split_row(p, st, en, LITMUS_MAX_THREADS);
    if (n < 0)
        return -1;
    for (int i = 0; i < n; i++) {
        char want[16];
        snprintf(want, sizeof want, "P%d", i);
        if (en[i] - st[i] != strlen(want) || memcmp(p->text + st[i], want, en[i] - st[i]) != 0)
            return fail_at(p, st[i], "expected the thread name '%s'", want);
    }
    t->nthreads = (unsigned)n;
    /* code rows: every following line that ends in ';' */
    for (;;) {
        if (!next_line(p))
            return fail_at(p, p->len, "unexpected end of file: expected the final condition");
        if (check_chars(p))
            return -1;
        if (line_blank(p))
            return fail_at(p, p->line_start, "blank line: expected a code row or the final "
                                             "condition");
        size_t e = p->line_end;
        while (e > p->line_start && p->text[e - 1] == ' ')
            e--;
        if (p->text[e - 1] != ';')
            return 0; /* the condition starts here */
        int m = split_row(p, st, en, LITMUS_MAX_THREADS + 1);
        if (m < 0)
            return -1;
        if (m != n)
            return fail_at(p, p->line_start, "this row has %d column%s, the header has %d", m,
                           m == 1 ? "" : "s", n);
        for (int i = 0; i < n; i++) {
            if (st[i] == en[i])
                continue; /* empty cell: nothing for this thread in this row */
            if (t->ninsns[i] == LITMUS_MAX_INSNS)
                return fail_at(p, st[i], "more than %d instructions in P%d", LITMUS_MAX_INSNS, i);
            if (parse_insn(p, st[i], en[i], &t->insns[i][t->ninsns[i]]))
                return -1;
            t->ninsns[i]++;
        }
    }
}

/* ---- the condition ------------------------------------------------------------------------ */

/* The condition is read as one token stream over the remaining lines. */
typedef struct cond_lexer {
    parser_t *p;
    size_t i, e;    /* position in the current line */
    bool bad;       /* a line had a bad character; its message is in p->err */
    unsigned depth; /* parentheses and negations open around the atom being read */
} cond_lexer_t;

/* The parser recurses once per '(' and '~': a bound on nesting bounds its stack, whatever the
 * file holds (herd's conditions nest a few levels; 29,400 parentheses overflowed the stack). */
#define LITMUS_MAX_NESTING 200

/* Skip spaces and line ends; false at the end of the text. */
static bool lex_skip(cond_lexer_t *lx)
{
    parser_t *p = lx->p;
    for (;;) {
        lx->i = skip_spaces(p, lx->i, lx->e);
        if (lx->i < lx->e)
            return true;
        if (!next_line(p))
            return false;
        if (check_chars(p)) {
            lx->bad = true;
            return false;
        }
        lx->i = p->line_start;
        lx->e = p->line_end;
    }
}

static bool lex_peek(cond_lexer_t *lx, const char *tok)
{
    if (!lex_skip(lx))
        return false;
    size_t n = strlen(tok);
    return lx->e - lx->i >= n && memcmp(lx->p->text + lx->i, tok, n) == 0;
}

static int new_node(cond_lexer_t *lx, litmus_node_kind_t kind)
{
    litmus_test_t *t = lx->p->t;
    if (t->ncond == LITMUS_MAX_COND)
        return fail_at(lx->p, lx->i, "condition too long (more than %d terms)", LITMUS_MAX_COND);
    memset(&t->cond[t->ncond], 0, sizeof t->cond[0]);
    t->cond[t->ncond].kind = kind;
    return (int)t->ncond++;
}

static int parse_disj(cond_lexer_t *lx);

static int parse_atom(cond_lexer_t *lx)
{
    parser_t *p = lx->p;
    litmus_test_t *t = p->t;
    if (!lex_skip(lx))
        return lx->bad ? -1 : fail_at(p, p->len, "unexpected end of file in the condition: "
                                                 "expected an atom");
    size_t i = lx->i, e = lx->e;
    char c = p->text[i];
    if ((c == '(' || c == '~') && lx->depth == LITMUS_MAX_NESTING)
        return fail_at(p, i, "condition nested more than %d deep in '(' and '~'",
                       LITMUS_MAX_NESTING);
    if (c == '(') {
        lx->i++;
        lx->depth++;
        int n = parse_disj(lx);
        lx->depth--;
        if (n < 0)
            return -1;
        if (!lex_peek(lx, ")"))
            return lx->bad ? -1 : fail_at(p, lx->i < lx->e ? lx->i : p->len, "expected ')'");
        lx->i++;
        return n;
    }
    if (c == '~') {
        lx->i++;
        lx->depth++;
        int a = parse_atom(lx);
        lx->depth--;
        if (a < 0)
            return -1;
        int n = new_node(lx, LITMUS_NOT);
        if (n >= 0)
            t->cond[n].a = a;
        return n;
    }
    if (lex_peek(lx, "true") && !is_ident_char(i + 4 < e ? p->text[i + 4] : ' ')) {
        lx->i += 4;
        return new_node(lx, LITMUS_TRUE);
    }
    int64_t v;
    size_t j;
    if (isdigit((unsigned char)c)) {
        int64_t th;
        if (parse_int(p, i, e, &th, &j))
            return -1;
        if (j >= e || p->text[j] != ':')
            return fail_at(p, j, "expected ':' after the thread number (T:REG=value)");
        if (th < 0 || (uint64_t)th >= t->nthreads)
            return fail_at(p, i, "thread %lld does not exist (the test has P0..P%u)",
                           (long long)th, t->nthreads - 1);
        size_t r0 = j + 1, r1 = ident_end(p, r0, e);
        int reg = find_reg(p->text + r0, r1 - r0);
        if (reg < 0)
            return fail_at(p, r0, "expected a register (EAX, EBX, ECX, EDX, ESI or EDI)");
        size_t k = skip_spaces(p, r1, e);
        if (k >= e || p->text[k] != '=')
            return fail_at(p, k, "expected '=' after the register");
        if (parse_int(p, skip_spaces(p, k + 1, e), e, &v, &j))
            return -1;
        int n = new_node(lx, LITMUS_ATOM_REG);
        if (n < 0)
            return -1;
        t->cond[n].thread = (unsigned)th;
        t->cond[n].reg = (litmus_reg_t)reg;
        t->cond[n].value = v;
        lx->i = j;
        return n;
    }
    bool bracket = c == '[';
    size_t n0 = bracket ? skip_spaces(p, i + 1, e) : i;
    if (n0 >= e || !is_ident_start(p->text[n0]))
        return fail_at(p, n0, "expected an atom: T:REG=value, loc=value or [loc]=value");
    size_t n1 = ident_end(p, n0, e), k = n1;
    if (bracket) {
        k = skip_spaces(p, n1, e);
        if (k >= e || p->text[k] != ']')
            return fail_at(p, k, "expected ']' after the location");
        k++;
    }
    k = skip_spaces(p, k, e);
    if (k >= e || p->text[k] != '=')
        return fail_at(p, k, "expected '=' after the location");
    int loc = loc_index(p, n0, n1 - n0);
    if (loc < 0)
        return -1;
    if (parse_int(p, skip_spaces(p, k + 1, e), e, &v, &j))
        return -1;
    int n = new_node(lx, LITMUS_ATOM_LOC);
    if (n < 0)
        return -1;
    t->cond[n].loc = (unsigned)loc;
    t->cond[n].value = v;
    lx->i = j;
    return n;
}

/* operand (OP operand)*, left-associative: the one shape of both connectives. */
static int parse_chain(cond_lexer_t *lx, const char *op, litmus_node_kind_t kind,
                       int (*operand)(cond_lexer_t *))
{
    int a = operand(lx);
    while (a >= 0 && lex_peek(lx, op)) {
        lx->i += 2;
        int b = operand(lx);
        if (b < 0)
            return -1;
        int n = new_node(lx, kind);
        if (n < 0)
            return -1;
        lx->p->t->cond[n].a = a;
        lx->p->t->cond[n].b = b;
        a = n;
    }
    return a;
}

static int parse_conj(cond_lexer_t *lx) { return parse_chain(lx, "/\\", LITMUS_AND, parse_atom); }
static int parse_disj(cond_lexer_t *lx) { return parse_chain(lx, "\\/", LITMUS_OR, parse_conj); }

static void add_observed(litmus_test_t *t, const litmus_node_t *nd)
{
    for (unsigned i = 0; i < t->nobserved; i++) {
        const litmus_observed_t *o = &t->observed[i];
        if (nd->kind == LITMUS_ATOM_LOC ? (o->is_loc && o->loc == nd->loc)
                                        : (!o->is_loc && o->thread == nd->thread &&
                                           o->reg == nd->reg))
            return;
    }
    litmus_observed_t *o = &t->observed[t->nobserved++];
    memset(o, 0, sizeof *o);
    o->is_loc = nd->kind == LITMUS_ATOM_LOC;
    o->thread = nd->thread;
    o->reg = nd->reg;
    o->loc = nd->loc;
}

/* herd's order: registers by thread, then by name; then locations by name. */
static int observed_cmp(const litmus_test_t *t, const litmus_observed_t *a,
                        const litmus_observed_t *b)
{
    if (a->is_loc != b->is_loc)
        return a->is_loc ? 1 : -1;
    if (a->is_loc)
        return strcmp(t->locs[a->loc], t->locs[b->loc]);
    if (a->thread != b->thread)
        return a->thread < b->thread ? -1 : 1;
    return strcmp(reg_names[a->reg], reg_names[b->reg]);
}

static int parse_condition(parser_t *p)
{
    litmus_test_t *t = p->t;
    cond_lexer_t lx = {p, p->line_start, p->line_end, false, 0};
    lex_skip(&lx);
    size_t q = lx.i;
    if (lex_peek(&lx, "~exists")) {
        t->quant = LITMUS_NOT_EXISTS;
        lx.i += 7;
    } else if (lex_peek(&lx, "exists")) {
        t->quant = LITMUS_EXISTS;
        lx.i += 6;
    } else if (lex_peek(&lx, "forall")) {
        t->quant = LITMUS_FORALL;
        lx.i += 6;
    } else {
        return fail_at(p, q, "expected a code row ending in ';' or the condition 'exists', "
                             "'~exists' or 'forall'");
    }
    if (lx.i < lx.e && is_ident_char(p->text[lx.i]))
        return fail_at(p, q, "expected 'exists', '~exists' or 'forall'");
    int root = parse_disj(&lx);
    if (root < 0)
        return -1;
    t->cond_root = root;
    if (lex_skip(&lx))
        return fail_at(p, lx.i, "unexpected text after the condition");
    if (lx.bad)
        return -1;
    for (unsigned i = 0; i < t->ncond; i++)
        if (t->cond[i].kind == LITMUS_ATOM_REG || t->cond[i].kind == LITMUS_ATOM_LOC)
            add_observed(t, &t->cond[i]);
    for (unsigned i = 1; i < t->nobserved; i++) /* insertion sort: a handful of entries */
        for (unsigned j = i; j > 0 && observed_cmp(t, &t->observed[j - 1], &t->observed[j]) > 0;
             j--) {
            litmus_observed_t tmp = t->observed[j];
            t->observed[j] = t->observed[j - 1];
            t->observed[j - 1] = tmp;
        }
    return 0;
}

int litmus_parse(const char *path, const char *text, size_t len, litmus_test_t *out, char *err,
                 size_t errlen)
{
    memset(out, 0, sizeof *out);
    parser_t p = {.path = path, .text = text, .len = len, .t = out, .err = err, .errlen = errlen};
    if (errlen)
        err[0] = 0;
    if (memchr(text, 0, len))
        return fail_at(&p, (size_t)((const char *)memchr(text, 0, len) - text),
                       "NUL byte: expected a text file");
    if (parse_header(&p) || parse_preamble_and_init(&p) || parse_table(&p) ||
        parse_condition(&p))
        return -1;
    for (unsigned i = 0; i < out->nthreads; i++)
        if (out->ninsns[i] == 0) {
            p.line = 0;
            return fail_at(&p, 0, "thread P%u has no instructions", i);
        }
    return 0;
}

int litmus_load(const char *path, litmus_test_t *out, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* litmus tests are a few hundred bytes; anything past 1 MiB is not one */
    size_t cap = 1 << 20, n;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    n = fread(buf, 1, cap + 1, f);
    int rd_err = ferror(f);
    fclose(f);
    int rc;
    if (rd_err) {
        snprintf(err, errlen, "%s: read error", path);
        rc = -1;
    } else if (n > cap) {
        snprintf(err, errlen, "%s: larger than 1 MiB: not a litmus test", path);
        rc = -1;
    } else {
        rc = litmus_parse(path, buf, n, out, err, errlen);
    }
    free(buf);
    return rc;
}

/* ---- evaluation and formatting ------------------------------------------------------------ */

void litmus_initial_state(const litmus_test_t *t, litmus_state_t *s)
{
    memset(s, 0, sizeof *s);
    memcpy(s->reg, t->reg_init, sizeof s->reg);
    memcpy(s->loc, t->loc_init, sizeof s->loc);
}

static bool eval(const litmus_test_t *t, int n, const litmus_state_t *s)
{
    const litmus_node_t *nd = &t->cond[n];
    switch (nd->kind) {
    case LITMUS_ATOM_REG:
        return s->reg[nd->thread][nd->reg] == nd->value;
    case LITMUS_ATOM_LOC:
        return s->loc[nd->loc] == nd->value;
    case LITMUS_AND:
        return eval(t, nd->a, s) && eval(t, nd->b, s);
    case LITMUS_OR:
        return eval(t, nd->a, s) || eval(t, nd->b, s);
    case LITMUS_NOT:
        return !eval(t, nd->a, s);
    case LITMUS_TRUE:
        return true;
    }
    return false;
}

bool litmus_prop_holds(const litmus_test_t *t, const litmus_state_t *s)
{
    return t->ncond ? eval(t, t->cond_root, s) : true;
}

const char *litmus_kind_name(const litmus_test_t *t)
{
    return t->quant == LITMUS_EXISTS ? "Allowed"
           : t->quant == LITMUS_NOT_EXISTS ? "Forbidden" : "Required";
}

bool litmus_validated(const litmus_test_t *t, uint64_t pos, uint64_t neg)
{
    return t->quant == LITMUS_EXISTS ? pos > 0 : t->quant == LITMUS_NOT_EXISTS ? pos == 0
                                                                               : neg == 0;
}

const char *litmus_observation(uint64_t pos, uint64_t neg)
{
    return pos == 0 ? "Never" : neg == 0 ? "Always" : "Sometimes";
}

void litmus_put(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(*off < len ? buf + *off : NULL, *off < len ? len - *off : 0, fmt, ap);
    va_end(ap);
    if (n > 0)
        *off += (size_t)n;
}

int litmus_state_format(const litmus_test_t *t, const litmus_state_t *s, char *buf, size_t len)
{
    size_t off = 0;
    if (len)
        buf[0] = 0;
    for (unsigned i = 0; i < t->nobserved; i++) {
        const litmus_observed_t *o = &t->observed[i];
        if (o->is_loc)
            litmus_put(buf, len, &off, "%s[%s]=%lld;", i ? " " : "", t->locs[o->loc],
                (long long)s->loc[o->loc]);
        else
            litmus_put(buf, len, &off, "%s%u:%s=%lld;", i ? " " : "", o->thread, reg_names[o->reg],
                (long long)s->reg[o->thread][o->reg]);
    }
    return (int)off;
}

static void format_node(const litmus_test_t *t, int n, int parent_prec, char *buf, size_t len,
                        size_t *off)
{
    const litmus_node_t *nd = &t->cond[n];
    switch (nd->kind) {
    case LITMUS_ATOM_REG:
        litmus_put(buf, len, off, "%u:%s=%lld", nd->thread, reg_names[nd->reg], (long long)nd->value);
        return;
    case LITMUS_ATOM_LOC:
        litmus_put(buf, len, off, "[%s]=%lld", t->locs[nd->loc], (long long)nd->value);
        return;
    case LITMUS_TRUE:
        litmus_put(buf, len, off, "true");
        return;
    case LITMUS_NOT:
        litmus_put(buf, len, off, "~");
        format_node(t, nd->a, 3, buf, len, off);
        return;
    case LITMUS_AND:
    case LITMUS_OR: {
        int prec = nd->kind == LITMUS_AND ? 2 : 1;
        if (prec < parent_prec)
            litmus_put(buf, len, off, "(");
        format_node(t, nd->a, prec, buf, len, off);
        litmus_put(buf, len, off, nd->kind == LITMUS_AND ? " /\\ " : " \\/ ");
        format_node(t, nd->b, prec + 1, buf, len, off);
        if (prec < parent_prec)
            litmus_put(buf, len, off, ")");
        return;
    }
    }
}

int litmus_condition_format(const litmus_test_t *t, char *buf, size_t len)
{
    size_t off = 0;
    if (len)
        buf[0] = 0;
    litmus_put(buf, len, &off, "%s (", litmus_quant_name(t->quant));
    if (t->ncond)
        format_node(t, t->cond_root, 0, buf, len, &off);
    litmus_put(buf, len, &off, ")");
    return (int)off;
}

static void format_operand(const litmus_test_t *t, const litmus_operand_t *o, char *buf,
                           size_t len, size_t *off)
{
    switch (o->kind) {
    case LITMUS_OPD_REG:
        litmus_put(buf, len, off, "%s", reg_names[o->reg]);
        break;
    case LITMUS_OPD_MEM:
        litmus_put(buf, len, off, "[%s]", t->locs[o->loc]);
        break;
    case LITMUS_OPD_IMM:
        litmus_put(buf, len, off, "$%lld", (long long)o->imm);
        break;
    case LITMUS_OPD_NONE:
        break;
    }
}

int litmus_insn_format(const litmus_test_t *t, const litmus_insn_t *in, char *buf, size_t len)
{
    static const char *const names[] = {"MOV", "MFENCE", "XCHG", "ADD", "INC", "DEC", "XOR",
                                        "OR", "CMPXCHG", "FlushProcessWriteBuffers"};
    size_t off = 0;
    if (len)
        buf[0] = 0;
    litmus_put(buf, len, &off, "%s%s", in->lock ? "LOCK " : "", names[in->op]);
    if (in->dst.kind != LITMUS_OPD_NONE) {
        litmus_put(buf, len, &off, " ");
        format_operand(t, &in->dst, buf, len, &off);
    }
    if (in->src.kind != LITMUS_OPD_NONE) {
        litmus_put(buf, len, &off, ",");
        format_operand(t, &in->src, buf, len, &off);
    }
    return (int)off;
}
