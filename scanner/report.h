/* What the reports need to know about a scan besides each host's results. */
#ifndef SCANTRACE_REPORT_H
#define SCANTRACE_REPORT_H

#include <glib.h>

#include "mac_vendor.h"
#include "probe_plan.h"
#include "scan_result.h"
#include "services.h"

typedef struct report_context {
    const probe_plan *plan; /* the port scan's; NULL with -sn */
    const services *svc;
    mac_vendors *vendors;          /* or NULL: every vendor unknown */
    gboolean reason;               /* --reason */
    int verbose;                   /* -v: hosts found down are reported too */
    int debug;                     /* -d: "Scanned at" as with -vv */
    gboolean open_only;            /* --open (port_summary.h) */
    gboolean defeat_rst_ratelimit; /* --defeat-rst-ratelimit, or --open (options.h) */
    /* -oX lists hosts found down even without -v: a shard's report, which
     * --merge counts hosts from (the merged report lists them as verbose says). */
    gboolean list_down;
    uint32_t scan_id;
    /* --merge: the scan ids of the shards merged, in shard order (each
     * shard's probes carry its own), nscan_ids of them; NULL for a scan. */
    const uint32_t *scan_ids;
    guint nscan_ids;
    const char *args; /* the command line, for the file headers */
    gint64 start;     /* wall-clock microseconds */
} report_context;

/* "Thu Nov 26 05:57:17 2026", the ctime() form nmap's files use. */
char *report_ctime(gint64 wall_us);

/* "tcp", "udp" or "sctp"; "ip" for -sO's protocols (scan_proto's ip_proto, 0). */
const char *report_proto_name(uint8_t ip_proto);

/* The same in nmap's "Not shown" line and <extrareasons>: "n/a" for -sO's. */
const char *report_folded_proto_name(uint8_t ip_proto);

/* A port's service name, or with -sO the protocol's (NULL when nmap-protocols
 * names none: nmap writes "unknown" in -oN, nothing in -oX and -oG). */
const char *report_service_name(const report_context *ctx, uint8_t ip_proto, uint16_t port);

/* "scan id 0x1b9930a7", or a merged report's "scan ids 0x1b9930a7,
 * 0x0c2f11d4" (every shard's), for the headers. */
void report_append_scan_id(GString *out, const report_context *ctx);

/* The MAC address as nmap writes it: "86:C6:AB:6B:E6:E1". */
void report_append_mac(GString *out, const uint8_t mac[6]);

#endif
