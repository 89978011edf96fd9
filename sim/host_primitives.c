/* host_primitives.c: the five primitives' Linux equivalents, timed and counted on this host.
 *
 *   FlushInstructionCache         __builtin___clear_cache after rewriting code that is then run,
 *                                 on this CPU and (serialized) on another
 *   FlushProcessWriteBuffers      membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED), 1 and 2 threads
 *   KeInvalidateAllCaches         CLFLUSHOPT (or CLFLUSH) over a working set, then its reload
 *   ZwFlushVirtualMemory          msync(MS_SYNC) over a MAP_SHARED file view, size 0 = whole view
 *   CcCoherencyFlushAndPurgeCache sync_file_range + fdatasync, then madvise(MADV_DONTNEED) on
 *                                 the view and posix_fadvise(POSIX_FADV_DONTNEED)
 *
 * Each case is repeated; its time is reduced to a median and spread, and the work it did is
 * measured apart from the timing, never computed from the request: IPIs from /proc/interrupts,
 * dirty, written-back and resident pages of the file from cachestat(2) (Linux 6.5; mincore for
 * residency without it), stale runs from what the rewritten code returns, here and on another
 * CPU. What user space cannot count (WBINVD's lines) is marked model_only. Correctness is
 * checked, not assumed: the rewritten code must return its new value, and flushed file content
 * must read back from the disk (the pages unmapped and dropped first, their absence measured),
 * not from the page cache. Invariants: every file is unlinked as soon as it is created (nothing
 * can be left on disk whatever happens next), every mapping and thread is released on every
 * path, and the caller's CPU affinity is restored.
 */
#define _GNU_SOURCE
#include "sim/host.h"

#include "model/primitives.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#define PRIM_MAX_SAMPLES 256

/* The host measures the model's primitives, in the order of their PRIM rows in model/ops.def,
 * under their names there. */
_Static_assert((int)HOST_NPRIMS == (int)PRIM_COUNT,
               "one host measurement per primitive of model/ops.def");

const char *host_prim_name(unsigned i) { return i < HOST_NPRIMS ? op_name(prim_op(i)) : NULL; }

/* Name p as the i-th primitive, run as equivalent on Linux. */
static void prim_begin(host_prim_t *p, unsigned i, const char *equivalent)
{
    p->name = host_prim_name(i);
    snprintf(p->equivalent, sizeof p->equivalent, "%s", equivalent);
}

static host_measure_t *prim_add(host_prim_t *p, const char *label)
{
    assert(p->nm < HOST_MAX_MEASURES);
    host_measure_t *m = &p->m[p->nm++];
    memset(m, 0, sizeof *m);
    snprintf(m->label, sizeof m->label, "%s", label);
    m->expected = -1;
    m->before = m->after = m->bytes = -1;
    return m;
}

/* Mark p unavailable because of what (and detail, when not NULL: "what: detail"). */
static void prim_unavailable(host_prim_t *p, const char *what, const char *detail)
{
    p->status = HOST_UNAVAILABLE;
    snprintf(p->note, sizeof p->note, "%s%s%s", what, detail ? ": " : "", detail ? detail : "");
}

static unsigned prim_reps(const host_prim_opts_t *o)
{
    unsigned r = o->reps ? o->reps : 1;
    return r < PRIM_MAX_SAMPLES ? r : PRIM_MAX_SAMPLES;
}

/* ---- FlushInstructionCache ------------------------------------------------------------------ */

typedef int (*prim_fn_t)(void);

/* Write "return imm" at code. Returns the bytes written, 0 when this architecture is unknown. */
static size_t prim_emit_return(uint8_t *code, uint32_t imm)
{
#if defined(__x86_64__)
    code[0] = 0xb8; /* mov eax, imm32 */
    memcpy(code + 1, &imm, 4);
    code[5] = 0xc3; /* ret */
    return 6;
#elif defined(__aarch64__)
    uint32_t insn[2] = {0x52800000u | ((imm & 0xffffu) << 5), 0xd65f03c0u}; /* movz w0; ret */
    memcpy(code, insn, sizeof insn);
    return sizeof insn;
#else
    (void)code, (void)imm;
    return 0;
#endif
}

/* Make this CPU fetch instructions anew (cross-modifying code: Intel SDM 3A 8.1.3 wants a
 * serializing instruction on the executing processor; Arm wants an ISB). */
static void prim_serialize(void)
{
#if defined(__x86_64__)
    unsigned a, b, c, d;
    __cpuid(0, a, b, c, d);
    (void)a, (void)b, (void)c, (void)d;
#elif defined(__aarch64__)
    __asm__ volatile("isb" ::: "memory");
#endif
}

/* The CPUs of the affinity set: the number found (up to 2), their ids in cpus. */
static int prim_two_cpus(const cpu_set_t *set, int cpus[2])
{
    int k = 0;
    cpus[0] = cpus[1] = -1;
    for (int i = 0; i < CPU_SETSIZE && k < 2; i++)
        if (CPU_ISSET(i, set))
            cpus[k++] = i;
    return k;
}

