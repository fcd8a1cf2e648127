/* Per-host retransmission timeout, the way nmap keeps it: RFC 6298's smoothed
 * round-trip time and variance, timeout = srtt + 4 * rttvar, starting at 1 s and
 * kept within 100 ms .. 10 s. Samples come only from replies whose cookie names
 * the exact try that caused them, so a retransmission never muddles a sample
 * (Karn's problem does not arise). Times are in microseconds. */
#ifndef SCANTRACE_RTT_H
#define SCANTRACE_RTT_H

#include <glib.h>

#define RTT_INITIAL_TIMEOUT G_USEC_PER_SEC
#define RTT_MIN_TIMEOUT     (G_USEC_PER_SEC / 10)
#define RTT_MAX_TIMEOUT     (10 * G_USEC_PER_SEC)

typedef struct rtt_state {
    gint64 srtt, rttvar; /* -1 until the first sample */
    gint64 timeout;
    gint64 min_timeout, max_timeout;
} rtt_state;

/* nmap's defaults: 1 s at first, within 100 ms .. 10 s. */
void rtt_init(rtt_state *r);
/* --initial-rtt-timeout, --min-rtt-timeout, --max-rtt-timeout and the -T
 * templates' (timing.h): before any sample. */
void rtt_set_bounds(rtt_state *r, gint64 initial, gint64 min, gint64 max);
void rtt_sample(rtt_state *r, gint64 rtt);

#endif
