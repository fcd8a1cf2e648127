/* -w: every frame the receive handle sees (our probes, the replies, our kernel's
 * resets), as it saw them, in pcap or, when the name ends in .pcapng, pcapng.
 * libpcap 1.10 only writes pcap, so the few pcapng blocks are written here. */
#ifndef SCANTRACE_CAPTURE_H
#define SCANTRACE_CAPTURE_H

#include <glib.h>
#include <pcap/pcap.h>

typedef struct capture capture;

/* The file takes the link type and snapshot length of the handle. */
capture *capture_open(const char *path, pcap_t *handle, const char *device, GError **error);
void capture_write(capture *c, const struct pcap_pkthdr *h, const u_char *frame);
gboolean capture_close(capture *c, GError **error);

#endif
