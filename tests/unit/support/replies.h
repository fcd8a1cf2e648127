/* What a target's stack sends back, built by hand for the rule tests: replies are
 * made independently of the code under test, from the RFCs. */
#ifndef SCANTRACE_TEST_REPLIES_H
#define SCANTRACE_TEST_REPLIES_H

#include <stddef.h>
#include <stdint.h>

#include "packet.h"

/* A 20-octet IPv4 header for l4 octets of proto between IPv4 addresses; returns
 * 20. */
size_t reply_ip_header(uint8_t *p, packet_addr src, packet_addr dst, uint8_t proto, size_t l4);

/* An ICMP destination unreachable from the probe's target, quoting the probe's IP
 * header and the first 8 octets after it, as RFC 792 requires at the least. */
size_t reply_icmp_unreach(uint8_t *p, const packet_flow *probe_flow, uint8_t code,
                          const uint8_t *probe, size_t probe_len);

#endif
