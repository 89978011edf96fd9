/* test_litmus.c: the herd x86 litmus parser and condition evaluator, against the 57-test suite
 * and herd7's own log of it (tests/fixtures/litmus/). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isa/litmus.h"

#define FIX "tests/fixtures/litmus/"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot open %s (run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    cr_assert_eq(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = 0;
    fclose(f);
    return b;
}

/* Parse a herd state line "0:EAX=0; [x]=1;" into s (unnamed parts stay as they are). */
static void parse_state(const litmus_test_t *t, const char *line, litmus_state_t *s)
{
    const char *p = line;
    while (*p && *p != '\n') {
        while (*p == ' ')
            p++;
        if (*p == '\n' || !*p)
            break;
        if (*p == '[') {
            const char *e = strchr(p, ']');
            cr_assert_not_null(e);
            unsigned loc = t->nlocs;
            for (unsigned i = 0; i < t->nlocs; i++)
                if (strlen(t->locs[i]) == (size_t)(e - p - 1) &&
                    memcmp(t->locs[i], p + 1, (size_t)(e - p - 1)) == 0)
                    loc = i;
            cr_assert_lt(loc, t->nlocs, "unknown location in '%s'", line);
            s->loc[loc] = strtoll(e + 2, (char **)&p, 10);
        } else {
            unsigned th = (unsigned)strtoul(p, (char **)&p, 10);
            cr_assert_eq(*p, ':');
            int reg = -1;
            for (int r = 0; r < LITMUS_NREGS; r++)
                if (strncmp(p + 1, litmus_reg_name((litmus_reg_t)r), 3) == 0)
                    reg = r;
            cr_assert_geq(reg, 0);
            s->reg[th][reg] = strtoll(p + 5, (char **)&p, 10);
        }
        cr_assert_eq(*p, ';', "bad state '%s'", line);
        p++;
    }
}

/* Every test of the suite parses; its Condition line, its kind and its states print as herd7
 * prints them, and the evaluator counts the same Positive/Negative as herd7 over herd's states. */
Test(litmus, whole_suite_matches_herd_log)
{
    char *all = slurp(FIX "@all");
    char *log = slurp(FIX "logs/herd7-x86tso.log");
    unsigned ntests = 0;
    for (char *name = strtok(all, "\n"); name; name = strtok(NULL, "\n")) {
        char path[256], err[512], buf[512];
        snprintf(path, sizeof path, FIX "%s", name);
        static litmus_test_t t;
        cr_assert_eq(litmus_load(path, &t, err, sizeof err), 0, "%s", err);
        ntests++;
        char hdr[128];
        snprintf(hdr, sizeof hdr, "\nTest %s ", t.name);
        char *blk = strstr(log, hdr);
        cr_assert_not_null(blk, "%s not in the herd log", t.name);
        blk += strlen(hdr);
        cr_assert_eq(strncmp(blk, litmus_kind_name(&t), strlen(litmus_kind_name(&t))), 0,
                     "%s: kind", t.name);
        unsigned k = (unsigned)strtoul(strstr(blk, "States ") + 7, NULL, 10);
        char *line = strchr(strstr(blk, "States "), '\n') + 1;
        uint64_t pos = 0, neg = 0;
        for (unsigned i = 0; i < k; i++) {
            litmus_state_t s;
            litmus_initial_state(&t, &s);
            parse_state(&t, line, &s);
            litmus_state_format(&t, &s, buf, sizeof buf);
            cr_assert_eq(strncmp(buf, line, strlen(buf)), 0, "%s: state '%s' printed '%s'",
                         t.name, line, buf);
            if (litmus_prop_holds(&t, &s))
                pos++;
            else
                neg++;
            line = strchr(line, '\n') + 1;
        }
        /* herd's Observation line counts the proposition over executions, not states; over
         * states, Never/Always/Sometimes agree */
        char *obs = strstr(blk, "\nObservation ");
        cr_assert_not_null(obs);
        char word[32];
        cr_assert_eq(sscanf(obs + 13 + strlen(t.name) + 1, "%31s", word), 1);
        cr_assert_str_eq(litmus_observation(pos, neg), word, "%s: observation", t.name);
        bool ok = strncmp(line, "Ok", 2) == 0;
        cr_assert_eq(litmus_validated(&t, pos, neg), ok, "%s: Ok/No", t.name);
        litmus_condition_format(&t, buf, sizeof buf);
        char *cond = strstr(blk, "\nCondition ");
        cr_assert_eq(strncmp(cond + 11, buf, strlen(buf)), 0, "%s: condition printed '%s'",
                     t.name, buf);
        cr_assert_eq(cond[11 + strlen(buf)], '\n');
    }
    cr_assert_eq(ntests, 57);
    free(all);
    free(log);
}

