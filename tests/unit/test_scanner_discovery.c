/* How nmap 7.93 finds out whether a host is up, by where the host is, what we
 * may do and what was asked (checked against nmap in the lab by
 * tests/integration/scanner_vs_nmap.sh), and the probes each way sends. */
#include <glib.h>
#include <string.h>

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
    discovery_options o = {
        .skip = skip, .send_ip = send_ip, .privileged = privileged, .raw_scan = raw_scan};
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
    /* --disable-arp-ping: the IP pings on the link, for either family. */
    discovery_options no_arp = {.privileged = TRUE, .raw_scan = TRUE, .no_arp = TRUE};
    g_assert_cmpint(discovery_method_for(&no_arp, &on_link, TRUE), ==, DISCOVER_IP_PINGS);
    g_assert_cmpint(discovery_method_for(&no_arp, &on_link6, TRUE), ==, DISCOVER_IP_PINGS);
    /* Our own address, whatever else. */
    g_assert_cmpint(method(FALSE, FALSE, TRUE, TRUE, &ours, FALSE), ==, DISCOVER_LOCAL);
    g_assert_cmpint(method(TRUE, FALSE, FALSE, FALSE, &ours, FALSE), ==, DISCOVER_LOCAL);
}

/* nmap's probes, in its order: echo, SYN to 443, ACK to 80, timestamp; connect()
 * to 80 and 443; each TCP ping from its own source port; ND last. */
static void test_plan(void)
{
    ping_options none = {0};
    discovery_sports sports = {40001, 40002, 40003, 40004, 40005};
    probe_plan *p = discovery_plan_new(&none, FALSE, &sports);
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

static ping_options asked(const char *const *args)
{
    ping_options o = {0};
    for (; *args; args++) {
        GError *error = NULL;
        g_assert_true(ping_options_add(&o, *args, &error));
        g_assert_no_error(error);
    }
    return o;
}

/* The probes of a plan's IP pings, as "type:port" words. */
static char *ip_pings(const char *const *args, gboolean ipv6)
{
    ping_options o = asked(args);
    discovery_sports sports = {40001, 40002, 40003, 40004, 40005};
    probe_plan *p = discovery_plan_new(&o, ipv6, &sports);
    const plan_type *echo = probe_plan_type(p, &ping_echo);
    const plan_type *last = probe_plan_type(p, &ping_proto);
    GString *s = g_string_new(NULL);
    for (guint i = echo->first; i < last->first + last->count; i++)
        g_string_append_printf(s, "%s%s:%u", s->len ? " " : "", p->probes[i].type->name,
                               p->probes[i].port);
    g_assert_cmpuint(probe_plan_type(p, &ping_udp)->sport, ==, 40003);
    probe_plan_free(p);
    ping_options_clear(&o);
    return g_string_free(s, FALSE);
}

/* Any -P probe option replaces the default set; those given combine, in
 * nmap's order; -PP and -PM have no IPv6 form. */
static void test_plan_asked(void)
{
    static const struct {
        const char *args[6];
        gboolean ipv6;
        const char *probes;
    } cases[] = {
        {{NULL}, FALSE, "echo:0 syn-ping:443 ack-ping:80 timestamp:0"},
        {{NULL}, TRUE, "echo:0 syn-ping:443 ack-ping:80"},
        {{"-PS22", NULL}, FALSE, "syn-ping:22"},
        {{"-PS", NULL}, FALSE, "syn-ping:80"},
        {{"-PA", NULL}, FALSE, "ack-ping:80"},
        {{"-PU", NULL}, FALSE, "udp-ping:40125"},
        {{"-PU53,161", NULL}, TRUE, "udp-ping:53 udp-ping:161"},
        {{"-PS80,22", "-PE", "-PS443", NULL}, FALSE, "echo:0 syn-ping:22 syn-ping:80 syn-ping:443"},
        {{"-PP", "-PM", "-PA3389", NULL}, FALSE, "ack-ping:3389 timestamp:0 mask:0"},
        {{"-PE", NULL}, TRUE, "echo:0"},
        /* -PY: nmap's SCTP INIT ping, to 80 when bare, after the UDP ping. */
        {{"-PY", NULL}, FALSE, "sctp-init-ping:80"},
        {{"-PY2905,22", "-PU53", "-PE", NULL},
         TRUE,
         "echo:0 udp-ping:53 sctp-init-ping:22 sctp-init-ping:2905"},
        {{"-PO", NULL}, FALSE, "proto-ping:1 proto-ping:2 proto-ping:4"},
        {{"-PO6,17", "-PO1-2", "-PE", NULL},
         FALSE,
         "echo:0 proto-ping:1 proto-ping:2 proto-ping:6 proto-ping:17"},
        /* Port 0 where it is named, as nmap 7.93 sends it (seen in the lab);
         * an open start begins at 1. */
        {{"-PS0,80", "-PA0", "-PU0", "-PY0-1", "-PS-2", NULL},
         FALSE,
         "syn-ping:0 syn-ping:1 syn-ping:2 syn-ping:80 ack-ping:0 udp-ping:0 sctp-init-ping:0 "
         "sctp-init-ping:1"},
        /* -PR alone: the default set for a target off the link. */
        {{"-PR", NULL}, FALSE, "echo:0 syn-ping:443 ack-ping:80 timestamp:0"},
    };
    for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
        g_autofree char *got = ip_pings(cases[i].args, cases[i].ipv6);
        g_assert_cmpstr(got, ==, cases[i].probes);
    }
    /* connect() asks -PS's and -PA's TCP ports. */
    static const char *const tcp[] = {"-PS22", "-PA80,22,0", "-PU53", NULL};
    ping_options o = asked(tcp);
    discovery_sports sports = {40001, 40002, 40003, 40004, 40005};
    probe_plan *p = discovery_plan_new(&o, FALSE, &sports);
    const plan_type *connect = probe_plan_type(p, &ping_connect);
    g_assert_cmpuint(connect->count, ==, 3);
    g_assert_cmpuint(p->probes[connect->first].port, ==, 0);
    g_assert_cmpuint(p->probes[connect->first + 1].port, ==, 22);
    g_assert_cmpuint(p->probes[connect->first + 2].port, ==, 80);
    probe_plan_free(p);
    ping_options_clear(&o);
}

