/* config.c: INI configuration (read by inih), -c overrides, and validation into a machine_config_t.
 *
 * Representation: entries[0..n) in first-set order; setting a key again replaces its value and
 * origin in place, so `presets --show` and the echoed configuration keep a stable order.
 * Every accepted key is a row of config_keys.def; anything else is rejected with what is allowed.
 */
#include "sim/config.h"

#include <cjson/cJSON.h>
#include <ini.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef enum key_kind { KIND_UINT, KIND_SIZE, KIND_BOOL, KIND_ENUM } key_kind_t;

typedef struct key_def {
    const char *section, *key;
    key_kind_t kind;
    const char *allowed, *unit, *doc;
} key_def_t;

static const key_def_t key_defs[] = {
#define KEY(section, key, kind, allowed, unit, doc) {section, key, KIND_##kind, allowed, unit, doc},
#include "sim/config_keys.def"
#undef KEY
};
#define NKEYS (sizeof key_defs / sizeof key_defs[0])

static const char *const cache_sections[] = {"l1i", "l1d", "l1", "l2", "llc"};

typedef struct entry {
    char *section, *key, *value, *origin;
} entry_t;

struct config {
    entry_t *entries;
    size_t n, cap;
};

config_t *config_new(void) { return calloc(1, sizeof(config_t)); }

void config_free(config_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->entries[i].section);
        free(c->entries[i].key);
        free(c->entries[i].value);
        free(c->entries[i].origin);
    }
    free(c->entries);
    free(c);
}

#define NCACHE_SECTIONS (sizeof cache_sections / sizeof cache_sections[0])

/* The index of a cache section in cache_sections, or -1. */
static int cache_section_index(const char *section)
{
    for (unsigned i = 0; i < NCACHE_SECTIONS; i++)
        if (strcmp(section, cache_sections[i]) == 0)
            return (int)i;
    return -1;
}

static int is_cache_section(const char *section) { return cache_section_index(section) >= 0; }

static const key_def_t *find_key(const char *section, const char *key)
{
    for (size_t i = 0; i < NKEYS; i++) {
        const key_def_t *d = &key_defs[i];
        if (strcmp(d->key, key) != 0)
            continue;
        if (strcmp(d->section, section) == 0 ||
            (strcmp(d->section, "cache") == 0 && is_cache_section(section)))
            return d;
    }
    return NULL;
}

const char *config_key_unit(const char *section, const char *key)
{
    const key_def_t *d = find_key(section, key);
    return d ? d->unit : NULL;
}

static int section_known(const char *section)
{
    if (is_cache_section(section))
        return 1;
    for (size_t i = 0; i < NKEYS; i++)
        if (strcmp(key_defs[i].section, section) == 0)
            return 1;
    return 0;
}

/* The keys of section, for "expected one of" messages. */
static void keys_of(const char *section, char *buf, size_t len)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < NKEYS; i++) {
        const key_def_t *d = &key_defs[i];
        if (strcmp(d->section, section) == 0 ||
            (strcmp(d->section, "cache") == 0 && is_cache_section(section)))
            n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "", d->key);
    }
}

int config_parse_size(const char *s, uint64_t *out)
{
    if (!*s || *s == '-' || *s == '+')
        return -1;
    char *end;
    errno = 0;
    /* Decimal, or hexadecimal after 0x: never octal (strtoull's base 0 read 010 as 8). */
    int base = s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10;
    unsigned long long v = strtoull(s, &end, base);
    if (errno || end == s)
        return -1;
    uint64_t mult = 1;
    if (*end == 'K' || *end == 'k')
        mult = 1ull << 10;
    else if (*end == 'M' || *end == 'm')
        mult = 1ull << 20;
    else if (*end == 'G' || *end == 'g')
        mult = 1ull << 30;
    if (mult != 1) {
        end++;
        if (*end == 'B' || *end == 'b')
            end++;
    }
    if (*end)
        return -1;
    if (v > UINT64_MAX / mult)
        return -1;
    *out = v * mult;
    return 0;
}

