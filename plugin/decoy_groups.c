#include "decoy_groups.h"

#include <string.h>

#include <epan/wmem_scopes.h>

#include "cookie.h"
#include "nd.h"
#include "scan_type.h"

/* What makes two probes copies of each other: everything nmap's decoy loop
 * keeps (the target, protocol, ports, TCP numbers and flags, IP ID, ICMP
 * message, payload length and bytes), the source apart. The bytes matter for
 * -sU: nmap 7.93 sends every request nmap-payloads has for a port (123: NTPv4
 * and NTPv3; 53, 137, 161, 500, ...) in one try, each from every decoy, all
 * with one source port and IP ID (scan_engine_raw.cc, sendIPScanProbe: the
 * payload loop outside the decoy loop); only the bytes tell which request a
 * copy repeats. */
typedef struct probe_shape {
    packet_addr target;
    uint32_t seq, ack;
    uint32_t payload_hash; /* wmem_strong_hash() of the captured payload bytes */
    uint16_t sport, dport, ip_id, icmp_id, icmp_seq;
    uint8_t proto, tcp_flags, icmp_type;
    size_t payload_len;
} probe_shape;

typedef struct recent_probe {
    probe_shape shape;
    packet_addr source;
    nstime_t when;
    uint32_t frame; /* 0: free */
    const frame_result *probe;
    bool cookie_checks;
} recent_probe;

/* The sources seen sending copies to one target, and what came back to each. */
typedef struct decoy_set {
    packet_addr target;
    packet_addr source[DECOY_GROUPS_MAX];
    unsigned answered[DECOY_GROUPS_MAX]; /* groups in which it was answered */
    unsigned checked[DECOY_GROUPS_MAX];  /* copies whose cookie checks */
    unsigned count;
} decoy_set;

static recent_probe recent[DECOY_GROUPS_RECENT];
static unsigned recent_next;
static wmem_map_t *groups_by_frame; /* probe frame -> decoy_group */
static wmem_map_t *sets;            /* target -> decoy_set */
static wmem_map_t *decoyed_ports;   /* port_record of a member -> its decoy_set */

static guint addr_hash(gconstpointer key)
{
    return packet_addr_hash(key);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

void decoy_groups_register(void)
{
    groups_by_frame =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    sets = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), addr_hash, addr_equal);
    decoyed_ports =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
}

void decoy_groups_init(void)
{
    memset(recent, 0, sizeof recent);
    recent_next = 0;
}

void decoy_groups_cleanup(void)
{
    decoy_groups_init();
}

static probe_shape shape_of(const packet_view *pkt)
{
    probe_shape s;
    memset(&s, 0, sizeof s);
    s.target = pkt->flow.dst;
    s.proto = pkt->flow.proto;
    s.sport = pkt->flow.sport;
    s.dport = pkt->flow.dport;
    s.seq = pkt->seq;
    s.ack = pkt->ack;
    s.tcp_flags = pkt->tcp_flags;
    s.ip_id = pkt->ip_id;
    s.icmp_type = pkt->icmp_type;
    s.icmp_id = pkt->icmp_id;
    s.icmp_seq = pkt->icmp_seq;
    s.payload_len = pkt->payload_len;
    s.payload_hash = pkt->payload ? wmem_strong_hash(pkt->payload, pkt->payload_len) : 0;
    return s;
}

/* Field by field: a struct copy need not keep padding bytes as memset left them. */
static bool shape_equal(const probe_shape *a, const probe_shape *b)
{
    return packet_addr_equal(&a->target, &b->target) && a->seq == b->seq && a->ack == b->ack &&
           a->sport == b->sport && a->dport == b->dport && a->ip_id == b->ip_id &&
           a->icmp_id == b->icmp_id && a->icmp_seq == b->icmp_seq && a->proto == b->proto &&
           a->tcp_flags == b->tcp_flags && a->icmp_type == b->icmp_type &&
           a->payload_len == b->payload_len && a->payload_hash == b->payload_hash;
}

static double seconds(const nstime_t *t)
{
    return (double)t->secs + t->nsecs / 1e9;
}

/* Our own probe's cookie, where the scanner puts it (README.md, "The wire
 * format"), against the one its flow, scan id and try give. */
