/* test_calibrate.c: `cohsim calibrate -o FILE` writes a preset that the configuration code
 * reads back (as --config does) into a valid machine matching this host's sysfs geometry. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "sim/commands.h"
#include "sim/config.h"
#include "sim/host.h"

Test(calibrate, output_reads_back_through_config)
{
    char dir[] = "/tmp/cohsim-calib-XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/host.ini", dir);
    char a0[] = "calibrate", a1[] = "--quick", a2[] = "--dir", a4[] = "-o";
    char *argv[] = {a0, a1, a2, dir, a4, path, NULL};
    cr_assert_eq(cmd_calibrate(6, argv), 0);

    config_t *c = config_new();
    char err[512];
    cr_assert_eq(config_load_file(c, path, err, sizeof err), 0, "%s", err);
    machine_config_t m;
    cr_assert_eq(config_to_machine(c, &m, err, sizeof err), 0, "%s", err);
    cr_assert_eq(m.cores, host_cpus() < 64 ? host_cpus() : 64);
    cr_assert_not_null(config_get(c, "machine", "clock_mhz"));

    host_cache_t caches[16];
    int n = host_caches(caches, 16, err, sizeof err);
    cr_assert_gt(n, 0, "%s", err);
    for (int i = 0; i < n; i++)
        if (caches[i].level == 1 && caches[i].type[0] == 'D') {
            /* the sets are sysfs's; the ways may be fitted down to half (cmd_calibrate.c) */
            uint64_t sets = caches[i].size / ((uint64_t)caches[i].assoc * caches[i].line);
            cr_assert_eq(m.l1d.size, sets * m.l1d.assoc * m.l1d.line);
            cr_assert_leq(m.l1d.assoc, caches[i].assoc);
            cr_assert_geq(m.l1d.assoc * 2, caches[i].assoc);
            cr_assert_eq(m.l1d.line, caches[i].line);
        }
    cr_assert_gt(m.l1d.latency, 0);
    cr_assert_gt(m.mem_latency, m.l1d.latency);
    config_free(c);

    /* The temporary directory held only the output: the measurements left nothing. */
    cr_assert_eq(unlink(path), 0);
    cr_assert_eq(rmdir(dir), 0);
}

Test(calibrate, unwritable_output_is_an_error_and_writes_nothing)
{
    char a0[] = "calibrate", a1[] = "--quick", a2[] = "-o", a3[] = "/nonexistent-dir/x.ini";
    char *argv[] = {a0, a1, a2, a3, NULL};
    cr_assert_eq(cmd_calibrate(4, argv), 2);
    cr_assert_neq(access("/nonexistent-dir/x.ini", F_OK), 0);
}
