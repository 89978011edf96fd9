/* lockstep.c: the `lockstep` program: runs the RTL lockstep suite (model/rtl/harness.h) and prints
 * one line per run, `lockstep NAME: N requests, M transactions compared`, or the first difference.
 *
 * Usage: lockstep [--trace FILE.vcd] [--sort TRACE] [--fault NAME] [--expect-difference] [--list]
 *                 [RUN...]
 * With no RUN, every run of the suite. --trace writes the RTL's waveform of the one run named.
 * --fault turns on one seeded fault of the fault build (rtl.mk's build/rtl/lockstep-fault).
 * --expect-difference inverts the verdict (the fault-seeded build must stop at a difference).
 * Exit status: 0 every run agreed (or, inverted, every run differed), 1 otherwise, 2 bad usage
 * or a run that could not be made.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/rtl/harness.h"

typedef struct suite_run {
    const char *name;
    lockstep_run_t run;
    bool sort_trace; /* the requests of the sort trace (--sort) */
} suite_run_t;

/* Random runs take 20000 requests; the sort runs, every record of the trace. */
#define CACHE(nm, geo, f, wb, s)                                                                   \
    {nm, {.geometry = geo, .fifo = f, .write_back = wb, .seed = s, .requests = 20000}, false}
#define SORT(nm, f, wb) {nm, {.geometry = LOCKSTEP_L1_32K8, .fifo = f, .write_back = wb}, true}
#define SYS(nm, geo, f, wb, sb, s)                                                                 \
    {nm,                                                                                           \
     {.geometry = geo, .fifo = f, .write_back = wb, .store_buffers = sb, .seed = s,                \
      .requests = 20000},                                                                          \
     false}

static const suite_run_t suite[] = {
    CACHE("cache-tiny-lru-wb", LOCKSTEP_L1_TINY, false, true, 1),
    CACHE("cache-tiny-fifo-wb", LOCKSTEP_L1_TINY, true, true, 2),
    CACHE("cache-tiny-lru-wt", LOCKSTEP_L1_TINY, false, false, 3),
    CACHE("cache-tiny-fifo-wt", LOCKSTEP_L1_TINY, true, false, 4),
    CACHE("cache-mid-lru-wb", LOCKSTEP_L1_MID, false, true, 5),
    CACHE("cache-mid-fifo-wb", LOCKSTEP_L1_MID, true, true, 6),
    CACHE("cache-mid-lru-wt", LOCKSTEP_L1_MID, false, false, 7),
    CACHE("cache-mid-fifo-wt", LOCKSTEP_L1_MID, true, false, 8),
    CACHE("cache-direct-lru-wb", LOCKSTEP_L1_DIRECT, false, true, 9),
    CACHE("cache-direct-fifo-wt", LOCKSTEP_L1_DIRECT, true, false, 10),
    CACHE("cache-32k8-lru-wb", LOCKSTEP_L1_32K8, false, true, 11),
    CACHE("cache-32k8-fifo-wt", LOCKSTEP_L1_32K8, true, false, 12),
    SORT("sort-lru-wb", false, true),
    SORT("sort-fifo-wb", true, true),
    SORT("sort-lru-wt", false, false),
    SYS("sys2-lru-wb-sb", LOCKSTEP_SYS2, false, true, true, 21),
    SYS("sys2-fifo-wb-sb", LOCKSTEP_SYS2, true, true, true, 22),
    SYS("sys2-lru-wt-sb", LOCKSTEP_SYS2, false, false, true, 23),
    SYS("sys2-fifo-wt-sb", LOCKSTEP_SYS2, true, false, true, 24),
    SYS("sys2-lru-wb", LOCKSTEP_SYS2, false, true, false, 25),
    SYS("sys2-fifo-wt", LOCKSTEP_SYS2, true, false, false, 26),
    SYS("sys4-lru-wb-sb", LOCKSTEP_SYS4, false, true, true, 41),
    SYS("sys4-fifo-wb-sb", LOCKSTEP_SYS4, true, true, true, 42),
    SYS("sys4-lru-wt-sb", LOCKSTEP_SYS4, false, false, true, 43),
    SYS("sys4-fifo-wt-sb", LOCKSTEP_SYS4, true, false, true, 44),
    SYS("sys4-lru-wb", LOCKSTEP_SYS4, false, true, false, 45),
    SYS("sys4-fifo-wt", LOCKSTEP_SYS4, true, false, false, 46),
};
#define SUITE_RUNS (sizeof suite / sizeof suite[0])

