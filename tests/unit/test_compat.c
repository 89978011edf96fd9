/* test_compat.c: --compat dinero and --compat cachegrind reproduce the reference counts exactly.
 *
 * tests/fixtures/reference/ holds the sort trace (din, xdin, lackey; the data-only din files are
 * the same traces without their ifetch records) and the counts Dinero IV and Valgrind Cachegrind
 * reported for it (dinero_summary.csv, cachegrind_summary.csv, copied from /work/shared/reference).
 * Each Dinero row's flags are translated into -c overrides of the dinero presets with the mapping
 * documented in traces/FORMATS.md, replayed through compat_run, and every reported count of the
 * JSON compared: demand fetches and misses per type, multi-block references, write-backs.
 */
#include <criterion/criterion.h>
#include <criterion/redirect.h>

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/compat.h"

#define FIX "tests/fixtures/reference/"
#define MAXF 48

/* Split a CSV line (quotes allowed, no escaped quotes) in place. */
static int csv_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        if (*p == '"') {
            f[n++] = ++p;
            while (*p && *p != '"')
                p++;
            if (*p)
                *p++ = '\0';
        } else {
            f[n++] = p;
            while (*p && *p != ',' && *p != '\n')
                p++;
        }
        if (*p != ',') {
            *p = '\0';
            break;
        }
        *p++ = '\0';
    }
    return n;
}

static int col(char **head, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(head[i], name) == 0)
            return i;
    cr_assert_fail("column %s missing", name);
    return -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Dinero flags -> cohsim configuration (the mapping in traces/FORMATS.md). */
static config_t *config_from_dinero(const char *flags_in)
{
    char flags[1024];
    snprintf(flags, sizeof flags, "%s", flags_in);
    int split = strstr(flags, "-l1-dsize") != NULL;
    int has_i = strstr(flags, "-l1-isize") != NULL;
    config_t *c = config_new();
    char err[512];
    cr_assert_eq(config_load_preset(c, split ? "dinero-split" : "dinero", err, sizeof err), 0,
                 "%s", err);
    if (split && !has_i)
        cr_assert_eq(config_set_assignment(c, "l1i.size=0", err, sizeof err), 0, "%s", err);
    char *save = NULL;
    for (char *opt = strtok_r(flags, " ", &save); opt; opt = strtok_r(NULL, " ", &save)) {
        char *val = strtok_r(NULL, " ", &save);
        cr_assert_not_null(val);
        if (strcmp(opt, "-informat") == 0)
            continue;
        int level;
        char kind, what[16];
        cr_assert_eq(sscanf(opt, "-l%d-%c%15s", &level, &kind, what), 3, "flag %s", opt);
        const char *section = level == 2 ? "l2" : kind == 'u' ? "l1" : kind == 'i' ? "l1i" : "l1d";
        char set[128];
        if (strcmp(what, "size") == 0)
            snprintf(set, sizeof set, "%s.size=%s", section, val);
        else if (strcmp(what, "bsize") == 0)
            snprintf(set, sizeof set, "%s.line=%s", section, val);
        else if (strcmp(what, "assoc") == 0)
            snprintf(set, sizeof set, "%s.assoc=%s", section, val);
        else if (strcmp(what, "repl") == 0)
            snprintf(set, sizeof set, "%s.repl=%s", section,
                     val[0] == 'l' ? "lru" : val[0] == 'f' ? "fifo" : val[0] == 'r' ? "random" : "plru");
        else if (strcmp(what, "wback") == 0)
            snprintf(set, sizeof set, "%s.write=%s", section, val[0] == 'a' ? "back" : "through");
        else if (strcmp(what, "walloc") == 0)
            snprintf(set, sizeof set, "%s.alloc=%s", section, val[0] == 'a' ? "yes" : "no");
        else
            cr_assert_fail("unmapped Dinero flag %s", opt);
        if (strcmp(what, "size") == 0) /* Dinero writes 32k and 1m; cohsim K and M */
            for (char *p = strchr(set, '='); *p; p++)
                if (*p == 'k' || *p == 'm')
                    *p = (char)(*p - 'a' + 'A');
        cr_assert_eq(config_set_assignment(c, set, err, sizeof err), 0, "%s: %s", set, err);
    }
    return c;
}

