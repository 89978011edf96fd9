/* cli.c: option-table parsing with getopt_long, --help from the same table, shared machine
 * options, and whole-or-nothing output files. */
#include "sim/cli.h"

#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "model/memory.h"

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("cohsim: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

void cli_help(const cli_spec_t *spec)
{
    printf("usage: cohsim %s %s\n\n%s\n\noptions:\n", spec->command, spec->usage, spec->summary);
    for (const cli_opt_t *o = spec->opts; o->name; o++) {
        char left[96];
        int n = 0;
        if (o->short_name)
            n = snprintf(left, sizeof left, "-%c, ", o->short_name);
        snprintf(left + n, sizeof left - (size_t)n, "--%s%s%s", o->name, o->arg ? " " : "",
                 o->arg ? o->arg : "");
        printf("  %-32s %s\n", left, o->help);
    }
    printf("  %-32s %s\n", "-h, --help", "show this help");
}

const char cli_output_file[] = "FILE";

/* Whether a and b name one regular file: the same inode when both exist. A device or FIFO is
 * written in place, never replaced, so two names of /dev/null do not clash. */
static bool same_regular_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && S_ISREG(sa.st_mode) && S_ISREG(sb.st_mode) &&
           sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Whether a and b, neither of which exists yet, name one place: the same file name in the same
 * directory (so "a.json" and "./a.json" are one output). */
static bool same_unborn_file(const char *a, const char *b)
{
    char *da = strdup(a), *db = strdup(b), *ba = strdup(a), *bb = strdup(b);
    bool same = false;
    if (da && db && ba && bb && strcmp(basename(ba), basename(bb)) == 0) {
        struct stat sa, sb;
        same = stat(dirname(da), &sa) == 0 && stat(dirname(db), &sb) == 0 &&
               sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    }
    free(da);
    free(db);
    free(ba);
    free(bb);
    return same;
}

/* Refuse a command line whose output file is one of its inputs (the output's rename would
 * replace the input, and what it held is lost) or another output (one would replace the other).
 * args[i] is the argument of option opts[i] (NULL for a flag); positionals are argv's rest. Two
 * outputs that do not exist yet are compared by directory and name. 0, or -1 (printed). */
static int outputs_name_no_input(const cli_spec_t *spec, const cli_opt_t **opts, char **args,
                                 int nargs, char **pos, int npos)
{
    for (int i = 0; i < nargs; i++) {
        if (opts[i]->arg != cli_output_file || strcmp(args[i], "-") == 0)
            continue;
        for (int j = 0; j < nargs + npos; j++) {
            const char *other = j < nargs ? args[j] : pos[j - nargs];
            const cli_opt_t *by = j < nargs ? opts[j] : NULL;
            if (j == i || !other || strcmp(other, "-") == 0)
                continue;
            bool output = by && by->arg == cli_output_file;
            if (output && j < i)
                continue; /* the pair was seen from the other side */
            struct stat st;
            bool unborn = stat(args[i], &st) != 0 && stat(other, &st) != 0;
            if (!same_regular_file(args[i], other) &&
                !(output && unborn && same_unborn_file(args[i], other)))
                continue;
            if (output)
                cli_error("%s: --%s %s and --%s %s name the same file: each output needs its own",
                          spec->command, opts[i]->name, args[i], by->name, other);
            else if (by)
                cli_error("%s: --%s %s is the input of --%s (%s): writing it would replace the "
                          "input; name another file",
                          spec->command, opts[i]->name, args[i], by->name, other);
            else
                cli_error("%s: --%s %s is the input %s: writing it would replace the input; name "
                          "another file",
                          spec->command, opts[i]->name, args[i], other);
            return -1;
        }
    }
    return 0;
}

int cli_parse(const cli_spec_t *spec, int argc, char **argv, cli_option_fn fn, void *ctx,
              int *first)
{
    size_t nopts = 0;
    while (spec->opts[nopts].name)
        nopts++;
    struct option *longs = calloc(nopts + 2, sizeof *longs);
    char shorts[128] = "h";
    size_t sl = 1;
    if (!longs) {
        cli_error("out of memory");
        return -1;
    }
    for (size_t i = 0; i < nopts; i++) {
        longs[i].name = spec->opts[i].name;
        longs[i].has_arg = spec->opts[i].arg ? required_argument : no_argument;
        longs[i].val = 256 + (int)i;
        if (spec->opts[i].short_name && sl + 3 < sizeof shorts) {
            shorts[sl++] = spec->opts[i].short_name;
            if (spec->opts[i].arg)
                shorts[sl++] = ':';
        }
    }
    longs[nopts] = (struct option){"help", no_argument, NULL, 'h'};
    shorts[sl] = '\0';
    /* The options given, with their arguments, for the output check at the end. */
    const cli_opt_t **given = calloc((size_t)argc + 1, sizeof *given);
    char **given_args = calloc((size_t)argc + 1, sizeof *given_args);
    int ngiven = 0;
    if (!given || !given_args) {
        free(longs);
        free(given);
        free(given_args);
        cli_error("out of memory");
        return -1;
    }
    optind = 1;
    opterr = 0;
    int rc = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shorts, longs, NULL);
        if (c == -1)
            break;
        if (c == 'h') {
            cli_help(spec);
            rc = 1;
            break;
        }
        const cli_opt_t *o = NULL;
        if (c >= 256)
            o = &spec->opts[c - 256];
        else
            for (size_t i = 0; i < nopts; i++)
                if (spec->opts[i].short_name == c)
                    o = &spec->opts[i];
        if (!o) {
            const char *bad = argv[optind - 1];
            if (optopt && optopt < 256)
                cli_error("%s: option -%c %s (see cohsim %s --help)", spec->command, optopt,
                          strchr(shorts, optopt) ? "needs an argument" : "is unknown",
                          spec->command);
            else
                cli_error("%s: option '%s' is unknown or needs an argument (see cohsim %s --help)",
                          spec->command, bad, spec->command);
            rc = -1;
            break;
        }
        if (fn(ctx, o, optarg) != 0) {
            rc = -1;
            break;
        }
        given[ngiven] = o;
        given_args[ngiven++] = optarg;
    }
    if (rc == 0)
        rc = outputs_name_no_input(spec, given, given_args, ngiven, argv + optind, argc - optind);
    free(longs);
    free(given);
    free(given_args);
    *first = optind;
    return rc;
}

