#include "scan_state.h"

#include <stdio.h>
#include <string.h>

#include <epan/wmem_scopes.h>

#include "arp.h"
#include "attempts.h"
#include "data_length.h"
#include "fingerprint.h"
#include "fixed_sport_match.h"
#include "nmap_data.h"
#include "nd.h"
#include "proto_scan_state.h"
#include "snaplen.h"
#include "scan_state_internal.h"
#include "sweep.h"
#include "tool.h"
#include "verdict_note.h"

/* How many scans may share one probe flow (a rescan from the same source port,
 * say) before further ones are ignored; it bounds every walk along a chain. */
#define MAX_SCANS_PER_FLOW 16

typedef struct port_key {
    const scan_type *type;
    uint32_t scan_id;
    packet_addr scanner;
    bool suspected;
    packet_addr target;
    uint8_t proto;
    uint16_t port;
} port_key;

/* The two tables every packet of a scan looks into, a probe twice or three
 * times: GLib's, not wmem maps. A wmem map walks a chain of items it allocates,
 * calling the equal function on each, and rehashes every key as it grows; a
 * GLib table keeps each key's hash beside it, compares keys only when the hash
 * matches, and grows without touching a key. On a -p- scan's capture the wmem
 * maps were half of what the plugin's first pass cost (README.md). Made by
 * scan_state_init() and destroyed by scan_state_cleanup(), per capture file as
 * the records they point to (file scope). */
static GHashTable *flows; /* packet_flow -> probe_flow_record chain */
/* port_record -> itself: a record is its own key (its type, scan_id, scanner,
 * suspect, target, proto and port), so that no copy of the key is kept per port:
 * a scan of all ports of many hosts makes one per port. */
static GHashTable *ports;
static wmem_map_t *groups;        /* port_key without scan, source or port -> unsigned count */
static port_key last_group;       /* the group of the port made last, */
static unsigned *last_group_size; /* and its count (NULL: none) */
/* Frame number -> frame_result (NULL: none), for every frame up to the last
 * recorded: a pointer a frame where a map would cost an entry and a bucket a
 * frame, and a scan makes most of its frames results (probes and their
 * replies). Emptied by scan_state_init() and scan_state_cleanup(). */
static frame_result **frames;
static uint32_t frames_room;
/* nmap's host discovery: (scanner, target) -> the ICMP query and TCP probes it
 * sent the target (nmap_ping). */
static wmem_map_t *nmap_pings;
static wmem_map_t *nmap_udp_scans; /* nmap_udp_scan, by its hosts */
static wmem_map_t *nmap_runs_of;   /* nmap_runs, by scanner address */
/* nmap's pings told by behaviour (scan_state_type()): what each scanner sent
 * each host (host_probes, by scanner and target), the hosts whose first run a
 * run of a scanner was (port_key of type, run and scanner -> unsigned), and the
 * ARP or ND requests that only resolved a host's link address for the probe
 * that followed them (their port_record -> that probe's). */
static GHashTable *nmap_hosts; /* GLib's, as flows: looked into for every nmap probe */
static GHashTable *ping_runs;
static wmem_map_t *resolved_by;
/* nmap's ARP ping of one host or a few (nmap -sS HOST on a LAN), told from the
 * kernel's by what follows it (arp_ping_of()): its ARP records (port_record ->
 * the evidence, a string); the latest answered request of each pair (scanner,
 * target) that nothing from scanner to target has followed yet (arp_quiet, by
 * host_pair()), and the requests something did follow (arp_followed, port_record
 * -> itself); each scanner's latest burst of ARP requests (arp_bursts, by
 * address) and each request's burst (arp_burst_of, port_record -> arp_burst);
 * the unanswered pairs of requests that are nmap's ARP ping of an absent host
 * by their timing alone (arp_unanswered_ping(): port_record -> the evidence). */
static wmem_map_t *arp_pings;
static wmem_map_t *arp_lone;
static wmem_map_t *arp_quiet;
static wmem_map_t *arp_followed;
/* The ARP records whose answer the asker followed at once with a packet to the
 * host (within HELD_PACKET_SECONDS): a kernel's resolution for the packet it
 * held, never a ping (port_record -> itself; scan_state_host_user_set()). */
static wmem_map_t *arp_held;
/* A kernel sends the packet it held microseconds after the ARP answer (3 us in
 * the lab); nmap reads its ARP ping's answer in user space and sends the next
 * packet 44 ms or more after it. */
#define HELD_PACKET_SECONDS 0.01
/* arp_quiet's values: the asked record and when its answer came. */
typedef struct quiet_answer {
    port_record *asked;
    nstime_t answered;
} quiet_answer;
static wmem_map_t *arp_bursts;
static wmem_map_t *arp_burst_of;
/* Each host's status as nmap reports it: up on the first reply to any of a
 * scanner's discovery probes that says so, whichever ping type got it
 * (host_key -> host_status). Filled once, after the first pass
 * (scan_state_host_verdict()), since which probes are pings is known only then. */
static wmem_map_t *host_statuses;
static bool host_statuses_filled;
/* The first probe frame of the earliest discovery probe shown of each host by
 * any scanner (host_key with only the target -> frame): a port scan after it
 * was preceded by host discovery (scan_state_host_user_set()); by any scanner,
 * since nmap's decoys (-D) are the scan's sources too, and its ping comes from
 * the real one. Filled with host_statuses. */
static wmem_map_t *host_first_pings;

/* Replies seen before any probe they could answer: a capture of several
 * queues, merged by time, may put a reply a little before its probe, and a
 * merge by arrival may store it first whatever its timestamp. The last
 * PENDING_MAX are kept, by the flow of the probe they would answer, for a probe
 * from PENDING_LATE before to PENDING_SECONDS after them. As many as our
 * untagged -sO probes kept until a tagged one names their scan
 * (proto_scan_state.c, PENDING_BARE_MAX): in a random order of 256 protocols
 * the first tagged probe may come a hundred or more after the first, and the
 * target has answered each of those before it (64 lost the rest). */
#define PENDING_MAX     512
#define PENDING_SECONDS 0.01 /* timestamped before its probe */
#define PENDING_LATE    1.0  /* after its probe by its timestamp, stored before it */
typedef struct pending_reply {
    packet_flow probe_flow;
    uint32_t frame; /* 0: free */
    nstime_t when;
    packet_view pkt; /* without its pointers into the frame's bytes */
} pending_reply;
static pending_reply pending[PENDING_MAX];
static unsigned pending_next;
static unsigned pending_live; /* entries with a frame: none, and a probe looks at none */

static scan_state_options options;
static behaviour *suspects;   /* the behaviour of every source of suspected probes */
static attempts *recent;      /* suspected attempts of sources not yet known to scan */
static sweep *sweeps;         /* who asked for which link addresses (ARP, ND) */
static data_length *datalens; /* nmap's --data-length bytes, per source */

guint mix(guint h, guint32 v)
{
    return (h ^ v) * 0x01000193u;
}

guint flow_hash(gconstpointer key)
{
    const packet_flow *f = key;
    guint h = 0x811c9dc5u;
    h = mix(h, packet_addr_hash(&f->src));
    h = mix(h, packet_addr_hash(&f->dst));
    h = mix(h, ((guint32)f->sport << 16) | f->dport);
    return mix(h, f->proto);
}

gboolean flow_equal(gconstpointer a, gconstpointer b)
{
    return packet_flow_equal(a, b);
}

guint addr_hash(gconstpointer key)
{
    return packet_addr_hash(key);
}

gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

static guint port_hash(gconstpointer key)
{
    const port_key *k = key;
    guint h = g_direct_hash(k->type);
    h = mix(h, k->scan_id);
    h = mix(h, packet_addr_hash(&k->scanner));
    h = mix(h, packet_addr_hash(&k->target));
    return mix(h, ((guint32)k->proto << 16) | k->port);
}

static guint record_hash(gconstpointer key)
{
    const port_record *k = key;
    guint h = g_direct_hash(k->type);
    h = mix(h, k->scan_id);
    h = mix(h, packet_addr_hash(&k->scanner));
    h = mix(h, packet_addr_hash(&k->target));
    return mix(h, ((guint32)k->proto << 16) | k->port);
}

static gboolean record_equal(gconstpointer a, gconstpointer b)
{
    const port_record *x = a, *y = b;
    return x->type == y->type && x->scan_id == y->scan_id &&
           packet_addr_equal(&x->scanner, &y->scanner) && x->suspect == y->suspect &&
           packet_addr_equal(&x->target, &y->target) && x->proto == y->proto && x->port == y->port;
}

/* A record to look a port up by: its key fields set, the rest zero. */
port_record port_wanted(const scan_type *type, uint32_t scan_id, const packet_addr *scanner,
                        bool suspected, const packet_addr *target, uint8_t proto, uint16_t port)
{
    port_record wanted;
    memset(&wanted, 0, sizeof wanted);
    wanted.type = type;
    wanted.scan_id = scan_id;
    wanted.scanner = *scanner;
    wanted.suspect = suspected;
    wanted.target = *target;
    wanted.proto = proto;
    wanted.port = port;
    return wanted;
}

static gboolean port_equal(gconstpointer a, gconstpointer b)
{
    const port_key *x = a, *y = b;
    return x->type == y->type && x->scan_id == y->scan_id &&
           packet_addr_equal(&x->scanner, &y->scanner) && x->suspected == y->suspected &&
           packet_addr_equal(&x->target, &y->target) && x->proto == y->proto && x->port == y->port;
}

/* One host's discovery by one scanner, as the port table groups it: our own
 * probes by scan id, another tool's by its source. */
typedef struct host_key {
    packet_addr target;
    packet_addr scanner;
    uint32_t scan_id;
} host_key;

typedef struct host_status {
    const port_record *up_by; /* the ping whose reply first said up */
} host_status;

static host_key host_of(const port_record *port)
{
    host_key k;
    memset(&k, 0, sizeof k);
    k.target = port->target;
    k.scanner = port->scanner;
    k.scan_id = packet_addr_is_zero(&port->scanner) ? port->scan_id : 0;
    return k;
}

static guint host_hash(gconstpointer p)
{
    const host_key *k = p;
    return (packet_addr_hash(&k->target) * 2654435761u) ^ packet_addr_hash(&k->scanner) ^
           k->scan_id;
}

static gboolean host_equal(gconstpointer a, gconstpointer b)
{
    const host_key *x = a, *y = b;
    return x->scan_id == y->scan_id && packet_addr_equal(&x->target, &y->target) &&
           packet_addr_equal(&x->scanner, &y->scanner);
}

const char *scan_state_proto_name(uint8_t proto)
{
    switch (proto) {
    case PACKET_TCP:
        return "tcp";
    case PACKET_UDP:
        return "udp";
    case PACKET_SCTP:
        return "sctp";
    case PACKET_ICMP:
        return "icmp";
    case PACKET_ICMPV6:
        return "icmpv6";
    case 0:
        return "arp";
    default:
        return "ip";
    }
}

void scan_state_register(void)
{
    groups = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), port_hash, port_equal);
    nmap_pings =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), flow_hash, flow_equal);
    nmap_udp_scans =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), flow_hash, flow_equal);
    nmap_runs_of =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), addr_hash, addr_equal);
    resolved_by =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    arp_pings =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    arp_lone =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    arp_quiet = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), flow_hash, flow_equal);
    arp_followed =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    arp_held =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    arp_bursts =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), addr_hash, addr_equal);
    arp_burst_of =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    host_statuses =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), host_hash, host_equal);
    host_first_pings =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), host_hash, host_equal);
    proto_scan_state_register();
}

/* The lookups in flows and ports: NULL outside a capture file. */
static probe_flow_record *flow_head(const packet_flow *flow)
{
    return flows ? g_hash_table_lookup(flows, flow) : NULL;
}

port_record *port_find(const port_record *wanted)
{
    return ports ? g_hash_table_lookup(ports, wanted) : NULL;
}

static void tables_free(void)
{
    GHashTable **tables[] = {&flows, &ports, &nmap_hosts, &ping_runs};
    for (size_t i = 0; i < G_N_ELEMENTS(tables); i++) {
        if (*tables[i])
            g_hash_table_destroy(*tables[i]);
        *tables[i] = NULL;
    }
    last_group_size = NULL;
}

void scan_state_init(const scan_state_options *opt)
{
    tables_free();
    flows = g_hash_table_new(flow_hash, flow_equal);
    ports = g_hash_table_new(record_hash, record_equal);
    nmap_hosts = g_hash_table_new(flow_hash, flow_equal);
    ping_runs = g_hash_table_new(port_hash, port_equal);
    host_statuses_filled = false;
    options = *opt;
    memset(pending, 0, sizeof pending);
    pending_next = pending_live = 0;
    proto_scan_state_init();
    g_free(frames);
    frames = NULL;
    frames_room = 0;
    behaviour_free(suspects);
    suspects = options.behaviour ? behaviour_new() : NULL;
    attempts_free(recent);
    recent = options.behaviour ? attempts_new() : NULL;
    sweep_free(sweeps);
    sweeps = options.behaviour ? sweep_new() : NULL;
    data_length_free(datalens);
    datalens = data_length_new();
}

