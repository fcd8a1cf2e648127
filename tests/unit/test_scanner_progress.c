/* The status lines in nmap 7.93's words (ScanProgressMeter::printStats and
 * nmap -v's "Stats:" line). */
#include <glib.h>
#include <stdlib.h>
#include <time.h>

#include "progress.h"

/* 2026-11-30 12:34:10 UTC, in microseconds. */
#define NOW (G_GINT64_CONSTANT(1796042050) * G_USEC_PER_SEC)

static void test_timing(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    /* 45% in 10 s: 12.2 s more, rounded as nmap rounds (+0.5, then down). */
    progress_format_timing(out, "SYN Stealth Scan", 0.45, 10 * G_USEC_PER_SEC, NOW);
    g_assert_cmpstr(out->str, ==,
                    "SYN Stealth Scan Timing: About 45.00% done; ETC: 12:34 (0:00:12 remaining)\n");
    g_string_truncate(out, 0);
    /* An hour and more to go, past the next minute. */
    progress_format_timing(out, "UDP Scan", 0.25, G_GINT64_CONSTANT(1250000000), NOW);
    g_assert_cmpstr(out->str, ==,
                    "UDP Scan Timing: About 25.00% done; ETC: 13:36 (1:02:30 remaining)\n");
    g_string_truncate(out, 0);
    /* Below 1%: no estimate. */
    progress_format_timing(out, "Ping Scan", 0.005, G_USEC_PER_SEC, NOW);
    g_assert_cmpstr(out->str, ==, "Ping Scan Timing: About 0.50% done\n");
}

/* nmap's <taskprogress>, with and without the estimate. */
static void test_task_xml(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    progress_format_task_xml(out, "SYN Stealth Scan", 0.45, 10 * G_USEC_PER_SEC, NOW);
    g_assert_cmpstr(out->str, ==,
                    "<taskprogress task=\"SYN Stealth Scan\" time=\"1796042050\" "
                    "percent=\"45.00\" remaining=\"12\" etc=\"1796042062\"/>\n");
    g_string_truncate(out, 0);
    progress_format_task_xml(out, "ARP Ping Scan", 0.005, G_USEC_PER_SEC, NOW);
    g_assert_cmpstr(out->str, ==,
                    "<taskprogress task=\"ARP Ping Scan\" time=\"1796042050\" "
                    "percent=\"0.50\"/>\n");
}

static void test_stats(void)
{
    g_autoptr(GString) out = g_string_new(NULL);
    progress_format_stats(out, G_GINT64_CONSTANT(3723999999), 3, 5, 2, "SYN Stealth Scan");
    g_assert_cmpstr(out->str, ==,
                    "Stats: 1:02:03 elapsed; 3 hosts completed (5 up), 2 undergoing SYN Stealth "
                    "Scan\n");
}

int main(int argc, char **argv)
{
    g_setenv("TZ", "UTC", TRUE);
    tzset();
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/progress/timing", test_timing);
    g_test_add_func("/progress/stats", test_stats);
    g_test_add_func("/progress/task-xml", test_task_xml);
    return g_test_run();
}
