/* binary.c: the cohsim binary trace: a versioned header, then little-endian records (layout in
 * binary.h, byte by byte in FORMATS.md): version 1's of 24 bytes, version 2's of 2 to 24 bytes,
 * delta-coded. The fast path: records decoded in batches straight from the stream's buffer.
 *
 * Errors name the byte offset of the header at fault, or the record (from 1) and its byte.
 * State: the version; for version 2 the records read and the previous record's address, size and
 * CPU, which the next record's fields are relative to.
 */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "traces/binary.h"
#include "traces/fields.h"
#include "traces/trace.h"

static int binary_probe(const uint8_t *head, size_t len)
{
    return len >= 8 && memcmp(head, BINARY_MAGIC, 8) == 0 ? 100 : 0;
}

/* Version 2: the previous record's address, size and CPU, which a record's fields are relative
 * to (0 before the first). */
typedef struct binary2_prev {
    uint64_t addr;
    uint32_t size;
    unsigned cpu;
} binary2_prev_t;

typedef struct binary_state {
    unsigned version;
    uint64_t records; /* version 2: records read */
    binary2_prev_t prev;
} binary_state_t;

static int binary_init(trace_t *t, void *state)
{
    binary_state_t *st = state;
    stream_t *s = trace_stream(t);
    uint8_t h[BINARY_HEADER_SIZE];
    ssize_t n = stream_read(s, h, sizeof h);
    if (n <= 0)
        return trace_fail_at(t, 0, "%s: expected a %u-byte cohsim binary header",
                             n == 0 ? "empty file" : stream_error(s), BINARY_HEADER_SIZE);
    if (memcmp(h, BINARY_MAGIC, 8) != 0)
        return trace_fail_at(t, 0, "bad magic: expected \"%s\"", BINARY_MAGIC);
    uint16_t version = binary_get16(h + 8), recsize = binary_get16(h + 10);
    st->version = version;
    if (version == BINARY_VERSION_2) {
        if (recsize != 0)
            return trace_fail_at(t, 10, "record size %u: version 2 records vary (0 expected)",
                                 recsize);
        return 0;
    }
    if (version != BINARY_VERSION)
        return trace_fail_at(t, 8, "version %u: this build reads versions %u and %u", version,
                             BINARY_VERSION, BINARY_VERSION_2);
    if (recsize != BINARY_RECORD_SIZE)
        return trace_fail_at(t, 10, "record size %u: version %u records are %u bytes", recsize,
                             BINARY_VERSION, BINARY_RECORD_SIZE);
    return 0;
}

/* Whether the memory access of the record at b ends past the top of the address space (as the
 * text reader: addr + size must not pass 2^64 - 1). */
static bool binary_wraps(const uint8_t *b)
{
    uint64_t addr = binary_get64(b + 8);
    return addr + binary_get32(b + 4) < addr;
}

/* Whether the record at b is one this build can execute as it stands: a known operation, known
 * flags, and a memory access size in range that does not wrap past 2^64. */
static bool binary_record_ok(const uint8_t *b)
{
    if (b[0] >= OP_COUNT || (b[1] & ~BINARY_FLAGS_KNOWN))
        return false;
    uint32_t size = binary_get32(b + 4);
    return op_classes[b[0]] != OPC_MEM ||
           (size != 0 && size <= FIELDS_MAX_SIZE && !binary_wraps(b));
}

static inline void binary_decode(const uint8_t *b, mem_req_t *r)
{
    *r = (mem_req_t){
        .op = b[0],
        .flags = b[1],
        .cpu = binary_get16(b + 2),
        .size = binary_get32(b + 4),
        .addr = binary_get64(b + 8),
        .value = binary_get64(b + 16),
    };
}

/* Records are decoded where they lie in the stream's buffer (refilled a megabyte at a time):
 * no copy, one peek per record. */
