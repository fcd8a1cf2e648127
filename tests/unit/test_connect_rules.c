/* The connect scan's and the connect ping's rules: what the kernel reports to a
 * socket (an errno) and what the packets say (for the plugin) must give the
 * verdicts nmap 7.93 gives, which only ever sees the errno. */
#include <errno.h>
#include <glib.h>
#include <string.h>

#include "scan_type.h"
#include "support/replies.h"

static const packet_flow flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001),
                                 PACKET_ADDR_IPV4_INIT(0x0ac90002), CONNECT_PORT_FIRST + 7, 3389,
                                 PACKET_TCP};

/* The kernel's SYN for a connect() made through a tagged socket. */
static size_t kernel_syn(uint8_t *p, uint8_t tos)
{
    size_t n = reply_ip_header(p, flow.src, flow.dst, PACKET_TCP, 20);
    p[1] = tos;
    memset(p + n, 0, 20);
    put_be16(p + n, flow.sport);
    put_be16(p + n + 2, flow.dport);
    put_be32(p + n + 4, 0x12345678);
    p[n + 12] = 5 << 4;
    p[n + 13] = TCP_SYN;
    return n + 20;
}

static size_t tcp_answer(uint8_t *p, uint8_t flags)
{
    size_t n = reply_ip_header(p, flow.dst, flow.src, PACKET_TCP, 20);
    memset(p + n, 0, 20);
    put_be16(p + n, flow.dport);
    put_be16(p + n + 2, flow.sport);
    put_be32(p + n + 8, 0x12345679);
    p[n + 12] = 5 << 4;
    p[n + 13] = flags;
    return n + 20;
}

static void assert_verdict(bool said, verdict v, const char *state, const char *why)
{
    g_assert_true(said);
    g_assert_cmpstr(port_state_name(v.state), ==, state);
    g_assert_cmpstr(reason_name(v.why), ==, why);
}

static void test_errno(void)
{
    static const struct {
        int err;
        const char *state, *why;
    } cases[] = {
        {0, "open", "syn-ack"},
        {ECONNREFUSED, "closed", "conn-refused"},
        {EHOSTUNREACH, "filtered", "host-unreach"},
        {ENETUNREACH, "filtered", "net-unreach"},
        {EACCES, "filtered", "admin-prohibited"},
        {ENOPROTOOPT, "filtered", "proto-unreach"},
        {ETIMEDOUT, "filtered", "no-response"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        verdict v;
        assert_verdict(scan_connect.judge_errno(cases[i].err, &v), v, cases[i].state, cases[i].why);
    }
    verdict v;
    g_assert_false(scan_connect.judge_errno(EINPROGRESS, &v));
    g_assert_false(scan_connect.judge_errno(EMSGSIZE, &v));
}

/* The lab's 3389 rejects with admin-prohibited: a raw scan says so, but a socket
 * only gets EHOSTUNREACH, and nmap -sT reports host-unreach. */
static void test_packets(void)
{
    uint8_t probe[64], reply[128];
    size_t probe_len = kernel_syn(probe, CONNECT_TAG_TOS);
    packet_view v;
    verdict out;
    static const struct {
        uint8_t code;
        const char *state, *why;
    } unreach[] = {
        {0, "filtered", "net-unreach"},   {1, "filtered", "host-unreach"},
        {3, "closed", "conn-refused"},    {10, "filtered", "host-unreach"},
        {13, "filtered", "host-unreach"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(unreach); i++) {
        g_assert_true(packet_parse(
            reply, reply_icmp_unreach(reply, &flow, unreach[i].code, probe, probe_len), &v));
        packet_flow probe_flow;
        uint32_t cookie;
        g_assert_cmpint(scan_reply_key(&scan_connect, &v, &probe_flow, &cookie), ==, REPLY_FLOW);
        g_assert_true(packet_flow_equal(&probe_flow, &flow));
        assert_verdict(scan_connect.judge(&v, &out), out, unreach[i].state, unreach[i].why);
    }
    /* Fragmentation needed: the attempt goes on. */
    g_assert_true(packet_parse(reply, reply_icmp_unreach(reply, &flow, 4, probe, probe_len), &v));
    g_assert_false(scan_connect.judge(&v, &out));
    g_assert_true(packet_parse(reply, tcp_answer(reply, TCP_SYN | TCP_ACK), &v));
    assert_verdict(scan_connect.judge(&v, &out), out, "open", "syn-ack");
    g_assert_true(packet_parse(reply, tcp_answer(reply, TCP_RST | TCP_ACK), &v));
    assert_verdict(scan_connect.judge(&v, &out), out, "closed", "conn-refused");
}

/* Without privileges nmap pings with connect(): accepted or refused is a host
 * up, an ICMP error a host down. Its SYNs carry their own TOS tag. */
static void test_connect_ping(void)
{
    verdict v;
    assert_verdict(ping_connect.judge_errno(0, &v), v, "up", "syn-ack");
    assert_verdict(ping_connect.judge_errno(ECONNREFUSED, &v), v, "up", "conn-refused");
    assert_verdict(ping_connect.judge_errno(EHOSTUNREACH, &v), v, "down", "host-unreach");
    g_assert_false(ping_connect.judge_errno(EINPROGRESS, &v));
    g_assert_cmpstr(port_state_name(ping_connect.silent.state), ==, "down");

    uint8_t syn[64];
    packet_view p;
    probe_tag tag;
    g_assert_true(packet_parse(syn, kernel_syn(syn, CONNECT_PING_TAG_TOS), &p));
    g_assert_true(scan_type_of_probe(&p, &tag) == &ping_connect);
    g_assert_true(tag.discovery);
    g_assert_true(packet_parse(syn, kernel_syn(syn, CONNECT_TAG_TOS), &p));
    g_assert_true(scan_type_of_probe(&p, &tag) == &scan_connect);
    g_assert_false(tag.discovery);

    uint8_t reply[64];
    g_assert_true(packet_parse(reply, tcp_answer(reply, TCP_RST | TCP_ACK), &p));
    assert_verdict(ping_connect.judge(&p, &v), v, "up", "conn-refused");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/connect/errno", test_errno);
    g_test_add_func("/connect/packets", test_packets);
    g_test_add_func("/connect/ping", test_connect_ping);
    return g_test_run();
}
