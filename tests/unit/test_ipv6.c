/* IPv6 and ICMPv6 on bytes built by hand from the RFCs (RFC 8200 for the header
 * and its extension headers, RFC 4443 for ICMPv6): the parser walks the
 * extension headers, refuses what is malformed and never reads past the length
 * it is given; ICMPv6 errors are judged by nmap's rule. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "scan_type.h"

enum { HOP = 0, ROUTING = 43, FRAGMENT = 44, DEST = 60, NO_NEXT = 59 };

static const uint8_t scanner[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07};
static const uint8_t target[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10};
static const uint8_t router[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01};

/* A packet under construction: the fixed header, then headers appended. */
typedef struct builder {
    uint8_t b[512];
    size_t len;
    size_t next_at; /* where the last header's next-header octet is */
} builder;

static void start(builder *p, const uint8_t src[16], const uint8_t dst[16], uint8_t hop_limit)
{
    memset(p, 0, sizeof *p);
    p->b[0] = 0x6a; /* version 6, traffic class 0xa5 across the nibbles */
    p->b[1] = 0x50;
    p->b[7] = hop_limit;
    memcpy(p->b + 8, src, 16);
    memcpy(p->b + 24, dst, 16);
    p->len = 40;
    p->next_at = 6;
}

static void set_next(builder *p, uint8_t next)
{
    p->b[p->next_at] = next;
}

/* An options header (hop-by-hop or destination): 8 octets of PadN. */
static void options(builder *p, uint8_t kind)
{
    set_next(p, kind);
    uint8_t *h = p->b + p->len;
    h[1] = 0; /* (0 + 1) * 8 octets */
    h[2] = 1; /* PadN */
    h[3] = 4;
    p->next_at = p->len;
    p->len += 8;
}

/* A type 0 routing header with segments left 0 and one address. */
static void routing(builder *p)
{
    set_next(p, ROUTING);
    uint8_t *h = p->b + p->len;
    h[1] = 2; /* (2 + 1) * 8 = 24 octets */
    memcpy(h + 8, router, 16);
    p->next_at = p->len;
    p->len += 24;
}

static void fragment(builder *p, uint16_t offset_units, bool more, uint32_t ident)
{
    set_next(p, FRAGMENT);
    uint8_t *h = p->b + p->len;
    put_be16(h + 2, (uint16_t)(offset_units << 3 | (more ? 1 : 0)));
    put_be32(h + 4, ident);
    p->next_at = p->len;
    p->len += 8;
}

static void tcp_syn(builder *p, uint16_t sport, uint16_t dport, uint32_t seq)
{
    set_next(p, PACKET_TCP);
    uint8_t *t = p->b + p->len;
    put_be16(t, sport);
    put_be16(t + 2, dport);
    put_be32(t + 4, seq);
    t[12] = 6 << 4; /* 24 octets: MSS */
    t[13] = TCP_SYN;
    put_be16(t + 14, 1024);
    t[20] = 2;
    t[21] = 4;
    put_be16(t + 22, 1460);
    p->len += 24;
}

static void udp(builder *p, uint16_t sport, uint16_t dport)
{
    set_next(p, PACKET_UDP);
    uint8_t *u = p->b + p->len;
    put_be16(u, sport);
    put_be16(u + 2, dport);
    put_be16(u + 4, 8);
    p->len += 8;
}

static void icmpv6(builder *p, uint8_t type, uint8_t code, uint32_t word)
{
    set_next(p, PACKET_ICMPV6);
    uint8_t *m = p->b + p->len;
    m[0] = type;
    m[1] = code;
    put_be32(m + 4, word);
    p->len += 8;
}

static void append(builder *p, const uint8_t *data, size_t len)
{
    memcpy(p->b + p->len, data, len);
    p->len += len;
}

/* The payload length the header states: everything after the fixed header. */
static void finish(builder *p)
{
    put_be16(p->b + 4, (uint16_t)(p->len - 40));
}

/* Parses a copy of exactly len octets, so that a sanitized build catches any
 * read past len. The view points into the copy: it lives until the next call. */
