/* html_run.c: the step-through page of a run (--html FILE): one self-contained HTML file whose
 * steps are the lines of the narrated log (explain.c), each carrying the changes of the events it
 * tells of (states of lines, store-buffer entries, IPIs, the bus transaction, counts), which the
 * page's script (html_run.js, inlined) applies forwards and undoes backwards.
 *
 * Representation: every event the log sees is numbered in arrival order; the ones that change
 * what the page shows are kept as changes, and after the run each log line takes the changes of
 * the events from the line made before it (in arrival order) up to its own (explain_line's
 * upto), so that applying the steps in the log's order rebuilds the machine's state as the log
 * tells it. Invariants: the narration of step k is line k of the --explain log, word for word (it
 * is made by explain_line); a step is marked failed or broken exactly when explain marks its line
 * (explain_line_mark), never from its words; at most max changes are kept, and a page cut there,
 * or by the log's cap, says at which cycle it stops.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/coherence.h"
#include "model/op.h"
#include "sim/html.h"

/* The counts the page shows so far, one row each: X(id, label). */
#define HTML_COUNTS(X)                                                                             \
    X(REQUESTS, "requests (loads, stores, fences, rmw, primitives)")                               \
    X(IFETCH, "instruction fetches")                                                               \
    X(FORWARDS, "loads forwarded from a store buffer")                                             \
    X(DRAINS, "store-buffer drains")                                                               \
    X(BUSRD, "BusRd")                                                                              \
    X(BUSRDX, "BusRdX")                                                                            \
    X(BUSUPGR, "BusUpgr")                                                                          \
    X(FILLS, "fills (misses)")                                                                     \
    X(EVICTIONS, "evictions")                                                                      \
    X(WRITEBACKS, "write-backs")                                                                   \
    X(IPIS, "IPIs sent")
enum {
#define X(id, label) COUNT_##id,
    HTML_COUNTS(X)
#undef X
    COUNTS
};
static const char *const count_label[COUNTS] = {
#define X(id, label) label,
    HTML_COUNTS(X)
#undef X
};

/* What the page needs of an event (an obs_event_t, kept small: a page may keep millions). */
typedef struct change {
    uint64_t event; /* its number among the events the log saw */
    uint64_t addr, value, cycle;
    int16_t cpu;    /* the core (a bus transaction's requester) */
    int16_t other;  /* an IPI's other core; a bus transaction's supplier */
    uint8_t kind, level, old_state, new_state, bus, op;
    bool counted;   /* its count is in start_counts already (compact) */
} change_t;

struct html_run {
    const uint64_t *watch; /* watched lines (nwatch), or none: every line */
    unsigned nwatch;
    uint64_t max;     /* changes kept at most */
    uint64_t from;    /* the window's first cycle: the events before it only set the start */
    bool in_window;   /* an event of the window has arrived: no more compacting */
    unsigned start_counts[COUNTS]; /* counts of the changes compacted away */
    change_t *changes;
    size_t n, cap;
    size_t nevents;   /* events seen */
    size_t cut_event; /* the first event not kept (SIZE_MAX: none) */
    sbuf_t extra;     /* sections a command adds (html_run_section) */
    html_code_range_t *code; /* where each row of the shown code lies (html_run_code) */
    size_t ncode;
};

html_run_t *html_run_create(const uint64_t *watched_lines, unsigned nwatch, uint64_t max,
                            uint64_t from)
{
    html_run_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->from = from;
    h->watch = watched_lines;
    h->nwatch = nwatch;
    h->max = max;
    h->cut_event = SIZE_MAX;
    return h;
}

void html_run_destroy(html_run_t *h)
{
    if (!h)
        return;
    free(h->changes);
    free(h->code);
    sbuf_free(&h->extra);
    free(h);
}

static bool watched_line(const html_run_t *h, uint64_t line)
{
    if (!h->nwatch)
        return true;
    for (unsigned i = 0; i < h->nwatch; i++)
        if (h->watch[i] == line)
            return true;
    return false;
}

/* Whether ev changes what the page shows. */
static bool kept(const html_run_t *h, const obs_event_t *ev)
{
    switch (ev->kind) {
    case OBS_STATE:
    case OBS_FILL:
    case OBS_EVICT:
        return watched_line(h, ev->addr);
    case OBS_REQ_ISSUED:
    case OBS_SB_PUSH:
    case OBS_SB_FORWARD:
    case OBS_SB_DRAIN_START:
    case OBS_BUS:
    case OBS_WRITEBACK:
    case OBS_IPI_SENT:
    case OBS_IPI_DELIVERED:
    case OBS_IPI_HANDLED:
        return true;
    default:
        return false;
    }
}

