/* SCTP scans and ping (nmap's -sY, -sZ and -PY): an INIT, or a COOKIE ECHO,
 * to each port, as nmap builds them (scan_engine_raw.cc, sendIPScanProbe):
 *
 *   INIT: verification tag 0; one INIT chunk, a_rwnd 32768, 10 outbound and
 *   2048 inbound streams (RFC 9260 section 3.3.2);
 *   COOKIE ECHO: one COOKIE ECHO chunk carrying a cookie no endpoint made
 *   (section 3.3.11).
 *
 * What ours add: the cookie is the INIT's initiate tag (and initial TSN),
 * the COOKIE ECHO's verification tag, which every answer carries back in its
 * own verification tag: an INIT ACK and an ABORT to an INIT carry the INIT's
 * initiate tag (sections 5.1 and 8.4 rule 3), an ABORT to a COOKIE ECHO
 * reflects its tag (T bit, section 8.4 rule 8). The tag's ten bytes (version
 * 1, as UDP and ICMP payloads carry it) ride in a Padding parameter of the
 * INIT (type 0x8005, RFC 4820 section 3: its content is ignored, and an
 * endpoint that does not know it skips it, the type's top bits being 10) and
 * in the COOKIE ECHO's cookie, which only its maker reads. --data-length's
 * bytes follow the chunk, unpadded, as nmap's follow it (tcpip.cc,
 * build_sctp_raw).
 *
 * Verdicts, by nmap's rules (scan_engine_raw.cc, get_pcap_result and
 * get_ping_pcap_result), on the answer's first chunk:
 *   -sY: INIT ACK open (init-ack), ABORT closed (abort), silence filtered;
 *   -sZ: ABORT closed (abort), silence open|filtered (an open port drops a
 *        cookie it did not make: RFC 9260 section 5.1.5);
 *   -PY: INIT ACK or ABORT proves the host up;
 * ICMP errors as for TCP ports (icmp_error.c): protocol unreachable, which a
 * host without SCTP sends, is filtered (proto-unreach). */
#include <string.h>

#include "cookie.h"
#include "crc32c.h"
#include "scan_type.h"

enum {
    INIT_CHUNK_LEN = 20, /* header, initiate tag, a_rwnd, streams, initial TSN */
    PAD_PARAM_TYPE = 0x8005,
    PAD_PARAM_LEN = 16,  /* header and the tag, padded to 32 bits */
    ECHO_CHUNK_LEN = 16, /* header and a cookie of the tag, padded to 32 bits */
    NMAP_A_RWND = 32768,
    NMAP_OUT_STREAMS = 10,
    NMAP_IN_STREAMS = 2048,
};

static size_t sctp_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap)
{
    bool init = type->sctp_chunk == SCTP_CHUNK_INIT;
    size_t chunks =
        SCTP_COMMON_HEADER_LEN + (init ? INIT_CHUNK_LEN + PAD_PARAM_LEN : ECHO_CHUNK_LEN);
    size_t data_len;
    const uint8_t *data = probe_data(spec, &data_len);
    size_t len = chunks + data_len;
    if (cap < len)
        return 0;
    memset(out, 0, len);
    uint32_t cookie = cookie_make(spec->scan_id, &spec->flow, spec->try_no);
    put_be16(out, spec->flow.sport);
    put_be16(out + 2, spec->flow.dport);
    /* An INIT's verification tag must be 0 (section 8.5.1). */
    put_be32(out + 4, init ? 0 : cookie);
    uint8_t *chunk = out + SCTP_COMMON_HEADER_LEN;
    chunk[0] = type->sctp_chunk;
    put_be16(chunk + 2, (uint16_t)(chunks - SCTP_COMMON_HEADER_LEN));
    uint8_t *tag = chunk + SCTP_CHUNK_HEADER_LEN;
    if (init) {
        put_be32(chunk + 4, cookie);
        put_be32(chunk + 8, NMAP_A_RWND);
        put_be16(chunk + 12, NMAP_OUT_STREAMS);
        put_be16(chunk + 14, NMAP_IN_STREAMS);
        put_be32(chunk + 16, cookie);
        uint8_t *param = chunk + INIT_CHUNK_LEN;
        put_be16(param, PAD_PARAM_TYPE);
        put_be16(param + 2, PAD_PARAM_LEN);
        tag = param + 4;
    }
    tag_write_tcp_option(tag, spec->scan_id, spec->try_no, type->discovery);
    if (data_len)
        memcpy(out + chunks, data, data_len);
    sctp_checksum_set(out, len);
    return len;
}

