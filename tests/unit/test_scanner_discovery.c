/* How nmap 7.93 finds out whether a host is up, by where the host is, what we
 * may do and what was asked (checked against nmap in the lab by
 * tests/integration/scanner_vs_nmap.sh), and the probes each way sends. */
#include <glib.h>

#include "arp.h"
#include "discovery.h"
#include "nd.h"

static const route on_link = {
    .src = PACKET_ADDR_IPV4_INIT(0x0ac90001), .device = "st0", .on_link = TRUE};
static const route routed = {.src = PACKET_ADDR_IPV4_INIT(0x0ac90001), .device = "st0"};
static const route on_link6 = {.src = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
                               .device = "st0",
                               .on_link = TRUE};
static const route routed6 = {.src = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}},
                              .device = "st0"};
static const route ours = {.src = PACKET_ADDR_IPV4_INIT(0x0ac90001), .device = "lo", .local = TRUE};

static discovery_method method(gboolean skip, gboolean send_ip, gboolean privileged,
                               gboolean raw_scan, const route *rt, gboolean ethernet)
{
    discovery_options o = {skip, send_ip, privileged, raw_scan};
    return discovery_method_for(&o, rt, ethernet);
}

static void test_method(void)
{
    /* Root, an Ethernet neighbour: ARP, even under -Pn when the scan is raw. */
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &on_link, TRUE), ==, DISCOVER_ARP);
    g_assert_cmpint(method(TRUE, FALSE, TRUE, TRUE, &on_link, TRUE), ==, DISCOVER_ARP);
    /* -sT -Pn and -sn -Pn send nothing. */
    g_assert_cmpint(method(TRUE, FALSE, TRUE, FALSE, &on_link, TRUE), ==, DISCOVER_USER_SET);
    /* --send-ip, a routed target, a link without ARP: the IP pings. */
    g_assert_cmpint(method(FALSE, TRUE, TRUE, TRUE, &on_link, TRUE), ==, DISCOVER_IP_PINGS);
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &routed, TRUE), ==, DISCOVER_IP_PINGS);
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &on_link, FALSE), ==, DISCOVER_IP_PINGS);
    g_assert_cmpint(method(TRUE, TRUE, TRUE, TRUE, &on_link, TRUE), ==, DISCOVER_USER_SET);
    /* Without privileges: connect(). */
    g_assert_cmpint(method(FALSE, FALSE, FALSE, FALSE, &on_link, TRUE), ==, DISCOVER_CONNECT);
    g_assert_cmpint(method(TRUE, FALSE, FALSE, FALSE, &on_link, TRUE), ==, DISCOVER_USER_SET);
    /* IPv6: Neighbor Discovery where IPv4 has ARP (nmap -6), -Pn too. */
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &on_link6, TRUE), ==, DISCOVER_ND);
    g_assert_cmpint(method(TRUE, FALSE, TRUE, TRUE, &on_link6, TRUE), ==, DISCOVER_ND);
    g_assert_cmpint(method(TRUE, FALSE, TRUE, FALSE, &on_link6, TRUE), ==, DISCOVER_USER_SET);
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &routed6, TRUE), ==, DISCOVER_IP_PINGS);
    g_assert_cmpint(method(FALSE, TRUE, TRUE, TRUE, &on_link6, TRUE), ==, DISCOVER_IP_PINGS);
    /* Our own address, whatever else. */
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &ours, FALSE), ==, DISCOVER_LOCAL);
    g_assert_cmpint(method(TRUE, FALSE, FALSE, FALSE, &ours, FALSE), ==, DISCOVER_LOCAL);
}

/* nmap's probes, in its order: echo, SYN to 443, ACK to 80, timestamp; connect()
 * to 80 and 443; each TCP ping from its own source port; ND last. */
static void test_plan(void)
{
    probe_plan *p = discovery_plan_new(40001, 40002);
    g_assert_cmpuint(p->nprobes, ==, 8);
    g_assert_true(p->probes[7].type == &ping_nd);
    g_assert_true(p->probes[0].type == &ping_arp);
    g_assert_true(p->probes[1].type == &ping_echo);
    g_assert_true(p->probes[2].type == &ping_syn);
    g_assert_cmpuint(p->probes[2].port, ==, 443);
    g_assert_true(p->probes[3].type == &ping_ack);
    g_assert_cmpuint(p->probes[3].port, ==, 80);
    g_assert_true(p->probes[4].type == &ping_timestamp);
    g_assert_true(p->probes[5].type == &ping_connect);
    g_assert_cmpuint(p->probes[5].port, ==, 80);
    g_assert_cmpuint(p->probes[6].port, ==, 443);
    g_assert_cmpuint(probe_plan_type(p, &ping_syn)->sport, ==, 40001);
    g_assert_cmpuint(probe_plan_type(p, &ping_ack)->sport, ==, 40002);
    g_assert_cmpint(probe_plan_find(p, &ping_ack, 80), ==, 3);
    g_assert_cmpint(probe_plan_find(p, &ping_ack, 443), ==, -1);
    probe_plan_free(p);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/discovery/method", test_method);
    g_test_add_func("/discovery/plan", test_plan);
    return g_test_run();
}
