/* Sending probes: a raw IPv4 socket with IP_HDRINCL (or an IPv6 one, which
 * takes the whole IPv6 header likewise) rather than pcap_inject.
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

#include "packet.h"
#include "scan_type.h"

/* Packets sent by one syscall at most (sender_flush()). */
#define SENDER_BATCH 64

typedef struct sender sender;

/* family: AF_INET or AF_INET6, the targets' (the socket sends that family
 * only). device: pin probes to that interface (-e), or NULL to follow
 * routing. */
sender *sender_open(int family, const char *device, GError **error);
void sender_close(sender *s);

typedef enum send_result { SEND_OK, SEND_AGAIN, SEND_FAILED } send_result;

/* SEND_AGAIN: the socket buffer is full, try later; SEND_FAILED: the kernel
 * refused this probe (errno says why), which counts as sent and unanswered. */
/* dst: the probe's destination, of the socket's family; scope: the interface
 * index of an IPv6 link-local dst (route.scope), else 0. */
send_result sender_send(sender *s, const uint8_t *packet, size_t len, const packet_addr *dst,
                        uint32_t scope);

/* Batched sending: sender_queue() copies a packet (and its destination, as
 * for sender_send()) into the batch; FALSE when the batch already holds
 * SENDER_BATCH packets (flush first). sender_flush() sends the batch, in
 * order, with sendmmsg() and empties it; results[i] (an array of
 * sender_queued() entries, read before the flush) is the i-th packet's
 * send_result: from the first packet the socket could not take (SEND_AGAIN)
 * every later one is SEND_AGAIN too, unsent. Returns the errno of the last
 * SEND_FAILED (also left in errno), else 0. */
gboolean sender_queue(sender *s, const uint8_t *packet, size_t len, const packet_addr *dst,
                      uint32_t scope);
guint sender_queued(const sender *s);
/* The i-th packet of the batch, queued or last flushed (until the next
 * sender_queue()), its length in *len. */
const uint8_t *sender_batch_packet(const sender *s, guint i, size_t *len);
int sender_flush(sender *s, send_result *results);

#endif
