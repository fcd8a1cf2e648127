/* A token bucket for --max-rate: tokens accrue at the rate, up to a burst of a
 * few milliseconds' worth, so the long-run rate holds without sleeping between
 * every packet. A rate of 0 means unlimited. Times are monotonic microseconds. */
#ifndef SCANTRACE_RATE_H
#define SCANTRACE_RATE_H

#include <glib.h>

typedef struct rate_limit {
    double rate; /* packets per second, 0 = unlimited */
    double tokens, burst;
    gint64 last;
} rate_limit;

void rate_init(rate_limit *r, double rate, gint64 now);

/* Takes one token if there is one. */
gboolean rate_take(rate_limit *r, gint64 now);

/* When the next token will be there (now if one already is). */
gint64 rate_next(const rate_limit *r, gint64 now);

#endif
