/* The raw packets' count -v prints after "done": nmap's size units
 * (format_bytecount(): B under 1000, KB under a million, then MB, 3 decimals)
 * and the line's form. */
#include <glib.h>

#include "packet_stats.h"

static void test_format_bytes(void)
{
    static const struct {
        guint64 bytes;
        const char *text;
    } cases[] = {
        {0, "0B"},
        {592, "592B"},
        {999, "999B"},
        {1000, "1.000KB"},
        {8856, "8.856KB"}, /* nmap -sS -p 1-100 on two lab hosts */
        {999999, "999.999KB"},
        {1000000, "1.000MB"},
        {12345678, "12.346MB"},
        {G_GUINT64_CONSTANT(5000000000000), "5000000.000MB"},
    };
    for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
        char buf[32];
        g_assert_cmpstr(packet_stats_format_bytes(cases[i].bytes, buf, sizeof buf), ==,
                        cases[i].text);
    }
}

static gpointer count(gpointer unused)
{
    (void)unused;
    for (int i = 0; i < 10000; i++) {
        packet_stats_sent(44);
        packet_stats_received(40);
    }
    return NULL;
}

/* Four threads adding at once lose no packet (the counters are atomic). */
static void test_line(void)
{
    g_autofree char *none = packet_stats_line();
    g_assert_cmpstr(none, ==, "Raw packets sent: 0 (0B) | Rcvd: 0 (0B)");
    packet_stats_sent(28);
    packet_stats_received(28);
    g_autofree char *arp = packet_stats_line();
    g_assert_cmpstr(arp, ==, "Raw packets sent: 1 (28B) | Rcvd: 1 (28B)");
    GThread *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = g_thread_new("count", count, NULL);
    for (int i = 0; i < 4; i++)
        g_thread_join(t[i]);
    g_assert_cmpuint(packet_stats_sent_packets(), ==, 40001);
    g_autofree char *line = packet_stats_line();
    g_assert_cmpstr(line, ==, "Raw packets sent: 40001 (1.760MB) | Rcvd: 40001 (1.600MB)");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/packet-stats/format-bytes", test_format_bytes);
    g_test_add_func("/packet-stats/line", test_line);
    return g_test_run();
}
