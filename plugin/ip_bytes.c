#include "ip_bytes.h"

#include <limits.h>
#include <string.h>

#include "compat.h"
#include "packet.h"

static int proto_ip = SCANTRACE_ID_INIT;
static int proto_ipv6 = SCANTRACE_ID_INIT;
static int proto_icmp = SCANTRACE_ID_INIT;
static int proto_icmpv6 = SCANTRACE_ID_INIT;
static int proto_tcp = SCANTRACE_ID_INIT;
static int proto_udp = SCANTRACE_ID_INIT;
static int proto_sctp = SCANTRACE_ID_INIT;
static int proto_arp = SCANTRACE_ID_INIT;
static int hf_ip_fragment = SCANTRACE_ID_INIT;
static int hf_ipv6_fragment = SCANTRACE_ID_INIT;

void ip_bytes_init(void)
{
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_sctp = proto_get_id_by_filter_name("sctp");
    proto_arp = proto_get_id_by_filter_name("arp");
    hf_ip_fragment = proto_registrar_get_id_byname("ip.fragment");
    hf_ipv6_fragment = proto_registrar_get_id_byname("ipv6.fragment");
}

void ip_bytes_want(dissector_handle_t handle, bool want)
{
    GArray *wanted = NULL;
    if (want) {
        wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));
        const int protos[] = {proto_ip,  proto_ipv6, proto_icmp, proto_icmpv6,   proto_tcp,
                              proto_udp, proto_sctp, proto_arp,  hf_ip_fragment, hf_ipv6_fragment};
        for (size_t i = 0; i < G_N_ELEMENTS(protos); i++)
            if (protos[i] >= 0)
                g_array_append_val(wanted, protos[i]);
    }
    /* Wireshark takes the array over. */
    set_postdissector_wanted_hfids(handle, wanted);
}

static GPtrArray *items_of(proto_tree *tree, int proto)
{
    return proto >= 0 ? proto_get_finfo_ptr_array(tree, proto) : NULL;
}

/* The bytes of fi's data source from fi's start to its end. */
static bool item_bytes(const field_info *fi, const uint8_t **bytes, size_t *len)
{
    if (!fi || !fi->ds_tvb)
        return false;
    /* The item's start is an offset into its data source, which holds the link
     * layer before it and perhaps a trailer after the datagram; packet_parse()
     * reads no further than the IP total length. */
    guint captured = tvb_captured_length(fi->ds_tvb);
    if (fi->start < 0 || (guint)fi->start >= captured)
        return false;
    guint n = captured - (guint)fi->start;
    *bytes = tvb_get_ptr(fi->ds_tvb, fi->start, (gint)n);
    *len = n;
    return *bytes != NULL;
}

/* The first ICMP or ICMPv6 layer: every IP layer after it is quoted by an ICMP
 * error. */
static int first_icmp_layer(proto_tree *tree)
{
    const int protos[] = {proto_icmp, proto_icmpv6};
    int first = INT_MAX;
    for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
        GPtrArray *items = items_of(tree, protos[p]);
        for (guint i = 0; items && i < items->len; i++) {
            const field_info *fi = g_ptr_array_index(items, i);
            if (fi && fi->total_layer_num < first)
                first = fi->total_layer_num;
        }
    }
    return first;
}

/* The transport layer right above the IP layer at that depth, if Wireshark
 * dissected it from another data source than the IP header's: the reassembled
 * datagram. *number: its IP protocol number. */
static const field_info *reassembled_transport(proto_tree *tree, const field_info *ip,
                                               uint8_t *number)
{
    const int protos[] = {proto_tcp, proto_udp, proto_sctp, proto_icmp, proto_icmpv6};
    const uint8_t numbers[] = {PACKET_TCP, PACKET_UDP, PACKET_SCTP, PACKET_ICMP, PACKET_ICMPV6};
    const field_info *best = NULL;
    for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
        GPtrArray *items = items_of(tree, protos[p]);
        for (guint i = 0; items && i < items->len; i++) {
            const field_info *fi = g_ptr_array_index(items, i);
            if (fi && fi->total_layer_num > ip->total_layer_num &&
                (!best || fi->total_layer_num < best->total_layer_num)) {
                best = fi;
                *number = numbers[p];
            }
        }
    }
    return best && best->ds_tvb != ip->ds_tvb ? best : NULL;
}

/* One buffer holding the fragment's header, made whole, and the reassembled
 * transport data. */
static bool join_fragments(const uint8_t *ip, size_t ip_len, const field_info *l4,
                           wmem_allocator_t *pool, const uint8_t **bytes, size_t *len)
{
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    const uint8_t *data;
    size_t data_len;
    if (ihl < 20 || ihl > ip_len || !item_bytes(l4, &data, &data_len) || ihl + data_len > 0xffff)
        return false;
    uint8_t *whole = wmem_alloc(pool, ihl + data_len);
    memcpy(whole, ip, ihl);
    memcpy(whole + ihl, data, data_len);
    whole[2] = (uint8_t)((ihl + data_len) >> 8);
    whole[3] = (uint8_t)(ihl + data_len);
    whole[6] &= 0x40; /* keep DF; clear MF and the offset */
    whole[7] = 0;
    *bytes = whole;
    *len = ihl + data_len;
    return true;
}

