#include "nd.h"

#include <string.h>

#include "cookie.h"

enum {
    IP6_HEADER = 40,
    ND_HOP_LIMIT = 255,
    OPT_SOURCE_LINK_ADDR = 1,
    OPT_TARGET_LINK_ADDR = 2,
    OPT_NONCE = 14,
};

packet_addr nd_solicited_node(const packet_addr *target)
{
    packet_addr m = {{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, target->bytes[13],
                      target->bytes[14], target->bytes[15]}};
    return m;
}

size_t nd_solicit_build(const uint8_t src_mac[6], const packet_addr *src, const packet_addr *target,
                        uint32_t scan_id, uint8_t try_no, uint8_t *out, size_t cap)
{
    if (cap < ND_SOLICIT_LEN)
        return 0;
    memset(out, 0, ND_SOLICIT_LEN);
    packet_addr dst = nd_solicited_node(target);
    size_t l4 = ND_SOLICIT_LEN - IP6_HEADER;
    put_be32(out, 6u << 28);
    put_be16(out + 4, (uint16_t)l4);
    out[6] = PACKET_ICMPV6;
    out[7] = ND_HOP_LIMIT;
    memcpy(out + 8, src->bytes, 16);
    memcpy(out + 24, dst.bytes, 16);
    uint8_t *m = out + IP6_HEADER;
    m[0] = ICMPV6_NEIGHBOR_SOLICIT;
    memcpy(m + 8, target->bytes, 16);
    m[24] = OPT_SOURCE_LINK_ADDR;
    m[25] = 1;
    memcpy(m + 26, src_mac, 6);
    m[32] = OPT_NONCE;
    m[33] = 2;
    tag_write_tcp_option(m + 34, scan_id, try_no, true);
    packet_flow flow = {.src = *src, .dst = *target, .proto = PACKET_ICMPV6};
    put_be32(m + 44, cookie_make(scan_id, &flow, try_no));
    uint32_t pseudo = packet_pseudo_sum(src, &dst, PACKET_ICMPV6, (uint32_t)l4);
    put_be16(m + 2, packet_checksum(m, l4, pseudo));
    return ND_SOLICIT_LEN;
}

/* The option of that type among those after the message's fixed part (at
 * payload + 16: the target address), or NULL. */
static const uint8_t *nd_option(const packet_view *pkt, uint8_t type, size_t *len)
{
    if (pkt->payload_len < 16)
        return NULL;
    const uint8_t *p = pkt->payload + 16;
    size_t left = pkt->payload_len - 16;
    while (left >= 2) {
        size_t olen = (size_t)p[1] * 8;
        if (olen == 0 || olen > left)
            return NULL;
        if (p[0] == type) {
            *len = olen;
            return p;
        }
        p += olen;
        left -= olen;
    }
    return NULL;
}

bool nd_solicit_recognise(const packet_view *pkt, probe_tag *tag, packet_addr *target)
{
    size_t len;
    if (pkt->flow.proto != PACKET_ICMPV6 || pkt->has_quote ||
        pkt->icmp_type != ICMPV6_NEIGHBOR_SOLICIT || pkt->payload_len < 16)
        return false;
    const uint8_t *nonce = nd_option(pkt, OPT_NONCE, &len);
    if (nonce == NULL || !tag_find_in_payload(nonce + 2, len - 2, tag) || !tag->discovery)
        return false;
    memcpy(target->bytes, pkt->payload, 16);
    return true;
}

bool nd_advert_parse(const packet_view *pkt, packet_addr *target, uint8_t mac[6], bool *has_mac)
{
    size_t len;
    if (pkt->flow.proto != PACKET_ICMPV6 || pkt->has_quote ||
        pkt->icmp_type != ICMPV6_NEIGHBOR_ADVERT || pkt->icmp_code != 0 ||
        pkt->ttl != ND_HOP_LIMIT || pkt->payload_len < 16)
        return false;
    memcpy(target->bytes, pkt->payload, 16);
    const uint8_t *opt = nd_option(pkt, OPT_TARGET_LINK_ADDR, &len);
    *has_mac = opt != NULL && len >= 8;
    if (*has_mac)
        memcpy(mac, opt + 2, 6);
    return true;
}

bool nd_answers(const packet_addr *asked, const packet_addr *advertised, verdict *out)
{
    if (!packet_addr_equal(asked, advertised))
        return false;
    *out = (verdict){HOST_UP, REASON_ND_RESPONSE};
    return true;
}

/* The type's own functions see IP packets as the port-probe types do; ND is
 * handled by the functions above, as ARP is by arp.c's. */
static bool nd_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    (void)type;
    packet_addr target;
    return nd_solicit_recognise(pkt, tag, &target);
}

static bool nd_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    (void)type;
    (void)reply;
    (void)cookie;
    return false;
}

static bool nd_judge(const packet_view *reply, verdict *out)
{
    packet_addr target;
    uint8_t mac[6];
    bool has_mac;
    if (!nd_advert_parse(reply, &target, mac, &has_mac))
        return false;
    *out = (verdict){HOST_UP, REASON_ND_RESPONSE};
    return true;
}

const scan_type ping_nd = {
    .name = "nd",
    .option = "-PR",
    .title = "ND Ping",
    .ip_proto = PACKET_ICMPV6,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .recognise = nd_recognise,
    .reply_cookie = nd_reply_cookie,
    .judge = nd_judge,
};
