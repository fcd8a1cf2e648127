#include "replies.h"

#include <string.h>

size_t reply_ip_header(uint8_t *p, packet_addr src, packet_addr dst, uint8_t proto, size_t l4)
{
    memset(p, 0, 20);
    p[0] = 0x45;
    put_be16(p + 2, (uint16_t)(20 + l4));
    p[8] = 64;
    p[9] = proto;
    memcpy(p + 12, src.bytes + 12, 4);
    memcpy(p + 16, dst.bytes + 12, 4);
    return 20;
}

size_t reply_icmp_unreach(uint8_t *p, const packet_flow *probe_flow, uint8_t code,
                          const uint8_t *probe, size_t probe_len)
{
    size_t quoted = probe_len < 28 ? probe_len : 28;
    size_t n = reply_ip_header(p, probe_flow->dst, probe_flow->src, PACKET_ICMP, 8 + quoted);
    memset(p + n, 0, 8);
    p[n] = ICMP_UNREACH;
    p[n + 1] = code;
    memcpy(p + n + 8, probe, quoted);
    return n + 8 + quoted;
}
