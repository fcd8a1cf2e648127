/* Reverse DNS for hosts found up, as nmap does unless -n. */
#ifndef SCANTRACE_RDNS_H
#define SCANTRACE_RDNS_H

#include <glib.h>
#include <stdint.h>

/* The PTR name of addr, or NULL. */
char *rdns_lookup(uint32_t addr);

#endif
