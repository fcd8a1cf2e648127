/* The scan engine: sends one scan type's probes to a group of hosts that share a
 * route, retransmits the unanswered ones, and records each port's verdict. It
 * knows nothing of any scan type: probes come from scan_probe_build(), replies
 * are attributed with scan_reply_key() and cookie_check() and judged by the
 * type's judge(); silence gets the type's silent verdict.
 *
 * Memory is allocated per group, never per probe: one slot per (host, port),
 * and two rings of port indices per host (in flight, in send order, so the
 * oldest probe is the first to time out; and waiting for retransmission). */
#ifndef SCANTRACE_ENGINE_H
#define SCANTRACE_ENGINE_H

#include <glib.h>
#include <stdio.h>

#include "capture.h"
#include "receiver.h"
#include "route.h"
#include "rtt.h"
#include "scan_type.h"
#include "sender.h"

/* Probes in flight at once across a group when nothing else limits them: enough
 * to keep a LAN busy, few enough not to flood a slow link before the first
 * timeouts tell us anything. nmap's congestion window grows to a few hundred. */
#define ENGINE_DEFAULT_WINDOW 256

typedef struct engine_config {
    const scan_type *type;
    const uint16_t *ports;
    guint nports;
    uint32_t scan_id;
    uint16_t sport;
    /* Retransmissions after the first try. nmap starts at 10 and lowers it as it
     * learns the network (typically to 1-2 for filtered ports); we take a fixed
     * count, 2 by default, at most COOKIE_MAX_TRIES - 1 so the cookie and the
     * tag can carry every try number. */
    guint max_retries;
    double max_rate, min_rate; /* packets per second, 0 = none */
    guint window;
    rtt_state *run_rtt; /* every reply timed in this run, across groups */
    FILE *trace;        /* --packet-trace output, or NULL */
    gint64 trace_zero;  /* wall-clock time (us) that trace times count from */
} engine_config;

typedef struct port_result {
    uint8_t state, why; /* port_state, reason */
    uint8_t ttl;        /* of the reply that decided it; 0 for silence */
} port_result;

typedef struct host_result {
    uint32_t addr;
    char *name; /* what the user typed or reverse DNS found, or NULL */
    gboolean name_from_dns;
    gint64 start, end;  /* wall-clock microseconds */
    rtt_state rtt;      /* srtt < 0: no reply ever timed */
    port_result *ports; /* cfg->nports, in cfg->ports order */
} host_result;

/* Builds the capture filter: replies to our source port, ICMP to us, and our own
 * outgoing probes and resets (so -w holds both directions). */
char *engine_filter(const engine_config *cfg, uint32_t src);

/* Scans hosts[0..nhosts) through rx (already filtered), whose frames also go to
 * cap when it is not NULL. Fills in every host's ports, rtt, start and end. */
void engine_scan(const engine_config *cfg, const route *rt, sender *tx, receiver *rx, capture *cap,
                 host_result *hosts, guint nhosts);

#endif
