/* test_calibrate.c: `cohsim calibrate -o FILE` writes a preset that the configuration code reads
 * back (as --config does). The geometry comes from injected sources (fixtures of real machines,
 * tests/fixtures/hosts/) or from -c, so what is checked does not depend on this host; the
 * latencies are this host's, and only their presence is checked. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/commands.h"
#include "sim/config.h"
#include "sim/host.h"

#define HOSTS "tests/fixtures/hosts/"

typedef struct run {
    char dir[64], path[128];
    char *text; /* the preset as written */
    config_t *config;
    machine_config_t m;
} run_t;

/* Run calibrate --quick with the extra arguments into a fresh directory; on exit status 0, read
 * the preset back into r. Returns the exit status. */
static int calibrate(run_t *r, const char *const *extra)
{
    snprintf(r->dir, sizeof r->dir, "/tmp/cohsim-calib-XXXXXX");
    if (!mkdtemp(r->dir))
        cr_skip_test("no writable /tmp for the preset and the measurements' files");
    snprintf(r->path, sizeof r->path, "%s/host.ini", r->dir);
    char *argv[32];
    int argc = 0;
    const char *fixed[] = {"calibrate", "--quick", "--dir", r->dir, "-o", r->path};
    for (unsigned i = 0; i < 6; i++)
        argv[argc++] = (char *)fixed[i];
    for (unsigned i = 0; extra[i]; i++)
        argv[argc++] = (char *)extra[i];
    argv[argc] = NULL;
    int rc = cmd_calibrate(argc, argv);
    r->text = NULL;
    r->config = NULL;
    if (rc != 0)
        return rc;
    FILE *f = fopen(r->path, "r");
    cr_assert_not_null(f);
    size_t cap = 1 << 16, n = 0;
    r->text = calloc(cap, 1);
    n = fread(r->text, 1, cap - 1, f);
    fclose(f);
    cr_assert_gt(n, 0);
    r->config = config_new();
    char err[512];
    cr_assert_eq(config_load_file(r->config, r->path, err, sizeof err), 0, "%s", err);
    cr_assert_eq(config_to_machine(r->config, &r->m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(r->m.cores, host_cpus() < 64 ? host_cpus() : 64);
    cr_assert_not_null(config_get(r->config, "machine", "clock_mhz"));
    cr_assert_gt(r->m.l1d.latency + r->m.l1.latency, 0);
    cr_assert_gt(r->m.mem_latency, 0);
    return rc;
}

/* The temporary directory holds only the output: the measurements left nothing. */
static void finish(run_t *r)
{
    if (r->config)
        config_free(r->config);
    free(r->text);
    unlink(r->path);
    cr_assert_eq(rmdir(r->dir), 0, "%s: the measurements left files behind", r->dir);
}

Test(calibrate, sysfs_geometry_reads_back)
{
    run_t r;
    const char *extra[] = {"--sysfs", HOSTS "intel-i5-8350u/sysfs", NULL};
    cr_assert_eq(calibrate(&r, extra), 0);
    cr_expect(strstr(r.text, "# level 1 (Data): 32 KiB 8-way 64 B lines from sysfs, shared by 2 CPUs"),
              "%s", r.text);
    cr_expect(strstr(r.text, "# level 3 (Unified): 6144 KiB 12-way 64 B lines from sysfs"), "%s",
              r.text);
    /* the sets are the source's; the ways may be fitted down to half (cmd_calibrate.c) */
    cr_expect_eq(r.m.l1d.size, 64ull * r.m.l1d.assoc * 64);
    cr_expect(r.m.l1d.assoc >= 4 && r.m.l1d.assoc <= 8, "%u", r.m.l1d.assoc);
    cr_expect_eq(r.m.l1d.line, 64);
    cr_expect_eq(r.m.l1i.size, 32 << 10);
    cr_expect_eq(r.m.l1i.assoc, 8);
    cr_expect_eq(r.m.l2.size, 1024ull * r.m.l2.assoc * 64);
    cr_expect_gt(r.m.llc.size, 0);
    finish(&r);
}

Test(calibrate, cpuid_geometry_without_sysfs)
{
    run_t r;
    const char *extra[] = {"--sysfs", "/nonexistent/cache", "--cpuid-table",
                           HOSTS "intel-i5-8350u/cpuid.txt", NULL};
    cr_assert_eq(calibrate(&r, extra), 0);
    cr_expect(strstr(r.text, "# level 1 (Data): 32 KiB 8-way 64 B lines from CPUID leaf 4, shared by "
                             "2 CPUs"), "%s", r.text);
    cr_expect(strstr(r.text, "# level 2 (Unified): 256 KiB 4-way 64 B lines from CPUID leaf 4"),
              "%s", r.text);
    cr_expect_eq(r.m.l1d.size, 64ull * r.m.l1d.assoc * 64);
    cr_expect_eq(r.m.l1i.size, 32 << 10);
    finish(&r);
}

Test(calibrate, geometry_by_hand_is_kept_and_only_latencies_measured)
{
    run_t r;
    const char *extra[] = {"--sysfs", HOSTS "intel-i5-8350u/sysfs", "-c", "l1d.size=48K",
                           "-c", "l1d.assoc=12", "-c", "l2.size=2M", "-c", "l2.assoc=16",
                           "-c", "llc.size=8M", "-c", "llc.assoc=16", "-c", "llc.line=64",
                           NULL};
    cr_assert_eq(calibrate(&r, extra), 0);
    cr_expect(strstr(r.text, "# level 1 (Data): 48 KiB 12-way 64 B lines from -c on the command "
                             "line"), "%s", r.text);
    cr_expect(strstr(r.text, "not fitted"), "%s", r.text);
    cr_expect(!strstr(r.text, "sysfs"), "%s", r.text);
    cr_expect_eq(r.m.l1d.size, 48 << 10);
    cr_expect_eq(r.m.l1d.assoc, 12);
    cr_expect_eq(r.m.l1i.size, 0); /* not given: no first-level instruction cache */
    cr_expect_eq(r.m.l2.size, 2 << 20);
    cr_expect_eq(r.m.l2.assoc, 16);
    cr_expect_eq(r.m.llc.size, 8 << 20);
    cr_expect_eq(r.m.llc.line, 64);
    finish(&r);
}

/* Bad geometry by hand is refused before anything is measured: exit 2, no file. */
Test(calibrate, bad_geometry_by_hand_is_a_usage_error)
{
    static const char *const bad[][11] = {
        {"-c", "l1d.size=48K", NULL},                         /* no assoc */
        {"-c", "l2.size=1M", "-c", "l2.assoc=8", NULL},       /* no first level */
        {"-c", "l1d.size=48K", "-c", "l1d.assoc=7", NULL},    /* sets not a power of two */
        {"-c", "l4.size=1M", NULL},                           /* no such level */
        {"-c", "l1d.size=lots", NULL},
        {"-c", "l1.size=32K", "-c", "l1.assoc=8", "-c", "l2.size=1M", "-c", "l2.assoc=8",
         "-c", "l2.line=128", NULL},                          /* two line sizes */
    };
    for (unsigned i = 0; i < sizeof bad / sizeof *bad; i++) {
        /* --quick and a fixture's sysfs: should -c be ignored, the run is short */
        char *argv[16] = {(char *)"calibrate", (char *)"--quick", (char *)"--sysfs",
                          (char *)HOSTS "intel-i5-8350u/sysfs", (char *)"-o",
                          (char *)"/tmp/cohsim-calib-never.ini"};
        int argc = 6;
        for (unsigned k = 0; bad[i][k]; k++)
            argv[argc++] = (char *)bad[i][k];
        cr_expect_eq(cmd_calibrate(argc, argv), 2, "case %u", i);
        cr_expect_neq(access("/tmp/cohsim-calib-never.ini", F_OK), 0);
        unlink("/tmp/cohsim-calib-never.ini");
    }
}

Test(calibrate, unwritable_output_is_an_error_and_writes_nothing)
{
    char a0[] = "calibrate", a1[] = "--quick", a2[] = "-o", a3[] = "/nonexistent-dir/x.ini",
         a4[] = "--sysfs", a5[] = HOSTS "intel-i5-8350u/sysfs";
    char *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
    cr_assert_eq(cmd_calibrate(6, argv), 2);
    cr_assert_neq(access("/nonexistent-dir/x.ini", F_OK), 0);
}

/* --host-results: the fit from a results file (tests/fixtures/host/results.json: a 2000 MHz
 * clock, membarrier 1197 ns alone and 52310 ns with a second running thread, msync of one dirty
 * page 3666532 ns), so every fitted number is the file's, none this host's. */
Test(calibrate, syscall_ipi_and_disk_are_fitted_to_injected_results)
{
    char dir[64] = "/tmp/cohsim-calib-XXXXXX", path[128];
    if (!mkdtemp(dir))
        cr_skip_test("no writable /tmp for the preset");
    snprintf(path, sizeof path, "%s/host.ini", dir);
    const char *args[] = {"calibrate", "--host-results", "tests/fixtures/host/results.json",
                          "-c", "l1d.size=32K", "-c", "l1d.assoc=8", "-c", "l2.size=256K",
                          "-c", "l2.assoc=4", "-c", "llc.size=6M", "-c", "llc.assoc=12",
                          "-o", path, NULL};
    char *argv[20];
    int argc = 0;
    while (args[argc]) {
        argv[argc] = (char *)args[argc];
        argc++;
    }
    argv[argc] = NULL;
    cr_assert_eq(cmd_calibrate(argc, argv), 0);
    config_t *c = config_new();
    machine_config_t m;
    char err[512];
    cr_assert_eq(config_load_file(c, path, err, sizeof err), 0, "%s", err);
    cr_assert_eq(config_to_machine(c, &m, err, sizeof err), 0, "%s", err);
    cr_expect_eq(m.cores, 2, "the file's CPUs, not this host's");
    cr_expect_str_eq(config_get(c, "machine", "clock_mhz"), "2000");
    /* one thread: the system call alone, 1197 ns at 2 GHz */
    cr_expect_eq(m.syscall, 2394);
    /* two threads: the call plus one IPI's latency, handler and acknowledgement, together the
     * 51113 ns between the two medians */
    cr_expect_eq(m.ipi_latency + m.ipi_handler + m.ipi_ack, 102226, "%u + %u + %u",
                 m.ipi_latency, m.ipi_handler, m.ipi_ack);
    cr_expect_gt(m.ipi_ack, 0);
    /* one dirty page: the system call, a request's latency and a page at 1 byte per cycle */
    cr_expect_eq(m.disk_bandwidth, 1);
    cr_expect_eq(m.syscall + m.disk_latency + 4096, 7333064, "%u", m.disk_latency);
    config_free(c);
    unlink(path);
    cr_assert_eq(rmdir(dir), 0);
}
