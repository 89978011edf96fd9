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
 */
#include <string.h>

#include "traces/fields.h"
#include "traces/trace.h"

typedef struct lackey_state {
    int have_store; /* the store half of a modify is pending */
    mem_req_t store;
} lackey_state_t;

enum { LK_OK, LK_SKIP, LK_KIND, LK_FORM, LK_ADDR, LK_SIZE };

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
        return LK_ADDR;
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

static int lackey_next(trace_t *t, void *state, mem_req_t *r)
{
    lackey_state_t *st = state;
    if (st->have_store) {
        st->have_store = 0;
        *r = st->store;
        return 1;
    }
    stream_t *s = trace_stream(t);
    for (;;) {
        size_t len;
        const char *line = stream_line(s, &len);
        if (!line) {
            const char *e = stream_error(s);
            return e ? trace_fail(t, stream_lineno(s) + 1, "%s", e) : 0;
        }
        uint64_t lineno = stream_lineno(s);
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
        case LK_SIZE:
            return trace_fail(t, lineno, "bad size: expected a decimal size from 1 to %u after the "
                                         "','",
                              FIELDS_MAX_SIZE);
        default:
            break;
        }
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
        return 1;
    }
}

const trace_format_t trace_format_lackey = {
    .name = "lackey",
    .doc = "Valgrind Lackey --trace-mem=yes: `I  ADDR,SIZE`, ` L`, ` S`, ` M` (modify: load then store)",
    .probe = lackey_probe,
    .state_size = sizeof(lackey_state_t),
    .next = lackey_next,
};
