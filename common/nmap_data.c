#include "nmap_data.h"

#include <string.h>

bool nmap_data_random(const uint8_t *data, size_t len)
{
    enum { RUN = 4, PRINTABLE_FIRST = 0x20, PRINTABLE_LAST = 0x7e };
    if (len < NMAP_DATA_MIN)
        return false;
    if (len > NMAP_DATA_JUDGED)
        len = NMAP_DATA_JUDGED;
    size_t zeros = 0, rising = 1, same = 1;
    bool text = true;
    for (size_t i = 0; i < len; i++) {
        zeros += data[i] == 0;
        text = text && data[i] >= PRINTABLE_FIRST && data[i] <= PRINTABLE_LAST;
        if (i == 0)
            continue;
        rising = data[i] == (uint8_t)(data[i - 1] + 1) ? rising + 1 : 1;
        same = data[i] == data[i - 1] ? same + 1 : 1;
        if (rising >= RUN || same >= RUN)
            return false;
    }
    return !text && zeros * 4 < len;
}

bool nmap_echo_with_data(const packet_view *pkt)
{
    bool v4 = pkt->flow.proto == PACKET_ICMP;
    if ((!v4 && pkt->flow.proto != PACKET_ICMPV6) || pkt->has_quote)
        return false;
    return pkt->icmp_type == (v4 ? ICMP_ECHO : ICMPV6_ECHO) && pkt->icmp_code == 0 &&
           pkt->icmp_seq == 0 && pkt->icmp_id != 0 &&
           nmap_data_random(pkt->payload, pkt->payload_len);
}

bool nmap_udp_ping_with_data(const packet_view *pkt)
{
    return pkt->flow.proto == PACKET_UDP && !pkt->has_quote &&
           pkt->flow.dport == NMAP_UDP_PING_PORT &&
           nmap_data_random(pkt->payload, pkt->payload_len);
}

bool nmap_data_same(const uint8_t *a, size_t a_captured, size_t a_len, const uint8_t *b,
                    size_t b_captured, size_t b_len)
{
    if (a_len != b_len)
        return false;
    size_t n = a_captured < b_captured ? a_captured : b_captured;
    if (n < a_len && n < NMAP_DATA_MIN)
        return false; /* too little of them kept to tell */
    return memcmp(a, b, n) == 0;
}
