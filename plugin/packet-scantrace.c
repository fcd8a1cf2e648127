/* Registration (protocol, fields, subtrees, expert infos, preferences, tap) and
 * the postdissector itself. The first pass records what each frame is in
 * scan_state; every pass then shows what is known about the frame's port. */
#include "packet-scantrace.h"

#include <string.h>

#include <epan/to_str.h>
#include <epan/exceptions.h>
#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/tap.h>
#include <wsutil/utf8_entities.h>

#include "arp_trailer.h"
#include "compat.h"
#include "decoy_groups.h"
#include "explain.h"
#include "ip_bytes.h"
#include "port_table.h"
#include "scan_state.h"
#include "snaplen.h"
#include "verdict_note.h"
#include "wire_tree.h"

static int proto_scantrace = SCANTRACE_ID_INIT;
static int scantrace_tap = SCANTRACE_ID_INIT;
static dissector_handle_t scantrace_handle;
/* Wireshark's expert infos: their protocol (_ws.expert; -1: none) and tap (0:
 * none), looked up per capture file: epan registers them after our handoff. */
static int proto_ws_expert = -1;
static int expert_tap = 0;
/* The capture's last frame, as the first pass saw it: dissected again on a
 * later pass, it ends the port table's tapping (port_table_capture_end). */
static uint32_t last_frame;

static int hf_role = SCANTRACE_ID_INIT;
static int hf_target = SCANTRACE_ID_INIT;
static int hf_target6 = SCANTRACE_ID_INIT;
static int hf_port = SCANTRACE_ID_INIT;
static int hf_proto = SCANTRACE_ID_INIT;
static int hf_scan = SCANTRACE_ID_INIT;
static int hf_verdict = SCANTRACE_ID_INIT;
static int hf_reason = SCANTRACE_ID_INIT;
static int hf_window_verdict = SCANTRACE_ID_INIT;
static int hf_window_reason = SCANTRACE_ID_INIT;
static int hf_scan_id = SCANTRACE_ID_INIT;
static int hf_try = SCANTRACE_ID_INIT;
static int hf_response_in = SCANTRACE_ID_INIT;
static int hf_probe_in = SCANTRACE_ID_INIT;
static int hf_rtt = SCANTRACE_ID_INIT;
static int hf_tool = SCANTRACE_ID_INIT;
static int hf_host = SCANTRACE_ID_INIT;
static int hf_host_reason = SCANTRACE_ID_INIT;
static int hf_evidence = SCANTRACE_ID_INIT;
static int hf_explain = SCANTRACE_ID_INIT;
static int hf_fragments = SCANTRACE_ID_INIT;
static int hf_decoys = SCANTRACE_ID_INIT;
static int hf_decoy = SCANTRACE_ID_INIT;
static int hf_decoys_scanner = SCANTRACE_ID_INIT;

/* Frames that completed a datagram Wireshark reassembled from IP fragments ->
 * how many (first pass), so that later passes say it without the IP tree. */
static wmem_map_t *fragments;
/* Frames nothing labelled whose snapshot length cut what would have tied them
 * -> their snaplen_cut (first pass), so that every pass says so. */
static wmem_map_t *cut_frames;

static int ett_scantrace = SCANTRACE_ID_INIT;

static expert_field ei_probe = EI_INIT;
static expert_field ei_response = EI_INIT;
static expert_field ei_teardown = EI_INIT;
static expert_field ei_retransmission = EI_INIT;
static expert_field ei_duplicate = EI_INIT;
static expert_field ei_no_response = EI_INIT;
static expert_field ei_overruled = EI_INIT;
static expert_field ei_stray = EI_INIT;
static expert_field ei_ignored = EI_INIT;
static expert_field ei_implied = EI_INIT;
static expert_field ei_early = EI_INIT;
static expert_field ei_tied_by_flow = EI_INIT;
static expert_field ei_timing_ping = EI_INIT;
static expert_field ei_verdict = EI_INIT;
static expert_field ei_bad_checksum = EI_INIT;
static expert_field ei_nmap_unmatched = EI_INIT;
static expert_field ei_snaplen = EI_INIT;

/* At file scope: raise_severity() reads the severities. */
static ei_register_info expert_infos[] = {
    {&ei_probe, {"scantrace.probe", PI_SEQUENCE, PI_CHAT, "Probe of a port scan", EXPFILL}},
    {&ei_response,
     {"scantrace.response", PI_SEQUENCE, PI_CHAT, "Reply to a port scan probe", EXPFILL}},
    {&ei_teardown,
     {"scantrace.teardown", PI_SEQUENCE, PI_CHAT,
      "The rest of a connection a probe opened, after the answer that decided the port", EXPFILL}},
    {&ei_retransmission,
     {"scantrace.retransmission", PI_SEQUENCE, PI_NOTE, "Retransmitted probe", EXPFILL}},
    {&ei_duplicate, {"scantrace.duplicate", PI_SEQUENCE, PI_NOTE, "Same try seen before", EXPFILL}},
    {&ei_no_response,
     {"scantrace.no_response", PI_SEQUENCE, PI_NOTE, "No reply to this try of the probe", EXPFILL}},
    {&ei_overruled,
     {"scantrace.overruled", PI_SEQUENCE, PI_NOTE, "A reply that disagrees with the port's verdict",
      EXPFILL}},
    {&ei_ignored,
     {"scantrace.ignored", PI_SEQUENCE, PI_NOTE,
      "A reply nmap does not judge (an ICMP error other than unreachable codes 0-3, 9, 10 "
      "and 13 or time exceeded, or unexpected TCP flags): the port's verdict does not come "
      "from it",
      EXPFILL}},
    {&ei_implied,
     {"scantrace.implied", PI_SEQUENCE, PI_NOTE,
      "The target's answer is not in the capture, but this packet shows it came: the "
      "scanner's kernel resets or completes only a connection the target accepted "
      "(a SYN-ACK), so the port is judged as that SYN-ACK would judge it",
      EXPFILL}},
    {&ei_early,
     {"scantrace.early", PI_SEQUENCE, PI_NOTE,
      "Timestamped before its probe (a capture of several queues, merged by time): still "
      "its reply, with no round trip time",
      EXPFILL}},
    {&ei_tied_by_flow,
     {"scantrace.tied_by_flow", PI_SEQUENCE, PI_NOTE,
      "Its acknowledgment or quoted numbers name no try of the probe (a stack or middlebox "
      "that acknowledges differently): tied to the latest try by addresses and ports, as "
      "nmap ties replies",
      EXPFILL}},
    {&ei_timing_ping,
     {"scantrace.timing_ping", PI_SEQUENCE, PI_NOTE,
      "nmap's timing ping of the host in the middle of a port scan (scan_engine_raw.cc, "
      "seq32_encode: the ping's number in the try bits): one more probe of a port whose "
      "state is known",
      EXPFILL}},
    {&ei_verdict,
     {"scantrace.port_verdict", PI_SEQUENCE, PI_NOTE,
      "A port's verdict (a host's, for host discovery): the scan's finding, on the frame that "
      "decided it (the reply, or the last probe of a port nobody answered)",
      EXPFILL}},
    {&ei_bad_checksum,
     {"scantrace.bad_checksum", PI_CHECKSUM, PI_WARN,
      "Probe with a wrong transport checksum (--badsum): the target's stack drops it", EXPFILL}},
    {&ei_stray,
     {"scantrace.stray", PI_SEQUENCE, PI_NOTE,
      "A packet on a probe's flow whose cookie matches no try", EXPFILL}},
    {&ei_nmap_unmatched,
     {"scantrace.nmap_unmatched", PI_SEQUENCE, PI_NOTE,
      "Answers a probe sent from a fixed source port (-g), but nmap does not match it: "
      "nmap finds the try only in the reply's ack - 1, ack or sequence number "
      "(scan_engine_raw.cc, tcp_probe_match), and a RST acknowledges a probe's data too",
      EXPFILL}},
    {&ei_snaplen,
     {"scantrace.snaplen", PI_SEQUENCE, PI_WARN,
      "The capture's snapshot length cut off what ties this frame to a probe (our tag, an "
      "ICMP error's quoted ports): read by what is left, or tied to none",
      EXPFILL}},
};

