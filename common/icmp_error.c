/* What an ICMP error quoting a port probe says about the port, by nmap's rule
 * (scan_engine_raw.cc, get_pcap_result): only destination unreachable and time
 * exceeded count; of the unreachable codes only 0-3, 9, 10 and 13, and any
 * other code is "unexpected" and leaves the port as if nothing had come. Port
 * unreachable closes a UDP port only when the target itself sends it: from a
 * router or firewall in the path it only says the port is filtered. */
#include "scan_type.h"

bool judge_icmp_error(const packet_view *reply, bool udp, verdict *out)
{
    if (reply->flow.proto != PACKET_ICMP || !reply->has_quote)
        return false;
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
    case 3: {
        bool from_target = reply->flow.src == reply->quote.dst;
        *out = (verdict){udp && from_target ? PORT_CLOSED : PORT_FILTERED, REASON_PORT_UNREACH};
        return true;
    }
    default:
        return false;
    }
}

/* Host discovery reads ICMP errors otherwise (scan_engine_raw.cc,
 * get_ping_pcap_result): protocol or port unreachable from the target itself
 * proves the host up; any other error from anyone is, after RFC 1122 3.2.2.1,
 * only a hint, and decides nothing. */
bool judge_ping_icmp_error(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto != PACKET_ICMP || !reply->has_quote || reply->icmp_type != ICMP_UNREACH ||
        reply->flow.src != reply->quote.dst)
        return false;
    if (reply->icmp_code != 2 && reply->icmp_code != 3)
        return false;
    *out = (verdict){HOST_UP, reason_from_unreach_code(reply->icmp_code)};
    return true;
}
