/* -oX: nmap's XML, valid against nmap.dtd (xmloutputversion 1.05). The DTD only
 * allows scanner="nmap", so scantrace names itself in the opening comment and in
 * args, with its version and the scan id. */
#ifndef SCANTRACE_REPORT_XML_H
#define SCANTRACE_REPORT_XML_H

#include "report.h"

void report_xml_start(GString *out, const report_context *ctx);
void report_xml_host(GString *out, const report_context *ctx, const host_result *h);
/* A target left out for want of a route: nmap's <target specification="ADDR"
 * status="skipped" reason="invalid"/> (log_bogus_target(), output.cc, called
 * from setup_target(), targets.cc). addr: the address as text. */
void report_xml_skipped(GString *out, const char *addr);
/* The run's end. stopped_by: the signal that interrupted the scan ("SIGINT"),
 * or NULL. Interrupted, <finished> says exit="error" and why in errormsg, the
 * DTD's way of marking a run that did not complete. */
void report_xml_done(GString *out, gint64 end, double seconds, guint hosts, guint up,
                     const char *summary, const char *stopped_by);

#endif