static void prim_pin(pthread_t th, int cpu)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    pthread_setaffinity_np(th, sizeof one, &one);
}

/* Cross-modifying code: the writer (this thread) rewrites the code and cleans it, then
 * publishes the version; the runner, on another CPU, waits for it, serializes and runs the
 * code. A stale run is one that returned another version's value. */
typedef struct prim_xmc {
    prim_fn_t fn;
    uint32_t mask;      /* the bits of a version the code's immediate holds */
    atomic_uint want;   /* the version to run next (0: none yet) */
    atomic_uint ran;    /* the last version run */
    atomic_uint stale;
    atomic_int stop, running;
    int cpu;
} prim_xmc_t;

static void *prim_xmc_run(void *arg)
{
    prim_xmc_t *x = arg;
    prim_pin(pthread_self(), x->cpu);
    atomic_store(&x->running, 1);
    unsigned last = 0;
    for (;;) {
        unsigned v;
        while ((v = atomic_load_explicit(&x->want, memory_order_acquire)) == last)
            if (atomic_load_explicit(&x->stop, memory_order_relaxed))
                return NULL;
        prim_serialize();
        if ((uint32_t)x->fn() != (v & x->mask))
            atomic_fetch_add(&x->stale, 1);
        last = v;
        atomic_store_explicit(&x->ran, v, memory_order_release);
    }
}

/* The cross-modifying case into p: code written through rw, run through rx (x->fn). */
static void prim_xmc_case(host_prim_t *p, uint8_t *rw, uint8_t *rx, size_t len, unsigned reps,
                          prim_xmc_t *x)
{
    host_measure_t *m = prim_add(p, "rewrite + clear_cache, run on another CPU");
    snprintf(m->count_name, sizeof m->count_name, "stale runs");
    m->expected = 0;
    m->bytes = (double)len;
    cpu_set_t saved;
    int cpus[2];
    if (sched_getaffinity(0, sizeof saved, &saved) != 0 || prim_two_cpus(&saved, cpus) < 2) {
        snprintf(m->count_note, sizeof m->count_note,
                 "one CPU only: no second CPU to run the code (not measured)");
        return;
    }
    prim_pin(pthread_self(), cpus[0]);
    x->cpu = cpus[1];
    pthread_t th;
    if (pthread_create(&th, NULL, prim_xmc_run, x) != 0) {
        snprintf(m->count_note, sizeof m->count_note, "cannot start a second thread (not "
                                                      "measured)");
        sched_setaffinity(0, sizeof saved, &saved);
        return;
    }
    while (!atomic_load(&x->running))
        ;
    enum { ROUNDS = 200 };
    double s[PRIM_MAX_SAMPLES];
    unsigned v = 0;
    for (unsigned r = 0; r < reps; r++) {
        double t0 = host_now_ns();
        for (unsigned i = 0; i < ROUNDS; i++) {
            v++;
            prim_emit_return(rw, 5000 + v);
            __builtin___clear_cache((char *)rx, (char *)rx + len);
            /* the version the runner checks is the value the code returns */
            atomic_store_explicit(&x->want, 5000 + v, memory_order_release);
            while (atomic_load_explicit(&x->ran, memory_order_acquire) != 5000 + v)
                ;
        }
        s[r] = (host_now_ns() - t0) / ROUNDS;
    }
    atomic_store(&x->stop, 1);
    pthread_join(th, NULL);
    sched_setaffinity(0, sizeof saved, &saved);
    host_stat_of(s, reps, &m->ns);
    m->count = atomic_load(&x->stale);
}

