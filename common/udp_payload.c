#include "udp_payload.h"

#include <string.h>

#include "packet.h"
#include "tag.h"

enum { PORT_DNS = 53, PORT_NTP = 123, PORT_SNMP = 161 };

/* A query for the root's NS records; the tag rides in an EDNS0 option from the
 * local/experimental code range, so the query stays well-formed. */
static size_t dns_query(uint16_t cookie, const uint8_t tag[10], uint8_t *out)
{
    enum { EDNS_OPTION_CODE = 65001, EDNS_UDP_SIZE = 1232, TYPE_NS = 2, TYPE_OPT = 41 };
    uint8_t *p = out;
    put_be16(p, cookie);     /* id */
    put_be16(p + 2, 0x0100); /* recursion desired */
    put_be16(p + 4, 1);      /* one question */
    put_be16(p + 6, 0);
    put_be16(p + 8, 0);
    put_be16(p + 10, 1); /* one additional: OPT */
    p += 12;
    *p++ = 0; /* the root */
    put_be16(p, TYPE_NS);
    put_be16(p + 2, 1); /* IN */
    p += 4;
    *p++ = 0;
    put_be16(p, TYPE_OPT);
    put_be16(p + 2, EDNS_UDP_SIZE);
    put_be32(p + 4, 0);
    put_be16(p + 8, 4 + TAG_TCP_OPTION_LEN);
    put_be16(p + 10, EDNS_OPTION_CODE);
    put_be16(p + 12, TAG_TCP_OPTION_LEN);
    memcpy(p + 14, tag, TAG_TCP_OPTION_LEN);
    p += 14 + TAG_TCP_OPTION_LEN;
    return (size_t)(p - out);
}

/* An NTPv4 client request. Servers ignore a client's reference timestamp and the
 * start of its origin timestamp, where the tag goes; they echo the transmit
 * timestamp, where the cookie goes. */
static size_t ntp_request(uint16_t cookie, const uint8_t tag[10], uint8_t *out)
{
    enum { NTP_LEN = 48, LI0_VN4_CLIENT = 0x23 };
    memset(out, 0, NTP_LEN);
    out[0] = LI0_VN4_CLIENT;
    memcpy(out + 16, tag, TAG_TCP_OPTION_LEN);
    put_be16(out + 46, cookie);
    return NTP_LEN;
}

/* An SNMPv1 GetRequest for sysDescr.0 with community "public"; the request id is
 * the cookie and the tag is the varbind's value, which a Get ignores. */
static size_t snmp_get(uint16_t cookie, const uint8_t tag[10], uint8_t *out)
{
    static const uint8_t sys_descr[] = {0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00};
    uint8_t varbind[2 + sizeof sys_descr + 2 + TAG_TCP_OPTION_LEN];
    size_t v = 0;
    varbind[v++] = 0x30;
    varbind[v++] = (uint8_t)(sizeof varbind - 2);
    memcpy(varbind + v, sys_descr, sizeof sys_descr);
    v += sizeof sys_descr;
    varbind[v++] = 0x04;
    varbind[v++] = TAG_TCP_OPTION_LEN;
    memcpy(varbind + v, tag, TAG_TCP_OPTION_LEN);

    uint8_t pdu_body[6 + 6 + 2 + sizeof varbind];
    size_t b = 0;
    pdu_body[b++] = 0x02; /* request-id, 4 octets so any value fits as a positive INTEGER */
    pdu_body[b++] = 4;
    pdu_body[b++] = 0;
    pdu_body[b++] = 0;
    pdu_body[b++] = (uint8_t)(cookie >> 8);
    pdu_body[b++] = (uint8_t)cookie;
    static const uint8_t no_error[] = {0x02, 0x01, 0x00, 0x02, 0x01, 0x00};
    memcpy(pdu_body + b, no_error, sizeof no_error);
    b += sizeof no_error;
    pdu_body[b++] = 0x30; /* varbind list */
    pdu_body[b++] = (uint8_t)sizeof varbind;
    memcpy(pdu_body + b, varbind, sizeof varbind);
    b += sizeof varbind;

    static const uint8_t head[] = {0x02, 0x01, 0x00, /* version 1 */
                                   0x04, 0x06, 'p',  'u', 'b', 'l', 'i', 'c'};
    size_t o = 0;
    out[o++] = 0x30;
    out[o++] = (uint8_t)(sizeof head + 2 + b);
    memcpy(out + o, head, sizeof head);
    o += sizeof head;
    out[o++] = 0xa0; /* GetRequest-PDU */
    out[o++] = (uint8_t)b;
    memcpy(out + o, pdu_body, b);
    return o + b;
}

size_t udp_payload_write(uint16_t port, uint16_t cookie, const uint8_t tag[10], uint8_t *out,
                         size_t cap)
{
    enum { LONGEST = 64 };
    if (cap < LONGEST)
        return 0;
    switch (port) {
    case PORT_DNS:
        return dns_query(cookie, tag, out);
    case PORT_NTP:
        return ntp_request(cookie, tag, out);
    case PORT_SNMP:
        return snmp_get(cookie, tag, out);
    default:
        memcpy(out, tag, TAG_TCP_OPTION_LEN);
        return TAG_TCP_OPTION_LEN;
    }
}

bool udp_payload_echoed_cookie(uint16_t port, const uint8_t *reply, size_t len, uint16_t *cookie)
{
    if (port == PORT_DNS && len >= 12 && (reply[2] & 0x80)) {
        *cookie = get_be16(reply);
        return true;
    }
    if (port == PORT_NTP && len >= 48 && (reply[0] & 0x07) == 4) {
        *cookie = get_be16(reply + 30); /* the origin timestamp echoes our transmit one */
        return true;
    }
    return false;
}
