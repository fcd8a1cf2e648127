#include "proto_icmp_hack.h"

#include "scan_type.h"

static bool settle(proto_icmp_hack *h, proto_icmp_settle *out)
{
    *out = (proto_icmp_settle){h->host, h->why, h->ttl};
    h->marked = false;
    return true;
}

bool proto_icmp_hack_expired(proto_icmp_hack *h, int64_t now_us, proto_icmp_settle *out)
{
    if (!h->marked || now_us <= h->until_us)
        return false;
    return settle(h, out);
}

bool proto_icmp_hack_read(proto_icmp_hack *h, const packet_view *pkt, bool from_scanned,
                          bool decided, int64_t now_us, proto_icmp_settle *out)
{
    if (from_scanned && pkt->flow.proto == PACKET_ICMP) {
        h->marked = true;
        h->host = pkt->flow.src;
    }
    if (!h->marked)
        return false;
    /* Every packet the loop reads words it, whatever it turns out to be. */
    h->why = proto_icmp_reason(pkt);
    h->ttl = pkt->ttl;
    h->until_us = now_us + PROTO_ICMP_HACK_WAIT_US;
    return decided && settle(h, out);
}
