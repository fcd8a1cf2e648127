/* IP protocol scan (-sO): which IP protocols a host speaks, the "port" being
 * the protocol number (nmap's scan_engine_raw.cc, build_protoscan_packet and
 * get_pcap_result). Probes are nmap's: an ACK to port 80 for TCP, an empty
 * datagram to port 40125 for UDP, an echo request for ICMP (ICMPv6 over IPv6),
 * an IGMP membership query, an SCTP INIT to port 80, and a bare IP header for
 * every other protocol.
 *
 * Our marks: the TCP probe carries the version 2 tag option (scan code
 * SCAN_CODE_PROTO) and its cookie as sequence and acknowledgment numbers; the
 * UDP and echo probes carry the version 2 tag as payload (version 1 would make
 * them -sU's and -PE's); the echo's id and sequence number are the cookie;
 * every probe's IP ID (IPv4) or flow label (IPv6, PROBE_FLOW_LABEL_COOKIE) is
 * its cookie's low 16 bits, which an ICMP error quotes whatever the protocol.
 * The IGMP query (8 bytes) and the bare headers carry no tag, as nmap's.
 *
 * Verdicts, nmap's: any packet from the target in the probed protocol means
 * open (proto-response); an ICMP error quoting the probe: protocol unreachable
 * (IPv6: parameter problem, unknown next header) from the target closed, port
 * unreachable from the target open (the protocol got as far as its ports),
 * other unreachable codes and time exceeded filtered; silence open|filtered. */
#include <string.h>

#include "cookie.h"
#include "crc32c.h"
#include "scan_type.h"

enum {
    PACKET_IGMP = 2,
    /* nmap.h: DEFAULT_TCP_PROBE_PORT, DEFAULT_UDP_PROBE_PORT, DEFAULT_SCTP_PROBE_PORT */
    PROTO_TCP_PORT = 80,
    PROTO_UDP_PORT = 40125,
    PROTO_SCTP_PORT = 80,
    IGMP_MEMBERSHIP_QUERY = 0x11,
};

bool proto_has_ports(uint8_t proto)
{
    return proto == PACKET_TCP || proto == PACKET_UDP || proto == PACKET_SCTP;
}

/* The ICMP of the address family: an echo goes out only in it. */
static bool family_icmp(uint8_t proto, bool v4)
{
    return proto == (v4 ? PACKET_ICMP : PACKET_ICMPV6);
}

packet_flow proto_probe_flow(const packet_addr *src, const packet_addr *dst, uint8_t proto,
                             uint16_t sport, uint32_t scan_id, uint8_t try_no)
{
    packet_flow f = {.src = *src, .dst = *dst, .proto = proto};
    if (proto_has_ports(proto)) {
        f.sport = sport;
        f.dport = proto == PACKET_TCP   ? PROTO_TCP_PORT
                  : proto == PACKET_UDP ? PROTO_UDP_PORT
                                        : PROTO_SCTP_PORT;
    } else if (family_icmp(proto, packet_addr_is_ipv4(dst))) {
        /* An ICMP flow's cookie hashes no ports; its id is the cookie's top half. */
        f.sport = f.dport = (uint16_t)(cookie_make(scan_id, &f, try_no) >> 16);
    }
    return f;
}

static size_t udp_build(const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { HEADER = 8, LEN = HEADER + TAG_SCAN_OPTION_LEN };
    if (cap < LEN)
        return 0;
    put_be16(out, spec->flow.sport);
    put_be16(out + 2, spec->flow.dport);
    put_be16(out + 4, LEN);
    put_be16(out + 6, 0);
    tag_write_scan_option(out + HEADER, spec->scan_id, spec->try_no, false, SCAN_CODE_PROTO, false);
    uint32_t pseudo = packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_UDP, LEN);
    uint16_t sum = packet_checksum(out, LEN, pseudo);
    put_be16(out + 6, sum ? sum : 0xffff);
    return LEN;
}

