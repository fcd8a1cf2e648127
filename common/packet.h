/* A read-only view of one IPv4 packet, parsed the same way by the scanner (from
 * libpcap frames) and by the plugin (from the bytes under the "ip" tree item), so
 * both sides see exactly the same fields. */
#ifndef SCANTRACE_PACKET_H
#define SCANTRACE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { PACKET_ICMP = 1, PACKET_TCP = 6, PACKET_UDP = 17 };

enum {
    TCP_FIN = 0x01,
    TCP_SYN = 0x02,
    TCP_RST = 0x04,
    TCP_PSH = 0x08,
    TCP_ACK = 0x10,
    TCP_URG = 0x20,
};

enum {
    ICMP_ECHO_REPLY = 0,
    ICMP_UNREACH = 3,
    ICMP_SOURCE_QUENCH = 4,
    ICMP_ECHO = 8,
    ICMP_TIME_EXCEEDED = 11,
    ICMP_PARAM_PROBLEM = 12,
    ICMP_TIMESTAMP = 13,
    ICMP_TIMESTAMP_REPLY = 14,
};

/* Addresses and ports in host order. For ICMP queries (echo, timestamp) both
 * ports hold the id, so a reply's flow reversed is its request's flow. */
typedef struct packet_flow {
    uint32_t src, dst;
    uint16_t sport, dport;
    uint8_t proto;
} packet_flow;

typedef struct packet_view {
    packet_flow flow;
    uint8_t tos, ttl;
    uint16_t ip_id;
    bool df; /* Don't Fragment: kernels set it, most raw-packet scanners do not */
    bool more_fragments;
    /* TCP */
    uint32_t seq, ack;
    uint8_t tcp_flags;
    uint16_t window;
    /* The options present, which a capture cut short may hold only part of:
     * tcp_header_len is the length the data offset states. */
    size_t tcp_header_len;
    const uint8_t *tcp_options;
    size_t tcp_options_len;
    /* ICMP */
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq;
    /* The packet an ICMP error quotes: its flow, and the first 32 bits after its
     * ports (the TCP sequence number, or the UDP length and checksum), which a
     * capture cut short (snaplen 68) may lack: quote_has_word says. */
    bool has_quote;
    packet_flow quote;
    bool quote_has_word;
    uint32_t quote_word;
    uint16_t quote_ip_id;
    const uint8_t *quote_payload;
    size_t quote_payload_len;
    /* Transport payload (TCP, UDP, or ICMP data after the 8-byte header), as
     * captured; UDP: the length its header states, which a snapshot length may
     * have cut the captured payload short of. */
    const uint8_t *payload;
    size_t payload_len;
    size_t udp_stated_len;
} packet_view;

/* Parses an IPv4 packet starting at its IP header. Input without a whole
 * transport header, a fragment other than the first, and malformed input return
 * false; nothing is read past len. A capture cut short (snapshot length) still
 * parses when the headers a verdict needs are there: TCP options and an ICMP
 * error's quote may be partial. A first fragment (MF set) parses too: the
 * caller decides whether to wait for the reassembled datagram. */
bool packet_parse(const uint8_t *ip, size_t len, packet_view *out);

/* Whether addr (host order) can be one host's address: not 0.0.0.0, multicast
 * (224.0.0.0/4) or the limited broadcast. 240.0.0.0/4 is reserved (RFC 1112,
 * section 4), not multicast: a scan of it is a scan. */
static inline bool packet_ipv4_unicast(uint32_t addr)
{
    return addr != 0 && addr != 0xffffffffu && (addr >> 28) != 0xe;
}

/* The flow seen from the other end. */
packet_flow packet_flow_reverse(const packet_flow *flow);

bool packet_flow_equal(const packet_flow *a, const packet_flow *b);

/* Internet checksum of data, folded with an initial partial sum. */
uint16_t packet_checksum(const uint8_t *data, size_t len, uint32_t sum);

/* The partial sum of the TCP/UDP pseudo-header. */
uint32_t packet_pseudo_sum(uint32_t src, uint32_t dst, uint8_t proto, uint16_t len);

static inline uint16_t get_be16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t get_be32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void put_be16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static inline void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

#endif
