/* The plugin's rules for probes that carry no tag: fingerprints of nmap, masscan
 * and zmap on the bytes of real probes (IP header on, copied from captures made in
 * the lab with nmap 7.93, masscan 1.3.2 and zmap 2.1.1), ordinary packets that
 * must not match, and the behaviour rules that name unknown scanners. */
#include <glib.h>
#include <stdio.h>
#include <string.h>

#include "behaviour.h"
#include "fingerprint.h"
#include "scan_type.h"

static size_t unhex(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = strlen(hex) / 2;
    g_assert_cmpuint(n, <=, cap);
    for (size_t i = 0; i < n; i++) {
        unsigned byte;
        g_assert_cmpint(sscanf(hex + 2 * i, "%2x", &byte), ==, 1);
        out[i] = (uint8_t)byte;
    }
    return n;
}

static packet_view parse_hex(const char *hex, uint8_t *buf, size_t cap)
{
    packet_view v;
    g_assert_true(packet_parse(buf, unhex(hex, buf, cap), &v));
    return v;
}

static const struct {
    const char *what;
    const char *hex;
    const char *tool;
    const scan_type *type;
    bool may_be_discovery;
    const char *evidence; /* a part of the evidence string */
} probes[] = {
    {"nmap -sS",
     "4500002cecb300002a068e840ac900010ac90002b0c100162753992800000000600204000d3f0000020405b4",
     "nmap", &scan_syn, true, "sole option MSS 1460"},
    {"nmap -sA", "450000282c63000029064fd90ac900010ac90002f2c8007100000000af4bcde45010040025d60000",
     "nmap", &scan_ack, true, "seq 0"},
    {"nmap -sF", "450000288cd400002c06ec670ac900010ac900029c57170cc39169c70000000050010400b5920000",
     "nmap", &scan_fin, false, "nmap -sF"},
    {"nmap -sN", "450000284c8f000039061fad0ac900010ac90002a7850d3d6bdededc000000005000040096d20000",
     "nmap", &scan_null, false, "nmap -sN"},
    {"nmap -sX", "450000289f9500002c06d9a60ac900010ac90002c8750017b0a38dcb00000000502904008f2b0000",
     "nmap", &scan_xmas, false, "nmap -sX"},
    {"nmap -sU, DNS status request to 69",
     "45000028bec000003211b4700ac900010ac90002969e00450014434e000010000000000000000000", "nmap",
     &scan_udp, false, "request for 69/udp"},
    {"nmap -sU, version.bind to 53",
     "4500003ac1d400003b11a84a0ac900010ac90002969e00350026b91d7777010000010000000000000776657273"
     "696f6e0462696e640000100003",
     "nmap", &scan_udp, false, "request for 53/udp"},
    {"nmap -sU, SNMPv1 to 161",
     "4500003d79c800003a11f1530ac900010ac90002969e00a1002958af301f02010004067075626c6963a11202010"
     "0020100020100300730050601000500",
     "nmap", &scan_udp, false, "request for 161/udp"},
    {"nmap -PE", "4500001c539100002b0126bc0ac900010ac9000208004663b19c0000", "nmap", &ping_echo,
     false, "without data"},
    {"nmap -PP", "45000028812700003001f4190ac900010ac900020d00024bf0b40000000000000000000000000000",
     "nmap", &ping_timestamp, false, "timestamps zero"},
    {"masscan SYN",
     "4500002868440000ff063df70ac900010ac90002d5c500175b8168510000000050020400fc9e0000", "masscan",
     &scan_syn, false, "IP ID 0x6844"},
    {"masscan DNS",
     "4500003bccff0000ff11d91d0ac900010ac90002d87e0035002721caccc8012000010000000000000776657273"
     "696f6e0462696e64000010000300",
     "masscan", &scan_udp, false, "id ^ IP ID"},
    {"masscan empty UDP", "4500001ccfc10000ff11d67a0ac900010ac90002d87e020200080fc9", "masscan",
     &scan_udp, false, "empty datagram"},
    {"masscan --ping",
     "4500004c5cf60000ff0149260ac900010ac90002080080a74ab6419f08090a0b0c0d0e0f1011121314151617181"
     "91a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637",
     "masscan", &ping_echo, false, "08 09 .. 37"},
    {"zmap SYN", "45000028d4310000ff06d2090ac900010ac9000288e4001629d28526000000005002ffff625b0000",
     "zmap", &scan_syn, false, "IP ID 54321"},
    {"zmap UDP", "45000021d4310000ff11d2050ac900010ac9000286690035000d000068656c6c6f", "zmap",
     &scan_udp, false, "IP ID 54321"},
    {"zmap echo",
     "45000028d4310000ff01d20e0ac900010ac900020800f13b06c400000000000000000000000000000000", "zmap",
     &ping_echo, false, "icmp_echoscan"},
    /* nmap 7.93 -6 in the lab: hop limit 255, flow label 0. */
    {"nmap -6 -sS",
     "60000000001806fffd200001000000000000000000000001fd20000100000000000000000000000288350071eb88"
     "aa7400000000600204007b3c0000020405b4",
     "nmap", &scan_syn, true, "hop limit 255 (nmap -6: 255)"},
    {"nmap -6 -sA",
     "60000000001406fffd200001000000000000000000000001fd200001000000000000000000000002dad5170c0000"
     "0000dc22059d50100400ddec0000",
     "nmap", &scan_ack, true, "nmap -sA"},
    {"nmap -6 -sF",
     "60000000001406fffd200001000000000000000000000001fd200001000000000000000000000002fa980050158b"
     "a3280000000050010400fe000000",
     "nmap", &scan_fin, false, "nmap -sF"},
    {"nmap -6 -sU, SNMPv3 to 161",
     "60000000004411fffd200001000000000000000000000001fd20000100000000000000000000000281a700a10044"
     "3afe303a020103300f02024a69020300ffe30401040201030410300e0400020100020100040004000400301204"
     "000400a00c020237f00201000201003000",
     "nmap", &scan_udp, false, "request for 161/udp"},
    {"nmap -6 -sU, DNS status request to 53",
     "60000000001411fffd200001000000000000000000000001fd20000100000000000000000000000281a700350014"
     "73a3000010000000000000000000",
     "nmap", &scan_udp, false, "request for 53/udp"},
    {"nmap -6 -sU, empty datagram to 1901",
     "60000000000811fffd200001000000000000000000000001fd20000100000000000000000000000281a7076d0008"
     "7c83",
     "nmap", &scan_udp, false, "empty datagram"},
    {"nmap -6 -PE",
     "6000000000083afffd200001000000000000000000000001fd2000010000000000000000000000038000929df2d7"
     "0000",
     "nmap", &ping_echo, false, "hop limit 255"},
    /* nmap 7.93 -sY and -sZ in the lab (80/sctp), over IPv4 and IPv6. */
    {"nmap -sY",
     "450000348f5200003784de5f0ac900010ac90002ec890050000000007801a0b20100001459c0932200008000000a"
     "0800c472aff4",
     "nmap", &scan_sctp_init, false, "nmap -sY"},
    {"nmap -sZ", "450000280a8100003684643d0ac900010ac90002b0b900508e8e696d249fcf8b0a000008c8a44ea9",
     "nmap", &scan_sctp_cookie_echo, false, "4-octet cookie"},
    {"nmap -6 -sY",
     "60000000002084fffd200001000000000000000000000001fd200001000000000000000000000002c2c900500000"
     "00001a3aa55e01000014c6bf357600008000000a0800129b5490",
     "nmap", &scan_sctp_init, false, "hop limit 255"},
    {"nmap -6 -sZ",
     "60000000001484fffd200001000000000000000000000001fd20000100000000000000000000000287cb0050c6f9"
     "b689832af3690a000008ebfed8f1",
     "nmap", &scan_sctp_cookie_echo, false, "nmap -sZ"},
    /* A router or two on the way lowers the hop limit. */
    {"nmap -6 -sS, 3 hops away",
     "60000000001806fcfd200001000000000000000000000001fd20000100000000000000000000000288350071eb88"
     "aa7400000000600204007b3c0000020405b4",
     "nmap", &scan_syn, true, "hop limit 252"},
    /* Appended: tests below index the entries above. */
    {"nmap -PM", "45000020805600002901fbf10ac900010ac9000311003cd7b228000000000000", "nmap",
     &ping_mask, false, "mask 0"},
    /* nmap 7.93 -sn --send-ip -PE --data-length 20 in the lab: sequence 0 and
     * the run's 20 random bytes. */
    {"nmap -PE --data-length 20",
     "45000030dbc70000300199710ac900010ac900020800d895805200"
     "00cc3d7f06dc32f6d8ab47d2845feab07d7e"
     "0b7487",
     "nmap", &ping_echo, false, "20 random bytes (--data-length)"},
};

