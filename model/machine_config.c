/* machine_config.c: validation of a machine configuration before anything is built. */
#include <stdio.h>

#include "machine.h"
#include "machine_priv.h"

static machine_status_t check_level(const char *name, const cache_config_t *c, char *err,
                                    size_t errlen)
{
    if (c->size == 0)
        return MACHINE_OK;
    char why[200];
    if (cache_config_check(c, why, sizeof why) != 0) {
        snprintf(err, errlen, "[%s]: %s", name, why);
        return MACHINE_ECONFIG;
    }
    return MACHINE_OK;
}

machine_status_t machine_config_check(const machine_config_t *cfg, char *err, size_t errlen)
{
    if (cfg->cores < 1 || cfg->cores > MACHINE_MAX_CORES) {
        snprintf(err, errlen, "machine.cores = %u: expected 1 to %u", cfg->cores,
                 MACHINE_MAX_CORES);
        return MACHINE_ECONFIG;
    }
    if (!cfg->protocol) {
        snprintf(err, errlen, "machine.protocol: no coherence protocol");
        return MACHINE_ECONFIG;
    }
    if (check_level("l1i", &cfg->l1i, err, errlen) != MACHINE_OK ||
        check_level("l1d", &cfg->l1d, err, errlen) != MACHINE_OK ||
        check_level("l1", &cfg->l1, err, errlen) != MACHINE_OK ||
        check_level("l2", &cfg->l2, err, errlen) != MACHINE_OK ||
        check_level("llc", &cfg->llc, err, errlen) != MACHINE_OK)
        return MACHINE_ECONFIG;
    if (cfg->l1.size && (cfg->l1d.size || cfg->l1i.size)) {
        snprintf(err, errlen, "[l1] is a unified first level: it cannot be combined with [l1i] "
                              "or [l1d] (set l1.size=0 or remove them)");
        return MACHINE_ECONFIG;
    }
    if (!cfg->l1.size && !cfg->l1d.size) {
        snprintf(err, errlen, "no first-level data cache: set l1d.size (split) or l1.size "
                              "(unified)");
        return MACHINE_ECONFIG;
    }
    /* One line size throughout keeps coherence per line well defined. */
    const cache_config_t *first = cfg->l1.size ? &cfg->l1 : &cfg->l1d;
    const struct {
        const char *name;
        const cache_config_t *c;
    } levels[] = {{"l1i", &cfg->l1i}, {"l2", &cfg->l2}, {"llc", &cfg->llc}};
    for (unsigned i = 0; i < 3; i++)
        if (levels[i].c->size && levels[i].c->line != first->line) {
            snprintf(err, errlen, "%s.line = %u differs from the first level's %u: every level "
                                  "must use one line size",
                     levels[i].name, levels[i].c->line, first->line);
            return MACHINE_ECONFIG;
        }
    if (cfg->page_size < 512 || (cfg->page_size & (cfg->page_size - 1))) {
        snprintf(err, errlen, "os.page = %u: expected a power of two of at least 512",
                 cfg->page_size);
        return MACHINE_ECONFIG;
    }
    if (cfg->page_size < first->line) {
        snprintf(err, errlen, "os.page = %u is smaller than a cache line (%u)", cfg->page_size,
                 first->line);
        return MACHINE_ECONFIG;
    }
    if (cfg->disk_bandwidth == 0) {
        snprintf(err, errlen, "os.disk_bandwidth = 0: expected at least 1 byte per cycle");
        return MACHINE_ECONFIG;
    }
    return MACHINE_OK;
}

/* A level as machine_create builds it: I-caches keep the bytes of their lines, and L1Ds keep the
 * point of unification's when I-caches do not snoop (machine_priv.h). */
static uint64_t level_bytes(const cache_config_t *c, bool keeps_data)
{
    if (c->size == 0)
        return 0;
    cache_config_t k = *c;
    k.keeps_data = keeps_data;
    return cache_bytes(&k);
}

uint64_t machine_bytes(const machine_config_t *cfg)
{
    uint64_t per_core = level_bytes(&cfg->l1, false) + level_bytes(&cfg->l2, false) +
                        (uint64_t)cfg->sb_entries * sizeof(sb_entry_t);
    if (!cfg->l1.size)
        per_core += level_bytes(&cfg->l1d, !cfg->icache_snoop) + level_bytes(&cfg->l1i, true);
    uint32_t line = cfg->l1.size ? cfg->l1.line : cfg->l1d.line;
    uint64_t handoff = !cfg->l1.size && !cfg->icache_snoop ? line : 0;
    /* The snoop filter holds at most every line of every core's private caches. */
    uint64_t filter = 0;
    if (machine_filters(cfg)) {
        uint64_t private_lines;
        if (cfg->l1.size)
            private_lines = cfg->l1.size / cfg->l1.line;
        else
            private_lines = cfg->l1d.size / cfg->l1d.line +
                            (cfg->l1i.size ? cfg->l1i.size / cfg->l1i.line : 0);
        if (cfg->l2.size)
            private_lines += cfg->l2.size / cfg->l2.line;
        uint64_t lines = cfg->cores * private_lines;
        if (cfg->snoop_filter_max_lines && cfg->snoop_filter_max_lines < lines)
            lines = cfg->snoop_filter_max_lines;
        filter = sf_bytes_for(lines);
    }
    return sizeof(machine_t) + cfg->cores * per_core + level_bytes(&cfg->llc, false) + handoff +
           filter;
}