Test(litmus, parses_forms)
{
    static litmus_test_t t;
    char err[256], buf[128];
    const char *src = "X86 T1\n"
                      "{ x=5; 1:EBX=-2;\n"
                      "  y=1; }\n"
                      " P0             | P1          ;\n"
                      " MOV EAX,$1     | MOV EAX,[y] ;\n"
                      " XCHG [x],EAX   |             ;\n"
                      " LOCK ADD [y],$3| LOCK INC [x];\n"
                      " ADD [x],EAX    | mfence      ;\n"
                      "exists\n"
                      "(x=1 /\\ ~(1:EBX=0 \\/ [y]=2))\n";
    cr_assert_eq(litmus_parse("t.litmus", src, strlen(src), &t, err, sizeof err), 0, "%s", err);
    cr_assert_str_eq(t.name, "T1");
    cr_assert_eq(t.nthreads, 2);
    cr_assert_eq(t.ninsns[0], 4);
    cr_assert_eq(t.ninsns[1], 3);
    cr_assert_eq(t.nlocs, 2);
    cr_assert_eq(t.loc_init[0], 5);
    cr_assert_eq(t.reg_init[1][LITMUS_EBX], -2);
    cr_assert_eq(t.insns[0][2].lock, true);
    cr_assert_eq(t.insns[0][2].op, LITMUS_ADD);
    cr_assert_eq(t.insns[1][2].op, LITMUS_MFENCE);
    litmus_insn_format(&t, &t.insns[0][1], buf, sizeof buf);
    cr_assert_str_eq(buf, "XCHG [x],EAX");
    litmus_insn_format(&t, &t.insns[1][1], buf, sizeof buf);
    cr_assert_str_eq(buf, "LOCK INC [x]");
    litmus_condition_format(&t, buf, sizeof buf);
    cr_assert_str_eq(buf, "exists ([x]=1 /\\ ~(1:EBX=0 \\/ [y]=2))");
    litmus_state_t s;
    litmus_initial_state(&t, &s);
    cr_assert_not(litmus_prop_holds(&t, &s));
    s.loc[0] = 1;
    cr_assert(litmus_prop_holds(&t, &s)); /* EBX=-2, y=1 */
    s.loc[1] = 2;
    cr_assert_not(litmus_prop_holds(&t, &s));
    litmus_state_format(&t, &s, buf, sizeof buf);
    cr_assert_str_eq(buf, "1:EBX=-2; [x]=1; [y]=2;");
}

static void expect_error(const char *src, const char *want)
{
    static litmus_test_t t;
    char err[512];
    cr_assert_eq(litmus_parse("bad.litmus", src, strlen(src), &t, err, sizeof err), -1,
                 "accepted: %s", src);
    cr_assert(strstr(err, want) != NULL, "error '%s' lacks '%s'", err, want);
}

Test(litmus, errors_name_line_and_column)
{
    expect_error("", "bad.litmus:1:1: empty file");
    expect_error("ARM X\n{}\n", "bad.litmus:1:1: expected 'X86 NAME'");
    expect_error("X86 A\n{ x=; }\n P0 ;\n MOV [x],$1 ;\nexists (x=1)\n",
                 "bad.litmus:2:5: expected a decimal integer");
    expect_error("X86 A\n{}\n P0 | P2 ;\n MOV [x],$1 | MOV [x],$1 ;\nexists (x=1)\n",
                 "bad.litmus:3:7: expected the thread name 'P1'");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],$1 | MOV [x],$2 ;\nexists (x=1)\n",
                 "bad.litmus:4:1: this row has 2 columns, the header has 1");
    expect_error("X86 A\n{}\n P0 ;\n MOVE [x],$1 ;\nexists (x=1)\n",
                 "bad.litmus:4:2: unknown instruction 'MOVE'");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],[y] ;\nexists (x=1)\n",
                 "bad.litmus:4:2: unsupported operand form for MOV");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],$1 ;\nexists (2:EAX=1)\n",
                 "bad.litmus:5:9: thread 2 does not exist");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1\n",
                 "bad.litmus:5:13: expected ')'");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],$1 ;\nexist (x=1)\n",
                 "bad.litmus:5:1: expected a code row ending in ';' or the condition");
    expect_error("X86 A\n{}\n P0 ;\n\tMOV [x],$1 ;\nexists (x=1)\n",
                 "bad.litmus:4:1: tab character");
    expect_error("X86 A\n{}\n P0 ;\n MOV [x],$1 ;\nexists (x=1) junk\n",
                 "bad.litmus:5:14: unexpected text after the condition");
    expect_error("X86 A\n{}\n P0 ;\n MOV EAX,[x] ;\nexists (0:EAX=1 /\\ )\n",
                 "bad.litmus:5:20: expected an atom");
    expect_error("X86 A\n{\n P0 ;\n", "bad.litmus:3:5: expected '=' after the location");
    expect_error("X86 A\n{}\n P0 ;\n MOV EAX,[x] ;\n",
                 "bad.litmus:4:16: unexpected end of file: expected the final condition");
}

