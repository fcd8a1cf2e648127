/* The TCP-flag scans: Maimon (-sM), window (-sW) and --scanflags, end to end on
 * bytes as nmap judges them (scan_engine_raw.cc, get_pcap_result), and the
 * version 2 tag that tells their look-alike probes apart. */
#include <glib.h>
#include <string.h>

#include "cookie.h"
#include "scan_type.h"
#include "support/replies.h"

static const probe_spec spec = {
    .flow = {PACKET_ADDR_IPV4_INIT(0x0ac90001), PACKET_ADDR_IPV4_INIT(0x0ac90002), 41000, 8080,
             PACKET_TCP},
    .scan_id = 0x5ca1ab1e,
    .try_no = 2,
};

static packet_view probe_of(const scan_type *type, uint8_t *buf)
{
    size_t len = scan_probe_build(type, &spec, buf, PROBE_MAX_LEN);
    g_assert_cmpuint(len, ==, 56);
    packet_view v;
    g_assert_true(packet_parse(buf, len, &v));
    return v;
}

/* The target's answer to the probe: RFC 793's reset (seq = the probe's ack when
 * it has ACK, else ack = its seq + SYN + FIN), or any other flags, with window. */
static size_t reply_to(uint8_t *p, const packet_view *probe, uint8_t flags, uint16_t window)
{
    size_t n = reply_ip_header(p, spec.flow.dst, spec.flow.src, PACKET_TCP, 20);
    uint8_t *t = p + n;
    memset(t, 0, 20);
    put_be16(t, spec.flow.dport);
    put_be16(t + 2, spec.flow.sport);
    if (probe->tcp_flags & TCP_ACK) {
        put_be32(t + 4, probe->ack);
    } else {
        put_be32(t + 8,
                 probe->seq + !!(probe->tcp_flags & TCP_SYN) + !!(probe->tcp_flags & TCP_FIN));
        flags |= TCP_ACK;
    }
    t[12] = 5 << 4;
    t[13] = flags;
    put_be16(t + 14, window);
    return n + 20;
}

/* "state reason" for the reply, which must carry the probe's cookie; "-" when
 * the type's rule says nothing of it. */
static char *judged(const scan_type *type, const uint8_t *bytes, size_t len)
{
    packet_view reply;
    g_assert_true(packet_parse(bytes, len, &reply));
    packet_flow flow;
    uint32_t cookie;
    unsigned try_no = 99;
    g_assert_cmpint(scan_reply_key(type, &reply, &flow, &cookie), ==, REPLY_COOKIE);
    g_assert_true(cookie_check(spec.scan_id, &flow, cookie, &try_no));
    g_assert_cmpuint(try_no, ==, spec.try_no);
    verdict v;
    if (!type->judge(&reply, &v))
        return g_strdup("-");
    return g_strdup_printf("%s %s", port_state_name(v.state), reason_name(v.why));
}

static void check_reply(const scan_type *type, uint8_t flags, uint16_t window, const char *want)
{
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    packet_view pv = probe_of(type, probe);
    g_autofree char *got = judged(type, reply, reply_to(reply, &pv, flags, window));
    g_assert_cmpstr(got, ==, want);
}

static void check_unreach(const scan_type *type)
{
    uint8_t probe[PROBE_MAX_LEN], reply[128];
    size_t len = scan_probe_build(type, &spec, probe, sizeof probe);
    g_autofree char *got =
        judged(type, reply, reply_icmp_unreach(reply, &spec.flow, 13, probe, len));
    g_assert_cmpstr(got, ==, "filtered admin-prohibited");
}

static void test_maimon(void)
{
    uint8_t probe[PROBE_MAX_LEN];
    packet_view pv = probe_of(&scan_maimon, probe);
    g_assert_cmpuint(pv.tcp_flags, ==, TCP_FIN | TCP_ACK);
    check_reply(&scan_maimon, TCP_RST, 0, "closed reset");
    check_unreach(&scan_maimon);
    g_assert_cmpint(scan_maimon.silent.state, ==, PORT_OPEN_FILTERED);
    g_assert_cmpint(scan_maimon.silent.why, ==, REASON_NO_RESPONSE);
    g_assert_true(scan_type_by_option("-sM") == &scan_maimon);
    g_assert_cmpstr(scan_maimon.name, ==, "maimon");
}

