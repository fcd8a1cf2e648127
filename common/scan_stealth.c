/* FIN (-sF), NULL (-sN) and Xmas (-sX) scans: RFC 793 says a closed port answers a
 * segment without SYN, RST or ACK with a RST and an open one stays silent, so
 * silence only means open|filtered. The three differ in nothing but their flags. */
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

#define STEALTH_SCAN(ident, nm, opt, ttl, flags)                                                   \
    const scan_type ident = {                                                                      \
        .name = nm,                                                                                \
        .option = opt,                                                                             \
        .title = ttl,                                                                              \
        .ip_proto = PACKET_TCP,                                                                    \
        .tcp_flags = flags,                                                                        \
        .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},                                        \
        .build = tcp_probe_build,                                                                  \
        .recognise = tcp_probe_recognise,                                                          \
        .reply_cookie = tcp_reply_cookie,                                                          \
        .judge = stealth_judge,                                                                    \
    }

STEALTH_SCAN(scan_fin, "fin", "-sF", "FIN Scan", TCP_FIN);
STEALTH_SCAN(scan_null, "null", "-sN", "NULL Scan", 0);
STEALTH_SCAN(scan_xmas, "xmas", "-sX", "XMAS Scan", TCP_FIN | TCP_PSH | TCP_URG);
