/* The nmap-like port table: one branch per target host, under it one per protocol
 * and scan type, one line per port with its final verdict, the probes sent to it
 * and the replies' round trip times. It is a stats_tree, so tshark (-z) and the GUI (Statistics
 * menu) show it. */
#ifndef SCANTRACE_PORT_TABLE_H
#define SCANTRACE_PORT_TABLE_H

#include <stdbool.h>

#include "scan_state.h"

#define PORT_TABLE_TAP "scantrace"

/* What the dissector hands the tap for each probe. */
typedef struct port_table_tap {
    const frame_result *frame;
    verdict final;           /* meaningful only when whole_capture_seen */
    bool whole_capture_seen; /* false on tshark's single pass */
} port_table_tap;

/* Registers the table; call from the tap-listener registration of the plugin. */
void port_table_register(void);

#endif
