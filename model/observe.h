/* observe.h: the machine's event stream: what an observer attached with machine_observe
 * receives, one self-describing record per event (kinds in observe.def, reasons and cache levels
 * below, each with its name).
 *
 * Invariants: records arrive in the order the machine acts, which is simulated-time order except
 * that a drain's finish is reported when it starts (its cycle lies ahead); an observed run
 * computes exactly what an unobserved one does (the observer only reads; attaching one makes the
 * machine take its general paths, which give the same numbers, so the fast paths never test for
 * it); a record and its pointers are valid only during the call.
 */
#ifndef COHSIM_OBSERVE_H
#define COHSIM_OBSERVE_H

#include <stdint.h>

typedef enum obs_kind {
#define OBS(id, name, fields) OBS_##id,
#include "observe.def"
#undef OBS
    OBS_KINDS
} obs_kind_t;

/* Why a cache line changed state, was filled or written back. */
#define OBS_REASONS(X)                                                                             \
    X(NONE, "-")                                                                                   \
    X(READ, "read")              /* the core's own read or fetch */                                \
    X(WRITE, "write")            /* the core's own write (fill for ownership, upgrade) */          \
    X(SNOOP, "snoop")            /* another core's bus transaction */                              \
    X(EVICTION, "eviction")      /* made room for another line */                                  \
    X(INCLUSION, "inclusion")    /* an outer inclusive level dropped the line */                   \
    X(WRITE_THROUGH, "write-through")                                                              \
    X(MAINTENANCE, "maintenance") /* flush, clean or invalidate by a primitive or operation */
typedef enum obs_reason {
#define X(id, name) OBS_REASON_##id,
    OBS_REASONS(X)
#undef X
    OBS_REASON_COUNT
} obs_reason_t;

#define OBS_LEVELS(X) X(NONE, "-") X(L1I, "L1I") X(L1D, "L1D") X(L2, "L2") X(LLC, "LLC")
typedef enum obs_level {
#define X(id, name) OBS_LEVEL_##id,
    OBS_LEVELS(X)
#undef X
    OBS_LEVEL_COUNT
} obs_level_t;

typedef struct obs_event {
    obs_kind_t kind;
    uint64_t cycle;
    int cpu;             /* the core concerned; -1 for the shared level and page events */
    uint64_t addr;       /* byte address, or line address for cache and bus events */
    uint64_t value;
    uint64_t seq;        /* requests: which of its source's requests */
    uint32_t size;
    uint8_t op;          /* requests and primitives: op_t */
    uint8_t level;       /* obs_level_t */
    uint8_t old_state;   /* LINE_* (cache.h) */
    uint8_t new_state;
    uint8_t reason;      /* obs_reason_t */
    uint8_t bus;         /* bus_event_t (coherence.h) */
    int requester, supplier; /* bus: cores; supplier -1 when the LLC or memory supplied */
    int other;           /* IPIs: the core at the other end */
    int status;          /* completions: 0, or what the request returned */
} obs_event_t;

typedef void (*obs_fn)(void *opaque, const obs_event_t *ev);

const char *obs_kind_name(obs_kind_t k);
/* What the kind's record fills (observe.def's third column). */
const char *obs_kind_fields(obs_kind_t k);
const char *obs_reason_name(obs_reason_t r);
const char *obs_level_name(obs_level_t l);

#endif
