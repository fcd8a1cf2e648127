#include "scan_state.h"

#include <epan/wmem_scopes.h>

#include "arp.h"
#include "tool.h"

/* How many scans may share one probe flow (a rescan from the same source port,
 * say) before further ones are ignored; it bounds every walk along a chain. */
#define MAX_SCANS_PER_FLOW 16

typedef struct port_key {
    const scan_type *type;
    uint32_t scan_id;
    uint32_t target;
    uint8_t proto;
    uint16_t port;
} port_key;

static wmem_map_t *flows;  /* packet_flow -> probe_flow_record chain */
static wmem_map_t *ports;  /* port_key -> port_record */
static wmem_map_t *frames; /* frame number -> frame_result */

static guint mix(guint h, guint32 v)
{
    return (h ^ v) * 0x01000193u;
}

static guint flow_hash(gconstpointer key)
{
    const packet_flow *f = key;
    guint h = 0x811c9dc5u;
    h = mix(h, f->src);
    h = mix(h, f->dst);
    h = mix(h, ((guint32)f->sport << 16) | f->dport);
    return mix(h, f->proto);
}

static gboolean flow_equal(gconstpointer a, gconstpointer b)
{
    return packet_flow_equal(a, b);
}

static guint port_hash(gconstpointer key)
{
    const port_key *k = key;
    guint h = g_direct_hash(k->type);
    h = mix(h, k->scan_id);
    h = mix(h, k->target);
    return mix(h, ((guint32)k->proto << 16) | k->port);
}

static gboolean port_equal(gconstpointer a, gconstpointer b)
{
    const port_key *x = a, *y = b;
    return x->type == y->type && x->scan_id == y->scan_id && x->target == y->target &&
           x->proto == y->proto && x->port == y->port;
}

const char *scan_state_proto_name(uint8_t proto)
{
    switch (proto) {
    case PACKET_TCP:
        return "tcp";
    case PACKET_UDP:
        return "udp";
    case PACKET_ICMP:
        return "icmp";
    case 0:
        return "arp";
    default:
        return "ip";
    }
}

void scan_state_register(void)
{
    flows = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), flow_hash, flow_equal);
    ports = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), port_hash, port_equal);
    frames =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
}

static port_record *port_get(const scan_type *type, uint32_t scan_id, const packet_flow *flow)
{
    port_key key = {type, scan_id, flow->dst, flow->proto, flow->dport};
    port_record *port = wmem_map_lookup(ports, &key);
    if (port)
        return port;
    port = wmem_new0(wmem_file_scope(), port_record);
    port->type = type;
    port->scan_id = scan_id;
    port->target = flow->dst;
    port->proto = flow->proto;
    port->port = flow->dport;
    wmem_map_insert(ports, wmem_memdup(wmem_file_scope(), &key, sizeof key), port);
    return port;
}

/* The record of that flow for that port, created if the chain has room. */
static probe_flow_record *flow_get(const packet_flow *flow, port_record *port)
{
    probe_flow_record *head = wmem_map_lookup(flows, flow);
    unsigned n = 0;
    for (probe_flow_record *rec = head; rec && n < MAX_SCANS_PER_FLOW; rec = rec->next, n++)
        if (rec->port == port)
            return rec;
    if (n >= MAX_SCANS_PER_FLOW)
        return NULL;
    probe_flow_record *rec = wmem_new0(wmem_file_scope(), probe_flow_record);
    rec->flow = *flow;
    rec->port = port;
    rec->next = head;
    wmem_map_insert(flows, &rec->flow, rec);
    return rec;
}

static frame_result *result_new(uint32_t frame, frame_role role, probe_flow_record *rec,
                                unsigned try_no)
{
    frame_result *res = wmem_new0(wmem_file_scope(), frame_result);
    res->role = role;
    res->flow = rec;
    res->try_no = try_no;
    rec->last_frame = frame;
    wmem_map_insert(frames, GUINT_TO_POINTER(frame), res);
    return res;
}

/* tool: who sent the probe, as tool_name() tells. */
static const frame_result *add_probe(uint32_t frame, const nstime_t *when, const packet_flow *flow,
                                     const scan_type *type, const probe_tag *tag, const char *tool)
{
    port_record *port = port_get(type, tag->scan_id, flow);
    probe_flow_record *rec = flow_get(flow, port);
    if (!rec)
        return NULL;
    /* The kernel makes a connect scan's probes and cannot number its tries, but
     * its retransmissions share the flow: count them. */
    unsigned try_no = tag->try_no;
    if (type == &scan_connect && rec->probe_frame[0])
        try_no = rec->latest_try + 1;
    unsigned slot = try_no % COOKIE_MAX_TRIES;
    frame_result *res = result_new(frame, ROLE_PROBE, rec, slot);
    res->tool = tool;
    if (rec->probe_frame[slot]) {
        res->duplicate_of = rec->probe_frame[slot];
    } else {
        rec->probe_frame[slot] = frame;
        rec->probe_time[slot] = *when;
    }
    rec->latest_try = slot;
    port->probes++;
    return res;
}

/* A packet on a probe's own flow that ends what the probe opened. When several
 * scans used the flow, the one active last is meant. */
