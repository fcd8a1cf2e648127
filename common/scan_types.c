#include <string.h>

#include "cookie.h"
#include "scan_type.h"

const scan_type *const scan_types[] = {&scan_syn,
                                       &scan_ack,
                                       &scan_fin,
                                       &scan_null,
                                       &scan_xmas,
                                       &scan_maimon,
                                       &scan_window,
                                       &scan_udp,
                                       &scan_connect,
                                       &scan_sctp_init,
                                       &scan_sctp_cookie_echo,
                                       NULL};

const scan_type *const ping_types[] = {
    &ping_echo, &ping_timestamp, &ping_mask,    &ping_syn,  &ping_ack,
    &ping_udp,  &ping_proto,     &ping_connect, &ping_sctp, NULL};

const scan_type *scan_type_by_name(const char *name)
{
    for (size_t i = 0; scan_types[i]; i++)
        if (strcmp(scan_types[i]->name, name) == 0)
            return scan_types[i];
    return NULL;
}

const scan_type *scan_type_by_option(const char *option)
{
    for (size_t i = 0; scan_types[i]; i++)
        if (strcmp(scan_types[i]->option, option) == 0)
            return scan_types[i];
    return NULL;
}

const scan_type *scan_type_by_tag_code(uint8_t code)
{
    const scan_type *const *const lists[] = {scan_types, ping_types};
    for (size_t l = 0; l < 2 && code; l++)
        for (size_t i = 0; lists[l][i]; i++)
            if (lists[l][i]->tag_code == code)
                return lists[l][i];
    return NULL;
}

const scan_type *scan_type_of_probe(const packet_view *pkt, probe_tag *tag)
{
    for (size_t i = 0; scan_types[i]; i++)
        if (scan_types[i]->recognise(scan_types[i], pkt, tag))
            return scan_types[i];
    for (size_t i = 0; ping_types[i]; i++)
        if (ping_types[i]->recognise(ping_types[i], pkt, tag))
            return ping_types[i];
    return scan_flags_of_probe(pkt, tag);
}

/* The TTL or hop limit a probe leaves with: --ttl's, else 64. */
static uint8_t probe_ttl(const probe_spec *spec)
{
    enum { DEFAULT_TTL = 64 };
    if (spec->extras && spec->extras->ttl >= 0)
        return (uint8_t)spec->extras->ttl;
    return DEFAULT_TTL;
}

/* --badsum: the transport checksum at l4 (len bytes of proto) made one less,
 * as nmap makes it (tcpip.cc, ipv4_cksum: "--sum", and 0xffff for a UDP sum
 * of 0, which would mean none); SCTP's CRC32c (RFC 9260 section 6.8, at
 * octet 8) likewise; other protocols (-PO's) are left alone. */
static void spoil_checksum(uint8_t proto, uint8_t *l4, size_t len)
{
    if (proto == PACKET_SCTP) {
        if (len >= 12)
            put_be32(l4 + 8, get_be32(l4 + 8) - 1u);
        return;
    }
    /* -PO's bare protocols have no checksum of ours to spoil. */
    if (proto != PACKET_TCP && proto != PACKET_UDP && !packet_proto_is_icmp(proto))
        return;
    size_t at = proto == PACKET_TCP ? 16 : proto == PACKET_UDP ? 6 : 2;
    if (len < at + 2)
        return;
    uint16_t sum = (uint16_t)(get_be16(l4 + at) - 1u);
    if (proto == PACKET_UDP && sum == 0)
        sum = 0xffff;
    put_be16(l4 + at, sum);
}

/* A -sO probe of most protocols is the IP header alone, as nmap sends it. */
static bool bare_allowed(const scan_type *type, const probe_spec *spec, bool v4)
{
    return type == &scan_proto && proto_probe_is_bare(spec->flow.proto, v4);
}

/* RFC 8200 section 3: version 6, traffic class 0, the flow label, payload
 * length, next header, hop limit, addresses. */
static size_t ipv6_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out,
                               size_t cap)
{
    enum { IP6_HEADER = 40 };
    if (cap < IP6_HEADER)
        return 0;
    size_t l4 = type->build(type, spec, out + IP6_HEADER, cap - IP6_HEADER);
    if (l4 == 0 && !bare_allowed(type, spec, false))
        return 0;
    uint32_t label = 0;
    if (spec->flow.proto == PACKET_UDP || type == &scan_proto)
        label = PROBE_FLOW_LABEL_COOKIE |
                (cookie_make(spec->scan_id, &spec->flow, spec->try_no) & 0xffffu);
    put_be32(out, 6u << 28 | label);
    put_be16(out + 4, (uint16_t)l4);
    out[6] = spec->flow.proto;
    out[7] = probe_ttl(spec);
    memcpy(out + 8, spec->flow.src.bytes, 16);
    memcpy(out + 24, spec->flow.dst.bytes, 16);
    return IP6_HEADER + l4;
}

