/* IP protocol host discovery (nmap's -PO[protocols], 1, 2 and 4 by default):
 * an IP packet of each protocol asked, whose "port" in a plan is the protocol
 * number. The family's ICMP (1 over IPv4, 58 over IPv6) gets an echo request
 * (the cookie as id and sequence), TCP an ACK to 80 and UDP a datagram to
 * 40125 (the cookie as sequence number, and in the IP ID or flow label, which
 * an ICMP error quotes); any other protocol only the tag as its payload, as
 * nmap sends them bare (nmap 7.93 -6 sends 1, 2 and 4 with no payload at all,
 * seen in the lab). Every probe carries the version 2 tag (scan code
 * SCAN_CODE_PING_PROTO; in the TCP options or the payload), which tells it
 * from -PE's echo, -PA's ACK and -PU's datagram.
 *
 * nmap's reading (scan_engine_raw.cc, get_ping_pcap_result; checked in the
 * lab): any answer in the probe's own protocol from the target (an echo
 * reply, a RST, ...) is "proto-response"; a protocol or port unreachable from
 * the target proves it up with that reason; silence is down. An IPv6 target
 * answers a protocol it lacks with an ICMPv6 parameter problem (code 1,
 * unrecognized next header), which nmap takes for nothing: in the lab
 * nmap -6 -sn -PO finds fd20:1::2 down, "no-response". */
#include <string.h>

#include "cookie.h"
#include "scan_type.h"

enum { PROTO_TCP_PORT = 80, PROTO_UDP_PORT = 40125 };

static size_t put_tag(const probe_spec *spec, uint8_t *out)
{
    return tag_write_scan_option(out, spec->scan_id, spec->try_no, true, SCAN_CODE_PING_PROTO,
                                 false);
}

static size_t ping_proto_build(const scan_type *type, const probe_spec *spec, uint8_t *out,
                               size_t cap)
{
    enum { HEADER = 8 };
    uint8_t proto = spec->flow.proto;
    bool v6 = !packet_addr_is_ipv4(&spec->flow.dst);
    if (proto == PACKET_TCP)
        return tcp_probe_build(type, spec, out, cap);
    /* The other family's ICMP goes bare, as any protocol. */
    bool echo = proto == (v6 ? PACKET_ICMPV6 : PACKET_ICMP);
    size_t header = echo || proto == PACKET_UDP ? HEADER : 0;
    /* --data-length's bytes follow the tag, as after an echo's. */
    size_t data_len;
    const uint8_t *data = probe_data(spec, &data_len);
    size_t len = header + TAG_SCAN_OPTION_LEN + data_len;
    if (cap < len)
        return 0;
    uint32_t cookie = cookie_make(spec->scan_id, &spec->flow, spec->try_no);
    put_tag(spec, out + header);
    if (data_len)
        memcpy(out + header + TAG_SCAN_OPTION_LEN, data, data_len);
    if (echo) {
        out[0] = v6 ? ICMPV6_ECHO : ICMP_ECHO;
        out[1] = 0;
        put_be16(out + 2, 0);
        put_be32(out + 4, cookie);
        /* ICMPv6 sums a pseudo-header (RFC 4443 section 2.3). */
        uint32_t pseudo =
            v6 ? packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, proto, (uint32_t)len) : 0;
        put_be16(out + 2, packet_checksum(out, len, pseudo));
    } else if (proto == PACKET_UDP) {
        put_be16(out, spec->flow.sport);
        put_be16(out + 2, spec->flow.dport);
        put_be16(out + 4, (uint16_t)len);
        put_be16(out + 6, 0);
        uint32_t pseudo =
            packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_UDP, (uint32_t)len);
        uint16_t sum = packet_checksum(out, len, pseudo);
        put_be16(out + 6, sum ? sum : 0xffff);
    }
    return len;
}

static bool ping_proto_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    if (pkt->has_quote)
        return false;
    if (pkt->flow.proto == PACKET_TCP)
        return tcp_probe_recognise(type, pkt, tag);
    /* The family's ICMP: our echo request only (the parser gives the other
     * family's a bare payload). */
    bool v6 = !packet_addr_is_ipv4(&pkt->flow.src);
    if (pkt->flow.proto == (v6 ? PACKET_ICMPV6 : PACKET_ICMP) &&
        pkt->icmp_type != (v6 ? ICMPV6_ECHO : ICMP_ECHO))
        return false;
    return tag_find_in_payload(pkt->payload, pkt->payload_len, tag) &&
           tag->scan_code == SCAN_CODE_PING_PROTO && tag->discovery;
}

/* Whether reply is an echo reply of its family's ICMP. */
static bool is_echo_reply(const packet_view *reply)
{
    return reply->flow.proto == PACKET_ICMP     ? reply->icmp_type == ICMP_ECHO_REPLY
           : reply->flow.proto == PACKET_ICMPV6 ? reply->icmp_type == ICMPV6_ECHO_REPLY
                                                : false;
}

static bool ping_proto_reply_cookie(const scan_type *type, const packet_view *reply,
                                    uint32_t *cookie)
{
    if (reply->flow.proto == PACKET_TCP)
        return tcp_reply_cookie(type, reply, cookie);
    if (is_echo_reply(reply)) {
        *cookie = (uint32_t)reply->icmp_id << 16 | reply->icmp_seq;
        return true;
    }
    return false;
}

static bool ping_proto_judge(const packet_view *reply, verdict *out)
{
    if (reply->has_quote)
        return judge_ping_icmp_error(reply, out);
    /* Our own kind of ICMP query aside, an ICMP message that is no error and
     * no echo reply answers nothing we sent. */
    if (packet_proto_is_icmp(reply->flow.proto) && !is_echo_reply(reply))
        return false;
    *out = (verdict){HOST_UP, REASON_PROTO_RESPONSE};
    return true;
}

uint16_t ping_proto_dport(uint8_t proto)
{
    return proto == PACKET_TCP ? PROTO_TCP_PORT : proto == PACKET_UDP ? PROTO_UDP_PORT : 0;
}

const scan_type ping_proto = {
    .name = "proto-ping",
    .option = "-PO",
    .title = "IP Protocol Ping",
    .ip_proto = 0,
    .any_ip_proto = true,
    .tcp_flags = TCP_ACK,
    .tag_code = SCAN_CODE_PING_PROTO,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = ping_proto_build,
    .recognise = ping_proto_recognise,
    .reply_cookie = ping_proto_reply_cookie,
    .judge = ping_proto_judge,
};