static size_t echo_build(const probe_spec *spec, uint8_t *out, size_t cap, bool v4)
{
    enum { HEADER = 8, LEN = HEADER + TAG_SCAN_OPTION_LEN };
    if (cap < LEN)
        return 0;
    out[0] = v4 ? ICMP_ECHO : ICMPV6_ECHO;
    out[1] = 0;
    put_be16(out + 2, 0);
    put_be32(out + 4, cookie_make(spec->scan_id, &spec->flow, spec->try_no));
    tag_write_scan_option(out + HEADER, spec->scan_id, spec->try_no, false, SCAN_CODE_PROTO, false);
    uint32_t pseudo =
        v4 ? 0 : packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_ICMPV6, LEN);
    put_be16(out + 2, packet_checksum(out, LEN, pseudo));
    return LEN;
}

/* RFC 2236 section 2: type, max response time, checksum, group (0: general). */
static size_t igmp_build(uint8_t *out, size_t cap)
{
    enum { LEN = 8 };
    if (cap < LEN)
        return 0;
    memset(out, 0, LEN);
    out[0] = IGMP_MEMBERSHIP_QUERY;
    put_be16(out + 2, packet_checksum(out, LEN, 0));
    return LEN;
}

/* RFC 9260 sections 3.1 and 3.3.2: common header (verification tag 0), INIT
 * chunk with nmap's window 32768, 10 outbound and 2048 inbound streams; the
 * cookie is its initiate tag and initial TSN, as -sY's (scan_sctp.c), but no
 * tag parameter: nmap's -sO INIT has none, and with one it would be -sY's. */
static size_t sctp_build(const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { HEADER = 12, CHUNK = 20, LEN = HEADER + CHUNK };
    if (cap < LEN)
        return 0;
    uint32_t cookie = cookie_make(spec->scan_id, &spec->flow, spec->try_no);
    memset(out, 0, LEN);
    put_be16(out, spec->flow.sport);
    put_be16(out + 2, spec->flow.dport);
    uint8_t *c = out + HEADER;
    c[0] = SCTP_CHUNK_INIT;
    put_be16(c + 2, CHUNK);
    put_be32(c + 4, cookie ? cookie : 1); /* an initiate tag of 0 is invalid */
    put_be32(c + 8, 32768);
    put_be16(c + 12, 10);
    put_be16(c + 14, 2048);
    put_be32(c + 16, cookie);
    sctp_checksum_set(out, LEN);
    return LEN;
}

static size_t proto_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    bool v4 = packet_addr_is_ipv4(&spec->flow.dst);
    uint8_t proto = spec->flow.proto;
    if (proto == PACKET_TCP)
        return tcp_probe_build(type, spec, out, cap);
    if (proto == PACKET_UDP)
        return udp_build(spec, out, cap);
    if (proto == PACKET_SCTP)
        return sctp_build(spec, out, cap);
    if (family_icmp(proto, v4))
        return echo_build(spec, out, cap, v4);
    if (proto == PACKET_IGMP && v4)
        return igmp_build(out, cap);
    return 0; /* a bare IP header, as nmap sends it */
}

bool proto_probe_is_bare(uint8_t proto, bool v4)
{
    return !proto_has_ports(proto) && !family_icmp(proto, v4) && !(proto == PACKET_IGMP && v4);
}

/* Our tagged probes: the TCP one by its option, the UDP and echo ones by the
 * version 2 tag in their payload. The rest carry no tag. */
static bool proto_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    bool v4 = packet_addr_is_ipv4(&pkt->flow.dst);
    if (pkt->flow.proto == PACKET_TCP)
        return tcp_probe_recognise(type, pkt, tag);
    if (pkt->has_quote)
        return false;
    bool echo =
        family_icmp(pkt->flow.proto, v4) && pkt->icmp_type == (v4 ? ICMP_ECHO : ICMPV6_ECHO);
    if (!echo && pkt->flow.proto != PACKET_UDP)
        return false;
    return tag_find_scan_in_payload(pkt->payload, pkt->payload_len, tag) &&
           tag->scan_code == SCAN_CODE_PROTO && !tag->discovery;
}

/* nmap counts an ICMPv4 error only of types 3 and 11, an ICMPv6 one only of
 * types 1 and 4; any other ICMP message from the target is a packet of the
 * ICMP protocol itself. */