/* Bad lists and unknown or unsupported letters: one line each. */
static void test_options_refused(void)
{
    static const char *const bad[] = {"-PS0,",  "-PSx", "-PS22,", "-PA70000", "-PU1-2-3",
                                      "-PST:0", "-PEx", "-PP1",   "-PO256",   "-PO1,x",
                                      "-PYx",   "-PZ",  "-PI",    "-PS-5-",   "-PU0-65536"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        ping_options o = {0};
        GError *error = NULL;
        g_assert_false(ping_options_add(&o, bad[i], &error));
        g_assert_nonnull(error);
        g_assert_null(strchr(error->message, '\n'));
        g_assert_nonnull(strstr(error->message, bad[i]));
        g_error_free(error);
        ping_options_clear(&o);
    }
    /* -PO is taken with -6 as nmap takes it. */
    static const char *const proto6[] = {"-PO", NULL};
    ping_options po = asked(proto6);
    GError *po_error = NULL;
    g_assert_true(ping_options_check(&po, TRUE, &po_error));
    g_assert_null(po_error);
    ping_options_clear(&po);
    static const char *const v4only[] = {"-PP", NULL};
    ping_options o = asked(v4only);
    GError *error = NULL;
    g_assert_true(ping_options_check(&o, FALSE, &error));
    g_assert_false(ping_options_check(&o, TRUE, &error));
    g_assert_cmpstr(error->message, ==,
                    "ICMP Timestamp and Address Mask pings are only valid for IPv4.");
    g_error_free(error);
    ping_options_clear(&o);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/discovery/method", test_method);
    g_test_add_func("/discovery/plan", test_plan);
    g_test_add_func("/discovery/plan-asked", test_plan_asked);
    g_test_add_func("/discovery/options-refused", test_options_refused);
    return g_test_run();
}