static void prim_flush_icache(const host_prim_opts_t *o, host_prim_t *p)
{
    prim_begin(p, 0, "__builtin___clear_cache after rewriting code; on another CPU, "
                     "a serializing instruction before running it");
    uint8_t probe[16];
    if (prim_emit_return(probe, 0) == 0) {
        prim_unavailable(p, "no code generator for this architecture", NULL);
        return;
    }
    /* Two views of one memfd page: written through rw, run through rx, as a W^X system needs. */
    long page = sysconf(_SC_PAGESIZE);
    int fd = memfd_create("cohsim-code", MFD_CLOEXEC);
    if (fd < 0) {
        prim_unavailable(p, "memfd_create", strerror(errno));
        return;
    }
    uint8_t *rw = MAP_FAILED, *rx = MAP_FAILED;
    if (ftruncate(fd, page) != 0 ||
        (rw = mmap(NULL, (size_t)page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0)) == MAP_FAILED ||
        (rx = mmap(NULL, (size_t)page, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0)) == MAP_FAILED) {
        prim_unavailable(p, "cannot map code both writable and executable", strerror(errno));
        goto out;
    }
    prim_fn_t fn;
    void *rx_void = rx;
    memcpy(&fn, &rx_void, sizeof fn); /* object to function pointer, without a cast warning */
    unsigned reps = prim_reps(o);
    enum { CALLS = 1000 };
    double s[PRIM_MAX_SAMPLES];
    unsigned wrong = 0;
    size_t len = prim_emit_return(rw, 7);
    uint32_t mask = len == 6 ? 0xffffffffu : 0xffffu;
    __builtin___clear_cache((char *)rx, (char *)rx + len);
    for (unsigned r = 0; r < reps; r++) {
        double t0 = host_now_ns();
        int sum = 0;
        for (unsigned i = 0; i < CALLS; i++)
            sum += fn();
        s[r] = (host_now_ns() - t0) / CALLS;
        wrong += sum != 7 * CALLS;
    }
    host_measure_t *m = prim_add(p, "call (code unchanged)");
    host_stat_of(s, reps, &m->ns);
    for (unsigned r = 0; r < reps; r++) {
        double t0 = host_now_ns();
        for (unsigned i = 0; i < CALLS; i++) {
            uint32_t v = r * CALLS + i + 1000;
            prim_emit_return(rw, v);
            __builtin___clear_cache((char *)rx, (char *)rx + len);
            wrong += (uint32_t)fn() != (v & mask);
        }
        s[r] = (host_now_ns() - t0) / CALLS;
    }
    m = prim_add(p, "rewrite + clear_cache + call");
    host_stat_of(s, reps, &m->ns);
    m->bytes = (double)len;
    snprintf(m->count_name, sizeof m->count_name, "stale runs");
    m->count = wrong;
    m->expected = 0;
    prim_xmc_t x = {.fn = fn, .mask = mask};
    prim_xmc_case(p, rw, rx, len, reps, &x);
    unsigned xstale = p->m[2].count > 0 ? (unsigned)p->m[2].count : 0;
    if (wrong || xstale) {
        p->status = HOST_FAILED;
        snprintf(p->note, sizeof p->note, "%u calls on this CPU and %u on another ran the old "
                 "code after clear_cache", wrong, xstale);
    } else {
        snprintf(p->note, sizeof p->note, "every call after a rewrite returned the new value%s",
                 p->m[2].count < 0 ? "" : ", on this CPU and on another");
    }
out:
    if (rx != MAP_FAILED)
        munmap(rx, (size_t)page);
    if (rw != MAP_FAILED)
        munmap(rw, (size_t)page);
    close(fd);
}

/* ---- FlushProcessWriteBuffers --------------------------------------------------------------- */

/* The sum over CPUs of the function-call IPI row of /proc/interrupts ("CAL:" on x86, "Function
 * call interrupts" elsewhere), or -1 when it cannot be read. */
static double prim_call_ipis(void)
{
    FILE *f = fopen("/proc/interrupts", "r");
    if (!f)
        return -1;
    char line[4096];
    double total = -1;
    while (fgets(line, sizeof line, f)) {
        char *s = line;
        while (*s == ' ')
            s++;
        if (strncmp(s, "CAL:", 4) != 0 && !strstr(s, "Function call interrupts"))
            continue;
        s = strchr(s, ':') + 1;
        total = 0;
        for (;;) {
            char *end;
            unsigned long long v = strtoull(s, &end, 10);
            if (end == s)
                break;
            total += (double)v;
            s = end;
        }
        break;
    }
    fclose(f);
    return total;
}

static long prim_membarrier(int cmd) { return syscall(SYS_membarrier, cmd, 0u, 0); }

typedef struct prim_spinner {
    atomic_int stop, running;
    atomic_ulong beat; /* counts up while the spinner runs */
    int cpu;
} prim_spinner_t;

static void *prim_spin(void *arg)
{
    prim_spinner_t *sp = arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(sp->cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    atomic_store(&sp->running, 1);
    while (!atomic_load_explicit(&sp->stop, memory_order_relaxed))
        atomic_fetch_add_explicit(&sp->beat, 1, memory_order_relaxed);
    return NULL;
}

/* Time membarrier calls and count the IPIs of every call apart (the function-call row read
 * before and after it). With a spinner, only the calls during which it ran count (its beat
 * moved): on a busy host it is sometimes descheduled, and then no thread of ours is on its CPU
 * and no IPI is due. The count is the median over the counted calls, so that an interrupt other
 * kernel work sent in between does not blur it; the time is the mean of the counted calls. */
static void prim_membarrier_case(host_prim_t *p, const char *label, unsigned reps,
                                 double expected, prim_spinner_t *sp)
{
    enum { CALLS = 200 };
    double s[PRIM_MAX_SAMPLES];
    double *c = malloc(sizeof *c * CALLS * reps);
    int counted = c != NULL;
    unsigned nc = 0, ns = 0;
    for (unsigned r = 0; r < reps; r++) {
        double total = 0;
        unsigned n = 0;
        for (unsigned i = 0; i < CALLS; i++) {
            double i0 = counted ? prim_call_ipis() : -1;
            unsigned long b0 = sp ? atomic_load(&sp->beat) : 0;
            double t0 = host_now_ns();
            prim_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED);
            double dt = host_now_ns() - t0;
            unsigned long b1 = sp ? atomic_load(&sp->beat) : 1;
            double i1 = counted ? prim_call_ipis() : -1;
            if (b1 == b0)
                continue; /* the spinner was not running */
            total += dt;
            n++;
            if (i0 < 0 || i1 < 0)
                counted = 0;
            else
                c[nc++] = i1 - i0;
        }
        if (n)
            s[ns++] = total / n;
    }
    host_measure_t *m = prim_add(p, label);
    host_stat_of(s, ns, &m->ns);
    snprintf(m->count_name, sizeof m->count_name, "IPIs");
    m->expected = expected;
    if (counted && nc) {
        host_stat_t cs;
        host_stat_of(c, nc, &cs);
        m->count = cs.median;
    } else {
        m->count = -1;
        snprintf(m->count_note, sizeof m->count_note, "%s",
                 !nc ? "the spinning thread never ran during a call (a busy host)"
                     : "/proc/interrupts has no readable function-call (CAL) row");
    }
    free(c);
}

