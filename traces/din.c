/* din.c: Dinero IV's traditional din format (-informat d): one reference per line, `LABEL ADDR`.
 *
 *   0 1fff000d98     read        3 misc (counted apart, treated as a read)
 *   1 1fff000d98     write       4 copy-back
 *   2 401ab70        ifetch      5 invalidate
 *
 * ADDR is hexadecimal (0x optional). As Dinero IV's reader does for every label, the address is
 * rounded down to a multiple of 4 and the size is 4, so no reference crosses a line, and under
 * --compat dinero a copy-back or invalidate acts on the one line at the address, as in Dinero
 * (the machine model's copyback and invalidate act on whole caches whatever their size). Fields
 * after the address are ignored (Dinero ignores them too). The reader keeps no state beyond the
 * stream's position. Lines of the shape din writers produce are read in batches
 * (din_next_batch); every other line goes through din_next and its general parser, which alone
 * reports errors.
 */
#include <string.h>

#include "traces/fields.h"
#include "traces/trace.h"

static const op_t din_ops[6] = {OP_LOAD, OP_STORE, OP_IFETCH, OP_MISC, OP_COPYBACK, OP_INVALIDATE};

/* 0 when line is a din reference, else -1; label and address out. */
static int din_parse(char *line, int *label, uint64_t *addr, const char **bad)
{
    char *f[3];
    int n = fields_split(line, f, 2);
    if (n < 2) {
        *bad = n == 0 ? "" : f[0];
        return n == 0 ? -3 : -1;
    }
    if (strlen(f[0]) != 1 || f[0][0] < '0' || f[0][0] > '5') {
        *bad = f[0];
        return -1;
    }
    *label = f[0][0] - '0';
    if (fields_hex(f[1], strlen(f[1]), addr) != 0) {
        *bad = f[1];
        return -2;
    }
    return 0;
}

/* The common line, `LABEL HEX` with blanks, parsed in one pass without splitting or measuring it
 * (a line from stream_line): 0 when it is a reference, -1 when din_parse must look at it (for its
 * exact error, or an address of 16 digits or more). */
static int din_fast(const char *p, int *label, uint64_t *addr)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p < '0' || *p > '5' || (p[1] != ' ' && p[1] != '\t'))
        return -1;
    *label = *p - '0';
    p += 2;
    while (*p == ' ' || *p == '\t')
        p++;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        p += 2;
    unsigned n = fields_hexrun(p, addr); /* the line's NUL and STREAM_LINE_SLACK follow it */
    if (n == 0 || n == 16 || (p[n] && p[n] != ' ' && p[n] != '\t'))
        return -1;
    return 0;
}

static int din_probe_line(char *line)
{
    int label;
    uint64_t addr;
    const char *bad;
    int rc = din_parse(line, &label, &addr, &bad);
    return rc == -3 ? 0 : rc == 0 ? 1 : -1;
}

static int din_probe(const uint8_t *head, size_t len)
{
    return fields_probe_lines(head, len, din_probe_line) > 0 ? 60 : 0;
}

/* The line at p (avail bytes shown by stream_peek) when it is exactly `L HEX\n` (or \r\n), the
 * shape din writers produce: parsed where it lies, without looking for the newline first or
 * writing into the buffer. Returns the line's length with its newline, 0 for any other line
 * (a 0x prefix too: its 'x' ends the run of digits). */
static inline size_t din_line_in_place(const char *p, size_t avail, unsigned *label,
                                       uint64_t *addr)
{
    unsigned l = (unsigned)(unsigned char)p[0] - '0';
    if (avail < 4 || l > 5 || p[1] != ' ')
        return 0;
    unsigned n = fields_hexrun(p + 2, addr); /* STREAM_LINE_SLACK follows what peek shows */
    size_t end = 2 + n;
    if (n - 1 >= 15 || end + 1 > avail)
        return 0;
    if (p[end] == '\r' && end + 2 <= avail)
        end++;
    if (p[end] != '\n')
        return 0;
    *label = l;
    return end + 1;
}

/* Every label, as in Dinero's tracein_din: the 4 bytes at the address rounded down to 4. */
static inline void din_record(mem_req_t *r, unsigned label, uint64_t addr)
{
    *r = (mem_req_t){.addr = addr & ~3ull, .size = 4, .op = (uint8_t)din_ops[label]};
}

/* din_record's size, cpu, op and flags by label (TRACE_FIELDS_WORD), for the batch, which writes
 * only those and the address and value (batch_fields_only). */
#define DIN_WORD(op) TRACE_FIELDS_WORD(4, 0, op, 0)
static const uint64_t din_words[6] = {DIN_WORD(OP_LOAD),  DIN_WORD(OP_STORE),
                                      DIN_WORD(OP_IFETCH), DIN_WORD(OP_MISC),
                                      DIN_WORD(OP_COPYBACK), DIN_WORD(OP_INVALIDATE)};

