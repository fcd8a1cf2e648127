#include "wire_tree.h"

#include <stdint.h>
#include <string.h>

#include "compat.h"
#include "cookie.h"
#include "scan_type.h"
#include "tag.h"

static int hf_tag = SCANTRACE_ID_INIT;
static int hf_tag_kind = SCANTRACE_ID_INIT;
static int hf_tag_length = SCANTRACE_ID_INIT;
static int hf_tag_exid = SCANTRACE_ID_INIT;
static int hf_tag_version = SCANTRACE_ID_INIT;
static int hf_tag_purpose = SCANTRACE_ID_INIT;
static int hf_tag_try = SCANTRACE_ID_INIT;
static int hf_tag_scan_id = SCANTRACE_ID_INIT;
static int hf_tag_scan = SCANTRACE_ID_INIT;
static int hf_tag_custom_flags = SCANTRACE_ID_INIT;
static int hf_cookie = SCANTRACE_ID_INIT;
static int hf_cookie_checks = SCANTRACE_ID_INIT;
static int ett_tag = SCANTRACE_ID_INIT;

/* Where each frame's scan bytes start in the frame, found on the first pass in
 * the tree the other dissectors built (later passes may get a tree without their
 * items), kept in the frame's result (frame_result.wire_at, a word that was
 * padding: a map from frame number would cost an entry and a bucket a frame):
 * offset + 1, ARP_BIT for an ARP message; 0: not the frame's own bytes (a
 * reassembled datagram). */
#define ARP_BIT 0x80000000u

static const value_string purposes[] = {{0, "port scan"}, {1, "host discovery"}, {0, NULL}};

