/* interrupt.c: the one process-wide mutable state of cohsim: the signal that asked it to stop.
 *
 * A signal handler can only talk to the program through an object with static storage, and the
 * only such object it may write is a volatile sig_atomic_t: so `caught` is the exception to the
 * rule "no mutable globals". It belongs to the program (sim/), is written only by the handler and
 * only read elsewhere; model code never sees it (a command turns it into "the trace ended here"
 * at a record boundary). It lives here rather than in main.c so the unit tests, which link sim/
 * without main, can drive the commands that poll it.
 */
#include "sim/interrupt.h"

#include <signal.h>
#include <string.h>

#include "sim/cli.h"

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
}

int interrupt_catch(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* SA_RESTART: a read interrupted by the signal goes on; the stop comes at the next record. */
    sa.sa_flags = SA_RESTART;
    if (sigaction(SIGINT, &sa, NULL) != 0 || sigaction(SIGTERM, &sa, NULL) != 0) {
        cli_error("cannot catch SIGINT and SIGTERM");
        return -1;
    }
    return 0;
}

int interrupt_signal(void) { return caught; }

int interrupt_exit_status(int sig) { return 128 + sig; }

const char *interrupt_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : "a signal";
}
