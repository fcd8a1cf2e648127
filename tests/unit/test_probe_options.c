/* nmap's probe options on the wire, for every raw probe type over IPv4 and
 * IPv6: --ttl's TTL or hop limit, --data-length's bytes (after TCP options,
 * after an echo's tag, in place of a UDP request), --badsum's checksum one
 * off; every probe still carries its tag and checks its cookie, and a RST
 * acknowledging the data still names its try. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "crc32c.h"
#include "scan_type.h"

static const uint8_t data[5] = {0xde, 0xad, 0xbe, 0xef, 0x01};

static packet_addr addr6(uint8_t last)
{
    packet_addr a = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, last}};
    return a;
}

static void check_type(const scan_type *type, bool v6)
{
    packet_addr us = v6 ? addr6(1) : packet_addr_from_ipv4(0x0ac90001);
    packet_addr them = v6 ? addr6(2) : packet_addr_from_ipv4(0x0ac90002);
    bool icmp = type->ip_proto == PACKET_ICMP;
    uint8_t proto = icmp && v6 ? PACKET_ICMPV6 : type->ip_proto;
    for (int badsum = 0; badsum < 2; badsum++) {
        probe_extras ex = {
            .ttl = 33, .data_set = true, .data = data, .data_len = sizeof data, .badsum = badsum};
        probe_spec spec = {.flow = {us, them, icmp ? 0 : 53, icmp ? 0 : 161, proto},
                           .scan_id = 0x5eed,
                           .try_no = 3,
                           .extras = &ex};
        uint8_t buf[PROBE_MAX_LEN];
        size_t len = scan_probe_build(type, &spec, buf, sizeof buf);
        if (v6 && (type == &ping_timestamp || type == &ping_mask)) {
            g_assert_cmpuint(len, ==, 0);
            return;
        }
        g_assert_cmpuint(len, >, 0);
        packet_view pkt;
        g_assert_true(packet_parse(buf, len, &pkt));
        g_assert_cmpuint(pkt.ttl, ==, 33);
        if (!icmp)
            g_assert_cmpuint(pkt.flow.sport, ==, spec.flow.sport);
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&pkt, &tag) == type);
        g_assert_cmpuint(tag.try_no, ==, 3);
        g_assert_cmphex(tag.scan_id, ==, 0x5eed);
        bool known;
        bool ok = packet_transport_checksum_ok(buf, len, &pkt, &known);
        if (type->ip_proto == PACKET_SCTP) {
            /* CRC32c, not the Internet checksum: not told there; checked
             * here. No data (nmap appends none to its SCTP chunks either). */
            g_assert_false(known);
            size_t at = v6 ? 40 : 20;
            uint8_t copy[PROBE_MAX_LEN];
            memcpy(copy, buf + at, len - at);
            sctp_checksum_set(copy, len - at);
            g_assert_true((memcmp(copy + 8, buf + at + 8, 4) == 0) == !badsum);
            continue;
        }
        g_assert_true(known);
        g_assert_true(ok == !badsum);
        /* The data: last in TCP probes and echoes, after the tag in UDP's; a
         * timestamp request gets none, as nmap's. */
        if (type == &ping_timestamp || type == &ping_mask) {
            g_assert_cmpuint(pkt.payload_len, ==,
                             (type == &ping_mask ? 4 : 12) + TAG_TCP_OPTION_LEN);
            continue;
        }
        g_assert_cmpuint(pkt.payload_len, >=, sizeof data);
        g_assert_cmpmem(pkt.payload + pkt.payload_len - sizeof data, sizeof data, data,
                        sizeof data);
        if (type->ip_proto == PACKET_UDP)
            g_assert_cmpuint(pkt.payload_len, ==, TAG_TCP_OPTION_LEN + sizeof data);
        if (type->ip_proto == PACKET_TCP && !(type->tcp_flags & TCP_ACK)) {
            /* A RST acknowledges the SYN or FIN and the data. */
            uint32_t acked = pkt.seq + !!(type->tcp_flags & TCP_SYN) +
                             !!(type->tcp_flags & TCP_FIN) + (uint32_t)sizeof data;
            unsigned try_no = 99;
            g_assert_true(cookie_check_acked(spec.scan_id, &spec.flow,
                                             acked - !!(type->tcp_flags & TCP_SYN) -
                                                 !!(type->tcp_flags & TCP_FIN),
                                             sizeof data, true, &try_no));
            g_assert_cmpuint(try_no, ==, 3);
            /* A SYN-ACK acknowledges the SYN alone. */
            try_no = 99;
            g_assert_true(
                cookie_check_acked(spec.scan_id, &spec.flow, pkt.seq, sizeof data, false, &try_no));
            g_assert_cmpuint(try_no, ==, 3);
        }
    }
}

