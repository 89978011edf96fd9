/* asm.h: the assembler: source text to a memory image plus an entry point per core.
 *
 * Syntax, one statement per line; '#' or ';' starts a comment:
 *   label:                    a name for the current address (labels and .equ names share one
 *                             namespace per source; any expression may use them, before or after)
 *   MNEMONIC operands         a row of isa/opcodes.def, operands as isa.h's formats say:
 *                             registers r0..r15, memory [rN], [rN+expr], [rN-expr] or [expr]
 *                             (base r0), immediates and branch targets as expressions
 *   .cpu N                    what follows is core N's code; its entry is the first
 *                             instruction after the first .cpu N
 *   .org EXPR                 continue at address EXPR
 *   .align N                  pad with zeros to a multiple of N (a power of two)
 *   .byte/.half/.word/.quad E, ...   data of 1/2/4/8 bytes, little-endian
 *   .zero N                   N zero bytes
 *   .equ NAME, EXPR           a constant
 * An expression is a sum of terms (decimal, 0x hex, 'c', or a name) joined by + and -.
 * .org, .align, .zero and .cpu take only names defined above them.
 *
 * Representation: the image is a list of chunks (address, bytes); chunks never overlap (an
 * overlap is an error naming both places). Entries are set only for cores with a .cpu section,
 * or for the default core when the source has code before any .cpu. The line table maps every
 * byte placed to the source line that placed it (spans in the order they were placed), so a
 * fault or a failed assert at run time can name its line.
 */
#ifndef COHSIM_ASM_H
#define COHSIM_ASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "isa/isa.h"

#define ASM_MAX_CPUS 64

typedef struct asm_chunk {
    uint64_t addr;
    uint8_t *bytes;
    size_t len, cap;
    unsigned line; /* where the chunk starts, for overlap messages */
} asm_chunk_t;

typedef struct asm_symbol {
    char *name;
    uint64_t value;
} asm_symbol_t;

/* Bytes [addr, addr + len) were placed by source line `line`. */
typedef struct asm_span {
    uint64_t addr;
    uint64_t len;
    unsigned line;
} asm_span_t;

typedef struct asm_program {
    asm_chunk_t *chunks;
    size_t nchunks;
    asm_span_t *spans;
    size_t nspans, capspans;
    asm_symbol_t *symbols; /* in the order defined */
    size_t nsymbols, capsymbols;
    /* Hash index over symbols: slot i holds k + 1 for symbols[k], 0 when empty (linear probing;
     * symbol_slots is a power of two at least twice nsymbols). */
    uint32_t *symbol_index;
    size_t symbol_slots;
    bool has_entry[ASM_MAX_CPUS];
    uint64_t entry[ASM_MAX_CPUS];
} asm_program_t;

/* Assemble text (len bytes) from path (for messages). Code before any .cpu belongs to
 * default_cpu and starts at origin. 0, or -1 with "PATH:LINE:COL: message" in err; on error
 * *out holds nothing to free. */
int asm_assemble(const char *path, const char *text, size_t len, uint64_t origin,
                 unsigned default_cpu, asm_program_t *out, char *err, size_t errlen);
/* Read path and assemble it. */
int asm_assemble_file(const char *path, uint64_t origin, unsigned default_cpu,
                      asm_program_t *out, char *err, size_t errlen);
void asm_free(asm_program_t *p);

/* The source line that placed the byte at addr, or 0 when no line did. */
unsigned asm_line_at(const asm_program_t *p, uint64_t addr);

/* The value of a symbol, or false when it is not defined. */
bool asm_symbol(const asm_program_t *p, const char *name, uint64_t *value);

#endif
