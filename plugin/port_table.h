/* The port table: each scan in the capture as nmap reports it (port_report.h),
 * printed by tshark (-z scantrace,ports) and shown by the GUI (Statistics ›
 * Scantrace › Ports, a stat_tap_table; tshark shows that one too, plainly, with
 * -z scantrace,table). */
#ifndef SCANTRACE_PORT_TABLE_H
#define SCANTRACE_PORT_TABLE_H

#include <stdbool.h>

#include <epan/packet_info.h>

#include "scan_state.h"

#define PORT_TABLE_TAP "scantrace"

/* What the dissector hands the tap for each probe. */
typedef struct port_table_tap {
    const frame_result *frame;
    verdict final;           /* meaningful only when whole_capture_seen */
    bool whole_capture_seen; /* false on tshark's single pass */
} port_table_tap;

/* Registers -z scantrace,ports; call from the tap-listener registration of the
 * plugin. */
void port_table_register(void);

/* Registers the GUI's table; call from the protocol's registration, which comes
 * before Wireshark and tshark list the table UIs. */
void port_table_register_gui(void);

/* The capture's last frame is being dissected in a pass that taps (a retap, or
 * tshark -2's second pass): the GUI's table is made once that frame's probe, if
 * any, has been tapped. Call it after the frame's own taps are queued. */
void port_table_capture_end(packet_info *pinfo);

#endif
