/* host_geometry.c: the host's cache geometry, from whichever source has it: sysfs, CPUID (leaf 4;
 * AMD's 0x8000001D or 0x80000005/6), or the steps of a measured latency staircase.
 *
 * Every source is an input the caller passes (a sysfs root, a host_cpuid_t, staircase points),
 * so the decoding is the same code whether it reads this host or a fixture of another machine.
 * Invariants: a level returned has level >= 1 and size > 0; nothing here prints or keeps state.
 */
#include "sim/host.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

const char *host_geom_source_name(host_geom_source_t s)
{
#define HOST_GEOM_NAME(id, name) name,
    static const char *const names[] = {HOST_GEOM_SOURCES(HOST_GEOM_NAME)};
#undef HOST_GEOM_NAME
    return (unsigned)s < HOST_GEOM_NSOURCES ? names[s] : "?";
}

/* ---- sysfs ------------------------------------------------------------------------------------ */

static int read_line(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    int ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (!ok)
        return -1;
    buf[strcspn(buf, "\n")] = '\0';
    return 0;
}

/* Number of CPUs in a list such as "0-3,8,10-11". */
static unsigned count_cpu_list(const char *s)
{
    unsigned n = 0;
    while (*s) {
        char *end;
        unsigned long a = strtoul(s, &end, 10), b = a;
        if (end == s)
            break;
        if (*end == '-')
            b = strtoul(end + 1, &end, 10);
        if (b >= a)
            n += (unsigned)(b - a + 1);
        s = *end == ',' ? end + 1 : end;
        if (*end != ',')
            break;
    }
    return n ? n : 1;
}

int host_caches_sysfs(const char *root, host_cache_t *out, unsigned max, char *err,
                      size_t errlen)
{
    unsigned n = 0;
    for (unsigned idx = 0; idx < 16 && n < max; idx++) {
        char path[512], v[128];
        host_cache_t c = {.source = HOST_GEOM_SYSFS};
        snprintf(path, sizeof path, "%s/index%u/level", root, idx);
        if (read_line(path, v, sizeof v) != 0)
            continue;
        c.level = (unsigned)strtoul(v, NULL, 10);
        snprintf(path, sizeof path, "%s/index%u/type", root, idx);
        if (read_line(path, c.type, sizeof c.type) != 0)
            snprintf(c.type, sizeof c.type, "Unified");
        snprintf(path, sizeof path, "%s/index%u/size", root, idx);
        if (read_line(path, v, sizeof v) != 0)
            continue;
        char *end;
        c.size = strtoull(v, &end, 10);
        if (*end == 'K')
            c.size <<= 10;
        else if (*end == 'M')
            c.size <<= 20;
        else if (*end == 'G')
            c.size <<= 30;
        snprintf(path, sizeof path, "%s/index%u/ways_of_associativity", root, idx);
        c.assoc = read_line(path, v, sizeof v) == 0 ? (unsigned)strtoul(v, NULL, 10) : 0;
        snprintf(path, sizeof path, "%s/index%u/coherency_line_size", root, idx);
        c.line = read_line(path, v, sizeof v) == 0 ? (unsigned)strtoul(v, NULL, 10) : 0;
        snprintf(path, sizeof path, "%s/index%u/shared_cpu_list", root, idx);
        c.shared_cpus = read_line(path, v, sizeof v) == 0 ? count_cpu_list(v) : 0;
        if (c.size == 0 || c.level == 0)
            continue;
        out[n++] = c;
    }
    if (n == 0) {
        snprintf(err, errlen, "%s: no readable cache descriptions (index*/level, size)", root);
        return -1;
    }
    return (int)n;
}

/* ---- CPUID ------------------------------------------------------------------------------------ */

static int cpuid_native_query(const void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    (void)ctx;
#if defined(__x86_64__) || defined(__i386__)
    unsigned a, b, c, d;
    /* __get_cpuid_count checks the leaf against the highest the CPU has (basic or extended) */
    if (!__get_cpuid_count(leaf, subleaf, &a, &b, &c, &d))
        return 0;
    regs[0] = a;
    regs[1] = b;
    regs[2] = c;
    regs[3] = d;
    return 1;
#else
    (void)leaf;
    (void)subleaf;
    (void)regs;
    return 0;
#endif
}

host_cpuid_t host_cpuid_native(void)
{
    return (host_cpuid_t){cpuid_native_query, NULL};
}

