/* interp.c: one core's fetch-decode-execute loop over machine requests (see interp.h). */
#include "isa/interp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void isa_core_init(isa_core_t *c, unsigned cpu, uint64_t entry, uint64_t max_insns)
{
    memset(c, 0, sizeof *c);
    c->cpu = cpu;
    c->pc = entry;
    c->phase = ISA_FETCH;
    c->max_insns = max_insns;
}

core_source_t isa_core_source(isa_core_t *c)
{
    return (core_source_t){.next = isa_core_next, .done = isa_core_done, .opaque = c};
}

bool isa_is_local(const isa_insn_t *in) { return isa_info(in->op)->mem_op == OP_COUNT; }

static uint64_t imm64(const isa_insn_t *in) { return (uint64_t)(int64_t)in->imm; }

uint64_t isa_exec_local(const isa_insn_t *in, uint64_t *reg, uint64_t pc, bool *assert_failed)
{
    uint64_t a = reg[in->rs1], b = reg[in->rs2], next = pc + ISA_INSN_SIZE;
    uint64_t target = pc + imm64(in);
    uint64_t *d = &reg[in->rd];
    *assert_failed = false;
    switch (in->op) {
    case ISA_NOP:
    case ISA_HALT:
        break;
    case ISA_LI: *d = imm64(in); break;
    case ISA_MOV: *d = a; break;
    case ISA_ADD: *d = a + b; break;
    case ISA_SUB: *d = a - b; break;
    case ISA_AND: *d = a & b; break;
    case ISA_OR: *d = a | b; break;
    case ISA_XOR: *d = a ^ b; break;
    case ISA_SHL: *d = a << (b & 63); break;
    case ISA_SHR: *d = a >> (b & 63); break;
    case ISA_MUL: *d = a * b; break;
    case ISA_SLT: *d = (int64_t)a < (int64_t)b; break;
    case ISA_SLTU: *d = a < b; break;
    case ISA_ADDI: *d = a + imm64(in); break;
    case ISA_ANDI: *d = a & imm64(in); break;
    case ISA_ORI: *d = a | imm64(in); break;
    case ISA_XORI: *d = a ^ imm64(in); break;
    case ISA_SHLI: *d = a << (in->imm & 63); break;
    case ISA_SHRI: *d = a >> (in->imm & 63); break;
    case ISA_MULI: *d = a * imm64(in); break;
    case ISA_BEQ: next = a == b ? target : next; break;
    case ISA_BNE: next = a != b ? target : next; break;
    case ISA_BLT: next = (int64_t)a < (int64_t)b ? target : next; break;
    case ISA_BGE: next = (int64_t)a >= (int64_t)b ? target : next; break;
    case ISA_BLTU: next = a < b ? target : next; break;
    case ISA_BGEU: next = a >= b ? target : next; break;
    case ISA_JMP: next = target; break;
    case ISA_ASSERT: *assert_failed = reg[in->rd] != imm64(in); break;
    default: break; /* non-local rows are lowered, not executed here */
    }
    reg[0] = 0;
    return next;
}

/* A primitive's arguments from its operands, by its PRIM row in model/ops.def: slot i comes from
 * rs1, rs2, rs3, then imm; a base or offset given as r0 is NULL (REQ_NULL_BASE); a file slot is
 * read from the image at issue (name_reg). false when op has no layout. */
static bool lower_primitive(const isa_insn_t *in, const uint64_t *reg, mem_req_t *out)
{
    unsigned n, required;
    const op_arg_t *a = op_args((op_t)out->op, &n, &required);
    if (!a)
        return false;
    const unsigned rs[3] = {in->rs1, in->rs2, in->rs3};
    for (unsigned i = 0; i < n; i++) {
        if (a[i].kind == OPARG_FILE)
            continue;
        uint64_t v = i < 3 ? reg[rs[i]] : (uint64_t)(uint32_t)in->imm;
        if ((a[i].kind == OPARG_BASE || a[i].kind == OPARG_OFFSET) && i < 3 && rs[i] == 0)
            out->flags |= REQ_NULL_BASE;
        op_arg_put(out, &a[i], v);
    }
    return true;
}

