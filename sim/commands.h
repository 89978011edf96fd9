/* commands.h: the entry point of each subcommand (rows of commands.def); each returns the exit
 * status. argv[0] is the subcommand's name. */
#ifndef COHSIM_COMMANDS_H
#define COHSIM_COMMANDS_H

#define CMD(name, fn, summary) int fn(int argc, char **argv);
#include "sim/commands.def"
#undef CMD

#endif
