#include "snaplen.h"

#include <string.h>

#include <epan/wmem_scopes.h>

#include "cookie.h"

enum { UDP_SCANS_MAX = 16 };

/* Our UDP scans seen in the capture: scanner and scan id. A capture holds a
 * few; past 16 the oldest is forgotten. */
static struct {
    packet_addr scanner;
    uint32_t scan_id;
} udp_scans[UDP_SCANS_MAX];
static unsigned udp_scans_n, udp_scans_next;

/* Our UDP probes by addresses and IP ID -> their flow and scan (file scope). */
typedef struct probe_key {
    packet_addr src, dst;
    uint16_t ip_id;
} probe_key;
typedef struct probe_seen {
    packet_flow flow;
    uint32_t scan_id;
} probe_seen;
static wmem_map_t *udp_probes;

/* Frames not read, per pair of hosts (the lower address first) -> lost_frames. */
typedef struct host_pair_key {
    packet_addr low, high;
} host_pair_key;
typedef struct lost_frames {
    unsigned count, cap_len, frame_len;
} lost_frames;
static wmem_map_t *lost;

static host_pair_key pair_of(const packet_addr *a, const packet_addr *b)
{
    bool a_low = packet_addr_compare(a, b) <= 0;
    return (host_pair_key){a_low ? *a : *b, a_low ? *b : *a};
}

static guint pair_hash(gconstpointer p)
{
    const host_pair_key *k = p;
    return packet_addr_hash(&k->low) ^ (packet_addr_hash(&k->high) * 31u);
}

static gboolean pair_equal(gconstpointer a, gconstpointer b)
{
    const host_pair_key *x = a, *y = b;
    return packet_addr_equal(&x->low, &y->low) && packet_addr_equal(&x->high, &y->high);
}

void snaplen_lost(const packet_addr *a, const packet_addr *b, unsigned cap_len, unsigned frame_len)
{
    if (!lost)
        return;
    host_pair_key k = pair_of(a, b);
    lost_frames *f = wmem_map_lookup(lost, &k);
    if (!f) {
        host_pair_key *key = wmem_new(wmem_file_scope(), host_pair_key);
        *key = k;
        f = wmem_new0(wmem_file_scope(), lost_frames);
        f->cap_len = cap_len;
        f->frame_len = frame_len;
        wmem_map_insert(lost, key, f);
    }
    f->count++;
}

unsigned snaplen_lost_between(const packet_addr *a, const packet_addr *b, unsigned *cap_len,
                              unsigned *frame_len)
{
    if (!lost)
        return 0;
    host_pair_key k = pair_of(a, b);
    const lost_frames *f = wmem_map_lookup(lost, &k);
    if (!f)
        return 0;
    *cap_len = f->cap_len;
    *frame_len = f->frame_len;
    return f->count;
}

static guint probe_key_hash(gconstpointer p)
{
    const probe_key *k = p;
    return packet_addr_hash(&k->src) ^ (packet_addr_hash(&k->dst) * 31u) ^ k->ip_id;
}

static gboolean probe_key_equal(gconstpointer a, gconstpointer b)
{
    const probe_key *x = a, *y = b;
    return x->ip_id == y->ip_id && packet_addr_equal(&x->src, &y->src) &&
           packet_addr_equal(&x->dst, &y->dst);
}

void snaplen_start(void)
{
    memset(udp_scans, 0, sizeof udp_scans);
    udp_scans_n = udp_scans_next = 0;
    udp_probes = wmem_map_new(wmem_file_scope(), probe_key_hash, probe_key_equal);
    lost = wmem_map_new(wmem_file_scope(), pair_hash, pair_equal);
}

void snaplen_udp_probe_seen(const packet_view *pkt, uint32_t scan_id)
{
    if (!udp_probes || !packet_addr_is_ipv4(&pkt->flow.src))
        return;
    probe_key *k = wmem_new0(wmem_file_scope(), probe_key);
    k->src = pkt->flow.src;
    k->dst = pkt->flow.dst;
    k->ip_id = pkt->ip_id;
    probe_seen *v = wmem_new(wmem_file_scope(), probe_seen);
    v->flow = pkt->flow;
    v->scan_id = scan_id;
    wmem_map_insert(udp_probes, k, v);
}

void snaplen_udp_scan_seen(const packet_addr *scanner, uint32_t scan_id)
{
    for (unsigned i = 0; i < udp_scans_n; i++)
        if (udp_scans[i].scan_id == scan_id && packet_addr_equal(&udp_scans[i].scanner, scanner))
            return;
    unsigned at = udp_scans_next++ % UDP_SCANS_MAX;
    udp_scans[at].scanner = *scanner;
    udp_scans[at].scan_id = scan_id;
    if (udp_scans_n < UDP_SCANS_MAX)
        udp_scans_n++;
}

/* A UDP datagram whose payload the capture did not keep whole. */
static bool udp_cut(const packet_view *pkt)
{
    return pkt->flow.proto == PACKET_UDP && pkt->udp_stated_len > pkt->payload_len;
}

