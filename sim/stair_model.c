/* stair_model.c: the latency staircase's pointer chase run on the model (compare.h).
 *
 * The chase is the host's (host_staircase.c): one pointer per 64-byte line, the lines in one
 * random cycle (Sattolo), two laps to warm, then at least min_loads dependent loads timed, each
 * issued when the previous one is done. What the host's chase touches are virtual pages that the
 * kernel placed on physical frames at random, and the host's second and third levels are indexed
 * by physical address: which lines share a set depends on that placement, so a working set near a
 * cache's capacity already misses a little. (The host asks for huge pages, but a buffer of a few
 * MiB, the sizes where the second and third levels step, holds few whole aligned 2 MiB regions
 * and lives mostly on small pages; the larger sets miss in every cache whatever the placement.)
 * The model's caches see the addresses it is given as physical, so each page of the working set
 * (os.page) is given a distinct frame drawn at random, as the kernel would; a chase over
 * contiguous addresses instead spreads the lines perfectly over the sets and steps sharply at
 * each capacity, which no host shows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/compare.h"

#define STAIR_FRAME_BASE (1ull << 32)

typedef struct chase_src {
    const uint32_t *next; /* next[line]: the line loaded after line */
    const uint64_t *frame; /* frame[page]: the physical address of the working set's page */
    uint32_t lines_per_page;
    uint32_t line;        /* the line of the next load */
    uint64_t issued, warm, total;
    uint64_t t_start, t_end; /* cycles: first measured load issued, last one done */
} chase_src_t;

static int chase_next(void *opaque, mem_req_t *out)
{
    chase_src_t *s = opaque;
    if (s->issued == s->total)
        return 0;
    memset(out, 0, sizeof *out);
    out->op = OP_LOAD;
    out->size = 8;
    out->addr = s->frame[s->line / s->lines_per_page] + (uint64_t)(s->line % s->lines_per_page) * 64;
    s->line = s->next[s->line];
    s->issued++;
    return 1;
}

static int chase_done(void *opaque, const mem_req_t *req, const req_result_t *res)
{
    chase_src_t *s = opaque;
    (void)req;
    if (s->issued == s->warm + 1)
        s->t_start = res->issued;
    s->t_end = res->done;
    return 0;
}

static uint64_t stair_rand(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

double stair_model_chase(const machine_config_t *cfg, uint64_t bytes, uint64_t min_loads,
                         char *err, size_t errlen)
{
    uint32_t lines = (uint32_t)(bytes / 64);
    uint32_t per_page = cfg->page_size >= 64 ? cfg->page_size / 64 : 1;
    uint32_t pages = (lines + per_page - 1) / per_page;
    /* frames drawn without repetition from four times as many as the pages need */
    uint32_t nframes = pages * 4 < 4096 ? 4096 : pages * 4;
    uint32_t *next = malloc((size_t)lines * sizeof *next);
    uint32_t *pool = malloc((size_t)nframes * sizeof *pool);
    uint64_t *frame = malloc((size_t)pages * sizeof *frame);
    machine_t *m = NULL;
    double r = -1;
    if (!next || !pool || !frame) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    uint64_t rng = 0x9e3779b97f4a7c15ull;
    for (uint32_t i = 0; i < lines; i++)
        next[i] = i;
    /* Sattolo's shuffle read as a cycle: line i is followed by next[i]. */
    for (uint32_t i = lines - 1; i > 0; i--) {
        uint32_t j = (uint32_t)(stair_rand(&rng) % i), t = next[i];
        next[i] = next[j], next[j] = t;
    }
    for (uint32_t i = 0; i < nframes; i++)
        pool[i] = i;
    for (uint32_t i = 0; i < pages; i++) { /* a partial Fisher-Yates: distinct frames */
        uint32_t j = i + (uint32_t)(stair_rand(&rng) % (nframes - i)), t = pool[i];
        pool[i] = pool[j], pool[j] = t;
        frame[i] = STAIR_FRAME_BASE + (uint64_t)pool[i] * per_page * 64;
    }
    m = machine_create(cfg, err, errlen);
    if (!m)
        goto out;
    uint64_t loads = (uint64_t)lines * 2 > min_loads ? (uint64_t)lines * 2 : min_loads;
    /* Two warm laps: a cache that holds the set then hits on every load. */
    chase_src_t s = {next, frame, per_page, 0, 0, (uint64_t)lines * 2,
                     (uint64_t)lines * 2 + loads, 0, 0};
    /* the chase never looks at what a load returned */
    core_source_t src = {.next = chase_next, .done = chase_done, .opaque = &s, .values_unused = true};
    int rc = machine_run(m, &src, 1, true);
    if (rc != 0) {
        snprintf(err, errlen, "model run failed (%d): %s", rc, machine_error(m));
        goto out;
    }
    r = (double)(s.t_end - s.t_start) / (double)loads;
out:
    machine_destroy(m);
    free(next);
    free(pool);
    free(frame);
    return r;
}
