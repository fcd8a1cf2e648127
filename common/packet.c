#include "packet.h"

#include <string.h>

/* Reads the IPv4 header; returns the header length or 0 when it is not IPv4. */
static size_t ip_header(const uint8_t *ip, size_t len, packet_flow *flow, size_t *total)
{
    if (len < 20 || (ip[0] >> 4) != 4)
        return 0;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len)
        return 0;
    size_t tot = get_be16(ip + 2);
    /* A capture may hold less than the datagram (snaplen); the header may also
     * under-state it after TSO. Read what is there, never more than it claims. */
    *total = (tot >= ihl && tot < len) ? tot : len;
    flow->proto = ip[9];
    flow->src = get_be32(ip + 12);
    flow->dst = get_be32(ip + 16);
    flow->sport = flow->dport = 0;
    return ihl;
}

static bool is_fragment_tail(const uint8_t *ip)
{
    return (get_be16(ip + 6) & 0x1fff) != 0;
}

static void parse_quote(const uint8_t *q, size_t len, packet_view *out)
{
    size_t total;
    size_t ihl = ip_header(q, len, &out->quote, &total);
    /* RFC 792 quotes the header and 64 bits of data; a capture's snapshot
     * length may keep less. The ports are what tie the quote to a probe. */
    bool ports_first = out->quote.proto == PACKET_TCP || out->quote.proto == PACKET_UDP;
    if (ihl == 0 || total < ihl + (ports_first ? 4 : 8))
        return;
    const uint8_t *l4 = q + ihl;
    if (ports_first) {
        out->quote.sport = get_be16(l4);
        out->quote.dport = get_be16(l4 + 2);
    } else if (out->quote.proto == PACKET_ICMP) {
        out->quote.sport = out->quote.dport = get_be16(l4 + 4);
    }
    out->quote_ip_id = get_be16(q + 4);
    out->has_quote = true;
    if (total < ihl + 8)
        return;
    out->quote_has_word = true;
    out->quote_word = get_be32(l4 + 4);
    size_t l4_header = 8;
    if (out->quote.proto == PACKET_TCP && total >= ihl + 13) {
        size_t off = (size_t)(l4[12] >> 4) * 4;
        l4_header = off >= 20 ? off : 20;
    }
    if (total > ihl + l4_header) {
        out->quote_payload = l4 + l4_header;
        out->quote_payload_len = total - ihl - l4_header;
    }
}

/* claimed: the transport length the IP header states, which is more than len
 * when the capture kept only part of the datagram. */
static bool parse_tcp(const uint8_t *l4, size_t len, size_t claimed, packet_view *out)
{
    if (len < 20)
        return false;
    size_t off = (size_t)(l4[12] >> 4) * 4;
    if (off < 20)
        return false;
    out->flow.sport = get_be16(l4);
    out->flow.dport = get_be16(l4 + 2);
    out->seq = get_be32(l4 + 4);
    out->ack = get_be32(l4 + 8);
    out->tcp_flags = l4[13];
    out->window = get_be16(l4 + 14);
    out->tcp_options = l4 + 20;
    out->tcp_header_len = off;
    if (off > len) {
        /* Options cut by the snapshot length: keep what is there. A header
         * longer than the datagram itself is malformed. */
        if (off > claimed)
            return false;
        out->tcp_options_len = len - 20;
        out->payload = l4 + len;
        return true;
    }
    out->tcp_options_len = off - 20;
    out->payload = l4 + off;
    out->payload_len = len - off;
    return true;
}

static bool parse_udp(const uint8_t *l4, size_t len, packet_view *out)
{
    if (len < 8)
        return false;
    out->flow.sport = get_be16(l4);
    out->flow.dport = get_be16(l4 + 2);
    size_t ulen = get_be16(l4 + 4);
    out->udp_stated_len = ulen >= 8 ? ulen - 8 : 0;
    if (ulen >= 8 && ulen < len)
        len = ulen;
    out->payload = l4 + 8;
    out->payload_len = len - 8;
    return true;
}

static bool parse_icmp(const uint8_t *l4, size_t len, packet_view *out)
{
    if (len < 8)
        return false;
    out->icmp_type = l4[0];
    out->icmp_code = l4[1];
    out->payload = l4 + 8;
    out->payload_len = len - 8;
    switch (out->icmp_type) {
    case ICMP_UNREACH:
    case ICMP_SOURCE_QUENCH:
    case ICMP_TIME_EXCEEDED:
    case ICMP_PARAM_PROBLEM:
        parse_quote(l4 + 8, len - 8, out);
        break;
    default:
        out->icmp_id = get_be16(l4 + 4);
        out->icmp_seq = get_be16(l4 + 6);
        out->flow.sport = out->flow.dport = out->icmp_id;
        break;
    }
    return true;
}

bool packet_parse(const uint8_t *ip, size_t len, packet_view *out)
{
    memset(out, 0, sizeof *out);
    size_t total;
    size_t ihl = ip_header(ip, len, &out->flow, &total);
    if (ihl == 0 || is_fragment_tail(ip))
        return false;
    out->tos = ip[1];
    out->ip_id = get_be16(ip + 4);
    out->ttl = ip[8];
    out->df = (ip[6] & 0x40) != 0;
    out->more_fragments = (ip[6] & 0x20) != 0;
    const uint8_t *l4 = ip + ihl;
    size_t l4_len = total - ihl;
    size_t stated = get_be16(ip + 2);
    size_t claimed = stated > ihl ? stated - ihl : 0;
    switch (out->flow.proto) {
    case PACKET_TCP:
        return parse_tcp(l4, l4_len, claimed, out);
    case PACKET_UDP:
        return parse_udp(l4, l4_len, out);
    case PACKET_ICMP:
        return parse_icmp(l4, l4_len, out);
    default:
        return true;
    }
}

packet_flow packet_flow_reverse(const packet_flow *flow)
{
    packet_flow r = {.src = flow->dst,
                     .dst = flow->src,
                     .sport = flow->dport,
                     .dport = flow->sport,
                     .proto = flow->proto};
    return r;
}

bool packet_flow_equal(const packet_flow *a, const packet_flow *b)
{
    return a->src == b->src && a->dst == b->dst && a->sport == b->sport && a->dport == b->dport &&
           a->proto == b->proto;
}

uint16_t packet_checksum(const uint8_t *data, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += get_be16(data + i);
    if (len & 1)
        sum += (uint32_t)data[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

uint32_t packet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len)
{
    return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + proto + len;
}
