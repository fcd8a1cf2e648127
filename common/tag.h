/* The probe tag: what marks a packet as a scantrace probe for anyone holding the
 * capture, without any secret. On TCP it is an RFC 6994 experimental option:
 *
 *   kind=253 len=10 ExID=0x5354 ("ST") version purpose|try scan_id(32 bits, big endian)
 *
 * The try number (low 4 bits, 0 for the first transmission) makes retransmissions
 * distinguishable on the wire; the top bit marks host discovery probes, so a SYN
 * to 443 that asks "is the host up?" is not taken for a port probe. UDP and ICMP probes carry the
 * same ten bytes in their payload (inside a valid request where a service needs one). */
#ifndef SCANTRACE_TAG_H
#define SCANTRACE_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAG_TCP_OPTION_KIND 253
#define TAG_EXID            0x5354
#define TAG_VERSION         1
#define TAG_TCP_OPTION_LEN  10
#define TAG_TRY_MASK        0x0f
#define TAG_DISCOVERY       0x80

typedef struct probe_tag {
    uint8_t version;
    uint8_t try_no;
    bool discovery;
    uint32_t scan_id;
} probe_tag;

/* Writes the option (TAG_TCP_OPTION_LEN bytes) and returns its length. */
size_t tag_write_tcp_option(uint8_t *out, uint32_t scan_id, uint8_t try_no, bool discovery);

/* Finds our option among TCP options; false when absent or malformed. */
bool tag_find_in_tcp_options(const uint8_t *options, size_t len, probe_tag *out);

/* Finds the tag's ten bytes anywhere in a payload. */
bool tag_find_in_payload(const uint8_t *payload, size_t len, probe_tag *out);

#endif
