/* nmap's everyday options: the time syntax, every -T template's values (nmap.cc
 * 7.93), options given alone winning over the template in either order, the
 * refusals, --top-ports' order, --exclude, -d, --open's folding, and the
 * scheduler honouring --scan-delay, --max-scan-delay and --host-timeout. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>

#include "drops.h"
#include "options.h"
#include "port_summary.h"
#include "probe_plan.h"
#include "scheduler.h"
#include "services.h"
#include "targets.h"
#include "timing.h"

#define MS 1000

static gboolean parse(scan_options *o, GError **error, ...)
{
    va_list ap;
    va_start(ap, error);
    g_autoptr(GPtrArray) args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "scantrace");
    for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *))
        g_ptr_array_add(args, (gpointer)a);
    va_end(ap);
    g_ptr_array_add(args, NULL);
    gboolean help;
    return options_parse((int)args->len - 1, (char **)args->pdata, o, &help, error);
}

/* argv ends with the target; the message must hold fragment and be one line. */
static void assert_refused(const char *fragment, const char *a, const char *b)
{
    scan_options o;
    GError *error = NULL;
    gboolean ok =
        b ? parse(&o, &error, a, b, "10.0.0.1", NULL) : parse(&o, &error, a, "10.0.0.1", NULL);
    g_assert_false(ok);
    if (!strstr(error->message, fragment))
        g_error("%s %s: message \"%s\" lacks \"%s\"", a, b ? b : "", error->message, fragment);
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
    options_clear(&o);
}