/* The count a change adds one to (COUNTS: none). */
static unsigned count_of(const change_t *c)
{
    switch (c->kind) {
    case OBS_FILL:
        return COUNT_FILLS;
    case OBS_EVICT:
        return COUNT_EVICTIONS;
    case OBS_SB_DRAIN_START:
        return COUNT_DRAINS;
    case OBS_BUS:
        return c->bus == BUS_RD ? COUNT_BUSRD : c->bus == BUS_RDX ? COUNT_BUSRDX : COUNT_BUSUPGR;
    case OBS_IPI_SENT:
        return COUNT_IPIS;
    case OBS_REQ_ISSUED:
        return c->op == OP_IFETCH ? COUNT_IFETCH : COUNT_REQUESTS;
    case OBS_SB_FORWARD:
        return COUNT_FORWARDS;
    case OBS_WRITEBACK:
        return COUNT_WRITEBACKS;
    default:
        return COUNTS;
    }
}

static bool is_state(const change_t *c)
{
    return c->kind == OBS_STATE || c->kind == OBS_FILL || c->kind == OBS_EVICT;
}

static int by_line_then_event(const void *a, const void *b)
{
    const change_t *p = *(const change_t *const *)a, *q = *(const change_t *const *)b;
    if (p->cpu != q->cpu)
        return p->cpu < q->cpu ? -1 : 1;
    if (p->level != q->level)
        return p->level < q->level ? -1 : 1;
    if (p->addr != q->addr)
        return p->addr < q->addr ? -1 : 1;
    return p->event < q->event ? -1 : p->event > q->event;
}

/* Before the window starts, only what the changes leave matters: the last state of each line,
 * the store-buffer entries not drained, the IPIs not handled, the last transaction and fetch,
 * and the counts. Keep those (in their order, with their numbers) and drop the rest. */
static void compact(html_run_t *h)
{
    const change_t **order = malloc((h->n ? h->n : 1) * sizeof *order);
    bool *keep = calloc(h->n ? h->n : 1, sizeof *keep);
    if (!order || !keep) {
        free(order);
        free(keep);
        return;
    }
    size_t nstates = 0;
    unsigned drains[MACHINE_MAX_CORES] = {0};
    /* [target][sender]: the last IPI's sending and delivery (SIZE_MAX: none, or handled) */
    static const size_t none = SIZE_MAX;
    size_t (*sent)[MACHINE_MAX_CORES] = malloc(2 * sizeof(size_t[MACHINE_MAX_CORES][MACHINE_MAX_CORES]));
    if (!sent) {
        free(order);
        free(keep);
        return;
    }
    size_t (*delivered)[MACHINE_MAX_CORES] = sent + MACHINE_MAX_CORES;
    for (unsigned t = 0; t < MACHINE_MAX_CORES; t++)
        for (unsigned f = 0; f < MACHINE_MAX_CORES; f++)
            sent[t][f] = delivered[t][f] = none;
    size_t last_bus = none, last_fetch[MACHINE_MAX_CORES];
    for (unsigned c = 0; c < MACHINE_MAX_CORES; c++)
        last_fetch[c] = none;
    for (size_t i = 0; i < h->n; i++) {
        const change_t *c = &h->changes[i];
        bool core = c->cpu >= 0 && c->cpu < MACHINE_MAX_CORES;
        bool pair = core && c->other >= 0 && c->other < MACHINE_MAX_CORES;
        if (count_of(c) < COUNTS && !c->counted)
            h->start_counts[count_of(c)]++;
        if (is_state(c))
            order[nstates++] = c;
        else if (c->kind == OBS_SB_DRAIN_START && core)
            drains[c->cpu]++;
        else if (c->kind == OBS_BUS)
            last_bus = i;
        else if (c->kind == OBS_REQ_ISSUED && c->op == OP_IFETCH && core)
            last_fetch[c->cpu] = i;
        else if (pair && c->kind == OBS_IPI_SENT)
            sent[c->other][c->cpu] = i, delivered[c->other][c->cpu] = none;
        else if (pair && c->kind == OBS_IPI_DELIVERED)
            delivered[c->cpu][c->other] = i;
        else if (pair && c->kind == OBS_IPI_HANDLED)
            sent[c->cpu][c->other] = delivered[c->cpu][c->other] = none;
        else
            continue;
    }
    qsort(order, nstates, sizeof *order, by_line_then_event);
    for (size_t k = 0; k < nstates; k++) {
        const change_t *c = order[k];
        bool last = k + 1 == nstates || order[k + 1]->cpu != c->cpu ||
                    order[k + 1]->level != c->level || order[k + 1]->addr != c->addr;
        if (last && c->kind != OBS_EVICT && (c->new_state & LINE_STATE_MASK) != LINE_I)
            keep[c - h->changes] = true;
    }
    for (size_t i = 0; i < h->n; i++) {
        const change_t *c = &h->changes[i];
        bool core = c->cpu >= 0 && c->cpu < MACHINE_MAX_CORES;
        bool pair = core && c->other >= 0 && c->other < MACHINE_MAX_CORES;
        if (c->kind == OBS_SB_PUSH && core)
            keep[i] = drains[c->cpu] ? (drains[c->cpu]--, false) : true;
        else if (c->kind == OBS_IPI_SENT && pair)
            keep[i] = sent[c->other][c->cpu] == i;
        else if (c->kind == OBS_IPI_DELIVERED && pair)
            keep[i] = delivered[c->cpu][c->other] == i;
        else if (c->kind == OBS_BUS || (c->kind == OBS_REQ_ISSUED && c->op == OP_IFETCH))
            keep[i] = i == last_bus || (core && i == last_fetch[c->cpu]);
    }
    size_t n = 0;
    for (size_t i = 0; i < h->n; i++)
        if (keep[i]) {
            h->changes[n] = h->changes[i];
            h->changes[n++].counted = true;
        }
    h->n = n;
    free(sent);
    free(order);
    free(keep);
}

