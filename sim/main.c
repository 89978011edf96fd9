/* main.c: the cohsim program: picks the subcommand from commands.def and returns its status. */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"

static const struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *summary;
} commands[] = {
#define CMD(name, fn, summary) {name, fn, summary},
#include "sim/commands.def"
#undef CMD
};

static void usage(FILE *out)
{
    fprintf(out, "usage: cohsim SUBCOMMAND [options] [arguments]\n\n"
                 "cohsim: a cycle-approximate multicore cache, store-buffer and flush simulator.\n\n"
                 "subcommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\n`cohsim SUBCOMMAND --help` describes each one.\n"
                 "Exit status: 0 done, 1 a check failed, 2 bad usage or input.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_DONE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    cli_error("unknown subcommand '%s'", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
