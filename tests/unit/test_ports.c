/* nmap's -p syntax: what it accepts, and the one-line errors for what it does not. */
#include <glib.h>

#include "ports.h"

static GArray *parse_ok(const char *spec)
{
    GError *error = NULL;
    GArray *ports = ports_parse(spec, &error);
    g_assert_no_error(error);
    g_assert_nonnull(ports);
    return ports;
}

static void assert_bad(const char *spec, const char *fragment)
{
    GError *error = NULL;
    GArray *ports = ports_parse(spec, &error);
    g_assert_null(ports);
    g_assert_nonnull(error);
    g_assert_nonnull(strstr(error->message, fragment));
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

static guint16 at(GArray *a, guint i)
{
    return g_array_index(a, guint16, i);
}

static void test_list_and_ranges(void)
{
    g_autoptr(GArray) p = parse_ok("80,22,1000-1003,22");
    g_assert_cmpuint(p->len, ==, 6);
    g_assert_cmpuint(at(p, 0), ==, 22);
    g_assert_cmpuint(at(p, 1), ==, 80);
    g_assert_cmpuint(at(p, 2), ==, 1000);
    g_assert_cmpuint(at(p, 5), ==, 1003);
}

static void test_all_ports(void)
{
    g_autoptr(GArray) p = parse_ok("-");
    g_assert_cmpuint(p->len, ==, 65535);
    g_assert_cmpuint(at(p, 0), ==, 1);
    g_assert_cmpuint(at(p, 65534), ==, 65535);
}

static void test_open_ranges(void)
{
    g_autoptr(GArray) low = parse_ok("-10");
    g_assert_cmpuint(low->len, ==, 10);
    g_assert_cmpuint(at(low, 0), ==, 1);
    g_autoptr(GArray) high = parse_ok("65530-");
    g_assert_cmpuint(high->len, ==, 6);
    g_assert_cmpuint(at(high, 5), ==, 65535);
}

static void test_bounds(void)
{
    g_autoptr(GArray) one = parse_ok("1");
    g_assert_cmpuint(at(one, 0), ==, 1);
    g_autoptr(GArray) top = parse_ok("65535");
    g_assert_cmpuint(at(top, 0), ==, 65535);
    assert_bad("65536", "port 65536 is out of range (ports are 0-65535)");
    assert_bad("65000-70000", "out of range");
    assert_bad("99999999999999999999", "out of range");
}

/* nmap 7.93 in the lab: "-p 0" and "-p 0-5" scan port 0, "-p0-" scans
 * 0-65535 (numservices 65536), "-p-" and "-p -5" start at 1. */
static void test_port_zero(void)
{
    g_autoptr(GArray) zero = parse_ok("0");
    g_assert_cmpuint(zero->len, ==, 1);
    g_assert_cmpuint(at(zero, 0), ==, 0);
    g_autoptr(GArray) low = parse_ok("0-5");
    g_assert_cmpuint(low->len, ==, 6);
    g_assert_cmpuint(at(low, 0), ==, 0);
    g_assert_cmpuint(at(low, 5), ==, 5);
    g_autoptr(GArray) all = parse_ok("0-");
    g_assert_cmpuint(all->len, ==, 65536);
    g_assert_cmpuint(at(all, 0), ==, 0);
    g_assert_cmpuint(at(all, 65535), ==, 65535);
    g_autoptr(GArray) dash = parse_ok("-");
    g_assert_cmpuint(at(dash, 0), ==, 1);
    g_autoptr(GArray) open_low = parse_ok("-5");
    g_assert_cmpuint(open_low->len, ==, 5);
    g_assert_cmpuint(at(open_low, 0), ==, 1);
    g_autoptr(GArray) listed = parse_ok("80,0,0");
    g_autofree char *s = ports_format((const uint16_t *)listed->data, listed->len);
    g_assert_cmpstr(s, ==, "0,80");
    g_autoptr(GArray) range = parse_ok("0-3");
    g_autofree char *r = ports_format((const uint16_t *)range->data, range->len);
    g_assert_cmpstr(r, ==, "0-3");
    assert_bad("-0", "reversed port range");

    GError *error = NULL;
    GArray *tcp, *udp, *sctp;
    g_assert_true(ports_parse_split("T:0,U:0-1,S:0", &tcp, &udp, &sctp, &error));
    g_assert_no_error(error);
    g_assert_cmpuint(tcp->len, ==, 1);
    g_assert_cmpuint(at(tcp, 0), ==, 0);
    g_assert_cmpuint(udp->len, ==, 2);
    g_assert_cmpuint(at(udp, 0), ==, 0);
    g_assert_cmpuint(sctp->len, ==, 1);
    g_assert_cmpuint(at(sctp, 0), ==, 0);
    g_array_unref(tcp);
    g_array_unref(udp);
    g_array_unref(sctp);
}

static void test_garbage(void)
{
    assert_bad("100-20", "reversed port range \"100-20\"");
    assert_bad("abc", "port names such as \"abc\" are not supported");
    assert_bad("22,ssh",
               "port names such as \"ssh\" are not supported by scantrace: give port numbers");
    assert_bad("22a", "bad port specification \"22a\"");
    assert_bad("22,", "empty item");
    assert_bad("", "empty port list");
    assert_bad("1-2-3", "bad port range");
    assert_bad("22,x80", "port names such as \"x80\" are not supported");
    assert_bad("[1-100]",
               "nmap-services port forms such as \"[1-100]\" (names, wildcards, [ranges]) "
               "are not supported by scantrace: give port numbers");
    assert_bad("*", "nmap-services port forms such as \"*\"");
    assert_bad("22,ht?p", "nmap-services port forms such as \"ht?p\"");
    assert_bad(" 22", "bad port specification");
    assert_bad("+22", "bad port specification");
}

static void test_format(void)
{
    g_autoptr(GArray) p = parse_ok("1,3-5,7,80-81");
    g_autofree char *s = ports_format((const uint16_t *)p->data, p->len);
    g_assert_cmpstr(s, ==, "1,3-5,7,80-81");
    g_autofree char *empty = ports_format(NULL, 0);
    g_assert_cmpstr(empty, ==, "");
}

static void test_protocol_prefixes(void)
{
    GError *error = NULL;
    GArray *tcp, *udp, *sctp;
    g_assert_true(ports_parse_split("22,T:80,443,U:53,u:1-2", &tcp, &udp, &sctp, &error));
    g_assert_no_error(error);
    g_autofree char *t = ports_format((const uint16_t *)tcp->data, tcp->len);
    g_autofree char *u = ports_format((const uint16_t *)udp->data, udp->len);
    g_assert_cmpstr(t, ==, "22,80,443");
    g_assert_cmpstr(u, ==, "1-2,22,53");
    g_assert_cmpuint(sctp->len, ==, 1);
    g_array_unref(tcp);
    g_array_unref(udp);
    g_array_unref(sctp);

    g_assert_true(ports_parse_split("T:22,S:80,s:9,U:7", &tcp, &udp, &sctp, &error));
    g_autofree char *sc = ports_format((const uint16_t *)sctp->data, sctp->len);
    g_assert_cmpstr(sc, ==, "9,80");
    g_assert_cmpuint(tcp->len, ==, 1);
    g_assert_cmpuint(udp->len, ==, 1);
    g_array_unref(tcp);
    g_array_unref(udp);
    g_array_unref(sctp);

    g_assert_true(ports_parse_split("U:53", &tcp, &udp, &sctp, &error));
    g_assert_cmpuint(tcp->len, ==, 0);
    g_assert_cmpuint(udp->len, ==, 1);
    g_assert_cmpuint(sctp->len, ==, 0);
    g_array_unref(tcp);
    g_array_unref(udp);
    g_array_unref(sctp);

    g_assert_false(ports_parse_split("X:80", &tcp, &udp, &sctp, &error));
    g_assert_nonnull(strstr(error->message, "only T:, U: and S:"));
    g_clear_error(&error);
    g_assert_false(ports_parse_split("T:,U:53", &tcp, &udp, &sctp, &error));
    g_assert_null(strchr(error->message, '\n'));
    g_clear_error(&error);
    g_assert_false(ports_parse_split("T:65536", &tcp, &udp, &sctp, &error));
    g_clear_error(&error);
    g_assert_null(tcp);
    g_assert_null(udp);
    g_assert_null(sctp);
}

/* -sO's -p: protocol numbers 0-255, P: for them, T:/U:/S: lists left out. */
static void test_protocols(void)
{
    GError *error = NULL;
    struct {
        const char *spec, *want;
    } ok[] = {{"1,6,17", "1,6,17"}, {"0-3,255", "0-3,255"},  {"-", "0-255"},  {"250-", "250-255"},
              {"-2", "0-2"},        {"T:80,P:6,17", "6,17"}, {"6,U:53", "6"}, {"T:80", ""}};
    for (size_t i = 0; i < G_N_ELEMENTS(ok); i++) {
        GArray *p = ports_parse_protocols(ok[i].spec, &error);
        g_assert_no_error(error);
        g_autofree char *text = ports_format((const uint16_t *)p->data, p->len);
        g_assert_cmpstr(text, ==, ok[i].want);
        g_array_unref(p);
    }
    const char *bad[] = {"256", "1,300", "0-256", "x", "", "1,,2", "5-3", "1-2-3", "Q:6"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_null(ports_parse_protocols(bad[i], &error));
        g_assert_nonnull(error);
        g_assert_null(strchr(error->message, '\n'));
        g_clear_error(&error);
    }
    g_assert_null(ports_parse_protocols("256", &error));
    g_assert_nonnull(strstr(error->message, "between 0 and 255 inclusive"));
    g_clear_error(&error);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ports/list-and-ranges", test_list_and_ranges);
    g_test_add_func("/ports/all", test_all_ports);
    g_test_add_func("/ports/open-ranges", test_open_ranges);
    g_test_add_func("/ports/bounds", test_bounds);
    g_test_add_func("/ports/zero", test_port_zero);
    g_test_add_func("/ports/garbage", test_garbage);
    g_test_add_func("/ports/format", test_format);
    g_test_add_func("/ports/protocol-prefixes", test_protocol_prefixes);
    g_test_add_func("/ports/ip-protocols", test_protocols);
    return g_test_run();
}
