/* Target specs: addresses, CIDR blocks, nmap octet ranges and host names, and the
 * one-line errors for bad ones; with -6, IPv6 addresses, prefixes and %iface,
 * and the refusals of each family's targets in the other's scan. */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "targets.h"

static targets *parse_family(const char *spec, gboolean ipv6)
{
    const char *specs[] = {spec, NULL};
    GError *error = NULL;
    targets *t = targets_parse(specs, ipv6, &error);
    g_assert_no_error(error);
    g_assert_nonnull(t);
    return t;
}

static targets *parse_ok(const char *spec)
{
    return parse_family(spec, FALSE);
}

static void assert_bad_family(const char *spec, gboolean ipv6, const char *fragment)
{
    const char *specs[] = {spec, NULL};
    GError *error = NULL;
    g_assert_null(targets_parse(specs, ipv6, &error));
    g_assert_nonnull(error);
    if (!strstr(error->message, fragment))
        g_error("\"%s\": message \"%s\" lacks \"%s\"", spec, error->message, fragment);
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

static void assert_bad(const char *spec, const char *fragment)
{
    assert_bad_family(spec, FALSE, fragment);
}

static uint32_t ip(unsigned a, unsigned b, unsigned c, unsigned d)
{
    return (a << 24) | (b << 16) | (c << 8) | d;
}

/* The next address, which must be an IPv4 one, in host order. */
static gboolean next_ipv4(target_iter *it, uint32_t *addr, const char **name)
{
    packet_addr a;
    if (!target_iter_next(it, &a, name))
        return FALSE;
    g_assert_true(packet_addr_is_ipv4(&a));
    *addr = packet_addr_low32(&a);
    return TRUE;
}

/* The first and last address a spec yields, and how many. */
static void assert_span(const char *spec, guint64 count, uint32_t first, uint32_t last)
{
    targets *t = parse_ok(spec);
    g_assert_cmpuint(targets_count(t), ==, count);
    if (count <= 70000) {
        target_iter it;
        target_iter_init(&it, t);
        uint32_t addr, prev = 0, got_first = 0;
        const char *name;
        guint64 n = 0;
        while (next_ipv4(&it, &addr, &name)) {
            if (n == 0)
                got_first = addr;
            else
                g_assert_cmpuint(addr, >, prev);
            prev = addr;
            n++;
        }
        g_assert_cmpuint(n, ==, count);
        g_assert_cmpuint(got_first, ==, first);
        g_assert_cmpuint(prev, ==, last);
    }
    targets_free(t);
}

static void test_single(void)
{
    assert_span("10.0.0.1", 1, ip(10, 0, 0, 1), ip(10, 0, 0, 1));
    assert_span("255.255.255.255", 1, ip(255, 255, 255, 255), ip(255, 255, 255, 255));
}

static void test_cidr(void)
{
    assert_span("10.0.0.77/24", 256, ip(10, 0, 0, 0), ip(10, 0, 0, 255));
    assert_span("10.0.0.77/32", 1, ip(10, 0, 0, 77), ip(10, 0, 0, 77));
    assert_span("10.0.0.77/31", 2, ip(10, 0, 0, 76), ip(10, 0, 0, 77));
    assert_span("192.168.17.5/20", 4096, ip(192, 168, 16, 0), ip(192, 168, 31, 255));
    assert_span("172.16.200.1/12", 1u << 20, 0, 0);
    assert_span("1.2.3.4/0", G_GUINT64_CONSTANT(1) << 32, 0, 0);
}

static void test_cidr_bad(void)
{
    assert_bad("10.0.0.0/33", "bad CIDR mask");
    assert_bad("10.0.0.0/-1", "bad CIDR mask");
    assert_bad("10.0.0.0/", "bad CIDR mask");
    assert_bad("10.0.0.0/2x", "bad CIDR mask");
    assert_bad("10.0.0.0/255.255.255.0", "bad CIDR mask");
    assert_bad("10.0.0.1-5/24", "cannot also hold octet ranges");
    assert_bad("/24", "bad target");
}

static void test_ranges(void)
{
    assert_span("10.0.0.1-20", 20, ip(10, 0, 0, 1), ip(10, 0, 0, 20));
    assert_span("10.0.1-2.1-5", 10, ip(10, 0, 1, 1), ip(10, 0, 2, 5));
    assert_span("10.0.0.*", 256, ip(10, 0, 0, 0), ip(10, 0, 0, 255));
    assert_span("10.0.0.1,3,5-6", 4, ip(10, 0, 0, 1), ip(10, 0, 0, 6));
    assert_span("10.0.0.5-5", 1, ip(10, 0, 0, 5), ip(10, 0, 0, 5));
}

static void test_ranges_bad(void)
{
    assert_bad("10.0.0.20-1", "bad IPv4 address or range");
    assert_bad("10.0.0.1-256", "bad IPv4 address or range");
    assert_bad("10.0.0.256", "bad IPv4 address or range");
    assert_bad("10.0.0", "want a.b.c.d");
    assert_bad("10.0.0.1.2", "want a.b.c.d");
    assert_bad("10.0..1", "bad IPv4 address or range");
    assert_bad("10.0.0.1,", "bad IPv4 address or range");
    assert_bad("10.0.0.-", "bad IPv4 address or range");
}

static void test_host_names(void)
{
    targets *t = parse_ok("localhost");
    target_iter it;
    target_iter_init(&it, t);
    uint32_t addr;
    const char *name;
    g_assert_true(next_ipv4(&it, &addr, &name));
    g_assert_cmpuint(addr >> 24, ==, 127);
    g_assert_cmpstr(name, ==, "localhost");
    g_assert_false(next_ipv4(&it, &addr, &name));
    targets_free(t);

    /* The name belongs to the address it resolved to, not to its whole block. */
    t = parse_ok("localhost/30");
    g_assert_cmpuint(targets_count(t), ==, 4);
    target_iter_init(&it, t);
    guint named = 0;
    while (next_ipv4(&it, &addr, &name))
        named += name != NULL;
    g_assert_cmpuint(named, ==, 1);
    targets_free(t);

    /* A 64-octet label is refused by the resolver itself, so this test never
     * sends a query to a name server. */
    g_autofree char *label = g_strnfill(64, 'a');
    g_autofree char *unknown = g_strconcat(label, ".invalid", NULL);
    /* Quoted up to its 64th byte (SAFE_TEXT_TOKEN_MAX), then "...". */
    g_autofree char *message = g_strdup_printf("failed to resolve \"%s...\"", label);
    assert_bad(unknown, message);

    /* A 100 KB token (an -iL line of one word): the message quotes its start
     * only, and stays short. */
    GString *huge = g_string_new("10.201.0.");
    while (huge->len < 100 * 1024)
        g_string_append(huge, "10.201.0.");
    const char *specs[] = {huge->str, NULL};
    GError *error = NULL;
    g_assert_null(targets_parse(specs, FALSE, &error));
    g_assert_nonnull(error);
    g_autofree char *start = g_strndup(huge->str, 64);
    g_autofree char *quoted = g_strdup_printf("\"%s...\"", start);
    g_assert_nonnull(strstr(error->message, quoted));
    g_assert_cmpuint(strlen(error->message), <, 200);
    g_error_free(error);
    g_string_free(huge, TRUE);
}

static void test_several(void)
{
    const char *specs[] = {"10.0.0.1", "10.0.0.8/30", "10.0.1.1-2", NULL};
    GError *error = NULL;
    targets *t = targets_parse(specs, FALSE, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(targets_count(t), ==, 7);
    target_iter it;
    target_iter_init(&it, t);
    uint32_t want[] = {ip(10, 0, 0, 1),  ip(10, 0, 0, 8), ip(10, 0, 0, 9), ip(10, 0, 0, 10),
                       ip(10, 0, 0, 11), ip(10, 0, 1, 1), ip(10, 0, 1, 2)};
    uint32_t addr;
    const char *name;
    for (guint i = 0; i < G_N_ELEMENTS(want); i++) {
        g_assert_true(next_ipv4(&it, &addr, &name));
        g_assert_cmpuint(addr, ==, want[i]);
        g_assert_null(name);
    }
    g_assert_false(next_ipv4(&it, &addr, &name));
    targets_free(t);
}

/* The addresses a -6 spec yields, in order, as text; its interface. */
static void assert_ipv6(const char *spec, guint64 count, const char *first, const char *last,
                        const char *iface)
{
    targets *t = parse_family(spec, TRUE);
    g_assert_cmpuint(targets_count(t), ==, count);
    target_iter it;
    target_iter_init(&it, t);
    packet_addr a, prev = {{0}};
    const char *name;
    char text[PACKET_ADDR_TEXT];
    guint64 n = 0;
    while (target_iter_next(&it, &a, &name)) {
        g_assert_false(packet_addr_is_ipv4(&a));
        g_assert_null(name);
        g_assert_cmpstr(target_iter_interface(&it), ==, iface);
        if (n == 0)
            g_assert_cmpstr(packet_addr_format(&a, text), ==, first);
        else
            g_assert_cmpint(packet_addr_compare(&prev, &a), <, 0);
        prev = a;
        n++;
    }
    g_assert_cmpuint(n, ==, count);
    g_assert_cmpstr(packet_addr_format(&prev, text), ==, last);
    targets_free(t);
}

static void test_ipv6(void)
{
    assert_ipv6("fd20:1::2", 1, "fd20:1::2", "fd20:1::2", NULL);
    assert_ipv6("FD20:0001:0:0:0:0:0:0002/128", 1, "fd20:1::2", "fd20:1::2", NULL);
    /* The prefix's first address is where its host bits are 0. */
    assert_ipv6("fd20:1::7/120", 256, "fd20:1::", "fd20:1::ff", NULL);
    assert_ipv6("fd20:1::1:0:17/112", 65536, "fd20:1::1:0:0", "fd20:1::1:0:ffff", NULL);
    assert_ipv6("fe80::1%st0", 1, "fe80::1", "fe80::1", "st0");
    assert_ipv6("fe80::1%st0/127", 2, "fe80::", "fe80::1", "st0");
    /* /96: 2^32 addresses, counted without walking them. */
    targets *t = parse_family("2001:db8::/96", TRUE);
    g_assert_cmpuint(targets_count(t), ==, G_GUINT64_CONSTANT(1) << 32);
    targets_free(t);

    const char *specs[] = {"fd20:1::2", "fd20:1::3%st0", NULL};
    GError *error = NULL;
    t = targets_parse(specs, TRUE, &error);
    g_assert_no_error(error);
    target_iter it;
    target_iter_init(&it, t);
    packet_addr a;
    const char *name;
    g_assert_true(target_iter_next(&it, &a, &name));
    g_assert_null(target_iter_interface(&it));
    g_assert_true(target_iter_next(&it, &a, &name));
    g_assert_cmpstr(target_iter_interface(&it), ==, "st0");
    g_assert_cmphex(a.bytes[15], ==, 3);
    g_assert_false(target_iter_next(&it, &a, &name));
    targets_free(t);

    /* --exclude -6: a prefix holds its addresses and no other. */
    t = parse_family("fd20:1::80/121", TRUE);
    packet_addr in = {{0xfd, 0x20, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff}};
    g_assert_true(targets_contains(t, &in));
    in.bytes[15] = 0x7f;
    g_assert_false(targets_contains(t, &in));
    in.bytes[15] = 0x80;
    in.bytes[11] = 1;
    g_assert_false(targets_contains(t, &in));
    packet_addr v4 = packet_addr_from_ipv4(0xfd200080);
    g_assert_false(targets_contains(t, &v4));
    targets_free(t);
}

static void test_ipv6_bad(void)
{
    /* nmap's words, but an error: nothing is scanned. */
    assert_bad_family("fd20:1::2", FALSE,
                      "looks like an IPv6 target specification -- you have to use the -6 option");
    assert_bad_family("::1/128", FALSE, "you have to use the -6 option");
    assert_bad_family("10.0.0.1", TRUE, "is not an IPv6 address (scan IPv4 targets without -6)");
    assert_bad_family("10.0.0.1-5", TRUE, "without -6");
    assert_bad_family("::ffff:10.0.0.1", TRUE, "IPv4-mapped");
    /* More than 2^32 addresses: nmap takes them and walks a /64 for ever. */
    assert_bad_family("fd20:1::/64", TRUE, "shorter than /96");
    assert_bad_family("fd20:1::/95", TRUE, "shorter than /96");
    assert_bad_family("fd20:1::/129", TRUE, "bad IPv6 prefix length");
    assert_bad_family("fd20:1::/", TRUE, "bad IPv6 prefix length");
    assert_bad_family("fd20:1::/x", TRUE, "bad IPv6 prefix length");
    assert_bad_family("fd20:1:::2", TRUE, "bad IPv6 address");
    assert_bad_family("fd20:1::1-5", TRUE, "bad IPv6 address");
    assert_bad_family("fe80::1%", TRUE, "bad target");
    assert_bad_family("%st0", TRUE, "bad target");
    /* A 64-octet label: the resolver refuses it without asking anyone. */
    g_autofree char *label = g_strnfill(64, 'a');
    g_autofree char *unknown = g_strconcat(label, ".invalid", NULL);
    g_autofree char *message = g_strdup_printf("failed to resolve \"%s...\"", label);
    assert_bad_family(unknown, TRUE, message);
}

/* -iL: words separated by any white space, # comments, in file order. */
static void test_input_file(void)
{
    g_autofree char *path = NULL;
    GError *error = NULL;
    int fd = g_file_open_tmp("targets-XXXXXX", &path, &error);
    g_assert_no_error(error);
    const char text[] = "10.0.0.3 # the first\n\t10.0.0.1,2  10.0.1.0/30\r\n# nothing\n\n";
    g_assert_true(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    g_auto(GStrv) specs = targets_read_file(path, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(g_strv_length(specs), ==, 3);
    g_assert_cmpstr(specs[0], ==, "10.0.0.3");
    g_assert_cmpstr(specs[1], ==, "10.0.0.1,2");
    g_assert_cmpstr(specs[2], ==, "10.0.1.0/30");
    g_unlink(path);

    g_assert_null(targets_read_file("/nonexistent/targets", &error));
    g_assert_nonnull(strstr(error->message, "/nonexistent/targets"));
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/targets/single", test_single);
    g_test_add_func("/targets/cidr", test_cidr);
    g_test_add_func("/targets/cidr-bad", test_cidr_bad);
    g_test_add_func("/targets/ranges", test_ranges);
    g_test_add_func("/targets/ranges-bad", test_ranges_bad);
    g_test_add_func("/targets/host-names", test_host_names);
    g_test_add_func("/targets/several", test_several);
    g_test_add_func("/targets/input-file", test_input_file);
    g_test_add_func("/targets/ipv6", test_ipv6);
    g_test_add_func("/targets/ipv6-bad", test_ipv6_bad);
    return g_test_run();
}
