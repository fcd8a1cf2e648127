#include "ip_bytes.h"

#include <string.h>

#include <epan/address.h>
#include <epan/wmem_scopes.h>
#include <wiretap/wtap.h>

#include "compat.h"
#include "packet.h"

/* What a protocol Wireshark lists for a frame is to the walk: how to find the
 * end of its header in the frame's bytes. */
typedef enum {
    LAYER_OTHER,     /* not known here */
    LAYER_EMPTY,     /* no header of its own: frame, ethertype, raw */
    LAYER_ETH,       /* 14 octets */
    LAYER_VLAN,      /* an 802.1Q or 802.1ad tag after Ethernet's type: 4 octets */
    LAYER_SLL,       /* Linux cooked: 16 octets, 20 for version 2 */
    LAYER_NULL,      /* BSD loopback: a 4-octet address family */
    LAYER_PPPOES,    /* 6 octets (RFC 2516) */
    LAYER_PPP,       /* HDLC-like framing perhaps, then a 1- or 2-octet protocol */
    LAYER_MPLS,      /* labels of 4 octets down to the one with bottom of stack */
    LAYER_IPV4,      /* the header length field */
    LAYER_IPV6,      /* 40 octets; each extension header is a layer of its own */
    LAYER_IPV6_EXT,  /* hop-by-hop, routing, destination options */
    LAYER_IPV6_FRAG, /* 8 octets */
    LAYER_AH,        /* IPsec Authentication Header, in IPv4 or IPv6 */
    LAYER_GRE,       /* 4 octets and the optional fields its flags announce */
    LAYER_UDP,       /* 8 octets */
    LAYER_VXLAN,     /* 8 octets */
    LAYER_GENEVE,    /* 8 octets and its options */
    LAYER_ICMP,      /* ICMP or ICMPv6: any IP layer after it is a quote */
    LAYER_ARP,
} layer_kind;

/* Wireshark's filter names of the protocols above. The frequent ones first:
 * each layer of each frame is looked up here. */
static const struct {
    const char *name;
    layer_kind kind;
} known[] = {
    {"frame", LAYER_EMPTY},
    {"eth", LAYER_ETH},
    {"ethertype", LAYER_EMPTY},
    {"ip", LAYER_IPV4},
    {"ipv6", LAYER_IPV6},
    {"icmp", LAYER_ICMP},
    {"icmpv6", LAYER_ICMP},
    {"arp", LAYER_ARP},
    {"vlan", LAYER_VLAN},
    {"ieee8021ad", LAYER_VLAN},
    {"sll", LAYER_SLL},
    {"raw", LAYER_EMPTY},
    {"null", LAYER_NULL},
    {"ipv6.hopopts", LAYER_IPV6_EXT},
    {"ipv6.routing", LAYER_IPV6_EXT},
    {"ipv6.dstopts", LAYER_IPV6_EXT},
    {"ipv6.fraghdr", LAYER_IPV6_FRAG},
    {"ah", LAYER_AH},
    {"gre", LAYER_GRE},
    {"udp", LAYER_UDP},
    {"vxlan", LAYER_VXLAN},
    {"geneve", LAYER_GENEVE},
    {"mpls", LAYER_MPLS},
    {"pppoes", LAYER_PPPOES},
    {"ppp", LAYER_PPP},
};
static int known_ids[G_N_ELEMENTS(known)];

/* Fragments seen of datagrams not reassembled yet -> how many: a
 * fragment_key each, as Wireshark's reassembly tells datagrams apart. */
static GHashTable *fragments_seen;

typedef struct fragment_key {
    uint8_t family, proto; /* proto: IPv4's protocol field; 0 for IPv6 */
    uint32_t id;
    uint8_t src[16], dst[16];
} fragment_key;

void ip_bytes_init(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
        known_ids[i] = proto_get_id_by_filter_name(known[i].name);
}

static guint fragment_key_hash(gconstpointer p)
{
    /* The key's bytes (zeroed before filling: no padding noise). */
    return wmem_strong_hash(p, sizeof(fragment_key));
}

static gboolean fragment_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(fragment_key)) == 0;
}

void ip_bytes_start(void)
{
    ip_bytes_stop();
    fragments_seen = g_hash_table_new_full(fragment_key_hash, fragment_key_equal, g_free, NULL);
}

