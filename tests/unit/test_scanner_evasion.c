/* -f/--mtu and -D: the fragments of real probes put back together are the
 * probe (RFC 791's rules, as nmap's send_frag_ip_packet cuts them), a decoy's
 * copy differs from the probe only in its source address and valid checksums,
 * and the options take and refuse what nmap 7.93 does, in one line. */
#include <arpa/inet.h>
#include <glib.h>
#include <stdarg.h>
#include <string.h>

#include "decoys.h"
#include "ip_fragment.h"
#include "options.h"
#include "scan_type.h"

#define SCAN_ID 0x5ca1ab1eu

static size_t build(const scan_type *type, uint8_t proto, uint16_t dport, uint8_t *buf)
{
    gboolean icmp = proto == PACKET_ICMP;
    probe_spec spec = {.flow = {packet_addr_from_ipv4(0x0ac90001),
                                packet_addr_from_ipv4(0x0ac90002), icmp ? 0 : 40123,
                                icmp ? 0 : dport, proto},
                       .scan_id = SCAN_ID,
                       .try_no = 1};
    size_t len = scan_probe_build(type, &spec, buf, PROBE_MAX_LEN);
    g_assert_cmpuint(len, >, 20);
    return len;
}

static void test_fragments(void)
{
    const struct {
        const scan_type *type;
        uint8_t proto;
        uint16_t port;
    } probes[] = {
        {&scan_syn, PACKET_TCP, 22}, {&scan_udp, PACKET_UDP, 53}, {&ping_echo, PACKET_ICMP, 0}};
    const unsigned mtus[] = {8, 16, 24, 1480};
    for (size_t p = 0; p < G_N_ELEMENTS(probes); p++)
        for (size_t m = 0; m < G_N_ELEMENTS(mtus); m++) {
            uint8_t probe[PROBE_MAX_LEN], whole[PROBE_MAX_LEN], frag[PROBE_MAX_LEN];
            size_t len = build(probes[p].type, probes[p].proto, probes[p].port, probe);
            unsigned mtu = mtus[m], count = ip_fragment_count(len, 20, mtu);
            g_assert_cmpuint(count, ==, (len - 20 + mtu - 1) / mtu);
            memset(whole, 0, sizeof whole);
            size_t end = 0;
            for (unsigned i = 0; i < count; i++) {
                size_t n = ip_fragment_build(probe, len, mtu, i, frag, sizeof frag);
                g_assert_cmpuint(n, >, 20);
                g_assert_cmpuint(n - 20, <=, mtu);
                g_assert_cmpuint(get_be16(frag + 2), ==, n);
                g_assert_cmpuint(packet_checksum(frag, 20, 0), ==, 0); /* header sums to 0 */
                g_assert_cmpmem(frag + 4, 2, probe + 4, 2);            /* one IP ID */
                g_assert_cmpmem(frag + 12, 8, probe + 12, 8);          /* addresses */
                uint16_t off = get_be16(frag + 6);
                g_assert_cmpuint(!!(off & 0x2000), ==, i + 1 < count); /* MF but on the last */
                g_assert_cmpuint((off & 0x1fff) * 8u, ==, end);
                memcpy(whole + 20 + end, frag + 20, n - 20);
                end += n - 20;
            }
            g_assert_cmpuint(ip_fragment_build(probe, len, mtu, count, frag, sizeof frag), ==, 0);
            g_assert_cmpuint(end, ==, len - 20);
            g_assert_cmpmem(whole + 20, end, probe + 20, len - 20);
        }
}

static void test_decoy_copy(void)
{
    const scan_type *types[] = {&scan_syn, &scan_udp, &ping_echo, &scan_ack};
    const uint8_t protos[] = {PACKET_TCP, PACKET_UDP, PACKET_ICMP, PACKET_TCP};
    packet_addr decoy = packet_addr_from_ipv4(0x0ac90007);
    for (size_t t = 0; t < G_N_ELEMENTS(types); t++) {
        uint8_t probe[PROBE_MAX_LEN], copy[PROBE_MAX_LEN];
        size_t len = build(types[t], protos[t], 80, probe);
        memcpy(copy, probe, len);
        decoys_set_source(copy, len, &decoy);
        g_assert_cmpuint(get_be32(copy + 12), ==, 0x0ac90007);
        g_assert_cmpuint(packet_checksum(copy, 20, 0), ==, 0);
        /* The transport checksum verifies with the decoy's pseudo-header. */
        packet_addr dst = packet_addr_from_ipv4(get_be32(copy + 16));
        uint32_t pseudo = protos[t] == PACKET_ICMP
                              ? 0
                              : packet_pseudo_sum(&decoy, &dst, protos[t], (uint32_t)(len - 20));
        g_assert_cmpuint(packet_checksum(copy + 20, len - 20, pseudo), ==, 0);
        /* Nothing else differs: same ports, sequence number, IP ID, tag. */
        size_t sum_at = protos[t] == PACKET_TCP ? 36 : protos[t] == PACKET_UDP ? 26 : 22;
        for (size_t i = 0; i < len; i++)
            if (!(i >= 10 && i < 16) && i != sum_at && i != sum_at + 1)
                g_assert_cmpuint(copy[i], ==, probe[i]);
        /* A wrong checksum (--badsum) stays as wrong in the copy. */
        if (protos[t] != PACKET_ICMP) {
            put_be16(probe + sum_at, (uint16_t)(get_be16(probe + sum_at) - 1));
            memcpy(copy, probe, len);
            decoys_set_source(copy, len, &decoy);
            g_assert_cmpuint(packet_checksum(copy + 20, len - 20, pseudo), !=, 0);
        }
    }
}

