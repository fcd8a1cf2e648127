/* The learner's line: what a scan packet means and why, in plain words ("The
 * target answered SYN-ACK: something listens on 22/tcp; our kernel never opened
 * this connection, so it resets it"). Shown in the tree unless the preference
 * scantrace.explain is off. */
#ifndef SCANTRACE_EXPLAIN_H
#define SCANTRACE_EXPLAIN_H

#include <stdbool.h>

#include <epan/wmem_scopes.h>

#include "scan_state.h"

/* The sentence for a frame of the scan, in pool. v: its port's verdict
 * (PORT_STATE_UNKNOWN while the capture has not been read whole). */
char *explain(wmem_allocator_t *pool, const frame_result *res, verdict v);

#endif
