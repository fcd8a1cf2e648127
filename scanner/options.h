/* The command line, nmap's way: nmap spellings (-sS, -Pn, -oN, -oX, -p-, -p22)
 * are rewritten into long options first, since GOption knows neither
 * multi-letter short options nor attached values. */
#ifndef SCANTRACE_OPTIONS_H
#define SCANTRACE_OPTIONS_H

#include <glib.h>

#include "scan_type.h"

#define OPTIONS_DEFAULT_RETRIES 2

typedef struct scan_options {
    GPtrArray *types; /* const scan_type *, as given; -sS when none is */
    char *ports;      /* -p, or NULL for the top 1000 */
    gboolean skip_discovery, reason, packet_trace, no_dns;
    char *normal_file, *xml_file, *capture_file, *device;
    int max_retries;
    double max_rate, min_rate;
    char **targets;
    char *command_line; /* as typed, for the report headers */
} scan_options;

/* FALSE with a one-line error for anything wrong; *help is set when --help was
 * asked for (the text is in the error then, and it is not an error). */
gboolean options_parse(int argc, char **argv, scan_options *o, gboolean *help, GError **error);
void options_clear(scan_options *o);

#endif
