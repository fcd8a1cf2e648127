#include "time_spec.h"

#include <string.h>

#include "error.h"

enum { MAX_SECONDS = 366 * 24 * 3600 };

gboolean time_spec_parse(const char *option, const char *text, gint64 *us, GError **error)
{
    static const struct {
        const char *suffix;
        double to_us;
    } units[] = {{"", 1e6}, {"ms", 1e3}, {"s", 1e6}, {"m", 60e6}, {"h", 3600e6}};
    char *end = NULL;
    double value = g_ascii_strtod(text, &end);
    gboolean digits = end != text && g_ascii_isdigit(text[0]);
    for (guint i = 0; digits && i < G_N_ELEMENTS(units); i++)
        if (strcmp(end, units[i].suffix) == 0 && value >= 0 &&
            value * units[i].to_us <= MAX_SECONDS * 1e6) {
            *us = (gint64)(value * units[i].to_us + 0.5);
            return TRUE;
        }
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                "%s takes a time such as 500ms, 30s, 5m or 1h (a plain number counts seconds), "
                "not \"%s\"",
                option, text);
    return FALSE;
}