void html_run_event(html_run_t *h, const obs_event_t *ev)
{
    size_t number = h->nevents++;
    h->in_window = h->in_window || ev->cycle >= h->from;
    if (h->cut_event != SIZE_MAX || !kept(h, ev))
        return;
    if (h->n >= h->max && !h->in_window)
        compact(h);
    void *items = h->changes;
    bool room = h->n < h->max && seeing_grow(&items, &h->cap, h->n, sizeof *h->changes, 1024);
    h->changes = items;
    if (!room) {
        h->cut_event = number;
        return;
    }
    h->changes[h->n++] = (change_t){
        .event = number, .addr = ev->addr, .value = ev->value, .cycle = ev->cycle,
        .cpu = (int16_t)ev->cpu, .other = (int16_t)(ev->kind == OBS_BUS ? ev->supplier : ev->other),
        .kind = (uint8_t)ev->kind, .level = ev->level, .old_state = ev->old_state,
        .new_state = ev->new_state, .bus = ev->bus, .op = ev->op};
}

void html_run_section(html_run_t *h, const char *heading, const char *html)
{
    sbuf_printf(&h->extra, "<section class=\"extra\"><h2>");
    html_text(&h->extra, heading);
    sbuf_printf(&h->extra, "</h2>\n%s</section>\n", html);
}

int html_run_code(html_run_t *h, const html_code_range_t *ranges, size_t n)
{
    html_code_range_t *copy = malloc((n ? n : 1) * sizeof *copy);
    if (!copy)
        return -1;
    memcpy(copy, ranges, n * sizeof *copy);
    free(h->code);
    h->code = copy;
    h->ncode = n;
    return 0;
}

/* The row of the shown code that the instruction fetched at pc by cpu belongs to, or -1. */
static long code_row(const html_run_t *h, int cpu, uint64_t pc)
{
    for (size_t i = 0; i < h->ncode; i++)
        if (h->code[i].cpu == cpu && pc >= h->code[i].lo && pc < h->code[i].hi)
            return (long)h->code[i].row;
    return -1;
}

/* The first kept change of an event numbered at least event. */
static size_t first_change(const html_run_t *h, size_t event)
{
    size_t lo = 0, hi = h->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->changes[mid].event < event)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* One change as the script reads it (html_run.js, apply()); counts[] gathers the step's counts. */