/* The same for IPv6: a bare IPv6 header (the fragment's addresses, traffic
 * class, flow label and hop limit; no extension headers) before the reassembled
 * transport data, whose protocol it names. */
static bool join_fragments6(const uint8_t *ip, size_t ip_len, const field_info *l4, uint8_t number,
                            wmem_allocator_t *pool, const uint8_t **bytes, size_t *len)
{
    enum { FIXED = 40 };
    const uint8_t *data;
    size_t data_len;
    if (ip_len < FIXED || !item_bytes(l4, &data, &data_len) || data_len > 0xffff)
        return false;
    uint8_t *whole = wmem_alloc(pool, FIXED + data_len);
    memcpy(whole, ip, FIXED);
    whole[4] = (uint8_t)(data_len >> 8);
    whole[5] = (uint8_t)data_len;
    whole[6] = number;
    memcpy(whole + FIXED, data, data_len);
    *bytes = whole;
    *len = FIXED + data_len;
    return true;
}

/* Whether fi's bytes begin with its family's version: an IP-in-IP packet
 * whose payload is no IP header (-PO4's probe: our tag, and --data-length's
 * bytes after it) has Wireshark add an inner IP layer all the same. */
static bool has_version(const field_info *fi, uint8_t version)
{
    const uint8_t *bytes;
    size_t len;
    return item_bytes(fi, &bytes, &len) && len >= 20 && (bytes[0] >> 4) == version;
}

/* The innermost IP layer of either family that no ICMP error quotes, below
 * the layer number quoted_from. */
static const field_info *scan_ip_layer(proto_tree *tree, int quoted_from)
{
    const int protos[] = {proto_ip, proto_ipv6};
    const uint8_t versions[] = {4, 6};
    const field_info *scan_ip = NULL;
    for (size_t p = 0; p < G_N_ELEMENTS(protos); p++) {
        GPtrArray *items = items_of(tree, protos[p]);
        for (guint i = 0; items && i < items->len; i++) {
            const field_info *fi = g_ptr_array_index(items, i);
            if (fi && fi->ds_tvb && fi->total_layer_num < quoted_from &&
                has_version(fi, versions[p]) &&
                (!scan_ip || fi->total_layer_num > scan_ip->total_layer_num))
                scan_ip = fi;
        }
    }
    return scan_ip;
}

/* Whether the IPv6 packet is a fragment of a larger datagram: a tail fragment
 * does not parse; a first one has a fragment header with M set. An atomic
 * fragment (offset 0, M clear: RFC 6946) is whole. Malformed input counts as a
 * fragment too: only a reassembled datagram can then be read. */
static bool ipv6_fragmented(const uint8_t *ip, size_t len)
{
    packet_view v;
    if (!packet_parse(ip, len, &v))
        return true;
    return v.ipv6_fragment && v.more_fragments;
}

bool ip_bytes_scan_packet(proto_tree *tree, wmem_allocator_t *pool, const uint8_t **bytes,
                          size_t *len)
{
    if (!tree)
        return false;
    /* An IP-in-IP packet with nothing inside (an -sO probe of protocol 4 or
     * 41) has an inner layer without a header's worth of bytes: the scan's
     * layer is then the one around it. */
    const field_info *scan_ip = NULL;
    for (int below = first_icmp_layer(tree);; below = scan_ip->total_layer_num) {
        scan_ip = scan_ip_layer(tree, below);
        if (!scan_ip)
            return false;
        if (item_bytes(scan_ip, bytes, len) && *len >= 20)
            break;
    }
    uint8_t number = 0;
    if (((*bytes)[0] >> 4) == 6) {
        if (!ipv6_fragmented(*bytes, *len))
            return true;
        const field_info *l4 = reassembled_transport(tree, scan_ip, &number);
        return l4 && join_fragments6(*bytes, *len, l4, number, pool, bytes, len);
    }
    bool fragment = ((*bytes)[6] & 0x20) || ((*bytes)[6] & 0x1f) || (*bytes)[7];
    if (!fragment)
        return true;
    const field_info *l4 = reassembled_transport(tree, scan_ip, &number);
    return l4 && join_fragments(*bytes, *len, l4, pool, bytes, len);
}

bool ip_bytes_arp(proto_tree *tree, const uint8_t **bytes, size_t *len)
{
    GPtrArray *items = tree ? items_of(tree, proto_arp) : NULL;
    if (!items || items->len == 0)
        return false;
    const field_info *first = NULL;
    for (guint i = 0; i < items->len; i++) {
        const field_info *fi = g_ptr_array_index(items, i);
        if (fi && fi->ds_tvb && (!first || fi->total_layer_num < first->total_layer_num))
            first = fi;
    }
    return item_bytes(first, bytes, len);
}

unsigned ip_bytes_fragment_count(proto_tree *tree)
{
    /* One ip.fragment item (a frame number) per fragment, under the frame that
     * completes the datagram: counting them needs no field value. */
    const int hfs[] = {hf_ip_fragment, hf_ipv6_fragment};
    unsigned count = 0;
    for (size_t h = 0; h < G_N_ELEMENTS(hfs); h++) {
        GPtrArray *items = items_of(tree, hfs[h]);
        if (items)
            count = MAX(count, items->len);
    }
    return count;
}
