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

uint32_t cookie_make(uint32_t scan_id, const packet_flow *probe_flow, unsigned try_no);

/* True when value is the cookie of some try of that probe; stores the try. */
bool cookie_check(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value,
                  unsigned *try_no);

/* cookie_check() of a TCP reply's number, allowing for data_len octets of
 * data the probe carried (--data-length) that the reply may acknowledge as
 * well: RFC 793 section 3.3, a RST acknowledges a segment's data; Linux's
 * SYN-ACK does not acknowledge a SYN's (no TCP Fast Open). With fewer than 16
 * octets both numbers may check, naming different tries: a RST (rst) is
 * read as acknowledging the data first, anything else as not. */
bool cookie_check_acked(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value,
                        uint32_t data_len, bool rst, unsigned *try_no);

#endif