static uint8_t *last_copy;

static bool parse_exact(const uint8_t *bytes, size_t len, packet_view *v)
{
    g_free(last_copy);
    last_copy = g_memdup2(bytes, len ? len : 1);
    return packet_parse(last_copy, len, v);
}

static void test_plain_syn(void)
{
    builder p;
    start(&p, scanner, target, 45);
    tcp_syn(&p, 40001, 22, 1000000);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_false(packet_addr_is_ipv4(&v.flow.src));
    g_assert_cmpmem(v.flow.src.bytes, 16, scanner, 16);
    g_assert_cmpmem(v.flow.dst.bytes, 16, target, 16);
    g_assert_cmpuint(v.flow.proto, ==, PACKET_TCP);
    g_assert_cmpuint(v.flow.sport, ==, 40001);
    g_assert_cmpuint(v.flow.dport, ==, 22);
    g_assert_cmpuint(v.seq, ==, 1000000);
    g_assert_cmpuint(v.tcp_flags, ==, TCP_SYN);
    g_assert_cmpuint(v.ttl, ==, 45);
    g_assert_cmpuint(v.tos, ==, 0xa5);
    g_assert_cmpuint(v.tcp_options_len, ==, 4);
    g_assert_cmpuint(v.ipv6_ext_headers, ==, 0);
    g_assert_cmpuint(v.ip_header_len, ==, 40);
    g_assert_false(v.ipv6_fragment);
    g_assert_false(v.df);
}

/* Hop-by-hop, destination options, routing, an atomic fragment (offset 0, M
 * clear: RFC 6946) and destination options again, in RFC 8200 section 4.1's
 * order. */
static void test_extension_walk(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, HOP);
    options(&p, DEST);
    routing(&p);
    fragment(&p, 0, false, 0xdead1234);
    options(&p, DEST);
    tcp_syn(&p, 40002, 443, 7);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_cmpuint(v.ipv6_ext_headers, ==, 5);
    g_assert_cmpuint(v.ip_header_len, ==, 40 + 8 + 8 + 24 + 8 + 8);
    g_assert_true(v.ipv6_fragment);
    g_assert_false(v.more_fragments);
    g_assert_cmphex(v.ip_id, ==, 0x1234);
    g_assert_cmpuint(v.flow.proto, ==, PACKET_TCP);
    g_assert_cmpuint(v.flow.dport, ==, 443);
    g_assert_cmpuint(v.seq, ==, 7);
}

/* Hop-by-hop anywhere but first is malformed (RFC 8200, section 4.3). */
static void test_hop_by_hop_only_first(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, DEST);
    options(&p, HOP);
    tcp_syn(&p, 40002, 80, 7);
    finish(&p);
    packet_view v;
    g_assert_false(parse_exact(p.b, p.len, &v));
}

/* A first fragment parses (its transport header is there); a later one does not. */
static void test_fragments(void)
{
    builder p;
    start(&p, scanner, target, 50);
    fragment(&p, 0, true, 77);
    tcp_syn(&p, 40003, 80, 9);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_true(v.more_fragments);
    g_assert_cmpuint(v.flow.dport, ==, 80);

    start(&p, scanner, target, 50);
    fragment(&p, 3, false, 77);
    tcp_syn(&p, 40003, 80, 9); /* octets that only look like a header */
    finish(&p);
    g_assert_false(parse_exact(p.b, p.len, &v));
}

/* ESP, "no next header" and unknown protocols end the walk: the packet parses,
 * with no transport fields. */
static void test_no_next_header(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, DEST);
    set_next(&p, NO_NEXT);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_cmpuint(v.flow.proto, ==, NO_NEXT);
    g_assert_cmpuint(v.flow.sport, ==, 0);
}

/* Every prefix of a packet with a long header chain: none is read past its end,
 * and only those holding the whole TCP header parse. */
