/* Scanners no fingerprint knows, recognised by what they do, in the spirit of
 * Zeek's policy/misc/scan.zeek and Snort's port_scan: a source whose attempts
 * fail on many ports of one host (a port scan) or on one port of many hosts (an
 * address sweep) is scanning. Only failed attempts count, as in Zeek: refused
 * (RST, ICMP port unreachable), unreachable (other ICMP errors), unanswered
 * (retransmitted without an answer) and aborted (the handshake completed, then
 * the client ended it without sending a byte). A client talking to its servers,
 * however busy, fails rarely and on few ports. A source none of whose attempts
 * was refused, unreachable or unanswered is no scanner, however many of its
 * connections ended without data: it checks services it knows are there (a
 * load balancer's health checks). Data from the server (a passive FTP
 * listing) makes a connection no failure, as Zeek's scan.zeek has it.
 *
 * Counts run over a window (Zeek: 5 minutes) that starts at a source's first
 * counted failure and starts again when it has passed without the source
 * crossing a threshold. Plain GLib, so that unit tests need no Wireshark. */
#ifndef SCANTRACE_BEHAVIOUR_H
#define SCANTRACE_BEHAVIOUR_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

/* Zeek's defaults (Scan::port_scan_threshold, addr_scan_threshold, *_interval). */
#define BEHAVIOUR_PORT_THRESHOLD 15
#define BEHAVIOUR_HOST_THRESHOLD 25
#define BEHAVIOUR_WINDOW_SECONDS 300

typedef struct behaviour_config {
    unsigned port_threshold; /* failed ports of one host that make a port scan; 0: never */
    unsigned host_threshold; /* failed hosts on one port that make a sweep; 0: never */
    unsigned window;         /* seconds */
} behaviour_config;

typedef enum behaviour_failure {
    FAILURE_REFUSED,
    FAILURE_UNREACHABLE,
    FAILURE_UNANSWERED,
    FAILURE_ABORTED,       /* ended with a FIN */
    FAILURE_ABORTED_RESET, /* ended with a RST, as nmap's connect scan ends every connection */
} behaviour_failure;

typedef struct behaviour behaviour;
typedef struct behaviour_source behaviour_source;

behaviour *behaviour_new(void);
void behaviour_free(behaviour *b);

/* The record of a source address, created on first use; NULL only
 * when the table is full (then the source is never called a scanner). */
behaviour_source *behaviour_source_get(behaviour *b, const packet_addr *src);

/* The record of a source address if it has one (it failed at least once), else
 * NULL; b may be NULL. */
behaviour_source *behaviour_source_find(const behaviour *b, const packet_addr *src);

/* One failed attempt by src on target's port (proto: 6 or 17) at time when
 * (seconds). A failure on a port of a host already counted counts once. */
void behaviour_failed(behaviour *b, behaviour_source *src, const packet_addr *target, uint8_t proto,
                      uint16_t port, double when, behaviour_failure why,
                      const behaviour_config *cfg);

/* Whether the source has crossed a threshold; once it has, it stays a scanner. */
bool behaviour_is_scanner(const behaviour_source *src);

/* Why it is one: "port scan: failed attempts on 15 ports of 10.201.0.2 within
 * 300 s (threshold 15)"; "" while it is not. */
const char *behaviour_evidence(const behaviour_source *src);

/* Whether any of its connections was reset right after the handshake without a
 * byte sent, which is how nmap's connect scan (-sT) ends each one. */
bool behaviour_resets_after_handshake(const behaviour_source *src);

/* Whether it ended any connection with a FIN right after the handshake, without
 * a byte sent: the ordinary close, which nmap's connect scan never makes. */
bool behaviour_closes_after_handshake(const behaviour_source *src);

/* Whether an attempt on target's port is part of what made the source a
 * scanner: a target it failed on, or the port it swept. A scanner's other
 * traffic (its own DNS lookups to its resolver, say) is not. */
bool behaviour_scans(const behaviour_source *src, const packet_addr *target, uint8_t proto,
                     uint16_t port);

#endif
