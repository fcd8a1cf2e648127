/* nmap's normal output (7.93 wording), on stdout and in the -oN file. */
#ifndef SCANTRACE_REPORT_NORMAL_H
#define SCANTRACE_REPORT_NORMAL_H

#include "report.h"

/* stdout: "Starting scantrace 0.1.0 at 2026-11-26 05:57 UTC (scan id 0x...)" */
void report_normal_start(GString *out, const report_context *ctx);
/* -oN: "# scantrace 0.1.0 scan initiated <ctime> (scan id 0x...) as: <args>" */
void report_normal_file_start(GString *out, const report_context *ctx);

/* A host's report; nothing for a host found down unless ctx->verbose. With
 * -vv (ctx->verbose >= 2), the reasons as with --reason and the "Scanned at"
 * line, as nmap 7.93 prints them. */
void report_normal_host(GString *out, const report_context *ctx, const host_result *h);

/* nmap's note when the only target did not answer discovery. */
void report_normal_seems_down(GString *out);

/* "1 IP address (1 host up) scanned in 1.23 seconds" */
char *report_done_summary(guint hosts, guint up, double seconds);
/* "Read data files from: DIR" (nmap -v's line before its last), nothing when
 * dir is NULL (the built-in tables were used). */
void report_normal_data_files(GString *out, const char *dir);
/* The last line; stopped_by: the signal that interrupted the scan ("SIGINT"),
 * or NULL: "scantrace done: ..." or "scantrace interrupted by SIGINT: ...". */
void report_normal_done(GString *out, const char *summary, const char *stopped_by);
/* -oN: "# scantrace done at <ctime> -- ..." or "# scantrace interrupted by
 * SIGINT at <ctime> -- ..." */
void report_normal_file_done(GString *out, gint64 end, const char *summary, const char *stopped_by);

#endif
