/* host_util.c: what every host measurement shares: the clock, reducing samples to a median and
 * spread, the TSC rate, the CPU count and the choice of a temporary directory on a filesystem
 * that really drops pages (the cache geometry is host_geometry.c's).
 *
 * Nothing here keeps state between calls.
 */
#define _GNU_SOURCE
#include "sim/host.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#ifndef TMPFS_MAGIC
#define TMPFS_MAGIC 0x01021994
#endif
#ifndef RAMFS_MAGIC
#define RAMFS_MAGIC 0x858458f6
#endif

double host_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Linear interpolation between order statistics of sorted s[0..n). */
static double quantile(const double *s, unsigned n, double q)
{
    double pos = q * (double)(n - 1);
    unsigned lo = (unsigned)pos;
    if (lo + 1 >= n)
        return s[n - 1];
    return s[lo] + (pos - (double)lo) * (s[lo + 1] - s[lo]);
}

void host_stat_of(double *samples, unsigned n, host_stat_t *out)
{
    memset(out, 0, sizeof *out);
    if (n == 0)
        return;
    qsort(samples, n, sizeof *samples, cmp_double);
    out->n = n;
    out->min = samples[0];
    out->max = samples[n - 1];
    out->median = quantile(samples, n, 0.5);
    out->q1 = quantile(samples, n, 0.25);
    out->q3 = quantile(samples, n, 0.75);
}

double host_tsc_mhz(void)
{
#if defined(__x86_64__)
    /* Several 20 ms windows; the median guards against a preemption inside one. */
    double mhz[5];
    for (unsigned i = 0; i < 5; i++) {
        double t0 = host_now_ns();
        uint64_t c0 = __builtin_ia32_rdtsc();
        double t1;
        do
            t1 = host_now_ns();
        while (t1 - t0 < 20e6);
        uint64_t c1 = __builtin_ia32_rdtsc();
        mhz[i] = (double)(c1 - c0) / (t1 - t0) * 1e3;
    }
    host_stat_t s;
    host_stat_of(mhz, 5, &s);
    return s.median;
#else
    return 0;
#endif
}

unsigned host_cpus(void)
{
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) != 0)
        return 1;
    int n = CPU_COUNT(&set);
    return n > 0 ? (unsigned)n : 1;
}

/* 0 usable (a disk filesystem), 1 tmpfs/ramfs, -1 not a writable directory. */
static int dir_kind(const char *dir, char *why, size_t whylen)
{
    struct statfs sf;
    if (statfs(dir, &sf) != 0) {
        snprintf(why, whylen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(why, whylen, "%s: not writable: %s", dir, strerror(errno));
        return -1;
    }
    if ((unsigned long)sf.f_type == (unsigned long)TMPFS_MAGIC ||
        (unsigned long)sf.f_type == (unsigned long)RAMFS_MAGIC) {
        snprintf(why, whylen, "%s is tmpfs: its pages live only in the page cache and are never "
                 "dropped", dir);
        return 1;
    }
    return 0;
}

int host_pick_dir(const char *dir, char *out, size_t outlen, char *note, size_t notelen)
{
    note[0] = '\0';
    if (dir) {
        int k = dir_kind(dir, note, notelen);
        if (k < 0)
            return -1;
        snprintf(out, outlen, "%s", dir);
        return k;
    }
    const char *cands[3] = {getenv("TMPDIR"), "/var/tmp", "/tmp"};
    const char *tmpfs = NULL;
    char first_why[256] = "", why[256];
    for (unsigned i = 0; i < 3; i++) {
        if (!cands[i] || !*cands[i])
            continue;
        int k = dir_kind(cands[i], why, sizeof why);
        if (k == 0) {
            snprintf(out, outlen, "%s", cands[i]);
            return 0;
        }
        if (k == 1 && !tmpfs)
            tmpfs = cands[i];
        if (!first_why[0])
            snprintf(first_why, sizeof first_why, "%s", why);
    }
    if (tmpfs) {
        snprintf(out, outlen, "%s", tmpfs);
        snprintf(note, notelen, "%s is tmpfs (no disk directory found): its pages are never "
                 "dropped", tmpfs);
        return 1;
    }
    snprintf(note, notelen, "no writable temporary directory (%s)", first_why);
    return -1;
}
