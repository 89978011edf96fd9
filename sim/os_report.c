/* os_report.c: the OS layer's statistics for `cohsim run` (see os_report.h). Every primitive has
 * every key, 0 where it does not apply, so scripts can read them without guarding. */
#include "sim/os_report.h"

static const char *const stat_keys[] = {"calls", "cycles", "lines_invalidated",
                                        "lines_written_back", "sb_drained", "ipis",
                                        "pages_written", "pages_purged"};

static void stat_values(const prim_stats_t *s, uint64_t v[8])
{
    v[0] = s->calls, v[1] = s->cycles, v[2] = s->lines_invalidated, v[3] = s->lines_written_back;
    v[4] = s->sb_drained, v[5] = s->ipis, v[6] = s->pages_written, v[7] = s->pages_purged;
}

int sim_os_json(cJSON *doc, const machine_t *m, const prim_t *p)
{
    const machine_config_t *cfg = machine_config(m);
    const os_t *os = prim_os_const(p);
    uint64_t sent = 0, delivered = 0;
    for (unsigned i = 0; i < cfg->cores; i++) {
        sent += machine_ipi_stats(m, i)->sent;
        delivered += machine_ipi_stats(m, i)->delivered;
    }
    cJSON *ipi = cJSON_AddObjectToObject(doc, "ipi");
    if (!ipi)
        return -1;
    cJSON_AddNumberToObject(ipi, "sent", (double)sent);
    cJSON_AddNumberToObject(ipi, "delivered", (double)delivered);
    /* Per core, indexed by CPU number. */
    cJSON *per = cJSON_AddArrayToObject(ipi, "per_core");
    for (unsigned i = 0; per && i < cfg->cores; i++) {
        cJSON *c = cJSON_CreateObject();
        cJSON_AddItemToArray(per, c);
        cJSON_AddNumberToObject(c, "sent", (double)machine_ipi_stats(m, i)->sent);
        cJSON_AddNumberToObject(c, "delivered", (double)machine_ipi_stats(m, i)->delivered);
    }
    cJSON *prims = cJSON_AddObjectToObject(doc, "primitives");
    for (unsigned i = 0; prims && i < PRIM_COUNT; i++) {
        cJSON *o = cJSON_AddObjectToObject(prims, op_name(prim_op(i)));
        uint64_t v[8];
        stat_values(prim_stats(p, i), v);
        for (unsigned k = 0; o && k < 8; k++)
            cJSON_AddNumberToObject(o, stat_keys[k], (double)v[k]);
    }
    cJSON *files = cJSON_AddArrayToObject(doc, "files");
    for (unsigned f = 0; files && f < os_file_count(os); f++) {
        const os_file_stats_t *fs = os_file_stats(os, f);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(files, o);
        cJSON_AddStringToObject(o, "name", os_file_name(os, f));
        cJSON_AddNumberToObject(o, "resident_pages", (double)os_file_resident_pages(os, f));
        cJSON_AddNumberToObject(o, "dirty_pages", (double)os_file_dirty_pages(os, f));
        cJSON_AddNumberToObject(o, "pages_written", (double)fs->pages_written);
        cJSON_AddNumberToObject(o, "pages_purged", (double)fs->pages_purged);
        cJSON_AddNumberToObject(o, "pages_read", (double)fs->pages_read);
        cJSON_AddNumberToObject(o, "pages_lost", (double)fs->pages_lost);
        cJSON_AddNumberToObject(o, "stores_lost", (double)fs->stores_lost);
    }
    cJSON *calls = cJSON_AddArrayToObject(doc, "calls");
    for (size_t i = 0; calls && i < prim_call_count(p); i++) {
        const prim_call_t *c = prim_call_at(p, i);
        cJSON *o = cJSON_CreateObject();
        cJSON_AddItemToArray(calls, o);
        cJSON_AddNumberToObject(o, "seq", (double)c->seq);
        cJSON_AddNumberToObject(o, "cpu", c->cpu);
        cJSON_AddNumberToObject(o, "process", c->pid);
        cJSON_AddStringToObject(o, "op", op_name(c->op));
        cJSON_AddStringToObject(o, "status", prim_call_status(c));
        if (prim_call_last_error(c))
            cJSON_AddStringToObject(o, "last_error", prim_call_last_error(c));
        cJSON_AddNumberToObject(o, "base", (double)c->base);
        cJSON_AddNumberToObject(o, "size", (double)c->size);
        cJSON_AddNumberToObject(o, "information", (double)c->information);
        cJSON_AddNumberToObject(o, "cycles", (double)c->cycles);
    }
    return ipi && prims && files && calls ? 0 : -1;
}

/* At most this many failed calls are listed one by one (the JSON's calls list has every call). */
#define FAILED_CALLS_SHOWN 20

/* Per primitive called in the region, its calls by status: FlushInstructionCache's by return
 * value and last error, the others' by NTSTATUS, in the status table's order. */
