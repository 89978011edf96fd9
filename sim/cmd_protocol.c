/* cmd_protocol.c: `cohsim protocol`: print the coherence protocols' tables as the model runs
 * them, generated from model/protocol/'s structs (never typed again), as text or as a page. */
#include <stdio.h>
#include <string.h>

#include "sim/commands.h"
#include "sim/html.h"
#include "sim/outfile.h"

static const cli_opt_t protocol_opts[] = {
    {"protocol", 0, PROTOCOL_NAMES_JOINED("|"), "print this protocol only (default: every one)"},
    {"html", 0, CLI_OUTPUT_FILE, "write the tables as an HTML page to FILE (the states in the colours of "
                        "every cohsim page)"},
    {0},
};

static const cli_spec_t protocol_spec = {
    "protocol", "[--protocol NAME] [--html FILE]",
    "Prints the processor-side and snoop-side tables of the coherence protocols exactly as the "
    "model runs them (model/protocol/), in the states each protocol reaches from I.",
    protocol_opts,
};

typedef struct protocol_args {
    const char *name, *html;
} protocol_args_t;

static int protocol_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    protocol_args_t *a = ctx;
    if (strcmp(opt->name, "protocol") == 0)
        a->name = arg;
    else
        a->html = arg;
    return 0;
}

int cmd_protocol(int argc, char **argv)
{
    protocol_args_t a = {0};
    int first;
    int rc = cli_parse(&protocol_spec, argc, argv, protocol_option, &a, &first);
    if (rc != 0)
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    if (first < argc) {
        cli_error("protocol: unexpected argument '%s'", argv[first]);
        return EXIT_USAGE;
    }
    const protocol_t *only = NULL;
    if (a.name && !(only = protocol_lookup(a.name))) {
        cli_error("protocol: --protocol %s: expected one of %s", a.name,
                  PROTOCOL_NAMES_JOINED(", "));
        return EXIT_USAGE;
    }
    sbuf_t out = {0};
    if (a.html)
        html_head(&out, "cohsim protocol tables", "h2{margin-top:1.5em}\n.state{padding:0 4px}\n");
    if (a.html)
        sbuf_printf(&out, "<h1>Coherence protocols as cohsim runs them</h1>\n");
    for (unsigned i = 0; protocol_at(i); i++) {
        const protocol_t *p = protocol_at(i);
        if (only && p != only)
            continue;
        if (a.html) {
            protocol_html(&out, p);
        } else {
            if (out.n)
                sbuf_printf(&out, "\n");
            protocol_text(&out, p);
        }
    }
    if (a.html)
        html_foot(&out);
    if (out.oom) {
        cli_error("protocol: out of memory");
        rc = -1;
    } else if (a.html) {
        rc = outfile_write(a.html, out.p, out.n);
    } else {
        fwrite(out.p, 1, out.n, stdout);
    }
    sbuf_free(&out);
    return rc == 0 ? EXIT_DONE : EXIT_USAGE;
}
