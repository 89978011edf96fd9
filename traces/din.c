/* din.c: Dinero IV's traditional din format (-informat d): one reference per line, `LABEL ADDR`.
 *
 *   0 1fff000d98     read        3 misc (counted apart, treated as a read)
 *   1 1fff000d98     write       4 copy-back: write back every dirty line of every cache
 *   2 401ab70        ifetch      5 invalidate: write back and drop every line
 *
 * ADDR is hexadecimal (0x optional). As Dinero IV does, the address is rounded down to a multiple
 * of 4 and the access is 4 bytes, so no reference crosses a line. Fields after the address are
 * ignored (Dinero ignores them too). The reader keeps no state beyond the stream's position.
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

/* The line at the head of the stream's buffer when it is exactly `L HEX\n` (or \r\n), the
 * shape din writers produce: parsed where it lies, without looking for the newline first or
 * writing into the buffer. Returns the line's length with its newline, 0 for any other line. */
static size_t din_line_in_place(const char *p, size_t avail, int *label, uint64_t *addr)
{
    if (avail < 4 || p[0] < '0' || p[0] > '5' || p[1] != ' ')
        return 0;
    unsigned n = fields_hexrun(p + 2, addr); /* STREAM_LINE_SLACK follows what peek shows */
    size_t end = 2 + n;
    if (n == 0 || n == 16 || end + 1 > avail || (p[2] == '0' && (p[3] == 'x' || p[3] == 'X')))
        return 0;
    if (p[end] == '\r' && end + 2 <= avail)
        end++;
    if (p[end] != '\n')
        return 0;
    *label = p[0] - '0';
    return end + 1;
}

static void din_record(mem_req_t *r, int label, uint64_t addr)
{
    memset(r, 0, sizeof *r);
    r->op = (uint8_t)din_ops[label];
    if (label < 4) {
        r->addr = addr & ~(uint64_t)3;
        r->size = 4;
    }
}

static int din_next(trace_t *t, void *state, mem_req_t *r)
{
    (void)state;
    stream_t *s = trace_stream(t);
    const uint8_t *head;
    size_t avail = stream_peek(s, &head, 64);
    int label;
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
        int rc = din_fast(line, &label, &addr);
        if (rc != 0)
            rc = din_parse(line, &label, &addr, &bad);
        if (rc == -3)
            continue;
        if (rc == -1)
            return trace_fail(t, lineno, "bad label '%s': expected 'LABEL ADDR' with LABEL 0 (read), "
                                         "1 (write), 2 (ifetch), 3 (misc), 4 (copy-back) or 5 "
                                         "(invalidate)",
                              bad);
        if (rc == -2)
            return trace_fail(t, lineno, "bad address '%s': expected a hexadecimal address", bad);
        din_record(r, label, addr);
        return 1;
    }
}

const trace_format_t trace_format_din = {
    .name = "din",
    .doc = "Dinero IV traditional din: `LABEL HEXADDR`, 0 read 1 write 2 ifetch 3 misc 4 copy-back "
           "5 invalidate",
    .probe = din_probe,
    .next = din_next,
};
