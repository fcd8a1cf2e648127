/* Names the tool that sent a probe. Today only our own tag is known; nmap, masscan
 * and zmap fingerprints belong here too. */
#ifndef SCANTRACE_TOOL_H
#define SCANTRACE_TOOL_H

#include "packet.h"
#include "tag.h"

/* A static string, or NULL when the sender is unknown. tag is NULL for untagged
 * packets; pkt is NULL for packets that are not IP (ARP). */
const char *tool_name(const packet_view *pkt, const probe_tag *tag);

#endif
