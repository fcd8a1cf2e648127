/* Frames a capture's snapshot length cut short (dumpcap -s, editcap -s): what
 * can still be read of them, and what cannot. A scantrace UDP probe that
 * carries a service's request has its tag at the end, past a 68- or 80-byte
 * snapshot length, but its cookie in the IP ID (common/scan_udp.c); an ICMP
 * error's quote may be cut before the quoted ports, which are what ties it to
 * a probe (nmap 7.93, scan_engine_raw.cc, get_pcap_result(): it matches an
 * error by the quoted addresses and ports, so with the same packets nmap
 * could not tie it either). */
#ifndef SCANTRACE_SNAPLEN_H
#define SCANTRACE_SNAPLEN_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "tag.h"

/* What a cut frame is to the plugin. */
typedef enum snaplen_cut {
    SNAPLEN_WHOLE = 0,   /* not cut, or cut where nothing a scan needs was */
    SNAPLEN_TAG_LOST,    /* a probe-shaped datagram or segment with its tag cut off, tied to none */
    SNAPLEN_HEADER_LOST, /* a packet whose transport header was not captured whole: not read */
    SNAPLEN_QUOTE_LOST,  /* an ICMP error's quote cut before the quoted ports, tied to none */
} snaplen_cut;

/* Per capture file: forgets the scans seen. */
void snaplen_start(void);

/* A tagged probe of our UDP scan (scan_udp) from scanner, scan_id its tag's:
 * remembered (up to 16 scans) so that its cut probes can be read. */
void snaplen_udp_scan_seen(const packet_addr *scanner, uint32_t scan_id);

/* Whether pkt, a UDP datagram whose captured payload is shorter than its
 * header states and holds no tag, is a try of a UDP scan of ours seen before
 * from its source: its IP ID is that try's 16-bit cookie of its flow
 * (common/cookie.h). Fills tag (version 1, the try, the scan id) when it is.
 * IPv4 only: an IPv6 probe has no IP ID. */
bool snaplen_udp_probe(const packet_view *pkt, probe_tag *tag);

/* Our UDP probe pkt (scan scan_id), by its addresses and IP ID: an ICMP
 * error whose quote the snapshot length cut before the ports may still quote
 * its whole IP header, which names it (snaplen_quote_tie()). */
void snaplen_udp_probe_seen(const packet_view *pkt, uint32_t scan_id);

/* Whether pkt is an ICMPv4 error whose quote packet_parse() could not keep
 * (cut before the quoted ports) but holds the quoted IPv4 header whole, with
 * addresses and an IP ID that are the cookie of a UDP probe of ours seen
 * before: then *tied is pkt with that probe's flow as its quote (has_quote,
 * quote, quote_ip_id; quote_has_word false), which ties it as the whole
 * quote would have. nmap's probes are not tied so: nmap ties an error by the
 * quoted ports alone (scan_engine_raw.cc), and so could not either. */
bool snaplen_quote_tie(const packet_view *pkt, packet_view *tied);

/* A frame between a and b (either way; captured cap_len of frame_len bytes)
 * the snapshot length kept the plugin from reading (snaplen_kind() not
 * SNAPLEN_WHOLE): counted per pair of hosts, so that every port verdict
 * between them can say it may lack it. */
void snaplen_lost(const packet_addr *a, const packet_addr *b, unsigned cap_len, unsigned frame_len);

/* How many such frames lay between a and b (0: none), and the first one's
 * lengths. */
unsigned snaplen_lost_between(const packet_addr *a, const packet_addr *b, unsigned *cap_len,
                              unsigned *frame_len);

/* Whether ip, which packet_parse() did not parse into pkt, is an IP packet of
 * TCP, UDP, SCTP, ICMP or ICMPv6, and not a fragment other than the first,
 * whose transport header the capture did not keep whole: the caller has
 * checked the frame was cut. */
bool snaplen_header_lost(const uint8_t *ip, const packet_view *pkt);

/* What a frame (captured cap_len of its frame_len bytes) parsed as pkt, which
 * the plugin did not label (labelled false), lost to the snapshot length;
 * SNAPLEN_WHOLE for a labelled one (its frame_result says: tag_cut,
 * quote_cut). */
snaplen_cut snaplen_kind(const packet_view *pkt, unsigned cap_len, unsigned frame_len,
                         bool labelled);

#endif
