/* The normal report against nmap 7.93's own words for the same results, and the
 * pieces that feed it (RTT estimation, link-layer offsets). */
#include <glib.h>
#include <pcap/pcap.h>
#include <string.h>

#include "link.h"
#include "report_normal.h"
#include "report_xml.h"
#include "rtt.h"

/* 87 ports as nmap 7.93 found them in a lab: 20-30 closed but 22, 80 and 443
 * open, 42 dropped, 31 admin-prohibited, one host-unreachable. */
static const char nmap_text[] =
    "Scan report for 10.202.0.2\n"
    "Host is up, received user-set (0.0000070s latency).\n"
    "Not shown: 42 filtered tcp ports (no-response), 31 filtered tcp ports (admin-prohibited), "
    "1 filtered tcp ports (host-unreach)\n"
    "PORT    STATE  SERVICE   REASON\n"
    "20/tcp  closed ftp-data  reset ttl 64\n"
    "21/tcp  closed ftp       reset ttl 64\n"
    "22/tcp  open   ssh       syn-ack ttl 64\n"
    "23/tcp  closed telnet    reset ttl 64\n"
    "24/tcp  closed priv-mail reset ttl 64\n"
    "25/tcp  closed smtp      reset ttl 64\n"
    "26/tcp  closed rsftp     reset ttl 64\n"
    "27/tcp  closed nsw-fe    reset ttl 64\n"
    "28/tcp  closed unknown   reset ttl 64\n"
    "29/tcp  closed msg-icp   reset ttl 64\n"
    "30/tcp  closed unknown   reset ttl 64\n"
    "80/tcp  open   http      syn-ack ttl 64\n"
    "443/tcp open   https     syn-ack ttl 64\n"
    "\n";

static void lab_results(GArray *ports, GArray *results)
{
    for (guint p = 1; p < 65536; p++) {
        port_result r = {0};
        if ((p >= 20 && p <= 30) || p == 80 || p == 443)
            r = (port_result){p == 22 || p == 80 || p == 443 ? PORT_OPEN : PORT_CLOSED,
                              p == 22 || p == 80 || p == 443 ? REASON_SYN_ACK : REASON_RESET, 64};
        else if (p == 8080 || p == 8443 || (p >= 9000 && p <= 9039))
            r = (port_result){PORT_FILTERED, REASON_NO_RESPONSE, 0};
        else if (p == 3389 || (p >= 7000 && p <= 7029))
            r = (port_result){PORT_FILTERED, REASON_ADMIN_PROHIBITED, 64};
        else if (p == 5900)
            r = (port_result){PORT_FILTERED, REASON_HOST_UNREACH, 64};
        else
            continue;
        guint16 port = (guint16)p;
        g_array_append_val(ports, port);
        g_array_append_val(results, r);
    }
}

static void test_normal_matches_nmap(void)
{
    g_autoptr(GArray) ports = g_array_new(FALSE, FALSE, sizeof(guint16));
    g_autoptr(GArray) results = g_array_new(FALSE, FALSE, sizeof(port_result));
    lab_results(ports, results);
    g_assert_cmpuint(ports->len, ==, 87);
    /* Names like nsw-fe (27) are beyond the built-in top 1000. */
    services *svc = services_load(SERVICES_NMAP_PATH, NULL);
    if (svc == NULL) {
        g_test_skip("nmap-services not installed");
        return;
    }
    probe_plan *plan = probe_plan_new();
    probe_plan_add(plan, &scan_syn, 40000, (const uint16_t *)ports->data, ports->len);
    report_context ctx = {.plan = plan, .svc = svc, .reason = TRUE};
    host_result h = {.addr = PACKET_ADDR_IPV4_INIT(0x0aca0002),
                     .status = {HOST_UP, REASON_USER_SET, 0},
                     .ports = (port_result *)results->data};
    rtt_init(&h.rtt);
    h.rtt.srtt = 7;
    g_autoptr(GString) out = g_string_new(NULL);
    report_normal_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==, nmap_text);
    probe_plan_free(plan);
    services_free(svc);
}

