/* Which ports a report lists and which it folds into "Not shown": nmap folds
 * every state with more than 25 ports, except open (and the unknown), and
 * describes each folded state by reason and protocol, most common first. */
#ifndef SCANTRACE_PORT_SUMMARY_H
#define SCANTRACE_PORT_SUMMARY_H

#include <glib.h>

#include "probe_plan.h"
#include "scan_result.h"
#include "verdict.h"

#define PORT_SUMMARY_MAX_SHOWN 25

typedef struct ignored_group {
    port_state state;
    reason why;
    uint8_t proto;
    guint count;       /* ports in this state, for this reason, of this protocol */
    guint state_count; /* ports in this state */
    guint seen;        /* when the group's first port came up, in plan order */
} ignored_group;

typedef struct port_summary {
    gboolean ignored[PORT_STATE_COUNT];
    GArray *groups; /* ignored_group, in nmap's order */
    guint ignored_ports;
    guint scanned;              /* the plan's ports this scan covered (all but other shards') */
    gboolean filtered_tcp_scan; /* a TCP scan type, and a port filtered */
} port_summary;

/* h->ports: one result per probe of the plan; ports another shard scanned
 * (h->shard_skip) are left out of every count. verbose: -v's level; nmap shows
 * up to 25 ports of a state for each level and one more (portlist.cc,
 * isIgnoredState; measured: 50 with -v, 75 with -vv). */
void port_summary_init(port_summary *s, const probe_plan *plan, const host_result *h, int verbose);

/* --open: every state but open, open|filtered and unfiltered is folded,
 * however few ports it has, as nmap does (nmap 7.93 in the lab). */
void port_summary_init_open(port_summary *s, const probe_plan *plan, const host_result *h,
                            int verbose, gboolean open_only);

/* Whether --open shows the host: up, and with a port in a state it shows
 * (any host that is up with -sn, plan NULL). Hosts found down never are. */
gboolean port_summary_open_shows(const probe_plan *plan, const host_result *h);
void port_summary_clear(port_summary *s);

#endif
