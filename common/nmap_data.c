#include "nmap_data.h"

#include <string.h>

/* Whether data is text of at least one printable character ended by a NUL
 * at or before end: a TFTP file name, mode or error message. */
static bool nul_text(const uint8_t *data, size_t len)
{
    size_t i = 0;
    while (i < len && data[i] >= 0x20 && data[i] <= 0x7e)
        i++;
    return i > 0 && i < len && data[i] == 0;
}

/* Whether data has the shape of a protocol's message that random bytes take
 * about once in 2^32 or less: TFTP's (RFC 1350 section 5: a request's opcode 1
 * or 2 and NUL-ended file name, an ACK's 4 bytes, an ERROR's opcode 5, code
 * 0-7 and NUL-ended message; a TFTP server answers from a new port, so its
 * ERROR to a scanner's request looks like a datagram out of the blue), or a
 * DNS header's (RFC 1035 section 4.1.1: opcode 0-2, one question, fewer than
 * 256 answer, authority and additional records). */
static bool structured(const uint8_t *data, size_t len)
{
    if (len >= 4 && data[0] == 0) {
        switch (data[1]) {
        case 1: /* RRQ */
        case 2: /* WRQ */
            if (nul_text(data + 2, len - 2))
                return true;
            break;
        case 4: /* ACK */
            if (len == 4)
                return true;
            break;
        case 5: /* ERROR */
            if (data[2] == 0 && data[3] <= 7 &&
                ((len == 5 && data[4] == 0) || nul_text(data + 4, len - 4)))
                return true;
            break;
        default:
            break;
        }
    }
    return len >= 12 && ((data[2] >> 3) & 0xf) <= 2 && data[4] == 0 && data[5] == 1 &&
           data[6] == 0 && data[8] == 0 && data[10] == 0;
}

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
    return !text && zeros * 4 < len && !structured(data, len);
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
