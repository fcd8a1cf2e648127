/* A scan type (SYN, ACK, UDP, ...) is one module that both sides use: the scanner
 * asks it to build probes and judge replies; the plugin asks it to recognise probes
 * in a capture and judge the replies it finds there. Nothing else knows what a SYN
 * scan is, so the two sides cannot disagree about it. */
#ifndef SCANTRACE_SCAN_TYPE_H
#define SCANTRACE_SCAN_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "tag.h"
#include "verdict.h"

/* --data-length's bound: nmap 7.93 takes up to 65435 and warns above 1400
 * ("Payloads bigger than 1400 bytes may not be sent successfully": 1500 less
 * the largest IP and TCP headers); scantrace refuses what would not fit an
 * Ethernet frame. */
#define PROBE_DATA_MAX 1400

/* Enough for any probe we send: IPv4 or IPv6 + TCP with options, or a UDP
 * request, plus PROBE_DATA_MAX bytes of --data-length. */
#define PROBE_MAX_LEN (560 + PROBE_DATA_MAX)

/* IPv6 has no IP ID: an IPv6 UDP probe's 16-bit cookie rides in its flow
 * label's low 16 bits, bit 16 set to mark it (0x1cccc), which an ICMPv6 error
 * quotes with the probe's header (RFC 4443 section 2.4 (c)). A flow label is
 * the sender's to choose (RFC 6437 section 2); other probes send 0, as nmap
 * does. */
#define PROBE_FLOW_LABEL_COOKIE 0x10000u
#define PROBE_FLOW_LABEL_MASK   0xf0000u

/* nmap's probe options (nmap 7.93's man page, "Firewall/IDS Evasion and
 * Spoofing"), the same for every probe of a run. The source address (-S) and
 * port (-g) are the flow's. */
typedef struct probe_extras {
    int ttl; /* --ttl: the IPv4 TTL or IPv6 hop limit, 0-255; -1: the default 64 */
    /* --data-length N: N random bytes, drawn once for the run as nmap draws
     * them, appended to TCP probes after their options, to SCTP probes after
     * their chunk and to ICMP echo requests after the tag; UDP probes send the tag and these bytes
     * in place of a service's request, as nmap sends them in place of nmap-payloads' (with 0, the
     * tag alone). ICMP timestamp requests get none, as nmap's. */
    bool data_set;
    const uint8_t *data;
    size_t data_len; /* at most PROBE_DATA_MAX */
    /* --badsum: the transport checksum (TCP, UDP, ICMP, ICMPv6) one less than
     * the right one, 0xffff for UDP where that is 0 (tcpip.cc, ipv4_cksum) */
    bool badsum;
    /* -g, --source-port: every probe leaves from one port, so nmap ties a TCP
     * reply by its numbers alone (fixed_sport_match.h); TCP probes carry
     * TAG_FIXED_SPORT so a capture's reader knows. */
    bool fixed_sport;
} probe_extras;

/* What the scanner decides about a probe; everything else in the packet follows
 * from it (the IP ID and sequence numbers carry the cookie). */
typedef struct probe_spec {
    packet_flow flow; /* scanner -> target */
    uint32_t scan_id;
    uint8_t try_no;
    const probe_extras *extras; /* NULL: none given */
} probe_spec;

/* The --data-length bytes a probe of spec carries: NULL and 0 when none. */
static inline const uint8_t *probe_data(const probe_spec *spec, size_t *len)
{
    if (spec->extras == NULL || !spec->extras->data_set) {
        *len = 0;
        return NULL;
    }
    *len = spec->extras->data_len;
    return spec->extras->data;
}

/* How surely a reply is tied to one try of one probe. */
typedef enum reply_match {
    REPLY_NONE = 0, /* not a reply to this type's probes */
    REPLY_COOKIE,   /* it carries or quotes the probe's cookie, which names the try */
    REPLY_FLOW,     /* only its flow ties it to the probe: the latest try is meant */
} reply_match;

typedef struct scan_type scan_type;

struct scan_type {
    const char *name;   /* nmap's XML scaninfo type: "syn", "ack", ... */
    const char *option; /* the command-line flag: "-sS" */
    const char *title;  /* nmap's report wording: "SYN Stealth Scan" */
    uint8_t ip_proto;
    uint8_t tcp_flags;  /* TCP scans: the flags a probe carries */
    uint8_t sctp_chunk; /* SCTP scans: the chunk a probe carries (INIT, COOKIE ECHO) */
    /* The scan byte of the version 2 tag (tag.h) for TCP probes we send; the
     * types that version 1 knew (SCAN_CODE_V1_LAST and below) also answer to
     * version 1 tags. 0: not tagged so. */
    uint8_t tag_code;
    /* --scanflags: the scan type whose rules judge these probes, whose flags
     * were replaced by tcp_flags (scan_flags.c); NULL for nmap's own types. */
    const scan_type *base;
    bool discovery; /* a host discovery probe: it judges the host, not the port */
    /* -PO: probes of any IP protocol, the protocol number standing for the
     * port (ping_proto.c); ip_proto is 0 then. */
    bool any_ip_proto;
    verdict silent; /* what a probe nobody answers means */

