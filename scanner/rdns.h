/* Reverse DNS for hosts found up, as nmap does unless -n. */
#ifndef SCANTRACE_RDNS_H
#define SCANTRACE_RDNS_H

#include <glib.h>
#include <stdint.h>

#include "packet.h"

/* The PTR name of addr, made safe to print (safe_text(): whoever owns the
 * address chooses its name, bytes and all), or NULL. */
char *rdns_lookup(const packet_addr *addr);

#endif
