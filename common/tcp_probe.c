/* The TCP probe every TCP scan type sends: nmap's shape (window 1024, MSS 1460)
 * plus our tag, with the cookie as sequence number and, for probes with ACK set,
 * as acknowledgment number too, so a RST's sequence number carries it back.
 * --data-length's bytes follow the options, as nmap's follow its header. */
#include <string.h>

#include "cookie.h"
#include "tag.h"
#include "scan_type.h"

size_t tcp_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { BASE = 20, OPTIONS = 16, WINDOW = 1024, MSS = 1460 };
    size_t data_len;
    const uint8_t *data = probe_data(spec, &data_len);
    if (cap < BASE + OPTIONS + data_len)
        return 0;
    uint32_t cookie = cookie_make(spec->scan_id, &spec->flow, spec->try_no);
    put_be16(out, spec->flow.sport);
    put_be16(out + 2, spec->flow.dport);
    put_be32(out + 4, cookie);
    put_be32(out + 8, (type->tcp_flags & TCP_ACK) ? cookie : 0);
    out[12] = (uint8_t)(((BASE + OPTIONS) / 4) << 4);
    out[13] = type->tcp_flags;
    put_be16(out + 14, WINDOW);
    put_be16(out + 16, 0);
    put_be16(out + 18, 0);
    uint8_t *opt = out + BASE;
    opt[0] = 2; /* MSS */
    opt[1] = 4;
    put_be16(opt + 2, MSS);
    tag_write_scan_option(opt + 4, spec->scan_id, spec->try_no, type->discovery, type->tag_code,
                          type->base != NULL);
    if (spec->extras && spec->extras->fixed_sport)
        tag_mark_fixed_sport(opt + 4);
    opt[15] = 1; /* NOP padding to a 32-bit boundary */
    if (data_len)
        memcpy(out + BASE + OPTIONS, data, data_len);
    uint16_t len = (uint16_t)(BASE + OPTIONS + data_len);
    uint32_t pseudo = packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_TCP, len);
    put_be16(out + 16, packet_checksum(out, len, pseudo));
    return len;
}

/* A version 1 tag names no scan type: its flags do, among the types it knew. */
bool tcp_probe_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    if (pkt->flow.proto != PACKET_TCP || pkt->tcp_flags != type->tcp_flags ||
        !tag_find_in_tcp_options(pkt->tcp_options, pkt->tcp_options_len, tag) ||
        tag->discovery != type->discovery)
        return false;
    if (tag->version == TAG_VERSION)
        return type->tag_code <= SCAN_CODE_V1_LAST && !type->base;
    return tag->scan_code == type->tag_code && tag->custom_flags == (type->base != NULL);
}

/* RFC 793's reset rule, which every stack follows: a reply to a segment with ACK
 * takes its sequence number from that ack (our cookie); a reply to one without
 * acknowledges its sequence number plus the octets its SYN and FIN occupy, and
 * a RST its data too (--data-length): cookie_check_acked() allows for that. */
bool tcp_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    if (type->tcp_flags & TCP_ACK)
        *cookie = reply->seq;
    else
        *cookie = reply->ack - !!(type->tcp_flags & TCP_SYN) - !!(type->tcp_flags & TCP_FIN);
    return true;
}