static int binary1_next(trace_t *t, mem_req_t *r)
{
    stream_t *s = trace_stream(t);
    const uint8_t *b;
    size_t n = stream_peek(s, &b, BINARY_RECORD_SIZE);
    uint64_t at = stream_offset(s);
    uint64_t rec = (at - BINARY_HEADER_SIZE) / BINARY_RECORD_SIZE + 1;
    if (n < BINARY_RECORD_SIZE) {
        if (stream_error(s))
            return trace_fail_record(t, rec, at, "%s (records are %u bytes)", stream_error(s),
                                     BINARY_RECORD_SIZE);
        if (n == 0)
            return 0;
        return trace_fail_record(t, rec, at,
                                 "truncated: %zu of %u bytes of a record (records are %u bytes)",
                                 n, BINARY_RECORD_SIZE, BINARY_RECORD_SIZE);
    }
    if (b[0] >= OP_COUNT)
        return trace_fail_record(t, rec, at,
                                 "unknown operation %u: expected 0 to %u (rows of ops.def)", b[0],
                                 OP_COUNT - 1);
    if (b[1] & ~BINARY_FLAGS_KNOWN)
        return trace_fail_record(t, rec, at + 1, "unknown flags 0x%02x", b[1]);
    if (op_classes[b[0]] == OPC_MEM && binary_wraps(b) && binary_get32(b + 4) <= FIELDS_MAX_SIZE)
        return trace_fail_record(t, rec, at + 8,
                                 "access of %u bytes at 0x%llx wraps past the top of the address "
                                 "space", binary_get32(b + 4),
                                 (unsigned long long)binary_get64(b + 8));
    if (!binary_record_ok(b))
        return trace_fail_record(t, rec, at + 4, "size %u: expected 1 to %u",
                                 binary_get32(b + 4), FIELDS_MAX_SIZE);
    binary_decode(b, r);
    stream_skip(s, BINARY_RECORD_SIZE);
    return 1;
}

/* The memory operations as a bit mask by op, from ops.def: a constant, so a record's class
 * costs no lookup per record. */
_Static_assert(OP_COUNT <= 64, "binary_mem_ops has a bit per operation");
static const uint64_t binary_mem_ops = 0
#define OP(id, spelling, cls, doc) | ((uint64_t)((cls) == OPC_MEM) << OP_##id)
#include "model/ops.def"
#undef OP
    ;

/* Whether any of the n decoded records is a memory access of a size out of range or that wraps
 * (binary_record_ok's test of the size and address), without a branch. */
static bool binary_any_bad_access(const mem_req_t *r, size_t n)
{
    unsigned bad = 0;
    for (size_t i = 0; i < n; i++)
        bad |= (unsigned)(binary_mem_ops >> (r[i].op & 63)) & 1u &
               ((r[i].size - 1u >= FIELDS_MAX_SIZE) | (r[i].addr + r[i].size < r[i].addr));
    return bad != 0;
}

/* The operations up to op_or, the OR of those of a batch (each is at most op_or): the batch
 * summary's bound on its operations (trace_batch_info_t), which for a trace of accesses and
 * fences (op_or at most 7) holds no check or mark. */
static uint64_t binary_ops_up_to(unsigned op_or)
{
    return op_or < 63 ? (2ull << op_or) - 1 : ~0ull;
}

/* The records that lie whole in the buffer, up to max, in one peek. Each record is decoded
 * into the fields a binary record has (trace_next_batch zeroed arg and name of out once) and
 * looked at without a branch: the OR of every record's first eight bytes (exactly: unknown
 * flags; bounds on the operations, all known when their OR is below OP_COUNT, and on the largest
 * CPU, which the batch summary may give), and, loosely, the OR of every size - 1 and the largest
 * address. Those clear every record that binary_record_ok would (sizes of 1 to FIELDS_MAX_SIZE,
 * a power of two, and addresses that cannot wrap with such a size). A batch whose sizes or
 * addresses they do not clear (an operation without an access, such as a fence of size 0, is
 * enough) has its accesses checked exactly by a second pass; only a batch with a bad record, or
 * operations whose OR reaches OP_COUNT, is searched record by record for the first bad one
 * (records after it are overwritten by later calls, never delivered; if there is none, the
 * batch goes whole and trace_batch_info summarises it). Anything else (the end, a truncated or
 * bad record) is left to binary1_next, at the record where it happens. */
