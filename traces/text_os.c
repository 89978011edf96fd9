/* text_os.c: text-trace syntax for the five primitives' arguments and for directives (lines that
 * start with a word, not a CPU): OS set-up and checks. Each line becomes one request whose
 * arguments are laid out as model/ops.def documents per row; a primitive's arguments are read
 * by its PRIM row's slots (op_args), which also give its usage line.
 *
 *   process 1 cpus=0-3                  a process and the cores running its threads (0-3, 1,3)
 *   terminate 1                         the process is terminating from now on
 *   handle 9 process=1 access=none      handle value 9 names process 1 without access
 *   file log.dat size=1M                a file of 1 MiB on the disk, all zeros
 *   map 1 log.dat base=0x40000000 offset=0 length=256K   (offset 0, length to the end: defaults)
 *   lock log.dat page=3                 pin a cached page; unlock likewise
 *   acquire log.dat                     hold the file exclusively; release likewise
 *   limit io_pages=4                    at most 4 dirty pages per flush request
 *   expect disk log.dat 0x10 8 =7       the disk holds 7 in bytes 0x10..0x17 of log.dat
 *   expect mem 0x40000010 8 =7          a load by CPU 0 would read 7 now
 *   expect fetch 0x400000 4 =0x90 cpu=1 an instruction fetch by CPU 1 (default 0) would fetch 0x90
 *   roi begin                           the measured region starts: every statistic is reset
 *   roi end                             the measured region ends: `cohsim run` reads no further
 *
 *   0 FlushInstructionCache 1 NULL 0    process handle (a number, or self / -1 for the calling
 *                                       core's process), base or NULL, size
 *   0 FlushProcessWriteBuffers
 *   0 KeInvalidateAllCaches
 *   0 ZwFlushVirtualMemory 1 0x40000010 0           process handle, base (or NULL), size
 *   0 CcCoherencyFlushAndPurgeCache log.dat 0 8192 NO_PURGE   file, offset or NULL, length, flags
 *   1 FlushProcessWriteBuffers as=2     any primitive may end with as=PID: the calling thread is
 *                                       process 2's (which must run on the core; default: the
 *                                       core's lowest-numbered process)
 *
 * Sizes take K/M/G (powers of 1024). The reader checks syntax only: whether a process, file or
 * view exists is the model's to say when the line executes.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "traces/text_syntax.h"

#define CC_FLAG_NO_PURGE 1u
/* The longest word text_format_primitive writes for one argument (a file name, a number). */
#define OS_WORD_MAX 128

static int word_is(const char *tok, const char *word) { return strcmp(tok, word) == 0; }

/* A number with an optional K/M/G suffix (powers of 1024). */
static int parse_size(const char *s, uint64_t *out)
{
    size_t n = strlen(s);
    unsigned shift = 0;
    if (n > 1) {
        switch (s[n - 1]) {
        case 'K': case 'k': shift = 10; break;
        case 'M': case 'm': shift = 20; break;
        case 'G': case 'g': shift = 30; break;
        default: break;
        }
    }
    char buf[64];
    if (n >= sizeof buf)
        return -1;
    memcpy(buf, s, n + 1);
    if (shift)
        buf[n - 1] = '\0';
    uint64_t v;
    if (text_parse_u64(buf, &v) != 0 || (shift && v > (UINT64_MAX >> shift)))
        return -1;
    *out = v << shift;
    return 0;
}

/* "key=VALUE": the value when tok starts with key=, else NULL. */
static const char *keyval(const char *tok, const char *key)
{
    size_t n = strlen(key);
    return strncmp(tok, key, n) == 0 && tok[n] == '=' ? tok + n + 1 : NULL;
}

/* A core list: N, N-M, comma-separated; cores 0..63. */
static int parse_cpus(const char *s, uint64_t *mask)
{
    *mask = 0;
    while (*s) {
        char buf[32];
        size_t n = strcspn(s, ",");
        if (n == 0 || n >= sizeof buf)
            return -1;
        memcpy(buf, s, n);
        buf[n] = '\0';
        char *dash = strchr(buf, '-');
        uint64_t lo, hi;
        if (dash) {
            *dash = '\0';
            if (text_parse_u64(buf, &lo) != 0 || text_parse_u64(dash + 1, &hi) != 0)
                return -1;
        } else {
            if (text_parse_u64(buf, &lo) != 0)
                return -1;
            hi = lo;
        }
        if (lo > hi || hi > 63)
            return -1;
        for (uint64_t c = lo; c <= hi; c++)
            *mask |= 1ull << c;
        s += n;
        if (*s == ',' && *++s == '\0')
            return -1;
    }
    return *mask ? 0 : -1;
}