int isa_lower(const isa_insn_t *in, const uint64_t *reg, unsigned cpu, mem_req_t *out,
              char *err, size_t errlen)
{
    const isa_info_t *info = isa_info(in->op);
    memset(out, 0, sizeof *out);
    out->op = (uint8_t)info->mem_op;
    out->cpu = (uint16_t)cpu;
    switch (info->mem_op) {
    case OP_LOAD:
    case OP_STORE:
    case OP_RMW: {
        uint64_t addr = reg[in->rs1] + imm64(in);
        if (addr & (info->size - 1u)) {
            snprintf(err, errlen, "%s at 0x%llx: not aligned to %u bytes", info->name,
                     (unsigned long long)addr, info->size);
            return -1;
        }
        out->addr = addr;
        out->size = info->size;
        if (info->mem_op != OP_LOAD) {
            uint64_t v = reg[in->rs2];
            if (info->size < 8)
                v &= ((uint64_t)1 << (8 * info->size)) - 1;
            out->value = v;
            out->flags = REQ_HAS_VALUE;
        }
        if (info->mem_op == OP_RMW) {
            switch (in->op) {
            case ISA_XCHG4: case ISA_XCHG8: out->arg[0] = RMW_XCHG; break;
            case ISA_LOR4: case ISA_LOR8: out->arg[0] = RMW_OR; break;
            case ISA_LXOR4: case ISA_LXOR8: out->arg[0] = RMW_XOR; break;
            case ISA_CAS4: case ISA_CAS8:
                out->arg[0] = RMW_CMPXCHG, out->arg[1] = reg[in->rd]; /* the expected value */
                break;
            default: out->arg[0] = RMW_ADD; break;
            }
        }
        return 0;
    }
    case OP_FENCE:
        return 0;
    /* the OS set-up's slots (DIRECTIVE rows of model/ops.def), from the operands opcodes.def
     * gives them; a file name is read from the image at issue (name_reg) */
    case OP_OS_PROCESS:
        OP_ARG(out, OS_PROCESS, PID) = reg[in->rs1];
        OP_ARG(out, OS_PROCESS, CPUS) = reg[in->rs2];
        return 0;
    case OP_OS_FILE:
        OP_ARG(out, OS_FILE, SIZE) = reg[in->rs2];
        return 0;
    case OP_OS_MAP:
        OP_ARG(out, OS_MAP, PID) = (uint64_t)(uint32_t)in->imm;
        op_arg_put(out, op_arg_of(OP_OS_MAP, OPARG_BASE), reg[in->rs2]);
        OP_ARG(out, OS_MAP, OFFSET) = reg[in->rs3];
        OP_ARG(out, OS_MAP, SIZE) = 0; /* to the end of the file */
        return 0;
    case OP_OS_ACQUIRE:
    case OP_OS_RELEASE:
        return 0;
    default:
        if (op_class(info->mem_op) == OPC_PRIMITIVE && lower_primitive(in, reg, out))
            return 0;
        snprintf(err, errlen, "%s: no lowering for %s", info->name, op_name(info->mem_op));
        return -1;
    }
}

/* The register holding the address of the file name op takes, or -1 when it takes none: a
 * primitive's file slot (model/ops.def), rs1 for the OS set-up whose row has a file slot. */
static int name_reg(const isa_insn_t *in, op_t op)
{
    if (op_class(op) == OPC_OS && op_arg_of(op, OPARG_FILE))
        return in->rs1;
    unsigned n, required;
    const op_arg_t *a = op_args(op, &n, &required);
    for (unsigned i = 0; i < n && i < 3; i++)
        if (a[i].kind == OPARG_FILE)
            return i == 0 ? in->rs1 : i == 1 ? in->rs2 : in->rs3;
    return -1;
}

