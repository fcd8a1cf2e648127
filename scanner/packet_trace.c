#include "packet_trace.h"

#include "ip_protocols.h"
#include "tag.h"

static void addr(GString *out, const packet_addr *a)
{
    char text[PACKET_ADDR_TEXT];
    g_string_append(out, packet_addr_format(a, text));
}

static void addr4(GString *out, uint32_t a)
{
    packet_addr mapped = packet_addr_from_ipv4(a);
    addr(out, &mapped);
}

static void tcp_flags(GString *out, uint8_t flags)
{
    static const struct {
        uint8_t bit;
        char c;
    } order[] = {{TCP_FIN, 'F'}, {TCP_SYN, 'S'}, {TCP_RST, 'R'}, {TCP_PSH, 'P'},
                 {TCP_ACK, 'A'}, {TCP_URG, 'U'}, {0x40, 'E'},    {0x80, 'C'}};
    for (size_t i = 0; i < G_N_ELEMENTS(order); i++)
        if (flags & order[i].bit)
            g_string_append_c(out, order[i].c);
}

static void tcp_option(GString *out, const uint8_t *o, size_t len)
{
    probe_tag tag;
    switch (o[0]) {
    case 2:
        if (len == 4) {
            g_string_append_printf(out, "mss %u", get_be16(o + 2));
            return;
        }
        break;
    case 3:
        if (len == 3) {
            g_string_append_printf(out, "wscale %u", o[2]);
            return;
        }
        break;
    case 4:
        g_string_append(out, "sackOK");
        return;
    case 8:
        if (len == 10) {
            g_string_append_printf(out, "timestamp %u %u", get_be32(o + 2), get_be32(o + 6));
            return;
        }
        break;
    case TAG_TCP_OPTION_KIND:
        if (tag_find_in_tcp_options(o, len, &tag)) {
            g_string_append_printf(out, "st try=%u id=0x%08x", tag.try_no, tag.scan_id);
            if (tag.scan_code)
                g_string_append_printf(out, " scan=%u%s", tag.scan_code,
                                       tag.custom_flags ? "+flags" : "");
            return;
        }
        break;
    }
    g_string_append_printf(out, "opt-%u", o[0]);
}

static void tcp_options(GString *out, const uint8_t *opt, size_t len)
{
    if (len == 0)
        return;
    g_string_append_c(out, '<');
    size_t i = 0;
    gboolean first = TRUE;
    while (i < len) {
        if (!first)
            g_string_append_c(out, ',');
        first = FALSE;
        if (opt[i] == 0) {
            g_string_append(out, "eol");
            break;
        }
        if (opt[i] == 1) {
            g_string_append(out, "nop");
            i++;
            continue;
        }
        if (i + 1 >= len || opt[i + 1] < 2 || i + opt[i + 1] > len) {
            g_string_append(out, "malformed");
            break;
        }
        tcp_option(out, opt + i, opt[i + 1]);
        i += opt[i + 1];
    }
    g_string_append_c(out, '>');
}

static void unreach_text(GString *out, const packet_view *p)
{
    const packet_flow *q = &p->quote;
    switch (p->icmp_code) {
    case 0:
        g_string_append(out, "Network ");
        addr(out, &q->dst);
        g_string_append(out, " unreachable");
        break;
    case 1:
        g_string_append(out, "Host ");
        addr(out, &q->dst);
        g_string_append(out, " unreachable");
        break;
    case 2:
        g_string_append_printf(out, "Protocol %u unreachable", q->proto);
        break;
    case 3:
        g_string_append_printf(out, "Port %u unreachable", q->dport);
        break;
    case 9:
        g_string_append(out, "Destination network administratively prohibited");
        break;
    case 10:
        g_string_append(out, "Destination host administratively prohibited");
        break;
    case 13:
        g_string_append(out, "Communication administratively prohibited by filtering");
        break;
    default:
        g_string_append(out, "Destination unreachable");
        break;
    }
}

/* nmap words a query as "Echo request (type=8/code=0) id=1 seq=0]" and an
 * error as "Port 53 unreachable (type=3/code=3) ]". */