/* The time options in nmap's syntax (time_spec.h), bare numbers in seconds. */
static void test_time_syntax(void)
{
    static const struct {
        const char *option, *text;
        gint64 usec;
        size_t offset;
    } good[] = {
        {"--scan-delay", "500ms", 500 * MS, G_STRUCT_OFFSET(timing, scan_delay)},
        {"--host-timeout", "2s", 2 * G_USEC_PER_SEC, G_STRUCT_OFFSET(timing, host_timeout)},
        {"--host-timeout", "1m", 60 * G_USEC_PER_SEC, G_STRUCT_OFFSET(timing, host_timeout)},
        {"--host-timeout", "1h", (gint64)3600 * G_USEC_PER_SEC,
         G_STRUCT_OFFSET(timing, host_timeout)},
        {"--host-timeout", "3", 3 * G_USEC_PER_SEC, G_STRUCT_OFFSET(timing, host_timeout)},
        {"--host-timeout", "0", 0, G_STRUCT_OFFSET(timing, host_timeout)},
        {"--max-rtt-timeout", "1.5s", 1500 * MS, G_STRUCT_OFFSET(timing, max_rtt)},
        {"--initial-rtt-timeout", "0.25", 250 * MS, G_STRUCT_OFFSET(timing, initial_rtt)},
        {"--min-rtt-timeout", "10ms", 10 * MS, G_STRUCT_OFFSET(timing, min_rtt)},
        {"--max-scan-delay", "20ms", 20 * MS, G_STRUCT_OFFSET(timing, max_scan_delay_udp)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(good); i++) {
        scan_options o;
        GError *error = NULL;
        g_assert_true(parse(&o, &error, good[i].option, good[i].text, "10.0.0.1", NULL));
        g_assert_cmpint(G_STRUCT_MEMBER(gint64, &o.timing, good[i].offset), ==, good[i].usec);
        options_clear(&o);
    }
}

/* nmap 7.93's values (nmap.cc, NmapOps.cc), in ms as its -d report prints them. */
static void test_templates(void)
{
    static const struct {
        const char *arg;
        gint64 init, min, max, delay, max_delay_tcp, max_delay_udp, host_timeout;
        int retries, max_par;
    } want[] = {
        {"-T0", 300000, 100, 300000, 300000, 1000, 1000, 0, 10, 1},
        {"-T1", 15000, 100, 15000, 15000, 1000, 1000, 0, 10, 1},
        {"-T2", 1000, 100, 10000, 400, 1000, 1000, 0, 10, 1},
        {"-T3", 1000, 100, 10000, 0, 1000, 1000, 0, 10, 0},
        {"-T4", 500, 100, 1250, 0, 10, 1000, 0, 6, 0},
        {"-T5", 250, 50, 300, 0, 5, 1000, 900000, 2, 0},
        {"-Tinsane", 250, 50, 300, 0, 5, 1000, 900000, 2, 0},
        {"-TAggressive", 500, 100, 1250, 0, 10, 1000, 0, 6, 0},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(want); i++) {
        scan_options o;
        GError *error = NULL;
        g_assert_true(parse(&o, &error, want[i].arg, "10.0.0.1", NULL));
        const timing *t = &o.timing;
        g_assert_cmpint(t->initial_rtt, ==, want[i].init * MS);
        g_assert_cmpint(t->min_rtt, ==, want[i].min * MS);
        g_assert_cmpint(t->max_rtt, ==, want[i].max * MS);
        g_assert_cmpint(t->scan_delay, ==, want[i].delay * MS);
        g_assert_cmpint(t->max_scan_delay_tcp, ==, want[i].max_delay_tcp * MS);
        g_assert_cmpint(t->max_scan_delay_udp, ==, want[i].max_delay_udp * MS);
        g_assert_cmpint(t->host_timeout, ==, want[i].host_timeout * MS);
        g_assert_cmpint(t->max_retries, ==, want[i].retries);
        g_assert_cmpint(t->max_parallelism, ==, want[i].max_par);
        g_assert_cmpint(t->min_hostgroup, ==, 1);
        g_assert_cmpint(t->max_hostgroup, ==, 100000);
        options_clear(&o);
    }
    /* "-T 4", as its own argument. */
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-T", "4", "10.0.0.1", NULL));
    g_assert_cmpint(o.timing.level, ==, 4);
    options_clear(&o);
    /* The report nmap -d prints, with -T4's numbers. */
    timing t;
    timing_template(4, &t);
    g_autoptr(GString) report = g_string_new(NULL);
    timing_report(report, &t, 0, 0);
    g_assert_nonnull(strstr(report->str, "  rtt-timeouts: init 500, min 100, max 1250\n"));
    g_assert_nonnull(strstr(report->str, "  max-scan-delay: TCP 10, UDP 1000, SCTP 10\n"));
    g_assert_nonnull(strstr(report->str, "  max-retries: 6, host-timeout: 0\n"));
}

/* nmap applies the options given alone after the template, whatever the order. */
static void test_given_win(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "--max-retries", "4", "--max-rtt-timeout", "2s",
                        "--host-timeout", "90", "-T5", "--scan-delay", "20ms", "-M", "7",
                        "--min-hostgroup", "3", "10.0.0.1", NULL));
    g_assert_cmpint(o.timing.max_retries, ==, 4);
    g_assert_cmpint(o.timing.max_rtt, ==, 2 * G_USEC_PER_SEC);
    g_assert_cmpint(o.timing.min_rtt, ==, 50 * MS); /* -T5's, kept */
    g_assert_cmpint(o.timing.host_timeout, ==, 90 * G_USEC_PER_SEC);
    g_assert_cmpint(o.timing.scan_delay, ==, 20 * MS);
    /* --scan-delay above -T5's TCP maximum raises it (nmap.cc). */
    g_assert_cmpint(o.timing.max_scan_delay_tcp, ==, 20 * MS);
    g_assert_cmpint(o.timing.max_parallelism, ==, 7);
    g_assert_cmpint(o.timing.min_hostgroup, ==, 3);
    options_clear(&o);
    /* An initial timeout above the maximum raises it; a maximum below the
     * minimum lowers it (NmapOps' setters). */
    g_assert_true(parse(&o, &error, "--initial-rtt-timeout", "20s", "--max-rtt-timeout", "40ms",
                        "10.0.0.1", NULL));
    g_assert_cmpint(o.timing.initial_rtt, ==, 20 * G_USEC_PER_SEC);
    g_assert_cmpint(o.timing.max_rtt, ==, 40 * MS);
    g_assert_cmpint(o.timing.min_rtt, ==, 40 * MS);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "--max-retries", "0", "-T4", "10.0.0.1", NULL));
    g_assert_cmpint(o.timing.max_retries, ==, 0);
    options_clear(&o);
}

