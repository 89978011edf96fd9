/* vcd.c: a run as waveforms (--vcd): a Value Change Dump that GTKWave and Surfer open, one tick
 * per cycle. Per core: the operation in flight and the primitive running (strings), the store
 * buffer's occupancy (entries waiting, as the machine counts them), whether an IPI is pending for it; the bus: the transaction in flight and its
 * line; per shown line (the watched ones, else the 8 lines with the most data accesses): its
 * coherence state in each cache, as a string; in a run that invalidates a view (a purge by
 * CcCoherencyFlushAndPurgeCache), os.view_invalidated: the process and view address, for one
 * cycle.
 *
 * Representation: every change is kept as (cycle, arrival order, signal, value) until the run
 * ends, then sorted by cycle, keeping arrival order among equal cycles (events reach the observer
 * slightly out of cycle order: a drain's end is reported when it starts). Counters (occupancy,
 * pending IPIs) are kept as +1/-1 steps and summed in that order. String values carry no spaces
 * (GTKWave's `$var string` reads `sVALUE id`).
 * Invariants: changes before the --cycles window fold into the values at its start; changes after
 * it are dropped; past the cap, nothing more is kept and the waveform ends where it was cut.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/coherence.h"
#include "model/op.h"
#include "sim/seeing.h"

#define VCD_VALUE 28
#define VCD_DEFAULT_LINES 8

typedef enum sig_type { SIG_STRING, SIG_COUNT, SIG_FLAG } sig_type_t;

typedef struct signal {
    char scope[32], name[32];
    sig_type_t type;
    char init[VCD_VALUE]; /* strings: the value at the window's start */
    int64_t init_count;   /* counters: the sum of the steps before the window */
    uint64_t line;        /* line signals: which line (selected at the end) */
    bool is_line;
} signal_t;

typedef struct change {
    uint64_t cycle, order;
    uint32_t sig;
    int32_t step; /* counters */
    char value[VCD_VALUE];
} change_t;

/* An open-addressing map from (a, b) to a number: line signals, and accesses per line. */
typedef struct map_slot {
    uint64_t a;
    uint32_t b;
    uint32_t used;
    uint64_t value;
} map_slot_t;
typedef struct map {
    map_slot_t *slot;
    size_t n, cap;
} map_t;

struct vcd {
    machine_config_t cfg;
    uint64_t lines[SEEING_MAX_WATCH];
    unsigned nlines;
    uint64_t from, to;
    uint64_t line_mask; /* ~(line size - 1) */
    signal_t *sig;
    size_t nsig, sigcap;
    change_t *ch;
    size_t nch, chcap;
    uint64_t order;
    uint64_t cut_at;
    bool oom;
    map_t line_sig, accesses;
    /* the bus's end of transaction, moved back when the next one starts earlier */
    int bus_owner;
    size_t bus_end[2];
    /* os.view_invalidated, made at a run's first view invalidation (index + 1; 0: none yet), so
     * that a run without one has the signals it always had */
    uint32_t view_sig;
};

enum { SIG_OP, SIG_SB, SIG_IPI, SIG_PRIM, SIGS_PER_CORE };

/* ---- the map --------------------------------------------------------------------------------- */

static size_t map_hash(uint64_t a, uint32_t b)
{
    uint64_t h = (a ^ ((uint64_t)b << 56) ^ b) * 0x9e3779b97f4a7c15ull;
    return (size_t)(h >> 17);
}

/* The value slot of (a, b), created as 0; NULL when out of memory. */
static uint64_t *map_at(map_t *m, uint64_t a, uint32_t b)
{
    if (2 * (m->n + 1) > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 256;
        map_slot_t *s = calloc(cap, sizeof *s);
        if (!s)
            return NULL;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slot[i].used) {
                size_t k = map_hash(m->slot[i].a, m->slot[i].b) & (cap - 1);
                while (s[k].used)
                    k = (k + 1) & (cap - 1);
                s[k] = m->slot[i];
            }
        free(m->slot);
        m->slot = s;
        m->cap = cap;
    }
    size_t k = map_hash(a, b) & (m->cap - 1);
    while (m->slot[k].used && (m->slot[k].a != a || m->slot[k].b != b))
        k = (k + 1) & (m->cap - 1);
    if (!m->slot[k].used) {
        m->slot[k] = (map_slot_t){a, b, 1, 0};
        m->n++;
    }
    return &m->slot[k].value;
}

