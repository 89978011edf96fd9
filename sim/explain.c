/* explain.c: the narrated log of a run (--explain): one line per event, in words, aligned in
 * columns `cycle N  WHO   what happened`, in cycle order.
 *
 * Representation: each narrated line is kept (its cycle, who, and its text in one arena) until
 * the run ends, then sorted by cycle, keeping the machine's order among equal cycles; a bus
 * transaction is held open while the snoops it causes arrive, so that one line says what every
 * other cache did (`BusRdX 0x1040 by cpu1: cpu0 M->I (supplies the data, writes back)`).
 * Invariants: store-buffer occupancies are counted from every event, shown or not (a push adds an
 * entry, a drain's start takes it out, as the machine counts), so a filtered log still states the
 * buffer's true fill.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/coherence.h"
#include "model/op.h"
#include "sim/seeing.h"

enum { WHO_LLC = -1, WHO_BUS = -2, WHO_OS = -3 };

typedef struct line_rec {
    uint64_t cycle;
    size_t order; /* arrival: ties keep the machine's order */
    size_t text;  /* offset of the NUL-terminated text in the arena */
    int who;      /* a core, or WHO_* */
    size_t upto;  /* how many events (explain_event calls) the line tells of, counting from the
                     run's first: those before it that no line tells of belong to it too */
    explain_mark_t mark; /* whether it reports a failed check or the broken invariant */
} line_rec_t;

/* What one agent (a core's caches, or the LLC: cpu -1) did on a bus transaction's line. */
typedef struct snoop_effect {
    int cpu;
    uint8_t old_state, new_state;
    bool changed, wrote_back;
} snoop_effect_t;

struct explain {
    machine_config_t cfg;
    line_rec_t *lines;
    size_t n, cap;
    sbuf_t arena;
    unsigned occupancy[MACHINE_MAX_CORES];
    int primitive[MACHINE_MAX_CORES]; /* the primitive each core runs, -1: none */
    /* the bus transaction whose snoops are being gathered */
    bool bus_open, bus_shown;
    obs_event_t bus;
    snoop_effect_t effects[MACHINE_MAX_CORES + 1];
    unsigned neffects;
    /* the last line listing the IPIs one core sent at one cycle (SIZE_MAX: none) */
    size_t ipi_line;
    uint64_t ipi_cycle;
    int ipi_from;
    size_t nevents;   /* explain_event calls so far */
    size_t line_upto; /* the upto of a line made now */
    bool sorted;      /* the lines are in the log's order (explain_finish) */
    int width;        /* digits of the last cycle, once sorted */
};

explain_t *explain_create(const machine_config_t *cfg)
{
    explain_t *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->cfg = *cfg;
    x->ipi_line = SIZE_MAX;
    for (unsigned i = 0; i < MACHINE_MAX_CORES; i++)
        x->primitive[i] = -1;
    return x;
}

void explain_destroy(explain_t *x)
{
    if (!x)
        return;
    free(x->lines);
    sbuf_free(&x->arena);
    free(x);
}

