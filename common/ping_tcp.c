/* TCP host discovery (nmap's -PS, to 443 by default, and -PA, to 80): any TCP
 * answer, SYN-ACK or RST, proves the host is up; the port's state is not judged.
 * Without privileges nmap pings with connect() to 80 and 443 instead: an
 * accepted or refused connection proves the host up, an ICMP error down. */
#include "scan_type.h"

static bool ping_tcp_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_ping_icmp_error(reply, out);
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
    .tag_code = SCAN_CODE_PING_SYN,
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
    .tag_code = SCAN_CODE_PING_ACK,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = tcp_probe_build,
    .recognise = tcp_probe_recognise,
    .reply_cookie = tcp_reply_cookie,
    .judge = ping_tcp_judge,
};

/* The kernel makes these probes: the TOS byte and the source port are the tag,
 * as for the connect scan; the tag holds no scan id. */
static bool ping_connect_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    if (pkt->flow.proto != PACKET_TCP || (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
        (pkt->tos & 0xfc) != type->socket_tos || pkt->flow.sport < CONNECT_PORT_FIRST)
        return false;
    *tag = (probe_tag){.version = TAG_VERSION, .try_no = 0, .discovery = true, .scan_id = 0};
    return true;
}

static bool ping_connect_reply_cookie(const scan_type *type, const packet_view *reply,
                                      uint32_t *cookie)
{
    (void)type;
    (void)reply;
    (void)cookie;
    return false;
}

/* nmap reads a connect() ping as it reads a connect scan's probe, and takes a
 * port found open or closed for a host that is up, a filtered one (an ICMP
 * error, a timeout) for a host that is down. */
static verdict host_from_port(verdict port)
{
    return (verdict){port.state == PORT_FILTERED ? HOST_DOWN : HOST_UP, port.why};
}

static bool ping_connect_judge_errno(int err, verdict *out)
{
    verdict port;
    if (!scan_connect.judge_errno(err, &port))
        return false;
    *out = host_from_port(port);
    return true;
}

static bool ping_connect_judge(const packet_view *reply, verdict *out)
{
    verdict port;
    if (!scan_connect.judge(reply, &port))
        return false;
    *out = host_from_port(port);
    return true;
}

const scan_type ping_connect = {
    .name = "connect-ping",
    .option = "-PS",
    .title = "TCP Connect Ping",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_SYN,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = NULL,
    .recognise = ping_connect_recognise,
    .reply_cookie = ping_connect_reply_cookie,
    .judge = ping_connect_judge,
    .socket_tos = CONNECT_PING_TAG_TOS,
    .judge_errno = ping_connect_judge_errno,
};
