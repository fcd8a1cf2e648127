#include "engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cookie.h"
#include "link.h"
#include "packet_trace.h"
#include "rate.h"

enum slot_status { SLOT_FRESH, SLOT_IN_FLIGHT, SLOT_WAITING, SLOT_DONE };

typedef struct slot {
    gint64 sent_at; /* monotonic us, of the latest try */
    uint8_t tries;  /* transmissions so far */
    uint8_t status;
} slot;

/* A FIFO of port indices; each port is in a given ring at most once. */
typedef struct ring {
    guint16 *items;
    guint head, count, cap;
} ring;

typedef struct host_state {
    host_result *res;
    ring in_flight, waiting;
    guint next_fresh; /* into engine.order */
    guint pending;    /* ports without a verdict */
} host_state;

typedef struct engine {
    const engine_config *cfg;
    const route *rt;
    sender *tx;
    capture *cap;
    int dlt;

    GMutex lock; /* guards everything below: the receiver thread judges replies */
    GCond changed;

    slot *slots; /* host-major: slots[h * nports + p] */
    host_state *hosts;
    guint nhosts;
    GHashTable *host_by_addr; /* address -> index + 1 */
    gint32 *port_index;       /* port -> index into cfg->ports, or -1 */
    guint16 *order;           /* the order fresh probes go out in */

    guint64 remaining; /* slots without a verdict */
    guint in_flight;
    guint64 sent;
    guint rr; /* round-robin position over hosts */
    rate_limit rate;
    gint64 start;        /* monotonic */
    gint64 mono_to_real; /* add to a monotonic time to get wall-clock time */
    GString *line;
    gboolean send_error_told;
} engine;

static void ring_init(ring *r, guint cap)
{
    r->items = g_new(guint16, cap);
    r->head = r->count = 0;
    r->cap = cap;
}

static void ring_push(ring *r, guint16 v)
{
    g_assert(r->count < r->cap);
    r->items[(r->head + r->count++) % r->cap] = v;
}

static guint16 ring_peek(const ring *r)
{
    return r->items[r->head];
}

static guint16 ring_pop(ring *r)
{
    guint16 v = r->items[r->head];
    r->head = (r->head + 1) % r->cap;
    r->count--;
    return v;
}

static const char *proto_word(uint8_t proto)
{
    return proto == PACKET_UDP ? "udp" : "tcp";
}

char *engine_filter(const engine_config *cfg, uint32_t src)
{
    char ip[INET_ADDRSTRLEN];
    struct in_addr a = {.s_addr = g_htonl(src)};
    inet_ntop(AF_INET, &a, ip, sizeof ip);
    const char *p = proto_word(cfg->type->ip_proto);
    return g_strdup_printf("(dst host %s and ((%s dst port %u) or icmp)) or "
                           "(src host %s and %s src port %u)",
                           ip, p, cfg->sport, ip, p, cfg->sport);
}

static slot *slot_at(engine *e, guint host, guint port)
{
    return &e->slots[(gsize)host * e->cfg->nports + port];
}

static void trace_packet(engine *e, const char *dir, gint64 wall, const uint8_t *ip,
                         const packet_view *pkt)
{
    g_string_truncate(e->line, 0);
    packet_trace_format(e->line, dir, (double)(wall - e->cfg->trace_zero) / 1e6, ip, pkt);
    fputs(e->line->str, e->cfg->trace);
}

static void finish(engine *e, host_state *h, slot *s, port_result *r, verdict v, uint8_t ttl,
                   gint64 wall)
{
    if (s->status == SLOT_IN_FLIGHT)
        e->in_flight--;
    s->status = SLOT_DONE;
    r->state = (uint8_t)v.state;
    r->why = (uint8_t)v.why;
    r->ttl = ttl;
    e->remaining--;
    if (--h->pending == 0)
        h->res->end = wall;
}

/* Our own probes and our kernel's resets come through the filter too (for the
 * capture); they are not replies. Direction decides first: a service that
 * echoes its request (SNMP, say) sends our tag back inside its reply. */
static gboolean is_ours(const engine *e, const packet_view *pkt)
{
    if (pkt->flow.src != e->rt->src || pkt->flow.sport != e->cfg->sport ||
        pkt->flow.proto != e->cfg->type->ip_proto)
        return FALSE;
    probe_tag tag;
    if (scan_type_of_probe(pkt, &tag) && tag.scan_id == e->cfg->scan_id)
        return TRUE;
    return scan_is_teardown(e->cfg->type, pkt);
}