size_t scan_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { IP_HEADER = 20, IP6_HEADER = 40 };
    bool v4 = packet_addr_is_ipv4(&spec->flow.src);
    if (v4 != packet_addr_is_ipv4(&spec->flow.dst))
        return 0;
    if (!v4) {
        size_t len = ipv6_probe_build(type, spec, out, cap);
        if (len && spec->extras && spec->extras->badsum)
            spoil_checksum(spec->flow.proto, out + IP6_HEADER, len - IP6_HEADER);
        return len;
    }
    if (cap < IP_HEADER)
        return 0;
    size_t l4 = type->build(type, spec, out + IP_HEADER, cap - IP_HEADER);
    if (l4 == 0 && !bare_allowed(type, spec, true))
        return 0;
    uint16_t total = (uint16_t)(IP_HEADER + l4);
    out[0] = 0x45;
    out[1] = 0;
    put_be16(out + 2, total);
    /* The IP ID carries the cookie's low bits: an ICMP error always quotes the
     * IP header, even when it quotes nothing of a UDP probe's payload. */
    put_be16(out + 4, (uint16_t)cookie_make(spec->scan_id, &spec->flow, spec->try_no));
    put_be16(out + 6, 0);
    out[8] = probe_ttl(spec);
    out[9] = type == &scan_proto || type->any_ip_proto ? spec->flow.proto : type->ip_proto;
    put_be16(out + 10, 0);
    memcpy(out + 12, spec->flow.src.bytes + 12, 4);
    memcpy(out + 16, spec->flow.dst.bytes + 12, 4);
    put_be16(out + 10, packet_checksum(out, IP_HEADER, 0));
    if (spec->extras && spec->extras->badsum)
        spoil_checksum(spec->flow.proto, out + IP_HEADER, l4);
    return total;
}

reply_match scan_reply_key(const scan_type *type, const packet_view *pkt, packet_flow *probe_flow,
                           uint32_t *cookie)
{
    if (type == &scan_proto || type->any_ip_proto)
        return proto_reply_key(pkt, probe_flow, cookie);
    if (packet_proto_matches(type->ip_proto, pkt->flow.proto) && !pkt->has_quote) {
        if (type->ip_proto == PACKET_ICMP && icmp_reply_of_other_query(type, pkt))
            return REPLY_NONE;
        *probe_flow = packet_flow_reverse(&pkt->flow);
        return type->reply_cookie(type, pkt, cookie) ? REPLY_COOKIE : REPLY_FLOW;
    }
    if (packet_proto_is_icmp(pkt->flow.proto) && pkt->has_quote &&
        packet_proto_matches(type->ip_proto, pkt->quote.proto)) {
        if (type->ip_proto == PACKET_ICMP && icmp_quote_of_other_query(type, pkt))
            return REPLY_NONE;
        *probe_flow = pkt->quote;
        /* A TCP probe's cookie is its sequence number, an ICMP probe's its id and
         * sequence, a UDP probe's its IP ID (IPv6 has none: 0, the fragment
         * header's identification aside), an SCTP probe's its INIT's initiate
         * tag or its verification tag. */
        *cookie = type->ip_proto == PACKET_UDP ? pkt->quote_ip_id : pkt->quote_word;
        bool has_cookie = pkt->quote_has_word;
        if (type->ip_proto == PACKET_SCTP)
            has_cookie = sctp_quote_cookie(pkt, cookie);
        /* An IPv6 UDP probe has no IP ID: its flow label carries the cookie
         * (PROBE_FLOW_LABEL_COOKIE); one without the mark is tied by its flow. */
        if (type->ip_proto == PACKET_UDP && packet_addr_is_ipv4(&pkt->quote.src))
            has_cookie = true;
        else if (type->ip_proto == PACKET_UDP) {
            has_cookie = (pkt->quote_flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE;
            *cookie = pkt->quote_flow_label & 0xffffu;
        }
        return type->build && has_cookie ? REPLY_COOKIE : REPLY_FLOW;
    }
    return REPLY_NONE;
}

uint32_t scan_cookie_make(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                          unsigned try_no)
{
    return cookie_make_query(scan_id, probe_flow, scan_cookie_query(type), try_no);
}

bool scan_cookie_check(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                       uint32_t value, uint32_t data_len, bool rst, unsigned *try_no)
{
    uint8_t query = scan_cookie_query(type);
    if (query && cookie_check_query(scan_id, probe_flow, query, value, try_no))
        return true;
    return cookie_check_acked(scan_id, probe_flow, value, data_len, rst, try_no);
}

bool scan_cookie_is(const scan_type *type, uint32_t scan_id, const packet_flow *probe_flow,
                    unsigned try_no, uint32_t value, uint32_t mask)
{
    uint8_t query = scan_cookie_query(type);
    return cookie_is_query(scan_id, probe_flow, query, try_no, value, mask) ||
           (query && cookie_is_query(scan_id, probe_flow, 0, try_no, value, mask));
}

bool scan_is_teardown(const scan_type *type, const packet_view *pkt)
{
    probe_tag tag;
    return pkt->flow.proto == PACKET_TCP && !(pkt->tcp_flags & TCP_SYN) &&
           !type->recognise(type, pkt, &tag);
}