static void test_probes(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(probes); i++) {
        uint8_t buf[256];
        packet_view v = parse_hex(probes[i].hex, buf, sizeof buf);
        fingerprint fp;
        g_test_message("%s", probes[i].what);
        g_assert_true(fingerprint_probe(&v, &fp));
        g_assert_cmpstr(fp.tool, ==, probes[i].tool);
        g_assert_true(fp.type == probes[i].type);
        g_assert_cmpint(fp.may_be_discovery, ==, probes[i].may_be_discovery);
        g_assert_nonnull(strstr(fp.evidence, probes[i].evidence));
    }
}

/* nmap 7.93's -sM and --scanflags probes, from lab captures (dumpcap on the
 * scanner, 23/tcp): the flags nmap sends, MSS only with SYN, its numbers in the
 * ack only with ACK. Custom flags are judged as nmap's default, the SYN scan. */
static void test_flag_probes(void)
{
    const struct {
        const char *what, *hex, *evidence;
        const scan_type *type;
    } cases[] = {
        {"nmap -sM",
         "45000028824200002606fcf90ac900010ac90002825a00170000000017670a7250110400f1f40000",
         "nmap -sM", &scan_maimon},
        {"nmap --scanflags URGPSH",
         "4500002874da00003606fa610ac900010ac90002f98b001777b3ed920000000050280400373f0000",
         "nmap --scanflags PSHURG", scan_flags_type(&scan_syn, TCP_URG | TCP_PSH)},
        {"nmap --scanflags SYNFIN",
         "4500002cf504000032067e330ac900010ac90002898f0017bc1c3ce30000000060030400fbea0000020405b4",
         "sole option MSS 1460", scan_flags_type(&scan_syn, TCP_SYN | TCP_FIN)},
        {"nmap -sS --scanflags ACKPSH",
         "45000028c47f00002906b7bc0ac900010ac90002a18b00170000000092da668450180400fb360000",
         "nmap --scanflags PSHACK", scan_flags_type(&scan_syn, TCP_ACK | TCP_PSH)},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        uint8_t buf[256];
        packet_view v = parse_hex(cases[i].hex, buf, sizeof buf);
        fingerprint fp;
        g_test_message("%s", cases[i].what);
        g_assert_true(fingerprint_probe(&v, &fp));
        g_assert_cmpstr(fp.tool, ==, "nmap");
        g_assert_true(fp.type == cases[i].type);
        g_assert_false(fp.may_be_discovery);
        g_assert_true(fp.has_run_word);
        g_assert_nonnull(strstr(fp.evidence, cases[i].evidence));
    }
    /* Its shape with flags that only replies carry, or SYN without MSS: none. */
    static const uint8_t not_probes[] = {TCP_RST, TCP_RST | TCP_ACK, TCP_SYN | TCP_ACK,
                                         TCP_SYN | TCP_URG};
    for (size_t i = 0; i < G_N_ELEMENTS(not_probes); i++) {
        uint8_t buf[256];
        packet_view v = parse_hex(cases[1].hex, buf, sizeof buf);
        v.tcp_flags = not_probes[i];
        fingerprint fp;
        g_assert_false(fingerprint_probe(&v, &fp));
    }
}

