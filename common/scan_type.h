/* A scan type (SYN, ACK, UDP, ...) is one module that both sides use: the scanner
 * asks it to build probes and judge replies; the plugin asks it to recognise probes
 * in a capture and judge the replies it finds there. Nothing else knows what a SYN
 * scan is, so the two sides cannot disagree about it. */
#ifndef SCANTRACE_SCAN_TYPE_H
#define SCANTRACE_SCAN_TYPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "packet.h"
#include "tag.h"
#include "verdict.h"

/* Enough for any probe we send: IPv4 + TCP with options, or a UDP request. */
#define PROBE_MAX_LEN 512

typedef struct probe_spec {
    packet_flow flow; /* scanner -> target */
    uint32_t scan_id;
    uint8_t try_no;
    uint16_t ip_id;
} probe_spec;

typedef struct scan_type scan_type;

struct scan_type {
    const char *name;   /* nmap's XML scaninfo type: "syn", "ack", ... */
    const char *option; /* the command-line flag: "-sS" */
    const char *title;  /* nmap's report wording: "SYN Stealth Scan" */
    uint8_t ip_proto;
    uint8_t tcp_flags; /* TCP scans: the flags a probe carries */
    verdict silent;    /* what a probe nobody answers means */

    /* Writes the transport header and payload after the IP header; returns its
     * length, or 0 if cap is too small. */
    size_t (*build)(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);

    /* The probe sequence value a direct reply carries (its ack - 1, say). */
    uint32_t (*reply_seq)(const packet_view *reply);

    /* Judges a reply known to answer one of this type's probes. false: the packet
     * says nothing about the port (an ICMP type nmap ignores, say). */
    bool (*judge)(const packet_view *reply, verdict *out);
};

extern const scan_type scan_syn;
extern const scan_type scan_ack;
extern const scan_type scan_fin;
extern const scan_type scan_null;
extern const scan_type scan_xmas;

/* Every scan type, NULL-terminated. */
extern const scan_type *const scan_types[];

const scan_type *scan_type_by_name(const char *name);
const scan_type *scan_type_by_option(const char *option);

/* The scan type whose probe this packet is, with its tag; NULL if it is none. */
const scan_type *scan_type_of_probe(const packet_view *pkt, probe_tag *tag);

/* Builds the whole IPv4 probe into out; returns its length or 0. */
size_t scan_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);

/* If pkt answers a probe of this type, gives that probe's flow and the sequence
 * value (cookie) the reply carries or quotes. */
bool scan_reply_key(const scan_type *type, const packet_view *pkt, packet_flow *probe_flow,
                    uint32_t *probe_seq);

/* Our own side closing what a probe opened: the kernel's RST after a SYN-ACK. */
bool scan_is_teardown(const packet_view *pkt);

/* Shared by the TCP scan types. */
size_t tcp_probe_build(const scan_type *type, const probe_spec *spec, uint8_t *out, size_t cap);
bool tcp_judge_unreach(const packet_view *reply, verdict *out);

#endif
