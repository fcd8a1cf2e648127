/* The scantrace postdissector: marks the probes, replies and teardowns of a port
 * scan and the final verdict on each port. */
#ifndef SCANTRACE_PACKET_SCANTRACE_H
#define SCANTRACE_PACKET_SCANTRACE_H

void proto_register_scantrace(void);
void proto_reg_handoff_scantrace(void);

#endif