/* ICMPv6's names, nmap's where it has them (RFC 4443, RFC 4861). */
static void icmpv6_text(GString *out, const packet_view *p)
{
    static const struct {
        uint8_t type;
        const char *name;
    } names[] = {{ICMPV6_UNREACH, "Destination unreachable"},
                 {ICMPV6_PACKET_TOO_BIG, "Packet too big"},
                 {ICMPV6_TIME_EXCEEDED, "Time exceeded"},
                 {ICMPV6_PARAM_PROBLEM, "Parameter problem"},
                 {ICMPV6_ECHO, "Echo request"},
                 {ICMPV6_ECHO_REPLY, "Echo reply"},
                 {135, "Neighbor solicitation"},
                 {136, "Neighbor advertisement"}};
    const char *name = "ICMPv6";
    for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
        if (names[i].type == p->icmp_type)
            name = names[i].name;
    g_string_append_printf(out, "%s (type=%u/code=%u)", name, p->icmp_type, p->icmp_code);
    if (p->icmp_type == ICMPV6_ECHO || p->icmp_type == ICMPV6_ECHO_REPLY)
        g_string_append_printf(out, " id=%u seq=%u", p->icmp_id, p->icmp_seq);
    g_string_append(out, " ]");
}

static void icmp_text(GString *out, const packet_view *p)
{
    const char *query = NULL;
    switch (p->icmp_type) {
    case ICMP_UNREACH:
        unreach_text(out, p);
        break;
    case ICMP_TIME_EXCEEDED:
        g_string_append(out,
                        p->icmp_code == 0 ? "TTL=0 during transit" : "TTL=0 during reassembly");
        break;
    case ICMP_ECHO_REPLY:
        query = "Echo reply";
        break;
    case ICMP_ECHO:
        query = "Echo request";
        break;
    case ICMP_TIMESTAMP:
        query = "Timestamp request";
        break;
    case ICMP_TIMESTAMP_REPLY:
        query = "Timestamp reply";
        break;
    case ICMP_MASK:
        query = "Address mask request";
        break;
    case ICMP_MASK_REPLY:
        query = "Address mask reply";
        break;
    default:
        g_string_append(out, "ICMP");
        break;
    }
    if (query == NULL) {
        g_string_append_printf(out, " (type=%u/code=%u) ]", p->icmp_type, p->icmp_code);
        return;
    }
    g_string_append_printf(out, "%s (type=%u/code=%u) id=%u seq=%u", query, p->icmp_type,
                           p->icmp_code, p->icmp_id, p->icmp_seq);
    gboolean timestamps = p->icmp_type == ICMP_TIMESTAMP || p->icmp_type == ICMP_TIMESTAMP_REPLY;
    if (timestamps && p->payload_len >= 12)
        g_string_append_printf(out, " orig=%u recv=%u trans=%u", get_be32(p->payload),
                               get_be32(p->payload + 4), get_be32(p->payload + 8));
    /* nmap's netutil.cc words the mask as an address. */
    gboolean mask = p->icmp_type == ICMP_MASK || p->icmp_type == ICMP_MASK_REPLY;
    if (mask && p->payload_len >= 4)
        g_string_append_printf(out, " mask=%u.%u.%u.%u", p->payload[0], p->payload[1],
                               p->payload[2], p->payload[3]);
    g_string_append_c(out, ']');
}

/* Any other protocol, as nmap 7.93 writes -sO's probes of it (tcpip.cc,
 * ippackethdrinfo; seen in the lab): its nmap-protocols name ("unknown" for
 * none) and number, then the IP fields; the other family's ICMP as nmap
 * writes it, with no message it could read. */
