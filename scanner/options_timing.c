#include "options_timing.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "time_spec.h"

static gboolean refuse(GError **error, const char *format, const char *name, const char *value)
{
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT, format, name, value);
    return FALSE;
}

/* A time option: nmap's syntax and bounds; a bare number past nmap's
 * threshold is refused as nmap refuses it, since it was once milliseconds. */
static gboolean set_time(const char *name, const char *value, gpointer data, GError **error)
{
    static const struct {
        const char *name;
        size_t offset;
        gint64 bare_max_s; /* nmap's "Since April 2010" thresholds, seconds */
        gint64 least;      /* microseconds */
    } times[] = {
        {"--host-timeout", G_STRUCT_OFFSET(timing, host_timeout), 10000, 0},
        {"--scan-delay", G_STRUCT_OFFSET(timing, scan_delay), 100, 0},
        {"--max-scan-delay", G_STRUCT_OFFSET(timing, max_scan_delay_tcp), 100, 0},
        {"--min-rtt-timeout", G_STRUCT_OFFSET(timing, min_rtt), 50, 0},
        {"--max-rtt-timeout", G_STRUCT_OFFSET(timing, max_rtt), 50, 5000},
        {"--initial-rtt-timeout", G_STRUCT_OFFSET(timing, initial_rtt), 50, 1},
    };
    gint64 usec;
    for (size_t i = 0; i < G_N_ELEMENTS(times); i++) {
        if (strcmp(name, times[i].name) != 0)
            continue;
        if (!time_spec_parse(name, value, &usec, error))
            return FALSE;
        gboolean unit = g_ascii_isalpha(value[strlen(value) - 1]);
        if (usec < times[i].least)
            return refuse(error,
                          times[i].least == 1 ? "Bogus %s argument \"%s\": it must be positive"
                                              : "Bogus %s argument \"%s\": it must be at least 5ms",
                          name, value);
        if (!unit && usec >= times[i].bare_max_s * G_USEC_PER_SEC) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "Since April 2010, the default unit for %s is seconds, so your time of "
                        "\"%s\" is %s seconds. Use \"%sms\" for milliseconds, or \"%ss\" if this "
                        "is what you want",
                        name, value, value, value, value);
            return FALSE;
        }
        *(gint64 *)G_STRUCT_MEMBER_P(data, times[i].offset) = usec;
        return TRUE;
    }
    g_assert_not_reached();
}

/* A count option: a whole number, at least 1 (nmap: "must be at least 1"). */
static gboolean set_count(const char *name, const char *value, gpointer data, GError **error)
{
    timing_given *g = data;
    char *end = NULL;
    gint64 n = g_ascii_strtoll(value, &end, 10);
    if (end == value || *end != '\0' || n < 1 || n > G_MAXINT)
        return refuse(error, "Argument to %s must be a whole number, at least 1, not \"%s\"", name,
                      value);
    if (strcmp(name, "--min-parallelism") == 0)
        g->min_parallelism = (int)n;
    else if (strcmp(name, "--max-parallelism") == 0 || strcmp(name, "-M") == 0)
        g->max_parallelism = (int)n;
    else if (strcmp(name, "--min-hostgroup") == 0)
        g->min_hostgroup = (int)n;
    else
        g->max_hostgroup = (int)n;
    return TRUE;
}

static gboolean set_level(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    timing_given *g = data;
    g->level = timing_level_parse(value, error);
    return g->level >= 0;
}

GOptionGroup *options_timing_group(timing_given *given)
{
    static const GOptionEntry entries[] = {
        {"timing", 'T', 0, G_OPTION_ARG_CALLBACK, (gpointer)set_level,
         "-T0..-T5: nmap's timing template paranoid, sneaky, polite, normal (the default), "
         "aggressive or insane; options below win over it",
         "0-5|NAME"},
        {"host-timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Give up on a host after TIME (0: never; -T5: 15m)", "TIME"},
        {"scan-delay", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Wait at least TIME between two probes to a host", "TIME"},
        {"max-scan-delay", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Slow a host that drops answers down to one probe per TIME at most (default 1s)", "TIME"},
        {"min-rtt-timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Wait for an answer at least TIME (default 100ms)", "TIME"},
        {"max-rtt-timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Wait for an answer at most TIME (default 10s)", "TIME"},
        {"initial-rtt-timeout", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_time,
         "Wait TIME for an answer before any round trip was timed (default 1s)", "TIME"},
        {"min-hostgroup", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_count,
         "Scan at least N hosts at once", "N"},
        {"max-hostgroup", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_count,
         "Scan at most N hosts at once", "N"},
        {"min-parallelism", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_count,
         "Keep at least N probes in flight", "N"},
        {"max-parallelism", 'M', 0, G_OPTION_ARG_CALLBACK, (gpointer)set_count,
         "Keep at most N probes in flight (default 256)", "N"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionGroup *group = g_option_group_new(
        "timing", "Timing and performance (TIME: 500ms, 2s, 1m, 1h; a bare number is seconds):",
        "Timing and performance", given, NULL);
    g_option_group_add_entries(group, entries);
    return group;
}
