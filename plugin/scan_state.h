/* What the first pass learns about a scan, kept for the whole capture file: every
 * probe, reply and teardown found, the port each belongs to, and the verdict the
 * scan type's own rules give that port. Later passes only look frames up. */
#ifndef SCANTRACE_SCAN_STATE_H
#define SCANTRACE_SCAN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include <epan/wmem_scopes.h>
#include <wsutil/nstime.h>

#include "arp.h"
#include "behaviour.h"
#include "cookie.h"
#include "packet.h"
#include "scan_type.h"
#include "verdict.h"

typedef enum frame_role {
    ROLE_PROBE,
    ROLE_RESPONSE,
    ROLE_TEARDOWN,
    ROLE_IGNORED, /* a reply nmap does not judge (an ICMP code it ignores, say) */
    ROLE_STRAY,   /* on a probe's flow, but its cookie names no try of that probe */
} frame_role;

/* One port of one scan: the unit a verdict is about. For a host discovery type
 * (type->discovery) the verdict is about the host, and the port is the probe's
 * destination port (0 for ICMP).
 *
 * Probes without our tag (another tool's) have no scan id: their source tells
 * their scans apart, and they come in two kinds. A fingerprinted probe is one
 * from the moment it is seen. A suspected one is any other attempt (a kernel's
 * SYN, a UDP datagram): recorded like a probe once behaviour.c calls its source
 * a scanner (those it made before, from the table of recent attempts,
 * attempts.h), shown where the source scans, and never when it turns out to be
 * an ordinary conversation. */
typedef struct port_record {
    /* Widest first, so that no padding is paid for: ordinary traffic may make
     * one per client and server port. type, scan_id, scanner, suspect, target,
     * proto and port are its key (scan_state.c). */
    const scan_type *type;
    packet_addr scanner; /* untagged probes: their source; all zero for ours */
    packet_addr target;
    nstime_t rtt_total; /* round trip times of the first reply to each try */
    verdict judged;     /* what the first reply that says something says */
    /* Another tool's ACK probe, which nmap's -sW sends byte for byte as its
     * -sA: what the window scan reads in the reply that judged the port. */
    verdict window_judged;
    uint32_t scan_id;
    unsigned tries;       /* untagged probes: transmissions seen */
    uint32_t first_probe; /* the frame of the first probe */
    unsigned probes;      /* probe frames, retransmissions included */
    unsigned responses;   /* reply frames */
    uint32_t judged_in;   /* that reply's frame; 0 while no reply said anything */
    unsigned rtt_samples;
    uint32_t last_probe; /* the latest probe frame (verdict_note.c's) */
    uint16_t port;
    /* Our TCP probes: the --data-length bytes after their options, which a
     * RST acknowledges with their SYN or FIN (cookie_check_acked()). */
    uint16_t data_len;
    uint8_t proto;
    bool untagged; /* nothing names the tries: they are numbered as seen */
    /* Suspected probes: their source (scanner) has a behaviour record only once
     * an attempt of it failed, which most sources' never do. */
    bool suspect;
    bool implied; /* judged_in is our teardown of an answer the capture lacks */
    /* Another tool's SYN, ACK, UDP or SCTP INIT probe, which may turn out to be a host
     * discovery probe (scan_state_type()): what the ping's rules read in the
     * first reply they judge (a port_state and reason); 0 while none. */
    uint8_t ping_state;
    uint8_t ping_reason;
    /* The TTL (hop limit) of the reply that judged the port, as nmap's --reason
     * gives it ("received echo-reply ttl 64"); 0 for ARP and ND answers. */
    uint8_t judged_ttl;
    /* nmap's probe of one of -sO's shapes (an ACK to 80, an empty datagram to
     * 40125, an echo, an INIT to 80) that its -sO or -PO may turn out to have
     * sent (proto_scan_state.c, proto_convert()): its replies are kept until then. */
    bool proto_candidate;
    /* -sO's ICMP protocol (1) over IPv4: open, but its words wait for the end
     * of nmap's receive loop (common/proto_icmp_hack.h); worded_in: the frame
     * whose words it has when not judged_in's, else 0. */
    bool icmp_unsettled;
    uint32_t worded_in;
    /* A probe of the port had a wrong transport checksum (--badsum): the
     * target's stack drops such a probe, which is why nothing answered. */
    bool bad_checksum;
    /* nmap's TCP probes, and ours, sent from -g's fixed source port: a reply
     * is tied only as nmap ties it, by its numbers (fixed_sport_match.h). */
    bool fixed_sport;
} port_record;

/* What one try of a probe flow brought: kept only for the tries seen, most
 * flows have one (scan_state.c). */
typedef struct try_record try_record;

