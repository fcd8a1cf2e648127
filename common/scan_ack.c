/* ACK scan (-sA): tells filtered from unfiltered, not open from closed. Any stack
 * answers a stray ACK with a RST whose sequence number is the probe's ack, which
 * is why the probe carries its cookie there too (tcp_probe_build). */
#include "scan_type.h"

static bool ack_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_icmp_error(reply, false, out);
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){PORT_UNFILTERED, REASON_RESET};
        return true;
    }
    return false;
}

const scan_type scan_ack = {
    .name = "ack",
    .option = "-sA",
    .title = "ACK Scan",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_ACK,
    .tag_code = SCAN_CODE_ACK,
    .silent = {PORT_FILTERED, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = ack_judge,
};
