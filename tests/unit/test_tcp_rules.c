/* The TCP scan types' rules, end to end on bytes: a probe is built, recognised, and
 * each kind of reply a real stack sends is attributed to it and judged as nmap
 * judges it. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "scan_type.h"
#include "support/replies.h"

static const probe_spec spec = {
    .flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001), PACKET_ADDR_IPV4_INIT(0x0ac90002), 41000, 3389,
             PACKET_TCP},
    .scan_id = 0xcafef00d,
    .try_no = 1,
};

/* A reply from the target's TCP stack to the probe. */
static size_t tcp_reply(uint8_t *p, uint8_t flags, uint32_t seq, uint32_t ack)
{
    size_t n = reply_ip_header(p, spec.flow.dst, spec.flow.src, PACKET_TCP, 20);
    uint8_t *t = p + n;
    memset(t, 0, 20);
    put_be16(t, spec.flow.dport);
    put_be16(t + 2, spec.flow.sport);
    put_be32(t + 4, seq);
    put_be32(t + 8, ack);
    t[12] = 5 << 4;
    t[13] = flags;
    return n + 20;
}

/* RFC 793's reset: to a segment with ACK, seq = its ack; else ack = its seq + the
 * octets SYN and FIN occupy. */
static size_t rst_reply(uint8_t *p, const packet_view *probe)
{
    if (probe->tcp_flags & TCP_ACK)
        return tcp_reply(p, TCP_RST, probe->ack, 0);
    uint32_t len = !!(probe->tcp_flags & TCP_SYN) + !!(probe->tcp_flags & TCP_FIN);
    return tcp_reply(p, TCP_RST | TCP_ACK, 0, probe->seq + len);
}

static verdict judge_bytes(const scan_type *type, const uint8_t *bytes, size_t len,
                           unsigned *try_no)
{
    packet_view reply;
    g_assert_true(packet_parse(bytes, len, &reply));
    packet_flow probe_flow;
    uint32_t seq;
    g_assert_cmpint(scan_reply_key(type, &reply, &probe_flow, &seq), ==, REPLY_COOKIE);
    g_assert_true(packet_flow_equal(&probe_flow, &spec.flow));
    g_assert_true(cookie_check(spec.scan_id, &probe_flow, seq, try_no));
    verdict v = {0};
    g_assert_true(type->judge(&reply, &v));
    return v;
}

static const struct {
    const scan_type *type;
    const char *rst_state, *rst_reason, *silent_state;
} rules[] = {
    {&scan_syn, "closed", "reset", "filtered"},
    {&scan_ack, "unfiltered", "reset", "filtered"},
    {&scan_fin, "closed", "reset", "open|filtered"},
    {&scan_null, "closed", "reset", "open|filtered"},
    {&scan_xmas, "closed", "reset", "open|filtered"},
};

static void test_probe_recognised(void)
{
    for (size_t r = 0; r < G_N_ELEMENTS(rules); r++) {
        const scan_type *type = rules[r].type;
        uint8_t probe[PROBE_MAX_LEN];
        size_t len = scan_probe_build(type, &spec, probe, sizeof probe);
        g_assert_cmpuint(len, ==, 56);
        packet_view v;
        g_assert_true(packet_parse(probe, len, &v));
        g_assert_cmpuint(packet_checksum(probe, 20, 0), ==, 0);
        uint32_t pseudo = packet_pseudo_sum(&v.flow.src, &v.flow.dst, PACKET_TCP, 36);
        g_assert_cmpuint(packet_checksum(probe + 20, 36, pseudo), ==, 0);
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == type);
        g_assert_cmpuint(tag.scan_id, ==, spec.scan_id);
        g_assert_cmpuint(tag.try_no, ==, spec.try_no);
        g_assert_cmpuint(v.seq, ==, cookie_make(spec.scan_id, &spec.flow, spec.try_no));
        g_assert_false(scan_is_teardown(type, &v));
        g_assert_cmpuint(get_be16(probe + 4), ==, v.seq & 0xffff); /* IP ID */
        g_assert_true(scan_type_by_option(type->option) == type);
        g_assert_true(scan_type_by_name(type->name) == type);
    }
}

static void test_syn_ack_open(void)
{
    uint8_t reply[128];
    uint32_t ack = cookie_make(spec.scan_id, &spec.flow, spec.try_no) + 1;
    unsigned try_no;
    verdict v =
        judge_bytes(&scan_syn, reply, tcp_reply(reply, TCP_SYN | TCP_ACK, 999, ack), &try_no);
    g_assert_cmpstr(port_state_name(v.state), ==, "open");
    g_assert_cmpstr(reason_name(v.why), ==, "syn-ack");
    g_assert_cmpuint(try_no, ==, spec.try_no);
}

