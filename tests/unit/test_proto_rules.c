/* The IP protocol scan's (-sO) rules on bytes: each protocol's probe as nmap
 * sends it (scan_engine_raw.cc, build_protoscan_packet) with our marks, the
 * replies tied back by the quoted IP ID, flow label or word, and nmap's
 * verdicts and reason words (get_pcap_result). */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "ip_protocols.h"
#include "scan_type.h"
#include "support/replies.h"

static const packet_addr scanner4 = PACKET_ADDR_IPV4_INIT(0x0ac90001);
static const packet_addr target4 = PACKET_ADDR_IPV4_INIT(0x0ac90002);
static const packet_addr router4 = PACKET_ADDR_IPV4_INIT(0x0ac900fe);

static probe_spec spec4(uint8_t proto)
{
    return (probe_spec){.flow = proto_probe_flow(&scanner4, &target4, proto, 41003, 0x5eed5eed, 3),
                        .scan_id = 0x5eed5eed,
                        .try_no = 3};
}

static size_t build(const probe_spec *s, uint8_t *out)
{
    size_t len = scan_probe_build(&scan_proto, s, out, PROBE_MAX_LEN);
    g_assert_cmpuint(len, >=, 20);
    return len;
}

/* RFC 4960 appendix B's CRC32c, written again here from the RFC. */
static uint32_t crc32c_check(const uint8_t *p, size_t len)
{
    uint32_t table[256];
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0x82f63b78u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }
    uint32_t crc = ~0u;
    for (size_t i = 0; i < len; i++)
        crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
    return ~crc;
}

static void test_probes_as_nmap_sends_them(void)
{
    uint8_t p[PROBE_MAX_LEN];
    packet_view v;
    probe_tag tag;
    unsigned try_no;

    /* TCP: an ACK to port 80, tagged, the cookie as seq and ack. */
    probe_spec s = spec4(PACKET_TCP);
    size_t len = build(&s, p);
    g_assert_true(packet_parse(p, len, &v));
    g_assert_cmpuint(v.flow.proto, ==, PACKET_TCP);
    g_assert_cmpuint(v.flow.dport, ==, 80);
    g_assert_cmpuint(v.tcp_flags, ==, TCP_ACK);
    g_assert_true(scan_proto.recognise(&scan_proto, &v, &tag));
    g_assert_cmpuint(tag.scan_code, ==, SCAN_CODE_PROTO);
    g_assert_true(scan_type_of_probe(&v, &tag) == NULL); /* not -sA's */
    g_assert_true(cookie_check(s.scan_id, &s.flow, v.seq, &try_no));
    g_assert_cmpuint(try_no, ==, 3);

    /* UDP: to port 40125, the version 2 tag its payload: not -sU's probe. */
    s = spec4(PACKET_UDP);
    len = build(&s, p);
    g_assert_true(packet_parse(p, len, &v));
    g_assert_cmpuint(v.flow.dport, ==, 40125);
    g_assert_true(scan_proto.recognise(&scan_proto, &v, &tag));
    g_assert_true(scan_type_of_probe(&v, &tag) == NULL);
    g_assert_true(cookie_check(s.scan_id, &s.flow, v.ip_id, &try_no));
    g_assert_cmpuint(packet_checksum(p + 20, len - 20,
                                     packet_pseudo_sum(&v.flow.src, &v.flow.dst, PACKET_UDP,
                                                       (uint32_t)(len - 20))),
                     ==, 0);

    /* ICMP: an echo request whose id and sequence are the cookie: not -PE's. */
    s = spec4(PACKET_ICMP);
    len = build(&s, p);
    g_assert_true(packet_parse(p, len, &v));
    g_assert_cmpuint(v.icmp_type, ==, ICMP_ECHO);
    g_assert_true(scan_proto.recognise(&scan_proto, &v, &tag));
    g_assert_true(scan_type_of_probe(&v, &tag) == NULL);
    g_assert_true(
        cookie_check(s.scan_id, &s.flow, (uint32_t)v.icmp_id << 16 | v.icmp_seq, &try_no));
    g_assert_cmpuint(packet_checksum(p + 20, len - 20, 0), ==, 0);

    /* IGMP: nmap's 8-byte membership query (RFC 2236), untagged. */
    s = spec4(2);
    len = build(&s, p);
    g_assert_cmpuint(len, ==, 28);
    g_assert_cmpuint(p[9], ==, 2);
    g_assert_cmpuint(p[20], ==, 0x11);
    g_assert_cmpuint(packet_checksum(p + 20, 8, 0), ==, 0);

    /* SCTP: an INIT to port 80 with RFC 4960's CRC32c. */
    s = spec4(PACKET_SCTP);
    len = build(&s, p);
    g_assert_cmpuint(len, ==, 20 + 12 + 20);
    g_assert_cmpuint(get_be16(p + 22), ==, 80);
    g_assert_cmpuint(p[32], ==, 1); /* INIT */
    uint32_t stated = p[28] | p[29] << 8 | (uint32_t)p[30] << 16 | (uint32_t)p[31] << 24;
    memset(p + 28, 0, 4);
    g_assert_cmpuint(crc32c_check(p + 20, 32), ==, stated);

    /* Any other protocol: the IP header alone, the cookie in its IP ID. */
    static const uint8_t bare[] = {0, 41, 47, 50, 58, 103, 255};
    for (size_t i = 0; i < G_N_ELEMENTS(bare); i++) {
        s = spec4(bare[i]);
        len = build(&s, p);
        g_assert_cmpuint(len, ==, 20);
        g_assert_cmpuint(p[9], ==, bare[i]);
        g_assert_cmpuint(packet_checksum(p, 20, 0), ==, 0);
        uint32_t want = cookie_make(s.scan_id, &s.flow, s.try_no) & 0xffffu;
        g_assert_cmpuint(get_be16(p + 4), ==, want);
    }
}

