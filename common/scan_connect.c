/* Connect scan (-sT): the kernel makes the probes, through ordinary sockets, so
 * they cannot carry our TCP option or cookie. What an unprivileged socket can set
 * is the tag instead: the IP TOS byte (DSCP 23, which no standard assigns) and a
 * source port bound in a range the kernel never picks for itself. Each connection
 * gets its own source port, so its flow alone ties replies to it. */
#include "scan_type.h"

static bool connect_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    (void)type;
    if (pkt->flow.proto != PACKET_TCP || (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
        (pkt->tos & 0xfc) != CONNECT_TAG_TOS || pkt->flow.sport < CONNECT_PORT_FIRST)
        return false;
    *tag = (probe_tag){.version = TAG_VERSION, .try_no = 0, .scan_id = 0};
    return true;
}

static bool connect_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    (void)type;
    (void)reply;
    (void)cookie;
    return false;
}

static bool connect_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_TCP)
        return judge_unreach(reply, out);
    if ((reply->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        *out = (verdict){PORT_OPEN, REASON_SYN_ACK};
        return true;
    }
    if (reply->tcp_flags & TCP_RST) {
        *out = (verdict){PORT_CLOSED, REASON_CONN_REFUSED};
        return true;
    }
    return false;
}

const scan_type scan_connect = {
    .name = "connect",
    .option = "-sT",
    .title = "Connect Scan",
    .ip_proto = PACKET_TCP,
    .tcp_flags = TCP_SYN,
    .silent = {PORT_FILTERED, REASON_NO_RESPONSE},
    .build = NULL,
    .recognise = connect_recognise,
    .reply_cookie = connect_reply_cookie,
    .judge = connect_judge,
};
