/* fuzz_host_results.c: a host results file (`cohsim host --json`, read by `calibrate
 * --host-results` and `compare --host-results`) on any bytes: loaded, or refused with a message
 * that names the file. */
#include <stdlib.h>
#include <string.h>

#include "sim/host.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    if (!path)
        return 0;
    host_results_t *r = malloc(sizeof *r);
    if (!r)
        return 0;
    char err[1024];
    if (host_results_load(path, r, err, sizeof err) != 0 &&
        strncmp(err, path, strlen(path)) != 0)
        abort(); /* every message names the file */
    free(r);
    return 0;
}
