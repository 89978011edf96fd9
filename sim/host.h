/* host.h: measurements on the real machine: the five primitives' Linux equivalents, the
 * pointer-chasing latency staircase, and the host's cache geometry.
 *
 * Representation: every measurement is a batch of repeated timings reduced to a host_stat_t
 * (median and spread); results are plain structs the caller owns. A measurement that cannot run
 * here (no permission, one CPU, wrong architecture, tmpfs) says why in a note and is marked
 * unavailable; the others still run. Host code keeps no global state and leaves no file behind:
 * every temporary file is unlinked on every path out.
 */
#ifndef COHSIM_HOST_H
#define COHSIM_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- timing and statistics ---------------------------------------------------------------- */

typedef struct host_stat {
    double median, min, max, q1, q3; /* of the samples */
    unsigned n;                      /* samples; 0: nothing measured */
} host_stat_t;

/* CLOCK_MONOTONIC in nanoseconds. */
double host_now_ns(void);
/* Reduce samples[0..n) (reordered in place) to their median, extremes and quartiles. */
void host_stat_of(double *samples, unsigned n, host_stat_t *out);
/* The time-stamp counter's rate in MHz, measured against CLOCK_MONOTONIC; 0 when there is no
 * usable counter (not x86-64). */
double host_tsc_mhz(void);
/* The number of CPUs this process may run on (its affinity set). */
unsigned host_cpus(void);

/* ---- cache geometry (host_geometry.c) --------------------------------------------------- */

/* Where a level's geometry came from; each source is an input the caller can replace (a sysfs
 * root, a CPUID table), so that tests read fixtures of real machines instead of this host. */
#define HOST_GEOM_SOURCES(X)                                                                      \
    X(HOST_GEOM_SYSFS, "sysfs")                                                                   \
    X(HOST_GEOM_CPUID4, "CPUID leaf 4")                                                           \
    X(HOST_GEOM_CPUID_AMD, "CPUID leaf 0x8000001D")                                               \
    X(HOST_GEOM_CPUID_AMD_LEGACY, "CPUID leaves 0x80000005/6")                                    \
    X(HOST_GEOM_STAIRCASE, "the measured staircase")                                              \
    X(HOST_GEOM_HAND, "-c on the command line")
#define HOST_GEOM_ENUM(id, name) id,
typedef enum { HOST_GEOM_SOURCES(HOST_GEOM_ENUM) HOST_GEOM_NSOURCES } host_geom_source_t;
#undef HOST_GEOM_ENUM
const char *host_geom_source_name(host_geom_source_t s);

typedef struct host_cache {
    unsigned level;      /* 1, 2, 3 ... */
    char type[16];       /* "Data", "Instruction", "Unified" */
    uint64_t size;       /* bytes */
    unsigned assoc, line; /* 0: the source does not say (assoc 0 is not "fully associative") */
    unsigned shared_cpus; /* CPUs sharing this cache; 0: the source does not say */
    host_geom_source_t source;
} host_cache_t;

/* The sysfs directory of CPU 0's caches on Linux. */
#define HOST_SYSFS_CACHE "/sys/devices/system/cpu/cpu0/cache"

/* Read ROOT/index*: level, type, size, ways_of_associativity, coherency_line_size,
 * shared_cpu_list. Returns the number found (up to max), or -1 with the reason in err. */
int host_caches_sysfs(const char *root, host_cache_t *out, unsigned max, char *err,
                      size_t errlen);

/* The CPUID instruction as a replaceable input: query fills regs (eax, ebx, ecx, edx) of
 * leaf.subleaf and returns 1, or 0 when the leaf cannot be read. */
typedef struct host_cpuid {
    int (*query)(const void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4]);
    const void *ctx;
} host_cpuid_t;

/* This CPU's CPUID (x86 only; elsewhere every query returns 0). */
host_cpuid_t host_cpuid_native(void);