static void prim_flush_write_buffers(const host_prim_opts_t *o, host_prim_t *p)
{
    prim_begin(p, 1, "membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED)");
    long q = prim_membarrier(MEMBARRIER_CMD_QUERY);
    if (q < 0) {
        prim_unavailable(p, "membarrier", strerror(errno));
        return;
    }
    if (!(q & MEMBARRIER_CMD_PRIVATE_EXPEDITED)) {
        prim_unavailable(p, "membarrier: this kernel has no MEMBARRIER_CMD_PRIVATE_EXPEDITED", NULL);
        return;
    }
    if (prim_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) != 0) {
        prim_unavailable(p, "membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED) refused (no permission?)", strerror(errno));
        return;
    }
    cpu_set_t saved, one;
    if (sched_getaffinity(0, sizeof saved, &saved) != 0) {
        prim_unavailable(p, "sched_getaffinity", strerror(errno));
        return;
    }
    int cpus[2];
    prim_two_cpus(&saved, cpus);
    CPU_ZERO(&one);
    CPU_SET(cpus[0], &one);
    sched_setaffinity(0, sizeof one, &one);
    unsigned reps = prim_reps(o);
    /* Only this thread runs: the kernel has no other CPU to interrupt. */
    prim_membarrier_case(p, "1 running thread", reps, 0, NULL);
    if (cpus[1] < 0) {
        host_measure_t *m = prim_add(p, "2 running threads");
        snprintf(m->count_note, sizeof m->count_note, "one CPU only: no second thread can run");
        snprintf(p->note, sizeof p->note, "one CPU only: the 2-thread case was skipped");
    } else {
        prim_spinner_t sp = {.cpu = cpus[1]};
        pthread_t th;
        if (pthread_create(&th, NULL, prim_spin, &sp) != 0) {
            snprintf(p->note, sizeof p->note, "cannot start a second thread: 2-thread case skipped");
        } else {
            while (!atomic_load(&sp.running))
                ;
            /* The spinner runs on the other CPU: each call interrupts exactly that CPU. */
            prim_membarrier_case(p, "2 running threads", reps, 1, &sp);
            atomic_store(&sp.stop, 1);
            pthread_join(th, NULL);
        }
    }
    sched_setaffinity(0, sizeof saved, &saved);
}

/* ---- KeInvalidateAllCaches ------------------------------------------------------------------ */

#if defined(__x86_64__)
static int prim_has_clflushopt(void)
{
    unsigned a, b, c, d;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
        return 0;
    return (b >> 23) & 1;
}

static void prim_clflush_range(uint8_t *buf, size_t len, int opt)
{
    if (opt)
        for (size_t i = 0; i < len; i += 64)
            __asm__ volatile("clflushopt %0" : "+m"(*(volatile uint8_t *)(buf + i)));
    else
        for (size_t i = 0; i < len; i += 64)
            __asm__ volatile("clflush %0" : "+m"(*(volatile uint8_t *)(buf + i)));
    __asm__ volatile("mfence" ::: "memory");
}

/* Read one word per line; the sum keeps the loads. */
static uint64_t prim_reload(const uint8_t *buf, size_t len)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < len; i += 64)
        sum += *(const volatile uint64_t *)(buf + i);
    return sum;
}
#endif