void scan_state_cleanup(void)
{
    tables_free();
    host_statuses_filled = false;
    proto_scan_state_cleanup();
    behaviour_free(suspects);
    suspects = NULL;
    attempts_free(recent);
    recent = NULL;
    sweep_free(sweeps);
    sweeps = NULL;
    data_length_free(datalens);
    datalens = NULL;
    g_free(frames);
    frames = NULL;
    frames_room = 0;
}

/* scanner: the all-zero address for our own probes, whose scan id tells scans
 * apart. suspected: a suspected scan is kept apart from a fingerprinted one of
 * the same source. */
port_record *port_get(const scan_type *type, uint32_t scan_id, const packet_addr *scanner,
                      bool suspected, const packet_flow *flow)
{
    /* -sO: the port is the protocol probed, "ip" its protocol (SCAN_STATE_PROTO_IP). */
    bool proto = type == &scan_proto;
    port_record wanted =
        port_wanted(type, scan_id, scanner, suspected, &flow->dst,
                    proto ? SCAN_STATE_PROTO_IP : flow->proto, proto ? flow->proto : flow->dport);
    port_record *port = port_find(&wanted);
    if (port)
        return port;
    port = wmem_memdup(wmem_file_scope(), &wanted, sizeof wanted);
    g_hash_table_add(ports, port);
    port_key group = {.type = type, .target = flow->dst, .proto = port->proto};
    /* A scan's new ports come one host and type after another: the last
     * group's count, unless this port is of another. */
    unsigned *size = last_group_size && port_equal(&last_group, &group)
                         ? last_group_size
                         : wmem_map_lookup(groups, &group);
    if (!size) {
        size = wmem_new0(wmem_file_scope(), unsigned);
        wmem_map_insert(groups, wmem_memdup(wmem_file_scope(), &group, sizeof group), size);
    }
    last_group = group;
    last_group_size = size;
    ++*size;
    return port;
}

unsigned scan_state_group_size(const port_record *port)
{
    port_key group = {.type = port->type, .target = port->target, .proto = port->proto};
    const unsigned *size = wmem_map_lookup(groups, &group);
    return size ? *size : 0;
}

/* The record of that flow for that port, created if the chain has room. */
static probe_flow_record *flow_get(const packet_flow *flow, port_record *port)
{
    probe_flow_record *head = flow_head(flow);
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
    g_hash_table_insert(flows, &rec->flow, rec);
    return rec;
}

/* A try of a probe flow: its first probe frame (0 if unseen) and time, its
 * first reply frame (0 if none), and for untagged probes what a direct reply to
 * it brings back in place of a cookie and what an ICMP error quoting it does
 * (fingerprint.h). A flow keeps only the tries it has seen, most one, so that
 * the many short flows of ordinary traffic (each a suspected probe until its
 * source is known) cost little. */
struct try_record {
    uint32_t probe_frame;
    uint32_t reply_frame;
    nstime_t probe_time;
    uint32_t reply_cookie;
    uint32_t quote_cookie;
    /* A TCP probe's number nmap finds its try in with -g
     * (fixed_sport_probe_number(); ours: the cookie) */
    uint32_t probe_number;
    uint8_t slot;
};

/* The try in that slot, or an empty one when the flow has not seen it. */
static const try_record *try_at(const probe_flow_record *rec, unsigned slot)
{
    static const try_record unseen;
    for (unsigned i = 0; i < rec->tries_seen; i++)
        if (rec->tries[i].slot == slot)
            return &rec->tries[i];
    return &unseen;
}

/* The same, made when unseen. */
static try_record *try_make(probe_flow_record *rec, unsigned slot)
{
    for (unsigned i = 0; i < rec->tries_seen; i++)
        if (rec->tries[i].slot == slot)
            return &rec->tries[i];
    if (rec->tries_seen == rec->tries_room) {
        unsigned room = rec->tries_room ? rec->tries_room * 2u : 1u;
        rec->tries = wmem_realloc(wmem_file_scope(), rec->tries, room * sizeof *rec->tries);
        rec->tries_room = (uint8_t)room;
    }
    try_record *t = &rec->tries[rec->tries_seen++];
    memset(t, 0, sizeof *t);
    t->slot = (uint8_t)slot;
    return t;
}

static frame_result *result_new(uint32_t frame, frame_role role, probe_flow_record *rec,
                                unsigned try_no)
{
    frame_result *res = wmem_new0(wmem_file_scope(), frame_result);
    res->role = role;
    res->flow = rec;
    res->try_no = try_no;
    if (frame > rec->last_frame)
        rec->last_frame = frame;
    if (frame >= frames_room) {
        uint32_t room = MAX(MAX(frame + 1u, frames_room * 2u), 1024u);
        frames = g_renew(frame_result *, frames, room);
        memset(frames + frames_room, 0, (room - frames_room) * sizeof *frames);
        frames_room = room;
    }
    frames[frame] = res;
    return res;
}

/* tool: who sent the probe, as tool_name() tells; data_len: a TCP probe's data. */
const frame_result *add_probe(uint32_t frame, const nstime_t *when, const packet_flow *flow,
                              const scan_type *type, const probe_tag *tag, const char *tool,
                              size_t data_len)
{
    static const packet_addr ours; /* all zero: our probes name their scan */
    port_record *port = port_get(type, tag->scan_id, &ours, false, flow);
    port->data_len = (uint16_t)MIN(data_len, G_MAXUINT16);
    probe_flow_record *rec = flow_get(flow, port);
    if (!rec)
        return NULL;
    /* The kernel makes the probes of a connect scan or ping and cannot number
     * their tries, but its retransmissions share the flow: count them. */
    unsigned try_no = tag->try_no;
    if (type->socket_tos && try_at(rec, 0)->probe_frame)
        try_no = rec->latest_try + 1;
    unsigned slot = try_no % COOKIE_MAX_TRIES;
    frame_result *res = result_new(frame, ROLE_PROBE, rec, slot);
    res->tool = tool;
    try_record *t = try_make(rec, slot);
    if (t->probe_frame) {
        res->duplicate_of = t->probe_frame;
    } else {
        t->probe_frame = frame;
        t->probe_time = *when;
    }
    rec->latest_try = (uint8_t)slot;
    port->probes++;
    if (!port->first_probe)
        port->first_probe = frame;
    /* Sent from -g's port: nmap ties its replies by the cookie alone, which
     * is our sequence number and, with ACK set, acknowledgment number. */
    if (tag->fixed_sport && flow->proto == PACKET_TCP) {
        port->fixed_sport = true;
        t->probe_number = scan_cookie_make(type, tag->scan_id, flow, slot);
    }
    return res;
}

/* A probe without our tag names none of its tries: each transmission to the
 * port is the next try, whatever flow it takes (nmap retries from the next
 * source port, a kernel on the same flow), and its own sequence number, IP ID or
 * ICMP id stand in for the cookie its replies bring back. */
static frame_result *add_untagged_probe(uint32_t frame, const nstime_t *when,
                                        const packet_view *pkt, const scan_type *type, bool suspect,
                                        uint32_t run)
{
    port_record *port = port_get(type, run, &pkt->flow.src, suspect, &pkt->flow);
    port->untagged = true;
    probe_flow_record *rec = flow_get(&pkt->flow, port);
    if (!rec)
        return NULL;
    /* nmap sends every request it has for a UDP port in one try: one source
     * port, one IP ID (scan_engine_raw.cc, sendIPScanProbe). */
    const try_record *latest = try_at(rec, rec->latest_try);
    if (type == &scan_udp && latest->probe_frame && latest->quote_cookie == pkt->ip_id) {
        frame_result *res = result_new(frame, ROLE_PROBE, rec, rec->latest_try);
        res->another_request = true;
        port->probes++;
        return res;
    }
    unsigned slot = MIN(port->tries, COOKIE_MAX_TRIES - 1);
    port->tries++;
    frame_result *res = result_new(frame, ROLE_PROBE, rec, slot);
    if (!port->first_probe)
        port->first_probe = frame;
    try_record *t = try_make(rec, slot);
    if (t->probe_frame) {
        res->duplicate_of = t->probe_frame;
    } else {
        t->probe_frame = frame;
        t->probe_time = *when;
    }
    t->reply_cookie = fingerprint_reply_cookie(type, pkt);
    t->quote_cookie = fingerprint_quote_cookie(pkt);
    if (pkt->flow.proto == PACKET_TCP)
        t->probe_number = fixed_sport_probe_number(pkt->tcp_flags, pkt->seq, pkt->ack);
    rec->latest_try = (uint8_t)slot;
    port->probes++;
    return res;
}

/* nmap's host discovery sends each target an ICMP echo, a SYN to 443, an ACK to
 * 80 and an ICMP timestamp request back to back, the two TCP probes from one
 * source port (retries from the next ones); its port scan later uses source
 * ports 256 further on. A SYN or ACK shaped by nmap is a discovery probe when it
 * follows nmap's ICMP query to the same host so, or uses those source ports. */
#define NMAP_PING_SECONDS 2.0

typedef struct nmap_ping {
    packet_flow hosts; /* scanner and target, ports 0 */
    nstime_t when;     /* the latest ICMP query */
    uint16_t sport;    /* the TCP discovery probes' first source port; 0 before */
} nmap_ping;

packet_flow host_pair(const packet_flow *flow)
{
    return (packet_flow){.src = flow->src, .dst = flow->dst};
}

static void nmap_ping_seen(const packet_view *pkt, const nstime_t *when)
{
    packet_flow hosts = host_pair(&pkt->flow);
    nmap_ping *ping = wmem_map_lookup(nmap_pings, &hosts);
    if (!ping) {
        ping = wmem_new0(wmem_file_scope(), nmap_ping);
        ping->hosts = hosts;
        wmem_map_insert(nmap_pings, &ping->hosts, ping);
    } else if (seconds(when) - seconds(&ping->when) > NMAP_PING_SECONDS) {
        ping->sport = 0; /* a new round of discovery */
    }
    ping->when = *when;
}

static bool nmap_discovery(const packet_view *pkt, const nstime_t *when)
{
    packet_flow hosts = host_pair(&pkt->flow);
    nmap_ping *ping = wmem_map_lookup(nmap_pings, &hosts);
    if (!ping)
        return false;
    if (ping->sport)
        return (uint16_t)(pkt->flow.sport - ping->sport) < COOKIE_MAX_TRIES;
    bool default_probe = (pkt->tcp_flags == TCP_SYN && pkt->flow.dport == 443) ||
                         (pkt->tcp_flags == TCP_ACK && pkt->flow.dport == 80);
    if (!default_probe || seconds(when) - seconds(&ping->when) > NMAP_PING_SECONDS)
        return false;
    ping->sport = pkt->flow.sport;
    return true;
}

/* nmap's UDP scan sends every probe of a host from one source port, and each
 * further request for a port, and each retry, from one a little above it (nmap
 * 7.94 sends requests that 7.93's nmap-payloads lacks): (scanner, target) -> the
 * first fingerprinted probe's source port and frame. */
typedef struct nmap_udp_scan {
    packet_flow hosts; /* addresses only */
    uint16_t sport;
    uint32_t first;
} nmap_udp_scan;
#define NMAP_UDP_PORT_SPREAD 64

static void nmap_udp_seen(const packet_view *pkt, uint32_t frame)
{
    packet_flow hosts = host_pair(&pkt->flow);
    if (wmem_map_lookup(nmap_udp_scans, &hosts))
        return;
    nmap_udp_scan *scan = wmem_new0(wmem_file_scope(), nmap_udp_scan);
    scan->hosts = hosts;
    scan->sport = pkt->flow.sport;
    scan->first = frame;
    wmem_map_insert(nmap_udp_scans, &scan->hosts, scan);
}

/* The first probe of nmap's UDP scan that pkt, a raw datagram (no DF, nmap's
 * TTL), belongs to by its source port; 0 if none. */
static uint32_t nmap_udp_scan_of(const packet_view *pkt)
{
    packet_flow hosts = host_pair(&pkt->flow);
    const nmap_udp_scan *scan = wmem_map_lookup(nmap_udp_scans, &hosts);
    if (!scan || pkt->df || !fingerprint_nmap_hops(pkt) ||
        (uint16_t)(pkt->flow.sport - scan->sport) >= NMAP_UDP_PORT_SPREAD)
        return 0;
    return scan->first;
}

/* nmap's runs: a scanner's TCP probes of one run share the mask of their
 * try-encoding number (fingerprint.h), a later run draws another. The runs of a
 * source, by mask; a probe's run numbers its scan (port_key.scan_id), so that a
 * rescan of a port is a scan of its own, not a retry of the first.
 *
 * A probe of nmap's shape whose number no known mask explains is a new run when
 * it is nmap's: nmap's own run shows its mask again at its next probe (every
 * port's first try carries the mask itself, seq32_encode(USI, 0, 0)), and each
 * new run leaves from a source port of its own (scan_engine.cc draws base_port
 * anew per UltraScanInfo) unless -g fixes it. Probes crafted in nmap's shape
 * (scapy, a test generator) draw a number per probe and often share one source
 * port: each would be a run, and the port table would show a one-port scan per
 * probe. So a number that matches no mask joins the scanner's latest run of the
 * same scan type while that run never showed its mask again (no nmap run, then),
 * left from the same source port, and has not probed this port of the target (a
 * second probe of a port is a rescan). Should the joined number come again (an
 * nmap run after all, -g's), the probes from then on are a run of their own. */
