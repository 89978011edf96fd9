/* observe.c: the names of the observer's event kinds, reasons and levels, from their tables. */
#include "observe.h"

static const char *const kind_names[OBS_KINDS] = {
#define OBS(id, name, fields) [OBS_##id] = name,
#include "observe.def"
#undef OBS
};

static const char *const kind_fields[OBS_KINDS] = {
#define OBS(id, name, fields) [OBS_##id] = fields,
#include "observe.def"
#undef OBS
};

static const char *const reason_names[OBS_REASON_COUNT] = {
#define X(id, name) [OBS_REASON_##id] = name,
    OBS_REASONS(X)
#undef X
};

static const char *const level_names[OBS_LEVEL_COUNT] = {
#define X(id, name) [OBS_LEVEL_##id] = name,
    OBS_LEVELS(X)
#undef X
};

const char *obs_kind_name(obs_kind_t k) { return (unsigned)k < OBS_KINDS ? kind_names[k] : "?"; }
const char *obs_kind_fields(obs_kind_t k) { return (unsigned)k < OBS_KINDS ? kind_fields[k] : "?"; }
const char *obs_reason_name(obs_reason_t r)
{
    return (unsigned)r < OBS_REASON_COUNT ? reason_names[r] : "?";
}
const char *obs_level_name(obs_level_t l)
{
    return (unsigned)l < OBS_LEVEL_COUNT ? level_names[l] : "?";
}
