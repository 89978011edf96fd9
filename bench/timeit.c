/* timeit.c: run one command several times and report its wall time and peak memory, for
 * `make bench`.
 *
 *   timeit RUNS COMMAND [ARGS...]
 *
 * Prints one line: `median min max maxrss_kib`, seconds of wall time (fork to exit) per run and
 * the largest peak resident set any run reached (getrusage of the child, in KiB). The command's
 * standard output goes to /dev/null; a run that exits nonzero stops everything (exit 2), since a
 * benchmark of a failing run means nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int runs = argc > 2 ? atoi(argv[1]) : 0;
    if (runs < 1 || runs > 1000) {
        fprintf(stderr, "usage: timeit RUNS COMMAND [ARGS...]\n");
        return 2;
    }
    double *t = calloc((size_t)runs, sizeof *t);
    long maxrss = 0;
    for (int i = 0; t && i < runs; i++) {
        double start = now();
        pid_t pid = fork();
        if (pid < 0) {
            perror("timeit: fork");
            return 2;
        }
        if (pid == 0) {
            int fd = open("/dev/null", O_WRONLY);
            if (fd >= 0)
                dup2(fd, STDOUT_FILENO);
            execvp(argv[2], argv + 2);
            perror(argv[2]);
            _exit(127);
        }
        int status;
        struct rusage ru;
        if (wait4(pid, &status, 0, &ru) < 0) {
            perror("timeit: wait4");
            return 2;
        }
        t[i] = now() - start;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            fprintf(stderr, "timeit: %s failed (status %d)\n", argv[2], status);
            return 2;
        }
        if (ru.ru_maxrss > maxrss)
            maxrss = ru.ru_maxrss;
    }
    if (!t)
        return 2;
    qsort(t, (size_t)runs, sizeof *t, cmp_double);
    double median = runs % 2 ? t[runs / 2] : (t[runs / 2 - 1] + t[runs / 2]) / 2;
    printf("%.4f %.4f %.4f %ld\n", median, t[0], t[runs - 1], maxrss);
    free(t);
    return 0;
}
