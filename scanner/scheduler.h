/* The probe scheduler: which probe goes out next, which are overdue, and how long
 * to wait, for a group of hosts and a probe plan. It keeps nmap's timing (per-host
 * RTT timeouts, a window of probes in flight, retransmissions first so old probes
 * finish, hosts served in turn) and knows nothing of packets or sockets: the raw
 * engine and the connect engine both drive it, each with its own way to send and
 * to wait for answers. Not thread-safe: callers hold their own lock.
 *
 * Memory is allocated once per group: one slot per (host, probe) and two rings of
 * probe indices per host (in flight, in send order, so the oldest probe is the
 * first to time out; and waiting for retransmission). Times are monotonic
 * microseconds. */
#ifndef SCANTRACE_SCHEDULER_H
#define SCANTRACE_SCHEDULER_H

#include <glib.h>
#include <stdint.h>

#include "rtt.h"

/* A reply whose try is unknown: only its flow ties it to the probe. */
#define SCHED_TRY_UNKNOWN 0xffu

typedef struct sched_config {
    guint nhosts, nprobes;
    /* Retransmissions after the first try at most; at most COOKIE_MAX_TRIES - 1
     * so the tag and the cookie can carry every try number. A host gets one
     * more retransmission than the latest try that was ever answered, two at
     * least in a port scan, one in host discovery, up to this
     * (sched_retries_allowed()). */
    guint max_retries;
    double max_rate, min_rate; /* packets per second, 0 = none */
    guint window;              /* probes in flight at once */
    gboolean shuffle;          /* fresh probes in random order (ports), else plan order */
    /* Host discovery: the first verdict on any of a host's probes decides the
     * host, and its other probes are not sent or waited for any more. */
    gboolean per_host;
    rtt_state *run_rtt; /* every sample of the run, across groups */
    /* Some probes are UDP: a host found dropping answers is first slowed to
     * one probe per 50 ms, not 5 (drops.h). */
    gboolean udp;
    /* --scan-delay, --max-scan-delay (TCP's, or UDP's when udp): the delay
     * between a host's probes to start from and to grow to at most (drops.h);
     * 0, 0: none, and drops.h's default cap. */
    gint64 scan_delay, max_scan_delay;
} sched_config;

typedef struct sched sched;

/* How many retransmissions a probe of a host may get: max_retries
 * (--max-retries) at most, else one more than good_try, the latest try number
 * (0 = first transmission) that ever drew an answer from the host. That is
 * nmap's allowedTryno() (scan_engine.cc: MAX(1, max_successful_tryno + 1),
 * capped by tryno_cap = o.getMaxRetransmissions()), and host discovery
 * (discovery TRUE: ARP, ND and the IP pings) keeps its floor of one: nmap
 * raises max_successful_tryno in ultrascan_port_probe_update() only, never in
 * a ping scan, so a down host gets each ping twice whatever --max-retries
 * above 0 says (nmap 7.93 in the lab: -sn, -PE, -PS22 ... with the default
 * retries, -T4, -T5 or --max-retries 3: two tries; --max-retries 0: one). A
 * port scan keeps a floor of two, one more than nmap: with 5% loss each way,
 * two tries call one answering port in a hundred filtered, three one in a
 * thousand. */
guint sched_retries_allowed(guint max_retries, gboolean discovery, guint good_try);

sched *sched_new(const sched_config *cfg, gint64 now);
void sched_free(sched *s);

/* Host hi sends probes [first, first + count) of the plan and keeps its timing in
 * rtt (which survives the group: discovery and the port scan share it). */
void sched_set_host(sched *s, guint hi, rtt_state *rtt, guint first, guint count);

/* Host hi is asked by ARP or Neighbor Discovery alone (its one probe), which
 * nmap times apart from other probes (scan_engine.cc: the group's first
 * timeout is MIN(--initial-rtt-timeout, INITIAL_ARP_RTT_TIMEOUT, 200 ms), at
 * least --min-rtt-timeout; allowedTryno(): one retransmission for a host that
 * never answered, MAX(1, max_successful_tryno + 1)) and still pauses a second
 * before that retransmission (its rate limit detection): a down host on the
 * link gets two requests, 1.2 s apart, and is given up 1.4 s after the first
 * (nmap 7.93 in the lab: the same). Call after sched_set_host(). */
