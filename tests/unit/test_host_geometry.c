/* test_host_geometry.c: every source of the cache geometry (sim/host_geometry.c) decodes fixtures
 * of real machines (tests/fixtures/hosts/) to what those machines have, without reading this
 * host: an injected sysfs root, injected CPUID tables, and injected staircase latencies. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/host.h"

#define HOSTS "tests/fixtures/hosts/"

typedef struct want {
    unsigned level;
    const char *type;
    uint64_t size;
    unsigned assoc, line, shared;
} want_t;

static void expect_caches(const host_cache_t *got, int n, const want_t *want, int nwant,
                          host_geom_source_t source)
{
    cr_assert_eq(n, nwant, "%d levels, expected %d", n, nwant);
    for (int i = 0; i < n; i++) {
        cr_expect_eq(got[i].level, want[i].level, "[%d] level %u", i, got[i].level);
        cr_expect_str_eq(got[i].type, want[i].type, "[%d]", i);
        cr_expect_eq(got[i].size, want[i].size, "[%d] size %llu", i,
                     (unsigned long long)got[i].size);
        cr_expect_eq(got[i].assoc, want[i].assoc, "[%d] assoc %u", i, got[i].assoc);
        cr_expect_eq(got[i].line, want[i].line, "[%d] line %u", i, got[i].line);
        cr_expect_eq(got[i].shared_cpus, want[i].shared, "[%d] shared %u", i,
                     got[i].shared_cpus);
        cr_expect_eq(got[i].source, source, "[%d] source %s", i,
                     host_geom_source_name(got[i].source));
    }
}

static host_cpuid_table_t table;

static host_cpuid_t load_table(const char *path)
{
    char err[256];
    cr_assert_eq(host_cpuid_table_load(path, &table, err, sizeof err), 0, "%s", err);
    return host_cpuid_of_table(&table);
}

static const want_t i5_8350u[] = {
    {1, "Data", 32 << 10, 8, 64, 2},
    {1, "Instruction", 32 << 10, 8, 64, 2},
    {2, "Unified", 256 << 10, 4, 64, 2},
    {3, "Unified", 6 << 20, 12, 64, 16},
};

Test(host_geometry, intel_leaf4)
{
    host_cpuid_t c = load_table(HOSTS "intel-i5-8350u/cpuid.txt");
    host_cache_t got[16];
    char err[256];
    int n = host_caches_cpuid(&c, got, 16, err, sizeof err);
    expect_caches(got, n, i5_8350u, 4, HOST_GEOM_CPUID4);
}

Test(host_geometry, intel_sysfs_agrees_with_its_cpuid)
{
    host_cache_t got[16];
    char err[256];
    int n = host_caches_sysfs(HOSTS "intel-i5-8350u/sysfs", got, 16, err, sizeof err);
    /* sysfs counts the CPUs present (a list), CPUID the IDs addressable: only sharing differs */
    want_t w[4];
    memcpy(w, i5_8350u, sizeof w);
    w[3].shared = 8;
    expect_caches(got, n, w, 4, HOST_GEOM_SYSFS);
}

Test(host_geometry, amd_8000001d_preferred_to_the_legacy_leaves)
{
    static const want_t w[] = {
        {1, "Data", 32 << 10, 8, 64, 1},
        {1, "Instruction", 32 << 10, 8, 64, 1},
        {2, "Unified", 512 << 10, 8, 64, 1},
        {3, "Unified", 32 << 20, 16, 64, 2},
    };
    host_cpuid_t c = load_table(HOSTS "epyc-7r13-guest/cpuid.txt");
    host_cache_t got[16];
    char err[256];
    int n = host_caches_cpuid(&c, got, 16, err, sizeof err);
    expect_caches(got, n, w, 4, HOST_GEOM_CPUID_AMD);
}

