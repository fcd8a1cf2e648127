/* A read-only view of one IPv4 or IPv6 packet, parsed the same way by the
 * scanner (from libpcap frames) and by the plugin (from the bytes under the "ip"
 * or "ipv6" tree item), so both sides see exactly the same fields. */
#ifndef SCANTRACE_PACKET_H
#define SCANTRACE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
    PACKET_IP_ANY = 0,
    PACKET_ICMP = 1,
    PACKET_TCP = 6,
    PACKET_UDP = 17,
    PACKET_ICMPV6 = 58,
    PACKET_SCTP = 132,
};

/* SCTP chunk types (RFC 9260 section 3.2) that scans send or judge. */
enum {
    SCTP_CHUNK_INIT = 1,
    SCTP_CHUNK_INIT_ACK = 2,
    SCTP_CHUNK_ABORT = 6,
    SCTP_CHUNK_COOKIE_ECHO = 10,
};

/* The SCTP common header: ports, verification tag, checksum (RFC 9260
 * section 3.1); a chunk header: type, flags, length. */
#define SCTP_COMMON_HEADER_LEN 12
#define SCTP_CHUNK_HEADER_LEN  4

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
    ICMP_MASK = 17, /* address mask request, RFC 950 */
    ICMP_MASK_REPLY = 18,
};

/* ICMPv6 (RFC 4443, section 2.1 and 3): the same 8-byte header as ICMPv4, other
 * numbers. Errors quote the offending IPv6 packet after the header, as far as
 * the error fits in the minimum MTU. */
enum {
    ICMPV6_UNREACH = 1,
    ICMPV6_PACKET_TOO_BIG = 2,
    ICMPV6_TIME_EXCEEDED = 3,
    ICMPV6_PARAM_PROBLEM = 4,
    ICMPV6_ECHO = 128,
    ICMPV6_ECHO_REPLY = 129,
};

/* An address of either family as 16 octets in network byte order: an IPv6
 * address as it is, an IPv4 address as the IPv4-mapped IPv6 address
 * ::ffff:a.b.c.d (RFC 4291, section 2.5.5.2), which no IPv6 packet carries on
 * the wire. One type, one comparison and one hash serve both families. */
typedef struct packet_addr {
    uint8_t bytes[16];
} packet_addr;

/* Addresses as packet_addr, ports in host order. For ICMP queries (echo,
 * timestamp) both ports hold the id, so a reply's flow reversed is its
 * request's flow. */
typedef struct packet_flow {
    packet_addr src, dst;
    uint16_t sport, dport;
    uint8_t proto;
} packet_flow;

/* An IPv6 packet's fragment header (RFC 8200, section 4.5), as the one walk of
 * the extension-header chain (packet_parse()) found it; every field in host
 * order. parsed false: none was reached (IPv4, no fragment header, or the chain
 * before it malformed or cut short) and every other field is 0. Only the first
 * fragment header of a chain is recorded. */
typedef struct packet_ipv6_fragment {
    bool parsed;
    size_t at;       /* octets from the IPv6 header's first octet to the fragment header's */
    uint16_t offset; /* the Fragment Offset field as on the wire: 8-octet units, 0 to 8191
                      * (0: a first fragment, or an atomic one with more clear,
                      * RFC 6946) */
    bool more;       /* the M flag: more fragments follow */
    uint32_t id;     /* the Identification field, host order */
    uint8_t next;    /* its Next Header: the first header of the fragmentable part */
} packet_ipv6_fragment;

/* Reads the fragment header at h (8 octets, which the caller has checked are
 * there) that lies at octets from its IPv6 header's first octet; parsed is
 * true. */
packet_ipv6_fragment packet_ipv6_fragment_read(const uint8_t *h, size_t at);

/* Whether an ICMP (v6 false) or ICMPv6 (v6 true) message of this type is an
 * error, which quotes the packet that caused it: destination unreachable,
 * source quench, time exceeded, parameter problem (RFC 792); destination
 * unreachable, packet too big, time exceeded, parameter problem (RFC 4443
 * section 2.1). */
bool packet_icmp_is_error(uint8_t type, bool v6);

/* The length in octets of the header at h, which the caller has checked has
 * 2 octets: an IPv6 hop-by-hop, routing or destination options header (ah
 * false: Hdr Ext Len in 8-octet units past the first 8, RFC 8200 section 4.3
 * to 4.6) or an Authentication Header (ah true: Payload Len in 4-octet units
 * minus 2, RFC 4302 section 2.2). The one rule for common/packet.c's walk of
 * the chain and the plugin's step over Wireshark's layers. */