static void test_truncation(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, HOP);
    routing(&p);
    fragment(&p, 0, false, 1);
    options(&p, DEST);
    tcp_syn(&p, 40004, 22, 1);
    finish(&p);
    size_t tcp_at = 40 + 8 + 24 + 8 + 8;
    packet_view v;
    for (size_t len = 0; len <= p.len; len++)
        g_assert_cmpint(parse_exact(p.b, len, &v), ==, len >= tcp_at + 20);
    /* A header that claims more octets than there are. */
    p.b[40 + 8 + 1] = 200;
    g_assert_false(parse_exact(p.b, p.len, &v));
}

/* Random octets behind a valid IPv6 header: whatever they say, the parser stays
 * within the buffer (the sanitized build checks). */
static void test_random_chains(void)
{
    GRand *r = g_rand_new_with_seed(6);
    uint8_t buf[200];
    packet_view v;
    for (int i = 0; i < 20000; i++) {
        size_t len = (size_t)g_rand_int_range(r, 0, sizeof buf + 1);
        for (size_t k = 0; k < len; k++)
            buf[k] = (uint8_t)g_rand_int(r);
        if (len > 0)
            buf[0] = (uint8_t)(0x60 | (buf[0] & 0x0f));
        if (len > 6) {
            static const uint8_t nexts[] = {HOP, ROUTING,    FRAGMENT,   DEST,
                                            51,  PACKET_TCP, PACKET_UDP, PACKET_ICMPV6};
            buf[6] = nexts[g_rand_int_range(r, 0, G_N_ELEMENTS(nexts))];
        }
        (void)parse_exact(buf, len, &v);
    }
    g_rand_free(r);
}

/* The fragment header the walk recorded: where it is and what it says. */
static void assert_fragment_header(const packet_view *v, size_t at, uint16_t offset, bool more,
                                   uint32_t id, uint8_t next)
{
    const packet_ipv6_fragment *f = &v->ipv6_fragment_header;
    g_assert_true(f->parsed);
    g_assert_cmpuint(f->at, ==, at);
    g_assert_cmpuint(f->offset, ==, offset);
    g_assert_cmpint(f->more, ==, more);
    g_assert_cmphex(f->id, ==, id);
    g_assert_cmpuint(f->next, ==, next);
}

/* A first fragment after hop-by-hop and destination options (nmap -f over
 * IPv6 sends the chain whole in it): the header's place and fields, all 32
 * bits of the identification; no fragment header, nothing recorded. */
static void test_fragment_header_first(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, HOP);
    options(&p, DEST);
    fragment(&p, 0, true, 0xdeadbeef);
    tcp_syn(&p, 40007, 80, 11);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, 40 + 8 + 8, 0, true, 0xdeadbeef, PACKET_TCP);

    /* Only the first 8 octets of the TCP header in this fragment: the packet
     * does not parse, its fragment header is still known. */
    g_assert_false(parse_exact(p.b, 40 + 8 + 8 + 8 + 8, &v));
    assert_fragment_header(&v, 40 + 8 + 8, 0, true, 0xdeadbeef, PACKET_TCP);

    start(&p, scanner, target, 50);
    options(&p, HOP);
    tcp_syn(&p, 40007, 80, 11);
    finish(&p);
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_false(v.ipv6_fragment_header.parsed);
    uint8_t v4[40] = {0x45, 0, 0,  40, 0, 1, 0x20, 0, 64, PACKET_TCP,
                      0,    0, 10, 0,  0, 1, 10,   0, 0,  2};
    v4[32] = 5 << 4;
    g_assert_true(parse_exact(v4, sizeof v4, &v));
    g_assert_cmpuint(v.ip_header_len, ==, 20);
    g_assert_false(v.ipv6_fragment_header.parsed);
    g_assert_cmpuint(v.ipv6_fragment_header.at, ==, 0);
}

/* A fragment other than the first has no upper-layer header: the packet does
 * not parse, but the walk stops at its fragment header and records it, also
 * where the fragmentable part starts with destination options. */
