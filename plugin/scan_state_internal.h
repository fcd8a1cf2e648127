/* What scan_state.c lends the file that keeps the IP protocol scan's part of
 * the first pass's state (proto_scan_state.c): its tables' hash functions,
 * its port records and frames, and the steps a probe goes through there. The
 * rest of the plugin reads scan_state.h only. */
#ifndef SCANTRACE_SCAN_STATE_INTERNAL_H
#define SCANTRACE_SCAN_STATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <wsutil/nstime.h>

#include "packet.h"
#include "scan_state.h"
#include "scan_type.h"
#include "tag.h"

/* A capture time in seconds. */
static inline double seconds(const nstime_t *t)
{
    return (double)t->secs + t->nsecs / 1e9;
}

/* The hash step of the tables (h mixed with v), and the hash and equality of
 * a packet_flow and of a packet_addr, for GLib tables and wmem maps. */
guint mix(guint h, guint32 v);
guint flow_hash(gconstpointer key);
gboolean flow_equal(gconstpointer a, gconstpointer b);
guint addr_hash(gconstpointer key);
gboolean addr_equal(gconstpointer a, gconstpointer b);

/* scanner and target of flow, ports and protocol 0: the key of what is kept
 * per pair of hosts. */
packet_flow host_pair(const packet_flow *flow);

/* A record to look a port up by: its key fields set, the rest zero. */
port_record port_wanted(const scan_type *type, uint32_t scan_id, const packet_addr *scanner,
                        bool suspected, const packet_addr *target, uint8_t proto, uint16_t port);

/* The record of wanted's port; NULL if none, or outside a capture file. */
port_record *port_find(const port_record *wanted);

/* The record of the port type probes on flow, made if new. scanner: the
 * all-zero address for our own probes, whose scan id tells scans apart.
 * suspected: a suspected scan is kept apart from a fingerprinted one of the
 * same source. */
port_record *port_get(const scan_type *type, uint32_t scan_id, const packet_addr *scanner,
                      bool suspected, const packet_flow *flow);

/* A tagged probe (or one tied to its scan by its cookie) recorded: tool, who
 * sent it, as tool_name() tells; data_len: a TCP probe's data. NULL if its
 * flow has no room for another scan. */
const frame_result *add_probe(uint32_t frame, const nstime_t *when, const packet_flow *flow,
                              const scan_type *type, const probe_tag *tag, const char *tool,
                              size_t data_len);

/* A probe just recorded on flow: a reply kept from a little before it answers it. */
void settle_early_replies(const packet_flow *flow, const nstime_t *when);

/* The result recorded for frame, which may be changed; NULL if none. Frames
 * below scan_state_frames_end() may have one. */
frame_result *scan_state_frame(uint32_t frame);
uint32_t scan_state_frames_end(void);

/* cand, a port of another scan type whose probes turned out to be q's (an IP
 * protocol scan's: proto_scan_state.c), is no port of its type any more: out
 * of the tables and its group's count, out of nmap's UDP scan of the host,
 * and the host's runs count q in its place (fresh: q was made for it). */
void scan_state_port_retyped(port_record *cand, port_record *q, bool fresh);

#endif
