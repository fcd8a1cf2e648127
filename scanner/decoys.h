/* -D decoy1,decoy2,ME,RND:n, as nmap 7.93 has it (nmap.cc, "-D"; the reference
 * guide's "Cloak a scan with decoys"): every raw probe, port probe and IP ping
 * alike, is sent once from each decoy's address and once from ours, in the
 * list's order, ME marking our place (a random place when ME is not given, as
 * nmap draws o.decoyturn). The copies are the very same bytes but for the source
 * address and the checksums it enters (scan_engine_raw.cc, sendIPScanProbe: one
 * source port, sequence number and IP ID for all), so they carry our tag and
 * our cookie: the cookie checks for our address only, which tells the real
 * scanner to anyone who checks it (plugin/README.md). ARP and Neighbor
 * Discovery go from our address alone, as nmap's do. Only replies to our
 * address count: the receiver takes no other. */
#ifndef SCANTRACE_DECOYS_H
#define SCANTRACE_DECOYS_H

#include <glib.h>

#include "packet.h"

/* nmap's MAX_DECOYS. */
#define DECOYS_MAX 128

typedef struct decoy_list {
    packet_addr addrs[DECOYS_MAX]; /* the decoys, in the order given; ours not among them */
    guint count;
    guint me; /* our place: probes go from addrs[0..me), ours, then addrs[me..count) */
} decoy_list;

/* Parses -D's list: IPv4 addresses (IPv6 with ipv6), ME at most once, RND:n for
 * n random addresses (IPv4 only, none reserved, as nmap's ip_is_reserved()
 * avoids). FALSE with one line in error for anything else (an empty item, a
 * name: only literal addresses are taken, more than DECOYS_MAX - 1 decoys). */
gboolean decoys_parse(const char *text, gboolean ipv6, decoy_list *out, GError **error);

/* Whether nmap would never draw addr as a random decoy: 0/8, 10/8, 100.64/10,
 * 127/8, 169.254/16, 172.16/12, 192.0.0/24, 192.0.2/24, 192.88.99/24,
 * 192.168/16, 198.18/15, 198.51.100/24, 203.0.113/24, 224/3 (RFC 6890). Host
 * order. */
gboolean decoys_reserved_ipv4(guint32 addr);

/* Rewrites the source address of a probe built by scan_probe_build() (IPv4 or
 * IPv6 without extension headers) and the checksums it enters: the IPv4
 * header's, and TCP's, UDP's and ICMPv6's pseudo-header sums, updated by RFC
 * 1624's rule, so that a --badsum checksum stays wrong as nmap's copies do. */
void decoys_set_source(uint8_t *packet, size_t len, const packet_addr *src);

#endif
