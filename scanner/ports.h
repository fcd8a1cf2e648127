/* nmap's -p syntax: a comma-separated list of ports and ranges ("22,80,1000-1010",
 * "-1024" from 1, "60000-" to 65535, "-" for all). */
#ifndef SCANTRACE_PORTS_H
#define SCANTRACE_PORTS_H

#include <glib.h>
#include <stdint.h>

/* A GArray of guint16, sorted and without duplicates; NULL and error on bad input
 * (port 0 included: it cannot be probed portably). */
GArray *ports_parse(const char *spec, GError **error);

/* The list written back in the -p syntax with ranges folded: "1,3-5,80". */
char *ports_format(const uint16_t *ports, guint count);

#endif