void ip_bytes_stop(void)
{
    if (fragments_seen)
        g_hash_table_destroy(fragments_seen);
    fragments_seen = NULL;
}

static layer_kind kind_of(int proto)
{
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
        if (known_ids[i] == proto && proto >= 0)
            return known[i].kind;
    return LAYER_OTHER;
}

static layer_kind layer_at(wmem_list_frame_t *layer)
{
    return kind_of(GPOINTER_TO_INT(wmem_list_frame_data(layer)));
}

/* A place in one of the frame's data sources (pinfo->data_src: the frame,
 * then the datagrams reassembled from it, in the order they were made). */
typedef struct cursor {
    GSList *source;
    const uint8_t *bytes; /* the source's captured bytes */
    size_t len;
    size_t off;
} cursor;

static bool cursor_at(cursor *c, GSList *source)
{
    tvbuff_t *tvb = source ? get_data_source_tvb(source->data) : NULL;
    guint n = tvb ? tvb_captured_length(tvb) : 0;
    c->source = source;
    c->off = 0;
    c->len = n;
    c->bytes = n ? tvb_get_ptr(tvb, 0, (gint)n) : NULL;
    return c->bytes != NULL;
}

static size_t left(const cursor *c)
{
    return c->len - c->off;
}

static const uint8_t *here(const cursor *c)
{
    return c->bytes + c->off;
}

/* The first data source after source that Wireshark named name ("Reassembled
 * IPv4", packet-ip.c; "Reassembled IPv6", packet-ipv6.c): the datagram it
 * reassembled on this frame, its payload from the first octet after the
 * fragmentable part's start. NULL when it reassembled none here. */
static GSList *reassembled_after(GSList *source, const char *name)
{
    size_t n = strlen(name);
    for (GSList *s = source ? source->next : NULL; s; s = s->next) {
        char *description = SCANTRACE_DATA_SOURCE_NAME(s->data);
        bool match = description && strncmp(description, name, n) == 0 &&
                     (description[n] == ' ' || description[n] == '\0');
        wmem_free(NULL, description);
        if (match)
            return s;
    }
    return NULL;
}

/* One more fragment of key's datagram (every fragment Wireshark adds to its
 * reassembly: all its bytes captured). */
static void fragment_seen(const fragment_key *key)
{
    if (!fragments_seen)
        return;
    gpointer old = g_hash_table_lookup(fragments_seen, key);
    if (old) {
        g_hash_table_insert(fragments_seen, g_memdup2(key, sizeof *key),
                            GUINT_TO_POINTER(GPOINTER_TO_UINT(old) + 1));
    } else {
        g_hash_table_insert(fragments_seen, g_memdup2(key, sizeof *key), GUINT_TO_POINTER(1));
    }
}

/* How many fragments key's datagram, reassembled now, was made of; a later
 * fragment with the same key starts a datagram of its own, as in Wireshark. */
static unsigned fragments_taken(const fragment_key *key)
{
    if (!fragments_seen)
        return 0;
    unsigned count = GPOINTER_TO_UINT(g_hash_table_lookup(fragments_seen, key));
    g_hash_table_remove(fragments_seen, key);
    return count;
}

static void key_v4(fragment_key *key, const uint8_t *ip)
{
    memset(key, 0, sizeof *key);
    key->family = 4;
    key->proto = ip[9];
    key->id = (uint32_t)ip[4] << 8 | ip[5];
    memcpy(key->src, ip + 12, 4);
    memcpy(key->dst, ip + 16, 4);
}

static void key_v6(fragment_key *key, const uint8_t *ip, uint32_t id)
{
    memset(key, 0, sizeof *key);
    key->family = 6;
    key->id = id;
    memcpy(key->src, ip + 8, 16);
    memcpy(key->dst, ip + 24, 16);
}

/* Whether ip holds a whole IPv4 header (version 4, a header length of 20 to
 * what was captured). *ihl: that length in octets. */
static bool ipv4_header(const uint8_t *ip, size_t len, size_t *ihl)
{
    if (len < 20 || (ip[0] >> 4) != 4)
        return false;
    *ihl = (size_t)(ip[0] & 0x0f) * 4;
    return *ihl >= 20 && *ihl <= len;
}

static bool ipv6_header(const uint8_t *ip, size_t len)
{
    return len >= 40 && (ip[0] >> 4) == 6;
}

