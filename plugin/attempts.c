#include "attempts.h"

#include <string.h>

struct attempts {
    attempt slot[ATTEMPTS_SLOTS];
};

/* Cheap and spread well enough for a table indexed by its low bits: the words
 * of both addresses and the ports, each multiplied in (the flow of a packet is
 * looked up once or twice for every packet of a capture). */
static uint32_t flow_hash(const packet_flow *f)
{
    uint32_t h = f->proto;
    for (size_t i = 0; i < sizeof f->src.bytes; i += 4) {
        uint32_t s, d;
        memcpy(&s, f->src.bytes + i, 4);
        memcpy(&d, f->dst.bytes + i, 4);
        h = (h ^ s) * 0x9e3779b1u;
        h = (h ^ d) * 0x85ebca6bu;
    }
    h = (h ^ ((uint32_t)f->sport << 16 | f->dport)) * 0xc2b2ae35u;
    return h ^ (h >> 16);
}

static attempt *slot_of(attempts *a, const packet_flow *flow)
{
    return &a->slot[flow_hash(flow) & (ATTEMPTS_SLOTS - 1)];
}

attempts *attempts_new(void)
{
    /* Zeroed pages are only paid for once touched: a small capture uses few. */
    return g_new0(attempts, 1);
}

void attempts_free(attempts *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < ATTEMPTS_SLOTS; i++)
        g_free(a->slot[i].event);
    g_free(a);
}

attempt *attempts_find(attempts *a, const packet_flow *flow)
{
    attempt *at = slot_of(a, flow);
    return at->flow.proto && packet_flow_equal(&at->flow, flow) ? at : NULL;
}

attempt *attempts_start(attempts *a, const packet_flow *flow, const scan_type *type)
{
    attempt *at = slot_of(a, flow);
    at->flow = *flow;
    at->type = type;
    at->accepted = at->served = at->failed = at->conversation = false;
    g_free(at->event);
    at->event = NULL;
    at->room = 0;
    at->events = 0;
    return at;
}

void attempts_note(attempt *at, attempt_side side, uint32_t frame, int64_t secs, int32_t nsecs,
                   const packet_view *pkt)
{
    if (at->conversation || at->events >= ATTEMPTS_EVENTS)
        return;
    if (at->events == at->room) {
        at->room = (uint8_t)(at->room ? at->room * 2 : 2);
        at->event = g_renew(attempt_event, at->event, at->room);
    }
    attempt_event *e = &at->event[at->events++];
    e->frame = frame;
    e->side = (uint8_t)side;
    e->secs = secs;
    e->nsecs = nsecs;
    e->data = pkt->payload_len > 0;
    e->pkt = *pkt;
    e->pkt.tcp_options = e->pkt.payload = e->pkt.quote_payload = NULL;
    e->pkt.tcp_options_len = e->pkt.quote_payload_len = 0;
    /* A probe's cookie counts its data (fingerprint_reply_cookie()), which
     * nothing reads again; the rest say whether they had any by data. */
    if (side != ATTEMPT_PROBE)
        e->pkt.payload_len = e->pkt.udp_stated_len = 0;
}

void attempts_conversation(attempt *at)
{
    at->conversation = true;
    at->events = at->room = 0;
    g_free(at->event);
    at->event = NULL;
}

void attempts_drop(attempt *at)
{
    attempts_conversation(at);
    at->flow.proto = 0;
}

void attempts_of_source(attempts *a, const packet_addr *src, GPtrArray *out)
{
    for (size_t i = 0; i < ATTEMPTS_SLOTS; i++)
        if (a->slot[i].flow.proto && packet_addr_equal(&a->slot[i].flow.src, src))
            g_ptr_array_add(out, &a->slot[i]);
}