/* Preference scantrace.nmap_scanflags: the type given with nmap's --scanflags
 * judges every nmap TCP port probe, whatever its flags, since the probe does
 * not say which it was. nmap 7.93's -sF --scanflags URGACKPSHRSTSYNFIN probe
 * from the lab (dumpcap on the scanner, 80/tcp): all six flags, MSS, the try
 * in the ack. */
static void test_scanflags_base(void)
{
    static const char all_flags[] =
        "4500002c6cb700002a060e810ac900010ac90002cd11005048361f75589c20c4603f0400cfe70000020405b4";
    uint8_t buf[256];
    fingerprint fp;
    packet_view v = parse_hex(all_flags, buf, sizeof buf);
    /* RST and SYN+ACK are a reply's flags unless the user says otherwise. */
    g_assert_false(fingerprint_probe(&v, &fp));
    g_assert_true(fingerprint_probe_as(&v, &scan_fin, &fp));
    g_assert_true(fp.type == scan_flags_type(&scan_fin, 0x3f));
    g_assert_true(scan_type_judging(fp.type) == &scan_fin);
    g_assert_cmpint(fp.type->silent.state, ==, PORT_OPEN_FILTERED);
    g_assert_true(fp.has_run_word);
    g_assert_cmphex(fp.run_word, ==, 0x589c20c4);
    g_assert_nonnull(strstr(fp.evidence, "nmap -sF --scanflags FINSYNRSTPSHACKURG"));
    /* nmap's -sF probe is --scanflags FIN judged as the SYN scan when told so
     * (silence: filtered), and -sF itself when the base is -sF. */
    v = parse_hex(probes[2].hex, buf, sizeof buf);
    g_assert_true(fingerprint_probe_as(&v, &scan_syn, &fp));
    g_assert_true(scan_type_judging(fp.type) == &scan_syn);
    g_assert_cmpint(fp.type->silent.state, ==, PORT_FILTERED);
    g_assert_nonnull(strstr(fp.evidence, "nmap --scanflags FIN"));
    g_assert_true(fingerprint_probe_as(&v, &scan_fin, &fp));
    g_assert_true(fp.type == &scan_fin);
    /* nmap's -sA probe as --scanflags ACK: the SYN scan reads its RST closed. */
    v = parse_hex(probes[1].hex, buf, sizeof buf);
    g_assert_true(fingerprint_probe_as(&v, &scan_syn, &fp));
    g_assert_true(scan_type_judging(fp.type) == &scan_syn);
    g_assert_cmphex(fp.run_word, ==, v.ack);
}