static bool udp_scanner(const packet_addr *src)
{
    for (unsigned i = 0; i < udp_scans_n; i++)
        if (packet_addr_equal(&udp_scans[i].scanner, src))
            return true;
    return false;
}

bool snaplen_udp_probe(const packet_view *pkt, probe_tag *tag)
{
    if (!udp_cut(pkt) || !packet_addr_is_ipv4(&pkt->flow.src))
        return false;
    for (unsigned i = 0; i < udp_scans_n; i++) {
        unsigned try_no;
        if (packet_addr_equal(&udp_scans[i].scanner, &pkt->flow.src) &&
            cookie_check(udp_scans[i].scan_id, &pkt->flow, pkt->ip_id, &try_no)) {
            memset(tag, 0, sizeof *tag);
            tag->version = TAG_VERSION;
            tag->try_no = (uint8_t)try_no;
            tag->scan_id = udp_scans[i].scan_id;
            return true;
        }
    }
    return false;
}

/* An ICMP or ICMPv6 error, which quotes the packet that caused it. */
static bool icmp_error(const packet_view *pkt)
{
    return (pkt->flow.proto == PACKET_ICMP || pkt->flow.proto == PACKET_ICMPV6) &&
           packet_icmp_is_error(pkt->icmp_type, pkt->flow.proto == PACKET_ICMPV6);
}

bool snaplen_quote_tie(const packet_view *pkt, packet_view *tied)
{
    enum { IPV4_HEADER = 20 };
    const uint8_t *q = pkt->payload;
    if (!udp_probes || pkt->flow.proto != PACKET_ICMP || !icmp_error(pkt) || pkt->has_quote ||
        pkt->payload_len < IPV4_HEADER || (q[0] >> 4) != 4 ||
        (q[0] & 0x0f) * 4u > pkt->payload_len || (q[0] & 0x0f) < 5 || q[9] != PACKET_UDP ||
        (get_be16(q + 6) & 0x1fff) != 0)
        return false;
    probe_key k = {.src = packet_addr_from_ipv4(get_be32(q + 12)),
                   .dst = packet_addr_from_ipv4(get_be32(q + 16)),
                   .ip_id = get_be16(q + 4)};
    const probe_seen *p = wmem_map_lookup(udp_probes, &k);
    unsigned try_no;
    if (!p || !cookie_check(p->scan_id, &p->flow, k.ip_id, &try_no))
        return false;
    *tied = *pkt;
    tied->has_quote = true;
    tied->quote = p->flow;
    tied->quote_ip_id = k.ip_id;
    tied->quote_has_word = false;
    return true;
}

static bool tcp_probe_shaped(const packet_view *pkt)
{
    static const uint8_t mss[] = {2, 4, 0x05, 0xb4};
    size_t n = pkt->tcp_options_len < sizeof mss ? pkt->tcp_options_len : sizeof mss;
    return pkt->tcp_header_len == 36 && pkt->window == 1024 &&
           memcmp(pkt->tcp_options, mss, n) == 0;
}

snaplen_cut snaplen_kind(const packet_view *pkt, unsigned cap_len, unsigned frame_len,
                         bool labelled)
{
    if (cap_len >= frame_len)
        return SNAPLEN_WHOLE;
    if (labelled)
        return SNAPLEN_WHOLE;
    /* packet_parse() keeps no quote without its ports (TCP, UDP, SCTP) or
     * its ICMP header. */
    if (icmp_error(pkt) && !pkt->has_quote)
        return SNAPLEN_QUOTE_LOST;
    probe_tag tag;
    if (udp_cut(pkt) && udp_scanner(&pkt->flow.src) &&
        !tag_find_in_payload(pkt->payload, pkt->payload_len, &tag))
        return SNAPLEN_TAG_LOST;
    /* A segment of our TCP probes' shape (common/tcp_probe.c: a 36-octet
     * header, window 1024, MSS first) whose options were cut: where they
     * carry their tag (tag.h). Their cookie is in the sequence number, but
     * keyed by the scan id, which only the tag gives. Only that shape: an
     * ordinary capture cut at 68 octets cuts every SYN's options, and its
     * handshakes are nobody's probes. */
    if (pkt->flow.proto == PACKET_TCP && tcp_probe_shaped(pkt) &&
        pkt->tcp_options_len + 20 < pkt->tcp_header_len &&
        !tag_find_in_tcp_options(pkt->tcp_options, pkt->tcp_options_len, &tag))
        return SNAPLEN_TAG_LOST;
    return SNAPLEN_WHOLE;
}

bool snaplen_header_lost(const uint8_t *ip, const packet_view *pkt)
{
    uint8_t proto = pkt->flow.proto;
    if (proto != PACKET_TCP && proto != PACKET_UDP && proto != PACKET_SCTP &&
        proto != PACKET_ICMP && proto != PACKET_ICMPV6)
        return false;
    /* A later fragment has no transport header to lose. */
    if ((ip[0] >> 4) == 4)
        return (get_be16(ip + 6) & 0x1fff) == 0;
    return !pkt->ipv6_fragment_header.parsed || pkt->ipv6_fragment_header.offset == 0;
}
