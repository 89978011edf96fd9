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
 * is made by explain_line); at most max changes are kept, and a page cut there, or by the log's
 * cap, says at which cycle it stops.
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

typedef struct change {
    size_t event; /* its number among the events the log saw */
    obs_event_t ev;
} change_t;

struct html_run {
    const uint64_t *watch; /* watched lines (nwatch), or none: every line */
    unsigned nwatch;
    uint64_t max;     /* changes kept at most */
    change_t *changes;
    size_t n, cap;
    size_t nevents;   /* events seen */
    size_t cut_event; /* the first event not kept (SIZE_MAX: none) */
    uint64_t cut_cycle;
    sbuf_t extra;     /* sections a command adds (html_run_section) */
    html_code_range_t *code; /* where each row of the shown code lies (html_run_code) */
    size_t ncode;
};

html_run_t *html_run_create(const uint64_t *watched_lines, unsigned nwatch, uint64_t max)
{
    html_run_t *h = calloc(1, sizeof *h);
    if (!h)
        return NULL;
    h->watch = watched_lines;
    h->nwatch = nwatch;
    h->max = max;
    h->cut_event = SIZE_MAX;
    h->cut_cycle = UINT64_MAX;
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

void html_run_event(html_run_t *h, const obs_event_t *ev)
{
    size_t number = h->nevents++;
    if (h->cut_event != SIZE_MAX || !kept(h, ev))
        return;
    void *items = h->changes;
    bool room = h->n < h->max && seeing_grow(&items, &h->cap, h->n, sizeof *h->changes, 1024);
    h->changes = items;
    if (!room) {
        h->cut_event = number;
        h->cut_cycle = ev->cycle;
        return;
    }
    h->changes[h->n++] = (change_t){number, *ev};
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
static void write_change(const html_run_t *h, sbuf_t *b, const obs_event_t *ev, unsigned *counts,
                         bool *comma)
{
    char v[32];
    const char *sep = *comma ? "," : "";
    switch (ev->kind) {
    case OBS_STATE:
    case OBS_FILL:
    case OBS_EVICT: {
        uint8_t old = ev->kind == OBS_FILL ? LINE_I : ev->old_state;
        uint8_t now = ev->kind == OBS_EVICT ? LINE_I : ev->new_state;
        sbuf_printf(b, "%s[\"s\",%d,\"%s\",\"%#" PRIx64 "\",\"%s\",\"%s\"]", sep, ev->cpu,
                    obs_level_name((obs_level_t)ev->level), ev->addr, coherence_state_name(old),
                    coherence_state_name(now));
        if (ev->kind == OBS_FILL)
            counts[COUNT_FILLS]++;
        else if (ev->kind == OBS_EVICT)
            counts[COUNT_EVICTIONS]++;
        break;
    }
    case OBS_SB_PUSH:
        sbuf_printf(b, "%s[\"p\",%d,\"%#" PRIx64 "\",\"%s\",%" PRIu64 "]", sep, ev->cpu, ev->addr,
                    explain_value(ev->value, v, sizeof v), ev->cycle);
        break;
    case OBS_SB_DRAIN_START:
        sbuf_printf(b, "%s[\"d\",%d]", sep, ev->cpu);
        counts[COUNT_DRAINS]++;
        break;
    case OBS_BUS:
        sbuf_printf(b, "%s[\"b\",%d,%d,\"%s\",\"%#" PRIx64 "\"]", sep, ev->requester, ev->supplier,
                    coherence_bus_name((bus_event_t)ev->bus), ev->addr);
        counts[ev->bus == BUS_RD ? COUNT_BUSRD : ev->bus == BUS_RDX ? COUNT_BUSRDX : COUNT_BUSUPGR]++;
        break;
    case OBS_IPI_SENT: /* phases: 1 sent, 2 its handler runs, 0 handled */
        sbuf_printf(b, "%s[\"i\",%d,%d,1]", sep, ev->other, ev->cpu);
        counts[COUNT_IPIS]++;
        break;
    case OBS_IPI_DELIVERED:
    case OBS_IPI_HANDLED:
        sbuf_printf(b, "%s[\"i\",%d,%d,%d]", sep, ev->cpu, ev->other,
                    ev->kind == OBS_IPI_DELIVERED ? 2 : 0);
        break;
    case OBS_REQ_ISSUED: {
        counts[ev->op == OP_IFETCH ? COUNT_IFETCH : COUNT_REQUESTS]++;
        long row = ev->op == OP_IFETCH && h->ncode ? code_row(h, ev->cpu, ev->addr) : -1;
        if (row < 0)
            return;
        sbuf_printf(b, "%s[\"c\",%d,%ld]", sep, ev->cpu, row);
        break;
    }
    case OBS_SB_FORWARD:
        counts[COUNT_FORWARDS]++;
        return;
    case OBS_WRITEBACK:
        counts[COUNT_WRITEBACKS]++;
        return;
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
    "#cut{color:#a00;font-weight:bold}\n"
    ".threads{display:flex;gap:10px}\n"
    ".code td{font-family:ui-monospace,monospace}\n"
    ".code .now{background:#ffe58a;font-weight:bold}\n"
    "kbd{border:1px solid #aaa;border-radius:3px;padding:0 3px;font-size:12px}\n";

int html_run_write(html_run_t *h, explain_t *x, const machine_config_t *cfg, const char *title,
                   uint64_t log_cut_at, sbuf_t *out)
{
    size_t n = explain_finish(x);
    size_t *upto_by_order = calloc(n ? n : 1, sizeof *upto_by_order);
    if (!upto_by_order)
        return -1;
    sbuf_t scratch = {0};
    for (size_t i = 0; i < n; i++) {
        size_t order, upto;
        scratch.n = 0;
        explain_line(x, i, &scratch, &order, &upto);
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
    /* the steps: [cycle, narration, [changes], [[count, increment]...]] */
    sbuf_printf(out, "],\n  steps: [\n");
    uint64_t cut_cycle = log_cut_at;
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        size_t order, upto;
        scratch.n = 0;
        explain_line(x, i, &scratch, &order, &upto);
        if (upto > h->cut_event) { /* its events were not all kept: the page stops before it */
            if (h->cut_cycle < cut_cycle)
                cut_cycle = h->cut_cycle;
            continue;
        }
        size_t from = order ? upto_by_order[order - 1] : 0;
        unsigned counts[COUNTS] = {0};
        const char *text = scratch.p ? scratch.p : "";
        uint64_t cycle = strtoull(text + 6, NULL, 10); /* "cycle N ..." */
        sbuf_printf(out, "[%" PRIu64 ",", cycle);
        html_js_string(out, text);
        sbuf_printf(out, ",[");
        bool comma = false;
        for (size_t k = first_change(h, from); k < h->n && h->changes[k].event < upto; k++)
            write_change(h, out, &h->changes[k].ev, counts, &comma);
        sbuf_printf(out, "],[");
        comma = false;
        for (unsigned c = 0; c < COUNTS; c++)
            if (counts[c]) {
                sbuf_printf(out, "%s[%u,%u]", comma ? "," : "", c, counts[c]);
                comma = true;
            }
        sbuf_printf(out, "]],\n");
        shown++;
    }
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
    (void)shown;
    return out->oom ? -1 : 0;
}