Test(host_geometry, amd_legacy_leaves_when_8000001d_is_empty)
{
    /* this development machine: no sysfs, an all-zero 0x8000001D; the L3's ways code 9 says
     * nothing (0), and the legacy leaves say nothing about sharing (0) */
    static const want_t w[] = {
        {1, "Data", 48 << 10, 12, 64, 0},
        {1, "Instruction", 32 << 10, 8, 64, 0},
        {2, "Unified", 1 << 20, 8, 64, 0},
        {3, "Unified", 1016ull << 19, 0, 64, 0},
    };
    host_cpuid_t c = load_table(HOSTS "epyc-vm-no-sysfs/cpuid.txt");
    host_cache_t got[16];
    char err[256];
    int n = host_caches_detect(HOSTS "epyc-vm-no-sysfs/sysfs", &c, got, 16, err, sizeof err);
    expect_caches(got, n, w, 4, HOST_GEOM_CPUID_AMD_LEGACY);
    cr_expect(strstr(err, "epyc-vm-no-sysfs/sysfs: no readable cache descriptions"), "%s", err);
}

Test(host_geometry, sysfs_comes_before_cpuid)
{
    host_cpuid_t c = load_table(HOSTS "epyc-vm-no-sysfs/cpuid.txt");
    host_cache_t got[16];
    char err[256];
    int n = host_caches_detect(HOSTS "intel-i5-8350u/sysfs", &c, got, 16, err, sizeof err);
    cr_assert_eq(n, 4);
    cr_expect_eq(got[0].source, HOST_GEOM_SYSFS);
    cr_expect_eq(got[3].size, 6 << 20);
}

/* No sysfs and no CPUID (not x86): both reasons, no levels. */
static int no_cpuid(const void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    (void)ctx, (void)leaf, (void)subleaf, (void)regs;
    return 0;
}