static int cpuid_table_query(const void *ctx, uint32_t leaf, uint32_t subleaf, uint32_t regs[4])
{
    const host_cpuid_table_t *t = ctx;
    for (unsigned i = 0; i < t->n; i++)
        if (t->rows[i].leaf == leaf && t->rows[i].subleaf == subleaf) {
            memcpy(regs, t->rows[i].regs, sizeof t->rows[i].regs);
            return 1;
        }
    return 0;
}

host_cpuid_t host_cpuid_of_table(const host_cpuid_table_t *t)
{
    return (host_cpuid_t){cpuid_table_query, t};
}

/* One unsigned 32-bit number in C syntax from *p; 0, or -1. */
static int parse_u32(char **p, uint32_t *out)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
    if (**p < '0' || **p > '9')
        return -1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(*p, &end, 0);
    if (errno || v > UINT32_MAX || (*end && *end != ' ' && *end != '\t'))
        return -1;
    *p = end;
    *out = (uint32_t)v;
    return 0;
}

int host_cpuid_table_load(const char *path, host_cpuid_table_t *t, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    t->n = 0;
    char line[512];
    unsigned lineno = 0;
    int rc = 0;
    while (rc == 0 && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "#\r\n")] = '\0';
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (!*p)
            continue;
        uint32_t v[6];
        unsigned k = 0;
        while (k < 6 && parse_u32(&p, &v[k]) == 0)
            k++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (k < 6 || *p) {
            snprintf(err, errlen, "%s:%u: expected LEAF SUBLEAF EAX EBX ECX EDX (six numbers)",
                     path, lineno);
            rc = -1;
        } else if (t->n == HOST_CPUID_MAX_ROWS) {
            snprintf(err, errlen, "%s:%u: more than %u leaves", path, lineno,
                     HOST_CPUID_MAX_ROWS);
            rc = -1;
        } else {
            t->rows[t->n].leaf = v[0];
            t->rows[t->n].subleaf = v[1];
            memcpy(t->rows[t->n].regs, v + 2, sizeof t->rows[t->n].regs);
            t->n++;
        }
    }
    fclose(f);
    return rc;
}

int host_cpuid_table_capture(const host_cpuid_t *cpuid, host_cpuid_table_t *t)
{
    static const uint32_t plain[] = {0, 1, 0x80000000, 0x80000001, 0x80000005, 0x80000006};
    static const uint32_t indexed[] = {4, 0x8000001D};
    uint32_t r[4];
    t->n = 0;
    for (unsigned i = 0; i < sizeof plain / sizeof *plain; i++)
        if (cpuid->query(cpuid->ctx, plain[i], 0, r) && t->n < HOST_CPUID_MAX_ROWS) {
            t->rows[t->n].leaf = plain[i];
            t->rows[t->n].subleaf = 0;
            memcpy(t->rows[t->n++].regs, r, sizeof r);
        }
    /* the subleaves up to and with the first of type 0, which ends the list */
    for (unsigned i = 0; i < 2; i++)
        for (uint32_t sub = 0; sub < 16 && t->n < HOST_CPUID_MAX_ROWS; sub++) {
            if (!cpuid->query(cpuid->ctx, indexed[i], sub, r))
                break;
            t->rows[t->n].leaf = indexed[i];
            t->rows[t->n].subleaf = sub;
            memcpy(t->rows[t->n++].regs, r, sizeof r);
            if ((r[0] & 0x1f) == 0)
                break;
        }
    return (int)t->n;
}

/* Leaf 4 and leaf 0x8000001D share one layout: EAX type [4:0] (0: no more caches), level [7:5],
 * fully associative [9], sharing CPUs - 1 [25:14]; EBX line - 1 [11:0], partitions - 1 [21:12],
 * ways - 1 [31:22]; ECX sets - 1. */
static int caches_deterministic(const host_cpuid_t *cpuid, uint32_t leaf, host_geom_source_t src,
                                host_cache_t *out, unsigned max)
{
    static const char *const types[4] = {NULL, "Data", "Instruction", "Unified"};
    unsigned n = 0;
    for (uint32_t sub = 0; sub < 16 && n < max; sub++) {
        uint32_t r[4];
        if (!cpuid->query(cpuid->ctx, leaf, sub, r))
            break;
        unsigned type = r[0] & 0x1f;
        if (type == 0)
            break;
        if (type > 3)
            continue;
        host_cache_t c = {.source = src};
        c.level = (r[0] >> 5) & 7;
        snprintf(c.type, sizeof c.type, "%s", types[type]);
        c.line = (r[1] & 0xfff) + 1;
        unsigned parts = ((r[1] >> 12) & 0x3ff) + 1, ways = (r[1] >> 22) + 1;
        uint64_t sets = (uint64_t)r[2] + 1;
        c.size = (uint64_t)ways * parts * c.line * sets;
        /* a fully associative cache is one set of all its lines */
        c.assoc = r[0] & (1u << 9) ? (unsigned)(c.size / c.line) : ways;
        c.shared_cpus = ((r[0] >> 14) & 0xfff) + 1;
        if (c.level && c.size)
            out[n++] = c;
    }
    return (int)n;
}

