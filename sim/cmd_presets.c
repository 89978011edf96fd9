/* cmd_presets.c: `cohsim presets`: list the built-in presets, or print one as INI. */
#include <stdio.h>
#include <string.h>

#include "sim/cli.h"
#include "sim/commands.h"

static const cli_opt_t presets_opts[] = {
    {"show", 's', "NAME", "print preset NAME as INI (what --config reads back)"},
    {0},
};

static const cli_spec_t presets_spec = {
    "presets", "[--show NAME]",
    "Lists the built-in machine presets with a one-line summary, or prints one as INI.",
    presets_opts,
};

static int presets_option(void *ctx, const cli_opt_t *opt, const char *arg)
{
    (void)opt;
    *(const char **)ctx = arg;
    return 0;
}

int cmd_presets(int argc, char **argv)
{
    const char *show = NULL;
    int first;
    int rc = cli_parse(&presets_spec, argc, argv, presets_option, &show, &first);
    if (rc != 0)
        return rc > 0 ? EXIT_DONE : EXIT_USAGE;
    if (first < argc) {
        cli_error("presets: unexpected argument '%s'", argv[first]);
        return EXIT_USAGE;
    }
    if (show) {
        const char *ini = preset_ini(show);
        if (!ini) {
            config_t *c = config_new();
            char err[512];
            if (c && config_load_preset(c, show, err, sizeof err) != 0)
                cli_error("presets: %s", err);
            config_free(c);
            return EXIT_USAGE;
        }
        printf("# cohsim preset %s: %s\n%s", show, preset_summary(show), ini);
        return EXIT_DONE;
    }
    for (unsigned i = 0; preset_name(i); i++)
        printf("%-13s %s\n", preset_name(i), preset_summary(preset_name(i)));
    return EXIT_DONE;
}