static void prim_invalidate_all(const host_prim_opts_t *o, host_prim_t *p)
{
    prim_begin(p, 2, "CLFLUSHOPT over a working set (WBINVD is kernel-only)");
#if defined(__x86_64__)
    size_t len = o->flush_bytes ? (size_t)o->flush_bytes : (size_t)4 << 20;
    len = (len + 63) & ~(size_t)63;
    uint8_t *buf = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        prim_unavailable(p, "cannot map the working set", strerror(errno));
        return;
    }
    int opt = prim_has_clflushopt();
    if (!opt)
        snprintf(p->equivalent, sizeof p->equivalent, "%s",
                 "CLFLUSH over a working set (no CLFLUSHOPT; WBINVD is kernel-only)");
    unsigned reps = prim_reps(o);
    double flush[PRIM_MAX_SAMPLES], cold[PRIM_MAX_SAMPLES], warm[PRIM_MAX_SAMPLES];
    uint64_t sum = 0;
    for (unsigned r = 0; r < reps; r++) {
        /* Dirty every line, so the flush writes each one back as WBINVD would. */
        for (size_t i = 0; i < len; i += 64)
            *(volatile uint64_t *)(buf + i) = r + i;
        double t0 = host_now_ns();
        prim_clflush_range(buf, len, opt);
        double t1 = host_now_ns();
        sum += prim_reload(buf, len);
        double t2 = host_now_ns();
        sum += prim_reload(buf, len);
        double t3 = host_now_ns();
        flush[r] = t1 - t0;
        cold[r] = t2 - t1;
        warm[r] = t3 - t2;
    }
    char label[64];
    snprintf(label, sizeof label, "%s %zu KiB dirty", opt ? "clflushopt" : "clflush", len >> 10);
    host_measure_t *m = prim_add(p, label);
    host_stat_of(flush, reps, &m->ns);
    /* CLFLUSHOPT reports nothing, and the lines WBINVD would write back (every dirty line of
     * every cache) no counter user space can read counts: the model's count stands alone. */
    snprintf(m->count_name, sizeof m->count_name, "lines");
    m->count = -1;
    m->model_only = true;
    snprintf(m->count_note, sizeof m->count_note,
             "model only: user space cannot count the lines WBINVD writes back");
    m->bytes = (double)len;
    m = prim_add(p, "reload after the flush");
    host_stat_of(cold, reps, &m->ns);
    m = prim_add(p, "reload, caches warm");
    host_stat_of(warm, reps, &m->ns);
    /* Every line holds r + offset from the last pass; the sum says the reloads read it. */
    uint64_t want = 0;
    for (size_t i = 0; i < len; i += 64)
        want += (uint64_t)(reps - 1) + i;
    snprintf(p->note, sizeof p->note, "%s", sum >= 2 * want ? "reloaded values correct"
                                                            : "reloaded values wrong");
    if (sum < 2 * want)
        p->status = HOST_FAILED;
    munmap(buf, len);
#else
    (void)o;
    prim_unavailable(p, "unavailable on this architecture (x86 only: CLFLUSH)", NULL);
#endif
}

/* ---- files: ZwFlushVirtualMemory and CcCoherencyFlushAndPurgeCache ------------------------- */

/* A file of npages pages in dir, unlinked at once (it lives while fd is open), blocks reserved
 * so that a full disk shows now, not halfway through. fd, or -1 with the reason in why. */
static int prim_tmpfile(const char *dir, size_t bytes, char *why, size_t whylen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/cohsim-host-XXXXXX", dir);
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(why, whylen, "%s: cannot create a file: %s", dir, strerror(errno));
        return -1;
    }
    unlink(path);
    int e = posix_fallocate(fd, 0, (off_t)bytes);
    if (e == EOPNOTSUPP || e == EINVAL)
        e = ftruncate(fd, (off_t)bytes) == 0 ? 0 : errno;
    if (e) {
        snprintf(why, whylen, "%s: cannot reserve %zu KiB: %s", dir, bytes >> 10, strerror(e));
        close(fd);
        return -1;
    }
    return fd;
}

/* cachestat(2) (Linux 6.5 and later): the page cache's state of a range of a file. */
typedef struct prim_cachestat {
    uint64_t cache, dirty, writeback, evicted, recently_evicted;
} prim_cachestat_t;

#if defined(__NR_cachestat)
#define PRIM_NR_CACHESTAT __NR_cachestat
#elif defined(__x86_64__) || defined(__aarch64__)
#define PRIM_NR_CACHESTAT 451 /* both; C libraries older than the call lack the number */
#endif

/* The state of the whole file fd: 0, or -1 with errno (ENOSYS: the kernel predates 6.5). */
static int prim_cachestat(int fd, prim_cachestat_t *out)
{
    memset(out, 0, sizeof *out);
#ifdef PRIM_NR_CACHESTAT
    struct {
        uint64_t off, len; /* len 0: to the end of the file */
    } range = {0, 0};
    return syscall(PRIM_NR_CACHESTAT, fd, &range, out, 0) == 0 ? 0 : -1;
#else
    (void)fd;
    errno = ENOSYS;
    return -1;
#endif
}

/* Whether cachestat works on fd: 1, or 0 with why the counts it gives cannot be measured. */
static int prim_have_cachestat(int fd, char *why, size_t whylen)
{
    prim_cachestat_t cs;
    if (prim_cachestat(fd, &cs) == 0)
        return 1;
    snprintf(why, whylen, "cachestat(2) failed (%s; it needs Linux 6.5): not measured",
             strerror(errno));
    return 0;
}

/* The file's pages in the page cache: cachestat's count, else mincore over its view (which
 * reports the page cache for a file mapping), else -1. */
