/* The IP protocol scan (-sO) and ping (-PO) part of the first pass's state
 * (proto_scan_state.c): the steps scan_state.c takes it through as it records
 * probes and replies, frame by frame in the capture's order. */
#ifndef SCANTRACE_PROTO_SCAN_STATE_H
#define SCANTRACE_PROTO_SCAN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <wsutil/nstime.h>

#include "fingerprint.h"
#include "packet.h"
#include "scan_state.h"

/* Its per-file tables, made once (scan_state_register()); emptied at the
 * start (scan_state_init()) and end (scan_state_cleanup()) of a capture file. */
void proto_scan_state_register(void);
void proto_scan_state_init(void);
void proto_scan_state_cleanup(void);

/* scantrace's -sO: an untagged probe (IGMP, SCTP INIT, bare IP header) tied to
 * its scan by the cookie in its IP ID or flow label, recorded; NULL if pkt is
 * none, or kept until a tagged probe names its scan. */
const frame_result *bare_probe(uint32_t frame, const nstime_t *when, const packet_view *pkt);

/* A tagged -sO probe on flow names its scan (scan_id): the untagged probes
 * from its source to its target waiting for it are its scan's if their
 * cookies check. */
void proto_scan_named(const packet_flow *flow, uint32_t scan_id);

/* nmap's -sO probe of TCP, UDP, the family's ICMP or SCTP, once its scan of
 * the target is known: TRUE and fp filled. */
bool nmap_proto_probe(const packet_view *pkt, fingerprint *fp);

/* nmap's -sO or -PO probe no other scan sends (fingerprint.c): its scan of the
 * target is known, with the candidates before it. */
void nmap_proto_seen(const packet_view *pkt, const nstime_t *when);

/* Before an nmap probe (fp) of one of -sO's shapes is recorded: a TCP probe
 * and a UDP or SCTP one of those shapes from one source port to the target
 * show the scan (the candidates become its probes, and so does this one: fp
 * is made -sO's). */
void proto_paired(const packet_view *pkt, const nstime_t *when, fingerprint *fp);

/* Forgets the candidates of flow's hosts: nmap's default host discovery (an
 * echo, a SYN to 443, an ACK to 80, a timestamp request) sent them. */
void proto_candidates_drop(const packet_flow *flow);

/* After an nmap probe is recorded on port: counted in nmap's burst, made a
 * candidate if it has one of -sO's shapes, and, as -sO's ICMP probe, worded
 * by a receive loop that ended before it in its burst. */
void proto_probe_recorded(const packet_view *pkt, const nstime_t *when, port_record *port);

/* A reply to a candidate (port), kept to be judged again should it become
 * -sO's. */
void proto_keep_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                      const port_record *port);

/* A reply just tied to port, an -sO record or a candidate of one: read by
 * nmap's receive loop over IPv4 (common/proto_icmp_hack.h), which words
 * protocol 1. */
void proto_icmp_after(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                      port_record *port);

#endif
