/* interrupt.h: SIGINT and SIGTERM as a request to stop at the next record boundary.
 *
 * A command that runs for long calls interrupt_catch() once, polls interrupt_signal() where it
 * can stop cleanly (between records), and leaves with interrupt_exit_status(). Commands that do
 * not catch keep the default disposition: the signal ends them at once (their output files are
 * written with signals held, sim/outfile.h, so none is left half made).
 */
#ifndef COHSIM_INTERRUPT_H
#define COHSIM_INTERRUPT_H

/* Install the handler for SIGINT and SIGTERM. 0, or -1 (printed). */
int interrupt_catch(void);
/* The signal caught so far (SIGINT, SIGTERM), or 0. */
int interrupt_signal(void);
/* The exit status for a run stopped by sig: 128 + sig (130 for SIGINT, 143 for SIGTERM). */
int interrupt_exit_status(int sig);
/* "SIGINT", "SIGTERM". */
const char *interrupt_name(int sig);

#endif