/* One probe flow of one scan, with the frames of each try. */
typedef struct probe_flow_record {
    packet_flow flow;
    port_record *port;
    try_record *tries;   /* the tries seen, in the order seen (scan_state.c) */
    uint8_t tries_seen;  /* entries in tries */
    uint8_t tries_room;  /* entries tries has room for */
    uint8_t latest_try;  /* the try sent last */
    uint8_t replied_try; /* the try answered last */
    uint32_t last_frame; /* the latest frame on this flow */
    /* Suspected probes: what became of the attempt. */
    bool accepted;                  /* the target accepted the connection (SYN-ACK), or answered */
    bool served;                    /* the target sent data on it (a listing, a banner) */
    bool conversation;              /* the client went on talking: ordinary traffic, never shown */
    bool failed;                    /* counted as a failed attempt of its source */
    struct probe_flow_record *next; /* other scans that used the same flow */
} probe_flow_record;

typedef struct frame_result {
    /* Pointers and times first, then the words, then the flags, and what only
     * probes or only replies have shares room: one is kept per scan frame, and
     * every frame of ordinary traffic may be one (a suspected probe, its reply). */
    probe_flow_record *flow;
    union {
        struct {                  /* probes */
            const char *tool;     /* who sent it; NULL for suspected ones (scan_state_tool()) */
            const char *evidence; /* fingerprinted probes: why tool names that tool */
        };
        nstime_t rtt; /* replies, with has_rtt */
    };
    verdict own; /* replies: what it said */
    frame_role role;
    unsigned try_no;
    uint32_t duplicate_of; /* a probe or reply seen before for the same try */
    union {
        unsigned timing_ping; /* probes: nmap's timing ping number (its sequence number's) */
        /* replies with nmap_unmatched: how far its ack lies beyond the
         * probe's number (fixed_sport_ack_offset()) */
        uint32_t ack_offset;
    };
    uint32_t probe_in;    /* replies and teardowns: the probe they answer or end */
    uint32_t wire_at;     /* wire_tree.c's: where the frame's scan bytes begin */
    bool another_request; /* probes: a further UDP request of the same try */
    bool has_rtt;         /* replies: the time since that probe */
    bool early;           /* replies: timestamped before that probe */
    bool numbers_differ;  /* replies: its cookie names no try; tied by addresses and ports */
    bool says;            /* replies: whether the scan type's judge said something */
    bool bad_checksum;    /* probes: its transport checksum is wrong (--badsum) */
    bool tag_cut;         /* probes: its tag cut off by the snapshot length, read by its cookie */
    bool quote_cut; /* replies: an ICMP error's quote cut before the ports, tied by its IP header */
    /* replies (ROLE_IGNORED): it answers the probe in probe_in, but that left
     * from -g's fixed source port and nmap finds no try in its numbers
     * (fixed_sport_match.h): to nmap the probe got no reply. */
    bool nmap_unmatched;
} frame_result;

/* The proto of a -sO scan's port records, whose port is the IP protocol
 * probed: written "6/ip" (a reserved protocol number, which no other record
 * has). */
#define SCAN_STATE_PROTO_IP 255

/* Whether that IP protocol has ports (TCP, UDP, SCTP; -sO's records, whose
 * port is a protocol number): a port record of another (ICMP, ARP) is a
 * host's. */
static inline bool scan_state_proto_has_ports(uint8_t proto)
{
    return proto == PACKET_TCP || proto == PACKET_UDP || proto == PACKET_SCTP ||
           proto == SCAN_STATE_PROTO_IP;
}

/* "tcp", "udp", ...: how ports of that IP protocol are written (22/tcp); "ip"
 * for -sO's (SCAN_STATE_PROTO_IP). */
const char *scan_state_proto_name(uint8_t proto);

/* Creates the tables; they empty themselves whenever a capture file is closed. */
void scan_state_register(void);

/* How untagged probes are found: the preferences of that name. */
typedef struct scan_state_options {
    bool fingerprint; /* nmap's, masscan's and zmap's probes, by fingerprint.c */
    bool behaviour;   /* any other scanner, by behaviour.c */
    behaviour_config thresholds;
    /* nmap's TCP port probes are --scanflags ones judged by this type
     * (fingerprint_probe_as()); NULL: by the type their flags are. */
    const scan_type *nmap_scanflags_base;
    /* nmap's echo requests without data outside an -sO scan are -PO's (its
     * IP protocol ping, -PO1), not -PE's: an echo reply says proto-response.
     * The wire does not say which (the preference scantrace.nmap_echo). */
    bool nmap_echo_proto;
} scan_state_options;

/* Per capture file, before its first frame (an init routine), and after its
 * last (a cleanup routine); options take effect from the next file or
 * redissection. */