static bool ipv4_fragment(const uint8_t *ip)
{
    return (ip[6] & 0x3f) || ip[7]; /* MF or an offset */
}

/* An IPv4 fragment Wireshark adds to its reassembly (packet-ip.c: a payload,
 * all of it captured) is counted; *reassembled: the datagram Wireshark made of
 * it on this frame, if it made one. */
static unsigned ipv4_fragment_seen(const uint8_t *ip, size_t len, size_t ihl, GSList *source,
                                   GSList **reassembled)
{
    size_t total = (size_t)ip[2] << 8 | ip[3];
    fragment_key key;
    key_v4(&key, ip);
    if (total > ihl && total <= len)
        fragment_seen(&key);
    *reassembled = reassembled_after(source, "Reassembled IPv4");
    return *reassembled ? fragments_taken(&key) : 0;
}

/* The same as ipv4_fragment_seen() for the IPv6 packet at ip whose fragment
 * header is f (packet-ipv6.c: all of the fragment's payload captured). */
static unsigned ipv6_fragment_seen(const uint8_t *ip, size_t len, const packet_ipv6_fragment *f,
                                   GSList *source, GSList **reassembled)
{
    size_t total = 40 + ((size_t)ip[4] << 8 | ip[5]);
    fragment_key key;
    key_v6(&key, ip, f->id);
    if (total >= f->at + 8 && total <= len)
        fragment_seen(&key);
    *reassembled = reassembled_after(source, "Reassembled IPv6");
    return *reassembled ? fragments_taken(&key) : 0;
}

/* Whether a fragment header makes its packet part of a larger datagram: an
 * offset or M (an atomic fragment, RFC 6946, is whole). */
static bool ipv6_fragment_of_larger(const packet_ipv6_fragment *f)
{
    return f->parsed && (f->offset != 0 || f->more);
}

static bool transport(uint8_t number)
{
    return number == PACKET_TCP || number == PACKET_UDP || number == PACKET_SCTP ||
           number == PACKET_ICMP || number == PACKET_ICMPV6;
}

/* One buffer holding the fragment's header, made whole, and the reassembled
 * transport data. */
static bool join_fragments(const uint8_t *ip, size_t ihl, GSList *reassembled,
                           wmem_allocator_t *pool, const uint8_t **bytes, size_t *len)
{
    cursor data;
    if (!transport(ip[9]) || !cursor_at(&data, reassembled) || ihl + data.len > 0xffff)
        return false;
    uint8_t *whole = wmem_alloc(pool, ihl + data.len);
    memcpy(whole, ip, ihl);
    memcpy(whole + ihl, data.bytes, data.len);
    whole[2] = (uint8_t)((ihl + data.len) >> 8);
    whole[3] = (uint8_t)(ihl + data.len);
    whole[6] &= 0x40; /* keep DF; clear MF and the offset */
    whole[7] = 0;
    *bytes = whole;
    *len = ihl + data.len;
    return true;
}

/* The same for IPv6: a bare IPv6 header (the fragment's addresses, traffic
 * class, flow label and hop limit; no extension headers) before the reassembled
 * transport data, whose protocol it names. next: the fragment header's next
 * header, the first of the reassembled payload, where extension headers may
 * still come before the transport's: packet_parse() walks them, with the
 * fragment's fixed header put before the payload, and they are cut out. */
static bool join_fragments6(const uint8_t *ip, uint8_t next, GSList *reassembled,
                            wmem_allocator_t *pool, const uint8_t **bytes, size_t *len)
{
    enum { FIXED = 40 };
    cursor data;
    if (!cursor_at(&data, reassembled))
        return false;
    uint8_t *whole = wmem_alloc(pool, FIXED + data.len);
    memcpy(whole, ip, FIXED);
    /* A payload length of 0 (RFC 2675's jumbogram) has the walk take what is
     * there: a reassembled payload may be longer than 16 bits can say. */
    put_be16(whole + 4, data.len > 0xffff ? 0 : (uint16_t)data.len);
    whole[6] = next;
    memcpy(whole + FIXED, data.bytes, data.len);
    packet_view v;
    if (!packet_parse(whole, FIXED + data.len, &v) || !transport(v.flow.proto))
        return false;
    size_t data_len = FIXED + data.len - v.ip_header_len;
    if (data_len > 0xffff)
        return false;
    memmove(whole + FIXED, whole + v.ip_header_len, data_len);
    put_be16(whole + 4, (uint16_t)data_len);
    whole[6] = v.flow.proto;
    *bytes = whole;
    *len = FIXED + data_len;
    return true;
}

