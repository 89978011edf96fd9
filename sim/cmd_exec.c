/* cmd_exec.c: `cohsim exec`: assemble programs (isa/asm.h) and run them on the simulated machine,
 * one per core, to completion; print each core's registers, the statistics and the asserts.
 *
 * File i is assembled with core i as its default core and origin EXEC_ORIGIN + i * EXEC_STRIDE;
 * its `.cpu N` sections put code on other cores. Every core with code runs from its entry; the
 * images of all files are written into memory first and must not overlap.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/asm.h"
#include "isa/interp.h"
#include "model/primitives.h"
#include "sim/cli.h"
#include "sim/commands.h"
#include "sim/html.h"
#include "sim/os_report.h"
#include "sim/outfile.h"
#include "sim/report.h"
#include "sim/seeing.h"

#define EXEC_ORIGIN 0x10000u
#define EXEC_STRIDE 0x10000u
#define EXEC_MAX_FILES 64
#define EXEC_DEFAULT_MAX_INSNS 10000000ul

static const cli_opt_t exec_opts[] = {
    CLI_MACHINE_OPTS,
    {"json", 0, CLI_OUTPUT_FILE, "also write the results as JSON to FILE"},
    {"csv", 0, CLI_OUTPUT_FILE, "also write the per-cache table as CSV to FILE (as `cohsim run --csv`)"},
    {"max-insns", 0, "N", "stop a core with an error after N instructions (default 10000000)"},
    {"disasm", 0, NULL, "print the assembled code instead of running it"},
    {"check", 0, NULL, "verify the coherence invariants after every transaction"},
    CLI_SEEING_OPTS,
    CLI_INJECT_OPT,
    {0},
};

static const cli_spec_t exec_spec = {
    "exec", "[options] PROG.s...",
    "Assembles each PROG.s (file i runs on core i, or on the cores its .cpu N sections name) and "
    "runs every core to its halt on the simulated machine (default preset x86-4). Prints each "
    "core's registers, the machine's statistics (with the primitives' work and the files' page-"
    "cache state, when the programs use them) and every failed assert. Exit status 1 when an "
    "assert failed, 2 for bad input or a program that faults.",
    exec_opts,
};

typedef struct exec_cli {
    machine_opts_t mo;
    const char *json, *csv;
    unsigned long max_insns;
    bool disasm;
    bool check; /* --check */
    seeing_opts_t see; /* --explain, --vcd and their filters */
} exec_cli_t;

static int exec_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    exec_cli_t *ec = ctx;
    int h = machine_opts_handle(&ec->mo, opt, arg, "x86-4");
    if (h != 0)
        return h > 0 ? 0 : -1;
    if ((h = seeing_option(&ec->see, "exec", opt, arg)) != 0)
        return h > 0 ? 0 : -1;
    if (strcmp(opt->name, "json") == 0) {
        ec->json = arg;
    } else if (strcmp(opt->name, "csv") == 0) {
        ec->csv = arg;
    } else if (strcmp(opt->name, "disasm") == 0) {
        ec->disasm = true;
    } else if (strcmp(opt->name, "check") == 0) {
        ec->check = true;
    } else if (strcmp(opt->name, "max-insns") == 0) {
        char *end;
        ec->max_insns = strtoul(arg, &end, 10);
        if (!*arg || *end || arg[0] == '-' || ec->max_insns == 0) {
            cli_error("exec: --max-insns %s: expected a positive whole number", arg);
            return -1;
        }
    }
    return 0;
}

