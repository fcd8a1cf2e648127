/* --merge: the -oX reports of one scan's shards (--shards N --shard I --seed S,
 * shard.h) read back with GLib's GMarkup and made into the one scan they are
 * parts of, which report_xml.c and report_normal.c then write as they write a
 * scan, so that the merged report cannot drift from a scan's format.
 *
 * The rules: the reports must list the same scan types and ports (<scaninfo>)
 * and, when they are shards, the same --shards and --seed, each shard once;
 * a shard missing is a warning (its ports are left out, so the report is the
 * scan less them). A host is the union of what the shards say of it: up when
 * any shard found it up (status, name, MAC and timing from the first such
 * report), each port from the one shard that scanned it (a port in two
 * reports is an error: they are not shards of one scan). Hosts keep the
 * target order the reports share; where no report orders two hosts (-sn
 * shards, whose targets are disjoint) the lower address goes first, which is
 * target order for CIDR blocks and ranges. The header is the first report's
 * (verbosity, --reason; its command line less the shard's own options and
 * files), with every shard's scan id, the start the earliest, the end the
 * latest, the elapsed time the longest shard's; the host counts are
 * the distinct hosts the shards list (a shard's -oX lists hosts found down
 * too, so they count). */
#ifndef SCANTRACE_REPORT_MERGE_H
#define SCANTRACE_REPORT_MERGE_H

#include <glib.h>

#include "probe_plan.h"
#include "scan_result.h"

typedef struct merged_report {
    probe_plan *plan; /* the scan types and ports; NULL for -sn */
    GArray *hosts;    /* host_result, in target order; ports cover plan */
    /* The scan's command line: the first report's, less what is a shard's
     * own (--shards, --shard, --seed, its -oN, -oX, -oG, -oA and -w files),
     * as the unsharded scan's would be but for its report files. */
    char *args;
    uint32_t scan_id; /* the first report's */
    GArray *scan_ids; /* uint32_t: every report's, in shard order */
    int verbose;
    gboolean reason;   /* --reason was on the command line */
    gint64 start, end; /* wall-clock microseconds */
    double seconds;    /* the longest shard's elapsed time */
    char *stopped_by;  /* a shard was interrupted: its signal ("SIGINT"), else NULL */
    guint up;
} merged_report;

/* Reads and merges the reports at paths (NULL-terminated, one at least).
 * NULL and a one-line error when one cannot be read, is not an -oX report of
 * scantrace's, or does not fit with the others; warnings (a shard missing, a
 * host up in one shard and down in another) go to warn, one line each, when
 * warn is not NULL. */
merged_report *report_merge(const char *const *paths, GPtrArray *warn, GError **error);
void merged_report_free(merged_report *m);

#endif
