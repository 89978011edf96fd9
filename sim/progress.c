/* progress.c: the progress line of long trace passes (see progress.h). */
#include "sim/progress.h"

#include <stdio.h>
#include <time.h>
#include <unistd.h>

static double progress_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void progress_start(progress_t *p, const char *what)
{
    p->tty = isatty(STDERR_FILENO);
    p->start = p->last = progress_now();
    p->shown = 0;
    p->what = what;
}

void progress_update(progress_t *p, uint64_t records)
{
    if (!p->tty || (records & 0xffff) != 0)
        return;
    double t = progress_now();
    if (t - p->start < 1.0 || t - p->last < 0.25)
        return;
    p->last = t;
    p->shown = 1;
    fprintf(stderr, "\r%s: %llu records, %.1f s", p->what, (unsigned long long)records,
            t - p->start);
    fflush(stderr);
}

void progress_done(progress_t *p)
{
    if (p->shown)
        fprintf(stderr, "\r\033[K");
    p->shown = 0;
}
