#include "scheduler.h"

#include "drops.h"
#include "rate.h"

/* nmap's INITIAL_ARP_RTT_TIMEOUT (timing.h), microseconds. */
#define SCHED_NEIGHBOR_TIMEOUT (200 * 1000)

enum slot_status { SLOT_FRESH, SLOT_IN_FLIGHT, SLOT_WAITING, SLOT_DONE };

typedef struct slot {
    gint64 sent_at; /* of the latest try */
    uint8_t tries;  /* transmissions so far */
    uint8_t status;
} slot;

/* A FIFO of probe indices; a probe is in a given ring at most once. */
typedef struct ring {
    guint32 *items;
    guint head, count, cap;
} ring;

typedef struct host {
    rtt_state *rtt;
    guint first, count; /* its probes in the plan */
    ring in_flight, waiting;
    guint fresh;    /* cursor into sched.order */
    guint pending;  /* probes without a verdict */
    guint good_try; /* the latest try known to have drawn an answer */
    drop_state drops;
    gint64 next_send;   /* not before: the host's delay after its last probe */
    gint64 hold_until;  /* not before: the pause before a new try number */
    guint max_try_sent; /* the highest try number sent so far */
    gint64 deadline;    /* --host-timeout; 0: none */
    gboolean timed_out;
    gboolean neighbor; /* asked by ARP or ND (sched_set_neighbor_ping()) */
    int cap_tryno;     /* the probe just given up at the --max-retries cap: its try; -1: none */
} host;

struct sched {
    sched_config cfg;
    slot *slots; /* host-major: slots[hi * nprobes + pi] */
    host *hosts;
    guint32 *order; /* the order fresh probes go out in */
    guint64 remaining;
    guint in_flight;
    guint64 sent;
    guint rr; /* round-robin position over hosts */
    rate_limit rate;
    gint64 start;
};

static void ring_init(ring *r, guint cap)
{
    r->items = g_new(guint32, MAX(cap, 1));
    r->head = r->count = 0;
    r->cap = MAX(cap, 1);
}

static void ring_push(ring *r, guint32 v)
{
    g_assert(r->count < r->cap);
    r->items[(r->head + r->count++) % r->cap] = v;
}

/* Takes back the item last pushed. */
static guint32 ring_pop_back(ring *r)
{
    g_assert(r->count > 0);
    r->count--;
    return r->items[(r->head + r->count) % r->cap];
}

static guint32 ring_peek(const ring *r)
{
    return r->items[r->head];
}

static guint32 ring_pop(ring *r)
{
    guint32 v = r->items[r->head];
    r->head = (r->head + 1) % r->cap;
    r->count--;
    return v;
}

static slot *slot_at(const sched *s, guint hi, guint pi)
{
    return &s->slots[(gsize)hi * s->cfg.nprobes + pi];
}

sched *sched_new(const sched_config *cfg, gint64 now)
{
    sched *s = g_new0(sched, 1);
    s->cfg = *cfg;
    s->slots = g_new0(slot, (gsize)cfg->nhosts * cfg->nprobes);
    s->hosts = g_new0(host, cfg->nhosts);
    s->order = g_new(guint32, MAX(cfg->nprobes, 1));
    for (guint i = 0; i < cfg->nprobes; i++)
        s->order[i] = i;
    /* Shuffled, as nmap does, so a firewall's rate limit on a run of adjacent
     * ports does not hit one block of them. */
    if (cfg->shuffle) {
        for (guint i = cfg->nprobes; i > 1; i--) {
            guint j = (guint)g_random_int_range(0, (gint32)i);
            guint32 t = s->order[i - 1];
            s->order[i - 1] = s->order[j];
            s->order[j] = t;
        }
    }
    s->start = now;
    rate_init(&s->rate, cfg->max_rate, now);
    return s;
}

void sched_free(sched *s)
{
    if (s == NULL)
        return;
    for (guint hi = 0; hi < s->cfg.nhosts; hi++) {
        g_free(s->hosts[hi].in_flight.items);
        g_free(s->hosts[hi].waiting.items);
    }
    g_free(s->hosts);
    g_free(s->slots);
    g_free(s->order);
    g_free(s);
}

