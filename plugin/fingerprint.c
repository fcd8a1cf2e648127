#include "fingerprint.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nmap_data.h"

/* nmap sends raw probes with a TTL drawn from 37-59 unless --ttl is given; a
 * kernel starts at 64, 128 or 255. */
#define NMAP_TTL_MAX 59
/* masscan and zmap send with TTL 255 (their templates' MAXTTL); anything above
 * 128 left a sender that starts at 255. */
#define TTL_255_MIN 129
/* zmap's IP ID, fixed in its packet templates. */
#define ZMAP_IP_ID 54321
/* zmap's SYN template has the largest window. */
#define ZMAP_WINDOW 65535

#define N_ELEMENTS(a) (sizeof(a) / sizeof((a)[0]))

/* nmap's TTL over IPv4: 37-59 (tcpip.cc build_ip_raw). Its hop limit over IPv6: nmap 7.93 sends
 * every -6 probe and ping with hop limit 255 unless --ttl is given (all of the lab's nmap -6
 * captures, on raw Ethernet or with --send-ip), which a router on the way lowers; 37-59, which
 * build_ipv6_raw draws when handed no hop limit, is taken too. masscan and zmap are told by their
 * IPv4 fingerprints (IP ID, TTL 255) only, so over IPv6 a hop limit above 128 is nmap's. */
bool fingerprint_nmap_hops(const packet_view *pkt)
{
    if (pkt->ttl <= NMAP_TTL_MAX)
        return true;
    return !packet_addr_is_ipv4(&pkt->flow.dst) && pkt->ttl >= TTL_255_MIN;
}

/* nmap --ttl N sends every probe with TTL N: over IPv4, where every kernel sets
 * DF on TCP, a probe's shape without DF tells it whatever its TTL, up to 128
 * (above are masscan's and zmap's 255, which their own rules tell). Over IPv6
 * no packet has DF, and a hop limit of 64 on nmap's shape is taken for a
 * kernel's, as before: nmap -6 --ttl is recognised in 37-59 and above 128
 * only. Where the shape alone is weak (an empty datagram: a keepalive), the
 * TTL must still be nmap's. */
static bool nmap_ttl_given(const packet_view *pkt)
{
    return packet_addr_is_ipv4(&pkt->flow.dst) && !fingerprint_nmap_hops(pkt) &&
           pkt->ttl < TTL_255_MIN;
}

bool fingerprint_nmap_ttl(const packet_view *pkt)
{
    return fingerprint_nmap_hops(pkt) || nmap_ttl_given(pkt);
}

/* The TTL words of the evidence: "TTL 45 (nmap: 37-59)", over IPv6 "hop limit
 * 255 (nmap -6: 255)" or "hop limit 45 (nmap: 37-59)", and with --ttl "TTL
 * 70 (not nmap's 37-59: --ttl)". */
static const char *hop_words(const packet_view *pkt, char *buf, size_t cap)
{
    if (nmap_ttl_given(pkt))
        snprintf(buf, cap, "%s %u (not nmap's 37-59: --ttl)",
                 packet_addr_is_ipv4(&pkt->flow.dst) ? "TTL" : "hop limit", pkt->ttl);
    else if (packet_addr_is_ipv4(&pkt->flow.dst))
        snprintf(buf, cap, "TTL %u (nmap: 37-59)", pkt->ttl);
    else if (pkt->ttl <= NMAP_TTL_MAX)
        snprintf(buf, cap, "hop limit %u (nmap: 37-59)", pkt->ttl);
    else
        snprintf(buf, cap, "hop limit %u (nmap -6: 255)", pkt->ttl);
    return buf;
}

typedef struct tcp_options {
    unsigned count; /* options other than NOP and end-of-list */
    bool mss, timestamp, malformed;
    uint16_t mss_value;
} tcp_options;

static tcp_options read_options(const uint8_t *p, size_t len)
{
    enum { END = 0, NOP = 1, MSS = 2, TIMESTAMP = 8 };
    tcp_options o = {0};
    size_t i = 0;
    while (i < len) {
        uint8_t kind = p[i];
        if (kind == END)
            break;
        if (kind == NOP) {
            i++;
            continue;
        }
        if (i + 1 >= len || p[i + 1] < 2 || p[i + 1] > len - i) {
            o.malformed = true;
            break;
        }
        uint8_t olen = p[i + 1];
        o.count++;
        if (kind == MSS && olen == 4) {
            o.mss = true;
            o.mss_value = get_be16(p + i + 2);
        }
        if (kind == TIMESTAMP)
            o.timestamp = true;
        i += olen;
    }
    return o;
}

