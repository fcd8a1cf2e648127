/* ICMP host discovery (nmap's -PE echo, -PP timestamp and -PM address mask
 * request, RFC 792 and RFC 950 section "ICMP Address Mask"). The cookie is the
 * query's id and sequence number, which the reply echoes and an ICMP error
 * quotes, with the query's type hashed in for -PP and -PM (scan_cookie_query()),
 * so that each query to a host has an id of its own, as each of nmap's has;
 * the tag follows the message in the payload. Over IPv6 the echo is
 * ICMPv6's (RFC 4443 section 4: types 128 and 129, same layout); ICMPv6 has no
 * timestamp or address mask request. */
#include <string.h>

#include "cookie.h"
#include "scan_type.h"

static size_t icmp_query_build(const scan_type *type, const probe_spec *spec, uint8_t *out,
                               size_t cap)
{
    enum { HEADER = 8, TIMESTAMPS = 12, MASK = 4 };
    bool v6 = !packet_addr_is_ipv4(&spec->flow.dst);
    size_t body = type == &ping_timestamp ? TIMESTAMPS : type == &ping_mask ? MASK : 0;
    /* --data-length: after the echo's tag; nmap adds none to a timestamp
     * request (seen in the lab: nmap 7.93 -PP --data-length 20). */
    size_t data_len = 0;
    const uint8_t *data = type == &ping_echo ? probe_data(spec, &data_len) : NULL;
    size_t len = HEADER + body + TAG_TCP_OPTION_LEN + data_len;
    if (cap < len || (v6 && type != &ping_echo))
        return 0;
    uint32_t cookie = scan_cookie_make(type, spec->scan_id, &spec->flow, spec->try_no);
    out[0] = v6                        ? ICMPV6_ECHO
             : type == &ping_timestamp ? ICMP_TIMESTAMP
             : type == &ping_mask      ? ICMP_MASK
                                       : ICMP_ECHO;
    out[1] = 0;
    put_be16(out + 2, 0);
    put_be32(out + 4, cookie);
    for (size_t i = 0; i < body; i++)
        out[HEADER + i] = 0;
    tag_write_tcp_option(out + HEADER + body, spec->scan_id, spec->try_no, true);
    if (data_len)
        memcpy(out + HEADER + body + TAG_TCP_OPTION_LEN, data, data_len);
    /* ICMPv6 sums a pseudo-header as TCP does (RFC 4443 section 2.3). */
    uint32_t pseudo =
        v6 ? packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_ICMPV6, (uint32_t)len) : 0;
    put_be16(out + 2, packet_checksum(out, len, pseudo));
    return len;
}

/* Whether pkt is that query's request (reply false) or reply in its ICMP:
 * ICMPv6 has the echo only. */
static bool is_query(const scan_type *type, const packet_view *pkt, bool reply)
{
    if (pkt->flow.proto == PACKET_ICMPV6)
        return type == &ping_echo && pkt->icmp_type == (reply ? ICMPV6_ECHO_REPLY : ICMPV6_ECHO);
    if (type == &ping_timestamp)
        return pkt->icmp_type == (reply ? ICMP_TIMESTAMP_REPLY : ICMP_TIMESTAMP);
    if (type == &ping_mask)
        return pkt->icmp_type == (reply ? ICMP_MASK_REPLY : ICMP_MASK);
    return pkt->icmp_type == (reply ? ICMP_ECHO_REPLY : ICMP_ECHO);
}

bool icmp_quote_of_other_query(const scan_type *type, const packet_view *pkt)
{
    bool v6 = pkt->quote.proto == PACKET_ICMPV6;
    if (!pkt->has_quote || pkt->quote.proto != (v6 ? PACKET_ICMPV6 : PACKET_ICMP))
        return false;
    uint8_t request = v6                        ? ICMPV6_ECHO
                      : type == &ping_timestamp ? ICMP_TIMESTAMP
                      : type == &ping_mask      ? ICMP_MASK
                                                : ICMP_ECHO;
    return (v6 && type != &ping_echo) || pkt->quote_icmp_type != request;
}

uint8_t scan_cookie_query(const scan_type *type)
{
    return type == &ping_timestamp ? ICMP_TIMESTAMP : type == &ping_mask ? ICMP_MASK : 0;
}

bool icmp_reply_of_other_query(const scan_type *type, const packet_view *pkt)
{
    if (pkt->has_quote || !packet_proto_is_icmp(pkt->flow.proto))
        return false;
    bool query_reply = pkt->flow.proto == PACKET_ICMPV6
                           ? pkt->icmp_type == ICMPV6_ECHO_REPLY
                           : pkt->icmp_type == ICMP_ECHO_REPLY ||
                                 pkt->icmp_type == ICMP_TIMESTAMP_REPLY ||
                                 pkt->icmp_type == ICMP_MASK_REPLY;
    return query_reply && !is_query(type, pkt, true);
}

static bool icmp_query_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    /* Version 2 tags are -PO's (ping_proto.c). */
    return packet_proto_is_icmp(pkt->flow.proto) && !pkt->has_quote && is_query(type, pkt, false) &&
           tag_find_in_payload(pkt->payload, pkt->payload_len, tag) && tag->discovery &&
           tag->version == TAG_VERSION;
}

static bool icmp_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    if (reply->has_quote || !is_query(type, reply, true))
        return false;
    *cookie = (uint32_t)reply->icmp_id << 16 | reply->icmp_seq;
    return true;
}

static bool icmp_query_judge(const packet_view *reply, verdict *out)
{
    if (!packet_proto_is_icmp(reply->flow.proto))
        return false;
    if (reply->has_quote)
        return judge_ping_icmp_error(reply, out);
    if (reply->flow.proto == PACKET_ICMPV6) {
        if (reply->icmp_type != ICMPV6_ECHO_REPLY)
            return false;
        *out = (verdict){HOST_UP, REASON_ECHO_REPLY};
        return true;
    }
    if (reply->icmp_type == ICMP_ECHO_REPLY) {
        *out = (verdict){HOST_UP, REASON_ECHO_REPLY};
        return true;
    }
    if (reply->icmp_type == ICMP_TIMESTAMP_REPLY) {
        *out = (verdict){HOST_UP, REASON_TIMESTAMP_REPLY};
        return true;
    }
    if (reply->icmp_type == ICMP_MASK_REPLY) {
        *out = (verdict){HOST_UP, REASON_ADDRESSMASK_REPLY};
        return true;
    }
    return false;
}

const scan_type ping_echo = {
    .name = "echo",
    .option = "-PE",
    .title = "ICMP Echo Ping",
    .ip_proto = PACKET_ICMP,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = icmp_query_build,
    .recognise = icmp_query_recognise,
    .reply_cookie = icmp_reply_cookie,
    .judge = icmp_query_judge,
};

const scan_type ping_timestamp = {
    .name = "timestamp",
    .option = "-PP",
    .title = "ICMP Timestamp Ping",
    .ip_proto = PACKET_ICMP,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = icmp_query_build,
    .recognise = icmp_query_recognise,
    .reply_cookie = icmp_reply_cookie,
    .judge = icmp_query_judge,
};

/* Linux answers no address mask request (RFC 1122 3.2.2.9 lets a host not be
 * an address mask agent): in the lab -PM finds every host down, as nmap's. */
const scan_type ping_mask = {
    .name = "mask",
    .option = "-PM",
    .title = "ICMP Address Mask Ping",
    .ip_proto = PACKET_ICMP,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = icmp_query_build,
    .recognise = icmp_query_recognise,
    .reply_cookie = icmp_reply_cookie,
    .judge = icmp_query_judge,
};
