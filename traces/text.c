/* text.c: the cohsim text trace: one operation per line, `CPU OP ARGS`, `#` starts a comment.
 *
 *   0 load 0x1000 8          read 8 bytes (size defaults to 8)
 *   0 load 0x1000 8 =0       ... and the value read must be 0, or the run fails
 *   1 store 0x1000 8 =42     write 42 (a store without a value writes 0)
 *   0 ifetch 0x400000 4
 *   1 rmw 0x2000 8           locked increment; `+N` adds N, `=V` exchanges with V
 *   0 fence
 *
 * Every row of model/ops.def has a spelling here. Numbers are decimal or 0x-hex; values may be
 * negative (two's complement). The reader keeps one line in the stream's buffer and no other state
 * but its position, so memory does not grow with the trace.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "traces/fields.h"
#include "traces/text_syntax.h"
#include "traces/trace.h"

#define TEXT_MAX_TOKENS 16

typedef struct text_state {
    int unused;
} text_state_t;

int text_parse_u64(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    /* Decimal, or hexadecimal after 0x: never octal (strtoull's base 0 read 010 as 8). */
    int base = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || *end)
        return -1;
    *out = v;
    return 0;
}

int text_parse_value(const char *s, uint64_t *out)
{
    if (*s == '-') {
        uint64_t mag;
        if (text_parse_u64(s + 1, &mag) != 0 || mag > (1ull << 63))
            return -1;
        *out = (uint64_t)0 - mag;
        return 0;
    }
    return text_parse_u64(s, out);
}

int text_valid_size(op_t op, uint64_t size)
{
    /* x86 instructions are 1 to 15 bytes long: a fetch of one is any of those sizes */
    if (op == OP_IFETCH && size >= 1 && size <= 15)
        return 1;
    return size == 1 || size == 2 || size == 4 || size == 8 || size == 16 || size == 32 ||
           size == 64;
}

/* ADDR [SIZE] [=VALUE] for memory operations. */
static int parse_mem(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    if (ntok < 1)
        return trace_fail(t, line, "%s needs an address: expected '%s ADDR [SIZE] [=VALUE]'",
                          op_name(r->op), op_name(r->op));
    if (text_parse_u64(tok[0], &r->addr) != 0)
        return trace_fail(t, line, "bad address '%s': expected a number (decimal or 0x-hex)",
                          tok[0]);
    r->size = 8;
    int i = 1;
    if (i < ntok && tok[i][0] != '=') {
        uint64_t size;
        if (text_parse_u64(tok[i], &size) != 0 || !text_valid_size((op_t)r->op, size))
            return trace_fail(t, line, "bad size '%s': expected 1, 2, 4, 8, 16, 32 or 64%s",
                              tok[i], r->op == OP_IFETCH ? " (an ifetch: 1 to 15, 16, 32 or 64)"
                                                         : "");
        r->size = (uint32_t)size;
        i++;
    }
    if (i < ntok && (tok[i][0] == '=' || (tok[i][0] == '+' && r->op == OP_RMW))) {
        if (r->op == OP_IFETCH || r->op == OP_MISC)
            return trace_fail(t, line, "%s takes no value", op_name(r->op));
        if (text_parse_value(tok[i] + 1, &r->value) != 0)
            return trace_fail(t, line, "bad value '%s': expected %cNUMBER", tok[i], tok[i][0]);
        r->flags |= REQ_HAS_VALUE;
        /* rmw: =V exchanges with V, +N adds N (no operand: adds 1). */
        if (r->op == OP_RMW)
            r->arg[0] = tok[i][0] == '=' ? RMW_XCHG : RMW_ADD;
        i++;
    }
    if (i < ntok)
        return trace_fail(t, line, "unexpected '%s': expected '%s ADDR [SIZE] [=VALUE]'", tok[i],
                          op_name(r->op));
    if (r->addr + r->size < r->addr)
        return trace_fail(t, line, "access at %s wraps past the top of the address space", tok[0]);
    return 1;
}

static int parse_bare(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    if (ntok > 0)
        return trace_fail(t, line, "unexpected '%s': %s takes no arguments", tok[0], op_name(r->op));
    return 1;
}