static void test_window(void)
{
    uint8_t probe[PROBE_MAX_LEN];
    packet_view pv = probe_of(&scan_window, probe);
    g_assert_cmpuint(pv.tcp_flags, ==, TCP_ACK);
    check_reply(&scan_window, TCP_RST, 512, "open reset");
    check_reply(&scan_window, TCP_RST, 0, "closed reset");
    /* The same RSTs are 'unfiltered' to the ACK scan, whatever their window. */
    check_reply(&scan_ack, TCP_RST, 512, "unfiltered reset");
    check_reply(&scan_ack, TCP_RST, 0, "unfiltered reset");
    check_unreach(&scan_window);
    g_assert_cmpint(scan_window.silent.state, ==, PORT_FILTERED);
    g_assert_true(scan_type_by_option("-sW") == &scan_window);
    g_assert_cmpstr(scan_window.name, ==, "window");
}

/* --scanflags: the base type's rule, whatever the flags (the SYN scan's
 * SYN-ACK and bare-SYN rules included); other flags make other types. */
static void test_scanflags_judged_by_base(void)
{
    const scan_type *urgpsh = scan_flags_type(&scan_syn, TCP_URG | TCP_PSH);
    g_assert_nonnull(urgpsh);
    g_assert_true(urgpsh->base == &scan_syn);
    g_assert_true(scan_flags_type(&scan_syn, TCP_URG | TCP_PSH) == urgpsh);
    g_assert_true(scan_flags_type(urgpsh, TCP_URG | TCP_PSH) == urgpsh);
    g_assert_true(scan_type_judging(urgpsh) == &scan_syn);
    g_assert_cmpstr(urgpsh->option, ==, "--scanflags PSHURG");
    g_assert_cmpstr(urgpsh->name, ==, "syn");
    check_reply(urgpsh, TCP_RST, 0, "closed reset");
    check_reply(urgpsh, TCP_SYN | TCP_ACK, 0, "open syn-ack");
    check_unreach(urgpsh);
    g_assert_cmpint(urgpsh->silent.state, ==, PORT_FILTERED);

    const scan_type *fin_synfin = scan_flags_type(&scan_fin, TCP_SYN | TCP_FIN);
    g_assert_cmpstr(fin_synfin->option, ==, "-sF --scanflags FINSYN");
    check_reply(fin_synfin, TCP_RST, 0, "closed reset");
    check_reply(fin_synfin, TCP_SYN | TCP_ACK, 0, "-"); /* nmap: unexpected flags */
    g_assert_cmpint(fin_synfin->silent.state, ==, PORT_OPEN_FILTERED);

    const scan_type *window_psh = scan_flags_type(&scan_window, TCP_PSH);
    check_reply(window_psh, TCP_RST, 1, "open reset");
    const scan_type *ack_fin = scan_flags_type(&scan_ack, TCP_FIN);
    check_reply(ack_fin, TCP_RST, 1, "unfiltered reset");

    g_assert_null(scan_flags_type(&scan_connect, TCP_SYN));
    g_assert_null(scan_flags_type(&scan_udp, 0));
    g_assert_null(scan_flags_type(&ping_syn, TCP_SYN));
}

/* The version 2 tag names the type: -sA and -sW send the same segment, and a
 * --scanflags SYN probe is a SYN scan's segment, yet each is recognised as its
 * own; a version 1 ACK probe (captures from before) is the ACK scan's. */