void sched_set_neighbor_ping(sched *s, guint hi);

/* --host-timeout: host hi gives up at deadline (monotonic; 0: never): its
 * probes without a verdict are dropped unsent or unanswered, with no silent
 * verdict, and sched_host_timed_out() says so. */
void sched_set_deadline(sched *s, guint hi, gint64 deadline);
gboolean sched_host_timed_out(const sched *s, guint hi);

/* Called from the silent callback of sched_expire(): TRUE when the probe (a
 * port scan's; discovery's, the host's last) went unanswered after the last
 * try --max-retries allows although nmap's rule would have allowed more
 * (scan_engine.cc: allowedTryno()'s "capped", which nmap 7.93 reports with
 * "Warning: ADDR giving up on port because retransmission cap hit (N).");
 * *tryno: that probe's last try number N (0: the first transmission). */
gboolean sched_take_cap_hit(sched *s, guint hi, guint *tryno);

/* Probe pi of host hi (in its range) is not this scan's: another shard sends it
 * (--shards). Call before the first sched_next(); the probe is never sent and
 * counts as done. */
void sched_skip(sched *s, guint hi, guint pi);

/* The probe to send now, if the window, the rate and the hosts allow one; try_no
 * is the transmission it will be (0 for the first). A host found dropping
 * answers gets a delay between its probes, and one with more than a probe to
 * send pauses a second before the first retransmission of each new try number
 * (drops.h, after nmap). Follow with sched_sent() or, when it could not go out,
 * sched_unsent(). */
gboolean sched_next(sched *s, gint64 now, guint *hi, guint *pi, uint8_t *try_no);
void sched_sent(sched *s, guint hi, guint pi, gint64 now);
void sched_unsent(sched *s, guint hi, guint pi);

/* Undoes the sched_sent() of a probe queued for a batch that the socket then
 * could not take: it waits for its turn again. Revert the probes of a batch
 * from the last sent to the first, before sched_expire() runs. Its send time
 * stays that of the try taken back: a late reply to its try before is timed
 * from then (a batch's span, a millisecond or so, too short). */
void sched_revert(sched *s, guint hi, guint pi);

/* Whether a reply to that try of that probe can still decide it: the probe was
 * sent that many times and has no verdict yet. */
gboolean sched_wants(const sched *s, guint hi, guint pi, unsigned try_no);

/* The probe has its verdict, from a reply received at when. Only a reply to the
 * latest try is timed: an earlier try's send time is gone, and a reply whose try
 * is unknown is timed only when there was a single try (Karn). A reply to a
 * retransmission may slow the host down (drops.h). */
void sched_decide(sched *s, guint hi, guint pi, unsigned try_no, gint64 when);

/* sched_decide(), but the answer neither slows the host down (drops.h) nor
 * raises the try it retransmits up to: nmap's --defeat-rst-ratelimit for a
 * closed answer to a retransmission (scan_engine.cc,
 * ultrascan_port_probe_update: adjust_timing false), so that a host which
 * rate-limits its RSTs is not waited for. The RTT sample is kept. */
void sched_decide_untimed(sched *s, guint hi, guint pi, unsigned try_no, gint64 when);

/* Called for a probe that had all its tries unanswered (per_host: for the last
 * probe of a host none of whose probes was answered). */
typedef void (*sched_silent_fn)(void *ctx, guint hi, guint pi);

/* Moves overdue probes to retransmission, or gives them up. */
void sched_expire(sched *s, gint64 now, sched_silent_fn silent, void *ctx);

/* When something next needs doing: the oldest probe's timeout, or, when the
 * caller can send and there is something to send, the next rate token. */
gint64 sched_deadline(sched *s, gint64 now, gboolean can_send);

gboolean sched_done(const sched *s);
gboolean sched_host_done(const sched *s, guint hi);
guint64 sched_probes_sent(const sched *s);

/* How many more probes the window lets out now (--min-rate aside). */
guint sched_window_room(const sched *s);

/* The delay between host hi's probes (microseconds; 0 until it dropped some). */
gint64 sched_host_delay(const sched *s, guint hi);

#endif
