/* nmap's --data-length bytes (common/nmap_data.c) and the plugin's record of
 * them per source (plugin/data_length.c): random bytes are told from ping
 * fills, text and headers; the same bytes to a second port show a run, the
 * same port again does not, and another source's are its own. */
#include <glib.h>
#include <string.h>

#include "data_length.h"
#include "nmap_data.h"

/* nmap 7.93's --data-length 20 bytes of a lab run. */
static const uint8_t nmap_bytes[] = {0x5c, 0xb9, 0x2e, 0xcb, 0xa0, 0xfc, 0xc6, 0xf1, 0x69, 0xb3,
                                     0x47, 0xc1, 0xec, 0x70, 0xd6, 0x45, 0xc2, 0x18, 0x58, 0x67};

static void test_random(void)
{
    g_assert_true(nmap_data_random(nmap_bytes, sizeof nmap_bytes));
    g_assert_true(nmap_data_random(nmap_bytes, NMAP_DATA_MIN));
    g_assert_false(nmap_data_random(nmap_bytes, NMAP_DATA_MIN - 1));
    uint8_t fill[48];
    for (size_t i = 0; i < sizeof fill; i++)
        fill[i] = (uint8_t)(0x08 + i); /* BSD's and masscan's ping fill */
    g_assert_false(nmap_data_random(fill, sizeof fill));
    static const char windows[] = "abcdefghijklmnopqrstuvwabcdefghi";
    g_assert_false(nmap_data_random((const uint8_t *)windows, sizeof windows - 1));
    static const uint8_t dns[] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00,
                                  0x00, 0x00, 0x00, 0x00, 0x03, 'w',  'w',  'w'};
    g_assert_false(nmap_data_random(dns, sizeof dns));
    static const uint8_t games[] = {0xff, 0xff, 0xff, 0xff, 0x54, 0x53, 0x6f, 0x75};
    g_assert_false(nmap_data_random(games, sizeof games));
    /* A TFTP server's ERROR "File not found" (a real capture's, 19 bytes: few
     * zeros, not all text), its ACK, a read request; a DNS answer's header. */
    static const uint8_t tftp_error[] = {0x00, 0x05, 0x00, 0x01, 'F', 'i', 'l', 'e', ' ', 'n',
                                         'o',  't',  ' ',  'f',  'o', 'u', 'n', 'd', 0x00};
    g_assert_false(nmap_data_random(tftp_error, sizeof tftp_error));
    static const uint8_t tftp_ack[] = {0x00, 0x04, 0x9a, 0x31};
    g_assert_false(nmap_data_random(tftp_ack, sizeof tftp_ack));
    static const uint8_t tftp_rrq[] = {0x00, 0x01, 'r', '7', 't', 'f', 't',
                                       'p',  '.',  't', 'x', 't', 0x00};
    g_assert_false(nmap_data_random(tftp_rrq, sizeof tftp_rrq));
    static const uint8_t dns_answer[] = {0x9c, 0x4e, 0x81, 0x80, 0x00, 0x01, 0x00,
                                         0x05, 0x00, 0x0d, 0x00, 0x0b, 0xc0, 0x3f,
                                         0x8e, 0xfa, 0xb7, 0x2c, 0x91, 0x7d};
    g_assert_false(nmap_data_random(dns_answer, sizeof dns_answer));
    /* The shapes need their text's NUL: without it, the bytes are judged as
     * any others'. */
    g_assert_true(nmap_data_random(tftp_error, sizeof tftp_error - 1));
    /* Random runs pass as a rule. */
    GRand *rand = g_rand_new_with_seed(9);
    unsigned passed = 0;
    for (unsigned round = 0; round < 10000; round++) {
        uint8_t b[20];
        for (size_t i = 0; i < sizeof b; i++)
            b[i] = (uint8_t)g_rand_int(rand);
        passed += nmap_data_random(b, sizeof b);
    }
    g_rand_free(rand);
    g_assert_cmpuint(passed, >=, 9990);
}

#define SCANNER 0x0ac90001u /* 10.201.0.1 */
#define OTHER   0x0ac90009u /* 10.201.0.9 */

static packet_view datagram(uint32_t src, uint16_t dport, const uint8_t *bytes, size_t len)
{
    packet_view v = {0};
    v.flow.src = packet_addr_from_ipv4(src);
    v.flow.dst = packet_addr_from_ipv4(0x0ac90002); /* 10.201.0.2 */
    v.flow.proto = PACKET_UDP;
    v.flow.sport = 47177;
    v.flow.dport = dport;
    v.ttl = 45;
    v.payload = bytes;
    v.payload_len = len;
    v.udp_stated_len = len;
    return v;
}