static const struct {
    const char *what;
    const char *hex;
} ordinary[] = {
    /* A macOS client's lone ACK to 443 (a keepalive: seq one below the next
     * byte, no DF, window 2048, no options, TTL 64; a real capture's, with the
     * lab's addresses): nmap -sA's shape but for its sequence number, and the TTL is not
     * nmap's. */
    {"a macOS keepalive ACK, TTL 64",
     "4500002876e000004006ee5b0ac900010ac90002fc9301bb45de932093f5522950100800d4d30000"},
    {"a kernel's SYN (nmap -sT)",
     "4500003c4d7440004006d7b30ac900010ac900029a58170cf25036ec00000000a002faf015c30000020405b4040"
     "2080ac0a33e6d000000000103030a"},
    {"a kernel's ACK with timestamps",
     "45000034a3fa4000400681350ac900010ac90002996e0016bc18d746242786f18010003f15bb00000101080a95"
     "5000e9a3e61fb7"},
    {"a kernel's RST",
     "45000028000040004006253c0ac900010ac90002b0c1001627539929000000005004000028f80000"},
    {"masscan's RST after a reply",
     "4500002868470000ff063df40ac900010ac90002d5c500175b81685200000000500404b0fbeb0000"},
    {"an SNMP reply from the target",
     "45000058f2084000401132f80ac900020ac9000100a1969e004415ea303a020103300f02024a69020300ffe3040"
     "1040201030410300e0400020100020100040004000400301204000400a00c020237f00201000201003000"},
    /* A Linux ping: DF, 56 bytes of data starting with a timestamp. */
    {"ping from Linux",
     "4500005412344000400100000ac900010ac90002080000000001000167a2b3c40000000000010203101112131415"
     "161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"},
    /* A DNS query from a resolver library: DF set, TTL 64. */
    {"DNS query",
     "4500003a56784000401100000ac900010ac90002c0010035002600001234010000010000000000000776657273"
     "696f6e0462696e640000100003"},
    /* nmap's SYN shape sent to a broadcast address is not a probe of a port. */
    {"SYN to broadcast",
     "4500002cecb300002a0600000ac90001ffffffffb0c100162753992800000000600204000d3f0000020405b4"},
    /* An option list whose length runs past the header: no fingerprint, no crash. */
    {"malformed options",
     "4500002cecb300002a0600000ac900010ac90002b0c100162753992800000000600204000000000002ff05b4"},
    /* nmap -6 -sT: Linux's own SYN, hop limit 64, flow label set, window 64800. */
    {"a kernel's IPv6 SYN",
     "60046bc300280640fd200001000000000000000000000001fd200001000000000000000000000002e20a00502632"
     "e7c100000000a002fd20fa740000020405a00402080a4addc5dc000000000103030a"},
    /* nmap's SYN shape with a kernel's hop limit (64): nmap sends 255 over IPv6. */
    {"nmap's SYN shape, hop limit 64",
     "6000000000180640fd200001000000000000000000000001fd20000100000000000000000000000288350071eb88"
     "aa7400000000600204007b3c0000020405b4"},
    /* nmap's INIT with a kernel's DF and TTL 64: an SCTP stack's own. */
    {"a kernel's SCTP INIT",
     "450000348f5240004084de5f0ac900010ac90002ec890050000000007801a0b20100001459c0932200008000000a"
     "0800c472aff4"},
    /* A macOS ping 12 hops away: no DF, TTL 52, sequence 0, but a timestamp
     * and the bytes 08 09 .. after it, not random ones. */
    {"ping from macOS, 12 hops away",
     "4500005412340000340100000ac900010ac90002080000001a2b00006568a1b2000c3f1008090a0b0c0d0e0f10"
     "1112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637"},
    /* A Windows ping (no DF), sequence 0: its data is text. */
    {"ping from Windows",
     "4500003c12340000700100000ac900010ac9000208000000000100006162636465666768696a6b6c6d6e6f7071"
     "727374757677616263646566676869"},
    /* Random bytes, as nmap's --data-length puts in its datagrams and as an
     * encrypted protocol's look: judged in scan_state.c, by what else the
     * source sent (data_length.h), and to 40125 (nmap -PU's port) by whether
     * the flow answers the other side. */
    {"nmap -PU --data-length 20",
     "45000030b47600002511cbb20ac900010ac90002903d9cbd001c2f16cf49aa506a30653f98c0b790fd7efd417d"
     "d37c20"},
    {"random bytes to 4500/udp",
     "45000030b47600002511cbb20ac900010ac90002903d1194001c2f16cf49aa506a30653f98c0b790fd7efd417d"
     "d37c20"},
    /* An empty datagram with a kernel's hop limit (an application's keepalive). */
    {"empty IPv6 datagram, hop limit 64",
     "6000000000081140fd200001000000000000000000000001fd20000100000000000000000000000281a7076d0008"
     "7c83"},
};