static scantrace_pref_bool pref_info_column = true;
static scantrace_pref_bool pref_explain = true;
static scantrace_pref_bool pref_fingerprint = true;
static scantrace_pref_bool pref_behaviour = true;
static guint pref_behaviour_ports = BEHAVIOUR_PORT_THRESHOLD;
static guint pref_behaviour_hosts = BEHAVIOUR_HOST_THRESHOLD;
static guint pref_behaviour_window = BEHAVIOUR_WINDOW_SECONDS;
/* scantrace.nmap_scanflags: which type judges nmap's --scanflags probes; the
 * wire does not say (fingerprint_probe_as()). 0: the type the flags are. */
static gint pref_nmap_scanflags = 0;
static const scan_type *const nmap_scanflags_bases[] = {
    NULL, &scan_syn, &scan_ack, &scan_fin, &scan_null, &scan_xmas, &scan_maimon, &scan_window,
};
static const enum_val_t nmap_scanflags_values[] = {
    {"auto", "By the probe's flags (-sS's rules for flags of no nmap scan type)", 0},
    {"syn", "--scanflags alone, or with -sS", 1},
    {"ack", "-sA --scanflags", 2},
    {"fin", "-sF --scanflags", 3},
    {"null", "-sN --scanflags", 4},
    {"xmas", "-sX --scanflags", 5},
    {"maimon", "-sM --scanflags", 6},
    {"window", "-sW --scanflags", 7},
    {NULL, NULL, 0},
};

/* scantrace.nmap_echo: whose nmap's echo requests are, where the wire does not
 * say (scan_state_options.nmap_echo_proto). */
static gint pref_nmap_echo = 0;
static const enum_val_t nmap_echo_values[] = {
    {"auto", "-PE's, unless -sO's or -PO's other probes to the host show theirs", 0},
    {"po", "-PO's (nmap -PO, -PO1): an echo reply says proto-response", 1},
    {NULL, NULL, 0},
};

static const char *const role_names[] = {
    [ROLE_PROBE] = "probe",     [ROLE_RESPONSE] = "response", [ROLE_TEARDOWN] = "teardown",
    [ROLE_IGNORED] = "ignored", [ROLE_STRAY] = "stray",
};

/* The length of a ping type's name without "-ping": "syn ping", not "syn-ping
 * ping". */
static int ping_word_len(const scan_type *type)
{
    size_t len = strlen(type->name);
    if (g_str_has_suffix(type->name, "-ping"))
        len -= strlen("-ping");
    return (int)len;
}

/* "probe 22/tcp try 1 → closed (reset)": what the frame is and, once known, what
 * its port turned out to be. Host discovery: "probe echo ping try 0 → up
 * (echo-reply)", "probe syn ping 443/tcp try 0 → ...". */
static char *describe(wmem_allocator_t *pool, const frame_result *res, verdict v)
{
    const port_record *port = res->flow->port;
    wmem_strbuf_t *s = wmem_strbuf_new(pool, role_names[res->role]);
    if (scan_state_type(port)->discovery)
        wmem_strbuf_append_printf(s, " %.*s ping", ping_word_len(scan_state_type(port)),
                                  scan_state_type(port)->name);
    if (scan_state_proto_has_ports(port->proto))
        wmem_strbuf_append_printf(s, " %u/%s", port->port, scan_state_proto_name(port->proto));
    if (res->role == ROLE_PROBE)
        wmem_strbuf_append_printf(s, " try %u", res->try_no);
    if ((res->role == ROLE_PROBE || res->role == ROLE_RESPONSE) && v.state != PORT_STATE_UNKNOWN)
        wmem_strbuf_append_printf(s, " " UTF8_RIGHTWARDS_ARROW " %s (%s)", port_state_name(v.state),
                                  reason_name(v.why));
    return wmem_strbuf_finalize(s);
}

static void add_generated_uint(proto_tree *tree, int hf, tvbuff_t *tvb, uint32_t value)
{
    proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, value));
}

