/* nmap's grepable output (-oG), as nmap 7.93 writes it (output.cc): one
 * "Host: ADDR (PTR NAME)\tStatus: Up" line per host, then for a port-scanned
 * host one "Host: ADDR (NAME)\tPorts: PORT/STATE/PROTO/OWNER/SERVICE/RPC/VERSION/,
 * ...\tIgnored State: STATE (N)" line, between comment lines in the -oN form. */
#ifndef SCANTRACE_REPORT_GREPABLE_H
#define SCANTRACE_REPORT_GREPABLE_H

#include "report.h"

/* "# scantrace 0.1.0 scan initiated <ctime> (scan id 0x...) as: <args>"; with
 * -v, nmap's "# Ports scanned: TCP(N;LIST) UDP(N;LIST) SCTP(0;) PROTOCOLS(0;)". */
void report_grepable_start(GString *out, const report_context *ctx);

/* A host's lines; nothing for a host found down unless ctx->verbose ("Status:
 * Down"). The name in parentheses is the one reverse DNS gave, as nmap's
 * HostName(), else empty. Ports folded into the normal report's "Not shown"
 * are left out; "Ignored State" is written when exactly one state was folded
 * (nmap's grepable format has room for one). A host past --host-timeout gets
 * a second status line, "Status: Timeout"; with --open, a host without a port
 * it shows gets no line (nmap 7.93 in the lab). */
void report_grepable_host(GString *out, const report_context *ctx, const host_result *h);

/* "# scantrace done at <ctime> -- <summary>", or "# scantrace interrupted by
 * SIGINT at <ctime> -- <summary>", as in the -oN file. */
void report_grepable_done(GString *out, gint64 end, const char *summary, const char *stopped_by);

#endif