    /* Writes the transport header and payload after the IP header; returns its
     * length, or 0 if cap is too small. NULL when the kernel builds the probes
     * (the connect scan). */
    size_t (*build)(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);

    /* Whether pkt is one of this type's probes, and its tag. */
    bool (*recognise)(const scan_type *type, const packet_view *pkt, probe_tag *tag);

    /* The cookie a direct reply carries (a SYN-ACK's ack - 1, say); false when
     * the reply carries none and only its flow ties it to the probe. */
    bool (*reply_cookie)(const scan_type *type, const packet_view *reply, uint32_t *cookie);

    /* Judges a reply known to answer one of this type's probes. false: the packet
     * says nothing about the port (an ICMP type nmap ignores, say). */
    bool (*judge)(const packet_view *reply, verdict *out);

    /* Probes the kernel makes (build == NULL): the TOS byte that tags them, and
     * the verdict on what connect() reported (0 or an errno), false when that
     * says nothing. judge() reaches the same verdicts from the packets. */
    uint8_t socket_tos;
    bool (*judge_errno)(int err, verdict *out);
};

/* Tag codes (scan_type.tag_code). Fixed forever: they are on the wire. */
enum {
    SCAN_CODE_SYN = 1,
    SCAN_CODE_ACK = 2,
    SCAN_CODE_FIN = 3,
    SCAN_CODE_NULL = 4,
    SCAN_CODE_XMAS = 5,
    SCAN_CODE_PING_SYN = 6,
    SCAN_CODE_PING_ACK = 7,
    SCAN_CODE_V1_LAST = 7, /* the types tagged before version 2 */
    SCAN_CODE_MAIMON = 8,
    SCAN_CODE_WINDOW = 9,
    SCAN_CODE_PROTO = 10,
    SCAN_CODE_PING_PROTO = 11,
};

extern const scan_type scan_syn;
extern const scan_type scan_ack;
extern const scan_type scan_fin;
extern const scan_type scan_null;
extern const scan_type scan_xmas;
extern const scan_type scan_maimon;
extern const scan_type scan_window;
extern const scan_type scan_udp;
extern const scan_type scan_connect;
/* nmap's -sY and -sZ (scan_sctp.c). */
extern const scan_type scan_sctp_init;
extern const scan_type scan_sctp_cookie_echo;

/* The IP protocol scan (-sO, scan_proto.c): a probe's "port" is the IP
 * protocol number it probes, its flow's proto. Not in scan_types[], whose
 * members each have one protocol: the scanner names it itself. */
extern const scan_type scan_proto;

/* Whether a -sO probe of that protocol has ports: TCP, UDP, SCTP. */
bool proto_has_ports(uint8_t proto);

/* Whether nmap sends a bare IP header for that protocol (no payload): all but
 * TCP, UDP, SCTP, the family's ICMP and, over IPv4, IGMP. */
bool proto_probe_is_bare(uint8_t proto, bool v4);

/* The flow of the -sO probe of proto from src to dst: sport (host order, the
 * try's) and nmap's destination port (TCP 80, UDP 40125, SCTP 80) for the
 * protocols with ports; the echo's id (its cookie's top half) as both ports
 * for the family's ICMP; none for the rest. */
packet_flow proto_probe_flow(const packet_addr *src, const packet_addr *dst, uint8_t proto,
                             uint16_t sport, uint32_t scan_id, uint8_t try_no);

/* Whether pkt (a parsed packet, host-order fields) is our own -sO SCTP INIT,
 * which carries no tag: its initiate tag and initial TSN are one cookie and
 * the IP ID (IPv4) or marked flow label (IPv6) holds its low 16 bits. The
 * plugin must not take it for nmap's -sY (same shape) before a tagged probe
 * names its scan. */
bool proto_sctp_probe_is_ours(const packet_view *pkt);

