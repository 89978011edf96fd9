/* cli.h: one option table per subcommand drives argument parsing and its --help text.
 *
 * Exit statuses of the program: 0 done, 1 a check failed, 2 bad usage or input.
 */
#ifndef COHSIM_CLI_H
#define COHSIM_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/config.h"

enum { EXIT_DONE = 0, EXIT_CHECK = 1, EXIT_USAGE = 2 };

typedef struct cli_opt {
    const char *name;  /* long name, without dashes */
    char short_name;   /* 0: none */
    const char *arg;   /* argument placeholder, NULL for a flag */
    const char *help;
} cli_opt_t;

/* The argument placeholder ("FILE") of an option that writes a file, told apart by its address:
 * cli_parse refuses such a file when it is also an input (an argument or another option's file)
 * or another output, since writing it would replace what the command reads or writes. */
extern const char cli_output_file[];
#define CLI_OUTPUT_FILE cli_output_file

typedef struct cli_spec {
    const char *command;  /* "run" */
    const char *usage;    /* "[options] TRACE..." */
    const char *summary;  /* one paragraph */
    const cli_opt_t *opts; /* terminated by a zeroed row */
} cli_spec_t;

/* Called for each option given: opt is the table row, arg its argument or NULL. 0 or -1 (the
 * handler has printed the message). */
typedef int (*cli_option_fn)(void *ctx, const cli_opt_t *opt, const char *arg);

/* Parse argv (argv[0] is the subcommand). Positional arguments are left in argv[*first..argc).
 * Returns 0, 1 when --help was printed (exit 0), or -1 after printing a usage error (exit 2). */
int cli_parse(const cli_spec_t *spec, int argc, char **argv, cli_option_fn fn, void *ctx,
              int *first);
void cli_help(const cli_spec_t *spec);

/* Print "cohsim: " + message to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The options every subcommand that builds a machine shares: --preset, --config, -c, --seed. */
#define CLI_MACHINE_OPTS                                                                     \
    {"preset", 'p', "NAME", "machine preset (cohsim presets lists them)"},                   \
    {"config", 0, "FILE", "machine configuration INI (read after the preset)"},              \
    {"set", 'c', "SECTION.KEY=VALUE", "override one configuration key (repeatable)"},        \
    {"seed", 0, "N", "seed of the random generator (sim.seed)"},                            \
    {"max-memory", 0, "SIZE", "refuse a machine (caches and simulated memory) larger than SIZE "   \
                              "(K/M/G; default: this host's memory)"}

/* --inject, for the commands that show a run (run, exec, litmus); machine_opts_handle takes it. */
#define CLI_INJECT_OPT                                                                       \
    {"inject", 0, "BUG[,BUG...]", "switch on deliberate protocol bugs, for teaching (model/"   \
                                  "faults.def; an unknown name lists them)"}

typedef struct machine_opts {
    uint32_t faults; /* --inject: FAULT_BIT()s */
    config_t *config;
    const char *preset;
    int have_base; /* a preset or --config was given */
    uint64_t max_memory; /* --max-memory, bytes; 0: the host's physical memory */
} machine_opts_t;

/* "" without faults, else "; injected bugs: NAME, NAME" (for titles and headers). */
void cli_faults_text(uint32_t faults, char *buf, size_t len);
/* Handle one of CLI_MACHINE_OPTS: 1 handled, 0 not one of them, -1 error (printed). */
int machine_opts_handle(machine_opts_t *mo, const cli_opt_t *opt, const char *arg,
                        const char *default_preset);
/* Load the default preset when none was given, without validating (mo->config is then the
 * whole configuration). 0 or -1 (printed). */
int machine_opts_config(machine_opts_t *mo, const char *default_preset);
/* Finish: machine_opts_config, then validate and build. The machine's estimated memory must fit
 * --max-memory (or the host's memory), and simulated memory gets what remains. 0 or -1 (printed). */
int machine_opts_build(machine_opts_t *mo, const char *default_preset, machine_config_t *out);
void machine_opts_free(machine_opts_t *mo);

/* Write s as XML or HTML text: &, < and > escaped. */
void cli_xml_text(FILE *out, const char *s);
/* Write s as one CSV field (RFC 4180): quoted, with its quotes doubled, when it holds a comma, a
 * quote or a line break. */
void cli_csv_field(FILE *out, const char *s);

#endif
