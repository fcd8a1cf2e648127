/* Connect scan (-sT): the kernel makes the probes, through ordinary sockets, so
 * they cannot carry our TCP option or cookie. What an unprivileged socket can set
 * is the tag instead: the IP TOS byte (DSCP 23, which no standard assigns) and a
 * source port bound in a range the kernel never picks for itself. Each connection
 * gets its own source port, so its flow alone ties replies to it. */
#include <errno.h>

#include "scan_type.h"

static bool connect_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    if (pkt->flow.proto != PACKET_TCP || (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) != TCP_SYN ||
        (pkt->tos & 0xfc) != type->socket_tos || pkt->flow.sport < CONNECT_PORT_FIRST)
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

/* nmap's reading of connect()'s outcome (its scan_engine_connect.cc): it only
 * sees the errno, so every ICMP error the kernel folds into EHOSTUNREACH, admin
 * prohibited included, is host-unreach to it. */
static bool connect_judge_errno(int err, verdict *out)
{
    switch (err) {
    case 0:
        *out = (verdict){PORT_OPEN, REASON_SYN_ACK};
        return true;
    case ECONNREFUSED:
        *out = (verdict){PORT_CLOSED, REASON_CONN_REFUSED};
        return true;
    case EACCES:
        *out = (verdict){PORT_FILTERED, REASON_ADMIN_PROHIBITED};
        return true;
    case EHOSTUNREACH:
        *out = (verdict){PORT_FILTERED, REASON_HOST_UNREACH};
        return true;
    case ENETUNREACH:
        *out = (verdict){PORT_FILTERED, REASON_NET_UNREACH};
        return true;
    case ENOPROTOOPT:
        *out = (verdict){PORT_FILTERED, REASON_PROTO_UNREACH};
        return true;
#ifdef ENONET /* Linux's word for "source host isolated" */
    case ENONET:
        *out = (verdict){PORT_FILTERED, REASON_DEST_UNREACH};
        return true;
#endif
    case ETIMEDOUT:
    case EHOSTDOWN:
        *out = (verdict){PORT_FILTERED, REASON_NO_RESPONSE};
        return true;
    default:
        return false;
    }
}

/* The errno Linux's TCP gives a connecting socket for an ICMP error
 * (icmp_err_convert and tcp_v4_err); 0 when the error does not end the
 * connection attempt. */
static int icmp_errno(const packet_view *reply)
{
    enum { LAST_UNREACH_CODE = 15 };
    if (reply->icmp_type == ICMP_TIME_EXCEEDED)
        return EHOSTUNREACH;
    if (reply->icmp_type != ICMP_UNREACH || reply->icmp_code > LAST_UNREACH_CODE)
        return 0;
    switch (reply->icmp_code) {
    case 0:
    case 6:
    case 9:
    case 11:
        return ENETUNREACH;
    case 2:
        return ENOPROTOOPT;
    case 3:
        return ECONNREFUSED;
    case 4: /* fragmentation needed: the path MTU shrinks, the attempt goes on */
        return 0;
    case 5:
        return EOPNOTSUPP;
    case 7:
        return EHOSTDOWN;
#ifdef ENONET
    case 8:
        return ENONET;
#endif
    default: /* host unreachable, and the prohibited and precedence codes */
        return EHOSTUNREACH;
    }
}

/* The same for ICMPv6 (icmpv6_err_convert and tcp_v6_err): a connecting
 * socket ends on any error but packet too big, which shrinks the path MTU. */
static int icmp6_errno(const packet_view *reply)
{
    switch (reply->icmp_type) {
    case ICMPV6_TIME_EXCEEDED:
        return EHOSTUNREACH;
    case ICMPV6_PARAM_PROBLEM:
        return EPROTO;
    case ICMPV6_UNREACH:
        break;
    default:
        return 0;
    }
    switch (reply->icmp_code) {
    case 0:
        return ENETUNREACH;
    case 1:
    case 5:
    case 6:
        return EACCES;
    case 4:
        return ECONNREFUSED;
    default: /* beyond scope, address unreachable, codes RFC 4443 lacks */
        return EHOSTUNREACH;
    }
}

static bool connect_judge(const packet_view *reply, verdict *out)
{
    if (packet_proto_is_icmp(reply->flow.proto)) {
        int err = reply->flow.proto == PACKET_ICMPV6 ? icmp6_errno(reply) : icmp_errno(reply);
        return err != 0 && connect_judge_errno(err, out);
    }
    if (reply->flow.proto != PACKET_TCP)
        return false;
    if ((reply->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK))
        return connect_judge_errno(0, out);
    if (reply->tcp_flags & TCP_RST)
        return connect_judge_errno(ECONNREFUSED, out);
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
    .socket_tos = CONNECT_TAG_TOS,
    .judge_errno = connect_judge_errno,
};
