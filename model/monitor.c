/* monitor.c: the machine's own observer, present in check mode and when a fault is on
 * (faults.h). It watches the event stream for the invariants that a look at the caches' states
 * cannot see, names the event that broke an invariant, and keeps what the no-writeback fault
 * needs. It passes every record on to the observer machine_observe attached, unchanged.
 *
 * What it keeps:
 * - the cause: the access being done (a request issued, a drain started) and the last bus
 *   transaction since, which monitor_blame names as the event that broke an invariant;
 * - check mode: per core, the stores in its buffer in the order they entered (sb.push), from
 *   whose front every drain must take its store: stores leave a buffer in program order;
 * - the ledger: each line whose modified data is in a core's caches and not yet in the shared
 *   level (entered at a fill of, or change to, M or O; left at a write-back from the core's
 *   outermost private cache), with, under no-writeback, the bytes the shared level still has of
 *   it (memory before the first store that made it modified, as events come before the store);
 * - check mode: the lines an eviction took from a core in M or O since the last check; each must
 *   have been written back (it left the ledger) or be held in M or O by a core.
 * Invariants: it changes nothing the machine computes, except memory under no-writeback (the
 * fault); a violation found inside a record waits for the machine's next check (monitor_check).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hier_lines.h"

typedef struct cause {
    bool valid;
    bool drain;     /* a drain started, else a request was issued */
    int cpu;
    uint8_t op;
    uint64_t cycle, addr, value;
    bool bus;       /* a bus transaction happened since */
    uint8_t bus_ev;
    int requester;
    uint64_t bus_cycle, bus_line;
} cause_t;

typedef struct pushed {
    uint64_t addr, value;
    uint32_t size;
} pushed_t;

/* One core's buffered stores in program order: e[(head + k) mod cap], k < count. */
typedef struct order {
    pushed_t *e;
    uint32_t cap, head, count;
} order_t;

/* Lines with modified data not yet in the shared level: open addressing, linear probing,
 * key line + 1 (0: empty), at most half full; bytes[slot * line] the snapshot when kept. */
typedef struct ledger {
    uint64_t *key;
    uint8_t *bytes;
    size_t cap, n;
} ledger_t;

typedef struct suspect {
    uint64_t line;
    int cpu;
    uint8_t old_state;
    uint8_t level;
} suspect_t;

struct monitor {
    bool check, snapshots;
    unsigned cores;
    uint32_t line;
    obs_level_t outer; /* a core's outermost private level: its write-backs reach the shared level */
    cause_t cause;
    order_t order[MACHINE_MAX_CORES];
    ledger_t ledger;
    suspect_t *suspects;
    size_t nsuspects, suspects_cap;
    bool oom;
    bool broken;            /* a violation found inside a record, for the next check */
    char broken_text[512];
    cause_t broken_by;      /* the cause when it was found (later events are not its cause) */
    bool blamed;
    uint64_t blamed_cycle;
};

monitor_t *monitor_create(const machine_config_t *cfg)
{
    monitor_t *mon = calloc(1, sizeof *mon);
    if (!mon)
        return NULL;
    mon->check = cfg->check;
    mon->snapshots = (cfg->faults & FAULT_BIT(NO_WRITEBACK)) != 0;
    mon->cores = cfg->cores;
    mon->line = cfg->l1.size ? cfg->l1.line : cfg->l1d.line;
    mon->outer = cfg->l2.size ? OBS_LEVEL_L2 : OBS_LEVEL_L1D;
    if (mon->check && cfg->sb_entries)
        for (unsigned i = 0; i < cfg->cores; i++) {
            mon->order[i].cap = cfg->sb_entries;
            if (!(mon->order[i].e = calloc(cfg->sb_entries, sizeof(pushed_t)))) {
                monitor_destroy(mon);
                return NULL;
            }
        }
    return mon;
}

void monitor_destroy(monitor_t *mon)
{
    if (!mon)
        return;
    for (unsigned i = 0; i < MACHINE_MAX_CORES; i++)
        free(mon->order[i].e);
    free(mon->ledger.key);
    free(mon->ledger.bytes);
    free(mon->suspects);
    free(mon);
}

