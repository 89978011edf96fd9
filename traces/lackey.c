/* lackey.c: Valgrind Lackey's --trace-mem=yes output: one access per line.
 *
 *   I  0401ab70,3        instruction fetch of 3 bytes
 *    L 1fff000d98,8      load
 *    S 1fff000d98,8      store
 *    M 1fff000d98,8      modify: one instruction loads then stores the same bytes
 *   ==1234== ...         Valgrind's own messages (also --1234-- lines): skipped
 *
 * Addresses are hexadecimal, sizes decimal. A modify becomes two records, a load then a store,
 * both flagged REQ_MODIFY, so that a consumer may count the pair as one access (Cachegrind counts
 * a modify as one read). State: whether the store half of a modify is still to be returned.
 * Lines of Valgrind's exact shape are read in batches (lackey_next_batch); every other line goes
 * through lackey_next and its general parser, which alone reports errors.
 */
#include <string.h>

#include "traces/fields.h"
#include "traces/trace.h"

typedef struct lackey_state {
    int have_store; /* the store half of a modify is pending */
    mem_req_t store;
} lackey_state_t;

enum { LK_OK, LK_SKIP, LK_KIND, LK_FORM, LK_ADDR, LK_SIZE, LK_WRAP };

/* Parse one line: op (OP_COUNT for a modify) and the access. */
static int lackey_parse(const char *line, size_t len, int *op, uint64_t *addr, uint64_t *size)
{
    if (len == 0 || (len >= 2 && ((line[0] == '=' && line[1] == '=') ||
                                  (line[0] == '-' && line[1] == '-'))))
        return LK_SKIP;
    size_t i;
    if (line[0] == 'I') {
        *op = OP_IFETCH;
        i = 1;
    } else if (line[0] == ' ' && len > 1 && (line[1] == 'L' || line[1] == 'S' || line[1] == 'M')) {
        *op = line[1] == 'L' ? OP_LOAD : line[1] == 'S' ? OP_STORE : OP_COUNT;
        i = 2;
    } else {
        return LK_KIND;
    }
    if (i >= len || line[i] != ' ')
        return LK_FORM;
    while (i < len && line[i] == ' ')
        i++;
    const char *comma = memchr(line + i, ',', len - i);
    if (!comma)
        return LK_FORM;
    if (fields_hex(line + i, (size_t)(comma - (line + i)), addr) != 0)
        return LK_ADDR;
    size_t j = (size_t)(comma + 1 - line), k = len;
    while (k > j && (line[k - 1] == ' ' || line[k - 1] == '\t'))
        k--;
    if (fields_dec(line + j, k - j, size) != 0 || *size == 0 || *size > FIELDS_MAX_SIZE)
        return LK_SIZE;
    if (*addr + *size < *addr)
        return LK_WRAP;
    return LK_OK;
}

static int lackey_probe(const uint8_t *head, size_t len)
{
    size_t pos = 0;
    int good = 0;
    while (pos < len && good < 8) {
        const uint8_t *nl = memchr(head + pos, '\n', len - pos);
        if (!nl)
            break;
        size_t n = (size_t)(nl - (head + pos));
        const char *line = (const char *)head + pos;
        pos += n + 1;
        if (n && line[n - 1] == '\r')
            n--;
        int op;
        uint64_t addr, size;
        int rc = lackey_parse(line, n, &op, &addr, &size);
        if (rc == LK_SKIP)
            continue;
        if (rc != LK_OK)
            return 0;
        good++;
    }
    return good > 0 ? 70 : 0;
}

/* The line at the head of the stream's buffer when it has exactly Valgrind's shape, `I  HEX,D\n`
 * or ` K HEX,D\n` (K one of L S M, D one or two digits): parsed where it lies, without looking
 * for the newline first or writing into the buffer. Returns the line's length with its newline,
 * 0 for any other line (which lackey_parse then reads, errors and all). */