#define NMAP_MAX_MASKS 64
typedef struct nmap_mask {
    uint32_t mask;
    uint32_t run; /* the run (1, 2, ...) it numbers */
    const scan_type *type;
    uint16_t sport;
    bool repeated; /* a later probe's number matched it: nmap's own run */
    bool joined;   /* it joined the run of an earlier mask */
} nmap_mask;
typedef struct nmap_runs {
    packet_addr scanner;
    uint32_t runs; /* runs numbered */
    unsigned count;
    nmap_mask mask[NMAP_MAX_MASKS];
} nmap_runs;

/* Whether word belongs to the run with that mask: (n << 16 | n) ^ mask, where
 * n is the try in its low byte and, for nmap's timing pings of a host in the
 * middle of a port scan, the ping's number in its high byte (scan_engine_raw.cc,
 * seq32_encode: nfo = pingseq << 8 | trynum). A timing ping goes to a port of
 * the scan whose state is already known, from the scan's source ports: it is
 * one more probe of that port in the same run, not a scan of its own. */
static bool nmap_try_of(uint32_t word, uint32_t mask)
{
    uint32_t t = word ^ mask;
    return (t >> 16) == (t & 0xffff);
}

/* Whether a run never showed a mask of its own again: no nmap run, probes
 * crafted in its shape (above). */
static bool nmap_run_loose(const nmap_runs *runs, uint32_t run)
{
    for (unsigned i = 0; i < runs->count; i++)
        if (runs->mask[i].run == run && runs->mask[i].repeated)
            return false;
    return true;
}

/* The run a probe whose number matches no mask joins (above); 0: a new run. */
static uint32_t nmap_run_joined(const nmap_runs *runs, const fingerprint *fp,
                                const packet_view *pkt)
{
    for (unsigned i = runs->count; i-- > 0;) {
        const nmap_mask *m = &runs->mask[i];
        if (m->type != fp->type)
            continue;
        if (m->sport != pkt->flow.sport || !nmap_run_loose(runs, m->run))
            return 0;
        port_record wanted = port_wanted(fp->type, m->run, &runs->scanner, false, &pkt->flow.dst,
                                         pkt->flow.proto, pkt->flow.dport);
        return port_find(&wanted) ? 0 : m->run;
    }
    return 0;
}

/* The run (1, 2, ...) of the source's fingerprinted probe; 0 when its shape
 * encodes none. Past NMAP_MAX_MASKS masks, the last one's run is taken. *ping:
 * the timing ping's number the word encodes, 0 for a port probe. */
static uint32_t nmap_run(const packet_view *pkt, const fingerprint *fp, unsigned *ping)
{
    *ping = 0;
    if (!fp->has_run_word)
        return 0;
    nmap_runs *runs = wmem_map_lookup(nmap_runs_of, &pkt->flow.src);
    if (!runs) {
        runs = wmem_new0(wmem_file_scope(), nmap_runs);
        runs->scanner = pkt->flow.src;
        wmem_map_insert(nmap_runs_of, &runs->scanner, runs);
    }
    for (unsigned i = 0; i < runs->count; i++) {
        nmap_mask *m = &runs->mask[i];
        if (!nmap_try_of(fp->run_word, m->mask))
            continue;
        if (!m->repeated && m->joined)
            m->run = ++runs->runs; /* nmap's run after all: its own from here */
        m->repeated = true;
        *ping = ((fp->run_word ^ m->mask) >> 8) & 0xff;
        return m->run;
    }
    uint32_t joined = nmap_run_joined(runs, fp, pkt);
    if (runs->count == NMAP_MAX_MASKS)
        return joined ? joined : runs->mask[runs->count - 1].run;
    /* Its first probe seen: try 0, as a rule. */
    runs->mask[runs->count++] = (nmap_mask){.mask = fp->run_word,
                                            .run = joined ? joined : ++runs->runs,
                                            .type = fp->type,
                                            .sport = pkt->flow.sport,
                                            .joined = joined != 0};
    return runs->mask[runs->count - 1].run;
}

/* nmap's SYN, ACK, UDP and SCTP INIT pings (-PS, -PA, -PU, -PY) are its port
 * probes byte for byte, to any port the user chose: only what the scanner does with a host
 * tells them apart. A run that sends a host at most PING_MAX_PORTS ports, as the
 * first thing the scanner sends it, is a ping run when it does so to
 * PING_MIN_HOSTS hosts or more (a ping sweep: nmap -sn -PS22 sends each host
 * the same port, and no port scan follows) or when a port scan of that host
 * follows it (later runs probing more than PING_MAX_PORTS of its ports; a
 * rescan of the same few ports is no port scan of it). An ARP or ND request for the host's address
 * at most RESOLUTION_SECONDS before the first probe only resolved its link address for it (nmap
 * --disable-arp-ping still asks, and so does a kernel); one asked before that, by a source that
 * sweeps the link, was its host discovery. */
#define PING_MAX_PORTS     4
#define PING_MIN_HOSTS     2
#define RESOLUTION_SECONDS 0.05
/* nmap sends each host all its pings back to back (-PE, then each -PS and -PA
 * port, then -PP: about 0.2 ms for two hosts in the lab), and starts a port
 * scan only after the ping phase ends (45 ms later in the lab, -n: a new
 * ultra_scan opens its capture). A run whose first probe to a host came at
 * most this long after nmap's ICMP query to it, when that query was the first
 * thing the host got, is of the same ping burst (nmap -sn -PE -PS22,23). */
#define PING_BURST_SECONDS 0.015

typedef struct host_probes {
    packet_flow hosts; /* scanner and target, ports 0 */
    const scan_type *first_type;
    uint32_t first_run;
    uint16_t first_run_ports; /* ports of the target the first run probed */
    uint16_t later_ports;     /* ports of the target later runs probed */
    bool discovered;          /* a discovery probe came first */
    bool asked;               /* a sweep's ARP or ND request came first (asked_before) */
    bool first_run_in_burst;  /* the first run came in nmap's ICMP ping's burst */
    /* The discovery probe that came first, should it turn out to be -sO's or
     * -PO's (proto_convert() takes it back). */
    const port_record *discovered_by;
} host_probes;

/* nmap's ARP ping (scan_engine_raw.cc, sendArpScanProbe()) is a broadcast
 * request byte for byte the kernel's (42 bytes, target hardware address zero,
 * no padding of its own), retried about 1.1 to 1.2 s later when unanswered (the
 * kernel: 1 s, three times). What tells it is what follows: nmap reads the reply
 * in user space, so its port scan of the host follows tens of milliseconds
 * later (68 ms in the lab) with nothing from the scanner to the host between,
 * and when the scan leaves through the kernel (raw IP), the kernel, which did not
 * learn the address from nmap's request, asks again just before the first
 * probe. A kernel's own request is followed by the packet it holds
 * microseconds after the reply. A request answered at most ARP_PING_SECONDS
 * before the first probe of nmap's scan of the host, with nothing sent to the
 * host in between, is nmap's ARP ping. nmap pings the hosts of a scan back to
 * back: requests of the scanner at most ARP_BURST_SECONDS apart are one burst,
 * and a burst with one of nmap's ARP pings in it is nmap's (the host that did
 * not answer, which nmap reports down, too). */
#define ARP_PING_SECONDS  3.0
#define ARP_BURST_SECONDS 0.005
/* nmap's ARP ping of a host that never answers (nmap -sn or -Pn of one absent
 * address: nmap 7.93 reports it down, no-response) is two requests and nothing
 * else: the second after nmap's 200 ms ARP timeout and a second's pause (1.1
 * to 1.2 s in the lab, scan_engine.cc), where a kernel resolving an address for
 * a packet asks three times, 1 s apart (1.00 to 1.03 s in the lab;
 * mcast_solicit 3, retrans_time 1 s). Two unanswered requests this far apart,
 * and no third, are nmap's ping. */
#define ARP_RETRY_MIN_SECONDS 1.08
#define ARP_RETRY_MAX_SECONDS 1.4
/* Runs of requests of one pair kept apart: a request after an answer starts the
 * next (the kernel asking after nmap did), up to this many. */
#define ARP_RUNS_MAX 8

typedef struct arp_burst {
    double last;          /* the latest first request of a pair in it (seconds) */
    const char *evidence; /* NULL until one of nmap's ARP pings is in it */
} arp_burst;

/* The ARP or ND ping flow of (scanner, target) made by others than us: the
 * latest run (back 0), the one before it (back 1); NULL if none. */