bool proto_is_error(const packet_view *pkt)
{
    if (!pkt->has_quote)
        return false;
    if (pkt->flow.proto == PACKET_ICMP)
        return pkt->icmp_type == ICMP_UNREACH || pkt->icmp_type == ICMP_TIME_EXCEEDED;
    if (pkt->flow.proto == PACKET_ICMPV6)
        return pkt->icmp_type == ICMPV6_UNREACH || pkt->icmp_type == ICMPV6_PARAM_PROBLEM;
    return false;
}

/* Our -sO INIT (sctp_build): one INIT chunk of 20 octets whose initiate tag
 * and initial TSN are one cookie (the tag 1 for a cookie of 0), whose low 16
 * bits ride in the IP ID (IPv4) or the marked flow label (IPv6,
 * PROBE_FLOW_LABEL_COOKIE) too. nmap's -sY and -sO INITs have the same shape
 * but draw the initiate tag and TSN apart (scan_engine_raw.cc), so they match
 * this by chance once in 2^32. */
bool proto_sctp_probe_is_ours(const packet_view *pkt)
{
    enum { INIT_LEN = 20 };
    if (pkt->flow.proto != PACKET_SCTP || pkt->has_quote || !pkt->sctp_has_chunk ||
        pkt->sctp_chunk_type != SCTP_CHUNK_INIT || pkt->sctp_chunk_len != INIT_LEN ||
        pkt->payload_len < INIT_LEN || pkt->sctp_vtag != 0)
        return false;
    uint32_t tsn = get_be32(pkt->payload + 16);
    if (get_be32(pkt->payload + 4) != (tsn ? tsn : 1))
        return false;
    if (packet_addr_is_ipv4(&pkt->flow.src))
        return pkt->ip_id == (tsn & 0xffffu);
    return (pkt->flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE &&
           (pkt->flow_label & 0xffffu) == (tsn & 0xffffu);
}

bool proto_probe_is_ours(uint32_t scan_id, const packet_view *pkt)
{
    bool v4 = packet_addr_is_ipv4(&pkt->flow.src);
    uint8_t p = pkt->flow.proto;
    probe_tag tag;
    if (p == PACKET_TCP || p == PACKET_UDP || family_icmp(p, v4))
        return proto_recognise(&scan_proto, pkt, &tag) && tag.scan_id == scan_id;
    if (pkt->has_quote)
        return false;
    uint32_t mark = v4 ? pkt->ip_id : pkt->flow_label & 0xffffu;
    if (!v4 && (pkt->flow_label & PROBE_FLOW_LABEL_MASK) != PROBE_FLOW_LABEL_COOKIE)
        return false;
    for (unsigned t = 0; t < COOKIE_MAX_TRIES; t++)
        if (cookie_is_query(scan_id, &pkt->flow, 0, t, mark, 0xffffu))
            return true;
    return false;
}

static bool proto_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    if (reply->flow.proto == PACKET_TCP)
        return tcp_reply_cookie(type, reply, cookie);
    bool v4 = packet_addr_is_ipv4(&reply->flow.src);
    if (family_icmp(reply->flow.proto, v4) && !reply->has_quote &&
        reply->icmp_type == (v4 ? ICMP_ECHO_REPLY : ICMPV6_ECHO_REPLY)) {
        *cookie = (uint32_t)reply->icmp_id << 16 | reply->icmp_seq;
        return true;
    }
    return false;
}

