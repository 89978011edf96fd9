/* cmd_calibrate.c: `cohsim calibrate [-o FILE]`: a preset INI for this host, from its cache
 * geometry and latencies measured here (staircase, membarrier, msync).
 *
 * How each number is derived (also written as comments into the file):
 * - geometry (size, assoc, line) per level from the first source that has it: `-c` on the
 *   command line (then only latencies are measured, nothing is fitted), else sysfs, else CPUID,
 *   else the steps of the measured staircase (host_geometry.c); ways or a line size the source
 *   does not give are assumed (8 ways, 16 for a third level; 64-byte lines) and said so, and a
 *   size whose sets are not a power of two is rounded down to one that is. The last level's size
 *   is cut to the step the staircase shows before memory, and to the largest working set whose
 *   latency is still nearer that level's than memory's, when either comes earlier than the
 *   source says (a VM's share of a shared L3, or a hypervisor's made-up one);
 * - measured load-to-use times, each a plateau's median: level 1 over the sets that fit in a
 *   quarter of it (half when none does), each further level over the sets from twice the level
 *   above's size (where that one misses on every load of the cyclic chase) to a quarter
 *   (else half) of its own size,
 *   memory over the sets at least 4 times the last level. The model adds latencies down the
 *   hierarchy (an L2 hit costs l1d + l2, a memory access l1d + l2 + bus + llc + memory), so
 *   each key gets its level's increment;
 * - then each data level's ways (its sets kept, or doubled for a cut last level) and
 *   replacement, LRU or random, are fitted to the
 *   staircase by running the model's own chase (sim/stair_model.c, pages placed at random as the
 *   host's are) over the sets around that level and keeping the choice closest to the host (sum
 *   of |ln(model/host)|); the host steps earlier and more gradually than an LRU cache of the
 *   source's size would (other data shares the L1, pages collide in the physically indexed levels,
 *   the replacement is not LRU), and the fit is written as a comment beside the level; a level
 *   the staircase never fills (a short --quick one) is not fitted;
 * - cycles = ns * clock_mhz / 1000, clock_mhz being the time-stamp counter's rate (written as
 *   machine.clock_mhz, so that compare converts back with the same clock); without a counter
 *   (not x86-64) a nominal 1000 MHz, so that a cycle is a nanosecond;
 * - syscall: membarrier with one running thread (it interrupts no other core);
 * - ipi: the extra cost of membarrier with a second running thread is one IPI's delivery,
 *   handler and acknowledgement (the model charges them in sequence), divided among the three
 *   keys in the x86 presets' proportions;
 * - disk: per page from the two largest msync cases; a request's latency from msync of 1 dirty
 *   page less the system call and a page's transfer (the model has no cost for a flush that
 *   writes nothing, so msync of 0 pages is reported, not subtracted);
 * - with --host-results, the staircase, the primitives, the clock and the CPU count are a results
 *   file's (cohsim host --json), and nothing is measured here.
 * The file is validated by reading it back through the configuration code before it is
 * written; it is written whole or not at all.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/repl.h"

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/compare.h"
#include "sim/host.h"
#include "sim/host_cmd.h"
#include "sim/outfile.h"

static const cli_opt_t calibrate_opts[] = {
    {"output", 'o', CLI_OUTPUT_FILE, "write the preset to FILE (default: standard output)"},
    {"set", 'c', "LEVEL.KEY=VALUE",
     "cache geometry by hand, repeatable (LEVEL l1i l1d l1 l2 llc; KEY size, assoc, line)"},
    {"sysfs", 0, "DIR", "read the cache geometry from DIR/index* (default " HOST_SYSFS_CACHE ")"},
    {"cpuid-table", 0, "FILE",
     "read CPUID leaves from FILE (`LEAF SUBLEAF EAX EBX ECX EDX` lines) instead of this CPU"},
    {"print-cpuid", 0, NULL,
     "print the CPUID leaves the geometry is read from, as a --cpuid-table file, and stop"},
    {"host-results", 0, "FILE",
     "fit to the staircase, primitives and clock `cohsim host --json` wrote to FILE instead of "
     "measuring this host (the geometry still comes from -c, --sysfs or CPUID)"},
    HOST_TIMING_OPTS, /* calibrate runs no litmus test */
    {0},
};

static const cli_spec_t calibrate_spec = {
    "calibrate", "[-o FILE] [-c LEVEL.KEY=VALUE]... [options]",
    "Measures this host and writes a machine preset INI that --config reads back. The cache\n"
    "geometry comes from -c if given, else sysfs, else CPUID (leaf 4; AMD 0x8000001D or\n"
    "0x80000005/6), else the steps of the latency staircase; the latencies from the staircase,\n"
    "the system call's and the IPI's costs from membarrier, the disk's from msync (or all of\n"
    "these from --host-results). Each level's source is written in the preset's comments and\n"
    "on standard error.",
    calibrate_opts,
};

/* The cache sections -c may describe, in the order of host levels. */
#define CAL_NHAND 5
static const char *const hand_secs[CAL_NHAND] = {"l1i", "l1d", "l1", "l2", "llc"};