static void add_line(explain_t *x, uint64_t cycle, int who, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_line(explain_t *x, uint64_t cycle, int who, const char *fmt, ...)
{
    void *lines = x->lines;
    bool room = seeing_grow(&lines, &x->cap, x->n, sizeof *x->lines, 1024);
    x->lines = lines;
    if (!room) {
        x->arena.oom = true;
        return;
    }
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    size_t off = x->arena.n;
    sbuf_printf(&x->arena, "%s%c", text, 0);
    x->lines[x->n] = (line_rec_t){cycle, x->n, off, who, x->line_upto, EXPLAIN_PLAIN};
    x->n++;
}

const char *explain_value(uint64_t v, char *buf, size_t len)
{
    snprintf(buf, len, v < 1000000 ? "%" PRIu64 : "%#" PRIx64, v);
    return buf;
}

static const char *cache_name(uint8_t level) { return obs_level_name((obs_level_t)level); }

static const char *state_name(uint8_t st) { return coherence_state_name(st & LINE_STATE_MASK); }

/* ---- bus transactions and their snoops ------------------------------------------------------- */

static void close_bus(explain_t *x)
{
    if (!x->bus_open)
        return;
    x->bus_open = false;
    if (!x->bus_shown)
        return;
    const obs_event_t *b = &x->bus;
    char what[768];
    size_t k = 0;
    what[0] = 0;
    for (unsigned i = 0; i < x->neffects && k < sizeof what; i++) {
        const snoop_effect_t *e = &x->effects[i];
        bool supplies = e->cpu >= 0 && e->cpu == b->supplier;
        char who[16];
        snprintf(who, sizeof who, e->cpu < 0 ? "LLC" : "cpu%d", e->cpu);
        int w = snprintf(what + k, sizeof what - k, "%s%s", i ? ", " : "", who);
        k += w > 0 ? (size_t)w : 0;
        if (k < sizeof what && e->changed) {
            /* the same state: a copy the snoop left alone (the no-invalidate fault) */
            w = e->old_state == e->new_state
                    ? snprintf(what + k, sizeof what - k, " keeps %s", state_name(e->old_state))
                    : snprintf(what + k, sizeof what - k, " %s->%s", state_name(e->old_state),
                               state_name(e->new_state));
            k += w > 0 ? (size_t)w : 0;
        }
        if (k < sizeof what && (supplies || e->wrote_back)) {
            w = snprintf(what + k, sizeof what - k, " (%s%s%s)", supplies ? "supplies the data" : "",
                         supplies && e->wrote_back ? ", " : "", e->wrote_back ? "writes back" : "");
            k += w > 0 ? (size_t)w : 0;
        }
    }
    bool peer_supplies = false;
    for (unsigned i = 0; i < x->neffects; i++)
        peer_supplies = peer_supplies || (x->effects[i].cpu >= 0 && x->effects[i].cpu == b->supplier);
    if (b->supplier >= 0 && !peer_supplies)
        snprintf(what + k, k < sizeof what ? sizeof what - k : 0, "%scpu%d supplies the data",
                 x->neffects ? ", " : "", b->supplier);
    const char *source = b->bus == BUS_UPGR    ? "no data needed"
                         : b->supplier >= 0   ? NULL
                         : x->cfg.llc.size     ? "data from the LLC or memory"
                                               : "data from memory";
    add_line(x, b->cycle, WHO_BUS, "%s %#" PRIx64 " by cpu%d: %s%s%s",
             coherence_bus_name((bus_event_t)b->bus), b->addr, b->requester,
             x->neffects ? what : b->supplier >= 0 ? what : "no other cache has it",
             source ? "; " : "", source ? source : "");
}

/* Whether ev is a consequence of the open bus transaction (a snoop on its line), and if so note
 * it in the transaction's effects. */
static bool gather_snoop(explain_t *x, const obs_event_t *ev)
{
    if (!x->bus_open || ev->reason != OBS_REASON_SNOOP || ev->addr != x->bus.addr)
        return false;
    if (ev->kind != OBS_STATE && ev->kind != OBS_WRITEBACK && ev->kind != OBS_FILL)
        return false;
    snoop_effect_t *e = NULL;
    for (unsigned i = 0; i < x->neffects; i++)
        if (x->effects[i].cpu == ev->cpu)
            e = &x->effects[i];
    if (!e) {
        if (x->neffects == sizeof x->effects / sizeof x->effects[0])
            return false;
        e = &x->effects[x->neffects++];
        *e = (snoop_effect_t){.cpu = ev->cpu};
    }
    if (ev->kind == OBS_WRITEBACK) {
        e->wrote_back = true;
    } else {
        if (!e->changed)
            e->old_state = ev->old_state;
        e->new_state = ev->new_state;
        e->changed = true;
    }
    return true;
}

/* ---- one event ------------------------------------------------------------------------------- */

static void request_line(explain_t *x, const obs_event_t *ev)
{
    op_t op = (op_t)ev->op;
    char v[32];
    bool sb = x->cfg.sb_entries > 0;
    bool issued = ev->kind == OBS_REQ_ISSUED;
    uint64_t c = ev->cycle;
    int cpu = ev->cpu;
    switch (op) {
    case OP_IFETCH:
        return; /* one per instruction: only its misses (fills) are narrated */
    case OP_LOAD:
    case OP_MISC:
        if (issued)
            add_line(x, c, cpu, "%s %#" PRIx64 " (%u bytes)", op_name(op), ev->addr, ev->size);
        else
            add_line(x, c, cpu, "%s %#" PRIx64 " done: read %s", op_name(op), ev->addr,
                     explain_value(ev->value, v, sizeof v));
        return;
    case OP_STORE:
        if (sb)
            return; /* the push into the store buffer says it */
        add_line(x, c, cpu, issued ? "store %#" PRIx64 " =%s (no store buffer: written at once)"
                                   : "store %#" PRIx64 " =%s done",
                 ev->addr, explain_value(ev->value, v, sizeof v));
        return;
    case OP_RMW:
        if (issued)
            add_line(x, c, cpu, "rmw %#" PRIx64 " (locked: its store buffer drains first, %u/%u)",
                     ev->addr, x->occupancy[cpu], x->cfg.sb_entries);
        else
            add_line(x, c, cpu, "rmw %#" PRIx64 " done: read %s, wrote atomically", ev->addr,
                     explain_value(ev->value, v, sizeof v));
        return;
    case OP_FENCE:
        if (issued)
            add_line(x, c, cpu, "fence: waits for its store buffer to empty (%u/%u)",
                     x->occupancy[cpu], x->cfg.sb_entries);
        else
            add_line(x, c, cpu, "fence done: every earlier store is visible");
        return;
    default:
        break;
    }
    op_class_t cls = op_class(op);
    if (cls == OPC_CACHE)
        add_line(x, c, cpu, issued ? "%s: every cache writes back%s" : "%s done",
                 op_name(op), op == OP_INVALIDATE ? " and invalidates every line" : " its dirty lines");
    /* primitives, OS set-up and checks are narrated by their start and return */
}

static void prim_line(explain_t *x, const obs_event_t *ev)
{
    op_t op = (op_t)ev->op;
    op_class_t cls = op_class(op);
    char v[32];
    if (cls == OPC_CHECK) {
        if (ev->kind == OBS_PRIM_START)
            add_line(x, ev->cycle, WHO_OS, "%s %#" PRIx64 " (%u bytes): checking", op_name(op),
                     ev->addr, ev->size);
        else {
            size_t before = x->n;
            add_line(x, ev->cycle, WHO_OS, "%s: %s", op_name(op),
                     ev->status == 0 ? "holds" : "FAILS");
            if (ev->status != 0 && x->n > before)
                x->lines[x->n - 1].mark = EXPLAIN_FAILED;
        }
        return;
    }
    if (cls == OPC_OS) {
        if (ev->kind == OBS_PRIM_START)
            add_line(x, ev->cycle, WHO_OS, "set-up: %s", op_name(op));
        return;
    }
    if (ev->kind == OBS_PRIM_START)
        add_line(x, ev->cycle, ev->cpu, "%s starts (base %#" PRIx64 ", its store buffer %u/%u "
                                        "drains first)",
                 op_name(op), ev->addr, x->occupancy[ev->cpu], x->cfg.sb_entries);
    else
        add_line(x, ev->cycle, ev->cpu, "%s returns %s%s", op_name(op),
                 explain_value(ev->value, v, sizeof v), ev->status ? " (it failed)" : "");
}

static void ipi_sent(explain_t *x, const obs_event_t *ev)
{
    /* one line for a round: the IPIs one core sends at one cycle */
    if (x->ipi_line == x->n - 1 && x->n && x->ipi_cycle == ev->cycle && x->ipi_from == ev->cpu &&
        x->arena.n && x->lines[x->ipi_line].text < x->arena.n) {
        x->arena.n--; /* reopen the last text, which is this line's */
        sbuf_printf(&x->arena, ", cpu%d%c", ev->other, 0);
        x->lines[x->ipi_line].upto = x->line_upto;
        return;
    }
    int prim = ev->cpu >= 0 && ev->cpu < MACHINE_MAX_CORES ? x->primitive[ev->cpu] : -1;
    add_line(x, ev->cycle, ev->cpu, "%s%sIPI -> cpu%d", prim >= 0 ? op_name((op_t)prim) : "",
             prim >= 0 ? ": " : "", ev->other);
    x->ipi_line = x->n - 1;
    x->ipi_cycle = ev->cycle;
    x->ipi_from = ev->cpu;
}

static void narrate(explain_t *x, const obs_event_t *ev)
{
    char v[32];
    int cpu = ev->cpu;
    switch (ev->kind) {
    case OBS_REQ_ISSUED:
    case OBS_REQ_COMPLETED:
        request_line(x, ev);
        break;
    case OBS_SB_PUSH:
        add_line(x, ev->cycle, cpu, "store %#" PRIx64 " =%s -> store buffer (%u/%u)", ev->addr,
                 explain_value(ev->value, v, sizeof v), x->occupancy[cpu], x->cfg.sb_entries);
        break;
    case OBS_SB_FORWARD:
        add_line(x, ev->cycle, cpu, "load %#" PRIx64 " = %s forwarded from its own store buffer",
                 ev->addr, explain_value(ev->value, v, sizeof v));
        break;
    case OBS_SB_DRAIN_START:
        add_line(x, ev->cycle, cpu, "store buffer drains %#" PRIx64 " =%s into the cache (%u/%u "
                                    "left)",
                 ev->addr, explain_value(ev->value, v, sizeof v), x->occupancy[cpu],
                 x->cfg.sb_entries);
        break;
    case OBS_SB_DRAIN_DONE:
        add_line(x, ev->cycle, cpu, "store %#" PRIx64 " =%s is visible to all", ev->addr,
                 explain_value(ev->value, v, sizeof v));
        break;
    case OBS_STATE:
        add_line(x, ev->cycle, cpu < 0 ? WHO_LLC : cpu, "%s %#" PRIx64 " %s->%s (%s)",
                 cache_name(ev->level), ev->addr, state_name(ev->old_state),
                 state_name(ev->new_state), obs_reason_name((obs_reason_t)ev->reason));
        break;
    case OBS_FILL:
        add_line(x, ev->cycle, cpu < 0 ? WHO_LLC : cpu, "%s %#" PRIx64 " filled in %s%s (%s)",
                 cache_name(ev->level), ev->addr, state_name(ev->new_state),
                 ev->new_state & LINE_DIRTY ? ", dirty" : "",
                 obs_reason_name((obs_reason_t)ev->reason));
        break;
    case OBS_EVICT:
        add_line(x, ev->cycle, cpu < 0 ? WHO_LLC : cpu, "%s %#" PRIx64 " evicted (was %s) to make "
                                                        "room",
                 cache_name(ev->level), ev->addr, state_name(ev->old_state));
        break;
    case OBS_WRITEBACK:
        add_line(x, ev->cycle, cpu < 0 ? WHO_LLC : cpu, "%s %#" PRIx64 " written back (%s)",
                 cache_name(ev->level), ev->addr, obs_reason_name((obs_reason_t)ev->reason));
        break;
    case OBS_IPI_SENT:
        ipi_sent(x, ev);
        return;
    case OBS_IPI_DELIVERED:
        add_line(x, ev->cycle, cpu, "IPI from cpu%d arrives: its handler drains the store buffer "
                                    "(%u/%u)",
                 ev->other, x->occupancy[cpu], x->cfg.sb_entries);
        break;
    case OBS_IPI_HANDLED:
        add_line(x, ev->cycle, cpu, "IPI handler done: acknowledges cpu%d", ev->other);
        break;
    case OBS_IPI_ACKED:
        add_line(x, ev->cycle, cpu, "acknowledged by cpu%d (%" PRIu64 " still awaited)", ev->other,
                 ev->value);
        break;
    case OBS_PRIM_START:
    case OBS_PRIM_RETURN:
        prim_line(x, ev);
        break;
    case OBS_PAGE_FAULT:
    case OBS_PAGE_WRITTEN:
    case OBS_PAGE_PURGED:
        add_line(x, ev->cycle, WHO_OS, "page %#" PRIx64 " of file %" PRIu64 " %s", ev->addr,
                 ev->value,
                 ev->kind == OBS_PAGE_FAULT     ? "read from disk into the page cache (page fault)"
                 : ev->kind == OBS_PAGE_WRITTEN ? "written to disk"
                                                : "purged from the page cache");
        break;
    case OBS_VIEW_INVALIDATED:
        add_line(x, ev->cycle, WHO_OS, "view of file %" PRIu64 " in process %d invalidated at %#" PRIx64
                 ": its page left the page cache, the next access there faults it in again",
                 ev->value, ev->other, ev->addr);
        break;
    case OBS_BUS:
    case OBS_KINDS:
        break;
    }
    x->ipi_line = SIZE_MAX;
}

void explain_event(explain_t *x, const obs_event_t *ev, bool shown)
{
    /* the state every line is told from, whether this event is shown or not */
    bool own_core = ev->cpu >= 0 && ev->cpu < MACHINE_MAX_CORES;
    if (ev->kind == OBS_SB_PUSH && own_core)
        x->occupancy[ev->cpu]++;
    else if (ev->kind == OBS_SB_DRAIN_START && own_core && x->occupancy[ev->cpu])
        x->occupancy[ev->cpu]--;
    if (own_core && ev->kind == OBS_PRIM_START && op_class((op_t)ev->op) == OPC_PRIMITIVE)
        x->primitive[ev->cpu] = ev->op;
    else if (own_core && ev->kind == OBS_PRIM_RETURN)
        x->primitive[ev->cpu] = -1;
    x->line_upto = x->nevents++;
    if (gather_snoop(x, ev))
        return;
    close_bus(x); /* its line tells of the events before this one */
    x->line_upto = x->nevents;
    if (ev->kind == OBS_BUS) {
        x->bus_open = true;
        x->bus_shown = shown;
        x->bus = *ev;
        x->neffects = 0;
        return;
    }
    if (shown)
        narrate(x, ev);
}

void explain_note(explain_t *x, uint64_t cycle, int cpu, explain_mark_t mark, const char *text)
{
    x->line_upto = x->nevents;
    close_bus(x);
    size_t before = x->n;
    add_line(x, cycle, cpu < 0 ? WHO_OS : cpu, "%s", text);
    if (x->n > before)
        x->lines[x->n - 1].mark = mark;
    x->ipi_line = SIZE_MAX;
}

static int by_cycle(const void *a, const void *b)
{
    const line_rec_t *p = a, *q = b;
    if (p->cycle != q->cycle)
        return p->cycle < q->cycle ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

size_t explain_finish(explain_t *x)
{
    if (x->sorted)
        return x->n;
    x->line_upto = x->nevents;
    close_bus(x);
    if (x->arena.oom)
        return 0;
    qsort(x->lines, x->n, sizeof *x->lines, by_cycle);
    x->width = 1;
    for (uint64_t last = x->n ? x->lines[x->n - 1].cycle : 0; last >= 10; last /= 10)
        x->width++;
    x->sorted = true;
    return x->n;
}

void explain_line(const explain_t *x, size_t i, sbuf_t *out, uint64_t *cycle, size_t *order,
                  size_t *upto)
{
    const line_rec_t *l = &x->lines[i];
    char who[16];
    snprintf(who, sizeof who, "%s", l->who == WHO_LLC ? "llc" : l->who == WHO_BUS ? "bus" : l->who == WHO_OS ? "os" : "");
    if (l->who >= 0)
        snprintf(who, sizeof who, "cpu%d", l->who);
    sbuf_printf(out, "cycle %*" PRIu64 "  %-5s %s", x->width, l->cycle, who, x->arena.p + l->text);
    if (cycle)
        *cycle = l->cycle;
    if (order)
        *order = l->order;
    if (upto)
        *upto = l->upto;
}

explain_mark_t explain_line_mark(const explain_t *x, size_t i, int *cpu)
{
    const line_rec_t *l = &x->lines[i];
    *cpu = l->who >= 0 ? l->who : -1;
    return l->mark;
}

void explain_write(explain_t *x, const char *title, sbuf_t *out)
{
    size_t n = explain_finish(x);
    if (x->arena.oom) {
        out->oom = true;
        return;
    }
    sbuf_printf(out, "# %s\n", title);
    for (size_t i = 0; i < n; i++) {
        explain_line(x, i, out, NULL, NULL, NULL);
        sbuf_printf(out, "\n");
    }
}