static double prim_resident(int fd, void *view, size_t len, long page)
{
    prim_cachestat_t cs;
    if (prim_cachestat(fd, &cs) == 0)
        return (double)cs.cache;
    size_t n = (len + (size_t)page - 1) / (size_t)page;
    unsigned char *vec = malloc(n);
    if (!vec)
        return -1;
    double r = -1;
    if (mincore(view, len, vec) == 0) {
        r = 0;
        for (size_t i = 0; i < n; i++)
            r += vec[i] & 1;
    }
    free(vec);
    return r;
}

/* Drop the file's pages from the page cache: first out of the view (fadvise leaves a mapped
 * page where it is), then the clean ones out of the cache. 0, or -1 with errno. */
static int prim_purge(int fd, void *view, size_t len)
{
    if (madvise(view, len, MADV_DONTNEED) != 0)
        return -1;
    int e = posix_fadvise(fd, 0, (off_t)len, POSIX_FADV_DONTNEED);
    if (e) {
        errno = e;
        return -1;
    }
    return 0;
}

/* Where in each page a case writes its word, stamp | page index (the stamp names the case and
 * the repetition), so that a read-back tells each page and each repetition apart. */
#define PRIM_STAMP_OFF 8

/* Read back from the disk the word pages [0, n) of fd must hold (stamp | i): the pages are
 * dropped first, and the read only counts when none of them is left in the page cache (a read
 * from the cache would see unflushed data too). Returns the pages read wrong, -1 when the pages
 * could not be dropped (tmpfs keeps them), -2 with errno when a call failed. */
static int prim_read_back(int fd, uint8_t *view, size_t len, long page, unsigned n,
                          uint64_t stamp)
{
    if (prim_purge(fd, view, len) != 0)
        return -2;
    if (prim_resident(fd, view, len, page) != 0)
        return -1;
    int bad = 0;
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = 0;
        if (pread(fd, &v, sizeof v, (off_t)i * page + PRIM_STAMP_OFF) != (ssize_t)sizeof v ||
            v != (stamp | i))
            bad++;
    }
    return bad;
}

static void prim_stamp_pages(uint8_t *view, long page, unsigned n, uint64_t stamp)
{
    for (unsigned i = 0; i < n; i++) {
        uint64_t v = stamp | i;
        memcpy(view + (size_t)i * (size_t)page + PRIM_STAMP_OFF, &v, sizeof v);
    }
}

/* The caller's half of ZwFlushVirtualMemory: size 0 means from base to the end of the view;
 * the range is rounded out to pages. */
static int prim_zw_flush(uint8_t *view, size_t view_len, uint8_t *base, size_t size, long page)
{
    if (size == 0)
        size = (size_t)(view + view_len - base);
    uintptr_t lo = (uintptr_t)base & ~(uintptr_t)(page - 1);
    uintptr_t hi = ((uintptr_t)base + size + (uintptr_t)page - 1) & ~(uintptr_t)(page - 1);
    return msync((void *)lo, hi - lo, MS_SYNC);
}

/* What the checks of a file primitive found, for its note. */
typedef struct prim_file_checks {
    unsigned still_dirty; /* pages dirty or under write-back right after a flush returned */
    unsigned bad;         /* pages read back wrong from the disk */
    unsigned not_dropped; /* read-backs that could not drop the pages first (proving nothing) */
} prim_file_checks_t;

/* Fold one read-back (prim_read_back's result) into k; -1 when a call failed. */
static int prim_checked(prim_file_checks_t *k, int rb)
{
    if (rb == -2)
        return -1;
    if (rb == -1)
        k->not_dropped++;
    else
        k->bad += (unsigned)rb;
    return 0;
}

/* p's note and status from its checks (ok: what a clean run says). */
static void prim_file_verdict(host_prim_t *p, const prim_file_checks_t *k, const char *flush,
                              const char *ok)
{
    if (k->still_dirty || k->bad) {
        p->status = HOST_FAILED;
        snprintf(p->note, sizeof p->note,
                 "%u pages still dirty right after %s returned (cachestat); %u pages read back "
                 "wrong from the disk", k->still_dirty, flush, k->bad);
    } else if (k->not_dropped) {
        snprintf(p->note, sizeof p->note, "%s; but the pages could not be dropped to read them "
                 "back from the disk (tmpfs?): the read-back proves nothing", ok);
    } else {
        snprintf(p->note, sizeof p->note, "%s; each case's last repetition read back right from "
                 "the disk (its pages unmapped and dropped from the page cache first)", ok);
    }
}

