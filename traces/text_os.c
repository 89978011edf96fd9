/* text_os.c: text-trace syntax for the five primitives' arguments and for directives (lines that
 * start with a word, not a CPU): OS set-up and checks. Each line becomes one request whose
 * arguments are laid out as model/ops.def documents per row; a primitive's arguments are read
 * by its PRIM row's slots (op_args), which also give its usage line; a directive's usage line,
 * keywords, names in messages and fields come from its DIRECTIVE row, and both are written back
 * (text_format_primitive, text_format_directive) as they are read.
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
/* The longest word text_format_primitive writes for one argument (a file name, a number), with
 * its NUL. */
#define OS_WORD_MAX (TEXT_NAME_MAX + 1)

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
    case OPARG_PID: case OPARG_CPUS: case OPARG_ACCESS: case OPARG_PAGE: case OPARG_COUNT:
    case OPARG_ADDR: case OPARG_WIDTH: case OPARG_VALUE: case OPARG_CPU: /* directives' */
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
        case OPARG_PID: case OPARG_CPUS: case OPARG_ACCESS: case OPARG_PAGE: case OPARG_COUNT:
        case OPARG_ADDR: case OPARG_WIDTH: case OPARG_VALUE: case OPARG_CPU: /* directives' */
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

/* ---- directives, by their DIRECTIVE rows: the usage lines, the keywords, the names in the
 * messages and the fields each value goes to come from the row; what each directive accepts and
 * says when it does not is its own. ---- */

/* Op's slot of that kind (its DIRECTIVE row has it). */
static const op_arg_t *slot(op_t op, op_arg_kind_t kind) { return op_arg_of(op, kind); }

/* The value of a keyword argument (label [key=...] or key=...) when tok is key=VALUE, else NULL. */
static const char *slot_keyval(const op_arg_t *a, const char *tok)
{
    const char *key = a->label + (a->label[0] == '[');
    size_t n = strcspn(key, "=");
    return strncmp(tok, key, n) == 0 && tok[n] == '=' ? tok + n + 1 : NULL;
}

/* Fill r for `WORD FILE page=N` (lock, unlock). */
static int parse_file_page(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r,
                           const char *usage)
{
    const op_arg_t *page = slot((op_t)r->op, OPARG_PAGE);
    if (ntok != 3 || !slot_keyval(page, tok[2]))
        return trace_fail(t, line, "expected '%s'", usage);
    r->name = tok[1];
    uint64_t v;
    if (text_parse_u64(slot_keyval(page, tok[2]), &v) != 0)
        return trace_fail(t, line, "bad %s '%s': expected %.*s=NUMBER", page->what, tok[2],
                          (int)strcspn(page->label, "="), page->label);
    op_arg_put(r, page, v);
    return 1;
}

/* The directive row whose spelling tok starts with (one word, or two: expect disk), else
 * OP_COUNT; *words is set to the words it takes. */
static op_t directive_of(char **tok, int ntok, int *words)
{
    for (unsigned i = 0; i < OP_COUNT; i++) {
        if (op_class((op_t)i) < OPC_OS)
            continue;
        const char *sp = op_name((op_t)i);
        size_t n = strcspn(sp, " ");
        if (strlen(tok[0]) != n || memcmp(sp, tok[0], n) != 0)
            continue;
        if (sp[n] == '\0') {
            *words = 1;
            return (op_t)i;
        }
        if (ntok >= 2 && word_is(tok[1], sp + n + 1)) {
            *words = 2;
            return (op_t)i;
        }
    }
    return OP_COUNT;
}

/* The directives' first words, in row order, ", "-separated: "process, terminate, ..., roi". */
static void directive_words(char *buf, size_t len)
{
    size_t used = 0;
    const char *last = NULL;
    size_t last_n = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < OP_COUNT; i++) {
        if (op_class((op_t)i) < OPC_OS)
            continue;
        const char *sp = op_name((op_t)i);
        size_t n = strcspn(sp, " ");
        if (last && n == last_n && memcmp(sp, last, n) == 0)
            continue;
        int w = snprintf(buf + used, len - used, "%s%.*s", last ? ", " : "", (int)n, sp);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
        last = sp;
        last_n = n;
    }
}