/* ---- the ledger ------------------------------------------------------------------------------ */

static size_t home(const ledger_t *l, uint64_t line)
{
    uint64_t h = line * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 20) & (l->cap - 1);
}

/* The slot of line, or SIZE_MAX. */
static size_t ledger_find(const ledger_t *l, uint64_t line)
{
    if (!l->cap)
        return SIZE_MAX;
    for (size_t s = home(l, line);; s = (s + 1) & (l->cap - 1)) {
        if (l->key[s] == 0)
            return SIZE_MAX;
        if (l->key[s] == line + 1)
            return s;
    }
}

static void ledger_put(monitor_t *mon, ledger_t *l, uint64_t key, const uint8_t *bytes)
{
    size_t s = home(l, key - 1);
    while (l->key[s])
        s = (s + 1) & (l->cap - 1);
    l->key[s] = key;
    if (mon->snapshots)
        memcpy(l->bytes + s * mon->line, bytes, mon->line);
    l->n++;
}

static bool ledger_grow(monitor_t *mon)
{
    ledger_t *l = &mon->ledger, bigger = {0};
    bigger.cap = l->cap ? l->cap * 2 : 256;
    bigger.key = calloc(bigger.cap, sizeof *bigger.key);
    if (mon->snapshots)
        bigger.bytes = malloc(bigger.cap * mon->line);
    if (!bigger.key || (mon->snapshots && !bigger.bytes)) {
        free(bigger.key);
        free(bigger.bytes);
        return false;
    }
    for (size_t s = 0; s < l->cap; s++)
        if (l->key[s])
            ledger_put(mon, &bigger, l->key[s], mon->snapshots ? l->bytes + s * mon->line : NULL);
    free(l->key);
    free(l->bytes);
    *l = bigger;
    return true;
}

static void ledger_add(machine_t *m, monitor_t *mon, uint64_t line)
{
    ledger_t *l = &mon->ledger;
    if (ledger_find(l, line) != SIZE_MAX)
        return;
    if ((l->n + 1) * 2 > l->cap && !ledger_grow(mon)) {
        mon->oom = true;
        return;
    }
    uint8_t bytes[4096];
    if (mon->snapshots)
        memory_read(m->mem, line, bytes, mon->line);
    ledger_put(mon, l, line + 1, bytes);
}

/* Remove line (backward-shift deletion: later entries of its run move up to stay findable). */
static void ledger_remove(monitor_t *mon, uint64_t line)
{
    ledger_t *l = &mon->ledger;
    size_t hole = ledger_find(l, line);
    if (hole == SIZE_MAX)
        return;
    l->key[hole] = 0;
    l->n--;
    for (size_t s = (hole + 1) & (l->cap - 1); l->key[s]; s = (s + 1) & (l->cap - 1)) {
        size_t h = home(l, l->key[s] - 1);
        /* the entry at s may fill the hole when its home is not cyclically in (hole, s] */
        bool stays = hole < s ? (h > hole && h <= s) : (h > hole || h <= s);
        if (stays)
            continue;
        l->key[hole] = l->key[s];
        if (mon->snapshots)
            memcpy(l->bytes + hole * mon->line, l->bytes + s * mon->line, mon->line);
        l->key[s] = 0;
        hole = s;
    }
}

void monitor_lose_line(machine_t *m, uint64_t line)
{
    monitor_t *mon = m->mon;
    size_t s = mon && mon->snapshots ? ledger_find(&mon->ledger, line) : SIZE_MAX;
    if (s == SIZE_MAX)
        return;
    /* The entry stays: the shared level still lacks the stores, and a later eviction without a
     * write-back loses them again down to the same bytes. A write cannot need a new page here:
     * the line's page was written when its stores performed. */
    int rc = memory_write(m->mem, line, mon->ledger.bytes + s * mon->line, mon->line);
    (void)rc;
}

/* A stored value as the narrated log writes it: decimal when small, else hexadecimal. */
typedef struct value_text {
    char s[24];
} value_text_t;

static value_text_t value_text(uint64_t v)
{
    value_text_t t;
    snprintf(t.s, sizeof t.s, v < 1000000 ? "%llu" : "%#llx", (unsigned long long)v);
    return t;
}