_Static_assert((FIELDS_MAX_SIZE & (FIELDS_MAX_SIZE - 1)) == 0, "sizes are checked by an OR");
__attribute__((noinline)) static int binary1_next_batch(trace_t *t, mem_req_t *out, unsigned max)
{
    stream_t *s = trace_stream(t);
    const uint8_t *b;
    size_t whole = stream_peek(s, &b, (size_t)max * BINARY_RECORD_SIZE) / BINARY_RECORD_SIZE;
    uint64_t heads = 0, max_addr = 0;
    uint32_t sizes_less_one = 0;
    /* Four records a turn: the loop's own steps (counter, two pointers, the test) were a fifth
     * of a record's work. */
#pragma GCC unroll 4
    for (size_t i = 0; i < whole; i++) {
        const uint8_t *p = b + i * BINARY_RECORD_SIZE;
        uint64_t head = binary_get64(p), addr = binary_get64(p + 8);
        uint32_t size = (uint32_t)(head >> 32);
        heads |= head;
        sizes_less_one |= size - 1u;
        max_addr = addr > max_addr ? addr : max_addr;
        /* The record's first four bytes are op, flags, cpu: rotated by 16 bits, cpu, op, flags,
         * which above the size make TRACE_FIELDS_WORD's layout. */
        uint32_t cpu_op_flags = (uint32_t)head >> 16 | (uint32_t)head << 16;
        trace_put_fields(&out[i], addr, binary_get64(p + 16),
                         (uint64_t)size | (uint64_t)cpu_op_flags << 32);
    }
    unsigned op_or = (unsigned)heads & 0xffu;
    bool known = op_or < OP_COUNT && !((heads >> 8) & 0xffu & ~(uint64_t)BINARY_FLAGS_KNOWN);
    bool accesses_ok = (!(sizes_less_one & ~(FIELDS_MAX_SIZE - 1u)) &&
                        max_addr <= UINT64_MAX - FIELDS_MAX_SIZE) ||
                       !binary_any_bad_access(out, whole);
    size_t k = whole;
    if (known && accesses_ok)
        trace_set_batch_info(t, (trace_batch_info_t){binary_ops_up_to(op_or),
                                                     (unsigned)(heads >> 16) & 0xffffu});
    else
        for (k = 0; k < whole && binary_record_ok(b + k * BINARY_RECORD_SIZE); k++)
            ;
    if (k == 0)
        return binary1_next(t, out);
    stream_skip(s, k * BINARY_RECORD_SIZE);
    return (int)k;
}

/* ---- version 2 ---------------------------------------------------------------------------- */

/* The control bits that say whether a record states its size, its CPU (when clear) and a
 * value. */
#define BINARY2_STATES (3u << BINARY2_SIZE_SHIFT | BINARY2_SAME_CPU | REQ_HAS_VALUE)

/* Where a version 2 record's fields lie, by control byte (layout): its length (bits 0-7), the
 * offsets of its address delta (8-15: the byte a register's second byte names, which every
 * record reads without a shift), size (16-23) and value (24-31), the right shift that makes the
 * mask of its size (32-39: 0xffffffff >> shift, 32 when the size is the previous record's), and
 * whether the record states none of its size, its CPU and a value (bit 63, the sign, which one
 * instruction tests); and the mask of its address delta's bytes (delta_mask). An absent field's
 * offset is where it would start, so a load of 8 bytes there stays within 8 bytes past the
 * record. One constant object, so that decoding takes no branch on the layout and keeps one
 * address in a register for both tables; the mask is a load rather than a shift made from the
 * layout, which costs three instructions more. */
#define B2_CPU_LEN(c) (((c) & BINARY2_SAME_CPU) ? 0u : 2u)
#define B2_SIZE_LEN(c) ((0x04020100u >> (8 * (((c) >> BINARY2_SIZE_SHIFT) & 3))) & 0xffu)
#define B2_ADDR_LEN(c) ((0x08040201u >> (8 * ((c) >> BINARY2_ADDR_SHIFT))) & 0xffu)
#define B2_VALUE_LEN(c) (((c) & REQ_HAS_VALUE) ? 8u : 0u)
#define B2_SIZE_AT(c) (2u + B2_CPU_LEN(c))
#define B2_ADDR_AT(c) (B2_SIZE_AT(c) + B2_SIZE_LEN(c))
#define B2_VALUE_AT(c) (B2_ADDR_AT(c) + B2_ADDR_LEN(c))
#define B2_LAYOUT(c)                                                                               \
    ((uint64_t)(B2_VALUE_AT(c) + B2_VALUE_LEN(c)) | (uint64_t)B2_ADDR_AT(c) << 8 |                 \
     (uint64_t)B2_SIZE_AT(c) << 16 | (uint64_t)B2_VALUE_AT(c) << 24 |                              \
     (uint64_t)(32u - 8u * B2_SIZE_LEN(c)) << 32 |                                                 \
     (uint64_t)(((c) & BINARY2_STATES) == BINARY2_SAME_CPU) << 63)
