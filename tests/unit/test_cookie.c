/* The cookie attributes a reply to the exact probe and try that caused it. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "siphash.h"

static const packet_flow flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001),
                                 PACKET_ADDR_IPV4_INIT(0x0ac90002), 40000, 22, PACKET_TCP};

static void test_siphash_reference(void)
{
    /* The reference vector of the SipHash paper: key 00..0f, message 00..0e. */
    uint8_t key[16], msg[15];
    for (int i = 0; i < 16; i++)
        key[i] = (uint8_t)i;
    for (int i = 0; i < 15; i++)
        msg[i] = (uint8_t)i;
    g_assert_cmphex(siphash24(key, msg, sizeof msg), ==, 0xa129ca6149be45e5ULL);
}

static void test_try_round_trip(void)
{
    for (unsigned try_no = 0; try_no < COOKIE_MAX_TRIES; try_no++) {
        uint32_t c = cookie_make(0x12345678, &flow, try_no);
        unsigned got = 99;
        g_assert_true(cookie_check(0x12345678, &flow, c, &got));
        g_assert_cmpuint(got, ==, try_no);
    }
}

static void test_other_probe_rejected(void)
{
    uint32_t c = cookie_make(0x12345678, &flow, 0);
    unsigned got;
    g_assert_false(cookie_check(0x12345679, &flow, c, &got));
    packet_flow other = flow;
    other.dport = 23;
    g_assert_false(cookie_check(0x12345678, &other, c, &got));
    other = flow;
    other.src.bytes[15] ^= 1;
    g_assert_false(cookie_check(0x12345678, &other, c, &got));
    g_assert_false(cookie_check(0x12345678, &flow, c + COOKIE_MAX_TRIES, &got));
}

static void test_spread(void)
{
    /* Different ports give different cookies: the sequence numbers look random. */
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    packet_flow f = flow;
    for (unsigned port = 1; port <= 1000; port++) {
        f.dport = (uint16_t)port;
        g_hash_table_add(seen, GUINT_TO_POINTER(cookie_make(7, &f, 0) | 1));
    }
    g_assert_cmpuint(g_hash_table_size(seen), >=, 998);
    g_hash_table_destroy(seen);
}

/* An IPv4 flow's cookie is what it was before addresses had 128 bits: SipHash
 * of the 4-octet addresses, ports and protocol (cookie.h), so captures of
 * earlier scans still check. An IPv6 flow hashes its 16-octet addresses. */
static void test_ipv4_layout_kept(void)
{
    uint8_t key[16], in[13];
    memcpy(key, "scantrace-ck", 12);
    put_be32(key + 12, 0x12345678);
    put_be32(in, 0x0ac90001);
    put_be32(in + 4, 0x0ac90002);
    put_be16(in + 8, 40000);
    put_be16(in + 10, 22);
    in[12] = PACKET_TCP;
    uint32_t want = (uint32_t)siphash24(key, in, sizeof in) & ~(uint32_t)(COOKIE_MAX_TRIES - 1);
    g_assert_cmphex(cookie_make(0x12345678, &flow, 0), ==, want);

    packet_flow six = flow;
    memset(six.src.bytes, 0, 16);
    memset(six.dst.bytes, 0, 16);
    six.src.bytes[0] = six.dst.bytes[0] = 0x20;
    six.src.bytes[15] = 1;
    six.dst.bytes[15] = 2;
    uint8_t in6[37];
    memcpy(in6, six.src.bytes, 16);
    memcpy(in6 + 16, six.dst.bytes, 16);
    put_be16(in6 + 32, 40000);
    put_be16(in6 + 34, 22);
    in6[36] = PACKET_TCP;
    want = (uint32_t)siphash24(key, in6, sizeof in6) & ~(uint32_t)(COOKIE_MAX_TRIES - 1);
    g_assert_cmphex(cookie_make(0x12345678, &six, 0), ==, want);
    unsigned got;
    g_assert_true(cookie_check(0x12345678, &six, want | 3, &got));
    g_assert_cmpuint(got, ==, 3);
}

/* The raw hash of an IPv4 flow's cookie as cookie.c keys it (the layout
 * test_ipv4_layout_kept() pins), bits above the try bits and width applied. */
static uint32_t raw_high(uint32_t scan_id, const packet_flow *f, uint32_t width)
{
    uint8_t key[16], in[13];
    memcpy(key, "scantrace-ck", 12);
    put_be32(key + 12, scan_id);
    memcpy(in, f->src.bytes + 12, 4);
    memcpy(in + 4, f->dst.bytes + 12, 4);
    put_be16(in + 8, f->sport);
    put_be16(in + 10, f->dport);
    in[12] = f->proto;
    return (uint32_t)siphash24(key, in, sizeof in) & width & ~(uint32_t)(COOKIE_MAX_TRIES - 1);
}

/* Linux fills in a raw IP_HDRINCL datagram's IP ID when it is 0 (raw(7)), so
 * no cookie's low 16 bits, an IPv4 probe's IP ID, may be 0: a flow whose hash
 * gives 0 there takes COOKIE_LOW16_NONZERO instead, for every try, and the
 * value sent before the rule (older captures) still checks. Every UDP (16-bit
 * cookie) and TCP (32-bit) flow to ports 1-65535 from one source port. */
static void test_low16_never_zero(void)
{
    const uint32_t scan_id = 0x12345678;
    for (int wide = 0; wide < 2; wide++) {
        uint32_t width = wide ? 0xffffffffu : 0xffffu;
        packet_flow f = flow;
        f.proto = wide ? PACKET_TCP : PACKET_UDP;
        unsigned zero_flows = 0;
        for (unsigned port = 1; port <= 65535; port++) {
            f.dport = (uint16_t)port;
            uint32_t raw = raw_high(scan_id, &f, width);
            uint32_t c0 = cookie_make(scan_id, &f, 0);
            g_assert_cmphex(c0 & 0xffffu, !=, 0);
            if ((raw & 0xffffu) != 0) {
                g_assert_cmphex(c0, ==, raw); /* every other flow as before */
                continue;
            }
            zero_flows++;
            unsigned got = 99;
            for (unsigned t = 0; t < COOKIE_MAX_TRIES; t++) {
                uint32_t c = cookie_make(scan_id, &f, t);
                g_assert_cmphex(c, ==, raw | COOKIE_LOW16_NONZERO | t);
                g_assert_true(cookie_check(scan_id, &f, c, &got));
                g_assert_cmpuint(got, ==, t);
                g_assert_true(cookie_check(scan_id, &f, raw | t, &got)); /* older captures */
                g_assert_cmpuint(got, ==, t);
                g_assert_true(cookie_is_query(scan_id, &f, 0, t, c, 0xffffu));
                g_assert_true(cookie_is_query(scan_id, &f, 0, t, raw | t, 0xffffu));
                g_assert_false(cookie_is_query(scan_id, &f, 0, t ^ 1, c, 0xffffu));
            }
        }
        /* About 65535 / 4096 flows: the case is there to test. */
        g_assert_cmpuint(zero_flows, >=, 4);
        g_assert_cmpuint(zero_flows, <=, 40);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/cookie/siphash-reference", test_siphash_reference);
    g_test_add_func("/cookie/try-round-trip", test_try_round_trip);
    g_test_add_func("/cookie/other-probe-rejected", test_other_probe_rejected);
    g_test_add_func("/cookie/spread", test_spread);
    g_test_add_func("/cookie/ipv4-layout-kept", test_ipv4_layout_kept);
    g_test_add_func("/cookie/low16-never-zero", test_low16_never_zero);
    return g_test_run();
}
