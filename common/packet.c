#include "packet.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* What the IP layer of a packet (or of an ICMP error's quote) tells. */
typedef struct ip_layer {
    size_t header_len; /* up to the transport header: options, extension headers */
    size_t total;      /* octets of the datagram at hand: what it states, or less if cut */
    size_t claimed;    /* the transport length the header states */
    bool tail;         /* a fragment other than the first: no transport header */
    bool ipv6;
    uint8_t tos, ttl;
    uint16_t ip_id;
    uint32_t flow_label;
    bool df, more_fragments, fragment;
    unsigned ext_headers;
    packet_ipv6_fragment first_fragment; /* kept when the walk fails after it */
} ip_layer;

/* Reads the IPv4 header; false when it is not a well-formed IPv4 header. */
static bool ipv4_header(const uint8_t *ip, size_t len, packet_flow *flow, ip_layer *l)
{
    if (len < 20 || (ip[0] >> 4) != 4)
        return false;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len)
        return false;
    size_t tot = get_be16(ip + 2);
    /* A capture may hold less than the datagram (snaplen); the header may also
     * under-state it after TSO. Read what is there, never more than it claims. */
    l->header_len = ihl;
    l->total = (tot >= ihl && tot < len) ? tot : len;
    l->claimed = tot > ihl ? tot - ihl : 0;
    l->tail = (get_be16(ip + 6) & 0x1fff) != 0;
    l->tos = ip[1];
    l->ip_id = get_be16(ip + 4);
    l->ttl = ip[8];
    l->df = (ip[6] & 0x40) != 0;
    l->more_fragments = (ip[6] & 0x20) != 0;
    flow->proto = ip[9];
    flow->src = packet_addr_from_ipv4(get_be32(ip + 12));
    flow->dst = packet_addr_from_ipv4(get_be32(ip + 16));
    flow->sport = flow->dport = 0;
    return true;
}

/* IPv6 extension headers (RFC 8200, section 4; AH: RFC 4302, section 2). */
enum {
    IPV6_HOP_BY_HOP = 0,
    IPV6_ROUTING = 43,
    IPV6_FRAGMENT = 44,
    IPV6_AH = 51,
    IPV6_DEST_OPTS = 60,
};

packet_ipv6_fragment packet_ipv6_fragment_read(const uint8_t *h, size_t at)
{
    return (packet_ipv6_fragment){.parsed = true,
                                  .at = at,
                                  .offset = get_be16(h + 2) >> 3,
                                  .more = (h[3] & 1) != 0,
                                  .id = get_be32(h + 4),
                                  .next = h[0]};
}

/* Reads the IPv6 header and walks its extension headers to the first header
 * that is not one (the transport, or ESP, or "no next header" 59); false when
 * it is not IPv6 or a header runs past the data at hand. Hop-by-hop options
 * may only come first (RFC 8200, section 4.3): a packet with them later does
 * not parse, but the walk goes on past them to record a fragment header (the
 * plugin counts fragments by it: plugin/ip_bytes.c). The walk stops at a fragment
 * header of a non-first fragment: what follows it is not a header. The first
 * fragment header is recorded in l->first_fragment as soon as it is reached,
 * whatever comes after it. */
