/* Names the tool that sent a probe: our tag says scantrace; an untagged probe is
 * named by its fingerprint (fingerprint.c) when it has one, and a scan found by
 * behaviour alone (behaviour.c) by what else its source did. */
#ifndef SCANTRACE_TOOL_H
#define SCANTRACE_TOOL_H

#include <stdbool.h>

#include <epan/wmem_scopes.h>

#include "behaviour.h"
#include "packet.h"
#include "scan_type.h"
#include "tag.h"

/* A static string, or NULL when the sender is unknown. tag is NULL for untagged
 * packets; pkt is NULL for packets that are not IP (ARP). */
const char *tool_name(const packet_view *pkt, const probe_tag *tag);

/* Whether a scan found by behaviour, of that type, from that source, is nmap's:
 * a connect scan whose every accepted connection is reset right after the
 * handshake (nmap -sT's SO_LINGER 0), none closed with a FIN. */
bool tool_suspect_is_nmap(const scan_type *type, const behaviour_source *src);

/* The tool behind a scan found by behaviour: "nmap" for a connect scan whose
 * connections are reset right after the handshake, "unknown" otherwise; and the
 * evidence, allocated in pool. */
const char *tool_of_suspect(const scan_type *type, const behaviour_source *src,
                            wmem_allocator_t *pool, const char **evidence);

#endif