/* The packet from the IP header at ip on: whole, or the datagram Wireshark
 * reassembled on this frame from it and the fragments before. */
static bool whole_datagram(const cursor *ip, wmem_allocator_t *pool, const uint8_t **bytes,
                           size_t *len, unsigned *fragments)
{
    const uint8_t *p = here(ip);
    size_t n = left(ip), ihl;
    GSList *reassembled = NULL;
    if (ipv6_header(p, n)) {
        /* packet_parse() walks the extension headers and records the fragment
         * header whether or not the packet then parses: a tail fragment does
         * not, nor does malformed input, which only a reassembled datagram can
         * then stand for. A first fragment parses with M set. */
        packet_view v;
        bool parsed = packet_parse(p, n, &v);
        const packet_ipv6_fragment *f = &v.ipv6_fragment_header;
        if (ipv6_fragment_of_larger(f)) {
            unsigned count = ipv6_fragment_seen(p, n, f, ip->source, &reassembled);
            *fragments = MAX(*fragments, count);
        }
        /* An unfragmented packet that does not parse (cut by the snapshot
         * length, malformed) is given as it is, as IPv4's is: the caller's
         * packet_parse() says no too, and plugin/snaplen.h tells why. */
        if ((parsed && !(v.ipv6_fragment && v.more_fragments)) || !f->parsed) {
            *bytes = p;
            *len = n;
            return true;
        }
        return reassembled && join_fragments6(p, f->next, reassembled, pool, bytes, len);
    }
    if (!ipv4_header(p, n, &ihl))
        return false;
    if (!ipv4_fragment(p)) {
        *bytes = p;
        *len = n;
        return true;
    }
    unsigned count = ipv4_fragment_seen(p, n, ihl, ip->source, &reassembled);
    *fragments = MAX(*fragments, count);
    return reassembled && join_fragments(p, ihl, reassembled, pool, bytes, len);
}

/* Where a walk over the frame's layers got to. */
typedef struct walk {
    cursor c;     /* the next layer's first octet */
    bool have_ip; /* an IP header was read: */
    cursor ip;    /* the last one */
    cursor ipv6;  /* the last IPv6 header, which a fragment header may follow */
    bool have_ipv6;
    unsigned fragments; /* of a datagram reassembled on the way */
} walk;

typedef enum {
    STEP_ON,      /* past the layer's header */
    STEP_INVALID, /* an IP layer without an IP header: the one around it is the scan's */
    STEP_UNKNOWN, /* a protocol not known here, or one read otherwise than here */
} step;

/* Past one link, tunnel or IPv6 extension header. */
static step step_over(walk *w, layer_kind kind, const packet_info *pinfo)
{
    cursor *c = &w->c;
    const uint8_t *b = here(c);
    size_t n = left(c), size;
    unsigned flags, type;
    switch (kind) {
    case LAYER_EMPTY:
        return STEP_ON;
    case LAYER_ETH:
        size = 14;
        break;
    case LAYER_VLAN:
        size = 4;
        break;
    case LAYER_SLL:
        /* packet-sll.c reads both versions as one protocol. */
        size = pinfo->rec && pinfo->rec->rec_type == REC_TYPE_PACKET &&
                       pinfo->rec->rec_header.packet_header.pkt_encap == WTAP_ENCAP_SLL2
                   ? 20
                   : 16;
        break;
    case LAYER_NULL:
        if (n >= 2 && b[0] == 0xff && b[1] == 0x03)
            return STEP_UNKNOWN; /* PPP in HDLC-like framing, no family */
        size = 4;
        break;
    case LAYER_PPPOES:
        size = 6;
        break;
    case LAYER_PPP:
        size = n >= 2 && b[0] == 0xff && b[1] == 0x03 ? 2 : 0;
        if (size >= n)
            return STEP_UNKNOWN;
        size += b[size] & 1 ? 1 : 2; /* a compressed protocol field is odd (RFC 1661) */
        break;
    case LAYER_MPLS:
        for (size = 4; size <= n && !(b[size - 2] & 1); size += 4)
            ; /* down to the label with bottom of stack (RFC 3032) */
        break;
    case LAYER_IPV6_EXT:
    case LAYER_AH:
        if (n < 2)
            return STEP_UNKNOWN;
        size = packet_ext_header_len(kind == LAYER_AH, b);
        break;
    case LAYER_GRE:
        /* RFC 2784 and 2890: version 0 with IPv4, IPv6 or Ethernet inside; a
         * routing field (RFC 1701) or another payload is read otherwise. */
        if (n < 4)
            return STEP_UNKNOWN;
        flags = (unsigned)b[0] << 8 | b[1];
        type = (unsigned)b[2] << 8 | b[3];
        if ((flags & 0x4007) || (type != 0x0800 && type != 0x86dd && type != 0x6558))
            return STEP_UNKNOWN;
        size = 4 + 4 * (size_t)(!!(flags & 0x8000) + !!(flags & 0x2000) + !!(flags & 0x1000));
        break;
    case LAYER_UDP:
    case LAYER_VXLAN:
        size = 8;
        break;
    case LAYER_GENEVE:
        if (n < 8)
            return STEP_UNKNOWN;
        size = 8 + (size_t)(b[0] & 0x3f) * 4;
        break;
    default:
        return STEP_UNKNOWN;
    }
    if (size > n)
        return STEP_UNKNOWN;
    c->off += size;
    return STEP_ON;
}

