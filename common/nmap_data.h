/* nmap's --data-length N: the N random bytes nmap appends to every raw probe
 * of a run. nmap.cc draws them once (o.extra_payload, get_random_bytes());
 * scan_engine_raw.cc's sendIPScanProbe() puts them after every TCP, SCTP and
 * ICMP probe, and payload.cc's get_udp_payload() returns them in place of
 * nmap-payloads' requests, so that every UDP probe of the run is the same N
 * bytes (a port nmap-payloads has k requests for still gets k datagrams, all
 * of those bytes: nmap 7.93 in the lab). Its echo request carries them after
 * a random identifier and sequence number 0 (sendIPScanProbe: build_icmp_raw
 * with seq 0, icmp_ident 1-65535).
 *
 * Random bytes alone look like anyone's datagram: the plugin takes a datagram
 * for nmap's when its bytes are the ones an nmap probe of the same source
 * carried, or a datagram of the same source to another port carried
 * (plugin/README.md, "nmap's probe options"); these are the per-packet parts
 * of those rules. */
#ifndef SCANTRACE_NMAP_DATA_H
#define SCANTRACE_NMAP_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* nmap -PU's port when none is given (nmap.h, DEFAULT_UDP_PROBE_PORT). */
#define NMAP_UDP_PING_PORT 40125

/* Fewer bytes than this tell random data from anything else too poorly. */
#define NMAP_DATA_MIN 4

/* Random bytes are random throughout: only the first ones are judged (a
 * datagram of a thousand bytes costs no more than one of 64). */
#define NMAP_DATA_JUDGED 64

/* Whether len bytes may be nmap's random --data-length bytes: at least
 * NMAP_DATA_MIN of them, and, in the first NMAP_DATA_JUDGED, none of what ping tools and protocols
 * put there (four bytes in a row each one above the last: the fill after a ping's timestamp, BSD's
 * and Linux's, masscan's 08 09 ..; text only: Windows' "abcdefgh..."; a quarter or more zero bytes:
 * timestamps, DNS and other headers; one byte four times in a row; a TFTP request, ACK or ERROR,
 * whose message is NUL-ended text, or a DNS header of one question: RFC 1350 section 5, RFC 1035
 * section 4.1.1). A random run of 20 bytes fails these about once in 10^5. */
bool nmap_data_random(const uint8_t *data, size_t len);

/* Whether pkt (IPv4 or IPv6) is an echo request of nmap's shape with
 * --data-length: code 0, sequence number 0, identifier not 0, and data that
 * nmap_data_random() takes. Its TTL, DF and addresses are the caller's to
 * judge. */
bool nmap_echo_with_data(const packet_view *pkt);

/* Whether pkt is a UDP datagram of nmap -PU's shape with --data-length: to
 * NMAP_UDP_PING_PORT, bytes that nmap_data_random() takes. Its TTL, DF, flow
 * and addresses are the caller's to judge. */
bool nmap_udp_ping_with_data(const packet_view *pkt);

/* Whether two payloads are the same bytes: the same stated length and the
 * same captured bytes as far as both go (a snapshot length may cut either). */
bool nmap_data_same(const uint8_t *a, size_t a_captured, size_t a_len, const uint8_t *b,
                    size_t b_captured, size_t b_len);

#endif
