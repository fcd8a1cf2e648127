#include "raw_engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <stdatomic.h>
#include <string.h>

#include "arp.h"
#include "cookie.h"
#include "decoys.h"
#include "fixed_sport_match.h"
#include "proto_icmp_hack.h"
#include "frame_ring.h"
#include "ip_fragment.h"
#include "interrupt.h"
#include "link.h"
#include "nd.h"
#include "packet_stats.h"
#include "packet_trace.h"
#include "scheduler.h"

G_STATIC_ASSERT(PLAN_TRY_UNKNOWN == SCHED_TRY_UNKNOWN);

/* The receiver's hand-over (frame_ring.h): a few thousand replies with their
 * headers, many times the window's worth. */
#define FRAME_RING_BYTES (512u * 1024u)

/* A probe in the sender's batch: its packets (copies from decoys, fragments)
 * are the batch's [first, first + n), our own copy's [mine, mine + nmine),
 * whose fate is the probe's. */
typedef struct queued_probe {
    guint hi, pi;
    guint first, n, mine, nmine;
    gint64 now;
} queued_probe;

typedef struct engine {
    const engine_config *cfg;
    const scan_io *io;
    engine_job *jobs;
    guint njobs;
    int dlt;
    GHashTable *job_by_addr; /* address -> index + 1 */

    /* The receiver thread writes -w, drops our own packets and hands every
     * other frame over through frames; this thread (the engine's) judges
     * them, and picks, builds and sends probes: everything below is its
     * alone, so no lock is shared on the way of a probe or a reply. It
     * sleeps until a reply could free room for a good part of a batch
     * (wake_room) or the next deadline (wait_frames()). */
    frame_ring *frames;
    atomic_bool closed; /* the engine reads no more frames: drop them */
    guint wake_room;    /* window room worth waking up for */
    sched *sched;
    gint64 mono_to_real; /* add to a monotonic time to get wall-clock time */
    GString *line;
    gboolean send_error_told;
    /* -sO over IPv4: nmap's receive loop as it reads the ICMP protocol
     * (common/proto_icmp_hack.h). */
    proto_icmp_hack icmp_hack;
    /* -sO: per job, whether the receive handle has seen our ICMP probe leave
     * (ICMP_PROBE_OUT, icmp_probe_seen()), and whether its verdict, open, still
     * waits for the words of the receive loop's end (ICMP_UNSETTLED); NULL for
     * other scans. */
    guint8 *icmp_probe_out;
    /* The probes in the sender's batch (flush_batch()); the main thread's
     * alone, as is the sender. */
    queued_probe batch[SENDER_BATCH];
    guint nbatch;
} engine;

static gboolean is_arp(const scan_type *type)
{
    return type == &ping_arp;
}

static gboolean is_nd(const scan_type *type)
{
    return type == &ping_nd;
}

/* Whether a job asks by ARP. */
static gboolean asks_arp(const probe_plan *plan, const engine_job *jobs, guint njobs)
{
    for (guint i = 0; i < njobs; i++)
        for (guint p = jobs[i].first; p < jobs[i].first + jobs[i].count; p++)
            if (is_arp(plan->probes[p].type))
                return TRUE;
    return FALSE;
}

/* -PO's probes: TCP and UDP from the type's source ports, the family's ICMP
 * (icmp: "icmp" or "icmp6"), and each other protocol asked both ways (BPF's
 * "ip proto" is IPv4's only, "ip6 proto" IPv6's). */
static void any_proto_filter(const probe_plan *plan, const plan_type *pt, GString *in, GString *out,
                             const char *icmp)
{
    gboolean v6 = strcmp(icmp, "icmp6") == 0;
    uint16_t family_icmp = v6 ? PACKET_ICMPV6 : PACKET_ICMP;
    const char *ip = v6 ? "ip6" : "ip";
    unsigned last = pt->fixed ? pt->sport : pt->sport + PLAN_SPORT_SPAN - 1u;
    for (guint i = pt->first; i < pt->first + pt->count; i++) {
        uint16_t proto = plan->probes[i].port;
        const char *sep = out->len ? " or " : "";
        if (proto == PACKET_TCP || proto == PACKET_UDP) {
            const char *name = proto == PACKET_TCP ? "tcp" : "udp";
            g_string_append_printf(in, " or (%s dst portrange %u-%u)", name, pt->sport, last);
            g_string_append_printf(out, "%s(%s src portrange %u-%u)", sep, name, pt->sport, last);
        } else if (proto == family_icmp) {
            g_string_append_printf(out, "%s%s", sep, icmp);
        } else {
            g_string_append_printf(in, " or (%s proto %u)", ip, proto);
            g_string_append_printf(out, "%s(%s proto %u)", sep, ip, proto);
        }
    }
}

