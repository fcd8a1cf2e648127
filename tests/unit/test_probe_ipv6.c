/* The scanner's IPv6 probes as common/ builds them: every probe type's IPv6
 * header (RFC 8200), its checksum over the IPv6 pseudo-header (section 8.1),
 * its tag found again by the type's own recognise(); the UDP cookie in the
 * flow label, which an ICMPv6 error quotes and cookie_check() accepts; the
 * neighbor solicitation and advertisement of ND discovery (RFC 4861). */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "nd.h"
#include "scan_type.h"

static const packet_addr us = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
static const packet_addr them = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0x56}};
enum { SCAN_ID = 0x5eed1234 };

/* Whether the transport checksum of an IPv6 packet without extension headers
 * sums to zero with its pseudo-header. */
static gboolean checksum_ok(const uint8_t *ip, size_t len)
{
    packet_addr src, dst;
    memcpy(src.bytes, ip + 8, 16);
    memcpy(dst.bytes, ip + 24, 16);
    uint32_t pseudo = packet_pseudo_sum(&src, &dst, ip[6], (uint32_t)(len - 40));
    return packet_checksum(ip + 40, len - 40, pseudo) == 0;
}

static void test_every_type(void)
{
    const scan_type *types[] = {&scan_syn,  &scan_ack,    &scan_fin,    &scan_null,
                                &scan_xmas, &scan_maimon, &scan_window, &scan_udp,
                                &ping_syn,  &ping_ack,    &ping_echo};
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        const scan_type *type = types[i];
        gboolean icmp = type->ip_proto == PACKET_ICMP;
        uint8_t proto = icmp ? PACKET_ICMPV6 : type->ip_proto;
        probe_spec spec = {.flow = {us, them, icmp ? 0 : 40123, icmp ? 0 : 53, proto},
                           .scan_id = SCAN_ID,
                           .try_no = 3};
        uint8_t buf[PROBE_MAX_LEN];
        size_t len = scan_probe_build(type, &spec, buf, sizeof buf);
        g_assert_cmpuint(len, >, 40);
        g_assert_cmphex(buf[0] >> 4, ==, 6);
        g_assert_cmpuint(get_be16(buf + 4), ==, len - 40);
        g_assert_cmpuint(buf[6], ==, proto);
        g_assert_cmpuint(buf[7], ==, 64);
        g_assert_true(checksum_ok(buf, len));
        packet_view v;
        g_assert_true(packet_parse(buf, len, &v));
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == type);
        g_assert_cmphex(tag.scan_id, ==, SCAN_ID);
        g_assert_cmpuint(tag.try_no, ==, 3);
        /* The flow label carries the cookie of UDP probes only (nmap sends 0). */
        uint32_t label = get_be32(buf) & 0xfffff;
        if (type == &scan_udp) {
            g_assert_cmphex(label & PROBE_FLOW_LABEL_MASK, ==, PROBE_FLOW_LABEL_COOKIE);
            unsigned try_no;
            g_assert_true(cookie_check(SCAN_ID, &spec.flow, label & 0xffff, &try_no));
            g_assert_cmpuint(try_no, ==, 3);
        } else {
            g_assert_cmphex(label, ==, 0);
        }
    }
    /* ICMPv6 has no timestamp request. */
    probe_spec ts = {.flow = {us, them, 0, 0, PACKET_ICMPV6}, .scan_id = SCAN_ID};
    uint8_t buf[PROBE_MAX_LEN];
    g_assert_cmpuint(scan_probe_build(&ping_timestamp, &ts, buf, sizeof buf), ==, 0);
    /* Families are not mixed in one probe. */
    probe_spec mixed = {.flow = {us, packet_addr_from_ipv4(0x0a000001), 1, 2, PACKET_TCP}};
    g_assert_cmpuint(scan_probe_build(&scan_syn, &mixed, buf, sizeof buf), ==, 0);
}

/* An ICMPv6 port unreachable from the target quoting the UDP probe whole: the
 * reply names the probe's try by the quoted flow label. */
