/* Finds the bytes of a frame's outermost IPv4 packet, or of its ARP message, in
 * the tree the other dissectors built, whatever the link layer (Ethernet, Linux
 * cooked, raw IP). */
#ifndef SCANTRACE_IP_BYTES_H
#define SCANTRACE_IP_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

/* Looks up the "ip" and "arp" protocols; call once protocols are registered. */
void ip_bytes_init(void);

/* Asks Wireshark to keep the "ip" and "arp" items in every tree handed to
 * handle; false clears the request. */
void ip_bytes_want(dissector_handle_t handle, bool want);

/* The bytes from the outermost IPv4 header to the end of the captured data that
 * holds it; false when the frame has no IPv4 layer. The bytes live as long as the
 * packet's scope. */
bool ip_bytes_outermost(proto_tree *tree, const uint8_t **bytes, size_t *len);

/* The bytes from the ARP header to the end of the frame: an ARP ping's tag sits
 * in the Ethernet padding after the message. */
bool ip_bytes_arp(proto_tree *tree, const uint8_t **bytes, size_t *len);

#endif
