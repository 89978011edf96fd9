/* test_isa.c: the opcode table (no duplicate or overlapping encodings), encoder/decoder and
 * disassembler round trips, the assembler and its errors, and the interpreter driven by a flat
 * memory standing in for the machine. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "isa/asm.h"
#include "isa/interp.h"
#include "isa/isa.h"

/* Two rows overlap when some word satisfies both: they agree on every bit both of them fix. */
static bool rows_overlap(uint64_t match_a, uint64_t mask_a, uint64_t match_b, uint64_t mask_b)
{
    return ((match_a ^ match_b) & mask_a & mask_b) == 0;
}

Test(isa, table_has_no_duplicate_or_overlapping_encodings)
{
    for (unsigned i = 0; i < ISA_OP_COUNT; i++) {
        cr_assert_eq(isa_match(i) & ~isa_mask(i), 0, "%s: match outside its mask",
                     isa_info(i)->name);
        cr_assert_eq(isa_lookup(isa_info(i)->name, strlen(isa_info(i)->name)), (isa_op_t)i,
                     "%s: name is not unique", isa_info(i)->name);
        for (unsigned j = i + 1; j < ISA_OP_COUNT; j++) {
            cr_assert_not(rows_overlap(isa_match(i), isa_mask(i), isa_match(j), isa_mask(j)),
                          "%s and %s overlap: a word can decode as either", isa_info(i)->name,
                          isa_info(j)->name);
        }
    }
}

Test(isa, overlap_check_catches_an_overlap)
{
    /* the check above can fail: a duplicate row, or a row whose fixed bits a wider row leaves
     * free (opcode 0x10 with all of byte 1 fixed vs opcode 0x10 with byte 1 free) */
    cr_assert(rows_overlap(isa_match(ISA_ADD), isa_mask(ISA_ADD), isa_match(ISA_ADD),
                           isa_mask(ISA_ADD)));
    cr_assert(rows_overlap(0x0010, 0xffff, 0x0310, 0x00ff));
    cr_assert_not(rows_overlap(0x0010, 0x00ff, 0x0011, 0x00ff));
}

Test(isa, encode_decode_disasm_assemble_round_trip)
{
    for (unsigned i = 0; i < ISA_OP_COUNT; i++) {
        isa_insn_t in = {.op = i, .rd = 3, .rs1 = 5, .rs2 = 7, .rs3 = 9, .imm = -24};
        uint64_t w = isa_encode(&in);
        cr_assert_eq(w & isa_mask(i), isa_match(i), "%s: encoding not in its own mask",
                     isa_info(i)->name);
        isa_insn_t back;
        cr_assert_eq(isa_decode(w, &back), 0);
        cr_assert_eq(back.op, (isa_op_t)i, "%s decodes as %s", isa_info(i)->name,
                     isa_info(back.op)->name);
        cr_assert_eq(isa_encode(&back), w);
        /* the disassembly assembles back to the same word at the same address */
        char text[128], src[160], err[256];
        isa_disasm(&back, 0x1000, text, sizeof text);
        snprintf(src, sizeof src, "%s\n", text);
        asm_program_t p;
        cr_assert_eq(asm_assemble("rt.s", src, strlen(src), 0x1000, 0, &p, err, sizeof err), 0,
                     "'%s': %s", text, err);
        cr_assert_eq(p.nchunks, 1);
        cr_assert_eq(isa_get_word(p.chunks[0].bytes), w, "'%s' reassembles differently", text);
        asm_free(&p);
    }
    /* an unused field that is not zero does not decode */
    isa_insn_t nop = {.op = ISA_NOP};
    isa_insn_t out;
    cr_assert_eq(isa_decode(isa_encode(&nop) | 1ull << 40, &out), -1);
    cr_assert_eq(isa_decode(0xff, &out), -1);
}