static void test_refused(void)
{
    assert_refused("Unknown timing mode", "-T6", NULL);
    assert_refused("Unknown timing mode", "-Tfast", NULL);
    assert_refused("Since April 2010", "--host-timeout", "20000");
    assert_refused("Since April 2010", "--scan-delay", "500");
    assert_refused("Since April 2010", "--max-rtt-timeout", "100");
    assert_refused("--scan-delay takes a time", "--scan-delay", "-1s");
    assert_refused("--host-timeout takes a time", "--host-timeout", "1x");
    assert_refused("at least 5ms", "--max-rtt-timeout", "4ms");
    assert_refused("must be positive", "--initial-rtt-timeout", "0");
    assert_refused("--min-rtt-timeout takes a time", "--min-rtt-timeout", "fast");
    assert_refused("at least 1", "--min-parallelism", "0");
    assert_refused("at least 1", "--max-hostgroup", "x");
    assert_refused("at least 1", "-M", "-3");
    assert_refused("--top-ports should be an integer 1 or greater", "--top-ports", "0");
    assert_refused("--top-ports should be an integer 1 or greater", "--top-ports", "1.5");
    assert_refused("You cannot use -F (fast scan) with -p", "-F", "-p22");
    assert_refused("either -F or --top-ports", "-F", "--top-ports=10");
    assert_refused("when not doing a port scan", "-sn", "-F");
    assert_refused("Invalid argument to -d", "-dx", NULL);
    assert_refused("contradict", "--privileged", "--unprivileged");
    assert_refused("max-retries must be positive", "--max-retries", "-1");
    assert_refused("max-retries must be positive (a whole number, 0 or more), not \"abc\"",
                   "--max-retries", "abc");
    assert_refused("Only 1 -p option allowed", "-p22", "-p80");
    assert_refused("--merge takes only", "--merge", "--open");
    assert_refused("at most --max-hostgroup", "--min-hostgroup=9", "--max-hostgroup=8");
}

static void test_debug_and_flags(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-dd", "10.0.0.1", NULL));
    g_assert_cmpint(o.debug, ==, 2);
    g_assert_cmpint(o.verbose, ==, 2); /* nmap: -d raises -v too */
    g_assert_true(o.reason);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-d", "-v", "-d3", "10.0.0.1", NULL));
    g_assert_cmpint(o.debug, ==, 3);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-F", "--open", "10.0.0.1", NULL));
    g_assert_cmpint(o.top_ports, ==, 100);
    g_assert_true(o.open_only);
    g_assert_true(o.default_type);
    g_assert_true(g_ptr_array_index(o.types, 0) == &scan_syn);
    options_clear(&o);
    /* --unprivileged: the default scan is nmap's unprivileged one. */
    g_assert_true(parse(&o, &error, "--unprivileged", "10.0.0.1", NULL));
    g_assert_true(g_ptr_array_index(o.types, 0) == &scan_connect);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sS", "10.0.0.1", NULL));
    g_assert_false(o.default_type);
    options_clear(&o);
}

static void test_exclude(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("exclude-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, "# lab\n10.0.1.0/30\n10.0.2.7 10.0.3.1-3\n", -1, NULL));
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "--exclude", "10.0.0.1,10.0.0.9 10.0.0.20-22", "--excludefile",
                        path, "10.0.0.0/16", NULL));
    g_assert_cmpuint(g_strv_length(o.excluded), ==, 6);
    targets *ex = targets_parse((const char *const *)o.excluded, FALSE, &error);
    g_assert_no_error(error);
    static const struct {
        uint32_t addr;
        gboolean out;
    } cases[] = {
        {0x0a000001, TRUE},  {0x0a000002, FALSE}, {0x0a000009, TRUE},  {0x0a000014, TRUE},
        {0x0a000016, TRUE},  {0x0a000017, FALSE}, {0x0a000100, TRUE},  {0x0a000103, TRUE},
        {0x0a000104, FALSE}, {0x0a000207, TRUE},  {0x0a000208, FALSE}, {0x0a000300, FALSE},
        {0x0a000302, TRUE},  {0x0b000001, FALSE},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        packet_addr a = packet_addr_from_ipv4(cases[i].addr);
        g_assert_cmpint(targets_contains(ex, &a), ==, cases[i].out);
    }
    targets_free(ex);
    options_clear(&o);
    g_unlink(path);
    /* A spec nmap would refuse is refused when the scan parses it. */
    const char *bad[] = {"10.0.0.300", NULL};
    g_assert_null(targets_parse(bad, FALSE, &error));
    g_clear_error(&error);
}

