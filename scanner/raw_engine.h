/* The raw engine: probes built by the shared modules and sent through a raw IPv4
 * socket (ARP requests through pcap_inject), replies read by the receiver
 * thread and attributed with scan_reply_key() and cookie_check(), judged by the
 * probe's type; silence gets the type's silent verdict. It knows nothing of any
 * scan type, and serves port scans (every type of the plan at once, -sS -sU)
 * and host discovery (ARP or the IP pings) alike; the sched decides what goes
 * out when. */
#ifndef SCANTRACE_RAW_ENGINE_H
#define SCANTRACE_RAW_ENGINE_H

#include <glib.h>
#include <stdio.h>

#include "engine.h"
#include "scan_io.h"

/* The capture filter for a plan: replies to our source ports, ICMP to us, and
 * ARP when we ask by ARP. With outgoing (-w), our own probes and resets too,
 * so the capture holds both directions: with decoys (or NULL) their copies of
 * our probes, and with fragments every IPv4 fragment but the first from us or
 * them (a port primitive matches only a datagram's first fragment). Without
 * it none of ours: the scan reads no packet of its own, which would only be
 * copied to the receiver and thrown away (half of a SYN scan's frames), but
 * an IPv4 -sO's echo request, which puts the ICMP protocol's probe out. */
char *raw_engine_filter(const probe_plan *plan, const packet_addr *src, gboolean arp,
                        const decoy_list *decoys, gboolean fragments, gboolean outgoing);

/* Runs the jobs to the end through io (tx and rx, and arp when the plan asks by
 * ARP); sets rx's filter first. */
void raw_engine_run(const engine_config *cfg, const scan_io *io, engine_job *jobs, guint njobs);

#endif
