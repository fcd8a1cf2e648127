/* The connect engine: probes the kernel makes through ordinary non-blocking
 * sockets, so it needs no privilege. Serves the connect scan (-sT) and host
 * discovery without privileges (connect() to 80 and 443, as nmap does then).
 *
 * Each connection carries the type's tag (common/scan_connect.c): its TOS byte
 * and a source port of its own from CONNECT_PORT_FIRST up, taken in turn. A
 * connection that is accepted is closed as nmap closes it: SO_LINGER 0, so the
 * close is a RST right after the handshake's ACK. IP_RECVERR hands over the
 * ICMP error that ends an attempt as soon as it arrives. The verdict on each
 * outcome is the type's judge_errno(). A try that times out stays open until
 * its probe is decided, as nmap keeps a late answer. */
#ifndef SCANTRACE_CONNECT_ENGINE_H
#define SCANTRACE_CONNECT_ENGINE_H

#include <stdint.h>

#include "engine.h"
#include "route.h"

/* A capture filter for what these connections put on the wire, for -w when we
 * may capture: our tagged source ports, and ICMP to us. */
char *connect_engine_filter(const packet_addr *src);

/* Runs the jobs to the end. cfg->scan_id is not used: kernel-made probes carry
 * no scan id. rt: the jobs' route (its scope and device reach a link-local
 * IPv6 target). */
void connect_engine_run(const engine_config *cfg, const route *rt, engine_job *jobs, guint njobs);

#endif
