#include "ip_fragment.h"

#include <string.h>

#include <glib.h>

#include "packet.h"

unsigned ip_fragment_count(size_t packet_len, size_t ihl, unsigned mtu)
{
    if (mtu == 0 || packet_len <= ihl)
        return 1;
    size_t data = packet_len - ihl;
    return (unsigned)((data + mtu - 1) / mtu);
}

size_t ip_fragment_build(const uint8_t *packet, size_t len, unsigned mtu, unsigned index,
                         uint8_t *out, size_t room)
{
    if (len < 20 || mtu == 0 || mtu % 8 != 0)
        return 0;
    size_t ihl = (size_t)(packet[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len)
        return 0;
    unsigned count = ip_fragment_count(len, ihl, mtu);
    if (index >= count)
        return 0;
    size_t offset = (size_t)index * mtu;
    size_t data = MIN((size_t)mtu, len - ihl - offset);
    if (ihl + data > room)
        return 0;
    memcpy(out, packet, ihl);
    memcpy(out + ihl, packet + ihl + offset, data);
    put_be16(out + 2, (uint16_t)(ihl + data));
    uint16_t frag = (uint16_t)(offset / 8);
    if (index + 1 < count)
        frag |= 0x2000; /* More Fragments */
    /* Keep the reserved bit and DF as given (a probe never sets DF here). */
    put_be16(out + 6, (uint16_t)((get_be16(packet + 6) & 0xc000) | frag));
    put_be16(out + 10, 0);
    put_be16(out + 10, packet_checksum(out, ihl, 0));
    return ihl + data;
}
