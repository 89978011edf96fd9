/* cmd_sweep.c: `cohsim sweep`: a parameter sweep's jobs for any runner, run with GNU Parallel or
 * as a Slurm job array, and its results collected into a CSV and an SVG plot.
 *
 * Each job is one self-contained shell command, `test -e RESULT || cohsim run ... --json RESULT`
 * (exec or litmus instead of run when the spec's inputs are programs or litmus files):
 * results are written whole or not at all (temp file and rename), so one that exists is complete
 * and is never computed again, whichever runner, host or array task meets it. The job list is
 * always every point and trace in the spec's order, so GNU Parallel's joblog numbers stay valid
 * between an interrupted run and its resumption.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/outfile.h"
#include "sim/sweep.h"

static const cli_opt_t sweep_opts[] = {
    {"out", 'o', "DIR", "the results' directory: one JSON per point and trace, the jobs, the joblog"},
    {"jobs", 0, CLI_OUTPUT_FILE, "write one shell command per point and trace to FILE, for any runner"},
    {"run", 0, NULL, "run the jobs with GNU Parallel (parallel), skipping finished results"},
    {"procs", 'j', "N", "GNU Parallel's -j: jobs at once per host (default: one per core)"},
    {"sshlogin", 'S', "LOGIN", "GNU Parallel's --sshlogin: a host to run on, : for this one (repeatable)"},
    {"slf", 0, "FILE", "GNU Parallel's --sshloginfile: the hosts, one per line"},
    {"joblog", 0, CLI_OUTPUT_FILE, "GNU Parallel's --joblog (default OUT/joblog)"},
    {"resume-failed", 0, NULL, "GNU Parallel's --resume-failed: rerun failed jobs, skip done ones"},
    {"slurm", 0, "DIR", "write DIR/sweep.sbatch, a Slurm job array over the points"},
    {"per-task", 0, "N", "points per Slurm array task (default 1)"},
    {"collect", 0, NULL, "merge the results (every one must be there) into --csv and --svg"},
    {"csv", 0, CLI_OUTPUT_FILE, "the CSV: a row per point and trace, a column per parameter and statistic"},
    {"svg", 0, CLI_OUTPUT_FILE, "an SVG plot of --y against --x, one line per value of --series"},
    {"x", 0, "PARAM", "the plot's x axis: a parameter (l1d.size)"},
    {"y", 0, "STAT", "the plot's y axis: a CSV statistic column (l1d_miss_rate)"},
    {"series", 0, "PARAM", "one line per value of this parameter, or of trace (program, litmus: "
                           "per input)"},
    {"cohsim", 0, "PATH", "the cohsim the jobs run (default: this program's absolute path)"},
    {0},
};

static const cli_spec_t sweep_spec = {
    "sweep", "SPEC [options]",
    "Sweeps machine parameters over traces, programs or litmus tests. SPEC is an INI file:\n"
    "[sweep] names the base (preset = NAME or config = FILE) and the inputs (paths relative to\n"
    "SPEC): traces = FILE, FILE... for `cohsim run` (optionally format = NAME), programs =\n"
    "PROG.s, ... for `cohsim exec`, or litmus = FILE.litmus, ... for `cohsim litmus`; [params]\n"
    "gives each parameter's values as a list or a range (l1d.size = 8K,32K; l1d.assoc = 1..16\n"
    "*2; l2.latency = 10..20 +5). The points are the cross product, less those a [constraints]\n"
    "line (NAME = l2.size > l1d.size) excludes; each has an id hashed from its values, so\n"
    "renaming or reordering the spec renames no result. Without an action, lists the points.\n"
    "Exit status: 0 done, 1 a job failed or the run was stopped (run it again to continue), 2 a\n"
    "bad spec or option.",
    sweep_opts,
};

typedef struct sweep_args {
    const char *out, *jobs, *procs, *slf, *joblog, *slurm, *csv, *svg, *cohsim;
    const char **sshlogins;
    size_t nsshlogins;
    unsigned long per_task;
    int run, resume_failed, collect;
    sweep_plot_t plot;
} sweep_args_t;

static int sweep_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    sweep_args_t *a = ctx;
    const char *n = opt->name;
    if (strcmp(n, "sshlogin") == 0) {
        const char **grown = realloc(a->sshlogins, (a->nsshlogins + 1) * sizeof *grown);
        if (!grown) {
            cli_error("out of memory");
            return -1;
        }
        a->sshlogins = grown;
        a->sshlogins[a->nsshlogins++] = arg;
        return 0;
    }
    if (strcmp(n, "procs") == 0 || strcmp(n, "per-task") == 0) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(arg, &end, 10);
        /* GNU Parallel's -j also takes 50% and +1: pass those through as they are */
        int ok = strcmp(n, "procs") == 0 ? *arg && strspn(arg, "0123456789%+-") == strlen(arg)
                                         : !errno && *arg && !*end && v > 0 && v <= SWEEP_MAX_POINTS;
        if (!ok) {
            cli_error("sweep: --%s '%s': expected %s", n, arg,
                      strcmp(n, "procs") == 0 ? "a number of jobs (or N%, +N, -N as GNU Parallel "
                                                "takes)"
                                              : "a whole number of points from 1");
            return -1;
        }
        if (strcmp(n, "procs") == 0)
            a->procs = arg;
        else
            a->per_task = v;
        return 0;
    }
    const char **slot = strcmp(n, "out") == 0       ? &a->out
                        : strcmp(n, "jobs") == 0    ? &a->jobs
                        : strcmp(n, "slf") == 0     ? &a->slf
                        : strcmp(n, "joblog") == 0  ? &a->joblog
                        : strcmp(n, "slurm") == 0   ? &a->slurm
                        : strcmp(n, "csv") == 0     ? &a->csv
                        : strcmp(n, "svg") == 0     ? &a->svg
                        : strcmp(n, "x") == 0       ? &a->plot.x
                        : strcmp(n, "y") == 0       ? &a->plot.y
                        : strcmp(n, "series") == 0  ? &a->plot.series
                        : strcmp(n, "cohsim") == 0  ? &a->cohsim
                                                    : NULL;
    if (slot)
        *slot = arg;
    else if (strcmp(n, "run") == 0)
        a->run = 1;
    else if (strcmp(n, "resume-failed") == 0)
        a->resume_failed = 1;
    else if (strcmp(n, "collect") == 0)
        a->collect = 1;
    return 0;
}

