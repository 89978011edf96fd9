/* sweep_spec.c: a sweep spec read with inih (the --config parser), its points and their ids.
 *
 * The inputs are traces (each job a `cohsim run`), programs (`exec`) or litmus files (`litmus`):
 * one of the three keys, never two.
 * Every value is checked by config_set, the same validation as -c, at its line; every point's
 * whole machine is built once before any job starts, so a sweep that starts cannot fail on its
 * configuration. [constraints] lines (NAME = A OP B) drop points of the cross product. A spec that
 * fails frees what it had read and leaves s zeroed.
 */
#include "sim/sweep.h"

#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/config.h"

/* The reader inih calls for each line, counting lines so that the handler knows its own. */
typedef struct spec_reader {
    FILE *f;
    int line;          /* of the text last handed to inih */
    int at_line_start; /* the next read starts a new line (inih reads long lines in pieces) */
} spec_reader_t;

static char *spec_read_line(char *str, int num, void *stream)
{
    spec_reader_t *r = stream;
    char *got = fgets(str, num, r->f);
    if (!got)
        return NULL;
    if (r->at_line_start)
        r->line++;
    size_t n = strlen(got);
    r->at_line_start = n > 0 && got[n - 1] == '\n';
    return got;
}

/* A [constraints] line: A OP B, each side a parameter or a constant. */
typedef enum constraint_op { OP_LT, OP_LE, OP_GT, OP_GE, OP_EQ, OP_NE } constraint_op_t;

typedef struct operand {
    char *text;
    int param; /* the parameter's index, or -1 for a constant */
    int numeric;
    uint64_t number; /* a numeric constant's value */
} operand_t;

typedef struct constraint {
    operand_t a, b;
    constraint_op_t op;
    int line;
} constraint_t;

typedef struct spec_ctx {
    sweep_spec_t *s;
    spec_reader_t reader;
    const char *dir; /* the spec's directory with its slash, "" for the current one */
    config_t *scratch; /* values are checked by setting them here */
    char *err;
    size_t errlen;
    int failed;
    int have_traces, have_format;
    constraint_t *constraints;
    size_t nconstraints;
} spec_ctx_t;

static int spec_fail(spec_ctx_t *x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record the first error as "SPEC:LINE: message"; returns 0 so that inih stops calling. */
static int spec_fail(spec_ctx_t *x, const char *fmt, ...)
{
    int n = snprintf(x->err, x->errlen, "%s:%d: ", x->s->path, x->reader.line);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < x->errlen)
        vsnprintf(x->err + n, x->errlen - (size_t)n, fmt, ap);
    va_end(ap);
    x->failed = 1;
    return 0;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/* path as the jobs must name it: relative paths are relative to the spec's directory. */
static char *spec_relative(const spec_ctx_t *x, const char *path)
{
    size_t n = strlen(x->dir) + strlen(path) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s", path[0] == '/' ? "" : x->dir, path);
    return p;
}

/* A value as the id hashes it: a number in decimal (8K is 8192), anything else as written. */
static char *canonical(const char *v)
{
    uint64_t n;
    if (config_parse_size(v, &n) != 0)
        return strdup(v);
    char buf[32];
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)n);
    return strdup(buf);
}

/* v with the largest K/M/G suffix that divides it (the spelling a range's bounds used). */
static void format_size(uint64_t v, int suffixed, char *buf, size_t len)
{
    static const char units[] = "GMK";
    for (int i = 0; suffixed && v && i < 3; i++) {
        uint64_t m = 1ull << (10 * (3 - i));
        if (v % m == 0) {
            snprintf(buf, len, "%llu%c", (unsigned long long)(v / m), units[i]);
            return;
        }
    }
    snprintf(buf, len, "%llu", (unsigned long long)v);
}

