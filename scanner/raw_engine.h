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

/* The capture filter for a plan: replies to our source ports, ICMP to us, ARP
 * when we ask by ARP, and our own probes and resets (so -w holds both
 * directions); with decoys (or NULL) their copies of our probes too, and with
 * fragments every IPv4 fragment but the first from us or them (a port
 * primitive matches only a datagram's first fragment). */
char *raw_engine_filter(const probe_plan *plan, const packet_addr *src, gboolean arp,
                        const decoy_list *decoys, gboolean fragments);

/* Runs the jobs to the end through io (tx and rx, and arp when the plan asks by
 * ARP); sets rx's filter first. */
void raw_engine_run(const engine_config *cfg, const scan_io *io, engine_job *jobs, guint njobs);

#endif