/* nmap --ttl N: over IPv4 its probes' shape tells them whatever their TTL up
 * to 128 (the TTL field is not in the TCP or UDP checksum: set after
 * parsing); above, masscan's and zmap's 255, and an empty datagram (a
 * keepalive's shape) needs nmap's own TTL. */
static void test_ttl_given(void)
{
    static const size_t syn = 0, ack = 1, udp69 = 5;
    const size_t which[] = {syn, ack, udp69};
    for (size_t i = 0; i < G_N_ELEMENTS(which); i++) {
        uint8_t buf[256];
        packet_view v = parse_hex(probes[which[i]].hex, buf, sizeof buf);
        fingerprint fp;
        v.ttl = 70;
        g_test_message("%s --ttl 70", probes[which[i]].what);
        g_assert_true(fingerprint_probe(&v, &fp));
        g_assert_cmpstr(fp.tool, ==, "nmap");
        g_assert_nonnull(strstr(fp.evidence, "TTL 70 (not nmap's 37-59: --ttl)"));
        v.ttl = 128;
        g_assert_true(fingerprint_probe(&v, &fp));
        v.ttl = 200;
        g_assert_false(fingerprint_probe(&v, &fp) && strcmp(fp.tool, "nmap") == 0);
        v.df = true;
        v.ttl = 70;
        g_assert_false(fingerprint_probe(&v, &fp));
    }
    uint8_t buf[256];
    packet_view v =
        parse_hex("45000028bec000003211b4700ac900010ac90002969e0045000800000000", buf, sizeof buf);
    fingerprint fp;
    /* An ACK with a sequence number is -sO's (nmap's TTL only), never -sA's
     * with --ttl (sendIPScanProbe leaves it 0). */
    {
        uint8_t ack_buf[256];
        packet_view a = parse_hex(probes[ack].hex, ack_buf, sizeof ack_buf);
        a.seq = 0x45de9320;
        g_assert_true(fingerprint_probe(&a, &fp)); /* TTL 41 */
        a.ttl = 70;
        g_assert_false(fingerprint_probe(&a, &fp));
        a.ttl = 64;
        g_assert_false(fingerprint_probe(&a, &fp));
    }
    g_assert_true(fingerprint_probe(&v, &fp)); /* TTL 50: nmap's empty datagram */
    v.ttl = 128;
    g_assert_false(fingerprint_probe(&v, &fp)); /* a Windows keepalive's */
}

