/* TCP host discovery (nmap's -PS, to 443 by default, and -PA, to 80): any TCP
 * answer, SYN-ACK or RST, proves the host is up; the port's state is not judged. */
#include "scan_type.h"

static bool ping_tcp_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return false;
    if ((reply->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        *out = (verdict){HOST_UP, REASON_SYN_ACK};
        return true;
    }
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){HOST_UP, REASON_RESET};
        return true;
    }
    return false;
}

const scan_type ping_syn = {
    .name = "syn-ping",
    .option = "-PS",
    .title = "TCP SYN Ping",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_SYN,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = ping_tcp_judge,
};

const scan_type ping_ack = {
    .name = "ack-ping",
    .option = "-PA",
    .title = "TCP ACK Ping",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_ACK,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = ping_tcp_judge,
};