static void test_all_ignored(void)
{
    guint16 ports[30];
    port_result results[30];
    for (guint i = 0; i < 30; i++) {
        ports[i] = (guint16)(i + 1);
        results[i] = (port_result){PORT_CLOSED, REASON_RESET, 64};
    }
    services *svc = services_builtin();
    probe_plan *plan = probe_plan_new();
    probe_plan_add(plan, &scan_syn, 40000, ports, 30);
    report_context ctx = {.plan = plan, .svc = svc};
    host_result h = {.addr = PACKET_ADDR_IPV4_INIT(0x7f000001),
                     .name = (char *)"localhost",
                     .status = {HOST_UP, REASON_LOCALHOST_RESPONSE, 0},
                     .ports = results};
    rtt_init(&h.rtt);
    g_autoptr(GString) out = g_string_new(NULL);
    report_normal_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==,
                    "Scan report for localhost (127.0.0.1)\n"
                    "Host is up.\n"
                    "All 30 scanned ports on localhost (127.0.0.1) are in ignored states.\n"
                    "Not shown: 30 closed tcp ports (reset)\n"
                    "\n");
    probe_plan_free(plan);
    services_free(svc);
}

/* nmap 7.93, -sS -sU -p 1-40 in the lab, every port closed: equal counts of
 * two protocols come out UDP first. */
static void test_two_protocols_folded(void)
{
    guint16 ports[40];
    port_result tcp[40], udp[40], all[80];
    for (guint i = 0; i < 40; i++) {
        ports[i] = (guint16)(i + 1);
        tcp[i] = (port_result){PORT_CLOSED, REASON_RESET, 64};
        udp[i] = (port_result){PORT_CLOSED, REASON_PORT_UNREACH, 64};
    }
    memcpy(all, tcp, sizeof tcp);
    memcpy(all + 40, udp, sizeof udp);
    services *svc = services_builtin();
    probe_plan *plan = probe_plan_new();
    probe_plan_add(plan, &scan_syn, 40000, ports, 40);
    probe_plan_add(plan, &scan_udp, 40001, ports, 40);
    report_context ctx = {.plan = plan, .svc = svc, .reason = TRUE};
    host_result h = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90003),
                     .status = {HOST_UP, REASON_ARP_RESPONSE, 0},
                     .has_mac = TRUE,
                     .mac = {0xda, 0x4b, 0xb6, 0xfc, 0x95, 0xad},
                     .ports = all};
    rtt_init(&h.rtt);
    h.rtt.srtt = 6;
    g_autoptr(GString) out = g_string_new(NULL);
    report_normal_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==,
                    "Scan report for 10.201.0.3\n"
                    "Host is up, received arp-response (0.0000060s latency).\n"
                    "All 80 scanned ports on 10.201.0.3 are in ignored states.\n"
                    "Not shown: 40 closed udp ports (port-unreach), 40 closed tcp ports (reset)\n"
                    "MAC Address: DA:4B:B6:FC:95:AD (Unknown)\n"
                    "\n");
    g_string_truncate(out, 0);
    report_xml_host(out, &ctx, &h);
    g_assert_nonnull(strstr(out->str, "<extraports state=\"closed\" count=\"80\">\n"
                                      "<extrareasons reason=\"port-unreach\" count=\"40\" "
                                      "proto=\"udp\" ports=\"1-40\"/>\n"
                                      "<extrareasons reason=\"reset\" count=\"40\" proto=\"tcp\" "
                                      "ports=\"1-40\"/>\n</extraports>"));
    g_assert_nonnull(strstr(out->str, "<address addr=\"DA:4B:B6:FC:95:AD\" addrtype=\"mac\"/>"));
    probe_plan_free(plan);
    services_free(svc);
}

/* nmap 7.93's -sn report of a host found by ARP, and of one found down (only
 * with -v; the reason only with --reason). */