static void other_protocol(GString *out, const packet_view *pkt, gboolean v6, unsigned iplen)
{
    const packet_flow *f = &pkt->flow;
    const char *name = ip_protocol_name(f->proto);
    if (v6 && f->proto == PACKET_ICMP)
        g_string_append(out, "ICMP ");
    else if (!v6 && f->proto == PACKET_ICMPV6)
        g_string_append(out, "ICMPv6 (58) ");
    else
        g_string_append_printf(out, "%s (%u) ", name ? name : "unknown", f->proto);
    addr(out, &f->src);
    g_string_append(out, " > ");
    addr(out, &f->dst);
    if (v6)
        g_string_append_printf(out, "%s hopl=%u flow=%x payloadlen=%u",
                               f->proto == PACKET_ICMP ? " [??]" : ":", pkt->ttl, pkt->flow_label,
                               iplen - 40u);
    else
        g_string_append_printf(out, "%s ttl=%u id=%u iplen=%u ",
                               f->proto == PACKET_ICMPV6 ? " (type=?/code=?)" : ":", pkt->ttl,
                               pkt->ip_id, iplen);
}

void packet_trace_format(GString *out, const char *direction, double elapsed, const uint8_t *ip,
                         const packet_view *pkt)
{
    const packet_flow *f = &pkt->flow;
    /* IPv6 states its payload's length only: iplen counts the header too. */
    gboolean v6 = (ip[0] >> 4) == 6;
    unsigned iplen = v6 ? 40u + get_be16(ip + 4) : get_be16(ip + 2);
    g_string_append_printf(out, "%s (%.4fs) ", direction, elapsed);
    /* The other family's ICMP (an -sO probe's bare header) is no ICMP message. */
    gboolean other_icmp = f->proto == (v6 ? PACKET_ICMP : PACKET_ICMPV6);
    switch (other_icmp ? PACKET_IP_ANY : f->proto) {
    case PACKET_TCP:
        g_string_append(out, "TCP ");
        addr(out, &f->src);
        g_string_append_printf(out, ":%u > ", f->sport);
        addr(out, &f->dst);
        g_string_append_printf(out, ":%u ", f->dport);
        tcp_flags(out, pkt->tcp_flags);
        g_string_append_printf(out, " ttl=%u id=%u iplen=%u  seq=%u win=%u ", pkt->ttl, pkt->ip_id,
                               iplen, pkt->seq, pkt->window);
        tcp_options(out, pkt->tcp_options, pkt->tcp_options_len);
        break;
    case PACKET_ICMP:
        g_string_append(out, "ICMP [");
        addr(out, &f->src);
        g_string_append(out, " > ");
        addr(out, &f->dst);
        g_string_append_c(out, ' ');
        icmp_text(out, pkt);
        g_string_append_printf(out, " IP [ttl=%u id=%u iplen=%u ]", pkt->ttl, pkt->ip_id, iplen);
        break;
    case PACKET_ICMPV6:
        g_string_append(out, "ICMPv6 [");
        addr(out, &f->src);
        g_string_append(out, " > ");
        addr(out, &f->dst);
        g_string_append_c(out, ' ');
        icmpv6_text(out, pkt);
        g_string_append_printf(out, " IPv6 [hop=%u flow=%u len=%u ]", pkt->ttl, pkt->flow_label,
                               iplen);
        break;
    case PACKET_SCTP:
    case PACKET_UDP:
        g_string_append(out, f->proto == PACKET_UDP ? "UDP " : "SCTP ");
        addr(out, &f->src);
        g_string_append_printf(out, ":%u > ", f->sport);
        addr(out, &f->dst);
        g_string_append_printf(out, ":%u ttl=%u id=%u iplen=%u ", f->dport, pkt->ttl, pkt->ip_id,
                               iplen);
        break;
    default:
        other_protocol(out, pkt, v6, iplen);
        break;
    }
    g_string_append_c(out, '\n');
}

void packet_trace_arp(GString *out, const char *direction, double elapsed, const arp_view *arp)
{
    g_string_append_printf(out, "%s (%.4fs) ARP ", direction, elapsed);
    if (arp->op == ARP_REPLY) {
        g_string_append(out, "reply ");
        addr4(out, arp->sender_ip);
        const uint8_t *m = arp->sender_mac;
        g_string_append_printf(out, " is-at %02X:%02X:%02X:%02X:%02X:%02X\n", m[0], m[1], m[2],
                               m[3], m[4], m[5]);
        return;
    }
    g_string_append(out, "who-has ");
    addr4(out, arp->target_ip);
    g_string_append(out, " tell ");
    addr4(out, arp->sender_ip);
    g_string_append_c(out, '\n');
}