typedef struct calibrate_ctx {
    host_run_opts_t h;
    const char *output, *sysfs, *cpuid_table;
    const char *host_results; /* --host-results: fit to these measurements, not this host's */
    uint64_t hand[CAL_NHAND][3]; /* size, assoc, line per section; 0: not given */
    int have_hand, print_cpuid;
} calibrate_ctx_t;

/* One -c LEVEL.KEY=VALUE of cache geometry: 0, or -1 after a message. */
static int hand_option(calibrate_ctx_t *c, const char *arg)
{
    static const char *const keys[3] = {"size", "assoc", "line"};
    const char *dot = strchr(arg, '.'), *eq = strchr(arg, '=');
    unsigned s = CAL_NHAND, k = 3;
    size_t slen = dot ? (size_t)(dot - arg) : 0, klen = dot && eq > dot ? (size_t)(eq - dot - 1) : 0;
    for (unsigned i = 0; slen && i < CAL_NHAND; i++)
        if (slen == strlen(hand_secs[i]) && strncmp(arg, hand_secs[i], slen) == 0)
            s = i;
    for (unsigned i = 0; klen && i < 3; i++)
        if (klen == strlen(keys[i]) && strncmp(dot + 1, keys[i], klen) == 0)
            k = i;
    if (s == CAL_NHAND || k == 3) {
        cli_error("calibrate: -c '%s': expected LEVEL.KEY=VALUE with LEVEL l1i, l1d, l1, l2 or "
                  "llc and KEY size, assoc or line", arg);
        return -1;
    }
    uint64_t v;
    char *end;
    if (k == 0) {
        if (config_parse_size(eq + 1, &v) != 0)
            v = 0;
    } else {
        v = strtoull(eq + 1, &end, 10);
        if (eq[1] < '0' || eq[1] > '9' || *end || v > 65536)
            v = 0;
    }
    if (v == 0) {
        cli_error("calibrate: -c '%s': expected %s", arg,
                  k == 0 ? "a size above 0 (K, M, G suffixes)"
                         : "a whole number from 1 to 65536");
        return -1;
    }
    c->hand[s][k] = v;
    c->have_hand = 1;
    return 0;
}

static int calibrate_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    calibrate_ctx_t *c = ctx;
    if (strcmp(opt->name, "output") == 0)
        c->output = arg;
    else if (strcmp(opt->name, "sysfs") == 0)
        c->sysfs = arg;
    else if (strcmp(opt->name, "cpuid-table") == 0)
        c->cpuid_table = arg;
    else if (strcmp(opt->name, "set") == 0)
        return hand_option(c, arg);
    else if (strcmp(opt->name, "print-cpuid") == 0)
        c->print_cpuid = 1;
    else if (strcmp(opt->name, "host-results") == 0)
        c->host_results = arg;
    else
        return host_opts_option(&c->h, opt, arg);
    return 0;
}

/* --print-cpuid: this CPU's leaves in the form --cpuid-table reads. */
static int print_cpuid(void)
{
    host_cpuid_table_t *t = malloc(sizeof *t);
    if (!t) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    host_cpuid_t cpuid = host_cpuid_native();
    int n = host_cpuid_table_capture(&cpuid, t);
    if (n == 0) {
        free(t);
        cli_error("calibrate: no CPUID instruction here (not x86)");
        return EXIT_USAGE;
    }
    printf("# CPUID leaves read by cohsim calibrate: LEAF SUBLEAF EAX EBX ECX EDX\n");
    for (int i = 0; i < n; i++)
        printf("0x%08x %u 0x%08x 0x%08x 0x%08x 0x%08x\n", t->rows[i].leaf, t->rows[i].subleaf,
               t->rows[i].regs[0], t->rows[i].regs[1], t->rows[i].regs[2], t->rows[i].regs[3]);
    free(t);
    return EXIT_DONE;
}

/* The levels -c gave, as host levels: 0 and the count in *n, or -1 after a message. */
static int hand_caches(const calibrate_ctx_t *c, host_cache_t *out, unsigned *n)
{
    static const unsigned levels[CAL_NHAND] = {1, 1, 1, 2, 3};
    static const char *const types[CAL_NHAND] = {"Instruction", "Data", "Unified", "Unified",
                                                 "Unified"};
    *n = 0;
    unsigned first = 0;
    if (!c->hand[1][0] == !c->hand[2][0]) {
        cli_error("calibrate: -c gives cache geometry: give exactly one first data level "
                  "(l1d.size with l1i.size for a split one, or l1.size for a unified one)");
        return -1;
    }
    for (unsigned i = 0; i < CAL_NHAND; i++) {
        const uint64_t *h = c->hand[i];
        if (!h[0] && !h[1] && !h[2])
            continue;
        if (!h[0] || !h[1]) {
            cli_error("calibrate: -c %s.%s is missing: each level given by hand needs its size "
                      "and assoc", hand_secs[i], h[0] ? "assoc" : "size");
            return -1;
        }
        host_cache_t hc = {.level = levels[i], .size = h[0], .assoc = (unsigned)h[1],
                           .line = h[2] ? (unsigned)h[2] : 64, .source = HOST_GEOM_HAND};
        snprintf(hc.type, sizeof hc.type, "%s", types[i]);
        /* an llc right after the first level is level 2 */
        if (i == 4 && !c->hand[3][0])
            hc.level = 2;
        cache_config_t cc = {.size = hc.size, .assoc = hc.assoc, .line = hc.line,
                             .repl = repl_lookup("lru")};
        char err[256];
        if (cache_config_check(&cc, err, sizeof err) != 0) {
            cli_error("calibrate: -c %s: %s", hand_secs[i], err);
            return -1;
        }
        if (*n && hc.line != out[0].line) {
            cli_error("calibrate: -c %s.line: %u differs from %s's %u: every level must use one "
                      "line size", hand_secs[i], hc.line, hand_secs[first], out[0].line);
            return -1;
        }
        if (!*n)
            first = i;
        out[(*n)++] = hc;
    }
    return 0;
}