/* By frequency, ties to the lower port; among -p's ports with --top-ports. */
static void test_top_ports(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("services-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    const char *text = "http 80/tcp 0.48\n"
                       "telnet 23/tcp 0.22\n"
                       "https 443/tcp 0.20\n"
                       "ftp 21/tcp 0.19\n"
                       "ssh 22/tcp 0.19\n"
                       "smtp 25/tcp 0.13\n"
                       "domain 53/udp 0.21\n"
                       "ntp 123/udp 0.33\n";
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    GError *error = NULL;
    services *s = services_load(path, &error);
    g_assert_no_error(error);
    g_autoptr(GArray) top3 = services_top_ports(s, PACKET_TCP, 3);
    g_assert_cmpuint(top3->len, ==, 3);
    g_assert_cmpuint(g_array_index(top3, guint16, 0), ==, 23);
    g_assert_cmpuint(g_array_index(top3, guint16, 1), ==, 80);
    g_assert_cmpuint(g_array_index(top3, guint16, 2), ==, 443);
    /* 21 and 22 tie: the lower port goes first, as in nmap. */
    g_autoptr(GArray) top4 = services_top_ports(s, PACKET_TCP, 4);
    g_assert_cmpuint(g_array_index(top4, guint16, 0), ==, 21);
    g_autoptr(GArray) among = g_array_new(FALSE, FALSE, sizeof(guint16));
    guint16 given[] = {21, 22, 25, 100};
    g_array_append_vals(among, given, G_N_ELEMENTS(given));
    g_autoptr(GArray) top2 = services_top_ports_of(s, PACKET_TCP, 2, among);
    g_assert_cmpuint(top2->len, ==, 2);
    g_assert_cmpuint(g_array_index(top2, guint16, 0), ==, 21);
    g_assert_cmpuint(g_array_index(top2, guint16, 1), ==, 22);
    g_autoptr(GArray) udp = services_top_ports(s, PACKET_UDP, 1);
    g_assert_cmpuint(g_array_index(udp, guint16, 0), ==, 123);
    services_free(s);
    g_unlink(path);
    /* nmap's own table, when installed: -F's 100 and the top 10 it lists. */
    services *nmap = services_load(SERVICES_NMAP_PATH, NULL);
    if (nmap == NULL)
        return;
    g_autoptr(GArray) fast = services_top_ports(nmap, PACKET_TCP, 100);
    g_assert_cmpuint(fast->len, ==, 100);
    g_autoptr(GArray) ten = services_top_ports(nmap, PACKET_TCP, 10);
    static const guint16 nmap_top10[] = {21, 22, 23, 25, 80, 110, 139, 443, 445, 3389};
    for (guint i = 0; i < 10; i++)
        g_assert_cmpuint(g_array_index(ten, guint16, i), ==, nmap_top10[i]);
    services_free(nmap);
}

/* --open folds every state but open, open|filtered and unfiltered. */
static void test_open(void)
{
    probe_plan *plan = probe_plan_new();
    const uint16_t ports[] = {22, 23, 80, 8080};
    probe_plan_add(plan, &scan_syn, 40000, ports, 4);
    port_result r[4] = {{PORT_OPEN, REASON_SYN_ACK, 64},
                        {PORT_CLOSED, REASON_RESET, 64},
                        {PORT_CLOSED, REASON_RESET, 64},
                        {PORT_FILTERED, REASON_NO_RESPONSE, 0}};
    host_result h = {.status = {HOST_UP, REASON_ARP_RESPONSE, 0}, .ports = r};
    port_summary sum;
    port_summary_init_open(&sum, plan, &h, 0, TRUE);
    g_assert_true(sum.ignored[PORT_CLOSED] && sum.ignored[PORT_FILTERED]);
    g_assert_false(sum.ignored[PORT_OPEN]);
    g_assert_cmpuint(sum.ignored_ports, ==, 3);
    g_assert_true(sum.filtered_tcp_scan);
    port_summary_clear(&sum);
    port_summary_init(&sum, plan, &h, 0);
    g_assert_cmpuint(sum.ignored_ports, ==, 0);
    port_summary_clear(&sum);
    g_assert_true(port_summary_open_shows(plan, &h));
    r[0] = r[1];
    g_assert_false(port_summary_open_shows(plan, &h));
    g_assert_true(port_summary_open_shows(NULL, &h)); /* -sn: hosts up */
    h.status.state = HOST_DOWN;
    g_assert_false(port_summary_open_shows(NULL, &h));
    probe_plan_free(plan);
}

static void count_silent(void *ctx, guint hi, guint pi)
{
    (void)hi;
    (void)pi;
    (*(guint *)ctx)++;
}

/* --scan-delay spaces a host's probes; --host-timeout gives it up with no
 * silent verdicts. */
static void test_scheduler_timing(void)
{
    rtt_state run_rtt, host_rtt;
    rtt_init(&run_rtt);
    rtt_init(&host_rtt);
    sched_config cfg = {.nhosts = 1,
                        .nprobes = 3,
                        .max_retries = 2,
                        .window = 10,
                        .run_rtt = &run_rtt,
                        .scan_delay = 400 * MS,
                        .max_scan_delay = 1000 * MS};
    sched *s = sched_new(&cfg, 0);
    sched_set_host(s, 0, &host_rtt, 0, 3);
    sched_set_deadline(s, 0, 1000 * MS);
    guint hi, pi;
    uint8_t t;
    g_assert_true(sched_next(s, 0, &hi, &pi, &t));
    sched_sent(s, hi, pi, 0);
    g_assert_false(sched_next(s, 399 * MS, &hi, &pi, &t));
    g_assert_cmpint(sched_deadline(s, 0, TRUE), <=, 400 * MS);
    g_assert_true(sched_next(s, 400 * MS, &hi, &pi, &t));
    sched_sent(s, hi, pi, 400 * MS);
    g_assert_cmpint(sched_host_delay(s, 0), ==, 400 * MS);
    guint silent = 0;
    sched_expire(s, 999 * MS, count_silent, &silent);
    g_assert_false(sched_done(s));
    g_assert_cmpint(sched_deadline(s, 999 * MS, FALSE), <=, 1000 * MS);
    sched_expire(s, 1000 * MS, count_silent, &silent);
    g_assert_cmpuint(silent, ==, 0);
    g_assert_true(sched_done(s));
    g_assert_true(sched_host_timed_out(s, 0));
    g_assert_false(sched_next(s, 2000 * MS, &hi, &pi, &t));
    sched_free(s);
    /* --max-scan-delay caps how far a host that drops answers is slowed. */
    drop_state d;
    drops_init(&d, 0);
    drops_set_delays(&d, 0, 20 * MS);
    for (unsigned i = 0; i < 200; i++)
        drops_answer(&d, 1 + i % 6, (gint64)i * 1000, 6, FALSE, (gint64)i * 1000 + 10);
    g_assert_cmpint(d.delay, >, 0);
    g_assert_cmpint(d.delay, <=, 20 * MS);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/timing/time-syntax", test_time_syntax);
    g_test_add_func("/timing/templates", test_templates);
    g_test_add_func("/timing/given-win", test_given_win);
    g_test_add_func("/timing/refused", test_refused);
    g_test_add_func("/timing/debug-and-flags", test_debug_and_flags);
    g_test_add_func("/timing/exclude", test_exclude);
    g_test_add_func("/timing/top-ports", test_top_ports);
    g_test_add_func("/timing/open", test_open);
    g_test_add_func("/timing/scheduler", test_scheduler_timing);
    return g_test_run();
}
