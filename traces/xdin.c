/* xdin.c: Dinero IV's extended din format (-informat D): `LABEL ADDR SIZE` per line.
 *
 *   r 1fff000d98 8   read       m ADDR SIZE   misc (counted apart, treated as a read)
 *   w 1fff000d98 8   write      c ADDR SIZE   copy-back (SIZE 0: every line of every cache)
 *   i 401ab70 3      ifetch     v ADDR SIZE   invalidate (SIZE 0: every line)
 *
 * ADDR and SIZE are hexadecimal (0x optional). Accesses keep their address and size; one that
 * crosses a line boundary is split by the consumer (Dinero counts the extra parts as multi-block
 * references). The reader keeps no state beyond the stream's position.
 */
#include <string.h>

#include "traces/fields.h"
#include "traces/trace.h"

static const char xdin_labels[] = "rwimcv";
static const op_t xdin_ops[6] = {OP_LOAD, OP_STORE, OP_IFETCH, OP_MISC, OP_COPYBACK, OP_INVALIDATE};

enum { XDIN_OK = 0, XDIN_BLANK, XDIN_FIELDS, XDIN_LABEL, XDIN_ADDR, XDIN_SIZE, XDIN_WRAP };

static int xdin_parse(char *line, int *label, uint64_t *addr, uint64_t *size, const char **bad)
{
    char *f[4];
    int n = fields_split(line, f, 3);
    if (n == 0)
        return XDIN_BLANK;
    *bad = f[0];
    if (strlen(f[0]) != 1 || !strchr(xdin_labels, f[0][0]) || !f[0][0])
        return XDIN_LABEL;
    if (n != 3)
        return XDIN_FIELDS;
    *label = (int)(strchr(xdin_labels, f[0][0]) - xdin_labels);
    *bad = f[1];
    if (fields_hex(f[1], strlen(f[1]), addr) != 0)
        return XDIN_ADDR;
    *bad = f[2];
    if (fields_hex(f[2], strlen(f[2]), size) != 0)
        return XDIN_SIZE;
    if (*label < 4 && (*size == 0 || *size > FIELDS_MAX_SIZE))
        return XDIN_SIZE;
    *bad = f[1];
    if (*label < 4 && *addr + *size < *addr)
        return XDIN_WRAP;
    return XDIN_OK;
}

static int xdin_probe_line(char *line)
{
    int label;
    uint64_t addr, size;
    const char *bad;
    int rc = xdin_parse(line, &label, &addr, &size, &bad);
    return rc == XDIN_BLANK ? 0 : rc == XDIN_OK ? 1 : -1;
}

static int xdin_probe(const uint8_t *head, size_t len)
{
    return fields_probe_lines(head, len, xdin_probe_line) > 0 ? 60 : 0;
}

static int xdin_next(trace_t *t, void *state, mem_req_t *r)
{
    (void)state;
    for (;;) {
        size_t len;
        uint64_t lineno;
        int status;
        char *line = trace_read_line(t, &len, &lineno, &status);
        if (!line)
            return status;
        int label = 0;
        uint64_t addr = 0, size = 0;
        const char *bad = "";
        switch (xdin_parse(line, &label, &addr, &size, &bad)) {
        case XDIN_BLANK:
            continue;
        case XDIN_LABEL:
            return trace_fail(t, lineno, "bad label '%s': expected 'LABEL ADDR SIZE' with LABEL "
                                         "r, w, i, m, c or v",
                              bad);
        case XDIN_FIELDS:
            return trace_fail(t, lineno, "expected 'LABEL ADDR SIZE' (three fields)");
        case XDIN_ADDR:
            return trace_fail(t, lineno, "bad address '%s': expected a hexadecimal address", bad);
        case XDIN_SIZE:
            return trace_fail(t, lineno, "bad size '%s': expected a hexadecimal size from 1 to 0x%x",
                              bad, FIELDS_MAX_SIZE);
        case XDIN_WRAP:
            return trace_fail(t, lineno, "access at %s wraps past the top of the address space",
                              bad);
        default:
            break;
        }
        memset(r, 0, sizeof *r);
        r->op = (uint8_t)xdin_ops[label];
        r->addr = addr;
        r->size = (uint32_t)size;
        return 1;
    }
}

const trace_format_t trace_format_xdin = {
    .name = "xdin",
    .by_line = true,
    .doc = "Dinero IV extended din: `r|w|i|m|c|v HEXADDR HEXSIZE`",
    .probe = xdin_probe,
    .next = xdin_next,
};