/* ---- program order of store buffers ---------------------------------------------------------- */

static void order_push(monitor_t *mon, const obs_event_t *ev)
{
    order_t *o = &mon->order[ev->cpu];
    if (o->count == o->cap)
        return;
    uint32_t i = (o->head + o->count) % o->cap;
    o->e[i] = (pushed_t){ev->addr, ev->value, ev->size};
    o->count++;
}

static void order_drain(monitor_t *mon, const obs_event_t *ev)
{
    order_t *o = &mon->order[ev->cpu];
    uint32_t k = 0;
    for (; k < o->count; k++) {
        const pushed_t *p = &o->e[(o->head + k) % o->cap];
        if (p->addr == ev->addr && p->size == ev->size && p->value == ev->value)
            break;
    }
    if (k == o->count)
        return; /* pushed before the monitor looked: nothing to compare with */
    if (k > 0 && !mon->broken) {
        const pushed_t *first = &o->e[o->head];
        mon->broken = true;
        mon->broken_by = mon->cause;
        snprintf(mon->broken_text, sizeof mon->broken_text,
                 "stores leave a store buffer in program order, but cpu%d's store 0x%llx =%s "
                 "left before its older store 0x%llx =%s",
                 ev->cpu, (unsigned long long)ev->addr, value_text(ev->value).s,
                 (unsigned long long)first->addr, value_text(first->value).s);
    }
    for (; k > 0; k--)
        o->e[(o->head + k) % o->cap] = o->e[(o->head + k - 1) % o->cap];
    o->head = (o->head + 1) % o->cap;
    o->count--;
}

/* ---- the observer ---------------------------------------------------------------------------- */

static void suspect(monitor_t *mon, const obs_event_t *ev)
{
    if (mon->nsuspects == mon->suspects_cap) {
        size_t cap = mon->suspects_cap ? mon->suspects_cap * 2 : 16;
        suspect_t *p = realloc(mon->suspects, cap * sizeof *p);
        if (!p) {
            mon->oom = true;
            return;
        }
        mon->suspects = p;
        mon->suspects_cap = cap;
    }
    mon->suspects[mon->nsuspects++] =
        (suspect_t){ev->addr, ev->cpu, ev->old_state & LINE_STATE_MASK, ev->level};
}

/* The no-invalidate fault: the copies a BusRdX leaves in other cores change no state, so the
 * hierarchy reports nothing of them; for the observer (the narrated log) each is a state record
 * whose old and new states are the same, on the core's outermost private level. */
static void report_kept_copies(machine_t *m, const obs_event_t *bus)
{
    for (unsigned i = 0; i < m->cfg.cores; i++) {
        uint8_t st = hier_agent_state(m, &m->core[i], bus->addr);
        if ((int)i == bus->requester || st == LINE_I)
            continue;
        obs_event_t kept = {.kind = OBS_STATE, .cycle = bus->cycle, .cpu = (int)i,
                            .addr = bus->addr, .level = (uint8_t)m->mon->outer, .old_state = st,
                            .new_state = st, .reason = OBS_REASON_SNOOP};
        m->user_obs(m->user_obs_opaque, &kept);
    }
}

