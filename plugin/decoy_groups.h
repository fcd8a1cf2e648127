/* Probes with decoys (nmap -D, scantrace -D): the same probe sent from several
 * source addresses at (nearly) the same time. nmap 7.93 sends each raw probe,
 * port probe and IP ping alike, once per address of its decoy list, its own at
 * ME's place, back to back and byte for byte the same but for the source
 * address (scan_engine_raw.cc, sendIPScanProbe: one source port, sequence and
 * acknowledgment number, IP ID); retries go from every decoy too. Only its ARP
 * and Neighbor Discovery pings go from the real address alone.
 *
 * Such a group is one probe: the port table counts it once, under the scanner
 * that sent it, and every copy shows the port's verdict. Which source is the
 * scanner (decoy_groups_scanner()):
 *  1. our own probes: the copies carry the scanner's cookie, which checks for
 *     the scanner's flow only;
 *  2. another tool's: the one source of the group the target answered, over
 *     every group of that target (replies go to each source address; a decoy
 *     address nobody holds gets none: the target's ARP for it fails, and a
 *     host that holds it resets the connection, so it is answered too);
 *  3. otherwise nothing tells (no answer at all, or answers to several
 *     sources: decoys that are live hosts), and the first source is shown.
 * Limits: copies are found among the last DECOY_GROUPS_RECENT probes, within
 * DECOY_GROUPS_SECONDS of each other; a group lists DECOY_GROUPS_MAX sources;
 * the answers are counted per target, so two scanners with decoys scanning one
 * target at once are taken for one. */
#ifndef SCANTRACE_DECOY_GROUPS_H
#define SCANTRACE_DECOY_GROUPS_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/wmem_scopes.h>
#include <wsutil/nstime.h>

#include "packet.h"
#include "scan_state.h"

#define DECOY_GROUPS_RECENT  64
#define DECOY_GROUPS_SECONDS 0.1
#define DECOY_GROUPS_MAX     16

typedef struct decoy_groups_member {
    packet_addr source;
    const frame_result *probe;
    uint32_t frame;
    bool cookie_checks; /* our probes: its cookie is its own flow's */
    bool answered;      /* the target answered this copy */
} decoy_groups_member;

typedef struct decoy_group {
    decoy_groups_member member[DECOY_GROUPS_MAX];
    unsigned count;
    unsigned more; /* sources past DECOY_GROUPS_MAX */
} decoy_group;

/* Per capture file (an init routine's and a cleanup routine's). */
void decoy_groups_register(void);
void decoy_groups_init(void);
void decoy_groups_cleanup(void);

/* First pass: a probe just recorded (probe: scan_state's result for pkt), and
 * a response to one (its probe_in names the probe frame). */
void decoy_groups_probe_seen(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                             const frame_result *probe);
void decoy_groups_reply_seen(const frame_result *reply);

/* The group a probe frame belongs to, or NULL (the common case: no decoys). */
const decoy_group *decoy_groups_of(uint32_t frame);

/* The group's scanner (a member index), or -1 when nothing tells; *why: the
 * rule that named it, in words. */
int decoy_groups_scanner(const decoy_group *group, const char **why);

/* Whether the probe frame is a copy the port table does not count: a member of
 * a group other than its scanner (the first member when nothing tells). */
bool decoy_groups_copy(uint32_t frame);

/* The port whose verdict the frame shows: a copy's is its scanner's. */
const port_record *decoy_groups_port(uint32_t frame, const frame_result *res);

/* Whether some probe of the port was sent with decoys. */
bool decoy_groups_port_decoyed(const port_record *port);

/* "decoys 10.201.0.7, 10.201.0.8": the sources other than the scanner (given,
 * or the one the rules name) seen sending copies of probes to the port's
 * target, in pool; NULL when the port's probes had no decoys. */
char *decoy_groups_describe(const port_record *port, const packet_addr *scanner,
                            wmem_allocator_t *pool);

#endif