/* A CPUID table read from a file: one leaf per line, `LEAF SUBLEAF EAX EBX ECX EDX` (numbers in
 * C syntax, hex with 0x), `#` comments; a leaf not in the table reads as absent. */
#define HOST_CPUID_MAX_ROWS 128
typedef struct host_cpuid_table {
    unsigned n;
    struct {
        uint32_t leaf, subleaf, regs[4];
    } rows[HOST_CPUID_MAX_ROWS];
} host_cpuid_table_t;
/* 0, or -1 with "FILE:LINE: what was expected" in err. */
int host_cpuid_table_load(const char *path, host_cpuid_table_t *t, char *err, size_t errlen);
host_cpuid_t host_cpuid_of_table(const host_cpuid_table_t *t);
/* The leaves host_caches_cpuid reads, copied from cpuid into t: the number of rows. */
int host_cpuid_table_capture(const host_cpuid_t *cpuid, host_cpuid_table_t *t);

/* The caches CPUID describes: leaf 4 on Intel and others; on AMD and Hygon leaf 0x8000001D, or
 * when that is empty (as under some hypervisors) leaves 0x80000005/6. Returns the number found,
 * or -1 with the reason in err. */
int host_caches_cpuid(const host_cpuid_t *cpuid, host_cache_t *out, unsigned max, char *err,
                      size_t errlen);

/* Fill in what c's source left unsaid (ways: 8, 16 from level 3 on; line: 64 bytes) and round
 * its size down to a power-of-two number of sets (the model's caches index by mask); note gets
 * "; what changed" per change, or "". */
void host_cache_normalize(host_cache_t *c, char *note, size_t len);

/* Sysfs first, else CPUID: the number found, or -1 with both reasons in err; when CPUID
 * answered, err says why sysfs did not. */
int host_caches_detect(const char *sysfs_root, const host_cpuid_t *cpuid, host_cache_t *out,
                       unsigned max, char *err, size_t errlen);

/* ---- the staircase -------------------------------------------------------------------------- */

typedef struct host_stair_point {
    uint64_t bytes;   /* working set */
    host_stat_t ns;   /* nanoseconds per dependent load, over the repetitions */
} host_stair_point_t;

typedef struct host_stair_opts {
    uint64_t min_bytes, max_bytes; /* powers of two; every power of two between them is a point */
    unsigned reps;                 /* timed repetitions per point */
    uint64_t min_loads;            /* loads per repetition at least (more for larger sets) */
    uint64_t seed;
} host_stair_opts_t;

/* Measure each point; out must hold one entry per power of two in [min, max]. Returns the number
 * of points, or -1 with the reason in err. */
int host_staircase(const host_stair_opts_t *o, host_stair_point_t *out, unsigned max,
                   char *err, size_t errlen);

/* The cache levels a staircase shows, for a host that describes none: a step is a run of
 * consecutive points whose latency rises by at least HOST_STEP_RATIO each; a level ends at the
 * point before its step. Memory begins after the largest step (by total rise), as no cache step
 * is as large as the one to DRAM; the steps after it (the TLB's reach) are not levels. Up to max
 * data levels are written to out (size from the step, type "Unified" past level 1, assoc and line
 * 0: the staircase measures neither); *mem_first is the index of memory's first point. Returns
 * the number of levels, or -1 with the reason in err (no step at all). */
#define HOST_STEP_RATIO 1.4
int host_stair_levels(const host_stair_point_t *pts, unsigned n, host_cache_t *out,
                      unsigned max, unsigned *mem_first, char *err, size_t errlen);

/* ---- the primitives -------------------------------------------------------------------------- */

enum { HOST_OK, HOST_UNAVAILABLE, HOST_FAILED };
#define HOST_MAX_MEASURES 16