static void test_fragment_header_tail(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, HOP);
    routing(&p);
    options(&p, DEST);
    fragment(&p, 185, false, 0x01020304);
    set_next(&p, DEST);
    p.len += 16; /* octets of the middle of a datagram */
    finish(&p);
    packet_view v;
    g_assert_false(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, 40 + 8 + 24 + 8, 185, false, 0x01020304, DEST);

    start(&p, scanner, target, 50);
    fragment(&p, 8191, true, 7);
    set_next(&p, PACKET_UDP);
    p.len += 8;
    finish(&p);
    g_assert_false(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, 40, 8191, true, 7, PACKET_UDP);
}

/* Two fragment headers: the first is the packet's. */
static void test_fragment_header_twice(void)
{
    builder p;
    start(&p, scanner, target, 50);
    fragment(&p, 0, true, 1);
    fragment(&p, 0, false, 2);
    tcp_syn(&p, 40008, 80, 1);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, 40, 0, true, 1, FRAGMENT);
}

/* Malformed and truncated chains: nothing recorded unless the whole fragment
 * header was reached, and then whatever follows it. */
static void test_fragment_header_malformed(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, HOP);
    options(&p, DEST);
    fragment(&p, 0, true, 0xabcdef01);
    options(&p, DEST);
    tcp_syn(&p, 40009, 22, 1);
    finish(&p);
    const size_t at = 40 + 8 + 8;
    packet_view v;
    for (size_t len = 0; len <= p.len; len++) {
        g_assert_cmpint(parse_exact(p.b, len, &v), ==, len >= at + 8 + 8 + 20);
        g_assert_cmpint(v.ipv6_fragment_header.parsed, ==, len >= at + 8);
        if (len >= at + 8)
            assert_fragment_header(&v, at, 0, true, 0xabcdef01, DEST);
        else
            g_assert_cmpuint(v.ipv6_fragment_header.at, ==, 0);
    }
    /* The payload length states less than the chain: the stated end bounds the
     * walk, not the octets captured after it. */
    put_be16(p.b + 4, 8 + 8 + 4);
    g_assert_false(parse_exact(p.b, p.len, &v));
    g_assert_false(v.ipv6_fragment_header.parsed);
    finish(&p);
    /* A header before the fragment header claims more octets than there are. */
    p.b[40 + 8 + 1] = 200;
    g_assert_false(parse_exact(p.b, p.len, &v));
    g_assert_false(v.ipv6_fragment_header.parsed);
    /* One after it does: the fragment header was reached. */
    p.b[40 + 8 + 1] = 0;
    p.b[at + 8 + 1] = 200;
    g_assert_false(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, at, 0, true, 0xabcdef01, DEST);

    /* Hop-by-hop after destination options: the packet is malformed (RFC 8200,
     * section 4.3) and does not parse, but a fragment header after it is
     * recorded. */
    start(&p, scanner, target, 50);
    options(&p, DEST);
    options(&p, HOP);
    fragment(&p, 2, false, 9);
    p.len += 16;
    finish(&p);
    g_assert_false(parse_exact(p.b, p.len, &v));
    assert_fragment_header(&v, 40 + 8 + 8, 2, false, 9, 0);
}

/* Random chains: a recorded fragment header lies inside the data and is the
 * octets the fields say. */
static void test_fragment_header_random(void)
{
    GRand *r = g_rand_new_with_seed(44);
    uint8_t buf[160];
    packet_view v;
    unsigned found = 0;
    for (int i = 0; i < 20000; i++) {
        size_t len = (size_t)g_rand_int_range(r, 40, sizeof buf + 1);
        for (size_t k = 0; k < len; k++) {
            static const uint8_t octets[] = {HOP, ROUTING, FRAGMENT, DEST, 51, 0, 1, 2};
            buf[k] = g_rand_boolean(r) ? octets[g_rand_int_range(r, 0, G_N_ELEMENTS(octets))]
                                       : (uint8_t)g_rand_int(r);
        }
        buf[0] = (uint8_t)(0x60 | (buf[0] & 0x0f));
        buf[4] = 0;
        buf[5] = (uint8_t)(len - 40);
        (void)parse_exact(buf, len, &v);
        const packet_ipv6_fragment *f = &v.ipv6_fragment_header;
        if (!f->parsed)
            continue;
        found++;
        g_assert_cmpuint(f->at, >=, 40);
        g_assert_cmpuint(f->at + 8, <=, len);
        g_assert_cmpuint(f->next, ==, buf[f->at]);
        g_assert_cmpuint(f->offset, ==, get_be16(buf + f->at + 2) >> 3);
        g_assert_cmpint(f->more, ==, buf[f->at + 3] & 1);
        g_assert_cmphex(f->id, ==, get_be32(buf + f->at + 4));
    }
    g_assert_cmpuint(found, >, 100);
    g_rand_free(r);
}