static size_t lackey_line_in_place(const char *p, size_t avail, int *op, uint64_t *addr,
                                   uint64_t *size)
{
    if (avail < 8 || p[2] != ' ')
        return 0;
    if (p[0] == 'I' && p[1] == ' ')
        *op = OP_IFETCH;
    else if (p[0] == ' ' && (p[1] == 'L' || p[1] == 'S' || p[1] == 'M'))
        *op = p[1] == 'L' ? OP_LOAD : p[1] == 'S' ? OP_STORE : OP_COUNT;
    else
        return 0;
    unsigned n = fields_hexrun(p + 3, addr); /* STREAM_LINE_SLACK follows what peek shows */
    size_t i = 3 + n;
    if (n == 0 || n == 16 || i + 3 > avail || p[i] != ',')
        return 0;
    unsigned d0 = (unsigned)(p[i + 1] - '0'), d1 = (unsigned)(p[i + 2] - '0');
    if (d0 > 9)
        return 0;
    if (d1 > 9) {
        *size = d0;
        i += 2;
    } else {
        *size = d0 * 10 + d1;
        i += 3;
    }
    if (i >= avail || p[i] != '\n' || *size == 0 || *addr + *size < *addr)
        return 0;
    return i + 1;
}

/* One access as a record; a modify leaves its store half for the next call. */
static void lackey_record(lackey_state_t *st, mem_req_t *r, int op, uint64_t addr, uint64_t size)
{
    memset(r, 0, sizeof *r);
    r->addr = addr;
    r->size = (uint32_t)size;
    if (op == OP_COUNT) {
        r->op = OP_LOAD;
        r->flags = REQ_MODIFY;
        st->store = *r;
        st->store.op = OP_STORE;
        st->have_store = 1;
    } else {
        r->op = (uint8_t)op;
    }
}

/* By the second byte of a line: the first three bytes of Valgrind's exact shape for that kind,
 * as LACKEY_FRAME(first, second, third), and the record's op and flags as TRACE_FIELDS_WORD
 * places them (a modify: its load half); 0 for a byte that is no kind, with the frame of byte 0
 * one that no three bytes make. */
#define LACKEY_FRAME(first, second, third)                                                       \
    ((uint32_t)(first) | (uint32_t)(second) << 8 | (uint32_t)(third) << 16)
#define LACKEY_WORD(op, flags) TRACE_FIELDS_WORD(0, 0, op, flags)
static const struct {
    uint32_t frame;
    uint64_t word;
} lackey_kinds[256] = {
    [0] = {1u << 24, 0},
    [' '] = {LACKEY_FRAME('I', ' ', ' '), LACKEY_WORD(OP_IFETCH, 0)},
    ['L'] = {LACKEY_FRAME(' ', 'L', ' '), LACKEY_WORD(OP_LOAD, 0)},
    ['S'] = {LACKEY_FRAME(' ', 'S', ' '), LACKEY_WORD(OP_STORE, 0)},
    ['M'] = {LACKEY_FRAME(' ', 'M', ' '), LACKEY_WORD(OP_LOAD, REQ_MODIFY)},
};

/* The line [p, nl) when it has exactly Valgrind's shape, `I  HEX,D` or ` K HEX,D` (K one of L S
 * M, D one or two digits, not 0): its record's size, op and flags (TRACE_FIELDS_WORD; for a
 * modify, its load half) with the address, 0 for any other line. The first three bytes are
 * compared with the frame as one number (p has 16 readable bytes, as below). Once they are the
 * frame, nl is at p + 3 or later, so hexrun's 16 bytes from p + 3 end at most 15 past nl, inside
 * what stream_peek shows and its slack; once a comma follows the digits, the byte after it is at
 * nl or before. The size's one or two digits are read from both ends, so their count costs no
 * branch. */
static inline uint64_t lackey_line_at(const char *p, const char *nl, uint64_t *addr)
{
    uint32_t head;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    memcpy(&head, p, sizeof head);
#else
    head = LACKEY_FRAME((unsigned char)p[0], (unsigned char)p[1], (unsigned char)p[2]);
#endif
    unsigned k = (head >> 8) & 0xffu;
    if ((head & 0xffffffu) != lackey_kinds[k].frame)
        return 0;
    unsigned n = fields_hexrun(p + 3, addr);
    if (n - 1 >= 15 || p[3 + n] != ',')
        return 0;
    size_t digits = (size_t)(nl - (p + 4 + n));
    unsigned d0 = (unsigned)(unsigned char)p[4 + n] - '0';
    unsigned d1 = (unsigned)(unsigned char)nl[-1] - '0';
    if (digits - 1 >= 2 || (d0 | d1) > 9)
        return 0;
    unsigned size = digits == 2 ? d0 * 10 + d1 : d1; /* 15 digits and 99 cannot wrap */
    return size ? lackey_kinds[k].word | size : 0;
}

