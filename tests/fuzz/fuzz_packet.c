/* libFuzzer target: every byte string as an IP packet of either family (and
 * as an ARP message), through everything that reads a packet on its way in: the shared
 * parser (common/packet.c) and every scan and ping type's rules on it (probe
 * recognition, tag, reply keys and cookies, judgement, teardown), the
 * scanner's link layer and the plugin's per-packet rules that need no
 * Wireshark (plugin/fingerprint.c, plugin/behaviour.c). A crash, a sanitizer
 * report or a read past the input fails. The first byte picks a link type for
 * the scanner's link layer; the rest is the frame, which is also parsed as a
 * raw IPv4 or IPv6 packet (the seeds hold IPv6 ones: make_seeds.py).
 *
 *   build-fuzz/tests/fuzz/fuzz_packet -runs=1000000 CORPUS_DIR */
#include <pcap/dlt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arp.h"
#include "behaviour.h"
#include "cookie.h"
#include "fingerprint.h"
#include "link.h"
#include "packet.h"
#include "scan_type.h"
#include "udp_payload.h"

static behaviour *seen;

/* Every rule that reads a parsed packet. */
static void rules(const packet_view *pkt)
{
    probe_tag tag;
    scan_type_of_probe(pkt, &tag);
    static const scan_type *const proto_types[] = {&scan_proto, NULL};
    const scan_type *const *lists[] = {scan_types, ping_types, proto_types};
    for (size_t l = 0; l < 3; l++)
        for (const scan_type *const *t = lists[l]; *t; t++) {
            const scan_type *type = *t;
            if (type->recognise)
                type->recognise(type, pkt, &tag);
            packet_flow probe;
            uint32_t cookie = 0;
            unsigned try_no;
            if (scan_reply_key(type, pkt, &probe, &cookie) == REPLY_COOKIE)
                cookie_check(0x12345678u, &probe, cookie, &try_no);
            verdict v;
            if (type->judge)
                type->judge(pkt, &v);
            scan_is_teardown(type, pkt);
            fingerprint_reply_cookie(type, pkt);
        }
    fingerprint fp;
    if (fingerprint_probe(pkt, &fp)) {
        fingerprint_discovery_type(fp.type);
        fingerprint_as_discovery(&fp);
    }
    fingerprint_quote_cookie(pkt);
    proto_is_error(pkt);
    proto_icmp_reason(pkt);
    uint16_t echoed;
    if (pkt->payload)
        udp_payload_echoed_cookie(pkt->flow.dport, pkt->payload, pkt->payload_len, &echoed);
    static const behaviour_config cfg = {.port_threshold = 5, .host_threshold = 5, .window = 60};
    behaviour_source *src = behaviour_source_get(seen, &pkt->flow.src);
    if (src) {
        behaviour_failed(seen, src, &pkt->flow.dst, pkt->flow.proto, pkt->flow.dport, 1.0,
                         (behaviour_failure)(pkt->ttl % 5), &cfg);
        behaviour_is_scanner(src);
        behaviour_evidence(src);
        behaviour_scans(src, &pkt->flow.dst, pkt->flow.proto, pkt->flow.dport);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (seen == NULL)
        seen = behaviour_new();
    /* A copy of exactly size bytes: ASan sees any read past the packet. */
    uint8_t *copy = malloc(size ? size : 1);
    if (size)
        memcpy(copy, data, size);
    packet_view pkt;
    if (packet_parse(copy, size, &pkt))
        rules(&pkt);
    arp_view arp;
    arp_parse(copy, size, &arp);
    if (size > 1) {
        static const int dlts[] = {DLT_EN10MB, DLT_LINUX_SLL,  DLT_NULL, DLT_RAW,
                                   DLT_LOOP,   DLT_LINUX_SLL2, DLT_IPV4};
        int dlt = dlts[copy[0] % (sizeof dlts / sizeof dlts[0])];
        size_t len;
        const uint8_t *ip = link_ipv4(dlt, copy + 1, size - 1, &len);
        if (ip && packet_parse(ip, len, &pkt))
            rules(&pkt);
        /* The scanner's link layer takes IPv4 only: the frame as raw IP. */
        if (packet_parse(copy + 1, size - 1, &pkt))
            rules(&pkt);
        const uint8_t *a = link_arp(dlt, copy + 1, size - 1, &len);
        if (a)
            arp_parse(a, len, &arp);
    }
    free(copy);
    return 0;
}