/* `SIZE =V`: a check's size of 1, 2, 4 or 8 bytes and its value. */
static int parse_check_value(trace_t *t, uint64_t line, const char *size_tok, const char *val_tok,
                             mem_req_t *r, const char *usage)
{
    const op_arg_t *width = slot((op_t)r->op, OPARG_WIDTH), *value = slot((op_t)r->op, OPARG_VALUE);
    uint64_t size, v;
    if (text_parse_u64(size_tok, &size) != 0 ||
        (size != 1 && size != 2 && size != 4 && size != 8))
        return trace_fail(t, line, "bad %s '%s': expected 1, 2, 4 or 8 in '%s'", width->what,
                          size_tok, usage);
    if (val_tok[0] != '=' || text_parse_value(val_tok + 1, &v) != 0)
        return trace_fail(t, line, "bad %s '%s': expected =NUMBER in '%s'", value->what, val_tok,
                          usage);
    op_arg_put(r, width, size);
    op_arg_put(r, value, v);
    return 1;
}

int text_parse_directive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    int words = 0;
    op_t op = directive_of(tok, ntok, &words);
    if (op == OP_COUNT) {
        if (word_is(tok[0], "expect"))
            return trace_fail(t, line, "expected 'expect disk ...', 'expect mem ...' or 'expect "
                                       "fetch ...'");
        if (word_is(tok[0], "roi"))
            return trace_fail(t, line, "expected 'roi begin' or 'roi end'");
        char list[160];
        directive_words(list, sizeof list);
        return trace_fail(t, line,
                          "bad line starting '%s': expected 'CPU OP ARGS' or a directive (%s)",
                          tok[0], list);
    }
    char usage[128];
    op_usage(op, usage, sizeof usage);
    r->op = (uint8_t)op;
    uint64_t v;
    switch (op) {
    case OP_OS_PROCESS: {
        const op_arg_t *pid = slot(op, OPARG_PID), *cpus = slot(op, OPARG_CPUS);
        if (ntok != 3 || !slot_keyval(cpus, tok[2]))
            return trace_fail(t, line, "expected '%s' (LIST like 0-3 or 1,3)", usage);
        if (parse_pid(tok[1], &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected a number from 1", pid->what, tok[1]);
        op_arg_put(r, pid, v);
        if (parse_cpus(slot_keyval(cpus, tok[2]), &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected cores 0-63 like 0-3 or 1,3",
                              cpus->what, tok[2]);
        op_arg_put(r, cpus, v);
        return 1;
    }
    case OP_OS_TERMINATE:
        if (ntok != 2 || parse_pid(tok[1], &v) != 0)
            return trace_fail(t, line, "expected '%s'", usage);
        op_arg_put(r, slot(op, OPARG_PID), v);
        return 1;
    case OP_OS_HANDLE: {
        const op_arg_t *access = slot(op, OPARG_ACCESS), *pid = slot(op, OPARG_PID);
        uint64_t handle, id;
        op_arg_put(r, access, 1);
        if (ntok < 3 || ntok > 4 || text_parse_u64(tok[1], &handle) != 0 ||
            !slot_keyval(pid, tok[2]) || parse_pid(slot_keyval(pid, tok[2]), &id) != 0)
            return trace_fail(t, line, "expected '%s'", usage);
        op_arg_put(r, slot(op, OPARG_HANDLE), handle);
        op_arg_put(r, pid, id);
        if (ntok == 4) {
            const char *a = slot_keyval(access, tok[3]);
            if (a && word_is(a, "none"))
                op_arg_put(r, access, 0);
            else if (!a || !word_is(a, "full"))
                return trace_fail(t, line, "bad '%s': expected access=none or access=full",
                                  tok[3]);
        }
        return 1;
    }
    case OP_OS_FILE: {
        const op_arg_t *size = slot(op, OPARG_SIZE);
        if (ntok != 3 || !slot_keyval(size, tok[2]))
            return trace_fail(t, line, "expected '%s'", usage);
        r->name = tok[1];
        if (parse_size(slot_keyval(size, tok[2]), &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected size=NUMBER (K/M/G allowed)",
                              size->what, tok[2]);
        op_arg_put(r, size, v);
        return 1;
    }
    case OP_OS_MAP: {
        const op_arg_t *base = slot(op, OPARG_BASE), *offset = slot(op, OPARG_OFFSET),
                       *length = slot(op, OPARG_SIZE);
        if (ntok < 4)
            return trace_fail(t, line, "expected '%s'", usage);
        if (parse_pid(tok[1], &v) != 0)
            return trace_fail(t, line, "bad %s '%s': expected a number from 1",
                              slot(op, OPARG_PID)->what, tok[1]);
        op_arg_put(r, slot(op, OPARG_PID), v);
        r->name = tok[2];
        int have_base = 0;
        for (int i = 3; i < ntok; i++) {
            const char *val;
            if ((val = slot_keyval(base, tok[i]))) {
                if (text_parse_u64(val, &v) != 0)
                    return trace_fail(t, line, "bad '%s': expected base=ADDRESS", tok[i]);
                op_arg_put(r, base, v);
                have_base = 1;
            } else if ((val = slot_keyval(offset, tok[i]))) {
                if (parse_size(val, &v) != 0)
                    return trace_fail(t, line, "bad '%s': expected offset=NUMBER", tok[i]);
                op_arg_put(r, offset, v);
            } else if ((val = slot_keyval(length, tok[i]))) {
                if (parse_size(val, &v) != 0 || v == 0)
                    return trace_fail(t, line, "bad '%s': expected length=NUMBER, at least 1",
                                      tok[i]);
                op_arg_put(r, length, v);
            } else {
                return trace_fail(t, line, "unexpected '%s': expected '%s'", tok[i], usage);
            }
        }
        if (!have_base)
            return trace_fail(t, line, "map needs base=ADDR: expected '%s'", usage);
        return 1;
    }
    case OP_OS_LOCK:
    case OP_OS_UNLOCK:
        return parse_file_page(t, line, tok, ntok, r, usage);
    case OP_OS_ACQUIRE:
    case OP_OS_RELEASE:
        if (ntok != 2)
            return trace_fail(t, line, "expected '%s'", usage);
        r->name = tok[1];
        return 1;
    case OP_OS_LIMIT: {
        const op_arg_t *pages = slot(op, OPARG_COUNT);
        if (ntok != 2 || !slot_keyval(pages, tok[1]) ||
            text_parse_u64(slot_keyval(pages, tok[1]), &v) != 0)
            return trace_fail(t, line, "expected '%s' (0: no limit)", usage);
        op_arg_put(r, pages, v);
        return 1;
    }
    case OP_EXPECT_DISK:
        if (ntok != 6)
            return trace_fail(t, line, "expected '%s'", usage);
        r->name = tok[2];
        if (parse_size(tok[3], &v) != 0)
            return trace_fail(t, line, "bad %s '%s' in '%s'", slot(op, OPARG_OFFSET)->what, tok[3],
                              usage);
        op_arg_put(r, slot(op, OPARG_OFFSET), v);
        return parse_check_value(t, line, tok[4], tok[5], r, usage);
    case OP_EXPECT_MEM: {
        if (ntok != 5)
            return trace_fail(t, line, "expected '%s'", usage);
        if (text_parse_u64(tok[2], &v) != 0)
            return trace_fail(t, line, "bad %s '%s' in '%s'", slot(op, OPARG_ADDR)->what, tok[2],
                              usage);
        op_arg_put(r, slot(op, OPARG_ADDR), v);
        int rc = parse_check_value(t, line, tok[3], tok[4], r, usage);
        if (rc == 1 && r->addr + r->size < r->addr)
            return trace_fail(t, line, "%s %s wraps past the top", slot(op, OPARG_ADDR)->what,
                              tok[2]);
        return rc;
    }
    case OP_EXPECT_FETCH: {
        const op_arg_t *cpu = slot(op, OPARG_CPU);
        if (ntok != 5 && ntok != 6)
            return trace_fail(t, line, "expected '%s'", usage);
        if (text_parse_u64(tok[2], &v) != 0)
            return trace_fail(t, line, "bad %s '%s' in '%s'", slot(op, OPARG_ADDR)->what, tok[2],
                              usage);
        op_arg_put(r, slot(op, OPARG_ADDR), v);
        if (ntok == 6) {
            if (!slot_keyval(cpu, tok[5]) || text_parse_u64(slot_keyval(cpu, tok[5]), &v) != 0 ||
                v > 63)
                return trace_fail(t, line, "bad '%s': expected cpu=N (0 to 63)", tok[5]);
            op_arg_put(r, cpu, v);
        }
        return parse_check_value(t, line, tok[3], tok[4], r, usage);
    }
    case OP_ROI_BEGIN:
    case OP_ROI_END:
        if (ntok != 2)
            return trace_fail(t, line, "expected 'roi begin' or 'roi end'");
        return 1;
    default:
        return trace_fail(t, line, "%s is not a directive", op_name(op));
    }
}

int text_directive_known(const char *word, unsigned len)
{
    for (unsigned i = 0; i < OP_COUNT; i++)
        if (op_class((op_t)i) >= OPC_OS && strcspn(op_name((op_t)i), " ") == len &&
            memcmp(op_name((op_t)i), word, len) == 0)
            return 1;
    return 0;
}

/* A set of cores as the reader takes it: ranges N-M and single cores, comma-separated. */
static void format_cpus(uint64_t mask, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned c = 0; c < 64; c++) {
        if (!(mask >> c & 1))
            continue;
        unsigned hi = c;
        while (hi < 63 && (mask >> (hi + 1) & 1))
            hi++;
        int w = hi > c ? snprintf(buf + used, len - used, "%s%u-%u", used ? "," : "", c, hi)
                       : snprintf(buf + used, len - used, "%s%u", used ? "," : "", c);
        if (w < 0 || (size_t)w >= len - used)
            return;
        used += (size_t)w;
        c = hi;
    }
}

int text_format_directive(const mem_req_t *r, char *buf, size_t len, char *err, size_t errlen)
{
    op_t op = (op_t)r->op;
    unsigned nargs, required;
    const op_arg_t *args = op_args(op, &nargs, &required);
    size_t used = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned i = 0; args && i < nargs; i++) {
        const op_arg_t *a = &args[i];
        uint64_t v = a->kind == OPARG_FILE ? 0 : op_arg_get(r, a);
        bool optional = i >= required, bad = false;
        char word[OS_WORD_MAX];
        switch ((op_arg_kind_t)a->kind) {
        case OPARG_FILE: {
            const char *name = r->name ? r->name : "";
            if (!*name || strlen(name) >= sizeof word || strpbrk(name, " \t\r\n#")) {
                snprintf(err, errlen, "%s's %s '%s' is not one word of the text format",
                         op_name(op), a->what, name);
                return -1;
            }
            snprintf(word, sizeof word, "%s", name);
            break;
        }
        case OPARG_PID:
            bad = v < 1 || v > UINT32_MAX;
            snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_CPUS:
            bad = v == 0;
            format_cpus(v, word, sizeof word);
            break;
        case OPARG_ACCESS: /* full when left out */
            bad = v > 1;
            if (optional && v == 1)
                continue;
            snprintf(word, sizeof word, "%s", v ? "full" : "none");
            break;
        case OPARG_WIDTH:
            bad = v != 1 && v != 2 && v != 4 && v != 8;
            snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_CPU:
            bad = v > 63;
            snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_BASE:
        case OPARG_ADDR:
        case OPARG_OFFSET:
            snprintf(word, sizeof word, "0x%" PRIx64, v);
            break;
        case OPARG_HANDLE:
        case OPARG_SIZE:
        case OPARG_PAGE:
        case OPARG_COUNT:
        case OPARG_VALUE:
            snprintf(word, sizeof word, "%" PRIu64, v);
            break;
        case OPARG_NONE:
        case OPARG_FLAGS:
            continue;
        }
        if (bad) {
            snprintf(err, errlen, "%s's %s %" PRIu64 " has no spelling in the text format",
                     op_name(op), a->what, v);
            return -1;
        }
        if (optional && v == 0 && a->kind != OPARG_ACCESS)
            continue; /* left out: 0 */
        /* the label says how the word is written: key=WORD, =WORD or WORD */
        const char *label = a->label + optional;
        int keylen = label[0] == '=' ? 1 : (int)strcspn(label, "=") + 1;
        if (label[0] != '=' && !strchr(label, '='))
            keylen = 0;
        int w = snprintf(buf + used, len - used, " %.*s%s", keylen, label, word);
        if (w < 0 || (size_t)w >= len - used) {
            snprintf(err, errlen, "%s's arguments are too long to write", op_name(op));
            return -1;
        }
        used += (size_t)w;
    }
    return 0;
}
