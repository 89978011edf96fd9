/* fuzz_litmus.c: the litmus reader on any bytes; a parsed test's condition is also evaluated
 * and formatted, as the litmus command does. */
#include <stdlib.h>
#include <string.h>

#include "isa/litmus.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    litmus_test_t *t = malloc(sizeof *t);
    char *text = fuzz_input_text(data, size);
    char err[1024], buf[4096];
    if (t && text) {
        if (litmus_parse("fuzz.litmus", text, size, t, err, sizeof err) == 0) {
            litmus_state_t s;
            litmus_initial_state(t, &s);
            (void)litmus_prop_holds(t, &s);
            litmus_condition_format(t, buf, sizeof buf);
        } else if (strncmp(err, "fuzz.litmus:", 12) != 0) {
            abort();
        }
    }
    free(t);
    free(text);
    return 0;
}
