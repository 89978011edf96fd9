/* html.c: what every HTML view shares (html.h): escaping, the state colours, the page frame, and
 * the protocol tables generated from model/protocol/'s structs (the ones model/coherence.c runs).
 */
#include "sim/html.h"

#include <string.h>

/* The one colour table of coherence states: every view takes its colours from here. */
static const struct {
    const char *background, *text;
} state_colour[COHERENCE_STATES] = {
    [LINE_I] = {"#e4e4e4", "#555555"},
    [LINE_S] = {"#9cc3f0", "#10325a"},
    [LINE_E] = {"#9fdc9f", "#12451a"},
    [LINE_O] = {"#f3c26b", "#5a3600"},
    [LINE_M] = {"#f08c8c", "#5c0d0d"},
};

void html_text(sbuf_t *b, const char *text)
{
    for (const char *p = text; *p; p++) {
        size_t plain = strcspn(p, "&<>\"");
        if (plain)
            sbuf_printf(b, "%.*s", (int)plain, p);
        p += plain;
        if (!*p)
            break;
        sbuf_printf(b, "%s", *p == '&' ? "&amp;" : *p == '<' ? "&lt;" : *p == '>' ? "&gt;" : "&quot;");
    }
}

void html_js_string(sbuf_t *b, const char *text)
{
    sbuf_printf(b, "\"");
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '"' || *p == '\\')
            sbuf_printf(b, "\\%c", *p);
        else if (*p < 0x20 || *p == '<' || *p == '>' || *p == '&')
            sbuf_printf(b, "\\u%04x", *p); /* never "</script>" inside the script */
        else
            sbuf_printf(b, "%c", *p);
    }
    sbuf_printf(b, "\"");
}

void html_state_css(sbuf_t *b)
{
    for (unsigned s = 0; s < COHERENCE_STATES; s++)
        sbuf_printf(b, ".st-%s{background:%s;color:%s}\n", coherence_state_name((uint8_t)s),
                    state_colour[s].background, state_colour[s].text);
}

