/* binary.c: the cohsim binary trace: a versioned header, then fixed-size little-endian records
 * (layout in binary.h, byte by byte in FORMATS.md). The fast path: no parsing, one copy per record.
 *
 * Errors name the byte offset of the header at fault, or the record (from 1) and its byte.
 * State: none beyond the stream.
 */
#include <stdbool.h>
#include <string.h>

#include "traces/binary.h"
#include "traces/fields.h"
#include "traces/trace.h"

static int binary_probe(const uint8_t *head, size_t len)
{
    return len >= 8 && memcmp(head, BINARY_MAGIC, 8) == 0 ? 100 : 0;
}

static int binary_init(trace_t *t, void *state)
{
    (void)state;
    stream_t *s = trace_stream(t);
    uint8_t h[BINARY_HEADER_SIZE];
    ssize_t n = stream_read(s, h, sizeof h);
    if (n <= 0)
        return trace_fail_at(t, 0, "%s: expected a %u-byte cohsim binary header",
                             n == 0 ? "empty file" : stream_error(s), BINARY_HEADER_SIZE);
    if (memcmp(h, BINARY_MAGIC, 8) != 0)
        return trace_fail_at(t, 0, "bad magic: expected \"%s\"", BINARY_MAGIC);
    uint16_t version = binary_get16(h + 8), recsize = binary_get16(h + 10);
    if (version != BINARY_VERSION)
        return trace_fail_at(t, 8, "version %u: this build reads version %u", version,
                             BINARY_VERSION);
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
static int binary_next(trace_t *t, void *state, mem_req_t *r)
{
    (void)state;
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

/* The records that lie whole in the buffer, up to max, in one peek. Every record is decoded and
 * checked without a branch, the checks gathered for the batch (as binary_record_ok would judge
 * each), with the batch's summary (trace_batch_info). Only a batch with a bad record looks for the first (records
 * after it are overwritten by later calls, never delivered). Anything else (the end, a truncated
 * or bad record) is left to binary_next, at the record where it happens. */
static int binary_next_batch(trace_t *t, void *state, mem_req_t *out, unsigned max)
{
    stream_t *s = trace_stream(t);
    const uint8_t *b;
    size_t whole = stream_peek(s, &b, (size_t)max * BINARY_RECORD_SIZE) / BINARY_RECORD_SIZE;
    uint64_t ops = 0;
    unsigned op_flags = 0, max_cpu = 0, bad_size = 0;
    for (size_t i = 0; i < whole; i++) {
        const uint8_t *p = b + i * BINARY_RECORD_SIZE;
        unsigned head = binary_get16(p), op = head & 0xffu, cpu = binary_get16(p + 2);
        uint32_t size = binary_get32(p + 4);
        uint64_t addr = binary_get64(p + 8);
        op_flags |= head;
        ops |= 1ull << (op & 63);
        max_cpu = cpu > max_cpu ? cpu : max_cpu;
        bad_size |= (unsigned)(binary_mem_ops >> (op & 63)) & 1u &
                    ((size - 1u >= FIELDS_MAX_SIZE) | (addr + size < addr));
        out[i] = (mem_req_t){
            .op = (uint8_t)op,
            .flags = (uint8_t)(head >> 8),
            .cpu = (uint16_t)cpu,
            .size = size,
            .addr = addr,
            .value = binary_get64(p + 16),
        };
    }
    /* Operations 64 and up show in op_flags' bits 6 and 7, those below in ops. */
    uint64_t unknown_ops = OP_COUNT == 64 ? 0 : ~0ull << (OP_COUNT & 63);
    size_t k = whole;
    if ((op_flags & 0xc0u) | (ops & unknown_ops) | ((op_flags >> 8) & ~BINARY_FLAGS_KNOWN) |
        bad_size)
        for (k = 0; k < whole && binary_record_ok(b + k * BINARY_RECORD_SIZE); k++)
            ;
    else
        trace_set_batch_info(t, (trace_batch_info_t){ops, max_cpu});
    if (k == 0)
        return binary_next(t, state, out);
    stream_skip(s, k * BINARY_RECORD_SIZE);
    return (int)k;
}

const trace_format_t trace_format_binary = {
    .name = "binary",
    .doc = "cohsim binary: 16-byte header (magic COHSIMTR, version 1), 24-byte little-endian records",
    .probe = binary_probe,
    .init = binary_init,
    .next = binary_next,
    .next_batch = binary_next_batch,
};