static int parse_range(const char *allowed, uint64_t *lo, uint64_t *hi)
{
    char *dots;
    *lo = strtoull(allowed, &dots, 10);
    if (strncmp(dots, "..", 2) != 0)
        return -1;
    return config_parse_size(dots + 2, hi);
}

/* Check value against d: 0, or -1 with "origin: section.key = 'value': expected ..." in err. */
static int check_value(const key_def_t *d, const char *section, const char *value,
                       const char *origin, char *err, size_t errlen)
{
    uint64_t v, lo, hi;
    switch (d->kind) {
    case KIND_UINT:
    case KIND_SIZE: {
        int bad = d->kind == KIND_SIZE ? config_parse_size(value, &v) : config_parse_size(value, &v);
        if (d->kind == KIND_UINT && strpbrk(value, "KkMmGg"))
            bad = -1;
        parse_range(d->allowed, &lo, &hi);
        if (bad || v < lo || v > hi) {
            const char *dots = strstr(d->allowed, "..");
            snprintf(err, errlen, "%s: %s.%s = '%s': expected %s from %.*s to %s%s", origin,
                     section, d->key, value, d->kind == KIND_SIZE ? "a size" : "a whole number",
                     (int)(dots - d->allowed), d->allowed, dots + 2,
                     d->kind == KIND_SIZE ? " (K, M, G suffixes allowed)" : "");
            return -1;
        }
        return 0;
    }
    case KIND_BOOL:
        if (strcmp(value, "yes") && strcmp(value, "no")) {
            snprintf(err, errlen, "%s: %s.%s = '%s': expected yes or no", origin, section, d->key,
                     value);
            return -1;
        }
        return 0;
    case KIND_ENUM: {
        size_t len = strlen(value);
        for (const char *p = d->allowed; *p;) {
            const char *bar = strchr(p, '|');
            size_t n = bar ? (size_t)(bar - p) : strlen(p);
            if (n == len && strncmp(p, value, n) == 0)
                return 0;
            p += n + (bar != NULL);
        }
        snprintf(err, errlen, "%s: %s.%s = '%s': expected one of %s", origin, section, d->key,
                 value, d->allowed);
        return -1;
    }
    }
    return -1;
}

static char *trimmed_dup(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return strndup(s, n);
}

int config_set(config_t *c, const char *section, const char *key, const char *value,
               const char *origin, char *err, size_t errlen)
{
    if (!section_known(section)) {
        snprintf(err, errlen,
                 "%s: unknown section [%s]: expected machine, l1i, l1d, l1, l2, llc, storebuf, "
                 "bus, memory, ipi, os or sim",
                 origin, section);
        return -1;
    }
    const key_def_t *d = find_key(section, key);
    if (!d) {
        char keys[512];
        keys_of(section, keys, sizeof keys);
        snprintf(err, errlen, "%s: unknown key %s.%s: expected one of %s", origin, section, key,
                 keys);
        return -1;
    }
    char *v = trimmed_dup(value);
    if (!v) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    if (check_value(d, section, v, origin, err, errlen) != 0) {
        free(v);
        return -1;
    }
    for (size_t i = 0; i < c->n; i++) {
        entry_t *e = &c->entries[i];
        if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
            char *o = strdup(origin);
            if (!o) {
                free(v);
                snprintf(err, errlen, "out of memory");
                return -1;
            }
            free(e->value);
            free(e->origin);
            e->value = v;
            e->origin = o;
            return 0;
        }
    }
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 64;
        entry_t *grown = realloc(c->entries, cap * sizeof *grown);
        if (!grown) {
            free(v);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
        c->entries = grown;
        c->cap = cap;
    }
    entry_t *e = &c->entries[c->n];
    e->section = strdup(section);
    e->key = strdup(key);
    e->origin = strdup(origin);
    e->value = v;
    if (!e->section || !e->key || !e->origin) {
        free(e->section), free(e->key), free(e->origin), free(v);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    c->n++;
    return 0;
}

typedef struct ini_ctx {
    config_t *c;
    const char *name;
    int line;
    char *err;
    size_t errlen;
    int failed;
    /* The keys this file has set: a second one is a mistake, not an override. Row 0 for the
     * keys of one section, row 1 + i for the cache keys of cache_sections[i]. */
    bool seen[1 + NCACHE_SECTIONS][NKEYS];
} ini_ctx_t;

