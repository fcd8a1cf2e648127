/* Finds the bytes of the IPv4 or IPv6 packet a frame's scan traffic travels in,
 * or of its ARP message, without a protocol tree: from the frame's bytes, read
 * the way Wireshark's own dissectors read them (the protocols it lists for the
 * frame, pinfo->layers, in order), whatever the link layer (Ethernet with VLAN
 * tags, Linux cooked v1 and v2, raw IP, BSD loopback, PPPoE) and whatever
 * carries it: the innermost IP packet of a tunnel (GRE, IP in IP, 6in4, 4in6,
 * VXLAN, Geneve, MPLS), and the datagram Wireshark reassembled from IPv4 or
 * IPv6 fragments (nmap -f: pinfo's "Reassembled IPv4/IPv6" data sources).
 * Asking Wireshark for tree items instead makes tshark build a tree for every
 * frame of its first pass (README.md, Speed). */
#ifndef SCANTRACE_IP_BYTES_H
#define SCANTRACE_IP_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

/* Looks up the protocols read here; call once protocols are registered. */
void ip_bytes_init(void);

/* Per capture file: the fragments seen of datagrams not yet reassembled. */
void ip_bytes_start(void);
void ip_bytes_stop(void);

/* The bytes of the scan's IP packet, from its header to the end of the
 * captured data: the innermost IPv4 or IPv6 layer that no ICMP or ICMPv6 error
 * quotes (a quote is part of the ICMP reply, not a packet of its own). A
 * fragmented datagram is given whole, on the frame where Wireshark reassembled
 * it, as one buffer in pool: IPv4 with its header's fragment fields cleared,
 * IPv6 as a bare 40-octet header (no extension headers) naming the transport.
 * A fragment that completes nothing gives false, and so does a frame without IP.
 * *fragments: how many IP fragments the datagram was reassembled from on this
 * frame (nmap -f sends a SYN as 3, scantrace -f its tagged SYN as 5; counted
 * here as Wireshark's reassembly counts them: per source, destination,
 * identification and, for IPv4, protocol, until one completes), else 0.
 * Call on the first pass only, once per frame, in frame order: it counts the
 * fragments. The bytes live as long as the packet's scope. */
bool ip_bytes_scan_packet(packet_info *pinfo, wmem_allocator_t *pool, const uint8_t **bytes,
                          size_t *len, unsigned *fragments);

/* The bytes from the ARP header to the end of the frame: an ARP ping's tag sits
 * in the Ethernet padding after the message. */
bool ip_bytes_arp(packet_info *pinfo, const uint8_t **bytes, size_t *len);

#endif
