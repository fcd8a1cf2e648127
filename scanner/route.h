/* Which source address and capture device reach a target: the kernel's own
 * routing decides (a connected UDP socket sends nothing but reveals the source
 * address), and the capture device is the one holding that address; loopback
 * and our own addresses are reached through "lo". Whether the target is on the
 * device's subnet comes from the address's netmask. */
#ifndef SCANTRACE_ROUTE_H
#define SCANTRACE_ROUTE_H

#include <glib.h>
#include <stdint.h>

#include "packet.h"

typedef struct route {
    packet_addr src; /* the same family as the target */
    char device[64];
    /* The device's interface index when the target is an IPv6 link-local
     * address (the sockaddr_in6 scope), else 0. */
    uint32_t scope;
    /* The target shares a subnet with src: it is reached without a gateway, so
     * ARP can ask for it (nmap's "directly connected"). */
    gboolean on_link;
    /* The target is one of our own addresses, or loopback. */
    gboolean local;
    /* The kernel takes the target for a broadcast address (the limited one, or
     * a subnet's): it refuses to send there without SO_BROADCAST, and what
     * it sends there goes to every host of the link. */
    gboolean broadcast;
} route;

/* dst: either family. device: the -e override, or a link-local target's
 * %iface, or NULL. FALSE and an ST_ERROR_SYSTEM error when the kernel has no
 * route, ST_ERROR_INPUT when device cannot reach dst's family. */
gboolean route_find(const packet_addr *dst, const char *device, route *out, GError **error);

/* The interface holding addr (one of our own addresses), into name (unless
 * NULL); FALSE when none does (nmap's -S without -e then: "Could not figure
 * out what device to send the packet out on"). */
gboolean route_device_holding(const packet_addr *addr, char *name, size_t len);

#endif