char *raw_engine_filter(const probe_plan *plan, const packet_addr *src, gboolean arp,
                        const decoy_list *decoys, gboolean fragments, gboolean outgoing)
{
    char ip[PACKET_ADDR_TEXT];
    packet_addr_format(src, ip);
    const char *icmp = packet_addr_is_ipv4(src) ? "icmp" : "icmp6";
    g_autoptr(GString) in = g_string_new(icmp);
    g_autoptr(GString) out = g_string_new(NULL);
    for (guint t = 0; t < plan->ntypes; t++) {
        const plan_type *pt = &plan->types[t];
        const scan_type *type = pt->type;
        if (type->build == NULL)
            continue;
        if (type->any_ip_proto) {
            any_proto_filter(plan, pt, in, out, icmp);
            continue;
        }
        const char *proto = type->ip_proto == PACKET_TCP    ? "tcp"
                            : type->ip_proto == PACKET_UDP  ? "udp"
                            : type->ip_proto == PACKET_SCTP ? "sctp"
                                                            : "icmp";
        if (type->ip_proto == PACKET_ICMP) {
            g_string_append_printf(out, "%s%s", out->len ? " or " : "", icmp);
            continue;
        }
        unsigned last = pt->fixed ? pt->sport : pt->sport + PLAN_SPORT_SPAN - 1u;
        g_string_append_printf(in, " or (%s dst portrange %u-%u)", proto, pt->sport, last);
        g_string_append_printf(out, "%s(%s src portrange %u-%u)", out->len ? " or " : "", proto,
                               pt->sport, last);
    }
    GString *f = g_string_new(NULL);
    if (probe_plan_type(plan, &scan_proto)) {
        /* -sO: any protocol from the target answers, and we send any. */
        g_string_append_printf(f, "dst host %s", ip);
        if (outgoing)
            g_string_append_printf(f, " or src host %s", ip);
        else if (packet_addr_is_ipv4(src) && probe_plan_find(plan, &scan_proto, PACKET_ICMP) >= 0)
            /* Our echo request: the ICMP protocol is out once it left. */
            g_string_append_printf(f, " or (src host %s and icmp[icmptype] == icmp-echo)", ip);
        if (arp)
            g_string_append(f, " or arp");
        return g_string_free(f, FALSE);
    }
    g_string_append_printf(f, "(dst host %s and (%s))", ip, in->str);
    guint nsources = outgoing ? 1 + (decoys ? decoys->count : 0) : 0;
    for (guint i = 0; i < nsources; i++) {
        char from[PACKET_ADDR_TEXT];
        packet_addr_format(i == 0 ? src : &decoys->addrs[i - 1], from);
        if (out->len)
            g_string_append_printf(f, " or (src host %s and (%s))", from, out->str);
        if (fragments)
            g_string_append_printf(f, " or (src host %s and ip[6:2] & 0x1fff != 0)", from);
    }
    if (arp)
        g_string_append(f, " or arp");
    return g_string_free(f, FALSE);
}

static const plan_type *plan_entry(const engine *e, const scan_type *type)
{
    return probe_plan_type(e->cfg->plan, type);
}

static void trace_packet(engine *e, const char *dir, gint64 wall, const uint8_t *ip,
                         const packet_view *pkt)
{
    g_string_truncate(e->line, 0);
    packet_trace_format(e->line, dir, (double)(wall - e->cfg->trace_zero) / 1e6, ip, pkt);
    progress_trace_write(e->cfg->trace, e->line->str);
}

static void trace_arp(engine *e, const char *dir, gint64 wall, const arp_view *arp)
{
    g_string_truncate(e->line, 0);
    packet_trace_arp(e->line, dir, (double)(wall - e->cfg->trace_zero) / 1e6, arp);
    progress_trace_write(e->cfg->trace, e->line->str);
}

static void record(engine *e, guint hi, guint pi, verdict v, uint8_t ttl, gint64 wall)
{
    host_result *h = e->jobs[hi].host;
    port_result r = {(uint8_t)v.state, (uint8_t)v.why, ttl};
    engine_progress(e->cfg, h, h->status.state, pi, r.state, r.why);
    if (e->cfg->discovery)
        h->status = r;
    else
        h->ports[pi] = r;
    if (sched_host_done(e->sched, hi)) {
        h->end = wall;
        if (!e->cfg->discovery)
            progress_host_done(h);
    }
}

static void decide(engine *e, guint hi, guint pi, unsigned try_no, verdict v, uint8_t ttl,
                   gint64 wall)
{
    /* nmap's --defeat-rst-ratelimit: a closed answer to a retransmission, in
     * a scan whose silence is not open|filtered, leaves the timing alone. */
    const scan_type *type = e->cfg->plan->probes[pi].type;
    if (e->cfg->defeat_rst_ratelimit && !e->cfg->discovery && v.state == PORT_CLOSED &&
        type->silent.state != PORT_OPEN_FILTERED && try_no != SCHED_TRY_UNKNOWN && try_no > 0)
        sched_decide_untimed(e->sched, hi, pi, try_no, wall - e->mono_to_real);
    else
        sched_decide(e->sched, hi, pi, try_no, wall - e->mono_to_real);
    record(e, hi, pi, v, ttl, wall);
}

static void on_silent(void *ctx, guint hi, guint pi)
{
    engine *e = ctx;
    engine_cap_hit(e->cfg, e->sched, hi, &e->jobs[hi].host->addr, pi);
    record(e, hi, pi, e->cfg->plan->probes[pi].type->silent, 0, g_get_real_time());
}

static guint job_of(const engine *e, const packet_addr *addr)
{
    return GPOINTER_TO_UINT(g_hash_table_lookup(e->job_by_addr, addr));
}

