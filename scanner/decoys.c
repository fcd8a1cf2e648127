#include "decoys.h"

#include <arpa/inet.h>
#include <string.h>

#include "error.h"

static gboolean refuse(GError **error, const char *format, const char *item)
{
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT, format, item);
    return FALSE;
}

gboolean decoys_reserved_ipv4(guint32 a)
{
    static const struct {
        guint32 net;
        int bits;
    } reserved[] = {
        {0x00000000, 8},  {0x0a000000, 8},  {0x64400000, 10}, {0x7f000000, 8},  {0xa9fe0000, 16},
        {0xac100000, 12}, {0xc0000000, 24}, {0xc0000200, 24}, {0xc0586300, 24}, {0xc0a80000, 16},
        {0xc6120000, 15}, {0xc6336400, 24}, {0xcb007100, 24}, {0xe0000000, 3},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(reserved); i++) {
        guint32 mask = 0xffffffffu << (32 - reserved[i].bits);
        if ((a & mask) == reserved[i].net)
            return TRUE;
    }
    return FALSE;
}

static gboolean add(decoy_list *out, const packet_addr *a, GError **error)
{
    if (out->count >= DECOYS_MAX - 1) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "-D: at most %d decoys", DECOYS_MAX - 1);
        return FALSE;
    }
    out->addrs[out->count++] = *a;
    return TRUE;
}

static gboolean add_random(decoy_list *out, const char *item, GError **error)
{
    char *end = NULL;
    guint64 n = g_ascii_strtoull(item + 4, &end, 10);
    if (item[4] == '\0' || *end != '\0' || n == 0 || n >= DECOYS_MAX)
        return refuse(error, "-D: %s: RND:n needs a number of random decoys from 1 to 127", item);
    for (guint64 i = 0; i < n; i++) {
        guint32 a;
        do
            a = g_random_int();
        while (decoys_reserved_ipv4(a));
        packet_addr addr = packet_addr_from_ipv4(a);
        if (!add(out, &addr, error))
            return FALSE;
    }
    return TRUE;
}

gboolean decoys_parse(const char *text, gboolean ipv6, decoy_list *out, GError **error)
{
    memset(out, 0, sizeof *out);
    gboolean me_given = FALSE;
    if (text[0] == '\0') {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "-D needs a list of decoys (decoy1,decoy2,ME,RND:n)");
        return FALSE;
    }
    g_auto(GStrv) items = g_strsplit(text, ",", -1);
    for (guint i = 0; items[i]; i++) {
        const char *item = items[i];
        if (item[0] == '\0')
            return refuse(error, "-D %s: an empty decoy (two commas, or one at an end)", text);
        if (g_ascii_strcasecmp(item, "ME") == 0) {
            if (me_given) { /* nmap's words */
                g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                                    "Can only use 'ME' as a decoy once.");
                return FALSE;
            }
            me_given = TRUE;
            out->me = out->count;
            continue;
        }
        if (g_ascii_strncasecmp(item, "RND:", 4) == 0) {
            if (ipv6)
                return refuse(error, "-D %s: random decoys are IPv4 only (not with -6)", item);
            if (!add_random(out, item, error))
                return FALSE;
            continue;
        }
        packet_addr a;
        if (ipv6) {
            if (inet_pton(AF_INET6, item, a.bytes) != 1)
                return refuse(error,
                              "-D: decoy \"%s\" is not an IPv6 address (-6 takes IPv6 "
                              "decoys; give addresses, not names)",
                              item);
        } else {
            struct in_addr v4;
            if (inet_pton(AF_INET, item, &v4) != 1)
                return refuse(error,
                              "-D: decoy \"%s\" is not an IPv4 address (give addresses, "
                              "not names)",
                              item);
            a = packet_addr_from_ipv4(ntohl(v4.s_addr));
        }
        if (!packet_addr_unicast(&a))
            return refuse(error, "-D: decoy %s is not a unicast address", item);
        if (!add(out, &a, error))
            return FALSE;
    }
    /* nmap: our place among the decoys is random when ME is not given. */
    if (!me_given)
        out->me = out->count ? (guint)g_random_int_range(0, (gint32)out->count + 1) : 0;
    return TRUE;
}

/* RFC 1624's incremental update of a checksum for n bytes (even) changed from
 * old to new: a deliberately wrong checksum (--badsum) stays as wrong. */
static uint16_t checksum_adjust(uint16_t check, const uint8_t *old, const uint8_t *new, size_t n)
{
    uint32_t sum = (uint16_t)~check;
    for (size_t i = 0; i + 1 < n; i += 2) {
        sum += (uint16_t)~get_be16(old + i);
        sum += get_be16(new + i);
    }
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

void decoys_set_source(uint8_t *packet, size_t len, const packet_addr *src)
{
    gboolean v4 = len >= 20 && (packet[0] >> 4) == 4;
    size_t ihl = v4 ? (size_t)(packet[0] & 0x0f) * 4 : 40;
    if ((!v4 && (len < 40 || (packet[0] >> 4) != 6)) || ihl > len)
        return;
    uint8_t proto = v4 ? packet[9] : packet[6];
    uint8_t *addr = v4 ? packet + 12 : packet + 8;
    const uint8_t *new_addr = v4 ? src->bytes + 12 : src->bytes;
    size_t addr_len = v4 ? 4 : 16;
    uint8_t old_addr[16];
    memcpy(old_addr, addr, addr_len);
    memcpy(addr, new_addr, addr_len);
    if (v4) {
        put_be16(packet + 10, 0);
        put_be16(packet + 10, packet_checksum(packet, ihl, 0));
    }
    uint8_t *l4 = packet + ihl;
    size_t l4_len = len - ihl;
    size_t at = proto == PACKET_TCP ? 16 : proto == PACKET_UDP ? 6 : proto == PACKET_ICMPV6 ? 2 : 0;
    if (at == 0 || l4_len < at + 2)
        return; /* ICMPv4's and SCTP's checksums cover no address */
    uint16_t check = get_be16(l4 + at);
    if (proto == PACKET_UDP && v4 && check == 0)
        return; /* no checksum stays none */
    check = checksum_adjust(check, old_addr, new_addr, addr_len);
    put_be16(l4 + at, proto == PACKET_UDP && check == 0 ? 0xffff : check);
}