static void print_disasm(const asm_program_t *p)
{
    for (size_t k = 0; k < p->nchunks; k++) {
        const asm_chunk_t *c = &p->chunks[k];
        for (size_t off = 0; off + ISA_INSN_SIZE <= c->len; off += ISA_INSN_SIZE) {
            uint64_t pc = c->addr + off, w = isa_get_word(c->bytes + off);
            isa_insn_t in;
            char text[96];
            if (isa_decode(w, &in) == 0)
                isa_disasm(&in, pc, text, sizeof text);
            else
                snprintf(text, sizeof text, ".quad 0x%016llx", (unsigned long long)w);
            for (unsigned cpu = 0; cpu < ASM_MAX_CPUS; cpu++)
                if (p->has_entry[cpu] && p->entry[cpu] == pc)
                    printf("core %u:\n", cpu);
            printf("  %08llx  %016llx  %s\n", (unsigned long long)pc, (unsigned long long)w, text);
        }
    }
}

static void print_cache(const char *name, const cache_t *c)
{
    if (!c)
        return;
    const cache_stats_t *s = cache_stats_const(c);
    uint64_t acc = 0, miss = 0;
    for (unsigned k = 0; k < ACCESS_KINDS; k++) {
        acc += s->accesses[k];
        miss += s->misses[k];
    }
    printf("  %-4s %llu accesses, %llu misses\n", name, (unsigned long long)acc,
           (unsigned long long)miss);
}

/* "PATH:LINE: " of the source line that placed the code at pc in core c's program, or "" when
 * no line did (a pc outside the image). */
static void source_of(const isa_core_t *c, const asm_program_t *progs, char *const *paths,
                      uint64_t pc, char *buf, size_t len)
{
    unsigned line = c->image ? asm_line_at(c->image, pc) : 0;
    if (line)
        snprintf(buf, len, "%s:%u: ", paths[c->image - progs], line);
    else if (len)
        buf[0] = 0;
}

/* What the narrated log needs to tell of an assert (--explain). */
typedef struct assert_log {
    seeing_t *see;
    const asm_program_t *progs;
    char *const *paths;
} assert_log_t;

/* An assert as it executes, in the narrated log: at its core's cycle, with its source line. */
static void narrate_assert(void *opaque, const isa_core_t *c, bool held)
{
    const assert_log_t *a = opaque;
    char at[512];
    source_of(c, a->progs, a->paths, c->pc, at, sizeof at);
    seeing_note(a->see, held ? EXPLAIN_PLAIN : EXPLAIN_FAILED, c->now, (int)c->cpu, UINT64_MAX,
                "%sassert r%u == %d: %s (r%u = %lld)", at, c->cur.rd, c->cur.imm,
                held ? "holds" : "FAILS", c->cur.rd, (long long)c->reg[c->cur.rd]);
}

/* Run the assembled images (of the files paths); print and fill root. Returns the exit status. */
/* The page's code section: per core, the source lines of its program that place code (for a
 * file with .cpu sections, those of the core's own sections), as rows code-CPU-LINE that the page
 * highlights as the core fetches them. 0, or -1 (printed). */
