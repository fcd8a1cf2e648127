/* What a group of hosts is scanned through: the route they share, and the
 * sockets and handles of that route's device. Without privileges only the
 * route is there. */
#ifndef SCANTRACE_SCAN_IO_H
#define SCANTRACE_SCAN_IO_H

#include "arp_sender.h"
#include "capture.h"
#include "receiver.h"
#include "route.h"
#include "sender.h"

typedef struct scan_io {
    const route *rt;
    sender *tx;      /* raw IPv4 socket, or NULL */
    receiver *rx;    /* the device's capture, or NULL */
    arp_sender *arp; /* when the device is an Ethernet, else NULL */
    capture *cap;    /* -w, when its link type is the device's, else NULL */
} scan_io;

#endif
