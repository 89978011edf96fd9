/* fuzz_asm.c: the assembler on any bytes: a program is assembled or refused with a message that
 * names the file. */
#include <stdlib.h>
#include <string.h>

#include "isa/asm.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    asm_program_t p;
    char err[1024];
    char *text = fuzz_input_text(data, size);
    if (!text)
        return 0;
    if (asm_assemble("fuzz.s", text, size, 0x1000, 0, &p, err, sizeof err) == 0)
        asm_free(&p);
    else if (strncmp(err, "fuzz.s:", 7) != 0)
        abort();
    free(text);
    return 0;
}