/* An ICMPv6 error from src quoting a copy of probe. */
static size_t icmpv6_error(uint8_t *out, const uint8_t src[16], uint8_t type, uint8_t code,
                           const builder *probe, size_t quoted)
{
    builder p;
    start(&p, src, scanner, 64);
    icmpv6(&p, type, code, 0);
    append(&p, probe->b, quoted < probe->len ? quoted : probe->len);
    finish(&p);
    memcpy(out, p.b, p.len);
    return p.len;
}

static builder udp_probe(void)
{
    builder p;
    start(&p, scanner, target, 50);
    udp(&p, 40005, 161);
    finish(&p);
    return p;
}

static builder syn_probe(void)
{
    builder p;
    start(&p, scanner, target, 50);
    options(&p, DEST);
    tcp_syn(&p, 40006, 25, 0x01020304);
    finish(&p);
    return p;
}

static void judge_error(const uint8_t src[16], uint8_t type, uint8_t code, bool use_udp,
                        const char *state, const char *why)
{
    builder probe = use_udp ? udp_probe() : syn_probe();
    uint8_t reply[512];
    size_t len = icmpv6_error(reply, src, type, code, &probe, sizeof reply);
    packet_view v;
    g_assert_true(parse_exact(reply, len, &v));
    g_assert_cmpuint(v.flow.proto, ==, PACKET_ICMPV6);
    g_assert_true(v.has_quote);
    packet_flow flow;
    uint32_t cookie;
    const scan_type *type_of = use_udp ? &scan_udp : &scan_syn;
    g_assert_cmpint(scan_reply_key(type_of, &v, &flow, &cookie), !=, REPLY_NONE);
    g_assert_cmpmem(flow.dst.bytes, 16, target, 16);
    g_assert_cmpuint(flow.dport, ==, use_udp ? 161 : 25);
    verdict out;
    bool said = type_of->judge(&v, &out);
    if (!state) {
        g_assert_false(said);
        return;
    }
    g_assert_true(said);
    g_assert_cmpstr(port_state_name(out.state), ==, state);
    g_assert_cmpstr(reason_name(out.why), ==, why);
}

/* nmap's scan_engine_raw.cc (get_pcap_result, its ICMPv6 branch) and
 * portreasons.cc (icmpv6_to_reason). */
static void test_icmpv6_errors(void)
{
    judge_error(target, ICMPV6_UNREACH, 4, true, "closed", "port-unreach");
    judge_error(router, ICMPV6_UNREACH, 4, true, "filtered", "port-unreach");
    judge_error(target, ICMPV6_UNREACH, 4, false, "filtered", "port-unreach");
    judge_error(router, ICMPV6_UNREACH, 0, false, "filtered", "no-route");
    judge_error(router, ICMPV6_UNREACH, 1, false, "filtered", "admin-prohibited");
    judge_error(router, ICMPV6_UNREACH, 2, true, "filtered", "beyond-scope");
    judge_error(router, ICMPV6_UNREACH, 3, false, "filtered", "host-unreach");
    judge_error(router, ICMPV6_UNREACH, 5, false, "filtered", "admin-prohibited");
    judge_error(router, ICMPV6_UNREACH, 6, true, "filtered", "reject-route");
    judge_error(router, ICMPV6_UNREACH, 7, false, NULL, NULL);
    judge_error(target, ICMPV6_PARAM_PROBLEM, 0, false, "open", "param-problem");
    judge_error(target, ICMPV6_PARAM_PROBLEM, 1, true, "filtered", "param-problem");
    judge_error(target, ICMPV6_PARAM_PROBLEM, 2, true, NULL, NULL);
    /* "Unexpected" to nmap's port scan: the port stays as if nothing came. */
    judge_error(router, ICMPV6_TIME_EXCEEDED, 0, false, NULL, NULL);
    judge_error(router, ICMPV6_PACKET_TOO_BIG, 0, false, NULL, NULL);
}