static int config_ini_entry(void *user, const char *section, const char *key, const char *value)
{
    ini_ctx_t *x = user;
    if (x->failed)
        return 0;
    const key_def_t *d = find_key(section, key);
    bool *seen = d ? &x->seen[1 + cache_section_index(section)][d - key_defs] : NULL;
    if (seen && *seen) {
        snprintf(x->err, x->errlen, "%s: %s.%s is set a second time: a file sets each key once",
                 x->name, section, key);
        x->failed = 1;
        return 0;
    }
    if (seen)
        *seen = true;
    char origin[512];
    snprintf(origin, sizeof origin, "%s", x->name);
    if (config_set(x->c, section, key, value, origin, x->err, x->errlen) != 0) {
        x->failed = 1;
        return 0;
    }
    return 1;
}

/* inih reports the first failing line; rewrite "NAME: ..." into "NAME:LINE: ...". */
static void add_line(char *err, size_t errlen, const char *name, int line)
{
    size_t n = strlen(name);
    if (strncmp(err, name, n) == 0 && err[n] == ':') {
        char rest[1024];
        snprintf(rest, sizeof rest, "%s", err + n + 1);
        snprintf(err, errlen, "%s:%d:%s", name, line, rest);
    }
}

static int load_ini(config_t *c, const char *name, int rc, ini_ctx_t *x)
{
    if (rc == 0)
        return 0;
    if (rc == -1)
        snprintf(x->err, x->errlen, "%s: cannot open: %s", name, strerror(errno));
    else if (rc == -2)
        snprintf(x->err, x->errlen, "%s: out of memory", name);
    else if (x->failed)
        add_line(x->err, x->errlen, name, rc);
    else
        snprintf(x->err, x->errlen,
                 "%s:%d: expected '[section]', 'key = value', a ';' or '#' comment, or a blank "
                 "line",
                 name, rc);
    (void)c;
    return -1;
}

/* A configuration is a few hundred bytes: anything past this is not one (/dev/zero never ends). */
#define CONFIG_MAX_BYTES (1u << 20)

/* The whole file as a string: not a directory, at most CONFIG_MAX_BYTES, no NUL byte (inih
 * would read a line only up to it). NULL with the reason in err. */
static char *config_read_text(const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "%s: is a directory: expected a configuration file", path);
        close(fd);
        return NULL;
    }
    char *text = malloc(CONFIG_MAX_BYTES + 2);
    size_t len = 0;
    ssize_t n = 1;
    while (text && len <= CONFIG_MAX_BYTES && n > 0) {
        n = read(fd, text + len, CONFIG_MAX_BYTES + 1 - len);
        if (n > 0)
            len += (size_t)n;
        else if (n < 0 && errno == EINTR)
            n = 1;
    }
    int saved = errno;
    close(fd);
    if (!text || n < 0 || len > CONFIG_MAX_BYTES) {
        if (!text)
            snprintf(err, errlen, "%s: out of memory", path);
        else if (n < 0)
            snprintf(err, errlen, "%s: cannot read: %s", path, strerror(saved));
        else
            snprintf(err, errlen, "%s: longer than %u bytes: expected a configuration file",
                     path, CONFIG_MAX_BYTES);
        free(text);
        return NULL;
    }
    text[len] = '\0';
    const char *nul = memchr(text, '\0', len);
    if (nul) {
        unsigned line = 1;
        const char *ls = text;
        for (const char *q = text; q < nul; q++)
            if (*q == '\n')
                line++, ls = q + 1;
        snprintf(err, errlen, "%s:%u: NUL byte at byte %zu of the line: expected text", path,
                 line, (size_t)(nul - ls) + 1);
        free(text);
        return NULL;
    }
    return text;
}

int config_load_file(config_t *c, const char *path, char *err, size_t errlen)
{
    char *text = config_read_text(path, err, errlen);
    if (!text)
        return -1;
    ini_ctx_t x = {.c = c, .name = path, .err = err, .errlen = errlen};
    int rc = load_ini(c, path, ini_parse_string(text, config_ini_entry, &x), &x);
    free(text);
    return rc;
}

