/* writer.c: trace writers (see writer.h). One small function per format; the binary layout is
 * binary.h's, so reader and writer cannot drift apart.
 *
 * State: the format, the output, and (for din, whose records carry no CPU) the first CPU seen, so
 * that records of a second CPU are refused rather than merged.
 */
#include "traces/writer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "traces/binary.h"
#include "traces/text_syntax.h"

typedef struct writer_format {
    const char *name;
    int (*header)(trace_writer_t *w);
    int (*put)(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen);
} writer_format_t;

/* What din and xdin cannot carry: records counted once per kind of loss. */
typedef struct writer_losses {
    uint64_t resized;      /* din: an access other than 4 bytes at a multiple of 4 */
    uint64_t lines_moved;  /* din: ... whose 64-byte lines differ from the 4-byte access's */
    uint64_t values;       /* a store's value, or the value a load must read */
    uint64_t modify;       /* half of an unlocked modify (Lackey M), written as a plain access */
} writer_losses_t;

struct trace_writer {
    const writer_format_t *fmt;
    FILE *out;
    int cpu; /* -1 until the first record */
    writer_losses_t lost;
    /* binary version 2: the previous record's address, size and CPU (0 before the first) */
    uint64_t prev_addr;
    uint32_t prev_size;
    uint16_t prev_cpu;
};

/* din and xdin: what a memory record loses beyond its size. */
static void count_value_losses(trace_writer_t *w, const mem_req_t *r)
{
    if (r->flags & REQ_HAS_VALUE)
        w->lost.values++;
    if (r->flags & REQ_MODIFY)
        w->lost.modify++;
}

static int plain_args(const mem_req_t *r)
{
    return !r->name && !r->arg[0] && !r->arg[1] && !r->arg[2] && !r->arg[3];
}

static int binary1_header(trace_writer_t *w)
{
    uint8_t h[BINARY_HEADER_SIZE] = {0};
    memcpy(h, BINARY_MAGIC, 8);
    binary_put16(h + 8, BINARY_VERSION);
    binary_put16(h + 10, BINARY_RECORD_SIZE);
    return fwrite(h, 1, sizeof h, w->out) == sizeof h ? 0 : -1;
}

static int binary_refuse_args(const mem_req_t *r, char *err, size_t errlen)
{
    if (plain_args(r))
        return 0;
    snprintf(err, errlen, "%s has arguments the binary format cannot carry (write text)",
             op_name((op_t)r->op));
    return -1;
}

static int binary1_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    if (binary_refuse_args(r, err, errlen) != 0)
        return -1;
    uint8_t b[BINARY_RECORD_SIZE];
    b[0] = r->op;
    b[1] = (uint8_t)(r->flags & BINARY_FLAGS_KNOWN);
    binary_put16(b + 2, r->cpu);
    binary_put32(b + 4, r->size);
    binary_put64(b + 8, r->addr);
    binary_put64(b + 16, r->value);
    return fwrite(b, 1, sizeof b, w->out) == sizeof b ? 0 : -1;
}

static int binary2_header(trace_writer_t *w)
{
    uint8_t h[BINARY_HEADER_SIZE] = {0};
    memcpy(h, BINARY_MAGIC, 8);
    binary_put16(h + 8, BINARY_VERSION_2);
    return fwrite(h, 1, sizeof h, w->out) == sizeof h ? 0 : -1;
}

/* The code (0 to 3) of the fewest bytes of 1, 2, 4, 8 that hold v. */
static unsigned binary2_len_code(uint64_t v)
{
    return v <= 0xff ? 0 : v <= 0xffff ? 1 : v <= 0xffffffffu ? 2 : 3;
}

/* Version 2: fields relative to the previous record (binary.h); the value only when the flags
 * say the record has one, so a value without REQ_HAS_VALUE is refused rather than dropped. */
