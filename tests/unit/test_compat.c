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
    int rc = compat_run(mode, c, format, traces, 1, json, true, false);
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
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(root, "caches"), cache);
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

/* A line invalidated between two reads of it must miss again, and a copy-back in between must
 * leave it a hit: the hit paths (dinero_refs, and cache_probe's look at the most recent slot)
 * trust a slot only while it still holds the line, valid. Expected counts worked by hand: reads of 0x100 (miss), 0x104
 * (hit), invalidate all (din's label 5), 0x108 (miss), write 0x10c (hit, dirty), copy-back all
 * (label 4: one write-back), 0x100 and 0x104 (hits: the line is still there, now clean). */
Test(compat, dinero_invalidate_between_reads_of_one_line, .init = cr_redirect_stdout)
{
    char path[] = "/tmp/cohsim-test-inval-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *text = "0 100\n0 104\n5 0\n0 108\n1 10c\n4 0\n0 100\n0 104\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    config_t *c = config_new();
    char err[512];
    cr_assert_eq(config_load_preset(c, "dinero", err, sizeof err), 0, "%s", err);
    cJSON *root = run_compat("dinero", c, "din", path);
    const cJSON *l1 = cJSON_GetObjectItemCaseSensitive(
        cJSON_GetObjectItemCaseSensitive(root, "caches"), "l1");
    cr_expect_eq((int)num(l1, "accesses", "read"), 5);
    cr_expect_eq((int)num(l1, "misses", "read"), 2);
    cr_expect_eq((int)num(l1, "accesses", "write"), 1);
    cr_expect_eq((int)num(l1, "misses", "write"), 0);
    cr_expect_eq((int)num(l1, "writebacks", NULL), 1);
    cJSON_Delete(root);
    config_free(c);
    unlink(path);
}
