/* The grepable report (-oG) against nmap 7.93's own lines for the same results
 * in the lab, and nmap's time syntax (--stats-every). */
#include <glib.h>
#include <string.h>

#include "error.h"
#include "report_grepable.h"
#include "time_spec.h"

typedef struct fixture {
    services *svc;
    probe_plan *plan;
    GArray *ports;   /* guint16 */
    GArray *results; /* port_result */
} fixture;

static void add(fixture *f, guint16 port, port_state state, reason why)
{
    port_result r = {(uint8_t)state, (uint8_t)why, state == PORT_FILTERED ? 0 : 64};
    g_array_append_val(f->ports, port);
    g_array_append_val(f->results, r);
}

static gboolean setup(fixture *f)
{
    memset(f, 0, sizeof *f);
    /* Names like nsw-fe are beyond the built-in top 1000. */
    f->svc = services_load(SERVICES_NMAP_PATH, NULL);
    if (f->svc == NULL) {
        g_test_skip("nmap-services not installed");
        return FALSE;
    }
    f->ports = g_array_new(FALSE, FALSE, sizeof(guint16));
    f->results = g_array_new(FALSE, FALSE, sizeof(port_result));
    f->plan = probe_plan_new();
    return TRUE;
}

static void teardown(fixture *f)
{
    probe_plan_free(f->plan);
    services_free(f->svc);
    g_array_unref(f->ports);
    g_array_unref(f->results);
}

static char *host_lines(fixture *f, uint32_t addr, int verbose)
{
    report_context ctx = {.plan = f->plan, .svc = f->svc, .verbose = verbose};
    host_result h = {.addr = packet_addr_from_ipv4(addr),
                     .status = {HOST_UP, REASON_ARP_RESPONSE, 0},
                     .ports = (port_result *)f->results->data};
    rtt_init(&h.rtt);
    GString *out = g_string_new(NULL);
    report_grepable_host(out, &ctx, &h);
    return g_string_free(out, FALSE);
}

/* nmap -sS -p 1-200,8080,8443,3389,5900 -oG: 198 closed ports folded, the
 * four filtered ones listed (fewer than 26). */
static void test_ignored_state(void)
{
    fixture f;
    if (!setup(&f))
        return;
    for (guint16 p = 1; p <= 200; p++)
        add(&f, p, p == 22 || p == 80 ? PORT_OPEN : PORT_CLOSED,
            p == 22 || p == 80 ? REASON_SYN_ACK : REASON_RESET);
    add(&f, 3389, PORT_FILTERED, REASON_ADMIN_PROHIBITED);
    add(&f, 5900, PORT_FILTERED, REASON_HOST_UNREACH);
    add(&f, 8080, PORT_FILTERED, REASON_NO_RESPONSE);
    add(&f, 8443, PORT_FILTERED, REASON_NO_RESPONSE);
    probe_plan_add(f.plan, &scan_syn, 40000, (const uint16_t *)f.ports->data, f.ports->len);
    g_autofree char *text = host_lines(&f, 0x0ac90002, 0);
    g_assert_cmpstr(text, ==,
                    "Host: 10.201.0.2 ()\tStatus: Up\n"
                    "Host: 10.201.0.2 ()\tPorts: 22/open/tcp//ssh///, 80/open/tcp//http///, "
                    "3389/filtered/tcp//ms-wbt-server///, 5900/filtered/tcp//vnc///, "
                    "8080/filtered/tcp//http-proxy///, 8443/filtered/tcp//https-alt///"
                    "\tIgnored State: closed (198)\n");
    teardown(&f);
}

/* nmap -sS -p 1-79 -oG on the second lab target: every port folded. */
static void test_all_ignored(void)
{
    fixture f;
    if (!setup(&f))
        return;
    for (guint16 p = 1; p <= 79; p++)
        add(&f, p, PORT_CLOSED, REASON_RESET);
    probe_plan_add(f.plan, &scan_syn, 40000, (const uint16_t *)f.ports->data, f.ports->len);
    g_autofree char *text = host_lines(&f, 0x0ac90003, 2);
    g_assert_cmpstr(text, ==,
                    "Host: 10.201.0.3 ()\tStatus: Up\n"
                    "Host: 10.201.0.3 ()\tPorts: \tIgnored State: closed (79)\n");
    teardown(&f);
}

/* nmap -sS -sU -p T:22,23,U:53,500,1900 -oG: TCP first, then UDP. */
static void test_two_protocols(void)
{
    fixture f;
    if (!setup(&f))
        return;
    static const uint16_t tcp[] = {22, 23}, udp[] = {53, 500, 1900};
    add(&f, 22, PORT_OPEN, REASON_SYN_ACK);
    add(&f, 23, PORT_CLOSED, REASON_RESET);
    add(&f, 53, PORT_OPEN, REASON_UDP_RESPONSE);
    add(&f, 500, PORT_OPEN_FILTERED, REASON_NO_RESPONSE);
    add(&f, 1900, PORT_FILTERED, REASON_ADMIN_PROHIBITED);
    probe_plan_add(f.plan, &scan_syn, 40000, tcp, 2);
    probe_plan_add(f.plan, &scan_udp, 40100, udp, 3);
    g_autofree char *text = host_lines(&f, 0x0ac90002, 0);
    g_assert_cmpstr(text, ==,
                    "Host: 10.201.0.2 ()\tStatus: Up\n"
                    "Host: 10.201.0.2 ()\tPorts: 22/open/tcp//ssh///, 23/closed/tcp//telnet///, "
                    "53/open/udp//domain///, 500/open|filtered/udp//isakmp///, "
                    "1900/filtered/udp//upnp///\n");
    teardown(&f);
}

