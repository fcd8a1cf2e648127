#pragma once
/* nmap's -sO over IPv4 takes the ICMP protocol (1) apart from the others
 * (scan_engine_raw.cc, get_pcap_result(), "protoscanicmphack"): any ICMP
 * message from a scanned host marks the loop, and the host it came from (the
 * last one such a message came from: a second host's message takes the mark
 * from the first); the loop reads on until a packet decides a probe or
 * nothing more comes, and then that host's ICMP probe, if out, is open,
 * worded by the last packet read (an echo reply "echo-reply", an ICMP
 * message by its type and code, any other packet "unknown-response":
 * proto_icmp_reason()). The scanner (on the packets it receives) and the
 * plugin (on a capture) run this same reading, packet by packet in order. */
#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "verdict.h"

/* How long nmap's receive loop waits for another packet (it waits at least
 * 2 ms, more while its next send is not due): in microseconds. */
#define PROTO_ICMP_HACK_WAIT_US (20 * 1000)

typedef struct proto_icmp_hack {
    bool marked;      /* protoscanicmphack */
    packet_addr host; /* protoscanicmphackaddy */
    reason why;       /* the wording of the last packet read while marked */
    uint8_t ttl;      /* its TTL */
    int64_t until_us; /* the loop gives up after this time */
} proto_icmp_hack;

/* A host whose ICMP probe the loop's end makes open: host, why and ttl. */
typedef struct proto_icmp_settle {
    packet_addr host;
    reason why;
    uint8_t ttl;
} proto_icmp_settle;

/* Before reading a packet at now_us (microseconds, any epoch the caller keeps
 * to): TRUE and *out filled when the loop marked before gave up waiting
 * (nothing came within PROTO_ICMP_HACK_WAIT_US): the host it names is
 * settled with the last packet's words. Also for the end of the capture or
 * scan (now_us INT64_MAX). */
bool proto_icmp_hack_expired(proto_icmp_hack *h, int64_t now_us, proto_icmp_settle *out);

/* pkt (IPv4, to the scanner) read at now_us; from_scanned: its source is a
 * host of the scan; decided: it decided a probe of the scan (nmap's
 * "goodone"). TRUE and *out filled when the loop ends on it with a mark.
 * Call proto_icmp_hack_expired() first, with the same now_us. */
bool proto_icmp_hack_read(proto_icmp_hack *h, const packet_view *pkt, bool from_scanned,
                          bool decided, int64_t now_us, proto_icmp_settle *out);