/* Leaf 0x80000006's associativity codes (AMD's manual); 0: not said (code 9 points at
 * 0x8000001D), UINT32_MAX: fully associative. */
static unsigned amd_assoc_code(unsigned code)
{
    static const unsigned ways[16] = {0, 1, 2, 3, 4, 6, 8, 0, 16, 0, 32, 48, 64, 96, 128,
                                      UINT32_MAX};
    return ways[code & 15];
}

/* Leaves 0x80000005 (L1: ECX data, EDX instruction: size KiB [31:24], ways [23:16] with 0xff
 * fully associative, line [7:0]) and 0x80000006 (L2 in ECX: size KiB [31:16], ways code [15:12],
 * line [7:0]; L3 in EDX: size in 512 KiB [31:18], ways code [15:12], line [7:0]). These say
 * nothing about sharing. */
static int caches_amd_legacy(const host_cpuid_t *cpuid, host_cache_t *out, unsigned max)
{
    uint32_t r5[4], r6[4];
    unsigned n = 0;
    if (cpuid->query(cpuid->ctx, 0x80000005, 0, r5)) {
        for (unsigned i = 0; i < 2 && n < max; i++) {
            uint32_t v = r5[2 + i];
            host_cache_t c = {.level = 1, .source = HOST_GEOM_CPUID_AMD_LEGACY};
            snprintf(c.type, sizeof c.type, "%s", i == 0 ? "Data" : "Instruction");
            c.size = (uint64_t)(v >> 24) << 10;
            c.line = v & 0xff;
            unsigned w = (v >> 16) & 0xff;
            c.assoc = w == 0xff && c.line ? (unsigned)(c.size / c.line) : w;
            if (c.size && c.line)
                out[n++] = c;
        }
    }
    if (cpuid->query(cpuid->ctx, 0x80000006, 0, r6)) {
        for (unsigned i = 0; i < 2 && n < max; i++) {
            uint32_t v = r6[2 + i];
            host_cache_t c = {.level = 2 + i, .source = HOST_GEOM_CPUID_AMD_LEGACY};
            snprintf(c.type, sizeof c.type, "Unified");
            c.size = i == 0 ? (uint64_t)(v >> 16) << 10 : (uint64_t)(v >> 18) << 19;
            c.line = v & 0xff;
            unsigned w = amd_assoc_code((v >> 12) & 15);
            c.assoc = w == UINT32_MAX && c.line ? (unsigned)(c.size / c.line) : w;
            if (c.size && c.line && ((v >> 12) & 15))
                out[n++] = c;
        }
    }
    return (int)n;
}

int host_caches_cpuid(const host_cpuid_t *cpuid, host_cache_t *out, unsigned max, char *err,
                      size_t errlen)
{
    uint32_t r0[4], rx[4], r81[4];
    if (!cpuid->query(cpuid->ctx, 0, 0, r0)) {
        snprintf(err, errlen, "no CPUID instruction (not x86)");
        return -1;
    }
    char vendor[13];
    memcpy(vendor, &r0[1], 4);
    memcpy(vendor + 4, &r0[3], 4);
    memcpy(vendor + 8, &r0[2], 4);
    vendor[12] = '\0';
    uint32_t max_ext = cpuid->query(cpuid->ctx, 0x80000000, 0, rx) ? rx[0] : 0;
    int n = 0;
    if (strcmp(vendor, "AuthenticAMD") == 0 || strcmp(vendor, "HygonGenuine") == 0) {
        /* 0x8000001D exists when the topology extensions are (0x80000001 ECX bit 22) */
        if (max_ext >= 0x8000001D && cpuid->query(cpuid->ctx, 0x80000001, 0, r81) &&
            (r81[2] & (1u << 22)))
            n = caches_deterministic(cpuid, 0x8000001D, HOST_GEOM_CPUID_AMD, out, max);
        if (n == 0 && max_ext >= 0x80000006)
            n = caches_amd_legacy(cpuid, out, max);
    } else if (r0[0] >= 4) {
        n = caches_deterministic(cpuid, 4, HOST_GEOM_CPUID4, out, max);
    }
    if (n == 0) {
        snprintf(err, errlen, "CPUID (%s, highest leaf %#x, extended %#x) describes no cache",
                 vendor, r0[0], max_ext);
        return -1;
    }
    return n;
}

