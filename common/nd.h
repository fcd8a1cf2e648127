/* Neighbor Discovery host discovery, as nmap -6 does it on a directly
 * connected link (RFC 4861): a neighbor solicitation for the target, sent to
 * its solicited-node multicast address (RFC 4291 section 2.7.1) with our
 * link-layer address, hop limit 255. Any neighbor advertisement for the target
 * proves it up (nd-response), and names its link-layer address.
 *
 * The tag and cookie ride in a Nonce option (RFC 3971 section 5.3.2, type 14,
 * 16 octets): the tag's ten bytes, then the cookie of the flow (us -> target,
 * ICMPv6) in 32 bits. A neighbor that is not doing SEND ignores the option
 * (RFC 4861 section 4.6: unknown or unused options are skipped); an
 * advertisement does not echo it, so replies are tied by the target address,
 * as ARP replies are. */
#ifndef SCANTRACE_ND_H
#define SCANTRACE_ND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "scan_type.h"
#include "tag.h"
#include "verdict.h"

enum { ICMPV6_NEIGHBOR_SOLICIT = 135, ICMPV6_NEIGHBOR_ADVERT = 136 };

/* IPv6 header, solicitation, source link-layer option, nonce option. */
#define ND_SOLICIT_LEN (40 + 24 + 8 + 16)

/* nmap -6's ND ping as a scan type, for its name and what silence means; its
 * packets are built, recognised and judged by the functions below. */
extern const scan_type ping_nd;

/* The solicited-node multicast address of target: ff02::1:ff00:0/104 and its
 * last 24 bits. */
packet_addr nd_solicited_node(const packet_addr *target);

/* Writes the whole IPv6 solicitation (ND_SOLICIT_LEN octets) from src (our
 * address, src_mac our link address) for target, to its solicited-node
 * address; returns its length, or 0 if cap is too small. */
size_t nd_solicit_build(const uint8_t src_mac[6], const packet_addr *src, const packet_addr *target,
                        uint32_t scan_id, uint8_t try_no, uint8_t *out, size_t cap);

/* Whether pkt is a neighbor solicitation of ours: its tag, and the address it
 * asks for. */
bool nd_solicit_recognise(const packet_view *pkt, probe_tag *tag, packet_addr *target);

/* Whether pkt is a neighbor advertisement, with hop limit 255 (RFC 4861
 * section 7.1.2: one that crossed a router is not valid): the address it
 * advertises, and its target link-layer address option when it has one
 * (*has_mac). */
bool nd_advert_parse(const packet_view *pkt, packet_addr *target, uint8_t mac[6], bool *has_mac);

/* The verdict of an advertisement for the address asked: up, nd-response. */
bool nd_answers(const packet_addr *asked, const packet_addr *advertised, verdict *out);

#endif
