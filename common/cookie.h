/* The probe cookie: a keyed hash of a probe's flow, carried in its sequence number
 * so that the reply (its ack - 1, or the sequence number an ICMP error quotes)
 * proves which probe, and which try of it, caused the reply. The key is derived
 * from the scan id, which every probe carries in the clear: the cookie attributes
 * replies, it is not a secret. The low COOKIE_TRY_BITS hold the try number.
 * TCP and ICMP cookies are 32 bits; UDP's and every other protocol's 16 (they
 * ride in the IP ID). */
#ifndef SCANTRACE_COOKIE_H
#define SCANTRACE_COOKIE_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

#define COOKIE_TRY_BITS  4
#define COOKIE_MAX_TRIES (1u << COOKIE_TRY_BITS)

/* No cookie's low 16 bits are 0: every IPv4 probe carries them in its IP ID,
 * and Linux fills in the IP ID of a datagram sent on a raw socket with
 * IP_HDRINCL when it is 0 (raw(7): "Packet ID: Filled in when zero"; each
 * fragment of -f's separately), which would lose the probe's cookie once in
 * 4096 flows (a UDP probe is then tied only by its ports). Where a flow's hash
 * leaves bits 4-15 all 0 they are set to 1 instead (this mask): every try of
 * that flow then has low bits 0xfff0 | try. Readers take the bits without
 * the rule as well (cookie_check(), cookie_is_query()), as captures made
 * before it carry them: a TCP probe's sequence number, an IPv6 probe's flow
 * label. */
#define COOKIE_LOW16_NONZERO 0xfff0u

uint32_t cookie_make(uint32_t scan_id, const packet_flow *probe_flow, unsigned try_no);

/* True when value is the cookie of some try of that probe, with the
 * COOKIE_LOW16_NONZERO rule or without it (older captures); stores the try. */
bool cookie_check(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value,
                  unsigned *try_no);

/* The same with an ICMP query's type folded into the hash: an ICMP probe's
 * id and sequence number are its cookie, and a flow of ICMP hashes only its
 * addresses, so without it every query to a host would carry the same id
 * and an error quoting one would name them all (nmap gives each probe an id
 * of its own, scan_engine_raw.cc). query: the request's ICMP type (13
 * timestamp, 17 address mask); 0 hashes nothing more, which is the echo
 * request's cookie and every other flow's (a flow with ports ignores query).
 * scan_cookie_make() (scan_type.h) picks query by scan type. */
uint32_t cookie_make_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                           unsigned try_no);
bool cookie_check_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                        uint32_t value, unsigned *try_no);

/* Whether value, masked with mask (0xffff where only the cookie's low 16 bits
 * ride: an IP ID, a flow label's low bits), is try try_no's cookie, with the
 * COOKIE_LOW16_NONZERO rule or without it (older captures). */
bool cookie_is_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                     unsigned try_no, uint32_t value, uint32_t mask);

/* cookie_check() of a TCP reply's number, allowing for data_len octets of
 * data the probe carried (--data-length) that the reply may acknowledge as
 * well: RFC 793 section 3.3, a RST acknowledges a segment's data; Linux's
 * SYN-ACK does not acknowledge a SYN's (no TCP Fast Open). With fewer than 16
 * octets both numbers may check, naming different tries: a RST (rst) is
 * read as acknowledging the data first, anything else as not. */
bool cookie_check_acked(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value,
                        uint32_t data_len, bool rst, unsigned *try_no);

#endif
