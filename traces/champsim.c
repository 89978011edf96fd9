/* champsim.c: ChampSim's instruction traces (usually xz-compressed): 64-byte records
 * (struct input_instr in ChampSim's inc/trace_instruction.h), all little-endian:
 *
 *   0  u64 ip                     16 u64 destination_memory[2]
 *   8  u8  is_branch              32 u64 source_memory[4]
 *   9  u8  branch_taken
 *   10 u8  destination_registers[2]
 *   12 u8  source_registers[4]
 *
 * Each record becomes an ifetch of its ip, then a load per nonzero source address, then a store
 * per nonzero destination address, in array order. ChampSim records no access sizes and works
 * on whole lines, so every access is 1 byte (it touches exactly the line ChampSim would).
 * State: the current record and how many of its accesses have been returned.
 */
#include <string.h>

#include "traces/binary.h"
#include "traces/trace.h"

#define CHAMPSIM_RECORD 64u

typedef struct champsim_state {
    mem_req_t pending[7]; /* ifetch, up to 4 loads, up to 2 stores */
    unsigned npending, next;
} champsim_state_t;

/* What a record must be, for the detector and the reader alike: branch bytes 0 or 1 (taken
 * only for a branch) and a nonzero user-space instruction pointer. NULL when it is one, else what
 * is wrong, with *field the offset of the field at fault. */
static const char *champsim_implausible(const uint8_t *r, unsigned *field)
{
    uint64_t ip = binary_get64(r);
    *field = 0;
    if (ip == 0)
        return "ip 0: expected the address of an instruction";
    if (ip >> 56)
        return "ip above 2^56: expected a user-space instruction address";
    *field = 8;
    if (r[8] > 1 || r[9] > 1)
        return "is_branch and branch_taken must each be 0 or 1";
    if (r[9] && !r[8])
        return "branch_taken 1 with is_branch 0";
    return NULL;
}

/* No magic: a plausible start is whole records that pass champsim_implausible, in content that
 * is not text. */
static int champsim_probe(const uint8_t *head, size_t len)
{
    if (len < CHAMPSIM_RECORD)
        return 0;
    size_t n = len / CHAMPSIM_RECORD;
    if (n > 16)
        n = 16;
    unsigned field;
    for (size_t i = 0; i < n; i++)
        if (champsim_implausible(head + i * CHAMPSIM_RECORD, &field))
            return 0;
    return 20;
}

static int champsim_next(trace_t *t, void *state, mem_req_t *r)
{
    champsim_state_t *st = state;
    if (st->next < st->npending) {
        *r = st->pending[st->next++];
        return 1;
    }
    stream_t *s = trace_stream(t);
    uint64_t at = stream_offset(s);
    uint8_t b[CHAMPSIM_RECORD];
    ssize_t n = stream_read(s, b, sizeof b);
    if (n == 0)
        return 0;
    uint64_t rec = at / CHAMPSIM_RECORD + 1;
    if (n < 0)
        return trace_fail_record(t, rec, at, "%s (ChampSim records are %u bytes)",
                                 stream_error(s), CHAMPSIM_RECORD);
    unsigned field;
    const char *why = champsim_implausible(b, &field);
    if (why)
        return trace_fail_record(t, rec, at + field, "%s (ip 0x%llx, is_branch %u, "
                                 "branch_taken %u)", why, (unsigned long long)binary_get64(b),
                                 b[8], b[9]);
    /* Every reader refuses an access that ends past 2^64 - 1 (the machine's address space ends
     * there): a 1-byte access at the last address would. */
    for (unsigned off = 16; off < CHAMPSIM_RECORD; off += 8)
        if (binary_get64(b + off) == UINT64_MAX)
            return trace_fail_record(t, rec, at + off,
                                     "%s_memory address 0xffffffffffffffff: an access there "
                                     "ends past the top of the address space",
                                     off < 32 ? "destination" : "source");
    memset(st->pending, 0, sizeof st->pending);
    st->npending = st->next = 0;
    mem_req_t *p = &st->pending[st->npending++];
    p->op = OP_IFETCH;
    p->addr = binary_get64(b);
    p->size = 1;
    for (unsigned i = 0; i < 4; i++) {
        uint64_t a = binary_get64(b + 32 + 8 * i);
        if (a) {
            p = &st->pending[st->npending++];
            p->op = OP_LOAD;
            p->addr = a;
            p->size = 1;
        }
    }
    for (unsigned i = 0; i < 2; i++) {
        uint64_t a = binary_get64(b + 16 + 8 * i);
        if (a) {
            p = &st->pending[st->npending++];
            p->op = OP_STORE;
            p->addr = a;
            p->size = 1;
        }
    }
    *r = st->pending[st->next++];
    return 1;
}

const trace_format_t trace_format_champsim = {
    .name = "champsim",
    .doc = "ChampSim 64-byte instruction records: an ifetch each, a load per source and a store per "
           "destination address",
    .probe = champsim_probe,
    .state_size = sizeof(champsim_state_t),
    .next = champsim_next,
};