static void test_echo(void)
{
    packet_view v = datagram(SCANNER, 0, nmap_bytes, sizeof nmap_bytes);
    v.flow.proto = PACKET_ICMP;
    v.flow.dport = 0;
    v.icmp_type = ICMP_ECHO;
    v.icmp_id = 0x8052;
    g_assert_true(nmap_echo_with_data(&v));
    v.icmp_seq = 1; /* a ping utility's count */
    g_assert_false(nmap_echo_with_data(&v));
    v.icmp_seq = 0;
    v.icmp_id = 0; /* nmap draws 1-65535 */
    g_assert_false(nmap_echo_with_data(&v));
}

static void test_udp_ping(void)
{
    packet_view v = datagram(SCANNER, NMAP_UDP_PING_PORT, nmap_bytes, sizeof nmap_bytes);
    g_assert_true(nmap_udp_ping_with_data(&v));
    v.flow.dport = 40126;
    g_assert_false(nmap_udp_ping_with_data(&v));
    static const uint8_t zeros[20] = {0};
    v = datagram(SCANNER, NMAP_UDP_PING_PORT, zeros, sizeof zeros);
    g_assert_false(nmap_udp_ping_with_data(&v));
}

static void test_runs(void)
{
    data_length *d = data_length_new();
    packet_view first = datagram(SCANNER, 500, nmap_bytes, sizeof nmap_bytes);
    g_assert_null(data_length_candidate(d, &first, 5));
    /* nmap-payloads' second request for 500: the same port again. */
    g_assert_null(data_length_candidate(d, &first, 6));
    /* Another source's same bytes show nothing of this one's run. */
    packet_view other = datagram(OTHER, 7, nmap_bytes, sizeof nmap_bytes);
    g_assert_null(data_length_candidate(d, &other, 7));
    /* Other bytes to another port: no run. */
    uint8_t changed[sizeof nmap_bytes];
    memcpy(changed, nmap_bytes, sizeof changed);
    changed[3] ^= 1;
    packet_view unlike = datagram(SCANNER, 7, changed, sizeof changed);
    g_assert_null(data_length_candidate(d, &unlike, 8));
    /* The same bytes to another port: the run, every frame of it. */
    packet_view second = datagram(SCANNER, 7, nmap_bytes, sizeof nmap_bytes);
    GArray *frames = data_length_candidate(d, &second, 9);
    g_assert_nonnull(frames);
    g_assert_cmpuint(frames->len, ==, 3);
    g_assert_cmpuint(g_array_index(frames, uint32_t, 0), ==, 5);
    g_assert_cmpuint(g_array_index(frames, uint32_t, 1), ==, 6);
    g_assert_cmpuint(g_array_index(frames, uint32_t, 2), ==, 9);
    g_array_unref(frames);
    /* Learnt, the bytes name the probe that carried them; a payload cut by
     * the snapshot length still matches as far as it goes. */
    g_assert_cmpuint(data_length_known(d, &second), ==, 0);
    data_length_learn(d, &first, 5);
    g_assert_cmpuint(data_length_known(d, &second), ==, 5);
    packet_view cut = second;
    cut.payload_len = 6;
    g_assert_cmpuint(data_length_known(d, &cut), ==, 5);
    g_assert_cmpuint(data_length_known(d, &unlike), ==, 0);
    g_assert_cmpuint(data_length_known(d, &other), ==, 0);
    data_length_free(d);
}

/* A datagram back to a port that sent to its source answers it, from any
 * port (a TFTP server's new one): no probe; nor is one from another host, or
 * to another port. */
static void test_answers(void)
{
    data_length *d = data_length_new();
    packet_view request = datagram(SCANNER, 69, nmap_bytes, sizeof nmap_bytes);
    data_length_note_sent(d, &request);
    packet_view reply = datagram(OTHER, 36243, nmap_bytes, sizeof nmap_bytes);
    reply.flow.src = request.flow.dst;
    reply.flow.dst = request.flow.src;
    reply.flow.sport = 42199;
    reply.flow.dport = request.flow.sport;
    g_assert_true(data_length_answers(d, &reply));
    g_assert_false(data_length_answers(d, &request));
    packet_view elsewhere = reply;
    elsewhere.flow.dport = request.flow.sport + 2;
    g_assert_false(data_length_answers(d, &elsewhere));
    elsewhere = reply;
    elsewhere.flow.src = packet_addr_from_ipv4(OTHER);
    g_assert_false(data_length_answers(d, &elsewhere));
    data_length_free(d);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/nmap_data/random", test_random);
    g_test_add_func("/nmap_data/echo", test_echo);
    g_test_add_func("/nmap_data/udp_ping", test_udp_ping);
    g_test_add_func("/data_length/runs", test_runs);
    g_test_add_func("/data_length/answers", test_answers);
    return g_test_run();
}
