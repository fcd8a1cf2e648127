#include <string.h>

#include "cookie.h"
#include "scan_type.h"

const scan_type *const scan_types[] = {&scan_syn,     &scan_ack,    &scan_fin,    &scan_null,
                                       &scan_xmas,    &scan_maimon, &scan_window, &scan_udp,
                                       &scan_connect, NULL};

const scan_type *const ping_types[] = {&ping_echo, &ping_timestamp, &ping_syn,
                                       &ping_ack,  &ping_connect,   NULL};

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

size_t scan_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { IP_HEADER = 20, DEFAULT_TTL = 64 };
    /* The scanner sends IPv4 only for now (issue 10): no IPv6 header is built. */
    if (cap < IP_HEADER || !packet_addr_is_ipv4(&spec->flow.src) ||
        !packet_addr_is_ipv4(&spec->flow.dst))
        return 0;
    size_t l4 = type->build(type, spec, out + IP_HEADER, cap - IP_HEADER);
    if (l4 == 0)
        return 0;
    uint16_t total = (uint16_t)(IP_HEADER + l4);
    out[0] = 0x45;
    out[1] = 0;
    put_be16(out + 2, total);
    /* The IP ID carries the cookie's low bits: an ICMP error always quotes the
     * IP header, even when it quotes nothing of a UDP probe's payload. */
    put_be16(out + 4, (uint16_t)cookie_make(spec->scan_id, &spec->flow, spec->try_no));
    put_be16(out + 6, 0);
    out[8] = DEFAULT_TTL;
    out[9] = type->ip_proto;
    put_be16(out + 10, 0);
    memcpy(out + 12, spec->flow.src.bytes + 12, 4);
    memcpy(out + 16, spec->flow.dst.bytes + 12, 4);
    put_be16(out + 10, packet_checksum(out, IP_HEADER, 0));
    return total;
}

reply_match scan_reply_key(const scan_type *type, const packet_view *pkt, packet_flow *probe_flow,
                           uint32_t *cookie)
{
    if (packet_proto_matches(type->ip_proto, pkt->flow.proto) && !pkt->has_quote) {
        *probe_flow = packet_flow_reverse(&pkt->flow);
        return type->reply_cookie(type, pkt, cookie) ? REPLY_COOKIE : REPLY_FLOW;
    }
    if (packet_proto_is_icmp(pkt->flow.proto) && pkt->has_quote &&
        packet_proto_matches(type->ip_proto, pkt->quote.proto)) {
        *probe_flow = pkt->quote;
        /* A TCP probe's cookie is its sequence number, an ICMP probe's its id and
         * sequence, a UDP probe's its IP ID (IPv6 has none: 0, the fragment
         * header's identification aside). */
        *cookie = type->ip_proto == PACKET_UDP ? pkt->quote_ip_id : pkt->quote_word;
        /* An IPv6 UDP probe has no IP ID to carry its cookie: its flow ties it. */
        bool has_cookie = type->ip_proto == PACKET_UDP ? packet_addr_is_ipv4(&pkt->quote.src)
                                                       : pkt->quote_has_word;
        return type->build && has_cookie ? REPLY_COOKIE : REPLY_FLOW;
    }
    return REPLY_NONE;
}

bool scan_is_teardown(const scan_type *type, const packet_view *pkt)
{
    probe_tag tag;
    return pkt->flow.proto == PACKET_TCP && !(pkt->tcp_flags & TCP_SYN) &&
           !type->recognise(type, pkt, &tag);
}
