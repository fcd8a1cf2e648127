/* Sending probes: a raw IPv4 socket with IP_HDRINCL rather than pcap_inject.
 * The kernel then routes each probe, resolves the next hop's link address (ARP)
 * and frames it for whatever link it leaves on (Ethernet, lo, tunnels), all of
 * which pcap_inject would have us redo, and get wrong on links we did not
 * think of. The probe's IP header is still entirely ours, as built by
 * scan_probe_build(); the kernel only fills in the checksum. */
#ifndef SCANTRACE_SENDER_H
#define SCANTRACE_SENDER_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sender sender;

/* device: pin probes to that interface (-e), or NULL to follow routing. */
sender *sender_open(const char *device, GError **error);
void sender_close(sender *s);

typedef enum send_result { SEND_OK, SEND_AGAIN, SEND_FAILED } send_result;

/* SEND_AGAIN: the socket buffer is full, try later; SEND_FAILED: the kernel
 * refused this probe (errno says why), which counts as sent and unanswered. */
send_result sender_send(sender *s, const uint8_t *packet, size_t len, uint32_t dst);

#endif