static void test_ordinary(void)
{
    for (size_t i = 0; i < G_N_ELEMENTS(ordinary); i++) {
        uint8_t buf[256];
        packet_view v = parse_hex(ordinary[i].hex, buf, sizeof buf);
        fingerprint fp;
        g_test_message("%s", ordinary[i].what);
        g_assert_false(fingerprint_probe(&v, &fp));
    }
}

/* Whatever packet_parse() accepts, fingerprint_probe() reads within it. */
static void test_random_bytes(void)
{
    GRand *rand = g_rand_new_with_seed(7);
    for (unsigned round = 0; round < 200000; round++) {
        uint8_t buf[80];
        size_t len = (size_t)g_rand_int_range(rand, 20, sizeof buf);
        for (size_t i = 0; i < len; i++)
            buf[i] = (uint8_t)g_rand_int(rand);
        buf[0] = 0x45;
        buf[9] = (uint8_t[]){PACKET_TCP, PACKET_UDP, PACKET_ICMP, PACKET_SCTP}[round % 4];
        uint8_t *copy = g_memdup2(buf, len); /* ASan sees reads past len */
        packet_view v;
        fingerprint fp;
        if (packet_parse(copy, len, &v))
            (void)fingerprint_probe(&v, &fp);
        g_free(copy);
    }
    g_rand_free(rand);
}

/* The values a reply brings back in place of a cookie: for TCP what the module's
 * reply_cookie() reads from the reply, so a SYN-ACK's ack - 1 and a RST's seq to
 * an ACK probe come out equal to them. */
static void test_reply_cookies(void)
{
    uint8_t buf[256];
    packet_view syn = parse_hex(probes[0].hex, buf, sizeof buf);
    g_assert_cmpuint(fingerprint_reply_cookie(&scan_syn, &syn), ==, syn.seq);
    g_assert_cmpuint(fingerprint_quote_cookie(&syn), ==, syn.seq);

    /* The SYN-ACK to it (22 → 45249, ack = seq + 1). */
    packet_view synack =
        parse_hex("4500002c000040004006253c0ac900020ac900010016b0c18330a44227539929"
                  "6012faf0a0220000020405b4",
                  buf, sizeof buf);
    uint32_t cookie;
    g_assert_true(scan_syn.reply_cookie(&scan_syn, &synack, &cookie));
    g_assert_cmpuint(cookie, ==, syn.seq);

    packet_view ack = parse_hex(probes[1].hex, buf, sizeof buf);
    g_assert_cmpuint(fingerprint_reply_cookie(&scan_ack, &ack), ==, ack.ack);
    g_assert_cmpuint(fingerprint_quote_cookie(&ack), ==, ack.seq);

    packet_view udp = parse_hex(probes[5].hex, buf, sizeof buf);
    g_assert_cmpuint(fingerprint_quote_cookie(&udp), ==, udp.ip_id);

    /* An SCTP INIT's answers carry its initiate tag, a COOKIE ECHO's its
     * verification tag; so does an ICMP error quoting them (scan_sctp.c). */
    packet_view init = parse_hex(probes[24].hex, buf, sizeof buf);
    g_assert_cmphex(fingerprint_reply_cookie(&scan_sctp_init, &init), ==, 0x59c09322);
    g_assert_cmphex(fingerprint_quote_cookie(&init), ==, 0x59c09322);
    packet_view echo_chunk = parse_hex(probes[25].hex, buf, sizeof buf);
    g_assert_cmphex(fingerprint_reply_cookie(&scan_sctp_cookie_echo, &echo_chunk), ==, 0x8e8e696d);

    packet_view echo = parse_hex(probes[8].hex, buf, sizeof buf);
    g_assert_cmpuint(fingerprint_reply_cookie(&ping_echo, &echo), ==,
                     (uint32_t)echo.icmp_id << 16 | echo.icmp_seq);

    g_assert_true(fingerprint_discovery_type(&scan_syn) == &ping_syn);
    g_assert_true(fingerprint_discovery_type(&scan_ack) == &ping_ack);
    g_assert_true(fingerprint_discovery_type(&scan_fin) == &scan_fin);
}

