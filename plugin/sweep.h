/* Address sweeps on the link, by behaviour: a source that asks for many
 * addresses in a short time (ARP requests, IPv6 neighbor solicitations) is
 * sweeping the link for hosts, as nmap -sn on a LAN (its ARP ping, nmap -6's
 * ND ping), arp-scan and netdiscover do. nmap's ARP requests are byte for byte
 * the kernel's, so nothing in one of them tells: the count does. A host
 * resolving its neighbours asks for a few addresses now and then (its gateway,
 * the hosts it talks to), a router for its clients as their entries expire,
 * spread over minutes; a sweep asks for dozens within a second.
 *
 * Each source keeps the last address it asked for and, from its second
 * distinct one within the window, the set of them; once the set reaches the
 * threshold the source is a sweeper for good. Plain GLib, so that unit tests
 * need no Wireshark. */
#ifndef SCANTRACE_SWEEP_H
#define SCANTRACE_SWEEP_H

#include <stdbool.h>

#include "packet.h"

/* Distinct addresses asked within the window that make a sweep: nmap sends its
 * ARP and ND pings microseconds apart, arp-scan one every 2 ms by default. */
#define SWEEP_HOST_THRESHOLD 16
#define SWEEP_WINDOW_SECONDS 1.0

typedef struct sweep sweep;
typedef struct sweep_source sweep_source;

sweep *sweep_new(void);
void sweep_free(sweep *s);

/* One request by src for target's link address at when (seconds); threshold
 * distinct targets within window seconds make src a sweeper (threshold 0:
 * never). Returns src's record, NULL when the table is full. */
sweep_source *sweep_asked(sweep *s, const packet_addr *src, const packet_addr *target, double when,
                          unsigned threshold, double window);

/* src's record, or NULL; s may be NULL. */
sweep_source *sweep_find(const sweep *s, const packet_addr *src);

/* Whether the source swept (src may be NULL). */
bool sweep_is_sweeper(const sweep_source *src);

/* Why: "address sweep on the link: 16 addresses asked within 1 s (threshold
 * 16)"; "" while it is none. */
const char *sweep_evidence(const sweep_source *src);

#endif
