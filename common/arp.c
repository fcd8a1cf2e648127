#include "arp.h"

#include <string.h>

#include "packet.h"

enum { ETH_HEADER = 14, ARP_LEN = 28, ETHERTYPE_ARP = 0x0806, ETHERTYPE_IPV4 = 0x0800 };

size_t arp_request_build(const uint8_t src_mac[6], uint32_t src_ip, uint32_t target_ip,
                         uint32_t scan_id, uint8_t try_no, uint8_t *frame, size_t cap)
{
    if (cap < ARP_FRAME_LEN)
        return 0;
    memset(frame, 0, ARP_FRAME_LEN);
    memset(frame, 0xff, 6);
    memcpy(frame + 6, src_mac, 6);
    put_be16(frame + 12, ETHERTYPE_ARP);
    uint8_t *a = frame + ETH_HEADER;
    put_be16(a, 1); /* Ethernet */
    put_be16(a + 2, ETHERTYPE_IPV4);
    a[4] = 6;
    a[5] = 4;
    put_be16(a + 6, ARP_REQUEST);
    memcpy(a + 8, src_mac, 6);
    put_be32(a + 14, src_ip);
    put_be32(a + 24, target_ip);
    tag_write_tcp_option(a + ARP_LEN, scan_id, try_no, true);
    return ARP_FRAME_LEN;
}

bool arp_parse(const uint8_t *arp, size_t len, arp_view *out)
{
    memset(out, 0, sizeof *out);
    if (len < ARP_LEN || get_be16(arp) != 1 || get_be16(arp + 2) != ETHERTYPE_IPV4 || arp[4] != 6 ||
        arp[5] != 4)
        return false;
    out->op = get_be16(arp + 6);
    memcpy(out->sender_mac, arp + 8, 6);
    out->sender_ip = get_be32(arp + 14);
    out->target_ip = get_be32(arp + 24);
    out->tagged = out->op == ARP_REQUEST &&
                  tag_find_in_payload(arp + ARP_LEN, len - ARP_LEN, &out->tag) &&
                  out->tag.discovery;
    return true;
}

packet_flow arp_probe_flow(const arp_view *arp)
{
    if (arp->op == ARP_REPLY)
        return (packet_flow){.src = packet_addr_from_ipv4(arp->target_ip),
                             .dst = packet_addr_from_ipv4(arp->sender_ip)};
    return (packet_flow){.src = packet_addr_from_ipv4(arp->sender_ip),
                         .dst = packet_addr_from_ipv4(arp->target_ip)};
}

bool arp_answers(const arp_view *request, const arp_view *reply, verdict *out)
{
    if (reply->op != ARP_REPLY || reply->sender_ip != request->target_ip ||
        reply->target_ip != request->sender_ip)
        return false;
    *out = (verdict){HOST_UP, REASON_ARP_RESPONSE};
    return true;
}

/* No IP packet is an ARP probe or a reply to one. */
static bool arp_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    (void)type;
    (void)pkt;
    (void)tag;
    return false;
}

static bool arp_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    (void)type;
    (void)reply;
    (void)cookie;
    return false;
}

static bool arp_judge(const packet_view *reply, verdict *out)
{
    (void)reply;
    (void)out;
    return false;
}

const scan_type ping_arp = {
    .name = "arp",
    .option = "-PR",
    .title = "ARP Ping",
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .recognise = arp_recognise,
    .reply_cookie = arp_reply_cookie,
    .judge = arp_judge,
};
