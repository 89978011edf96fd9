/* fuzz_util.c: the input as a file or a string, for the fuzz targets (fuzz.h).
 *
 * The file is one per process, made once and rewritten for each input: libFuzzer calls the
 * target with no context to hang it on, so this is the harness's one static (never part of
 * cohsim); it is removed when the process exits.
 */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char input_path[64];

static void remove_input(void)
{
    if (input_path[0])
        unlink(input_path);
}

const char *fuzz_input_file(const uint8_t *data, size_t size)
{
    if (!input_path[0]) {
        const char *dir = getenv("TMPDIR");
        snprintf(input_path, sizeof input_path, "%s/cohsim-fuzz-XXXXXX",
                 dir && strlen(dir) < 32 ? dir : "/tmp");
        int fd = mkstemp(input_path);
        if (fd < 0) {
            input_path[0] = 0;
            return NULL;
        }
        close(fd);
        atexit(remove_input);
    }
    FILE *f = fopen(input_path, "wb");
    if (!f)
        return NULL;
    int ok = fwrite(data, 1, size, f) == size;
    ok &= fclose(f) == 0;
    return ok ? input_path : NULL;
}

char *fuzz_input_text(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = 0;
    }
    return text;
}
