/* FIN (-sF), NULL (-sN) and Xmas (-sX) scans: RFC 793 says a closed port answers a
 * segment without SYN, RST or ACK with a RST and an open one stays silent, so
 * silence only means open|filtered. The three differ in nothing but their flags.
 * The Maimon scan (-sM, FIN/ACK) is judged alike (scan_engine_raw.cc,
 * get_pcap_result: a RST means closed for any scan but -sA and -sW): by RFC 793
 * an open port should answer it with a RST too, but BSD-derived stacks drop it
 * when the port is open (Uriel Maimon, Phrack 49). */
#include "scan_type.h"

static bool stealth_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_icmp_error(reply, false, out);
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){PORT_CLOSED, REASON_RESET};
        return true;
    }
    return false;
}

#define STEALTH_SCAN(ident, nm, opt, ttl, flags, code)                                             \
    const scan_type ident = {                                                                      \
        .name = nm,                                                                                \
        .option = opt,                                                                             \
        .title = ttl,                                                                              \
        .ip_proto = PACKET_TCP,                                                                    \
        .tcp_flags = flags,                                                                        \
        .tag_code = code,                                                                          \
        .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},                                        \
        .build = tcp_probe_build,                                                                  \
        .recognise = tcp_probe_recognise,                                                          \
        .reply_cookie = tcp_reply_cookie,                                                          \
        .judge = stealth_judge,                                                                    \
    }

STEALTH_SCAN(scan_fin, "fin", "-sF", "FIN Scan", TCP_FIN, SCAN_CODE_FIN);
STEALTH_SCAN(scan_null, "null", "-sN", "NULL Scan", 0, SCAN_CODE_NULL);
STEALTH_SCAN(scan_xmas, "xmas", "-sX", "XMAS Scan", TCP_FIN | TCP_PSH | TCP_URG, SCAN_CODE_XMAS);
STEALTH_SCAN(scan_maimon, "maimon", "-sM", "Maimon Scan", TCP_FIN | TCP_ACK, SCAN_CODE_MAIMON);
