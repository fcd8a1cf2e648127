/* What an ICMP error quoting a port probe says about the port, by nmap's rule
 * (scan_engine_raw.cc, get_pcap_result).
 *
 * ICMPv4: only destination unreachable and time exceeded count; of the
 * unreachable codes only 0-3, 9, 10 and 13, and any other code is "unexpected"
 * and leaves the port as if nothing had come. Port unreachable closes a UDP
 * port only when the target itself sends it: from a router or firewall in the
 * path it only says the port is filtered.
 *
 * ICMPv6 (the IPPROTO_ICMPV6 branch of the same function): destination
 * unreachable codes 0-6 (RFC 4443 section 3.1) all count, every one filtered
 * but port unreachable, which closes a UDP port when the target sends it;
 * parameter problem code 0 (erroneous header field) makes the port open and
 * code 1 (unknown next header) filtered, both "param-problem", whatever the
 * scan type; time exceeded, packet too big and other parameter problem codes
 * are "unexpected" there and leave the port as if nothing had come. */
#include "scan_type.h"

static bool from_target(const packet_view *reply)
{
    return packet_addr_equal(&reply->flow.src, &reply->quote.dst);
}

static bool judge_icmpv6_error(const packet_view *reply, bool udp, verdict *out)
{
    if (reply->icmp_type == ICMPV6_PARAM_PROBLEM) {
        if (reply->icmp_code > 1)
            return false;
        *out = (verdict){reply->icmp_code == 0 ? PORT_OPEN : PORT_FILTERED, REASON_PARAM_PROBLEM};
        return true;
    }
    if (reply->icmp_type != ICMPV6_UNREACH || reply->icmp_code > 6)
        return false;
    port_state state = PORT_FILTERED;
    if (reply->icmp_code == 4 && udp && from_target(reply))
        state = PORT_CLOSED;
    *out = (verdict){state, reason_from_unreach6_code(reply->icmp_code)};
    return true;
}

bool judge_icmp_error(const packet_view *reply, bool udp, verdict *out)
{
    if (!packet_proto_is_icmp(reply->flow.proto) || !reply->has_quote)
        return false;
    if (reply->flow.proto == PACKET_ICMPV6)
        return judge_icmpv6_error(reply, udp, out);
    if (reply->icmp_type == ICMP_TIME_EXCEEDED) {
        *out = (verdict){PORT_FILTERED, REASON_TIME_EXCEEDED};
        return true;
    }
    if (reply->icmp_type != ICMP_UNREACH)
        return false;
    switch (reply->icmp_code) {
    case 0:
    case 1:
    case 2:
    case 9:
    case 10:
    case 13:
        *out = (verdict){PORT_FILTERED, reason_from_unreach_code(reply->icmp_code)};
        return true;
    case 3:
        *out =
            (verdict){udp && from_target(reply) ? PORT_CLOSED : PORT_FILTERED, REASON_PORT_UNREACH};
        return true;
    default:
        return false;
    }
}

/* Host discovery reads ICMP errors otherwise (scan_engine_raw.cc,
 * get_ping_pcap_result): protocol or port unreachable (ICMPv6: port
 * unreachable, code 4) from the target itself proves the host up; any other
 * error from anyone is, after RFC 1122 3.2.2.1, only a hint, and decides
 * nothing. */
bool judge_ping_icmp_error(const packet_view *reply, verdict *out)
{
    if (!packet_proto_is_icmp(reply->flow.proto) || !reply->has_quote || !from_target(reply))
        return false;
    if (reply->flow.proto == PACKET_ICMPV6) {
        if (reply->icmp_type != ICMPV6_UNREACH || reply->icmp_code != 4)
            return false;
        *out = (verdict){HOST_UP, REASON_PORT_UNREACH};
        return true;
    }
    if (reply->icmp_type != ICMP_UNREACH || (reply->icmp_code != 2 && reply->icmp_code != 3))
        return false;
    *out = (verdict){HOST_UP, reason_from_unreach_code(reply->icmp_code)};
    return true;
}