static void test_host_lines(void)
{
    report_context ctx = {.reason = TRUE};
    host_result up = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90002),
                      .status = {HOST_UP, REASON_ARP_RESPONSE, 0},
                      .has_mac = TRUE,
                      .mac = {0x86, 0xc6, 0xab, 0x6b, 0xe6, 0xe1}};
    rtt_init(&up.rtt);
    up.rtt.srtt = 4;
    g_autoptr(GString) out = g_string_new(NULL);
    report_normal_host(out, &ctx, &up);
    g_assert_cmpstr(out->str, ==,
                    "Scan report for 10.201.0.2\n"
                    "Host is up, received arp-response (0.0000040s latency).\n"
                    "MAC Address: 86:C6:AB:6B:E6:E1 (Unknown)\n");

    host_result down = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90005),
                        .status = {HOST_DOWN, REASON_NO_RESPONSE, 0}};
    rtt_init(&down.rtt);
    g_string_truncate(out, 0);
    report_normal_host(out, &ctx, &down);
    g_assert_cmpstr(out->str, ==, "");
    report_xml_host(out, &ctx, &down);
    g_assert_cmpstr(out->str, ==, "");
    ctx.verbose = 1;
    report_normal_host(out, &ctx, &down);
    g_assert_cmpstr(out->str, ==, "Scan report for 10.201.0.5 [host down, received no-response]\n");
    g_string_truncate(out, 0);
    report_xml_host(out, &ctx, &down);
    g_assert_cmpstr(out->str, ==,
                    "<host><status state=\"down\" reason=\"no-response\" reason_ttl=\"0\"/>\n"
                    "<address addr=\"10.201.0.5\" addrtype=\"ipv4\"/>\n"
                    "</host>\n");
    ctx.reason = FALSE;
    g_string_truncate(out, 0);
    report_normal_host(out, &ctx, &down);
    g_assert_cmpstr(out->str, ==, "Scan report for 10.201.0.5 [host down]\n");

    host_result pinged = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90003),
                          .status = {HOST_UP, REASON_ECHO_REPLY, 64}};
    rtt_init(&pinged.rtt);
    ctx.reason = TRUE;
    g_string_truncate(out, 0);
    report_normal_host(out, &ctx, &pinged);
    g_assert_cmpstr(out->str, ==,
                    "Scan report for 10.201.0.3\nHost is up, received echo-reply ttl 64.\n");
}

static void test_done_line(void)
{
    g_autofree char *one = report_done_summary(1, 1, 1.234);
    g_assert_cmpstr(one, ==, "1 IP address (1 host up) scanned in 1.23 seconds");
    g_autofree char *many = report_done_summary(256, 0, 10);
    g_assert_cmpstr(many, ==, "256 IP addresses (0 hosts up) scanned in 10.00 seconds");
}

static void test_rtt(void)
{
    rtt_state r;
    rtt_init(&r);
    g_assert_cmpint(r.timeout, ==, G_USEC_PER_SEC);
    rtt_sample(&r, 50);
    g_assert_cmpint(r.srtt, ==, 50);
    g_assert_cmpint(r.rttvar, ==, 25);
    g_assert_cmpint(r.timeout, ==, RTT_MIN_TIMEOUT);
    rtt_sample(&r, 60 * G_USEC_PER_SEC);
    g_assert_cmpint(r.timeout, ==, RTT_MAX_TIMEOUT);
    rtt_init(&r);
    rtt_sample(&r, 200000);
    rtt_sample(&r, 200000);
    g_assert_cmpint(r.srtt, ==, 200000);
    g_assert_cmpint(r.rttvar, ==, 75000);
    g_assert_cmpint(r.timeout, ==, 500000);
}

static void test_link(void)
{
    guint8 eth[14 + 20] = {0};
    eth[12] = 0x81; /* one 802.1Q tag, then IPv4 */
    guint8 vlan[18 + 20] = {0};
    vlan[12] = 0x81;
    vlan[16] = 0x08;
    vlan[18] = 0x45;
    size_t len;
    g_assert_null(link_ipv4(DLT_EN10MB, eth, sizeof eth, &len));
    g_assert_true(link_ipv4(DLT_EN10MB, vlan, sizeof vlan, &len) == vlan + 18);
    g_assert_cmpuint(len, ==, 20);
    guint8 sll[16 + 20] = {0};
    sll[14] = 0x08;
    g_assert_true(link_ipv4(DLT_LINUX_SLL, sll, sizeof sll, &len) == sll + 16);
    guint8 raw[20] = {0x45};
    g_assert_true(link_ipv4(DLT_RAW, raw, sizeof raw, &len) == raw);
    g_assert_null(link_ipv4(DLT_RAW, raw, 0, &len));
    g_assert_null(link_ipv4(DLT_LINUX_SLL, sll, 10, &len));
    g_assert_false(link_supported(DLT_IEEE802_11));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/normal-matches-nmap", test_normal_matches_nmap);
    g_test_add_func("/report/all-ignored", test_all_ignored);
    g_test_add_func("/report/two-protocols-folded", test_two_protocols_folded);
    g_test_add_func("/report/host-lines", test_host_lines);
    g_test_add_func("/report/done-line", test_done_line);
    g_test_add_func("/report/rtt", test_rtt);
    g_test_add_func("/report/link", test_link);
    return g_test_run();
}