static probe_flow_record *asked_flow(const packet_flow *hosts, unsigned back)
{
    bool v4 = packet_addr_is_ipv4(&hosts->dst);
    packet_flow flow = {.src = hosts->src, .dst = hosts->dst, .proto = v4 ? 0 : PACKET_ICMPV6};
    unsigned n = 0;
    for (probe_flow_record *rec = flow_head(&flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++)
        if (rec->port->suspect && rec->port->type == (v4 ? &ping_arp : &ping_nd) && back-- == 0)
            return rec;
    return NULL;
}

/* Whether rec, an ARP request of the pair of first (a probe of nmap's, at when,
 * seconds), was nmap's ARP ping of the host: answered, more than min_gap
 * seconds (RESOLUTION_SECONDS unless the kernel asked again after it: 0) and at
 * most ARP_PING_SECONDS before, nothing else from the scanner to the host after
 * it. Records it so (arp_pings), its burst too. */
static bool arp_ping_of(probe_flow_record *rec, const port_record *first, double when,
                        double min_gap)
{
    port_record *asked = rec->port;
    const try_record *t = try_at(rec, rec->latest_try);
    double gap = when - seconds(&t->probe_time);
    if (asked->type != &ping_arp || !t->reply_frame || gap <= min_gap || gap > ARP_PING_SECONDS ||
        wmem_map_contains(arp_followed, asked))
        return false;
    const char *evidence = wmem_strdup_printf(
        wmem_file_scope(),
        "ARP request answered, then nmap's %s probes of the host %.0f ms after it with nothing "
        "sent to the host between (frame %u): nmap's ARP ping (its bytes are the kernel's)",
        first->type->name, gap * 1e3, first->first_probe);
    wmem_map_insert(arp_pings, asked, (void *)evidence);
    arp_burst *burst = wmem_map_lookup(arp_burst_of, asked);
    if (burst && !burst->evidence)
        burst->evidence = wmem_strdup_printf(
            wmem_file_scope(),
            "in one burst (requests at most %g ms apart) with nmap's ARP ping of a host nmap "
            "then scanned (frame %u): nmap's ARP ping",
            ARP_BURST_SECONDS * 1e3, first->first_probe);
    return true;
}

/* Whether port, an ARP record never answered, is nmap's ARP ping of an absent
 * host by its two requests alone (ARP_RETRY_MIN_SECONDS); its evidence then,
 * made once (arp_lone). A third request later takes it back. */
static const char *arp_unanswered_ping(const port_record *port)
{
    if (port->tries != 2 || port->responses || wmem_map_contains(resolved_by, port))
        return NULL;
    const char *known = wmem_map_lookup(arp_lone, port);
    if (known)
        return known;
    packet_flow flow = {.src = port->scanner, .dst = port->target};
    unsigned n = 0;
    for (probe_flow_record *rec = flow_head(&flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++) {
        if (rec->port != port)
            continue;
        const try_record *first = try_at(rec, 0), *second = try_at(rec, 1);
        double gap = seconds(&second->probe_time) - seconds(&first->probe_time);
        if (!first->probe_frame || !second->probe_frame || gap < ARP_RETRY_MIN_SECONDS ||
            gap > ARP_RETRY_MAX_SECONDS)
            return NULL;
        const char *evidence = wmem_strdup_printf(
            wmem_file_scope(),
            "two requests %.0f ms apart, never answered, and no third: nmap's ARP ping of a host "
            "it finds down (a 200 ms timeout, a second's pause, one retry; a kernel asks three "
            "times, 1 s apart)",
            gap * 1e3);
        wmem_map_insert(arp_lone, (void *)port, (void *)evidence);
        return evidence;
    }
    return NULL;
}

/* Whether an ARP record is nmap's ping (arp_ping_of(), arp_unanswered_ping()),
 * or in the burst of one and followed by nothing; its evidence then. */
static const char *arp_ping_evidence(const port_record *port)
{
    if (port->type != &ping_arp || !port->suspect)
        return NULL;
    const char *evidence = wmem_map_lookup(arp_pings, port);
    if (evidence)
        return evidence;
    const arp_burst *burst = wmem_map_lookup(arp_burst_of, port);
    if (!burst || !burst->evidence || wmem_map_contains(arp_followed, port) ||
        wmem_map_contains(resolved_by, port))
        return arp_unanswered_ping(port);
    return burst->evidence;
}

/* Whether the scanner pinged the target on the link well before its first
 * probe to it (host discovery): its sweep asked for the address, or nmap's ARP
 * ping did (arp_ping_of()); a request just before the probe resolved the
 * address for it (resolved_by), and the one before that may be the ping. */
static bool asked_before(const packet_flow *hosts, const nstime_t *when, port_record *first)
{
    probe_flow_record *asked = asked_flow(hosts, 0);
    if (!asked)
        return false;
    const try_record *t = try_at(asked, asked->latest_try);
    if (seconds(when) - seconds(&t->probe_time) <= RESOLUTION_SECONDS) {
        wmem_map_insert(resolved_by, asked->port, first);
        probe_flow_record *before = asked_flow(hosts, 1);
        return before && arp_ping_of(before, first, seconds(when), 0);
    }
    if (sweep_is_sweeper(sweep_find(sweeps, &hosts->src)))
        return true;
    return arp_ping_of(asked, first, seconds(when), RESOLUTION_SECONDS);
}

/* The hosts whose first run is (type, run) of scanner: made when wanted. */
static unsigned *ping_run_count(const scan_type *type, uint32_t run, const packet_addr *scanner,
                                bool make)
{
    port_key key = {.type = type, .scan_id = run, .scanner = *scanner};
    unsigned *count = g_hash_table_lookup(ping_runs, &key);
    if (!count && make) {
        count = wmem_new0(wmem_file_scope(), unsigned);
        g_hash_table_insert(ping_runs, wmem_memdup(wmem_file_scope(), &key, sizeof key), count);
    }
    return count;
}

/* A port of the host's runs: first_port, its first probe (only that counts). */
static void host_run_port(host_probes *h, const port_record *port, bool first_port)
{
    if (port->type->discovery) {
        if (!h->first_type && !h->discovered) {
            h->discovered = true;
            h->discovered_by = port;
        }
        return;
    }
    if (!h->first_type) {
        h->first_type = port->type;
        h->first_run = port->scan_id;
        ++*ping_run_count(port->type, port->scan_id, &h->hosts.src, true);
    }
    if (!first_port)
        return;
    if (h->first_type != port->type || h->first_run != port->scan_id) {
        if (h->later_ports < UINT16_MAX)
            h->later_ports++;
    } else if (h->first_run_ports < UINT16_MAX) {
        h->first_run_ports++;
    }
}

/* nmap's ICMP pings: -PE, -PP, -PM. */
static bool ping_icmp_query(const scan_type *type)
{
    return type == &ping_echo || type == &ping_timestamp || type == &ping_mask;
}

/* Keeps what an nmap probe says about the run it belongs to (host_probes). */
static void host_probed(const packet_view *pkt, const nstime_t *when, port_record *port)
{
    packet_flow hosts = host_pair(&pkt->flow);
    host_probes *h = nmap_hosts ? g_hash_table_lookup(nmap_hosts, &hosts) : NULL;
    if (!h) {
        h = wmem_new0(wmem_file_scope(), host_probes);
        h->hosts = hosts;
        g_hash_table_insert(nmap_hosts, &h->hosts, h);
        h->asked = h->discovered = asked_before(&hosts, when, port);
    }
    bool first_run = !h->first_type && !port->type->discovery;
    host_run_port(h, port, port->probes == 1);
    if (first_run && h->discovered_by && ping_icmp_query(h->discovered_by->type)) {
        const nmap_ping *ping = wmem_map_lookup(nmap_pings, &hosts);
        h->first_run_in_burst = ping && seconds(when) - seconds(&ping->when) <= PING_BURST_SECONDS;
    }
}

/* The ping of the same kind as a port scan type's probe, NULL if none. */
static const scan_type *ping_of(const scan_type *type)
{
    if (type == &scan_syn)
        return &ping_syn;
    if (type == &scan_ack)
        return &ping_ack;
    if (type == &scan_udp)
        return &ping_udp;
    if (type == &scan_sctp_init)
        return &ping_sctp;
    if (type == &scan_proto)
        return &ping_proto;
    return NULL;
}

/* nmap -sn -PU of one host: a datagram to nmap's own -PU port (nmap.h,
 * DEFAULT_UDP_PROBE_PORT), the only port the scanner sent the host, is a ping
 * even where no second host or port scan shows it (a port scan sends more). */
static bool udp_ping_port_alone(const port_record *port, const host_probes *h)
{
    return port->type == &scan_udp && port->port == NMAP_UDP_PING_PORT && h->first_run_ports == 1 &&
           h->later_ports == 0;
}

/* Whether the port's probes are a ping by what their scanner did (host_probes):
 * *hosts the hosts its run pinged so, *later_ports the host's ports probed after. */
static bool ping_by_behaviour(const port_record *port, unsigned *hosts, unsigned *later_ports)
{
    packet_flow pair = {.src = port->scanner, .dst = port->target};
    const host_probes *h = nmap_hosts ? g_hash_table_lookup(nmap_hosts, &pair) : NULL;
    if (!h || (h->discovered && !h->first_run_in_burst) || h->first_type != port->type ||
        h->first_run != port->scan_id || h->first_run_ports > PING_MAX_PORTS)
        return false;
    port_key run = {.type = port->type, .scan_id = port->scan_id, .scanner = port->scanner};
    const unsigned *count = g_hash_table_lookup(ping_runs, &run);
    *hosts = count ? *count : 0;
    *later_ports = h->later_ports;
    if (h->discovered)
        return h->later_ports == 0; /* in the ICMP ping's burst, no port scan after */
    return h->later_ports > PING_MAX_PORTS || *hosts >= PING_MIN_HOSTS ||
           udp_ping_port_alone(port, h);
}

const scan_type *scan_state_type(const port_record *port)
{
    const scan_type *ping = ping_of(port->type);
    if (!ping || !port->untagged || port->suspect)
        return port->type;
    unsigned hosts, later_ports;
    return ping_by_behaviour(port, &hosts, &later_ports) ? ping : port->type;
}

/* The evidence of a probe that is a ping by behaviour: its fingerprint's, its
 * option the ping's (-PS for -sS), and why it is one. */
static const char *ping_evidence(const port_record *port, const char *fingerprint,
                                 wmem_allocator_t *pool)
{
    unsigned hosts, later_ports;
    const scan_type *ping = scan_state_type(port);
    if (ping == port->type || !ping_by_behaviour(port, &hosts, &later_ports))
        return fingerprint;
    char *text = wmem_strdup(pool, fingerprint ? fingerprint : "");
    size_t len = strlen(text);
    if (len >= 3 && text[len - 3] == '-' && text[len - 2] == 's')
        text[len - 2] = 'P';
    packet_flow pair = {.src = port->scanner, .dst = port->target};
    const host_probes *h = nmap_hosts ? g_hash_table_lookup(nmap_hosts, &pair) : NULL;
    if (h && h->discovered)
        return wmem_strdup_printf(pool,
                                  "%s; sent the host to at most %u of its ports within %.0f ms of "
                                  "nmap's ICMP ping of it, in that ping's burst, with no port scan "
                                  "of it after: a ping",
                                  text, PING_MAX_PORTS, PING_BURST_SECONDS * 1000);
    if (hosts < PING_MIN_HOSTS && later_ports <= PING_MAX_PORTS)
        return wmem_strdup_printf(pool,
                                  "%s; the only port its scanner probed on the host, nmap -PU's "
                                  "own, with no port scan of it after: a ping",
                                  text);
    if (later_ports > PING_MAX_PORTS)
        return wmem_strdup_printf(pool,
                                  "%s; the first probes its scanner sent the host, to at most %u "
                                  "of its ports, and a port scan of %u of its ports followed: "
                                  "a ping",
                                  text, PING_MAX_PORTS, later_ports);
    return wmem_strdup_printf(pool,
                              "%s; the first probes its scanner sent the host, to at most %u of "
                              "its ports, as to %u hosts, with no port scan of it after: a ping "
                              "sweep",
                              text, PING_MAX_PORTS, hosts);
}

void scan_state_port_retyped(port_record *cand, port_record *q, bool fresh)
{
    /* The candidate is no port of its old type any more. */
    g_hash_table_remove(ports, cand);
    port_key group = {.type = cand->type, .target = cand->target, .proto = cand->proto};
    unsigned *size = wmem_map_lookup(groups, &group);
    if (size && *size)
        --*size;
    cand->proto_candidate = false;
    /* nmap's UDP scan of the host was this probe's: no further datagram joins it. */
    packet_flow hosts = {.src = cand->scanner, .dst = cand->target};
    const nmap_udp_scan *udp = wmem_map_lookup(nmap_udp_scans, &hosts);
    if (cand->type == &scan_udp && udp && udp->first == cand->first_probe)
        wmem_map_remove(nmap_udp_scans, &hosts);
    /* The host's runs: the candidate was the first thing sent, or its run. */
    host_probes *h = g_hash_table_lookup(nmap_hosts, &hosts);
    if (h) {
        if (h->discovered_by == cand) {
            h->discovered = h->asked;
            h->discovered_by = NULL;
        }
        if (h->first_type == cand->type && h->first_run == cand->scan_id) {
            unsigned *count = ping_run_count(cand->type, cand->scan_id, &cand->scanner, false);
            if (count && *count)
                --*count;
            h->first_type = NULL;
            h->first_run_ports = 0;
        }
        host_run_port(h, q, fresh);
    }
}

static const frame_result *add_fingerprinted(uint32_t frame, const nstime_t *when,
                                             const packet_view *pkt, fingerprint *fp)
{
    /* nmap pings a host now and then during a port scan of another protocol, to
     * time it (its timing pings), from the scan's own source ports. */
    proto_paired(pkt, when, fp);
    if (fp->may_be_discovery && (nmap_discovery(pkt, when) || nmap_udp_scan_of(pkt)))
        fingerprint_as_discovery(fp);
    if (fp->type == &ping_echo || fp->type == &ping_timestamp)
        nmap_ping_seen(pkt, when);
    /* nmap's default host discovery (echo, SYN to 443, ACK to 80, timestamp):
     * its echo and ACK are no -sO probes. */
    if (fp->type == &ping_timestamp || (fp->type == &ping_syn && pkt->flow.dport == 443))
        proto_candidates_drop(&pkt->flow);
    /* The wire does not tell -PO1's echo from -PE's: the preference may. */
    if (fp->type == &ping_echo && options.nmap_echo_proto && strcmp(fp->tool, "nmap") == 0) {
        fp->type = &ping_proto;
        char *tail = strrchr(fp->evidence, ':');
        if (tail)
            g_snprintf(tail, sizeof fp->evidence - (size_t)(tail - fp->evidence),
                       ": nmap -PO (preference scantrace.nmap_echo)");
    }
    unsigned ping;
    uint32_t run = nmap_run(pkt, fp, &ping);
    frame_result *res = add_untagged_probe(frame, when, pkt, fp->type, false, run);
    if (res) {
        res->timing_ping = ping;
        res->tool = fp->tool;
        res->evidence = wmem_strdup(wmem_file_scope(), fp->evidence);
        if (fp->type == &scan_udp)
            nmap_udp_seen(pkt, frame);
        /* nmap's --data-length bytes: every UDP probe of the run is them. */
        if (datalens && pkt->payload && pkt->payload_len &&
            (pkt->flow.proto == PACKET_TCP || fp->type == &ping_echo) &&
            strcmp(fp->tool, "nmap") == 0)
            data_length_learn(datalens, pkt, frame);
        if (strcmp(fp->tool, "nmap") == 0) {
            port_record *port = res->flow->port;
            /* -g: a port nmap never picks itself, or a second try from the
             * first's port (nmap's own ports name the try). Not a kernel's
             * probe (-sT), which nmap does not match by its numbers. */
            if (pkt->flow.proto == PACKET_TCP && !port->type->socket_tos &&
                (pkt->flow.sport < NMAP_OWN_SPORT_MIN || res->flow->tries_seen > 1))
                port->fixed_sport = true;
            host_probed(pkt, when, port);
            proto_probe_recorded(pkt, when, port);
        }
    }
    return res;
}

/* nmap sends a UDP port every request nmap-payloads has for it, each from a
 * source port of its own, and retries: any further raw datagram (no DF) from the
 * same source to a port of its fingerprinted UDP scan, or from a source port of
 * that scan to its target, is one of its probes too, whatever its payload, so
 * that the port has one record and one verdict. */
static const frame_result *add_follow_up(uint32_t frame, const nstime_t *when,
                                         const packet_view *pkt)
{
    if (pkt->flow.proto != PACKET_UDP || pkt->df)
        return NULL;
    port_record wanted = port_wanted(&scan_udp, 0, &pkt->flow.src, false, &pkt->flow.dst,
                                     PACKET_UDP, pkt->flow.dport);
    const port_record *port = port_find(&wanted);
    uint32_t first_frame = port && port->first_probe ? port->first_probe : nmap_udp_scan_of(pkt);
    if (!first_frame)
        return NULL;
    const frame_result *first = scan_state_lookup(first_frame);
    frame_result *res = add_untagged_probe(frame, when, pkt, &scan_udp, false, 0);
    if (res && first) {
        res->tool = first->tool;
        res->evidence = wmem_strdup_printf(wmem_file_scope(),
                                           "a raw datagram (no DF, TTL %u) to a port or from a "
                                           "source port of nmap's UDP scan, which frame %u "
                                           "begins: nmap -sU",
                                           pkt->ttl, first_frame);
    }
    if (res)
        host_probed(pkt, when, res->flow->port);
    return res;
}

/* Counts a suspected attempt as failed, once. */
static void suspect_failed(probe_flow_record *rec, const nstime_t *when, behaviour_failure why)
{
    const port_record *port = rec->port;
    if (rec->failed)
        return;
    rec->failed = true;
    behaviour_failed(suspects, behaviour_source_get(suspects, &port->scanner), &port->target,
                     port->proto, port->port, seconds(when), why, &options.thresholds);
}

/* The type a suspected attempt is judged as, NULL if pkt is none: a kernel's
 * SYN (DF, a full option list) as a connect scan's, a raw one as a SYN scan's,
 * any UDP datagram as a UDP scan's. */
static const scan_type *suspect_type(const packet_view *pkt)
{
    if (!packet_addr_unicast(&pkt->flow.dst) || !packet_addr_unicast(&pkt->flow.src))
        return NULL;
    if (pkt->flow.proto == PACKET_TCP &&
        (pkt->tcp_flags & (TCP_SYN | TCP_ACK | TCP_RST | TCP_FIN)) == TCP_SYN)
        return pkt->df || pkt->tcp_options_len > 4 ? &scan_connect : &scan_syn;
    if (pkt->flow.proto == PACKET_UDP)
        return &scan_udp;
    return NULL;
}

/* A suspected attempt of a source known to scan (or being recorded now that it
 * is one: replay_source()), recorded as a probe. */
static const frame_result *record_suspect(uint32_t frame, const nstime_t *when,
                                          const packet_view *pkt, const scan_type *type)
{
    unsigned n = 0;
    for (probe_flow_record *rec = flow_head(&pkt->flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++) {
        if (!rec->port->suspect || rec->port->type != type)
            continue;
        /* The same flow again: after an answer, the client talking on (UDP); else
         * the attempt retried, unanswered. */
        if (rec->conversation)
            return NULL;
        if (rec->accepted) {
            rec->conversation = true;
            return NULL;
        }
        suspect_failed(rec, when, FAILURE_UNANSWERED);
        break;
    }
    return add_untagged_probe(frame, when, pkt, type, true, 0);
}

static const frame_result *add_teardown(uint32_t frame, const nstime_t *when,
                                        const packet_view *pkt);
static const frame_result *add_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt);

/* An attempt's frame, with its attempt. */
typedef struct kept_event {
    const attempt_event *event;
    const attempt *of;
} kept_event;

static int event_order(gconstpointer a, gconstpointer b)
{
    const kept_event *x = a, *y = b;
    return x->event->frame < y->event->frame ? -1 : x->event->frame > y->event->frame;
}

/* src has just crossed a threshold: the attempts it still has in the table
 * (attempts.h) are recorded, frame by frame in the order seen, as they would
 * have been had it been known to scan from its first, so that its scan is
 * labelled from its first probe (on the passes after this one). */
static void replay_source(const packet_addr *src)
{
    GPtrArray *mine = g_ptr_array_new();
    attempts_of_source(recent, src, mine);
    GArray *events = g_array_new(FALSE, FALSE, sizeof(kept_event));
    for (guint i = 0; i < mine->len; i++) {
        const attempt *at = g_ptr_array_index(mine, i);
        for (unsigned e = 0; e < at->events; e++) {
            kept_event k = {&at->event[e], at};
            g_array_append_val(events, k);
        }
    }
    g_array_sort(events, event_order);
    for (guint i = 0; i < events->len; i++) {
        const kept_event *k = &g_array_index(events, kept_event, i);
        const attempt_event *e = k->event;
        nstime_t when = {.secs = (time_t)e->secs, .nsecs = e->nsecs};
        const frame_result *res;
        switch (e->side) {
        case ATTEMPT_PROBE:
            res = record_suspect(e->frame, &when, &e->pkt, k->of->type);
            if (res && res->role == ROLE_PROBE)
                verdict_note_probe_seen(res, e->frame);
            break;
        case ATTEMPT_CLIENT:
            add_teardown(e->frame, &when, &e->pkt);
            break;
        default:
            res = add_reply(e->frame, &when, &e->pkt);
            /* The event keeps no payload: whether the target sent data. */
            if (res && e->data && e->pkt.flow.proto == PACKET_TCP)
                res->flow->served = true;
            break;
        }
    }
    for (guint i = 0; i < mine->len; i++)
        attempts_drop(g_ptr_array_index(mine, i));
    g_array_free(events, TRUE);
    g_ptr_array_free(mine, TRUE);
}

/* The frames of a run of nmap's --data-length datagrams kept in the table of
 * attempts before the second of them showed the run (frames: theirs), recorded
 * as nmap's UDP probes, with what answered them, in the order seen, as if
 * known from the first (replay_source() does so for a source that crosses a
 * threshold). */
static void replay_data_length(const packet_addr *src, const GArray *frames, const fingerprint *fp)
{
    if (!recent)
        return;
    GPtrArray *all = g_ptr_array_new();
    GPtrArray *mine = g_ptr_array_new();
    attempts_of_source(recent, src, all);
    GArray *events = g_array_new(FALSE, FALSE, sizeof(kept_event));
    for (guint i = 0; i < all->len; i++) {
        const attempt *at = g_ptr_array_index(all, i);
        bool run = false;
        for (guint f = 0; at->flow.proto == PACKET_UDP && at->events && f < frames->len; f++)
            run = run || g_array_index(frames, uint32_t, f) == at->event[0].frame;
        if (!run)
            continue;
        g_ptr_array_add(mine, (gpointer)at);
        for (unsigned e = 0; e < at->events; e++) {
            kept_event k = {&at->event[e], at};
            g_array_append_val(events, k);
        }
    }
    g_array_sort(events, event_order);
    for (guint i = 0; i < events->len; i++) {
        const attempt_event *e = g_array_index(events, kept_event, i).event;
        nstime_t when = {.secs = (time_t)e->secs, .nsecs = e->nsecs};
        if (e->side == ATTEMPT_PROBE) {
            fingerprint each = *fp;
            const frame_result *res = add_fingerprinted(e->frame, &when, &e->pkt, &each);
            if (res && res->role == ROLE_PROBE)
                verdict_note_probe_seen(res, e->frame);
        } else if (e->side == ATTEMPT_SERVER) {
            add_reply(e->frame, &when, &e->pkt);
        }
    }
    for (guint i = 0; i < mine->len; i++)
        attempts_drop(g_ptr_array_index(mine, i));
    g_array_free(events, TRUE);
    g_ptr_array_free(mine, TRUE);
    g_ptr_array_free(all, TRUE);
}

/* nmap's UDP probes with --data-length carry nothing of nmap's but the run's
 * random bytes (common/nmap_data.h): a raw datagram (no DF, nmap's TTL or
 * --ttl's) is one when its bytes are those an nmap probe of the same source
 * carried (its TCP probes, its echo request), or those of a datagram of the
 * same source to another port or host (kept, data_length.h), whose kept
 * attempts are then recorded as the run's too (replay_data_length()); and
 * with nmap's own TTL alone, -PU's random bytes to its own port, 40125. A
 * datagram on a flow the other side began (a server's answer to a client
 * whose port is 40125, say) is none, nor, unless its bytes are an nmap probe's
 * of its source, one to a port that sent to its source (a TFTP server answers
 * from a new port: data_length_answers()). */
static bool nmap_data_datagram(uint32_t frame, const packet_view *pkt, fingerprint *fp)
{
    if (!datalens || pkt->flow.proto != PACKET_UDP || pkt->df || pkt->udp_stated_len == 0 ||
        !fingerprint_nmap_ttl(pkt) || !packet_addr_unicast(&pkt->flow.dst) ||
        !packet_addr_unicast(&pkt->flow.src))
        return false;
    packet_flow back = packet_flow_reverse(&pkt->flow);
    if (recent && attempts_find(recent, &back))
        return false;
    *fp = (fingerprint){.tool = "nmap", .type = &scan_udp};
    uint32_t carried = data_length_known(datalens, pkt);
    if (carried) {
        snprintf(fp->evidence, sizeof fp->evidence,
                 "the same %zu bytes as nmap's probe in frame %u (--data-length: every probe of "
                 "a run carries them), no DF, TTL %u: nmap -sU",
                 pkt->udp_stated_len, carried, pkt->ttl);
        return true;
    }
    /* Past here bytes alone tell: a datagram that answers one (a TFTP
     * server's ERROR from a new port, say) is none of nmap's. */
    if (data_length_answers(datalens, pkt))
        return false;
    if (nmap_udp_ping_with_data(pkt) && fingerprint_nmap_hops(pkt)) {
        snprintf(fp->evidence, sizeof fp->evidence,
                 "%zu random bytes (--data-length) to %u/udp (nmap -PU's port), no DF, TTL %u: "
                 "nmap -PU",
                 pkt->udp_stated_len, pkt->flow.dport, pkt->ttl);
        return true;
    }
    if (!nmap_data_random(pkt->payload, pkt->payload_len))
        return false;
    GArray *frames = data_length_candidate(datalens, pkt, frame);
    if (!frames)
        return false;
    uint32_t first = g_array_index(frames, uint32_t, 0);
    data_length_learn(datalens, pkt, first);
    snprintf(fp->evidence, sizeof fp->evidence,
             "%zu random bytes, sent to another port too (frames %u and %u): nmap's "
             "--data-length, the same in every probe of a run; no DF: nmap -sU",
             pkt->udp_stated_len, first, frame);
    replay_data_length(&pkt->flow.src, frames, fp);
    g_array_unref(frames);
    return true;
}

/* Counts the attempt as failed, once; should that make its source a scanner,
 * records its attempts. What the current frame (its last event) is: NULL but
 * then. */
static const frame_result *attempt_failed(attempt *at, uint32_t frame, const nstime_t *when,
                                          behaviour_failure why)
{
    if (at->failed)
        return NULL;
    at->failed = true;
    behaviour_source *src = behaviour_source_get(suspects, &at->flow.src);
    behaviour_failed(suspects, src, &at->flow.dst, at->flow.proto, at->flow.dport, seconds(when),
                     why, &options.thresholds);
    if (!behaviour_is_scanner(src))
        return NULL;
    packet_addr who = at->flow.src;
    replay_source(&who);
    return scan_state_lookup(frame);
}

static void attempt_note(attempt *at, attempt_side side, uint32_t frame, const nstime_t *when,
                         const packet_view *pkt)
{
    attempts_note(at, side, frame, (int64_t)when->secs, (int32_t)when->nsecs, pkt);
}

/* A suspected attempt (suspect_type()) of a source not known to scan: kept in
 * the table of attempts, with no record, as suspect_client() and suspect_reply()
 * would keep it. */
static const frame_result *attempt_probe(uint32_t frame, const nstime_t *when,
                                         const packet_view *pkt, const scan_type *type)
{
    attempt *at = attempts_find(recent, &pkt->flow);
    if (!at || at->type != type) {
        attempt_note(attempts_start(recent, &pkt->flow, type), ATTEMPT_PROBE, frame, when, pkt);
        return NULL;
    }
    if (at->conversation)
        return NULL;
    if (at->accepted) {
        attempts_conversation(at);
        return NULL;
    }
    attempt_note(at, ATTEMPT_PROBE, frame, when, pkt);
    return attempt_failed(at, frame, when, FAILURE_UNANSWERED);
}

/* A packet on the flow of a kept attempt, either side's, as suspect_client()
 * and suspect_reply() read it. false: pkt is on no kept attempt's flow. */
static bool attempt_seen(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                         const frame_result **res)
{
    *res = NULL;
    packet_flow back = pkt->has_quote ? pkt->quote : packet_flow_reverse(&pkt->flow);
    attempt *at = attempts_find(recent, &back);
    if (at) {
        if (at->conversation)
            return true;
        attempt_note(at, ATTEMPT_SERVER, frame, when, pkt);
        if (pkt->has_quote) {
            bool v6 = pkt->flow.proto == PACKET_ICMPV6;
            bool unreach = pkt->icmp_type == (v6 ? ICMPV6_UNREACH : ICMP_UNREACH);
            bool refused = unreach && pkt->icmp_code == (v6 ? 4 : 3);
            if (unreach)
                *res = attempt_failed(at, frame, when,
                                      refused ? FAILURE_REFUSED : FAILURE_UNREACHABLE);
        } else if (pkt->flow.proto == PACKET_TCP && pkt->payload_len > 0) {
            at->served = true;
        } else if (pkt->flow.proto == PACKET_TCP && (pkt->tcp_flags & TCP_RST)) {
            *res = attempt_failed(at, frame, when, FAILURE_REFUSED);
        } else if (pkt->flow.proto == PACKET_UDP ||
                   (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
            at->accepted = true;
        }
        return true;
    }
    if (pkt->has_quote || pkt->flow.proto != PACKET_TCP || (pkt->tcp_flags & TCP_SYN))
        return false;
    at = attempts_find(recent, &pkt->flow);
    if (!at || !scan_is_teardown(at->type, pkt))
        return false;
    if (at->conversation)
        return true;
    if (pkt->payload_len > 0) {
        attempts_conversation(at);
        return true;
    }
    attempt_note(at, ATTEMPT_CLIENT, frame, when, pkt);
    if ((pkt->tcp_flags & (TCP_RST | TCP_FIN)) && at->accepted && !at->served)
        *res = attempt_failed(at, frame, when,
                              (pkt->tcp_flags & TCP_RST) ? FAILURE_ABORTED_RESET : FAILURE_ABORTED);
    return true;
}

/* Any other attempt (a SYN, a UDP datagram) is a suspected probe: recorded
 * once its source is known to scan, else only kept in the table of attempts
 * (attempts.h), which records it should its source turn out to scan. */
static const frame_result *add_suspect(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    const scan_type *type = suspects ? suspect_type(pkt) : NULL;
    if (!type)
        return NULL;
    if (behaviour_is_scanner(behaviour_source_find(suspects, &pkt->flow.src)))
        return record_suspect(frame, when, pkt, type);
    return attempt_probe(frame, when, pkt, type);
}

/* The client's side of a suspected attempt after its SYN: a byte of data makes it
 * a conversation; an end without one, after the target accepted, a failure.
 * false: the packet is no part of a scan. */
static bool suspect_client(probe_flow_record *rec, const packet_view *pkt, const nstime_t *when)
{
    if (rec->conversation)
        return false;
    if (pkt->payload_len > 0) {
        rec->conversation = true;
        return false;
    }
    if ((pkt->tcp_flags & (TCP_RST | TCP_FIN)) && rec->accepted && !rec->served)
        suspect_failed(rec, when,
                       (pkt->tcp_flags & TCP_RST) ? FAILURE_ABORTED_RESET : FAILURE_ABORTED);
    return true;
}

/* The target's answer to a suspected attempt. false: no part of a scan. */
static bool suspect_reply(probe_flow_record *rec, const packet_view *pkt, const nstime_t *when)
{
    if (rec->conversation)
        return false;
    if (pkt->has_quote) {
        /* Time exceeded: the attempt died on the way (a traceroute's path probe),
         * it did not fail at the target. */
        bool v6 = pkt->flow.proto == PACKET_ICMPV6;
        bool unreach = pkt->icmp_type == (v6 ? ICMPV6_UNREACH : ICMP_UNREACH);
        bool refused = unreach && pkt->icmp_code == (v6 ? 4 : 3);
        if (unreach)
            suspect_failed(rec, when, refused ? FAILURE_REFUSED : FAILURE_UNREACHABLE);
    } else if (pkt->flow.proto == PACKET_TCP && pkt->payload_len > 0) {
        rec->served = true; /* the server sent data: a conversation's, not a failure */
    } else if (pkt->flow.proto == PACKET_TCP && (pkt->tcp_flags & TCP_RST)) {
        suspect_failed(rec, when, FAILURE_REFUSED);
    } else if (pkt->flow.proto == PACKET_UDP ||
               (pkt->tcp_flags & (TCP_SYN | TCP_ACK)) == (TCP_SYN | TCP_ACK)) {
        rec->accepted = true;
    }
    return true;
}

/* A frame of the rest of what the probe of that try opened: either side's ACKs,
 * data (a banner) and closing, after the answer that decided the port. They
 * say nothing more, and timing them from the probe would be no round trip. */
static frame_result *teardown_result(uint32_t frame, probe_flow_record *rec, unsigned slot)
{
    frame_result *res = result_new(frame, ROLE_TEARDOWN, rec, slot);
    res->probe_in = try_at(rec, slot)->probe_frame;
    return res;
}

/* A capture of one side only (the scanner's, say) may miss the target's answer
 * to a SYN: but the scanner's kernel resets, or completes, only a connection
 * the target accepted, so its packet on a probe's flow that no captured reply
 * answered shows a SYN-ACK came. The port is judged as that SYN-ACK would
 * judge it, by its scan type's own rule; the packet stays a teardown. */
static void answer_implied(probe_flow_record *rec, const packet_view *pkt, uint32_t frame)
{
    port_record *port = rec->port;
    if (port->judged_in || port->suspect || !(port->type->tcp_flags & TCP_SYN) ||
        try_at(rec, rec->latest_try)->reply_frame || pkt->flow.proto != PACKET_TCP)
        return;
    packet_view syn_ack = {.flow = packet_flow_reverse(&rec->flow), .tcp_flags = TCP_SYN | TCP_ACK};
    verdict v;
    if (!port->type->judge(&syn_ack, &v))
        return;
    port->judged = v;
    port->judged_in = frame;
    port->implied = true;
}

/* A packet on a probe's own flow that ends what the probe opened. When several
 * scans used the flow, the one active last is meant. */
static const frame_result *add_teardown(uint32_t frame, const nstime_t *when,
                                        const packet_view *pkt)
{
    /* Only a TCP packet without SYN ends anything (scan_is_teardown): no lookup
     * for the rest. */
    if (pkt->flow.proto != PACKET_TCP || (pkt->tcp_flags & TCP_SYN))
        return NULL;
    probe_flow_record *best = NULL;
    unsigned n = 0;
    for (probe_flow_record *rec = flow_head(&pkt->flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++)
        if (scan_is_teardown(rec->port->type, pkt) && (!best || rec->last_frame > best->last_frame))
            best = rec;
    if (!best)
        return NULL;
    if (best->port->suspect && !suspect_client(best, pkt, when))
        return NULL;
    unsigned slot =
        try_at(best, best->replied_try)->reply_frame ? best->replied_try : best->latest_try;
    frame_result *res = teardown_result(frame, best, slot);
    answer_implied(best, pkt, frame);
    return res;
}

/* said: what the reply says about the port, NULL when it says nothing. */
static frame_result *attribute_reply(uint32_t frame, const nstime_t *when, const verdict *said,
                                     probe_flow_record *rec, unsigned slot)
{
    port_record *port = rec->port;
    frame_result *res = result_new(frame, ROLE_RESPONSE, rec, slot);
    try_record *t = try_make(rec, slot);
    if (t->probe_frame) {
        res->probe_in = t->probe_frame;
        nstime_delta(&res->rtt, when, &t->probe_time);
        /* Timestamped before its probe (queues captured apart): no round trip. */
        res->early = res->rtt.secs < 0 || res->rtt.nsecs < 0;
        res->has_rtt = !res->early;
    }
    if (t->reply_frame) {
        res->duplicate_of = t->reply_frame;
    } else {
        t->reply_frame = frame;
        if (res->has_rtt) {
            nstime_add(&port->rtt_total, &res->rtt);
            port->rtt_samples++;
        }
    }
    rec->replied_try = (uint8_t)slot;
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

/* The try of an untagged probe that a reply answers: the one whose own numbers
 * it brings back, or, when only its flow ties it, the latest. false: it brings
 * back numbers, but none of a try. */
static bool untagged_try(const probe_flow_record *rec, const packet_view *pkt, reply_match match,
                         uint32_t cookie, unsigned *slot)
{
    *slot = rec->latest_try;
    /* A UDP reply's echoed request id is our own payloads' cookie, not theirs. */
    if (match != REPLY_COOKIE || (pkt->flow.proto == PACKET_UDP && !pkt->has_quote))
        return true;
    /* The latest try that matches. */
    int best = -1;
    for (unsigned i = 0; i < rec->tries_seen; i++) {
        const try_record *t = &rec->tries[i];
        uint32_t want = pkt->has_quote ? t->quote_cookie : t->reply_cookie;
        if (t->slot <= rec->latest_try && t->probe_frame && want == cookie && t->slot > best)
            best = t->slot;
    }
    if (best < 0)
        return false;
    *slot = (unsigned)best;
    return true;
}

/* Whether a reply whose numbers name no try still answers the probe, as nmap
 * takes it (scan_engine_raw.cc, get_pcap_result): a TCP, UDP or SCTP reply by
 * its addresses and ports alone (stacks and middleboxes acknowledge
 * differently: a BSD RST to a FIN, a SYN proxy's SYN-ACK), an ICMP error
 * quoting a UDP probe by the quoted ports, one quoting an SCTP INIT by the
 * quoted ports and verification tag, which an INIT's is 0. An ICMP error that
 * quotes a TCP probe's whole sequence number must quote the probe's, and ICMP
 * queries their id and sequence. */
static bool tied_by_flow(const scan_type *type, const packet_view *pkt)
{
    if (!pkt->has_quote)
        return scan_state_proto_has_ports(type->ip_proto);
    return pkt->quote.proto == PACKET_UDP ||
           (pkt->quote.proto == PACKET_SCTP && pkt->quote_has_word && pkt->quote_word == 0);
}

/* The reply now tied to rec's try slot: judged by its scan type. */
static const frame_result *add_tied_reply(uint32_t frame, const nstime_t *when,
                                          const packet_view *pkt, probe_flow_record *rec,
                                          unsigned slot, bool numbers_differ)
{
    const scan_type *type = rec->port->type;
    if (rec->port->suspect && !suspect_reply(rec, pkt, when))
        return NULL;
    verdict said;
    bool says = type->judge(pkt, &said);
    slot %= COOKIE_MAX_TRIES;
    /* The target's side of a connection, once answered. */
    if (!says && try_at(rec, slot)->reply_frame && pkt->flow.proto == PACKET_TCP &&
        !(pkt->tcp_flags & TCP_SYN))
        return teardown_result(frame, rec, slot);
    frame_result *res = attribute_reply(frame, when, says ? &said : NULL, rec, slot);
    if (rec->port->judged_in == frame)
        rec->port->judged_ttl = pkt->ttl;
    if (rec->port->proto_candidate)
        proto_keep_reply(frame, when, pkt, rec->port);
    if (!says)
        res->role = ROLE_IGNORED;
    else if (rec->port->untagged && type == &scan_ack && rec->port->judged_in == frame)
        scan_window.judge(pkt, &rec->port->window_judged);
    /* The ping's reading, should the probe turn out to be one (scan_state_type). */
    const scan_type *ping = ping_of(type);
    verdict as_ping;
    if (ping && rec->port->untagged && !rec->port->ping_state && ping->judge(pkt, &as_ping)) {
        rec->port->ping_state = (uint8_t)as_ping.state;
        rec->port->ping_reason = (uint8_t)as_ping.why;
    }
    res->numbers_differ = numbers_differ;
    if (type == &scan_proto || rec->port->proto_candidate)
        proto_icmp_after(frame, when, pkt, rec->port);
    return res;
}

/* Whether nmap takes pkt for a try of rec's probe: always, but for a TCP
 * segment answering a probe sent from -g's fixed source port, which nmap ties
 * by its numbers alone (fixed_sport_match.h): then the try in *slot if they
 * name it, else the latest other try they name (*slot changed); false when
 * they name none. The named try comes first: our cookies' tries differ by one,
 * so ack - 1 of one try's reply may be the next try's number (nmap's own
 * numbers differ in both halves). */
static bool nmap_takes(const probe_flow_record *rec, const packet_view *pkt, unsigned *slot)
{
    if (!rec->port->fixed_sport || pkt->flow.proto != PACKET_TCP || pkt->has_quote)
        return true;
    const try_record *named = try_at(rec, *slot % COOKIE_MAX_TRIES);
    if (named->probe_frame && fixed_sport_nmap_matches(named->probe_number, pkt))
        return true;
    int best = -1;
    for (unsigned i = 0; i < rec->tries_seen; i++) {
        const try_record *t = &rec->tries[i];
        if (t->probe_frame && t->slot > best && fixed_sport_nmap_matches(t->probe_number, pkt))
            best = t->slot;
    }
    if (best < 0)
        return false;
    *slot = (unsigned)best;
    return true;
}

/* A reply that answers rec's try in slot, which nmap, having sent it from -g's
 * fixed source port, does not take (nmap_takes()): no verdict from it; the
 * tree says why. */
static const frame_result *add_unmatched_reply(uint32_t frame, const packet_view *pkt,
                                               probe_flow_record *rec, unsigned slot)
{
    slot %= COOKIE_MAX_TRIES;
    frame_result *res = result_new(frame, ROLE_IGNORED, rec, slot);
    const try_record *t = try_at(rec, slot);
    res->probe_in = t->probe_frame;
    res->nmap_unmatched = true;
    res->ack_offset = fixed_sport_ack_offset(t->probe_number, pkt);
    verdict said;
    if (rec->port->type->judge(pkt, &said))
        res->own = said;
    return res;
}

/* Asks each scan and ping type whether pkt answers one of its probes, then checks
 * the cookie against each scan seen probing that flow. A reply whose cookie names
 * no try, where nmap would take it all the same, answers the latest try of the
 * scan active last on the flow. */
static const frame_result *add_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    static const scan_type *const proto_types[] = {&scan_proto, NULL};
    const scan_type *const *const lists[] = {scan_types, ping_types, proto_types};
    probe_flow_record *seen = NULL;
    probe_flow_record *by_flow = NULL;
    /* Most types name the same probe flow (the reply's, reversed): looked up once. */
    packet_flow looked_up;
    probe_flow_record *looked_up_head = NULL;
    bool have_looked_up = false;
    for (size_t l = 0; l < G_N_ELEMENTS(lists); l++) {
        for (size_t i = 0; lists[l][i]; i++) {
            const scan_type *type = lists[l][i];
            packet_flow probe_flow;
            uint32_t cookie = 0;
            reply_match match = scan_reply_key(type, pkt, &probe_flow, &cookie);
            if (match == REPLY_NONE)
                continue;
            if (!have_looked_up || !packet_flow_equal(&looked_up, &probe_flow)) {
                looked_up = probe_flow;
                looked_up_head = flow_head(&probe_flow);
                have_looked_up = true;
            }
            unsigned n = 0;
            for (probe_flow_record *rec = looked_up_head; rec && n < MAX_SCANS_PER_FLOW;
                 rec = rec->next, n++) {
                if (scan_type_judging(rec->port->type) != type)
                    continue;
                /* A --scanflags type is listed as its base: its own flags give the
                 * cookie a reply brings back. */
                uint32_t rec_cookie = cookie;
                reply_match rec_match = match;
                if (rec->port->type != type)
                    rec_match = scan_reply_key(rec->port->type, pkt, &probe_flow, &rec_cookie);
                seen = rec;
                unsigned slot = rec->latest_try;
                bool named;
                if (rec->port->untagged)
                    named = untagged_try(rec, pkt, rec_match, rec_cookie, &slot);
                else
                    named = rec_match != REPLY_COOKIE ||
                            scan_cookie_check(
                                rec->port->type, rec->port->scan_id, &probe_flow, rec_cookie,
                                (rec->port->type->tcp_flags & TCP_ACK) ? 0 : rec->port->data_len,
                                pkt->flow.proto == PACKET_TCP && (pkt->tcp_flags & TCP_RST), &slot);
                if (named && !nmap_takes(rec, pkt, &slot))
                    return add_unmatched_reply(frame, pkt, rec, slot);
                if (named)
                    return add_tied_reply(frame, when, pkt, rec, slot, false);
                if (tied_by_flow(type, pkt) && (!by_flow || rec->last_frame > by_flow->last_frame))
                    by_flow = rec;
            }
        }
    }
    if (by_flow) {
        unsigned slot = by_flow->latest_try;
        if (!nmap_takes(by_flow, pkt, &slot))
            return add_unmatched_reply(frame, pkt, by_flow, slot);
        /* With -g nmap ties by the numbers it found (nmap_takes()). */
        bool by_numbers =
            by_flow->port->fixed_sport && pkt->flow.proto == PACKET_TCP && !pkt->has_quote;
        return add_tied_reply(frame, when, pkt, by_flow, slot, !by_numbers);
    }
    if (seen)
        return result_new(frame, ROLE_STRAY, seen, 0);
    return NULL;
}

/* Keeps a packet that may be a reply to a probe not seen yet: a SYN-ACK, a RST,
 * an ICMP error. Only its headers are kept, which is all judging it needs. */
static void remember_early_reply(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    bool tcp_answer =
        pkt->flow.proto == PACKET_TCP && ((pkt->tcp_flags & TCP_RST) || (pkt->tcp_flags & TCP_SYN));
    bool sctp_answer =
        pkt->flow.proto == PACKET_SCTP && pkt->sctp_has_chunk &&
        (pkt->sctp_chunk_type == SCTP_CHUNK_INIT_ACK || pkt->sctp_chunk_type == SCTP_CHUNK_ABORT);
    if (!tcp_answer && !sctp_answer && !pkt->has_quote)
        return;
    pending_reply *p = &pending[pending_next++ % PENDING_MAX];
    if (!p->frame)
        pending_live++;
    p->probe_flow = pkt->has_quote ? pkt->quote : packet_flow_reverse(&pkt->flow);
    p->frame = frame;
    p->when = *when;
    p->pkt = *pkt;
    p->pkt.tcp_options = p->pkt.payload = p->pkt.quote_payload = NULL;
    p->pkt.tcp_options_len = p->pkt.payload_len = p->pkt.quote_payload_len = 0;
}

/* A probe just recorded on flow: a reply kept from a little before it answers it. */
void settle_early_replies(const packet_flow *flow, const nstime_t *when)
{
    for (unsigned i = 0; i < PENDING_MAX && pending_live; i++) {
        pending_reply *p = &pending[i];
        if (!p->frame || !packet_flow_equal(&p->probe_flow, flow))
            continue;
        double ahead = seconds(when) - seconds(&p->when);
        uint32_t frame = p->frame;
        p->frame = 0;
        pending_live--;
        if (ahead >= -PENDING_LATE && ahead <= PENDING_SECONDS && !scan_state_lookup(frame))
            add_reply(frame, &p->when, &p->pkt);
    }
}

/* A request for the link address of flow's destination (ARP who-has, an IPv6
 * neighbor solicitation) by flow's source, not ours: counted towards a sweep
 * (sweep.h) and kept as a suspected probe of type (ping_arp, ping_nd), shown
 * once its source turns out to sweep. Each request is the next try. */
static const frame_result *add_asked(uint32_t frame, const nstime_t *when, const packet_flow *flow,
                                     const scan_type *type)
{
    if (!sweeps || !sweep_asked(sweeps, &flow->src, &flow->dst, seconds(when), SWEEP_HOST_THRESHOLD,
                                SWEEP_WINDOW_SECONDS))
        return NULL;
    packet_view asked;
    memset(&asked, 0, sizeof asked);
    asked.flow = *flow;
    if (type != &ping_arp)
        return add_untagged_probe(frame, when, &asked, type, true, 0);
    /* A request after an answer starts the pair's next run: the kernel asking
     * after nmap's ARP ping, which it learned nothing from (arp_ping_of()). */
    const probe_flow_record *latest = asked_flow(flow, 0);
    uint32_t run = latest ? latest->port->scan_id : 0;
    if (latest && try_at(latest, latest->latest_try)->reply_frame && run + 1 < ARP_RUNS_MAX)
        run++;
    frame_result *res = add_untagged_probe(frame, when, &asked, type, true, run);
    if (!res || res->flow->port->tries != 1)
        return res;
    /* The pair's first request of the run: the scanner's burst. */
    double now = seconds(when);
    arp_burst *burst = wmem_map_lookup(arp_bursts, &flow->src);
    if (!burst || now - burst->last > ARP_BURST_SECONDS || now < burst->last) {
        burst = wmem_new0(wmem_file_scope(), arp_burst);
        wmem_map_insert(arp_bursts, wmem_memdup(wmem_file_scope(), &flow->src, sizeof flow->src),
                        burst);
    }
    burst->last = now;
    wmem_map_insert(arp_burst_of, res->flow->port, burst);
    return res;
}

/* An ARP reply or neighbor advertisement for flow's destination, to its
 * source: it answers that source's request (ours or a sweep's), whichever
 * try: up, with why (arp-response, nd-response). */
static const frame_result *add_asked_reply(uint32_t frame, const nstime_t *when,
                                           const packet_flow *flow, const scan_type *type,
                                           reason why)
{
    unsigned n = 0;
    for (probe_flow_record *rec = flow_head(flow); rec && n < MAX_SCANS_PER_FLOW;
         rec = rec->next, n++)
        if (rec->port->type == type) {
            verdict said = {HOST_UP, why};
            /* What the asker sends the host next tells whose request it was. */
            if (type == &ping_arp && rec->port->suspect) {
                packet_flow hosts = host_pair(flow);
                quiet_answer *q = wmem_new(wmem_file_scope(), quiet_answer);
                q->asked = rec->port;
                q->answered = *when;
                wmem_map_insert(arp_quiet, wmem_memdup(wmem_file_scope(), &hosts, sizeof hosts), q);
            }
            return attribute_reply(frame, when, &said, rec, rec->latest_try);
        }
    return NULL;
}

/* Neighbor Discovery (RFC 4861): a solicitation is ours (tagged, nd.h) or a
 * request of a possible sweep; an advertisement answers one. Duplicate address
 * detection (from ::) asks for nobody else's address. */
static const frame_result *add_nd(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    packet_flow flow = {.src = pkt->flow.src, .proto = PACKET_ICMPV6};
    if (pkt->icmp_type == ICMPV6_NEIGHBOR_SOLICIT) {
        probe_tag tag;
        if (nd_solicit_recognise(pkt, &tag, &flow.dst))
            return add_probe(frame, when, &flow, &ping_nd, &tag, tool_name(pkt, &tag), 0);
        if (pkt->payload_len < 16 || !packet_addr_unicast(&pkt->flow.src))
            return NULL;
        memcpy(flow.dst.bytes, pkt->payload, sizeof flow.dst.bytes);
        /* Only address resolution, to the target's solicited-node address (RFC
         * 4861 7.2.2), as nmap's ND ping asks; a unicast solicitation checks a
         * neighbour the sender knows (reachability confirmation, 7.3.1). */
        packet_addr group = nd_solicited_node(&flow.dst);
        if (!packet_addr_unicast(&flow.dst) || packet_addr_equal(&flow.src, &flow.dst) ||
            !packet_addr_equal(&pkt->flow.dst, &group))
            return NULL;
        return add_asked(frame, when, &flow, &ping_nd);
    }
    uint8_t mac[6];
    bool has_mac;
    flow.src = pkt->flow.dst;
    if (!nd_advert_parse(pkt, &flow.dst, mac, &has_mac))
        return NULL;
    return add_asked_reply(frame, when, &flow, &ping_nd, REASON_ND_RESPONSE);
}

static const frame_result *classify(uint32_t frame, const nstime_t *when, const packet_view *pkt);

const frame_result *scan_state_add(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    const frame_result *done = scan_state_lookup(frame);
    if (done)
        return done;
    /* The first packet from an asker to the host after an ARP answer: the
     * request was nmap's ping only if that packet is its scan's probe, which
     * classify() looks at first (asked_before()). */
    packet_flow hosts = host_pair(&pkt->flow);
    quiet_answer *quiet = wmem_map_size(arp_quiet) ? wmem_map_remove(arp_quiet, &hosts) : NULL;
    /* An ICMP error quoting our UDP probe's IP header but not its ports
     * (snapshot length): tied as the whole quote would be (snaplen.h). */
    packet_view tied;
    bool quote_cut = snaplen_quote_tie(pkt, &tied);
    if (quote_cut)
        pkt = &tied;
    const frame_result *res = classify(frame, when, pkt);
    if (res && quote_cut)
        scan_state_frame(frame)->quote_cut = true;
    if (quiet) {
        wmem_map_insert(arp_followed, quiet->asked, quiet->asked);
        if (seconds(when) - seconds(&quiet->answered) <= HELD_PACKET_SECONDS)
            wmem_map_insert(arp_held, quiet->asked, quiet->asked);
    }
    if (!res)
        remember_early_reply(frame, when, pkt);
    else if (res->role == ROLE_PROBE)
        settle_early_replies(&pkt->flow, when);
    return res;
}

/* What pkt is to a scan, recorded. */
static const frame_result *classify(uint32_t frame, const nstime_t *when, const packet_view *pkt)
{
    /* Every datagram, a probe's too: a datagram back to its port answers it
     * (nmap_data_datagram()). */
    if (datalens)
        data_length_note_sent(datalens, pkt);
    if (pkt->flow.proto == PACKET_ICMPV6 && !pkt->has_quote &&
        (pkt->icmp_type == ICMPV6_NEIGHBOR_SOLICIT || pkt->icmp_type == ICMPV6_NEIGHBOR_ADVERT))
        return add_nd(frame, when, pkt);
    probe_tag tag;
    const scan_type *type = scan_type_of_probe(pkt, &tag);
    if (!type && scan_proto.recognise(&scan_proto, pkt, &tag))
        type = &scan_proto;
    /* Our UDP probe with a service's request, its tag past the snapshot
     * length: its IP ID still names the try (snaplen.h). */
    bool tag_cut = !type && snaplen_udp_probe(pkt, &tag);
    if (tag_cut)
        type = &scan_udp;
    /* A service that echoes its request (UDP echo, say) sends our tag back: a
     * tagged packet travelling against a known probe flow is a reply. */
    packet_flow back = packet_flow_reverse(&pkt->flow);
    /* A packet from a host to itself (a scan of one of the scanner's own
     * addresses, through lo) whose ports read the same both ways (a bare -sO
     * header, an echo) travels its probe's flow and against it at once: a
     * retransmitted probe is a probe, anything else a reply. */
    bool self = packet_flow_equal(&back, &pkt->flow) && flow_head(&back) != NULL;
    bool against_probe = !self && flow_head(&back) != NULL;
    if (type && !against_probe) {
        const frame_result *res =
            add_probe(frame, when, &pkt->flow, type, &tag, tool_name(pkt, &tag),
                      pkt->flow.proto == PACKET_TCP ? pkt->payload_len : 0);
        if (type == &scan_proto)
            proto_scan_named(&pkt->flow, tag.scan_id);
        if (type == &scan_udp && !tag_cut)
            snaplen_udp_scan_seen(&pkt->flow.src, tag.scan_id);
        if (type == &scan_udp)
            snaplen_udp_probe_seen(pkt, tag.scan_id);
        if (res && tag_cut)
            scan_state_frame(frame)->tag_cut = true;
        return res;
    }
    if (!type && !against_probe) {
        const frame_result *res = bare_probe(frame, when, pkt);
        if (res)
            return res;
        /* Our -sO INIT sent before any tagged probe: it waits (pending_bares)
         * for one to name its scan; no fingerprint or suspicion may take it. */
        if (proto_sctp_probe_is_ours(pkt))
            return NULL;
    }
    fingerprint fp;
    if (!type && options.fingerprint && !against_probe &&
        (nmap_proto_probe(pkt, &fp) ||
         fingerprint_probe_as(pkt, options.nmap_scanflags_base, &fp))) {
        if (fp.type == &scan_proto)
            nmap_proto_seen(pkt, when);
        return add_fingerprinted(frame, when, pkt, &fp);
    }
    if (!type && options.fingerprint && !against_probe && nmap_data_datagram(frame, pkt, &fp))
        return add_fingerprinted(frame, when, pkt, &fp);
    const frame_result *res = add_teardown(frame, when, pkt);
    if (res)
        return res;
    /* A reply other than an ICMP error answers a probe on its reversed flow:
     * with none there, it answers nothing. */
    if (pkt->has_quote || against_probe || self)
        res = add_reply(frame, when, pkt);
    if (res || type || against_probe || self)
        return res;
    res = add_follow_up(frame, when, pkt);
    if (res)
        return res;
    if (recent && attempt_seen(frame, when, pkt, &res))
        return res;
    return add_suspect(frame, when, pkt);
}

static bool link_ping(const port_record *port)
{
    return port->type == &ping_arp || port->type == &ping_nd;
}

/* Whether a port's probes are shown as a scan's: a suspected probe only once
 * its source behaves as a scanner (behaviour.h, sweep.h). */
static bool port_shown(const port_record *port)
{
    if (!port->suspect)
        return true;
    /* A sweep's request, unless it only resolved the address for a ping. */
    if (link_ping(port)) {
        const port_record *then = wmem_map_lookup(resolved_by, port);
        if (arp_ping_evidence(port))
            return true;
        return sweep_is_sweeper(sweep_find(sweeps, &port->scanner)) &&
               !(then && scan_state_type(then)->discovery);
    }
    return behaviour_scans(behaviour_source_find(suspects, &port->scanner), &port->target,
                           port->proto, port->port);
}

bool scan_state_shown(const frame_result *res)
{
    /* A suspected probe that began a conversation was a client's. */
    if (res->flow->port->suspect && !link_ping(res->flow->port) && res->flow->conversation)
        return false;
    return port_shown(res->flow->port);
}

const char *scan_state_tool(const frame_result *probe, wmem_allocator_t *pool,
                            const char **evidence)
{
    const port_record *port = probe->flow->port;
    const char *arp_ping = arp_ping_evidence(port);
    if (arp_ping) {
        *evidence = arp_ping;
        return "nmap";
    }
    if (port->suspect && (port->type == &ping_arp || port->type == &ping_nd)) {
        /* nmap's, arp-scan's and a kernel's requests are the same bytes. */
        *evidence = wmem_strdup_printf(pool, "%s; requests of every tool look alike: unknown",
                                       sweep_evidence(sweep_find(sweeps, &port->scanner)));
        return "unknown";
    }
    if (port->suspect)
        return tool_of_suspect(port->type, behaviour_source_find(suspects, &port->scanner), pool,
                               evidence);
    *evidence = port->untagged ? ping_evidence(port, probe->evidence, pool) : probe->evidence;
    return probe->tool;
}

const frame_result *scan_state_add_arp(uint32_t frame, const nstime_t *when, const arp_view *arp,
                                       bool to_one)
{
    const frame_result *done = scan_state_lookup(frame);
    if (done)
        return done;
    packet_flow flow = arp_probe_flow(arp);
    if (arp->tagged)
        return add_probe(frame, when, &flow, &ping_arp, &arp->tag, tool_name(NULL, &arp->tag), 0);
    if (arp->op == ARP_REPLY)
        return add_asked_reply(frame, when, &flow, &ping_arp, REASON_ARP_RESPONSE);
    /* A broadcast request for another's address: not a gratuitous one (its own),
     * nor an RFC 5227 probe (from 0.0.0.0, before taking an address), nor one
     * sent to the station's own link address (Linux refreshing an entry it has,
     * NUD_PROBE: it knows the host is there). */
    if (arp->op != ARP_REQUEST || to_one || arp->sender_ip == 0 ||
        arp->sender_ip == arp->target_ip || !packet_addr_unicast(&flow.dst))
        return NULL;
    return add_asked(frame, when, &flow, &ping_arp);
}

void scan_state_bad_checksum(const frame_result *probe)
{
    /* The records are the first pass's own, handed out read-only. */
    frame_result *res = (frame_result *)probe;
    res->bad_checksum = true;
    res->flow->port->bad_checksum = true;
}

frame_result *scan_state_frame(uint32_t frame)
{
    return frame < frames_room ? frames[frame] : NULL;
}

uint32_t scan_state_frames_end(void)
{
    return frames_room;
}

const frame_result *scan_state_lookup(uint32_t frame)
{
    return frame < frames_room ? frames[frame] : NULL;
}

verdict scan_state_verdict(const port_record *port, bool whole_capture_seen)
{
    const scan_type *shown = scan_state_type(port);
    if (shown != port->type) {
        if (port->ping_state)
            return (verdict){(port_state)port->ping_state, (reason)port->ping_reason};
        if (whole_capture_seen)
            return shown->silent;
        return (verdict){PORT_STATE_UNKNOWN, REASON_NONE};
    }
    if (port->judged_in)
        return port->judged;
    if (whole_capture_seen)
        return port->type->silent;
    return (verdict){PORT_STATE_UNKNOWN, REASON_NONE};
}

/* Whether ping a's reply is the one nmap reads first, of two that said up:
 * nmap reads one packet at a time and takes the first that marks the host up
 * (scan_engine_raw.cc, get_ping_pcap_result: the host's reason is that
 * reply's), so the earlier deciding frame wins. One frame can decide two
 * records here (an ICMP error read for -sO's ICMP protocol as well as for its
 * own probe), where nmap matched it to one probe: the probe sent first wins,
 * then the lower protocol and port, so the answer never hangs on the order of
 * a hash table. */
static bool ping_read_first(const port_record *a, const port_record *b)
{
    if (a->judged_in != b->judged_in)
        return a->judged_in < b->judged_in;
    if (a->first_probe != b->first_probe)
        return a->first_probe < b->first_probe;
    if (a->proto != b->proto)
        return a->proto < b->proto;
    return a->port < b->port;
}

static void note_host_up(gpointer key _U_, gpointer value, gpointer data _U_)
{
    const port_record *port = value;
    if (!scan_state_type(port)->discovery || !port->judged_in || !port_shown(port) ||
        scan_state_verdict(port, true).state != HOST_UP)
        return;
    host_key k = host_of(port);
    host_status *status = wmem_map_lookup(host_statuses, &k);
    if (!status) {
        status = wmem_new0(wmem_file_scope(), host_status);
        wmem_map_insert(host_statuses, wmem_memdup(wmem_file_scope(), &k, sizeof k), status);
    }
    if (!status->up_by || ping_read_first(port, status->up_by))
        status->up_by = port;
}

static void note_host_pinged(gpointer key _U_, gpointer value, gpointer data _U_)
{
    const port_record *port = value;
    if (!port->first_probe || !scan_state_type(port)->discovery || !port_shown(port))
        return;
    host_key k = {.target = port->target};
    uint32_t *first = wmem_map_lookup(host_first_pings, &k);
    if (!first) {
        first = wmem_new(wmem_file_scope(), uint32_t);
        *first = port->first_probe;
        wmem_map_insert(host_first_pings, wmem_memdup(wmem_file_scope(), &k, sizeof k), first);
    } else if (port->first_probe < *first) {
        *first = port->first_probe;
    }
}

static void fill_host_statuses(void)
{
    if (host_statuses_filled || !ports)
        return;
    g_hash_table_foreach(ports, note_host_up, NULL);
    g_hash_table_foreach(ports, note_host_pinged, NULL);
    host_statuses_filled = true;
}

const port_record *scan_state_host_up_by(const port_record *port)
{
    if (!scan_state_type(port)->discovery)
        return NULL;
    fill_host_statuses();
    host_key k = host_of(port);
    const host_status *status = wmem_map_lookup(host_statuses, &k);
    return status ? status->up_by : NULL;
}

/* Whether port's first probe (res) is nmap's (fingerprinted, or its connect
 * scan by behaviour), whose report says user-set for a host it did not ping.
 * Not ours: scantrace ARP-pings a host on the link even under -Pn, as nmap
 * 7.93 does, and the sample captures made before it had host discovery show
 * none after a run without -Pn, so a scan of ours with no ping before it does
 * not tell -Pn. masscan and zmap report no host status, and a scanner nothing
 * names may have pinged in a way the plugin does not know. */
static bool nmap_probe(const port_record *port, const frame_result *res)
{
    if (port->suspect)
        return tool_suspect_is_nmap(port->type, behaviour_source_find(suspects, &port->scanner));
    return port->untagged && res->tool && !strcmp(res->tool, "nmap");
}

/* Whether the scanner had an answer to a request for the target's link
 * address at most ARP_PING_SECONDS before res, port's first probe, that was
 * nmap's ARP or ND ping (which on the link -Pn does not stop: nmap 7.93 says
 * arp-response, nd-response) though the plugin did not tie it to the scan: a
 * scan starting within RESOLUTION_SECONDS of the ping with no second request
 * of the kernel (-sO and --send-eth), -sT, and every ND ping. An ARP answer is
 * a kernel's resolution when the asker followed it at once with a packet to
 * the host (arp_held): the packet it held, a connection's or the scan's first
 * probe. Over IPv6 (nothing follows an answer there) an answered solicitation
 * more than RESOLUTION_SECONDS before the probe, or followed by another (the
 * kernel's, which learned nothing from nmap's), was the ping: nmap's probes
 * follow it 44 to 80 ms later in the lab. An unanswered request (a kernel's
 * first, 1 s before its second) was no ping of a host nmap then scanned. */
static bool link_asked_before(const port_record *port, const frame_result *res)
{
    bool v4 = packet_addr_is_ipv4(&port->target);
    const packet_flow hosts = {.src = port->scanner, .dst = port->target};
    double when = seconds(&try_at(res->flow, res->try_no % COOKIE_MAX_TRIES)->probe_time);
    /* Two passes over the requests of the window: the latest, then the
     * answered ones. */
    double latest = -1;
    for (int pass = 0; pass < 2; pass++) {
        for (unsigned back = 0; back < ARP_RUNS_MAX; back++) {
            const probe_flow_record *rec = asked_flow(&hosts, back);
            if (!rec)
                break;
            for (unsigned i = 0; i < rec->tries_seen; i++) {
                double at = seconds(&rec->tries[i].probe_time), gap = when - at;
                if (gap < 0 || gap > ARP_PING_SECONDS)
                    continue;
                if (pass == 0 && at > latest)
                    latest = at;
                if (pass == 0 || !rec->tries[i].reply_frame)
                    continue;
                if (v4 ? !wmem_map_contains(arp_held, rec->port)
                       : gap > RESOLUTION_SECONDS || at < latest)
                    return true;
            }
        }
    }
    return false;
}

bool scan_state_host_user_set(const port_record *port)
{
    if (!port->first_probe || scan_state_type(port)->discovery || !port_shown(port))
        return false;
    const frame_result *first = scan_state_lookup(port->first_probe);
    if (!first || first->role != ROLE_PROBE || !nmap_probe(port, first))
        return false;
    fill_host_statuses();
    host_key k = {.target = port->target};
    const uint32_t *pinged = wmem_map_lookup(host_first_pings, &k);
    if (pinged && *pinged < port->first_probe)
        return false;
    return !link_asked_before(port, first);
}

verdict scan_state_host_verdict(const port_record *port, bool whole_capture_seen)
{
    verdict own = scan_state_verdict(port, whole_capture_seen);
    if (!whole_capture_seen || !scan_state_type(port)->discovery)
        return own;
    const port_record *up_by = scan_state_host_up_by(port);
    return up_by ? scan_state_verdict(up_by, true) : own;
}

bool scan_state_window_verdict(const port_record *port, bool whole_capture_seen, verdict *out)
{
    if (!port->untagged || port->type != &scan_ack || scan_state_type(port) != port->type)
        return false;
    if (port->judged_in)
        *out = port->window_judged;
    else if (whole_capture_seen)
        *out = scan_window.silent;
    else
        *out = (verdict){PORT_STATE_UNKNOWN, REASON_NONE};
    return true;
}

uint32_t scan_state_response_in(const frame_result *probe)
{
    return try_at(probe->flow, probe->try_no % COOKIE_MAX_TRIES)->reply_frame;
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