static void add_generated_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    proto_item_set_generated(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

static void add_fields(proto_tree *tree, tvbuff_t *tvb, wmem_allocator_t *pool,
                       const frame_result *res, verdict v, bool whole_capture_seen)
{
    const port_record *port = res->flow->port;
    if (res->role != ROLE_STRAY)
        add_generated_string(tree, hf_role, tvb, role_names[res->role]);
    /* One field per family, as Wireshark's own ip.addr and ipv6.addr. */
    if (packet_addr_is_ipv4(&port->target)) {
        proto_item_set_generated(proto_tree_add_ipv4(tree, hf_target, tvb, 0, 0,
                                                     g_htonl(packet_addr_low32(&port->target))));
    } else {
        ws_in6_addr a;
        memcpy(a.bytes, port->target.bytes, sizeof a.bytes);
        proto_item_set_generated(proto_tree_add_ipv6(tree, hf_target6, tvb, 0, 0, &a));
    }
    if (scan_state_proto_has_ports(port->proto))
        add_generated_uint(tree, hf_port, tvb, port->port);
    add_generated_string(tree, hf_proto, tvb, scan_state_proto_name(port->proto));
    add_generated_string(tree, hf_scan, tvb, scan_state_type(port)->name);
    /* Kernel-made probes (connect scan and ping) are tagged by TOS and source
     * port only: they carry no scan id. */
    if (!port->untagged && !scan_state_type(port)->socket_tos)
        add_generated_uint(tree, hf_scan_id, tvb, port->scan_id);
    if (res->role == ROLE_STRAY)
        return;
    if (v.state != PORT_STATE_UNKNOWN) {
        add_generated_string(tree, hf_verdict, tvb, port_state_name(v.state));
        /* nmap reports the host, not the ping: an unanswered ping of a host
         * another ping found up is an up host's. */
        if (scan_state_type(port)->discovery) {
            verdict host = scan_state_host_verdict(port, whole_capture_seen);
            if (host.state == PORT_STATE_UNKNOWN)
                host = v;
            add_generated_string(tree, hf_host, tvb, port_state_name(host.state));
            add_generated_string(tree, hf_host_reason, tvb, reason_name(host.why));
        } else if (whole_capture_seen && scan_state_host_user_set(port)) {
            /* nmap's -Pn: the host is up because the user said so. */
            add_generated_string(tree, hf_host, tvb, port_state_name(HOST_UP));
            add_generated_string(tree, hf_host_reason, tvb, reason_name(REASON_USER_SET));
        }
        add_generated_string(tree, hf_reason, tvb, reason_name(v.why));
    }
    /* nmap's -sA and -sW probes are the same bytes: both readings are shown. */
    verdict w;
    if (scan_state_window_verdict(port, v.state != PORT_STATE_UNKNOWN, &w) &&
        w.state != PORT_STATE_UNKNOWN) {
        add_generated_string(tree, hf_window_verdict, tvb, port_state_name(w.state));
        add_generated_string(tree, hf_window_reason, tvb, reason_name(w.why));
    }
    add_generated_uint(tree, hf_try, tvb, res->try_no);
    if (res->role == ROLE_PROBE) {
        uint32_t reply = scan_state_response_in(res);
        if (reply)
            add_generated_uint(tree, hf_response_in, tvb, reply);
        const char *evidence = NULL;
        const char *tool = scan_state_tool(res, pool, &evidence);
        if (tool)
            add_generated_string(tree, hf_tool, tvb, tool);
        if (evidence)
            add_generated_string(tree, hf_evidence, tvb, evidence);
    } else if (res->probe_in) {
        add_generated_uint(tree, hf_probe_in, tvb, res->probe_in);
    }
    if (res->has_rtt)
        proto_item_set_generated(proto_tree_add_time(tree, hf_rtt, tvb, 0, 0, &res->rtt));
}

/* A datagram that came in IP fragments (nmap -f, --mtu): judged whole, on the
 * frame Wireshark reassembled it on. */
static void add_fragments(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo)
{
    unsigned count = GPOINTER_TO_UINT(wmem_map_lookup(fragments, GUINT_TO_POINTER(pinfo->num)));
    if (count < 2)
        return;
    proto_item *item = proto_tree_add_uint(tree, hf_fragments, tvb, 0, 0, count);
    proto_item_set_generated(item);
    proto_item_append_text(item, " (reassembled on this frame, where it is judged)");
}

/* A probe sent at once from several sources (-D): who sent the same probe,
 * which of them is the scanner, and whether this copy is a decoy's. */
static void add_decoys(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo, const frame_result *res)
{
    (void)res;
    const decoy_group *group = decoy_groups_of(pinfo->num);
    if (!group)
        return;
    const char *why;
    int scanner = decoy_groups_scanner(group, &why);
    wmem_strbuf_t *sources = wmem_strbuf_new(pinfo->pool, NULL);
    int self = -1;
    for (unsigned i = 0; i < group->count; i++) {
        const decoy_groups_member *m = &group->member[i];
        char text[PACKET_ADDR_TEXT];
        wmem_strbuf_append_printf(
            sources, "%s%s (frame %u%s%s)", i ? ", " : "", packet_addr_format(&m->source, text),
            m->frame, m->answered ? ", answered" : "", (int)i == scanner ? ", the scanner" : "");
        if (m->frame == pinfo->num)
            self = (int)i;
    }
    if (group->more)
        wmem_strbuf_append_printf(sources, " and %u more", group->more);
    proto_item *item =
        proto_tree_add_string(tree, hf_decoys, tvb, 0, 0, wmem_strbuf_get_str(sources));
    proto_item_set_generated(item);
    proto_item_prepend_text(item, "Sent at once from %u sources: ", group->count + group->more);
    if (scanner >= 0) {
        char text[PACKET_ADDR_TEXT];
        packet_addr_format(&group->member[scanner].source, text);
        proto_item *who = proto_tree_add_string_format_value(tree, hf_decoys_scanner, tvb, 0, 0,
                                                             text, "%s (%s)", text, why);
        proto_item_set_generated(who);
    } else {
        proto_item *who = proto_tree_add_string_format_value(tree, hf_decoys_scanner, tvb, 0, 0, "",
                                                             "unknown (%s)", why);
        proto_item_set_generated(who);
    }
    if (scanner >= 0 && self >= 0)
        proto_item_set_generated(
            proto_tree_add_boolean(tree, hf_decoy, tvb, 0, 0, self != scanner));
}

/* An expert info nobody reads (presentation_wanted()): only its severity
 * counts, the GUI's status bar showing the highest of the file. It is added,
 * unformatted, only when it would raise that. */
static void raise_severity(packet_info *pinfo, expert_field *ei)
{
    for (size_t i = 0; i < array_length(expert_infos); i++)
        if (expert_infos[i].ids == ei) {
            if (expert_infos[i].eiinfo.severity > expert_get_highest_severity())
                expert_add_info(pinfo, NULL, ei);
            return;
        }
}

/* The scan's finding about a port (or, for host discovery, a host), on the one
 * frame that decided it: "10.201.0.2 22/tcp open (syn-ack)", "10.201.0.5 down
 * (no-response, arp ping)". Expert Information lists one per port. */
static void add_verdict_note(packet_info *pinfo, proto_item *item, const frame_result *res,
                             verdict v, bool whole_capture_seen, bool quiet)
{
    const port_record *port = res->flow->port;
    if (v.state == PORT_STATE_UNKNOWN || !verdict_note_here(res, pinfo->num, whole_capture_seen))
        return;
    if (quiet) {
        raise_severity(pinfo, &ei_verdict);
        return;
    }
    char host[PACKET_ADDR_TEXT];
    packet_addr_format(&port->target, host);
    unsigned got, of,
        lost = snaplen_lost_between(&res->flow->flow.src, &res->flow->flow.dst, &got, &of);
    if (lost && (scan_state_type(port)->discovery || !scan_state_proto_has_ports(port->proto)))
        expert_add_info_format(pinfo, item, &ei_snaplen,
                               "Host %s: %u frame%s between it and the scanner cut by the "
                               "snapshot length (%u of %u bytes) could not be read; the whole "
                               "capture may give it another status",
                               host, lost, lost == 1 ? "" : "s", got, of);
    else if (lost)
        expert_add_info_format(pinfo, item, &ei_snaplen,
                               "%s %u/%s: %u frame%s between these hosts cut by the snapshot "
                               "length (%u of %u bytes) could not be read; the whole capture "
                               "may give this port another verdict",
                               host, port->port, scan_state_proto_name(port->proto), lost,
                               lost == 1 ? "" : "s", got, of);
    if (scan_state_type(port)->discovery)
        expert_add_info_format(pinfo, item, &ei_verdict, "Host %s %s (%s, %.*s ping)", host,
                               port_state_name(v.state), reason_name(v.why),
                               ping_word_len(scan_state_type(port)), scan_state_type(port)->name);
    else
        expert_add_info_format(pinfo, item, &ei_verdict, "Port %s %u/%s %s (%s)%s", host,
                               port->port, scan_state_proto_name(port->proto),
                               port_state_name(v.state), reason_name(v.why),
                               port->bad_checksum && v.why == REASON_NO_RESPONSE
                                   ? ": its probes had wrong checksums (--badsum), which the "
                                     "target's stack drops"
                                   : "");
}

/* An expert info with its message (text: add_expert()'s), or when text is NULL
 * its severity alone. */
#define EXPERT(text, pinfo, item, ei, ...)                                                         \
    ((text) ? expert_add_info_format((pinfo), (item), (ei), __VA_ARGS__)                           \
            : raise_severity((pinfo), (ei)))
#define NOTE(text, pinfo, item, ei)                                                                \
    ((text) ? expert_add_info((pinfo), (item), (ei)) : raise_severity((pinfo), (ei)))

/* A reply that answers a probe sent from -g's fixed source port, which nmap
 * does not take (fixed_sport_match.h): what its ack says, what nmap looks
 * for, and what that makes of the port. */
static void add_unmatched_note(packet_info *pinfo, proto_item *item, const frame_result *res,
                               const char *text, bool whole_capture_seen)
{
    if (!text) {
        raise_severity(pinfo, &ei_nmap_unmatched);
        return;
    }
    const port_record *port = res->flow->port;
    uint8_t flags = scan_state_type(port)->tcp_flags;
    unsigned syn = (flags & TCP_SYN) ? 1 : 0, fin = (flags & TCP_FIN) ? 1 : 0;
    unsigned data = res->ack_offset >= syn + fin ? res->ack_offset - syn - fin : 0;
    verdict v = scan_state_verdict(port, whole_capture_seen);
    /* Short enough for an expert message's 240 bytes (ITEM_LABEL_LENGTH);
     * scantrace.explain says the rest. */
    expert_add_info_format(pinfo, item, &ei_nmap_unmatched,
                           "%s answering frame %u, not matched by nmap: from fixed source port "
                           "%u (-g) nmap seeks its try in ack-1, ack or seq; ack is seq+%u "
                           "(%s%s%u data bytes), nmap expects seq+%u: no reply to nmap%s%s%s%s%s",
                           res->own.why == REASON_RESET ? "RST" : "Reply", res->probe_in,
                           res->flow->flow.sport, res->ack_offset, syn ? "SYN+" : "",
                           fin ? "FIN+" : "", data, syn + fin,
                           v.state != PORT_STATE_UNKNOWN ? ", port " : "",
                           v.state != PORT_STATE_UNKNOWN ? port_state_name(v.state) : "",
                           v.state != PORT_STATE_UNKNOWN ? " (" : "",
                           v.state != PORT_STATE_UNKNOWN ? reason_name(v.why) : "",
                           v.state != PORT_STATE_UNKNOWN ? ")" : "");
}

/* text is describe()'s, capitalised as expert messages are; NULL when no one
 * reads the messages (presentation_wanted()). */
static void add_expert(packet_info *pinfo, proto_item *item, const frame_result *res,
                       const char *text, bool whole_capture_seen)
{
    const port_record *port = res->flow->port;
    if (res->quote_cut)
        EXPERT(text, pinfo, item, &ei_snaplen,
               "ICMP error's quote cut by the snapshot length (%u of %u bytes) before the quoted "
               "ports: tied by the quoted IP header, whose addresses and IP ID are the cookie of "
               "scantrace's UDP probe",
               pinfo->fd->cap_len, pinfo->fd->pkt_len);
    if (res->numbers_differ)
        NOTE(text, pinfo, item, &ei_tied_by_flow);
    if (res->early)
        NOTE(text, pinfo, item, &ei_early);
    if (res->role == ROLE_PROBE && res->timing_ping)
        EXPERT(text, pinfo, item, &ei_timing_ping,
               "nmap's timing ping %u of this host (its sequence number says so): "
               "one more probe of a port whose state is known, to time the host",
               res->timing_ping);
    switch (res->role) {
    case ROLE_PROBE:
        EXPERT(text, pinfo, item, &ei_probe, "%s", text);
        if (res->duplicate_of)
            EXPERT(text, pinfo, item, &ei_duplicate, "Try %u was already sent in frame %u",
                   res->try_no, res->duplicate_of);
        else if (res->try_no > 0 && !res->timing_ping)
            EXPERT(text, pinfo, item, &ei_retransmission, "Retransmission: try %u of this probe",
                   res->try_no);
        if (res->tag_cut)
            EXPERT(text, pinfo, item, &ei_snaplen,
                   "Tag cut off by the snapshot length (%u of %u bytes): read as scantrace's "
                   "UDP probe by its cookie (the IP ID names this try of the flow)",
                   pinfo->fd->cap_len, pinfo->fd->pkt_len);
        if (res->bad_checksum)
            EXPERT(text, pinfo, item, &ei_bad_checksum,
                   "Wrong %s checksum (nmap's --badsum): the target's stack drops this probe "
                   "unread, so nothing answers it; only a firewall or IDS that does not check "
                   "checksums would",
                   scan_state_proto_name(res->flow->flow.proto));
        /* A decoy's copy is never answered to us: no note for it. */
        if (whole_capture_seen && !scan_state_response_in(res) && !decoy_groups_copy(pinfo->num))
            NOTE(text, pinfo, item, &ei_no_response);
        break;
    case ROLE_RESPONSE:
        EXPERT(text, pinfo, item, &ei_response, "%s", text);
        if (res->duplicate_of)
            EXPERT(text, pinfo, item, &ei_duplicate, "Try %u was already answered in frame %u",
                   res->try_no, res->duplicate_of);
        if (res->says && port->judged_in && port->worded_in &&
            (res->own.state != port->judged.state || res->own.why != port->judged.why))
            /* nmap -sO words the ICMP protocol by the last packet its
             * receive loop read (common/proto_icmp_hack.h). */
            EXPERT(text, pinfo, item, &ei_overruled,
                   "This reply says %s (%s); the verdict came from frame %u, "
                   "in the words (%s) of frame %u, the last packet nmap's "
                   "receive loop read",
                   port_state_name(res->own.state), reason_name(res->own.why), port->judged_in,
                   reason_name(port->judged.why), port->worded_in);
        else if (res->says && port->judged_in &&
                 (res->own.state != port->judged.state || res->own.why != port->judged.why))
            EXPERT(text, pinfo, item, &ei_overruled,
                   "This reply says %s (%s); the verdict came from frame %u",
                   port_state_name(res->own.state), reason_name(res->own.why), port->judged_in);
        break;
    case ROLE_IGNORED:
        if (res->nmap_unmatched)
            add_unmatched_note(pinfo, item, res, text, whole_capture_seen);
        else
            NOTE(text, pinfo, item, &ei_ignored);
        break;
    case ROLE_TEARDOWN:
        EXPERT(text, pinfo, item, &ei_teardown, "%s", text);
        if (port->implied && port->judged_in == pinfo->num)
            NOTE(text, pinfo, item, &ei_implied);
        break;
    case ROLE_STRAY:
        EXPERT(text, pinfo, item, &ei_stray,
               "On the flow of a probe to %u/%s, but its cookie matches no try", port->port,
               scan_state_proto_name(port->proto));
        break;
    }
}

/* Whether the frame went to one station's Ethernet address (its group bit
 * clear), not broadcast; false when the link has no such address (Linux cooked
 * captures). */
static bool to_one_station(const packet_info *pinfo)
{
    const uint8_t *mac = pinfo->dl_dst.data;
    return pinfo->dl_dst.type == AT_ETHER && pinfo->dl_dst.len == 6 && mac && !(mac[0] & 1);
}

/* Whether anyone reads what the frame says beyond the port table's tap: the
 * columns (tshark's summary lines, the GUI's packet list, -e's column fields),
 * a tree shown (-V, the GUI's details), a filter, -e field or custom column on
 * one of our fields or expert infos (priming a field marks its protocol
 * referenced), the expert infos' own fields (_ws.expert), or the Expert
 * Information tap (-z expert, the GUI's dialog). The first pass of tshark -2
 * has none of these, nor has the second of -2 -q -z scantrace,ports: the words
 * made then, and the tree items that hold them, would be thrown away. */
static bool presentation_wanted(proto_tree *tree, packet_info *pinfo)
{
    return pinfo->cinfo || proto_field_is_referenced(tree, proto_scantrace) ||
           (proto_ws_expert >= 0 && proto_field_is_referenced(tree, proto_ws_expert)) ||
           (expert_tap > 0 && have_tap_listener(expert_tap));
}

/* The frame's Info column prefix, tree and expert infos. */
static void present(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const frame_result *res,
                    verdict v, bool copy, bool whole_capture_seen)
{
    const char *text = describe(pinfo->pool, res, v);
    if (pref_info_column && res->role != ROLE_STRAY)
        col_prepend_fstr(pinfo->cinfo, COL_INFO, "[%s] ", text);

    proto_item *item = proto_tree_add_item(tree, proto_scantrace, tvb, 0, 0, ENC_NA);
    proto_item_set_generated(item);
    proto_item_append_text(item, ": %s", text);
    proto_tree *subtree = proto_item_add_subtree(item, ett_scantrace);
    /* Only when shown or asked for: the sentence costs on every packet. */
    if (pref_explain && proto_field_is_referenced(tree, hf_explain))
        proto_item_set_generated(
            proto_tree_add_string(subtree, hf_explain, tvb, 0, 0, explain(pinfo->pool, res, v)));
    add_fields(subtree, tvb, pinfo->pool, res, v, whole_capture_seen);
    add_fragments(subtree, tvb, pinfo);
    if (res->role == ROLE_PROBE)
        add_decoys(subtree, tvb, pinfo, res);
    if (wire_tree_wanted(tree))
        wire_tree_add(subtree, tvb, res);
    char *message = wmem_strdup(pinfo->pool, text);
    message[0] = g_ascii_toupper(message[0]);
    add_expert(pinfo, item, res, message, whole_capture_seen);
    if (res->role != ROLE_STRAY && !copy)
        add_verdict_note(pinfo, item, res, v, whole_capture_seen, false);
}

/* A frame nothing labelled because the snapshot length cut what would tie
 * it (snaplen.h): one item and a warning saying so, on every pass. */
static void present_cut(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, snaplen_cut cut)
{
    unsigned got = pinfo->fd->cap_len, of = pinfo->fd->pkt_len;
    proto_item *item = NULL;
    if (presentation_wanted(tree, pinfo)) {
        item = proto_tree_add_item(tree, proto_scantrace, tvb, 0, 0, ENC_NA);
        proto_item_set_generated(item);
        proto_item_append_text(item, ": cut by the snapshot length (%u of %u bytes)", got, of);
    }
    if (cut == SNAPLEN_HEADER_LOST)
        expert_add_info_format(pinfo, item, &ei_snaplen,
                               "Transport header cut by the snapshot length (%u of %u bytes): "
                               "not read, so neither a probe nor a reply to one",
                               got, of);
    else if (cut == SNAPLEN_QUOTE_LOST)
        expert_add_info_format(pinfo, item, &ei_snaplen,
                               "ICMP error's quote cut by the snapshot length (%u of %u bytes) "
                               "before the quoted ports: tied to no probe (nmap ties an error "
                               "by them, scan_engine_raw.cc, and could not either)",
                               got, of);
    else
        /* The port as Wireshark's TCP or UDP dissector read it: the header is
         * there. */
        expert_add_info_format(pinfo, item, &ei_snaplen,
                               "Tag cut off by the snapshot length (%u of %u bytes): to %s %u/%s, "
                               "shaped as a scantrace probe but naming no try of a scan seen, "
                               "tied to no port",
                               got, of, address_to_str(pinfo->pool, &pinfo->net_dst),
                               pinfo->destport, pinfo->ptype == PT_TCP ? "tcp" : "udp");
}

static int dissect_scan(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    bool whole_capture_seen = PINFO_FD_VISITED(pinfo);
    const frame_result *res;
    if (!whole_capture_seen) {
        const uint8_t *bytes;
        size_t len;
        packet_view pkt;
        arp_view arp;
        bool is_arp = false;
        unsigned count;
        bool ip = ip_bytes_scan_packet(pinfo, pinfo->pool, &bytes, &len, &count);
        if (ip && packet_parse(bytes, len, &pkt)) {
            res = scan_state_add(pinfo->num, &pinfo->abs_ts, &pkt);
            if (res && res->role == ROLE_PROBE)
                decoy_groups_probe_seen(pinfo->num, &pinfo->abs_ts, &pkt, res);
            else if (res)
                decoy_groups_reply_seen(res);
            if (res && count > 1)
                wmem_map_insert(fragments, GUINT_TO_POINTER(pinfo->num), GUINT_TO_POINTER(count));
            snaplen_cut cut =
                snaplen_kind(&pkt, pinfo->fd->cap_len, pinfo->fd->pkt_len, res != NULL);
            if (cut != SNAPLEN_WHOLE) {
                wmem_map_insert(cut_frames, GUINT_TO_POINTER(pinfo->num), GUINT_TO_POINTER(cut));
                snaplen_lost(&pkt.flow.src, &pkt.flow.dst, pinfo->fd->cap_len, pinfo->fd->pkt_len);
            }
        } else if (ip_bytes_arp(pinfo, &bytes, &len) && arp_parse(bytes, len, &arp))
            res = scan_state_add_arp(pinfo->num, &pinfo->abs_ts, &arp, to_one_station(pinfo)),
            is_arp = true;
        else if (ip && pinfo->fd->cap_len < pinfo->fd->pkt_len &&
                 snaplen_header_lost(bytes, &pkt)) {
            wmem_map_insert(cut_frames, GUINT_TO_POINTER(pinfo->num),
                            GUINT_TO_POINTER(SNAPLEN_HEADER_LOST));
            snaplen_lost(&pkt.flow.src, &pkt.flow.dst, pinfo->fd->cap_len, pinfo->fd->pkt_len);
            res = NULL;
        } else
            return 0;
        if (res && wire_tree_applies(res))
            wire_tree_remember(res, tvb, bytes, len, is_arp);
        /* A decoy's copy is not the port's last probe: its scanner's is. */
        if (res && res->role == ROLE_PROBE && !decoy_groups_copy(pinfo->num))
            verdict_note_probe_seen(res, pinfo->num);
        /* --badsum: only a probe a scanner built (a kernel's, -sT's, may be
         * captured before its checksum is filled in: offloading). */
        bool known;
        if (res && res->role == ROLE_PROBE && !is_arp && res->flow->port->type->build &&
            !packet_transport_checksum_ok(bytes, len, &pkt, &known) && known)
            scan_state_bad_checksum(res);
    } else {
        res = scan_state_lookup(pinfo->num);
    }
    if (!res) {
        snaplen_cut cut =
            GPOINTER_TO_UINT(wmem_map_lookup(cut_frames, GUINT_TO_POINTER(pinfo->num)));
        if (cut == SNAPLEN_WHOLE)
            return 0;
        present_cut(tvb, pinfo, tree, cut);
        return tvb_captured_length(tvb);
    }
    if (!scan_state_shown(res))
        return 0;

    /* A decoy's copy of a probe shows the verdict of its scanner's port. */
    verdict v = scan_state_verdict(decoy_groups_port(pinfo->num, res), whole_capture_seen);
    bool copy = res->role == ROLE_PROBE && decoy_groups_copy(pinfo->num);
    if (presentation_wanted(tree, pinfo)) {
        present(tvb, pinfo, tree, res, v, copy, whole_capture_seen);
    } else {
        /* Nobody reads the words: the severities alone, as present() raises them. */
        add_expert(pinfo, NULL, res, NULL, whole_capture_seen);
        if (res->role != ROLE_STRAY && !copy)
            add_verdict_note(pinfo, NULL, res, v, whole_capture_seen, true);
    }

    /* The port table counts a probe with decoys once, its scanner's copy. */
    if (res->role == ROLE_PROBE && !copy) {
        port_table_tap *tap = wmem_new(pinfo->pool, port_table_tap);
        tap->frame = res;
        tap->final = v;
        tap->whole_capture_seen = whole_capture_seen;
        tap_queue_packet(scantrace_tap, pinfo, tap);
    }
    return tvb_captured_length(tvb);
}

static int dissect_scantrace(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data _U_)
{
    if (!PINFO_FD_VISITED(pinfo)) {
        if (pinfo->num > last_frame)
            last_frame = pinfo->num;
        return dissect_scan(tvb, pinfo, tree);
    }
    if (pinfo->num != last_frame)
        return dissect_scan(tvb, pinfo, tree);
    /* The capture's last frame on a later pass: the port table's end comes
     * after the frame's probe, even if dissecting it throws. */
    volatile int length = 0;
    TRY
    {
        length = dissect_scan(tvb, pinfo, tree);
    }
    FINALLY
    {
        port_table_capture_end(pinfo);
    }
    ENDTRY;
    return length;
}

/* Per capture file. */
static void scantrace_init(void)
{
    proto_ws_expert = proto_get_id_by_filter_name("_ws.expert");
    expert_tap = find_tap_id("expert");
    ip_bytes_start();
    scan_state_options options = {
        .fingerprint = pref_fingerprint,
        .behaviour = pref_behaviour,
        .thresholds = {pref_behaviour_ports, pref_behaviour_hosts, pref_behaviour_window},
        .nmap_scanflags_base = pref_nmap_scanflags > 0 && (size_t)pref_nmap_scanflags <
                                                              sizeof nmap_scanflags_bases /
                                                                  sizeof *nmap_scanflags_bases
                                   ? nmap_scanflags_bases[pref_nmap_scanflags]
                                   : NULL,
        .nmap_echo_proto = pref_nmap_echo == 1,
    };
    scan_state_init(&options);
    snaplen_start();
    decoy_groups_init();
    last_frame = 0;
}

static void scantrace_cleanup(void)
{
    ip_bytes_stop();
    scan_state_cleanup();
    decoy_groups_cleanup();
}

void proto_register_scantrace(void)
{
    static hf_register_info hf[] = {
        {&hf_role,
         {"Role", "scantrace.role", FT_STRING, BASE_NONE, NULL, 0x0,
          "probe, response, or teardown (the rest of a connection a probe opened, after the answer "
          "that decided the port: either side's ACKs, data and closing)",
          HFILL}},
        {&hf_target,
         {"Target", "scantrace.target", FT_IPv4, BASE_NONE, NULL, 0x0, "The probed host (IPv4)",
          HFILL}},
        {&hf_target6,
         {"Target", "scantrace.target6", FT_IPv6, BASE_NONE, NULL, 0x0, "The probed host (IPv6)",
          HFILL}},
        {&hf_port,
         {"Port", "scantrace.port", FT_UINT16, BASE_DEC, NULL, 0x0, "The probed port", HFILL}},
        {&hf_proto,
         {"Protocol", "scantrace.proto", FT_STRING, BASE_NONE, NULL, 0x0,
          "The probed port's protocol", HFILL}},
        {&hf_scan,
         {"Scan type", "scantrace.scan", FT_STRING, BASE_NONE, NULL, 0x0,
          "nmap's name of the scan type (syn, ack, fin, null, xmas, maimon, window, udp, "
          "connect; a --scanflags scan is named by the type that judges it) or host "
          "discovery probe (echo, timestamp, ...)",
          HFILL}},
        {&hf_verdict,
         {"Verdict", "scantrace.verdict", FT_STRING, BASE_NONE, NULL, 0x0,
          "The port's final state (the host's, for host discovery probes), in nmap's words",
          HFILL}},
        {&hf_reason,
         {"Reason", "scantrace.reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "Why the port has that state, in nmap's words", HFILL}},
        {&hf_window_verdict,
         {"Window scan verdict", "scantrace.window_verdict", FT_STRING, BASE_NONE, NULL, 0x0,
          "Another tool's ACK probe is nmap's -sA and -sW probe alike: scantrace.verdict is "
          "the ACK scan's reading, this the window scan's (a RST with a non-zero window: "
          "open; a zero window: closed)",
          HFILL}},
        {&hf_window_reason,
         {"Window scan reason", "scantrace.window_reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "Why the window scan's reading is what it is, in nmap's words", HFILL}},
        {&hf_scan_id,
         {"Scan ID", "scantrace.scan_id", FT_UINT32, BASE_HEX, NULL, 0x0,
          "The scan the probe belongs to, from its tag", HFILL}},
        {&hf_try,
         {"Try", "scantrace.try", FT_UINT8, BASE_DEC, NULL, 0x0,
          "The transmission of the probe (0 for the first), or the one a reply answers", HFILL}},
        {&hf_response_in,
         {"Response in", "scantrace.response_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0x0, "The first reply to this try of the probe",
          HFILL}},
        {&hf_probe_in,
         {"Probe in", "scantrace.probe_in", FT_FRAMENUM, BASE_NONE,
          FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0x0, "The probe this packet answers or ends", HFILL}},
        {&hf_rtt,
         {"Round trip time", "scantrace.rtt", FT_RELATIVE_TIME, BASE_NONE, NULL, 0x0,
          "Time between the probe and this reply", HFILL}},
        {&hf_tool,
         {"Tool", "scantrace.tool", FT_STRING, BASE_NONE, NULL, 0x0,
          "The scanner that sent the probe: scantrace (its tag), nmap, masscan, zmap (their "
          "fingerprints), or unknown (a scan found by behaviour alone)",
          HFILL}},
        {&hf_evidence,
         {"Evidence", "scantrace.evidence", FT_STRING, BASE_NONE, NULL, 0x0,
          "Why an untagged packet is taken for a probe, and of that tool", HFILL}},
        {&hf_explain,
         {"Meaning", "scantrace.explain", FT_STRING, BASE_NONE, NULL, 0x0,
          "What the packet means to the scan and why, in plain words (preference "
          "scantrace.explain)",
          HFILL}},
        {&hf_fragments,
         {"Fragments", "scantrace.fragments", FT_UINT32, BASE_DEC, NULL, 0x0,
          "The probe or reply came in this many IP fragments (nmap -f, --mtu); it is judged "
          "whole, on the frame Wireshark reassembled it on",
          HFILL}},
        {&hf_decoys,
         {"Decoys", "scantrace.decoys", FT_STRING, BASE_NONE, NULL, 0x0,
          "The same probe sent at (nearly) the same time from several source addresses (nmap "
          "-D): each source with its frame, whether the target answered it, and the scanner",
          HFILL}},
        {&hf_decoys_scanner,
         {"Scanner", "scantrace.decoys.scanner", FT_STRING, BASE_NONE, NULL, 0x0,
          "Which of the sources sending the same probe is the real scanner, and why: our "
          "cookie checks for its flow only, or it is the only source the target answered",
          HFILL}},
        {&hf_decoy,
         {"Decoy copy", "scantrace.decoy", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
          "This copy of the probe came from a decoy's address, not the scanner's: the port "
          "table does not count it, and it shows the verdict of the scanner's probe",
          HFILL}},
        {&hf_host,
         {"Host", "scantrace.host", FT_STRING, BASE_NONE, NULL, 0x0,
          "Host discovery: whether the probed host is up or down, as nmap reports it: up "
          "when any of the scanner's pings of it got a reply that says so (this ping's own "
          "reading is scantrace.verdict)",
          HFILL}},
        {&hf_host_reason,
         {"Host reason", "scantrace.host_reason", FT_STRING, BASE_NONE, NULL, 0x0,
          "Host discovery: why the host is up or down, in nmap's words: the reason of the "
          "first reply to any of the scanner's pings of it that said up",
          HFILL}},
    };
    static int *ett[] = {&ett_scantrace};

    proto_scantrace =
        proto_register_protocol("Scantrace port scan analysis", "Scantrace", "scantrace");
    proto_register_field_array(proto_scantrace, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert_register_protocol(proto_scantrace), expert_infos,
                                array_length(expert_infos));

    module_t *prefs = prefs_register_protocol(proto_scantrace, NULL);
    prefs_register_bool_preference(prefs, "info_column", "Describe scan packets in the Info column",
                                   "Prefix the Info column of probes, replies and teardowns "
                                   "with what they are and their port's verdict",
                                   &pref_info_column);
    prefs_register_bool_preference(prefs, "explain", "Explain each packet in plain words",
                                   "Add a line to the tree of each probe, reply and teardown "
                                   "saying what it means to the scan and why (for learners)",
                                   &pref_explain);
    prefs_register_bool_preference(
        prefs, "fingerprint", "Recognise nmap, masscan and zmap",
        "Take untagged packets shaped as nmap's, masscan's or zmap's probes (window, options, "
        "IP ID, TTL, payload) for probes, named by scantrace.tool with scantrace.evidence",
        &pref_fingerprint);
    prefs_register_enum_preference(
        prefs, "nmap_scanflags", "nmap's --scanflags scan type",
        "nmap's probes do not say which scan type was given with --scanflags, and that type, "
        "not the flags, judges the replies (the SYN scan when none was given). Auto takes each "
        "probe for the nmap scan its flags are (a FIN probe for -sF) and judges other flags as "
        "the SYN scan; any other choice judges every nmap TCP port probe of the capture by that "
        "type, whatever its flags (RST and SYN+ACK too)",
        &pref_nmap_scanflags, nmap_scanflags_values, false);
    prefs_register_enum_preference(
        prefs, "nmap_echo", "nmap's echo requests",
        "nmap's IP protocol ping (-PO, -PO1) sends protocol 1 as an echo request byte for byte "
        "its -PE one, and nmap words the echo reply proto-response, not echo-reply. Auto takes "
        "an echo for -PE's unless nmap's IGMP query or bare IP header to the same host (its -sO "
        "or -PO) comes within 2 s of it (a host that answered the echo first gets nothing "
        "else); -PO takes every nmap echo request without data outside an -sO scan for -PO's",
        &pref_nmap_echo, nmap_echo_values, false);
    prefs_register_bool_preference(
        prefs, "behaviour", "Recognise unknown scanners by behaviour",
        "Call a source a scanner once its connection attempts or datagrams fail (refused, "
        "unreachable, unanswered, or ended right after the handshake without data) on many ports "
        "of one host or on one port of many hosts, and label all its attempts as probes. On a "
        "single pass (tshark without -2) the attempts before the threshold stay unlabelled.",
        &pref_behaviour);
    prefs_register_uint_preference(prefs, "behaviour_ports", "Port scan threshold",
                                   "Ports of one host with failed attempts that make a source "
                                   "a scanner (Zeek's Scan::port_scan_threshold is 15; 0: never)",
                                   10, &pref_behaviour_ports);
    prefs_register_uint_preference(prefs, "behaviour_hosts", "Address sweep threshold",
                                   "Hosts with failed attempts on one port that make a source a "
                                   "scanner (Zeek's Scan::addr_scan_threshold is 25; 0: never)",
                                   10, &pref_behaviour_hosts);
    prefs_register_uint_preference(prefs, "behaviour_window", "Scan detection window (s)",
                                   "Failed attempts count towards a threshold within this many "
                                   "seconds from a source's first (Zeek: 300)",
                                   10, &pref_behaviour_window);

    scantrace_handle = register_dissector("scantrace", dissect_scantrace, proto_scantrace);
    scantrace_tap = register_tap(PORT_TABLE_TAP);
    port_table_register_gui();
    scan_state_register();
    wire_tree_register(proto_scantrace);
    decoy_groups_register();
    arp_trailer_register(proto_scantrace);
    fragments =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    cut_frames =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
    register_init_routine(scantrace_init);
    register_cleanup_routine(scantrace_cleanup);
}

void proto_reg_handoff_scantrace(void)
{
    ip_bytes_init();
    arp_trailer_handoff();
    register_postdissector(scantrace_handle);
}
