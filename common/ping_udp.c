/* UDP host discovery (nmap's -PU, to 40125 by default): any UDP answer proves
 * the host up (udp-response), and so does an ICMP port or protocol unreachable
 * from the target itself (port-unreach: the host is there to refuse it); other
 * ICMP errors decide nothing (scan_engine_raw.cc, get_ping_pcap_result). The
 * probe is the UDP scan's: the same datagram, tag and cookie (scan_udp.c). */
#include "scan_type.h"

/* Only our tagged datagrams whose tag marks a discovery probe. */
static bool ping_udp_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    return udp_probe_recognise(type, pkt, tag) && tag->discovery;
}

static bool ping_udp_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_UDP)
        return judge_ping_icmp_error(reply, out);
    *out = (verdict){HOST_UP, REASON_UDP_RESPONSE};
    return true;
}

const scan_type ping_udp = {
    .name = "udp-ping",
    .option = "-PU",
    .title = "UDP Ping",
    .ip_proto = PACKET_UDP,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = udp_probe_build,
    .recognise = ping_udp_recognise,
    .reply_cookie = udp_probe_reply_cookie,
    .judge = ping_udp_judge,
};
