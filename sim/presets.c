/* presets.c: the built-in machine presets, as INI text that `presets --show` prints verbatim
 * and --config reads back. Where each number comes from is in README.md (Presets). */
#include <string.h>

#include "sim/config.h"

/* x86 server part: AMD Zen 4 (EPYC 9004) per-core figures at about 3.7 GHz: 32K 8-way L1I and
 * L1D (4 cycles), 1 MiB 8-way private L2 (14 cycles), a 32 MiB 16-way shared L3 (about 50
 * cycles), a 64-entry store queue, DRAM at about 300 cycles; a system call's entry and exit at
 * about 100 ns (370 cycles), an IPI's acknowledgement one cache-line transfer within a CCX (about
 * 19 ns, 70 cycles). */
#define X86_BODY(cores)                                                                            \
    "[machine]\ncores = " cores "\nprotocol = mesi\narch = x86\nicache_snoop = yes\n\n"            \
    "[l1i]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 4\n\n" \
    "[l1d]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 4\n\n" \
    "[l2]\nsize = 1M\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 14\n\n" \
    "[llc]\nsize = 32M\nassoc = 16\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 50\n" \
    "inclusive = no\n\n"                                                                           \
    "[storebuf]\nentries = 64\ndrain_latency = 12\n\n"                                              \
    "[bus]\nlatency = 60\noccupancy = 4\n\n"                                                       \
    "[memory]\nlatency = 300\n\n"                                                                  \
    "[ipi]\nlatency = 3700\nhandler = 1500\nack = 70\n\n"                                          \
    "[os]\npage = 4K\ndisk_latency = 37000\ndisk_bandwidth = 1\nsyscall = 370\n\n"                 \
    "[sim]\nseed = 1\njitter = 0\n"

static const struct preset {
    const char *name;
    const char *summary;
    const char *ini;
} presets[] = {
    {"x86-2", "2 x86 cores (Zen 4 figures): TSO store buffers, snooping I-caches, MESI, L2, shared LLC",
     X86_BODY("2")},
    {"x86-4", "4 x86 cores (Zen 4 figures): TSO store buffers, snooping I-caches, MESI, L2, shared LLC",
     X86_BODY("4")},
    {"x86-8", "8 x86 cores (Zen 4 figures): TSO store buffers, snooping I-caches, MESI, L2, shared LLC",
     X86_BODY("8")},
    /* Arm Neoverse N1 figures: 64K 4-way L1I and L1D (4 cycles), 1 MiB 8-way private L2
     * (11 cycles), a 32 MiB shared system cache; I-caches do not snoop stores. */
    {"arm-like-4", "4 Arm-like cores (Neoverse N1 figures): non-snooping I-caches, MOESI, no KeInvalidateAllCaches",
     "[machine]\ncores = 4\nprotocol = moesi\narch = arm\nicache_snoop = no\n\n"
     "[l1i]\nsize = 64K\nassoc = 4\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 4\n\n"
     "[l1d]\nsize = 64K\nassoc = 4\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 4\n\n"
     "[l2]\nsize = 1M\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 11\n\n"
     "[llc]\nsize = 32M\nassoc = 16\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 40\n"
     "inclusive = no\n\n"
     "[storebuf]\nentries = 64\ndrain_latency = 12\n\n"
     "[bus]\nlatency = 50\noccupancy = 4\n\n"
     "[memory]\nlatency = 250\n\n"
     "[ipi]\nlatency = 3000\nhandler = 1500\nack = 70\n\n"
     "[os]\npage = 4K\ndisk_latency = 30000\ndisk_bandwidth = 1\nsyscall = 370\n\n"
     "[sim]\nseed = 1\njitter = 0\n"},
    /* Dinero IV's defaults for the reference runs: one unified 32K 8-way LRU write-back,
     * write-allocate L1 with 64-byte lines, no store buffer: every access reaches the cache in
     * trace order. */
    {"dinero", "1 core, unified L1 32K 8-way 64 B LRU write-back write-allocate, no store buffer (Dinero IV)",
     "[machine]\ncores = 1\nprotocol = mesi\narch = x86\nicache_snoop = yes\n\n"
     "[l1]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 1\n\n"
     "[storebuf]\nentries = 0\ndrain_latency = 0\n\n"
     "[bus]\nlatency = 0\noccupancy = 0\n\n"
     "[memory]\nlatency = 100\n\n"
     "[ipi]\nlatency = 1000\nhandler = 500\nack = 100\n\n"
     "[os]\npage = 4K\ndisk_latency = 10000\ndisk_bandwidth = 1\nsyscall = 100\n\n"
     "[sim]\nseed = 1\njitter = 0\n"},
    {"dinero-split", "1 core, split L1I/L1D 32K 8-way 64 B LRU write-back write-allocate, no store buffer (Dinero IV)",
     "[machine]\ncores = 1\nprotocol = mesi\narch = x86\nicache_snoop = yes\n\n"
     "[l1i]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 1\n\n"
     "[l1d]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 1\n\n"
     "[storebuf]\nentries = 0\ndrain_latency = 0\n\n"
     "[bus]\nlatency = 0\noccupancy = 0\n\n"
     "[memory]\nlatency = 100\n\n"
     "[ipi]\nlatency = 1000\nhandler = 500\nack = 100\n\n"
     "[os]\npage = 4K\ndisk_latency = 10000\ndisk_bandwidth = 1\nsyscall = 100\n\n"
     "[sim]\nseed = 1\njitter = 0\n"},
    /* Valgrind Cachegrind's reference geometry: I1 and D1 32K 8-way, LL 1M 16-way, 64-byte lines. */
    {"cachegrind", "1 core, L1I and L1D 32K 8-way, LLC 1M 16-way, 64 B lines, LRU (Valgrind Cachegrind)",
     "[machine]\ncores = 1\nprotocol = mesi\narch = x86\nicache_snoop = yes\n\n"
     "[l1i]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 1\n\n"
     "[l1d]\nsize = 32K\nassoc = 8\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 1\n\n"
     "[llc]\nsize = 1M\nassoc = 16\nline = 64\nrepl = lru\nwrite = back\nalloc = yes\nlatency = 10\n"
     "inclusive = no\n\n"
     "[storebuf]\nentries = 0\ndrain_latency = 0\n\n"
     "[bus]\nlatency = 0\noccupancy = 0\n\n"
     "[memory]\nlatency = 100\n\n"
     "[ipi]\nlatency = 1000\nhandler = 500\nack = 100\n\n"
     "[os]\npage = 4K\ndisk_latency = 10000\ndisk_bandwidth = 1\nsyscall = 100\n\n"
     "[sim]\nseed = 1\njitter = 0\n"},
};

#define NPRESETS (sizeof presets / sizeof presets[0])

const char *preset_name(unsigned i) { return i < NPRESETS ? presets[i].name : NULL; }

static const struct preset *find(const char *name)
{
    for (unsigned i = 0; i < NPRESETS; i++)
        if (strcmp(presets[i].name, name) == 0)
            return &presets[i];
    return NULL;
}

const char *preset_ini(const char *name)
{
    const struct preset *p = find(name);
    return p ? p->ini : NULL;
}

const char *preset_summary(const char *name)
{
    const struct preset *p = find(name);
    return p ? p->summary : NULL;
}