#define B2_DELTA_MASK(c) (~0ull >> (64u - 8u * B2_ADDR_LEN(c)))
#define B2_4(f, c) f(c), f((c) + 1), f((c) + 2), f((c) + 3)
#define B2_16(f, c) B2_4(f, c), B2_4(f, (c) + 4), B2_4(f, (c) + 8), B2_4(f, (c) + 12)
#define B2_64(f, c) B2_16(f, c), B2_16(f, (c) + 16), B2_16(f, (c) + 32), B2_16(f, (c) + 48)
#define B2_256(f) B2_64(f, 0u), B2_64(f, 64u), B2_64(f, 128u), B2_64(f, 192u)
static const struct binary2_tables {
    uint64_t layout[256];
    uint64_t delta_mask[256];
} binary2_tables = {{B2_256(B2_LAYOUT)}, {B2_256(B2_DELTA_MASK)}};

/* The length of the version 2 record whose op and control bytes are at p. */
static inline unsigned binary2_length(const uint8_t *p)
{
    return (unsigned)binary2_tables.layout[p[1]] & 0xffu;
}

/* What a run of decoded version 2 records shows of binary2_bad, as binary1_next_batch gathers
 * it: the OR of the operations and of the CPUs (bounds), and, loosely, of every size - 1, and
 * the largest address. */
typedef struct binary2_seen {
    uint64_t max_addr;
    unsigned op_ctl_or, cpus; /* op_ctl_or: of the records' first two bytes, op | control << 8 */
    uint32_t sizes_less_one;
} binary2_seen_t;

/* The address, size and CPU of the version 2 record at p, of binary2_length(p) bytes that lie in
 * what the stream shows (which keeps STREAM_LINE_SLACK readable bytes after it: every load ends
 * within 8 bytes past the record), relative to prev's; its value in *value. No branch on the
 * layout. A size or CPU the record states is also ORed into seen's (when seen is not NULL):
 * one the record takes from prev costs nothing there, so seen's must start from prev's. */
static inline __attribute__((always_inline)) binary2_prev_t
binary2_fields(const uint8_t *p, binary2_prev_t prev, uint64_t *value, binary2_seen_t *seen)
{
    unsigned ctl = p[1];
    uint64_t layout = binary2_tables.layout[ctl];
    uint64_t delta =
        binary_get64(p + ((layout >> 8) & 0xffu)) & binary2_tables.delta_mask[ctl];
    binary2_prev_t f = {.addr = prev.addr + binary_unzigzag(delta),
                        .size = prev.size,
                        .cpu = prev.cpu};
    *value = 0;
    /* Branches: a trace's records state their size and CPU mostly all or mostly none, and
     * values in all of their stores or in none. The common record, which states none of the
     * three, takes one test for them all. */
    if (__builtin_expect((int64_t)layout < 0, 1)) /* bit 63 */
        return f;
    if (ctl & (3u << BINARY2_SIZE_SHIFT)) {
        f.size = (uint32_t)(binary_get32(p + ((layout >> 16) & 0xffu)) &
                            (0xffffffffull >> ((layout >> 32) & 0xffu)));
        if (seen)
            seen->sizes_less_one |= f.size - 1u;
    }
    if (!(ctl & BINARY2_SAME_CPU)) {
        f.cpu = binary_get16(p + 2);
        if (seen)
            seen->cpus |= f.cpu;
    }
    if (ctl & REQ_HAS_VALUE)
        *value = binary_get64(p + ((layout >> 24) & 0xffu));
    return f;
}

/* Whether a version 2 record of op with fields f is bad (nonzero), as binary_record_ok judges
 * version 1's: its flags are always known. */
static inline unsigned binary2_bad(unsigned op, binary2_prev_t f)
{
    unsigned mem = (unsigned)(binary_mem_ops >> (op & 63)) & 1u;
    return (op >= OP_COUNT) |
           (mem & ((f.size - 1u >= FIELDS_MAX_SIZE) | (f.addr + f.size < f.addr)));
}