static void test_tag_tells_alike_apart(void)
{
    const scan_type *syn_syn = scan_flags_type(&scan_syn, TCP_SYN);
    const scan_type *fin_ack = scan_flags_type(&scan_fin, TCP_FIN | TCP_ACK);
    const scan_type *const alike[] = {&scan_ack, &scan_window, &scan_syn,
                                      syn_syn,   &scan_maimon, fin_ack};
    for (size_t i = 0; i < G_N_ELEMENTS(alike); i++) {
        uint8_t probe[PROBE_MAX_LEN];
        packet_view pv = probe_of(alike[i], probe);
        probe_tag tag;
        g_assert_true(scan_type_of_probe(&pv, &tag) == alike[i]);
        g_assert_cmpuint(tag.version, ==, TAG_VERSION_SCAN);
        g_assert_cmpuint(tag.scan_code, ==, scan_type_judging(alike[i])->tag_code);
        g_assert_cmpint(tag.custom_flags, ==, alike[i]->base != NULL);
        g_assert_cmpuint(tag.scan_id, ==, spec.scan_id);
        g_assert_cmpuint(tag.try_no, ==, spec.try_no);
        for (size_t j = 0; j < G_N_ELEMENTS(alike); j++)
            if (j != i)
                g_assert_false(alike[j]->recognise(alike[j], &pv, &tag));
    }

    /* The same ACK probe with a version 1 tag, as older scantrace wrote it. */
    uint8_t probe[PROBE_MAX_LEN];
    size_t len = scan_probe_build(&scan_ack, &spec, probe, sizeof probe);
    uint8_t *opt = probe + 20 + 20 + 4;
    g_assert_cmpuint(opt[0], ==, TAG_TCP_OPTION_KIND);
    tag_write_tcp_option(opt, spec.scan_id, spec.try_no, false);
    opt[10] = 1; /* NOP, NOP as version 1 padded */
    opt[11] = 1;
    put_be16(probe + 36, 0);
    packet_view pv;
    g_assert_true(packet_parse(probe, len, &pv));
    probe_tag tag;
    g_assert_true(scan_type_of_probe(&pv, &tag) == &scan_ack);
    g_assert_cmpuint(tag.version, ==, TAG_VERSION);
    g_assert_false(scan_window.recognise(&scan_window, &pv, &tag));
}

static void test_scanflags_spelling(void)
{
    static const struct {
        const char *text;
        int flags; /* -1: refused */
        const char *xml;
    } cases[] = {
        {"URGPSH", TCP_URG | TCP_PSH, "PSHURG"},
        {"synfin", TCP_SYN | TCP_FIN, "FINSYN"},
        {"FINSYNRSTPSHACKURGECECWR", 0xff, "FINSYNRSTPSHACKURGECECWR"},
        {"ALL", 0xff, "FINSYNRSTPSHACKURGECECWR"},
        {"NONE", 0, ""},
        {"9", TCP_FIN | TCP_PSH, "FINPSH"},
        {"0x12", TCP_SYN | TCP_ACK, "SYNACK"},
        {"255", 0xff, "FINSYNRSTPSHACKURGECECWR"},
        {"256", -1, NULL},
        {"-1", -1, NULL},
        {"", -1, NULL},
        {"SYNX", -1, NULL},
        {"SY", -1, NULL},
        {"12abc", -1, NULL},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint8_t flags = 0xaa;
        bool ok = scan_flags_parse(cases[i].text, &flags);
        g_assert_cmpint(ok, ==, cases[i].flags >= 0);
        if (!ok)
            continue;
        g_assert_cmpuint(flags, ==, (unsigned)cases[i].flags);
        char text[SCAN_FLAGS_TEXT_MAX];
        scan_flags_format(flags, text);
        g_assert_cmpstr(text, ==, cases[i].xml);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/flag-scans/maimon", test_maimon);
    g_test_add_func("/flag-scans/window", test_window);
    g_test_add_func("/flag-scans/scanflags-judged-by-base", test_scanflags_judged_by_base);
    g_test_add_func("/flag-scans/tag-tells-alike-apart", test_tag_tells_alike_apart);
    g_test_add_func("/flag-scans/scanflags-spelling", test_scanflags_spelling);
    return g_test_run();
}