static bool sctp_recognise(const scan_type *type, const packet_view *pkt, probe_tag *tag)
{
    return pkt->flow.proto == PACKET_SCTP && pkt->sctp_has_chunk &&
           pkt->sctp_chunk_type == type->sctp_chunk &&
           tag_find_in_payload(pkt->payload, pkt->payload_len, tag) &&
           tag->discovery == type->discovery;
}

/* Every answer carries the probe's cookie as its verification tag. */
static bool sctp_reply_cookie(const scan_type *type, const packet_view *reply, uint32_t *cookie)
{
    (void)type;
    if (reply->flow.proto != PACKET_SCTP)
        return false;
    *cookie = reply->sctp_vtag;
    return true;
}

bool sctp_quote_cookie(const packet_view *reply, uint32_t *cookie)
{
    /* A quoted INIT's own tag is 0: its initiate tag is the cookie, when the
     * error quotes that far (ICMPv6 always; ICMPv4 past RFC 792's 64 bits,
     * as Linux does). */
    const uint8_t *q = reply->quote_payload;
    if (q && reply->quote_payload_len >= SCTP_CHUNK_HEADER_LEN + 4 && q[0] == SCTP_CHUNK_INIT) {
        *cookie = get_be32(q + SCTP_CHUNK_HEADER_LEN);
        return true;
    }
    if (!reply->quote_has_word || reply->quote_word == 0)
        return false;
    *cookie = reply->quote_word;
    return true;
}

static bool sctp_chunk_is(const packet_view *reply, uint8_t type)
{
    return reply->flow.proto == PACKET_SCTP && reply->sctp_has_chunk &&
           reply->sctp_chunk_type == type;
}

static bool init_judge(const packet_view *reply, verdict *out)
{
    if (sctp_chunk_is(reply, SCTP_CHUNK_INIT_ACK)) {
        *out = (verdict){PORT_OPEN, REASON_INIT_ACK};
        return true;
    }
    if (sctp_chunk_is(reply, SCTP_CHUNK_ABORT)) {
        *out = (verdict){PORT_CLOSED, REASON_ABORT};
        return true;
    }
    return judge_icmp_error(reply, false, out);
}

static bool cookie_echo_judge(const packet_view *reply, verdict *out)
{
    if (sctp_chunk_is(reply, SCTP_CHUNK_ABORT)) {
        *out = (verdict){PORT_CLOSED, REASON_ABORT};
        return true;
    }
    return judge_icmp_error(reply, false, out);
}

static bool init_ping_judge(const packet_view *reply, verdict *out)
{
    if (sctp_chunk_is(reply, SCTP_CHUNK_INIT_ACK)) {
        *out = (verdict){HOST_UP, REASON_INIT_ACK};
        return true;
    }
    if (sctp_chunk_is(reply, SCTP_CHUNK_ABORT)) {
        *out = (verdict){HOST_UP, REASON_ABORT};
        return true;
    }
    return judge_ping_icmp_error(reply, out);
}

const scan_type scan_sctp_init = {
    .name = "sctpinit",
    .option = "-sY",
    .title = "SCTP INIT Scan",
    .ip_proto = PACKET_SCTP,
    .sctp_chunk = SCTP_CHUNK_INIT,
    .silent = {PORT_FILTERED, REASON_NO_RESPONSE},
    .build = sctp_build,
    .recognise = sctp_recognise,
    .reply_cookie = sctp_reply_cookie,
    .judge = init_judge,
};

const scan_type scan_sctp_cookie_echo = {
    .name = "sctpcookieecho",
    .option = "-sZ",
    .title = "SCTP COOKIE-ECHO Scan",
    .ip_proto = PACKET_SCTP,
    .sctp_chunk = SCTP_CHUNK_COOKIE_ECHO,
    .silent = {PORT_OPEN_FILTERED, REASON_NO_RESPONSE},
    .build = sctp_build,
    .recognise = sctp_recognise,
    .reply_cookie = sctp_reply_cookie,
    .judge = cookie_echo_judge,
};

const scan_type ping_sctp = {
    .name = "sctp-init-ping",
    .option = "-PY",
    .title = "SCTP INIT Ping",
    .ip_proto = PACKET_SCTP,
    .sctp_chunk = SCTP_CHUNK_INIT,
    .discovery = true,
    .silent = {HOST_DOWN, REASON_NO_RESPONSE},
    .build = sctp_build,
    .recognise = sctp_recognise,
    .reply_cookie = sctp_reply_cookie,
    .judge = init_ping_judge,
};