/* One measured case of a primitive. count is the work the case did, counted independently of
 * the timing (IPIs from /proc/interrupts, dirty and resident pages from cachestat(2) or
 * mincore, stale runs from the code's return values), never computed from the request; count
 * < 0 means it was not measured (count_note says why). model_only: user space cannot count it
 * at all (WBINVD's lines); the count is the model's alone and is never compared. */
typedef struct host_measure {
    char label[64];
    host_stat_t ns;
    char count_name[24];  /* "" when the case counts nothing */
    double count;         /* median per operation */
    double expected;      /* what the case should count; < 0 when nothing is expected */
    char count_note[96];
    bool model_only;
    double before, after; /* residency cases: resident pages before and after (else -1) */
    double bytes;         /* bytes the case rewrote or flushed per operation (else -1) */
} host_measure_t;

typedef struct host_prim {
    const char *name;       /* the Windows primitive (host_prim_name) */
    char equivalent[128];   /* what runs on Linux */
    int status;             /* HOST_OK, HOST_UNAVAILABLE (note says why), HOST_FAILED */
    char note[256];
    host_measure_t m[HOST_MAX_MEASURES];
    unsigned nm;
} host_prim_t;

typedef struct host_prim_opts {
    unsigned reps;       /* timed repetitions per case */
    const char *dir;     /* temporary directory for files, NULL: choose one */
    uint64_t flush_bytes; /* KeInvalidateAllCaches working set */
    unsigned max_pages;  /* largest dirty-page case of ZwFlushVirtualMemory (4096 normally) */
} host_prim_opts_t;

enum { HOST_NPRIMS = 5 };

/* The i-th primitive's name, in the order of the ops table (FlushInstructionCache first). */
const char *host_prim_name(unsigned i);

/* Run all five; out[i] in the order of the ops table (FlushInstructionCache first). Each result
 * carries its own status; the return value is the number that failed a check. */
int host_primitives(const host_prim_opts_t *o, host_prim_t out[HOST_NPRIMS]);

/* Choose a directory on a filesystem that can drop cached pages: dir when given, else $TMPDIR,
 * /var/tmp, /tmp. Writes the chosen directory to out and a note (e.g. "tmpfs: pages are never
 * dropped") to note. Returns 0, 1 when only tmpfs was found (out is still usable), -1 when none
 * is writable (note says why). */
int host_pick_dir(const char *dir, char *out, size_t outlen, char *note, size_t notelen);

/* ---- reports (cmd_host.c) ------------------------------------------------------------------ */

/* A duration with a unit chosen for it ("1.23 ns", "45.6 us", "7.89 ms"). */
const char *host_fmt_ns(double ns, char *buf, size_t len);
void host_print_prims(FILE *out, const host_prim_t prims[HOST_NPRIMS]);
void host_print_staircase(FILE *out, const host_stair_point_t *pts, unsigned n);

/* ---- a host's results as a file (host_json.c) ------------------------------------------------ */

/* What `cohsim host --json` wrote and `cohsim compare --host-results` reads back, so that a
 * comparison can be made against a stored (or hand-made, in the tests) measurement instead of
 * this host's. */
typedef struct host_results {
    char hostname[256];
    char kernel[128];       /* uname release */
    unsigned cpus;
    double tsc_mhz;         /* 0: none */
    bool has_stair, has_prims;
    host_stair_point_t stair[40];
    unsigned nstair;
    host_prim_t prims[HOST_NPRIMS];
} host_results_t;

/* Fill the description of this host (name, kernel, CPUs, clock) into r; the measurements are
 * left as they are. */
void host_results_describe(host_results_t *r);
/* A median and spread as the JSON object both files use ({median_ns, min_ns, ...}). */
struct cJSON *host_stat_json(const host_stat_t *s);
/* r as JSON text (the caller frees it), NULL when out of memory. */
char *host_results_json(const host_results_t *r);
/* Read path into r: 0, or -1 with err naming the file and what was expected where. */
int host_results_load(const char *path, host_results_t *r, char *err, size_t errlen);

#endif