int host_caches_detect(const char *sysfs_root, const host_cpuid_t *cpuid, host_cache_t *out,
                       unsigned max, char *err, size_t errlen)
{
    char why_sysfs[256];
    int n = host_caches_sysfs(sysfs_root, out, max, why_sysfs, sizeof why_sysfs);
    if (n > 0) {
        err[0] = '\0';
        return n;
    }
    char why_cpuid[256];
    n = host_caches_cpuid(cpuid, out, max, why_cpuid, sizeof why_cpuid);
    if (n > 0) {
        snprintf(err, errlen, "%s", why_sysfs);
        return n;
    }
    snprintf(err, errlen, "%s; %s", why_sysfs, why_cpuid);
    return -1;
}

/* ---- what the model needs ---------------------------------------------------------------- */

void host_cache_normalize(host_cache_t *c, char *note, size_t len)
{
    size_t at = 0;
    note[0] = '\0';
    if (c->assoc == 0) {
        c->assoc = c->level >= 3 ? 16 : 8;
        at += (size_t)snprintf(note + at, len - at, "; %s does not give the ways: %u assumed",
                               host_geom_source_name(c->source), c->assoc);
    }
    if (c->line == 0 && at < len) {
        c->line = 64;
        at += (size_t)snprintf(note + at, len - at, "; %s does not give the line size: 64 B assumed",
                               host_geom_source_name(c->source));
    }
    uint64_t set_bytes = (uint64_t)c->assoc * c->line, sets = c->size / set_bytes, p2 = 1;
    while (p2 * 2 <= sets)
        p2 *= 2;
    if (sets && (p2 != sets || c->size % set_bytes) && at < len) {
        snprintf(note + at, len - at, "; %llu KiB rounded down to %llu KiB (the model's sets are "
                 "a power of two)", (unsigned long long)(c->size >> 10),
                 (unsigned long long)((p2 * set_bytes) >> 10));
        c->size = p2 * set_bytes;
    }
}

/* ---- the staircase ------------------------------------------------------------------------- */

int host_stair_levels(const host_stair_point_t *pts, unsigned n, host_cache_t *out,
                      unsigned max, unsigned *mem_first, char *err, size_t errlen)
{
    /* steps as [first, last]: the points before and after a run of rises */
    unsigned first[64], last[64], ns = 0;
    for (unsigned i = 0; i + 1 < n && ns < 64; i++) {
        double a = pts[i].ns.median, b = pts[i + 1].ns.median;
        if (a <= 0 || b < a * HOST_STEP_RATIO)
            continue;
        if (ns && last[ns - 1] == i)
            last[ns - 1] = i + 1;
        else {
            first[ns] = i;
            last[ns++] = i + 1;
        }
    }
    if (ns == 0) {
        snprintf(err, errlen, "the staircase (%u points) rises nowhere by %.1fx from one working "
                 "set to the next: no cache level can be told from memory", n, HOST_STEP_RATIO);
        return -1;
    }
    unsigned mem = 0;
    double best = 0;
    for (unsigned s = 0; s < ns; s++) {
        double rise = log(pts[last[s]].ns.median / pts[first[s]].ns.median);
        if (rise > best) {
            best = rise;
            mem = s;
        }
    }
    /* the steps before memory's end the cache levels; with more than max, the first and the
     * last max - 1 (the model's private first level and the levels nearest memory) */
    unsigned nl = mem + 1, k = 0;
    for (unsigned s = 0; s < nl && k < max; s++) {
        if (s > 0 && nl > max && s < nl - (max - 1))
            continue;
        host_cache_t c = {.level = k + 1, .source = HOST_GEOM_STAIRCASE};
        snprintf(c.type, sizeof c.type, "%s", k == 0 ? "Data" : "Unified");
        c.size = pts[first[s]].bytes;
        out[k++] = c;
    }
    *mem_first = last[mem];
    return (int)k;
}