static int page_exec(html_run_t *h, const asm_program_t *progs, char *const *paths, int nprogs,
                     unsigned ncores)
{
    size_t nranges = 0;
    for (int f = 0; f < nprogs; f++)
        nranges += progs[f].nspans;
    html_code_range_t *ranges = malloc((nranges ? nranges : 1) * sizeof *ranges);
    sbuf_t b = {0};
    int rc = -1;
    if (!ranges)
        goto oom;
    nranges = 0;
    sbuf_printf(&b, "<div class=\"threads\">\n");
    for (unsigned cpu = 0; cpu < ncores; cpu++) {
        int f = 0;
        while (f < nprogs && !progs[f].has_entry[cpu])
            f++;
        if (f == nprogs)
            continue;
        FILE *in = fopen(paths[f], "r");
        if (!in) {
            cli_error("exec: %s: cannot read it again for the page", paths[f]);
            goto out;
        }
        /* the core whose code each line is: the file's own core (file f is assembled with core f
         * as its default) until a .cpu line names another */
        unsigned owner = (unsigned)f, line = 0;
        char text[1024];
        sbuf_printf(&b, "<table class=\"code\"><tr><th colspan=\"2\">cpu%u: ", cpu);
        html_text(&b, paths[f]);
        sbuf_printf(&b, "</th></tr>\n");
        while (fgets(text, sizeof text, in)) {
            line++;
            text[strcspn(text, "\n")] = 0;
            unsigned named;
            if (sscanf(text, " .cpu %u", &named) == 1)
                owner = named;
            if (owner != cpu)
                continue;
            bool code = false;
            for (size_t k = 0; k < progs[f].nspans; k++)
                if (progs[f].spans[k].line == line) {
                    ranges[nranges++] = (html_code_range_t){
                        progs[f].spans[k].addr, progs[f].spans[k].addr + progs[f].spans[k].len,
                        (int)cpu, line};
                    code = true;
                }
            if (!code)
                continue;
            sbuf_printf(&b, "<tr id=\"code-%u-%u\"><td>%u</td><td>", cpu, line, line);
            html_text(&b, text);
            sbuf_printf(&b, "</td></tr>\n");
        }
        fclose(in);
        sbuf_printf(&b, "</table>\n");
    }
    sbuf_printf(&b, "</div>\n");
    if (b.oom || html_run_code(h, ranges, nranges) != 0)
        goto oom;
    html_run_section(h, "Code (the line each core fetched last is highlighted)", b.p);
    rc = 0;
    goto out;
oom:
    cli_error("out of memory");
out:
    free(ranges);
    sbuf_free(&b);
    return rc;
}