static bool ipv6_header(const uint8_t *ip, size_t len, packet_flow *flow, ip_layer *l)
{
    enum { FIXED = 40 };
    if (len < FIXED || (ip[0] >> 4) != 6)
        return false;
    size_t plen = get_be16(ip + 4);
    /* Payload length 0 is a jumbogram's (RFC 2675): take what is there. */
    size_t stated = plen ? FIXED + plen : len;
    l->total = stated < len ? stated : len;
    l->ipv6 = true;
    l->tos = (uint8_t)(((ip[0] & 0x0f) << 4) | (ip[1] >> 4));
    l->ttl = ip[7];
    l->flow_label = get_be32(ip) & 0xfffffu;
    memcpy(flow->src.bytes, ip + 8, 16);
    memcpy(flow->dst.bytes, ip + 24, 16);
    flow->sport = flow->dport = 0;
    uint8_t next = ip[6];
    size_t off = FIXED;
    bool misplaced = false;
    for (unsigned n = 0;; n++) {
        const uint8_t *h = ip + off;
        size_t hlen;
        switch (next) {
        case IPV6_HOP_BY_HOP:
            misplaced |= n != 0;
            /* fall through */
        case IPV6_ROUTING:
        case IPV6_DEST_OPTS:
        case IPV6_AH:
            if (l->total - off < 2)
                return false;
            hlen = packet_ext_header_len(next == IPV6_AH, h);
            break;
        case IPV6_FRAGMENT: {
            if (l->total - off < 8)
                return false;
            hlen = 8;
            packet_ipv6_fragment f = packet_ipv6_fragment_read(h, off);
            l->fragment = true;
            l->ip_id = (uint16_t)f.id; /* the low 16 bits */
            l->more_fragments = f.more;
            l->tail = f.offset != 0;
            if (!l->first_fragment.parsed)
                l->first_fragment = f;
            break;
        }
        default:
            hlen = 0;
            break;
        }
        if (hlen == 0 || (l->tail && next == IPV6_FRAGMENT)) {
            /* The transport, or what follows a non-first fragment's header. */
            if (hlen) {
                next = h[0];
                off += hlen;
                n++;
            }
            flow->proto = next;
            l->header_len = off;
            l->claimed = stated > off ? stated - off : 0;
            l->ext_headers = n;
            return !misplaced;
        }
        if (hlen > l->total - off)
            return false;
        next = h[0];
        off += hlen;
    }
}

/* Either family, by the version nibble; want_v6 restricts it (a quote is of
 * the family of the ICMP that carries it), -1 takes both. */
static bool ip_header(const uint8_t *ip, size_t len, int want_v6, packet_flow *flow, ip_layer *l)
{
    memset(l, 0, sizeof *l);
    if (len < 1)
        return false;
    bool v6 = (ip[0] >> 4) == 6;
    if (want_v6 >= 0 && v6 != (want_v6 != 0))
        return false;
    return v6 ? ipv6_header(ip, len, flow, l) : ipv4_header(ip, len, flow, l);
}