/* nmap folds a state of more than 25 ports, 50 with -v, 75 with -vv (nmap
 * 7.93 on 127.0.0.1, -p 1-N, every port closed). */
static void test_verbose_folds_later(void)
{
    static const struct {
        guint ports;
        int verbose;
        gboolean folded;
    } cases[] = {{26, 0, TRUE}, {26, 1, FALSE}, {50, 1, FALSE},
                 {51, 1, TRUE}, {75, 2, FALSE}, {76, 2, TRUE}};
    for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
        fixture f;
        if (!setup(&f))
            return;
        for (guint16 p = 1; p <= cases[c].ports; p++)
            add(&f, p, PORT_CLOSED, REASON_RESET);
        probe_plan_add(f.plan, &scan_syn, 40000, (const uint16_t *)f.ports->data, f.ports->len);
        g_autofree char *text = host_lines(&f, 0x7f000001, cases[c].verbose);
        g_assert_cmpint(strstr(text, "\tIgnored State: closed") != NULL, ==, cases[c].folded);
        g_assert_cmpint(strstr(text, "1/closed/tcp//tcpmux///") != NULL, ==, !cases[c].folded);
        teardown(&f);
    }
}

/* Two states folded: nmap's grepable format holds one "Ignored State", so
 * there is none, and the folded ports are in no field (output.cc). */
static void test_two_states_folded(void)
{
    fixture f;
    if (!setup(&f))
        return;
    for (guint16 p = 1; p <= 61; p++)
        add(&f, p,
            p == 22   ? PORT_OPEN
            : p <= 31 ? PORT_CLOSED
                      : PORT_FILTERED,
            p == 22   ? REASON_SYN_ACK
            : p <= 31 ? REASON_RESET
                      : REASON_NO_RESPONSE);
    probe_plan_add(f.plan, &scan_syn, 40000, (const uint16_t *)f.ports->data, f.ports->len);
    g_autofree char *text = host_lines(&f, 0x0ac90002, 0);
    g_assert_cmpstr(text, ==,
                    "Host: 10.201.0.2 ()\tStatus: Up\n"
                    "Host: 10.201.0.2 ()\tPorts: 22/open/tcp//ssh///\n");
    teardown(&f);
}

/* A host found down is listed with -v only; the name in parentheses is the
 * reverse DNS one, not what the user typed (nmap's HostName()). */
static void test_status_lines(void)
{
    report_context quiet = {0}, verbose = {.verbose = 1};
    host_result down = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90005),
                        .status = {HOST_DOWN, REASON_NO_RESPONSE, 0}};
    host_result ptr = {.addr = PACKET_ADDR_IPV4_INIT(0x7f000001),
                       .name = (char *)"localhost",
                       .name_from_dns = TRUE,
                       .status = {HOST_UP, REASON_LOCALHOST_RESPONSE, 0}};
    host_result typed = ptr;
    typed.name_from_dns = FALSE;
    g_autoptr(GString) out = g_string_new(NULL);
    report_grepable_host(out, &quiet, &down);
    g_assert_cmpstr(out->str, ==, "");
    report_grepable_host(out, &verbose, &down);
    report_grepable_host(out, &quiet, &ptr);
    report_grepable_host(out, &quiet, &typed);
    g_assert_cmpstr(out->str, ==,
                    "Host: 10.201.0.5 ()\tStatus: Down\n"
                    "Host: 127.0.0.1 (localhost)\tStatus: Up\n"
                    "Host: 127.0.0.1 ()\tStatus: Up\n");
}

/* nmap -sS -p 22,8080,8443 --host-timeout 200ms on the full lab target, and
 * --open on 127.0.0.1 -p 22,25,2024 (2024 open, the others closed) and on a
 * host with nothing open. */
