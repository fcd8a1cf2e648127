/* The port scan of a group's hosts that are up: the raw types of the plan (-sS,
 * -sA, -sF, -sN, -sX, -sU, several at once) through the raw engine, then the
 * connect scan through the connect engine, meanwhile keeping -w's capture with
 * the receiver when we may capture. */
#ifndef SCANTRACE_PORTSCAN_H
#define SCANTRACE_PORTSCAN_H

#include "engine.h"
#include "scan_io.h"

/* hosts[i]->ports must hold plan->nprobes results. */
void portscan_run(const probe_plan *plan, const engine_config *base, const scan_io *io,
                  host_result **hosts, guint n);

#endif