static void parse_quote(const uint8_t *q, size_t len, bool v6, packet_view *out)
{
    ip_layer l;
    if (!ip_header(q, len, v6, &out->quote, &l) || l.tail)
        return;
    size_t ihl = l.header_len;
    size_t total = l.total;
    /* RFC 792 quotes the header and 64 bits of data, RFC 4443 as much as fits
     * in the minimum MTU; a capture's snapshot length may keep less. The ports
     * are what tie the quote to a probe. */
    bool ports_first = out->quote.proto == PACKET_TCP || out->quote.proto == PACKET_UDP ||
                       out->quote.proto == PACKET_SCTP;
    bool icmp = out->quote.proto == (v6 ? PACKET_ICMPV6 : PACKET_ICMP);
    if (!ports_first && !icmp) {
        /* Another protocol (an -sO or -PO probe's): no ports, the IP header
         * ties it; what data the error kept. */
        out->quote_ip_id = l.ip_id;
        out->quote_flow_label = l.flow_label;
        out->has_quote = true;
        if (total > ihl) {
            out->quote_payload = q + ihl;
            out->quote_payload_len = total - ihl;
        }
        return;
    }
    if (total < ihl + (ports_first ? 4 : 8))
        return;
    const uint8_t *l4 = q + ihl;
    if (ports_first) {
        out->quote.sport = get_be16(l4);
        out->quote.dport = get_be16(l4 + 2);
    } else {
        out->quote.sport = out->quote.dport = get_be16(l4 + 4);
        out->quote_icmp_type = l4[0];
    }
    out->quote_ip_id = l.ip_id;
    out->quote_flow_label = l.flow_label;
    out->has_quote = true;
    if (total < ihl + 8)
        return;
    out->quote_has_word = true;
    out->quote_word = get_be32(l4 + 4);
    size_t l4_header = out->quote.proto == PACKET_SCTP ? SCTP_COMMON_HEADER_LEN : 8;
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

/* RFC 9260 section 3: the common header, then chunks; the first chunk's
 * header is read when it is there (a scan's verdict is the first chunk's,
 * as nmap reads it), and an INIT's or INIT ACK's initiate tag. */
static bool parse_sctp(const uint8_t *l4, size_t len, packet_view *out)
{
    if (len < SCTP_COMMON_HEADER_LEN)
        return false;
    out->flow.sport = get_be16(l4);
    out->flow.dport = get_be16(l4 + 2);
    out->sctp_vtag = get_be32(l4 + 4);
    out->payload = l4 + SCTP_COMMON_HEADER_LEN;
    out->payload_len = len - SCTP_COMMON_HEADER_LEN;
    if (out->payload_len < SCTP_CHUNK_HEADER_LEN)
        return true;
    const uint8_t *chunk = out->payload;
    out->sctp_has_chunk = true;
    out->sctp_chunk_type = chunk[0];
    out->sctp_chunk_flags = chunk[1];
    out->sctp_chunk_len = get_be16(chunk + 2);
    if ((chunk[0] == SCTP_CHUNK_INIT || chunk[0] == SCTP_CHUNK_INIT_ACK) &&
        out->payload_len >= SCTP_CHUNK_HEADER_LEN + 4) {
        out->sctp_has_init_tag = true;
        out->sctp_init_tag = get_be32(chunk + SCTP_CHUNK_HEADER_LEN);
    }
    return true;
}

bool packet_icmp_is_error(uint8_t type, bool v6)
{
    if (v6)
        return type == ICMPV6_UNREACH || type == ICMPV6_PACKET_TOO_BIG ||
               type == ICMPV6_TIME_EXCEEDED || type == ICMPV6_PARAM_PROBLEM;
    return type == ICMP_UNREACH || type == ICMP_SOURCE_QUENCH || type == ICMP_TIME_EXCEEDED ||
           type == ICMP_PARAM_PROBLEM;
}

/* ICMPv4 (RFC 792) and ICMPv6 (RFC 4443) share the layout read here: type,
 * code, checksum, then an id and sequence number (queries) or 32 bits of
 * their own and the quote (errors). */
static bool parse_icmp(const uint8_t *l4, size_t len, bool v6, packet_view *out)
{
    if (len < 8)
        return false;
    out->icmp_type = l4[0];
    out->icmp_code = l4[1];
    out->payload = l4 + 8;
    out->payload_len = len - 8;
    if (packet_icmp_is_error(out->icmp_type, v6)) {
        parse_quote(l4 + 8, len - 8, v6, out);
        return true;
    }
    out->icmp_id = get_be16(l4 + 4);
    out->icmp_seq = get_be16(l4 + 6);
    out->flow.sport = out->flow.dport = out->icmp_id;
    return true;
}

bool packet_parse(const uint8_t *ip, size_t len, packet_view *out)
{
    memset(out, 0, sizeof *out);
    ip_layer l;
    bool ok = ip_header(ip, len, -1, &out->flow, &l);
    out->ipv6_fragment_header = l.first_fragment;
    if (!ok || l.tail)
        return false;
    out->tos = l.tos;
    out->ip_id = l.ip_id;
    out->flow_label = l.flow_label;
    out->ip_header_len = l.header_len;
    out->ttl = l.ttl;
    out->df = l.df;
    out->more_fragments = l.more_fragments;
    out->ipv6_ext_headers = (uint8_t)(l.ext_headers > 255 ? 255 : l.ext_headers);
    out->ipv6_fragment = l.fragment;
    const uint8_t *l4 = ip + l.header_len;
    size_t l4_len = l.total - l.header_len;
    switch (out->flow.proto) {
    case PACKET_TCP:
        return parse_tcp(l4, l4_len, l.claimed, out);
    case PACKET_UDP:
        return parse_udp(l4, l4_len, out);
    case PACKET_SCTP:
        return parse_sctp(l4, l4_len, out);
    case PACKET_ICMP:
    case PACKET_ICMPV6:
        if (l.ipv6 == (out->flow.proto == PACKET_ICMPV6))
            return parse_icmp(l4, l4_len, l.ipv6, out);
        /* The other family's ICMP (an -sO probe's bare header): no message of
         * this family's, so no ICMP type any rule reads (255 is reserved). */
        out->icmp_type = 0xff;
        out->payload = l4;
        out->payload_len = l4_len;
        return true;
    default:
        /* Another protocol: what follows the IP header (an -sO IGMP query,
         * -PO's tag, or nothing). */
        out->payload = l4;
        out->payload_len = l4_len;
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
    return packet_addr_equal(&a->src, &b->src) && packet_addr_equal(&a->dst, &b->dst) &&
           a->sport == b->sport && a->dport == b->dport && a->proto == b->proto;
}

bool packet_addr_equal(const packet_addr *a, const packet_addr *b)
{
    return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

int packet_addr_compare(const packet_addr *a, const packet_addr *b)
{
    return memcmp(a->bytes, b->bytes, sizeof a->bytes);
}

bool packet_addr_is_zero(const packet_addr *a)
{
    static const packet_addr zero;
    return packet_addr_equal(a, &zero);
}

bool packet_addr_unicast(const packet_addr *a)
{
    if (packet_addr_is_ipv4(a))
        return packet_ipv4_unicast(packet_addr_low32(a));
    return !packet_addr_is_zero(a) && a->bytes[0] != 0xff;
}

uint32_t packet_addr_hash(const packet_addr *a)
{
    uint32_t h = 0x811c9dc5u;
    for (size_t i = 0; i < sizeof a->bytes; i++)
        h = (h ^ a->bytes[i]) * 0x01000193u;
    return h;
}

char *packet_addr_format(const packet_addr *a, char *buf)
{
    bool v4 = packet_addr_is_ipv4(a);
    if (!inet_ntop(v4 ? AF_INET : AF_INET6, v4 ? a->bytes + 12 : a->bytes, buf, PACKET_ADDR_TEXT))
        buf[0] = '\0';
    return buf;
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

uint32_t packet_pseudo_sum(const packet_addr *src, const packet_addr *dst, uint8_t proto,
                           uint32_t len)
{
    /* The IPv4 pseudo-header has the last 32 bits of each address, the IPv6 one
     * all 128: the mapped prefix adds nothing but 0xffff twice, left out. */
    size_t first = packet_addr_is_ipv4(src) && packet_addr_is_ipv4(dst) ? 12 : 0;
    uint32_t sum = proto + (len >> 16) + (len & 0xffff);
    for (size_t i = first; i < 16; i += 2)
        sum += get_be16(src->bytes + i) + get_be16(dst->bytes + i);
    return sum;
}

bool packet_transport_checksum_ok(const uint8_t *ip, size_t len, const packet_view *pkt,
                                  bool *known)
{
    *known = false;
    const uint8_t *l4;
    size_t at;
    switch (pkt->flow.proto) {
    case PACKET_TCP:
        l4 = pkt->tcp_options - 20;
        break;
    case PACKET_UDP:
    case PACKET_ICMP:
    case PACKET_ICMPV6:
        l4 = pkt->payload - 8;
        break;
    default:
        return false;
    }
    if (pkt->more_fragments || pkt->ipv6_fragment || l4 < ip || (at = (size_t)(l4 - ip)) > len)
        return false;
    bool v4 = (ip[0] >> 4) == 4;
    size_t end = v4 ? get_be16(ip + 2) : 40 + (size_t)get_be16(ip + 4);
    /* A datagram read whole: not a fragment (IPv4's MF or offset; a
     * reassembled one's header may state another length), nor cut short. IPv4
     * may be followed by Ethernet padding; IPv6 probes are never that short. */
    if (v4 && (get_be16(ip + 6) & 0x3fff))
        return false;
    if (end > len || end < at + 8 || (!v4 && end != len))
        return false;
    size_t l4_len = end - at;
    if (v4 && pkt->flow.proto == PACKET_UDP && get_be16(l4 + 6) == 0)
        return false; /* RFC 768: no checksum computed */
    uint32_t pseudo =
        pkt->flow.proto == PACKET_ICMP
            ? 0
            : packet_pseudo_sum(&pkt->flow.src, &pkt->flow.dst, pkt->flow.proto, (uint32_t)l4_len);
    *known = true;
    return packet_checksum(l4, l4_len, pseudo) == 0;
}
