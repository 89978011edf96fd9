/* isa.h: the simulated cores' instruction set (rows of isa/opcodes.def): the decoded form of an
 * instruction, its 8-byte encoding, and its disassembly.
 *
 * Encoding (one little-endian 64-bit word per instruction, ISA_INSN_SIZE bytes):
 *   bits 0-7 opcode | 8-11 rd | 12-15 rs1 | 16-19 rs2 | 20-23 rs3 | 24-31 zero | 32-63 imm
 * A row's format says which fields it uses; every other field must be zero. A word decodes to a
 * row only when (word & mask) == match, and no two rows' (match, mask) pairs overlap (unit test).
 */
#ifndef COHSIM_ISA_H
#define COHSIM_ISA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/op.h"

#define ISA_INSN_SIZE 8u
#define ISA_NREGS 16u

/* Which fields a format uses; the assembler's operand syntax follows in the comment. */
typedef enum isa_format {
    ISA_F_N,   /* (no operands) */
    ISA_F_R,   /* rd */
    ISA_F_RI,  /* rd, imm */
    ISA_F_RR,  /* rd, rs1 */
    ISA_F_RRR, /* rd, rs1, rs2 */
    ISA_F_RRI, /* rd, rs1, imm */
    ISA_F_LD,  /* rd, [rs1+imm] */
    ISA_F_ST,  /* [rs1+imm], rs2 */
    ISA_F_RMW, /* rd, [rs1+imm], rs2 */
    ISA_F_BR,  /* rs1, rs2, target */
    ISA_F_J,   /* target */
    ISA_F_P3,  /* rd, rs1, rs2, rs3 */
    ISA_F_P3I, /* rd, rs1, rs2, rs3, imm */
    ISA_F_COUNT
} isa_format_t;

typedef enum isa_op {
#define INSN(id, name, fmt, opc, size, op, doc) ISA_##id,
#include "isa/opcodes.def"
#undef INSN
    ISA_OP_COUNT
} isa_op_t;

typedef struct isa_info {
    const char *name;
    isa_format_t format;
    uint8_t opcode;
    uint8_t size;   /* bytes a memory instruction accesses */
    op_t mem_op;    /* the machine operation it lowers to; OP_COUNT when none */
    const char *doc;
} isa_info_t;

typedef struct isa_insn {
    isa_op_t op;
    uint8_t rd, rs1, rs2, rs3;
    int32_t imm;
} isa_insn_t;

/* The row of op (op < ISA_OP_COUNT). */
const isa_info_t *isa_info(isa_op_t op);
/* The op spelled name (len bytes, case-sensitive), or ISA_OP_COUNT. */
isa_op_t isa_lookup(const char *name, size_t len);
/* Which bits of a word a row fixes, and their value there. */
uint64_t isa_mask(isa_op_t op);
uint64_t isa_match(isa_op_t op);

/* The word for in (fields the format does not use are written as zero). */
uint64_t isa_encode(const isa_insn_t *in);
/* Decode a word: 0, or -1 when it matches no row. */
int isa_decode(uint64_t word, isa_insn_t *out);
/* The little-endian bytes of a word and back. */
void isa_put_word(uint8_t *bytes, uint64_t word);
uint64_t isa_get_word(const uint8_t *bytes);

/* "ld4 r2, [r1+8]": in as the assembler reads it; a branch target is printed as an absolute
 * address computed from pc. Returns the length snprintf would have written. */
int isa_disasm(const isa_insn_t *in, uint64_t pc, char *buf, size_t len);

#endif