/* Whether pkt (a parsed packet, host-order fields) is one of scan scan_id's
 * -sO probes: TCP, UDP and the family's echo request by their tag (and its
 * scan id), any other protocol's (bare headers, IGMP, SCTP INIT) by its IP ID
 * (IPv4) or marked flow label (IPv6), which must hold the low 16 bits of the
 * cookie of one of the tries of pkt's flow (one chance in 2^16 per try for
 * a packet that is not). A scan of one of our own addresses sees its probes
 * come back through lo from the target beside the target's replies; nmap
 * tells its own by their IP ID (scan_engine_raw.cc, get_pcap_result: "if
 * this is our probe we sent to localhost, then it doesn't count!"). */
bool proto_probe_is_ours(uint32_t scan_id, const packet_view *pkt);

/* Whether pkt is an ICMP error nmap's -sO judges for the probe it quotes:
 * ICMPv4 types 3 and 11, ICMPv6 types 1 and 4 (scan_engine_raw.cc). Any other
 * ICMP message is a packet of the ICMP protocol itself. */
bool proto_is_error(const packet_view *pkt);

/* The -sO probe pkt answers: an error's quoted flow (cookie: a TCP or echo
 * probe's quoted word, else the quoted IP ID or marked flow label), or the
 * reply's flow reversed (cookie: a RST's sequence number, an echo reply's id
 * and sequence). scan_reply_key() gives this for scan_proto. */
reply_match proto_reply_key(const packet_view *pkt, packet_flow *probe_flow, uint32_t *cookie);

/* nmap's reason for the ICMP protocol (1) of an IPv4 -sO scan, read from the
 * packet that completes nmap's receive loop after an ICMP message from the
 * target (get_pcap_result, "protoscanicmphack"): an ICMP one by its type and
 * code (echo-reply, proto-unreach, ...), any other "unknown-response". */
reason proto_icmp_reason(const packet_view *pkt);
/* The connect scan's tag: TOS byte (DSCP 23) and source ports from 61440 up,
 * above Linux's ephemeral range (32768-60999). */
#define CONNECT_TAG_TOS    0x5c
#define CONNECT_PORT_FIRST 61440

/* Host discovery (nmap's -PE, -PP, -PM, -PS, -PA, -PU). */
extern const scan_type ping_echo;
extern const scan_type ping_timestamp;
extern const scan_type ping_mask;
extern const scan_type ping_syn;
extern const scan_type ping_ack;
extern const scan_type ping_udp;
extern const scan_type ping_sctp; /* -PY: an SCTP INIT */
extern const scan_type ping_proto;

/* The destination port of -PO's TCP (80) and UDP (40125) probes; 0 for the
 * other protocols. */
uint16_t ping_proto_dport(uint8_t proto);

/* Host discovery without privileges, as nmap does it then: connect() to 80 and
 * 443. Tagged like the connect scan but with DSCP 19 (also unassigned), so that
 * a capture tells these host probes from port probes. */
extern const scan_type ping_connect;
#define CONNECT_PING_TAG_TOS 0x4c

/* Every port scan type, and every discovery probe type, NULL-terminated. */
extern const scan_type *const scan_types[];
extern const scan_type *const ping_types[];

const scan_type *scan_type_by_name(const char *name);
const scan_type *scan_type_by_option(const char *option);
/* The scan or ping type a version 2 tag's scan byte names (without the
 * custom-flags bit); NULL if none. */
const scan_type *scan_type_by_tag_code(uint8_t code);

/* The scan type that judges type's probes: its base for a --scanflags type,
 * else type itself. */
const scan_type *scan_type_judging(const scan_type *type);

/* --scanflags (scan_flags.c, nmap's rule: the base type given with it judges,
 * the SYN scan when none is): the type sending flags with base's rules, made
 * once per (base, flags) and valid for the process's life. NULL when base is
 * no raw TCP port scan type of ours (-sT, -sU, a ping). */
const scan_type *scan_flags_type(const scan_type *base, uint8_t flags);

/* The --scanflags type whose probe pkt is, by its version 2 tag; NULL if none. */
const scan_type *scan_flags_of_probe(const packet_view *pkt, probe_tag *tag);

/* nmap's spelling of --scanflags: a number 0-255 (decimal, 0x hex or 0 octal),
 * or flag names run together in any order and case (URG ACK PSH RST SYN FIN ECE
 * CWR, ALL, NONE; nmap.cc, parse_scanflags). false when it is neither, where
 * nmap would read whatever names it finds in the text. */
bool scan_flags_parse(const char *text, uint8_t *flags);

/* The flags as nmap's XML scanflags attribute writes them (output.cc,
 * doscanflags: FIN SYN RST PSH ACK URG ECE CWR, in that order); "" for none.
 * out holds at least SCAN_FLAGS_TEXT_MAX bytes. */