/* A process handle: a number, or self / -1 for NtCurrentProcess. */
static int parse_handle(const char *s, uint64_t *out)
{
    if (word_is(s, "self") || word_is(s, "-1")) {
        *out = UINT64_MAX;
        return 0;
    }
    return text_parse_u64(s, out);
}

static int parse_pid(const char *s, uint64_t *out)
{
    return text_parse_u64(s, out) == 0 && *out >= 1 && *out <= UINT32_MAX ? 0 : -1;
}

static int too_many(trace_t *t, uint64_t line, char **tok, int ntok, int want, const char *usage)
{
    if (ntok > want)
        return trace_fail(t, line, "unexpected '%s': expected '%s'", tok[want], usage);
    return 0;
}

/* `=V` value of 1, 2, 4 or 8 bytes, after a size. */
static int parse_check_value(trace_t *t, uint64_t line, const char *size_tok, const char *val_tok,
                             mem_req_t *r, const char *usage)
{
    uint64_t size;
    if (text_parse_u64(size_tok, &size) != 0 ||
        (size != 1 && size != 2 && size != 4 && size != 8))
        return trace_fail(t, line, "bad size '%s': expected 1, 2, 4 or 8 in '%s'", size_tok,
                          usage);
    if (val_tok[0] != '=' || text_parse_value(val_tok + 1, &r->value) != 0)
        return trace_fail(t, line, "bad value '%s': expected =NUMBER in '%s'", val_tok, usage);
    r->size = (uint32_t)size;
    r->flags |= REQ_HAS_VALUE;
    return 1;
}