static int binary2_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    if (binary_refuse_args(r, err, errlen) != 0)
        return -1;
    if (r->value && !(r->flags & REQ_HAS_VALUE)) {
        snprintf(err, errlen, "%s carries a value without stating it (REQ_HAS_VALUE), which "
                              "binary version 2 does not keep (write binary-v1)",
                 op_name((op_t)r->op));
        return -1;
    }
    uint8_t b[BINARY2_MAX_RECORD];
    unsigned ctl = r->flags & BINARY_FLAGS_KNOWN, n = 2;
    if (r->cpu == w->prev_cpu) {
        ctl |= BINARY2_SAME_CPU;
    } else {
        binary_put16(b + n, r->cpu);
        n += 2;
    }
    if (r->size != w->prev_size) {
        unsigned code = binary2_len_code(r->size); /* 0, 1 or 2: 1, 2 or 4 bytes */
        ctl |= (code + 1) << BINARY2_SIZE_SHIFT;
        for (unsigned i = 0; i < (1u << code); i++)
            b[n++] = (uint8_t)(r->size >> (8 * i));
    }
    uint64_t z = binary_zigzag(r->addr - w->prev_addr);
    unsigned code = binary2_len_code(z);
    ctl |= code << BINARY2_ADDR_SHIFT;
    for (unsigned i = 0; i < (1u << code); i++)
        b[n++] = (uint8_t)(z >> (8 * i));
    if (r->flags & REQ_HAS_VALUE) {
        binary_put64(b + n, r->value);
        n += 8;
    }
    b[0] = r->op;
    b[1] = (uint8_t)ctl;
    w->prev_addr = r->addr;
    w->prev_size = r->size;
    w->prev_cpu = r->cpu;
    return fwrite(b, 1, n, w->out) == n ? 0 : -1;
}

static int text_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    op_class_t cls = op_class((op_t)r->op);
    if (cls == OPC_MEM) {
        if (!text_valid_size((op_t)r->op, r->size)) {
            snprintf(err, errlen,
                     "a %u-byte %s cannot be written as text (sizes 1, 2, 4, ... 64; an ifetch "
                     "also 1 to 15)",
                     r->size, op_name((op_t)r->op));
            return -1;
        }
        if (r->op == OP_RMW && r->arg[0] != RMW_ADD && r->arg[0] != RMW_XCHG) {
            snprintf(err, errlen, "an rmw that ors, xors or compares cannot be written as text "
                                  "(the text format has add +N and exchange =N)");
            return -1;
        }
        int n = fprintf(w->out, "%u %s 0x%" PRIx64 " %u", r->cpu, op_name((op_t)r->op), r->addr,
                        r->size);
        /* An rmw that adds is written +N; = means exchange for an rmw and the value otherwise. */
        if (n > 0 && (r->flags & REQ_HAS_VALUE))
            n = fprintf(w->out, " %c%" PRIu64,
                        r->op == OP_RMW && r->arg[0] == RMW_ADD ? '+' : '=', r->value);
        if (n > 0 && (r->flags & REQ_MODIFY))
            n = fprintf(w->out, " # modify");
        return n > 0 && fputc('\n', w->out) != EOF ? 0 : -1;
    }
    if (cls == OPC_MARK && plain_args(r))
        return fprintf(w->out, "%s\n", op_name((op_t)r->op)) > 0 ? 0 : -1;
    if ((cls == OPC_SYNC || cls == OPC_CACHE) && plain_args(r))
        return fprintf(w->out, "%u %s\n", r->cpu, op_name((op_t)r->op)) > 0 ? 0 : -1;
    if (cls == OPC_PRIMITIVE) {
        char args[512];
        if (text_format_primitive(r, args, sizeof args, err, errlen) != 0)
            return -1;
        return fprintf(w->out, "%u %s%s\n", r->cpu, op_name((op_t)r->op), args) > 0 ? 0 : -1;
    }
    if ((cls == OPC_OS || cls == OPC_CHECK) && !r->arg[OP_ARG_CALLER]) {
        char args[512];
        if (text_format_directive(r, args, sizeof args, err, errlen) != 0)
            return -1;
        return fprintf(w->out, "%s%s\n", op_name((op_t)r->op), args) > 0 ? 0 : -1;
    }
    snprintf(err, errlen, "%s with arguments cannot be written by the trace converter (write the text "
                          "by hand)", op_name((op_t)r->op));
    return -1;
}

/* din and xdin carry one core: refuse a second. */
static int one_cpu(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    if (w->cpu < 0)
        w->cpu = r->cpu;
    if (r->cpu != w->cpu) {
        snprintf(err, errlen, "%s records carry no CPU: the trace has CPUs %d and %u", w->fmt->name,
                 w->cpu, r->cpu);
        return -1;
    }
    return 0;
}

