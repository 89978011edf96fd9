/* fuzz_config.c: the INI configuration and -c overrides on any bytes. The input up to a line
 * "--" is the INI file; each line after it is one -c SECTION.KEY=VALUE; then the whole is
 * validated into a machine configuration and sized, as the program does. */
#include <stdlib.h>
#include <string.h>

#include "model/machine.h"
#include "sim/config.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *split = NULL;
    for (size_t i = 0; i + 3 <= size; i++)
        if ((i == 0 || data[i - 1] == '\n') && memcmp(data + i, "--\n", 3) == 0) {
            split = data + i;
            break;
        }
    size_t ini_len = split ? (size_t)(split - data) : size;
    const char *path = fuzz_input_file(data, ini_len);
    config_t *c = config_new();
    if (!path || !c) {
        config_free(c);
        return 0;
    }
    char err[1024];
    config_load_file(c, path, err, sizeof err);
    if (split) {
        char *rest = fuzz_input_text(split + 3, size - ini_len - 3);
        for (char *line = rest, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next)
                *next++ = 0;
            else
                next = line + strlen(line);
            config_set_assignment(c, line, err, sizeof err);
        }
        free(rest);
    }
    machine_config_t m;
    if (config_to_machine(c, &m, err, sizeof err) == 0)
        (void)machine_bytes(&m);
    config_free(c);
    return 0;
}