static cJSON *run_compat(const char *mode, config_t *c, const char *format, const char *trace)
{
    char json[] = "/tmp/cohsim-test-compat-XXXXXX";
    int fd = mkstemp(json);
    cr_assert(fd >= 0);
    close(fd);
    char *traces[1] = {(char *)trace};
    machine_opts_t mo = {.config = c, .preset = NULL, .have_base = 1};
    int rc = compat_run(mode, &mo, format, traces, 1, json, NULL, true, false);
    cr_assert_eq(rc, 0, "compat_run %s on %s failed", mode, trace);
    char *text = slurp(json);
    unlink(json);
    cJSON *root = cJSON_Parse(text);
    free(text);
    cr_assert_not_null(root);
    return root;
}

static double num(const cJSON *o, const char *a, const char *b)
{
    const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        x = cJSON_GetObjectItemCaseSensitive(x, b);
    cr_assert(cJSON_IsNumber(x), "missing %s.%s", a, b ? b : "");
    return x->valuedouble;
}

Test(compat, dinero_every_reference_configuration, .init = cr_redirect_stdout)
{
    char *csv = slurp(FIX "dinero_summary.csv");
    char *save = NULL;
    char *line = strtok_r(csv, "\n", &save);
    char *head[MAXF];
    int nh = csv_split(line, head, MAXF);
    int c_fmt = col(head, nh, "format"), c_cfg = col(head, nh, "config"),
        c_in = col(head, nh, "input"), c_flags = col(head, nh, "dinero_flags"),
        c_cache = col(head, nh, "cache");
    static const char *const checked[] = {"fetch_total", "fetch_instrn", "fetch_read",
                                          "fetch_write", "miss_total", "miss_instrn",
                                          "miss_read", "miss_write", "multiblock_refs",
                                          "writebacks_incl_final_flush",
                                          "writebacks_before_final_flush"};
    int ccheck[11];
    for (int i = 0; i < 11; i++)
        ccheck[i] = col(head, nh, checked[i]);
    char last[128] = "";
    cJSON *root = NULL;
    int rows = 0, runs = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f[MAXF];
        int n = csv_split(line, f, MAXF);
        cr_assert_eq(n, nh);
        char key[128];
        snprintf(key, sizeof key, "%s/%s", f[c_fmt], f[c_cfg]);
        if (strcmp(key, last) != 0) {
            cJSON_Delete(root);
            snprintf(last, sizeof last, "%s", key);
            char trace[256];
            snprintf(trace, sizeof trace, FIX "sort.%s%s.xz", f[c_fmt],
                     strstr(f[c_in], "data") ? ".data" : "");
            config_t *c = config_from_dinero(f[c_flags]);
            root = run_compat("dinero", c, f[c_fmt], trace);
            config_free(c);
            runs++;
        }
        const char *cache = strcmp(f[c_cache], "l1-ucache") == 0   ? "l1"
                            : strcmp(f[c_cache], "l1-icache") == 0 ? "l1i"
                            : strcmp(f[c_cache], "l1-dcache") == 0 ? "l1d"
                                                                   : "l2";
        /* `run`'s layout: Dinero's caches are core 0's */
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "cores"), 0), "caches"),
            cache);
        cr_assert_not_null(o, "%s: no cache %s", key, cache);
        double got[11] = {
            num(o, "accesses", "total"),  num(o, "accesses", "ifetch"),
            num(o, "accesses", "read"),   num(o, "accesses", "write"),
            num(o, "misses", "total"),    num(o, "misses", "ifetch"),
            num(o, "misses", "read"),     num(o, "misses", "write"),
            num(o, "multiblock", NULL),
            num(o, "writebacks", NULL) + num(o, "writebacks_at_end", NULL),
            num(o, "writebacks", NULL)};
        for (int i = 0; i < 11; i++) {
            if (!*f[ccheck[i]])
                continue;
            cr_expect_eq((long long)got[i], atoll(f[ccheck[i]]), "%s %s: %s = %lld, Dinero %s",
                         key, cache, checked[i], (long long)got[i], f[ccheck[i]]);
        }
        rows++;
    }
    cJSON_Delete(root);
    free(csv);
    cr_assert_gt(rows, 100, "only %d reference rows", rows);
    cr_assert_gt(runs, 50);
}