static int text_probe(const uint8_t *head, size_t len)
{
    /* The first line that is not blank or a comment starts with a CPU number and a known op,
     * or with a directive word. */
    size_t i = 0;
    while (i < len) {
        while (i < len && (head[i] == ' ' || head[i] == '\t'))
            i++;
        if (i < len && (head[i] == '#' || head[i] == '\n' || head[i] == '\r')) {
            while (i < len && head[i] != '\n')
                i++;
            i++;
            continue;
        }
        break;
    }
    if (i >= len)
        return 0;
    size_t j = i;
    while (j < len && isdigit(head[j]))
        j++;
    if (j > i) {
        if (j >= len || (head[j] != ' ' && head[j] != '\t'))
            return 0;
        while (j < len && (head[j] == ' ' || head[j] == '\t'))
            j++;
        size_t k = j;
        while (k < len && isalpha(head[k]))
            k++;
        return op_lookup((const char *)head + j, (unsigned)(k - j)) != OP_COUNT ? 90 : 0;
    }
    size_t k = i;
    while (k < len && isalpha(head[k]))
        k++;
    return text_directive_known((const char *)head + i, (unsigned)(k - i)) ? 80 : 0;
}

/* A parsed line's file name as the writer can write it back (no longer than TEXT_NAME_MAX, no
 * control character such as a carriage return): rc, or -1 after trace_fail. */
static int name_fits(trace_t *t, uint64_t line, int rc, const mem_req_t *r)
{
    if (rc <= 0 || !r->name)
        return rc;
    size_t len = strlen(r->name);
    if (len > TEXT_NAME_MAX)
        return trace_fail(t, line, "file name of %zu characters: expected at most %d", len,
                          TEXT_NAME_MAX);
    for (size_t i = 0; i < len; i++)
        if (iscntrl((unsigned char)r->name[i]))
            return trace_fail(t, line,
                              "file name with control byte 0x%02x at its character %zu: "
                              "expected printable characters",
                              (unsigned char)r->name[i], i + 1);
    return rc;
}

static int text_next(trace_t *t, void *state, mem_req_t *r)
{
    (void)state;
    for (;;) {
        size_t len;
        uint64_t lineno;
        int status;
        char *line = trace_read_line(t, &len, &lineno, &status);
        if (!line)
            return status;
        char *hash = memchr(line, '#', len);
        if (hash)
            *hash = '\0';
        char *tok[TEXT_MAX_TOKENS];
        int ntok = fields_split(line, tok, TEXT_MAX_TOKENS);
        if (ntok > TEXT_MAX_TOKENS)
            return trace_fail(t, lineno, "too many fields (at most %d)", TEXT_MAX_TOKENS);
        if (ntok == 0)
            continue;
        memset(r, 0, sizeof *r);
        if (!isdigit((unsigned char)tok[0][0]))
            return name_fits(t, lineno, text_parse_directive(t, lineno, tok, ntok, r), r);
        uint64_t cpu;
        if (text_parse_u64(tok[0], &cpu) != 0 || cpu > 1023)
            return trace_fail(t, lineno, "bad CPU '%s': expected a core number from 0 to 1023",
                              tok[0]);
        if (ntok < 2)
            return trace_fail(t, lineno, "expected an operation after the CPU number");
        op_t op = op_lookup(tok[1], (unsigned)strlen(tok[1]));
        if (op == OP_COUNT)
            return trace_fail(t, lineno,
                              "unknown operation '%s': expected load, store, ifetch, rmw, fence, "
                              "or a primitive (see cohsim run --help)",
                              tok[1]);
        r->cpu = (uint16_t)cpu;
        r->op = (uint8_t)op;
        switch (op_class(op)) {
        case OPC_MEM:
            return parse_mem(t, lineno, tok + 2, ntok - 2, r);
        case OPC_SYNC:
        case OPC_CACHE:
            return parse_bare(t, lineno, tok + 2, ntok - 2, r);
        case OPC_PRIMITIVE:
            return name_fits(t, lineno, text_parse_primitive(t, lineno, tok + 2, ntok - 2, r), r);
        case OPC_OS:
        case OPC_CHECK:
        case OPC_MARK:
            return trace_fail(t, lineno, "'%s' is a directive: write it without a CPU number",
                              tok[1]);
        }
        return trace_fail(t, lineno, "operation '%s' cannot appear in a text trace", tok[1]);
    }
}

const trace_format_t trace_format_text = {
    .name = "text",
    .by_line = true,
    .doc = "cohsim text: `CPU OP ARGS` per line, # comments",
    .probe = text_probe,
    .state_size = sizeof(text_state_t),
    .next = text_next,
};