/* The quote ties an error to a TCP probe by its sequence number (the cookie);
 * to a UDP probe by its flow only, since IPv6 has no IP ID. */
static void test_quote_cookie(void)
{
    builder syn = syn_probe(), dgram = udp_probe();
    uint8_t reply[512];
    packet_view v;
    packet_flow flow;
    uint32_t cookie;
    g_assert_true(parse_exact(reply, icmpv6_error(reply, router, 1, 1, &syn, 512), &v));
    g_assert_cmpint(scan_reply_key(&scan_syn, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_cmphex(cookie, ==, 0x01020304);
    g_assert_true(parse_exact(reply, icmpv6_error(reply, router, 1, 1, &dgram, 512), &v));
    g_assert_cmpint(scan_reply_key(&scan_udp, &v, &flow, &cookie), ==, REPLY_FLOW);
    /* A quote cut inside the TCP ports says nothing; one cut after them ties
     * the flow without the cookie. */
    g_assert_true(parse_exact(reply, icmpv6_error(reply, router, 1, 1, &syn, 40 + 8 + 3), &v));
    g_assert_false(v.has_quote);
    g_assert_true(parse_exact(reply, icmpv6_error(reply, router, 1, 1, &syn, 40 + 8 + 6), &v));
    g_assert_true(v.has_quote);
    g_assert_false(v.quote_has_word);
    g_assert_cmpint(scan_reply_key(&scan_syn, &v, &flow, &cookie), ==, REPLY_FLOW);
}

/* An ICMPv6 error quoting an IPv4 packet quotes nothing we read, and ICMPv4 in
 * IPv6 (or ICMPv6 in IPv4) is not ICMP at all: a bare protocol number (-sO
 * sends such packets), with no message any rule reads. */
static void test_families_kept_apart(void)
{
    uint8_t v4[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, PACKET_UDP, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    builder p;
    start(&p, router, scanner, 64);
    icmpv6(&p, ICMPV6_UNREACH, 4, 0);
    append(&p, v4, sizeof v4);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_false(v.has_quote);

    start(&p, router, scanner, 64);
    set_next(&p, PACKET_ICMP);
    p.len += 8;
    finish(&p);
    probe_tag tag;
    verdict out;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_cmpuint(v.icmp_type, ==, 0xff);
    g_assert_false(v.has_quote);
    g_assert_null(scan_type_of_probe(&v, &tag));
    g_assert_false(ping_echo.judge(&v, &out));

    v4[9] = PACKET_ICMPV6;
    v4[20] = ICMPV6_ECHO;
    g_assert_true(parse_exact(v4, sizeof v4, &v));
    g_assert_cmpuint(v.icmp_type, ==, 0xff);
    g_assert_null(scan_type_of_probe(&v, &tag));
    g_assert_false(ping_echo.judge(&v, &out));
}

/* ICMPv6 echo (RFC 4443 section 4): the id is both ports, as for ICMPv4; a
 * tagged request is our echo ping, and its reply carries the cookie back. */
static void test_echo(void)
{
    uint8_t tag[TAG_TCP_OPTION_LEN];
    tag_write_tcp_option(tag, 0x1234, 2, true);
    builder p;
    start(&p, scanner, target, 64);
    icmpv6(&p, ICMPV6_ECHO, 0, 0xabcd0005);
    append(&p, tag, sizeof tag);
    finish(&p);
    packet_view v;
    g_assert_true(parse_exact(p.b, p.len, &v));
    g_assert_cmpuint(v.icmp_id, ==, 0xabcd);
    g_assert_cmpuint(v.icmp_seq, ==, 5);
    g_assert_cmpuint(v.flow.sport, ==, 0xabcd);
    probe_tag found;
    g_assert_true(scan_type_of_probe(&v, &found) == &ping_echo);
    g_assert_cmpuint(found.try_no, ==, 2);

    start(&p, target, scanner, 64);
    icmpv6(&p, ICMPV6_ECHO_REPLY, 0, 0xabcd0005);
    finish(&p);
    g_assert_true(parse_exact(p.b, p.len, &v));
    packet_flow flow;
    uint32_t cookie;
    g_assert_cmpint(scan_reply_key(&ping_echo, &v, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_cmphex(cookie, ==, 0xabcd0005);
    g_assert_cmpmem(flow.dst.bytes, 16, target, 16);
    verdict out;
    g_assert_true(ping_echo.judge(&v, &out));
    g_assert_cmpstr(reason_name(out.why), ==, "echo-reply");
    /* ICMPv6 has no timestamp request: an echo reply answers none. */
    g_assert_cmpint(scan_reply_key(&ping_timestamp, &v, &flow, &cookie), ==, REPLY_NONE);
}

static void test_addresses(void)
{
    packet_addr a, b = packet_addr_from_ipv4(0xc0000a0a);
    memcpy(a.bytes, target, 16);
    char text[PACKET_ADDR_TEXT];
    g_assert_cmpstr(packet_addr_format(&a, text), ==, "2001:db8::10");
    g_assert_cmpstr(packet_addr_format(&b, text), ==, "192.0.10.10");
    g_assert_true(packet_addr_is_ipv4(&b));
    g_assert_cmphex(packet_addr_low32(&b), ==, 0xc0000a0a);
    g_assert_true(packet_addr_unicast(&a));
    a.bytes[0] = 0xff; /* multicast */
    g_assert_false(packet_addr_unicast(&a));
    packet_addr zero = {{0}};
    g_assert_false(packet_addr_unicast(&zero));
    g_assert_true(packet_addr_is_zero(&zero));
    g_assert_cmpint(packet_addr_compare(&b, &a), <, 0);
    /* The IPv4 pseudo-header sum is RFC 793's, of the 32-bit addresses. */
    packet_addr s4 = packet_addr_from_ipv4(0x0a000001), d4 = packet_addr_from_ipv4(0x0a000002);
    g_assert_cmpuint(packet_pseudo_sum(&s4, &d4, PACKET_TCP, 40), ==,
                     0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 6 + 40);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/ipv6/plain-syn", test_plain_syn);
    g_test_add_func("/ipv6/extension-walk", test_extension_walk);
    g_test_add_func("/ipv6/hop-by-hop-only-first", test_hop_by_hop_only_first);
    g_test_add_func("/ipv6/fragments", test_fragments);
    g_test_add_func("/ipv6/no-next-header", test_no_next_header);
    g_test_add_func("/ipv6/truncation", test_truncation);
    g_test_add_func("/ipv6/random-chains", test_random_chains);
    g_test_add_func("/ipv6/fragment-header-first", test_fragment_header_first);
    g_test_add_func("/ipv6/fragment-header-tail", test_fragment_header_tail);
    g_test_add_func("/ipv6/fragment-header-twice", test_fragment_header_twice);
    g_test_add_func("/ipv6/fragment-header-malformed", test_fragment_header_malformed);
    g_test_add_func("/ipv6/fragment-header-random", test_fragment_header_random);
    g_test_add_func("/ipv6/icmpv6-errors", test_icmpv6_errors);
    g_test_add_func("/ipv6/quote-cookie", test_quote_cookie);
    g_test_add_func("/ipv6/families-kept-apart", test_families_kept_apart);
    g_test_add_func("/ipv6/echo", test_echo);
    g_test_add_func("/ipv6/addresses", test_addresses);
    int status = g_test_run();
    g_free(last_copy);
    return status;
}