static int din_label(const mem_req_t *r)
{
    switch ((op_t)r->op) {
    case OP_LOAD: return 0;
    case OP_STORE: return 1;
    case OP_IFETCH: return 2;
    case OP_MISC: return 3;
    case OP_COPYBACK: return 4;
    case OP_INVALIDATE: return 5;
    default: return -1;
    }
}

static int din_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    int label = din_label(r);
    if (label < 0) {
        snprintf(err, errlen, "%s has no din label (0-5: read, write, ifetch, misc, copy-back, "
                              "invalidate)",
                 op_name((op_t)r->op));
        return -1;
    }
    if (one_cpu(w, r, err, errlen) != 0)
        return -1;
    if (label < 4) {
        /* din's reader takes 4 bytes at the address rounded down to a multiple of 4 */
        uint64_t last = r->addr + (r->size ? r->size - 1 : 0);
        if (r->addr % 4 || r->size != 4)
            w->lost.resized++;
        if (r->addr / 64 != last / 64 || r->addr / 64 != (r->addr & ~3ull) / 64)
            w->lost.lines_moved++;
        count_value_losses(w, r);
    }
    return fprintf(w->out, "%d %" PRIx64 "\n", label, r->addr) > 0 ? 0 : -1;
}

static int xdin_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    int label = din_label(r);
    if (label < 0) {
        snprintf(err, errlen, "%s has no xdin label (r, w, i, m, c, v)", op_name((op_t)r->op));
        return -1;
    }
    if (one_cpu(w, r, err, errlen) != 0)
        return -1;
    if (label < 4)
        count_value_losses(w, r);
    return fprintf(w->out, "%c %" PRIx64 " %x\n", "rwimcv"[label], r->addr, r->size) > 0 ? 0 : -1;
}

static const writer_format_t writer_formats[] = {
    {"binary", binary2_header, binary2_put},
    {"binary-v1", binary1_header, binary1_put},
    {"text", NULL, text_put},
    {"din", NULL, din_put},
    {"xdin", NULL, xdin_put},
};

const char *trace_writer_formats(void) { return "binary, binary-v1, text, din, xdin"; }

trace_writer_t *trace_writer_open(const char *format, FILE *out, char *err, size_t errlen)
{
    const writer_format_t *fmt = NULL;
    for (unsigned i = 0; i < sizeof writer_formats / sizeof writer_formats[0]; i++)
        if (strcmp(writer_formats[i].name, format) == 0)
            fmt = &writer_formats[i];
    if (!fmt) {
        snprintf(err, errlen, "cannot write format '%s': expected one of %s", format,
                 trace_writer_formats());
        return NULL;
    }
    trace_writer_t *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->fmt = fmt;
    w->out = out;
    w->cpu = -1;
    if (fmt->header && fmt->header(w) != 0) {
        snprintf(err, errlen, "write error: %s", strerror(errno));
        free(w);
        return NULL;
    }
    return w;
}

int trace_writer_put(trace_writer_t *w, const mem_req_t *r, char *err, size_t errlen)
{
    err[0] = '\0';
    if (w->fmt->put(w, r, err, errlen) == 0)
        return 0;
    if (!err[0])
        snprintf(err, errlen, "write error: %s", strerror(errno));
    return -1;
}

int trace_writer_losses(const trace_writer_t *w, char *buf, size_t len)
{
    const writer_losses_t *l = &w->lost;
    if (!l->resized && !l->lines_moved && !l->values && !l->modify)
        return 0;
    snprintf(buf, len,
             "%s cannot carry everything: %llu access%s became 4 bytes at a multiple of 4 (%llu "
             "of them touch other 64-byte lines now), %llu stated value%s dropped, %llu modify "
             "hal%s written as plain accesses",
             w->fmt->name, (unsigned long long)l->resized, l->resized == 1 ? "" : "es",
             (unsigned long long)l->lines_moved, (unsigned long long)l->values,
             l->values == 1 ? "" : "s", (unsigned long long)l->modify, l->modify == 1 ? "f" : "ves");
    return 1;
}

int trace_writer_close(trace_writer_t *w, char *err, size_t errlen)
{
    int rc = fflush(w->out) == 0 && !ferror(w->out) ? 0 : -1;
    if (rc)
        snprintf(err, errlen, "write error: %s", strerror(errno));
    free(w);
    return rc;
}