/* The verdict of an ICMP error quoting the probe of proto, sent by from, and
 * the try its cookie names (-1: tied by flow only). */
static verdict error_verdict(uint8_t proto, uint8_t type, uint8_t code, packet_addr from,
                             int *try_no)
{
    probe_spec s = spec4(proto);
    uint8_t p[PROBE_MAX_LEN], r[128];
    size_t len = build(&s, p);
    size_t n = reply_icmp_unreach(r, &s.flow, code, p, len);
    r[20] = type;
    memcpy(r + 12, from.bytes + 12, 4);
    packet_view v;
    g_assert_true(packet_parse(r, n, &v));
    g_assert_true(proto_is_error(&v));
    packet_flow flow;
    uint32_t cookie;
    reply_match m = proto_reply_key(&v, &flow, &cookie);
    g_assert_cmpuint(flow.proto, ==, proto);
    unsigned t;
    *try_no = m == REPLY_COOKIE && cookie_check(s.scan_id, &flow, cookie, &t) ? (int)t : -1;
    verdict out = {PORT_STATE_UNKNOWN, REASON_NONE};
    if (!scan_proto.judge(&v, &out))
        out.state = PORT_STATE_UNKNOWN;
    return out;
}

static void test_icmp_errors(void)
{
    int t;
    verdict v = error_verdict(47, ICMP_UNREACH, 2, target4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "closed");
    g_assert_cmpstr(reason_name(v.why), ==, "proto-unreach");
    g_assert_cmpint(t, ==, 3);
    /* from a router: only filtered */
    v = error_verdict(47, ICMP_UNREACH, 2, router4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "filtered");
    /* the UDP probe reached UDP: port unreachable means the protocol is open */
    v = error_verdict(PACKET_UDP, ICMP_UNREACH, 3, target4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "open");
    g_assert_cmpstr(reason_name(v.why), ==, "port-unreach");
    g_assert_cmpint(t, ==, 3);
    v = error_verdict(PACKET_UDP, ICMP_UNREACH, 3, router4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "filtered");
    v = error_verdict(PACKET_TCP, ICMP_UNREACH, 13, router4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "filtered");
    g_assert_cmpstr(reason_name(v.why), ==, "admin-prohibited");
    g_assert_cmpint(t, ==, 3);
    v = error_verdict(PACKET_ICMP, ICMP_TIME_EXCEEDED, 0, router4, &t);
    g_assert_cmpstr(port_state_name(v.state), ==, "filtered");
    g_assert_cmpstr(reason_name(v.why), ==, "time-exceeded");
    g_assert_cmpint(t, ==, 3);
    /* fragmentation needed: nmap has no verdict for it */
    v = error_verdict(50, ICMP_UNREACH, 4, target4, &t);
    g_assert_cmpint(v.state, ==, PORT_STATE_UNKNOWN);
}