void html_head(sbuf_t *b, const char *title, const char *css)
{
    sbuf_printf(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    html_text(b, title);
    sbuf_printf(b, "</title>\n<style>\n"
                   "body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}\n"
                   "table{border-collapse:collapse}\n"
                   "td,th{border:1px solid #bbb;padding:2px 8px;text-align:left}\n"
                   "code,pre,.mono{font-family:ui-monospace,monospace}\n");
    html_state_css(b);
    sbuf_printf(b, "%s</style>\n</head>\n<body>\n", css ? css : "");
}

void html_foot(sbuf_t *b) { sbuf_printf(b, "</body>\n</html>\n"); }

/* ---- the protocol tables --------------------------------------------------------------------- */

unsigned protocol_reached(const protocol_t *p)
{
    unsigned reached = 1u << LINE_I, before = 0;
    while (reached != before) {
        before = reached;
        for (unsigned s = 0; s < COHERENCE_STATES; s++) {
            if (!(before & (1u << s)))
                continue;
            for (unsigned e = 0; e < PR_EVENTS; e++) {
                const proc_rule_t *r = coherence_proc(p, (uint8_t)s, (proc_event_t)e);
                reached |= 1u << r->next | 1u << r->next_if_shared;
            }
            for (unsigned t = 0; t < BUS_EVENTS; t++)
                reached |= 1u << coherence_snoop(p, (uint8_t)s, (bus_event_t)t)->next;
        }
    }
    return reached;
}

static const char *const proc_event_name[PR_EVENTS] = {"read", "write"};

/* What the processor side does for a local access: "BusRd -> E (S if shared)". */
static void proc_cell(sbuf_t *b, const proc_rule_t *r, bool html)
{
    const char *st = coherence_state_name(r->next), *shared = coherence_state_name(r->next_if_shared);
    sbuf_printf(b, "%s %s ", r->bus == BUS_NONE ? "no bus" : coherence_bus_name(r->bus),
                html ? "&rarr;" : "->");
    if (html)
        sbuf_printf(b, "<span class=\"st-%s\">%s</span>", st, st);
    else
        sbuf_printf(b, "%s", st);
    if (r->next_if_shared != r->next) {
        if (html)
            sbuf_printf(b, " (<span class=\"st-%s\">%s</span> if shared)", shared, shared);
        else
            sbuf_printf(b, " (%s if shared)", shared);
    }
}

/* What a snooping cache does: "S (supplies, writes back)". */
static void snoop_cell(sbuf_t *b, const snoop_rule_t *r, bool html)
{
    const char *st = coherence_state_name(r->next);
    if (html)
        sbuf_printf(b, "<span class=\"st-%s\">%s</span>", st, st);
    else
        sbuf_printf(b, "%s", st);
    if (r->supplies || r->writes_back)
        sbuf_printf(b, " (%s%s%s)", r->supplies ? "supplies" : "",
                    r->supplies && r->writes_back ? ", " : "", r->writes_back ? "writes back" : "");
}

static void reached_list(sbuf_t *b, unsigned reached)
{
    for (unsigned s = 0, n = 0; s < COHERENCE_STATES; s++)
        if (reached & (1u << s))
            sbuf_printf(b, "%s%s", n++ ? " " : "", coherence_state_name((uint8_t)s));
}

void protocol_text(sbuf_t *b, const protocol_t *p)
{
    unsigned reached = protocol_reached(p);
    sbuf_printf(b, "%s (model/protocol/%s.c): states reached from I: ", p->title, p->name);
    reached_list(b, reached);
    sbuf_printf(b, "\n\nprocessor side: a local access to a line in STATE: the bus transaction, "
                   "then the state\n%-6s", "STATE");
    for (unsigned e = 0; e < PR_EVENTS; e++)
        sbuf_printf(b, e + 1 < PR_EVENTS ? "  %-26s" : "  %s", proc_event_name[e]);
    sbuf_printf(b, "\n");
    for (unsigned s = 0; s < COHERENCE_STATES; s++) {
        if (!(reached & (1u << s)))
            continue;
        sbuf_printf(b, "%-6s", coherence_state_name((uint8_t)s));
        for (unsigned e = 0; e < PR_EVENTS; e++) {
            sbuf_t cell = {0};
            proc_cell(&cell, coherence_proc(p, (uint8_t)s, (proc_event_t)e), false);
            sbuf_printf(b, e + 1 < PR_EVENTS ? "  %-26s" : "  %s", cell.p ? cell.p : "");
            sbuf_free(&cell);
        }
        sbuf_printf(b, "\n");
    }
    sbuf_printf(b, "\nsnoop side: another cache holding the line in STATE sees a transaction: its "
                   "state after it\n%-6s", "STATE");
    for (unsigned t = BUS_NONE + 1; t < BUS_EVENTS; t++)
        sbuf_printf(b, t + 1 < BUS_EVENTS ? "  %-26s" : "  %s", coherence_bus_name((bus_event_t)t));
    sbuf_printf(b, "\n");
    for (unsigned s = 0; s < COHERENCE_STATES; s++) {
        if (!(reached & (1u << s)))
            continue;
        sbuf_printf(b, "%-6s", coherence_state_name((uint8_t)s));
        for (unsigned t = BUS_NONE + 1; t < BUS_EVENTS; t++) {
            sbuf_t cell = {0};
            snoop_cell(&cell, coherence_snoop(p, (uint8_t)s, (bus_event_t)t), false);
            sbuf_printf(b, t + 1 < BUS_EVENTS ? "  %-26s" : "  %s", cell.p ? cell.p : "");
            sbuf_free(&cell);
        }
        sbuf_printf(b, "\n");
    }
}

void protocol_html(sbuf_t *b, const protocol_t *p)
{
    unsigned reached = protocol_reached(p);
    sbuf_printf(b, "<section class=\"protocol\" id=\"%s\">\n<h2>%s</h2>\n<p>From "
                   "<code>model/protocol/%s.c</code>, as <code>model/coherence.c</code> runs it. "
                   "States reached from I: ",
                p->name, p->title, p->name);
    for (unsigned s = 0; s < COHERENCE_STATES; s++)
        if (reached & (1u << s))
            sbuf_printf(b, "<span class=\"st-%s state\">%s</span> ",
                        coherence_state_name((uint8_t)s), coherence_state_name((uint8_t)s));
    sbuf_printf(b, "</p>\n<h3>Processor side: a local access</h3>\n<table class=\"proc\">\n"
                   "<tr><th>state</th>");
    for (unsigned e = 0; e < PR_EVENTS; e++)
        sbuf_printf(b, "<th>%s</th>", proc_event_name[e]);
    sbuf_printf(b, "</tr>\n");
    for (unsigned s = 0; s < COHERENCE_STATES; s++) {
        if (!(reached & (1u << s)))
            continue;
        const char *name = coherence_state_name((uint8_t)s);
        sbuf_printf(b, "<tr><th class=\"st-%s\">%s</th>", name, name);
        for (unsigned e = 0; e < PR_EVENTS; e++) {
            sbuf_printf(b, "<td>");
            proc_cell(b, coherence_proc(p, (uint8_t)s, (proc_event_t)e), true);
            sbuf_printf(b, "</td>");
        }
        sbuf_printf(b, "</tr>\n");
    }
    sbuf_printf(b, "</table>\n<h3>Snoop side: another cache sees a transaction</h3>\n"
                   "<table class=\"snoop\">\n<tr><th>state</th>");
    for (unsigned t = BUS_NONE + 1; t < BUS_EVENTS; t++)
        sbuf_printf(b, "<th>%s</th>", coherence_bus_name((bus_event_t)t));
    sbuf_printf(b, "</tr>\n");
    for (unsigned s = 0; s < COHERENCE_STATES; s++) {
        if (!(reached & (1u << s)))
            continue;
        const char *name = coherence_state_name((uint8_t)s);
        sbuf_printf(b, "<tr><th class=\"st-%s\">%s</th>", name, name);
        for (unsigned t = BUS_NONE + 1; t < BUS_EVENTS; t++) {
            sbuf_printf(b, "<td>");
            snoop_cell(b, coherence_snoop(p, (uint8_t)s, (bus_event_t)t), true);
            sbuf_printf(b, "</td>");
        }
        sbuf_printf(b, "</tr>\n");
    }
    sbuf_printf(b, "</table>\n</section>\n");
}