void monitor_event(void *machine, const obs_event_t *ev)
{
    machine_t *m = machine;
    monitor_t *mon = m->mon;
    bool private_level = ev->cpu >= 0;
    switch (ev->kind) {
    case OBS_REQ_ISSUED:
    case OBS_SB_DRAIN_START:
        mon->cause = (cause_t){.valid = true, .drain = ev->kind == OBS_SB_DRAIN_START,
                               .cpu = ev->cpu, .op = ev->op, .cycle = ev->cycle,
                               .addr = ev->addr, .value = ev->value};
        if (mon->check && ev->kind == OBS_SB_DRAIN_START && mon->order[ev->cpu].cap)
            order_drain(mon, ev);
        break;
    case OBS_SB_PUSH:
        if (mon->check && mon->order[ev->cpu].cap)
            order_push(mon, ev);
        break;
    case OBS_BUS:
        mon->cause.bus = true;
        mon->cause.bus_ev = ev->bus;
        mon->cause.requester = ev->requester;
        mon->cause.bus_cycle = ev->cycle;
        mon->cause.bus_line = ev->addr;
        break;
    case OBS_FILL:
    case OBS_STATE:
        if (private_level && owned_dirty(ev->new_state & LINE_STATE_MASK) &&
            (mon->check || mon->snapshots))
            ledger_add(m, mon, ev->addr);
        if (mon->check && private_level && (ev->new_state & LINE_STATE_MASK) == LINE_I &&
            owned_dirty(ev->old_state & LINE_STATE_MASK) && ev->reason == OBS_REASON_INCLUSION)
            suspect(mon, ev);
        break;
    case OBS_EVICT:
        if (mon->check && private_level && owned_dirty(ev->old_state & LINE_STATE_MASK))
            suspect(mon, ev);
        break;
    case OBS_WRITEBACK:
        if (private_level && ev->level == mon->outer)
            ledger_remove(mon, ev->addr);
        break;
    default:
        break;
    }
    if (!m->user_obs)
        return;
    m->user_obs(m->user_obs_opaque, ev);
    if (ev->kind == OBS_BUS && ev->bus == BUS_RDX && (m->cfg.faults & FAULT_BIT(NO_INVALIDATE)))
        report_kept_copies(m, ev);
}

/* ---- checks ---------------------------------------------------------------------------------- */

static bool held_modified(const machine_t *m, uint64_t line)
{
    for (unsigned i = 0; i < m->cfg.cores; i++)
        if (owned_dirty(hier_agent_state(m, &m->core[i], line)))
            return true;
    return false;
}

int monitor_check(machine_t *m)
{
    monitor_t *mon = m->mon;
    if (mon->oom)
        return machine_fail(m, MACHINE_ENOMEM, "out of memory for check mode's records");
    if (mon->broken)
        return machine_fail(m, MACHINE_ECHECK, "%s", mon->broken_text);
    for (size_t i = 0; i < mon->nsuspects; i++) {
        const suspect_t *s = &mon->suspects[i];
        if (ledger_find(&mon->ledger, s->line) == SIZE_MAX || held_modified(m, s->line))
            continue;
        mon->nsuspects = 0;
        mon->broken = true;
        mon->broken_by = mon->cause;
        snprintf(mon->broken_text, sizeof mon->broken_text,
                 "modified data leaves a core only by a write-back, but cpu%d's %s dropped line "
                 "0x%llx in %s without one, and no cache holds its stores",
                 s->cpu, obs_level_name((obs_level_t)s->level), (unsigned long long)s->line,
                 coherence_state_name(s->old_state));
        return machine_fail(m, MACHINE_ECHECK, "%s", mon->broken_text);
    }
    mon->nsuspects = 0;
    return 0;
}

void monitor_blame(machine_t *m)
{
    monitor_t *mon = m->mon;
    const cause_t *c = mon->broken ? &mon->broken_by : &mon->cause;
    if (mon->blamed || !c->valid)
        return;
    char what[256];
    if (c->drain)
        snprintf(what, sizeof what, "cpu%d's store 0x%llx =%s leaving its store buffer", c->cpu,
                 (unsigned long long)c->addr, value_text(c->value).s);
    else
        snprintf(what, sizeof what, "cpu%d's %s 0x%llx", c->cpu, op_name((op_t)c->op),
                 (unsigned long long)c->addr);
    char bus[96] = "";
    if (c->bus)
        snprintf(bus, sizeof bus, ": %s 0x%llx by cpu%d", coherence_bus_name((bus_event_t)c->bus_ev),
                 (unsigned long long)c->bus_line, c->requester);
    mon->blamed = true;
    mon->blamed_cycle = c->bus ? c->bus_cycle : c->cycle;
    size_t n = strlen(m->error);
    snprintf(m->error + n, sizeof m->error - n, " (broken at cycle %llu by %s%s)",
             (unsigned long long)mon->blamed_cycle, what, bus);
}

uint64_t monitor_broken_cycle(const monitor_t *mon, uint64_t otherwise)
{
    return mon->blamed ? mon->blamed_cycle : otherwise;
}