/* A word as the shell reads it back: as is when it is plain, else in single quotes. */
static void shell_word(FILE *out, const char *w)
{
    if (*w && strspn(w, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_./=:,+@%^-") ==
                  strlen(w)) {
        fputs(w, out);
        return;
    }
    fputc('\'', out);
    for (; *w; w++)
        if (*w == '\'')
            fputs("'\\''", out);
        else
            fputc(*w, out);
    fputc('\'', out);
}

/* What one input is called, for the counts the messages give. */
static const char *input_noun(const sweep_spec_t *s)
{
    return s->kind == SWEEP_EXEC ? "program" : s->kind == SWEEP_LITMUS ? "litmus file" : "trace";
}

/* The job of point p on trace t: one line, no newline. */
static int write_job(FILE *out, const sweep_spec_t *s, const sweep_args_t *a, size_t p, size_t t)
{
    char *result = sweep_result_path(s, a->out, p, t);
    if (!result)
        return -1;
    fputs("test -e ", out);
    shell_word(out, result);
    fputs(" || ", out);
    shell_word(out, a->cohsim);
    /* exec and litmus print their results whatever --json says: the result file is the output */
    fprintf(out, " %s%s", sweep_kind_command(s->kind), s->kind == SWEEP_RUN ? " -q " : " ");
    fputs(s->preset ? "--preset " : "--config ", out);
    shell_word(out, s->preset ? s->preset : s->config);
    if (s->format) {
        fputs(" --format ", out);
        shell_word(out, s->format);
    }
    for (size_t k = 0; k < s->nparams; k++) {
        const sweep_param_t *q = &s->params[k];
        char set[512];
        snprintf(set, sizeof set, "%s.%s=%s", q->section, q->key,
                 q->values[sweep_value_index(s, p, k)]);
        fputs(" -c ", out);
        shell_word(out, set);
    }
    fputs(" --json ", out);
    shell_word(out, result);
    fputc(' ', out);
    shell_word(out, s->traces[t].path);
    if (s->kind != SWEEP_RUN)
        fputs(" >/dev/null", out);
    free(result);
    return 0;
}

/* Every job, a line each, in t (opened here; t.buf is current). 0 or -1 (printed). */
static int jobs_build(const sweep_spec_t *s, const sweep_args_t *a, outfile_text_t *t)
{
    if (outfile_text_open(t) != 0)
        return -1;
    int rc = 0;
    for (size_t p = 0; p < s->npoints; p++)
        for (size_t tr = 0; tr < s->ntraces; tr++) {
            rc |= write_job(t->f, s, a, p, tr);
            fputc('\n', t->f);
        }
    if (rc != 0 || fflush(t->f) != 0) {
        outfile_text_commit(t, NULL);
        cli_error("out of memory");
        return -1;
    }
    return 0;
}

static int write_jobs(const sweep_spec_t *s, const sweep_args_t *a, const char *path)
{
    outfile_text_t t;
    return jobs_build(s, a, &t) == 0 ? outfile_text_commit(&t, path) : -1;
}

static int write_slurm(const sweep_spec_t *s, const sweep_args_t *a)
{
    if (mkdir(a->slurm, 0777) != 0 && errno != EEXIST) {
        cli_error("%s: cannot create: %s", a->slurm, strerror(errno));
        return -1;
    }
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) {
        cli_error("sweep: cannot tell the current directory: %s", strerror(errno));
        return -1;
    }
    size_t per = a->per_task ? a->per_task : 1, tasks = (s->npoints + per - 1) / per;
    outfile_text_t t;
    if (outfile_text_open(&t) != 0)
        return -1;
    fprintf(t.f, "#!/bin/bash\n"
                 "# A Slurm job array written by `cohsim sweep %s --slurm %s`: %zu point%s of %zu "
                 "%s%s,\n"
                 "# %zu point%s per task. Submit it with `sbatch %s/sweep.sbatch`; the results go "
                 "to %s,\n"
                 "# which every node must see (a shared file system). A result that exists is "
                 "complete and is\n"
                 "# not computed again, so a task can be requeued or the whole array submitted "
                 "again.\n",
            s->path, a->slurm, s->npoints, s->npoints == 1 ? "" : "s", s->ntraces, input_noun(s),
            s->ntraces == 1 ? "" : "s", per, per == 1 ? "" : "s", a->slurm, a->out);
    fputs("#SBATCH --job-name=cohsim-sweep\n", t.f);
    fprintf(t.f, "#SBATCH --array=0-%zu\n", tasks - 1);
    fputs("#SBATCH --ntasks=1\n#SBATCH --chdir=", t.f);
    shell_word(t.f, cwd);
    fputs("\n#SBATCH --output=", t.f);
    fprintf(t.f, "%s/task-%%A_%%a.out\n", a->slurm);
    fputs("set -u\nstatus=0\ncase \"${SLURM_ARRAY_TASK_ID:?run this script with sbatch}\" in\n",
          t.f);
    for (size_t task = 0; task < tasks; task++) {
        fprintf(t.f, "%zu)\n", task);
        for (size_t p = task * per; p < s->npoints && p < (task + 1) * per; p++)
            for (size_t tr = 0; tr < s->ntraces; tr++) {
                fputs("    ", t.f);
                write_job(t.f, s, a, p, tr);
                fputs(" || status=1\n", t.f);
            }
        fputs("    ;;\n", t.f);
    }
    fputs("*)\n    echo \"cohsim sweep: this array has no task $SLURM_ARRAY_TASK_ID\" >&2\n"
          "    exit 2\n    ;;\nesac\nexit $status\n",
          t.f);
    size_t n = strlen(a->slurm) + 16;
    char *path = malloc(n);
    if (!path) {
        outfile_text_commit(&t, NULL);
        cli_error("out of memory");
        return -1;
    }
    snprintf(path, n, "%s/sweep.sbatch", a->slurm);
    int rc = outfile_text_commit(&t, path);
    if (rc == 0)
        printf("sweep: %s: %zu array task%s over %zu point%s\n", path, tasks,
               tasks == 1 ? "" : "s", s->npoints, s->npoints == 1 ? "" : "s");
    free(path);
    return rc;
}

