/* primitives.h: the OS layer attached to a machine: it executes the OS set-up operations, the
 * checks and the five flush primitives (model/ops.def), translates view addresses to page-cache
 * frames, and keeps each primitive's statistics and a log of every call.
 *
 * Each primitive is a system call: the machine drains the calling core's store buffer before it
 * runs (those drains are counted as the call's sb_drained). Costs are cycles charged to the
 * calling core; IPIs make the call wait for every acknowledgement.
 */
#ifndef COHSIM_PRIMITIVES_H
#define COHSIM_PRIMITIVES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine.h"
#include "os.h"

typedef struct prim prim_t;

/* The primitives: the PRIM rows of ops.def, in their order. */
enum {
    PRIM_COUNT = 0
#define OP(id, spelling, cls, doc)
#define PRIM(id, spelling, doc, a1, a2, a3, a4) +1
#include "ops.def"
#undef PRIM
#undef OP
};

typedef struct prim_stats {
    uint64_t calls, cycles, lines_invalidated, lines_written_back, sb_drained, ipis,
        pages_written, pages_purged;
} prim_stats_t;

/* FlushInstructionCache's Win32 result: nonzero, or zero with a last-error. */
enum { PRIM_ERROR_NONE = 0, PRIM_ERROR_ACCESS_DENIED = 5, PRIM_ERROR_INVALID_HANDLE = 6 };

typedef struct prim_call {
    uint64_t seq;        /* 0, 1, ... in the order calls were made */
    unsigned cpu;
    op_t op;
    os_status_t status;  /* NTSTATUS; for FlushInstructionCache see win32_ok/last_error */
    bool win32_ok;       /* FlushInstructionCache returned nonzero */
    uint32_t last_error; /* PRIM_ERROR_* when it returned zero */
    uint64_t base, size; /* as returned (ZwFlushVirtualMemory: rounded to pages) */
    uint64_t information; /* IoStatus.Information: bytes written to the disk */
    uint64_t cycles;     /* from issue to completion, IPI acknowledgements included */
    uint64_t issued;
    uint32_t pid;        /* the calling thread's process (0: the core runs none) */
} prim_call_t;

/* Create the OS layer for m (its memory holds the page cache's frames) and attach it. NULL with
 * the reason in err. m must outlive it. */
prim_t *prim_attach(machine_t *m, char *err, size_t errlen);
void prim_destroy(prim_t *p);

os_t *prim_os(prim_t *p);
const os_t *prim_os_const(const prim_t *p);
/* Statistics of primitive i (0..PRIM_COUNT-1, ops.def order) and its op. */
const prim_stats_t *prim_stats(const prim_t *p, unsigned i);
op_t prim_op(unsigned i);
size_t prim_call_count(const prim_t *p);
const prim_call_t *prim_call_at(const prim_t *p, size_t i);
/* The first call counted in the statistics (made since their last reset): calls before it were
 * a warm-up's. */
size_t prim_region_first_call(const prim_t *p);
/* The latest call core cpu made (NULL: none yet); complete once that request is done. */
const prim_call_t *prim_last_call(const prim_t *p, unsigned cpu);
/* Whether the call failed (FlushInstructionCache returned zero; another primitive a status other
 * than STATUS_SUCCESS), and the code its caller reads: FlushInstructionCache's return value (1
 * nonzero, 0 zero), else the NTSTATUS value. */
bool prim_call_failed(const prim_call_t *c);
uint64_t prim_call_code(const prim_call_t *c);
/* "nonzero"/"zero" for FlushInstructionCache, else the NTSTATUS name; and the last-error name
 * (NULL when none). */
const char *prim_call_status(const prim_call_t *c);
const char *prim_call_last_error(const prim_call_t *c);

#endif