void scan_state_init(const scan_state_options *options);
void scan_state_cleanup(void);

/* Whether what the first pass found about the frame is to be shown: a suspected
 * probe's frames only once its source is known to scan, and never those of a
 * conversation. */
bool scan_state_shown(const frame_result *res);

/* Who sent a probe, and why we think so (NULL when nothing tells: our tag, or
 * no tool at all). Suspected probes: the source's behaviour, in pool. */
const char *scan_state_tool(const frame_result *probe, wmem_allocator_t *pool,
                            const char **evidence);

/* First pass: records the frame and returns what it is to the scan, or NULL. */
const frame_result *scan_state_add(uint32_t frame, const nstime_t *when, const packet_view *pkt);

/* The type a port's probes are shown and judged as: its own, or, for another
 * tool's SYN, ACK, UDP or SCTP INIT probe that behaves as host discovery (nmap
 * -sn -PS22, -PA80, -PU53, -PY), the ping of that kind (ping_syn, ping_ack,
 * ping_udp, ping_sctp). Known for
 * sure only once the whole capture has been seen. */
const scan_type *scan_state_type(const port_record *port);

/* First pass, for ARP frames: an ARP ping's request (tagged, or any request of a
 * source that sweeps the link: sweep.h) or the reply to one. to_one: the frame went
 * to one station's link address, not broadcast (a kernel refreshing an entry it
 * has: no discovery). */
const frame_result *scan_state_add_arp(uint32_t frame, const nstime_t *when, const arp_view *arp,
                                       bool to_one);

/* First pass: the probe res, built by a scanner (not a kernel), has a wrong
 * transport checksum (packet_transport_checksum_ok()): marks it and its port. */
void scan_state_bad_checksum(const frame_result *probe);

/* What the first pass found about that frame, or NULL. */
const frame_result *scan_state_lookup(uint32_t frame);

/* The port's verdict: the first telling reply's, else, once the whole capture has
 * been seen, what the scan type says silence means. PORT_STATE_UNKNOWN before. */
verdict scan_state_verdict(const port_record *port, bool whole_capture_seen);

/* For a host discovery probe's port: the host's status as nmap reports it, up
 * with the reason of the first reply to any of the scanner's pings of that host
 * that said so (nmap's ping rules, whichever ping type got it), else this ping's
 * own verdict (down, no-response). Any other port, or before the whole capture
 * has been seen: scan_state_verdict(). */
verdict scan_state_host_verdict(const port_record *port, bool whole_capture_seen);

/* For a host discovery probe's port, once the whole capture has been seen: the
 * ping of the same host and scanner whose reply first said the host is up
 * (scan_state_host_verdict() reads its verdict), or NULL: the host is down, or
 * port is no discovery probe's. */
const port_record *scan_state_host_up_by(const port_record *port);

/* For a port scan's port, once the whole capture has been seen: whether its
 * host is up, user-set, as nmap 7.93 reports a host it was told not to ping
 * (-Pn off the link, -Pn --disable-arp-ping or --send-ip on it; nmap.cc,
 * portreasons.cc): the probes are nmap's (fingerprint.c, or its -sT by
 * behaviour), no discovery probe (any ping type, any scanner: nmap's decoys
 * share its ping; nmap's ARP ping as labelled) reached the host before the
 * port's first probe, nor did an answered request of the scanner for the
 * host's link address that was no kernel's resolution for a packet it held,
 * at most 3 s before it (nmap's ARP or ND ping, which -Pn leaves on the link:
 * link_asked_before() in scan_state.c).
 * A capture that begins after the discovery cannot tell it apart. false for a
 * discovery probe's port and any other tool's (ours, masscan, zmap,
 * unknown). */
bool scan_state_host_user_set(const port_record *port);

/* The window scan's reading (-sW) of a port probed by another tool's ACK probes,
 * which are nmap's -sA and -sW probes alike: from the RST's window that judged
 * the port (scan_window.c), else as scan_state_verdict says silence. false for
 * any other port (our own -sA and -sW probes say which they are). */
bool scan_state_window_verdict(const port_record *port, bool whole_capture_seen, verdict *out);

/* The first reply to a probe frame's try, or 0. */
uint32_t scan_state_response_in(const frame_result *probe);

/* The round trip time of the first reply to a probe frame's try. */
bool scan_state_probe_rtt(const frame_result *probe, nstime_t *rtt);

/* The mean round trip time of the replies to a port's probes. */
bool scan_state_mean_rtt(const port_record *port, nstime_t *rtt);

/* The ports of the port's host probed by its scan type, counted once per scan:
 * the port table splits a long list of them into ranges. */
unsigned scan_state_group_size(const port_record *port);

#endif
