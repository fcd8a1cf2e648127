/* What both engines take: the raw engine (raw sockets and libpcap) and the
 * connect engine (ordinary sockets). Each sends a probe plan's probes to a group
 * of hosts, retransmits the unanswered ones as the sched says, and records the
 * verdicts the probes' own scan types give. */
#ifndef SCANTRACE_ENGINE_H
#define SCANTRACE_ENGINE_H

#include <glib.h>
#include <stdio.h>

#include "arp.h"
#include "decoys.h"
#include "nd.h"
#include "probe_plan.h"
#include "progress.h"
#include "rtt.h"
#include "scan_result.h"
#include "scheduler.h"

/* Probes in flight at once across a group when nothing else limits them: enough
 * to keep a LAN busy, few enough not to flood a slow link before the first
 * timeouts tell us anything. nmap's congestion window grows to a few hundred. */
#define ENGINE_DEFAULT_WINDOW 256

typedef struct engine_config {
    const probe_plan *plan;
    uint32_t scan_id;
    guint max_retries;
    double max_rate, min_rate; /* packets per second, 0 = none */
    guint window;
    /* --scan-delay, --max-scan-delay (TCP's, UDP's), --host-timeout: microseconds,
     * 0 = none (timing.h) */
    gint64 scan_delay, max_scan_delay_tcp, max_scan_delay_udp, host_timeout;
    /* Host discovery: a verdict goes to the host (host_result.status), the first
     * one decides it; else to the port (host_result.ports). */
    gboolean discovery;
    gboolean in_order; /* -r: a host's ports in plan order, not shuffled */
    /* --defeat-rst-ratelimit: a closed answer to a retransmission leaves the
     * host's pace alone (sched_decide_untimed()). */
    gboolean defeat_rst_ratelimit;
    rtt_state *run_rtt;         /* every reply timed in this run, across groups */
    const probe_extras *extras; /* --ttl, --data-length, --badsum: every raw probe's */
    /* -S: connections bind to the route's source address (one of ours), as
     * nmap's connect() sockets do. */
    gboolean bind_source;
    const char *device; /* -e: connections leave by this interface, when allowed */
    FILE *trace;        /* where --packet-trace lines go (engine_tracing() says when) */
    /* -f/--mtu: data bytes a fragment of each raw IPv4 probe, 0 for none
     * (ip_fragment.h); -D: the decoys each raw IP probe is also sent from, or
     * NULL (decoys.h). */
    unsigned fragment_mtu;
    const decoy_list *decoys;
    gint64 trace_zero; /* wall-clock time (us) that trace times count from */
} engine_config;

/* Whether to trace packets now: --packet-trace, or the p key (keys.h). */
static inline gboolean engine_tracing(const engine_config *cfg)
{
    return cfg->trace && progress_packet_trace();
}

/* A verdict recorded for host h (before: its status until then): counted for
 * the status line, and said when an answer set it (why is not no-response):
 * an open port as nmap -v does, any state with -dd (progress.h). */
static inline void engine_progress(const engine_config *cfg, const host_result *h,
                                   uint8_t status_before, guint pi, uint8_t state, uint8_t why)
{
    if (!cfg->discovery) {
        progress_decided();
        if (why != REASON_NO_RESPONSE)
            progress_discovered_state(cfg->plan->probes[pi].port,
                                      cfg->plan->probes[pi].type->ip_proto, &h->addr, state);
    } else if (status_before == PORT_STATE_UNKNOWN) {
        progress_decided();
    }
}

/* Probe pi of host hi (address addr) given up on: nmap's retransmission cap
 * warning when the scheduler says the host's cap was hit (progress_cap_hit(),
 * sched_take_cap_hit()), for discovery or the probe's protocol. */
static inline void engine_cap_hit(const engine_config *cfg, sched *s, guint hi,
                                  const packet_addr *addr, guint pi)
{
    guint tryno;
    if (sched_take_cap_hit(s, hi, &tryno))
        progress_cap_hit(addr,
                         cfg->discovery ? PROGRESS_DISCOVERY : cfg->plan->probes[pi].type->ip_proto,
                         tryno);
}

/* One host's share of the plan: probes [first, first + count). */
typedef struct engine_job {
    host_result *host;
    guint first, count;
} engine_job;

static inline gboolean engine_plan_has_udp(const probe_plan *plan)
{
    for (guint t = 0; t < plan->ntypes; t++)
        if (plan->types[t].type->ip_proto == PACKET_UDP)
            return TRUE;
    return FALSE;
}

/* The sched a group of nhosts gets, with at most window probes in flight. */
static inline sched_config engine_sched_config(const engine_config *cfg, guint nhosts, guint window)
{
    return (sched_config){.nhosts = nhosts,
                          .nprobes = cfg->plan->nprobes,
                          .max_retries = cfg->max_retries,
                          .max_rate = cfg->max_rate,
                          .min_rate = cfg->min_rate,
                          .window = window,
                          .shuffle = !cfg->discovery && !cfg->in_order,
                          .per_host = cfg->discovery,
                          .run_rtt = cfg->run_rtt,
                          .udp = engine_plan_has_udp(cfg->plan),
                          .scan_delay = cfg->scan_delay,
                          .max_scan_delay = engine_plan_has_udp(cfg->plan)
                                                ? cfg->max_scan_delay_udp
                                                : cfg->max_scan_delay_tcp};
}

/* Gives host i its job's probes in the sched, less those another shard sends
 * (a port scan's only: discovery's plan is not the sharded one). */
static inline void engine_set_host(sched *s, const engine_config *cfg, guint i, engine_job *job)
{
    host_result *h = job->host;
    sched_set_host(s, i, &h->rtt, job->first, job->count);
    /* --host-timeout counts from the host's first probe, discovery's included. */
    if (cfg->host_timeout && h->timeout_at == 0)
        h->timeout_at = g_get_monotonic_time() + cfg->host_timeout;
    sched_set_deadline(s, i, h->timeout_at);
    const scan_type *type = job->count == 1 ? cfg->plan->probes[job->first].type : NULL;
    if (cfg->discovery && (type == &ping_arp || type == &ping_nd))
        sched_set_neighbor_ping(s, i);
    if (cfg->discovery || h->shard_skip == NULL)
        return;
    for (guint p = job->first; p < job->first + job->count; p++)
        if (!host_scans_probe(h, p))
            sched_skip(s, i, p);
}

#endif