static inline size_t packet_ext_header_len(bool ah, const uint8_t *h)
{
    return ah ? ((size_t)h[1] + 2) * 4 : ((size_t)h[1] + 1) * 8;
}

/* IPv6 fields that IPv4 lacks are folded into the IPv4 ones: tos is the
 * traffic class, ttl the hop limit, ip_id the low 16 bits of a fragment
 * header's identification (0 without one), df always false (IPv6 routers never
 * fragment). */
typedef struct packet_view {
    packet_flow flow;
    uint8_t tos, ttl;
    uint16_t ip_id;
    uint32_t flow_label; /* IPv6's 20 bits; 0 for IPv4 */
    /* Octets from the IP header's first to the transport header's (or to the
     * header that ended the IPv6 walk): IPv4 with its options, IPv6 with its
     * extension headers. */
    size_t ip_header_len;
    bool df; /* Don't Fragment: kernels set it, most raw-packet scanners do not */
    bool more_fragments;
    /* IPv6: the extension headers walked before the transport header (RFC 8200,
     * section 4), and whether a fragment header was among them. */
    uint8_t ipv6_ext_headers;
    bool ipv6_fragment;
    /* The first fragment header walked to, filled whatever packet_parse()
     * returns: also for a fragment other than the first (no upper-layer
     * header), and when the chain or the transport header after it is
     * malformed or cut short. */
    packet_ipv6_fragment ipv6_fragment_header;
    /* TCP */
    uint32_t seq, ack;
    uint8_t tcp_flags;
    uint16_t window;
    /* The options present, which a capture cut short may hold only part of:
     * tcp_header_len is the length the data offset states. */
    size_t tcp_header_len;
    const uint8_t *tcp_options;
    size_t tcp_options_len;
    /* SCTP: the common header's verification tag, and the first chunk's
     * header (sctp_has_chunk says whether one is there); an INIT's or INIT
     * ACK's initiate tag (RFC 9260 section 3.3.2) when the chunk holds one. */
    uint32_t sctp_vtag;
    bool sctp_has_chunk, sctp_has_init_tag;
    uint8_t sctp_chunk_type, sctp_chunk_flags;
    uint16_t sctp_chunk_len;
    uint32_t sctp_init_tag;
    /* ICMP */
    uint8_t icmp_type, icmp_code;
    uint16_t icmp_id, icmp_seq;
    /* The packet an ICMP error quotes: its flow, and the first 32 bits after its
     * ports (the TCP sequence number, the UDP length and checksum, the SCTP
     * verification tag), which a
     * capture cut short (snaplen 68) may lack: quote_has_word says. */
    bool has_quote;
    packet_flow quote;
    bool quote_has_word;
    uint32_t quote_word;
    uint16_t quote_ip_id;
    uint32_t quote_flow_label; /* the quoted IPv6 header's; 0 for IPv4 */
    /* The quoted message's ICMP type when the quote is of the family's ICMP
     * (an ICMP query: echo, timestamp or address mask request). */
    uint8_t quote_icmp_type;
    const uint8_t *quote_payload;
    size_t quote_payload_len;
    /* Transport payload (TCP, UDP, or ICMP data after the 8-byte header, SCTP
     * chunks after the common header), as
     * captured; UDP: the length its header states, which a snapshot length may
     * have cut the captured payload short of. */
    const uint8_t *payload;
    size_t payload_len;
    size_t udp_stated_len;
} packet_view;

/* Parses an IPv4 or IPv6 packet starting at its IP header (the version nibble
 * says which). IPv6: the extension headers are walked in any order RFC 8200
 * section 4.1 allows (hop-by-hop only first; routing, fragment, destination
 * options and AH after it) up to the transport header; ESP, "no next header"
 * and anything unknown end the walk with that protocol and no transport
 * fields. Input without a whole transport header, a fragment other than the
 * first (offset not 0, either family), and malformed input return false;
 * nothing is read past len. A capture cut short (snapshot length) still parses
 * when the headers a verdict needs are there: TCP options and an ICMP error's
 * quote may be partial. A first fragment (MF set) parses too: the caller
 * decides whether to wait for the reassembled datagram. Whatever it returns,
 * out->ipv6_fragment_header says where the walk found a fragment header (the
 * other fields are then unspecified when it returns false). ICMPv6 keeps its own
 * protocol (58), types and codes; the other family's ICMP (ICMPv4 over IPv6,
 * ICMPv6 over IPv4, as -sO sends them) parses with icmp_type 255 and nothing
 * else. */
bool packet_parse(const uint8_t *ip, size_t len, packet_view *out);

