/* fuzz.h: what every fuzz target shares: libFuzzer's entry point, and the input as a file.
 *
 * A target defines LLVMFuzzerTestOneInput. Built with clang -fsanitize=fuzzer it is a libFuzzer
 * binary (make fuzz); built with replay.c's main under any compiler it runs the given files and
 * directories once each (make test replays the corpora and saved inputs that way).
 */
#ifndef COHSIM_FUZZ_H
#define COHSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input written to a temporary file of this process (the readers under test take paths):
 * its path, valid until the next call; NULL when it cannot be written. */
const char *fuzz_input_file(const uint8_t *data, size_t size);

/* The input as a NUL-terminated copy (free it); NULL when out of memory. */
char *fuzz_input_text(const uint8_t *data, size_t size);

#endif
