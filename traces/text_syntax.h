/* text_syntax.h: pieces of the text format shared by its reader (text.c) and the parsers of
 * primitive arguments and directives (text_os.c). */
#ifndef COHSIM_TEXT_SYNTAX_H
#define COHSIM_TEXT_SYNTAX_H

#include <stdint.h>

#include "traces/trace.h"

/* The longest file name a line may give (primitives' and directives' alike): the writer writes
 * back every name the reader takes, so both hold to it. */
#define TEXT_NAME_MAX 127

int text_parse_u64(const char *s, uint64_t *out);
int text_parse_value(const char *s, uint64_t *out);
int text_valid_size(op_t op, uint64_t size);

/* Arguments of a primitive (tok are the fields after its name); 1 parsed, -1 error. */
int text_parse_primitive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r);
/* A primitive's arguments as the text format writes them, by its PRIM row in ops.def (what
 * text_parse_primitive reads back to the same request): 0 with the text in buf (empty for none,
 * else starting with a space), or -1 with why in err (a file name that is not one word, flags
 * the text format has no spelling for, a buffer too small). */
int text_format_primitive(const mem_req_t *r, char *buf, size_t len, char *err, size_t errlen);
/* A directive's arguments (OS set-up or check) as the text format writes them, by its DIRECTIVE
 * row in ops.def (what text_parse_directive reads back to the same request; an optional argument
 * at its default is left out): as text_format_primitive. */
int text_format_directive(const mem_req_t *r, char *buf, size_t len, char *err, size_t errlen);
/* A line that starts with a word, not a CPU number (process, file, map, expect, ...). */
int text_parse_directive(trace_t *t, uint64_t line, char **tok, int ntok, mem_req_t *r);
/* Whether word (len bytes) starts a directive line. */
int text_directive_known(const char *word, unsigned len);

#endif