Test(host_geometry, no_source_says_why)
{
    host_cpuid_t c = {no_cpuid, NULL};
    host_cache_t got[16];
    char err[512];
    cr_assert_eq(host_caches_detect("/nonexistent/cache", &c, got, 16, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent/cache: no readable cache descriptions"), "%s", err);
    cr_expect(strstr(err, "no CPUID instruction"), "%s", err);
}

Test(host_geometry, cpuid_table_errors_name_file_and_line)
{
    char path[] = "/tmp/cohsim-cpuid-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        cr_skip_test("no writable /tmp for the bad table");
    FILE *f = fdopen(fd, "w");
    fputs("# a comment\n0x0 0 0xd 0x68747541 0x444d4163 0x69746e65\n0x4 0 0x1 0x2 zz 0x4\n", f);
    fclose(f);
    char err[256];
    cr_expect_eq(host_cpuid_table_load(path, &table, err, sizeof err), -1);
    char want[300];
    snprintf(want, sizeof want, "%s:3: expected LEAF SUBLEAF EAX EBX ECX EDX", path);
    cr_expect(strstr(err, want), "%s", err);
    unlink(path);
    cr_expect_eq(host_cpuid_table_load("/nonexistent/cpuid.txt", &table, err, sizeof err), -1);
    cr_expect(strstr(err, "/nonexistent/cpuid.txt: No such file"), "%s", err);
}

/* A table captured from a table is the same table: what --print-cpuid writes reads back. */
Test(host_geometry, capture_reads_the_same_leaves)
{
    host_cpuid_t c = load_table(HOSTS "epyc-7r13-guest/cpuid.txt");
    static host_cpuid_table_t copy;
    int n = host_cpuid_table_capture(&c, &copy);
    cr_assert_eq((unsigned)n, table.n, "%d of %u", n, table.n);
    host_cpuid_t c2 = host_cpuid_of_table(&copy);
    host_cache_t a[16], b[16];
    char err[256];
    cr_assert_eq(host_caches_cpuid(&c, a, 16, err, sizeof err), 4);
    cr_assert_eq(host_caches_cpuid(&c2, b, 16, err, sizeof err), 4);
    cr_expect_eq(memcmp(a, b, 4 * sizeof *a), 0);
}

/* ---- the staircase alone ---- */

static unsigned stair(const double *ns, unsigned n, host_stair_point_t *pts)
{
    for (unsigned i = 0; i < n; i++)
        pts[i] = (host_stair_point_t){.bytes = (uint64_t)4096 << i, .ns = {.median = ns[i], .n = 3}};
    return n;
}

/* This development machine's staircase (`cohsim host staircase --reps 3`, 4 KiB to 256 MiB):
 * L1D 48K (seen until 32K), L2 1M shared with neighbours (seen until 512K), the VM's share of
 * L3 (until 4M), memory from 16M, and the TLB's reach past 128M. */
static const double epyc_vm[] = {1.18, 1.19, 1.19, 1.42, 4.18, 4.19, 4.26, 5.50, 10.47,
                                 14.37, 17.46, 28.63, 165.32, 174.93, 195.43, 269.73, 479.76};

Test(host_geometry, staircase_levels_of_a_real_machine)
{
    host_stair_point_t pts[32];
    unsigned n = stair(epyc_vm, sizeof epyc_vm / sizeof *epyc_vm, pts);
    host_cache_t got[3];
    unsigned mem;
    char err[256];
    int k = host_stair_levels(pts, n, got, 3, &mem, err, sizeof err);
    static const want_t w[] = {
        {1, "Data", 32 << 10, 0, 0, 0},
        {2, "Unified", 512 << 10, 0, 0, 0},
        {3, "Unified", 4 << 20, 0, 0, 0},
    };
    expect_caches(got, k, w, 3, HOST_GEOM_STAIRCASE);
    cr_expect_eq(pts[mem].bytes, 16 << 20, "memory from %llu", (unsigned long long)pts[mem].bytes);
}

Test(host_geometry, staircase_keeps_the_first_and_the_levels_nearest_memory)
{
    /* five levels end before memory's step (the largest): at 8K, 64K, 512K, 4M and 16M */
    static const double ns[] = {1, 1, 3, 3, 3, 6, 6, 6, 12, 12, 12, 24, 24, 200, 210};
    host_stair_point_t pts[32];
    unsigned n = stair(ns, sizeof ns / sizeof *ns, pts);
    host_cache_t got[3];
    unsigned mem;
    char err[256];
    int k = host_stair_levels(pts, n, got, 3, &mem, err, sizeof err);
    cr_assert_eq(k, 3);
    cr_expect_eq(got[0].size, 8 << 10);
    cr_expect_eq(got[1].size, 4 << 20);
    cr_expect_eq(got[2].size, 16 << 20);
    cr_expect_eq(got[2].level, 3);
    cr_expect_eq(pts[mem].bytes, 32 << 20);
}

Test(host_geometry, flat_staircase_is_an_error)
{
    static const double ns[] = {1.2, 1.25, 1.3, 1.4, 1.5, 1.6, 1.7};
    host_stair_point_t pts[8];
    unsigned n = stair(ns, 7, pts);
    host_cache_t got[3];
    unsigned mem;
    char err[256];
    cr_expect_eq(host_stair_levels(pts, n, got, 3, &mem, err, sizeof err), -1);
    cr_expect(strstr(err, "rises nowhere"), "%s", err);
}

/* ---- what the model needs ---- */

Test(host_geometry, normalize_fills_in_and_rounds_down)
{
    /* this machine's L3 by 0x80000006: 508 MiB, ways not said */
    host_cache_t c = {.level = 3, .size = 1016ull << 19, .line = 64,
                      .source = HOST_GEOM_CPUID_AMD_LEGACY};
    char note[256];
    host_cache_normalize(&c, note, sizeof note);
    cr_expect_eq(c.assoc, 16);
    cr_expect_eq(c.size, 256 << 20);
    cr_expect_str_eq(note, "; CPUID leaves 0x80000005/6 does not give the ways: 16 assumed; "
                           "520192 KiB rounded down to 262144 KiB (the model's sets are a power "
                           "of two)");
    host_cache_t l1 = {.level = 1, .size = 48 << 10, .assoc = 12, .line = 64};
    host_cache_normalize(&l1, note, sizeof note);
    cr_expect_eq(l1.size, 48 << 10);
    cr_expect_str_eq(note, "");
    host_cache_t s = {.level = 2, .size = 512 << 10, .source = HOST_GEOM_STAIRCASE};
    host_cache_normalize(&s, note, sizeof note);
    cr_expect(s.assoc == 8 && s.line == 64 && s.size == 512 << 10);
    cr_expect(strstr(note, "the measured staircase does not give the line size: 64 B assumed"),
              "%s", note);
}