/* ---- signals and changes --------------------------------------------------------------------- */

static uint32_t add_signal(vcd_t *v, const char *scope, const char *name, sig_type_t type,
                           const char *init)
{
    void *sigs = v->sig;
    bool room = seeing_grow(&sigs, &v->sigcap, v->nsig, sizeof *v->sig, 64);
    v->sig = sigs;
    if (!room) {
        v->oom = true;
        return UINT32_MAX;
    }
    signal_t *s = &v->sig[v->nsig];
    *s = (signal_t){.type = type};
    snprintf(s->scope, sizeof s->scope, "%s", scope);
    snprintf(s->name, sizeof s->name, "%s", name);
    snprintf(s->init, sizeof s->init, "%s", init);
    return (uint32_t)v->nsig++;
}

static uint32_t core_sig(unsigned cpu, unsigned which) { return cpu * SIGS_PER_CORE + which; }

/* Record a change of sig at cycle (a string value, or a counter's step). The index of the change
 * kept, or SIZE_MAX when it folded into the window's start or was dropped. */
static size_t change(vcd_t *v, uint64_t cycle, uint32_t sig, const char *value, int32_t step,
                     uint64_t max)
{
    if (sig == UINT32_MAX || cycle > v->to)
        return SIZE_MAX;
    uint64_t order = v->order++;
    signal_t *s = &v->sig[sig];
    if (cycle < v->from) {
        if (s->type == SIG_STRING)
            snprintf(s->init, sizeof s->init, "%s", value);
        else
            s->init_count += step;
        return SIZE_MAX;
    }
    if (v->nch >= max) {
        if (cycle < v->cut_at)
            v->cut_at = cycle;
        return SIZE_MAX;
    }
    void *changes = v->ch;
    bool room = seeing_grow(&changes, &v->chcap, v->nch, sizeof *v->ch, 4096);
    v->ch = changes;
    if (!room) {
        v->oom = true;
        return SIZE_MAX;
    }
    change_t *c = &v->ch[v->nch];
    *c = (change_t){.cycle = cycle, .order = order, .sig = sig, .step = step};
    if (value)
        snprintf(c->value, sizeof c->value, "%s", value);
    return v->nch++;
}

/* The signal of line's state in core cpu's cache level (cpu -1: the LLC). */
static uint32_t line_signal(vcd_t *v, uint64_t line, int cpu, uint8_t level)
{
    uint64_t *slot = map_at(&v->line_sig, line, (uint32_t)(cpu + 1) << 8 | level);
    if (!slot) {
        v->oom = true;
        return UINT32_MAX;
    }
    if (*slot == 0) {
        char scope[32], name[32];
        snprintf(scope, sizeof scope, "line_%#" PRIx64, line);
        if (cpu < 0)
            snprintf(name, sizeof name, "%s", obs_level_name((obs_level_t)level));
        else
            snprintf(name, sizeof name, "cpu%d_%s", cpu, obs_level_name((obs_level_t)level));
        uint32_t s = add_signal(v, scope, name, SIG_STRING, "I");
        if (s == UINT32_MAX)
            return s;
        v->sig[s].is_line = true;
        v->sig[s].line = line;
        *slot = (uint64_t)s + 1;
    }
    return (uint32_t)(*slot - 1);
}

