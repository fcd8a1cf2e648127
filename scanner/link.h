/* Finding the IPv4 header (or the ARP message) inside a captured frame, for the
 * link types a scan can capture on: Ethernet (with 802.1Q tags), Linux cooked
 * v1/v2, raw IP and BSD loopback. */
#ifndef SCANTRACE_LINK_H
#define SCANTRACE_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

bool link_supported(int dlt);

/* The IPv4 packet in the frame, or NULL when the frame carries something else. */
const uint8_t *link_ipv4(int dlt, const uint8_t *frame, size_t caplen, size_t *len);

/* The IPv6 packet in the frame, or NULL. */
const uint8_t *link_ipv6(int dlt, const uint8_t *frame, size_t caplen, size_t *len);

/* The ARP message in the frame, padding included (where a request carries our
 * tag), or NULL. Only links with an Ethernet-style type field carry ARP. */
const uint8_t *link_arp(int dlt, const uint8_t *frame, size_t caplen, size_t *len);

#endif
