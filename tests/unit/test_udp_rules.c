/* The UDP scan's rules on bytes: tagged requests for DNS/NTP/SNMP and bare tags
 * elsewhere; replies and ICMP errors attributed by the cookie in the IP ID or in
 * the echoed request id; nmap's verdicts. And the connect scan's socket-level tag. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "scan_type.h"
#include "support/replies.h"

static probe_spec spec_for(uint16_t port)
{
    return (probe_spec){.flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001),
                                 PACKET_ADDR_IPV4_INIT(0x0ac90002), 41001, port, PACKET_UDP},
                        .scan_id = 0x0badcafe,
                        .try_no = 2};
}

static size_t udp_reply(uint8_t *p, const probe_spec *s, const uint8_t *data, size_t len)
{
    size_t n = reply_ip_header(p, s->flow.dst, s->flow.src, PACKET_UDP, 8 + len);
    put_be16(p + n, s->flow.dport);
    put_be16(p + n + 2, s->flow.sport);
    put_be16(p + n + 4, (uint16_t)(8 + len));
    put_be16(p + n + 6, 0);
    memcpy(p + n + 8, data, len);
    return n + 8 + len;
}

static void test_probes_recognised(void)
{
    static const uint16_t ports[] = {53, 123, 161, 7, 1900};
    for (size_t i = 0; i < G_N_ELEMENTS(ports); i++) {
        probe_spec s = spec_for(ports[i]);
        uint8_t probe[PROBE_MAX_LEN];
        size_t len = scan_probe_build(&scan_udp, &s, probe, sizeof probe);
        g_assert_cmpuint(len, >, 28);
        packet_view v;
        g_assert_true(packet_parse(probe, len, &v));
        uint32_t pseudo =
            packet_pseudo_sum(&v.flow.src, &v.flow.dst, PACKET_UDP, (uint16_t)(len - 20));
        g_assert_cmpuint(packet_checksum(probe + 20, len - 20, pseudo), ==, 0);
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == &scan_udp);
        g_assert_cmpuint(tag.scan_id, ==, s.scan_id);
        g_assert_cmpuint(tag.try_no, ==, s.try_no);
        unsigned try_no;
        g_assert_true(cookie_check(s.scan_id, &s.flow, v.ip_id, &try_no));
        g_assert_cmpuint(try_no, ==, s.try_no);
    }
}

static void test_dns_reply_names_the_try(void)
{
    probe_spec s = spec_for(53);
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    scan_probe_build(&scan_udp, &s, probe, sizeof probe);
    uint8_t answer[12] = {probe[28], probe[29], 0x81, 0x80}; /* id echoed, QR set */
    packet_view v;
    g_assert_true(packet_parse(reply, udp_reply(reply, &s, answer, sizeof answer), &v));
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no;
    g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(cookie_check(s.scan_id, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, s.try_no);
    verdict out;
    g_assert_true(scan_udp.judge(&v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, "open");
    g_assert_cmpstr(reason_name(out.why), ==, "udp-response");
}

static void test_plain_reply_ties_by_flow(void)
{
    probe_spec s = spec_for(7);
    uint8_t reply[64];
    packet_view v;
    g_assert_true(packet_parse(reply, udp_reply(reply, &s, (const uint8_t *)"hi", 2), &v));
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_FLOW);
    g_assert_true(packet_flow_equal(&flow, &s.flow));
}

static void test_icmp_errors_judged(void)
{
    static const struct {
        uint8_t code;
        const char *state, *reason;
    } cases[] = {{3, "closed", "port-unreach"},
                 {13, "filtered", "admin-prohibited"},
                 {1, "filtered", "host-unreach"},
                 {10, "filtered", "host-prohibited"}};
    probe_spec s = spec_for(69);
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    scan_probe_build(&scan_udp, &s, probe, sizeof probe);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        packet_view v;
        g_assert_true(packet_parse(
            reply, reply_icmp_unreach(reply, &s.flow, cases[i].code, probe, sizeof probe), &v));
        packet_flow flow;
        uint32_t cookie;
        unsigned try_no;
        g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_COOKIE);
        g_assert_true(packet_flow_equal(&flow, &s.flow));
        g_assert_true(cookie_check(s.scan_id, &flow, cookie, &try_no));
        g_assert_cmpuint(try_no, ==, s.try_no);
        verdict out;
        g_assert_true(scan_udp.judge(&v, &out));
        g_assert_cmpstr(port_state_name(out.state), ==, cases[i].state);
        g_assert_cmpstr(reason_name(out.why), ==, cases[i].reason);
    }
    g_assert_cmpstr(port_state_name(scan_udp.silent.state), ==, "open|filtered");
}

/* nmap closes a UDP port only on a port unreachable from the target itself; from
 * a router on the path it says filtered; codes it does not name say nothing. */
static void test_icmp_error_sources(void)
{
    probe_spec s = spec_for(69);
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    scan_probe_build(&scan_udp, &s, probe, sizeof probe);
    size_t len = reply_icmp_unreach(reply, &s.flow, 3, probe, sizeof probe);
    put_be32(reply + 12, 0xcb007101); /* 203.0.113.1, a router */
    packet_view v;
    verdict out;
    g_assert_true(packet_parse(reply, len, &v));
    g_assert_true(scan_udp.judge(&v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, "filtered");
    g_assert_cmpstr(reason_name(out.why), ==, "port-unreach");
    len = reply_icmp_unreach(reply, &s.flow, 4, probe, sizeof probe);
    g_assert_true(packet_parse(reply, len, &v));
    g_assert_false(scan_udp.judge(&v, &out));
}

static void test_connect_tag(void)
{
    uint8_t syn[40];
    size_t n = reply_ip_header(syn, packet_addr_from_ipv4(0x0ac90001),
                               packet_addr_from_ipv4(0x0ac90002), PACKET_TCP, 20);
    syn[1] = CONNECT_TAG_TOS;
    memset(syn + n, 0, 20);
    put_be16(syn + n, CONNECT_PORT_FIRST + 5);
    put_be16(syn + n + 2, 80);
    syn[n + 12] = 5 << 4;
    syn[n + 13] = TCP_SYN;
    packet_view v;
    probe_tag tag;
    g_assert_true(packet_parse(syn, n + 20, &v));
    g_assert_true(scan_type_of_probe(&v, &tag) == &scan_connect);
    syn[1] = 0; /* an ordinary client's SYN */
    g_assert_true(packet_parse(syn, n + 20, &v));
    g_assert_null(scan_type_of_probe(&v, &tag));
    syn[1] = CONNECT_TAG_TOS;
    put_be16(syn + n, 50000); /* a port the kernel picks itself */
    g_assert_true(packet_parse(syn, n + 20, &v));
    g_assert_null(scan_type_of_probe(&v, &tag));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/udp/probes-recognised", test_probes_recognised);
    g_test_add_func("/udp/dns-reply-names-the-try", test_dns_reply_names_the_try);
    g_test_add_func("/udp/plain-reply-ties-by-flow", test_plain_reply_ties_by_flow);
    g_test_add_func("/udp/icmp-errors-judged", test_icmp_errors_judged);
    g_test_add_func("/udp/icmp-error-sources", test_icmp_error_sources);
    g_test_add_func("/connect/tag", test_connect_tag);
    return g_test_run();
}
