/* text_os.c: text-trace syntax for the primitives and for directives (lines without a CPU).
 * No directive is defined yet; primitives take no arguments until the OS layer defines them. */
#include <string.h>

#include "traces/text_syntax.h"

int text_parse_primitive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    (void)tok, (void)ntok;
    return trace_fail(t, line, "%s is not supported by this build's text reader", op_name(r->op));
}

int text_parse_directive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r)
{
    (void)ntok, (void)r;
    return trace_fail(t, line, "bad line starting '%s': expected 'CPU OP ARGS'", tok[0]);
}

int text_directive_known(const char *word, unsigned len)
{
    (void)word, (void)len;
    return 0;
}