void sched_set_host(sched *s, guint hi, rtt_state *rtt, guint first, guint count)
{
    g_assert(hi < s->cfg.nhosts && first + count <= s->cfg.nprobes);
    host *h = &s->hosts[hi];
    h->rtt = rtt;
    h->first = first;
    h->count = count;
    h->pending = count;
    h->cap_tryno = -1;
    ring_init(&h->in_flight, count);
    ring_init(&h->waiting, count);
    drops_init(&h->drops, s->start);
    if (s->cfg.scan_delay || s->cfg.max_scan_delay)
        drops_set_delays(&h->drops, s->cfg.scan_delay,
                         s->cfg.max_scan_delay ? s->cfg.max_scan_delay : DROPS_MAX_DELAY);
    s->remaining += count;
}

void sched_set_neighbor_ping(sched *s, guint hi)
{
    s->hosts[hi].neighbor = TRUE;
}

static gboolean in_range(const host *h, guint pi)
{
    return pi >= h->first && pi < h->first + h->count;
}

/* Whether host hi has a probe to send; drops what has been decided meanwhile
 * from the front of its queues, so that the answer is exact. */
static gboolean has_probe(sched *s, guint hi)
{
    host *h = &s->hosts[hi];
    while (h->waiting.count && slot_at(s, hi, ring_peek(&h->waiting))->status != SLOT_WAITING)
        ring_pop(&h->waiting);
    if (h->waiting.count)
        return TRUE;
    /* A fresh probe is done before it is sent only when skipped. */
    while (h->fresh < s->cfg.nprobes && (!in_range(h, s->order[h->fresh]) ||
                                         slot_at(s, hi, s->order[h->fresh])->status == SLOT_DONE))
        h->fresh++;
    return h->fresh < s->cfg.nprobes && h->pending > 0;
}

static gboolean window_open(const sched *s, gint64 now)
{
    if (s->in_flight < s->cfg.window)
        return TRUE;
    /* --min-rate overrides the window: fall behind it and we send regardless. */
    double elapsed = (double)(now - s->start) / 1e6;
    return s->cfg.min_rate > 0 && (double)s->sent < s->cfg.min_rate * elapsed;
}

/* Whether host hi may send now (its delay and pause allow it). A first
 * retransmission of a new try number starts the pause instead, when the host
 * has more than one probe or asks by ARP or ND (nmap pauses its lone ARP
 * request too): nmap's rate limit detection (scan_engine.cc). Past
 * the first retransmissions, only when the try before drew an answer: a try
 * nobody answered shows no limiter worth waiting for. */
static gboolean host_ready(sched *s, guint hi, gint64 now)
{
    host *h = &s->hosts[hi];
    if (now < h->next_send || now < h->hold_until)
        return FALSE;
    if (h->waiting.count == 0 || (h->count < 2 && !h->neighbor))
        return TRUE;
    guint tries = slot_at(s, hi, ring_peek(&h->waiting))->tries;
    if (tries <= h->max_try_sent)
        return TRUE;
    h->max_try_sent = tries;
    if (tries > 1 && h->good_try + 1 < tries)
        return TRUE;
    h->hold_until = now + DROPS_NEW_TRY_PAUSE;
    return FALSE;
}

gboolean sched_next(sched *s, gint64 now, guint *hi_out, guint *pi_out, uint8_t *try_no)
{
    if (!window_open(s, now))
        return FALSE;
    for (guint idle = 0; idle < s->cfg.nhosts;) {
        guint hi = s->rr;
        s->rr = (s->rr + 1) % s->cfg.nhosts;
        if (!has_probe(s, hi) || !host_ready(s, hi, now)) {
            idle++;
            continue;
        }
        if (!rate_take(&s->rate, now)) {
            s->rr = hi; /* its turn is kept for the next token */
            return FALSE;
        }
        /* Retransmissions first, so that old probes finish. */
        host *h = &s->hosts[hi];
        guint pi = h->waiting.count ? ring_pop(&h->waiting) : s->order[h->fresh++];
        *hi_out = hi;
        *pi_out = pi;
        *try_no = slot_at(s, hi, pi)->tries;
        return TRUE;
    }
    return FALSE;
}