static int usage(const char *why)
{
    fprintf(stderr, "lockstep: %s\nusage: lockstep [--trace FILE.vcd] [--sort TRACE] "
                    "[--fault NAME] [--expect-difference] [--list] [RUN...]\n", why);
    return 2;
}

static const suite_run_t *find_run(const char *name)
{
    for (size_t i = 0; i < SUITE_RUNS; i++)
        if (strcmp(suite[i].name, name) == 0)
            return &suite[i];
    return NULL;
}

int main(int argc, char **argv)
{
    const char *vcd = NULL, *sort = "tests/fixtures/reference/sort.din.xz", *fault = NULL;
    bool expect_difference = false;
    const suite_run_t *chosen[SUITE_RUNS];
    size_t n = 0;
    for (int i = 1; i < argc; i++) {
        const char **value = strcmp(argv[i], "--trace") == 0   ? &vcd
                             : strcmp(argv[i], "--sort") == 0  ? &sort
                             : strcmp(argv[i], "--fault") == 0 ? &fault
                                                               : NULL;
        if (value) {
            if (i + 1 >= argc) {
                fprintf(stderr, "lockstep: %s needs a value\n", argv[i]);
                return usage("see below");
            }
            *value = argv[++i];
        } else if (strcmp(argv[i], "--expect-difference") == 0) {
            expect_difference = true;
        } else if (strcmp(argv[i], "--list") == 0) {
            for (size_t k = 0; k < SUITE_RUNS; k++)
                printf("%s\n", suite[k].name);
            return 0;
        } else if (argv[i][0] == '-') {
            fprintf(stderr, "lockstep: unknown option %s\n", argv[i]);
            return usage("expected one of the options below");
        } else {
            const suite_run_t *r = find_run(argv[i]);
            if (!r) {
                fprintf(stderr, "lockstep: no run called %s (lockstep --list names them)\n",
                        argv[i]);
                return 2;
            }
            if (n == SUITE_RUNS)
                return usage("too many runs named");
            chosen[n++] = r;
        }
    }
    if (n == 0)
        for (; n < SUITE_RUNS; n++)
            chosen[n] = &suite[n];
    if (vcd && n != 1)
        return usage("--trace writes the waveform of one run: name exactly one");

    lockstep_result_t *res = malloc(sizeof *res);
    if (!res) {
        fprintf(stderr, "lockstep: out of memory\n");
        return 2;
    }
    int status = 0;
    for (size_t i = 0; i < n && status != 2; i++) {
        lockstep_run_t run = chosen[i]->run;
        run.vcd = vcd;
        run.fault = fault;
        if (chosen[i]->sort_trace)
            run.trace = sort;
        char err[512];
        if (lockstep_execute(&run, res, err, sizeof err) != 0) {
            fprintf(stderr, "lockstep %s: %s\n", chosen[i]->name, err);
            status = 2;
            break;
        }
        if (res->differ) {
            printf("lockstep %s: DIFFERENCE after %llu requests, %llu transactions compared\n%s",
                   chosen[i]->name, (unsigned long long)res->requests,
                   (unsigned long long)res->compared, res->diff);
            if (!expect_difference)
                status = 1;
            continue;
        }
        printf("lockstep %s: %llu requests, %llu transactions compared", chosen[i]->name,
               (unsigned long long)res->requests, (unsigned long long)res->compared);
        if (chosen[i]->run.geometry < LOCKSTEP_SYS2)
            printf(" (%llu misses, %llu write-backs)", (unsigned long long)res->misses,
                   (unsigned long long)res->writebacks);
        printf("\n");
        if (expect_difference)
            status = 1;
    }
    free(res);
    return status;
}