static const frame_result *add_teardown(uint32_t frame, const packet_view *pkt)
{
    probe_flow_record *best = NULL;
    unsigned n = 0;
    for (probe_flow_record *rec = wmem_map_lookup(flows, &pkt->flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++)
        if (scan_is_teardown(rec->port->type, pkt) && (!best || rec->last_frame > best->last_frame))
            best = rec;
    if (!best)
        return NULL;
    unsigned slot = best->reply_frame[best->replied_try] ? best->replied_try : best->latest_try;
    frame_result *res = result_new(frame, ROLE_TEARDOWN, best, slot);
    res->probe_in = best->probe_frame[slot];
    return res;
}

/* said: what the reply says about the port, NULL when it says nothing. */
static const frame_result *attribute_reply(uint32_t frame, const nstime_t *when,
                                           const verdict *said, probe_flow_record *rec,
                                           unsigned slot)
{
    port_record *port = rec->port;
    frame_result *res = result_new(frame, ROLE_RESPONSE, rec, slot);
    if (rec->probe_frame[slot]) {
        res->probe_in = rec->probe_frame[slot];
        res->has_rtt = true;
        nstime_delta(&res->rtt, when, &rec->probe_time[slot]);
    }
    if (rec->reply_frame[slot]) {
        res->duplicate_of = rec->reply_frame[slot];
    } else {
        rec->reply_frame[slot] = frame;
        if (res->has_rtt) {
            nstime_add(&port->rtt_total, &res->rtt);
            port->rtt_samples++;
        }
    }
    rec->replied_try = slot;
    res->says = said != NULL;
    if (said)
        res->own = *said;
    port->responses++;
    if (res->says && !port->judged_in) {
        port->judged = res->own;
        port->judged_in = frame;
    }
    return res;
}

/* Asks each scan and ping type whether pkt answers one of its probes, then checks
 * the cookie against each scan seen probing that flow. */
static const frame_result *add_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    const scan_type *const *const lists[] = {scan_types, ping_types};
    probe_flow_record *seen = NULL;
    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (size_t i = 0; lists[l][i]; i++) {
            const scan_type *type = lists[l][i];
            packet_flow probe_flow;
            uint32_t cookie = 0;
            reply_match match = scan_reply_key(type, pkt, &probe_flow, &cookie);
            if (match == REPLY_NONE)
                continue;
            unsigned n = 0;
            for (probe_flow_record *rec = wmem_map_lookup(flows, &probe_flow);
                 rec && n < MAX_SCANS_PER_FLOW; rec = rec->next, n++) {
                if (rec->port->type != type)
                    continue;
                seen = rec;
                unsigned slot = rec->latest_try;
                if (match == REPLY_COOKIE &&
                    !cookie_check(rec->port->scan_id, &probe_flow, cookie, &slot))
                    continue;
                verdict said;
                bool says = type->judge(pkt, &said);
                return attribute_reply(frame, when, says ? &said : NULL, rec,
                                       slot % COOKIE_MAX_TRIES);
            }
        }
    }
    if (seen)
        return result_new(frame, ROLE_STRAY, seen, 0);
    return NULL;
}

const frame_result *scan_state_add(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    const frame_result *done = scan_state_lookup(frame);
    if (done)
        return done;
    probe_tag tag;
    const scan_type *type = scan_type_of_probe(pkt, &tag);
    /* A service that echoes its request (UDP echo, say) sends our tag back: a
     * tagged packet travelling against a known probe flow is a reply. */
    packet_flow back = packet_flow_reverse(&pkt->flow);
    if (type && !wmem_map_lookup(flows, &back))
        return add_probe(frame, when, &pkt->flow, type, &tag, tool_name(pkt, &tag));
    const frame_result *res = add_teardown(frame, pkt);
    if (res)
        return res;
    return add_reply(frame, when, pkt);
}

const frame_result *scan_state_add_arp(uint32_t frame, const nstime_t *when, const arp_view *arp)
{
    const frame_result *done = scan_state_lookup(frame);
    if (done)
        return done;
    packet_flow flow = arp_probe_flow(arp);
    if (arp->tagged)
        return add_probe(frame, when, &flow, &ping_arp, &arp->tag, tool_name(NULL, &arp->tag));
    if (arp->op != ARP_REPLY)
        return NULL;
    probe_flow_record *rec = wmem_map_lookup(flows, &flow);
    if (!rec || rec->port->type != &ping_arp)
        return NULL;
    verdict said = {HOST_UP, REASON_ARP_RESPONSE};
    return attribute_reply(frame, when, &said, rec, rec->latest_try);
}

const frame_result *scan_state_lookup(uint32_t frame)
{
    return wmem_map_lookup(frames, GUINT_TO_POINTER(frame));
}

verdict scan_state_verdict(const port_record *port, bool whole_capture_seen)
{
    if (port->judged_in)
        return port->judged;
    if (whole_capture_seen)
        return port->type->silent;
    return (verdict){PORT_STATE_UNKNOWN, REASON_NONE};
}

uint32_t scan_state_response_in(const frame_result *probe)
{
    return probe->flow->reply_frame[probe->try_no % COOKIE_MAX_TRIES];
}

bool scan_state_probe_rtt(const frame_result *probe, nstime_t *rtt)
{
    const frame_result *reply = scan_state_lookup(scan_state_response_in(probe));
    if (!reply || !reply->has_rtt)
        return false;
    *rtt = reply->rtt;
    return true;
}

bool scan_state_mean_rtt(const port_record *port, nstime_t *rtt)
{
    if (port->rtt_samples == 0)
        return false;
    int64_t ns = ((int64_t)port->rtt_total.secs * 1000000000 + port->rtt_total.nsecs) /
                 (int64_t)port->rtt_samples;
    rtt->secs = (time_t)(ns / 1000000000);
    rtt->nsecs = (int)(ns % 1000000000);
    return true;
}