static int din_next(trace_t *t, void *state, mem_req_t *r)
{
    (void)state;
    stream_t *s = trace_stream(t);
    const uint8_t *head;
    size_t avail = stream_peek(s, &head, 64);
    unsigned label;
    uint64_t addr;
    size_t used = din_line_in_place((const char *)head, avail, &label, &addr);
    if (used) {
        stream_skip_line(s, used);
        din_record(r, label, addr);
        return 1;
    }
    for (;;) {
        size_t len;
        uint64_t lineno;
        int status;
        char *line = trace_read_line(t, &len, &lineno, &status);
        if (!line)
            return status;
        const char *bad = "";
        int lbl;
        int rc = din_fast(line, &lbl, &addr);
        if (rc != 0)
            rc = din_parse(line, &lbl, &addr, &bad);
        if (rc == -3)
            continue;
        if (rc == -1)
            return trace_fail(t, lineno, "bad label '%s': expected 'LABEL ADDR' with LABEL 0 (read), "
                                         "1 (write), 2 (ifetch), 3 (misc), 4 (copy-back) or 5 "
                                         "(invalidate)",
                              bad);
        if (rc == -2)
            return trace_fail(t, lineno, "bad address '%s': expected a hexadecimal address", bad);
        din_record(r, (unsigned)lbl, addr);
        return 1;
    }
}

/* The line [p, nl) when it is exactly `L HEX` (a \r before nl allowed), the shape din writers
 * produce: 1 with its label and address, 0 for any other line. The label and its blank are
 * tested as one 16-bit number, and the line's end where the digits stop (a \r there is the rare
 * case). Past the label and blank, nl is at p + 2 or later, so the 16 bytes hexrun looks at from
 * p + 2 end at most 15 past nl: inside what stream_peek shows and its STREAM_LINE_SLACK. */
static inline int din_line_at(const char *p, const char *nl, unsigned *label, uint64_t *addr)
{
    unsigned l = ((unsigned)(unsigned char)p[0] | (unsigned)(unsigned char)p[1] << 8) -
                 ('0' | ' ' << 8);
    if (l > 5)
        return 0;
    unsigned n = fields_hexrun(p + 2, addr);
    const char *end = p + 2 + n;
    *label = l;
    if (end != nl && (end + 1 != nl || *end != '\r'))
        return 0;
    return n - 1 < 15;
}

/* Lines of the exact shape take at most this many bytes (16 digits fall back). */
#define DIN_SHAPE_MAX 20u

/* The lines of the exact shape among the len bytes at *pp, as records from out up to last: where
 * they end (*pp moves past them). Apart from the reader's other state, so that the loop has the
 * registers to itself. */
__attribute__((noinline)) static mem_req_t *din_lines(const char **pp, size_t len, mem_req_t *out,
                                                       const mem_req_t *last)
{
    const char *p = *pp, *nl;
    fields_lines_t it;
    fields_lines_start(&it, p, len);
    mem_req_t *r = out;
    while (r < last && fields_lines_next(&it, &nl)) {
        unsigned label;
        uint64_t addr;
        if (!din_line_at(p, nl, &label, &addr))
            break;
        trace_put_fields(r++, addr & ~3ull, 0, din_words[label]);
        p = nl + 1;
    }
    *pp = p;
    return r;
}

/* The lines of the exact shape that lie whole in the buffer, up to max, in one peek: a line
 * costs its parse and nothing per call. Any other line (blank, 0x, a trailing field, an error)
 * and the end are left to din_next, at the line where they occur, so its records come after
 * the batch before it and its error names its own line. */
static int din_next_batch(trace_t *t, void *state, mem_req_t *out, unsigned max)
{
    stream_t *s = trace_stream(t);
    const uint8_t *head;
    size_t avail = stream_peek(s, &head, (size_t)max * DIN_SHAPE_MAX + 64);
    const char *p = (const char *)head;
    unsigned k = (unsigned)(din_lines(&p, avail, out, out + max) - out);
    if (k == 0)
        return din_next(t, state, out);
    stream_skip_lines(s, (size_t)(p - (const char *)head), k);
    return (int)k;
}

const trace_format_t trace_format_din = {
    .name = "din",
    .by_line = true,
    .doc = "Dinero IV traditional din: `LABEL HEXADDR`, 0 read 1 write 2 ifetch 3 misc 4 copy-back "
           "5 invalidate",
    .probe = din_probe,
    .next = din_next,
    .next_batch = din_next_batch,
    .batch_fields_only = true,
};
