/* Finds the bytes of a frame's outermost IPv4 packet in the tree the other
 * dissectors built, whatever the link layer (Ethernet, Linux cooked, raw IP). */
#ifndef SCANTRACE_IP_BYTES_H
#define SCANTRACE_IP_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

/* Looks up the "ip" protocol; call once protocols are registered (handoff). */
void ip_bytes_init(void);

/* Asks Wireshark to keep the "ip" item in every tree handed to handle; NULL
 * clears the request. */
void ip_bytes_want(dissector_handle_t handle, bool want);

/* The bytes from the outermost IPv4 header to the end of the captured data that
 * holds it; false when the frame has no IPv4 layer. The bytes live as long as the
 * packet's scope. */
bool ip_bytes_outermost(proto_tree *tree, const uint8_t **bytes, size_t *len);

#endif