Test(compat, cachegrind_both_geometries, .init = cr_redirect_stdout)
{
    char *csv = slurp(FIX "cachegrind_summary.csv");
    char *save = NULL;
    char *line = strtok_r(csv, "\n", &save);
    char *head[MAXF];
    int nh = csv_split(line, head, MAXF);
    int c_flags = col(head, nh, "cachegrind_flags");
    static const char *const ctr[9] = {"Ir", "I1mr", "ILmr", "Dr", "D1mr",
                                       "DLmr", "Dw", "D1mw", "DLmw"};
    int rows = 0;
    while ((line = strtok_r(NULL, "\n", &save))) {
        char *f[MAXF];
        cr_assert_eq(csv_split(line, f, MAXF), nh);
        unsigned long long isz, ia, il, dsz, da, dl, lsz, la, ll;
        const char *p = strstr(f[c_flags], "--I1=");
        cr_assert_not_null(p);
        cr_assert_eq(sscanf(p, "--I1=%llu,%llu,%llu --D1=%llu,%llu,%llu --LL=%llu,%llu,%llu", &isz,
                            &ia, &il, &dsz, &da, &dl, &lsz, &la, &ll),
                     9);
        config_t *c = config_new();
        char err[512], set[64];
        cr_assert_eq(config_load_preset(c, "cachegrind", err, sizeof err), 0);
        const struct {
            const char *s;
            unsigned long long size, assoc, line;
        } lv[3] = {{"l1i", isz, ia, il}, {"l1d", dsz, da, dl}, {"llc", lsz, la, ll}};
        for (int i = 0; i < 3; i++) {
            snprintf(set, sizeof set, "%s.size=%llu", lv[i].s, lv[i].size);
            cr_assert_eq(config_set_assignment(c, set, err, sizeof err), 0, "%s", err);
            snprintf(set, sizeof set, "%s.assoc=%llu", lv[i].s, lv[i].assoc);
            cr_assert_eq(config_set_assignment(c, set, err, sizeof err), 0, "%s", err);
            snprintf(set, sizeof set, "%s.line=%llu", lv[i].s, lv[i].line);
            cr_assert_eq(config_set_assignment(c, set, err, sizeof err), 0, "%s", err);
        }
        cJSON *root = run_compat("cachegrind", c, "lackey", FIX "sort.lackey.xz");
        config_free(c);
        const cJSON *cg = cJSON_GetObjectItemCaseSensitive(root, "cachegrind");
        for (int i = 0; i < 9; i++)
            cr_expect_eq((long long)num(cg, ctr[i], NULL), atoll(f[col(head, nh, ctr[i])]),
                         "%s: %s", f[col(head, nh, "config")], ctr[i]);
        cJSON_Delete(root);
        rows++;
    }
    free(csv);
    cr_assert_eq(rows, 2);
}

/* Replay din text through --compat dinero with the preset dinero changed by the -c assignments
 * in sets (NULL-terminated; a first entry "dinero-split" picks that preset); the JSON report. */
static cJSON *run_din(const char *text, const char *const *sets)
{
    const char *preset = "dinero";
    if (sets && strcmp(sets[0], "dinero-split") == 0)
        preset = *sets++;
    char path[] = "/tmp/cohsim-test-din-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    config_t *c = config_new();
    char err[512];
    cr_assert_eq(config_load_preset(c, preset, err, sizeof err), 0, "%s", err);
    for (unsigned i = 0; sets && sets[i]; i++)
        cr_assert_eq(config_set_assignment(c, sets[i], err, sizeof err), 0, "%s: %s", sets[i],
                     err);
    cJSON *root = run_compat("dinero", c, "din", path);
    config_free(c);
    unlink(path);
    return root;
}