static void test_udp_cookie_quoted(void)
{
    probe_spec spec = {.flow = {us, them, 40200, 69, PACKET_UDP}, .scan_id = SCAN_ID, .try_no = 2};
    uint8_t probe[PROBE_MAX_LEN];
    size_t plen = scan_probe_build(&scan_udp, &spec, probe, sizeof probe);
    g_assert_cmpuint(plen, >, 0);
    uint8_t err[40 + 8 + PROBE_MAX_LEN] = {0};
    size_t l4 = 8 + plen;
    put_be32(err, 6u << 28);
    put_be16(err + 4, (uint16_t)l4);
    err[6] = PACKET_ICMPV6;
    err[7] = 64;
    memcpy(err + 8, them.bytes, 16);
    memcpy(err + 24, us.bytes, 16);
    err[40] = ICMPV6_UNREACH;
    err[41] = 4;
    memcpy(err + 48, probe, plen);
    packet_view v;
    g_assert_true(packet_parse(err, 40 + l4, &v));
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(packet_flow_equal(&flow, &spec.flow));
    unsigned try_no;
    g_assert_true(cookie_check(SCAN_ID, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, 2);
    verdict out;
    g_assert_true(scan_udp.judge(&v, &out));
    g_assert_cmpint(out.state, ==, PORT_CLOSED);
    g_assert_cmpint(out.why, ==, REASON_PORT_UNREACH);
    /* Another sender's flow label (a kernel's random one) names no try. */
    put_be32(err + 48, 6u << 28 | 0x2abcd);
    g_assert_true(packet_parse(err, 40 + l4, &v));
    g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_FLOW);
}

static void test_neighbor_discovery(void)
{
    packet_addr m = nd_solicited_node(&them);
    char text[PACKET_ADDR_TEXT];
    g_assert_cmpstr(packet_addr_format(&m, text), ==, "ff02::1:ff12:3456");
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 0x01};
    uint8_t ns[ND_SOLICIT_LEN];
    g_assert_cmpuint(nd_solicit_build(mac, &us, &them, SCAN_ID, 1, ns, sizeof ns - 1), ==, 0);
    g_assert_cmpuint(nd_solicit_build(mac, &us, &them, SCAN_ID, 1, ns, sizeof ns), ==,
                     ND_SOLICIT_LEN);
    g_assert_cmpuint(ns[7], ==, 255);
    g_assert_true(checksum_ok(ns, sizeof ns));
    packet_view v;
    g_assert_true(packet_parse(ns, sizeof ns, &v));
    probe_tag tag;
    packet_addr asked;
    g_assert_true(nd_solicit_recognise(&v, &tag, &asked));
    g_assert_true(packet_addr_equal(&asked, &them));
    g_assert_cmphex(tag.scan_id, ==, SCAN_ID);
    g_assert_cmpuint(tag.try_no, ==, 1);
    g_assert_true(tag.discovery);
    g_assert_true(packet_flow_equal(&(packet_flow){us, m, 0, 0, PACKET_ICMPV6},
                                    &(packet_flow){v.flow.src, v.flow.dst, 0, 0, v.flow.proto}));

    /* The advertisement: target, flags S and O, target link-layer option. */
    uint8_t na[40 + 32] = {0};
    put_be32(na, 6u << 28);
    put_be16(na + 4, 32);
    na[6] = PACKET_ICMPV6;
    na[7] = 255;
    memcpy(na + 8, them.bytes, 16);
    memcpy(na + 24, us.bytes, 16);
    na[40] = ICMPV6_NEIGHBOR_ADVERT;
    na[44] = 0x60;
    memcpy(na + 48, them.bytes, 16);
    na[64] = 2;
    na[65] = 1;
    memcpy(na + 66, "\x72\xdb\x4f\xe4\x5d\xd6", 6);
    g_assert_true(packet_parse(na, sizeof na, &v));
    packet_addr advertised;
    uint8_t got[6];
    bool has_mac;
    g_assert_true(nd_advert_parse(&v, &advertised, got, &has_mac));
    g_assert_true(has_mac);
    g_assert_cmpmem(got, 6, "\x72\xdb\x4f\xe4\x5d\xd6", 6);
    verdict out;
    g_assert_true(nd_answers(&them, &advertised, &out));
    g_assert_cmpint(out.state, ==, HOST_UP);
    g_assert_cmpstr(reason_name(out.why), ==, "nd-response");
    g_assert_false(nd_answers(&us, &advertised, &out));
    /* Not from the link (RFC 4861 7.1.2): a hop limit below 255 is not valid. */
    na[7] = 254;
    g_assert_true(packet_parse(na, sizeof na, &v));
    g_assert_false(nd_advert_parse(&v, &advertised, got, &has_mac));
    /* An option of length 0 ends the walk: no address taken from it. */
    na[7] = 255;
    na[65] = 0;
    g_assert_true(packet_parse(na, sizeof na, &v));
    g_assert_true(nd_advert_parse(&v, &advertised, got, &has_mac));
    g_assert_false(has_mac);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/probe-ipv6/every-type", test_every_type);
    g_test_add_func("/probe-ipv6/udp-cookie-quoted", test_udp_cookie_quoted);
    g_test_add_func("/probe-ipv6/neighbor-discovery", test_neighbor_discovery);
    return g_test_run();
}
