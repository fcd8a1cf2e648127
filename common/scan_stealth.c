/* FIN (-sF), NULL (-sN) and Xmas (-sX) scans: RFC 793 says a closed port answers a
 * segment without SYN, RST or ACK with a RST and an open one stays silent, so
 * silence only means open|filtered. The three differ in nothing but their flags.
 * The RST acknowledges seq + the FIN's one octet, so its ack minus the FIN gives
 * the probe's cookie back. */
#include "scan_type.h"

static uint32_t stealth_reply_seq_fin(const packet_view *reply)
{
    return reply->ack - 1;
}

static uint32_t stealth_reply_seq_null(const packet_view *reply)
{
    return reply->ack;
}

static bool stealth_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return tcp_judge_unreach(reply, out);
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){PORT_CLOSED, REASON_RESET};
        return true;
    }
    return false;
}

#define STEALTH_SCAN(ident, nm, opt, ttl, flags, seqfn)                                            \
    const scan_type ident = {                                                                      \
        .name = nm,                                                                                \
        .option = opt,                                                                             \
        .title = ttl,                                                                              \
        .ip_proto = PACKET_TCP,                                                                    \
        .tcp_flags = flags,                                                                        \
        .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},                                        \
        .build = tcp_probe_build,                                                                  \
        .reply_seq = seqfn,                                                                        \
        .judge = stealth_judge,                                                                    \
    }

STEALTH_SCAN(scan_fin, "fin", "-sF", "FIN Scan", TCP_FIN, stealth_reply_seq_fin);
STEALTH_SCAN(scan_null, "null", "-sN", "NULL Scan", 0, stealth_reply_seq_null);
STEALTH_SCAN(scan_xmas, "xmas", "-sX", "XMAS Scan", TCP_FIN | TCP_PSH | TCP_URG,
             stealth_reply_seq_fin);