static void write_change(const html_run_t *h, sbuf_t *b, const change_t *c, unsigned *counts,
                         bool *comma)
{
    char v[32];
    const char *sep = *comma ? "," : "";
    if (count_of(c) < COUNTS && !c->counted)
        counts[count_of(c)]++;
    switch (c->kind) {
    case OBS_STATE:
    case OBS_FILL:
    case OBS_EVICT: {
        uint8_t old = c->kind == OBS_FILL ? LINE_I : c->old_state;
        uint8_t now = c->kind == OBS_EVICT ? LINE_I : c->new_state;
        sbuf_printf(b, "%s[\"s\",%d,\"%s\",\"%#" PRIx64 "\",\"%s\",\"%s\"]", sep, c->cpu,
                    obs_level_name((obs_level_t)c->level), c->addr, coherence_state_name(old),
                    coherence_state_name(now));
        break;
    }
    case OBS_SB_PUSH:
        sbuf_printf(b, "%s[\"p\",%d,\"%#" PRIx64 "\",\"%s\",%" PRIu64 "]", sep, c->cpu, c->addr,
                    explain_value(c->value, v, sizeof v), c->cycle);
        break;
    case OBS_SB_DRAIN_START:
        sbuf_printf(b, "%s[\"d\",%d]", sep, c->cpu);
        break;
    case OBS_BUS:
        sbuf_printf(b, "%s[\"b\",%d,%d,\"%s\",\"%#" PRIx64 "\"]", sep, c->cpu, c->other,
                    coherence_bus_name((bus_event_t)c->bus), c->addr);
        break;
    case OBS_IPI_SENT: /* phases: 1 sent, 2 its handler runs, 0 handled */
        sbuf_printf(b, "%s[\"i\",%d,%d,1]", sep, c->other, c->cpu);
        break;
    case OBS_IPI_DELIVERED:
    case OBS_IPI_HANDLED:
        sbuf_printf(b, "%s[\"i\",%d,%d,%d]", sep, c->cpu, c->other,
                    c->kind == OBS_IPI_DELIVERED ? 2 : 0);
        break;
    case OBS_REQ_ISSUED: {
        long row = c->op == OP_IFETCH && h->ncode ? code_row(h, c->cpu, c->addr) : -1;
        if (row < 0)
            return;
        sbuf_printf(b, "%s[\"c\",%d,%ld]", sep, c->cpu, row);
        break;
    }
    default:
        return;
    }
    *comma = true;
}

/* The script, from sim/html_run.js (the Makefile makes it a C string). */
static const char html_run_js[] =
#include "sim/html_run_js.inc"
    ;

static const char html_run_css[] =
    "h1{font-size:17px;margin:0 0 .4em}\n"
    "#controls{display:flex;gap:.5em;align-items:center;flex-wrap:wrap}\n"
    "#slider{flex:1;min-width:200px}\n"
    "#narration{font-size:15px;background:#fffbe6;border:1px solid #e6d9a3;padding:4px 8px;"
    "margin:.5em 0;white-space:pre}\n"
    "#machine{display:flex;gap:10px;flex-wrap:wrap;align-items:flex-start}\n"
    ".panel{border:1px solid #999;border-radius:6px;padding:4px 8px;min-width:190px}\n"
    ".panel h3{margin:2px 0 4px;font-size:15px}\n"
    ".panel.active{border-color:#c00;box-shadow:0 0 0 2px #f3b0b0}\n"
    ".panel table{font-size:12px;margin-bottom:4px}\n"
    ".changed{outline:2px solid #333}\n"
    ".none{color:#888;font-size:12px}\n"
    "#bus{width:100%;height:70px;display:block;margin:6px 0}\n"
    "#log{font-size:12px;white-space:pre;background:#f6f6f6;padding:4px;overflow-x:auto}\n"
    "#log .now{background:#ffe58a}\n"
    "#log div{cursor:pointer}\n"
    "#log .failed,#log .broken{color:#a00;font-weight:bold}\n"
    "#log .failed.now,#log .broken.now{background:#f7c6c6}\n"
    "#narration.failed,#narration.broken{background:#fde2e2;border-color:#c00;color:#800;"
    "font-weight:bold;white-space:pre-wrap}\n"
    "#marks p{margin:.3em 0;padding:4px 8px;background:#fde2e2;border:1px solid #c00;color:#800}\n"
    ".panel.culprit{outline:3px dashed #c00;outline-offset:2px}\n"
    "#cut{color:#a00;font-weight:bold}\n"
    ".threads{display:flex;gap:10px}\n"
    ".code td{font-family:ui-monospace,monospace;white-space:pre}\n"
    ".code .now{background:#ffe58a;font-weight:bold}\n"
    "kbd{border:1px solid #aaa;border-radius:3px;padding:0 3px;font-size:12px}\n";

