/* Sending ARP requests: whole Ethernet frames, written with pcap_inject on a
 * handle of their own (the receiver's is read on another thread, and libpcap
 * handles are not to be shared across threads). The frames themselves come
 * from arp_request_build(), with our tag in their padding. */
#ifndef SCANTRACE_ARP_SENDER_H
#define SCANTRACE_ARP_SENDER_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

#include "sender.h"

typedef struct arp_sender arp_sender;

/* NULL, with error, when the device is not Ethernet or cannot be written to. */
arp_sender *arp_sender_open(const char *device, GError **error);
void arp_sender_close(arp_sender *a);

const char *arp_sender_device(const arp_sender *a);
const uint8_t *arp_sender_mac(const arp_sender *a);

send_result arp_sender_send(arp_sender *a, const uint8_t *frame, size_t len);

/* Whether device is an Ethernet interface (so that ARP can ask on it). */
gboolean arp_device_is_ethernet(const char *device);

#endif