void cli_faults_text(uint32_t faults, char *buf, size_t len)
{
    size_t n = 0;
    if (len)
        buf[0] = '\0';
    for (unsigned f = 0; f < FAULT_COUNT && n < len; f++) {
        if (!(faults >> f & 1))
            continue;
        int k = snprintf(buf + n, len - n, "%s%s", n ? ", " : "; injected bugs: ",
                         fault_name((fault_id_t)f));
        if (k < 0)
            return;
        n += (size_t)k;
    }
}

/* --inject NAME[,NAME...]: each a row of model/faults.def; an unknown one lists them all. */
static int machine_opts_inject(machine_opts_t *mo, const char *arg)
{
    const char *p = arg;
    for (;;) {
        size_t n = strcspn(p, ",");
        char name[64];
        uint32_t bit = 0;
        if (n < sizeof name) {
            memcpy(name, p, n);
            name[n] = '\0';
            bit = fault_lookup(name);
        }
        if (!bit) {
            cli_error("--inject %s: no bug called '%.*s'; the known ones:", arg, (int)n, p);
            for (unsigned f = 0; f < FAULT_COUNT; f++)
                fprintf(stderr, "  %-18s %s\n", fault_name((fault_id_t)f),
                        fault_doc((fault_id_t)f));
            return -1;
        }
        mo->faults |= bit;
        if (!p[n])
            return 1;
        p += n + 1;
    }
}