static void test_replies_judged(void)
{
    static const struct {
        uint8_t code;
        const char *reason;
    } unreach[] = {{0, "net-unreach"},      {1, "host-unreach"},   {2, "proto-unreach"},
                   {3, "port-unreach"},     {9, "net-prohibited"}, {10, "host-prohibited"},
                   {13, "admin-prohibited"}};
    for (size_t r = 0; r < G_N_ELEMENTS(rules); r++) {
        const scan_type *type = rules[r].type;
        uint8_t probe[PROBE_MAX_LEN], reply[128];
        size_t probe_len = scan_probe_build(type, &spec, probe, sizeof probe);
        packet_view pv;
        g_assert_true(packet_parse(probe, probe_len, &pv));
        unsigned try_no = 99;

        verdict v = judge_bytes(type, reply, rst_reply(reply, &pv), &try_no);
        g_assert_cmpstr(port_state_name(v.state), ==, rules[r].rst_state);
        g_assert_cmpstr(reason_name(v.why), ==, rules[r].rst_reason);
        g_assert_cmpuint(try_no, ==, spec.try_no);

        for (size_t i = 0; i < G_N_ELEMENTS(unreach); i++) {
            v = judge_bytes(
                type, reply,
                reply_icmp_unreach(reply, &spec.flow, unreach[i].code, probe, probe_len), &try_no);
            g_assert_cmpstr(port_state_name(v.state), ==, "filtered");
            g_assert_cmpstr(reason_name(v.why), ==, unreach[i].reason);
            g_assert_cmpuint(try_no, ==, spec.try_no);
        }
        g_assert_cmpstr(port_state_name(type->silent.state), ==, rules[r].silent_state);
        g_assert_cmpstr(reason_name(type->silent.why), ==, "no-response");
    }
}

static void test_teardown(void)
{
    /* Our kernel's RST after a SYN-ACK: on the probe's flow, no tag, no SYN. */
    uint8_t pkt[64];
    size_t n = reply_ip_header(pkt, spec.flow.src, spec.flow.dst, PACKET_TCP, 20);
    memset(pkt + n, 0, 20);
    put_be16(pkt + n, spec.flow.sport);
    put_be16(pkt + n + 2, spec.flow.dport);
    pkt[n + 12] = 5 << 4;
    pkt[n + 13] = TCP_RST;
    packet_view v;
    g_assert_true(packet_parse(pkt, n + 20, &v));
    g_assert_true(scan_is_teardown(&scan_syn, &v));
    probe_tag tag;
    g_assert_null(scan_type_of_probe(&v, &tag));
}

/* nmap's other answers to a SYN: a bare SYN (split handshake) opens the port,
 * time exceeded filters it, unreachable codes it does not name say nothing; a
 * quote cut short of the sequence number still ties by its ports. */
static void test_real_world_replies(void)
{
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    size_t probe_len = scan_probe_build(&scan_syn, &spec, probe, sizeof probe);
    packet_view v;
    verdict out;
    g_assert_true(packet_parse(reply, tcp_reply(reply, TCP_SYN, 777, 0), &v));
    g_assert_true(scan_syn.judge(&v, &out));
    g_assert_cmpstr(reason_name(out.why), ==, "split-handshake-syn");
    g_assert_cmpint(out.state, ==, PORT_OPEN);

    size_t len = reply_icmp_unreach(reply, &spec.flow, 0, probe, probe_len);
    reply[20] = ICMP_TIME_EXCEEDED;
    g_assert_true(packet_parse(reply, len, &v));
    g_assert_true(scan_syn.judge(&v, &out));
    g_assert_cmpstr(reason_name(out.why), ==, "time-exceeded");
    g_assert_cmpint(out.state, ==, PORT_FILTERED);

    len = reply_icmp_unreach(reply, &spec.flow, 4, probe, probe_len);
    g_assert_true(packet_parse(reply, len, &v));
    g_assert_false(scan_syn.judge(&v, &out));

    /* Cut after the quoted ports (a 64-byte snapshot of an Ethernet frame). */
    len = reply_icmp_unreach(reply, &spec.flow, 13, probe, probe_len);
    g_assert_true(packet_parse(reply, 20 + 8 + 20 + 4, &v));
    g_assert_true(v.has_quote && !v.quote_has_word);
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&scan_syn, &v, &flow, &cookie), ==, REPLY_FLOW);
    g_assert_true(packet_flow_equal(&flow, &spec.flow));
}

static void test_stray_reply_rejected(void)
{
    uint8_t reply[128];
    packet_view v;
    packet_flow probe_flow;
    uint32_t seq;
    unsigned try_no;
    size_t len = tcp_reply(reply, TCP_SYN | TCP_ACK, 1, 12345);
    g_assert_true(packet_parse(reply, len, &v));
    g_assert_cmpint(scan_reply_key(&scan_syn, &v, &probe_flow, &seq), ==, REPLY_COOKIE);
    g_assert_false(cookie_check(spec.scan_id, &probe_flow, seq, &try_no));
}

static void test_malformed_never_parsed(void)
{
    uint8_t probe[PROBE_MAX_LEN];
    size_t len = scan_probe_build(&scan_syn, &spec, probe, sizeof probe);
    packet_view v;
    for (size_t cut = 0; cut < 40; cut++)
        g_assert_false(packet_parse(probe, cut, &v));
    probe[32] = 0xf0; /* TCP data offset beyond the packet */
    g_assert_false(packet_parse(probe, len, &v));
    probe[0] = 0x65; /* IPv6 version nibble */
    g_assert_false(packet_parse(probe, len, &v));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tcp/probe-recognised", test_probe_recognised);
    g_test_add_func("/tcp/syn-ack-open", test_syn_ack_open);
    g_test_add_func("/tcp/replies-judged", test_replies_judged);
    g_test_add_func("/tcp/teardown", test_teardown);
    g_test_add_func("/tcp/stray-reply-rejected", test_stray_reply_rejected);
    g_test_add_func("/tcp/real-world-replies", test_real_world_replies);
    g_test_add_func("/tcp/malformed-never-parsed", test_malformed_never_parsed);
    return g_test_run();
}