vcd_t *vcd_create(const machine_config_t *cfg, const uint64_t *lines, unsigned nlines,
                  uint64_t from, uint64_t to)
{
    vcd_t *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    v->cfg = *cfg;
    for (unsigned i = 0; i < nlines && i < SEEING_MAX_WATCH; i++)
        v->lines[v->nlines++] = lines[i];
    v->from = from;
    v->to = to;
    uint32_t line = cfg->l1.size ? cfg->l1.line : cfg->l1d.line;
    v->line_mask = ~(uint64_t)(line ? line - 1 : 63);
    v->cut_at = UINT64_MAX;
    v->bus_owner = -1;
    v->bus_end[0] = v->bus_end[1] = SIZE_MAX;
    for (unsigned c = 0; c < cfg->cores; c++) {
        char scope[16];
        snprintf(scope, sizeof scope, "cpu%u", c);
        add_signal(v, scope, "operation", SIG_STRING, "-");
        add_signal(v, scope, "store_buffer", SIG_COUNT, "");
        add_signal(v, scope, "ipi_pending", SIG_FLAG, "");
        add_signal(v, scope, "primitive", SIG_STRING, "-");
    }
    add_signal(v, "bus", "transaction", SIG_STRING, "-");
    add_signal(v, "bus", "line", SIG_STRING, "-");
    if (v->oom) {
        vcd_destroy(v);
        return NULL;
    }
    return v;
}

void vcd_destroy(vcd_t *v)
{
    if (!v)
        return;
    free(v->sig);
    free(v->ch);
    free(v->line_sig.slot);
    free(v->accesses.slot);
    free(v);
}

uint64_t vcd_cut_at(const vcd_t *v) { return v->cut_at; }

/* ---- events ---------------------------------------------------------------------------------- */

static void bus_ends(vcd_t *v, int cpu, uint64_t cycle, uint64_t max)
{
    if (v->bus_owner != cpu)
        return;
    uint32_t bus = core_sig(v->cfg.cores, 0);
    v->bus_end[0] = change(v, cycle, bus, "-", 0, max);
    v->bus_end[1] = change(v, cycle, bus + 1, "-", 0, max);
    v->bus_owner = -1;
}