static void print_by_status(FILE *out, const prim_t *p, size_t first)
{
    size_t n = prim_call_count(p);
    for (unsigned i = 0; i < PRIM_COUNT; i++) {
        op_t op = prim_op(i);
        if (!prim_stats(p, i)->calls)
            continue;
        uint64_t by[OS_STATUS_COUNT] = {0}, nonzero = 0, zero = 0, denied = 0, invalid = 0;
        for (size_t k = first; k < n; k++) {
            const prim_call_t *c = prim_call_at(p, k);
            if (c->op != op)
                continue;
            if (op != OP_FLUSH_INSTRUCTION_CACHE)
                by[c->status]++;
            else if (c->win32_ok)
                nonzero++;
            else
                zero++, denied += c->last_error == PRIM_ERROR_ACCESS_DENIED,
                    invalid += c->last_error == PRIM_ERROR_INVALID_HANDLE;
        }
        fprintf(out, "  %s:", op_name(op));
        if (op == OP_FLUSH_INSTRUCTION_CACHE) {
            fprintf(out, " %llu nonzero, %llu zero", (unsigned long long)nonzero,
                    (unsigned long long)zero);
            if (denied)
                fprintf(out, ", ERROR_ACCESS_DENIED %llu", (unsigned long long)denied);
            if (invalid)
                fprintf(out, ", ERROR_INVALID_HANDLE %llu", (unsigned long long)invalid);
        } else {
            const char *sep = " ";
            for (unsigned s = 0; s < OS_STATUS_COUNT; s++)
                if (by[s]) {
                    fprintf(out, "%s%s %llu", sep, os_status_name((os_status_t)s),
                            (unsigned long long)by[s]);
                    sep = ", ";
                }
        }
        fputc('\n', out);
    }
}

/* Each failed call of the region as --explain narrates its return, with what it was given. */
static void print_failed(FILE *out, const prim_t *p, size_t first)
{
    size_t n = prim_call_count(p), failed = 0;
    for (size_t k = first; k < n; k++)
        failed += prim_call_failed(prim_call_at(p, k));
    if (!failed)
        return;
    fprintf(out, "failed calls: %zu\n", failed);
    size_t shown = 0;
    for (size_t k = first; k < n && shown < FAILED_CALLS_SHOWN; k++) {
        const prim_call_t *c = prim_call_at(p, k);
        if (!prim_call_failed(c))
            continue;
        shown++;
        fprintf(out, "  cycle %llu  cpu%u  %s returns ", (unsigned long long)(c->issued + c->cycles),
                c->cpu, op_name(c->op));
        if (c->op == OP_FLUSH_INSTRUCTION_CACHE)
            fprintf(out, "zero, GetLastError() = %s (%u)", prim_call_last_error(c),
                    (unsigned)c->last_error);
        else
            fprintf(out, "%s (%#llx)", prim_call_status(c),
                    (unsigned long long)prim_call_code(c));
        fprintf(out, " (call %llu, process %u, base %#llx, size %#llx)\n",
                (unsigned long long)c->seq, (unsigned)c->pid, (unsigned long long)c->base,
                (unsigned long long)c->size);
    }
    if (failed > shown)
        fprintf(out, "  ... and %zu more (--json FILE lists every call)\n", failed - shown);
}

void sim_os_print(FILE *out, const machine_t *m, const prim_t *p)
{
    const os_t *os = prim_os_const(p);
    int header = 0;
    for (unsigned i = 0; i < PRIM_COUNT; i++) {
        const prim_stats_t *s = prim_stats(p, i);
        if (!s->calls)
            continue;
        if (!header++)
            fprintf(out, "\n%-30s %6s %10s %8s %8s %6s %5s %6s %6s\n", "primitive", "calls",
                    "cycles", "inval", "wrback", "sb", "ipis", "pg_wr", "pg_pur");
        fprintf(out, "%-30s %6llu %10llu %8llu %8llu %6llu %5llu %6llu %6llu\n",
                op_name(prim_op(i)), (unsigned long long)s->calls, (unsigned long long)s->cycles,
                (unsigned long long)s->lines_invalidated,
                (unsigned long long)s->lines_written_back, (unsigned long long)s->sb_drained,
                (unsigned long long)s->ipis, (unsigned long long)s->pages_written,
                (unsigned long long)s->pages_purged);
    }
    if (header) {
        fprintf(out, "calls by status:\n");
        print_by_status(out, p, prim_region_first_call(p));
        print_failed(out, p, prim_region_first_call(p));
    }
    for (unsigned f = 0; f < os_file_count(os); f++) {
        const os_file_stats_t *fs = os_file_stats(os, f);
        fprintf(out, "file %s: %llu resident, %llu dirty, %llu written, %llu purged",
                os_file_name(os, f), (unsigned long long)os_file_resident_pages(os, f),
                (unsigned long long)os_file_dirty_pages(os, f),
                (unsigned long long)fs->pages_written, (unsigned long long)fs->pages_purged);
        if (fs->pages_lost || fs->stores_lost)
            fprintf(out, "; LOST: %llu dirty pages purged unwritten, %llu stores reached purged "
                         "pages",
                    (unsigned long long)fs->pages_lost, (unsigned long long)fs->stores_lost);
        fputc('\n', out);
    }
    (void)m;
}