static const behaviour_config zeek = {BEHAVIOUR_PORT_THRESHOLD, BEHAVIOUR_HOST_THRESHOLD,
                                      BEHAVIOUR_WINDOW_SECONDS};

static const packet_addr scanner_addr = PACKET_ADDR_IPV4_INIT(0x0ac90001u);
static const packet_addr target_addr = PACKET_ADDR_IPV4_INIT(0x0ac90002u);
#define SCANNER (&scanner_addr)
#define TARGET  (&target_addr)

static void test_port_scan(void)
{
    behaviour *b = behaviour_new();
    behaviour_source *s = behaviour_source_get(b, SCANNER);
    for (uint16_t port = 1; port < BEHAVIOUR_PORT_THRESHOLD; port++) {
        behaviour_failed(b, s, TARGET, PACKET_TCP, port, port, FAILURE_REFUSED, &zeek);
        /* Failing again on a port already counted counts nothing. */
        behaviour_failed(b, s, TARGET, PACKET_TCP, port, port, FAILURE_UNANSWERED, &zeek);
    }
    g_assert_false(behaviour_is_scanner(s));
    g_assert_cmpstr(behaviour_evidence(s), ==, "");
    behaviour_failed(b, s, TARGET, PACKET_TCP, 999, 20, FAILURE_UNREACHABLE, &zeek);
    g_assert_true(behaviour_is_scanner(s));
    g_assert_cmpstr(behaviour_evidence(s), ==,
                    "port scan: failed attempts on 15 ports of 10.201.0.2 within 300 s "
                    "(threshold 15)");
    g_assert_false(behaviour_resets_after_handshake(s));
    behaviour_failed(b, s, TARGET, PACKET_TCP, 1000, 21, FAILURE_ABORTED_RESET, &zeek);
    g_assert_true(behaviour_resets_after_handshake(s));
    /* Another source is not touched. */
    g_assert_false(behaviour_is_scanner(behaviour_source_get(b, TARGET)));
    behaviour_free(b);
}

static void test_sweep(void)
{
    behaviour *b = behaviour_new();
    behaviour_source *s = behaviour_source_get(b, SCANNER);
    for (uint32_t host = 1; host <= BEHAVIOUR_HOST_THRESHOLD; host++) {
        g_assert_false(behaviour_is_scanner(s));
        packet_addr host_addr = packet_addr_from_ipv4(0x0a000000u + host);
        behaviour_failed(b, s, &host_addr, PACKET_TCP, 445, host, FAILURE_UNANSWERED, &zeek);
    }
    g_assert_true(behaviour_is_scanner(s));
    g_assert_cmpstr(behaviour_evidence(s), ==,
                    "address sweep: failed attempts on 25 hosts at 445/tcp within 300 s "
                    "(threshold 25)");
    behaviour_free(b);
}

/* Failures spread wider than the window never add up; a threshold of 0 never
 * fires. */
static void test_window_and_off(void)
{
    behaviour *b = behaviour_new();
    behaviour_source *s = behaviour_source_get(b, SCANNER);
    for (uint16_t port = 1; port <= 100; port++)
        behaviour_failed(b, s, TARGET, PACKET_UDP, port, port * 60.0, FAILURE_REFUSED, &zeek);
    g_assert_false(behaviour_is_scanner(s));

    const behaviour_config off = {0, 0, BEHAVIOUR_WINDOW_SECONDS};
    behaviour_source *t = behaviour_source_get(b, &target_addr);
    for (uint16_t port = 1; port <= 100; port++)
        behaviour_failed(b, t, TARGET, PACKET_TCP, port, 1, FAILURE_REFUSED, &off);
    g_assert_false(behaviour_is_scanner(t));
    behaviour_free(b);
}

