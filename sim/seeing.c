/* seeing.c: the options of the views of a run (seeing.h), and the one filter every event passes
 * on its way to them: --watch keeps the events of the watched lines and the core-wide ones,
 * --cycles a window, --max-events a cap.
 *
 * Invariants: the filter decides from an event alone, so the log and the waveform of one run
 * agree on what they show; a watched address is reported as untouched only when no request's
 * bytes fell on its line.
 */
#include "sim/seeing.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "model/op.h"
#include "sim/outfile.h"

struct seeing {
    seeing_opts_t o;
    const char *cmd;
    char title[512];
    machine_config_t cfg;
    uint64_t line_mask; /* ~(line size - 1) */
    uint64_t watched_line[SEEING_MAX_WATCH];
    bool touched[SEEING_MAX_WATCH];
    explain_t *explain; /* for the log or the page's narration */
    vcd_t *vcd;
    html_run_t *html;
    uint64_t logged;           /* events the log narrates */
    uint64_t log_cut_at;       /* the cycle of the first event left out by the cap; UINT64_MAX */
};

/* ---- options --------------------------------------------------------------------------------- */

/* A number in decimal or 0x hexadecimal at s (a leading 0 is not octal); *end after it. */
static int parse_u64(const char *s, const char **end, uint64_t *out)
{
    char *e;
    bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
    const char *digits = hex ? s + 2 : s;
    if (!(hex ? isxdigit((unsigned char)*digits) : isdigit((unsigned char)*digits)))
        return -1;
    errno = 0;
    unsigned long long v = strtoull(digits, &e, hex ? 16 : 10);
    if (errno == ERANGE)
        return -1;
    *out = v;
    *end = e;
    return 0;
}

static int parse_watch(seeing_opts_t *o, const char *cmd, const char *arg)
{
    const char *p = arg;
    o->nwatch = 0;
    for (;;) {
        const char *end;
        uint64_t a;
        if (parse_u64(p, &end, &a) != 0 || (*end && *end != ',')) {
            cli_error("%s: --watch %s: expected addresses (decimal or 0x hexadecimal) separated "
                      "by commas",
                      cmd, arg);
            return -1;
        }
        if (o->nwatch == SEEING_MAX_WATCH) {
            cli_error("%s: --watch %s: at most %d addresses", cmd, arg, SEEING_MAX_WATCH);
            return -1;
        }
        o->watch[o->nwatch++] = a;
        if (!*end)
            return 0;
        p = end + 1;
    }
}

static int parse_window(seeing_opts_t *o, const char *cmd, const char *arg)
{
    const char *end;
    uint64_t from, to = UINT64_MAX;
    bool ok = parse_u64(arg, &end, &from) == 0 && *end == ':';
    if (ok && end[1]) {
        const char *e2;
        ok = parse_u64(end + 1, &e2, &to) == 0 && !*e2 && from <= to;
    }
    if (!ok) {
        cli_error("%s: --cycles %s: expected FROM:TO, two cycle numbers with FROM <= TO (or FROM: "
                  "for the rest of the run)",
                  cmd, arg);
        return -1;
    }
    o->from = from;
    o->to = to;
    return 0;
}

int seeing_option(seeing_opts_t *o, const char *cmd, const cli_opt_t *opt, const char *arg)
{
    if (strcmp(opt->name, "explain") == 0) {
        o->explain = true;
    } else if (strcmp(opt->name, "explain-to") == 0) {
        o->explain_to = arg;
    } else if (strcmp(opt->name, "vcd") == 0) {
        o->vcd = arg;
    } else if (strcmp(opt->name, "html") == 0) {
        o->html = arg;
    } else if (strcmp(opt->name, "watch") == 0) {
        return parse_watch(o, cmd, arg) == 0 ? 1 : -1;
    } else if (strcmp(opt->name, "cycles") == 0) {
        return parse_window(o, cmd, arg) == 0 ? 1 : -1;
    } else if (strcmp(opt->name, "max-events") == 0) {
        const char *end;
        if (parse_u64(arg, &end, &o->max_events) != 0 || *end || o->max_events == 0) {
            cli_error("%s: --max-events %s: expected a positive whole number", cmd, arg);
            return -1;
        }
    } else {
        return 0;
    }
    return 1;
}

bool seeing_wanted(const seeing_opts_t *o)
{
    return o->explain || o->explain_to || o->vcd || o->html;
}

