/* test_cache.c: the cache array and every replacement policy, on tiny geometries. */
#include <criterion/criterion.h>

#include "model/cache.h"

static cache_t *make(uint32_t sets, uint32_t assoc, const char *repl, rng_t *rng)
{
    cache_config_t cfg = {.size = (uint64_t)sets * assoc * 64, .assoc = assoc, .line = 64,
                          .repl = repl_lookup(repl), .write_back = true, .write_allocate = true};
    cache_t *c = cache_create(&cfg, rng);
    cr_assert_not_null(c);
    return c;
}

/* Access addr: on a miss, fill the victim slot. Returns 1 on a hit, 0 on a miss; *evicted gets
 * the evicted line's address or UINT64_MAX. */
static int access_line(cache_t *c, uint64_t addr, uint64_t *evicted)
{
    *evicted = UINT64_MAX;
    int32_t slot = cache_find(c, addr);
    if (slot >= 0) {
        cache_touch(c, slot);
        return 1;
    }
    slot = cache_victim(c, addr);
    if (cache_state(c, slot) != LINE_I)
        *evicted = cache_slot_addr(c, slot);
    cache_fill(c, slot, addr, LINE_S);
    return 0;
}

Test(cache, config_check_rejects_bad_geometry)
{
    char err[200];
    cache_config_t cfg = {.size = 3000, .assoc = 2, .line = 64, .repl = &repl_lru};
    cr_assert_eq(cache_config_check(&cfg, err, sizeof err), -1);
    cfg.size = 64 * 2 * 3; /* three sets */
    cr_assert_eq(cache_config_check(&cfg, err, sizeof err), -1);
    cfg.size = 64 * 3 * 4; /* 3 ways, 4 sets: fine for LRU */
    cfg.assoc = 3;
    cr_assert_eq(cache_config_check(&cfg, err, sizeof err), 0);
    cfg.repl = &repl_plru; /* but not for tree pseudo-LRU */
    cr_assert_eq(cache_config_check(&cfg, err, sizeof err), -1);
    cfg.repl = &repl_lru;
    cfg.line = 48;
    cr_assert_eq(cache_config_check(&cfg, err, sizeof err), -1);
}

Test(cache, sets_are_indexed_by_line_number)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cache_t *c = make(2, 1, "lru", &rng);
    uint64_t ev;
    cr_assert_eq(access_line(c, 0x000, &ev), 0);
    cr_assert_eq(access_line(c, 0x040, &ev), 0); /* set 1 */
    cr_assert_eq(access_line(c, 0x03f, &ev), 1); /* same line as 0x000 */
    cr_assert_eq(access_line(c, 0x080, &ev), 0); /* set 0 again: evicts 0x000 */
    cr_assert_eq(ev, 0x000);
    cr_assert_eq(access_line(c, 0x040, &ev), 1);
    cache_destroy(c);
}

Test(cache, lru_evicts_least_recent)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cache_t *c = make(1, 2, "lru", &rng);
    uint64_t ev;
    access_line(c, 0x000, &ev);
    access_line(c, 0x040, &ev);
    access_line(c, 0x000, &ev); /* 0x040 is now least recent */
    cr_assert_eq(access_line(c, 0x080, &ev), 0);
    cr_assert_eq(ev, 0x040);
    cache_destroy(c);
}

Test(cache, fifo_ignores_hits)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cache_t *c = make(1, 2, "fifo", &rng);
    uint64_t ev;
    access_line(c, 0x000, &ev);
    access_line(c, 0x040, &ev);
    access_line(c, 0x000, &ev); /* a hit does not refresh 0x000 */
    cr_assert_eq(access_line(c, 0x080, &ev), 0);
    cr_assert_eq(ev, 0x000);
    cache_destroy(c);
}

Test(cache, plru_points_away_from_recent_accesses)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cache_t *c = make(1, 4, "plru", &rng);
    uint64_t ev;
    for (uint64_t a = 0; a < 4; a++)
        access_line(c, a * 64, &ev); /* ways 0..3 filled in order */
    access_line(c, 0, &ev);          /* touch way 0: the tree points at the right half */
    cr_assert_eq(access_line(c, 4 * 64, &ev), 0);
    cr_assert(ev == 2 * 64 || ev == 3 * 64, "evicted %#llx", (unsigned long long)ev);
    cache_destroy(c);
}

Test(cache, random_is_deterministic_per_seed)
{
    uint64_t evicted[2][32];
    for (int run = 0; run < 2; run++) {
        rng_t rng;
        rng_seed(&rng, 7);
        cache_t *c = make(1, 4, "random", &rng);
        uint64_t ev;
        for (int i = 0; i < 32; i++) {
            access_line(c, (uint64_t)i * 64, &ev);
            evicted[run][i] = ev;
        }
        cache_destroy(c);
    }
    cr_assert_arr_eq(evicted[0], evicted[1], sizeof evicted[0]);
}

Test(cache, invalid_ways_fill_first_and_counts)
{
    rng_t rng;
    rng_seed(&rng, 1);
    cache_t *c = make(1, 4, "random", &rng);
    uint64_t ev;
    for (uint64_t a = 0; a < 4; a++) {
        access_line(c, a * 64, &ev);
        cr_assert_eq(ev, UINT64_MAX);
    }
    cr_assert_eq(cache_valid_lines(c), 4);
    int32_t s = cache_find(c, 64);
    cache_set_state(c, s, LINE_M | LINE_DIRTY);
    cr_assert_eq(cache_dirty_lines(c), 1);
    cache_set_state(c, s, LINE_I);
    cr_assert_eq(cache_valid_lines(c), 3);
    cr_assert_eq(cache_victim(c, 5 * 64), s);
    cache_destroy(c);
}
