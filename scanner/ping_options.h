/* nmap 7.93's host discovery options (nmap.cc; the man page's "Host
 * Discovery"): -PS[ports], -PA[ports], -PU[ports], -PY[ports], -PE, -PP,
 * -PM, -PO[protocols], -PR. Giving
 * any of them replaces nmap's default set (echo, SYN to 443, ACK to 80,
 * timestamp); the ones given are combined, each probe of each kind sent to
 * every target, the first answer deciding. */
#ifndef SCANTRACE_PING_OPTIONS_H
#define SCANTRACE_PING_OPTIONS_H

#include <glib.h>
#include <stdint.h>

/* nmap's default ports when a port option comes bare (nmap.h:
 * DEFAULT_TCP_PROBE_PORT_SPEC, DEFAULT_UDP_PROBE_PORT_SPEC). */
#define PING_TCP_DEFAULT_PORT  80
#define PING_UDP_DEFAULT_PORT  40125
#define PING_SCTP_DEFAULT_PORT 80
/* -PO's default protocols (nmap.h: DEFAULT_PROTO_PROBE_PORT_SPEC): ICMP,
 * IGMP, IP in IP. */
#define PING_PROTO_DEFAULT "1,2,4"

typedef struct ping_options {
    gboolean given; /* any -P probe option: nmap's default set is off */
    /* -PS, -PA, -PU, -PY: guint16 ports, sorted, no duplicates; NULL: not
     * given. */
    GArray *syn, *ack, *udp, *sctp;
    GArray *proto; /* -PO: guint16 protocol numbers 0-255, likewise */
    gboolean echo, timestamp, mask, arp;
} ping_options;

/* Adds one option as typed ("-PS22,80", "-PE", "-PU"); ports as -p writes
 * them without protocol prefixes (22,80,1000-1010), added to those of the
 * same option given before. FALSE with a one-line error for anything else:
 * a bad list, a letter nmap has no probe for. -PO takes protocol numbers
 * 0-255 and ranges (1,2,4 by default). */
gboolean ping_options_add(ping_options *p, const char *arg, GError **error);

/* nmap's refusal of -PP and -PM with -6 ("only valid for IPv4"). */
gboolean ping_options_check(const ping_options *p, gboolean ipv6, GError **error);

void ping_options_clear(ping_options *p);

#endif
