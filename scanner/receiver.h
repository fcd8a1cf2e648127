/* Receiving: a libpcap handle on the interface that routes to the targets, read
 * on its own thread so that replies are timestamped and judged while the engine
 * is busy sending. Immediate mode: a reply is handed over when it arrives, not
 * when a kernel buffer block fills. */
#ifndef SCANTRACE_RECEIVER_H
#define SCANTRACE_RECEIVER_H

#include <glib.h>
#include <pcap/pcap.h>

typedef struct receiver receiver;

/* Called on the receiver's thread for every frame the filter lets in. */
typedef void (*receiver_fn)(void *ctx, const struct pcap_pkthdr *h, const u_char *frame);

receiver *receiver_open(const char *device, GError **error);
gboolean receiver_set_filter(receiver *r, const char *filter, GError **error);
pcap_t *receiver_handle(receiver *r);
const char *receiver_device(const receiver *r);

void receiver_start(receiver *r, receiver_fn fn, void *ctx);

/* Keeps reading for linger microseconds (late replies, our kernel's resets),
 * then reads what is buffered and joins the thread. */
void receiver_stop(receiver *r, gint64 linger);

/* Frames the kernel had to drop for want of room while the thread was reading,
 * so far. What piles up while nobody reads (a connect scan without -w leaves
 * the handle idle) is nobody's loss. */
guint receiver_dropped(receiver *r);

void receiver_close(receiver *r);

#endif