static int lackey_next(trace_t *t, void *state, mem_req_t *r)
{
    lackey_state_t *st = state;
    if (st->have_store) {
        st->have_store = 0;
        *r = st->store;
        return 1;
    }
    stream_t *s = trace_stream(t);
    const uint8_t *head;
    size_t avail = stream_peek(s, &head, 64);
    int fop;
    uint64_t faddr, fsize;
    size_t used = lackey_line_in_place((const char *)head, avail, &fop, &faddr, &fsize);
    if (used) {
        stream_skip_line(s, used);
        lackey_record(st, r, fop, faddr, fsize);
        return 1;
    }
    for (;;) {
        size_t len;
        uint64_t lineno;
        int status;
        const char *line = trace_read_line(t, &len, &lineno, &status);
        if (!line)
            return status;
        int op = 0;
        uint64_t addr = 0, size = 0;
        switch (lackey_parse(line, len, &op, &addr, &size)) {
        case LK_SKIP:
            continue;
        case LK_KIND:
            return trace_fail(t, lineno, "expected 'I  ADDR,SIZE', ' L ADDR,SIZE', ' S ADDR,SIZE', "
                                         "' M ADDR,SIZE' or a ==PID== line");
        case LK_FORM:
            return trace_fail(t, lineno, "expected ADDR,SIZE after the access kind");
        case LK_ADDR:
            return trace_fail(t, lineno, "bad address: expected hexadecimal digits before the ','");
        case LK_WRAP:
            return trace_fail(t, lineno, "access of %llu bytes at 0x%llx wraps past the top of the "
                                         "address space",
                              (unsigned long long)size, (unsigned long long)addr);
        case LK_SIZE:
            return trace_fail(t, lineno, "bad size: expected a decimal size from 1 to %u after the "
                                         "','",
                              FIELDS_MAX_SIZE);
        default:
            break;
        }
        lackey_record(st, r, op, addr, size);
        return 1;
    }
}

/* Valgrind's lines take at most this many bytes in the exact shape. */
#define LACKEY_SHAPE_MAX 22u

/* The lines of the exact shape among the len bytes at p, up to the record at last (a modify
 * makes two, never split between batches), as records from out on: where they end, with the
 * count of lines in *lines. Apart from the reader's other state, so that the loop has the
 * registers to itself. */
__attribute__((noinline)) static mem_req_t *lackey_lines(const char **pp, size_t len,
                                                          mem_req_t *out, const mem_req_t *last,
                                                          unsigned *lines)
{
    const char *p = *pp, *nl;
    fields_lines_t it;
    fields_lines_start(&it, p, len);
    mem_req_t *r = out;
    unsigned modifies = 0;
    while (r < last && fields_lines_next(&it, &nl)) {
        uint64_t addr;
        uint64_t word = lackey_line_at(p, nl, &addr);
        if (word == 0)
            break;
        trace_put_fields(r++, addr, 0, word);
        if (word >> 56 & REQ_MODIFY) { /* the store half */
            trace_put_fields(r++, addr, 0, word ^ LACKEY_WORD(OP_LOAD ^ OP_STORE, 0));
            modifies++;
        }
        p = nl + 1;
    }
    *pp = p;
    *lines = (unsigned)(r - out) - modifies;
    return r;
}

/* The lines of the exact shape that lie whole in the buffer, up to max records, in one peek.
 * Any other line (a Valgrind message, an error) and the end are left to lackey_next, at the
 * line where they occur. */
static int lackey_next_batch(trace_t *t, void *state, mem_req_t *out, unsigned max)
{
    lackey_state_t *st = state;
    if (st->have_store || max < 2)
        return lackey_next(t, state, out);
    stream_t *s = trace_stream(t);
    const uint8_t *head;
    size_t avail = stream_peek(s, &head, (size_t)max * LACKEY_SHAPE_MAX + 64);
    const char *p = (const char *)head;
    unsigned lines;
    unsigned k = (unsigned)(lackey_lines(&p, avail, out, out + max - 1, &lines) - out);
    if (k == 0)
        return lackey_next(t, state, out);
    stream_skip_lines(s, (size_t)(p - (const char *)head), lines);
    return (int)k;
}

const trace_format_t trace_format_lackey = {
    .name = "lackey",
    .by_line = true,
    .doc = "Valgrind Lackey --trace-mem=yes: `I  ADDR,SIZE`, ` L`, ` S`, ` M` (modify: load then store)",
    .probe = lackey_probe,
    .state_size = sizeof(lackey_state_t),
    .next = lackey_next,
    .next_batch = lackey_next_batch,
    .batch_fields_only = true,
};