/* Median of the staircase points whose working set lies in [lo, hi]; -1 when none does. */
static double stair_median(const host_stair_point_t *p, unsigned n, uint64_t lo, uint64_t hi)
{
    double v[64];
    unsigned k = 0;
    for (unsigned i = 0; i < n && k < 64; i++)
        if (p[i].bytes >= lo && p[i].bytes <= hi)
            v[k++] = p[i].ns.median;
    if (!k)
        return -1;
    host_stat_t s;
    host_stat_of(v, k, &s);
    return s.median;
}

/* x rounded down into an unsigned, saturating: a results file's time may make more cycles than
 * an unsigned holds (config_set then refuses the key), and converting those is undefined. */
static unsigned saturate_unsigned(double x)
{
    return !(x < (double)UINT_MAX) ? UINT_MAX : x < 0 ? 0 : (unsigned)x;
}

static unsigned to_cycles(double ns, double mhz)
{
    double c = ns * mhz / 1000.0 + 0.5;
    return c < 1 ? 1 : saturate_unsigned(c);
}

typedef struct level {
    const host_cache_t *c; /* the geometry, assumptions filled in (host_cache_normalize) */
    uint64_t size;         /* effective: cut where the staircase steps early */
    double ns;
} level_t;

/* The cache config of section sec in mc. */
static cache_config_t *level_config(machine_config_t *mc, const char *sec)
{
    return strcmp(sec, "l1d") == 0 ? &mc->l1d : strcmp(sec, "l1") == 0 ? &mc->l1
           : strcmp(sec, "l2") == 0 ? &mc->l2 : &mc->llc;
}

/* How far the model's staircase is from the host's over the points in (lo, hi]: the sum of
 * |ln(model / host)|; -1 with err when a model run failed. */
static double fit_score(const machine_config_t *mc, const host_stair_point_t *pts, unsigned np,
                        uint64_t lo, uint64_t hi, double mhz, uint64_t min_loads, char *err,
                        size_t errlen)
{
    double score = 0;
    for (unsigned i = 0; i < np; i++) {
        if (pts[i].bytes <= lo || pts[i].bytes > hi || pts[i].ns.median <= 0)
            continue;
        double cyc = stair_model_chase(mc, pts[i].bytes, min_loads, err, errlen);
        if (cyc < 0)
            return -1;
        score += fabs(log(cyc * 1000.0 / mhz / pts[i].ns.median));
    }
    return score;
}

/* Fit each level's ways (its sets kept: the capacity the chase sees) and replacement to the
 * staircase around it: level k is scored on the working sets above the level before it and up
 * to twice its size (beyond, it misses on nearly every load whatever it is), with the levels
 * before it already fitted. Candidates: all ways down to
 * half of them in eighths, LRU or random. The choice and its score go into ini as comments and
 * into cfg. 0, or -1 with err. */