static int param_add_value(spec_ctx_t *x, sweep_param_t *p, const char *v)
{
    char origin[600];
    snprintf(origin, sizeof origin, "%s:%d", x->s->path, x->reader.line);
    if (config_set(x->scratch, p->section, p->key, v, origin, x->err, x->errlen) != 0) {
        x->failed = 1;
        return -1;
    }
    char *c = canonical(v);
    if (!c)
        return spec_fail(x, "out of memory"), -1;
    if (p->nvalues >= SWEEP_MAX_POINTS) {
        free(c);
        return spec_fail(x, "%s.%s has more than %u values", p->section, p->key,
                         SWEEP_MAX_POINTS), -1;
    }
    /* The arrays double when the count reaches a power of two (a range adds up to
     * SWEEP_MAX_POINTS values: growing by one would copy them quadratically). */
    size_t n = p->nvalues;
    if ((n & (n - 1)) == 0) {
        size_t cap = n ? 2 * n : 1;
        char **vs = realloc(p->values, cap * sizeof *vs);
        if (vs)
            p->values = vs;
        char **cs = realloc(p->canon, cap * sizeof *cs);
        if (cs)
            p->canon = cs;
        if (!vs || !cs) {
            free(c);
            return spec_fail(x, "out of memory"), -1;
        }
    }
    char *d = strdup(v);
    if (!d) {
        free(c);
        return spec_fail(x, "out of memory"), -1;
    }
    p->values[p->nvalues] = d;
    p->canon[p->nvalues++] = c;
    return 0;
}

typedef struct canon_at {
    const char *canon;
    size_t index;
} canon_at_t;