void sched_sent(sched *s, guint hi, guint pi, gint64 now)
{
    slot *sl = slot_at(s, hi, pi);
    sl->tries++;
    sl->sent_at = now;
    sl->status = SLOT_IN_FLIGHT;
    s->in_flight++;
    s->sent++;
    host *h = &s->hosts[hi];
    ring_push(&h->in_flight, pi);
    h->next_send = now + h->drops.delay;
    h->max_try_sent = MAX(h->max_try_sent, (guint)sl->tries - 1);
}

void sched_unsent(sched *s, guint hi, guint pi)
{
    slot *sl = slot_at(s, hi, pi);
    sl->status = SLOT_WAITING;
    ring_push(&s->hosts[hi].waiting, pi);
}

void sched_revert(sched *s, guint hi, guint pi)
{
    slot *sl = slot_at(s, hi, pi);
    host *h = &s->hosts[hi];
    guint32 last = ring_pop_back(&h->in_flight);
    g_assert(last == pi && sl->tries > 0);
    sl->tries--;
    s->sent--;
    /* A reply to an earlier try may have decided it meanwhile. */
    if (sl->status == SLOT_DONE)
        return;
    s->in_flight--;
    sl->status = SLOT_WAITING;
    ring_push(&h->waiting, pi);
}

gboolean sched_wants(const sched *s, guint hi, guint pi, unsigned try_no)
{
    if (hi >= s->cfg.nhosts || !in_range(&s->hosts[hi], pi))
        return FALSE;
    const slot *sl = slot_at(s, hi, pi);
    return sl->status != SLOT_DONE && sl->tries > 0 &&
           (try_no == SCHED_TRY_UNKNOWN || try_no < sl->tries);
}

static void finish(sched *s, guint hi, guint pi)
{
    slot *sl = slot_at(s, hi, pi);
    if (sl->status == SLOT_DONE)
        return;
    if (sl->status == SLOT_IN_FLIGHT)
        s->in_flight--;
    sl->status = SLOT_DONE;
    s->remaining--;
    s->hosts[hi].pending--;
}

void sched_skip(sched *s, guint hi, guint pi)
{
    g_assert(in_range(&s->hosts[hi], pi) && slot_at(s, hi, pi)->tries == 0);
    finish(s, hi, pi);
}

static void decide(sched *s, guint hi, guint pi, unsigned try_no, gint64 when, gboolean timed);

void sched_decide(sched *s, guint hi, guint pi, unsigned try_no, gint64 when)
{
    decide(s, hi, pi, try_no, when, TRUE);
}

void sched_decide_untimed(sched *s, guint hi, guint pi, unsigned try_no, gint64 when)
{
    decide(s, hi, pi, try_no, when, FALSE);
}

static void decide(sched *s, guint hi, guint pi, unsigned try_no, gint64 when, gboolean timed)
{
    host *h = &s->hosts[hi];
    slot *sl = slot_at(s, hi, pi);
    if (try_no == SCHED_TRY_UNKNOWN && sl->tries == 1)
        try_no = 0;
    if (try_no != SCHED_TRY_UNKNOWN && try_no + 1u == sl->tries && sl->status == SLOT_IN_FLIGHT) {
        rtt_sample(h->rtt, when - sl->sent_at);
        rtt_sample(s->cfg.run_rtt, when - sl->sent_at);
    }
    if (timed && try_no != SCHED_TRY_UNKNOWN)
        h->good_try = MAX(h->good_try, try_no);
    if (timed && sl->tries > 0)
        drops_answer(&h->drops, try_no, sl->sent_at, h->good_try, s->cfg.udp, when);
    if (!s->cfg.per_host) {
        finish(s, hi, pi);
        return;
    }
    for (guint p = h->first; p < h->first + h->count; p++)
        finish(s, hi, p);
    h->fresh = s->cfg.nprobes;
}

/* Like nmap, a host that has never answered waits as long as the other hosts
 * take to answer, not the initial second: on a LAN, the addresses where nobody
 * lives would otherwise take seconds each. */
static gint64 host_timeout(const sched *s, const host *h)
{
    if (h->rtt->srtt >= 0)
        return h->rtt->timeout;
    const rtt_state *run = s->cfg.run_rtt;
    /* Before any answer, ARP and ND get nmap's INITIAL_ARP_RTT_TIMEOUT. */
    if (h->neighbor && run->srtt < 0)
        return MAX(run->min_timeout, MIN(run->timeout, SCHED_NEIGHBOR_TIMEOUT));
    return run->timeout;
}

