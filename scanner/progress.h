/* What a running scan tells its user on the screen, as nmap does (its
 * ScanProgressMeter and the verbose lines of scan_engine.cc): with -v, each
 * scan phase ("Initiating SYN Stealth Scan at 12:34", "Scanning 10.0.0.2 [3
 * ports]", "Completed SYN Stealth Scan at 12:34, 0.05s elapsed (3 total
 * ports)") and each open port as it is found ("Discovered open port 22/tcp on
 * 10.0.0.2"); on demand (--stats-every, a key) the status lines ("Stats:
 * 0:00:12 elapsed; 0 hosts completed (1 up), 1 undergoing SYN Stealth Scan",
 * "SYN Stealth Scan Timing: About 45.00% done; ETC: 12:34 (0:00:12
 * remaining)"). None of it goes into the report files.
 *
 * One per process: the engines, their receiver threads and the key thread
 * (keys.h) share it; every function may be called from any thread. The
 * verbosity, debugging level and packet trace are the run's, which the keys
 * change while it runs. */
#ifndef SCANTRACE_PROGRESS_H
#define SCANTRACE_PROGRESS_H

#include <glib.h>
#include <stdint.h>
#include <stdio.h>

#include "scan_result.h"

/* screen: where the lines go, or NULL when a report took stdout (nmap then
 * prints them nowhere). verbose, debugging: -v's and -d's levels, which the
 * keys start from. start: the run's wall-clock start, microseconds. */
void progress_init(FILE *screen, int verbose, int debugging, gboolean packet_trace, gint64 start);

/* The -oX file, or NULL: nmap's <taskbegin>, <taskend> (with -v) and
 * <taskprogress> (with each status line) go into it. */
void progress_set_xml(FILE *xml);
/* The -oN file (NULL: none), for the lines nmap also writes there. */
void progress_set_normal(FILE *normal);
/* nmap's "Warning: ADDR giving up on port because retransmission cap hit
 * (TRYNO)." (scan_engine.cc, LOG_PLAIN): whatever the verbosity, on the
 * screen and in -oN, once per host and protocol (ip_proto: the scan's, or
 * discovery's), as nmap 7.93 in the lab (--max-retries 0, a filtered port,
 * -sS -sU: once for each). */
#define PROGRESS_DISCOVERY 255 /* progress_cap_hit()'s ip_proto for discovery */
void progress_cap_hit(const packet_addr *addr, uint8_t ip_proto, guint tryno);

int progress_verbose(void);
int progress_debugging(void);
gboolean progress_packet_trace(void);
/* Writes a --packet-trace line to f if tracing is still on: the check and
 * the write are one step against the p/P keys, so that no line comes after
 * "Packet Tracing disabled.". */
void progress_trace_write(FILE *f, const char *line);
/* The keys' changes; each prints nmap's line ("Verbosity Increased to 2."). */
void progress_change_verbose(int delta);
void progress_change_debugging(int delta);
void progress_set_packet_trace(gboolean on);

/* A phase begins: tasks (nmap's names, "SYN Stealth Scan"; several when one
 * engine runs them together) over n hosts, per_host probes each. ping: it is
 * host discovery, counted in hosts; else in ports. */
void progress_phase_begin(const char *const *tasks, guint ntasks, host_result *const *hosts,
                          guint n, guint per_host, gboolean ping);
/* The phase's end; no "Completed" line after a signal, as in nmap. */
void progress_phase_end(void);
/* A probe (a port scan) or a host (discovery) decided. */
void progress_decided(void);
/* Host h has every probe of the phase decided. With -v, when more than 50
 * probes each are sent and other hosts are left, nmap says so: "Completed SYN
 * Stealth Scan against 10.0.0.3 in 0.03s (1 host left)" (scan_engine.cc). */
void progress_host_done(const host_result *h);
/* Prints "Discovered open port PORT/PROTO on ADDR" when verbose. */
void progress_discovered(uint16_t port, uint8_t ip_proto, const packet_addr *addr);

/* A port's state set by an answer: an open port as progress_discovered()
 * says it, any other state at debugging level 2 (-dd), as nmap's
 * PortList::setPortState() logs it ("Discovered closed port 23/tcp on
 * 10.201.0.2"). A port left in its silent state says nothing, as in nmap. */
void progress_discovered_state(uint16_t port, uint8_t ip_proto, const packet_addr *addr,
                               uint8_t state);
/* Hosts found up, and hosts reported (completed). */
void progress_hosts_up(guint n);
void progress_host_completed(void);

/* Text as it is (the keys' help). */
void progress_print_text(const char *text);

/* The two status lines, now. */
void progress_print_status(void);

/* The lines themselves, for a given time (wall-clock microseconds).
 * "Stats: H:MM:SS elapsed; C hosts completed (U up), N undergoing TASK" */
void progress_format_stats(GString *out, gint64 elapsed, guint completed, guint up,
                           guint undergoing, const char *task);
/* "TASK Timing: About P% done; ETC: HH:MM (H:MM:SS remaining)", the time left
 * estimated from the fraction done so far in phase_elapsed; below 1% nmap
 * gives no estimate ("TASK Timing: About 0.50% done"). */
void progress_format_timing(GString *out, const char *task, double fraction, gint64 phase_elapsed,
                            gint64 now);

/* nmap's XML for the same moment: <taskprogress task="TASK" time="S"
 * percent="P" remaining="S" etc="S"/>, without the estimate below 1%. */
void progress_format_task_xml(GString *out, const char *task, double fraction, gint64 phase_elapsed,
                              gint64 now);

#endif