static void judge_reply(engine *e, const packet_view *pkt, gint64 wall)
{
    const engine_config *cfg = e->cfg;
    packet_flow probe;
    uint32_t cookie = 0;
    reply_match match = scan_reply_key(cfg->type, pkt, &probe, &cookie);
    if (match == REPLY_NONE)
        return;
    if (probe.src != e->rt->src || probe.sport != cfg->sport || probe.proto != cfg->type->ip_proto)
        return;
    guint hi = GPOINTER_TO_UINT(g_hash_table_lookup(e->host_by_addr, GUINT_TO_POINTER(probe.dst)));
    gint32 pi = e->port_index[probe.dport];
    if (hi == 0 || pi < 0)
        return;
    host_state *h = &e->hosts[hi - 1];
    slot *s = slot_at(e, hi - 1, (guint)pi);
    unsigned try_no;
    if (match == REPLY_COOKIE) {
        if (!cookie_check(cfg->scan_id, &probe, cookie, &try_no) || try_no >= s->tries)
            return;
    } else {
        /* Only the flow ties it to the probe: it answers some try, which one
         * is unknown, so it is not timed (Karn). */
        if (s->tries == 0)
            return;
        try_no = COOKIE_MAX_TRIES;
    }
    verdict v;
    if (s->status == SLOT_DONE || !cfg->type->judge(pkt, &v))
        return;
    /* Only the latest try has its send time kept; an earlier try's reply is
     * attributed all the same, just not timed. */
    if (try_no + 1u == s->tries && s->status == SLOT_IN_FLIGHT) {
        gint64 rtt = wall - e->mono_to_real - s->sent_at;
        rtt_sample(&h->res->rtt, rtt);
        rtt_sample(cfg->run_rtt, rtt);
    }
    finish(e, h, s, &h->res->ports[pi], v, pkt->ttl, wall);
    g_cond_signal(&e->changed);
}

static void on_frame(void *ctx, const struct pcap_pkthdr *hdr, const u_char *frame)
{
    engine *e = ctx;
    gint64 wall = (gint64)hdr->ts.tv_sec * G_USEC_PER_SEC + hdr->ts.tv_usec;
    g_mutex_lock(&e->lock);
    if (e->cap)
        capture_write(e->cap, hdr, frame);
    size_t len;
    const uint8_t *ip = link_ipv4(e->dlt, frame, hdr->caplen, &len);
    packet_view pkt;
    if (ip && packet_parse(ip, len, &pkt) && !is_ours(e, &pkt)) {
        if (e->cfg->trace)
            trace_packet(e, "RCVD", wall, ip, &pkt);
        judge_reply(e, &pkt, wall);
    }
    g_mutex_unlock(&e->lock);
}

/* Like nmap, a host that has never answered waits as long as the other hosts
 * take to answer, not the initial second: on a LAN, the addresses where nobody
 * lives would otherwise take seconds each. */
static gint64 host_timeout(const engine *e, const host_state *h)
{
    return h->res->rtt.srtt >= 0 ? h->res->rtt.timeout : e->cfg->run_rtt->timeout;
}

/* Moves timed-out probes to the retransmission ring, or gives them the silent
 * verdict when they have had all their tries. */
static void expire(engine *e, gint64 now)
{
    const engine_config *cfg = e->cfg;
    for (guint hi = 0; hi < e->nhosts; hi++) {
        host_state *h = &e->hosts[hi];
        gint64 timeout = host_timeout(e, h);
        while (h->in_flight.count) {
            guint16 pi = ring_peek(&h->in_flight);
            slot *s = slot_at(e, hi, pi);
            if (s->status == SLOT_IN_FLIGHT && now - s->sent_at < timeout)
                break;
            ring_pop(&h->in_flight);
            if (s->status != SLOT_IN_FLIGHT)
                continue;
            if (s->tries <= cfg->max_retries) {
                e->in_flight--;
                s->status = SLOT_WAITING;
                ring_push(&h->waiting, pi);
            } else {
                finish(e, h, s, &h->res->ports[pi], cfg->type->silent, 0, now + e->mono_to_real);
            }
        }
    }
}

/* The next probe a host should send: a retransmission first, so old probes
 * finish, else a fresh one. */
