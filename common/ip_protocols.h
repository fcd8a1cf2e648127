/* IP protocol numbers' names (the -sO scan's "services"). */
#ifndef SCANTRACE_IP_PROTOCOLS_H
#define SCANTRACE_IP_PROTOCOLS_H

#include <stdint.h>

/* nmap's name of an IP protocol number ("icmp", "ipv6-icmp", "sctp"), or NULL
 * when nmap-protocols lists none (nmap then writes "unknown" in its table). */
const char *ip_protocol_name(uint8_t proto);

#endif