static const cJSON *cache_of(const cJSON *root, const char *name)
{
    /* `run`'s layout: Dinero's caches are core 0's */
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(
            cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(root, "cores"), 0), "caches"),
        name);
    cr_assert_not_null(o, "no cache %s", name);
    return o;
}

/* A line invalidated between two reads of it must miss again, and a copy-back in between must
 * leave it a hit: the hit paths (dinero_refs, and cache_probe's look at the most recent slot)
 * trust a slot only while it still holds the line, valid. Expected counts worked by hand: reads
 * of 0x100 (miss), 0x104 (hit), invalidate the line (din's label 5), 0x108 (miss), write 0x10c
 * (hit, dirty), copy-back the line (label 4: one write-back), 0x100 and 0x104 (hits: the line is
 * still there, now clean). */
Test(compat, dinero_invalidate_between_reads_of_one_line, .init = cr_redirect_stdout)
{
    cJSON *root = run_din("0 100\n0 104\n5 100\n0 108\n1 10c\n4 108\n0 100\n0 104\n", NULL);
    const cJSON *l1 = cache_of(root, "l1");
    cr_expect_eq((int)num(l1, "accesses", "read"), 5);
    cr_expect_eq((int)num(l1, "misses", "read"), 2);
    cr_expect_eq((int)num(l1, "accesses", "write"), 1);
    cr_expect_eq((int)num(l1, "misses", "write"), 0);
    cr_expect_eq((int)num(l1, "writebacks", NULL), 1);
    cr_expect_eq((int)num(l1, "writebacks_at_end", NULL), 0);
    cJSON_Delete(root);
}

/* Din labels 4 and 5 act on the one line at their address, as Dinero does: its din reader gives
 * every record size 4, and d4copyback and d4invalidate treat a nonzero size as one block. Worked
 * by hand, 32K 8-way L1 (lines 0x100 and 0x200 in sets 4 and 8): read 0x100 and 0x200 (2 misses),
 * write 0x104 and 0x204 (hits, both lines dirty), copy back 0x108 (0x100's line only: 1
 * write-back), invalidate 0x200 (its line dropped, dirty as it is, without a write-back), read
 * 0x100 (hit: still there) and 0x200 (miss). At the end nothing is dirty: no write-back.
 * Whole-cache labels would give 2 write-backs and 4 read misses. */
Test(compat, dinero_din_labels_4_and_5_act_on_one_line, .init = cr_redirect_stdout)
{
    cJSON *root = run_din("0 100\n0 200\n1 104\n1 204\n4 108\n5 200\n0 100\n0 200\n", NULL);
    const cJSON *l1 = cache_of(root, "l1");
    cr_expect_eq((int)num(l1, "accesses", "read"), 4);
    cr_expect_eq((int)num(l1, "misses", "read"), 3);
    cr_expect_eq((int)num(l1, "accesses", "write"), 2);
    cr_expect_eq((int)num(l1, "misses", "write"), 0);
    cr_expect_eq((int)num(l1, "writebacks", NULL), 1);
    cr_expect_eq((int)num(l1, "writebacks_at_end", NULL), 0);
    cJSON_Delete(root);
}

/* A copy-back goes to the data cache alone and propagates down, as Dinero's driver sends it
 * (cmdmain.c: only instruction fetches and invalidates go to the instruction side). Data-only
 * configuration, where instruction fetches enter the L2: L1D one 64-byte line, L2 1K 2-way. Worked
 * by hand: write 0x0 (A; L1D miss, L2 read miss), write 0x40 (B; L1D miss, L2 read miss, dirty A
 * written back: an L2 write hit, A dirty there), write A (L1D miss, L2 read hit, dirty B written
 * back: B dirty in L2). A is now dirty in both. Copy back A: the L1D writes A to the L2 (a hit),
 * then the L2 writes A back: 1 L2 write-back during the trace, and B's at the end. Sending the
 * copy-back to the L2 first as well would write A back from the L2 twice. */
