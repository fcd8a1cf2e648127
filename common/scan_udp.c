/* UDP scan (-sU): any UDP reply means open, ICMP port unreachable from the
 * target closed, other ICMP errors filtered (icmp_error.c), and silence open|filtered, since most
 * UDP services ignore a datagram they don't understand. The cookie rides in the IP ID (which ICMP
 * errors quote) and in the request id of services that echo one. */
#include <string.h>

#include "cookie.h"
#include "scan_type.h"
#include "udp_payload.h"

/* --data-length: the tag, then the run's random bytes, in place of a
 * service's request, as nmap sends its random bytes in place of nmap-payloads'
 * requests (nmap(1): "and not to use any protocol-specific payloads"). */
static size_t udp_data_write(const probe_spec *spec, const uint8_t tag[TAG_TCP_OPTION_LEN],
                             uint8_t *out, size_t cap)
{
    size_t data_len;
    const uint8_t *data = probe_data(spec, &data_len);
    if (cap < TAG_TCP_OPTION_LEN + data_len)
        return 0;
    memcpy(out, tag, TAG_TCP_OPTION_LEN);
    if (data_len)
        memcpy(out + TAG_TCP_OPTION_LEN, data, data_len);
    return TAG_TCP_OPTION_LEN + data_len;
}

size_t udp_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    enum { HEADER = 8 };
    if (cap < HEADER)
        return 0;
    uint8_t tag[TAG_TCP_OPTION_LEN];
    tag_write_tcp_option(tag, spec->scan_id, spec->try_no, type->discovery);
    uint16_t cookie = (uint16_t)cookie_make(spec->scan_id, &spec->flow, spec->try_no);
    size_t payload =
        spec->extras && spec->extras->data_set
            ? udp_data_write(spec, tag, out + HEADER, cap - HEADER)
            : udp_payload_write(spec->flow.dport, cookie, tag, out + HEADER, cap - HEADER);
    if (payload == 0)
        return 0;
    uint16_t len = (uint16_t)(HEADER + payload);
    put_be16(out, spec->flow.sport);
    put_be16(out + 2, spec->flow.dport);
    put_be16(out + 4, len);
    put_be16(out + 6, 0);
    uint32_t pseudo = packet_pseudo_sum(&spec->flow.src, &spec->flow.dst, PACKET_UDP, len);
    uint16_t sum = packet_checksum(out, len, pseudo);
    put_be16(out + 6, sum ? sum : 0xffff); /* 0 would mean "no checksum" */
    return len;
}

/* The tag's discovery bit tells -sU's probes from -PU's, which are the same
 * datagrams; a version 2 tag is -PO's (ping_proto.c). */
bool udp_probe_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    return pkt->flow.proto == PACKET_UDP &&
           tag_find_in_payload(pkt->payload, pkt->payload_len, tag) &&
           tag->discovery == type->discovery && tag->version == TAG_VERSION;
}

bool udp_probe_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    (void)type;
    uint16_t echoed;
    if (!udp_payload_echoed_cookie(reply->flow.sport, reply->payload, reply->payload_len, &echoed))
        return false;
    *cookie = echoed;
    return true;
}

static bool udp_judge(const packet_view *reply, verdict *out)
{
    if (reply->flow.proto == PACKET_UDP) {
        *out = (verdict){PORT_OPEN, REASON_UDP_RESPONSE};
        return true;
    }
    return judge_icmp_error(reply, true, out);
}

const scan_type scan_udp = {
    .name = "udp",
    .option = "-sU",
    .title = "UDP Scan",
    .ip_proto = PACKET_UDP,
    .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},
    .build = udp_probe_build,
    .recognise = udp_probe_recognise,
    .reply_cookie = udp_probe_reply_cookie,
    .judge = udp_judge,
};