/* Whether addr (host order) can be one host's address: not 0.0.0.0, multicast
 * (224.0.0.0/4) or the limited broadcast. 240.0.0.0/4 is reserved (RFC 1112,
 * section 4), not multicast: a scan of it is a scan. */
static inline bool packet_ipv4_unicast(uint32_t addr)
{
    return addr != 0 && addr != 0xffffffffu && (addr >> 28) != 0xe;
}

/* A brace initializer of the IPv4-mapped form of a constant IPv4 address (host
 * order), for static data. */
#define PACKET_ADDR_IPV4_INIT(a)                                                                   \
    {                                                                                              \
        {                                                                                          \
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, (uint8_t)((a) >> 24), (uint8_t)((a) >> 16),  \
                (uint8_t)((a) >> 8), (uint8_t)(a)                                                  \
        }                                                                                          \
    }

/* The IPv4-mapped form of an IPv4 address given in host order. */
static inline packet_addr packet_addr_from_ipv4(uint32_t addr)
{
    packet_addr a = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, (uint8_t)(addr >> 24),
                      (uint8_t)(addr >> 16), (uint8_t)(addr >> 8), (uint8_t)addr}};
    return a;
}

/* Whether a holds an IPv4 address (the ::ffff:0:0/96 prefix). */
static inline bool packet_addr_is_ipv4(const packet_addr *a)
{
    static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    for (int i = 0; i < 12; i++)
        if (a->bytes[i] != prefix[i])
            return false;
    return true;
}

/* The last 32 bits of a, in host order: an IPv4 address itself. */
static inline uint32_t packet_addr_low32(const packet_addr *a)
{
    const uint8_t *b = a->bytes + 12;
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

bool packet_addr_equal(const packet_addr *a, const packet_addr *b);

/* memcmp order: every IPv4 address (::ffff:0:0/96) sorts among the IPv6 ones
 * at that prefix, and IPv4 addresses among themselves numerically. */
int packet_addr_compare(const packet_addr *a, const packet_addr *b);

/* Whether a is the all-zero address (no address, "::"). */
bool packet_addr_is_zero(const packet_addr *a);

/* Whether a can be one host's address: IPv4 as packet_ipv4_unicast(); IPv6
 * not the unspecified address or multicast (ff00::/8, RFC 4291 section 2.7). */
bool packet_addr_unicast(const packet_addr *a);

/* A 32-bit hash of a, for hash tables (FNV-1a over its octets). */
uint32_t packet_addr_hash(const packet_addr *a);

/* Writes a in text into buf (at least PACKET_ADDR_TEXT octets): dotted quad for
 * IPv4, RFC 5952 form for IPv6. Returns buf. */
#define PACKET_ADDR_TEXT 46
char *packet_addr_format(const packet_addr *a, char *buf);

/* ICMP in either family (1 or 58). */
static inline bool packet_proto_is_icmp(uint8_t proto)
{
    return proto == PACKET_ICMP || proto == PACKET_ICMPV6;
}

/* Whether a packet of wire protocol proto belongs to a scan type of protocol
 * type_proto: the ICMP scan types (echo) cover ICMPv6 too. */
static inline bool packet_proto_matches(uint8_t type_proto, uint8_t proto)
{
    return proto == type_proto || (type_proto == PACKET_ICMP && proto == PACKET_ICMPV6);
}

/* The flow seen from the other end. */
packet_flow packet_flow_reverse(const packet_flow *flow);

bool packet_flow_equal(const packet_flow *a, const packet_flow *b);

/* Whether the TCP, UDP, ICMP or ICMPv6 checksum of the packet at ip (its IP
 * header first, len bytes, as packet_parse() read it into pkt) is right.
 * false also when it cannot be told: fragments, a capture cut short, another
 * protocol, UDP without checksum (0 over IPv4). *known says whether it could
 * be (RFC 768, RFC 793 section 3.1, RFC 792, RFC 8200 section 8.1). */
bool packet_transport_checksum_ok(const uint8_t *ip, size_t len, const packet_view *pkt,
                                  bool *known);

/* Internet checksum of data, folded with an initial partial sum. */
uint16_t packet_checksum(const uint8_t *data, size_t len, uint32_t sum);

/* The partial sum of the TCP/UDP pseudo-header: RFC 793's for IPv4 addresses,
 * RFC 8200 section 8.1's (also ICMPv6's) for IPv6 ones. */
uint32_t packet_pseudo_sum(const packet_addr *src, const packet_addr *dst, uint8_t proto,
                           uint32_t len);

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
