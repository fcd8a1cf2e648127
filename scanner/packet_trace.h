/* --packet-trace: one line per packet, worded like nmap's
 *   SENT (0.0412s) TCP 10.201.0.1:53211 > 10.201.0.2:22 S ttl=64 id=1234 iplen=44  seq=... win=1024
 * <mss 1460,...> RCVD (0.0413s) ICMP [10.201.0.2 > 10.201.0.1 Host 10.201.0.2 unreachable
 * (type=3/code=1) ] IP [ttl=64 id=7 iplen=72 ] Our tag option is shown as "st try=N id=0xSCANID".
 */
#ifndef SCANTRACE_PACKET_TRACE_H
#define SCANTRACE_PACKET_TRACE_H

#include <glib.h>

#include "arp.h"
#include "packet.h"

/* ip: the packet pkt was parsed from (its header says the IP length). */
void packet_trace_format(GString *out, const char *direction, double elapsed, const uint8_t *ip,
                         const packet_view *pkt);

/* "SENT (0.0303s) ARP who-has 10.201.0.2 tell 10.201.0.1", and for a reply
 * "RCVD (0.0304s) ARP reply 10.201.0.2 is-at 86:C6:AB:6B:E6:E1". */
void packet_trace_arp(GString *out, const char *direction, double elapsed, const arp_view *arp);

#endif