/* The NUL-terminated string at addr in the image, copied into buf. 0, or -1. */
static int image_string(const asm_program_t *img, uint64_t addr, char *buf, size_t len)
{
    for (size_t k = 0; img && k < img->nchunks; k++) {
        const asm_chunk_t *c = &img->chunks[k];
        if (addr < c->addr || addr >= c->addr + c->len)
            continue;
        size_t off = (size_t)(addr - c->addr), n = 0;
        while (off + n < c->len && c->bytes[off + n] && n + 1 < len)
            n++;
        if (off + n >= c->len || c->bytes[off + n])
            return -1; /* not terminated within the chunk, or too long */
        memcpy(buf, c->bytes + off, n);
        buf[n] = 0;
        return 0;
    }
    return -1;
}

void isa_complete(const isa_insn_t *in, uint64_t *reg, uint64_t value)
{
    const isa_info_t *info = isa_info(in->op);
    if (info->mem_op == OP_STORE || info->mem_op == OP_FENCE)
        return;
    if (info->size && info->size < 8)
        value &= ((uint64_t)1 << (8 * info->size)) - 1;
    reg[in->rd] = value;
    reg[0] = 0;
}

__attribute__((format(printf, 2, 3))) static int stop(isa_core_t *c, const char *fmt, ...)
{
    c->failed = true;
    c->phase = ISA_HALTED;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return SOURCE_ERROR;
}

/* lastcall and thread: instructions on the core's own state of calls, not its registers alone. */
static int exec_core_state(isa_core_t *c)
{
    const isa_insn_t *in = &c->cur;
    if (in->op == ISA_THREAD) {
        uint64_t pid = c->reg[in->rd];
        if (pid > UINT32_MAX)
            return stop(c, "thread at pc 0x%llx: r%u = %llu is not a process id",
                        (unsigned long long)c->pc, in->rd, (unsigned long long)pid);
        c->pid = (uint32_t)pid;
        return 0;
    }
    if (in->imm < 0 || (size_t)in->imm >= sizeof c->call / sizeof c->call[0])
        return stop(c, "lastcall at pc 0x%llx: field %d is not 0 (status), 1 (last error), 2 "
                       "(base), 3 (size) or 4 (information)",
                    (unsigned long long)c->pc, in->imm);
    if (!c->has_call)
        return stop(c, "lastcall at pc 0x%llx: this core has made no primitive call",
                    (unsigned long long)c->pc);
    if (in->rd)
        c->reg[in->rd] = c->call[in->imm];
    return 0;
}