/* The record's own fields into r (its arg and name are zero: trace_next_batch's, or
 * binary2_next's), from op_ctl, the record's first two bytes (op | control << 8). mem_req_t keeps
 * op and flags adjacent in that order, so on a little-endian host they are stored as one
 * half-word of op_ctl's bits (the compiler does not merge the two stores by itself); elsewhere,
 * field by field. */
static inline __attribute__((always_inline)) void binary2_put(mem_req_t *r, unsigned op_ctl,
                                                               binary2_prev_t f, uint64_t value)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    _Static_assert(offsetof(mem_req_t, flags) == offsetof(mem_req_t, op) + 1,
                   "op and flags are adjacent");
    uint16_t op_flags = (uint16_t)(op_ctl & (0xffu | BINARY_FLAGS_KNOWN << 8));
    memcpy((unsigned char *)r + offsetof(mem_req_t, op), &op_flags, sizeof op_flags);
#else
    r->op = (uint8_t)op_ctl;
    r->flags = (uint8_t)((op_ctl >> 8) & BINARY_FLAGS_KNOWN);
#endif
    r->cpu = (uint16_t)f.cpu;
    r->size = f.size;
    r->addr = f.addr;
    r->value = value;
}

/* One record, with the error that stops a batch: the end, a truncated or bad record. */
static int binary2_next(trace_t *t, binary_state_t *st, mem_req_t *r)
{
    stream_t *s = trace_stream(t);
    const uint8_t *b;
    size_t n = stream_peek(s, &b, BINARY2_MAX_RECORD);
    uint64_t at = stream_offset(s), rec = st->records + 1;
    if (stream_error(s))
        return trace_fail_record(t, rec, at, "%s", stream_error(s));
    if (n == 0)
        return 0;
    unsigned len = n >= 2 ? binary2_length(b) : 2;
    if (len > n)
        return trace_fail_record(t, rec, at,
                                 "truncated: the record needs %u bytes, the file has %zu more "
                                 "(version 2)",
                                 len, n);
    uint64_t value;
    binary2_prev_t f = binary2_fields(b, st->prev, &value, NULL);
    if (b[0] >= OP_COUNT)
        return trace_fail_record(t, rec, at,
                                 "unknown operation %u: expected 0 to %u (rows of ops.def)", b[0],
                                 OP_COUNT - 1);
    if (binary2_bad(b[0], f) && f.size - 1u >= FIELDS_MAX_SIZE)
        return trace_fail_record(t, rec, at + 1, "size %u: expected 1 to %u", f.size,
                                 FIELDS_MAX_SIZE);
    if (binary2_bad(b[0], f))
        return trace_fail_record(t, rec, at + 1,
                                 "access of %u bytes at 0x%llx wraps past the top of the address "
                                 "space", f.size, (unsigned long long)f.addr);
    *r = (mem_req_t){0};
    binary2_put(r, binary_get16(b), f, value);
    st->prev = f;
    st->records++;
    stream_skip(s, len);
    return 1;
}

/* Decode up to max records from b[*pos..avail) into out, relative to *prev, without a check
 * but gathering *seen (when whole is false, stopping before a record that does not lie whole in
 * what the stream shows). Records, with *pos and *prev past them. Inlined twice: with whole
 * true (every record fits), the loop checks no length. */
static inline __attribute__((always_inline)) unsigned
binary2_decode_run(const uint8_t *b, size_t avail, size_t *pos, binary2_prev_t *prev,
                   mem_req_t *out, unsigned max, bool whole, binary2_seen_t *seen)
{
    binary2_prev_t cur = *prev;
    const uint8_t *p = b + *pos, *limit = b + avail;
    mem_req_t *r = out, *end = out + max;
    /* the sizes and CPUs the records take from the previous record's start from cur's: a looser
     * bound (a size or CPU no record takes), never a wrong one */
    binary2_seen_t w = {0, 0, cur.cpu, cur.size - 1u};
    /* four records a turn, as binary1_next_batch */
#pragma GCC unroll 4
    for (; r < end; r++) {
        unsigned len = binary2_length(p);
        if (!whole && (p >= limit || len > (size_t)(limit - p)))
            break;
        uint64_t value;
        cur = binary2_fields(p, cur, &value, &w);
        unsigned op_ctl = binary_get16(p);
        binary2_put(r, op_ctl, cur, value);
        w.op_ctl_or |= op_ctl;
        w.max_addr = cur.addr > w.max_addr ? cur.addr : w.max_addr;
        p += len;
    }
    *pos = (size_t)(p - b);
    *prev = cur;
    *seen = w;
    return (unsigned)(r - out);
}

