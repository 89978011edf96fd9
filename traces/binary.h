/* binary.h: the layout of the cohsim binary trace, shared by its reader (binary.c) and the writer
 * (writer.c). Byte by byte in traces/FORMATS.md. All fields little-endian.
 *
 * Header (16 bytes): magic "COHSIMTR", u16 version, u16 record size, u32 reserved (0).
 * Record (24 bytes): u8 op (row of model/ops.def), u8 flags (REQ_*), u16 cpu, u32 size, u64 addr,
 * u64 value.
 */
#ifndef COHSIM_BINARY_H
#define COHSIM_BINARY_H

#include <stdint.h>

#define BINARY_MAGIC "COHSIMTR"
#define BINARY_VERSION 1u
#define BINARY_HEADER_SIZE 16u
#define BINARY_RECORD_SIZE 24u
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

#endif