int config_load_preset(config_t *c, const char *name, char *err, size_t errlen)
{
    const char *ini = preset_ini(name);
    if (!ini) {
        int n = snprintf(err, errlen, "unknown preset '%s': expected one of", name);
        for (unsigned i = 0; preset_name(i) && n > 0 && (size_t)n < errlen; i++)
            n += snprintf(err + n, errlen - (size_t)n, "%s %s", i ? "," : "", preset_name(i));
        return -1;
    }
    char origin[128];
    snprintf(origin, sizeof origin, "preset %s", name);
    ini_ctx_t x = {.c = c, .name = origin, .err = err, .errlen = errlen};
    return load_ini(c, origin, ini_parse_string(ini, config_ini_entry, &x), &x);
}

int config_set_assignment(config_t *c, const char *assignment, char *err, size_t errlen)
{
    const char *dot = strchr(assignment, '.');
    const char *eq = strchr(assignment, '=');
    if (!dot || !eq || dot > eq || dot == assignment || eq == dot + 1) {
        snprintf(err, errlen, "-c '%s': expected SECTION.KEY=VALUE (for example l2.size=1M)",
                 assignment);
        return -1;
    }
    char section[64], key[64];
    size_t sl = (size_t)(dot - assignment), kl = (size_t)(eq - dot - 1);
    if (sl >= sizeof section || kl >= sizeof key) {
        snprintf(err, errlen, "-c '%s': section or key too long", assignment);
        return -1;
    }
    memcpy(section, assignment, sl);
    section[sl] = '\0';
    memcpy(key, dot + 1, kl);
    key[kl] = '\0';
    return config_set(c, section, key, eq + 1, "-c", err, errlen);
}

const char *config_get(const config_t *c, const char *section, const char *key)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->entries[i].section, section) == 0 && strcmp(c->entries[i].key, key) == 0)
            return c->entries[i].value;
    return NULL;
}

int config_entry(const config_t *c, size_t i, const char **section, const char **key,
                 const char **value, const char **origin)
{
    if (i >= c->n)
        return 0;
    *section = c->entries[i].section;
    *key = c->entries[i].key;
    *value = c->entries[i].value;
    *origin = c->entries[i].origin;
    return 1;
}

void config_write_ini(const config_t *c, FILE *out)
{
    /* Group by section in the order sections first appear. */
    for (size_t i = 0; i < c->n; i++) {
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            if (strcmp(c->entries[j].section, c->entries[i].section) == 0)
                seen = 1;
        if (seen)
            continue;
        fprintf(out, "%s[%s]\n", i ? "\n" : "", c->entries[i].section);
        for (size_t j = i; j < c->n; j++)
            if (strcmp(c->entries[j].section, c->entries[i].section) == 0)
                fprintf(out, "%s = %s\n", c->entries[j].key, c->entries[j].value);
    }
}

void *config_to_json(const config_t *c)
{
    cJSON *doc = cJSON_CreateObject();
    for (size_t i = 0; doc && i < c->n; i++) {
        const entry_t *e = &c->entries[i];
        cJSON *sec = cJSON_GetObjectItemCaseSensitive(doc, e->section);
        if (!sec)
            sec = cJSON_AddObjectToObject(doc, e->section);
        /* Numbers and sizes as JSON numbers (bytes), yes/no as booleans, words as strings:
         * the values are validated, so a number parses. */
        const key_def_t *d = find_key(e->section, e->key);
        uint64_t n = 0;
        cJSON *v;
        if (d && (d->kind == KIND_UINT || d->kind == KIND_SIZE) &&
            config_parse_size(e->value, &n) == 0)
            v = cJSON_CreateNumber((double)n);
        else if (d && d->kind == KIND_BOOL)
            v = cJSON_CreateBool(strcmp(e->value, "yes") == 0);
        else
            v = cJSON_CreateString(e->value);
        if (!sec || !v || !cJSON_AddItemToObject(sec, e->key, v)) {
            cJSON_Delete(v);
            cJSON_Delete(doc);
            return NULL;
        }
    }
    return doc;
}

