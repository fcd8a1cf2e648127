/* The SCTP scans' rules on bytes (common/scan_sctp.c): CRC32c against known
 * vectors; -sY's INIT and -sZ's COOKIE ECHO as nmap builds them, with our tag
 * and cookie where the README says; answers built by hand from RFC 9260 (an
 * INIT ACK and an ABORT carry the INIT's initiate tag as their verification
 * tag, an ABORT to a COOKIE ECHO reflects its tag) and ICMP errors, judged as
 * nmap judges them (scan_engine_raw.cc). */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "crc32c.h"
#include "scan_type.h"
#include "support/replies.h"

/* RFC 3720 appendix B.4 (the iSCSI CRC32c that RFC 3309 and RFC 9260 adopt):
 * 32 octets of zeros, of 0xff, and 0..31, with the CRC as it goes on the wire
 * (least significant octet first); and the check value of "123456789". */
static void test_crc32c_vectors(void)
{
    uint8_t data[32];
    memset(data, 0, sizeof data);
    g_assert_cmphex(crc32c(data, sizeof data), ==, 0x8a9136aa);
    memset(data, 0xff, sizeof data);
    g_assert_cmphex(crc32c(data, sizeof data), ==, 0x62a8ab43);
    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t)i;
    g_assert_cmphex(crc32c(data, sizeof data), ==, 0x46dd794e);
    for (int i = 0; i < 32; i++)
        data[i] = (uint8_t)(31 - i);
    g_assert_cmphex(crc32c(data, sizeof data), ==, 0x113fdb5c);
    g_assert_cmphex(crc32c((const uint8_t *)"123456789", 9), ==, 0xe3069283);
}

/* The checksum field holds the CRC least significant octet first, and one
 * flipped bit anywhere breaks it. */
static void test_sctp_checksum_field(void)
{
    uint8_t pkt[32] = {0x80, 0x44, 0x00, 0x50};
    for (int i = 12; i < 32; i++)
        pkt[i] = (uint8_t)i;
    sctp_checksum_set(pkt, sizeof pkt);
    uint8_t copy[32];
    memcpy(copy, pkt, sizeof copy);
    memset(copy + 8, 0, 4);
    uint32_t crc = crc32c(copy, sizeof copy);
    g_assert_cmphex(pkt[8], ==, crc & 0xff);
    g_assert_cmphex(pkt[11], ==, crc >> 24);
    g_assert_true(sctp_checksum_ok(pkt, sizeof pkt));
    pkt[20] ^= 0x10;
    g_assert_false(sctp_checksum_ok(pkt, sizeof pkt));
}

static probe_spec spec_for(uint16_t port, bool v6)
{
    probe_spec s = {.flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001), PACKET_ADDR_IPV4_INIT(0x0ac90002),
                             47001, port, PACKET_SCTP},
                    .scan_id = 0x5c7b0001,
                    .try_no = 3};
    if (v6) {
        static const uint8_t a[16] = {0xfd, 0x20, 0, 1, [15] = 1};
        memcpy(s.flow.src.bytes, a, 16);
        memcpy(s.flow.dst.bytes, a, 16);
        s.flow.dst.bytes[15] = 2;
    }
    return s;
}

static size_t build(const scan_type *type, const probe_spec *s, uint8_t *out, packet_view *v)
{
    size_t len = scan_probe_build(type, s, out, PROBE_MAX_LEN);
    g_assert_cmpuint(len, >, 0);
    g_assert_true(packet_parse(out, len, v));
    return len;
}

/* -sY: the INIT nmap sends (tag 0, a_rwnd 32768, 10 and 2048 streams), with
 * the cookie as its initiate tag and the tag in a Padding parameter. */
static void test_init_probe(void)
{
    for (int v6 = 0; v6 < 2; v6++) {
        probe_spec s = spec_for(80, v6);
        uint8_t p[PROBE_MAX_LEN];
        packet_view v;
        size_t len = build(&scan_sctp_init, &s, p, &v);
        size_t ip = v6 ? 40 : 20;
        g_assert_cmpuint(len, ==, ip + 48);
        g_assert_cmpuint(v6 ? p[6] : p[9], ==, 132);
        const uint8_t *sctp = p + ip;
        g_assert_true(sctp_checksum_ok(sctp, len - ip));
        g_assert_cmpuint(v.sctp_vtag, ==, 0);
        g_assert_cmpuint(v.sctp_chunk_type, ==, SCTP_CHUNK_INIT);
        g_assert_cmpuint(v.sctp_chunk_len, ==, 36);
        g_assert_cmpuint(get_be32(sctp + 20), ==, 32768);
        g_assert_cmpuint(get_be16(sctp + 24), ==, 10);
        g_assert_cmpuint(get_be16(sctp + 26), ==, 2048);
        g_assert_cmphex(get_be16(sctp + 32), ==, 0x8005);
        g_assert_cmpuint(get_be16(sctp + 34), ==, 16);
        unsigned try_no;
        g_assert_true(v.sctp_has_init_tag);
        g_assert_true(cookie_check(s.scan_id, &s.flow, v.sctp_init_tag, &try_no));
        g_assert_cmpuint(try_no, ==, s.try_no);
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == &scan_sctp_init);
        g_assert_cmphex(tag.scan_id, ==, s.scan_id);
        g_assert_cmpuint(tag.try_no, ==, s.try_no);
        g_assert_false(tag.discovery);
    }
}