static bool our_cookie_checks(const packet_view *pkt, const frame_result *probe)
{
    const port_record *port = probe->flow->port;
    if (port->untagged || port->type->socket_tos)
        return false;
    const scan_type *type = port->type;
    uint32_t id = port->scan_id;
    unsigned t = probe->try_no;
    if (pkt->flow.proto == PACKET_TCP)
        return scan_cookie_is(type, id, &pkt->flow, t, pkt->seq, 0xffffffffu);
    if (packet_proto_is_icmp(pkt->flow.proto))
        return scan_cookie_is(type, id, &pkt->flow, t,
                              ((uint32_t)pkt->icmp_id << 16) | pkt->icmp_seq, 0xffffffffu);
    if (pkt->flow.proto == PACKET_UDP && packet_addr_is_ipv4(&pkt->flow.src))
        return scan_cookie_is(type, id, &pkt->flow, t, pkt->ip_id, 0xffffu);
    if (pkt->flow.proto == PACKET_UDP)
        return scan_cookie_is(type, id, &pkt->flow, t, pkt->flow_label & 0xffff, 0xffffu);
    return false;
}

static decoy_set *set_of(const packet_addr *target)
{
    decoy_set *set = wmem_map_lookup(sets, target);
    if (!set) {
        set = wmem_new0(wmem_file_scope(), decoy_set);
        set->target = *target;
        wmem_map_insert(sets, &set->target, set);
    }
    return set;
}

/* The source's place in the set, added if there is room; -1 if none. */
static int set_source(decoy_set *set, const packet_addr *source)
{
    for (unsigned i = 0; i < set->count; i++)
        if (packet_addr_equal(&set->source[i], source))
            return (int)i;
    if (set->count == DECOY_GROUPS_MAX)
        return -1;
    set->source[set->count] = *source;
    return (int)set->count++;
}

static void member_answered(decoy_groups_member *m, const packet_addr *target)
{
    if (m->answered)
        return;
    m->answered = true;
    decoy_set *set = set_of(target);
    int i = set_source(set, &m->source);
    if (i >= 0)
        set->answered[i]++;
}

static void add_member(decoy_group *group, const recent_probe *p)
{
    for (unsigned i = 0; i < group->count; i++)
        if (packet_addr_equal(&group->member[i].source, &p->source))
            return; /* the same source again: a duplicate, not a decoy */
    if (group->count == DECOY_GROUPS_MAX) {
        group->more++;
        return;
    }
    decoy_groups_member *m = &group->member[group->count++];
    m->source = p->source;
    m->probe = p->probe;
    m->frame = p->frame;
    m->cookie_checks = p->cookie_checks;
    wmem_map_insert(groups_by_frame, GUINT_TO_POINTER(p->frame), group);
    decoy_set *set = set_of(&p->shape.target);
    wmem_map_insert(decoyed_ports, (void *)p->probe->flow->port, set);
    int i = set_source(set, &p->source);
    if (i >= 0 && p->cookie_checks)
        set->checked[i]++;
    /* A reply to this copy may have come before the copy that made the group. */
    if (scan_state_response_in(p->probe))
        member_answered(m, &p->shape.target);
}

void decoy_groups_probe_seen(uint32_t frame, const nstime_t *when, const packet_view *pkt,
                             const frame_result *probe)
{
    /* nmap sends Neighbor Discovery (as ARP) from its own address alone, and a
     * kernel's solicitation for the same target looks the same as ours. */
    if (probe->flow->port->type == &ping_nd)
        return;
    recent_probe now = {.shape = shape_of(pkt),
                        .source = pkt->flow.src,
                        .when = *when,
                        .frame = frame,
                        .probe = probe,
                        .cookie_checks = our_cookie_checks(pkt, probe)};
    for (unsigned k = 0; k < DECOY_GROUPS_RECENT; k++) {
        const recent_probe *r = &recent[k];
        /* The entry's own fields first: its probe's type is three pointers
         * away, and a scan without decoys fails on the source or shape. */
        if (r->frame == 0 || r->frame == frame || packet_addr_equal(&r->source, &now.source) ||
            !shape_equal(&r->shape, &now.shape) ||
            r->probe->flow->port->type != probe->flow->port->type)
            continue;
        double apart = seconds(&now.when) - seconds(&r->when);
        if (apart > DECOY_GROUPS_SECONDS || apart < -DECOY_GROUPS_SECONDS)
            continue;
        decoy_group *group = wmem_map_lookup(groups_by_frame, GUINT_TO_POINTER(r->frame));
        if (!group) {
            group = wmem_new0(wmem_file_scope(), decoy_group);
            add_member(group, r);
        }
        add_member(group, &now);
        break;
    }
    recent[recent_next] = now;
    recent_next = (recent_next + 1) % DECOY_GROUPS_RECENT;
}

