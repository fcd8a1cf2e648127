/* What a scan found out about each host: whether it is up and why, its link
 * address when ARP, ND or a reply's frame told it, and every probed port's
 * verdict. */
#ifndef SCANTRACE_SCAN_RESULT_H
#define SCANTRACE_SCAN_RESULT_H

#include <glib.h>
#include <stdint.h>

#include "packet.h"
#include "rtt.h"

typedef struct port_result {
    uint8_t state, why; /* port_state, reason */
    uint8_t ttl;        /* of the reply that decided it; 0 for silence */
} port_result;

typedef struct host_result {
    packet_addr addr; /* either family */
    char *name;       /* what the user typed or reverse DNS found, or NULL */
    gboolean name_from_dns;
    port_result status; /* HOST_UP or HOST_DOWN and why; PORT_STATE_UNKNOWN until known */
    gboolean has_mac;
    uint8_t mac[6];
    /* Reached without a gateway (route.on_link): a reply's Ethernet source is
     * its MAC address, which is reported even when no ARP or ND asked for it
     * (--send-ip), as nmap's setTargetMACIfAvailable() takes it. */
    gboolean on_link;
    gint64 start, end;  /* wall-clock microseconds of its port scan */
    rtt_state rtt;      /* srtt < 0: no reply ever timed */
    port_result *ports; /* one per probe of the plan, or NULL when not port scanned */
    /* --shards: one per probe of the plan, nonzero where another shard scans
     * the port, which this one neither probes nor reports; NULL: every port
     * is this scan's (shard.h). */
    uint8_t *shard_skip;
    gboolean incomplete; /* a signal stopped its scan: it is not reported */
    gint64 timeout_at;   /* --host-timeout: monotonic microseconds; 0: none */
    gboolean timed_out;  /* it passed --host-timeout: reported as skipped */
} host_result;

/* Whether probe pi of the port scan's plan is this scan's to send and report. */
static inline gboolean host_scans_probe(const host_result *h, guint pi)
{
    return h->shard_skip == NULL || !h->shard_skip[pi];
}

#endif
