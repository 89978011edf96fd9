/* config.h: machine configuration as INI: presets, --config files, -c overrides, validation.
 *
 * A config is an ordered list of section.key=value entries, each remembering where it came from
 * ("preset x86-4", "FILE:LINE", "-c"); a later setting of a key replaces an earlier one in place.
 * Every key is one row of config_keys.def.
 */
#ifndef COHSIM_CONFIG_H
#define COHSIM_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "model/machine.h"

typedef struct config config_t;

config_t *config_new(void);
void config_free(config_t *c);

/* Each returns 0, or -1 with a message naming the origin, the key, the value and what is allowed. */
int config_load_preset(config_t *c, const char *name, char *err, size_t errlen);
int config_load_file(config_t *c, const char *path, char *err, size_t errlen);
int config_set_assignment(config_t *c, const char *assignment, char *err, size_t errlen);
int config_set(config_t *c, const char *section, const char *key, const char *value,
               const char *origin, char *err, size_t errlen);

/* The value of section.key, or NULL. */
const char *config_get(const config_t *c, const char *section, const char *key);
/* What a number of section.key counts ("bytes", "cycles"; "" for a word), or NULL when the key is
 * unknown. */
const char *config_key_unit(const char *section, const char *key);
/* Write the configuration as INI that config_load_file reads back. */
void config_write_ini(const config_t *c, FILE *out);
/* Iterate: entry i's section, key, value and where it was set ("preset NAME", "FILE:LINE",
 * "-c"); returns 0 past the end. */
int config_entry(const config_t *c, size_t i, const char **section, const char **key,
                 const char **value, const char **origin);

/* The configuration as a JSON object {section: {key: value}} (what the statistics echo): numbers
 * and sizes (in bytes) as JSON numbers, yes/no as booleans, words as strings; NULL when out of
 * memory. The return type is cJSON *; void * keeps cJSON out of this header. */
void *config_to_json(const config_t *c);

/* Validate every value and build the machine configuration. */
int config_to_machine(const config_t *c, machine_config_t *m, char *err, size_t errlen);

/* Built-in presets: the i-th name (NULL past the last), and each one's INI text and summary. */
const char *preset_name(unsigned i);
const char *preset_ini(const char *name);
const char *preset_summary(const char *name);

/* Parse a size with an optional K/M/G suffix (powers of 1024). 0 or -1. */
int config_parse_size(const char *s, uint64_t *out);

#endif