static void test_direct_replies(void)
{
    /* The target's RST to the ACK probe: open, and its seq names the try. */
    probe_spec s = spec4(PACKET_TCP);
    uint8_t r[64];
    size_t n = reply_ip_header(r, target4, scanner4, PACKET_TCP, 20);
    memset(r + n, 0, 20);
    put_be16(r + n, 80);
    put_be16(r + n + 2, s.flow.sport);
    put_be32(r + n + 4, cookie_make(s.scan_id, &s.flow, 3));
    r[n + 12] = 5 << 4;
    r[n + 13] = TCP_RST;
    packet_view v;
    g_assert_true(packet_parse(r, n + 20, &v));
    packet_flow flow;
    uint32_t cookie;
    unsigned t;
    g_assert_cmpint(proto_reply_key(&v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(packet_flow_equal(&flow, &s.flow));
    g_assert_true(cookie_check(s.scan_id, &flow, cookie, &t));
    verdict out;
    g_assert_true(scan_proto.judge(&v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, "open");
    g_assert_cmpstr(reason_name(out.why), ==, "proto-response");
    /* nmap words the ICMP protocol by the packet after the ICMP message: a
     * TCP one is "unknown-response" */
    g_assert_cmpstr(reason_name(proto_icmp_reason(&v)), ==, "unknown-response");

    /* An echo reply: open, echo-reply; a GRE packet: open, proto-response. */
    n = reply_ip_header(r, target4, scanner4, PACKET_ICMP, 8);
    memset(r + n, 0, 8);
    g_assert_true(packet_parse(r, n + 8, &v));
    g_assert_false(proto_is_error(&v));
    g_assert_true(scan_proto.judge(&v, &out));
    g_assert_cmpstr(reason_name(out.why), ==, "echo-reply");
    n = reply_ip_header(r, target4, scanner4, 47, 4);
    memset(r + n, 0, 4);
    g_assert_true(packet_parse(r, n + 4, &v));
    g_assert_cmpint(proto_reply_key(&v, &flow, &cookie), ==, REPLY_FLOW);
    g_assert_cmpuint(flow.proto, ==, 47);
    g_assert_true(scan_proto.judge(&v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, "open");
    g_assert_cmpstr(reason_name(out.why), ==, "proto-response");
}

/* Over IPv6 the cookie rides in the flow label, which an ICMPv6 error quotes;
 * a parameter problem "unknown next header" (RFC 4443 section 3.4, code 1)
 * from the target means closed. */
static void test_ipv6(void)
{
    packet_addr src = {{0xfd, 0x20, 0, 1, [15] = 1}}, dst = {{0xfd, 0x20, 0, 1, [15] = 2}};
    probe_spec s = {.flow = proto_probe_flow(&src, &dst, 47, 41003, 0x5eed5eed, 2),
                    .scan_id = 0x5eed5eed,
                    .try_no = 2};
    uint8_t p[PROBE_MAX_LEN];
    size_t len = scan_probe_build(&scan_proto, &s, p, sizeof p);
    g_assert_cmpuint(len, ==, 40);
    g_assert_cmpuint(p[6], ==, 47);
    uint32_t label = get_be32(p) & 0xfffffu;
    g_assert_cmpuint(label & PROBE_FLOW_LABEL_MASK, ==, PROBE_FLOW_LABEL_COOKIE);
    for (uint8_t code = 0; code <= 1; code++) {
        uint8_t r[128] = {0x60};
        put_be16(r + 4, (uint16_t)(8 + len));
        r[6] = PACKET_ICMPV6;
        r[7] = 64;
        memcpy(r + 8, dst.bytes, 16);
        memcpy(r + 24, src.bytes, 16);
        r[40] = ICMPV6_PARAM_PROBLEM;
        r[41] = code;
        put_be32(r + 44, 6);
        memcpy(r + 48, p, len);
        packet_view v;
        g_assert_true(packet_parse(r, 48 + len, &v));
        packet_flow flow;
        uint32_t cookie;
        unsigned t;
        g_assert_cmpint(proto_reply_key(&v, &flow, &cookie), ==, REPLY_COOKIE);
        g_assert_true(cookie_check(s.scan_id, &flow, cookie, &t));
        g_assert_cmpuint(t, ==, 2);
        verdict out;
        g_assert_true(scan_proto.judge(&v, &out));
        g_assert_cmpstr(port_state_name(out.state), ==, code ? "closed" : "open");
        g_assert_cmpstr(reason_name(out.why), ==, "param-problem");
    }
    /* ICMP over IPv6 is a bare header, ICMPv6 the echo. */
    s.flow = proto_probe_flow(&src, &dst, PACKET_ICMP, 41003, s.scan_id, 2);
    g_assert_cmpuint(scan_probe_build(&scan_proto, &s, p, sizeof p), ==, 40);
    s.flow = proto_probe_flow(&src, &dst, PACKET_ICMPV6, 41003, s.scan_id, 2);
    len = scan_probe_build(&scan_proto, &s, p, sizeof p);
    g_assert_cmpuint(p[40], ==, ICMPV6_ECHO);
}

/* Our SCTP INIT carries no tag, and nmap's -sY INIT has its shape: the
 * plugin tells ours by its cookie (initiate tag = initial TSN, low 16 bits in
 * the IP ID or flow label). An INIT whose numbers differ, or whose IP ID does
 * not match, as nmap's random ones do, is not ours. */
static void test_sctp_probe_is_ours(void)
{
    probe_spec s = spec4(PACKET_SCTP);
    uint8_t p[PROBE_MAX_LEN];
    size_t len = build(&s, p);
    packet_view v;
    g_assert_true(packet_parse(p, len, &v));
    g_assert_true(proto_sctp_probe_is_ours(&v));
    p[20 + 12 + 16] ^= 0x80; /* the initial TSN, no longer the initiate tag */
    g_assert_true(packet_parse(p, len, &v));
    g_assert_false(proto_sctp_probe_is_ours(&v));
    p[20 + 12 + 16] ^= 0x80;
    p[5] ^= 1; /* the IP ID */
    g_assert_true(packet_parse(p, len, &v));
    g_assert_false(proto_sctp_probe_is_ours(&v));

    packet_addr src = {{0xfd, 0x20, 0, 1, [15] = 1}}, dst = {{0xfd, 0x20, 0, 1, [15] = 2}};
    probe_spec s6 = {.flow = proto_probe_flow(&src, &dst, PACKET_SCTP, 41003, 0x5eed5eed, 2),
                     .scan_id = 0x5eed5eed,
                     .try_no = 2};
    len = scan_probe_build(&scan_proto, &s6, p, sizeof p);
    g_assert_true(packet_parse(p, len, &v));
    g_assert_true(proto_sctp_probe_is_ours(&v));
    p[3] ^= 1; /* the flow label's cookie bits */
    g_assert_true(packet_parse(p, len, &v));
    g_assert_false(proto_sctp_probe_is_ours(&v));
    /* Nor is a packet of another protocol. */
    g_assert_false(proto_sctp_probe_is_ours(&(packet_view){.flow.proto = PACKET_TCP}));
}

static void test_names(void)
{
    g_assert_cmpstr(ip_protocol_name(1), ==, "icmp");
    g_assert_cmpstr(ip_protocol_name(58), ==, "ipv6-icmp");
    g_assert_cmpstr(ip_protocol_name(132), ==, "sctp");
    g_assert_null(ip_protocol_name(255));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/proto/probes", test_probes_as_nmap_sends_them);
    g_test_add_func("/proto/icmp-errors", test_icmp_errors);
    g_test_add_func("/proto/direct-replies", test_direct_replies);
    g_test_add_func("/proto/ipv6", test_ipv6);
    g_test_add_func("/proto/names", test_names);
    g_test_add_func("/proto/sctp-probe-is-ours", test_sctp_probe_is_ours);
    return g_test_run();
}