static int run(const exec_cli_t *ec, asm_program_t *progs, char *const *paths, int nprogs,
               const machine_config_t *cfg, cJSON *root)
{
    char err[512];
    unsigned ncores = 0;
    for (int f = 0; f < nprogs; f++)
        for (unsigned cpu = 0; cpu < ASM_MAX_CPUS; cpu++)
            if (progs[f].has_entry[cpu] && cpu + 1 > ncores)
                ncores = cpu + 1;
    if (ncores == 0) {
        if (nprogs == 1)
            cli_error("exec: %s: the program contains no code: expected at least one "
                      "instruction", paths[0]);
        else
            cli_error("exec: %s ... %s: none of the %d programs contains code: expected at least "
                      "one instruction", paths[0],
                      paths[nprogs - 1], nprogs);
        return EXIT_USAGE;
    }
    if (ncores > cfg->cores) {
        cli_error("exec: the programs use core %u; the machine has %u core%s (choose a preset "
                  "with more, or -c machine.cores=%u)",
                  ncores - 1, cfg->cores, cfg->cores == 1 ? "" : "s", ncores);
        return EXIT_USAGE;
    }
    machine_t *m = machine_create(cfg, err, sizeof err);
    if (!m) {
        cli_error("exec: %s", err);
        return EXIT_USAGE;
    }
    /* the OS layer executes the primitives and the set-up instructions */
    prim_t *os = prim_attach(m, err, sizeof err);
    if (!os) {
        cli_error("exec: %s", err);
        machine_destroy(m);
        return EXIT_USAGE;
    }
    isa_core_t *cores = calloc(ncores, sizeof *cores);
    core_source_t *src = calloc(ncores, sizeof *src);
    int status = EXIT_DONE;
    seeing_t *see = NULL;
    assert_log_t alog = {.progs = progs, .paths = paths};
    if (seeing_wanted(&ec->see)) {
        char title[512];
        char bugs[160];
        cli_faults_text(cfg->faults, bugs, sizeof bugs);
        snprintf(title, sizeof title, "cohsim exec %s%s: %s, %u cores, %s, store buffers of %u%s",
                 paths[0], nprogs > 1 ? " ..." : "",
                 ec->mo.preset ? ec->mo.preset : "configured machine", cfg->cores,
                 cfg->protocol->title, cfg->sb_entries, bugs);
        if (!(see = seeing_create(&ec->see, cfg, "exec", title))) {
            status = EXIT_USAGE;
            goto out;
        }
        machine_observe(m, seeing_observe, see);
        alog.see = see;
    }
    if (!cores || !src) {
        cli_error("out of memory");
        status = EXIT_USAGE;
        goto out;
    }
    for (int f = 0; f < nprogs; f++)
        for (size_t k = 0; k < progs[f].nchunks; k++)
            if (machine_mem_write(m, progs[f].chunks[k].addr, progs[f].chunks[k].bytes,
                                  progs[f].chunks[k].len) != 0) {
                cli_error("exec: cannot load the program: %s", machine_error(m));
                status = EXIT_USAGE;
                goto out;
            }
    for (unsigned cpu = 0; cpu < ncores; cpu++) {
        int owner = -1;
        for (int f = 0; f < nprogs; f++)
            if (progs[f].has_entry[cpu]) {
                if (owner >= 0) {
                    cli_error("exec: core %u has code in two files, %s and %s (one file per "
                              "core, or .cpu sections naming different cores)",
                              cpu, paths[owner], paths[f]);
                    status = EXIT_USAGE;
                    goto out;
                }
                owner = f;
            }
        isa_core_init(&cores[cpu], cpu, owner >= 0 ? progs[owner].entry[cpu] : 0,
                      ec->max_insns);
        if (owner < 0)
            cores[cpu].phase = ISA_HALTED; /* no code: idle from the start */
        else
            cores[cpu].image = &progs[owner];
        cores[cpu].os = os;
        src[cpu] = isa_core_source(&cores[cpu]);
        if (see) {
            cores[cpu].on_assert = narrate_assert;
            cores[cpu].assert_opaque = &alog;
        }
    }
    int rc = machine_run(m, src, ncores, true);
    /* the views of a run that ended, or that check mode stopped; a fault (exit 2) writes none */
    bool core_failed = false;
    for (unsigned cpu = 0; cpu < ncores; cpu++)
        core_failed = core_failed || cores[cpu].failed;
    if (rc == MACHINE_ECHECK)
        seeing_note(see, EXPLAIN_BROKEN, machine_broken_cycle(m), machine_failed_cpu(m), UINT64_MAX,
                    "check mode: an invariant is broken, the machine stops: %s", machine_error(m));
    if (see && !core_failed && (rc == 0 || rc == MACHINE_ECHECK) &&
        ((seeing_page(see) && page_exec(seeing_page(see), progs, paths, nprogs, ncores) != 0) ||
         seeing_finish(see) != 0)) {
        status = EXIT_USAGE;
        goto out;
    }
    bool faulted = false, check_broken = false;
    for (unsigned cpu = 0; cpu < ncores; cpu++)
        if (cores[cpu].failed) {
            char at[512];
            source_of(&cores[cpu], progs, paths, cores[cpu].pc, at, sizeof at);
            cli_error("exec: %score %u: %s", at, cpu, cores[cpu].err);
            faulted = true;
        }
    if (!faulted && rc != 0) {
        int cpu = machine_failed_cpu(m);
        char at[512] = "";
        if (cpu >= 0 && (unsigned)cpu < ncores)
            source_of(&cores[cpu], progs, paths, cores[cpu].pc, at, sizeof at);
        if (cpu >= 0)
            cli_error("exec: %score %d: the machine stopped: %s", at, cpu, machine_error(m));
        else
            cli_error("exec: the machine stopped: %s", machine_error(m));
        /* check mode's broken invariant is a failed check (exit 1), not bad input */
        if (rc == MACHINE_ECHECK)
            check_broken = true;
        else
            faulted = true;
    }
    uint64_t asserts = 0, failed = 0;
    /* per core, its first failed assert with the source line it is on */
    char(*assert_msg)[768] = calloc(ncores, sizeof *assert_msg);
    if (!assert_msg) {
        cli_error("out of memory");
        status = EXIT_USAGE;
        goto out;
    }
    for (unsigned cpu = 0; cpu < ncores; cpu++)
        if (cores[cpu].asserts_failed) {
            char at[512];
            source_of(&cores[cpu], progs, paths, cores[cpu].assert_pc, at, sizeof at);
            snprintf(assert_msg[cpu], sizeof assert_msg[cpu], "%s%s", at, cores[cpu].assert_msg);
        }
    /* The statistics as `run` reports them; each core's object gains what the program did. */
    if (root && report_json(root, m) != 0) {
        cli_error("exec: out of memory for the JSON report");
        status = EXIT_USAGE;
        free(assert_msg);
        goto out;
    }
    cJSON *jcores = root ? cJSON_GetObjectItemCaseSensitive(root, "cores") : NULL;
    for (unsigned cpu = 0; cpu < ncores; cpu++) {
        const isa_core_t *c = &cores[cpu];
        const core_stats_t *st = machine_core_stats(m, cpu);
        asserts += c->asserts;
        failed += c->asserts_failed;
        printf("core %u: %s after %llu instructions, %llu cycles\n", cpu,
               c->failed ? "faulted" : "halted", (unsigned long long)c->retired,
               (unsigned long long)machine_core_cycles(m, cpu));
        for (unsigned r = 0; r < ISA_NREGS; r++)
            printf("%s r%-2u = %-18lld%s", r % 4 == 0 ? " " : "", r, (long long)c->reg[r],
                   r % 4 == 3 ? "\n" : "");
        printf("  ops:");
        for (unsigned op = 0; op < OP_COUNT; op++)
            if (st->ops[op])
                printf(" %s %llu", op_name((op_t)op), (unsigned long long)st->ops[op]);
        printf("\n");
        print_cache("L1I", machine_l1i(m, cpu));
        print_cache("L1D", machine_l1d(m, cpu));
        const sb_stats_t *sb = machine_sb_stats(m, cpu);
        printf("  store buffer: %llu stores, %llu forwarded, max occupancy %llu\n",
               (unsigned long long)sb->stores, (unsigned long long)sb->forwarded,
               (unsigned long long)sb->max_occupancy);
        if (jcores) {
            cJSON *jc = cJSON_GetArrayItem(jcores, (int)cpu);
            cJSON_AddBoolToObject(jc, "faulted", c->failed);
            cJSON_AddNumberToObject(jc, "instructions", (double)c->retired);
            cJSON *jr = cJSON_AddArrayToObject(jc, "registers");
            for (unsigned r = 0; r < ISA_NREGS; r++)
                cJSON_AddItemToArray(jr, cJSON_CreateNumber((double)(int64_t)c->reg[r]));
            cJSON_AddNumberToObject(jc, "asserts", (double)c->asserts);
            cJSON_AddNumberToObject(jc, "asserts_failed", (double)c->asserts_failed);
            if (c->asserts_failed)
                cJSON_AddStringToObject(jc, "first_failed_assert", assert_msg[cpu]);
        }
    }
    const coherence_stats_t *co = machine_coherence_stats(m);
    printf("machine: %llu cycles, %llu bus transactions, %llu invalidations\n",
           (unsigned long long)machine_cycles(m), (unsigned long long)co->bus_transactions,
           (unsigned long long)co->invalidations);
    /* what the primitives did and the files' page-cache state, as `run` reports them */
    sim_os_print(stdout, m, os);
    printf("asserts: %llu checked, %llu failed\n", (unsigned long long)asserts,
           (unsigned long long)failed);
    for (unsigned cpu = 0; cpu < ncores; cpu++)
        if (cores[cpu].asserts_failed)
            printf("FAILED %s\n", assert_msg[cpu]);
    if (root) {
        cJSON_AddNumberToObject(root, "asserts", (double)asserts);
        cJSON_AddNumberToObject(root, "asserts_failed", (double)failed);
        cJSON_AddBoolToObject(root, "faulted", faulted);
        if (sim_os_json(root, m, os) != 0) {
            cli_error("exec: out of memory for the JSON report");
            faulted = true;
        }
    }
    status = faulted ? EXIT_USAGE : failed || check_broken ? EXIT_CHECK : EXIT_DONE;
    free(assert_msg);
out:
    seeing_destroy(see);
    free(cores);
    free(src);
    prim_destroy(os);
    machine_destroy(m);
    return status;
}