/* A condition nested deeper than the parser's bound is an error, not a stack overflow (a 59 KB
 * file of '(' or 100,000 '~' crashed it); nesting within the bound still parses. */
static char *nested_condition(const char *open, size_t depth, const char *close)
{
    const char *head = "X86 A\n{}\n P0 ;\n MOV [x],$1 ;\nexists ";
    size_t olen = strlen(open), clen = strlen(close), hlen = strlen(head);
    char *src = malloc(hlen + depth * (olen + clen) + 16);
    cr_assert_not_null(src);
    size_t n = hlen;
    memcpy(src, head, hlen);
    for (size_t i = 0; i < depth; i++, n += olen)
        memcpy(src + n, open, olen);
    memcpy(src + n, "x=1", 3);
    n += 3;
    for (size_t i = 0; i < depth; i++, n += clen)
        memcpy(src + n, close, clen);
    src[n++] = '\n';
    src[n] = 0;
    return src;
}

Test(litmus, deep_nesting_is_an_error)
{
    static litmus_test_t t;
    char err[512];
    char *src = nested_condition("(", 30000, ")");
    expect_error(src, "bad.litmus:5:208: condition nested more than 200 deep");
    free(src);
    src = nested_condition("~", 100000, "");
    expect_error(src, "bad.litmus:5:208: condition nested more than 200 deep");
    free(src);
    src = nested_condition("(~", 200, ")");
    expect_error(src, "nested more than 200 deep");
    free(src);
    src = nested_condition("(", 200, ")");
    cr_assert_eq(litmus_parse("ok.litmus", src, strlen(src), &t, err, sizeof err), 0, "%s", err);
    free(src);
}

/* CR LF line ends (herd reads them): the same test as with LF, and errors on the same lines. */
static char *with_crlf(const char *src)
{
    char *out = malloc(2 * strlen(src) + 1), *o = out;
    cr_assert_not_null(out);
    for (; *src; src++) {
        if (*src == '\n')
            *o++ = '\r';
        *o++ = *src;
    }
    *o = 0;
    return out;
}

Test(litmus, crlf_line_ends)
{
    static litmus_test_t lf, crlf;
    char err[512], a[256], b[256];
    const char *src = "X86 T1\n{ x=5; 1:EBX=-2; }\n P0          | P1          ;\n"
                      " MOV [x],$1  | MOV EAX,[x] ;\n mfence      |             ;\n"
                      "exists\n(x=1 /\\ ~1:EBX=0)\n";
    char *dos = with_crlf(src);
    cr_assert_eq(litmus_parse("t.litmus", src, strlen(src), &lf, err, sizeof err), 0, "%s", err);
    cr_assert_eq(litmus_parse("t.litmus", dos, strlen(dos), &crlf, err, sizeof err), 0, "%s", err);
    cr_assert_eq(crlf.nthreads, lf.nthreads);
    cr_assert_eq(crlf.ninsns[0], 2);
    cr_assert_eq(crlf.ninsns[1], 1);
    litmus_condition_format(&lf, a, sizeof a);
    litmus_condition_format(&crlf, b, sizeof b);
    cr_assert_str_eq(a, b);
    free(dos);
    dos = with_crlf("X86 A\n{}\n P0 ;\n MOVE [x],$1 ;\nexists (x=1)\n");
    expect_error(dos, "bad.litmus:4:2: unknown instruction 'MOVE'");
    free(dos);
}
