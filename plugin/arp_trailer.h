/* Our ARP pings carry their tag in the Ethernet padding (common/arp.h). Without
 * a claim on those bytes, Wireshark's Ethernet dissector calls them a trailer it
 * cannot decode and adds a note ("Didn't find padding of zeros ...") to every
 * request: this heuristic of the "eth.trailer" list claims them and shows the
 * tag instead. */
#ifndef SCANTRACE_ARP_TRAILER_H
#define SCANTRACE_ARP_TRAILER_H

/* Registers the tag's field under proto (proto_register_* time). */
void arp_trailer_register(int proto);

/* Adds the heuristic to "eth.trailer" (proto_reg_handoff_* time). */
void arp_trailer_handoff(void);

#endif
