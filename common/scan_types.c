#include <string.h>

#include "cookie.h"
#include "scan_type.h"

const scan_type *const scan_types[] = {&scan_syn,  &scan_ack,  &scan_fin,
                                       &scan_null, &scan_xmas, NULL};

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

const scan_type *scan_type_of_probe(const packet_view *pkt, probe_tag *tag)
{
    if (pkt->flow.proto != PACKET_TCP ||
        !tag_find_in_tcp_options(pkt->tcp_options, pkt->tcp_options_len, tag))
        return NULL;
    for (size_t i = 0; scan_types[i]; i++)
        if (scan_types[i]->ip_proto == PACKET_TCP && scan_types[i]->tcp_flags == pkt->tcp_flags)
            return scan_types[i];
    return NULL;
}

size_t scan_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { IP_HEADER = 20, DEFAULT_TTL = 64 };
    if (cap < IP_HEADER)
        return 0;
    size_t l4 = type->build(type, spec, out + IP_HEADER, cap - IP_HEADER);
    if (l4 == 0)
        return 0;
    uint16_t total = (uint16_t)(IP_HEADER + l4);
    out[0] = 0x45;
    out[1] = 0;
    put_be16(out + 2, total);
    put_be16(out + 4, spec->ip_id);
    put_be16(out + 6, 0);
    out[8] = DEFAULT_TTL;
    out[9] = type->ip_proto;
    put_be16(out + 10, 0);
    put_be32(out + 12, spec->flow.src);
    put_be32(out + 16, spec->flow.dst);
    put_be16(out + 10, packet_checksum(out, IP_HEADER, 0));
    return total;
}

bool scan_reply_key(const scan_type *type, const packet_view *pkt, packet_flow *probe_flow,
                    uint32_t *probe_seq)
{
    if (pkt->flow.proto == type->ip_proto) {
        *probe_flow = packet_flow_reverse(&pkt->flow);
        *probe_seq = type->reply_seq(pkt);
        return true;
    }
    if (pkt->flow.proto == PACKET_ICMP && pkt->has_quote && pkt->quote.proto == type->ip_proto) {
        *probe_flow = pkt->quote;
        *probe_seq = pkt->quote_word;
        return true;
    }
    return false;
}

bool scan_is_teardown(const packet_view *pkt)
{
    probe_tag tag;
    return pkt->flow.proto == PACKET_TCP && (pkt->tcp_flags & TCP_RST) &&
           !tag_find_in_tcp_options(pkt->tcp_options, pkt->tcp_options_len, &tag);
}
