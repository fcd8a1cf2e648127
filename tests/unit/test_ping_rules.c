/* Host discovery probes on bytes: built, recognised apart from port probes, and
 * their replies attributed and judged as nmap judges a host. */
#include <glib.h>
#include <string.h>

#include "arp.h"
#include "cookie.h"
#include "support/replies.h"
#include "scan_type.h"

static const uint32_t scanner4 = 0x0ac90001, target4 = 0x0ac90002;
static const packet_addr scanner = PACKET_ADDR_IPV4_INIT(0x0ac90001),
                         target = PACKET_ADDR_IPV4_INIT(0x0ac90002);

static packet_view built(const scan_type *type, uint16_t dport, uint8_t try_no, uint8_t *buf)
{
    probe_spec spec = {.flow = {scanner, target, 45000, dport, type->ip_proto},
                       .scan_id = 0x1234,
                       .try_no = try_no};
    if (type->ip_proto == PACKET_ICMP)
        spec.flow.sport = spec.flow.dport = 0;
    size_t len = scan_probe_build(type, &spec, buf, PROBE_MAX_LEN);
    g_assert_cmpuint(len, >, 20);
    packet_view v;
    g_assert_true(packet_parse(buf, len, &v));
    return v;
}

/* Turns an ICMP query into the reply a stack makes: addresses swapped, id and
 * sequence echoed. */
static size_t icmp_reply(uint8_t *p, size_t len, uint8_t type)
{
    uint32_t src = get_be32(p + 12);
    put_be32(p + 12, get_be32(p + 16));
    put_be32(p + 16, src);
    p[20] = type;
    return len;
}

