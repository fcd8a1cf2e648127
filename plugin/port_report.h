/* The port table's contents, as nmap's report arranges a scan's ports: per host
 * and scan type, the ports grouped by state with their count, every state but
 * open with more than PORT_REPORT_MAX_SHOWN ports folded into one "Not shown"
 * line, the others listed port by port. Built from the probes the tap hands
 * over, one at a time (a hash lookup each, so a sweep of thousands of hosts
 * stays linear); tshark prints it (port_report_print) and the GUI's table
 * mirrors it (port_table.c). */
#ifndef SCANTRACE_PORT_REPORT_H
#define SCANTRACE_PORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "scan_state.h"

/* nmap's rule (portlist.cc, isIgnoredState): a state with more ports than this
 * is summarised, open never. */
#define PORT_REPORT_MAX_SHOWN 25

typedef struct port_report port_report;
typedef struct port_report_group port_report_group;

/* One port of one scan: one row of the table. */
typedef struct port_report_row {
    const port_record *port;
    port_report_group *group;
    verdict final;
    unsigned probes;     /* probe frames tapped, retransmissions included */
    unsigned rtt_count;  /* of them, those answered */
    double rtt_total_us; /* the replies' round trip times */
} port_report_row;

/* What changed with the probe just added, for a GUI that mirrors the report. */
typedef struct port_report_change {
    port_report_row *row;
    bool new_row;    /* the port's first probe */
    bool folded_now; /* the row's state has just become "Not shown" */
    bool shown;      /* the row's state is listed port by port */
} port_report_change;

port_report *port_report_new(void);
void port_report_free(port_report *report);

/* Adds a probe of res's port (verdict final: the port's, known once the whole
 * capture has been seen; rtt: its reply's round trip time, or NULL). Returns
 * what changed. */
port_report_change port_report_add(port_report *report, const frame_result *res, verdict final,
                                   const nstime_t *rtt);

/* A group's heading: "10.201.0.2 tcp SYN Stealth Scan, scan id 0x0c0ffee1" (another
 * tool's probes: "... by 10.201.0.1", their source; host discovery: "10.201.0.2
 * host discovery"). */
char *port_report_group_name(const port_report_group *group);

/* The two halves of that heading: the host ("10.201.0.2") and the scan ("tcp
 * SYN Stealth Scan, scan id 0x0c0ffee1", "host discovery"). Newly allocated. */
char *port_report_host_name(const port_report_group *group);
char *port_report_scan_name(const port_report_group *group);

/* A host discovery group's host line, as nmap's report words it (nmap.cc,
 * "Host is up"): "Host is up, received echo-reply (0.000023s latency)." with
 * the reason of the first reply to any of the scanner's pings of the host that
 * said up and that ping's mean round trip time in seconds (two significant
 * digits), or "Host seems down, received no-response." A port scan's group:
 * "Host is up, received user-set." when nmap scanned the host with no
 * discovery before it (scan_state_host_user_set(): nmap's -Pn), else NULL
 * (nmap's line there would need the discovery the capture may lack).
 * Newly allocated; the whole capture must have been seen. */
char *port_report_host_status(const port_report_group *group);

/* Calls func on every row of the report: group by group in the order the groups
 * were first seen, each group's rows in the order seen. */
typedef void (*port_report_row_func)(port_report_row *row, void *data);
void port_report_foreach_row(const port_report *report, port_report_row_func func, void *data);

/* The heading of the rows of one state of a group ("open: 3 ports"), or, for a
 * folded state, nmap's words for it ("Not shown: 993 closed tcp ports (reset)"). */
char *port_report_state_title(const port_report_group *group, port_state state);

/* Whether a state of the group is folded into "Not shown". */
bool port_report_folded(const port_report_group *group, port_state state);

/* A row's cells: "   22/tcp" (right-aligned, so that sorting the text sorts by
 * number; host discovery: "arp ping", "syn ping 443/tcp"), and the mean round
 * trip time in µs ("" when no probe was answered). Newly allocated. */
char *port_report_row_port(const port_report_row *row);
char *port_report_row_rtt(const port_report_row *row);

/* The whole report as text, hosts in address order, ports in ascending order. */
void port_report_print(const port_report *report, GString *out);

#endif