reply_match proto_reply_key(const packet_view *pkt, packet_flow *probe_flow, uint32_t *cookie)
{
    if (!proto_is_error(pkt)) {
        *probe_flow = packet_flow_reverse(&pkt->flow);
        return proto_reply_cookie(&scan_proto, pkt, cookie) ? REPLY_COOKIE : REPLY_FLOW;
    }
    *probe_flow = pkt->quote;
    bool v4 = packet_addr_is_ipv4(&pkt->quote.src);
    uint8_t proto = pkt->quote.proto;
    if (proto == PACKET_TCP || family_icmp(proto, v4)) {
        *cookie = pkt->quote_word;
        return pkt->quote_has_word ? REPLY_COOKIE : REPLY_FLOW;
    }
    if (proto == PACKET_SCTP) /* the quoted INIT's initiate tag, as -sY's */
        return sctp_quote_cookie(pkt, cookie) ? REPLY_COOKIE : REPLY_FLOW;
    if (proto == PACKET_IP_ANY)
        return REPLY_FLOW; /* its cookie is 32 bits wide (cookie.c): the IP ID holds half */
    if (v4) {
        *cookie = pkt->quote_ip_id;
        return REPLY_COOKIE;
    }
    *cookie = pkt->quote_flow_label & 0xffffu;
    return (pkt->quote_flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE ? REPLY_COOKIE
                                                                                      : REPLY_FLOW;
}

static bool from_target(const packet_view *reply)
{
    return packet_addr_equal(&reply->flow.src, &reply->quote.dst);
}

static bool judge_error4(const packet_view *reply, verdict *out)
{
    if (reply->icmp_type == ICMP_TIME_EXCEEDED) {
        *out = (verdict){PORT_FILTERED, REASON_TIME_EXCEEDED};
        return true;
    }
    port_state state;
    switch (reply->icmp_code) {
    case 0:
    case 1:
    case 9:
    case 10:
    case 13:
        state = PORT_FILTERED;
        break;
    case 2:
        state = from_target(reply) ? PORT_CLOSED : PORT_FILTERED;
        break;
    case 3:
        state = from_target(reply) ? PORT_OPEN : PORT_FILTERED;
        break;
    default:
        return false; /* nmap: "Unexpected ICMP type/code", no verdict */
    }
    *out = (verdict){state, reason_from_unreach_code(reply->icmp_code)};
    return true;
}

static bool judge_error6(const packet_view *reply, verdict *out)
{
    if (reply->icmp_type == ICMPV6_PARAM_PROBLEM) {
        if (reply->icmp_code > 1)
            return false;
        port_state state = reply->icmp_code == 0 ? PORT_OPEN
                           : from_target(reply)  ? PORT_CLOSED
                                                 : PORT_FILTERED;
        *out = (verdict){state, REASON_PARAM_PROBLEM};
        return true;
    }
    if (reply->icmp_code > 6)
        return false;
    port_state state = PORT_FILTERED;
    if (reply->icmp_code == 4 && from_target(reply))
        state = PORT_OPEN;
    *out = (verdict){state, reason_from_unreach6_code(reply->icmp_code)};
    return true;
}

reason proto_icmp_reason(const packet_view *pkt)
{
    if (pkt->flow.proto != PACKET_ICMP)
        return REASON_UNKNOWN_RESPONSE;
    switch (pkt->icmp_type) {
    case ICMP_ECHO_REPLY:
        return pkt->icmp_code == 0 ? REASON_ECHO_REPLY : REASON_UNKNOWN_RESPONSE;
    case ICMP_UNREACH:
        return reason_from_unreach_code(pkt->icmp_code);
    case ICMP_TIME_EXCEEDED:
        return REASON_TIME_EXCEEDED;
    case ICMP_TIMESTAMP_REPLY:
        return REASON_TIMESTAMP_REPLY;
    default:
        return REASON_UNKNOWN_RESPONSE;
    }
}

static bool proto_judge(const packet_view *reply, verdict *out)
{
    if (proto_is_error(reply)) {
        if (reply->flow.proto == PACKET_ICMP)
            return judge_error4(reply, out);
        return judge_error6(reply, out);
    }
    /* Any other packet in the protocol. nmap words an ICMPv4 one by its type
     * (proto_icmp_reason: the scanner and the plugin apply nmap's reading of
     * the packet after it); others "proto-response". */
    reason why = REASON_PROTO_RESPONSE;
    if (reply->flow.proto == PACKET_ICMP)
        why = proto_icmp_reason(reply);
    *out = (verdict){PORT_OPEN, why};
    return true;
}

const scan_type scan_proto = {
    .name = "ipproto",
    .option = "-sO",
    .title = "IPProto Scan",
    .ip_proto = PACKET_IP_ANY,
    .tcp_flags = TCP_ACK,
    .tag_code = SCAN_CODE_PROTO,
    .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},
    .build = proto_build,
    .recognise = proto_recognise,
    .reply_cookie = proto_reply_cookie,
    .judge = proto_judge,
};