void decoy_groups_reply_seen(const frame_result *reply)
{
    if (!reply->probe_in || reply->role != ROLE_RESPONSE)
        return;
    decoy_group *group = wmem_map_lookup(groups_by_frame, GUINT_TO_POINTER(reply->probe_in));
    if (!group)
        return;
    for (unsigned i = 0; i < group->count; i++)
        if (group->member[i].frame == reply->probe_in)
            member_answered(&group->member[i], &reply->flow->port->target);
}

const decoy_group *decoy_groups_of(uint32_t frame)
{
    return groups_by_frame ? wmem_map_lookup(groups_by_frame, GUINT_TO_POINTER(frame)) : NULL;
}

/* The set's scanner (an index into set->source), by the rules in the header. */
static int set_scanner(const decoy_set *set, const char **why)
{
    int checked = -1, answered = -1;
    unsigned nchecked = 0, nanswered = 0;
    for (unsigned i = 0; i < set->count; i++) {
        if (set->checked[i])
            checked = (int)i, nchecked++;
        if (set->answered[i])
            answered = (int)i, nanswered++;
    }
    if (nchecked == 1) {
        *why = "its copies carry its cookie: the scanner's own flow's";
        return checked;
    }
    if (nanswered == 1) {
        *why = "the only source the target answered";
        return answered;
    }
    *why = nanswered ? "nothing tells: the target answered several sources (live decoys)"
                     : "nothing tells: the target answered none of the sources";
    return -1;
}

int decoy_groups_scanner(const decoy_group *group, const char **why)
{
    const decoy_set *set =
        group->count ? wmem_map_lookup(sets, &group->member[0].probe->flow->port->target) : NULL;
    *why = "nothing tells";
    if (!set)
        return -1;
    int s = set_scanner(set, why);
    if (s < 0)
        return -1;
    for (unsigned i = 0; i < group->count; i++)
        if (packet_addr_equal(&group->member[i].source, &set->source[s]))
            return (int)i;
    *why = "nothing tells: the scanner's copy is not among these";
    return -1;
}

/* The member the port table counts: the scanner, else the first. */
static int counted(const decoy_group *group)
{
    const char *why;
    int s = decoy_groups_scanner(group, &why);
    return s < 0 ? 0 : s;
}

bool decoy_groups_copy(uint32_t frame)
{
    const decoy_group *group = decoy_groups_of(frame);
    return group && group->member[counted(group)].frame != frame;
}

const port_record *decoy_groups_port(uint32_t frame, const frame_result *res)
{
    const decoy_group *group = res->role == ROLE_PROBE ? decoy_groups_of(frame) : NULL;
    return group ? group->member[counted(group)].probe->flow->port : res->flow->port;
}

bool decoy_groups_port_decoyed(const port_record *port)
{
    return decoyed_ports && wmem_map_lookup(decoyed_ports, port) != NULL;
}

char *decoy_groups_describe(const port_record *port, const packet_addr *scanner,
                            wmem_allocator_t *pool)
{
    const decoy_set *set = decoyed_ports ? wmem_map_lookup(decoyed_ports, port) : NULL;
    if (!set || set->count < 2)
        return NULL;
    const char *why;
    int s = set_scanner(set, &why);
    wmem_strbuf_t *out = wmem_strbuf_new(pool, "decoys ");
    unsigned listed = 0;
    for (unsigned i = 0; i < set->count; i++) {
        if ((int)i == s || (scanner && packet_addr_equal(&set->source[i], scanner)))
            continue;
        char text[PACKET_ADDR_TEXT];
        wmem_strbuf_append_printf(out, "%s%s", listed++ ? ", " : "",
                                  packet_addr_format(&set->source[i], text));
    }
    if (s < 0)
        wmem_strbuf_append(out, " (which source is the scanner: nothing tells)");
    return wmem_strbuf_finalize(out);
}
