/* The probe cookie: a keyed hash of a probe's flow, carried in its sequence number
 * so that the reply (its ack - 1, or the sequence number an ICMP error quotes)
 * proves which probe, and which try of it, caused the reply. The key is derived
 * from the scan id, which every probe carries in the clear: the cookie attributes
 * replies, it is not a secret. The low COOKIE_TRY_BITS hold the try number.
 * TCP and ICMP cookies are 32 bits; UDP cookies 16 (they ride in the IP ID). */
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

#endif
