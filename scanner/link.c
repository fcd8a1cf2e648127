#include "link.h"

#include <pcap/pcap.h>
#include <sys/socket.h>

#include "packet.h"

enum {
    ETHERTYPE_IPV4 = 0x0800,
    ETHERTYPE_ARP = 0x0806,
    ETHERTYPE_IPV6 = 0x86dd,
    ETHERTYPE_VLAN = 0x8100,
    ETHERTYPE_QINQ = 0x88a8
};

bool link_supported(int dlt)
{
    switch (dlt) {
    case DLT_EN10MB:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_NULL:
    case DLT_LOOP:
        return true;
    default:
        return false;
    }
}

static const uint8_t *at(const uint8_t *frame, size_t caplen, size_t off, size_t *len)
{
    if (off >= caplen)
        return NULL;
    *len = caplen - off;
    return frame + off;
}

static const uint8_t *ethernet(const uint8_t *frame, size_t caplen, uint16_t want, size_t *len)
{
    size_t off = 12;
    /* Bounded: a frame cannot hold more tags than it has bytes. */
    while (off + 2 <= caplen) {
        uint16_t type = get_be16(frame + off);
        if (type == want)
            return at(frame, caplen, off + 2, len);
        if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ)
            return NULL;
        off += 4;
    }
    return NULL;
}

/* The payload of a frame whose link header names its protocol by ethertype. */
static const uint8_t *typed(int dlt, const uint8_t *frame, size_t caplen, uint16_t want,
                            size_t *len)
{
    switch (dlt) {
    case DLT_EN10MB:
        return ethernet(frame, caplen, want, len);
    case DLT_LINUX_SLL: /* 16-byte header, protocol in its last two bytes */
        if (caplen < 16 || get_be16(frame + 14) != want)
            return NULL;
        return at(frame, caplen, 16, len);
    case DLT_LINUX_SLL2: /* 20-byte header, protocol first */
        if (caplen < 20 || get_be16(frame) != want)
            return NULL;
        return at(frame, caplen, 20, len);
    default:
        return NULL;
    }
}

const uint8_t *link_ipv4(int dlt, const uint8_t *frame, size_t caplen, size_t *len)
{
    switch (dlt) {
    case DLT_RAW:
    case DLT_IPV4:
        if (caplen < 1 || (frame[0] >> 4) != 4)
            return NULL;
        return at(frame, caplen, 0, len);
    case DLT_NULL:
    case DLT_LOOP: { /* 4-byte address family, in either byte order */
        if (caplen < 4)
            return NULL;
        uint32_t family = get_be32(frame);
        if (family != AF_INET && __builtin_bswap32(family) != AF_INET)
            return NULL;
        return at(frame, caplen, 4, len);
    }
    default:
        return typed(dlt, frame, caplen, ETHERTYPE_IPV4, len);
    }
}

/* DLT_NULL's AF_INET6 differs by the capturing system: Linux 10, then the
 * BSDs' 24, 28 and 30 (pcap-linktype(7)). */
static bool is_inet6_family(uint32_t family)
{
    return family == 10 || family == 24 || family == 28 || family == 30;
}

const uint8_t *link_ipv6(int dlt, const uint8_t *frame, size_t caplen, size_t *len)
{
    switch (dlt) {
    case DLT_RAW:
        if (caplen < 1 || (frame[0] >> 4) != 6)
            return NULL;
        return at(frame, caplen, 0, len);
    case DLT_IPV4:
        return NULL;
    case DLT_NULL:
    case DLT_LOOP: {
        if (caplen < 4)
            return NULL;
        uint32_t family = get_be32(frame);
        if (!is_inet6_family(family) && !is_inet6_family(__builtin_bswap32(family)))
            return NULL;
        return at(frame, caplen, 4, len);
    }
    default:
        return typed(dlt, frame, caplen, ETHERTYPE_IPV6, len);
    }
}

const uint8_t *link_arp(int dlt, const uint8_t *frame, size_t caplen, size_t *len)
{
    return typed(dlt, frame, caplen, ETHERTYPE_ARP, len);
}
