/* SYN scan (-sS): half-open. SYN-ACK (or a bare SYN) means open, RST closed, an
 * ICMP error or silence filtered. Our kernel answers the SYN-ACK with a RST, since no socket
 * asked for the connection; that RST is the probe's teardown. */
#include "scan_type.h"

static bool syn_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_icmp_error(reply, false, out);
    if ((reply->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        *out = (verdict){PORT_OPEN, REASON_SYN_ACK};
        return true;
    }
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){PORT_CLOSED, REASON_RESET};
        return true;
    }
    /* A split handshake (nmap.org/misc/split-handshake.pdf): the target answers
     * a SYN with a SYN of its own; nmap calls the port open. */
    if (reply->tcp_flags & TCP_SYN) {
        *out = (verdict){PORT_OPEN, REASON_SPLIT_HANDSHAKE_SYN};
        return true;
    }
    return false;
}

const scan_type scan_syn = {
    .name = "syn",
    .option = "-sS",
    .title = "SYN Stealth Scan",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_SYN,
    .tag_code = SCAN_CODE_SYN,
    .silent = {PORT_FILTERED, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = syn_judge,
};
