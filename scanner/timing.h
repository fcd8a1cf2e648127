/* nmap's timing options: the templates -T0 .. -T5 and the options that set
 * one value each (--host-timeout, --scan-delay, the RTT timeouts, ...), with
 * nmap 7.93's values and its rule that an option given by itself wins over
 * the template whatever their order (nmap.cc: apply_delayed_options). Times
 * are microseconds here; nmap counts milliseconds, so every value is one of
 * nmap's times a thousand. */
#ifndef SCANTRACE_TIMING_H
#define SCANTRACE_TIMING_H

#include <glib.h>

/* A value not given on the command line. */
#define TIMING_UNSET (-1)

typedef struct timing {
    int level; /* the template, 0 (paranoid) .. 5 (insane); 3 without -T */
    gint64 initial_rtt, min_rtt, max_rtt;
    int max_retries;
    gint64 scan_delay;                             /* between two probes to a host; 0 = none */
    gint64 max_scan_delay_tcp, max_scan_delay_udp; /* what slowing down a host stops at */
    gint64 host_timeout;                           /* a host's whole scan; 0 = none */
    int min_parallelism, max_parallelism;          /* probes in flight; 0 = the engine's own */
    int min_hostgroup, max_hostgroup;              /* hosts scanned at once */
} timing;

/* What the command line gave, every field TIMING_UNSET unless given: applied
 * over the template by timing_resolve(). */
typedef timing timing_given;

void timing_given_init(timing_given *g);

/* nmap's defaults (NmapOps.cc) and the template level (-1: none given, -T3). */
void timing_template(int level, timing *t);

/* -T's argument: a digit 0-5 or a name (paranoid, sneaky, polite, normal,
 * aggressive, insane; any case), as nmap takes it. -1 and an error otherwise. */
int timing_level_parse(const char *text, GError **error);

/* The template level's values with the given ones over them, in nmap's
 * order: --max-parallelism, --scan-delay (raising the maximum scan delays to
 * it), --max-scan-delay, then the RTT timeouts, each keeping min <= initial
 * <= max as nmap's setters do. */
void timing_resolve(int level, const timing_given *g, timing *t);

/* nmap -d's "Timing report" block (nmap.cc), in nmap's units (ms). */
void timing_report(GString *out, const timing *t, double min_rate, double max_rate);

#endif