/* How many results are complete; an incomplete one (not written by run: it writes whole) is
 * removed so that its job computes it again. -1 when out of memory. */
static long results_done(const sweep_spec_t *s, const char *out, int remove_incomplete)
{
    long done = 0;
    for (size_t p = 0; p < s->npoints; p++)
        for (size_t t = 0; t < s->ntraces; t++) {
            char *path = sweep_result_path(s, out, p, t);
            if (!path)
                return -1;
            if (sweep_result_complete(s, path))
                done++;
            else if (remove_incomplete && access(path, F_OK) == 0) {
                printf("sweep: %s is incomplete: removed, to be run again\n", path);
                remove(path);
            }
            free(path);
        }
    return done;
}

/* The file's bytes equal data[0..len) (a missing file does not). */
static int file_equals(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    int same = 1;
    size_t at = 0, n;
    char buf[8192];
    while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
        same = at + n <= len && memcmp(buf, data + at, n) == 0;
        at += n;
    }
    fclose(f);
    return same && at == len;
}

static int run_parallel(const sweep_spec_t *s, const sweep_args_t *a)
{
    size_t n = strlen(a->out) + 16;
    char *jobs = malloc(n), *joblog = malloc(n);
    if (!jobs || !joblog) {
        free(jobs), free(joblog);
        cli_error("out of memory");
        return EXIT_USAGE;
    }
    snprintf(jobs, n, "%s/jobs.txt", a->out);
    snprintf(joblog, n, "%s/joblog", a->out);
    int status = EXIT_USAGE;
    outfile_text_t t;
    if (jobs_build(s, a, &t) != 0)
        goto out;
    /* --resume-failed goes by the joblog's job numbers: they must name the same jobs */
    if (a->resume_failed && access(jobs, F_OK) == 0 &&
        !file_equals(jobs, t.buf, t.len)) {
        outfile_text_commit(&t, NULL);
        cli_error("sweep: --resume-failed: %s lists other jobs than this spec makes (the spec "
                  "changed), so %s's job numbers would name the wrong jobs: run without "
                  "--resume-failed (finished results are still not run again)",
                  jobs, joblog);
        goto out;
    }
    if (outfile_text_commit(&t, jobs) != 0)
        goto out;
    long done = results_done(s, a->out, 1), total = (long)(s->npoints * s->ntraces);
    printf("sweep: %ld run%s (%zu point%s x %zu %s%s), %ld done, %ld to run with GNU "
           "Parallel\n",
           total, total == 1 ? "" : "s", s->npoints, s->npoints == 1 ? "" : "s", s->ntraces,
           input_noun(s), s->ntraces == 1 ? "" : "s", done, total - done);
    fflush(stdout);
    const char *argv[32 + 2 * 64];
    size_t k = 0;
    argv[k++] = "parallel";
    argv[k++] = "--will-cite";
    argv[k++] = "--joblog";
    argv[k++] = a->joblog ? a->joblog : joblog;
    if (a->procs) {
        argv[k++] = "-j";
        argv[k++] = a->procs;
    }
    if (a->resume_failed)
        argv[k++] = "--resume-failed";
    for (size_t i = 0; i < a->nsshlogins && k < 32 + 2 * 60; i++) {
        argv[k++] = "--sshlogin";
        argv[k++] = a->sshlogins[i];
    }
    if (a->slf) {
        argv[k++] = "--sshloginfile";
        argv[k++] = a->slf;
    }
    if (a->nsshlogins || a->slf) {
        /* the remote shells start in the same directory (a shared file system) */
        argv[k++] = "--workdir";
        argv[k++] = ".";
    }
    argv[k++] = "::::";
    argv[k++] = jobs;
    argv[k] = NULL;
    pid_t pid = fork();
    if (pid < 0) {
        cli_error("sweep: cannot start parallel: %s", strerror(errno));
        goto out;
    }
    if (pid == 0) {
        execvp(argv[0], (char *const *)argv);
        cli_error("sweep: cannot run GNU Parallel (parallel): %s (Debian: apt-get install "
                  "parallel; or run %s with any runner)",
                  strerror(errno), jobs);
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 127) {
        status = EXIT_USAGE;
        goto out;
    }
    done = results_done(s, a->out, 0);
    if (WIFEXITED(ws) && WEXITSTATUS(ws) == 0 && done == total) {
        printf("sweep: %ld of %ld results complete in %s\n", done, total, a->out);
        status = EXIT_DONE;
    } else {
        char how[64];
        if (WIFSIGNALED(ws))
            snprintf(how, sizeof how, "was killed by signal %d", WTERMSIG(ws));
        else
            snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(ws));
        cli_error("sweep: parallel %s: %ld of %ld results complete; the joblog is %s; the same "
                  "command again runs the rest (finished results are not run again)",
                  how, done, total, a->joblog ? a->joblog : joblog);
        status = EXIT_CHECK;
    }
