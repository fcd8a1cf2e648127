#include "cookie.h"

#include <string.h>

#include "siphash.h"

/* An ICMP probe's id comes from its cookie, so an ICMP flow's cookie hashes only
 * the addresses, and in the source port's place the query's ICMP type (0 for
 * the echo request: its cookie is what it always was). The hash input is the
 * addresses as they travel (4 octets each for IPv4, 16 for IPv6), the ports
 * and the protocol: IPv4 cookies are the same as before addresses had 128
 * bits. */
static uint32_t cookie_hash(uint32_t scan_id, const packet_flow *f, uint8_t query)
{
    bool ports = !packet_proto_is_icmp(f->proto);
    uint8_t key[16];
    memcpy(key, "scantrace-ck", 12);
    put_be32(key + 12, scan_id);
    bool v4 = packet_addr_is_ipv4(&f->src) && packet_addr_is_ipv4(&f->dst);
    size_t alen = v4 ? 4 : 16;
    uint8_t in[16 + 16 + 5];
    memcpy(in, f->src.bytes + 16 - alen, alen);
    memcpy(in + alen, f->dst.bytes + 16 - alen, alen);
    uint8_t *rest = in + 2 * alen;
    put_be16(rest, ports ? f->sport : query);
    put_be16(rest + 2, ports ? f->dport : 0);
    rest[4] = f->proto;
    return (uint32_t)siphash24(key, in, 2 * alen + 5);
}

/* A UDP probe's cookie travels in its 16-bit IP ID (and, for DNS, the query id),
 * as does that of any protocol but TCP, SCTP and the family's ICMP (the -sO
 * scan's probes: ICMPv6 over IPv4 is a bare header, as ICMP over IPv6). Proto
 * 0 is ARP's flows' (arp_probe_flow), which keep 32 bits. */
static uint32_t cookie_width_mask(const packet_flow *f)
{
    bool v4 = packet_addr_is_ipv4(&f->dst);
    bool wide = f->proto == PACKET_IP_ANY || f->proto == PACKET_TCP || f->proto == PACKET_SCTP ||
                f->proto == (v4 ? PACKET_ICMP : PACKET_ICMPV6);
    return wide ? 0xffffffffu : 0xffffu;
}

/* The cookie's bits above the try bits, hash and width applied. The rewrite
 * rule (cookie.h, COOKIE_LOW16_NONZERO): when the low 16 bits of those would
 * be 0, bits 4-15 are set, so that no try's low 16 bits, which every IPv4
 * probe puts in its IP ID, are ever 0. legacy: the bits as scantrace sent them
 * before the rule, which captures made then carry. */
static uint32_t cookie_high(uint32_t scan_id, const packet_flow *f, uint8_t query, bool legacy)
{
    uint32_t high = cookie_hash(scan_id, f, query) & cookie_width_mask(f) & ~(COOKIE_MAX_TRIES - 1);
    if (!legacy && (high & 0xffffu) == 0)
        high |= COOKIE_LOW16_NONZERO;
    return high;
}

uint32_t cookie_make_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                           unsigned try_no)
{
    return cookie_high(scan_id, probe_flow, query, false) | (try_no & (COOKIE_MAX_TRIES - 1));
}

uint32_t cookie_make(uint32_t scan_id, const packet_flow *probe_flow, unsigned try_no)
{
    return cookie_make_query(scan_id, probe_flow, 0, try_no);
}

bool cookie_check_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                        uint32_t value, unsigned *try_no)
{
    uint32_t mask = COOKIE_MAX_TRIES - 1;
    if (value & ~cookie_width_mask(probe_flow))
        return false;
    uint32_t high = value & ~mask;
    if (high != cookie_high(scan_id, probe_flow, query, false) &&
        high != cookie_high(scan_id, probe_flow, query, true))
        return false;
    *try_no = value & mask;
    return true;
}

bool cookie_is_query(uint32_t scan_id, const packet_flow *probe_flow, uint8_t query,
                     unsigned try_no, uint32_t value, uint32_t mask)
{
    uint32_t t = try_no & (COOKIE_MAX_TRIES - 1);
    return ((cookie_high(scan_id, probe_flow, query, false) | t) & mask) == (value & mask) ||
           ((cookie_high(scan_id, probe_flow, query, true) | t) & mask) == (value & mask);
}

bool cookie_check(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value, unsigned *try_no)
{
    return cookie_check_query(scan_id, probe_flow, 0, value, try_no);
}

bool cookie_check_acked(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value,
                        uint32_t data_len, bool rst, unsigned *try_no)
{
    if (data_len == 0 || probe_flow->proto != PACKET_TCP)
        return cookie_check(scan_id, probe_flow, value, try_no);
    uint32_t first = rst ? value - data_len : value, second = rst ? value : value - data_len;
    return cookie_check(scan_id, probe_flow, first, try_no) ||
           cookie_check(scan_id, probe_flow, second, try_no);
}