static gboolean next_probe(engine *e, guint hi, guint16 *pi)
{
    host_state *h = &e->hosts[hi];
    while (h->waiting.count) {
        *pi = ring_pop(&h->waiting);
        if (slot_at(e, hi, *pi)->status == SLOT_WAITING)
            return TRUE;
    }
    if (h->next_fresh < e->cfg->nports) {
        *pi = e->order[h->next_fresh++];
        return TRUE;
    }
    return FALSE;
}

static gboolean has_probe(const engine *e, guint hi)
{
    const host_state *h = &e->hosts[hi];
    return h->waiting.count || h->next_fresh < e->cfg->nports;
}

static send_result send_probe(engine *e, guint hi, guint16 pi)
{
    const engine_config *cfg = e->cfg;
    slot *s = slot_at(e, hi, pi);
    probe_spec spec = {.flow = {.src = e->rt->src,
                                .dst = e->hosts[hi].res->addr,
                                .sport = cfg->sport,
                                .dport = cfg->ports[pi],
                                .proto = cfg->type->ip_proto},
                       .scan_id = cfg->scan_id,
                       .try_no = s->tries};
    uint8_t buf[PROBE_MAX_LEN];
    size_t len = scan_probe_build(cfg->type, &spec, buf, sizeof buf);
    g_assert(len > 0);
    /* Timed here, not per batch: a batch can take longer than a LAN round trip. */
    gint64 now = g_get_monotonic_time();
    send_result r = sender_send(e->tx, buf, len, spec.flow.dst);
    if (r == SEND_AGAIN)
        return r;
    if (r == SEND_FAILED && !e->send_error_told) {
        /* The probe counts as sent and unanswered; say why once. */
        g_printerr("WARNING: sending to %u.%u.%u.%u failed: %s\n", spec.flow.dst >> 24,
                   (spec.flow.dst >> 16) & 0xff, (spec.flow.dst >> 8) & 0xff, spec.flow.dst & 0xff,
                   g_strerror(errno));
        e->send_error_told = TRUE;
    }
    e->sent++;
    s->tries++;
    s->sent_at = now;
    s->status = SLOT_IN_FLIGHT;
    e->in_flight++;
    ring_push(&e->hosts[hi].in_flight, pi);
    packet_view pkt;
    if (cfg->trace && packet_parse(buf, len, &pkt))
        trace_packet(e, "SENT", now + e->mono_to_real, buf, &pkt);
    return r;
}

static gboolean window_open(const engine *e, gint64 now)
{
    if (e->in_flight < e->cfg->window)
        return TRUE;
    /* --min-rate overrides the window: fall behind it and we send regardless. */
    double elapsed = (double)(now - e->start) / 1e6;
    return e->cfg->min_rate > 0 && (double)e->sent < e->cfg->min_rate * elapsed;
}

/* Sends what the window and the rate allow, hosts in turn. Returns FALSE when
 * the socket is full and we should back off briefly. */
static gboolean send_some(engine *e, gint64 now)
{
    guint idle = 0; /* hosts in a row with nothing to send */
    while (idle < e->nhosts && window_open(e, now)) {
        guint hi = e->rr;
        if (!has_probe(e, hi)) {
            e->rr = (e->rr + 1) % e->nhosts;
            idle++;
            continue;
        }
        if (!rate_take(&e->rate, now))
            break;
        guint16 pi;
        if (!next_probe(e, hi, &pi))
            continue;
        if (send_probe(e, hi, pi) == SEND_AGAIN) {
            /* Put it back where it came from: at the front is not possible in
             * a FIFO, so mark it waiting; it goes out with the next batch. */
            slot *s = slot_at(e, hi, pi);
            if (s->status == SLOT_FRESH || s->status == SLOT_WAITING) {
                s->status = SLOT_WAITING;
                ring_push(&e->hosts[hi].waiting, pi);
            }
            return FALSE;
        }
        e->rr = (e->rr + 1) % e->nhosts;
        idle = 0;
    }
    return TRUE;
}

/* When something next needs doing: the oldest probe's timeout, or the next
 * token when there is something to send. */