out:
    free(jobs);
    free(joblog);
    return status;
}

static int collect(const sweep_spec_t *s, const sweep_args_t *a)
{
    outfile_text_t csv, svg;
    if (outfile_text_open(&csv) != 0)
        return EXIT_USAGE;
    if (outfile_text_open(&svg) != 0) {
        outfile_text_commit(&csv, NULL);
        return EXIT_USAGE;
    }
    char err[2048];
    int rc = sweep_collect(s, a->out, csv.f, a->svg ? svg.f : NULL, &a->plot, err, sizeof err);
    if (rc != 0)
        cli_error("sweep: %s", err);
    /* both files or neither */
    if (rc == 0 && (fflush(csv.f) != 0 || fflush(svg.f) != 0)) {
        cli_error("out of memory");
        rc = -1;
    }
    if (rc == 0 && a->csv)
        rc = outfile_write(a->csv, csv.buf, csv.len);
    if (rc == 0 && a->svg)
        rc = outfile_write(a->svg, svg.buf, svg.len);
    outfile_text_commit(&csv, NULL);
    outfile_text_commit(&svg, NULL);
    if (rc == 0)
        printf("sweep: %zu row%s collected%s%s%s%s\n", s->npoints * s->ntraces,
               s->npoints * s->ntraces == 1 ? "" : "s", a->csv ? " into " : "",
               a->csv ? a->csv : "", a->svg ? ", plot " : "", a->svg ? a->svg : "");
    return rc == 0 ? EXIT_DONE : EXIT_USAGE;
}

