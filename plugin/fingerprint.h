/* Probes that carry no tag: nmap's, masscan's and zmap's, told apart by what
 * each tool puts on the wire. A recognised probe is handed to the scan-type
 * module of common/ that matches it (a SYN to scan_syn, an echo request to
 * ping_echo, ...), so its replies are judged by the very rules that judge ours;
 * only the tie between probe and reply differs, since there is no cookie: the
 * probe's own sequence number, IP ID or ICMP id plays its part.
 *
 * Every rule and where its facts come from (captures made in the lab, and each
 * tool's source) is in plugin/README.md, "Scans of other tools". */
#ifndef SCANTRACE_FINGERPRINT_H
#define SCANTRACE_FINGERPRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "packet.h"
#include "scan_type.h"

#define FINGERPRINT_EVIDENCE_LEN 160

typedef struct fingerprint {
    const char *tool;      /* "nmap", "masscan" or "zmap" */
    const scan_type *type; /* the module whose rules judge the replies */
    /* nmap sends SYN and ACK probes for host discovery too (-PS443, -PA80), and
     * nothing in one packet tells those from port probes: the caller decides
     * from what came before (fingerprint_discovery_type()). */
    bool may_be_discovery;
    char evidence[FINGERPRINT_EVIDENCE_LEN]; /* "window 1024, ... : nmap -sS" */
    /* nmap's TCP probes: the number that encodes the try, (t << 16 | t) ^ a
     * mask drawn once per run (scan_engine_raw.cc, seq32_encode): in the
     * sequence number, or the acknowledgment of probes with ACK. 0: none. */
    bool has_run_word;
    uint32_t run_word;
} fingerprint;

/* Whether pkt is a probe of a known tool; out says which, and why. Packets to
 * multicast or broadcast addresses are never probes. */
bool fingerprint_probe(const packet_view *pkt, fingerprint *out);

/* fingerprint_probe(), told that nmap's TCP port probes are --scanflags ones
 * judged by scanflags_base (scan_syn, scan_fin, ...: the type given with
 * --scanflags, -sS when none was), whatever their flags; NULL: each judged by
 * the nmap type its flags are, others by the SYN scan's rules. The wire does
 * not say which: nmap's probe carries its flags only (scan_engine_raw.cc). */
bool fingerprint_probe_as(const packet_view *pkt, const scan_type *scanflags_base,
                          fingerprint *out);

/* Whether pkt left its sender with nmap's TTL (IPv4: 37-59) or hop limit
 * (IPv6: 255, as nmap 7.93 sends, or 37-59), lowered by any routers since. */
bool fingerprint_nmap_hops(const packet_view *pkt);

/* fingerprint_nmap_hops(), or a TTL nmap's --ttl may have set on a probe
 * without DF (IPv4, up to 128: above are masscan's and zmap's 255). */
bool fingerprint_nmap_ttl(const packet_view *pkt);

/* The discovery type (ping_syn, ping_ack) of an nmap probe that
 * fingerprint_probe() found may be a discovery probe; type itself otherwise. */
const scan_type *fingerprint_discovery_type(const scan_type *type);

/* Makes a probe that may be a discovery probe one: its discovery type, and the
 * option in its evidence (-PS for -sS, -PA for -sA). */
void fingerprint_as_discovery(fingerprint *fp);

/* What a direct reply to an untagged probe carries back in place of a cookie,
 * by the rule of the module's reply_cookie(): a SYN's sequence number (the
 * SYN-ACK's ack - 1), an ACK probe's ack (a RST's sequence number), an ICMP
 * query's id and sequence number. */
uint32_t fingerprint_reply_cookie(const scan_type *type, const packet_view *probe);

/* What an ICMP error quoting the probe carries in place of a cookie (see
 * scan_reply_key()): a TCP probe's sequence number, a UDP probe's IP ID, an ICMP
 * query's id and sequence number. */
uint32_t fingerprint_quote_cookie(const packet_view *probe);

#endif