bool vcd_event(vcd_t *v, const obs_event_t *ev, uint64_t max)
{
    if (v->oom)
        return false;
    char text[VCD_VALUE];
    unsigned cpu = ev->cpu >= 0 ? (unsigned)ev->cpu : 0;
    bool core = ev->cpu >= 0 && (unsigned)ev->cpu < v->cfg.cores;
    uint32_t bus = core_sig(v->cfg.cores, 0);
    op_t op = (op_t)ev->op;
    switch (ev->kind) {
    case OBS_REQ_ISSUED:
        if (op_class(op) == OPC_MEM) {
            uint64_t *n = map_at(&v->accesses, ev->addr & v->line_mask, 0);
            if (!n) {
                v->oom = true;
                return false;
            }
            if (op != OP_IFETCH)
                (*n)++;
        }
        if (core && op != OP_IFETCH) {
            if (op_class(op) == OPC_MEM)
                snprintf(text, sizeof text, "%s_%#" PRIx64, op_name(op), ev->addr);
            else
                snprintf(text, sizeof text, "%s", op_name(op));
            for (char *p = text; *p; p++)
                if (*p == ' ')
                    *p = '_';
            change(v, ev->cycle, core_sig(cpu, SIG_OP), text, 0, max);
        }
        break;
    case OBS_REQ_COMPLETED:
        if (core && op != OP_IFETCH)
            change(v, ev->cycle, core_sig(cpu, SIG_OP), "-", 0, max);
        if (core)
            bus_ends(v, ev->cpu, ev->cycle, max);
        break;
    case OBS_SB_PUSH:
        if (core)
            change(v, ev->cycle, core_sig(cpu, SIG_SB), NULL, 1, max);
        break;
    case OBS_SB_DRAIN_START: /* the entry leaves the buffer as its write starts */
        if (core)
            change(v, ev->cycle, core_sig(cpu, SIG_SB), NULL, -1, max);
        break;
    case OBS_SB_DRAIN_DONE:
        if (core)
            bus_ends(v, ev->cpu, ev->cycle, max);
        break;
    case OBS_BUS:
        /* the previous transaction ends no later than this one starts */
        for (unsigned k = 0; k < 2; k++)
            if (v->bus_end[k] != SIZE_MAX && v->ch[v->bus_end[k]].cycle > ev->cycle)
                v->ch[v->bus_end[k]].cycle = ev->cycle;
        v->bus_end[0] = v->bus_end[1] = SIZE_MAX;
        snprintf(text, sizeof text, "%s_by_cpu%d", coherence_bus_name((bus_event_t)ev->bus),
                 ev->requester);
        change(v, ev->cycle, bus, text, 0, max);
        snprintf(text, sizeof text, "%#" PRIx64, ev->addr);
        change(v, ev->cycle, bus + 1, text, 0, max);
        v->bus_owner = ev->requester;
        break;
    case OBS_STATE:
    case OBS_FILL:
    case OBS_EVICT:
        change(v, ev->cycle, line_signal(v, ev->addr, ev->cpu, ev->level),
               coherence_state_name(ev->new_state & LINE_STATE_MASK), 0, max);
        break;
    case OBS_IPI_SENT:
        if (ev->other >= 0 && (unsigned)ev->other < v->cfg.cores)
            change(v, ev->cycle, core_sig((unsigned)ev->other, SIG_IPI), NULL, 1, max);
        break;
    case OBS_IPI_HANDLED:
        if (core)
            change(v, ev->cycle, core_sig(cpu, SIG_IPI), NULL, -1, max);
        break;
    case OBS_VIEW_INVALIDATED:
        if (!v->view_sig) {
            uint32_t s = add_signal(v, "os", "view_invalidated", SIG_STRING, "-");
            if (s == UINT32_MAX)
                return false;
            v->view_sig = s + 1;
        }
        snprintf(text, sizeof text, "p%d_%#" PRIx64, ev->other, ev->addr);
        change(v, ev->cycle, v->view_sig - 1, text, 0, max);
        change(v, ev->cycle + 1, v->view_sig - 1, "-", 0, max);
        break;
    case OBS_PRIM_START:
    case OBS_PRIM_RETURN:
        if (core && op_class(op) == OPC_PRIMITIVE)
            change(v, ev->cycle, core_sig(cpu, SIG_PRIM),
                   ev->kind == OBS_PRIM_START ? op_name(op) : "-", 0, max);
        break;
    default:
        break;
    }
    return v->nch < max;
}

/* ---- the file -------------------------------------------------------------------------------- */

static int by_time(const void *a, const void *b)
{
    const change_t *p = a, *q = b;
    if (p->cycle != q->cycle)
        return p->cycle < q->cycle ? -1 : 1;
    return p->order < q->order ? -1 : p->order > q->order;
}

static int by_count(const void *a, const void *b)
{
    const map_slot_t *p = a, *q = b;
    if (p->value != q->value)
        return p->value > q->value ? -1 : 1;
    return p->a < q->a ? -1 : p->a > q->a;
}

static int by_addr(const void *a, const void *b)
{
    uint64_t p = *(const uint64_t *)a, q = *(const uint64_t *)b;
    return p < q ? -1 : p > q;
}

/* Line signals in the order cpu0_L1I, cpu0_L1D, cpu0_L2, cpu1_..., LLC. */
static int by_cache(const void *a, const void *b)
{
    const signal_t *p = *(const signal_t *const *)a, *q = *(const signal_t *const *)b;
    bool pl = strcmp(p->name, "LLC") == 0, ql = strcmp(q->name, "LLC") == 0;
    if (pl != ql)
        return pl ? 1 : -1;
    unsigned pc = 0, qc = 0;
    sscanf(p->name, "cpu%u", &pc);
    sscanf(q->name, "cpu%u", &qc);
    if (pc != qc)
        return pc < qc ? -1 : 1;
    return strcmp(p->name, q->name);
}