static guint addr_hash(gconstpointer a)
{
    return packet_addr_hash(a);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

/* Our own probes and our kernel's resets come through the filter too (for the
 * capture); they are not replies. Direction decides first: a service that
 * echoes its request (SNMP, say) sends our tag back inside its reply, but from
 * the port we probed, not from our source port. */
static gboolean is_ours(const engine *e, const packet_view *pkt)
{
    if (!packet_addr_equal(&pkt->flow.src, &e->io->rt->src))
        return FALSE;
    /* -sO: nothing we send to another host is a reply to us; a target that
     * is one of our addresses (lo) sends its replies from it too, beside our
     * probes. */
    if (plan_entry(e, &scan_proto))
        return !packet_addr_equal(&pkt->flow.dst, &pkt->flow.src) ||
               proto_probe_is_ours(e->cfg->scan_id, pkt);
    probe_tag tag;
    unsigned try_no;
    const scan_type *type = scan_type_of_probe(pkt, &tag);
    if (type && tag.scan_id == e->cfg->scan_id) {
        const plan_type *pt = plan_entry(e, type);
        /* -PO's probes of protocols without ports. */
        if (pt && type->any_ip_proto && pkt->flow.proto != PACKET_TCP &&
            pkt->flow.proto != PACKET_UDP)
            return TRUE;
        return pt && plan_sport_try(pt, pkt->flow.sport, &try_no);
    }
    for (guint t = 0; t < e->cfg->plan->ntypes; t++) {
        const plan_type *pt = &e->cfg->plan->types[t];
        if (pt->type->build && pt->type->ip_proto == pkt->flow.proto &&
            plan_sport_try(pt, pkt->flow.sport, &try_no) && scan_is_teardown(pt->type, pkt))
            return TRUE;
    }
    return FALSE;
}

typedef struct attribution {
    guint hi, pi;
    unsigned try_no;
} attribution;

/* -sO (nmap's get_pcap_result): an ICMP error ties to the probe it quotes,
 * by its cookie; any other packet from the target to the probe of its
 * protocol, whatever its ports, as nmap takes it, with the try its cookie or
 * destination port names if it names one. ICMPv4 messages other than errors
 * are left to proto_icmp_quirk(). */
static gboolean attribute_proto(const engine *e, const plan_type *pt, const packet_view *pkt,
                                attribution *out)
{
    const engine_config *cfg = e->cfg;
    gboolean error = proto_is_error(pkt);
    if (pkt->flow.proto == PACKET_ICMP && !error)
        return FALSE;
    packet_flow probe;
    uint32_t cookie = 0;
    reply_match match = proto_reply_key(pkt, &probe, &cookie);
    if (match == REPLY_NONE || !packet_addr_equal(&probe.src, &e->io->rt->src))
        return FALSE;
    guint job = job_of(e, &probe.dst);
    gint32 pi = probe_plan_find(cfg->plan, &scan_proto, probe.proto);
    if (job == 0 || pi < 0)
        return FALSE;
    unsigned try_no = PLAN_TRY_UNKNOWN;
    if (proto_has_ports(probe.proto) && !plan_sport_try(pt, probe.sport, &try_no)) {
        if (error)
            return FALSE; /* it quotes a flow of someone else's */
        try_no = PLAN_TRY_UNKNOWN;
        match = REPLY_FLOW;
    }
    unsigned cookie_try;
    if (match == REPLY_COOKIE && cookie_check(cfg->scan_id, &probe, cookie, &cookie_try) &&
        (try_no == PLAN_TRY_UNKNOWN || cookie_try == try_no))
        try_no = cookie_try;
    else if (match == REPLY_COOKIE && error)
        return FALSE; /* it quotes a packet we did not send */
    if (!sched_wants(e->sched, job - 1, (guint)pi, try_no))
        return FALSE;
    *out = (attribution){job - 1, (guint)pi, try_no};
    return TRUE;
}

/* Which probe, and which try of it, pkt answers. A reply that names its try
 * with a cookie beats one that only matches a probe's flow. A port probe's
 * flow names its try too (its source port), and the cookie must name the same
 * one. */
static gboolean attribute(const engine *e, const packet_view *pkt, attribution *out)
{
    const engine_config *cfg = e->cfg;
    gboolean found = FALSE;
    for (guint t = 0; t < cfg->plan->ntypes; t++) {
        const plan_type *pt = &cfg->plan->types[t];
        const scan_type *type = pt->type;
        if (type == &scan_proto)
            return attribute_proto(e, pt, pkt, out);
        if (type->build == NULL)
            continue;
        packet_flow probe;
        uint32_t cookie = 0;
        reply_match match = scan_reply_key(type, pkt, &probe, &cookie);
        if (match == REPLY_NONE || (found && match == REPLY_FLOW))
            continue;
        gboolean icmp = type->ip_proto == PACKET_ICMP;
        unsigned try_no;
        /* -PO: the protocol is the probe's "port"; only TCP and UDP have a
         * source port, which names the try. */
        gboolean any = type->any_ip_proto;
        gboolean ports = !any || probe.proto == PACKET_TCP || probe.proto == PACKET_UDP;
        if (!packet_addr_equal(&probe.src, &e->io->rt->src) ||
            (!any && !packet_proto_matches(type->ip_proto, probe.proto)))
            continue;
        if (ports && !plan_sport_try(pt, probe.sport, &try_no))
            continue;
        if (!ports)
            try_no = PLAN_TRY_UNKNOWN;
        guint job = job_of(e, &probe.dst);
        gint32 pi = probe_plan_find(cfg->plan, type, any ? probe.proto : icmp ? 0 : probe.dport);
        if (job == 0 || pi < 0)
            continue;
        unsigned cookie_try;
        /* A RST acknowledges a probe's --data-length bytes too; a reply to
         * one with ACK takes its number from that ack, data or none. */
        uint32_t data_len = cfg->extras && cfg->extras->data_set && !(type->tcp_flags & TCP_ACK)
                                ? (uint32_t)cfg->extras->data_len
                                : 0;
        gboolean checks = match == REPLY_COOKIE &&
                          scan_cookie_check(type, cfg->scan_id, &probe, cookie, data_len,
                                            (pkt->tcp_flags & TCP_RST) != 0, &cookie_try);
        /* A service's reply echoes the id of the request it got: with
         * --data-length, no request of ours but random bytes. nmap ties a UDP
         * reply by its ports alone. */
        if (match == REPLY_COOKIE && !checks && type->ip_proto == PACKET_UDP && !pkt->has_quote &&
            cfg->extras && cfg->extras->data_set)
            match = REPLY_FLOW;
        /* An ICMP error quoting a UDP probe whose IP ID is not its cookie (a
         * NAT or scrubber that rewrites IP IDs; the kernel no longer can,
         * COOKIE_LOW16_NONZERO) is tied by its quoted ports, which name the
         * try, as nmap ties every one (scan_engine_raw.cc get_pcap_result):
         * a closed port stays closed, not open|filtered. */
        if (match == REPLY_COOKIE && !checks && type->ip_proto == PACKET_UDP && pkt->has_quote &&
            !any)
            match = REPLY_FLOW;
        if (match == REPLY_COOKIE &&
            (!checks || (try_no != PLAN_TRY_UNKNOWN && cookie_try != try_no)))
            continue;
        if (match == REPLY_COOKIE)
            try_no = cookie_try;
        /* -g: nmap finds the try in the reply's numbers alone, and a RST to
         * a SYN with --data-length's bytes brings back none it reads
         * (fixed_sport_match.h): the probe stays unanswered, as nmap's. */
        if (match == REPLY_COOKIE && cfg->extras && cfg->extras->fixed_sport &&
            type->ip_proto == PACKET_TCP && !any && pkt->flow.proto == PACKET_TCP &&
            !pkt->has_quote &&
            !fixed_sport_nmap_matches(scan_cookie_make(type, cfg->scan_id, &probe, try_no), pkt))
            continue;
        if (!sched_wants(e->sched, job - 1, (guint)pi, try_no))
            continue;
        *out = (attribution){job - 1, (guint)pi, try_no};
        found = TRUE;
        if (match == REPLY_COOKIE)
            break;
    }
    return found;
}

#define ICMP_PROBE_OUT 1
#define ICMP_UNSETTLED 2

/* Words for the ICMP probe of the host nmap's receive loop marked
 * (common/proto_icmp_hack.h): final once the loop ends (an undecided probe
 * out is then open), else the words so far of a verdict still unsettled. */
static void proto_icmp_words(engine *e, guint pi, const proto_icmp_settle *st, gboolean final,
                             gint64 wall)
{
    guint job = job_of(e, &st->host);
    if (job == 0 || !(e->icmp_probe_out[job - 1] & ICMP_PROBE_OUT))
        return;
    if (final && sched_wants(e->sched, job - 1, pi, SCHED_TRY_UNKNOWN)) {
        decide(e, job - 1, pi, SCHED_TRY_UNKNOWN, (verdict){PORT_OPEN, st->why}, st->ttl, wall);
    } else if (e->icmp_probe_out[job - 1] & ICMP_UNSETTLED) {
        port_result *r = &e->jobs[job - 1].host->ports[pi];
        r->why = (uint8_t)st->why;
        r->ttl = st->ttl;
    }
    if (final)
        e->icmp_probe_out[job - 1] &= (guint8)~ICMP_UNSETTLED;
}

/* nmap's -sO over IPv4 (get_pcap_result, "protoscanicmphack"): any ICMP
 * message from a target whose ICMP probe is out makes that protocol open
 * (decided at once, so that the probe is not sent again), worded when nmap's
 * receive loop ends (proto_icmp_hack_read()). decided: pkt just decided
 * another probe. wall: the packet's time (microseconds). */
static void proto_icmp_quirk(engine *e, const packet_view *pkt, gboolean decided, gint64 wall)
{
    const probe_plan *plan = e->cfg->plan;
    gint32 pi = probe_plan_find(plan, &scan_proto, PACKET_ICMP);
    if (pi < 0 || !packet_addr_is_ipv4(&pkt->flow.src))
        return;
    proto_icmp_settle st;
    if (proto_icmp_hack_expired(&e->icmp_hack, wall, &st))
        proto_icmp_words(e, (guint)pi, &st, TRUE, wall);
    guint job = job_of(e, &pkt->flow.src);
    if (pkt->flow.proto == PACKET_ICMP && job && (e->icmp_probe_out[job - 1] & ICMP_PROBE_OUT) &&
        sched_wants(e->sched, job - 1, (guint)pi, SCHED_TRY_UNKNOWN)) {
        verdict v = {PORT_OPEN, proto_icmp_reason(pkt)};
        decide(e, job - 1, (guint)pi, SCHED_TRY_UNKNOWN, v, pkt->ttl, wall);
        e->icmp_probe_out[job - 1] |= ICMP_UNSETTLED;
    }
    if (proto_icmp_hack_read(&e->icmp_hack, pkt, job != 0, decided, wall, &st))
        proto_icmp_words(e, (guint)pi, &st, TRUE, wall);
    else if (e->icmp_hack.marked)
        proto_icmp_words(
            e, (guint)pi,
            &(proto_icmp_settle){e->icmp_hack.host, e->icmp_hack.why, e->icmp_hack.ttl}, FALSE,
            wall);
}

/* -sO over IPv4: our echo request to a target, the ICMP protocol's probe,
 * which the capture filter passes even without -w (raw_engine_filter()) and
 * the receiver hands over with the replies, in the capture's order. Reads
 * only what never changes during the run: on either thread. */
static gboolean is_icmp_probe(const engine *e, const packet_view *pkt)
{
    return e->icmp_probe_out != NULL && pkt->flow.proto == PACKET_ICMP &&
           pkt->icmp_type == ICMP_ECHO && !pkt->has_quote &&
           packet_addr_equal(&pkt->flow.src, &e->io->rt->src);
}

/* The ICMP protocol's probe is out once it is on the wire, not once queued:
 * a sendmmsg() batch puts the probes before it on the wire first, and on a
 * fast link their answers are captured before the echo request leaves.
 * proto_icmp_quirk() takes ICMP messages for protocol 1 only after it, in
 * the capture's order, as the plugin reads the -w capture. TRUE: pkt was
 * that probe. */
static gboolean icmp_probe_seen(engine *e, const packet_view *pkt)
{
    if (!is_icmp_probe(e, pkt))
        return FALSE;
    guint job = job_of(e, &pkt->flow.dst);
    if (job)
        e->icmp_probe_out[job - 1] |= ICMP_PROBE_OUT;
    return TRUE;
}

/* src_mac: the Ethernet source of the frame that carried pkt, or NULL. A reply
 * from a target reached without a gateway came from its own interface, whose
 * address nmap reports whatever told it (scan_engine_raw.cc,
 * setTargetMACIfAvailable(): after --send-ip's pings too). */
static void judge_ip(engine *e, const packet_view *pkt, const uint8_t *src_mac, gint64 wall)
{
    attribution a;
    verdict v;
    gboolean decided = FALSE;
    if (attribute(e, pkt, &a)) {
        host_result *h = e->jobs[a.hi].host;
        if (src_mac && h->on_link && !h->has_mac && packet_addr_equal(&pkt->flow.src, &h->addr)) {
            h->has_mac = TRUE;
            memcpy(h->mac, src_mac, 6);
        }
        decided = e->cfg->plan->probes[a.pi].type->judge(pkt, &v);
    }
    if (decided)
        decide(e, a.hi, a.pi, a.try_no, v, pkt->ttl, wall);
    if (plan_entry(e, &scan_proto))
        proto_icmp_quirk(e, pkt, decided, wall);
}

static void judge_arp(engine *e, const arp_view *reply, gint64 wall)
{
    packet_addr sender = packet_addr_from_ipv4(reply->sender_ip);
    guint job = job_of(e, &sender);
    gint32 pi = probe_plan_find(e->cfg->plan, &ping_arp, 0);
    if (job == 0 || pi < 0 || !sched_wants(e->sched, job - 1, (guint)pi, SCHED_TRY_UNKNOWN))
        return;
    arp_view asked = {.op = ARP_REQUEST,
                      .sender_ip = packet_addr_low32(&e->io->rt->src),
                      .target_ip = reply->sender_ip};
    verdict v;
    if (!arp_answers(&asked, reply, &v))
        return;
    host_result *h = e->jobs[job - 1].host;
    h->has_mac = TRUE;
    memcpy(h->mac, reply->sender_mac, 6);
    decide(e, job - 1, (guint)pi, SCHED_TRY_UNKNOWN, v, 0, wall);
}

/* A neighbor advertisement to us, for a target we solicited. */
static void judge_nd(engine *e, const packet_view *pkt, gint64 wall)
{
    packet_addr target;
    uint8_t mac[6];
    bool has_mac;
    if (!nd_advert_parse(pkt, &target, mac, &has_mac) ||
        !packet_addr_equal(&pkt->flow.dst, &e->io->rt->src))
        return;
    guint job = job_of(e, &target);
    gint32 pi = probe_plan_find(e->cfg->plan, &ping_nd, 0);
    if (job == 0 || pi < 0 || !sched_wants(e->sched, job - 1, (guint)pi, SCHED_TRY_UNKNOWN))
        return;
    host_result *h = e->jobs[job - 1].host;
    verdict v;
    if (!nd_answers(&h->addr, &target, &v))
        return;
    h->has_mac = has_mac;
    if (has_mac)
        memcpy(h->mac, mac, 6);
    decide(e, job - 1, (guint)pi, SCHED_TRY_UNKNOWN, v, 0, wall);
}

/* A frame the receiver thread handed over (judge_frames()): parsed again
 * here, where the sched and the hosts' results are. */
static void judge_frame(engine *e, const uint8_t *frame, size_t caplen, gint64 wall)
{
    size_t len;
    const uint8_t *ip = link_ipv4(e->dlt, frame, caplen, &len);
    if (ip == NULL)
        ip = link_ipv6(e->dlt, frame, caplen, &len);
    packet_view pkt;
    arp_view av;
    if (ip && packet_parse(ip, len, &pkt)) {
        /* Sent to one of our own addresses, it comes back from the target:
         * nmap's receive loop reads it as an ICMP message from that host. */
        if (icmp_probe_seen(e, &pkt) && !packet_addr_equal(&pkt.flow.dst, &pkt.flow.src))
            return;
        if (engine_tracing(e->cfg))
            trace_packet(e, "RCVD", wall, ip, &pkt);
        if (pkt.flow.proto == PACKET_ICMPV6 && pkt.icmp_type == ICMPV6_NEIGHBOR_ADVERT)
            judge_nd(e, &pkt, wall);
        else
            judge_ip(e, &pkt, e->dlt == DLT_EN10MB && caplen >= 12 ? frame + 6 : NULL, wall);
        return;
    }
    const uint8_t *arp = ip ? NULL : link_arp(e->dlt, frame, caplen, &len);
    if (arp && arp_parse(arp, len, &av)) {
        if (engine_tracing(e->cfg))
            trace_arp(e, "RCVD", wall, &av);
        judge_arp(e, &av, wall);
    }
}

/* Judges every frame handed over so far. */
static void judge_frames(engine *e)
{
    const uint8_t *frame;
    size_t len;
    gint64 wall;
    while ((frame = frame_ring_peek(e->frames, &len, &wall)) != NULL) {
        judge_frame(e, frame, len, wall);
        frame_ring_pop(e->frames);
    }
}

/* On the receiver thread: writes -w, counts what nmap counts as received, and
 * hands over what may answer a probe, with its capture time, to the engine's
 * thread (frame_ring.h). Our own probes and resets (in the filter for -w) go
 * no further; it reads only what never changes during the run (the plan,
 * the route). A full ring is waited out, not dropped from: every reply
 * counts. */
static void on_frame(void *ctx, const struct pcap_pkthdr *hdr, const u_char *frame)
{
    engine *e = ctx;
    gint64 wall = (gint64)hdr->ts.tv_sec * G_USEC_PER_SEC + hdr->ts.tv_usec;
    if (e->io->cap)
        capture_write(e->io->cap, hdr, frame);
    size_t len;
    const uint8_t *ip = link_ipv4(e->dlt, frame, hdr->caplen, &len);
    if (ip == NULL)
        ip = link_ipv6(e->dlt, frame, hdr->caplen, &len);
    const uint8_t *arp = ip ? NULL : link_arp(e->dlt, frame, hdr->caplen, &len);
    packet_view pkt;
    arp_view av;
    gboolean parsed = ip && packet_parse(ip, len, &pkt);
    gboolean wanted = FALSE;
    /* Received as nmap counts it: what is addressed to us (its filter is "dst
     * host" ours), not our own probes, resets or decoys seen going out. */
    if (parsed && packet_addr_equal(&pkt.flow.dst, &e->io->rt->src))
        packet_stats_received(len);
    if (parsed) {
        wanted = !is_ours(e, &pkt) || is_icmp_probe(e, &pkt);
    } else if (arp && arp_parse(arp, len, &av) && av.op == ARP_REPLY &&
               av.target_ip == packet_addr_low32(&e->io->rt->src)) {
        packet_stats_received(ARP_MESSAGE_LEN);
        wanted = TRUE;
    }
    while (wanted && !atomic_load(&e->closed) &&
           !frame_ring_push(e->frames, frame, hdr->caplen, wall)) {
        frame_ring_kick(e->frames);
        g_usleep(100);
    }
}

static void told_send_error(engine *e, const packet_addr *dst)
{
    if (e->send_error_told)
        return;
    /* The probe counts as sent and unanswered; say why once. */
    char text[PACKET_ADDR_TEXT];
    g_printerr("WARNING: sending to %s failed: %s\n", packet_addr_format(dst, text),
               g_strerror(errno));
    e->send_error_told = TRUE;
}

static send_result send_arp(engine *e, guint hi, uint8_t try_no, gint64 now)
{
    const scan_io *l = e->io;
    uint8_t frame[ARP_FRAME_LEN];
    uint32_t dst = packet_addr_low32(&e->jobs[hi].host->addr);
    size_t len = arp_request_build(arp_sender_mac(l->arp), packet_addr_low32(&l->rt->src), dst,
                                   e->cfg->scan_id, try_no, frame, sizeof frame);
    send_result r = arp_sender_send(l->arp, frame, len);
    enum { ETHER_HEADER = 14 };
    arp_view av;
    if (r != SEND_AGAIN && engine_tracing(e->cfg) &&
        arp_parse(frame + ETHER_HEADER, len - ETHER_HEADER, &av))
        trace_arp(e, "SENT", now + e->mono_to_real, &av);
    return r;
}

/* The solicitation goes to the target's solicited-node multicast address on
 * the route's interface: the raw IPv6 socket needs its index as the scope. */
static send_result send_nd(engine *e, guint hi, uint8_t try_no, gint64 now)
{
    const scan_io *l = e->io;
    uint8_t buf[ND_SOLICIT_LEN];
    const packet_addr *target = &e->jobs[hi].host->addr;
    size_t len = nd_solicit_build(arp_sender_mac(l->arp), &l->rt->src, target, e->cfg->scan_id,
                                  try_no, buf, sizeof buf);
    g_assert(len > 0);
    packet_addr dst = nd_solicited_node(target);
    send_result r = sender_send(l->tx, buf, len, &dst, if_nametoindex(l->rt->device));
    packet_view pkt;
    if (r != SEND_AGAIN && e->cfg->trace && packet_parse(buf, len, &pkt))
        trace_packet(e, "SENT", now + e->mono_to_real, buf, &pkt);
    return r;
}

/* One packet, whole or, with -f/--mtu, as IPv4 fragments (ip_fragment.h). A
 * fragment the socket cannot take now makes the probe SEND_AGAIN only while
 * none went out. */
static send_result send_packet(engine *e, const uint8_t *packet, size_t len, guint hi)
{
    const scan_io *io = e->io;
    const packet_addr *dst = &e->jobs[hi].host->addr;
    unsigned mtu = e->cfg->fragment_mtu;
    if (mtu == 0 || !packet_addr_is_ipv4(dst) || ip_fragment_count(len, 20, mtu) < 2)
        return sender_send(io->tx, packet, len, dst, io->rt->scope);
    uint8_t frag[PROBE_MAX_LEN];
    send_result r = SEND_OK;
    for (unsigned i = 0;; i++) {
        size_t n = ip_fragment_build(packet, len, mtu, i, frag, sizeof frag);
        if (n == 0)
            break;
        send_result ri = sender_send(io->tx, frag, n, dst, io->rt->scope);
        if (ri != SEND_OK)
            return i == 0 ? ri : SEND_FAILED;
    }
    return r;
}

/* Probe pi's try for host hi, built into buf (PROBE_MAX_LEN bytes); its
 * length. */
static size_t build_ip(engine *e, guint hi, guint pi, uint8_t try_no, uint8_t *buf)
{
    const engine_config *cfg = e->cfg;
    const probe_def *p = &cfg->plan->probes[pi];
    const plan_type *pt = plan_entry(e, p->type);
    gboolean icmp = p->type->ip_proto == PACKET_ICMP;
    const packet_addr *dst = &e->jobs[hi].host->addr;
    /* An echo over IPv6 is ICMPv6's, and its cookie hashes that protocol, as
     * the reply's flow has it. */
    uint8_t proto = icmp && !packet_addr_is_ipv4(dst) ? PACKET_ICMPV6 : p->type->ip_proto;
    uint16_t dport = p->port;
    gboolean ports = !icmp;
    if (p->type->any_ip_proto) {
        /* -PO: the "port" is the protocol (ping_proto.c). */
        proto = (uint8_t)p->port;
        dport = ping_proto_dport(proto);
        ports = proto == PACKET_TCP || proto == PACKET_UDP;
    }
    probe_spec spec = {.flow = {.src = e->io->rt->src,
                                .dst = *dst,
                                .sport = ports ? plan_try_sport(pt, try_no) : 0,
                                .dport = dport,
                                .proto = proto},
                       .scan_id = cfg->scan_id,
                       .try_no = try_no,
                       .extras = cfg->extras};
    if (p->type == &scan_proto) /* the "port" is the protocol */
        spec.flow = proto_probe_flow(&e->io->rt->src, dst, (uint8_t)p->port,
                                     plan_try_sport(pt, try_no), cfg->scan_id, try_no);
    size_t len = scan_probe_build(p->type, &spec, buf, PROBE_MAX_LEN);
    g_assert(len > 0);
    return len;
}

/* Probe pi's try for host hi, sent at once, packet by packet. */
/* The probe in buf (len bytes) as the i-th of -D's copies: buf itself at
 * ME's place (me), else a copy in copy from the decoy's address. */
static const uint8_t *decoy_copy(const engine_config *cfg, const uint8_t *buf, size_t len, guint i,
                                 guint me, uint8_t copy[PROBE_MAX_LEN])
{
    if (i == me)
        return buf;
    memcpy(copy, buf, len);
    decoys_set_source(copy, len, &cfg->decoys->addrs[i < me ? i : i - 1]);
    return copy;
}

static send_result send_ip(engine *e, guint hi, guint pi, uint8_t try_no, gint64 now)
{
    const engine_config *cfg = e->cfg;
    uint8_t buf[PROBE_MAX_LEN];
    size_t len = build_ip(e, hi, pi, try_no, buf);
    /* -D: the same probe from each decoy, in the list's order, ours at ME's
     * place (nmap's sendIPScanProbe loop); only ours decides SEND_AGAIN. */
    guint copies = cfg->decoys ? cfg->decoys->count + 1 : 1;
    guint me = cfg->decoys ? cfg->decoys->me : 0;
    send_result r = SEND_OK;
    for (guint i = 0; i < copies; i++) {
        uint8_t copy[PROBE_MAX_LEN];
        const uint8_t *packet = decoy_copy(cfg, buf, len, i, me, copy);
        send_result ri = send_packet(e, packet, len, hi);
        if (i == me) {
            r = ri;
            if (r == SEND_AGAIN)
                return r;
        }
        packet_view pkt;
        if (ri != SEND_AGAIN && engine_tracing(cfg) && packet_parse(packet, len, &pkt))
            trace_packet(e, "SENT", now + e->mono_to_real, packet, &pkt);
    }
    return r;
}

/* Sends the batch with one sendmmsg(). The receiver thread goes on reading
 * meanwhile: it shares no lock with this one (frame_ring.h). The probes were
 * sched_sent() when queued; those the socket could not take are taken back
 * (sched_revert()), last first. FALSE: the socket was full, back off
 * briefly. */
static gboolean flush_batch(engine *e)
{
    sender *tx = e->io->tx;
    guint npackets = sender_queued(tx);
    if (npackets == 0)
        return TRUE;
    send_result res[SENDER_BATCH];
    int err = sender_flush(tx, res);
    gboolean full = FALSE;
    for (guint q = e->nbatch; q-- > 0;) {
        const queued_probe *p = &e->batch[q];
        send_result r = res[p->mine];
        /* A fragment the socket could not take after the first went out
         * leaves the probe sent and unanswered, as send_packet() has it. */
        for (guint k = 1; r == SEND_OK && k < p->nmine; k++)
            if (res[p->mine + k] != SEND_OK)
                r = SEND_FAILED;
        if (r == SEND_AGAIN) {
            sched_revert(e->sched, p->hi, p->pi);
            full = TRUE;
        } else if (r == SEND_FAILED) {
            errno = err;
            told_send_error(e, &e->jobs[p->hi].host->addr);
        }
    }
    for (guint q = 0; q < e->nbatch && engine_tracing(e->cfg); q++) {
        const queued_probe *p = &e->batch[q];
        for (guint i = p->first; i < p->first + p->n; i++) {
            size_t len;
            const uint8_t *packet = sender_batch_packet(tx, i, &len);
            packet_view pkt;
            if (res[i] != SEND_AGAIN && packet_parse(packet, len, &pkt))
                trace_packet(e, "SENT", p->now + e->mono_to_real, packet, &pkt);
        }
    }
    e->nbatch = 0;
    return !full;
}

/* Builds probe pi's try for host hi into the sender's batch (every decoy's
 * copy, every fragment), flushing it first when it has no room, and marks it
 * sent. A probe of more packets than a batch holds (many decoys, small
 * fragments) goes out at once by send_ip(). FALSE: the socket was full, the
 * probe waits for its turn again. */
static gboolean queue_ip(engine *e, guint hi, guint pi, uint8_t try_no, gint64 now)
{
    const engine_config *cfg = e->cfg;
    const scan_io *io = e->io;
    const packet_addr *dst = &e->jobs[hi].host->addr;
    uint8_t buf[PROBE_MAX_LEN];
    size_t len = build_ip(e, hi, pi, try_no, buf);
    guint copies = cfg->decoys ? cfg->decoys->count + 1 : 1;
    guint me = cfg->decoys ? cfg->decoys->me : 0;
    unsigned mtu = cfg->fragment_mtu;
    gboolean fragment =
        mtu != 0 && packet_addr_is_ipv4(dst) && ip_fragment_count(len, 20, mtu) >= 2;
    guint nfrag = fragment ? ip_fragment_count(len, 20, mtu) : 1;
    guint need = copies * nfrag;
    if (need > SENDER_BATCH || sender_queued(io->tx) + need > SENDER_BATCH) {
        if (!flush_batch(e)) {
            sched_unsent(e->sched, hi, pi);
            return FALSE;
        }
    }
    if (need > SENDER_BATCH) {
        send_result r = send_ip(e, hi, pi, try_no, now);
        if (r == SEND_AGAIN) {
            sched_unsent(e->sched, hi, pi);
            return FALSE;
        }
        if (r == SEND_FAILED)
            told_send_error(e, dst);
        sched_sent(e->sched, hi, pi, now);
        return TRUE;
    }
    queued_probe *q = &e->batch[e->nbatch++];
    *q = (queued_probe){.hi = hi,
                        .pi = pi,
                        .first = sender_queued(io->tx),
                        .n = need,
                        .mine = sender_queued(io->tx) + me * nfrag,
                        .nmine = nfrag,
                        .now = now};
    /* -D: the same probe from each decoy, in the list's order, ours at ME's
     * place (nmap's sendIPScanProbe loop). */
    for (guint i = 0; i < copies; i++) {
        uint8_t copy[PROBE_MAX_LEN];
        const uint8_t *packet = decoy_copy(cfg, buf, len, i, me, copy);
        for (guint f = 0; f < nfrag; f++) {
            uint8_t frag[PROBE_MAX_LEN];
            const uint8_t *out = packet;
            size_t n = len;
            if (fragment) {
                n = ip_fragment_build(packet, len, mtu, f, frag, sizeof frag);
                g_assert(n > 0);
                out = frag;
            }
            gboolean queued = sender_queue(io->tx, out, n, dst, io->rt->scope);
            g_assert(queued);
        }
    }
    sched_sent(e->sched, hi, pi, now);
    return TRUE;
}

/* Sends what the sched allows, IP probes a batch at a time (ARP and ND ones
 * one by one, after the batch before them). FALSE: a socket was full, back
 * off briefly. */
static gboolean send_some(engine *e, gint64 now)
{
    guint hi, pi;
    uint8_t try_no;
    while (sched_next(e->sched, now, &hi, &pi, &try_no)) {
        /* Timed per probe, not per batch: building a batch is quick, but a
         * probe is stamped when queued, the syscall up to a batch later. */
        now = g_get_monotonic_time();
        const scan_type *type = e->cfg->plan->probes[pi].type;
        if (!is_arp(type) && !is_nd(type)) {
            if (!queue_ip(e, hi, pi, try_no, now))
                return FALSE;
            continue;
        }
        if (!flush_batch(e)) {
            sched_unsent(e->sched, hi, pi);
            return FALSE;
        }
        send_result r = is_arp(type) ? send_arp(e, hi, try_no, now) : send_nd(e, hi, try_no, now);
        if (r == SEND_AGAIN) {
            sched_unsent(e->sched, hi, pi);
            return FALSE;
        }
        if (r == SEND_FAILED)
            told_send_error(e, &e->jobs[hi].host->addr);
        sched_sent(e->sched, hi, pi, now);
    }
    return flush_batch(e);
}

static void engine_init(engine *e, const engine_config *cfg, const scan_io *io, engine_job *jobs,
                        guint njobs)
{
    memset(e, 0, sizeof *e);
    e->cfg = cfg;
    e->io = io;
    e->jobs = jobs;
    e->njobs = njobs;
    e->dlt = pcap_datalink(receiver_handle(io->rx));
    e->frames = frame_ring_new(FRAME_RING_BYTES);
    if (e->frames == NULL)
        g_error("cannot make the receiver's frame ring: %s", g_strerror(errno));
    atomic_init(&e->closed, false);
    gint64 now = g_get_monotonic_time();
    e->mono_to_real = g_get_real_time() - now;
    sched_config sc = engine_sched_config(cfg, njobs, cfg->window);
    e->sched = sched_new(&sc, now);
    e->wake_room = CLAMP(sc.window / 8, 1, SENDER_BATCH / 2);
    e->job_by_addr = g_hash_table_new(addr_hash, addr_equal);
    if (probe_plan_find(cfg->plan, &scan_proto, PACKET_ICMP) >= 0)
        e->icmp_probe_out = g_new0(guint8, njobs);
    for (guint i = 0; i < njobs; i++) {
        host_result *h = jobs[i].host;
        engine_set_host(e->sched, cfg, i, &jobs[i]);
        g_hash_table_insert(e->job_by_addr, &h->addr, GUINT_TO_POINTER(i + 1));
        if (!cfg->discovery && h->start == 0) /* -sU -sT: the raw part went first */
            h->start = h->end = now + e->mono_to_real;
    }
    e->line = g_string_sized_new(256);
}

static void engine_clear(engine *e)
{
    sched_free(e->sched);
    g_hash_table_unref(e->job_by_addr);
    g_free(e->icmp_probe_out);
    g_string_free(e->line, TRUE);
    frame_ring_free(e->frames);
}

/* Sleeps until the deadline, or until enough replies came to be worth
 * judging: as many as would open the window for a good part of a batch when
 * it is nearly full (a wake-up, a context switch, every reply measured a
 * third slower), else the first (it may end the scan, or a host). With a
 * full socket (backoff) replies do not help: the deadline alone. */
static void wait_frames(engine *e, gboolean backoff, gint64 deadline)
{
    guint room = sched_window_room(e->sched);
    guint count = backoff ? G_MAXUINT : room < e->wake_room ? e->wake_room - room : 1;
    frame_ring_wait(e->frames, count, deadline);
}

void raw_engine_run(const engine_config *cfg, const scan_io *io, engine_job *jobs, guint njobs)
{
    if (njobs == 0 || cfg->plan->nprobes == 0)
        return;
    g_autofree char *filter =
        raw_engine_filter(cfg->plan, &io->rt->src, asks_arp(cfg->plan, jobs, njobs), cfg->decoys,
                          cfg->fragment_mtu != 0, io->cap != NULL);
    GError *error = NULL;
    if (!receiver_set_filter(io->rx, filter, &error)) {
        /* Our own filter: failing to compile it is a bug, not bad input. */
        g_error("%s", error->message);
    }
    engine e;
    engine_init(&e, cfg, io, jobs, njobs);
    receiver_start(io->rx, on_frame, &e);
    while (!sched_done(e.sched) && !interrupt_signal()) {
        /* Replies first: one that came before a probe's timeout must decide
         * it before sched_expire() takes it for lost. */
        judge_frames(&e);
        gint64 now = g_get_monotonic_time();
        sched_expire(e.sched, now, on_silent, &e);
        gboolean backoff = !send_some(&e, now);
        if (sched_done(e.sched))
            break;
        /* A full socket buffer drains within a millisecond or so. */
        gint64 deadline = backoff ? MIN(sched_deadline(e.sched, now, FALSE), now + 1000)
                                  : sched_deadline(e.sched, now, TRUE);
        if (deadline > now)
            wait_frames(&e, backoff, deadline);
    }
    atomic_store(&e.closed, true);
    if (cfg->trace)
        fflush(cfg->trace);
    for (guint i = 0; i < njobs; i++) {
        if (!sched_host_done(e.sched, i))
            jobs[i].host->incomplete = TRUE;
        if (sched_host_timed_out(e.sched, i))
            jobs[i].host->timed_out = TRUE;
    }
    /* Let our kernel's resets to the last SYN-ACKs reach the capture. */
    receiver_stop(io->rx, io->cap ? 20 * 1000 : 0);
    engine_clear(&e);
}
