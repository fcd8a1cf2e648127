/* Window scan (-sW): the ACK scan's probe, read by the window of the RST that
 * answers it. Some stacks (old BSDs, some HP-UX, AIX) give the RST of an open
 * port a positive window and that of a closed port a zero one; nmap judges so
 * whatever the stack (scan_engine_raw.cc, get_pcap_result: WINDOW_SCAN), and
 * says nothing is open where every RST has a zero window, as Linux's have. */
#include "scan_type.h"

static bool window_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_icmp_error(reply, false, out);
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){reply->window ? PORT_OPEN : PORT_CLOSED, REASON_RESET};
        return true;
    }
    return false;
}

const scan_type scan_window = {
    .name = "window",
    .option = "-sW",
    .title = "Window Scan",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_ACK,
    .tag_code = SCAN_CODE_WINDOW,
    .silent = {PORT_FILTERED, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = window_judge,
};