/* The lines shown: the watched ones, else the VCD_DEFAULT_LINES with most data accesses. */
static unsigned shown_lines(vcd_t *v, uint64_t *out)
{
    unsigned n = 0;
    if (v->nlines) {
        for (unsigned i = 0; i < v->nlines; i++) {
            bool dup = false;
            for (unsigned k = 0; k < n; k++)
                dup = dup || out[k] == v->lines[i];
            if (!dup)
                out[n++] = v->lines[i];
        }
    } else {
        map_slot_t *all = malloc((v->accesses.n + 1) * sizeof *all);
        if (!all) {
            v->oom = true;
            return 0;
        }
        size_t k = 0;
        for (size_t i = 0; i < v->accesses.cap; i++)
            if (v->accesses.slot[i].used && v->accesses.slot[i].value)
                all[k++] = v->accesses.slot[i];
        qsort(all, k, sizeof *all, by_count);
        for (size_t i = 0; i < k && n < VCD_DEFAULT_LINES; i++)
            out[n++] = all[i].a;
        free(all);
    }
    qsort(out, n, sizeof *out, by_addr);
    return n;
}

/* The identifier of signal i: printable characters '!'..'~', base 94. */
static void sig_id(size_t i, char *buf)
{
    size_t k = 0;
    do {
        buf[k++] = (char)('!' + i % 94);
        i /= 94;
    } while (i);
    buf[k] = 0;
}

static void put_value(sbuf_t *out, const signal_t *s, size_t i, const char *str, int64_t count)
{
    char id[8];
    sig_id(i, id);
    if (s->type == SIG_STRING) {
        sbuf_printf(out, "s%s %s\n", str, id);
    } else if (s->type == SIG_FLAG) {
        sbuf_printf(out, "%c%s\n", count > 0 ? '1' : '0', id);
    } else {
        char bits[70];
        int k = 0;
        uint64_t u = count > 0 ? (uint64_t)count : 0;
        do {
            bits[k++] = (char)('0' + (u & 1));
            u >>= 1;
        } while (u);
        sbuf_printf(out, "b");
        while (k)
            sbuf_printf(out, "%c", bits[--k]);
        sbuf_printf(out, " %s\n", id);
    }
}