#define SCAN_FLAGS_TEXT_MAX 25
void scan_flags_format(uint8_t flags, char *out);

/* The scan or ping type whose probe this packet is, with its tag; NULL if none. */
const scan_type *scan_type_of_probe(const packet_view *pkt, probe_tag *tag);

/* Builds the whole probe, IPv4 or IPv6 header as the flow's addresses are, into
 * out; returns its length or 0 (cap too small, or a type IPv6 lacks: ICMP
 * timestamp). IPv6: hop limit 64, traffic class 0, next header the flow's
 * proto (58 for an echo over IPv6), flow label as PROBE_FLOW_LABEL_COOKIE
 * says. spec->extras: the TTL or hop limit, the data, a bad checksum. */
size_t scan_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);

/* If pkt answers a probe of this type (scan_proto: proto_reply_key()): that probe's flow and, with
 * REPLY_COOKIE, the cookie the reply carries or quotes (check it with cookie_check()). */
reply_match scan_reply_key(const scan_type *type, const packet_view *pkt, packet_flow *probe_flow,
                           uint32_t *cookie);

/* Whether pkt is the reply of another ICMP query than type's (an echo reply for
 * a timestamp ping, say): a query reply answers only the request of its own kind
 * (RFC 792: echo 8 -> 0, timestamp 13 -> 14, address mask 17 -> 18; RFC 4443
 * section 4: 128 -> 129), as nmap's get_pcap_result() matches them, even when
 * both requests carry the same id and sequence (scantrace's did before their
 * cookies hashed the query type, and another tool's may).
 * scan_reply_key() answers REPLY_NONE for it. */
bool icmp_reply_of_other_query(const scan_type *type, const packet_view *pkt);

/* Whether pkt, an ICMP error, quotes another ICMP query than type's request
 * (the timestamp request when type is the echo ping, say), by the quoted
 * message's type. scan_reply_key() answers REPLY_NONE for it. */
bool icmp_quote_of_other_query(const scan_type *type, const packet_view *pkt);

/* The ICMP query type a probe of type folds into its cookie
 * (cookie_make_query()): ICMP_TIMESTAMP for -PP, ICMP_MASK for -PM, 0 for
 * every other type, the echo ping's (IPv4 and IPv6) included. */
uint8_t scan_cookie_query(const scan_type *type);

/* The cookie of try try_no of a probe of type on probe_flow: cookie_make()
 * with scan_cookie_query(type). */
uint32_t scan_cookie_make(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                          unsigned try_no);

/* cookie_check_acked() of a reply to a probe of type: for -PP and -PM, the
 * cookie with their query type, or the one without it that scantrace sent
 * before (older captures; a reply of another query, or an error quoting one,
 * is not theirs anyway: scan_reply_key()). Stores the try. */
bool scan_cookie_check(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                       uint32_t value, uint32_t data_len, bool rst, unsigned *try_no);

/* Whether value, masked with mask (0xffff where only the cookie's low 16
 * bits ride), is try try_no's cookie of a probe of type on probe_flow, either
 * of the two scan_cookie_check() takes. */
bool scan_cookie_is(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                    unsigned try_no, uint32_t value, uint32_t mask);

/* Our own side closing what a probe opened (the kernel's RST after a SYN-ACK, a
 * connect scan's ACK and RST), given that pkt travels on a probe's flow. */
bool scan_is_teardown(const scan_type *type, const packet_view *pkt);

/* Shared by the TCP scan types that send tagged probes. */
size_t tcp_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);
bool tcp_probe_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag);
bool tcp_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie);

/* Shared by the UDP scan and the UDP ping (scan_udp.c): the datagram with the
 * port's payload (udp_payload.h) and the version 1 tag, its discovery bit
 * type->discovery; recognise() takes only probes whose bit matches. */
size_t udp_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);
bool udp_probe_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag);
bool udp_probe_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie);
/* The cookie an ICMP error quoting an SCTP probe carries (scan_sctp.c): the
 * quoted INIT's initiate tag, or the quoted verification tag (a COOKIE
 * ECHO's); false when the quote holds neither (an INIT quoted only to its
 * verification tag, 0). */
bool sctp_quote_cookie(const packet_view *reply, uint32_t *cookie);

/* What an ICMP error quoting a port probe says (icmp_error.c, nmap's rule);
 * udp: the probe was a UDP scan's. false: nmap ignores that error. */
bool judge_icmp_error(const packet_view *reply, bool udp, verdict *out);

/* What an ICMP error quoting a host discovery probe says (icmp_error.c, nmap's
 * rule). false: nothing. */
bool judge_ping_icmp_error(const packet_view *reply, verdict *out);

#endif
