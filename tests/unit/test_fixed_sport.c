/* nmap's matching of TCP replies to probes sent from -g's fixed source port
 * (common/fixed_sport_match.h; scan_engine_raw.cc, tcp_probe_match()): our
 * probes built with -g and --data-length, answered as a Linux stack answers a
 * closed port (RFC 793 section 3.9: a RST to a segment with ACK takes its ack
 * as sequence number; to one without, sequence number 0 and an ack of the
 * segment's sequence number plus its SYN, FIN and data). Which replies nmap
 * takes is what nmap 7.93 reported in the lab (scan_probe_options.sh, and by
 * hand for -sN/-sF/-sX/-sA/-sM/-sW with --data-length 1 and 30 and -g 53). */
#include <glib.h>

#include "cookie.h"
#include "fixed_sport_match.h"
#include "scan_type.h"
#include "tag.h"

static uint8_t bytes[30];

/* The RST a closed port sends to probe (RFC 793, "If the state is CLOSED"). */
static packet_view closed_port_rst(const packet_view *probe)
{
    packet_view rst = {0};
    rst.flow = packet_flow_reverse(&probe->flow);
    rst.tcp_flags = TCP_RST;
    if (probe->tcp_flags & TCP_ACK) {
        rst.seq = probe->ack;
    } else {
        rst.tcp_flags |= TCP_ACK;
        rst.ack = probe->seq + !!(probe->tcp_flags & TCP_SYN) + !!(probe->tcp_flags & TCP_FIN) +
                  (uint32_t)probe->payload_len;
    }
    return rst;
}

static packet_view build(const scan_type *type, size_t data_len, bool fixed, uint8_t try_no)
{
    static uint8_t buf[PROBE_MAX_LEN];
    probe_extras ex = {.ttl = -1,
                       .data_set = data_len > 0,
                       .data = bytes,
                       .data_len = data_len,
                       .fixed_sport = fixed};
    probe_spec spec = {.flow = {packet_addr_from_ipv4(0x0ac90001),
                                packet_addr_from_ipv4(0x0ac90002), 53, 23, PACKET_TCP},
                       .scan_id = 0x5eed,
                       .try_no = try_no,
                       .extras = &ex};
    size_t len = scan_probe_build(type, &spec, buf, sizeof buf);
    g_assert_cmpuint(len, >, 0);
    packet_view pkt;
    g_assert_true(packet_parse(buf, len, &pkt));
    g_assert_cmpuint(pkt.payload_len, ==, data_len);
    /* The tag says -g, and the number nmap looks for is our cookie. */
    probe_tag tag;
    g_assert_true(scan_type_of_probe(&pkt, &tag) == type);
    g_assert_true(tag.fixed_sport == fixed);
    g_assert_cmphex(fixed_sport_probe_number(pkt.tcp_flags, pkt.seq, pkt.ack), ==,
                    cookie_make(spec.scan_id, &spec.flow, try_no));
    return pkt;
}

static void test_closed_port_rst(void)
{
    static const struct {
        const scan_type *type;
        size_t data_len;
        bool nmap_takes; /* nmap 7.93's report: closed/unfiltered, or no-response */
    } rows[] = {
        {&scan_syn, 0, true},     {&scan_syn, 1, false},    {&scan_syn, 30, false},
        {&scan_null, 0, true},    {&scan_null, 1, true},    {&scan_null, 30, false},
        {&scan_fin, 0, true},     {&scan_fin, 1, false},    {&scan_fin, 30, false},
        {&scan_xmas, 0, true},    {&scan_xmas, 30, false},  {&scan_ack, 30, true},
        {&scan_maimon, 30, true}, {&scan_window, 30, true}, {&ping_syn, 30, false},
        {&ping_ack, 30, true},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(rows); i++) {
        packet_view probe = build(rows[i].type, rows[i].data_len, true, 1);
        packet_view rst = closed_port_rst(&probe);
        uint32_t number = fixed_sport_probe_number(probe.tcp_flags, probe.seq, probe.ack);
        if (fixed_sport_nmap_matches(number, &rst) != rows[i].nmap_takes)
            g_error("%s with %zu bytes: nmap %s its RST", rows[i].type->name, rows[i].data_len,
                    rows[i].nmap_takes ? "takes" : "does not take");
        /* The note's figure: the SYN or FIN and the data. */
        if (!(probe.tcp_flags & TCP_ACK))
            g_assert_cmpuint(fixed_sport_ack_offset(number, &rst), ==,
                             rows[i].data_len + !!(probe.tcp_flags & (TCP_SYN | TCP_FIN)) +
                                 ((probe.tcp_flags & TCP_SYN) && (probe.tcp_flags & TCP_FIN)));
    }
}

/* An open port's SYN-ACK acknowledges the SYN alone (Linux takes no data with
 * a SYN but with TCP Fast Open): nmap takes it, data or none. */
static void test_syn_ack(void)
{
    packet_view probe = build(&scan_syn, 30, true, 0);
    packet_view synack = {0};
    synack.flow = packet_flow_reverse(&probe.flow);
    synack.tcp_flags = TCP_SYN | TCP_ACK;
    synack.seq = 0x12345678;
    synack.ack = probe.seq + 1;
    g_assert_true(fixed_sport_nmap_matches(probe.seq, &synack));
    /* One that acknowledges the data too, as a RST does, is not taken. */
    synack.ack += 30;
    g_assert_false(fixed_sport_nmap_matches(probe.seq, &synack));
}

/* ICMP errors are matched by the quoted sequence number, not by this rule;
 * nor is anything but TCP. Without -g, no tag bit. */
static void test_not_tcp(void)
{
    packet_view probe = build(&scan_syn, 0, true, 0);
    packet_view err = closed_port_rst(&probe);
    err.has_quote = true;
    g_assert_false(fixed_sport_nmap_matches(probe.seq, &err));
    packet_view udp = {0};
    udp.flow.proto = PACKET_UDP;
    g_assert_false(fixed_sport_nmap_matches(0, &udp));
    build(&scan_syn, 30, false, 0);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (uint8_t)(i * 37 + 11);
    g_test_add_func("/fixed_sport/closed_port_rst", test_closed_port_rst);
    g_test_add_func("/fixed_sport/syn_ack", test_syn_ack);
    g_test_add_func("/fixed_sport/not_tcp", test_not_tcp);
    return g_test_run();
}
