#pragma once
/* nmap's matching of a TCP reply to a probe sent from a fixed source port
 * (-g, --source-port: o.magic_port_set), scan_engine_raw.cc,
 * tcp_probe_match(). Without -g nmap reads a probe's try from the reply's
 * destination port (its own source port, base_port plus the try) and takes
 * any reply on the flow. With -g every try leaves from the same port, so nmap
 * recovers the try from the numbers it put in the probe (seq32_encode(): in
 * the acknowledgment number of a probe with ACK set, else in the sequence
 * number) and tries three readings of the reply, after RFC 793 section 3.9:
 * its ack less 1 (a SYN's or FIN's), its ack, its sequence number. A RST to a
 * SYN that carried --data-length's N bytes acknowledges the SYN and the data
 * (seq + 1 + N), which none of the three readings gives back: nmap takes no
 * reply from it and the port is filtered (a SYN scan; open|filtered for FIN,
 * NULL and Xmas, which RFC 793 answers with seq + N or seq + 1 + N). A probe
 * with ACK set (-sA, -sW, -sM) is answered with its ack as sequence number,
 * data or none, and always matches. ICMP errors are matched by the quoted
 * sequence number, not by this rule. The scanner (on the replies it receives)
 * and the plugin (on nmap's probes and ours in a capture) both use it. */
#include <stdbool.h>
#include <stdint.h>

#include "packet.h"

/* The lowest source port nmap ever picks for its own TCP probes: its base
 * port is drawn from [33000, 65280) (scan_engine_raw.cc,
 * increment_base_port()); a try or ping number adds at most a few hundred. A
 * TCP probe of nmap's from a lower port was sent with -g. */
#define NMAP_OWN_SPORT_MIN 33000

/* The number nmap encodes a probe's try in and looks for in the reply: the
 * probe's acknowledgment number when its flags (tcp_flags, the TCP header's
 * flag byte) have ACK, else its sequence number (host byte order). */
uint32_t fixed_sport_probe_number(uint8_t tcp_flags, uint32_t seq, uint32_t ack);

/* Whether nmap, having sent from a fixed source port, takes reply (a TCP
 * segment from the probe's destination, host byte order numbers) for the
 * probe whose number (fixed_sport_probe_number()) is probe_number: reply's
 * ack - 1, ack or seq equals it. nmap takes the first of the three readings
 * that decodes to some try of its own (seq32_decode()'s mirrored halves
 * under the run's mask), which only a capture's reader who knew the mask
 * could repeat; a reading of another try's number that comes first is far
 * rarer than one in 65536 and is not modelled. */
bool fixed_sport_nmap_matches(uint32_t probe_number, const packet_view *reply);

/* How far reply's acknowledgment number lies beyond probe_number (modulo
 * 2^32): 1 + N for a RST to a SYN with N data bytes; the expert note's
 * figure. */
uint32_t fixed_sport_ack_offset(uint32_t probe_number, const packet_view *reply);