int isa_core_next(void *opaque, mem_req_t *out)
{
    isa_core_t *c = opaque;
    for (;;) {
        switch (c->phase) {
        case ISA_HALTED:
            return c->failed ? SOURCE_ERROR : SOURCE_END;
        case ISA_WAIT:
            /* the machine asks again before delivering: a machine bug, not a program error */
            return stop(c, "core asked for a request while one is outstanding (pc 0x%llx)",
                        (unsigned long long)c->pc);
        case ISA_FETCH:
            if (c->max_insns && c->retired >= c->max_insns)
                return stop(c, "stopped after %llu instructions (the limit; does the program "
                               "halt?)",
                            (unsigned long long)c->retired);
            if (c->pc % ISA_INSN_SIZE)
                return stop(c, "pc 0x%llx is not a multiple of 8", (unsigned long long)c->pc);
            memset(out, 0, sizeof *out);
            out->op = OP_IFETCH;
            out->addr = c->pc;
            out->size = ISA_INSN_SIZE;
            out->cpu = (uint16_t)c->cpu;
            c->phase = ISA_WAIT;
            return SOURCE_GOT;
        case ISA_EXEC:
            if (c->cur.op == ISA_LASTCALL || c->cur.op == ISA_THREAD) {
                if (exec_core_state(c) != 0)
                    return SOURCE_ERROR;
                c->retired++;
                c->pc += ISA_INSN_SIZE;
                c->phase = ISA_FETCH;
                continue;
            }
            if (isa_is_local(&c->cur)) {
                bool bad;
                uint64_t next = isa_exec_local(&c->cur, c->reg, c->pc, &bad);
                c->retired++;
                if (c->cur.op == ISA_ASSERT) {
                    c->asserts++;
                    if (bad && c->asserts_failed++ == 0) {
                        c->assert_pc = c->pc;
                        snprintf(c->assert_msg, sizeof c->assert_msg,
                                 "core %u: assert at 0x%llx failed: r%u = %lld, expected %d",
                                 c->cpu, (unsigned long long)c->pc, c->cur.rd,
                                 (long long)c->reg[c->cur.rd], c->cur.imm);
                    }
                    if (c->on_assert)
                        c->on_assert(c->assert_opaque, c, !bad);
                }
                if (c->cur.op == ISA_HALT) {
                    c->phase = ISA_HALTED;
                    return SOURCE_END;
                }
                c->pc = next;
                c->phase = ISA_FETCH;
                continue;
            }
            if (isa_lower(&c->cur, c->reg, c->cpu, out, c->err, sizeof c->err) != 0) {
                c->failed = true;
                c->phase = ISA_HALTED;
                return SOURCE_ERROR;
            }
            int at_reg = name_reg(&c->cur, (op_t)out->op);
            if (at_reg >= 0) {
                uint64_t at = c->reg[at_reg];
                if (image_string(c->image, at, c->name, sizeof c->name) != 0)
                    return stop(c, "%s at pc 0x%llx: no NUL-terminated file name at 0x%llx in "
                                   "the program's image",
                                isa_info(c->cur.op)->name, (unsigned long long)c->pc,
                                (unsigned long long)at);
                out->name = c->name;
            }
            if (op_class((op_t)out->op) == OPC_PRIMITIVE)
                out->arg[3] = c->pid;
            c->phase = ISA_WAIT;
            return SOURCE_GOT;
        }
    }
}

int isa_core_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    isa_core_t *c = opaque;
    if (c->phase != ISA_WAIT)
        return 0;
    c->now = res->done;
    if (res->status != MACHINE_OK) {
        c->failed = true;
        c->phase = ISA_HALTED;
        snprintf(c->err, sizeof c->err, "%s at pc 0x%llx: machine error %d",
                 op_name((op_t)req->op), (unsigned long long)c->pc, res->status);
        return 1;
    }
    if (req->op == OP_IFETCH) {
        if (isa_decode(res->value, &c->cur) != 0) {
            c->failed = true;
            c->phase = ISA_HALTED;
            snprintf(c->err, sizeof c->err,
                     "undecodable instruction 0x%016llx at pc 0x%llx",
                     (unsigned long long)res->value, (unsigned long long)c->pc);
            return 1;
        }
        c->phase = ISA_EXEC;
        return 0;
    }
    const prim_call_t *call;
    if (op_class((op_t)req->op) == OPC_PRIMITIVE && c->os && (call = prim_last_call(c->os, c->cpu))) {
        c->has_call = true;
        /* an NTSTATUS is a signed 32-bit LONG: errors are negative, as a register holds them */
        c->call[0] = call->op == OP_FLUSH_INSTRUCTION_CACHE
                         ? prim_call_code(call)
                         : (uint64_t)(int64_t)(int32_t)(uint32_t)prim_call_code(call);
        c->call[1] = call->last_error;
        c->call[2] = call->base;
        c->call[3] = call->size;
        c->call[4] = call->information;
    }
    isa_complete(&c->cur, c->reg, res->value);
    c->retired++;
    c->pc += ISA_INSN_SIZE;
    c->phase = ISA_FETCH;
    return 0;
}
