/* Host discovery, nmap's way: before a port scan, every target is asked whether
 * it is up, and only the hosts that are get port-scanned.
 *
 *  - our own addresses are up at once (localhost-response);
 *  - a target on a directly connected Ethernet is asked by ARP, even under -Pn
 *    when the port scan sends raw packets (nmap needs its MAC then, and takes a
 *    silent target for down), unless --send-ip; an IPv6 one by Neighbor
 *    Discovery likewise (nmap -6);
 *    or --disable-arp-ping;
 *  - any other target, with privileges: the pings asked (-PS, -PA, -PU, -PY,
 *    -PE, -PP, -PM, -PO: ping_options.h), else nmap's default ICMP echo, TCP SYN to 443,
 *    TCP ACK to 80 and ICMP timestamp (IPv6: ICMPv6 echo and the TCP pings, as
 *    nmap -6), the first answer deciding;
 *  - without privileges: connect() to the -PS and -PA ports, else 80 and 443;
 *  - -Pn: up, "user-set", without a probe.
 * The verdicts are the ping types' own (judge(), arp_answers(), silence). */
#ifndef SCANTRACE_DISCOVERY_H
#define SCANTRACE_DISCOVERY_H

#include <glib.h>

#include "engine.h"
#include "ping_options.h"
#include "scan_io.h"

typedef struct discovery_options {
    gboolean skip;       /* -Pn */
    gboolean send_ip;    /* --send-ip: IP pings on an Ethernet too */
    gboolean no_arp;     /* --disable-arp-ping: likewise, for discovery */
    gboolean privileged; /* raw sockets and capture are ours */
    gboolean raw_scan;   /* the port scan that follows sends raw packets */
} discovery_options;

typedef enum discovery_method {
    DISCOVER_LOCAL,
    DISCOVER_USER_SET,
    DISCOVER_ARP,
    DISCOVER_ND, /* IPv6's ARP: a neighbor solicitation (nd.h) */
    DISCOVER_IP_PINGS,
    DISCOVER_CONNECT,
} discovery_method;

/* ethernet: the route's device is an Ethernet we can send ARP on. */
discovery_method discovery_method_for(const discovery_options *o, const route *rt,
                                      gboolean ethernet);

/* The first source ports of the pings that have them (host order). */
typedef struct discovery_sports {
    uint16_t syn, ack, udp, sctp, proto; /* proto: -PO's TCP and UDP probes */
} discovery_sports;

/* Every method's probes in one plan, in nmap's order: ARP; the IP pings (echo,
 * SYN, ACK, timestamp, address mask, UDP, SCTP INIT, IP protocols: those
 * asked, else nmap's default set, without the ICMPv4-only ones for IPv6
 * targets); connect(); ND. */
probe_plan *discovery_plan_new(const ping_options *asked, gboolean ipv6,
                               const discovery_sports *sports);

/* Sets the status of *hosts[0..n), whose routes are routes[0..n) (one device and
 * source address, as io says). base: timing, scan id and trace of the run. */
void discovery_run(const discovery_options *o, const probe_plan *plan, const engine_config *base,
                   const scan_io *io, host_result **hosts, const route *const *routes, guint n);

#endif