/* nmap -sO's probes that nothing else of nmap's sends (scan_engine_raw.cc,
 * build_protoscan_packet): an IP header alone, or the IGMP query, with nmap's
 * TTL and no DF; the same with DF, with a kernel's TTL, or with data is not. */
static void test_proto_scan(void)
{
    /* IPv4, 20 octets, protocol 47 (GRE), TTL 50, no DF */
    uint8_t p[64] = {0x45, 0, 0, 20, 0x12, 0x34, 0, 0, 50, 47, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
    put_be16(p + 10, packet_checksum(p, 20, 0));
    packet_view v;
    fingerprint fp;
    g_assert_true(packet_parse(p, 20, &v));
    g_assert_true(fingerprint_probe(&v, &fp));
    g_assert_true(fp.type == &scan_proto);
    g_assert_cmpstr(fp.tool, ==, "nmap");
    g_assert_nonnull(strstr(fp.evidence, "nmap -sO"));
    v.df = true;
    g_assert_false(fingerprint_probe(&v, &fp));
    v.df = false;
    v.ttl = 64;
    g_assert_false(fingerprint_probe(&v, &fp));
    /* with four octets of data: a packet of the protocol, not nmap's probe */
    p[3] = 24;
    g_assert_true(packet_parse(p, 24, &v));
    g_assert_false(fingerprint_probe(&v, &fp));
    /* the IGMP membership query (RFC 2236), 8 octets */
    p[3] = 28;
    p[9] = 2;
    memset(p + 20, 0, 8);
    p[20] = 0x11;
    g_assert_true(packet_parse(p, 28, &v));
    g_assert_true(fingerprint_probe(&v, &fp));
    g_assert_true(fp.type == &scan_proto);
    /* ICMPv6's number over IPv4 is a bare header too */
    p[3] = 20;
    p[9] = PACKET_ICMPV6;
    g_assert_true(packet_parse(p, 20, &v));
    g_assert_true(fingerprint_probe(&v, &fp));
    g_assert_true(fp.type == &scan_proto);
}

/* nmap -6 -sO's echo request (lab capture, hop limit 255) has code 129, the
 * echo reply's type, where -6 -PE's has 0: it shows the scan by itself. */
static void test_proto_scan6_echo(void)
{
    static const char hex[] = "6000a8f700083afffd200001000000000000000000000001fd20000100000000"
                              "00000000000000028081"
                              "8be0f9140000";
    uint8_t buf[64];
    packet_view v = parse_hex(hex, buf, sizeof buf);
    fingerprint fp;
    g_assert_true(fingerprint_probe(&v, &fp));
    g_assert_true(fp.type == &scan_proto);
    g_assert_nonnull(strstr(fp.evidence, "code 129"));
    /* code 0: -PE's */
    v.icmp_code = 0;
    g_assert_true(fingerprint_probe(&v, &fp));
    g_assert_true(fp.type == &ping_echo);
    /* with a kernel's hop limit: nobody's */
    v.icmp_code = ICMPV6_ECHO_REPLY;
    v.ttl = 64;
    g_assert_false(fingerprint_probe(&v, &fp));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/fingerprint/probes", test_probes);
    g_test_add_func("/fingerprint/flag-probes", test_flag_probes);
    g_test_add_func("/fingerprint/scanflags-base", test_scanflags_base);
    g_test_add_func("/fingerprint/ordinary", test_ordinary);
    g_test_add_func("/fingerprint/ttl-given", test_ttl_given);
    g_test_add_func("/fingerprint/proto-scan", test_proto_scan);
    g_test_add_func("/fingerprint/proto-scan6-echo", test_proto_scan6_echo);
    g_test_add_func("/fingerprint/random_bytes", test_random_bytes);
    g_test_add_func("/fingerprint/reply_cookies", test_reply_cookies);
    g_test_add_func("/behaviour/port_scan", test_port_scan);
    g_test_add_func("/behaviour/sweep", test_sweep);
    g_test_add_func("/behaviour/window_and_off", test_window_and_off);
    return g_test_run();
}
