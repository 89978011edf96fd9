/* progress.h: a one-line progress report on stderr for long trace passes, shown only when stderr
 * is a terminal and the pass has taken more than a second; redrawn at most a few times a second.
 * State lives in the caller's progress_t. */
#ifndef COHSIM_PROGRESS_H
#define COHSIM_PROGRESS_H

#include <stdint.h>

typedef struct progress {
    int tty;
    double start, last;
    int shown;
    const char *what;
} progress_t;

void progress_start(progress_t *p, const char *what);
/* Call every so often (cheap: checks the clock every 65536 records). */
void progress_update(progress_t *p, uint64_t records);
/* Clear the line if one was shown. */
void progress_done(progress_t *p);

#endif
