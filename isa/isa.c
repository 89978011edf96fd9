/* isa.c: the opcode table's rows as data, and the encoder, decoder and disassembler built on it.
 * Everything here is a pure function of the table; no state. */
#include "isa/isa.h"

#include <stdio.h>
#include <string.h>

static const isa_info_t isa_table[ISA_OP_COUNT] = {
#define INSN(id, name, fmt, opc, size, op, doc) {name, fmt, opc, size, op, doc},
#include "isa/opcodes.def"
#undef INSN
};

/* Field masks of the word. */
#define F_OPC 0x00000000000000ffull
#define F_RD 0x0000000000000f00ull
#define F_RS1 0x000000000000f000ull
#define F_RS2 0x00000000000f0000ull
#define F_RS3 0x0000000000f00000ull
#define F_RSV 0x00000000ff000000ull
#define F_IMM 0xffffffff00000000ull

/* The fields each format uses. */
static const uint64_t format_fields[ISA_F_COUNT] = {
    [ISA_F_N] = 0,
    [ISA_F_R] = F_RD,
    [ISA_F_RI] = F_RD | F_IMM,
    [ISA_F_RR] = F_RD | F_RS1,
    [ISA_F_RRR] = F_RD | F_RS1 | F_RS2,
    [ISA_F_RRI] = F_RD | F_RS1 | F_IMM,
    [ISA_F_LD] = F_RD | F_RS1 | F_IMM,
    [ISA_F_ST] = F_RS1 | F_RS2 | F_IMM,
    [ISA_F_RMW] = F_RD | F_RS1 | F_RS2 | F_IMM,
    [ISA_F_BR] = F_RS1 | F_RS2 | F_IMM,
    [ISA_F_J] = F_IMM,
    [ISA_F_P3] = F_RD | F_RS1 | F_RS2 | F_RS3,
    [ISA_F_P3I] = F_RD | F_RS1 | F_RS2 | F_RS3 | F_IMM,
};

const isa_info_t *isa_info(isa_op_t op) { return &isa_table[op]; }

isa_op_t isa_lookup(const char *name, size_t len)
{
    for (unsigned i = 0; i < ISA_OP_COUNT; i++)
        if (strlen(isa_table[i].name) == len && memcmp(isa_table[i].name, name, len) == 0)
            return (isa_op_t)i;
    return ISA_OP_COUNT;
}

uint64_t isa_mask(isa_op_t op) { return ~format_fields[isa_table[op].format]; }
uint64_t isa_match(isa_op_t op) { return isa_table[op].opcode; }

uint64_t isa_encode(const isa_insn_t *in)
{
    uint64_t w = isa_table[in->op].opcode;
    w |= (uint64_t)(in->rd & 15) << 8 | (uint64_t)(in->rs1 & 15) << 12 |
         (uint64_t)(in->rs2 & 15) << 16 | (uint64_t)(in->rs3 & 15) << 20 |
         (uint64_t)(uint32_t)in->imm << 32;
    return w & (format_fields[isa_table[in->op].format] | F_OPC);
}

int isa_decode(uint64_t word, isa_insn_t *out)
{
    for (unsigned i = 0; i < ISA_OP_COUNT; i++) {
        if ((word & isa_mask((isa_op_t)i)) != isa_match((isa_op_t)i))
            continue;
        out->op = (isa_op_t)i;
        out->rd = (uint8_t)(word >> 8 & 15);
        out->rs1 = (uint8_t)(word >> 12 & 15);
        out->rs2 = (uint8_t)(word >> 16 & 15);
        out->rs3 = (uint8_t)(word >> 20 & 15);
        out->imm = (int32_t)(uint32_t)(word >> 32);
        return 0;
    }
    return -1;
}

void isa_put_word(uint8_t *bytes, uint64_t word)
{
    for (unsigned i = 0; i < 8; i++)
        bytes[i] = (uint8_t)(word >> (8 * i));
}

uint64_t isa_get_word(const uint8_t *bytes)
{
    uint64_t w = 0;
    for (unsigned i = 0; i < 8; i++)
        w |= (uint64_t)bytes[i] << (8 * i);
    return w;
}

static void mem_operand(char *buf, size_t len, unsigned rs1, int32_t imm)
{
    if (imm == 0)
        snprintf(buf, len, "[r%u]", rs1);
    else
        snprintf(buf, len, "[r%u%+d]", rs1, imm);
}

int isa_disasm(const isa_insn_t *in, uint64_t pc, char *buf, size_t len)
{
    const isa_info_t *r = &isa_table[in->op];
    char m[32];
    switch (r->format) {
    case ISA_F_N:
        return snprintf(buf, len, "%s", r->name);
    case ISA_F_R:
        return snprintf(buf, len, "%s r%u", r->name, in->rd);
    case ISA_F_RI:
        return snprintf(buf, len, "%s r%u, %d", r->name, in->rd, in->imm);
    case ISA_F_RR:
        return snprintf(buf, len, "%s r%u, r%u", r->name, in->rd, in->rs1);
    case ISA_F_RRR:
        return snprintf(buf, len, "%s r%u, r%u, r%u", r->name, in->rd, in->rs1, in->rs2);
    case ISA_F_RRI:
        return snprintf(buf, len, "%s r%u, r%u, %d", r->name, in->rd, in->rs1, in->imm);
    case ISA_F_LD:
        mem_operand(m, sizeof m, in->rs1, in->imm);
        return snprintf(buf, len, "%s r%u, %s", r->name, in->rd, m);
    case ISA_F_ST:
        mem_operand(m, sizeof m, in->rs1, in->imm);
        return snprintf(buf, len, "%s %s, r%u", r->name, m, in->rs2);
    case ISA_F_RMW:
        mem_operand(m, sizeof m, in->rs1, in->imm);
        return snprintf(buf, len, "%s r%u, %s, r%u", r->name, in->rd, m, in->rs2);
    case ISA_F_BR:
        return snprintf(buf, len, "%s r%u, r%u, 0x%llx", r->name, in->rs1, in->rs2,
                        (unsigned long long)(pc + (uint64_t)(int64_t)in->imm));
    case ISA_F_J:
        return snprintf(buf, len, "%s 0x%llx", r->name,
                        (unsigned long long)(pc + (uint64_t)(int64_t)in->imm));
    case ISA_F_P3:
        return snprintf(buf, len, "%s r%u, r%u, r%u, r%u", r->name, in->rd, in->rs1, in->rs2,
                        in->rs3);
    case ISA_F_P3I:
        return snprintf(buf, len, "%s r%u, r%u, r%u, r%u, %d", r->name, in->rd, in->rs1,
                        in->rs2, in->rs3, in->imm);
    case ISA_F_COUNT:
        break;
    }
    return snprintf(buf, len, "?");
}
