/* binary.h: the layout of the cohsim binary trace, shared by its reader (binary.c) and the writer
 * (writer.c). Byte by byte in traces/FORMATS.md. All fields little-endian.
 *
 * Header (16 bytes): magic "COHSIMTR", u16 version, u16 record size (version 2: 0, records vary),
 * u32 reserved (0).
 * Version 1 record (24 bytes): u8 op (row of model/ops.def), u8 flags (REQ_*), u16 cpu, u32 size,
 * u64 addr, u64 value.
 * Version 2 record (2 to 24 bytes): u8 op, u8 control (BINARY2_*: flags, whether the CPU and the
 * size are the previous record's, how many bytes the address delta takes), then [u16 cpu],
 * [size in 1, 2 or 4 bytes], the address as the zigzag-coded difference from the previous
 * record's in 1, 2, 4 or 8 bytes, [u64 value when the flags say REQ_HAS_VALUE].
 */
#ifndef COHSIM_BINARY_H
#define COHSIM_BINARY_H

#include <stdint.h>

#define BINARY_MAGIC "COHSIMTR"
#define BINARY_VERSION 1u
#define BINARY_HEADER_SIZE 16u
#define BINARY_RECORD_SIZE 24u
#define BINARY_VERSION_2 2u
/* Version 2's control byte: bits 0-2 the flags (BINARY_FLAGS_KNOWN), bit 3 the CPU is the
 * previous record's (else a u16 follows), bits 4-5 the size (0 the previous record's, 1 to 3: a
 * size of 1, 2 or 4 bytes follows), bits 6-7 the address delta's length (1, 2, 4 or 8 bytes). */
#define BINARY2_SAME_CPU 0x08u
#define BINARY2_SIZE_SHIFT 4
#define BINARY2_ADDR_SHIFT 6
/* The longest version 2 record: op, control, cpu, a 4-byte size, an 8-byte delta, the value. */
#define BINARY2_MAX_RECORD 24u
/* Flags a record may carry. */
#define BINARY_FLAGS_KNOWN (REQ_HAS_VALUE | REQ_NULL_BASE | REQ_MODIFY)

static inline void binary_put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static inline void binary_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline void binary_put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint16_t binary_get16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }

static inline uint32_t binary_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static inline uint64_t binary_get64(const uint8_t *p)
{
    return (uint64_t)binary_get32(p) | ((uint64_t)binary_get32(p + 4) << 32);
}

struct trace;
/* The record size of the binary trace t (a trace of format binary): 24 for version 1, 0 for
 * version 2, whose records vary. */
unsigned binary_trace_record_size(struct trace *t);

/* Version 2's zigzag code of an address difference: small differences of either sign are
 * small numbers. */
static inline uint64_t binary_zigzag(uint64_t delta)
{
    return (delta << 1) ^ (uint64_t)-(int64_t)(delta >> 63);
}

static inline uint64_t binary_unzigzag(uint64_t z) { return (z >> 1) ^ (uint64_t)-(int64_t)(z & 1); }

#endif