static void expect_asm_error(const char *src, const char *want)
{
    asm_program_t p;
    char err[256];
    cr_assert_eq(asm_assemble("e.s", src, strlen(src), 0x1000, 0, &p, err, sizeof err), -1,
                 "accepted: %s", src);
    cr_assert(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
}

Test(isa, assembler_errors)
{
    expect_asm_error("  bogus r1\n", "e.s:1:3: unknown instruction 'bogus'");
    expect_asm_error("li r16, 1\n", "e.s:1:4: expected a register r0..r15");
    expect_asm_error("li r1 1\n", "e.s:1:7: expected ',' between operands");
    expect_asm_error("jmp nowhere\n", "e.s:1:5: undefined name 'nowhere'");
    expect_asm_error("x:\nx: nop\n", "e.s:2:1: 'x' is defined twice");
    expect_asm_error("ld4 r1, [r2+4\n", "e.s:1:14: expected ']' closing the memory operand");
    expect_asm_error("li r1, 0x100000000\n", "e.s:1:8: value 0x100000000 does not fit");
    expect_asm_error(".org later\nlater:\n", "e.s:1:6: this expression must use only names");
    expect_asm_error(".byte 256\n", "e.s:1:7: value does not fit 1 byte");
    expect_asm_error(".cpu 99\n", "e.s:1:6: .cpu 99: expected 0 to 63");
    expect_asm_error("nop\n.org 0x1000\nnop\n", "e.s:3: the bytes placed here at 0x1000 overlap");
    expect_asm_error("halt r1\n", "e.s:1:6: unexpected text after the operands of halt");
    expect_asm_error(".frob 1\n", "e.s:1:1: unknown directive '.frob'");
    expect_asm_error("nop\n.byte 1\n  halt\n",
                     "e.s:3:3: instruction at 0x1009 is not on an 8-byte boundary");
}

Test(isa, assembler_sections_labels_and_data)
{
    const char *src = "# two cores\n"
                      ".equ flag, 0x8000\n"
                      ".cpu 1\n"
                      "start1: li r1, flag ; the address\n"
                      "        st4 [r1], r2\n"
                      "        halt\n"
                      ".cpu 0\n"
                      "        jmp done\n"
                      "done:   halt\n"
                      ".org 0x9000\n"
                      "table:  .byte 1, 'a'\n"
                      "        .align 4\n"
                      "        .word table+4, -1\n"
                      "        .quad 0x1122334455667788\n";
    asm_program_t p;
    char err[256];
    cr_assert_eq(asm_assemble("s.s", src, strlen(src), 0x1000, 0, &p, err, sizeof err), 0, "%s",
                 err);
    cr_assert(p.has_entry[0] && p.has_entry[1]);
    cr_assert_not(p.has_entry[2]);
    cr_assert_eq(p.entry[1], 0x1000);
    cr_assert_eq(p.entry[0], 0x1018);
    uint64_t v;
    cr_assert(asm_symbol(&p, "done", &v));
    cr_assert_eq(v, 0x1020);
    cr_assert_eq(p.nchunks, 2);
    cr_assert_eq(p.chunks[1].addr, 0x9000);
    cr_assert_eq(p.chunks[1].len, 4 + 8 + 8);
    const uint8_t want[] = {1, 'a', 0, 0, 0x04, 0x90, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x88, 0x77};
    cr_assert_eq(memcmp(p.chunks[1].bytes, want, sizeof want), 0);
    isa_insn_t j;
    cr_assert_eq(isa_decode(isa_get_word(p.chunks[0].bytes + 0x18), &j), 0);
    cr_assert_eq(j.op, ISA_JMP);
    cr_assert_eq(j.imm, 8);
    asm_free(&p);
}

/* ---- the interpreter over a flat memory ---------------------------------------------------- */

typedef struct flat {
    uint8_t mem[0x10000];
    unsigned nfetch, nload, nstore, nrmw, nfence, nprim;
    mem_req_t fic, cc;
    char cc_name[16];
} flat_t;

static uint64_t flat_read(const flat_t *f, uint64_t a, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v |= (uint64_t)f->mem[(a + i) & 0xffff] << (8 * i);
    return v;
}

static void flat_write(flat_t *f, uint64_t a, unsigned n, uint64_t v)
{
    for (unsigned i = 0; i < n; i++)
        f->mem[(a + i) & 0xffff] = (uint8_t)(v >> (8 * i));
}

/* Round-robin the cores one request at a time; every request completes at once. */
static void flat_run(flat_t *f, isa_core_t *cores, unsigned n)
{
    bool live[8] = {0};
    for (unsigned i = 0; i < n; i++)
        live[i] = true;
    for (unsigned left = n; left;) {
        for (unsigned i = 0; i < n; i++) {
            if (!live[i])
                continue;
            mem_req_t r;
            int rc = isa_core_next(&cores[i], &r);
            if (rc <= 0) {
                live[i] = false;
                left--;
                continue;
            }
            req_result_t res = {0};
            switch (r.op) {
            case OP_IFETCH: f->nfetch++; res.value = flat_read(f, r.addr, r.size); break;
            case OP_LOAD: f->nload++; res.value = flat_read(f, r.addr, r.size); break;
            case OP_STORE: f->nstore++; flat_write(f, r.addr, r.size, r.value); break;
            case OP_RMW:
                f->nrmw++;
                res.value = flat_read(f, r.addr, r.size);
                flat_write(f, r.addr, r.size, op_rmw_result(&r, res.value));
                break;
            case OP_FENCE: f->nfence++; break;
            case OP_FLUSH_INSTRUCTION_CACHE: f->nprim++; f->fic = r; res.value = 1; break;
            case OP_CC_COHERENCY_FLUSH_AND_PURGE:
                f->nprim++;
                f->cc = r;
                snprintf(f->cc_name, sizeof f->cc_name, "%s", r.name ? r.name : "");
                res.value = 1;
                break;
            default: f->nprim++; res.value = 1; break;
            }
            isa_core_done(&cores[i], &r, &res);
        }
    }
}

static void load(flat_t *f, const char *src, asm_program_t *p)
{
    char err[256];
    cr_assert_eq(asm_assemble("t.s", src, strlen(src), 0x1000, 0, p, err, sizeof err), 0, "%s",
                 err);
    for (size_t k = 0; k < p->nchunks; k++)
        memcpy(f->mem + p->chunks[k].addr, p->chunks[k].bytes, p->chunks[k].len);
}

/* Assemble src into f's cleared memory and run its core 0 alone to its halt, or to max
 * instructions. p keeps the program (the core's image, where file names are read) for the caller
 * to free. */
static void run_alone(flat_t *f, const char *src, asm_program_t *p, isa_core_t *c, uint64_t max)
{
    memset(f, 0, sizeof *f);
    load(f, src, p);
    isa_core_init(c, 0, p->entry[0], max);
    c->image = p;
    flat_run(f, c, 1);
}

Test(isa, interpreter_runs_a_spinlock_on_two_cores)
{
    static flat_t f;
    memset(&f, 0, sizeof f);
    const char *src = ".equ lock, 0x8000\n"
                      ".equ count, 0x8040\n"
                      ".cpu 0\n"
                      "        li r5, 10\n"
                      "        jmp loop\n"
                      ".cpu 1\n"
                      "        li r5, 10\n"
                      "loop:   li r2, 1\n"
                      "spin:   xchg4 r1, [lock], r2\n"
                      "        bne r1, r0, spin\n"
                      "        ld4 r3, [count]\n"
                      "        addi r3, r3, 1\n"
                      "        st4 [count], r3\n"
                      "        st4 [lock], r0\n"
                      "        addi r5, r5, -1\n"
                      "        bne r5, r0, loop\n"
                      "        fence\n"
                      "        ld4 r4, [count]\n"
                      "        halt\n";
    asm_program_t p;
    load(&f, src, &p);
    isa_core_t c[2];
    isa_core_init(&c[0], 0, p.entry[0], 100000);
    isa_core_init(&c[1], 1, p.entry[1], 100000);
    flat_run(&f, c, 2);
    cr_assert_not(c[0].failed, "%s", c[0].err);
    cr_assert_not(c[1].failed, "%s", c[1].err);
    cr_assert_eq(flat_read(&f, 0x8040, 4), 20);
    cr_assert_eq(f.nfence, 2);
    cr_assert_geq(f.nrmw, 20);
    asm_free(&p);
}

Test(isa, interpreter_executes_code_it_wrote)
{
    static flat_t f;
    /* build "li r7, 42" from its halves and store it over the nop that follows */
    isa_insn_t li = {.op = ISA_LI, .rd = 7, .imm = 42};
    uint64_t w = isa_encode(&li);
    char src[512];
    snprintf(src, sizeof src,
             "        li r1, %u\n"
             "        li r2, %u\n"
             "        shli r2, r2, 32\n"
             "        or r1, r1, r2\n"
             "        st8 [patch], r1\n"
             "patch:  nop\n"
             "        assert r7, 42\n"
             "        assert r7, 43\n"
             "        halt\n",
             (unsigned)(w & 0x7fffffff), (unsigned)(w >> 32));
    /* both halves of this encoding are below 2^31, so li does not sign-extend them */
    cr_assert_eq(w & 0x80000000u, 0);
    cr_assert_eq(w >> 63, 0);
    asm_program_t p;
    isa_core_t c;
    run_alone(&f, src, &p, &c, 1000);
    cr_assert_not(c.failed, "%s", c.err);
    cr_assert_eq(c.reg[7], 42);
    cr_assert_eq(c.asserts, 2);
    cr_assert_eq(c.asserts_failed, 1);
    cr_assert(strstr(c.assert_msg, "r7 = 42, expected 43") != NULL, "%s", c.assert_msg);
    asm_free(&p);
}

Test(isa, interpreter_lowers_primitives_and_reports_errors)
{
    static flat_t f;
    const char *src = "        li r1, 7\n"
                      "        li r3, 4096\n"
                      "        FlushInstructionCache r4, r1, r0, r3\n"
                      "        li r2, fname\n"
                      "        CcCoherencyFlushAndPurgeCache r5, r2, r3, r3, 1\n"
                      "        FlushProcessWriteBuffers\n"
                      "        ld4 r6, [0x8002]\n"
                      "        halt\n"
                      "fname:  .byte 'd', 'b', 0\n";
    asm_program_t p;
    isa_core_t c;
    run_alone(&f, src, &p, &c, 1000);
    cr_assert_eq(f.nprim, 3);
    cr_assert_eq(f.fic.op, OP_FLUSH_INSTRUCTION_CACHE);
    cr_assert_eq(f.fic.arg[0], 7);
    cr_assert_eq(f.fic.arg[1], 4096);
    cr_assert(f.fic.flags & REQ_NULL_BASE);
    cr_assert_str_eq(f.cc_name, "db");
    cr_assert_eq(f.cc.addr, 4096);
    cr_assert_eq(f.cc.arg[2], 1);
    cr_assert_eq(c.reg[4], 1);
    cr_assert_eq(c.reg[5], 1);
    cr_assert(c.failed);
    cr_assert(strstr(c.err, "ld4 at 0x8002: not aligned to 4 bytes") != NULL, "%s", c.err);
    asm_free(&p);

    /* an endless loop stops at the instruction limit with a message */
    run_alone(&f, "x: jmp x\n", &p, &c, 50);
    cr_assert(c.failed);
    cr_assert(strstr(c.err, "stopped after 50 instructions") != NULL, "%s", c.err);
    asm_free(&p);
}

Test(isa, interpreter_computes_every_alu_row_and_branch)
{
    static flat_t f;
    /* Operands that tell the rows apart: r1 = -7 is negative signed and huge unsigned, and the
     * shift count 65 is 1 once masked to 6 bits. Each result is asserted where it is made. */
    const char *src = "        li r1, -7\n"
                      "        li r2, 3\n"
                      "        li r3, 65\n"
                      "        mov r4, r1\n"
                      "        assert r4, -7\n"
                      "        sub r5, r2, r1\n"
                      "        assert r5, 10\n"
                      "        and r5, r1, r2\n"
                      "        assert r5, 1\n"
                      "        or r5, r1, r2\n"
                      "        assert r5, -5\n"
                      "        xor r5, r1, r2\n"
                      "        assert r5, -6\n"
                      "        shl r5, r2, r3\n"
                      "        assert r5, 6\n"
                      "        shr r5, r1, r3\n" /* logical: 0x7ffffffffffffffc */
                      "        shri r6, r5, 60\n"
                      "        assert r6, 7\n"
                      "        andi r6, r5, 15\n"
                      "        assert r6, 12\n"
                      "        mul r5, r1, r2\n"
                      "        assert r5, -21\n"
                      "        slt r5, r1, r2\n"
                      "        assert r5, 1\n"
                      "        sltu r5, r1, r2\n"
                      "        assert r5, 0\n"
                      "        slt r5, r2, r1\n"
                      "        assert r5, 0\n"
                      "        sltu r5, r2, r1\n"
                      "        assert r5, 1\n"
                      "        andi r5, r1, 0xff\n"
                      "        assert r5, 249\n"
                      "        ori r5, r2, 0x10\n"
                      "        assert r5, 19\n"
                      "        xori r5, r1, -1\n"
                      "        assert r5, 6\n"
                      "        shli r5, r2, 66\n"
                      "        assert r5, 12\n"
                      "        shri r5, r1, 124\n" /* 124 & 63 = 60 */
                      "        assert r5, 15\n"
                      "        muli r5, r1, -3\n"
                      "        assert r5, 21\n"
                      "        addi r0, r2, 1\n" /* r0 ignores writes */
                      "        assert r0, 0\n"
                      /* each branch once taken and once not; `bad` counts a wrong turn */
                      "        li r8, 0\n"
                      "        blt r1, r2, t1\n"
                      "        addi r8, r8, 1\n"
                      "t1:     blt r2, r1, bad\n"
                      "        blt r1, r1, bad\n"
                      "        bltu r1, r2, bad\n"
                      "        bltu r1, r1, bad\n"
                      "        bltu r2, r1, t2\n"
                      "        addi r8, r8, 1\n"
                      "t2:     bge r1, r2, bad\n"
                      "        bge r1, r1, t3\n"
                      "        addi r8, r8, 1\n"
                      "t3:     bge r2, r1, t4\n"
                      "        addi r8, r8, 1\n"
                      "t4:     bgeu r2, r1, bad\n"
                      "        bgeu r1, r2, t5\n"
                      "        addi r8, r8, 1\n"
                      "t5:     bgeu r1, r1, t6\n"
                      "        addi r8, r8, 1\n"
                      "t6:     beq r1, r2, bad\n"
                      "        beq r1, r4, t7\n"
                      "        addi r8, r8, 1\n"
                      "t7:     bne r1, r4, bad\n"
                      "        assert r8, 0\n"
                      "        halt\n"
                      "bad:    addi r8, r8, 100\n"
                      "        assert r8, 0\n"
                      "        halt\n";
    asm_program_t p;
    isa_core_t c;
    run_alone(&f, src, &p, &c, 1000);
    cr_assert_not(c.failed, "%s", c.err);
    cr_assert_eq(c.asserts_failed, 0, "%s", c.assert_msg);
    cr_assert_eq(c.asserts, 21, "the program took a wrong turn: %llu asserts",
                 (unsigned long long)c.asserts);
    cr_assert_eq(c.reg[8], 0);
    asm_free(&p);
}

Test(isa, assembler_maps_every_placed_byte_to_its_line)
{
    const char *src = "# a comment line\n"         /* 1 */
                      "start:  li r1, 1\n"         /* 2: 0x1000 */
                      "        addi r1, r1, 1\n"   /* 3: 0x1008 */
                      "\n"                         /* 4 */
                      "        .org 0x2000\n"      /* 5 */
                      "data:   .word 1, 2, 3\n"    /* 6: 0x2000 .. 0x200b */
                      "        .byte 9\n"          /* 7: 0x200c */
                      "        .org 0x1010\n"      /* 8 */
                      "        halt\n";            /* 9: 0x1010 */
    asm_program_t p;
    char err[256];
    cr_assert_eq(asm_assemble("l.s", src, strlen(src), 0x1000, 0, &p, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(asm_line_at(&p, 0x1000), 2);
    cr_assert_eq(asm_line_at(&p, 0x1007), 2);
    cr_assert_eq(asm_line_at(&p, 0x1008), 3);
    cr_assert_eq(asm_line_at(&p, 0x2000), 6);
    cr_assert_eq(asm_line_at(&p, 0x200b), 6);
    cr_assert_eq(asm_line_at(&p, 0x200c), 7);
    cr_assert_eq(asm_line_at(&p, 0x1010), 9);
    cr_assert_eq(asm_line_at(&p, 0x1018), 0, "no line placed this byte");
    cr_assert_eq(asm_line_at(&p, 0x0fff), 0);
    asm_free(&p);
}

/* The symbol table is a hash table: 80,000 names (each .equ, then one use of the last, then a
 * redefinition) assemble in well under the bound; the list it replaced took 23 to 30 s of CPU
 * for this, so the bound (CPU time, 100 times the hash table's under the sanitizers) fails it. */
Test(isa, assembler_symbol_table_scales)
{
    enum { NSYMS = 80000 };
    size_t cap = (size_t)NSYMS * 32 + 256, n = 0;
    char *src = malloc(cap);
    cr_assert_not_null(src);
    for (unsigned i = 0; i < NSYMS; i++)
        n += (size_t)snprintf(src + n, cap - n, ".equ sym%u, %u\n", i, 3 * i);
    n += (size_t)snprintf(src + n, cap - n, "        li r1, sym%u\n        halt\n", NSYMS - 1);
    static asm_program_t p;
    char err[256];
    clock_t start = clock();
    cr_assert_eq(asm_assemble("many.s", src, n, 0x1000, 0, &p, err, sizeof err), 0, "%s", err);
    double seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    cr_assert_lt(seconds, 5.0, "80,000 symbols took %.1f s of CPU", seconds);
    cr_assert_eq(p.nsymbols, NSYMS);
    for (unsigned i = 0; i < NSYMS; i += 7919) {
        char name[32];
        uint64_t v = 0;
        snprintf(name, sizeof name, "sym%u", i);
        cr_assert(asm_symbol(&p, name, &v), "%s not found", name);
        cr_assert_eq(v, 3ull * i);
    }
    uint64_t v;
    cr_assert_not(asm_symbol(&p, "sym", &v));
    cr_assert_not(asm_symbol(&p, "sym800000", &v));
    asm_free(&p);
    n += (size_t)snprintf(src + n, cap - n, ".equ sym40000, 1\n");
    cr_assert_eq(asm_assemble("many.s", src, n, 0x1000, 0, &p, err, sizeof err), -1);
    cr_assert(strstr(err, "many.s:80003:") && strstr(err, "'sym40000' is defined twice"), "%s",
              err);
    free(src);
}

/* A primitive's instruction has an operand for every argument of its PRIM row in ops.def (rs1,
 * rs2, rs3, then imm), and the lowering puts each where the row says. */
Test(isa, primitive_operands_follow_ops_def_layouts)
{
    for (unsigned op = 0; op < ISA_OP_COUNT; op++) {
        const isa_info_t *info = isa_info((isa_op_t)op);
        if (info->mem_op == OP_COUNT || op_class(info->mem_op) != OPC_PRIMITIVE)
            continue;
        unsigned n, required;
        const op_arg_t *a = op_args(info->mem_op, &n, &required);
        cr_assert_not_null(a, "%s", info->name);
        unsigned operands = info->format == ISA_F_P3I ? 4 : info->format == ISA_F_P3 ? 3 : 0;
        cr_assert_geq(operands, n, "%s: %u arguments, %u operands", info->name, n, operands);
        isa_insn_t in = {.op = (isa_op_t)op, .rd = 1, .rs1 = 2, .rs2 = 3, .rs3 = 4, .imm = 1};
        uint64_t reg[ISA_NREGS] = {0};
        reg[2] = 0x1000, reg[3] = 0x2000, reg[4] = 0x3000;
        const uint64_t want[4] = {0x1000, 0x2000, 0x3000, 1};
        mem_req_t r;
        char err[128];
        cr_assert_eq(isa_lower(&in, reg, 0, &r, err, sizeof err), 0, "%s: %s", info->name, err);
        cr_assert_eq(r.op, info->mem_op);
        cr_assert_not(r.flags & REQ_NULL_BASE);
        for (unsigned i = 0; i < n; i++)
            if (a[i].kind != OPARG_FILE)
                cr_assert_eq(op_arg_get(&r, &a[i]), want[i], "%s: argument %u", info->name, i);
        /* r0 as a base or offset passes NULL */
        const op_arg_t *base = op_arg_of(info->mem_op, OPARG_BASE);
        if (!base)
            base = op_arg_of(info->mem_op, OPARG_OFFSET);
        if (base) {
            cr_assert_eq(base - a, 1, "%s: the base is rs2", info->name);
            in.rs2 = 0;
            cr_assert_eq(isa_lower(&in, reg, 0, &r, err, sizeof err), 0);
            cr_assert(r.flags & REQ_NULL_BASE, "%s", info->name);
        }
    }
}