void wire_tree_register(int proto)
{
    static hf_register_info hf[] = {
        {&hf_tag,
         {"Tag", "scantrace.tag", FT_BYTES, BASE_NONE, NULL, 0x0,
          "The probe tag: an RFC 6994 experimental TCP option, or the same ten bytes in a "
          "payload",
          HFILL}},
        {&hf_tag_kind,
         {"Kind", "scantrace.tag.kind", FT_UINT8, BASE_DEC, NULL, 0x0,
          "253: RFC 6994 experimental option", HFILL}},
        {&hf_tag_length,
         {"Length", "scantrace.tag.length", FT_UINT8, BASE_DEC, NULL, 0x0, NULL, HFILL}},
        {&hf_tag_exid,
         {"ExID", "scantrace.tag.exid", FT_UINT16, BASE_HEX, NULL, 0x0,
          "RFC 6994 experiment id: 0x5354, \"ST\"", HFILL}},
        {&hf_tag_version,
         {"Version", "scantrace.tag.version", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The tag format's version", HFILL}},
        {&hf_tag_purpose,
         {"Purpose", "scantrace.tag.purpose", FT_UINT8, BASE_DEC, VALS(purposes), TAG_DISCOVERY,
          "Whether the probe asks about a port or about the host (host discovery)", HFILL}},
        {&hf_tag_try,
         {"Try", "scantrace.tag.try", FT_UINT8, BASE_DEC, NULL, TAG_TRY_MASK,
          "The transmission this probe is (0 for the first)", HFILL}},
        {&hf_tag_scan_id,
         {"Scan ID", "scantrace.tag.scan_id", FT_UINT32, BASE_HEX, NULL, 0x0,
          "The scan's random id; it keys the cookie", HFILL}},
        {&hf_tag_scan,
         {"Scan type", "scantrace.tag.scan", FT_UINT8, BASE_DEC, NULL, 0x7f,
          "Version 2: the scan type's tag code (1 -sS, 2 -sA, 3 -sF, 4 -sN, 5 -sX, 6 -PS, "
          "7 -PA, 8 -sM, 9 -sW), whose rules judge the replies",
          HFILL}},
        {&hf_tag_custom_flags,
         {"Custom flags", "scantrace.tag.custom_flags", FT_BOOLEAN, 8, NULL, TAG_CUSTOM_FLAGS,
          "Version 2: --scanflags chose the probe's TCP flags; the scan type still judges", HFILL}},
        {&hf_cookie,
         {"Cookie", "scantrace.cookie", FT_UINT32, BASE_HEX, NULL, 0x0,
          "SipHash-2-4, keyed by the scan id, of the probe's addresses, ports and protocol, "
          "the try in its low 4 bits: a TCP probe's sequence number (a reply acknowledges it "
          "+ 1), an ICMP probe's id and sequence, a UDP probe's IP ID (low 16 bits)",
          HFILL}},
        {&hf_cookie_checks,
         {"Cookie checks", "scantrace.cookie.checks", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "Whether the cookie is the one the probe's flow, scan id and try give: anyone can "
          "check it, since the scan id is in the clear (it attributes, it does not "
          "authenticate)",
          HFILL}},
    };
    static int *ett[] = {&ett_tag};
    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
}

/* Where the scan's bytes are in the frame: an offset into tvb, or -1 when they
 * are not the frame's own (a reassembled datagram). */
static int frame_offset(tvbuff_t *tvb, const uint8_t *bytes, size_t len)
{
    unsigned caplen = tvb_captured_length(tvb);
    if (caplen == 0)
        return -1;
    uintptr_t base = (uintptr_t)tvb_get_ptr(tvb, 0, caplen), at = (uintptr_t)bytes;
    if (at < base || at - base > caplen || len > caplen - (at - base))
        return -1;
    return (int)(at - base);
}

/* Our option among TCP options (kind, length, ExID), or NULL. */
static const uint8_t *tag_in_options(const uint8_t *o, size_t len)
{
    size_t i = 0;
    while (i < len) {
        if (o[i] == 0)
            break;
        if (o[i] == 1) {
            i++;
            continue;
        }
        if (i + 1 >= len || o[i + 1] < 2 || o[i + 1] > len - i)
            break;
        if (o[i] == TAG_TCP_OPTION_KIND &&
            (o[i + 1] == TAG_TCP_OPTION_LEN || o[i + 1] == TAG_SCAN_OPTION_LEN) &&
            o[i + 2] == TAG_EXID >> 8 && o[i + 3] == (TAG_EXID & 0xff))
            return o + i;
        i += o[i + 1];
    }
    return NULL;
}

/* The ten tag bytes anywhere in a payload, or NULL. */
static const uint8_t *tag_in_payload(const uint8_t *p, size_t len)
{
    static const uint8_t head[] = {TAG_TCP_OPTION_KIND, TAG_TCP_OPTION_LEN, TAG_EXID >> 8,
                                   TAG_EXID & 0xff};
    for (size_t i = 0; len >= TAG_TCP_OPTION_LEN && i <= len - TAG_TCP_OPTION_LEN; i++)
        if (memcmp(p + i, head, sizeof head) == 0)
            return p + i;
    return NULL;
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A field of n bytes at p (within bytes, which start at offset base of tvb, or
 * are not the frame's: base < 0), of value v. */
static proto_item *add_at(proto_tree *tree, int hf, tvbuff_t *tvb, int base, const uint8_t *bytes,
                          const uint8_t *p, int n, uint32_t v)
{
    if (base < 0) {
        proto_item *item = proto_tree_add_uint(tree, hf, tvb, 0, 0, v);
        proto_item_set_generated(item);
        return item;
    }
    return proto_tree_add_uint(tree, hf, tvb, base + (int)(p - bytes), n, v);
}

static void add_tag(proto_tree *tree, tvbuff_t *tvb, int base, const uint8_t *bytes,
                    const uint8_t *t, bool quoted)
{
    proto_item *item;
    /* tag_in_options and tag_in_payload found its length byte one of these. */
    bool v2 = t[1] == TAG_SCAN_OPTION_LEN;
    int len = v2 ? TAG_SCAN_OPTION_LEN : TAG_TCP_OPTION_LEN;
    if (base < 0) {
        item = proto_tree_add_bytes(tree, hf_tag, tvb, 0, 0, t);
        proto_item_set_generated(item);
    } else {
        item = proto_tree_add_item(tree, hf_tag, tvb, base + (int)(t - bytes), len, ENC_NA);
    }
    proto_item_set_text(item, "%s: scan 0x%08x, %s, try %u", quoted ? "Quoted tag" : "Tag",
                        be32(t + 6), t[5] & TAG_DISCOVERY ? "host discovery" : "port scan",
                        t[5] & TAG_TRY_MASK);
    const scan_type *type = v2 ? scan_type_by_tag_code(t[10] & ~TAG_CUSTOM_FLAGS) : NULL;
    if (type)
        proto_item_append_text(item, ", %s%s", type->option,
                               t[10] & TAG_CUSTOM_FLAGS ? " --scanflags" : "");
    proto_tree *sub = proto_item_add_subtree(item, ett_tag);
    add_at(sub, hf_tag_kind, tvb, base, bytes, t, 1, t[0]);
    add_at(sub, hf_tag_length, tvb, base, bytes, t + 1, 1, t[1]);
    add_at(sub, hf_tag_exid, tvb, base, bytes, t + 2, 2, (uint32_t)t[2] << 8 | t[3]);
    add_at(sub, hf_tag_version, tvb, base, bytes, t + 4, 1, t[4]);
    add_at(sub, hf_tag_purpose, tvb, base, bytes, t + 5, 1, t[5]);
    add_at(sub, hf_tag_try, tvb, base, bytes, t + 5, 1, t[5]);
    add_at(sub, hf_tag_scan_id, tvb, base, bytes, t + 6, 4, be32(t + 6));
    if (!v2)
        return;
    proto_item *scan = add_at(sub, hf_tag_scan, tvb, base, bytes, t + 10, 1, t[10]);
    if (type)
        proto_item_append_text(scan, " (%s, %s)", type->option, type->title);
    proto_item *custom = base < 0
                             ? proto_tree_add_boolean(sub, hf_tag_custom_flags, tvb, 0, 0, t[10])
                             : proto_tree_add_boolean(sub, hf_tag_custom_flags, tvb,
                                                      base + (int)(t + 10 - bytes), 1, t[10]);
    if (base < 0)
        proto_item_set_generated(custom);
}

/* The offset of pkt's transport header in bytes (which pkt was parsed from);
 * 0 when it has none. */
static size_t transport_offset(const packet_view *pkt, const uint8_t *bytes)
{
    const uint8_t *l4 = NULL;
    if (pkt->flow.proto == PACKET_TCP && pkt->tcp_options)
        l4 = pkt->tcp_options - 20;
    else if ((pkt->flow.proto == PACKET_UDP || packet_proto_is_icmp(pkt->flow.proto)) &&
             pkt->payload)
        l4 = pkt->payload - 8;
    else if (pkt->flow.proto == PACKET_SCTP && pkt->payload)
        l4 = pkt->payload - SCTP_COMMON_HEADER_LEN;
    return l4 && l4 > bytes ? (size_t)(l4 - bytes) : 0;
}

/* Where the frame's cookie rides, and its value; false when it carries none
 * that sits in its own header (an ICMP error's quote is the quoted packet's). */
static bool cookie_at(const frame_result *res, const packet_view *pkt, const uint8_t *bytes,
                      size_t len, const uint8_t **where, int *n, uint32_t *value,
                      const char **label)
{
    /* The transport header, wherever IPv4 options or IPv6 extension headers
     * put it: packet_parse() found it. */
    size_t ihl = transport_offset(pkt, bytes);
    const scan_type *type = res->flow->port->type;
    *label = "Cookie";
    /* -sO's untagged probes (a bare header, IGMP, SCTP): the IP ID or the
     * flow label holds the cookie's low 16 bits, as a UDP probe's. */
    bool v4 = packet_addr_is_ipv4(&pkt->flow.src);
    bool bare = type == &scan_proto && res->role == ROLE_PROBE && pkt->flow.proto != PACKET_TCP &&
                pkt->flow.proto != PACKET_UDP &&
                pkt->flow.proto != (v4 ? PACKET_ICMP : PACKET_ICMPV6);
    if (bare && v4 && len >= 6) {
        *where = bytes + 4, *n = 2, *value = pkt->ip_id, *label = "Cookie (IP ID: its low 16 bits)";
        return true;
    }
    if (bare && len >= 4 && (pkt->flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE) {
        *where = bytes + 1, *n = 3, *value = pkt->flow_label & 0xffffu;
        *label = "Cookie (flow label: its low 16 bits)";
        return true;
    }
    if (ihl == 0)
        return false;
    if (pkt->flow.proto == PACKET_TCP && len >= ihl + 12) {
        const uint8_t *tcp = bytes + ihl;
        uint32_t c;
        if (res->role == ROLE_PROBE) {
            *where = tcp + 4, *n = 4, *value = pkt->seq;
            return true;
        }
        if (!type->reply_cookie || !type->reply_cookie(type, pkt, &c))
            return false;
        /* The scanner's own teardown (the RST that ends what a SYN-ACK opened)
         * goes the probe's way: its seq is the SYN-ACK's ack, our ISN + 1, so
         * the cookie is seq - 1. Its ack field says nothing: a bare RST has no
         * ACK flag and ack 0 (RFC 9293 3.10.7.4). */
        if (res->role == ROLE_TEARDOWN && packet_addr_equal(&pkt->flow.src, &res->flow->flow.src)) {
            if (!(type->tcp_flags & TCP_SYN))
                return false;
            *where = tcp + 4, *n = 4, *value = pkt->seq - 1;
            *label = "Cookie (sequence number - 1)";
            return true;
        }
        if ((pkt->tcp_flags & TCP_ACK) && c + 1 == pkt->ack) {
            *where = tcp + 8, *n = 4, *value = c, *label = "Cookie (acknowledged: ack - 1)";
            return true;
        }
        if (c == pkt->seq) {
            *where = tcp + 4, *n = 4, *value = c, *label = "Cookie (as sequence number)";
            return true;
        }
        return false;
    }
    /* SCTP (scan_sctp.c): an INIT's initiate tag, else the verification tag,
     * which every answer carries back. */
    if (pkt->flow.proto == PACKET_SCTP && res->role == ROLE_PROBE && pkt->sctp_has_init_tag &&
        len >= ihl + 20) {
        *where = bytes + ihl + 16, *n = 4, *value = pkt->sctp_init_tag;
        *label = "Cookie (initiate tag)";
        return true;
    }
    if (pkt->flow.proto == PACKET_SCTP && len >= ihl + 8 && pkt->sctp_vtag) {
        *where = bytes + ihl + 4, *n = 4, *value = pkt->sctp_vtag;
        *label = "Cookie (verification tag)";
        return true;
    }
    if (packet_proto_is_icmp(pkt->flow.proto) && len >= ihl + 8 && !pkt->has_quote) {
        *where = bytes + ihl + 4, *n = 4, *value = be32(bytes + ihl + 4);
        return true;
    }
    if (pkt->flow.proto == PACKET_UDP && res->role == ROLE_PROBE && len >= 6 &&
        packet_addr_is_ipv4(&pkt->flow.src)) {
        *where = bytes + 4, *n = 2, *value = pkt->ip_id, *label = "Cookie (IP ID: its low 16 bits)";
        return true;
    }
    /* IPv6 has no IP ID: our UDP probe's cookie rides in its flow label
     * (PROBE_FLOW_LABEL_COOKIE); another tool's carries none. */
    if (pkt->flow.proto == PACKET_UDP && res->role == ROLE_PROBE && len >= 4 &&
        !packet_addr_is_ipv4(&pkt->flow.src) &&
        (pkt->flow_label & PROBE_FLOW_LABEL_MASK) == PROBE_FLOW_LABEL_COOKIE) {
        *where = bytes + 1, *n = 3, *value = pkt->flow_label & 0xffffu;
        *label = "Cookie (flow label: its low 16 bits)";
        return true;
    }
    return false;
}

static void add_cookie(proto_tree *tree, tvbuff_t *tvb, int base, const frame_result *res,
                       const packet_view *pkt, const uint8_t *bytes, size_t len)
{
    const uint8_t *where;
    int n;
    uint32_t value;
    const char *label;
    if (!cookie_at(res, pkt, bytes, len, &where, &n, &value, &label))
        return;
    const port_record *port = res->flow->port;
    uint32_t mask = n < 4 ? 0xffffu : 0xffffffffu;
    uint32_t want =
        scan_cookie_make(port->type, port->scan_id, &res->flow->flow, res->try_no) & mask;
    /* -PP's and -PM's older cookie (without the query type) checks too. */
    bool checks =
        scan_cookie_is(port->type, port->scan_id, &res->flow->flow, res->try_no, value, mask);
    proto_item *item = add_at(tree, hf_cookie, tvb, base, bytes, where, n, value);
    proto_item_set_text(item, "%s: 0x%0*x", label, n * 2, value);
    proto_item *ok = proto_tree_add_boolean(tree, hf_cookie_checks, tvb, 0, 0, checks);
    proto_item_set_generated(ok);
    if (!checks)
        proto_item_append_text(ok, " (the probe's flow, scan id and try %u give 0x%0*x)",
                               res->try_no, n * 2, want);
}

void wire_tree_remember(const frame_result *res, tvbuff_t *tvb, const uint8_t *bytes, size_t len,
                        bool arp)
{
    int at = frame_offset(tvb, bytes, len);
    /* The records are the first pass's own, handed out read-only. */
    if (at >= 0 && (unsigned)at < ~ARP_BIT)
        ((frame_result *)res)->wire_at = ((unsigned)at + 1) | (arp ? ARP_BIT : 0);
}

bool wire_tree_wanted(proto_tree *tree)
{
    const int *fields[] = {&hf_tag,         &hf_tag_kind,     &hf_tag_length, &hf_tag_exid,
                           &hf_tag_version, &hf_tag_purpose,  &hf_tag_try,    &hf_tag_scan_id,
                           &hf_cookie,      &hf_cookie_checks};
    for (size_t i = 0; i < array_length(fields); i++)
        if (proto_field_is_referenced(tree, *fields[i]))
            return true;
    return false;
}

bool wire_tree_applies(const frame_result *res)
{
    const port_record *port = res->flow->port;
    return !port->untagged && !port->type->socket_tos;
}

void wire_tree_add(proto_tree *tree, tvbuff_t *tvb, const frame_result *res)
{
    if (!wire_tree_applies(res))
        return;
    unsigned where = res->wire_at;
    unsigned caplen = tvb_captured_length(tvb);
    if (!where || (where & ~ARP_BIT) > caplen)
        return;
    int base = (int)(where & ~ARP_BIT) - 1;
    size_t len = caplen - (unsigned)base;
    const uint8_t *bytes = tvb_get_ptr(tvb, base, (int)len);
    if (where & ARP_BIT) {
        const uint8_t *t = tag_in_payload(bytes, len);
        if (t)
            add_tag(tree, tvb, base, bytes, t, false);
        return;
    }
    packet_view pkt;
    if (len < 20 || !packet_parse(bytes, len, &pkt))
        return;
    const uint8_t *t = NULL;
    if (pkt.flow.proto == PACKET_TCP && pkt.tcp_options)
        t = tag_in_options(pkt.tcp_options, pkt.tcp_options_len);
    else if (pkt.flow.proto != PACKET_TCP)
        t = tag_in_payload(bytes, len);
    if (t)
        add_tag(tree, tvb, base, bytes, t, res->role != ROLE_PROBE);
    add_cookie(tree, tvb, base, res, &pkt, bytes, len);
}
