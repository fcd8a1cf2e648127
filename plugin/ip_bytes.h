/* Finds the bytes of the IPv4 or IPv6 packet a frame's scan traffic travels in,
 * or of its ARP message, in the tree the other dissectors built, whatever the
 * link layer (Ethernet, Linux cooked, raw IP) and whatever carries it: the
 * innermost IP packet of a tunnel (GRE, IP in IP, 6in4, VXLAN, ...), and the
 * datagram Wireshark reassembled from IPv4 or IPv6 fragments (nmap -f). */
#ifndef SCANTRACE_IP_BYTES_H
#define SCANTRACE_IP_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

/* Looks up the protocols read here; call once protocols are registered. */
void ip_bytes_init(void);

/* Asks Wireshark to keep the "ip", "ipv6", "icmp", "icmpv6", "tcp", "udp",
 * "sctp" and "arp" items in every tree handed to handle; false clears the request. */
void ip_bytes_want(dissector_handle_t handle, bool want);

/* The bytes of the scan's IP packet, from its header to the end of the
 * captured data: the innermost IPv4 or IPv6 layer that no ICMP or ICMPv6 error
 * quotes (a quote is part of the ICMP reply, not a packet of its own). A
 * fragmented datagram is given whole, on the frame where Wireshark reassembled
 * it, as one buffer in pool: IPv4 with its header's fragment fields cleared,
 * IPv6 as a bare 40-octet header (no extension headers) naming the transport.
 * A fragment that completes nothing gives false, and so does a frame without IP.
 * The bytes live as long as the packet's scope. */
bool ip_bytes_scan_packet(proto_tree *tree, wmem_allocator_t *pool, const uint8_t **bytes,
                          size_t *len);

/* How many IP fragments Wireshark reassembled the frame's datagram from
 * (the ip.fragment or ipv6.fragment items, a frame number each; nmap -f
 * sends a SYN as 3 fragments, scantrace -f its tagged SYN as 5), or 0
 * when it was not reassembled on this frame. */
unsigned ip_bytes_fragment_count(proto_tree *tree);

/* The bytes from the ARP header to the end of the frame: an ARP ping's tag sits
 * in the Ethernet padding after the message. */
bool ip_bytes_arp(proto_tree *tree, const uint8_t **bytes, size_t *len);

#endif