static void test_echo(void)
{
    uint8_t buf[PROBE_MAX_LEN];
    packet_view probe = built(&ping_echo, 0, 1, buf);
    probe_tag tag;
    g_assert_true(scan_type_of_probe(&probe, &tag) == &ping_echo);
    g_assert_true(tag.discovery);
    g_assert_cmpuint(tag.try_no, ==, 1);
    g_assert_cmpuint(packet_checksum(buf + 20, get_be16(buf + 2) - 20u, 0), ==, 0);

    packet_view reply;
    g_assert_true(packet_parse(buf, icmp_reply(buf, get_be16(buf + 2), ICMP_ECHO_REPLY), &reply));
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no;
    g_assert_cmpint(scan_reply_key(&ping_echo, &reply, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(packet_flow_equal(&flow, &probe.flow));
    g_assert_true(cookie_check(0x1234, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, 1);
    verdict v;
    g_assert_true(ping_echo.judge(&reply, &v));
    g_assert_cmpstr(port_state_name(v.state), ==, "up");
    g_assert_cmpstr(reason_name(v.why), ==, "echo-reply");
    g_assert_cmpstr(port_state_name(ping_echo.silent.state), ==, "down");
}

static void test_timestamp(void)
{
    uint8_t buf[PROBE_MAX_LEN];
    packet_view probe = built(&ping_timestamp, 0, 0, buf);
    probe_tag tag;
    g_assert_true(scan_type_of_probe(&probe, &tag) == &ping_timestamp);
    packet_view reply;
    g_assert_true(
        packet_parse(buf, icmp_reply(buf, get_be16(buf + 2), ICMP_TIMESTAMP_REPLY), &reply));
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&ping_timestamp, &reply, &flow, &cookie), ==, REPLY_COOKIE);
    verdict v;
    g_assert_true(ping_timestamp.judge(&reply, &v));
    g_assert_cmpstr(reason_name(v.why), ==, "timestamp-reply");
    /* A timestamp reply answers no echo or mask request, an echo reply no
     * timestamp request (RFC 792), even where both share id and sequence (an
     * older capture of ours, another tool's). */
    g_assert_cmpint(scan_reply_key(&ping_echo, &reply, &flow, &cookie), ==, REPLY_NONE);
    g_assert_cmpint(scan_reply_key(&ping_mask, &reply, &flow, &cookie), ==, REPLY_NONE);
    g_assert_true(packet_parse(buf, icmp_reply(buf, get_be16(buf + 2), ICMP_ECHO_REPLY), &reply));
    g_assert_cmpint(scan_reply_key(&ping_timestamp, &reply, &flow, &cookie), ==, REPLY_NONE);
    g_assert_cmpint(scan_reply_key(&ping_echo, &reply, &flow, &cookie), ==, REPLY_COOKIE);
}

/* The echo, timestamp and address mask requests to one host carry ids of
 * their own (the query type is hashed into -PP's and -PM's cookies), and an
 * ICMP error quoting one of them is tied to that one alone: by its cookie,
 * and by the quoted message's type. -PP's older cookie (no type hashed) still
 * checks, for captures of earlier scans. */
static void test_query_errors(void)
{
    const scan_type *types[] = {&ping_echo, &ping_timestamp, &ping_mask};
    uint8_t probes[3][PROBE_MAX_LEN];
    packet_view v[3];
    for (int i = 0; i < 3; i++) {
        v[i] = built(types[i], 0, 1, probes[i]);
        for (int j = 0; j < i; j++)
            g_assert_cmpuint(v[i].icmp_id, !=, v[j].icmp_id);
    }
    packet_flow echo_flow = {scanner, target, 0, 0, PACKET_ICMP};
    g_assert_cmphex((uint32_t)v[0].icmp_id << 16 | v[0].icmp_seq, ==,
                    cookie_make(0x1234, &echo_flow, 1));
    for (int i = 0; i < 3; i++) {
        uint8_t err[128];
        size_t len = reply_icmp_unreach(err, &v[i].flow, 13, probes[i], get_be16(probes[i] + 2));
        packet_view reply;
        g_assert_true(packet_parse(err, len, &reply));
        g_assert_cmpuint(reply.quote_icmp_type, ==, probes[i][20]);
        for (int t = 0; t < 3; t++) {
            packet_flow flow;
            uint32_t cookie;
            unsigned try_no = 99;
            reply_match m = scan_reply_key(types[t], &reply, &flow, &cookie);
            if (t != i) {
                g_assert_cmpint(m, ==, REPLY_NONE);
                /* Nor would the cookie name it. */
                g_assert_false(cookie_check_query(0x1234, &v[i].flow, scan_cookie_query(types[t]),
                                                  (uint32_t)v[i].icmp_id << 16 | v[i].icmp_seq,
                                                  &try_no));
                continue;
            }
            g_assert_cmpint(m, ==, REPLY_COOKIE);
            g_assert_true(packet_flow_equal(&flow, &v[i].flow));
            g_assert_true(scan_cookie_check(types[t], 0x1234, &flow, cookie, 0, false, &try_no));
            g_assert_cmpuint(try_no, ==, 1);
        }
    }
    /* The cookie scantrace gave -PP before it hashed the type. */
    unsigned try_no = 99;
    uint32_t old = cookie_make(0x1234, &v[1].flow, 2);
    g_assert_true(scan_cookie_check(&ping_timestamp, 0x1234, &v[1].flow, old, 0, false, &try_no));
    g_assert_cmpuint(try_no, ==, 2);
    g_assert_true(scan_cookie_is(&ping_timestamp, 0x1234, &v[1].flow, 2, old, 0xffffffffu));
    g_assert_false(scan_cookie_is(&ping_timestamp, 0x1234, &v[1].flow, 1, old, 0xffffffffu));
}

static void test_tcp_pings_are_not_port_probes(void)
{
    uint8_t buf[PROBE_MAX_LEN];
    probe_tag tag;
    packet_view syn = built(&ping_syn, 443, 0, buf);
    g_assert_true(scan_type_of_probe(&syn, &tag) == &ping_syn);
    packet_view ack = built(&ping_ack, 80, 0, buf);
    g_assert_true(scan_type_of_probe(&ack, &tag) == &ping_ack);
    packet_view port_syn = built(&scan_syn, 443, 0, buf);
    g_assert_true(scan_type_of_probe(&port_syn, &tag) == &scan_syn);
    g_assert_false(tag.discovery);
}

static void test_tcp_ping_replies(void)
{
    /* A RST to the ACK ping: seq = the probe's ack, as RFC 793 says. */
    uint8_t buf[PROBE_MAX_LEN];
    packet_view probe = built(&ping_ack, 80, 2, buf);
    uint8_t rst[40] = {0x45, 0, 0, 40};
    rst[9] = PACKET_TCP;
    put_be32(rst + 12, target4);
    put_be32(rst + 16, scanner4);
    put_be16(rst + 20, 80);
    put_be16(rst + 22, probe.flow.sport);
    put_be32(rst + 24, probe.ack);
    rst[32] = 5 << 4;
    rst[33] = TCP_RST;
    packet_view reply;
    g_assert_true(packet_parse(rst, sizeof rst, &reply));
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no;
    g_assert_cmpint(scan_reply_key(&ping_ack, &reply, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(cookie_check(0x1234, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, 2);
    verdict v;
    g_assert_true(ping_ack.judge(&reply, &v));
    g_assert_cmpstr(port_state_name(v.state), ==, "up");
    g_assert_cmpstr(reason_name(v.why), ==, "reset");
}

/* nmap's host discovery: port or protocol unreachable from the target proves it
 * up; other errors, or any from a router, are only a hint. */
static void test_ping_icmp_errors(void)
{
    uint8_t buf[PROBE_MAX_LEN], reply[128];
    probe_spec spec = {.flow = {scanner, target, 45000, 443, PACKET_TCP}, .scan_id = 0x1234};
    size_t len = scan_probe_build(&ping_syn, &spec, buf, sizeof buf);
    packet_view v;
    verdict out;
    g_assert_true(packet_parse(reply, reply_icmp_unreach(reply, &spec.flow, 3, buf, len), &v));
    g_assert_true(ping_syn.judge(&v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, "up");
    g_assert_cmpstr(reason_name(out.why), ==, "port-unreach");
    g_assert_true(packet_parse(reply, reply_icmp_unreach(reply, &spec.flow, 1, buf, len), &v));
    g_assert_false(ping_syn.judge(&v, &out));
    size_t n = reply_icmp_unreach(reply, &spec.flow, 3, buf, len);
    put_be32(reply + 12, target4 + 1); /* from someone else */
    g_assert_true(packet_parse(reply, n, &v));
    g_assert_false(ping_syn.judge(&v, &out));
}

/* -PO: a probe of each protocol carries the version 2 tag, which no other
 * ping type takes; a protocol unreachable quoting it and an answer in its own
 * protocol are nmap's proto-unreach and proto-response. */
static void test_proto_ping(void)
{
    uint8_t buf[PROBE_MAX_LEN], reply[128];
    const uint8_t protos[] = {PACKET_ICMP, 2, 4, PACKET_TCP, PACKET_UDP};
    for (size_t i = 0; i < G_N_ELEMENTS(protos); i++) {
        uint8_t proto = protos[i];
        gboolean ports = proto == PACKET_TCP || proto == PACKET_UDP;
        probe_spec spec = {
            .flow = {scanner, target, ports ? 45000 : 0, ping_proto_dport(proto), proto},
            .scan_id = 0x1234,
            .try_no = 2};
        size_t len = scan_probe_build(&ping_proto, &spec, buf, sizeof buf);
        g_assert_cmpuint(len, >, 20);
        g_assert_cmpuint(buf[9], ==, proto);
        packet_view v;
        g_assert_true(packet_parse(buf, len, &v));
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == &ping_proto);
        g_assert_true(tag.discovery);
        g_assert_cmpuint(tag.try_no, ==, 2);
        g_assert_cmpuint(tag.scan_code, ==, SCAN_CODE_PING_PROTO);
        /* Protocol unreachable (code 2) from the target: up. */
        packet_view err;
        verdict out;
        packet_flow flow;
        uint32_t cookie;
        g_assert_true(
            packet_parse(reply, reply_icmp_unreach(reply, &spec.flow, 2, buf, len), &err));
        g_assert_cmpint(scan_reply_key(&ping_proto, &err, &flow, &cookie), !=, REPLY_NONE);
        g_assert_cmpuint(flow.proto, ==, proto);
        g_assert_true(packet_addr_equal(&flow.dst, &target));
        g_assert_true(ping_proto.judge(&err, &out));
        g_assert_cmpstr(reason_name(out.why), ==, "proto-unreach");
        g_assert_cmpstr(port_state_name(out.state), ==, "up");
    }
    /* The ICMP one's echo reply: proto-response, its cookie naming the try; -PE
     * does not take the request for its own. */
    probe_spec spec = {
        .flow = {scanner, target, 0, 0, PACKET_ICMP}, .scan_id = 0x1234, .try_no = 2};
    size_t len = scan_probe_build(&ping_proto, &spec, buf, sizeof buf);
    packet_view v;
    probe_tag tag;
    g_assert_true(packet_parse(buf, len, &v));
    g_assert_false(ping_echo.recognise(&ping_echo, &v, &tag));
    g_assert_true(packet_parse(buf, icmp_reply(buf, len, ICMP_ECHO_REPLY), &v));
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no;
    g_assert_cmpint(scan_reply_key(&ping_proto, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(cookie_check(0x1234, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, 2);
    verdict out;
    g_assert_true(ping_proto.judge(&v, &out));
    g_assert_cmpstr(reason_name(out.why), ==, "proto-response");
}

/* An ICMPv6 error (type, code) from to about the probe it quotes whole. */
static size_t icmp6_error(uint8_t *p, const packet_addr *from, const packet_addr *to, uint8_t type,
                          uint8_t code, const uint8_t *probe, size_t probe_len)
{
    memset(p, 0, 48);
    p[0] = 0x60;
    put_be16(p + 4, (uint16_t)(8 + probe_len));
    p[6] = PACKET_ICMPV6;
    p[7] = 64;
    memcpy(p + 8, from->bytes, 16);
    memcpy(p + 24, to->bytes, 16);
    p[40] = type;
    p[41] = code;
    memcpy(p + 48, probe, probe_len);
    return 48 + probe_len;
}

/* -PO over IPv6 (nmap -6 -PO, seen in the lab): the next header is the
 * protocol; 58 is an ICMPv6 echo request, ICMP (1) goes bare. An echo reply
 * is proto-response and a UDP port unreachable port-unreach; a parameter
 * problem "unrecognized next header" decides nothing, so the host stays down
 * as in nmap. */
static void test_proto_ping6(void)
{
    packet_addr src = {{0}}, dst;
    src.bytes[0] = 0xfd;
    src.bytes[1] = 0x20;
    src.bytes[3] = 1;
    dst = src;
    src.bytes[15] = 1;
    dst.bytes[15] = 2;
    uint8_t buf[PROBE_MAX_LEN], reply[PROBE_MAX_LEN + 48];
    const uint8_t protos[] = {PACKET_ICMP, 2, 4, PACKET_TCP, PACKET_UDP, PACKET_ICMPV6};
    for (size_t i = 0; i < G_N_ELEMENTS(protos); i++) {
        uint8_t proto = protos[i];
        gboolean ports = proto == PACKET_TCP || proto == PACKET_UDP;
        probe_spec spec = {.flow = {src, dst, ports ? 45000 : 0, ping_proto_dport(proto), proto},
                           .scan_id = 0x1234,
                           .try_no = 1};
        size_t len = scan_probe_build(&ping_proto, &spec, buf, sizeof buf);
        g_assert_cmpuint(len, >, 40);
        g_assert_cmpuint(buf[0] >> 4, ==, 6);
        g_assert_cmpuint(buf[6], ==, proto);
        packet_view v;
        probe_tag tag;
        g_assert_true(packet_parse(buf, len, &v));
        g_assert_true(scan_type_of_probe(&v, &tag) == &ping_proto);
        g_assert_cmpuint(tag.scan_code, ==, SCAN_CODE_PING_PROTO);
        g_assert_true(tag.discovery);
        bool known;
        if (proto == PACKET_ICMPV6 || proto == PACKET_UDP || proto == PACKET_TCP) {
            g_assert_true(packet_transport_checksum_ok(buf, len, &v, &known));
            g_assert_true(known);
        }
        packet_view err;
        verdict out;
        packet_flow flow;
        uint32_t cookie;
        size_t n = icmp6_error(reply, &dst, &src, ICMPV6_PARAM_PROBLEM, 1, buf, len);
        g_assert_true(packet_parse(reply, n, &err));
        g_assert_false(ping_proto.judge(&err, &out));
        if (proto == PACKET_UDP) {
            n = icmp6_error(reply, &dst, &src, ICMPV6_UNREACH, 4, buf, len);
            g_assert_true(packet_parse(reply, n, &err));
            g_assert_cmpint(scan_reply_key(&ping_proto, &err, &flow, &cookie), !=, REPLY_NONE);
            g_assert_true(ping_proto.judge(&err, &out));
            g_assert_cmpstr(reason_name(out.why), ==, "port-unreach");
        }
        if (proto != PACKET_ICMPV6)
            continue;
        g_assert_false(ping_echo.recognise(&ping_echo, &v, &tag));
        /* The target's echo reply: addresses swapped, type 129. */
        memcpy(buf + 8, dst.bytes, 16);
        memcpy(buf + 24, src.bytes, 16);
        buf[40] = ICMPV6_ECHO_REPLY;
        g_assert_true(packet_parse(buf, len, &v));
        unsigned try_no;
        g_assert_cmpint(scan_reply_key(&ping_proto, &v, &flow, &cookie), ==, REPLY_COOKIE);
        g_assert_true(cookie_check(0x1234, &flow, cookie, &try_no));
        g_assert_cmpuint(try_no, ==, 1);
        g_assert_true(ping_proto.judge(&v, &out));
        g_assert_cmpstr(reason_name(out.why), ==, "proto-response");
    }
}

static void test_arp(void)
{
    static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
    uint8_t frame[ARP_FRAME_LEN];
    g_assert_cmpuint(arp_request_build(mac, scanner4, target4, 0x1234, 1, frame, sizeof frame), ==,
                     ARP_FRAME_LEN);
    arp_view request;
    g_assert_true(arp_parse(frame + 14, sizeof frame - 14, &request));
    g_assert_true(request.tagged);
    g_assert_cmpuint(request.tag.scan_id, ==, 0x1234);
    g_assert_cmpuint(request.tag.try_no, ==, 1);

    /* The target's kernel answers: is-at, sender = the address asked for. */
    uint8_t reply[28];
    memcpy(reply, frame + 14, 28);
    put_be16(reply + 6, ARP_REPLY);
    put_be32(reply + 14, target4);
    put_be32(reply + 24, scanner4);
    arp_view answer;
    g_assert_true(arp_parse(reply, sizeof reply, &answer));
    g_assert_false(answer.tagged);
    verdict v;
    g_assert_true(arp_answers(&request, &answer, &v));
    packet_flow asked = arp_probe_flow(&request), answered = arp_probe_flow(&answer);
    g_assert_true(packet_flow_equal(&asked, &answered));
    g_assert_cmpstr(port_state_name(v.state), ==, "up");
    g_assert_cmpstr(reason_name(v.why), ==, "arp-response");
    put_be32(reply + 14, target4 + 1); /* someone else's address */
    g_assert_true(arp_parse(reply, sizeof reply, &answer));
    g_assert_false(arp_answers(&request, &answer, &v));
    g_assert_false(arp_parse(reply, 27, &answer));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ping/echo", test_echo);
    g_test_add_func("/ping/timestamp", test_timestamp);
    g_test_add_func("/ping/query-errors", test_query_errors);
    g_test_add_func("/ping/tcp-pings-are-not-port-probes", test_tcp_pings_are_not_port_probes);
    g_test_add_func("/ping/tcp-ping-replies", test_tcp_ping_replies);
    g_test_add_func("/ping/arp", test_arp);
    g_test_add_func("/ping/proto", test_proto_ping);
    g_test_add_func("/ping/proto6", test_proto_ping6);
    g_test_add_func("/ping/icmp-errors", test_ping_icmp_errors);
    return g_test_run();
}