guint sched_retries_allowed(guint max_retries, gboolean discovery, guint good_try)
{
    return MIN(max_retries, MAX(discovery ? 1u : 2u, good_try + 1));
}

static guint retries_allowed(const sched *s, const host *h)
{
    return sched_retries_allowed(s->cfg.max_retries, s->cfg.per_host, h->good_try);
}

void sched_set_deadline(sched *s, guint hi, gint64 deadline)
{
    s->hosts[hi].deadline = deadline;
}

gboolean sched_host_timed_out(const sched *s, guint hi)
{
    return s->hosts[hi].timed_out;
}

gboolean sched_take_cap_hit(sched *s, guint hi, guint *tryno)
{
    host *h = &s->hosts[hi];
    if (h->cap_tryno < 0)
        return FALSE;
    *tryno = (guint)h->cap_tryno;
    h->cap_tryno = -1;
    return TRUE;
}

/* nmap drops a host past --host-timeout with whatever it found. */
static void give_up(sched *s, guint hi)
{
    host *h = &s->hosts[hi];
    h->timed_out = TRUE;
    for (guint p = h->first; p < h->first + h->count; p++)
        finish(s, hi, p);
    h->fresh = s->cfg.nprobes;
}

void sched_expire(sched *s, gint64 now, sched_silent_fn silent, void *ctx)
{
    for (guint hi = 0; hi < s->cfg.nhosts; hi++) {
        host *h = &s->hosts[hi];
        if (h->deadline && now >= h->deadline && h->pending)
            give_up(s, hi);
        gint64 timeout = host_timeout(s, h);
        while (h->in_flight.count) {
            guint pi = ring_peek(&h->in_flight);
            slot *sl = slot_at(s, hi, pi);
            if (sl->status == SLOT_IN_FLIGHT && now - sl->sent_at < timeout)
                break;
            ring_pop(&h->in_flight);
            if (sl->status != SLOT_IN_FLIGHT)
                continue;
            if (sl->tries <= retries_allowed(s, h)) {
                s->in_flight--;
                sl->status = SLOT_WAITING;
                ring_push(&h->waiting, pi);
                continue;
            }
            finish(s, hi, pi);
            if (!s->cfg.per_host || h->pending == 0) {
                /* nmap's allowedTryno() "capped": the tries its rule would
                 * give (MAX(1, max_successful_tryno + 1)) are more than
                 * --max-retries; discovery, whose good_try stays 0 as nmap's,
                 * is capped with --max-retries 0 only. */
                h->cap_tryno =
                    MAX(1u, h->good_try + 1) > s->cfg.max_retries ? (int)sl->tries - 1 : -1;
                silent(ctx, hi, pi);
                h->cap_tryno = -1;
            }
        }
    }
}

gint64 sched_deadline(sched *s, gint64 now, gboolean can_send)
{
    gint64 when = now + 100 * 1000;
    gint64 ready = G_MAXINT64; /* the earliest a host with work may send */
    for (guint hi = 0; hi < s->cfg.nhosts; hi++) {
        const host *h = &s->hosts[hi];
        if (h->in_flight.count) {
            const slot *sl = slot_at(s, hi, ring_peek(&h->in_flight));
            when = MIN(when, sl->sent_at + host_timeout(s, h));
        }
        if (can_send && has_probe(s, hi))
            ready = MIN(ready, MAX(h->next_send, h->hold_until));
        if (h->deadline && h->pending)
            when = MIN(when, h->deadline);
    }
    if (ready != G_MAXINT64 && window_open(s, now))
        when = MIN(when, MAX(rate_next(&s->rate, now), ready));
    return when;
}

guint sched_window_room(const sched *s)
{
    return s->in_flight < s->cfg.window ? s->cfg.window - s->in_flight : 0;
}

gint64 sched_host_delay(const sched *s, guint hi)
{
    return s->hosts[hi].drops.delay;
}

gboolean sched_done(const sched *s)
{
    return s->remaining == 0;
}

gboolean sched_host_done(const sched *s, guint hi)
{
    return s->hosts[hi].pending == 0;
}

guint64 sched_probes_sent(const sched *s)
{
    return s->sent;
}