/* One argument of a primitive, as its slot in ops.def says: 0, or -1 after trace_fail. */
static int parse_prim_arg(trace_t *t, uint64_t line, const op_arg_t *a, const char *tok,
                          mem_req_t *r, const char *usage)
{
    uint64_t v = 0;
    switch ((op_arg_kind_t)a->kind) {
    case OPARG_HANDLE:
        if (parse_handle(tok, &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected a number, self or -1 in '%s'",
                              a->what, tok, usage);
        break;
    case OPARG_BASE:
    case OPARG_OFFSET:
        if (word_is(tok, "NULL")) {
            r->flags |= REQ_NULL_BASE;
            break;
        }
        if (a->kind == OPARG_BASE && text_parse_u64(tok, &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected an address or NULL in '%s'",
                              a->what, tok, usage);
        if (a->kind == OPARG_OFFSET && parse_size(tok, &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected a number or NULL in '%s'", a->what,
                              tok, usage);
        break;
    case OPARG_SIZE:
        if (parse_size(tok, &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected a number (K/M/G allowed) in '%s'",
                              a->what, tok, usage);
        break;
    case OPARG_FILE:
        r->name = tok;
        return 0;
    case OPARG_FLAGS:
        if (word_is(tok, "NO_PURGE") || word_is(tok, "CC_FLUSH_AND_PURGE_NO_PURGE"))
            v = CC_FLAG_NO_PURGE;
        else if (text_parse_u64(tok, &v) != 0 || v > CC_FLAG_NO_PURGE)
            return trace_fail(t, line,
                              "bad %s '%s': expected 0, NO_PURGE or "
                              "CC_FLUSH_AND_PURGE_NO_PURGE (1)",
                              a->what, tok);
        break;
    case OPARG_NONE:
        break;
    }
    op_arg_put(r, a, v);
    return 0;
}

/* A primitive's arguments, read by its layout in ops.def: the count, then each argument in
 * order; a range (a base or an offset, then a size) must not wrap, checked as soon as its size
 * is read. */
int text_parse_primitive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    const char *name = op_name(r->op);
    /* A trailing as=PID: the calling thread's process (a core shared by processes calls as
     * either), in arg[3]. */
    if (ntok > 0 && keyval(tok[ntok - 1], "as")) {
        if (parse_pid(keyval(tok[ntok - 1], "as"), &r->arg[3]) != 0)
            return trace_fail(t, line, "bad '%s': expected as=PID, the calling thread's process "
                              "id (1 or more)", tok[ntok - 1]);
        ntok--;
    }
    unsigned nargs, required;
    const op_arg_t *args = op_args((op_t)r->op, &nargs, &required);
    if (!args || op_class((op_t)r->op) != OPC_PRIMITIVE)
        return trace_fail(t, line, "%s is not a primitive", name);
    if (nargs == 0) {
        if (ntok > 0)
            return trace_fail(t, line, "unexpected '%s': %s takes no arguments", tok[0], name);
        return 1;
    }
    char usage[128];
    op_usage((op_t)r->op, usage, sizeof usage);
    if (ntok < (int)required)
        return trace_fail(t, line, "%s needs %s%u arguments: expected '%s'", name,
                          required < nargs ? "at least " : "", required, usage);
    if (too_many(t, line, tok, ntok, (int)nargs, usage))
        return -1;
    const op_arg_t *start = NULL; /* the range's start, once read */
    const char *start_tok = NULL;
    for (unsigned i = 0; i < nargs && (int)i < ntok; i++) {
        const op_arg_t *a = &args[i];
        if (parse_prim_arg(t, line, a, tok[i], r, usage) != 0)
            return -1;
        if (a->kind == OPARG_BASE || a->kind == OPARG_OFFSET) {
            start = a;
            start_tok = tok[i];
        } else if (a->kind == OPARG_SIZE && start && !(r->flags & REQ_NULL_BASE) &&
                   op_arg_get(r, start) + op_arg_get(r, a) < op_arg_get(r, start)) {
            return trace_fail(t, line, "%s %s + %s %s wraps%s", start->what, start_tok, a->what,
                              tok[i],
                              start->kind == OPARG_BASE ? " past the top of the address space"
                                                        : "");
        }
    }
    return 1;
}

int text_format_primitive(const mem_req_t *r, char *buf, size_t len, char *err, size_t errlen)
{
    unsigned nargs, required;
    const op_arg_t *args = op_args((op_t)r->op, &nargs, &required);
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned i = 0; args && i < nargs; i++) {
        const op_arg_t *a = &args[i];
        bool null = (a->kind == OPARG_BASE || a->kind == OPARG_OFFSET) &&
                    (r->flags & REQ_NULL_BASE);
        uint64_t v = a->kind == OPARG_FILE ? 0 : op_arg_get(r, a);
        char word[OS_WORD_MAX];
        switch ((op_arg_kind_t)a->kind) {
        case OPARG_HANDLE:
            if (v == UINT64_MAX)
                snprintf(word, sizeof word, "self");
            else
                snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_BASE:
        case OPARG_OFFSET:
            if (null)
                snprintf(word, sizeof word, "NULL");
            else
                snprintf(word, sizeof word, "0x%" PRIx64, v);
            break;
        case OPARG_SIZE:
            snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_FILE: {
            const char *name = r->name ? r->name : "";
            if (!*name || strlen(name) >= sizeof word || strpbrk(name, " \t\r\n#")) {
                snprintf(err, errlen, "%s's %s '%s' is not one word of the text format",
                         op_name((op_t)r->op), a->what, name);
                return -1;
            }
            snprintf(word, sizeof word, "%s", name);
            break;
        }
        case OPARG_FLAGS:
            if (v > CC_FLAG_NO_PURGE) {
                snprintf(err, errlen, "%s's %s %#" PRIx64 " have no spelling in the text format "
                                      "(0 or NO_PURGE)",
                         op_name((op_t)r->op), a->what, v);
                return -1;
            }
            if (v == 0)
                continue; /* optional: left out */
            snprintf(word, sizeof word, "NO_PURGE");
            break;
        case OPARG_NONE:
            continue;
        }
        size_t w = strlen(word);
        if (used + 1 + w >= len) {
            snprintf(err, errlen, "%s's arguments are too long to write", op_name((op_t)r->op));
            return -1;
        }
        buf[used++] = ' ';
        memcpy(buf + used, word, w + 1);
        used += w;
    }
    if (r->arg[3]) { /* the calling thread's process, as the reader takes it */
        int w = snprintf(buf + used, len - used, " as=%" PRIu64, r->arg[3]);
        if (w < 0 || (size_t)w >= len - used) {
            snprintf(err, errlen, "%s's arguments are too long to write", op_name((op_t)r->op));
            return -1;
        }
    }
    return 0;
}

/* Fill r for `WORD FILE KEY=N` (lock, unlock). */
static int parse_file_page(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r,
                           const char *usage)
{
    if (ntok != 3 || !keyval(tok[2], "page"))
        return trace_fail(t, line, "expected '%s'", usage);
    r->name = tok[1];
    if (text_parse_u64(keyval(tok[2], "page"), &r->arg[0]) != 0)
        return trace_fail(t, line, "bad page '%s': expected page=NUMBER", tok[2]);
    return 1;
}

int text_parse_directive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    const char *w = tok[0];
    if (word_is(w, "process")) {
        const char *usage = "process ID cpus=LIST";
        r->op = OP_OS_PROCESS;
        if (ntok != 3 || !keyval(tok[2], "cpus"))
            return trace_fail(t, line, "expected '%s' (LIST like 0-3 or 1,3)", usage);
        if (parse_pid(tok[1], &r->arg[0]) != 0)
            return trace_fail(t, line, "bad process id '%s': expected a number from 1", tok[1]);
        if (parse_cpus(keyval(tok[2], "cpus"), &r->arg[1]) != 0)
            return trace_fail(t, line, "bad core list '%s': expected cores 0-63 like 0-3 or 1,3",
                              tok[2]);
        return 1;
    }
    if (word_is(w, "terminate")) {
        r->op = OP_OS_TERMINATE;
        if (ntok != 2 || parse_pid(tok[1], &r->arg[0]) != 0)
            return trace_fail(t, line, "expected 'terminate PROCESS'");
        return 1;
    }
    if (word_is(w, "handle")) {
        const char *usage = "handle VALUE process=ID [access=none|full]";
        r->op = OP_OS_HANDLE;
        r->arg[2] = 1;
        if (ntok < 3 || ntok > 4 || text_parse_u64(tok[1], &r->arg[0]) != 0 ||
            !keyval(tok[2], "process") || parse_pid(keyval(tok[2], "process"), &r->arg[1]) != 0)
            return trace_fail(t, line, "expected '%s'", usage);
        if (ntok == 4) {
            const char *a = keyval(tok[3], "access");
            if (a && word_is(a, "none"))
                r->arg[2] = 0;
            else if (!a || !word_is(a, "full"))
                return trace_fail(t, line, "bad '%s': expected access=none or access=full",
                                  tok[3]);
        }
        return 1;
    }
    if (word_is(w, "file")) {
        r->op = OP_OS_FILE;
        if (ntok != 3 || !keyval(tok[2], "size"))
            return trace_fail(t, line, "expected 'file NAME size=SIZE'");
        r->name = tok[1];
        if (parse_size(keyval(tok[2], "size"), &r->arg[0]) != 0)
            return trace_fail(t, line, "bad size '%s': expected size=NUMBER (K/M/G allowed)",
                              tok[2]);
        return 1;
    }
    if (word_is(w, "map")) {
        const char *usage = "map PROCESS FILE base=ADDR [offset=N] [length=N]";
        r->op = OP_OS_MAP;
        if (ntok < 4)
            return trace_fail(t, line, "expected '%s'", usage);
        if (parse_pid(tok[1], &r->arg[0]) != 0)
            return trace_fail(t, line, "bad process id '%s': expected a number from 1", tok[1]);
        r->name = tok[2];
        int have_base = 0;
        for (int i = 3; i < ntok; i++) {
            const char *v;
            if ((v = keyval(tok[i], "base"))) {
                if (text_parse_u64(v, &r->addr) != 0)
                    return trace_fail(t, line, "bad '%s': expected base=ADDRESS", tok[i]);
                have_base = 1;
            } else if ((v = keyval(tok[i], "offset"))) {
                if (parse_size(v, &r->arg[1]) != 0)
                    return trace_fail(t, line, "bad '%s': expected offset=NUMBER", tok[i]);
            } else if ((v = keyval(tok[i], "length"))) {
                if (parse_size(v, &r->arg[2]) != 0 || r->arg[2] == 0)
                    return trace_fail(t, line, "bad '%s': expected length=NUMBER, at least 1",
                                      tok[i]);
            } else {
                return trace_fail(t, line, "unexpected '%s': expected '%s'", tok[i], usage);
            }
        }
        if (!have_base)
            return trace_fail(t, line, "map needs base=ADDR: expected '%s'", usage);
        return 1;
    }
    if (word_is(w, "lock")) {
        r->op = OP_OS_LOCK;
        return parse_file_page(t, line, tok, ntok, r, "lock FILE page=N");
    }
    if (word_is(w, "unlock")) {
        r->op = OP_OS_UNLOCK;
        return parse_file_page(t, line, tok, ntok, r, "unlock FILE page=N");
    }
    if (word_is(w, "acquire") || word_is(w, "release")) {
        r->op = word_is(w, "acquire") ? OP_OS_ACQUIRE : OP_OS_RELEASE;
        if (ntok != 2)
            return trace_fail(t, line, "expected '%s FILE'", w);
        r->name = tok[1];
        return 1;
    }
    if (word_is(w, "limit")) {
        r->op = OP_OS_LIMIT;
        if (ntok != 2 || !keyval(tok[1], "io_pages") ||
            text_parse_u64(keyval(tok[1], "io_pages"), &r->arg[0]) != 0)
            return trace_fail(t, line, "expected 'limit io_pages=N' (0: no limit)");
        return 1;
    }
    if (word_is(w, "expect")) {
        if (ntok >= 2 && word_is(tok[1], "disk")) {
            const char *usage = "expect disk FILE OFFSET SIZE =VALUE";
            r->op = OP_EXPECT_DISK;
            if (ntok != 6)
                return trace_fail(t, line, "expected '%s'", usage);
            r->name = tok[2];
            if (parse_size(tok[3], &r->arg[0]) != 0)
                return trace_fail(t, line, "bad offset '%s' in '%s'", tok[3], usage);
            return parse_check_value(t, line, tok[4], tok[5], r, usage);
        }
        if (ntok >= 2 && word_is(tok[1], "mem")) {
            const char *usage = "expect mem ADDR SIZE =VALUE";
            r->op = OP_EXPECT_MEM;
            if (ntok != 5)
                return trace_fail(t, line, "expected '%s'", usage);
            if (text_parse_u64(tok[2], &r->addr) != 0)
                return trace_fail(t, line, "bad address '%s' in '%s'", tok[2], usage);
            int rc = parse_check_value(t, line, tok[3], tok[4], r, usage);
            if (rc == 1 && r->addr + r->size < r->addr)
                return trace_fail(t, line, "address %s wraps past the top", tok[2]);
            return rc;
        }
        if (ntok >= 2 && word_is(tok[1], "fetch")) {
            const char *usage = "expect fetch ADDR SIZE =VALUE [cpu=N]";
            r->op = OP_EXPECT_FETCH;
            if (ntok != 5 && ntok != 6)
                return trace_fail(t, line, "expected '%s'", usage);
            if (text_parse_u64(tok[2], &r->addr) != 0)
                return trace_fail(t, line, "bad address '%s' in '%s'", tok[2], usage);
            if (ntok == 6 && (!keyval(tok[5], "cpu") ||
                              text_parse_u64(keyval(tok[5], "cpu"), &r->arg[0]) != 0 ||
                              r->arg[0] > 63))
                return trace_fail(t, line, "bad '%s': expected cpu=N (0 to 63)", tok[5]);
            return parse_check_value(t, line, tok[3], tok[4], r, usage);
        }
        return trace_fail(t, line, "expected 'expect disk ...', 'expect mem ...' or 'expect fetch ...'");
    }
    if (word_is(w, "roi")) {
        if (ntok == 2 && (word_is(tok[1], "begin") || word_is(tok[1], "end"))) {
            r->op = word_is(tok[1], "begin") ? OP_ROI_BEGIN : OP_ROI_END;
            return 1;
        }
        return trace_fail(t, line, "expected 'roi begin' or 'roi end'");
    }
    return trace_fail(t, line,
                      "bad line starting '%s': expected 'CPU OP ARGS' or a directive (process, "
                      "terminate, handle, file, map, lock, unlock, acquire, release, limit, "
                      "expect, roi)",
                      w);
}

int text_directive_known(const char *word, unsigned len)
{
    static const char *const words[] = {"process", "terminate", "handle", "file", "map",
                                        "lock", "unlock", "acquire", "release", "limit",
                                        "expect", "roi"};
    for (unsigned i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == len && memcmp(words[i], word, len) == 0)
            return 1;
    return 0;
}