/* An IPv4 or IPv6 header, or an IPv6 fragment header: recorded, and unless it
 * is the scan's, passed (into the datagram reassembled from it, if Wireshark
 * made one on this frame). */
static step ip_layer(walk *w, layer_kind kind, bool scan)
{
    cursor *c = &w->c;
    const uint8_t *b = here(c);
    size_t n = left(c), ihl;
    GSList *reassembled = NULL;
    packet_ipv6_fragment fragment;
    switch (kind) {
    case LAYER_IPV4:
        if (!ipv4_header(b, n, &ihl))
            return STEP_INVALID;
        w->ip = *c;
        w->have_ip = true;
        if (scan)
            return STEP_ON;
        if (ipv4_fragment(b)) {
            unsigned count = ipv4_fragment_seen(b, n, ihl, c->source, &reassembled);
            if (reassembled) {
                w->fragments = MAX(w->fragments, count);
                return cursor_at(c, reassembled) ? STEP_ON : STEP_UNKNOWN;
            }
            if ((b[6] & 0x1f) || b[7])
                return STEP_UNKNOWN; /* a later fragment: nothing inside was read */
        }
        c->off += ihl;
        return STEP_ON;
    case LAYER_IPV6:
        if (!ipv6_header(b, n))
            return STEP_INVALID;
        w->ip = *c;
        w->have_ip = true;
        w->ipv6 = *c;
        w->have_ipv6 = true;
        if (!scan)
            c->off += 40;
        return STEP_ON;
    default: /* LAYER_IPV6_FRAG */
        if (n < 8 || !w->have_ipv6 || w->ipv6.source != c->source)
            return STEP_UNKNOWN;
        /* Where Wireshark's own walk found it (pinfo->layers). */
        fragment = packet_ipv6_fragment_read(b, c->off - w->ipv6.off);
        if (ipv6_fragment_of_larger(&fragment)) {
            unsigned count = ipv6_fragment_seen(here(&w->ipv6), left(&w->ipv6), &fragment,
                                                c->source, &reassembled);
            if (reassembled) {
                w->fragments = MAX(w->fragments, count);
                return cursor_at(c, reassembled) ? STEP_ON : STEP_UNKNOWN;
            }
            if (fragment.offset)
                return STEP_UNKNOWN;
        }
        c->off += 8;
        return STEP_ON;
    }
}

/* Reads the frame's layers up to target (included when it is an IP layer),
 * from the frame's first octet. */
static step walk_to(packet_info *pinfo, wmem_list_frame_t *target, walk *w)
{
    memset(w, 0, sizeof *w);
    if (!cursor_at(&w->c, pinfo->data_src))
        return STEP_UNKNOWN;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        layer_kind kind = layer_at(f);
        step s;
        if (kind == LAYER_IPV4 || kind == LAYER_IPV6 || kind == LAYER_IPV6_FRAG)
            s = ip_layer(w, kind, f == target);
        else if (f == target)
            return STEP_ON;
        else
            s = step_over(w, kind, pinfo);
        if (s != STEP_ON || f == target)
            return s;
    }
    return STEP_UNKNOWN;
}

