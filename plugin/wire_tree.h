/* The tag's and the cookie's fields on their bytes, so that clicking one in the
 * tree highlights it in the packet bytes: the tag (kind, length, ExID, version,
 * purpose, try, scan id) where it sits (a TCP option, or the payload of a UDP,
 * ICMP or ARP probe, or the part of a probe an ICMP error quotes), and the
 * cookie where it rides (a TCP probe's sequence number, the ack − 1 of its
 * reply, an ICMP probe's id and sequence, a UDP probe's IP ID) with whether it
 * checks. */
#ifndef SCANTRACE_WIRE_TREE_H
#define SCANTRACE_WIRE_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <epan/packet.h>

#include "scan_state.h"

/* Registers the fields and subtrees under the protocol. */
void wire_tree_register(int proto);

/* First pass: notes in res, the frame's result, where the frame's scan bytes
 * (its IP packet, or with arp its ARP message) start in tvb, the frame's data;
 * bytes that are not the frame's own (a reassembled datagram) are not noted, and
 * get no fields. */
void wire_tree_remember(const frame_result *res, tvbuff_t *tvb, const uint8_t *bytes, size_t len,
                        bool arp);

/* Whether the frame can have the fields: a tagged probe's, not another tool's
 * or a kernel-made one's. Only such frames are noted, so that ordinary traffic
 * (suspected probes) costs nothing here. */
bool wire_tree_applies(const frame_result *res);

/* Whether any of the fields is wanted: the tree is shown, or a filter or a
 * column names one. Reading the bytes again costs, and -Y or -e on other
 * fields need none of it. */
bool wire_tree_wanted(proto_tree *tree);

/* Adds the fields to tree, from the frame's own bytes (tvb). Does nothing for
 * probes without our tag (another tool's, or the connect scan's kernel-made
 * ones). Never reads outside the captured bytes. */
void wire_tree_add(proto_tree *tree, tvbuff_t *tvb, const frame_result *res);

#endif
