/* The probe tag: what marks a packet as a scantrace probe for anyone holding the
 * capture, without any secret. On TCP it is an RFC 6994 experimental option:
 *
 *   version 1: kind=253 len=10 ExID=0x5354 ("ST") 1 purpose|try scan_id(32 bits, big endian)
 *   version 2: kind=253 len=11 ExID=0x5354 ("ST") 2 purpose|try scan_id scan
 *
 * The try number (low 4 bits, 0 for the first transmission) makes retransmissions
 * distinguishable on the wire; the top bit marks host discovery probes, so a SYN
 * to 443 that asks "is the host up?" is not taken for a port probe. Version 2
 * names the scan type too (its tag code, scan_type.h; the top bit set when
 * --scanflags chose the TCP flags), since some scan types send the very same
 * segment: -sW's probe is -sA's, and --scanflags can make any type's. TCP
 * probes carry version 2; UDP and ICMP probes, whose protocol and ICMP type
 * already name their scan, carry version 1's ten bytes in their payload (inside
 * a valid request where a service needs one), but for -PO's, which carry
 * version 2's eleven to tell them from -PE's and -PU's. Readers take both
 * versions. Bit 0x40 of purpose|try (TAG_FIXED_SPORT) marks a TCP probe sent
 * from -g's fixed source port, whose replies nmap matches by their numbers
 * alone (fixed_sport_match.h); readers before it ignore the bit. */
#ifndef SCANTRACE_TAG_H
#define SCANTRACE_TAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TAG_TCP_OPTION_KIND 253
#define TAG_EXID            0x5354
#define TAG_VERSION         1 /* the payload tag's */
#define TAG_VERSION_SCAN    2 /* the TCP option's, naming the scan type */
#define TAG_TCP_OPTION_LEN  10
#define TAG_SCAN_OPTION_LEN 11
#define TAG_CUSTOM_FLAGS    0x80 /* in the scan byte: --scanflags chose the flags */
#define TAG_TRY_MASK        0x0f
#define TAG_DISCOVERY       0x80
#define TAG_FIXED_SPORT     0x40 /* in purpose|try: sent from -g's fixed source port */

typedef struct probe_tag {
    uint8_t version;
    uint8_t try_no;
    bool discovery;
    uint32_t scan_id;
    uint8_t scan_code; /* version 2: the scan type's tag code; 0 in version 1 */
    bool custom_flags; /* version 2: --scanflags chose the probe's TCP flags */
    bool fixed_sport;  /* sent from -g's fixed source port (TAG_FIXED_SPORT) */
} probe_tag;

/* Writes the version 1 tag (TAG_TCP_OPTION_LEN bytes), as UDP and ICMP payloads
 * carry it, and returns its length. */
size_t tag_write_tcp_option(uint8_t *out, uint32_t scan_id, uint8_t try_no, bool discovery);

/* Writes the version 2 TCP option (TAG_SCAN_OPTION_LEN bytes): scan_code is the
 * scan type's tag code (1-127), custom_flags whether --scanflags set the flags.
 * Returns its length. */
size_t tag_write_scan_option(uint8_t *out, uint32_t scan_id, uint8_t try_no, bool discovery,
                             uint8_t scan_code, bool custom_flags);

/* Marks a tag written at option (either version) as sent from -g's fixed
 * source port (TAG_FIXED_SPORT). */
void tag_mark_fixed_sport(uint8_t *option);

/* Finds our option (either version) among TCP options; false when absent or
 * malformed. */
bool tag_find_in_tcp_options(const uint8_t *options, size_t len, probe_tag *out);

/* Finds a tag anywhere in a payload: version 1's ten bytes, or version 2's
 * eleven, which -PO's probes carry (ping_proto.c). */
bool tag_find_in_payload(const uint8_t *payload, size_t len, probe_tag *out);

/* Finds a version 2 tag's eleven bytes anywhere in a payload (the -sO probes
 * carry it, so no version 1 reader takes them for -sU's or -PE's). */
bool tag_find_scan_in_payload(const uint8_t *payload, size_t len, probe_tag *out);

#endif
