/* scantrace --merge [-oX FILE] [-oN FILE] REPORT.xml...: the shards' -oX
 * reports made into one (report_merge.h), written as a scan writes its
 * reports: the normal output on stdout (unless -oN - or -oX - takes it) and
 * in -oN, the XML in -oX. */
#ifndef SCANTRACE_MERGE_RUN_H
#define SCANTRACE_MERGE_RUN_H

#include "options.h"

/* The exit status: 0, or 1 with one line on stderr (a report that cannot be
 * read or does not fit, an output that cannot be written; nothing is written
 * then). Warnings (a shard missing) go to stderr, and the merge goes on. */
int merge_run(const scan_options *o);

#endif
