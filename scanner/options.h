/* The command line, nmap's way: nmap spellings (-sS, -Pn, -oN, -oX, -p-, -p22,
 * -iL) are rewritten into long options first, since GOption knows neither
 * multi-letter short options nor attached values. Nmap's rules on combining
 * them hold: one TCP scan type, plus -sU, plus -sY or -sZ; -sn alone, and
 * without -p. */
#ifndef SCANTRACE_OPTIONS_H
#define SCANTRACE_OPTIONS_H

#include <glib.h>

#include "decoys.h"
#include "ping_options.h"
#include "scan_type.h"
#include "shard.h"
#include "timing.h"

typedef struct scan_options {
    /* The scan types, TCP type first, then -sU, then -sY or -sZ; -sS when none
     * is given; empty with -sn. */
    GPtrArray *types;
    gboolean ping_only; /* -sn: host discovery only */
    /* No scan type given: -sS, which becomes -sT without raw-socket privilege,
     * as nmap's default does (NmapOps.cc: isr00t). */
    gboolean default_type;
    char *ports;             /* -p, or NULL for the top 1000 of each protocol */
    int top_ports;           /* --top-ports N, -F (100); 0: 1000, or all of -p */
    gboolean fast;           /* -F */
    gboolean open_only;      /* --open: only ports open or open|filtered, hosts with one */
    char *exclude_ports;     /* --exclude-ports, -p's syntax: left out of every port list */
    double port_ratio;       /* --port-ratio R: the ports open at least this often; 0: none */
    gboolean in_order;       /* -r: each host's ports in ascending order, not shuffled */
    gboolean noninteractive; /* --noninteractive: no runtime keys (keys.h) */
    /* --defeat-rst-ratelimit (and --open, as nmap): a closed answer to a
     * retransmission does not slow the host down (scan_engine.cc). */
    gboolean defeat_rst_ratelimit;
    char **excluded; /* --exclude's and --excludefile's target specs */
    char *exclude_file;
    /* --unprivileged: scan as if raw sockets were refused; --privileged:
     * try them whoever we are (and fail if the kernel refuses). */
    gboolean privileged, unprivileged;
    int debug; /* -d, -dd: nmap's debugging level */
    gboolean skip_discovery, send_ip, reason, packet_trace, no_dns;
    ping_options pings;        /* -PS, -PA, -PU, -PE, -PP, -PM, -PR */
    gboolean disable_arp_ping; /* --disable-arp-ping: IP pings on an Ethernet too */
    gboolean ipv6;             /* -6: every target is IPv6 */
    /* -f (8), -ff (16), --mtu N: data bytes after the IP header in each IPv4
     * fragment of a raw probe (ip_fragment.h); 0: probes go whole. */
    unsigned fragment_mtu;
    char *decoys_text;     /* -D as typed */
    decoy_list decoys;     /* -D, parsed (decoys.h); count 0 without -D */
    gboolean show_version; /* -V: print the versions and scan nothing */
    int verbose;           /* -v, -vv: also report hosts found down */
    char *normal_file, *xml_file, *capture_file, *device, *input_file;
    /* -oG; -oA BASE sets the three files BASE.nmap, BASE.xml, BASE.gnmap. */
    char *grepable_file, *all_base;
    gboolean append_output; /* --append-output: add to the report files */
    char *stats_every_text;
    gint64 stats_every; /* --stats-every, microseconds; 0: none */
    /* --resume FILE: the options come from the log (resume.h); the targets up
     * to resume_after (an address as text) were scanned already. */
    char *resume_file, *resume_after;
    char *user;    /* -Z: whom a scan started as root continues as */
    timing timing; /* -T and the timing options, resolved */
    double max_rate, min_rate;
    /* nmap's probe options, for the raw probes (scan types and discovery):
     * --ttl, --data-length (its random bytes drawn here, once for the run, as
     * nmap draws them), --badsum; what the builders take (scan_type.h). */
    probe_extras extras;
    uint8_t *data; /* extras.data's storage */
    /* -g / --source-port: every raw probe's source port, every try's. */
    gboolean has_sport;
    uint16_t sport;
    /* -S: every raw probe's source address (the family of the targets'). */
    char *source_text;
    gboolean has_source;
    packet_addr source;
    /* --shards, --shard, --seed as typed, and what they say (shard.h). */
    char *shards_text, *shard_text, *seed_text;
    shard_spec shard;
    /* --merge: the arguments are -oX reports of one scan's shards, to be
     * written as one report (report_merge.h); nothing is scanned. */
    gboolean merge;
    char **targets;     /* from the command line, then -iL's; with --merge, the reports */
    char *command_line; /* as typed, for the report headers */
} scan_options;

/* FALSE with a one-line error for anything wrong; *help is set when --help was
 * asked for (the text is in the error then, and it is not an error). */
gboolean options_parse(int argc, char **argv, scan_options *o, gboolean *help, GError **error);
void options_clear(scan_options *o);

#endif