/* Whether the narrated log is printed or written (it is also made for the page alone). */
static bool log_wanted(const seeing_opts_t *o) { return o->explain || o->explain_to; }

/* ---- text ------------------------------------------------------------------------------------ */

void sbuf_printf(sbuf_t *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, room, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = true;
            return;
        }
        if ((size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap - b->n <= (size_t)k)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = true;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
}

bool seeing_grow(void **items, size_t *cap, size_t n, size_t size, size_t first)
{
    if (n < *cap)
        return true;
    size_t c = *cap ? *cap * 2 : first;
    void *p = realloc(*items, c * size);
    if (!p)
        return false;
    *items = p;
    *cap = c;
    return true;
}

void sbuf_free(sbuf_t *b)
{
    free(b->p);
    *b = (sbuf_t){0};
}

/* ---- the filter ------------------------------------------------------------------------------ */

seeing_t *seeing_create(const seeing_opts_t *o, const machine_config_t *cfg, const char *cmd,
                        const char *title)
{
    seeing_t *s = calloc(1, sizeof *s);
    if (!s) {
        cli_error("out of memory");
        return NULL;
    }
    s->o = *o;
    s->cmd = cmd;
    s->cfg = *cfg;
    snprintf(s->title, sizeof s->title, "%s", title);
    uint32_t line = cfg->l1.size ? cfg->l1.line : cfg->l1d.line;
    s->line_mask = ~(uint64_t)(line ? line - 1 : 63);
    for (unsigned i = 0; i < o->nwatch; i++)
        s->watched_line[i] = o->watch[i] & s->line_mask;
    s->log_cut_at = UINT64_MAX;
    bool ok = true;
    if (log_wanted(o) || o->html)
        ok = (s->explain = explain_create(cfg)) != NULL;
    /* a page keeps at most 8 changes per narrated line on average, so the cap bounds it too */
    uint64_t max_changes = o->max_events > UINT64_MAX / 8 ? UINT64_MAX : o->max_events * 8;
    if (ok && o->html)
        ok = (s->html = html_run_create(s->watched_line, o->nwatch, max_changes, o->from)) != NULL;
    if (ok && o->vcd)
        ok = (s->vcd = vcd_create(cfg, s->watched_line, o->nwatch, o->from, o->to)) != NULL;
    if (!ok) {
        cli_error("out of memory");
        seeing_destroy(s);
        return NULL;
    }
    return s;
}

/* Whether ev concerns one line (its addr), rather than a whole core or the OS. */
static bool about_a_line(const obs_event_t *ev)
{
    switch (ev->kind) {
    case OBS_REQ_ISSUED:
    case OBS_REQ_COMPLETED:
        return op_class((op_t)ev->op) == OPC_MEM;
    case OBS_SB_PUSH:
    case OBS_SB_FORWARD:
    case OBS_SB_DRAIN_START:
    case OBS_SB_DRAIN_DONE:
    case OBS_BUS:
    case OBS_STATE:
    case OBS_FILL:
    case OBS_EVICT:
    case OBS_WRITEBACK:
        return true;
    default:
        return false;
    }
}

static bool watched(const seeing_t *s, uint64_t first, uint64_t last)
{
    for (unsigned i = 0; i < s->o.nwatch; i++)
        if (s->watched_line[i] >= first && s->watched_line[i] <= last)
            return true;
    return false;
}

static bool log_room(seeing_t *s, uint64_t cycle)
{
    if (s->logged < s->o.max_events) {
        s->logged++;
        return true;
    }
    if (s->log_cut_at == UINT64_MAX)
        s->log_cut_at = cycle;
    return false;
}

void seeing_observe(void *opaque, const obs_event_t *ev)
{
    seeing_t *s = opaque;
    bool line_event = about_a_line(ev);
    uint64_t first = ev->addr & s->line_mask;
    uint64_t last = (ev->addr + (ev->size ? ev->size - 1 : 0)) & s->line_mask;
    if (line_event && ev->kind == OBS_REQ_ISSUED)
        for (unsigned i = 0; i < s->o.nwatch; i++)
            if (s->watched_line[i] >= first && s->watched_line[i] <= last)
                s->touched[i] = true;
    if (s->vcd)
        vcd_event(s->vcd, ev, s->o.max_events);
    if (!s->explain)
        return;
    if (s->html)
        html_run_event(s->html, ev);
    bool shown = ev->cycle >= s->o.from && ev->cycle <= s->o.to &&
                 !(s->o.nwatch && line_event && !watched(s, first, last)) && log_room(s, ev->cycle);
    explain_event(s->explain, ev, shown);
}

