/* ARP host discovery, as nmap does it on a directly connected Ethernet: a who-has
 * request for the target. The ARP message has no room for a tag, so the tag goes
 * in the Ethernet padding that brings the frame to its 60-octet minimum, where
 * every capture keeps it. Any is-at from the target proves it up (arp-response). */
#ifndef SCANTRACE_ARP_H
#define SCANTRACE_ARP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scan_type.h"
#include "tag.h"
#include "verdict.h"

#define ARP_FRAME_LEN 60
/* The ARP message itself (Ethernet/IPv4, RFC 826), without header or padding. */
#define ARP_MESSAGE_LEN 28

enum { ARP_REQUEST = 1, ARP_REPLY = 2 };

typedef struct arp_view {
    uint16_t op;
    uint8_t sender_mac[6];
    uint32_t sender_ip, target_ip;
    bool tagged;
    probe_tag tag;
} arp_view;

/* The ARP ping (nmap's -PR) as a scan type, for what labels and tables need: its
 * name, that it judges hosts, what silence means. Its packets are not IP, so the
 * functions below, not the type's, build, recognise and judge them; an ARP
 * flow's protocol is 0 and its ports are 0. */
extern const scan_type ping_arp;

/* Writes a whole Ethernet frame (ARP_FRAME_LEN octets) and returns its length. */
size_t arp_request_build(const uint8_t src_mac[6], uint32_t src_ip, uint32_t target_ip,
                         uint32_t scan_id, uint8_t try_no, uint8_t *frame, size_t cap);

/* Parses an Ethernet/IPv4 ARP message starting at its ARP header; len may take in
 * the frame's padding, where a request's tag is found. */
bool arp_parse(const uint8_t *arp, size_t len, arp_view *out);

/* Whether reply answers request, and what it says of the host. */
bool arp_answers(const arp_view *request, const arp_view *reply, verdict *out);

/* The flow of the request an ARP message is (a tagged request) or answers (a
 * reply): from the asker to the address asked for. */
packet_flow arp_probe_flow(const arp_view *arp);

#endif