Test(compat, dinero_copyback_goes_to_the_data_cache, .init = cr_redirect_stdout)
{
    const char *const sets[] = {"dinero-split", "l1i.size=0", "l1d.size=64", "l1d.assoc=1",
                                "l2.size=1K", "l2.assoc=2", NULL};
    cJSON *root = run_din("1 0\n1 40\n1 0\n4 0\n", sets);
    const cJSON *l1d = cache_of(root, "l1d"), *l2 = cache_of(root, "l2");
    cr_expect_eq((int)num(l1d, "misses", "write"), 3);
    cr_expect_eq((int)num(l1d, "writebacks", NULL), 3);
    cr_expect_eq((int)num(l1d, "writebacks_at_end", NULL), 0);
    cr_expect_eq((int)num(l2, "accesses", "read"), 3);
    cr_expect_eq((int)num(l2, "misses", "read"), 2);
    cr_expect_eq((int)num(l2, "accesses", "write"), 3);
    cr_expect_eq((int)num(l2, "misses", "write"), 0);
    cr_expect_eq((int)num(l2, "writebacks", NULL), 1);
    cr_expect_eq((int)num(l2, "writebacks_at_end", NULL), 1);
    cJSON_Delete(root);
}

/* The end-of-run flush writes a set's dirty lines back from the bottom of Dinero's replacement
 * stack up, and that order decides hits in a small level below. Geometry: L1 128 bytes, 2 ways
 * (one set), over an L2 of one 64-byte line; both write-back, write-allocate. A = 0x0, B = 0x40.
 *
 * Trace "1 0, 1 40": write A (L1 miss: A fetched from L2 as a read, L2 read miss), write B (L1
 * miss, L2 read miss: B replaces clean A). L1 holds A (way 0, older) and B (way 1), both dirty;
 * L2 holds B, clean. Dinero flushes A first (bottom of the stack: least recently used, and the
 * oldest fill): A misses in L2 (a whole-line write: no fetch; clean B dropped), B misses (dirty A
 * written back); then L2's flush writes B back. L2: 2 write accesses, 2 write misses, 2
 * write-backs at the end. Flushing by descending way (B first) would give 1 write miss.
 *
 * Trace "1 0, 1 40, 0 0": the read hits A, which becomes the most recently used. Under LRU Dinero
 * flushes B first (a hit in L2, which then holds B dirty), then A (a miss; dirty B written back),
 * then L2's flush writes A back: 1 write miss. Under FIFO, random and PLRU the stack is the
 * order of fills (hits do not move a line), so A is flushed first as in the first trace: 2 write
 * misses. (No random draw: each L1 fill finds an invalid way.) */
static void flush_order_case(const char *repl, const char *trace, int l2_write_misses)
{
    char set_repl[32];
    snprintf(set_repl, sizeof set_repl, "l1.repl=%s", repl);
    const char *const sets[] = {"l1.size=128", "l1.assoc=2", "l2.size=64", "l2.assoc=1",
                                set_repl, NULL};
    cJSON *root = run_din(trace, sets);
    const cJSON *l1 = cache_of(root, "l1"), *l2 = cache_of(root, "l2");
    cr_expect_eq((int)num(l1, "writebacks_at_end", NULL), 2, "%s", repl);
    cr_expect_eq((int)num(l2, "accesses", "read"), 2, "%s", repl);
    cr_expect_eq((int)num(l2, "misses", "read"), 2, "%s", repl);
    cr_expect_eq((int)num(l2, "accesses", "write"), 2, "%s", repl);
    cr_expect_eq((int)num(l2, "misses", "write"), l2_write_misses, "%s: %s", repl, trace);
    cr_expect_eq((int)num(l2, "writebacks", NULL), 0, "%s", repl);
    cr_expect_eq((int)num(l2, "writebacks_at_end", NULL), 2, "%s", repl);
    cJSON_Delete(root);
}

Test(compat, dinero_flush_order_is_the_replacement_stack_bottom_up, .init = cr_redirect_stdout)
{
    static const char *const repls[] = {"lru", "fifo", "random", "plru"};
    for (unsigned i = 0; i < 4; i++) {
        flush_order_case(repls[i], "1 0\n1 40\n", 2);
        flush_order_case(repls[i], "1 0\n1 40\n0 0\n", i == 0 ? 1 : 2);
    }
}