static gint64 next_deadline(engine *e, gint64 now, gboolean backoff)
{
    gint64 when = now + 100 * 1000;
    for (guint hi = 0; hi < e->nhosts; hi++) {
        host_state *h = &e->hosts[hi];
        if (h->in_flight.count) {
            slot *s = slot_at(e, hi, ring_peek(&h->in_flight));
            when = MIN(when, s->sent_at + host_timeout(e, h));
        }
    }
    gboolean work = FALSE;
    for (guint hi = 0; hi < e->nhosts && !work; hi++)
        work = has_probe(e, hi);
    if (work && window_open(e, now))
        when = MIN(when, backoff ? now + 1000 : rate_next(&e->rate, now));
    return when;
}

static void engine_init(engine *e, const engine_config *cfg, const route *rt, sender *tx,
                        receiver *rx, capture *cap, host_result *hosts, guint nhosts)
{
    memset(e, 0, sizeof *e);
    e->cfg = cfg;
    e->rt = rt;
    e->tx = tx;
    e->cap = cap;
    e->dlt = pcap_datalink(receiver_handle(rx));
    g_mutex_init(&e->lock);
    g_cond_init(&e->changed);
    e->nhosts = nhosts;
    e->slots = g_new0(slot, (gsize)nhosts * cfg->nports);
    e->hosts = g_new0(host_state, nhosts);
    e->host_by_addr = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint hi = 0; hi < nhosts; hi++) {
        host_state *h = &e->hosts[hi];
        h->res = &hosts[hi];
        h->pending = cfg->nports;
        ring_init(&h->in_flight, cfg->nports);
        ring_init(&h->waiting, cfg->nports);
        rtt_init(&h->res->rtt);
        g_hash_table_insert(e->host_by_addr, GUINT_TO_POINTER(hosts[hi].addr),
                            GUINT_TO_POINTER(hi + 1));
    }
    e->port_index = g_new(gint32, 65536);
    for (guint p = 0; p < 65536; p++)
        e->port_index[p] = -1;
    e->order = g_new(guint16, cfg->nports);
    for (guint i = 0; i < cfg->nports; i++) {
        e->port_index[cfg->ports[i]] = (gint32)i;
        e->order[i] = (guint16)i;
    }
    /* Shuffled, as nmap does, so a firewall's rate limit on a run of adjacent
     * ports does not hit one block of them. */
    for (guint i = cfg->nports; i > 1; i--) {
        guint j = g_random_int_range(0, (gint32)i);
        guint16 t = e->order[i - 1];
        e->order[i - 1] = e->order[j];
        e->order[j] = t;
    }
    e->remaining = (guint64)nhosts * cfg->nports;
    e->start = g_get_monotonic_time();
    e->mono_to_real = g_get_real_time() - e->start;
    rate_init(&e->rate, cfg->max_rate, e->start);
    e->line = g_string_sized_new(256);
    for (guint hi = 0; hi < nhosts; hi++) {
        hosts[hi].start = e->start + e->mono_to_real;
        hosts[hi].end = hosts[hi].start;
    }
}

static void engine_clear(engine *e)
{
    for (guint hi = 0; hi < e->nhosts; hi++) {
        g_free(e->hosts[hi].in_flight.items);
        g_free(e->hosts[hi].waiting.items);
    }
    g_free(e->hosts);
    g_free(e->slots);
    g_free(e->port_index);
    g_free(e->order);
    g_hash_table_unref(e->host_by_addr);
    g_string_free(e->line, TRUE);
    g_mutex_clear(&e->lock);
    g_cond_clear(&e->changed);
}

void engine_scan(const engine_config *cfg, const route *rt, sender *tx, receiver *rx, capture *cap,
                 host_result *hosts, guint nhosts)
{
    if (nhosts == 0 || cfg->nports == 0)
        return;
    engine e;
    engine_init(&e, cfg, rt, tx, rx, cap, hosts, nhosts);
    receiver_start(rx, on_frame, &e);
    g_mutex_lock(&e.lock);
    while (e.remaining > 0) {
        gint64 now = g_get_monotonic_time();
        expire(&e, now);
        gboolean backoff = !send_some(&e, now);
        if (e.remaining == 0)
            break;
        gint64 deadline = next_deadline(&e, now, backoff);
        if (deadline > now)
            g_cond_wait_until(&e.changed, &e.lock, deadline);
    }
    if (cfg->trace)
        fflush(cfg->trace);
    g_mutex_unlock(&e.lock);
    /* Let our kernel's resets to the last SYN-ACKs reach the capture. */
    receiver_stop(rx, cap ? 20 * 1000 : 0);
    engine_clear(&e);
}