/* The records that lie whole in one peek, up to max: no call per record. A record is at most
 * BINARY2_MAX_RECORD bytes, so when the peek shows max of those, every record fits and the loop
 * checks no length; else (the file's end is near) each record's length is checked. The decoding
 * gathers what the check needs (binary2_seen_t), as version 1's does: a batch the loose check
 * does not clear has its accesses checked exactly by a second pass, and only a batch with a bad
 * record looks for the first, which ends the batch (the records before it are delivered, and the
 * position and the previous record are theirs); binary2_next reports it, and a truncated one. */
__attribute__((noinline)) static int binary2_next_batch(trace_t *t, binary_state_t *st,
                                                         mem_req_t *out, unsigned max)
{
    stream_t *s = trace_stream(t);
    const uint8_t *b;
    size_t want = (size_t)max * BINARY2_MAX_RECORD;
    size_t avail = stream_peek(s, &b, want), pos = 0;
    binary2_prev_t prev = st->prev;
    binary2_seen_t seen;
    unsigned k = avail == want
                     ? binary2_decode_run(b, avail, &pos, &prev, out, max, true, &seen)
                     : binary2_decode_run(b, avail, &pos, &prev, out, max, false, &seen);
    unsigned op_or = seen.op_ctl_or & 0xffu;
    bool known = op_or < OP_COUNT;
    bool accesses_ok = (!(seen.sizes_less_one & ~(FIELDS_MAX_SIZE - 1u)) &&
                        seen.max_addr <= UINT64_MAX - FIELDS_MAX_SIZE) ||
                       !binary_any_bad_access(out, k);
    bool bad = !(known && accesses_ok);
    if (bad) {
        unsigned good = 0;
        while (good < k && !binary2_bad(out[good].op, (binary2_prev_t){out[good].addr,
                                                                        out[good].size,
                                                                        out[good].cpu}))
            good++;
        /* none bad (operations whose OR reached OP_COUNT): the batch goes whole, and
         * trace_batch_info summarises it */
        if (good < k) {
            k = good;
            for (pos = 0; good > 0; good--)
                pos += binary2_length(b + pos);
            if (k > 0)
                prev = (binary2_prev_t){out[k - 1].addr, out[k - 1].size, out[k - 1].cpu};
        }
    }
    if (k == 0)
        return binary2_next(t, st, out);
    st->prev = prev;
    st->records += k;
    stream_skip(s, pos);
    if (!bad)
        trace_set_batch_info(t, (trace_batch_info_t){binary_ops_up_to(op_or), seen.cpus});
    return (int)k;
}

static int binary_next(trace_t *t, void *state, mem_req_t *r)
{
    binary_state_t *st = state;
    return st->version == BINARY_VERSION_2 ? binary2_next(t, st, r) : binary1_next(t, r);
}

static int binary_next_batch(trace_t *t, void *state, mem_req_t *out, unsigned max)
{
    binary_state_t *st = state;
    return st->version == BINARY_VERSION_2 ? binary2_next_batch(t, st, out, max)
                                           : binary1_next_batch(t, out, max);
}

unsigned binary_trace_record_size(trace_t *t)
{
    const binary_state_t *st = trace_reader_state(t);
    return st->version == BINARY_VERSION_2 ? 0 : BINARY_RECORD_SIZE;
}

const trace_format_t trace_format_binary = {
    .name = "binary",
    .doc = "cohsim binary: 16-byte header (magic COHSIMTR, version 1 or 2), 24-byte little-endian "
           "records (version 1) or 2 to 24 bytes, delta-coded (version 2)",
    .probe = binary_probe,
    .state_size = sizeof(binary_state_t),
    .init = binary_init,
    .next = binary_next,
    .next_batch = binary_next_batch,
    .batch_fields_only = true,
};