/* The layer that is the scan's IP header: the last IPv4 or IPv6 layer before
 * the first ICMP or ICMPv6 one (every IP layer after it is in a quote). */
static wmem_list_frame_t *scan_layer(packet_info *pinfo)
{
    wmem_list_frame_t *scan = NULL;
    for (wmem_list_frame_t *f = wmem_list_head(pinfo->layers); f; f = wmem_list_frame_next(f)) {
        layer_kind kind = layer_at(f);
        if (kind == LAYER_ICMP)
            break;
        if (kind == LAYER_IPV4 || kind == LAYER_IPV6)
            scan = f;
    }
    return scan;
}

/* Whether the IP header at ip has pinfo's network addresses, those of the last
 * IP header Wireshark read outside an ICMP quote (packet.c puts them back after
 * a quote); true when pinfo holds no IP addresses to compare. */
static bool same_addresses(const packet_info *pinfo, const uint8_t *ip, size_t len)
{
    const address *src = &pinfo->net_src, *dst = &pinfo->net_dst;
    if (src->type == AT_IPv4 && dst->type == AT_IPv4 && src->len == 4 && dst->len == 4)
        return ipv4_header(ip, len, &(size_t){0}) && memcmp(src->data, ip + 12, 4) == 0 &&
               memcmp(dst->data, ip + 16, 4) == 0;
    if (src->type == AT_IPv6 && dst->type == AT_IPv6 && src->len == 16 && dst->len == 16)
        return ipv6_header(ip, len) && memcmp(src->data, ip + 8, 16) == 0 &&
               memcmp(dst->data, ip + 24, 16) == 0;
    return true;
}

static bool has_ip_addresses(const packet_info *pinfo)
{
    return (pinfo->net_src.type == AT_IPv4 && pinfo->net_src.len == 4) ||
           (pinfo->net_src.type == AT_IPv6 && pinfo->net_src.len == 16);
}

/* Where the walk cannot follow Wireshark: the first IP header from c on (in
 * c's data source, then the ones after it) with pinfo's network addresses. */
static bool search(const packet_info *pinfo, cursor *c)
{
    if (!has_ip_addresses(pinfo) || !c->bytes)
        return false;
    for (;;) {
        for (; c->off < c->len; c->off++)
            if (((here(c)[0] >> 4) == 4 || (here(c)[0] >> 4) == 6) &&
                same_addresses(pinfo, here(c), left(c)))
                return true;
        GSList *next = c->source->next;
        if (!next || !cursor_at(c, next))
            return false;
    }
}

bool ip_bytes_scan_packet(packet_info *pinfo, wmem_allocator_t *pool, const uint8_t **bytes,
                          size_t *len, unsigned *fragments)
{
    *fragments = 0;
    wmem_list_frame_t *target = scan_layer(pinfo);
    if (!target)
        return false;
    walk w;
    step s = walk_to(pinfo, target, &w);
    cursor ip;
    if (s == STEP_UNKNOWN) {
        /* A protocol not known here on the way (MPLS with a control word,
         * L2TP, GTP, ...): Wireshark's addresses say which header it was. */
        ip = w.c;
        if (!search(pinfo, &ip))
            return false;
    } else if (!w.have_ip) {
        return false;
    } else {
        ip = w.ip;
        /* Read otherwise than Wireshark read it: its addresses decide. */
        cursor found;
        if (!same_addresses(pinfo, here(&ip), left(&ip)) && cursor_at(&found, pinfo->data_src) &&
            search(pinfo, &found))
            ip = found;
    }
    *fragments = w.fragments;
    return whole_datagram(&ip, pool, bytes, len, fragments);
}

bool ip_bytes_arp(packet_info *pinfo, const uint8_t **bytes, size_t *len)
{
    wmem_list_frame_t *arp = wmem_list_head(pinfo->layers);
    while (arp && layer_at(arp) != LAYER_ARP)
        arp = wmem_list_frame_next(arp);
    walk w;
    if (!arp || walk_to(pinfo, arp, &w) != STEP_ON || left(&w.c) == 0)
        return false;
    *bytes = here(&w.c);
    *len = left(&w.c);
    return true;
}