static int fit_levels(machine_config_t *mc, config_t *cfg, const char *const *secs,
                      const uint64_t *source_size, unsigned nd, const host_stair_point_t *pts,
                      unsigned np, int quick, FILE *ini, char *err, size_t errlen)
{
    static const char *const repls[2] = {"lru", "random"};
    const char *clk = config_get(cfg, "machine", "clock_mhz");
    double mhz = clk ? strtod(clk, NULL) : 0;
    uint64_t min_loads = quick ? 20000 : 50000, lo = 0;
    if (mhz <= 0)
        return 0;
    for (unsigned k = 0; k < nd; k++) {
        cache_config_t *cc = level_config(mc, secs[k]);
        uint32_t assoc = cc->assoc, sets = (uint32_t)(cc->size / ((uint64_t)assoc * cc->line));
        uint64_t hi = cc->size * 2;
        if (pts[np - 1].bytes < cc->size) {
            /* nothing to fit to: the staircase never fills the level */
            fprintf(ini, "# fit %s: none, the staircase stops at %llu KiB, short of its %llu KiB\n",
                    secs[k], (unsigned long long)(pts[np - 1].bytes >> 10),
                    (unsigned long long)(cc->size >> 10));
            lo = cc->size;
            continue;
        }
        double base = fit_score(mc, pts, np, lo, hi, mhz, min_loads, err, errlen);
        if (base < 0)
            return -1;
        cache_config_t best = *cc;
        double best_score = base;
        /* a level cut below its source's size (the staircase stepped early) may also keep twice
         * the sets: the step's point can be a placement's bad luck */
        unsigned set_choices = cc->size * 2 <= source_size[k] ? 2 : 1;
        for (unsigned choice = 0; choice < set_choices * 5; choice++) {
            unsigned e = 8 - choice % 5;
            uint32_t ways = (assoc * e + 7) / 8, nsets = sets << (choice / 5);
            if (ways < 1 || (choice % 5 && ways == (assoc * (e + 1) + 7) / 8))
                continue;
            for (unsigned r = 0; r < 2; r++) {
                cache_config_t cand = *cc;
                cand.assoc = ways;
                cand.size = (uint64_t)nsets * ways * cc->line;
                cand.repl = repl_lookup(repls[r]);
                if (cache_config_check(&cand, err, errlen) != 0)
                    continue;
                *cc = cand;
                double sc = fit_score(mc, pts, np, lo, hi, mhz, min_loads, err, errlen);
                if (sc < 0)
                    return -1;
                /* a change must gain more than rounding noise to be kept */
                if (sc < best_score - 0.01) {
                    best = cand;
                    best_score = sc;
                }
            }
        }
        *cc = best;
        fprintf(ini, "# fit %s: %u sets of %u of %u ways (%llu KiB), %s replacement: sum "
                     "|ln(model/host)| %.2f over the sets of %llu..%llu KiB (%.2f as measured, "
                     "LRU)\n",
                secs[k], (uint32_t)(best.size / ((uint64_t)best.assoc * best.line)), best.assoc,
                assoc, (unsigned long long)(best.size >> 10),
                best.repl->name, best_score, (unsigned long long)(lo >> 10),
                (unsigned long long)(hi >> 10), base);
        char v[32];
        snprintf(v, sizeof v, "%u", best.assoc);
        if (config_set(cfg, secs[k], "assoc", v, "calibrate", err, errlen) != 0)
            return -1;
        snprintf(v, sizeof v, "%lluK", (unsigned long long)(best.size >> 10));
        if (config_set(cfg, secs[k], "size", v, "calibrate", err, errlen) != 0 ||
            config_set(cfg, secs[k], "repl", best.repl->name, "calibrate", err, errlen) != 0)
            return -1;
        lo = cc->size;
    }
    return 0;
}

/* Append text to a growing buffer (open_memstream). */
#define EMIT(...) fprintf(ini, __VA_ARGS__)

/* calibrate's work once its options are read: measure this host (given NULL) or take given's
 * measurements, fit, write. */
static int calibrate_with(const calibrate_ctx_t *opts, const host_results_t *given);

int cmd_calibrate(int argc, char **argv)
{
    calibrate_ctx_t cx = {0};
    int first;
    int rc = cli_parse(&calibrate_spec, argc, argv, calibrate_option, &cx, &first);
    if (rc != 0)
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    if (first < argc) {
        cli_error("calibrate: unexpected argument '%s'", argv[first]);
        return EXIT_USAGE;
    }
    if (cx.print_cpuid)
        return print_cpuid();
    host_opts_finish(&cx.h);
    char err[512];
    /* The measurements: this host's, or those of a results file (then nothing here is timed). */
    host_results_t *given = NULL;
    if (cx.host_results) {
        given = calloc(1, sizeof *given);
        if (!given) {
            cli_error("out of memory");
            return EXIT_USAGE;
        }
        if (host_results_load(cx.host_results, given, err, sizeof err) != 0 ||
            (!(given->has_stair && given->has_prims) &&
             snprintf(err, sizeof err, "%s: expected both \"staircase\" and \"primitives\"",
                      cx.host_results) > 0)) {
            cli_error("calibrate: --host-results %s", err);
            free(given);
            return EXIT_USAGE;
        }
    }
    int status = calibrate_with(&cx, given);
    free(given);
    return status;
}