int html_run_write(html_run_t *h, explain_t *x, const machine_config_t *cfg, const char *title,
                   uint64_t log_cut_at, sbuf_t *out, uint64_t *stops_at)
{
    size_t n = explain_finish(x);
    size_t *upto_by_order = calloc(n ? n : 1, sizeof *upto_by_order);
    if (!upto_by_order)
        return -1;
    sbuf_t scratch = {0};
    for (size_t i = 0; i < n; i++) {
        size_t order, upto;
        scratch.n = 0;
        explain_line(x, i, &scratch, NULL, &order, &upto);
        upto_by_order[order] = upto;
    }
    html_head(out, title, html_run_css);
    sbuf_printf(out, "<h1>");
    html_text(out, title);
    sbuf_printf(out, "</h1>\n<div id=\"controls\"><button id=\"home\" title=\"Home\">|&lt;</button>"
                     "<button id=\"back\" title=\"left arrow\">&lt;</button>"
                     "<input id=\"slider\" type=\"range\" min=\"0\" value=\"0\">"
                     "<button id=\"fwd\" title=\"right arrow\">&gt;</button>"
                     "<button id=\"end\" title=\"End\">&gt;|</button> <span id=\"where\"></span></div>\n"
                     "<div id=\"marks\"></div>\n"
                     "<p class=\"none\">Keys: <kbd>&larr;</kbd> <kbd>&rarr;</kbd> one event, "
                     "<kbd>PageUp</kbd> <kbd>PageDown</kbd> ten, <kbd>Home</kbd> <kbd>End</kbd> the "
                     "first and the last.</p>\n<div id=\"narration\"></div>\n"
                     "<div id=\"machine\"></div>\n<svg id=\"bus\"></svg>\n"
                     "<p id=\"cut\"></p>\n");
    if (h->extra.p)
        sbuf_printf(out, "%s", h->extra.p);
    sbuf_printf(out, "<h2>Log</h2>\n<div id=\"log\"></div>\n"
                     "<h2>Counts so far</h2>\n<table id=\"counts\"></table>\n");
    sbuf_printf(out, "<script>\n\"use strict\";\nconst RUN = {\n  cores: %u,\n  sb: %u,\n  watch: [",
                cfg->cores, cfg->sb_entries);
    for (unsigned i = 0; i < h->nwatch; i++)
        sbuf_printf(out, "%s\"%#" PRIx64 "\"", i ? "," : "", h->watch[i]);
    sbuf_printf(out, "],\n  counts: [");
    for (unsigned c = 0; c < COUNTS; c++) {
        sbuf_printf(out, "%s", c ? "," : "");
        html_js_string(out, count_label[c]);
    }
    sbuf_printf(out, "],\n  start: [");
    for (unsigned c = 0; c < COUNTS; c++)
        sbuf_printf(out, "%s%u", c ? "," : "", h->start_counts[c]);
    /* the steps: [cycle, narration, [changes], [[count, increment]...]], and for a line that
     * reports a failed check or the broken invariant, ,"failed"|"broken", the core it tells of */
    sbuf_printf(out, "],\n  steps: [\n");
    uint64_t cut_cycle = log_cut_at;
    for (size_t i = 0; i < n; i++) {
        size_t order, upto;
        uint64_t cycle;
        scratch.n = 0;
        explain_line(x, i, &scratch, &cycle, &order, &upto);
        if (upto > h->cut_event) { /* its events were not all kept: the page stops before it */
            cut_cycle = cycle < cut_cycle ? cycle : cut_cycle;
            break;
        }
        size_t from = order ? upto_by_order[order - 1] : 0;
        unsigned counts[COUNTS] = {0};
        const char *text = scratch.p ? scratch.p : "";
        sbuf_printf(out, "[%" PRIu64 ",", cycle);
        html_js_string(out, text);
        sbuf_printf(out, ",[");
        bool comma = false;
        for (size_t k = first_change(h, from); k < h->n && h->changes[k].event < upto; k++)
            write_change(h, out, &h->changes[k], counts, &comma);
        sbuf_printf(out, "],[");
        comma = false;
        for (unsigned c = 0; c < COUNTS; c++)
            if (counts[c]) {
                sbuf_printf(out, "%s[%u,%u]", comma ? "," : "", c, counts[c]);
                comma = true;
            }
        int cpu;
        explain_mark_t mark = explain_line_mark(x, i, &cpu);
        if (mark != EXPLAIN_PLAIN)
            sbuf_printf(out, "],\"%s\",%d],\n", mark == EXPLAIN_BROKEN ? "broken" : "failed", cpu);
        else
            sbuf_printf(out, "]],\n");
    }
    *stops_at = cut_cycle;
    if (cut_cycle != UINT64_MAX)
        sbuf_printf(out, "  ],\n  cut: \"the page stops at cycle %" PRIu64 ": the run has more "
                         "events than --max-events keeps (or than a page holds); choose a window "
                         "with --cycles FROM:TO or lines with --watch\"\n};\n",
                    cut_cycle);
    else
        sbuf_printf(out, "  ],\n  cut: \"\"\n};\n");
    sbuf_printf(out, "%s</script>\n", html_run_js);
    html_foot(out);
    sbuf_free(&scratch);
    free(upto_by_order);
    return out->oom ? -1 : 0;
}
