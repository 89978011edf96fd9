/* test_html.c: what the HTML views share (sim/html.c): the protocol tables are the registered
 * structs' (the states each protocol reaches from I, every cell as the struct says), and text
 * put in a page or its script cannot close an element or the script. */
#include <criterion/criterion.h>
#include <string.h>

#include "sim/html.h"

#define BIT(s) (1u << (s))

Test(html, protocols_reach_their_own_states)
{
    cr_assert_eq(protocol_reached(protocol_lookup("mesi")),
                 BIT(LINE_I) | BIT(LINE_S) | BIT(LINE_E) | BIT(LINE_M));
    cr_assert_eq(protocol_reached(protocol_lookup("moesi")),
                 BIT(LINE_I) | BIT(LINE_S) | BIT(LINE_E) | BIT(LINE_O) | BIT(LINE_M));
    cr_assert_eq(protocol_reached(protocol_lookup("msi")), BIT(LINE_I) | BIT(LINE_S) | BIT(LINE_M));
}

/* Every registered protocol's text names, for each state it reaches, the transaction and next
 * state of a write, and the next state after a snooped BusRdX, as its struct holds them. */
Test(html, protocol_text_is_the_structs)
{
    for (unsigned i = 0; protocol_at(i); i++) {
        const protocol_t *p = protocol_at(i);
        sbuf_t b = {0};
        protocol_text(&b, p);
        cr_assert(!b.oom);
        unsigned reached = protocol_reached(p);
        for (unsigned s = 0; s < COHERENCE_STATES; s++) {
            if (!(reached & BIT(s)))
                continue;
            const proc_rule_t *w = coherence_proc(p, (uint8_t)s, PR_WR);
            char cell[64];
            snprintf(cell, sizeof cell, "%s -> %s", w->bus == BUS_NONE ? "no bus" : coherence_bus_name(w->bus),
                     coherence_state_name(w->next));
            cr_assert(strstr(b.p, cell), "%s: no \"%s\"", p->name, cell);
        }
        sbuf_free(&b);
    }
}

Test(html, escaping)
{
    sbuf_t b = {0};
    html_text(&b, "a<b & \"c\">");
    cr_assert_str_eq(b.p, "a&lt;b &amp; &quot;c&quot;&gt;");
    b.n = 0;
    html_js_string(&b, "x</script>\"\\\n");
    cr_assert_str_eq(b.p, "\"x\\u003c/script\\u003e\\\"\\\\\\u000a\"");
    sbuf_free(&b);
}
