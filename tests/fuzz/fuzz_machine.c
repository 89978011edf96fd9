/* fuzz_machine.c: bytes through the whole machine with the invariant checker on. An input that
 * starts with "#asm" is a program for `cohsim exec` (at most 20000 instructions per core);
 * anything else is a trace for `cohsim run --check` (format detected). Both on a tiny machine
 * (two cores, two-set caches) so that evictions and coherence traffic come quickly. The exit
 * status must be one the program documents: 0, 1 or 2. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/commands.h"
#include "tests/fuzz/fuzz.h"

static const char *const tiny[] = {
    "-c", "machine.cores=2", "-c", "l1d.size=256", "-c", "l1d.assoc=2", "-c", "l1i.size=256",
    "-c", "l1i.assoc=2", "-c", "l2.size=512", "-c", "l2.assoc=2", "-c", "llc.size=1K",
    "-c", "llc.assoc=4", "-c", "storebuf.entries=2", "--max-memory", "64M",
};
#define NTINY (sizeof tiny / sizeof tiny[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The commands print their tables: the fuzzer's output is not the place. */
    if (!freopen("/dev/null", "w", stdout))
        return 0;
    const char *path = fuzz_input_file(data, size);
    if (!path)
        return 0;
    bool is_asm = size >= 4 && memcmp(data, "#asm", 4) == 0;
    char *argv[NTINY + 8];
    int argc = 0;
    argv[argc++] = (char *)(is_asm ? "exec" : "run");
    for (size_t i = 0; i < NTINY; i++)
        argv[argc++] = (char *)tiny[i];
    if (is_asm) {
        argv[argc++] = (char *)"--max-insns";
        argv[argc++] = (char *)"20000";
    } else {
        argv[argc++] = (char *)"--check";
        argv[argc++] = (char *)"-q";
    }
    argv[argc++] = (char *)path;
    argv[argc] = NULL;
    int status = is_asm ? cmd_exec(argc, argv) : cmd_run(argc, argv);
    if (status < 0 || status > 2)
        abort();
    return 0;
}
