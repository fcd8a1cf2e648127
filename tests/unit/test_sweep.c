/* Link sweeps by behaviour (plugin/sweep.c): a source asking for many distinct
 * addresses within the window sweeps; retries, a slow trickle of asks and a
 * window that has passed do not add up. And the UDP ping's judge
 * (common/ping_udp.c). */
#include <glib.h>
#include <string.h>

#include "scan_type.h"
#include "sweep.h"

static const packet_addr asker = PACKET_ADDR_IPV4_INIT(0x0ac90001);

static packet_addr host(uint32_t n)
{
    return packet_addr_from_ipv4(0x0ac90000 + n);
}

static void test_fast_sweep(void)
{
    sweep *s = sweep_new();
    sweep_source *src = NULL;
    for (uint32_t i = 2; i < 2 + SWEEP_HOST_THRESHOLD - 1; i++) {
        packet_addr t = host(i);
        src = sweep_asked(s, &asker, &t, 10.0 + i * 0.001, SWEEP_HOST_THRESHOLD,
                          SWEEP_WINDOW_SECONDS);
    }
    g_assert_false(sweep_is_sweeper(src));
    g_assert_cmpstr(sweep_evidence(src), ==, "");
    packet_addr last = host(200);
    src = sweep_asked(s, &asker, &last, 10.5, SWEEP_HOST_THRESHOLD, SWEEP_WINDOW_SECONDS);
    g_assert_true(sweep_is_sweeper(src));
    g_assert_true(sweep_find(s, &asker) == src);
    g_assert_nonnull(strstr(sweep_evidence(src), "16 addresses"));
    sweep_free(s);
}

static void test_retries_and_trickle(void)
{
    sweep *s = sweep_new();
    sweep_source *src = NULL;
    /* The same address over and over: a retry, a cache refresh. */
    packet_addr gw = host(254);
    for (int i = 0; i < 100; i++)
        src = sweep_asked(s, &asker, &gw, i * 0.001, SWEEP_HOST_THRESHOLD, SWEEP_WINDOW_SECONDS);
    g_assert_false(sweep_is_sweeper(src));
    /* A router asking for its clients as their entries expire: one a 0.2 s. */
    for (uint32_t i = 2; i < 200; i++) {
        packet_addr t = host(i);
        src =
            sweep_asked(s, &asker, &t, 100.0 + i * 0.2, SWEEP_HOST_THRESHOLD, SWEEP_WINDOW_SECONDS);
    }
    g_assert_false(sweep_is_sweeper(src));
    /* Threshold 0: never. */
    for (uint32_t i = 2; i < 100; i++) {
        packet_addr t = host(i);
        src = sweep_asked(s, &asker, &t, 500.0, 0, SWEEP_WINDOW_SECONDS);
    }
    g_assert_false(sweep_is_sweeper(src));
    g_assert_null(sweep_find(NULL, &asker));
    sweep_free(s);
}

/* nmap's get_ping_pcap_result: any UDP answer is up, udp-response. */
static void test_udp_ping_judge(void)
{
    packet_view reply = {.flow = {host(2), asker, 53, 43772, PACKET_UDP}};
    verdict v;
    g_assert_true(ping_udp.judge(&reply, &v));
    g_assert_cmpint(v.state, ==, HOST_UP);
    g_assert_cmpint(v.why, ==, REASON_UDP_RESPONSE);
    g_assert_true(ping_udp.discovery);
    g_assert_cmpint(ping_udp.silent.state, ==, HOST_DOWN);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sweep/fast", test_fast_sweep);
    g_test_add_func("/sweep/retries_and_trickle", test_retries_and_trickle);
    g_test_add_func("/sweep/udp_ping_judge", test_udp_ping_judge);
    return g_test_run();
}