static void prim_flush_view(const host_prim_opts_t *o, host_prim_t *p, const char *dir,
                            int tmpfs)
{
    prim_begin(p, 3, "msync(MS_SYNC) on a MAP_SHARED file view");
    long page = sysconf(_SC_PAGESIZE);
    unsigned maxp = o->max_pages ? o->max_pages : 4096;
    size_t len = (size_t)maxp * (size_t)page;
    char why[256];
    int fd = prim_tmpfile(dir, len, why, sizeof why);
    if (fd < 0) {
        prim_unavailable(p, why, NULL);
        return;
    }
    uint8_t *view = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (view == MAP_FAILED) {
        prim_unavailable(p, "mmap of the file", strerror(errno));
        close(fd);
        return;
    }
    /* Fill every page once and write it out, so that each case starts from clean pages. */
    for (size_t i = 0; i < len; i += (size_t)page)
        view[i] = 1;
    if (msync(view, len, MS_SYNC) != 0) {
        prim_unavailable(p, "msync", strerror(errno));
        goto out;
    }
    char uncounted[96] = "";
    int counted = !tmpfs && prim_have_cachestat(fd, uncounted, sizeof uncounted);
    if (tmpfs)
        snprintf(uncounted, sizeof uncounted, "tmpfs: nothing is written to a disk");
    static const unsigned cases[] = {0, 1, 16, 256, 4096};
    unsigned reps = prim_reps(o);
    prim_file_checks_t k = {0};
    for (unsigned c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        unsigned n = cases[c];
        if (n > maxp)
            break;
        double s[PRIM_MAX_SAMPLES], w[PRIM_MAX_SAMPLES];
        uint64_t stamp = 0;
        for (unsigned r = 0; r < reps; r++) {
            stamp = ((uint64_t)(c + 1) << 40) | ((uint64_t)r << 20);
            prim_stamp_pages(view, page, n, stamp);
            prim_cachestat_t before, after;
            if (counted && prim_cachestat(fd, &before) != 0)
                counted = 0;
            double t0 = host_now_ns();
            /* Base at the view, size 0: the whole view, as Windows defines it. */
            int rc = prim_zw_flush(view, len, view, 0, page);
            s[r] = host_now_ns() - t0;
            if (rc != 0) {
                prim_unavailable(p, "msync", strerror(errno));
                goto out;
            }
            if (counted && prim_cachestat(fd, &after) != 0)
                counted = 0;
            /* the pages msync wrote are the dirty ones it cleaned; MS_SYNC leaves none dirty
             * and none under write-back */
            w[r] = (double)before.dirty - (double)after.dirty;
            if (counted)
                k.still_dirty += (unsigned)(after.dirty + after.writeback);
        }
        if (prim_checked(&k, prim_read_back(fd, view, len, page, n, stamp)) != 0) {
            prim_unavailable(p, "dropping the file's pages (madvise, posix_fadvise)",
                             strerror(errno));
            goto out;
        }
        char label[64];
        snprintf(label, sizeof label, "%u dirty page%s, size 0 (whole view)", n, n == 1 ? "" : "s");
        host_measure_t *m = prim_add(p, label);
        host_stat_of(s, reps, &m->ns);
        snprintf(m->count_name, sizeof m->count_name, "pages written");
        m->expected = n;
        if (counted) {
            host_stat_t ws;
            host_stat_of(w, reps, &ws);
            m->count = ws.median;
        } else {
            m->count = -1;
            snprintf(m->count_note, sizeof m->count_note, "%s", uncounted);
        }
    }
    prim_file_verdict(p, &k, "msync",
                      counted ? "pages written: the dirty pages msync cleaned (cachestat)"
                              : "pages written not measured");
out:
    munmap(view, len);
    close(fd);
}

/* One CcCoherencyFlushAndPurgeCache case: every page dirtied through the view, then flush
 * and/or purge timed, the residency measured before and after, and a flushed case read back
 * from the disk. 0, or -1 with the reason in why. */
static int prim_cc_case(host_prim_t *p, int fd, uint8_t *view, size_t len, long page,
                        unsigned reps, int flush, int purge, const char *label, double expected,
                        prim_file_checks_t *k, char *why, size_t whylen)
{
    double s[PRIM_MAX_SAMPLES], before[PRIM_MAX_SAMPLES], after[PRIM_MAX_SAMPLES];
    unsigned npages = (unsigned)(len / (size_t)page);
    int counted = prim_have_cachestat(fd, why, whylen);
    for (unsigned r = 0; r < reps; r++) {
        uint64_t stamp = ((uint64_t)(2 * flush + purge + 1) << 40) | ((uint64_t)r << 20);
        prim_stamp_pages(view, page, npages, stamp);
        before[r] = prim_resident(fd, view, len, page);
        double t0 = host_now_ns();
        int rc = 0;
        if (flush)
            rc = sync_file_range(fd, 0, (off_t)len,
                                 SYNC_FILE_RANGE_WAIT_BEFORE | SYNC_FILE_RANGE_WRITE |
                                     SYNC_FILE_RANGE_WAIT_AFTER);
        if (rc == 0 && flush)
            rc = fdatasync(fd); /* the metadata sync_file_range leaves out */
        if (rc == 0 && purge)
            rc = prim_purge(fd, view, len);
        s[r] = host_now_ns() - t0;
        after[r] = prim_resident(fd, view, len, page);
        if (rc != 0) {
            snprintf(why, whylen, "%s: %s", flush ? "sync_file_range/fdatasync"
                                                  : "madvise/posix_fadvise", strerror(errno));
            return -1;
        }
        prim_cachestat_t cs;
        if (flush && counted && prim_cachestat(fd, &cs) == 0)
            k->still_dirty += (unsigned)(cs.dirty + cs.writeback);
        if (flush && r + 1 == reps &&
            prim_checked(k, prim_read_back(fd, view, len, page, npages, stamp)) != 0) {
            snprintf(why, whylen, "dropping the file's pages (madvise, posix_fadvise): %s",
                     strerror(errno));
            return -1;
        }
        /* Leave the pages clean for the next case. */
        if (!flush && fdatasync(fd) != 0) {
            snprintf(why, whylen, "fdatasync: %s", strerror(errno));
            return -1;
        }
    }
    host_measure_t *m = prim_add(p, label);
    host_stat_of(s, reps, &m->ns);
    host_stat_t b, a;
    host_stat_of(before, reps, &b);
    host_stat_of(after, reps, &a);
    snprintf(m->count_name, sizeof m->count_name, "resident after");
    m->expected = expected;
    if (b.min < 0 || a.min < 0) {
        m->count = -1;
        snprintf(m->count_note, sizeof m->count_note,
                 "neither cachestat(2) nor mincore(2) works here: not measured");
    } else {
        m->before = b.median;
        m->after = a.median;
        m->count = a.median;
    }
    return 0;
}