static int canon_at_cmp(const void *a, const void *b)
{
    const canon_at_t *x = a, *y = b;
    int c = strcmp(x->canon, y->canon);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

/* Each value of p once: sorted, so that a list or range of SWEEP_MAX_POINTS values is checked
 * in n log n, not n^2. The duplicate named is the one met first in the list's order (the
 * earliest second copy, with its first copy). 0, or -1 after spec_fail. */
static int param_check_duplicates(spec_ctx_t *x, const sweep_param_t *p)
{
    if (p->nvalues < 2)
        return 0;
    canon_at_t *sorted = malloc(p->nvalues * sizeof *sorted);
    if (!sorted)
        return spec_fail(x, "out of memory"), -1;
    for (size_t i = 0; i < p->nvalues; i++)
        sorted[i] = (canon_at_t){p->canon[i], i};
    qsort(sorted, p->nvalues, sizeof *sorted, canon_at_cmp);
    size_t first = 0, second = SIZE_MAX;
    for (size_t i = 1, start = 0; i < p->nvalues; i++) {
        if (strcmp(sorted[i].canon, sorted[start].canon) != 0) {
            start = i;
            continue;
        }
        if (i == start + 1 && sorted[i].index < second) {
            first = sorted[start].index;
            second = sorted[i].index;
        }
    }
    free(sorted);
    if (second == SIZE_MAX)
        return 0;
    return spec_fail(x, "%s.%s lists %s twice (as '%s' and '%s'): each value once", p->section,
                     p->key, p->canon[second], p->values[first], p->values[second]), -1;
}

#define RANGE_FORMS "LO..HI, LO..HI +STEP or LO..HI *FACTOR (whole numbers or sizes with K, M, G)"

/* item is "LO..HI", "LO..HI +STEP" or "LO..HI *FACTOR": add each value from LO up to HI. */
static int param_add_range(spec_ctx_t *x, sweep_param_t *p, char *item)
{
    char *dots = strstr(item, "..");
    char *lo_s = item, *hi_s = dots + 2, *op = strpbrk(hi_s, "+*"), *step_s = NULL;
    char opc = op ? *op : '+';
    *dots = '\0';
    if (op) {
        *op = '\0';
        step_s = trim(op + 1);
    }
    lo_s = trim(lo_s);
    hi_s = trim(hi_s);
    uint64_t lo, hi, step = 1;
    if (config_parse_size(lo_s, &lo) != 0 || config_parse_size(hi_s, &hi) != 0 ||
        (step_s && (config_parse_size(step_s, &step) != 0))) {
        return spec_fail(x, "%s.%s: bad range '%s..%s%s%s': expected " RANGE_FORMS, p->section,
                         p->key, lo_s, hi_s, op ? (opc == '*' ? " *" : " +") : "",
                         step_s ? step_s : ""), -1;
    }
    if (lo > hi)
        return spec_fail(x, "%s.%s: bad range %s..%s: it is empty (%s is above %s)", p->section,
                         p->key, lo_s, hi_s, lo_s, hi_s), -1;
    if (opc == '*' && (step < 2 || lo == 0))
        return spec_fail(x, "%s.%s: bad range %s..%s *%s: expected a factor of 2 or more and a "
                            "start above 0",
                         p->section, p->key, lo_s, hi_s, step_s), -1;
    if (opc == '+' && step == 0)
        return spec_fail(x, "%s.%s: bad range %s..%s +0: expected a step of 1 or more",
                         p->section, p->key, lo_s, hi_s), -1;
    /* Counted before any is added: a range of millions would otherwise be built (and checked)
     * value by value before the limit refused it. */
    uint64_t count = 1;
    if (opc == '*')
        for (uint64_t v = lo; v <= hi / step; v *= step)
            count++;
    else
        count = (hi - lo) / step + 1;
    if (count > SWEEP_MAX_POINTS - p->nvalues)
        return spec_fail(x, "%s.%s has more than %u values", p->section, p->key,
                         SWEEP_MAX_POINTS), -1;
    int suffixed = strpbrk(lo_s, "KkMmGg") || strpbrk(hi_s, "KkMmGg");
    for (uint64_t v = lo;;) {
        char buf[32];
        format_size(v, suffixed, buf, sizeof buf);
        if (param_add_value(x, p, buf) != 0)
            return -1;
        uint64_t next = opc == '*' ? v * step : v + step;
        if (next > hi || (opc == '*' ? next / step != v : next < v))
            break;
        v = next;
    }
    return 0;
}

static int spec_param(spec_ctx_t *x, const char *name, const char *value)
{
    sweep_spec_t *s = x->s;
    const char *dot = strchr(name, '.');
    if (!dot || dot == name || !dot[1])
        return spec_fail(x, "[params] %s: expected SECTION.KEY = VALUES (for example l1d.size = "
                            "16K,32K)",
                         name);
    for (size_t i = 0; i < s->nparams; i++)
        if (strncmp(s->params[i].section, name, (size_t)(dot - name)) == 0 &&
            !s->params[i].section[dot - name] && strcmp(s->params[i].key, dot + 1) == 0)
            return spec_fail(x, "%s is set a second time (first at line %d): one line per "
                                "parameter",
                             name, s->params[i].line);
    sweep_param_t *grown = realloc(s->params, (s->nparams + 1) * sizeof *grown);
    if (!grown)
        return spec_fail(x, "out of memory");
    s->params = grown;
    sweep_param_t *p = &s->params[s->nparams++];
    *p = (sweep_param_t){.section = strndup(name, (size_t)(dot - name)), .key = strdup(dot + 1),
                         .line = x->reader.line};
    if (!p->section || !p->key)
        return spec_fail(x, "out of memory");
    if (!config_key_unit(p->section, p->key)) {
        /* config_set names the section's keys or the sections. */
        char origin[600];
        snprintf(origin, sizeof origin, "%s:%d", s->path, x->reader.line);
        config_set(x->scratch, p->section, p->key, "", origin, x->err, x->errlen);
        x->failed = 1;
        return 0;
    }
    char *list = strdup(value);
    if (!list)
        return spec_fail(x, "out of memory");
    if (!*trim(list)) {
        free(list);
        return spec_fail(x, "%s has an empty list: expected values separated by commas, or "
                            RANGE_FORMS,
                         name);
    }
    int rc = 0;
    char *rest = list;
    for (char *item; rc == 0 && (item = strsep(&rest, ",")) != NULL;) {
        item = trim(item);
        if (!*item)
            rc = spec_fail(x, "%s: an empty value in the list '%s'", name, value) - 1;
        else if (strstr(item, ".."))
            rc = param_add_range(x, p, item);
        else
            rc = param_add_value(x, p, item);
    }
    free(list);
    if (rc == 0 && !x->failed)
        param_check_duplicates(x, p);
    return rc == 0 && !x->failed;
}

/* The file-name part of a trace's result: its base name, with anything unusual made '_'. */
static char *result_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *r = strdup(slash ? slash + 1 : path);
    for (char *c = r; c && *c; c++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-", *c))
            *c = '_';
    return r;
}

const char *sweep_kind_command(sweep_kind_t k)
{
    return k == SWEEP_EXEC ? "exec" : k == SWEEP_LITMUS ? "litmus" : "run";
}

const char *sweep_kind_inputs(sweep_kind_t k)
{
    return k == SWEEP_EXEC ? "programs" : k == SWEEP_LITMUS ? "litmus" : "traces";
}

/* traces, programs or litmus = FILE, FILE...: the inputs, each one job per point. */
static int spec_traces(spec_ctx_t *x, sweep_kind_t kind, const char *value)
{
    sweep_spec_t *s = x->s;
    const char *key = sweep_kind_inputs(kind);
    if (x->have_traces && s->kind == kind)
        return spec_fail(x, "%s is set a second time: list every file on one line", key);
    if (x->have_traces)
        return spec_fail(x, "%s: the inputs are already %s: a sweep runs one command, on traces, "
                            "programs or litmus files",
                         key, sweep_kind_inputs(s->kind));
    if (x->have_format && kind != SWEEP_RUN)
        return spec_fail(x, "%s: format is for traces (run), not %s", key, key);
    x->have_traces = 1;
    s->kind = kind;
    char *list = strdup(value);
    if (!list)
        return spec_fail(x, "out of memory");
    int ok = 1;
    char *rest = list;
    for (char *item; ok && (item = strsep(&rest, ",")) != NULL;) {
        item = trim(item);
        if (!*item) {
            ok = spec_fail(x, "%s: an empty name in the list '%s': expected files separated by "
                              "commas",
                           key, value);
            break;
        }
        sweep_trace_t *grown = realloc(s->traces, (s->ntraces + 1) * sizeof *grown);
        if (!grown) {
            ok = spec_fail(x, "out of memory");
            break;
        }
        s->traces = grown;
        sweep_trace_t *t = &s->traces[s->ntraces++];
        *t = (sweep_trace_t){spec_relative(x, item), result_name(item)};
        if (!t->path || !t->result) {
            ok = spec_fail(x, "out of memory");
            break;
        }
        if (access(t->path, R_OK) != 0) {
            ok = spec_fail(x, "%s %s: cannot read %s: %s",
                           kind == SWEEP_RUN ? "trace" : kind == SWEEP_EXEC ? "program" : "litmus",
                           item, t->path, strerror(errno));
            break;
        }
        for (size_t i = 0; i + 1 < s->ntraces; i++)
            if (strcmp(s->traces[i].result, t->result) == 0)
                ok = spec_fail(x, "%s %s and %s have the same name %s: their results would "
                                  "share a file (rename one)",
                               key, s->traces[i].path, t->path, t->result);
    }
    if (ok && s->ntraces == 0)
        ok = spec_fail(x, "%s is an empty list: expected files separated by commas", key);
    free(list);
    return ok;
}

/* FNV-1a, 64 bits: ids must not change between builds or machines. */
static uint64_t fnv1a(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}
#define FNV_OFFSET 0xcbf29ce484222325ull

static int spec_base_config(spec_ctx_t *x, const char *value)
{
    sweep_spec_t *s = x->s;
    s->config = spec_relative(x, value);
    if (!s->config)
        return spec_fail(x, "out of memory");
    FILE *f = fopen(s->config, "rb");
    if (!f)
        return spec_fail(x, "config %s: cannot read %s: %s", value, s->config, strerror(errno));
    /* Hashed whole here and read again by every job: a device or pipe (/dev/zero) would never
     * end, or give each reader other bytes. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return spec_fail(x, "config %s: expected a regular file (%s is not one)", value,
                         s->config);
    }
    uint64_t h = FNV_OFFSET;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = fnv1a(h, buf, n);
    fclose(f);
    s->config_hash = h;
    return 1;
}

/* Parameter k's value index at number c of the cross product. */
static size_t cross_value_index(const sweep_spec_t *s, size_t c, size_t k)
{
    for (size_t i = s->nparams; i-- > k + 1;)
        c /= s->params[i].nvalues;
    return c % s->params[k].nvalues;
}

size_t sweep_value_index(const sweep_spec_t *s, size_t p, size_t k)
{
    return cross_value_index(s, s->kept[p], k);
}

#define CONSTRAINT_FORM "NAME = A OP B, OP one of < <= > >= == != and A, B parameters or constants"

/* "A OP B" of a [constraints] line; the operands are resolved when every parameter is known. */
static int spec_constraint(spec_ctx_t *x, const char *name, const char *value)
{
    static const struct {
        const char *text;
        constraint_op_t op;
    } ops[] = {{"<=", OP_LE}, {">=", OP_GE}, {"==", OP_EQ}, {"!=", OP_NE}, {"<", OP_LT}, {">", OP_GT}};
    const char *at = NULL;
    size_t oplen = 0;
    constraint_op_t op = OP_EQ;
    for (size_t i = 0; i < sizeof ops / sizeof ops[0] && !at; i++)
        if ((at = strstr(value, ops[i].text)) != NULL) {
            oplen = strlen(ops[i].text);
            op = ops[i].op;
        }
    if (!at)
        return spec_fail(x, "constraint %s = '%s': expected " CONSTRAINT_FORM, name, value);
    constraint_t *grown = realloc(x->constraints, (x->nconstraints + 1) * sizeof *grown);
    if (!grown)
        return spec_fail(x, "out of memory");
    x->constraints = grown;
    constraint_t *c = &x->constraints[x->nconstraints++];
    char *a = strndup(value, (size_t)(at - value)), *b = strdup(at + oplen);
    *c = (constraint_t){.op = op, .line = x->reader.line};
    c->a.text = a ? strdup(trim(a)) : NULL;
    c->b.text = b ? strdup(trim(b)) : NULL;
    free(a);
    free(b);
    if (!c->a.text || !c->b.text)
        return spec_fail(x, "out of memory");
    if (!*c->a.text || !*c->b.text || strpbrk(c->b.text, "<>=!"))
        return spec_fail(x, "constraint %s = '%s': expected " CONSTRAINT_FORM, name, value);
    return 1;
}

/* Resolve an operand: a parameter (a name with a dot must be one), a number, or a word. */
static int operand_resolve(spec_ctx_t *x, operand_t *o, int line)
{
    sweep_spec_t *s = x->s;
    o->param = -1;
    for (size_t k = 0; k < s->nparams; k++) {
        size_t n = strlen(s->params[k].section);
        if (strncmp(o->text, s->params[k].section, n) == 0 && o->text[n] == '.' &&
            strcmp(o->text + n + 1, s->params[k].key) == 0)
            o->param = (int)k;
    }
    if (o->param >= 0) {
        uint64_t v;
        o->numeric = 1;
        for (size_t i = 0; i < s->params[o->param].nvalues; i++)
            o->numeric &= config_parse_size(s->params[o->param].values[i], &v) == 0;
        return 0;
    }
    if (strchr(o->text, '.')) {
        x->reader.line = line;
        spec_fail(x, "constraint: %s is not a parameter of [params]", o->text);
        return -1;
    }
    o->numeric = config_parse_size(o->text, &o->number) == 0;
    return 0;
}

static int constraints_resolve(spec_ctx_t *x)
{
    for (size_t i = 0; i < x->nconstraints; i++) {
        constraint_t *c = &x->constraints[i];
        if (operand_resolve(x, &c->a, c->line) || operand_resolve(x, &c->b, c->line))
            return -1;
        if (c->a.param < 0 && c->b.param < 0) {
            x->reader.line = c->line;
            return spec_fail(x, "constraint %s ... %s names no parameter", c->a.text, c->b.text),
                   -1;
        }
        if ((!c->a.numeric || !c->b.numeric) && c->op != OP_EQ && c->op != OP_NE) {
            x->reader.line = c->line;
            return spec_fail(x, "constraint: %s is not a number: only == and != compare words",
                             c->a.numeric ? c->b.text : c->a.text),
                   -1;
        }
    }
    return 0;
}

/* Whether number c of the cross product meets constraint k. */
static int constraint_holds(const sweep_spec_t *s, const constraint_t *k, size_t c)
{
    const operand_t *o[2] = {&k->a, &k->b};
    uint64_t num[2] = {0, 0};
    const char *word[2];
    for (int i = 0; i < 2; i++) {
        if (o[i]->param < 0) {
            num[i] = o[i]->number;
            word[i] = o[i]->text;
            continue;
        }
        const sweep_param_t *q = &s->params[o[i]->param];
        size_t v = cross_value_index(s, c, (size_t)o[i]->param);
        word[i] = q->values[v];
        if (o[i]->numeric)
            config_parse_size(q->values[v], &num[i]);
    }
    if (!o[0]->numeric || !o[1]->numeric) {
        int same = strcmp(word[0], word[1]) == 0;
        return k->op == OP_EQ ? same : !same;
    }
    switch (k->op) {
    case OP_LT: return num[0] < num[1];
    case OP_LE: return num[0] <= num[1];
    case OP_GT: return num[0] > num[1];
    case OP_GE: return num[0] >= num[1];
    case OP_EQ: return num[0] == num[1];
    case OP_NE: return num[0] != num[1];
    }
    return 0;
}

static int spec_entry(void *user, const char *section, const char *name, const char *value)
{
    spec_ctx_t *x = user;
    sweep_spec_t *s = x->s;
    if (x->failed)
        return 0;
    if (strcmp(section, "params") == 0)
        return spec_param(x, name, value);
    if (strcmp(section, "constraints") == 0)
        return spec_constraint(x, name, value);
    if (strcmp(section, "sweep") != 0)
        return spec_fail(x, "unknown section [%s]: expected [sweep], [params] and [constraints]",
                         section);
    if (strcmp(name, "preset") == 0 || strcmp(name, "config") == 0) {
        if (s->preset || s->config)
            return spec_fail(x, "%s: the base is already set: expected one preset or one config",
                             name);
        if (strcmp(name, "config") == 0)
            return spec_base_config(x, value);
        if (!preset_ini(value))
            return spec_fail(x, "unknown preset '%s' (cohsim presets lists them)", value);
        s->preset = strdup(value);
        return s->preset ? 1 : spec_fail(x, "out of memory");
    }
    if (strcmp(name, "traces") == 0)
        return spec_traces(x, SWEEP_RUN, value);
    if (strcmp(name, "programs") == 0)
        return spec_traces(x, SWEEP_EXEC, value);
    if (strcmp(name, "litmus") == 0)
        return spec_traces(x, SWEEP_LITMUS, value);
    if (strcmp(name, "format") == 0) {
        if (x->have_format)
            return spec_fail(x, "format is set a second time");
        if (x->have_traces && s->kind != SWEEP_RUN)
            return spec_fail(x, "format is for traces (run), not %s", sweep_kind_inputs(s->kind));
        x->have_format = 1;
        s->format = strdup(value);
        return s->format ? 1 : spec_fail(x, "out of memory");
    }
    return spec_fail(x, "unknown key %s in [sweep]: expected preset, config, traces (or programs, "
                        "or litmus) or format",
                     name);
}

void sweep_spec_free(sweep_spec_t *s)
{
    free(s->path);
    free(s->preset);
    free(s->config);
    free(s->format);
    for (size_t i = 0; i < s->ntraces; i++) {
        free(s->traces[i].path);
        free(s->traces[i].result);
    }
    free(s->traces);
    for (size_t i = 0; i < s->nparams; i++) {
        sweep_param_t *p = &s->params[i];
        for (size_t j = 0; j < p->nvalues; j++) {
            free(p->values[j]);
            free(p->canon[j]);
        }
        free(p->values);
        free(p->canon);
        free(p->section);
        free(p->key);
    }
    free(s->params);
    free(s->by_name);
    free(s->kept);
    memset(s, 0, sizeof *s);
}

void sweep_point_id(const sweep_spec_t *s, size_t p, char id[17])
{
    uint64_t h = FNV_OFFSET;
    char line[640];
    int n = s->preset ? snprintf(line, sizeof line, "base=preset:%s\n", s->preset)
                      : snprintf(line, sizeof line, "base=config:%016llx\n",
                                 (unsigned long long)s->config_hash);
    h = fnv1a(h, line, (size_t)n);
    if (s->kind != SWEEP_RUN) { /* run's ids stay those of the sweeps before exec and litmus */
        n = snprintf(line, sizeof line, "command=%s\n", sweep_kind_command(s->kind));
        h = fnv1a(h, line, (size_t)n);
    }
    if (s->format) {
        n = snprintf(line, sizeof line, "format=%s\n", s->format);
        h = fnv1a(h, line, (size_t)n);
    }
    for (size_t i = 0; i < s->nparams; i++) {
        size_t k = s->by_name[i];
        const sweep_param_t *q = &s->params[k];
        n = snprintf(line, sizeof line, "%s.%s=%s\n", q->section, q->key,
                     q->canon[sweep_value_index(s, p, k)]);
        h = fnv1a(h, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
    }
    snprintf(id, 17, "%016llx", (unsigned long long)h);
}

char *sweep_result_path(const sweep_spec_t *s, const char *out, size_t p, size_t t)
{
    char id[17];
    sweep_point_id(s, p, id);
    size_t n = strlen(out) + strlen(s->traces[t].result) + 32;
    char *path = malloc(n);
    if (path)
        snprintf(path, n, "%s/%s.%s.json", out, id, s->traces[t].result);
    return path;
}

/* Build every point's machine: a value that is fine alone can make an impossible geometry with
 * another (a 1K cache of 64 ways of 64 bytes). */
static int spec_check_points(sweep_spec_t *s, char *err, size_t errlen)
{
    for (size_t p = 0; p < s->npoints; p++) {
        config_t *c = config_new();
        char why[1024];
        int rc = c ? 0 : -1;
        if (rc == 0)
            rc = s->preset ? config_load_preset(c, s->preset, why, sizeof why)
                           : config_load_file(c, s->config, why, sizeof why);
        for (size_t k = 0; rc == 0 && k < s->nparams; k++) {
            const sweep_param_t *q = &s->params[k];
            rc = config_set(c, q->section, q->key, q->values[sweep_value_index(s, p, k)], "-c",
                            why, sizeof why);
        }
        machine_config_t m;
        if (rc == 0)
            rc = config_to_machine(c, &m, why, sizeof why);
        config_free(c);
        if (rc != 0) {
            char id[17];
            sweep_point_id(s, p, id);
            int n = snprintf(err, errlen, "%s: point %s (", s->path, id);
            for (size_t k = 0; k < s->nparams && n >= 0 && (size_t)n < errlen; k++)
                n += snprintf(err + n, errlen - (size_t)n, "%s%s.%s=%s", k ? ", " : "",
                              s->params[k].section, s->params[k].key,
                              s->params[k].values[sweep_value_index(s, p, k)]);
            if (n >= 0 && (size_t)n < errlen)
                snprintf(err + n, errlen - (size_t)n, "): %s", c ? why : "out of memory");
            return -1;
        }
    }
    return 0;
}

/* The cross product's size, the points the constraints keep, and the parameters in id order.
 * 0, or -1 with the message in x->err. */
static int spec_points(spec_ctx_t *x)
{
    sweep_spec_t *s = x->s;
    char *err = x->err;
    size_t errlen = x->errlen;
    s->ncross = 1;
    for (size_t k = 0; k < s->nparams; k++) {
        if (s->ncross * s->params[k].nvalues > SWEEP_MAX_POINTS) {
            snprintf(err, errlen, "%s:%d: the sweep would have more than %u points", s->path,
                     s->params[k].line, SWEEP_MAX_POINTS);
            return -1;
        }
        s->ncross *= s->params[k].nvalues;
    }
    if (constraints_resolve(x) != 0)
        return -1;
    s->kept = malloc(s->ncross * sizeof *s->kept);
    if (!s->kept) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    for (size_t c = 0; c < s->ncross; c++) {
        int keep = 1;
        for (size_t i = 0; keep && i < x->nconstraints; i++)
            keep = constraint_holds(s, &x->constraints[i], c);
        if (keep)
            s->kept[s->npoints++] = c;
    }
    if (s->npoints == 0) {
        snprintf(err, errlen, "%s: the constraints exclude every one of the %zu points", s->path,
                 s->ncross);
        return -1;
    }
    s->by_name = malloc(s->nparams * sizeof *s->by_name);
    if (!s->by_name) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    /* insertion sort by section.key: a handful of parameters */
    for (size_t i = 0; i < s->nparams; i++) {
        size_t j = i;
        for (; j > 0; j--) {
            const sweep_param_t *a = &s->params[s->by_name[j - 1]], *b = &s->params[i];
            int c = strcmp(a->section, b->section);
            if ((c ? c : strcmp(a->key, b->key)) < 0)
                break;
            s->by_name[j] = s->by_name[j - 1];
        }
        s->by_name[j] = i;
    }
    return 0;
}

int sweep_spec_load(sweep_spec_t *s, const char *path, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    s->path = strdup(path);
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, (size_t)(slash - path) + 1) : strdup("");
    spec_ctx_t x = {.s = s, .reader = {.at_line_start = 1}, .dir = dir, .scratch = config_new(),
                    .err = err, .errlen = errlen};
    int rc = -1;
    if (!s->path || !dir || !x.scratch) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    x.reader.f = fopen(path, "r");
    if (!x.reader.f) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    int bad = ini_parse_stream(spec_read_line, &x.reader, spec_entry, &x);
    fclose(x.reader.f);
    if (bad && !x.failed) {
        snprintf(err, errlen,
                 "%s:%d: expected '[section]', 'key = value', a ';' or '#' comment, or a blank "
                 "line",
                 path, bad);
        goto out;
    }
    if (x.failed)
        goto out;
    if (!s->preset && !s->config) {
        snprintf(err, errlen, "%s: no base machine: expected 'preset = NAME' or 'config = FILE' "
                              "in [sweep]",
                 path);
        goto out;
    }
    if (s->ntraces == 0) {
        snprintf(err, errlen, "%s: no inputs: expected 'traces = FILE, FILE...' (or 'programs = "
                              "PROG.s, ...' for exec, 'litmus = FILE.litmus, ...') in [sweep]",
                 path);
        goto out;
    }
    if (s->nparams == 0) {
        snprintf(err, errlen, "%s: no parameters: expected [params] with lines like "
                              "'l1d.size = 16K,32K'",
                 path);
        goto out;
    }
    if (spec_points(&x) == 0)
        rc = spec_check_points(s, err, errlen);
out:
    for (size_t i = 0; i < x.nconstraints; i++) {
        free(x.constraints[i].a.text);
        free(x.constraints[i].b.text);
    }
    free(x.constraints);
    config_free(x.scratch);
    free(dir);
    if (rc != 0)
        sweep_spec_free(s);
    return rc;
}