/* ---- building the machine configuration --------------------------------------------------- */

static uint64_t get_num(const config_t *c, const char *section, const char *key, uint64_t dflt)
{
    const char *v = config_get(c, section, key);
    uint64_t n;
    if (!v || config_parse_size(v, &n) != 0)
        return dflt;
    return n;
}

static int get_bool(const config_t *c, const char *section, const char *key, int dflt)
{
    const char *v = config_get(c, section, key);
    return v ? strcmp(v, "yes") == 0 : dflt;
}

static const char *get_str(const config_t *c, const char *section, const char *key,
                           const char *dflt)
{
    const char *v = config_get(c, section, key);
    return v ? v : dflt;
}

static int build_cache(const config_t *c, const char *section, cache_config_t *cc, char *err,
                       size_t errlen)
{
    memset(cc, 0, sizeof *cc);
    cc->size = get_num(c, section, "size", 0);
    if (cc->size == 0)
        return 0;
    cc->assoc = (uint32_t)get_num(c, section, "assoc", 8);
    cc->line = (uint32_t)get_num(c, section, "line", 64);
    cc->repl = repl_lookup(get_str(c, section, "repl", "lru"));
    cc->write_back = strcmp(get_str(c, section, "write", "back"), "back") == 0;
    cc->write_allocate = get_bool(c, section, "alloc", 1);
    cc->latency = (uint32_t)get_num(c, section, "latency", 1);
    char why[200];
    if (cache_config_check(cc, why, sizeof why) != 0) {
        snprintf(err, errlen, "[%s] size = %s, assoc = %u, line = %u: %s", section,
                 get_str(c, section, "size", "?"), cc->assoc, cc->line, why);
        return -1;
    }
    return 0;
}

int config_to_machine(const config_t *c, machine_config_t *m, char *err, size_t errlen)
{
    memset(m, 0, sizeof *m);
    m->cores = (uint32_t)get_num(c, "machine", "cores", 1);
    m->protocol = protocol_lookup(get_str(c, "machine", "protocol", "mesi"));
    m->arch = strcmp(get_str(c, "machine", "arch", "x86"), "arm") == 0 ? ARCH_ARM : ARCH_X86;
    m->icache_snoop = get_bool(c, "machine", "icache_snoop", 1);
    if (build_cache(c, "l1i", &m->l1i, err, errlen) || build_cache(c, "l1d", &m->l1d, err, errlen) ||
        build_cache(c, "l1", &m->l1, err, errlen) || build_cache(c, "l2", &m->l2, err, errlen) ||
        build_cache(c, "llc", &m->llc, err, errlen))
        return -1;
    m->llc_inclusive = get_bool(c, "llc", "inclusive", 0);
    m->sb_entries = (uint32_t)get_num(c, "storebuf", "entries", 0);
    m->sb_drain_latency = (uint32_t)get_num(c, "storebuf", "drain_latency", 1);
    m->bus_latency = (uint32_t)get_num(c, "bus", "latency", 0);
    m->bus_occupancy = (uint32_t)get_num(c, "bus", "occupancy", 0);
    m->mem_latency = (uint32_t)get_num(c, "memory", "latency", 100);
    m->ipi_latency = (uint32_t)get_num(c, "ipi", "latency", 1000);
    m->ipi_handler = (uint32_t)get_num(c, "ipi", "handler", 500);
    m->ipi_ack = (uint32_t)get_num(c, "ipi", "ack", 100);
    m->page_size = (uint32_t)get_num(c, "os", "page", 4096);
    m->disk_latency = (uint32_t)get_num(c, "os", "disk_latency", 10000);
    m->disk_bandwidth = (uint32_t)get_num(c, "os", "disk_bandwidth", 1);
    m->syscall = (uint32_t)get_num(c, "os", "syscall", 100);
    m->seed = get_num(c, "sim", "seed", 1);
    m->jitter = (uint32_t)get_num(c, "sim", "jitter", 0);
    return machine_config_check(m, err, errlen) == MACHINE_OK ? 0 : -1;
}
