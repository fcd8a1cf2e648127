/* How a host that loses probes or limits its answers is slowed down, as
 * nmap's scan engine does it (scan_engine.cc: ultrascan_adjust_timing,
 * boostScanDelay, the rate limit detection before a new try number). Linux
 * answers one ICMP error a second per peer after a burst of six
 * (icmp_ratelimit): a UDP scan that ignored that would call most closed ports
 * open|filtered. Per host; no I/O; times are monotonic microseconds. */
#ifndef SCANTRACE_DROPS_H
#define SCANTRACE_DROPS_H

#include <glib.h>

/* nmap's: a first boost of 50 ms for UDP (ICMP errors are what gets limited),
 * 5 ms for TCP; doubled after that, at most a second (--max-scan-delay's
 * default). */
#define DROPS_FIRST_DELAY_UDP (50 * 1000)
#define DROPS_FIRST_DELAY_TCP (5 * 1000)
#define DROPS_MAX_DELAY       (1000 * 1000)
/* nmap waits this long before the first retransmission of each new try number,
 * so that a rate limiter's bucket refills and that retransmission can tell a
 * limit from a filter. */
#define DROPS_NEW_TRY_PAUSE (1000 * 1000)

enum { DROPS_GAPS = 4 };

typedef struct drop_state {
    gint64 delay;      /* between two probes to the host; --scan-delay's at first */
    gint64 max_delay;  /* --max-scan-delay's; DROPS_MAX_DELAY by default */
    gint64 last_boost; /* when delay last grew (or the scan began) */
    guint good, bad;   /* answers since then: to a first try / to a retransmission */
    guint boosted_try; /* the highest try whose answer boosted the delay */
    /* The gaps between the host's latest answers: a rate limiter shows as a
     * steady gap, which the delay jumps to (nmap only doubles, and takes a
     * minute to reach a 1/s limiter's pace). */
    gint64 last_answer;
    gint64 gaps[DROPS_GAPS];
    guint ngaps;
} drop_state;

void drops_init(drop_state *d, gint64 now);

/* --scan-delay (the delay to start from) and --max-scan-delay (what it grows
 * to at most; at least the first), microseconds (timing.h). */
void drops_set_delays(drop_state *d, gint64 scan_delay, gint64 max_delay);

/* An answer arrived at now to try try_no (0 = first transmission; a try not
 * known counts as a first), sent at sent_at; best_try is the highest try ever
 * answered by the host, this one included. Grows the delay when nmap would:
 * more than 10 answers to retransmissions sent since the last boost, making
 * more than 30% of the answers (drops), or an answer to a try beyond the 3rd
 * (retries that far only pay off against a limiter); and sooner, from the 3rd
 * try, when the latest answers came 100 ms or more apart (a limiter's pace).
 * The delay grows to nmap's next step or to nine tenths of that pace,
 * whichever is longer. udp: the probe was a UDP one. TRUE when it grew. */
gboolean drops_answer(drop_state *d, unsigned try_no, gint64 sent_at, unsigned best_try,
                      gboolean udp, gint64 now);

#endif