static bool set(fingerprint *out, const char *tool, const scan_type *type, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static bool set(fingerprint *out, const char *tool, const scan_type *type, const char *format, ...)
{
    out->tool = tool;
    out->type = type;
    out->may_be_discovery = false;
    out->has_run_word = false;
    va_list ap;
    va_start(ap, format);
    vsnprintf(out->evidence, sizeof out->evidence, format, ap);
    va_end(ap);
    return true;
}

/* nmap's probe windows: 1024 today, a random one of these in older releases. */
static bool nmap_window(uint16_t window)
{
    return window == 1024 || window == 2048 || window == 3072 || window == 4096;
}

/* The scan type of nmap's TCP probe with these flags. nmap's -sW probe is its
 * -sA probe, byte for byte: both are taken for -sA, and the window scan's
 * reading is shown beside (scan_state_window_verdict). Flags of no scan type of
 * nmap's are --scanflags, judged as nmap judges them when no type is given with
 * it, by the SYN scan's rules: the wire does not say which type was given. A
 * RST or SYN-ACK is taken for a reply, never for such a probe.
 *
 * scanflags_base (preference scantrace.nmap_scanflags, NULL: none): the user
 * says nmap ran --scanflags with this type (scan_syn when no other -s was
 * given), which judges every nmap TCP port probe whatever its flags, as
 * scan_engine_raw.cc judges by USI->scantype, not by the probe's flags: a FIN
 * probe is then --scanflags FIN judged as the SYN scan, not -sF. Any flags are
 * taken, RST and SYN-ACK too (a reply travels against a probe flow, which is
 * never fingerprinted). */
static const scan_type *nmap_tcp_type(uint8_t flags, const scan_type *scanflags_base,
                                      const char **option)
{
    if (scanflags_base) {
        const scan_type *type = scanflags_base->tcp_flags == flags
                                    ? scanflags_base
                                    : scan_flags_type(scanflags_base, flags);
        *option = type->option;
        return type;
    }
    switch (flags) {
    case TCP_SYN:
        *option = "-sS";
        return &scan_syn;
    case TCP_ACK:
        *option = "-sA";
        return &scan_ack;
    case TCP_FIN:
        *option = "-sF";
        return &scan_fin;
    case 0:
        *option = "-sN";
        return &scan_null;
    case TCP_FIN | TCP_PSH | TCP_URG:
        *option = "-sX";
        return &scan_xmas;
    case TCP_FIN | TCP_ACK:
        *option = "-sM";
        return &scan_maimon;
    default:
        if ((flags & TCP_RST) || (flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
            return NULL;
        const scan_type *type = scan_flags_type(&scan_syn, flags);
        *option = type->option;
        return type;
    }
}

static bool fingerprint_tcp_shape(const packet_view *pkt, const scan_type *scanflags_base,
                                  fingerprint *out);

static bool fingerprint_tcp(const packet_view *pkt, const scan_type *scanflags_base,
                            fingerprint *out)
{
    if (!fingerprint_tcp_shape(pkt, scanflags_base, out))
        return false;
    if (strcmp(out->tool, "nmap") == 0) {
        out->has_run_word = true;
        out->run_word = (pkt->tcp_flags & TCP_ACK) ? pkt->ack : pkt->seq;
    }
    return true;
}

static bool fingerprint_tcp_shape(const packet_view *pkt, const scan_type *scanflags_base,
                                  fingerprint *out)
{
    if (pkt->df)
        return false;
    tcp_options opt = read_options(pkt->tcp_options, pkt->tcp_options_len);
    if (opt.malformed || opt.timestamp)
        return false;
    uint32_t dst = packet_addr_low32(&pkt->flow.dst);
    uint16_t dport = pkt->flow.dport;
    bool v4 = packet_addr_is_ipv4(&pkt->flow.dst);
    if (pkt->tcp_flags == TCP_SYN && pkt->ack == 0 && pkt->payload_len == 0) {
        /* masscan's tcp template: ip_id = ip_them ^ port_them ^ seqno, TTL 255.
         * One in 65536 SYNs of anyone meets the IP ID rule by chance: the TTL
         * rules those out. IPv6 has no IP ID to carry it. */
        if (v4 && (uint16_t)(dst ^ dport ^ pkt->seq) == pkt->ip_id && pkt->ttl >= TTL_255_MIN)
            return set(out, "masscan", &scan_syn,
                       "IP ID 0x%04x = low 16 bits of target ^ port ^ seq, TTL %u, window %u: "
                       "masscan",
                       pkt->ip_id, pkt->ttl, pkt->window);
        if (pkt->window == ZMAP_WINDOW && (pkt->ip_id == ZMAP_IP_ID || pkt->ttl >= TTL_255_MIN)) {
            if (pkt->ip_id == ZMAP_IP_ID)
                return set(out, "zmap", &scan_syn, "IP ID 54321, TTL %u, window 65535: zmap",
                           pkt->ttl);
            return set(out, "zmap", &scan_syn, "TTL %u (sent as 255), window 65535: zmap",
                       pkt->ttl);
        }
    }
    const char *option = NULL;
    const scan_type *type = nmap_tcp_type(pkt->tcp_flags, scanflags_base, &option);
    if (!type || !nmap_window(pkt->window) || (!fingerprint_nmap_hops(pkt) && !nmap_ttl_given(pkt)))
        return false;
    /* sendIPScanProbe puts the try's number in the ack of a probe with ACK
     * and leaves its sequence number 0. -sO's ACK (build_protoscan_packet)
     * has a random one, which nmap's own TTL lets through; a TTL outside
     * 37-59 (--ttl's, or a kernel's: a macOS keepalive, ACK without DF,
     * window 2048, TTL 64, seq one below the next byte) needs the whole
     * shape. */
    if ((pkt->tcp_flags & TCP_ACK) && pkt->seq != 0 && nmap_ttl_given(pkt))
        return false;
    char hops[48];
    hop_words(pkt, hops, sizeof hops);
    /* nmap's --data-length appends random bytes to every probe. */
    char data[64] = "";
    if (pkt->payload_len)
        snprintf(data, sizeof data, ", %zu bytes of data (--data-length)", pkt->payload_len);
    /* --scanflags: nmap adds MSS to a probe with SYN, puts its numbers in the
     * ack of one with ACK, and sends no data unless asked (scan_engine_raw.cc,
     * sendIPScanProbe); data would make any segment look like one. */
    if (type->base && pkt->payload_len)
        return false;
    /* The try's number is in the ack of a probe with ACK, else in its sequence
     * number, and the other one is 0 (sendIPScanProbe). */
    bool ack_as_nmap = (pkt->tcp_flags & TCP_ACK) || pkt->ack == 0;
    if (pkt->tcp_flags & TCP_SYN) {
        /* nmap's SYN probe has one option, MSS, and nothing else: 4 bytes, which
         * a 54-byte snapshot of an Ethernet frame cuts off. */
        bool cut = pkt->tcp_header_len == 24 && pkt->tcp_options_len < 4 &&
                   (pkt->tcp_options_len == 0 || pkt->tcp_options[0] == 2);
        if (cut && ack_as_nmap) {
            set(out, "nmap", type,
                "window %u, one 4-byte option (cut by the snapshot length; nmap's: MSS), "
                "no DF, %s%s: nmap %s",
                pkt->window, hops, data, option);
            out->may_be_discovery = type == &scan_syn;
            return true;
        }
        if (!ack_as_nmap || opt.count != 1 || !opt.mss || pkt->tcp_options_len != 4)
            return false;
        set(out, "nmap", type, "window %u, sole option MSS %u, no DF, %s%s: nmap %s", pkt->window,
            opt.mss_value, hops, data, option);
        out->may_be_discovery = type == &scan_syn;
        return true;
    }
    if (opt.count != 0 || pkt->tcp_options_len != 0)
        return false;
    if (type == &scan_ack) {
        set(out, "nmap", type,
            "ACK, window %u, seq %u, no options, no DF, %s%s: nmap %s (or -sW: the same "
            "probe)",
            pkt->window, pkt->seq, hops, data, option);
        out->may_be_discovery = true;
        return true;
    }
    if (pkt->tcp_flags & TCP_ACK)
        return set(out, "nmap", type, "window %u, no options, no DF, %s%s: nmap %s", pkt->window,
                   hops, data, option);
    if (pkt->ack != 0)
        return false;
    return set(out, "nmap", type, "window %u, no options, no DF, %s%s: nmap %s", pkt->window, hops,
               data, option);
}

typedef struct payload_sig {
    const char *name;
    const char *bytes;
    size_t len;
    bool whole; /* the payload is exactly these bytes, not just starts with them */
} payload_sig;

#define SIG(name, bytes, whole)                                                                    \
    {                                                                                              \
        name, bytes, sizeof bytes - 1, whole                                                       \
    }

typedef struct nmap_port_range {
    uint16_t first, last;
} nmap_port_range;

typedef struct nmap_payload {
    size_t nranges;
    const nmap_port_range *ranges;
    size_t len;       /* the whole request's */
    const char *head; /* its first bytes */
    size_t head_len;
} nmap_payload;

#include "nmap_payloads.h"

/* Whether the payload is a request nmap's UDP scan sends to that port: nmap
 * sends a port only the requests nmap-payloads lists for it, whole. stated: the
 * length the UDP header gives; captured: the bytes the capture kept of it. */
static bool nmap_payload_for(uint16_t port, const uint8_t *payload, size_t captured, size_t stated)
{
    enum { ENOUGH = 4 }; /* fewer bytes than this tell no request from another */
    for (size_t i = 0; i < N_ELEMENTS(nmap_payloads); i++) {
        const nmap_payload *np = &nmap_payloads[i];
        size_t head = np->head_len < captured ? np->head_len : captured;
        size_t needed = np->head_len < ENOUGH ? np->head_len : ENOUGH;
        if (np->len != stated || head < needed || memcmp(payload, np->head, head) != 0)
            continue;
        for (size_t r = 0; r < np->nranges; r++)
            if (port >= np->ranges[r].first && port <= np->ranges[r].last)
                return true;
    }
    return false;
}

/* masscan's built-in UDP requests (templ-payloads.c). */
static const payload_sig masscan_payloads[] = {
    SIG("NTP MON_GETLIST_1 request", "\x17\0\x03\x2a\0\0\0\0", false),
    SIG("SNMPv1 GetRequest", "\x30\x39\x02\x01\0\x04\x06public\xa0", false),
    SIG("SSDP M-SEARCH", "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n", false),
};

static const payload_sig *find_payload(const payload_sig *sigs, size_t n, const uint8_t *payload,
                                       size_t len)
{
    for (size_t i = 0; i < n; i++) {
        const payload_sig *s = &sigs[i];
        if (len >= s->len && (!s->whole || len == s->len) && memcmp(payload, s->bytes, s->len) == 0)
            return s;
    }
    return NULL;
}

/* masscan's DNS request asks for version.bind (TXT, CHAOS) with its cookie in
 * the id, and the IP ID is target ^ port ^ cookie: so id ^ IP ID gives away
 * the target and port. */
static bool masscan_dns(const packet_view *pkt)
{
    static const char question[] = "\x07version\x04"
                                   "bind\0\0\x10\0\x03";
    enum { HEADER = 12 };
    const uint8_t *p = pkt->payload;
    size_t len = pkt->payload_len;
    return len >= HEADER + sizeof question - 1 &&
           memcmp(p + HEADER, question, sizeof question - 1) == 0 &&
           packet_addr_is_ipv4(&pkt->flow.dst) &&
           (uint16_t)(get_be16(p) ^ pkt->ip_id) ==
               (uint16_t)(packet_addr_low32(&pkt->flow.dst) ^ pkt->flow.dport);
}

static bool fingerprint_udp(const packet_view *pkt, fingerprint *out)
{
    if (pkt->df)
        return false;
    const uint8_t *p = pkt->payload;
    size_t len = pkt->payload_len;
    if (pkt->ttl >= TTL_255_MIN && packet_addr_is_ipv4(&pkt->flow.dst)) {
        if (pkt->ip_id == ZMAP_IP_ID)
            return set(out, "zmap", &scan_udp, "IP ID 54321, TTL %u, no DF: zmap -M udp", pkt->ttl);
        if (masscan_dns(pkt))
            return set(out, "masscan", &scan_udp,
                       "version.bind query whose id ^ IP ID = target ^ port, TTL %u: masscan",
                       pkt->ttl);
        if (pkt->udp_stated_len == 0)
            return set(out, "masscan", &scan_udp, "empty datagram, TTL %u, no DF: masscan",
                       pkt->ttl);
        const payload_sig *sig =
            find_payload(masscan_payloads, N_ELEMENTS(masscan_payloads), p, len);
        if (sig)
            return set(out, "masscan", &scan_udp, "%s, TTL %u, no DF: masscan", sig->name,
                       pkt->ttl);
        return false;
    }
    if (!fingerprint_nmap_hops(pkt) && !nmap_ttl_given(pkt))
        return false;
    char hops[48];
    hop_words(pkt, hops, sizeof hops);
    if (pkt->udp_stated_len == 0 && fingerprint_nmap_hops(pkt))
        return set(out, "nmap", &scan_udp, "empty datagram, no DF, %s: nmap -sU", hops);
    if (nmap_payload_for(pkt->flow.dport, p, len, pkt->udp_stated_len))
        return set(out, "nmap", &scan_udp, "nmap-payloads' request for %u/udp, no DF, %s: nmap -sU",
                   pkt->flow.dport, hops);
    /* Random bytes (nmap's --data-length, -PU's to 40125 too) are judged in
     * scan_state.c, where the flow's history and the source's runs are known. */
    return false;
}

static bool masscan_ping_data(const uint8_t *p, size_t len)
{
    /* The bytes 0x08-0x37 that follow the 8-byte timestamp of a Linux ping, but
     * with no timestamp before them. */
    enum { FIRST = 0x08, LAST = 0x37 };
    if (len != LAST - FIRST + 1)
        return false;
    for (size_t i = 0; i < len; i++)
        if (p[i] != FIRST + i)
            return false;
    return true;
}

static bool all_zero(const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (p[i] != 0)
            return false;
    return true;
}

static bool fingerprint_icmp(const packet_view *pkt, fingerprint *out)
{
    enum { TIMESTAMPS = 12, MASK = 4 };
    if (pkt->icmp_code != 0 || pkt->df)
        return false;
    const uint8_t *p = pkt->payload;
    size_t len = pkt->payload_len;
    if (pkt->icmp_type == ICMP_ECHO) {
        if (masscan_ping_data(p, len))
            return set(out, "masscan", &ping_echo,
                       "echo data 08 09 .. 37 with no timestamp before it, TTL %u: masscan --ping",
                       pkt->ttl);
        if (pkt->ip_id == ZMAP_IP_ID && pkt->ttl >= TTL_255_MIN)
            return set(out, "zmap", &ping_echo, "IP ID 54321, TTL %u: zmap -M icmp_echoscan",
                       pkt->ttl);
        char hops[48];
        if (len == 0 && (fingerprint_nmap_hops(pkt) || nmap_ttl_given(pkt)))
            return set(out, "nmap", &ping_echo, "echo request without data, no DF, %s: nmap -PE",
                       hop_words(pkt, hops, sizeof hops));
        if (nmap_echo_with_data(pkt) && (fingerprint_nmap_hops(pkt) || nmap_ttl_given(pkt)))
            return set(out, "nmap", &ping_echo,
                       "echo request, sequence 0, %zu random bytes (--data-length), no DF, %s: "
                       "nmap -PE",
                       len, hop_words(pkt, hops, sizeof hops));
        return false;
    }
    if (pkt->icmp_type == ICMP_TIMESTAMP && len == TIMESTAMPS && all_zero(p, len) &&
        (fingerprint_nmap_hops(pkt) || nmap_ttl_given(pkt)))
        return set(out, "nmap", &ping_timestamp,
                   "timestamp request with all timestamps zero, no DF, TTL %u: nmap -PP", pkt->ttl);
    /* nmap -PM: an address mask request (RFC 950) whose mask is 0, nothing after
     * it (the lab's captures; tcpip.cc build_icmp_raw). */
    if (pkt->icmp_type == ICMP_MASK && len == MASK && all_zero(p, len) &&
        (fingerprint_nmap_hops(pkt) || nmap_ttl_given(pkt)))
        return set(out, "nmap", &ping_mask,
                   "address mask request with mask 0, no DF, TTL %u: nmap -PM", pkt->ttl);
    return false;
}

/* nmap -6 -PE: an ICMPv6 echo request without data (or nmap's --data-length
 * bytes), with nmap's hop limit. */
static bool fingerprint_icmpv6(const packet_view *pkt, fingerprint *out)
{
    if (pkt->icmp_type != ICMPV6_ECHO || pkt->icmp_code != 0 || !fingerprint_nmap_hops(pkt))
        return false;
    char hops[48];
    if (pkt->payload_len == 0)
        return set(out, "nmap", &ping_echo, "ICMPv6 echo request without data, %s: nmap -6 -PE",
                   hop_words(pkt, hops, sizeof hops));
    /* With --data-length: its random bytes, sequence 0 (nmap_data.h). */
    if (nmap_echo_with_data(pkt))
        return set(out, "nmap", &ping_echo,
                   "ICMPv6 echo request, sequence 0, %zu random bytes (--data-length), %s: "
                   "nmap -6 -PE",
                   pkt->payload_len, hop_words(pkt, hops, sizeof hops));
    return false;
}

/* nmap -sO (and -PO, which sends the same; scan_engine_raw.cc,
 * build_protoscan_packet): the probes no other scan of nmap's sends, an IP
 * header alone of a protocol nmap builds nothing for (the other family's ICMP
 * too), its IGMP membership query of 8 octets, or over IPv6 its echo request
 * with code 129; no DF, nmap's TTL. Its TCP,
 * UDP, echo and SCTP probes are its -sA, -sU, -PE and -sY probes byte for
 * byte: proto_scan_state.c takes them for -sO's once this has seen the scan. */
static bool fingerprint_proto(const packet_view *pkt, fingerprint *out)
{
    enum { IGMP = 2, IGMP_LEN = 8, IGMP_QUERY = 0x11 };
    bool v4 = packet_addr_is_ipv4(&pkt->flow.src);
    bool igmp = v4 && pkt->flow.proto == IGMP && pkt->payload_len == IGMP_LEN &&
                pkt->payload[0] == IGMP_QUERY;
    /* A weak shape (scantrace's own untagged -sO probes have it too, with TTL
     * 64): nmap's TTL, not --ttl's. */
    if (pkt->has_quote || pkt->df || !fingerprint_nmap_hops(pkt))
        return false;
    char hops[48];
    /* nmap -6 -sO's (and -PO's) echo request has code 129, the echo reply's
     * type, where its -PE's has 0 (every nmap -6 -sO capture of the lab). */
    if (!v4 && pkt->flow.proto == PACKET_ICMPV6 && pkt->icmp_type == ICMPV6_ECHO &&
        pkt->icmp_code == ICMPV6_ECHO_REPLY && pkt->payload_len == 0)
        return set(out, "nmap", &scan_proto,
                   "ICMPv6 echo request with code 129, no data, %s: nmap -6 -sO",
                   hop_words(pkt, hops, sizeof hops));
    if (!igmp && (pkt->payload_len != 0 || !proto_probe_is_bare(pkt->flow.proto, v4)))
        return false;
    hop_words(pkt, hops, sizeof hops);
    if (igmp)
        return set(out, "nmap", &scan_proto, "IGMP membership query alone, no DF, %s: nmap -sO",
                   hops);
    return set(out, "nmap", &scan_proto, "an IP header alone, protocol %u, no DF, %s: nmap -sO",
               pkt->flow.proto, hops);
}

/* nmap -sY and -sZ (scan_engine_raw.cc, sendIPScanProbe): one chunk and
 * nothing else, an INIT of 20 octets with verification tag 0, a_rwnd 32768,
 * 10 outbound and 2048 inbound streams, or a COOKIE ECHO of 8 (a cookie of 4
 * random octets) under a random verification tag; nmap's TTL, no DF. nmap's
 * -PY INIT is its -sY INIT byte for byte: read as -sY's. */
static bool fingerprint_sctp(const packet_view *pkt, fingerprint *out)
{
    enum { INIT_LEN = 20, ECHO_LEN = 8 };
    /* Our -sO INIT has nmap's shape: its cookie, twice over, tells it. */
    if (!pkt->sctp_has_chunk || pkt->df || (!fingerprint_nmap_hops(pkt) && !nmap_ttl_given(pkt)) ||
        proto_sctp_probe_is_ours(pkt))
        return false;
    const uint8_t *c = pkt->payload;
    char hops[48];
    hop_words(pkt, hops, sizeof hops);
    if (pkt->sctp_chunk_type == SCTP_CHUNK_INIT && pkt->sctp_chunk_len == INIT_LEN &&
        pkt->payload_len == INIT_LEN && pkt->sctp_vtag == 0 && get_be32(c + 8) == 32768 &&
        get_be16(c + 12) == 10 && get_be16(c + 14) == 2048)
        return set(out, "nmap", &scan_sctp_init,
                   "INIT alone, a_rwnd 32768, streams 10/2048, no DF, %s: nmap -sY", hops);
    if (pkt->sctp_chunk_type == SCTP_CHUNK_COOKIE_ECHO && pkt->sctp_chunk_len == ECHO_LEN &&
        pkt->payload_len == ECHO_LEN && pkt->sctp_vtag != 0)
        return set(out, "nmap", &scan_sctp_cookie_echo,
                   "COOKIE ECHO alone with a 4-octet cookie, no DF, %s: nmap -sZ", hops);
    return false;
}

bool fingerprint_probe(const packet_view *pkt, fingerprint *out)
{
    return fingerprint_probe_as(pkt, NULL, out);
}

bool fingerprint_probe_as(const packet_view *pkt, const scan_type *scanflags_base, fingerprint *out)
{
    if (!packet_addr_unicast(&pkt->flow.dst) || !packet_addr_unicast(&pkt->flow.src) ||
        packet_addr_equal(&pkt->flow.src, &pkt->flow.dst))
        return false;
    if (fingerprint_proto(pkt, out))
        return true;
    switch (pkt->flow.proto) {
    case PACKET_TCP:
        return fingerprint_tcp(pkt, scanflags_base, out);
    case PACKET_UDP:
        return fingerprint_udp(pkt, out);
    case PACKET_ICMP:
        return fingerprint_icmp(pkt, out);
    case PACKET_ICMPV6:
        return fingerprint_icmpv6(pkt, out);
    case PACKET_SCTP:
        return fingerprint_sctp(pkt, out);
    default:
        return false;
    }
}

const scan_type *fingerprint_discovery_type(const scan_type *type)
{
    if (type == &scan_syn)
        return &ping_syn;
    if (type == &scan_ack)
        return &ping_ack;
    return type;
}

void fingerprint_as_discovery(fingerprint *fp)
{
    if (!fp->may_be_discovery)
        return;
    fp->type = fingerprint_discovery_type(fp->type);
    fp->may_be_discovery = false;
    /* The evidence ends with the port scan's option, "-sS" or "-sA". */
    size_t len = strlen(fp->evidence);
    if (len >= 2 && fp->evidence[len - 2] == 's')
        fp->evidence[len - 2] = 'P';
}

uint32_t fingerprint_reply_cookie(const scan_type *type, const packet_view *probe)
{
    switch (probe->flow.proto) {
    case PACKET_TCP:
        /* A reply acknowledges the probe's data too (RFC 793, 3.3). */
        return (type->tcp_flags & TCP_ACK) ? probe->ack : probe->seq + (uint32_t)probe->payload_len;
    case PACKET_ICMP:
    case PACKET_ICMPV6:
        /* The other family's ICMP is a bare header (-sO's): its IP ID. */
        if (probe->flow.proto !=
            (packet_addr_is_ipv4(&probe->flow.src) ? PACKET_ICMP : PACKET_ICMPV6))
            return probe->ip_id;
        return (uint32_t)probe->icmp_id << 16 | probe->icmp_seq;
    case PACKET_SCTP:
        /* An INIT ACK or ABORT carries an INIT's initiate tag, an ABORT to a
         * COOKIE ECHO its verification tag (scan_sctp.c). */
        return probe->sctp_has_init_tag ? probe->sctp_init_tag : probe->sctp_vtag;
    default:
        return probe->ip_id;
    }
}

uint32_t fingerprint_quote_cookie(const packet_view *probe)
{
    switch (probe->flow.proto) {
    case PACKET_TCP:
        return probe->seq;
    case PACKET_ICMP:
    case PACKET_ICMPV6:
        /* The other family's ICMP is a bare header (-sO's): its IP ID. */
        if (probe->flow.proto !=
            (packet_addr_is_ipv4(&probe->flow.src) ? PACKET_ICMP : PACKET_ICMPV6))
            return probe->ip_id;
        return (uint32_t)probe->icmp_id << 16 | probe->icmp_seq;
    case PACKET_SCTP:
        /* What sctp_quote_cookie() reads from the quote. */
        return probe->sctp_has_init_tag ? probe->sctp_init_tag : probe->sctp_vtag;
    default:
        return probe->ip_id;
    }
}