int machine_opts_handle(machine_opts_t *mo, const cli_opt_t *opt, const char *arg,
                        const char *default_preset)
{
    char err[1024];
    if (!mo->config && !(mo->config = config_new())) {
        cli_error("out of memory");
        return -1;
    }
    if (strcmp(opt->name, "preset") == 0) {
        if (mo->have_base) {
            cli_error("--preset must come first, before --config and -c");
            return -1;
        }
        if (config_load_preset(mo->config, arg, err, sizeof err) != 0) {
            cli_error("%s", err);
            return -1;
        }
        mo->preset = arg;
        mo->have_base = 1;
        return 1;
    }
    if (strcmp(opt->name, "inject") == 0)
        return machine_opts_inject(mo, arg);
    if (strcmp(opt->name, "max-memory") == 0) {
        if (config_parse_size(arg, &mo->max_memory) != 0 || mo->max_memory == 0) {
            cli_error("--max-memory '%s': expected a size in bytes above 0 (K/M/G allowed)", arg);
            return -1;
        }
        return 1;
    }
    if (strcmp(opt->name, "config") == 0 || strcmp(opt->name, "set") == 0 ||
        strcmp(opt->name, "seed") == 0) {
        /* A --config file given first is the whole base; -c and --seed refine a preset. */
        int is_file = strcmp(opt->name, "config") == 0;
        if (!mo->have_base && !is_file) {
            if (config_load_preset(mo->config, default_preset, err, sizeof err) != 0) {
                cli_error("%s", err);
                return -1;
            }
            mo->preset = default_preset;
        }
        mo->have_base = 1;
        int rc;
        if (strcmp(opt->name, "config") == 0)
            rc = config_load_file(mo->config, arg, err, sizeof err);
        else if (strcmp(opt->name, "set") == 0)
            rc = config_set_assignment(mo->config, arg, err, sizeof err);
        else
            rc = config_set(mo->config, "sim", "seed", arg, "--seed", err, sizeof err);
        if (rc != 0) {
            cli_error("%s", err);
            return -1;
        }
        return 1;
    }
    return 0;
}

static int machine_opts_fit(const machine_opts_t *mo, machine_config_t *cfg);

int machine_opts_config(machine_opts_t *mo, const char *default_preset)
{
    char err[1024];
    if (!mo->config && !(mo->config = config_new())) {
        cli_error("out of memory");
        return -1;
    }
    if (!mo->have_base) {
        if (config_load_preset(mo->config, default_preset, err, sizeof err) != 0) {
            cli_error("%s", err);
            return -1;
        }
        mo->preset = default_preset;
        mo->have_base = 1;
    }
    return 0;
}

int machine_opts_build(machine_opts_t *mo, const char *default_preset, machine_config_t *out)
{
    char err[1024];
    if (machine_opts_config(mo, default_preset) != 0)
        return -1;
    if (config_to_machine(mo->config, out, err, sizeof err) != 0) {
        cli_error("configuration: %s", err);
        return -1;
    }
    out->faults = mo->faults;
    return machine_opts_fit(mo, out);
}

/* bytes as "1.5 GiB" */
static const char *human_bytes(uint64_t n, char *buf, size_t len)
{
    static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = (double)n;
    unsigned u = 0;
    while (v >= 1024 && u + 1 < sizeof units / sizeof units[0])
        v /= 1024, u++;
    snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

/* Size the machine before it is built: refuse what cannot fit, and bound simulated memory. */
static int machine_opts_fit(const machine_opts_t *mo, machine_config_t *cfg)
{
    uint64_t limit = mo->max_memory;
    const char *source = "--max-memory";
    if (!limit) {
        long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
        limit = pages > 0 && page > 0 ? (uint64_t)pages * (uint64_t)page : 0;
        source = "this host's memory";
    }
    if (!limit)
        return 0;
    uint64_t need = machine_bytes(cfg);
    char a[32], b[32];
    if (need > limit) {
        cli_error("configuration: the machine needs about %s (%u cores' caches and store buffers, "
                  "the snoop filter when full, and the shared level) but %s is %s: choose smaller "
                  "caches or fewer cores",
                  human_bytes(need, a, sizeof a), cfg->cores, source,
                  human_bytes(limit, b, sizeof b));
        return -1;
    }
    /* Simulated memory may have the rest, a page at a time (at least one page). */
    uint64_t pages = (limit - need) / memory_bytes_for(1);
    cfg->memory_pages_max = pages ? pages : 1;
    return 0;
}

void machine_opts_free(machine_opts_t *mo)
{
    config_free(mo->config);
    mo->config = NULL;
}

void cli_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void cli_xml_text(FILE *out, const char *s)
{
    for (; *s; s++)
        if (*s == '<')
            fputs("&lt;", out);
        else if (*s == '>')
            fputs("&gt;", out);
        else if (*s == '&')
            fputs("&amp;", out);
        else
            fputc(*s, out);
}