static void list_points(const sweep_spec_t *s, const char *out)
{
    printf("sweep %s: %zu point%s x %zu %s%s, base %s %s", s->path, s->npoints,
           s->npoints == 1 ? "" : "s", s->ntraces, input_noun(s), s->ntraces == 1 ? "" : "s",
           s->preset ? "preset" : "config", s->preset ? s->preset : s->config);
    if (s->ncross > s->npoints)
        printf(" (the constraints exclude %zu of %zu)", s->ncross - s->npoints, s->ncross);
    putchar('\n');
    for (size_t p = 0; p < s->npoints; p++) {
        char id[17];
        sweep_point_id(s, p, id);
        printf("  %s", id);
        for (size_t k = 0; k < s->nparams; k++)
            printf(" %s.%s=%s", s->params[k].section, s->params[k].key,
                   s->params[k].values[sweep_value_index(s, p, k)]);
        if (out) {
            size_t done = 0;
            for (size_t t = 0; t < s->ntraces; t++) {
                char *path = sweep_result_path(s, out, p, t);
                done += path && sweep_result_complete(s, path);
                free(path);
            }
            printf("  (%zu/%zu done)", done, s->ntraces);
        }
        putchar('\n');
    }
}

/* Options that only make sense with others: said before anything starts. */
static int check_args(const sweep_args_t *a)
{
    const char *need_out = a->run ? "--run" : a->jobs ? "--jobs" : a->slurm ? "--slurm"
                           : a->collect ? "--collect" : NULL;
    if (need_out && !a->out) {
        cli_error("sweep: %s needs --out DIR, the results' directory", need_out);
        return -1;
    }
    if (!a->run && (a->procs || a->nsshlogins || a->slf || a->joblog || a->resume_failed)) {
        cli_error("sweep: -j, --sshlogin, --slf, --joblog and --resume-failed go with --run");
        return -1;
    }
    if (a->per_task && !a->slurm) {
        cli_error("sweep: --per-task goes with --slurm");
        return -1;
    }
    if ((a->csv || a->svg) && !a->collect) {
        cli_error("sweep: --csv and --svg go with --collect");
        return -1;
    }
    if (a->collect && !a->csv && !a->svg) {
        cli_error("sweep: --collect needs --csv FILE or --svg FILE");
        return -1;
    }
    if (!a->svg && (a->plot.x || a->plot.y || a->plot.series)) {
        cli_error("sweep: --x, --y and --series go with --svg");
        return -1;
    }
    if (a->svg && (!a->plot.x || !a->plot.y)) {
        cli_error("sweep: --svg needs --x PARAM and --y STAT");
        return -1;
    }
    return 0;
}

