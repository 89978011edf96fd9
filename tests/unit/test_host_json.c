/* test_host_json.c: a host-results file (sim/host_json.c) reads back into the structs it was
 * written from, field by field, and a file that breaks the format is refused with the file and
 * the place named. Made-up measurements only: nothing here times this host. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/host.h"

static host_stat_t stat_of(double median)
{
    return (host_stat_t){median, median * 0.9, median * 1.5, median * 0.95, median * 1.2, 7};
}

static void made_up(host_results_t *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->hostname, sizeof r->hostname, "box");
    snprintf(r->kernel, sizeof r->kernel, "6.9.1");
    r->cpus = 4;
    r->tsc_mhz = 2500.5;
    r->has_stair = r->has_prims = true;
    r->nstair = 3;
    for (unsigned i = 0; i < 3; i++)
        r->stair[i] = (host_stair_point_t){4096u << i, stat_of(1.0 + i)};
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        host_prim_t *p = &r->prims[i];
        p->name = host_prim_name(i);
        p->status = i == 2 ? HOST_UNAVAILABLE : HOST_OK;
        snprintf(p->equivalent, sizeof p->equivalent, "equivalent %u", i);
        snprintf(p->note, sizeof p->note, "note %u", i);
        p->nm = 2;
        for (unsigned j = 0; j < 2; j++) {
            host_measure_t *m = &p->m[j];
            snprintf(m->label, sizeof m->label, "case %u.%u", i, j);
            m->ns = stat_of(100.0 * (i + 1) + j);
            m->count = m->expected = m->before = m->after = m->bytes = -1;
        }
        snprintf(p->m[0].count_name, sizeof p->m[0].count_name, "pages");
        p->m[0].count = 16;
        p->m[0].expected = 16;
        p->m[0].before = 16;
        p->m[0].after = 0;
        p->m[0].bytes = 65536;
        snprintf(p->m[1].count_name, sizeof p->m[1].count_name, "lines");
        p->m[1].model_only = i == 2;
        snprintf(p->m[1].count_note, sizeof p->m[1].count_note, "%s",
                 i == 2 ? "model only: user space cannot count it" : "not measured here");
    }
}

/* Write text to a fresh file; its path into path. */
static void write_file(char *path, size_t len, const char *text)
{
    snprintf(path, len, "/tmp/cohsim-hj-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
}

static void stat_eq(const host_stat_t *a, const host_stat_t *b)
{
    cr_assert_float_eq(a->median, b->median, 1e-9);
    cr_assert_float_eq(a->min, b->min, 1e-9);
    cr_assert_float_eq(a->max, b->max, 1e-9);
    cr_assert_float_eq(a->q1, b->q1, 1e-9);
    cr_assert_float_eq(a->q3, b->q3, 1e-9);
    cr_assert_eq(a->n, b->n);
}

Test(host_json, round_trip)
{
    host_results_t *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    made_up(a);
    char *text = host_results_json(a);
    cr_assert_not_null(text);
    char path[64], err[512];
    write_file(path, sizeof path, text);
    free(text);
    cr_assert_eq(host_results_load(path, b, err, sizeof err), 0, "%s", err);
    unlink(path);
    cr_assert_str_eq(b->hostname, "box");
    cr_assert_str_eq(b->kernel, "6.9.1");
    cr_assert_eq(b->cpus, 4);
    cr_assert_float_eq(b->tsc_mhz, 2500.5, 1e-9);
    cr_assert(b->has_stair && b->has_prims);
    cr_assert_eq(b->nstair, 3);
    for (unsigned i = 0; i < 3; i++) {
        cr_assert_eq(b->stair[i].bytes, a->stair[i].bytes);
        stat_eq(&b->stair[i].ns, &a->stair[i].ns);
    }
    for (unsigned i = 0; i < HOST_NPRIMS; i++) {
        const host_prim_t *p = &a->prims[i], *q = &b->prims[i];
        cr_assert_str_eq(q->name, p->name);
        cr_assert_str_eq(q->equivalent, p->equivalent);
        cr_assert_str_eq(q->note, p->note);
        cr_assert_eq(q->status, p->status);
        cr_assert_eq(q->nm, p->nm);
        for (unsigned j = 0; j < p->nm; j++) {
            const host_measure_t *m = &p->m[j], *n = &q->m[j];
            cr_assert_str_eq(n->label, m->label);
            stat_eq(&n->ns, &m->ns);
            cr_assert_str_eq(n->count_name, m->count_name);
            cr_assert_str_eq(n->count_note, m->count_note);
            cr_assert_eq(n->model_only, m->model_only);
            cr_assert_float_eq(n->count, m->count, 1e-9);
            cr_assert_float_eq(n->expected, m->expected, 1e-9);
            cr_assert_float_eq(n->before, m->before, 1e-9);
            cr_assert_float_eq(n->after, m->after, 1e-9);
            cr_assert_float_eq(n->bytes, m->bytes, 1e-9);
        }
    }
    free(a);
    free(b);
}

/* Each broken file: the error names the file and the place. */
Test(host_json, refuses_what_breaks_the_format)
{
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"[]", "the top level: expected an object"},
        {"{\"cohsim_host_results\": 2}", "cohsim_host_results: expected 1"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 0, \"tsc_mhz\": 0}}", "host.cpus: expected a number from 1 to 65536"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1e12, \"tsc_mhz\": 0}}", "host.cpus: expected a number from 1 to 65536"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 1e300}}", "host.tsc_mhz: expected a number from 0 to 100000"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 0}, \"staircase\": [{\"bytes\": 1e300, \"time\": "
         "{\"median_ns\": 1, \"min_ns\": 1, \"max_ns\": 1, \"q1_ns\": 1, \"q3_ns\": 1, "
         "\"samples\": 1}}]}", "staircase[0].bytes: expected a number from 64 to 1.09951e+12"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 0}, \"staircase\": [{\"bytes\": 4096, \"time\": "
         "{\"median_ns\": 1, \"min_ns\": 1, \"max_ns\": 1, \"q1_ns\": 1, \"q3_ns\": 1, "
         "\"samples\": 1e30}}]}",
         "staircase[0].time.samples: expected a number from 1 to 9.0072e+15"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 0}, \"staircase\": [{\"bytes\": 3000, \"time\": "
         "{\"median_ns\": 1, \"min_ns\": 1, \"max_ns\": 1, \"q1_ns\": 1, \"q3_ns\": 1, "
         "\"samples\": 1}}]}", "staircase[0]: expected bytes: powers of two"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 0}, \"staircase\": [{\"bytes\": 4096, \"time\": "
         "{\"median_ns\": 1, \"min_ns\": 2, \"max_ns\": 1, \"q1_ns\": 1, \"q3_ns\": 1, "
         "\"samples\": 1}}]}", "staircase[0].time: expected min_ns <= q1_ns"},
        {"{\"cohsim_host_results\": 1, \"host\": {\"name\": \"x\", \"kernel\": \"k\", "
         "\"cpus\": 1, \"tsc_mhz\": 0}, \"primitives\": []}",
         "primitives: expected an array of the five primitives"},
        {"{\"cohsim_host_results\": 1,\n\"host\": {", ":2: not valid JSON"},
    };
    host_results_t *r = malloc(sizeof *r);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64], err[512];
        write_file(path, sizeof path, bad[i].text);
        cr_assert_eq(host_results_load(path, r, err, sizeof err), -1, "file %zu loaded", i);
        unlink(path);
        cr_assert(strstr(err, path) != NULL, "no file name in: %s", err);
        cr_assert(strstr(err, bad[i].want) != NULL, "file %zu: '%s' lacks '%s'", i, err,
                  bad[i].want);
    }
    free(r);
}
