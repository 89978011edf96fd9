/* host_cmd.h: what `host`, `calibrate` and `compare` share: the measurement options, their
 * parsing (one option handler for the three option tables) and the runs with those options. */
#ifndef COHSIM_HOST_CMD_H
#define COHSIM_HOST_CMD_H

#include "sim/cli.h"
#include "sim/host.h"
#include "sim/host_litmus.h"

typedef struct host_run_opts {
    int quick;
    unsigned reps;
    const char *dir;
    uint64_t min_bytes, max_bytes, flush_bytes;
    unsigned pages;
    uint64_t iterations, seed; /* litmus */
    unsigned size;
} host_run_opts_t;

/* The option rows host_opts_option handles, for other commands' tables. */
/* The options of the timed measurements (staircase, primitives), of the host litmus runner (its
 * seed option named SEED: compare has a machine --seed too), and of both. */
#define HOST_TIMING_OPTS                                                                         \
    {"quick", 'q', NULL, "tiny sizes and few repetitions (a smoke test; numbers are rough)"},     \
    {"reps", 'r', "N", "timed repetitions of each case (default 15; quick 3)"},                   \
    {"dir", 'd', "DIR", "directory for temporary files (default: $TMPDIR, /var/tmp, /tmp; not tmpfs)"}, \
    {"min-bytes", 0, "SIZE", "smallest staircase working set, a power of two (default 4K)"},      \
    {"max-bytes", 0, "SIZE", "largest staircase working set, a power of two (default 256M; quick 1M)"}, \
    {"flush-bytes", 0, "SIZE", "KeInvalidateAllCaches working set (default 4M; quick 256K)"},    \
    {"pages", 0, "N", "largest ZwFlushVirtualMemory case in dirty pages (default 4096; quick 16)"}
#define HOST_LITMUS_OPTS(SEED)                                                                   \
    {"iterations", 'n', "N", "litmus iterations per test (default 1000000; quick 20000)"},       \
    {"size", 0, "N", "litmus iterations per run: locations are arrays of N slots (default 5000)"}, \
    {SEED, 0, "N", "seed of the host litmus runs' placement, stride and launch order (default 1)"}
#define HOST_MEASURE_OPTS HOST_TIMING_OPTS, HOST_LITMUS_OPTS("seed")

/* cli_option_fn for HOST_MEASURE_OPTS (ctx is a host_run_opts_t); -1 after a message. */
int host_opts_option(void *ctx, const cli_opt_t *opt, const char *arg);
/* Fill in the defaults left unset and ignore SIGXFSZ (a full disk is reported, not fatal). */
void host_opts_finish(host_run_opts_t *h);
/* The staircase with these options: the number of points, or -1 (printed). */
int host_run_staircase(const host_run_opts_t *h, host_stair_point_t *pts, unsigned max);
void host_run_prims(const host_run_opts_t *h, host_prim_t prims[HOST_NPRIMS]);
/* Load and run one litmus file: 0, or -1 after printing a message naming the file. */
int host_run_litmus_file(const host_run_opts_t *h, const char *path, litmus_test_t *t,
                         host_litmus_result_t *r);

#endif