int cmd_sweep(int argc, char **argv)
{
    sweep_args_t a = {.per_task = 0};
    int first;
    int rc = cli_parse(&sweep_spec, argc, argv, sweep_option, &a, &first);
    char self[4096];
    if (rc == 0 && first != argc - 1) {
        cli_error("sweep: expected one SPEC file (see cohsim sweep --help)");
        rc = -1;
    }
    if (rc == 0)
        rc = check_args(&a);
    if (rc == 0 && !a.cohsim) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = '\0';
        a.cohsim = n > 0 ? self : "cohsim";
    }
    sweep_spec_t s;
    char err[2048];
    if (rc == 0 && sweep_spec_load(&s, argv[first], err, sizeof err) != 0) {
        cli_error("%s", err);
        rc = -1;
    }
    if (rc != 0) {
        free(a.sshlogins);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    int status = EXIT_DONE;
    if ((a.run || a.jobs || a.slurm) && mkdir(a.out, 0777) != 0 && errno != EEXIST) {
        cli_error("%s: cannot create: %s", a.out, strerror(errno));
        status = EXIT_USAGE;
    }
    if (status == EXIT_DONE && a.jobs && write_jobs(&s, &a, a.jobs) != 0)
        status = EXIT_USAGE;
    if (status == EXIT_DONE && a.slurm && write_slurm(&s, &a) != 0)
        status = EXIT_USAGE;
    if (status == EXIT_DONE && a.run)
        status = run_parallel(&s, &a);
    if (status == EXIT_DONE && a.collect)
        status = collect(&s, &a);
    if (!a.jobs && !a.slurm && !a.run && !a.collect)
        list_points(&s, a.out);
    sweep_spec_free(&s);
    free(a.sshlogins);
    return status;
}