/* -sZ: a COOKIE ECHO whose verification tag is the cookie, its cookie the tag. */
static void test_cookie_echo_probe(void)
{
    probe_spec s = spec_for(443, false);
    uint8_t p[PROBE_MAX_LEN];
    packet_view v;
    size_t len = build(&scan_sctp_cookie_echo, &s, p, &v);
    g_assert_cmpuint(len, ==, 20 + 28);
    g_assert_true(sctp_checksum_ok(p + 20, len - 20));
    g_assert_cmpuint(v.sctp_chunk_type, ==, SCTP_CHUNK_COOKIE_ECHO);
    g_assert_cmpuint(v.sctp_chunk_len, ==, 16);
    unsigned try_no;
    g_assert_true(cookie_check(s.scan_id, &s.flow, v.sctp_vtag, &try_no));
    probe_tag tag;
    g_assert_true(scan_type_of_probe(&v, &tag) == &scan_sctp_cookie_echo);
    /* -PY's INIT is told from -sY's by the tag's discovery bit. */
    build(&ping_sctp, &s, p, &v);
    g_assert_true(scan_type_of_probe(&v, &tag) == &ping_sctp);
    g_assert_true(tag.discovery);
}

/* --data-length: the bytes follow the chunk, which keeps its length; the
 * CRC32c covers them, and the tag and cookie are where they were. */
static void test_data_length(void)
{
    static const uint8_t bytes[7] = {1, 2, 3, 4, 5, 6, 7};
    probe_extras extras = {.ttl = -1, .data_set = true, .data = bytes, .data_len = sizeof bytes};
    probe_spec s = spec_for(80, false);
    s.extras = &extras;
    const scan_type *types[] = {&scan_sctp_init, &scan_sctp_cookie_echo};
    for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
        uint8_t p[PROBE_MAX_LEN];
        packet_view v;
        size_t len = build(types[i], &s, p, &v);
        size_t chunks = i == 0 ? 48 : 28;
        g_assert_cmpuint(len, ==, 20 + chunks + sizeof bytes);
        g_assert_cmpmem(p + 20 + chunks, sizeof bytes, bytes, sizeof bytes);
        g_assert_cmpuint(v.sctp_chunk_len, ==, chunks - 12);
        g_assert_true(sctp_checksum_ok(p + 20, len - 20));
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&v, &tag) == types[i]);
    }
}

/* An SCTP packet from the target with one chunk, verification tag vtag. */
static size_t answer(uint8_t *p, const probe_spec *s, uint32_t vtag, uint8_t chunk, uint8_t flags)
{
    enum { LEN = 12 + 20 };
    size_t n = reply_ip_header(p, s->flow.dst, s->flow.src, PACKET_SCTP, LEN);
    uint8_t *sctp = p + n;
    memset(sctp, 0, LEN);
    put_be16(sctp, s->flow.dport);
    put_be16(sctp + 2, s->flow.sport);
    put_be32(sctp + 4, vtag);
    sctp[12] = chunk;
    sctp[13] = flags;
    put_be16(sctp + 14, chunk == SCTP_CHUNK_INIT_ACK ? 20 : 4);
    put_be32(sctp + 16, 0x12345678); /* the target's own initiate tag */
    sctp_checksum_set(sctp, LEN);
    return n + LEN;
}

static void expect(const scan_type *type, const packet_view *v, const char *state, const char *why)
{
    verdict out;
    g_assert_true(type->judge(v, &out));
    g_assert_cmpstr(port_state_name(out.state), ==, state);
    g_assert_cmpstr(reason_name(out.why), ==, why);
}

