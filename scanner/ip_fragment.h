/* -f, -ff and --mtu: a built IPv4 probe sent as IP fragments (RFC 791,
 * section 3.2, "Fragmentation and Reassembly"), as nmap's tcpip.cc
 * send_frag_ip_packet() sends it: every fragment carries a copy of the probe's
 * IP header (same ID, TTL, TOS, addresses and protocol), the More Fragments flag
 * on all but the last, and mtu bytes of what follows the header (the last one the
 * rest); the offset counts 8-byte units. The target reassembles the probe, so its
 * reply, and everything about the probe's tag and cookie, is as if unfragmented.
 * IPv6 has no such option: nmap refuses -f with -6 (options.c says so). */
#ifndef SCANTRACE_IP_FRAGMENT_H
#define SCANTRACE_IP_FRAGMENT_H

#include <stddef.h>
#include <stdint.h>

/* nmap's -f: 8 data bytes a fragment; -ff: 16 (nmap.cc adds them up). */
#define IP_FRAGMENT_F 8u

/* How many fragments the IPv4 packet of that length (header included, IHL
 * bytes of header) makes with mtu data bytes each (mtu a positive multiple of
 * 8); 1 when its data fit in one, which is then sent whole, as nmap sends it. */
unsigned ip_fragment_count(size_t packet_len, size_t ihl, unsigned mtu);

/* Writes fragment index (0 first) of the IPv4 packet (len bytes, its header
 * valid, DF clear) into out (room bytes), its header checksum computed; returns
 * its length, or 0 when index is past the last or out is too small. */
size_t ip_fragment_build(const uint8_t *packet, size_t len, unsigned mtu, unsigned index,
                         uint8_t *out, size_t room);

#endif
