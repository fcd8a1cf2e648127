/* nmap's time arguments (--stats-every, --host-timeout, --scan-delay...): a
 * number, fractions allowed, with an optional unit "ms", "s", "m" or "h";
 * without one it counts seconds (nmap.cc, tval2msecs). */
#ifndef SCANTRACE_TIME_SPEC_H
#define SCANTRACE_TIME_SPEC_H

#include <glib.h>

/* The time text says, in microseconds, into *us. FALSE with an error naming
 * option ("--stats-every") for anything else: no number, an unknown unit, a
 * negative time, or more than a year. */
gboolean time_spec_parse(const char *option, const char *text, gint64 *us, GError **error);

#endif