static void test_answers_judged(void)
{
    probe_spec s = spec_for(80, false);
    uint8_t p[PROBE_MAX_LEN], r[128];
    packet_view probe, v;
    build(&scan_sctp_init, &s, p, &probe);
    uint32_t itag = probe.sctp_init_tag;
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no;

    g_assert_true(packet_parse(r, answer(r, &s, itag, SCTP_CHUNK_INIT_ACK, 0), &v));
    g_assert_cmpint(scan_reply_key(&scan_sctp_init, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(packet_flow_equal(&flow, &s.flow));
    g_assert_true(cookie_check(s.scan_id, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, s.try_no);
    expect(&scan_sctp_init, &v, "open", "init-ack");
    expect(&ping_sctp, &v, "up", "init-ack");
    /* -sZ takes nothing but an ABORT from the target. */
    verdict out;
    g_assert_false(scan_sctp_cookie_echo.judge(&v, &out));

    g_assert_true(packet_parse(r, answer(r, &s, itag, SCTP_CHUNK_ABORT, 0), &v));
    expect(&scan_sctp_init, &v, "closed", "abort");
    expect(&scan_sctp_cookie_echo, &v, "closed", "abort");
    expect(&ping_sctp, &v, "up", "abort");

    /* An ABORT reflecting a COOKIE ECHO's tag (T bit) names the try. */
    build(&scan_sctp_cookie_echo, &s, p, &probe);
    g_assert_true(packet_parse(r, answer(r, &s, probe.sctp_vtag, SCTP_CHUNK_ABORT, 1), &v));
    g_assert_cmpint(scan_reply_key(&scan_sctp_cookie_echo, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(cookie_check(s.scan_id, &flow, cookie, &try_no));

    /* Any other chunk says nothing (nmap: "unexpected SCTP chunks"). */
    g_assert_true(packet_parse(r, answer(r, &s, itag, 3 /* SACK */, 0), &v));
    g_assert_false(scan_sctp_init.judge(&v, &out));
    /* Nor does a packet that is no answer at all. */
    packet_view none = {0};
    g_assert_false(scan_sctp_init.judge(&none, &out));
}

/* A host without SCTP answers protocol unreachable, quoting the INIT: its
 * initiate tag names the try when the quote holds it; filtered
 * (proto-unreach) for the scans, the host up for the ping. */
static void test_protocol_unreachable(void)
{
    probe_spec s = spec_for(80, false);
    uint8_t p[PROBE_MAX_LEN], r[256];
    packet_view probe, v;
    size_t len = build(&scan_sctp_init, &s, p, &probe);
    /* RFC 792's minimum: IP header and 8 octets, the INIT's zero tag. */
    g_assert_true(packet_parse(r, reply_icmp_unreach(r, &s.flow, 2, p, len), &v));
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&scan_sctp_init, &v, &flow, &cookie), ==, REPLY_FLOW);
    g_assert_true(packet_flow_equal(&flow, &s.flow));
    expect(&scan_sctp_init, &v, "filtered", "proto-unreach");
    expect(&scan_sctp_cookie_echo, &v, "filtered", "proto-unreach");
    expect(&ping_sctp, &v, "up", "proto-unreach");
    /* Linux quotes the whole probe: the initiate tag is there. */
    reply_icmp_unreach(r, &s.flow, 2, p, len);
    memcpy(r + 28 + 28, p + 28, len - 28);
    put_be16(r + 2, (uint16_t)(28 + len));
    g_assert_true(packet_parse(r, 28 + len, &v));
    g_assert_cmpint(scan_reply_key(&scan_sctp_init, &v, &flow, &cookie), ==, REPLY_COOKIE);
    unsigned try_no;
    g_assert_true(cookie_check(s.scan_id, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, s.try_no);
    /* Port unreachable is no reason to close an SCTP port. */
    g_assert_true(packet_parse(r, reply_icmp_unreach(r, &s.flow, 3, p, len), &v));
    expect(&scan_sctp_init, &v, "filtered", "port-unreach");
}

/* Short or odd SCTP packets parse without reading past their end. */
static void test_malformed(void)
{
    probe_spec s = spec_for(80, false);
    uint8_t p[PROBE_MAX_LEN];
    size_t len = scan_probe_build(&scan_sctp_init, &s, p, sizeof p);
    for (size_t cut = 20; cut < len; cut++) {
        uint8_t *copy = g_memdup2(p, cut);
        packet_view v;
        bool ok = packet_parse(copy, cut, &v);
        g_assert_true(ok == (cut >= 32));
        if (ok) {
            probe_tag tag;
            /* The tag ends at octet 20 + 12 + 20 + 4 + 10. */
            g_assert_true((scan_type_of_probe(&v, &tag) != NULL) == (cut >= 66));
        }
        g_free(copy);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/sctp/crc32c-vectors", test_crc32c_vectors);
    g_test_add_func("/sctp/checksum-field", test_sctp_checksum_field);
    g_test_add_func("/sctp/init-probe", test_init_probe);
    g_test_add_func("/sctp/cookie-echo-probe", test_cookie_echo_probe);
    g_test_add_func("/sctp/data-length", test_data_length);
    g_test_add_func("/sctp/answers", test_answers_judged);
    g_test_add_func("/sctp/protocol-unreachable", test_protocol_unreachable);
    g_test_add_func("/sctp/malformed", test_malformed);
    return g_test_run();
}
