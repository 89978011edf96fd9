/* test_text_os.c: the text trace's directives and primitive arguments (traces/text_os.c). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "traces/text_syntax.h"
#include "traces/trace.h"

/* Write text to a fresh file and open it as a text trace. */
static trace_t *open_text(const char *text, char *path)
{
    strcpy(path, "/tmp/cohsim-textos-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    char err[256];
    trace_t *t = trace_open(path, "text", err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    return t;
}

static void close_text(trace_t *t, const char *path)
{
    trace_close(t);
    unlink(path);
}

/* The one record of a one-line trace. */
static mem_req_t one(const char *text, char *name)
{
    char path[64];
    trace_t *t = open_text(text, path);
    mem_req_t r;
    int rc = trace_next(t, &r);
    cr_assert_eq(rc, 1, "%s: %s", text, rc < 0 ? trace_error(t) : "end");
    name[0] = '\0'; /* the record's name lives in the trace: copy it before closing */
    if (r.name) {
        snprintf(name, 64, "%s", r.name);
        r.name = name;
    }
    close_text(t, path);
    return r;
}

/* The error a one-line trace gives: must fail, message must contain want. */
static void bad(const char *text, const char *want)
{
    char path[64];
    trace_t *t = open_text(text, path);
    mem_req_t r;
    cr_assert_eq(trace_next(t, &r), -1, "accepted: %s", text);
    cr_assert(strstr(trace_error(t), want), "'%s' gave '%s', expected it to say '%s'", text,
              trace_error(t), want);
    cr_assert(strstr(trace_error(t), ":1:"), "no line number in '%s'", trace_error(t));
    close_text(t, path);
}

Test(text_os, process_and_cpu_lists)
{
    char name[64];
    mem_req_t r = one("process 1 cpus=0-3\n", name);
    cr_assert_eq(r.op, OP_OS_PROCESS);
    cr_assert_eq(r.arg[0], 1);
    cr_assert_eq(r.arg[1], 0xf);
    r = one("process 7 cpus=1,3,5-6\n", name);
    cr_assert_eq(r.arg[0], 7);
    cr_assert_eq(r.arg[1], 0x6a);
    bad("process 0 cpus=1\n", "process id");
    bad("process 1 cpus=3-1\n", "core list");
    bad("process 1 cpus=64\n", "core list");
    bad("process 1 cpus=1,\n", "core list");
    bad("process 1\n", "process ID cpus=LIST");
}

Test(text_os, terminate_and_handle)
{
    char name[64];
    mem_req_t r = one("terminate 4\n", name);
    cr_assert_eq(r.op, OP_OS_TERMINATE);
    cr_assert_eq(r.arg[0], 4);
    r = one("handle 9 process=2 access=none\n", name);
    cr_assert_eq(r.op, OP_OS_HANDLE);
    cr_assert_eq(r.arg[0], 9);
    cr_assert_eq(r.arg[1], 2);
    cr_assert_eq(r.arg[2], 0);
    r = one("handle 9 process=2\n", name);
    cr_assert_eq(r.arg[2], 1);
    bad("handle 9 process=2 access=some\n", "access=none");
    bad("handle 9\n", "handle VALUE");
    bad("terminate\n", "terminate PROCESS");
}

Test(text_os, file_map_lock_acquire_limit)
{
    char name[64];
    mem_req_t r = one("file log.dat size=1M\n", name);
    cr_assert_eq(r.op, OP_OS_FILE);
    cr_assert_str_eq(r.name, "log.dat");
    cr_assert_eq(r.arg[0], 1 << 20);
    r = one("map 1 log.dat base=0x40000000 offset=4K length=256K\n", name);
    cr_assert_eq(r.op, OP_OS_MAP);
    cr_assert_eq(r.arg[0], 1);
    cr_assert_str_eq(r.name, "log.dat");
    cr_assert_eq(r.addr, 0x40000000);
    cr_assert_eq(r.arg[1], 4096);
    cr_assert_eq(r.arg[2], 256 << 10);
    r = one("map 1 f base=0x1000\n", name);
    cr_assert_eq(r.arg[1], 0);
    cr_assert_eq(r.arg[2], 0); /* to the end of the file */
    bad("map 1 f offset=0\n", "base=ADDR");
    bad("map 1 f base=0x1000 length=0\n", "length");
    bad("map 1 f base=0x1000 color=red\n", "unexpected 'color=red'");
    r = one("lock log.dat page=3\n", name);
    cr_assert_eq(r.op, OP_OS_LOCK);
    cr_assert_eq(r.arg[0], 3);
    r = one("unlock log.dat page=3\n", name);
    cr_assert_eq(r.op, OP_OS_UNLOCK);
    bad("lock log.dat 3\n", "lock FILE page=N");
    r = one("acquire log.dat\n", name);
    cr_assert_eq(r.op, OP_OS_ACQUIRE);
    r = one("release log.dat\n", name);
    cr_assert_eq(r.op, OP_OS_RELEASE);
    cr_assert_str_eq(r.name, "log.dat");
    bad("acquire\n", "acquire FILE");
    r = one("limit io_pages=2\n", name);
    cr_assert_eq(r.op, OP_OS_LIMIT);
    cr_assert_eq(r.arg[0], 2);
    bad("limit pages=2\n", "limit io_pages=N");
    bad("file x\n", "file NAME size=SIZE");
    bad("file x size=1T\n", "bad size");
    bad("frobnicate 3\n", "bad line starting 'frobnicate'");
}

Test(text_os, expect_lines)
{
    char name[64];
    mem_req_t r = one("expect disk log.dat 0x10 8 =7\n", name);
    cr_assert_eq(r.op, OP_EXPECT_DISK);
    cr_assert_str_eq(r.name, "log.dat");
    cr_assert_eq(r.arg[0], 0x10);
    cr_assert_eq(r.size, 8);
    cr_assert_eq(r.value, 7);
    cr_assert(r.flags & REQ_HAS_VALUE);
    r = one("expect mem 0x40000010 4 =-1\n", name);
    cr_assert_eq(r.op, OP_EXPECT_MEM);
    cr_assert_eq(r.addr, 0x40000010);
    cr_assert_eq(r.size, 4);
    cr_assert_eq(r.value, UINT64_MAX);
    bad("expect mem 0x10 3 =1\n", "1, 2, 4 or 8");
    bad("expect mem 0x10 8 7\n", "=NUMBER");
    bad("expect disk f 0 8\n", "expect disk FILE");
    bad("expect cache 0\n", "expect disk");
}

Test(text_os, primitive_arguments)
{
    char name[64];
    mem_req_t r = one("0 FlushInstructionCache 1 NULL 0\n", name);
    cr_assert_eq(r.op, OP_FLUSH_INSTRUCTION_CACHE);
    cr_assert_eq(r.arg[0], 1);
    cr_assert(r.flags & REQ_NULL_BASE);
    r = one("2 FlushInstructionCache self 0x400000 4K\n", name);
    cr_assert_eq(r.cpu, 2);
    cr_assert_eq(r.arg[0], UINT64_MAX);
    cr_assert_eq(r.addr, 0x400000);
    cr_assert_eq(r.arg[1], 4096);
    cr_assert_not(r.flags & REQ_NULL_BASE);
    r = one("0 ZwFlushVirtualMemory -1 0x40000010 0\n", name);
    cr_assert_eq(r.op, OP_ZW_FLUSH_VIRTUAL_MEMORY);
    cr_assert_eq(r.arg[0], UINT64_MAX);
    cr_assert_eq(r.addr, 0x40000010);
    cr_assert_eq(r.arg[1], 0);
    r = one("0 CcCoherencyFlushAndPurgeCache log.dat 0 8192 NO_PURGE\n", name);
    cr_assert_eq(r.op, OP_CC_COHERENCY_FLUSH_AND_PURGE);
    cr_assert_str_eq(r.name, "log.dat");
    cr_assert_eq(r.addr, 0);
    cr_assert_eq(r.arg[1], 8192);
    cr_assert_eq(r.arg[2], 1);
    r = one("1 CcCoherencyFlushAndPurgeCache log.dat NULL 0\n", name);
    cr_assert(r.flags & REQ_NULL_BASE);
    cr_assert_eq(r.arg[2], 0);
    r = one("1 CcCoherencyFlushAndPurgeCache log.dat 4K 4K CC_FLUSH_AND_PURGE_NO_PURGE\n", name);
    cr_assert_eq(r.addr, 4096);
    cr_assert_eq(r.arg[2], 1);
    r = one("0 FlushProcessWriteBuffers\n", name);
    cr_assert_eq(r.op, OP_FLUSH_PROCESS_WRITE_BUFFERS);
    r = one("3 KeInvalidateAllCaches\n", name);
    cr_assert_eq(r.op, OP_KE_INVALIDATE_ALL_CACHES);
    bad("0 FlushProcessWriteBuffers 1\n", "takes no arguments");
    bad("0 KeInvalidateAllCaches x\n", "takes no arguments");
    bad("0 FlushInstructionCache 1 NULL\n", "needs 3 arguments");
    bad("0 FlushInstructionCache me NULL 0\n", "bad process handle");
    bad("0 ZwFlushVirtualMemory 1 0x10 0 9\n", "unexpected '9'");
    bad("0 ZwFlushVirtualMemory 1 zz 0\n", "bad base");
    bad("0 ZwFlushVirtualMemory 1 0xffffffffffffff00 0x200\n", "wraps");
    bad("0 CcCoherencyFlushAndPurgeCache f 0 8 PURGE_ALL\n", "bad flags");
    bad("0 CcCoherencyFlushAndPurgeCache f 0 8 2\n", "bad flags");
    bad("0 CcCoherencyFlushAndPurgeCache f 0\n", "needs at least 3");
    bad("0 process 1 cpus=0\n", "is a directive");
    /* as=PID: the calling thread's process, on any primitive */
    r = one("1 FlushProcessWriteBuffers as=2\n", name);
    cr_assert_eq(r.op, OP_FLUSH_PROCESS_WRITE_BUFFERS);
    cr_assert_eq(r.arg[3], 2);
    r = one("1 ZwFlushVirtualMemory self 0x1000 0 as=7\n", name);
    cr_assert_eq(r.arg[0], UINT64_MAX);
    cr_assert_eq(r.arg[3], 7);
    r = one("1 KeInvalidateAllCaches\n", name);
    cr_assert_eq(r.arg[3], 0);
    bad("1 FlushProcessWriteBuffers as=0\n", "as=PID");
    bad("1 FlushProcessWriteBuffers as=x\n", "as=PID");
}

/* The layouts of ops.def: exactly the primitives and the OS set-up and checks have one; no two
 * arguments share a request field or a kind (a kind names the slot: OP_ARG); optional arguments
 * ([...]) come last, a primitive's only as flags; the usage line is the spelling and the labels. */
Test(text_os, primitive_layouts_from_ops_def)
{
    for (unsigned op = 0; op < OP_COUNT; op++) {
        unsigned n, required;
        const op_arg_t *a = op_args((op_t)op, &n, &required);
        op_class_t cls = op_class((op_t)op);
        cr_assert_eq(a != NULL, cls == OPC_PRIMITIVE || cls == OPC_OS || cls == OPC_CHECK, "%s",
                     op_name((op_t)op));
        unsigned fields = 0, kinds = 0;
        for (unsigned i = 0; i < n; i++) {
            cr_assert_eq(fields >> a[i].field & 1, 0, "%s: two arguments in one field",
                         op_name((op_t)op));
            fields |= 1u << a[i].field;
            cr_assert_eq(kinds >> a[i].kind & 1, 0, "%s: two arguments of one kind",
                         op_name((op_t)op));
            kinds |= 1u << a[i].kind;
            cr_assert(a[i].label && a[i].what);
            cr_assert((a[i].label[0] == '[') == (i >= required), "%s", op_name((op_t)op));
            if (cls == OPC_PRIMITIVE)
                cr_assert((a[i].kind == OPARG_FLAGS) == (i >= required));
        }
    }
    char usage[128];
    op_usage(OP_FLUSH_INSTRUCTION_CACHE, usage, sizeof usage);
    cr_assert_str_eq(usage, "FlushInstructionCache PROCESS BASE|NULL SIZE");
    op_usage(OP_CC_COHERENCY_FLUSH_AND_PURGE, usage, sizeof usage);
    cr_assert_str_eq(usage, "CcCoherencyFlushAndPurgeCache FILE OFFSET|NULL LENGTH [FLAGS]");
    op_usage(OP_KE_INVALIDATE_ALL_CACHES, usage, sizeof usage);
    cr_assert_str_eq(usage, "KeInvalidateAllCaches");
    op_usage(OP_CC_COHERENCY_FLUSH_AND_PURGE, usage, 20); /* cut at a word, still terminated */
    cr_assert_str_eq(usage, "");
    op_usage(OP_CC_COHERENCY_FLUSH_AND_PURGE, usage, 40);
    cr_assert_str_eq(usage, "CcCoherencyFlushAndPurgeCache FILE");
    const op_arg_t *flags = op_arg_of(OP_CC_COHERENCY_FLUSH_AND_PURGE, OPARG_FLAGS);
    mem_req_t r = {.op = OP_CC_COHERENCY_FLUSH_AND_PURGE};
    op_arg_put(&r, flags, 1);
    cr_assert_eq(r.arg[2], 1);
    cr_assert_eq(op_arg_get(&r, flags), 1);
    cr_assert_null(op_arg_of(OP_FLUSH_PROCESS_WRITE_BUFFERS, OPARG_SIZE));
    /* the directives' usage lines, as the text reader's messages quote them */
    op_usage(OP_OS_MAP, usage, sizeof usage);
    cr_assert_str_eq(usage, "map PROCESS FILE base=ADDR [offset=N] [length=N]");
    op_usage(OP_EXPECT_FETCH, usage, sizeof usage);
    cr_assert_str_eq(usage, "expect fetch ADDR SIZE =VALUE [cpu=N]");
    unsigned n, required;
    cr_assert_not_null(op_args(OP_OS_MAP, &n, &required));
    cr_assert_eq(n, 5);
    cr_assert_eq(required, 3);
    /* the named indexes are the rows' fields */
    r = (mem_req_t){.op = OP_OS_MAP};
    op_arg_put(&r, op_arg_of(OP_OS_MAP, OPARG_OFFSET), 77);
    cr_assert_eq(OP_ARG(&r, OS_MAP, OFFSET), 77);
    cr_assert_eq(OPARG_AT_ZW_FLUSH_VIRTUAL_MEMORY_SIZE, 1);
    cr_assert_eq(OPARG_AT_CC_COHERENCY_FLUSH_AND_PURGE_FLAGS, 2);
}

/* What text_format_primitive writes reads back to the same request, for every primitive. */
Test(text_os, primitive_arguments_written_read_back)
{
    static const char *const lines[] = {
        "0 FlushInstructionCache 1 NULL 0\n",
        "2 FlushInstructionCache self 0x400000 4K\n",
        "0 ZwFlushVirtualMemory 7 0x40000010 0\n",
        "0 CcCoherencyFlushAndPurgeCache log.dat 16 8192 NO_PURGE\n",
        "1 CcCoherencyFlushAndPurgeCache log.dat NULL 0\n",
        "0 FlushProcessWriteBuffers\n",
        "3 KeInvalidateAllCaches\n",
        "1 FlushProcessWriteBuffers as=2\n",
        "1 ZwFlushVirtualMemory self 0x40000010 0 as=3\n",
    };
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char name[64], name2[64], args[256], err[128], line[320];
        mem_req_t r = one(lines[i], name);
        cr_assert_eq(text_format_primitive(&r, args, sizeof args, err, sizeof err), 0, "%s", err);
        snprintf(line, sizeof line, "%u %s%s\n", r.cpu, op_name((op_t)r.op), args);
        mem_req_t back = one(line, name2);
        cr_assert_eq(back.op, r.op, "%s", line);
        cr_assert_eq(back.addr, r.addr, "%s", line);
        cr_assert_eq(back.flags, r.flags, "%s", line);
        cr_assert_eq(memcmp(back.arg, r.arg, sizeof r.arg), 0, "%s", line);
        cr_assert_str_eq(back.name ? back.name : "", r.name ? r.name : "", "%s", line);
    }
    char args[256], err[128];
    mem_req_t r = {.op = OP_CC_COHERENCY_FLUSH_AND_PURGE, .name = "two words"};
    cr_assert_eq(text_format_primitive(&r, args, sizeof args, err, sizeof err), -1);
    cr_assert(strstr(err, "not one word"), "%s", err);
    r.name = "f";
    r.arg[2] = 6;
    cr_assert_eq(text_format_primitive(&r, args, sizeof args, err, sizeof err), -1);
    cr_assert(strstr(err, "no spelling"), "%s", err);
}

/* What text_format_directive writes reads back to the same request, for every directive row,
 * and is the canonical line: keywords from the row's labels, optional arguments at their default
 * left out. */
Test(text_os, directive_arguments_written_read_back)
{
    static const char *const lines[] = {
        "process 1 cpus=0-3", "process 7 cpus=1,3,5-6,63", "terminate 2",
        "handle 9 process=1", "handle 9 process=4294967295 access=none",
        "file log.dat size=1048576", "map 1 log.dat base=0x40000000",
        "map 3 f base=0x1000 offset=0x2000 length=8192", "lock log.dat page=3",
        "unlock log.dat page=0", "acquire log.dat", "release log.dat", "limit io_pages=0",
        "expect disk log.dat 0x10 8 =7", "expect mem 0x40000010 1 =255",
        "expect fetch 0x400000 4 =144 cpu=1", "expect fetch 0x400000 2 =18446744073709551615",
    };
    unsigned seen = 0;
    for (unsigned i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        char name[64], name2[64], args[256], err[128], line[320], in[320];
        snprintf(in, sizeof in, "%s\n", lines[i]);
        mem_req_t r = one(in, name);
        seen |= 1u << (r.op - OP_OS_PROCESS);
        cr_assert_eq(text_format_directive(&r, args, sizeof args, err, sizeof err), 0, "%s", err);
        snprintf(line, sizeof line, "%s%s\n", op_name((op_t)r.op), args);
        cr_assert_str_eq(line, in);
        mem_req_t back = one(line, name2);
        cr_assert_eq(memcmp(&back.arg, &r.arg, sizeof r.arg), 0, "%s", line);
        cr_assert(back.op == r.op && back.addr == r.addr && back.flags == r.flags &&
                      back.size == r.size && back.value == r.value, "%s", line);
        cr_assert_str_eq(back.name ? back.name : "", r.name ? r.name : "", "%s", line);
    }
    cr_assert_eq(seen, (1u << (OP_EXPECT_FETCH - OP_OS_PROCESS + 1)) - 1, "a directive untested");
    char args[256], err[128];
    mem_req_t r = {.op = OP_OS_ACQUIRE, .name = "two words"};
    cr_assert_eq(text_format_directive(&r, args, sizeof args, err, sizeof err), -1);
    cr_assert(strstr(err, "not one word"), "%s", err);
    r = (mem_req_t){.op = OP_OS_PROCESS, .arg = {0, 1}};
    cr_assert_eq(text_format_directive(&r, args, sizeof args, err, sizeof err), -1);
    cr_assert(strstr(err, "process id 0 has no spelling"), "%s", err);
    r = (mem_req_t){.op = OP_EXPECT_MEM, .size = 3};
    cr_assert_eq(text_format_directive(&r, args, sizeof args, err, sizeof err), -1);
    cr_assert(strstr(err, "size 3 has no spelling"), "%s", err);
}

Test(text_os, directives_are_detected_as_text)
{
    char err[256], path[64];
    strcpy(path, "/tmp/cohsim-textos-XXXXXX");
    int fd = mkstemp(path);
    const char *text = "# set-up\nfile a size=4K\n0 load 0x10\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    trace_t *t = trace_open(path, NULL, err, sizeof err);
    cr_assert_not_null(t, "%s", err);
    cr_assert_str_eq(trace_format(t)->name, "text");
    mem_req_t r;
    cr_assert_eq(trace_next(t, &r), 1);
    cr_assert_eq(r.op, OP_OS_FILE);
    cr_assert_eq(trace_next(t, &r), 1);
    cr_assert_eq(r.op, OP_LOAD);
    cr_assert_eq(trace_next(t, &r), 0);
    close_text(t, path);
}
