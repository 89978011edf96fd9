/* html.h: what every HTML view of cohsim shares: text escaping, the one table of state colours,
 * the page's head and foot, and the protocol tables as HTML (cohsim protocol --html) and text.
 *
 * Invariants: a page needs no network and no other file (its CSS and script are inline); every
 * view colours a coherence state by the same CSS class st-X from html_state_css, so M looks the
 * same in the protocol tables as in a run's step-through.
 */
#ifndef COHSIM_HTML_H
#define COHSIM_HTML_H

#include "model/coherence.h"
#include "sim/seeing.h"

/* text with &, <, > and " escaped (safe inside elements and quoted attributes) */
void html_text(sbuf_t *b, const char *text);
/* text as a JavaScript string literal in double quotes (also safe inside a <script>) */
void html_js_string(sbuf_t *b, const char *text);
/* The CSS rules .st-I ... .st-M, one colour per state (the one colour table). */
void html_state_css(sbuf_t *b);
/* <!DOCTYPE html> up to <body>, with title, the state colours and the extra CSS. */
void html_head(sbuf_t *b, const char *title, const char *css);
void html_foot(sbuf_t *b);

/* The states p reaches from I through its own tables (bit s set for state s), in which its
 * tables are shown; the others' rows are never used. */
unsigned protocol_reached(const protocol_t *p);
/* p's processor-side and snoop-side tables as text, or as an HTML section. */
void protocol_text(sbuf_t *b, const protocol_t *p);
void protocol_html(sbuf_t *b, const protocol_t *p);

#endif
