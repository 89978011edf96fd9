/* fuzz_sweep.c: a sweep spec on any bytes: loaded (every key, list, range, constraint, input and
 * point's machine checked) or refused with a message that names the spec. Its inputs (traces,
 * programs =, litmus =) must exist to be accepted: the seeds name /dev/null. */
#include <stdlib.h>
#include <string.h>

#include "sim/sweep.h"
#include "tests/fuzz/fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_input_file(data, size);
    if (!path)
        return 0;
    sweep_spec_t s;
    char err[1024];
    if (sweep_spec_load(&s, path, err, sizeof err) != 0) {
        if (strncmp(err, path, strlen(path)) != 0)
            abort(); /* every message names the spec */
        return 0;
    }
    for (size_t p = 0; p < s.npoints; p++) {
        char id[17];
        sweep_point_id(&s, p, id);
        for (size_t t = 0; t < s.ntraces; t++)
            free(sweep_result_path(&s, "out", p, t));
    }
    sweep_spec_free(&s);
    return 0;
}