int cmd_exec(int argc, char **argv)
{
    exec_cli_t ec = {.max_insns = EXEC_DEFAULT_MAX_INSNS, .see = SEEING_OPTS_INIT};
    int first;
    int rc = cli_parse(&exec_spec, argc, argv, exec_option, &ec, &first);
    if (rc != 0) {
        machine_opts_free(&ec.mo);
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    }
    int nprogs = argc - first;
    if (nprogs < 1 || nprogs > EXEC_MAX_FILES) {
        cli_error(nprogs < 1 ? "exec: expected at least one PROG.s (see cohsim exec --help)"
                             : "exec: at most 64 programs");
        machine_opts_free(&ec.mo);
        return EXIT_USAGE;
    }
    machine_config_t cfg;
    if (machine_opts_build(&ec.mo, "x86-4", &cfg) != 0) {
        machine_opts_free(&ec.mo);
        return EXIT_USAGE;
    }
    cfg.check = ec.check;
    asm_program_t *progs = calloc((size_t)nprogs, sizeof *progs);
    int status = progs ? EXIT_DONE : EXIT_USAGE;
    int loaded = 0;
    char err[512];
    for (; status == EXIT_DONE && loaded < nprogs; loaded++)
        if (asm_assemble_file(argv[first + loaded], EXEC_ORIGIN + (uint64_t)loaded * EXEC_STRIDE,
                              (unsigned)loaded, &progs[loaded], err, sizeof err) != 0) {
            cli_error("%s", err);
            status = EXIT_USAGE;
            break;
        }
    /* images of different files must not overlap either */
    for (int a = 0; status == EXIT_DONE && a < nprogs; a++)
        for (int b = a + 1; status == EXIT_DONE && b < nprogs; b++)
            for (size_t i = 0; status == EXIT_DONE && i < progs[a].nchunks; i++)
                for (size_t j = 0; j < progs[b].nchunks; j++) {
                    const asm_chunk_t *x = &progs[a].chunks[i], *y = &progs[b].chunks[j];
                    if (x->addr < y->addr + y->len && y->addr < x->addr + x->len) {
                        cli_error("%s:%u: its bytes at 0x%llx overlap those of %s:%u",
                                  argv[first + b], y->line, (unsigned long long)y->addr,
                                  argv[first + a], x->line);
                        status = EXIT_USAGE;
                        break;
                    }
                }
    if (status == EXIT_DONE && ec.disasm) {
        for (int f = 0; f < nprogs; f++)
            print_disasm(&progs[f]);
    } else if (status == EXIT_DONE) {
        cJSON *root = ec.json || ec.csv ? report_doc("exec", &ec.mo) : NULL;
        cJSON *programs = root ? cJSON_AddArrayToObject(root, "programs") : NULL;
        for (int f = 0; programs && f < nprogs; f++)
            cJSON_AddItemToArray(programs, cJSON_CreateString(argv[first + f]));
        if ((ec.json || ec.csv) && !programs) {
            cli_error("exec: out of memory for the JSON report");
            status = EXIT_USAGE;
        } else {
            status = run(&ec, progs, argv + first, nprogs, &cfg, root);
            fflush(stdout);
        }
        if (root && status != EXIT_USAGE) {
            /* report_write_json: the document ends with a newline, like `run`'s */
            if ((ec.json && report_write_json(ec.json, root) != 0) ||
                (ec.csv && report_write_csv(ec.csv, root) != 0))
                status = EXIT_USAGE;
        }
        cJSON_Delete(root);
    }
    for (int f = 0; f < loaded && progs; f++)
        asm_free(&progs[f]);
    free(progs);
    machine_opts_free(&ec.mo);
    return status;
}