static int calibrate_with(const calibrate_ctx_t *opts, const host_results_t *given)
{
    calibrate_ctx_t cx = *opts;
    char err[512];
    host_cache_t caches[16];
    int nc = 0;
    /* The geometry: by hand, else sysfs or CPUID, else (nc 0) the staircase once measured. */
    if (cx.have_hand) {
        unsigned n;
        if (hand_caches(&cx, caches, &n) != 0)
            return EXIT_USAGE;
        nc = (int)n;
    } else {
        host_cpuid_table_t *table = NULL;
        host_cpuid_t cpuid = host_cpuid_native();
        if (cx.cpuid_table) {
            table = malloc(sizeof *table);
            if (!table) {
                cli_error("out of memory");
                return EXIT_USAGE;
            }
            if (host_cpuid_table_load(cx.cpuid_table, table, err, sizeof err) != 0) {
                cli_error("calibrate: %s", err);
                free(table);
                return EXIT_USAGE;
            }
            cpuid = host_cpuid_of_table(table);
        }
        nc = host_caches_detect(cx.sysfs ? cx.sysfs : HOST_SYSFS_CACHE, &cpuid, caches, 16, err,
                                sizeof err);
        free(table);
        if (nc < 0) {
            fprintf(stderr, "calibrate: no cache geometry described (%s): the levels will be "
                    "the staircase's steps\n", err);
            nc = 0;
            /* the steps need the staircase to reach memory */
            if (cx.h.max_bytes < (uint64_t)64 << 20)
                cx.h.max_bytes = (uint64_t)64 << 20;
        } else if (caches[0].source != HOST_GEOM_SYSFS) {
            fprintf(stderr, "calibrate: no geometry in sysfs (%s): CPUID's is used\n", err);
        }
    }
    double mhz = given ? given->tsc_mhz : host_tsc_mhz();
    int nominal_clock = mhz <= 0;
    if (nominal_clock)
        mhz = 1000; /* no counter to measure a clock with: a cycle is a nanosecond */
    if (nc > 0) {
        /* The staircase must reach well past the last level for the memory latency (up to the
         * default's 256 MiB: a hypervisor may say the last level is hundreds of MiB). */
        uint64_t want = 0;
        for (int i = 0; i < nc; i++)
            if (caches[i].size * 4 > want)
                want = caches[i].size * 4;
        if (want > (uint64_t)256 << 20)
            want = (uint64_t)256 << 20;
        if (!cx.h.quick && cx.h.max_bytes < want)
            cx.h.max_bytes = want;
    }
    host_stair_point_t pts[40];
    int np = (int)(given ? given->nstair : 0);
    if (given)
        memcpy(pts, given->stair, (size_t)np * sizeof *pts);
    else
        np = host_run_staircase(&cx.h, pts, 40);
    if (np <= 0)
        return EXIT_USAGE;
    host_cache_t stair_caches[3];
    unsigned mem_first = 0;
    int ns_levels = host_stair_levels(pts, (unsigned)np, stair_caches, 3, &mem_first, err,
                                      sizeof err);
    if (nc == 0) {
        if (ns_levels < 0) {
            cli_error("calibrate: %s; give the geometry with -c (e.g. -c l1d.size=32K "
                      "-c l1d.assoc=8 -c l2.size=1M -c l2.assoc=8)", err);
            return EXIT_USAGE;
        }
        memcpy(caches, stair_caches, (size_t)ns_levels * sizeof *caches);
        nc = ns_levels;
    }
    char notes[16][256];
    for (int i = 0; i < nc; i++)
        host_cache_normalize(&caches[i], notes[i], sizeof notes[i]);
    const host_cache_t *l1i = NULL, *l1d = NULL, *l1u = NULL, *dl[8] = {0};
    unsigned nd = 0;
    for (int i = 0; i < nc; i++) {
        const host_cache_t *c = &caches[i];
        if (c->level == 1 && strcmp(c->type, "Instruction") == 0)
            l1i = c;
        else if (c->level == 1 && strcmp(c->type, "Data") == 0)
            l1d = c;
        else if (c->level == 1)
            l1u = c;
        if (strcmp(c->type, "Instruction") != 0 && nd < 8)
            dl[nd++] = c;
    }
    if (nd == 0 || (!l1d && !l1u)) {
        cli_error("calibrate: %s describes no first-level data cache",
                  host_geom_source_name(caches[0].source));
        return EXIT_USAGE;
    }
    if (nd > 3)
        nd = 3; /* the model has L1, a private L2 and a shared LLC */
    for (int i = 0; i < nc; i++)
        fprintf(stderr, "calibrate: level %u %s: %llu KiB %u-way %u B lines, from %s%s\n",
                caches[i].level, caches[i].type, (unsigned long long)(caches[i].size >> 10),
                caches[i].assoc, caches[i].line, host_geom_source_name(caches[i].source),
                notes[i]);
    host_prim_t prims[HOST_NPRIMS];
    if (given)
        memcpy(prims, given->prims, sizeof prims);
    else
        host_run_prims(&cx.h, prims);
    unsigned cpus = given ? given->cpus : host_cpus();
    if (cpus > 64)
        cpus = 64;
    else if (cpus == 0)
        cpus = 1;
    /* The page the measurements were made with: this host's, or (a results file does not say)
     * the common 4 KiB. */
    long page = given ? 4096 : sysconf(_SC_PAGESIZE);

    level_t lv[3];
    double mem_ns;
    for (unsigned k = 0; k < nd; k++) {
        lv[k].c = dl[k];
        lv[k].size = dl[k]->size;
    }
    /* Cut the last level to the step the staircase shows before memory, when that lies past
     * the level before it and short of the source's size; not a size given by hand. */
    uint64_t stair_last = ns_levels > 0 ? stair_caches[ns_levels - 1].size : 0;
    if (nd >= 2 && !cx.have_hand && stair_last > lv[nd - 2].size &&
        stair_last < lv[nd - 1].size)
        lv[nd - 1].size = stair_last;
    for (unsigned k = 0; k < nd; k++)
        lv[k].ns = k == 0 ? stair_median(pts, (unsigned)np, 0, lv[0].size / 2)
                          : stair_median(pts, (unsigned)np, lv[k - 1].size * 2,
                                         lv[k - 1].size * 2);
    mem_ns = stair_median(pts, (unsigned)np, lv[nd - 1].size * 4, UINT64_MAX);
    if (mem_ns < 0)
        mem_ns = pts[np - 1].ns.median;
    /* Cut the last level to where the staircase steps, if that is before its size (a VM's
     * share of a shared cache); the private levels keep theirs: the fit below models why they
     * step early. */
    if (nd >= 2 && !cx.have_hand && lv[nd - 1].ns >= 0 && mem_ns >= 0) {
        level_t *last = &lv[nd - 1];
        uint64_t eff = 0;
        for (int i = 0; i < np; i++)
            if (pts[i].bytes > lv[nd - 2].size && pts[i].bytes <= last->size &&
                pts[i].ns.median < (last->ns + mem_ns) / 2)
                eff = pts[i].bytes;
        if (eff && eff < last->size)
            last->size = eff;
    }
    if (nd >= 2 && lv[nd - 1].size < lv[nd - 1].c->size) {
        /* a cut keeps the ways: its sets, rounded down to a power of two */
        uint64_t set_bytes = (uint64_t)lv[nd - 1].c->assoc * lv[nd - 1].c->line, sets = 1;
        while (sets * 2 * set_bytes <= lv[nd - 1].size)
            sets *= 2;
        lv[nd - 1].size = sets * set_bytes;
    }
    if (mem_ns < 0 || lv[0].ns < 0) {
        cli_error("calibrate: the staircase (%llu..%llu bytes) does not cover the caches",
                  (unsigned long long)pts[0].bytes, (unsigned long long)pts[np - 1].bytes);
        return EXIT_USAGE;
    }
    /* Each level's latency is the median of its plateau: the sets that fit in a quarter of it
     * (half when no point does) and exceed twice the level above, where the level above misses
     * on every load of the chase and this one rarely does; memory's, of the sets at least four
     * times the last level. */
    for (unsigned k = 0; k < nd; k++) {
        uint64_t lo = k ? lv[k - 1].size * 2 : 0;
        double v = stair_median(pts, (unsigned)np, lo, lv[k].size / 4);
        if (v < 0)
            v = stair_median(pts, (unsigned)np, lo, lv[k].size / 2);
        if (v > 0)
            lv[k].ns = v;
    }
    double mem_plateau = stair_median(pts, (unsigned)np, lv[nd - 1].size * 4, UINT64_MAX);
    if (mem_plateau > 0)
        mem_ns = mem_plateau;
    /* The latency a level is missing (a staircase too short for it) comes from its neighbours. */
    for (unsigned k = 1; k < nd; k++)
        if (lv[k].ns < 0)
            lv[k].ns = (lv[k - 1].ns + mem_ns) / 2;

    char *text = NULL;
    size_t textlen = 0;
    FILE *ini = open_memstream(&text, &textlen);
    if (!ini) {
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    char host[1024] = "this host";
    if (given)
        snprintf(host, sizeof host, "%.256s (measurements read from %.512s)", given->hostname,
                 cx.host_results);
    else
        gethostname(host, 255);
    EMIT("# cohsim preset calibrated on %s: %u CPUs, clock %.0f MHz (%s)\n", host, cpus,
         mhz, nominal_clock ? "no time-stamp counter: nominal, a cycle is a nanosecond"
                            : "time-stamp counter");
    EMIT("# cycles = ns * clock_mhz / 1000; each level's latency is its increment over the level "
         "above (the model adds them)\n");
    for (int i = 0; i < nc; i++) {
        const host_cache_t *c = &caches[i];
        unsigned k = 0;
        while (k < nd && lv[k].c != c)
            k++;
        EMIT("# level %u (%s): %llu KiB %u-way %u B lines from %s", c->level, c->type,
             (unsigned long long)(c->size >> 10), c->assoc, c->line,
             host_geom_source_name(c->source));
        if (c->shared_cpus)
            EMIT(", shared by %u CPUs", c->shared_cpus);
        if (k < nd)
            EMIT("; %.2f ns measured", lv[k].ns);
        EMIT("\n");
        /* one note a line: the INI reader takes lines of at most 200 characters */
        for (const char *n = notes[i]; *n;) {
            size_t len = strcspn(n + 2, ";");
            EMIT("#   %.*s\n", (int)len, n + 2);
            n += 2 + len;
        }
        if (k < nd && lv[k].size != c->size)
            EMIT("#   the staircase steps after %llu KiB, used as its size\n",
                 (unsigned long long)(lv[k].size >> 10));
    }
    EMIT("# memory: %.2f ns measured\n", mem_ns);
    if (pts[np - 1].bytes < lv[nd - 1].size * 4)
        EMIT("# the staircase stopped at %llu KiB, short of 4 times the last level: the memory "
             "and last-level latencies are rough\n", (unsigned long long)(pts[np - 1].bytes >> 10));
    /* Six points a line: the INI reader takes lines of at most 200 characters. */
    for (int i = 0; i < np; i++)
        EMIT("%s %lluK=%.2f%s", i % 6 ? "" : "# staircase (ns per load):",
             (unsigned long long)(pts[i].bytes >> 10), pts[i].ns.median,
             i % 6 == 5 || i == np - 1 ? "\n" : "");

    config_t *cfg = config_new();
    if (!cfg) {
        fclose(ini);
        free(text);
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int bad = 0;
#define SET(sec, key, ...)                                                                        \
    do {                                                                                          \
        char v_[64];                                                                              \
        snprintf(v_, sizeof v_, __VA_ARGS__);                                                     \
        if (!bad && config_set(cfg, sec, key, v_, "calibrate", err, sizeof err) != 0)             \
            bad = 1;                                                                              \
    } while (0)
#if defined(__aarch64__) || defined(__arm__)
    SET("machine", "cores", "%u", cpus);
    SET("machine", "protocol", "moesi");
    SET("machine", "arch", "arm");
    SET("machine", "icache_snoop", "no");
#else
    SET("machine", "cores", "%u", cpus);
    SET("machine", "protocol", "mesi");
    SET("machine", "arch", "x86");
    SET("machine", "icache_snoop", "yes");
#endif
    SET("machine", "clock_mhz", "%u", saturate_unsigned(mhz + 0.5));
    /* Increments: the model charges every level it passes through. */
    unsigned total[4], inc[4];
    for (unsigned k = 0; k < nd; k++)
        total[k] = to_cycles(lv[k].ns, mhz);
    total[nd] = to_cycles(mem_ns, mhz);
    for (unsigned k = 0; k <= nd; k++)
        inc[k] = k == 0 ? total[0] : total[k] > total[k - 1] ? total[k] - total[k - 1] : 1;
    const char *names[3];
    unsigned nn = 0;
    if (l1d) {
        names[nn++] = "l1d";
        if (l1i) {
            SET("l1i", "size", "%lluK", (unsigned long long)(l1i->size >> 10));
            SET("l1i", "assoc", "%u", l1i->assoc ? l1i->assoc : 1);
            SET("l1i", "line", "%u", l1i->line);
            SET("l1i", "repl", "lru");
            SET("l1i", "write", "back");
            SET("l1i", "alloc", "yes");
            SET("l1i", "latency", "%u", to_cycles(lv[0].ns, mhz));
        }
    } else {
        names[nn++] = "l1";
    }
    if (nd >= 3)
        names[nn++] = "l2";
    names[nn++] = "llc";
    for (unsigned k = 0; k < nd; k++) {
        const char *sec = names[k == 0 ? 0 : nd == 2 ? nn - 1 : k];
        SET(sec, "size", "%lluK", (unsigned long long)(lv[k].size >> 10));
        SET(sec, "assoc", "%u", lv[k].c->assoc ? lv[k].c->assoc : 1);
        SET(sec, "line", "%u", lv[k].c->line);
        SET(sec, "repl", "lru");
        SET(sec, "write", "back");
        SET(sec, "alloc", "yes");
        SET(sec, "latency", "%u", inc[k]);
        if (strcmp(sec, "llc") == 0)
            SET(sec, "inclusive", "no");
    }
    /* Not measurable from user space: the x86 presets' figures. */
    SET("storebuf", "entries", "64");
    SET("storebuf", "drain_latency", "1");
    SET("bus", "latency", "0");
    SET("bus", "occupancy", "0");
    SET("memory", "latency", "%u", inc[nd]);

    /* The system call and the IPI round trip, from membarrier: with one running thread it
     * interrupts no other core (os.syscall, entry and exit); with two it adds one IPI's
     * delivery, handler and acknowledgement, which the model charges in sequence. How the round
     * trip divides among the three is not measurable from user space: the x86 presets'
     * proportions. */
    const host_prim_t *fpwb = &prims[1], *zw = &prims[3];
    enum { X86_IPI_LAT = 3700, X86_IPI_HANDLER = 1500, X86_IPI_ACK = 70, X86_SYSCALL = 370 };
    unsigned ipi_lat = X86_IPI_LAT, ipi_handler = X86_IPI_HANDLER, ipi_ack = X86_IPI_ACK;
    unsigned syscall = X86_SYSCALL;
    if (fpwb->status == HOST_OK && fpwb->nm >= 1 && fpwb->m[0].ns.n &&
        fpwb->m[0].ns.median > 0) {
        syscall = to_cycles(fpwb->m[0].ns.median, mhz);
        EMIT("# syscall: membarrier with 1 running thread %.0f ns (IQR %.0f..%.0f)\n",
             fpwb->m[0].ns.median, fpwb->m[0].ns.q1, fpwb->m[0].ns.q3);
    } else {
        EMIT("# syscall: not measured (%s); the x86 presets' figure\n",
             fpwb->note[0] ? fpwb->note : "membarrier unavailable");
    }
    if (fpwb->status == HOST_OK && fpwb->nm >= 2 && fpwb->m[1].ns.n) {
        double rt = fpwb->m[1].ns.median - fpwb->m[0].ns.median;
        if (rt > 0) {
            double whole = X86_IPI_LAT + X86_IPI_HANDLER + X86_IPI_ACK;
            ipi_lat = to_cycles(rt * X86_IPI_LAT / whole, mhz);
            ipi_handler = to_cycles(rt * X86_IPI_HANDLER / whole, mhz);
            unsigned round_cycles = to_cycles(rt, mhz);
            ipi_ack = round_cycles > ipi_lat + ipi_handler ? round_cycles - ipi_lat - ipi_handler : 0;
        }
        EMIT("# ipi: membarrier %.0f ns with 2 running threads, %.0f ns with 1: round trip "
             "%.0f ns (latency, handler and acknowledgement in the x86 presets' proportions)\n",
             fpwb->m[1].ns.median, fpwb->m[0].ns.median, rt);
    } else {
        EMIT("# ipi: not measured (%s); the x86 presets' figures\n",
             fpwb->note[0] ? fpwb->note : "membarrier unavailable");
    }
    SET("ipi", "latency", "%u", ipi_lat);
    SET("ipi", "handler", "%u", ipi_handler);
    SET("ipi", "ack", "%u", ipi_ack);
    SET("os", "page", "%ldK", page / 1024);
    if (given)
        EMIT("# page: 4 KiB assumed (the results file does not say)\n");
    unsigned disk_lat = 37000, disk_bw = 1;
    if (zw->status == HOST_OK && zw->nm >= 3) {
        const host_measure_t *a = &zw->m[zw->nm - 2], *b = &zw->m[zw->nm - 1];
        double pages = b->expected - a->expected;
        double per_page = pages > 0 ? (b->ns.median - a->ns.median) / pages : 0;
        if (per_page > 0) {
            double bpc = (double)page / (per_page * mhz / 1000.0);
            disk_bw = bpc < 1 ? 1 : saturate_unsigned(bpc + 0.5);
            EMIT("# disk: %.0f ns per page (%.2f bytes per cycle%s)\n", per_page, bpc,
                 bpc < 1 ? "; the key's least is 1" : "");
        }
        /* A flush of one dirty page is a system call and one disk request of a page: the
         * request's latency is what the host's time leaves of it. (The model charges nothing
         * for a flush that writes nothing but its system call, so msync of no dirty page is
         * not subtracted.) */
        double one = zw->m[1].ns.median * mhz / 1000.0, rest = one - syscall - page / disk_bw;
        if (rest >= 1)
            disk_lat = saturate_unsigned(rest + 0.5);
        EMIT("# disk: msync of 1 dirty page %.0f ns, of none %.0f ns: a request's latency is the "
             "first less the system call and a page's transfer\n", zw->m[1].ns.median,
             zw->m[0].ns.median);
    } else {
        EMIT("# disk: not measured (%s); the x86 presets' figures\n", zw->note);
    }
    SET("os", "disk_latency", "%u", disk_lat);
    SET("os", "disk_bandwidth", "%u", disk_bw);
    SET("os", "syscall", "%u", syscall);
    SET("sim", "seed", "1");
    SET("sim", "jitter", "0");
#undef SET
    machine_config_t mc;
    if (!bad && config_to_machine(cfg, &mc, err, sizeof err) != 0)
        bad = 1;
    if (bad) {
        if (given) /* the file's times, not this host's, made the bad value */
            cli_error("calibrate: the preset fitted to --host-results %s is not valid: %s",
                      cx.host_results, err);
        else
            cli_error("calibrate: the measured preset is not valid: %s", err);
        config_free(cfg);
        fclose(ini);
        free(text);
        return EXIT_USAGE;
    }
    const char *secs[3];
    for (unsigned k = 0; k < nd; k++)
        secs[k] = names[k == 0 ? 0 : nd == 2 ? nn - 1 : k];
    uint64_t source_size[3];
    for (unsigned k = 0; k < nd; k++)
        source_size[k] = lv[k].c->size;
    if (cx.have_hand)
        EMIT("# the geometry was given by hand: kept as given, not fitted\n");
    else if (fit_levels(&mc, cfg, secs, source_size, nd, pts, (unsigned)np, cx.h.quick, ini,
                        err, sizeof err) != 0) {
        cli_error("calibrate: %s", err);
        config_free(cfg);
        fclose(ini);
        free(text);
        return EXIT_USAGE;
    }
    EMIT("\n");
    config_write_ini(cfg, ini);
    config_free(cfg);
    if (fclose(ini) != 0) {
        free(text);
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    int status = EXIT_DONE;
    if (cx.output) {
        if (outfile_write(cx.output, text, textlen) != 0)
            status = EXIT_USAGE;
        else
            fprintf(stderr, "calibrate: wrote %s\n", cx.output);
    } else {
        fwrite(text, 1, textlen, stdout);
    }
    free(text);
    return status;
}