static void test_decoy_list(void)
{
    decoy_list d;
    GError *error = NULL;
    g_assert_true(decoys_parse("10.201.0.7,ME,10.201.0.8", FALSE, &d, &error));
    g_assert_cmpuint(d.count, ==, 2);
    g_assert_cmpuint(d.me, ==, 1);
    g_assert_cmpuint(packet_addr_low32(&d.addrs[0]), ==, 0x0ac90007);
    g_assert_cmpuint(packet_addr_low32(&d.addrs[1]), ==, 0x0ac90008);
    g_assert_true(decoys_parse("ME,10.201.0.7", FALSE, &d, &error));
    g_assert_cmpuint(d.me, ==, 0);
    for (int i = 0; i < 20; i++) { /* without ME, ours is anywhere among them */
        g_assert_true(decoys_parse("10.201.0.7,10.201.0.8", FALSE, &d, &error));
        g_assert_cmpuint(d.me, <=, 2);
    }
    g_assert_true(decoys_parse("fd20:1::7,ME", TRUE, &d, &error));
    g_assert_cmpuint(d.addrs[0].bytes[15], ==, 7);
    /* RND:n draws addresses no reserved range holds (none is sent here). */
    g_assert_true(decoys_parse("RND:50,ME", FALSE, &d, &error));
    g_assert_cmpuint(d.count, ==, 50);
    g_assert_cmpuint(d.me, ==, 50);
    for (guint i = 0; i < d.count; i++)
        g_assert_false(decoys_reserved_ipv4(packet_addr_low32(&d.addrs[i])));
    g_assert_true(decoys_reserved_ipv4(0x0ac90007));
    g_assert_true(decoys_reserved_ipv4(0xe0000001));
    g_assert_true(decoys_reserved_ipv4(0xc6336401));
    g_assert_false(decoys_reserved_ipv4(0x08080808));
    const char *bad[] = {"10.201.0.7,ME,ME", "10.201.0.7,,ME", "", "foo.example", "RND:0", "RND:x",
                         "224.0.0.1",        "fd20:1::7"};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        g_assert_false(decoys_parse(bad[i], FALSE, &d, &error));
        g_assert_nonnull(error);
        g_assert_null(strchr(error->message, '\n'));
        g_clear_error(&error);
    }
    g_assert_false(decoys_parse("RND:2", TRUE, &d, &error));
    g_clear_error(&error);
}

static gboolean parse(scan_options *o, GError **error, ...)
{
    va_list ap;
    va_start(ap, error);
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "scantrace");
    for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *))
        g_ptr_array_add(args, (gpointer)a);
    g_ptr_array_add(args, NULL);
    va_end(ap);
    gboolean help;
    gboolean ok = options_parse((int)args->len - 1, (char **)args->pdata, o, &help, error);
    g_ptr_array_unref(args);
    return ok;
}

static void refused(const char *words, const char *a, const char *b, const char *c)
{
    scan_options o;
    GError *error = NULL;
    g_assert_false(parse(&o, &error, a, b, c, "10.201.0.2", NULL));
    if (!strstr(error->message, words))
        g_error("\"%s\" lacks \"%s\"", error->message, words);
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
    options_clear(&o);
}

static void test_options(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-f", "10.201.0.2", NULL));
    g_assert_cmpuint(o.fragment_mtu, ==, 8);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-ff", "10.201.0.2", NULL));
    g_assert_cmpuint(o.fragment_mtu, ==, 16);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-f", "--mtu", "24", "-sn", "10.201.0.2", NULL));
    g_assert_cmpuint(o.fragment_mtu, ==, 24); /* --mtu wins, as with nmap */
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sU", "-sA", "--mtu", "16", "10.201.0.2", NULL));
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-D", "10.201.0.7,ME", "10.201.0.2", NULL));
    g_assert_cmpuint(o.decoys.count, ==, 1);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-D10.201.0.7", "10.201.0.2", NULL));
    g_assert_cmpuint(o.decoys.count, ==, 1);
    options_clear(&o);
    refused("Data payload MTU must be >0 and multiple of 8", "--mtu", "12", "-sS");
    refused("Data payload MTU must be >0 and multiple of 8", "--mtu", "0", "-sS");
    refused("Data payload MTU must be >0 and multiple of 8", "--mtu", "8x", "-sS");
    refused("Fragscan only works with TCP", "-f", "-sU", "-n");
    refused("Fragscan only works with TCP", "-f", "-sT", "-n");
    refused("fragmentation are not supported with IPv6", "-f", "-6", "-n");
    /* Pings count as nmap counts them: TCP, timestamp, mask with -f only. */
    refused("Fragscan only works with TCP", "-sn", "-PU", "-f");
    refused("Fragscan only works with TCP", "-sn", "-PM", "-ff");
    g_assert_true(parse(&o, &error, "-sU", "-PS", "-f", "10.201.0.2", NULL));
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sY", "-f", "10.201.0.2", NULL)); /* nmap 7.93 takes it */
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sn", "-PM", "-f", "10.201.0.2", NULL));
    options_clear(&o);
    refused("Can only use 'ME' as a decoy once.", "-D", "ME,10.201.0.7,ME", "-n");
    refused("not an IPv4 address", "-D", "10.201.0.7,lab.example", "-n");
    refused("not with --unprivileged", "-D", "10.201.0.7", "--unprivileged");
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/evasion/fragments", test_fragments);
    g_test_add_func("/evasion/decoy_copy", test_decoy_copy);
    g_test_add_func("/evasion/decoy_list", test_decoy_list);
    g_test_add_func("/evasion/options", test_options);
    return g_test_run();
}