static void prim_flush_purge(const host_prim_opts_t *o, host_prim_t *p, const char *dir,
                             int tmpfs)
{
    prim_begin(p, 4, "sync_file_range + fdatasync, then madvise(MADV_DONTNEED) on the view and "
                     "posix_fadvise(POSIX_FADV_DONTNEED)");
    long page = sysconf(_SC_PAGESIZE);
    unsigned np = o->max_pages ? (o->max_pages < 256 ? o->max_pages : 256) : 256;
    size_t len = (size_t)np * (size_t)page;
    char why[256];
    int fd = prim_tmpfile(dir, len, why, sizeof why);
    if (fd < 0) {
        prim_unavailable(p, why, NULL);
        return;
    }
    /* The pages are dirtied through a view, as the model's case does: the purge must unmap
     * them from it before the page cache can let them go. */
    uint8_t *view = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (view == MAP_FAILED) {
        prim_unavailable(p, "mmap of the file", strerror(errno));
        close(fd);
        return;
    }
    unsigned reps = prim_reps(o);
    prim_file_checks_t k = {0};
    /* tmpfs keeps every page whatever is asked: expect them all to stay. */
    double purged = tmpfs ? (double)np : 0;
    int rc = prim_cc_case(p, fd, view, len, page, reps, 1, 1, "flush and purge", purged, &k, why,
                          sizeof why);
    if (rc == 0)
        rc = prim_cc_case(p, fd, view, len, page, reps, 1, 0,
                          "flush, no purge (CC_FLUSH_AND_PURGE_NO_PURGE)", np, &k, why,
                          sizeof why);
    /* Dirty pages cannot be dropped: a purge without the flush leaves those not yet written. */
    if (rc == 0)
        rc = prim_cc_case(p, fd, view, len, page, reps, 0, 1, "purge without a flush", -1, &k,
                          why, sizeof why);
    if (rc != 0) {
        p->status = HOST_UNAVAILABLE;
        snprintf(p->note, sizeof p->note, "%s", why);
    } else {
        char ok[96];
        snprintf(ok, sizeof ok, "%u-page file; residency from %s", np,
                 prim_have_cachestat(fd, why, sizeof why) ? "cachestat" : "mincore");
        prim_file_verdict(p, &k, "the flush", ok);
    }
    munmap(view, len);
    close(fd);
}

int host_primitives(const host_prim_opts_t *o, host_prim_t out[HOST_NPRIMS])
{
    memset(out, 0, HOST_NPRIMS * sizeof *out);
    prim_flush_icache(o, &out[0]);
    prim_flush_write_buffers(o, &out[1]);
    prim_invalidate_all(o, &out[2]);
    char dir[4096], note[200];
    int kind = host_pick_dir(o->dir, dir, sizeof dir, note, sizeof note);
    if (kind < 0) {
        prim_begin(&out[3], 3, "msync(MS_SYNC) on a MAP_SHARED file view");
        prim_unavailable(&out[3], note, NULL);
        prim_begin(&out[4], 4, "sync_file_range + fdatasync, then madvise(MADV_DONTNEED) on the "
                               "view and posix_fadvise(POSIX_FADV_DONTNEED)");
        prim_unavailable(&out[4], note, NULL);
    } else {
        prim_flush_view(o, &out[3], dir, kind == 1);
        prim_flush_purge(o, &out[4], dir, kind == 1);
        if (kind == 1)
            for (unsigned i = 3; i < 5; i++) {
                size_t n = strlen(out[i].note);
                snprintf(out[i].note + n, sizeof out[i].note - n, " (%s)", note);
            }
    }
    int failed = 0;
    for (unsigned i = 0; i < HOST_NPRIMS; i++)
        failed += out[i].status == HOST_FAILED;
    return failed;
}