void seeing_note(seeing_t *s, explain_mark_t mark, uint64_t cycle, int cpu, uint64_t addr,
                 const char *fmt, ...)
{
    if (!s || !s->explain || cycle < s->o.from || cycle > s->o.to)
        return;
    if (s->o.nwatch && addr != UINT64_MAX &&
        !watched(s, addr & s->line_mask, addr & s->line_mask))
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (log_room(s, cycle))
        explain_note(s->explain, cycle, cpu, mark, text);
}

int seeing_finish(seeing_t *s)
{
    int rc = 0;
    for (unsigned i = 0; i < s->o.nwatch; i++)
        if (!s->touched[i])
            fprintf(stderr,
                    "cohsim: %s: warning: --watch %#" PRIx64 ": no request touches this address "
                    "(its line %#" PRIx64 ")\n",
                    s->cmd, s->o.watch[i], s->watched_line[i]);
    if (s->explain && log_wanted(&s->o)) {
        sbuf_t out = {0};
        explain_write(s->explain, s->title, &out);
        if (s->log_cut_at != UINT64_MAX) {
            sbuf_printf(&out,
                        "(the log stops here: the run has more than %" PRIu64 " events to narrate "
                        "(--max-events), so events from cycle %" PRIu64 " on may be missing: "
                        "--cycles FROM:TO or --watch shows a part, --max-events keeps more)\n",
                        s->o.max_events, s->log_cut_at);
            fprintf(stderr,
                    "cohsim: %s: the run has more than %" PRIu64 " events to narrate: the log "
                    "is cut at cycle %" PRIu64 " (choose a window with --cycles FROM:TO)\n",
                    s->cmd, s->o.max_events, s->log_cut_at);
        }
        if (out.oom) {
            cli_error("%s: out of memory for the narrated log", s->cmd);
            rc = -1;
        } else if (s->o.explain_to) {
            if (outfile_write(s->o.explain_to, out.p ? out.p : "", out.n) != 0)
                rc = -1;
        } else {
            fwrite(out.p ? out.p : "", 1, out.n, stdout);
            fflush(stdout);
        }
        sbuf_free(&out);
    }
    if (s->vcd && rc == 0) {
        sbuf_t out = {0};
        vcd_write(s->vcd, s->title, &out);
        uint64_t cut = vcd_cut_at(s->vcd);
        if (cut != UINT64_MAX)
            fprintf(stderr,
                    "cohsim: %s: the run has more than %" PRIu64 " changes for a waveform: %s "
                    "stops at cycle %" PRIu64 " (choose a window with --cycles FROM:TO)\n",
                    s->cmd, s->o.max_events, s->o.vcd, cut);
        if (out.oom) {
            cli_error("%s: out of memory for the waveform", s->cmd);
            rc = -1;
        } else if (outfile_write(s->o.vcd, out.p, out.n) != 0) {
            rc = -1;
        }
        sbuf_free(&out);
    }
    if (s->html && rc == 0) {
        sbuf_t out = {0};
        uint64_t stops_at;
        if (html_run_write(s->html, s->explain, &s->cfg, s->title, s->log_cut_at, &out,
                           &stops_at) != 0 ||
            out.oom) {
            cli_error("%s: out of memory for the page", s->cmd);
            rc = -1;
        } else if (outfile_write(s->o.html, out.p, out.n) != 0) {
            rc = -1;
        } else if (stops_at != UINT64_MAX && (stops_at != s->log_cut_at || !log_wanted(&s->o))) {
            fprintf(stderr,
                    "cohsim: %s: the run has more than %" PRIu64 " events to show: the page "
                    "stops at cycle %" PRIu64 " (choose a window with --cycles FROM:TO)\n",
                    s->cmd, s->o.max_events, stops_at);
        }
        sbuf_free(&out);
    }
    return rc;
}

html_run_t *seeing_page(seeing_t *s) { return s ? s->html : NULL; }

void seeing_destroy(seeing_t *s)
{
    if (!s)
        return;
    explain_destroy(s->explain);
    vcd_destroy(s->vcd);
    html_run_destroy(s->html);
    free(s);
}