static void test_every_type(void)
{
    const scan_type *const *const lists[] = {scan_types, ping_types};
    for (int v6 = 0; v6 < 2; v6++)
        for (size_t l = 0; l < 2; l++)
            for (size_t i = 0; lists[l][i]; i++)
                /* The kernel builds -sT's; -PO's protocol is the flow's
                 * (test_proto_ping). */
                if (lists[l][i]->build && !lists[l][i]->any_ip_proto)
                    check_type(lists[l][i], v6);
}

/* -PO's probes (IPv4 only): the TTL, the data after the tag (after the TCP
 * options for TCP), a bad checksum where the protocol has one. */
static void test_proto_ping(void)
{
    const uint8_t protos[] = {PACKET_ICMP, 4, PACKET_TCP, PACKET_UDP};
    for (size_t i = 0; i < G_N_ELEMENTS(protos); i++)
        for (int badsum = 0; badsum < 2; badsum++) {
            uint8_t proto = protos[i];
            bool ports = proto == PACKET_TCP || proto == PACKET_UDP;
            probe_extras ex = {.ttl = 33,
                               .data_set = true,
                               .data = data,
                               .data_len = sizeof data,
                               .badsum = badsum};
            probe_spec spec = {.flow = {packet_addr_from_ipv4(0x0ac90001),
                                        packet_addr_from_ipv4(0x0ac90002), ports ? 53 : 0,
                                        ping_proto_dport(proto), proto},
                               .scan_id = 0x5eed,
                               .try_no = 3,
                               .extras = &ex};
            uint8_t buf[PROBE_MAX_LEN];
            size_t len = scan_probe_build(&ping_proto, &spec, buf, sizeof buf);
            packet_view pkt;
            g_assert_true(packet_parse(buf, len, &pkt));
            g_assert_cmpuint(pkt.ttl, ==, 33);
            probe_tag tag;
            const scan_type *t = scan_type_of_probe(&pkt, &tag);
            g_assert_true(t == &ping_proto);
            g_assert_cmpuint(tag.try_no, ==, 3);
            g_assert_cmpmem(buf + len - sizeof data, sizeof data, data, sizeof data);
            bool known;
            bool ok = packet_transport_checksum_ok(buf, len, &pkt, &known);
            g_assert_true(known == (proto != 4));
            if (known)
                g_assert_true(ok == !badsum);
        }
}

/* Without extras: TTL 64, nothing appended, checksums right, as before. */
static void test_defaults(void)
{
    probe_spec spec = {.flow = {packet_addr_from_ipv4(0x0ac90001),
                                packet_addr_from_ipv4(0x0ac90002), 41000, 22, PACKET_TCP},
                       .scan_id = 1};
    uint8_t buf[PROBE_MAX_LEN];
    size_t len = scan_probe_build(&scan_syn, &spec, buf, sizeof buf);
    packet_view pkt;
    g_assert_true(packet_parse(buf, len, &pkt));
    g_assert_cmpuint(pkt.ttl, ==, 64);
    g_assert_cmpuint(pkt.payload_len, ==, 0);
    bool known;
    g_assert_true(packet_transport_checksum_ok(buf, len, &pkt, &known));
    g_assert_true(known);
    /* --data-length 0: a UDP probe is its tag alone, no DNS query. */
    probe_extras ex = {.ttl = -1, .data_set = true};
    probe_spec udp = {
        .flow = {spec.flow.src, spec.flow.dst, 41000, 53, PACKET_UDP}, .scan_id = 1, .extras = &ex};
    len = scan_probe_build(&scan_udp, &udp, buf, sizeof buf);
    g_assert_true(packet_parse(buf, len, &pkt));
    g_assert_cmpuint(pkt.payload_len, ==, TAG_TCP_OPTION_LEN);
    g_assert_cmpuint(pkt.ttl, ==, 64);
    /* A UDP sum of 0 would mean none: --badsum's is never 0, nor right. */
    buf[len - 1] ^= 0x55;
    g_assert_true(packet_parse(buf, len, &pkt));
    g_assert_false(packet_transport_checksum_ok(buf, len, &pkt, &known));
    g_assert_true(known);
    /* Cut short: cannot be told. */
    g_assert_true(packet_parse(buf, len - 2, &pkt));
    g_assert_false(packet_transport_checksum_ok(buf, len - 2, &pkt, &known));
    g_assert_false(known);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/probe-options/proto-ping", test_proto_ping);
    g_test_add_func("/probe-options/every-type", test_every_type);
    g_test_add_func("/probe-options/defaults", test_defaults);
    return g_test_run();
}