static void test_timeout_and_open(void)
{
    fixture f;
    if (!setup(&f))
        return;
    add(&f, 22, PORT_CLOSED, REASON_RESET);
    add(&f, 25, PORT_CLOSED, REASON_RESET);
    add(&f, 2024, PORT_OPEN, REASON_SYN_ACK);
    probe_plan_add(f.plan, &scan_syn, 40000, (const uint16_t *)f.ports->data, f.ports->len);
    report_context ctx = {.plan = f.plan, .svc = f.svc};
    host_result h = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90002),
                     .status = {HOST_UP, REASON_ARP_RESPONSE, 0},
                     .timed_out = TRUE,
                     .ports = (port_result *)f.results->data};
    g_autoptr(GString) out = g_string_new(NULL);
    report_grepable_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==,
                    "Host: 10.201.0.2 ()\tStatus: Up\n"
                    "Host: 10.201.0.2 ()\tStatus: Timeout\n");
    g_string_truncate(out, 0);
    h.timed_out = FALSE;
    h.addr = (packet_addr)PACKET_ADDR_IPV4_INIT(0x7f000001);
    ctx.open_only = TRUE;
    report_grepable_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==,
                    "Host: 127.0.0.1 ()\tStatus: Up\n"
                    "Host: 127.0.0.1 ()\tPorts: 2024/open/tcp//xinuexpansion4///"
                    "\tIgnored State: closed (2)\n");
    g_string_truncate(out, 0);
    ((port_result *)f.results->data)[2] = (port_result){PORT_CLOSED, REASON_RESET, 64};
    report_grepable_host(out, &ctx, &h);
    g_assert_cmpstr(out->str, ==, "");
    teardown(&f);
}

/* The comment lines: the header as the -oN file's, nmap's "# Ports scanned"
 * with -v (ports sorted and folded into ranges), the -oN file's last line. */
static void test_comments(void)
{
    static const uint16_t ports[] = {1, 2, 3, 80, 113, 443, 3389, 5900, 8080, 8443};
    probe_plan *plan = probe_plan_new();
    probe_plan_add(plan, &scan_syn, 40000, ports, G_N_ELEMENTS(ports));
    report_context ctx = {.plan = plan, .verbose = 1, .scan_id = 0xabcdef01, .args = "st -v x"};
    g_autoptr(GString) out = g_string_new(NULL);
    report_grepable_start(out, &ctx);
    g_assert_true(g_str_has_prefix(out->str, "# scantrace " SCANTRACE_VERSION " scan initiated "));
    g_assert_true(strstr(out->str, " (scan id 0xabcdef01) as: st -v x\n# Ports scanned: "
                                   "TCP(10;1-3,80,113,443,3389,5900,8080,8443) UDP(0;) SCTP(0;) "
                                   "PROTOCOLS(0;)\n") != NULL);
    g_string_truncate(out, 0);
    ctx.plan = NULL; /* -sn */
    report_grepable_start(out, &ctx);
    g_assert_true(g_str_has_suffix(out->str, "\n# Ports scanned: TCP(0;) UDP(0;) SCTP(0;) "
                                             "PROTOCOLS(0;)\n"));
    g_string_truncate(out, 0);
    ctx.verbose = 0;
    report_grepable_start(out, &ctx);
    g_assert_null(strstr(out->str, "Ports scanned"));
    g_string_truncate(out, 0);
    report_grepable_done(out, 0, "1 IP address (1 host up) scanned in 0.05 seconds", NULL);
    g_assert_true(g_str_has_prefix(out->str, "# scantrace done at "));
    g_assert_true(
        g_str_has_suffix(out->str, " -- 1 IP address (1 host up) scanned in 0.05 seconds\n"));
    probe_plan_free(plan);
}

static void test_time_spec(void)
{
    static const struct {
        const char *text;
        gint64 us;
    } good[] = {{"1", 1000000},    {"1s", 1000000},    {"500ms", 500000},
                {"2m", 120000000}, {"1h", 3600000000}, {"1.5", 1500000},
                {"0", 0},          {"0.25s", 250000},  {"100ms", 100000}};
    for (guint i = 0; i < G_N_ELEMENTS(good); i++) {
        gint64 us = -1;
        g_autoptr(GError) error = NULL;
        g_assert_true(time_spec_parse("--stats-every", good[i].text, &us, &error));
        g_assert_no_error(error);
        g_assert_cmpint(us, ==, good[i].us);
    }
    static const char *const bad[] = {"",    "s",   "x",  "-1",    "1d", "1 s", "1sec",
                                      "inf", "nan", "ms", "1e12h", "+1", ".5"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        gint64 us = 0;
        g_autoptr(GError) error = NULL;
        g_assert_false(time_spec_parse("--stats-every", bad[i], &us, &error));
        g_assert_error(error, ST_ERROR, ST_ERROR_INPUT);
        g_assert_nonnull(strstr(error->message, "--stats-every"));
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/grepable/ignored-state", test_ignored_state);
    g_test_add_func("/grepable/all-ignored", test_all_ignored);
    g_test_add_func("/grepable/two-protocols", test_two_protocols);
    g_test_add_func("/grepable/two-states-folded", test_two_states_folded);
    g_test_add_func("/grepable/verbose-folds-later", test_verbose_folds_later);
    g_test_add_func("/grepable/status-lines", test_status_lines);
    g_test_add_func("/grepable/comments", test_comments);
    g_test_add_func("/grepable/timeout-and-open", test_timeout_and_open);
    g_test_add_func("/time-spec/parse", test_time_spec);
    return g_test_run();
}
