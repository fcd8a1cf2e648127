#include "cookie.h"

#include <string.h>

#include "siphash.h"

/* An ICMP probe's id comes from its cookie, so an ICMP flow's cookie hashes only
 * the addresses. */
static uint32_t cookie_hash(uint32_t scan_id, const packet_flow *f)
{
    bool ports = f->proto != PACKET_ICMP;
    uint8_t key[16];
    memcpy(key, "scantrace-ck", 12);
    put_be32(key + 12, scan_id);
    uint8_t in[13];
    put_be32(in, f->src);
    put_be32(in + 4, f->dst);
    put_be16(in + 8, ports ? f->sport : 0);
    put_be16(in + 10, ports ? f->dport : 0);
    in[12] = f->proto;
    return (uint32_t)siphash24(key, in, sizeof in);
}

/* A UDP probe's cookie travels in its 16-bit IP ID (and, for DNS, the query id). */
static uint32_t cookie_width_mask(const packet_flow *f)
{
    return f->proto == PACKET_UDP ? 0xffffu : 0xffffffffu;
}

uint32_t cookie_make(uint32_t scan_id, const packet_flow *probe_flow, unsigned try_no)
{
    uint32_t mask = COOKIE_MAX_TRIES - 1;
    uint32_t hash = cookie_hash(scan_id, probe_flow) & cookie_width_mask(probe_flow);
    return (hash & ~mask) | (try_no & mask);
}

bool cookie_check(uint32_t scan_id, const packet_flow *probe_flow, uint32_t value, unsigned *try_no)
{
    uint32_t mask = COOKIE_MAX_TRIES - 1;
    uint32_t width = cookie_width_mask(probe_flow);
    if (value & ~width)
        return false;
    if ((cookie_hash(scan_id, probe_flow) & width & ~mask) != (value & ~mask))
        return false;
    *try_no = value & mask;
    return true;
}