void vcd_write(vcd_t *v, const char *title, sbuf_t *out)
{
    uint64_t lines[SEEING_MAX_WATCH > VCD_DEFAULT_LINES ? SEEING_MAX_WATCH : VCD_DEFAULT_LINES];
    unsigned nlines = shown_lines(v, lines);
    /* every cache of a shown line has its signal, changed or not */
    for (unsigned i = 0; i < nlines; i++) {
        for (unsigned c = 0; c < v->cfg.cores; c++) {
            line_signal(v, lines[i], (int)c, OBS_LEVEL_L1D);
            if (v->cfg.l2.size)
                line_signal(v, lines[i], (int)c, OBS_LEVEL_L2);
        }
        if (v->cfg.llc.size)
            line_signal(v, lines[i], -1, OBS_LEVEL_LLC);
    }
    if (v->oom) {
        out->oom = true;
        return;
    }
    bool *shown = calloc(v->nsig + 1, sizeof *shown);
    const signal_t **order = calloc(v->nsig + 1, sizeof *order);
    char(*now)[VCD_VALUE] = calloc(v->nsig + 1, sizeof *now);
    char(*written)[VCD_VALUE] = calloc(v->nsig + 1, sizeof *written);
    int64_t *count = calloc(v->nsig + 1, sizeof *count);
    int64_t *written_count = calloc(v->nsig + 1, sizeof *written_count);
    if (!shown || !order || !now || !written || !count || !written_count) {
        out->oom = true;
        free(order);
        free(shown);
        free(now);
        free(written);
        free(count);
        free(written_count);
        return;
    }
    for (size_t i = 0; i < v->nsig; i++) {
        shown[i] = !v->sig[i].is_line;
        for (unsigned k = 0; k < nlines && !shown[i]; k++)
            shown[i] = v->sig[i].line == lines[k];
    }
    sbuf_printf(out, "$comment %s $end\n$version cohsim $end\n", title);
    sbuf_printf(out, "$comment one time unit is one cycle of the simulated machine $end\n");
    sbuf_printf(out, "$timescale 1ns $end\n$scope module cohsim $end\n");
    /* scopes in the order their first signal was made: cores, bus, then lines by address */
    for (size_t i = 0; i < v->nsig; i++) {
        if (!shown[i] || v->sig[i].is_line)
            continue;
        if (i == 0 || strcmp(v->sig[i - 1].scope, v->sig[i].scope) != 0)
            sbuf_printf(out, "$scope module %s $end\n", v->sig[i].scope);
        char id[8];
        sig_id(i, id);
        const signal_t *s = &v->sig[i];
        sbuf_printf(out, "$var %s %s %s $end\n",
                    s->type == SIG_STRING ? "string 0" : s->type == SIG_FLAG ? "wire 1" : "integer 32",
                    id, s->name);
        if (i + 1 == v->nsig || v->sig[i + 1].is_line || strcmp(v->sig[i + 1].scope, s->scope) != 0)
            sbuf_printf(out, "$upscope $end\n");
    }
    for (unsigned k = 0; k < nlines; k++) {
        sbuf_printf(out, "$scope module line_%#" PRIx64 " $end\n", lines[k]);
        /* the caches by core, then the LLC: signals were made as lines first changed */
        size_t n = 0;
        for (size_t i = 0; i < v->nsig; i++)
            if (v->sig[i].is_line && v->sig[i].line == lines[k])
                order[n++] = v->sig + i;
        qsort(order, n, sizeof *order, by_cache);
        for (size_t j = 0; j < n; j++) {
            char id[8];
            sig_id((size_t)(order[j] - v->sig), id);
            sbuf_printf(out, "$var string 0 %s %s $end\n", id, order[j]->name);
        }
        sbuf_printf(out, "$upscope $end\n");
    }
    sbuf_printf(out, "$upscope $end\n$enddefinitions $end\n");
    uint64_t start = v->from;
    sbuf_printf(out, "#%" PRIu64 "\n$dumpvars\n", start);
    for (size_t i = 0; i < v->nsig; i++) {
        snprintf(now[i], sizeof now[i], "%s", v->sig[i].init);
        count[i] = v->sig[i].init_count;
        snprintf(written[i], sizeof written[i], "%s", now[i]);
        written_count[i] = count[i];
        if (shown[i])
            put_value(out, &v->sig[i], i, now[i], count[i]);
    }
    sbuf_printf(out, "$end\n");
    qsort(v->ch, v->nch, sizeof *v->ch, by_time);
    /* a cycle's changes are applied together; a signal is written when its value at the cycle's
     * end differs from the one last written */
    uint64_t at = start;
    for (size_t k = 0; k < v->nch;) {
        uint64_t cycle = v->ch[k].cycle;
        if (cycle >= v->cut_at)
            break;
        size_t end = k;
        for (; end < v->nch && v->ch[end].cycle == cycle; end++) {
            const change_t *c = &v->ch[end];
            if (v->sig[c->sig].type == SIG_STRING)
                snprintf(now[c->sig], sizeof now[c->sig], "%s", c->value);
            else
                count[c->sig] += c->step;
        }
        for (size_t j = k; j < end; j++) {
            uint32_t i = v->ch[j].sig;
            const signal_t *s = &v->sig[i];
            bool differs = s->type == SIG_STRING ? strcmp(now[i], written[i]) != 0
                           : s->type == SIG_FLAG ? (count[i] > 0) != (written_count[i] > 0)
                                                 : count[i] != written_count[i];
            if (!shown[i] || !differs)
                continue;
            if (cycle != at) {
                sbuf_printf(out, "#%" PRIu64 "\n", cycle);
                at = cycle;
            }
            put_value(out, s, i, now[i], count[i]);
            snprintf(written[i], sizeof written[i], "%s", now[i]);
            written_count[i] = count[i];
        }
        k = end;
    }
    if (v->cut_at != UINT64_MAX && v->cut_at > at)
        sbuf_printf(out, "$comment the waveform was cut here (--max-events) $end\n#%" PRIu64 "\n",
                    v->cut_at);
    free(order);
    free(shown);
    free(now);
    free(written);
    free(count);
    free(written_count);
}
