/* -w: every frame the receive handle sees (our probes, the replies, our kernel's
 * resets), as it saw them, in pcap or, when the name ends in .pcapng, pcapng.
 * libpcap 1.10 only writes pcap, so the few pcapng blocks are written here. */
#ifndef SCANTRACE_CAPTURE_H
#define SCANTRACE_CAPTURE_H

#include <glib.h>
#include <pcap/pcap.h>

typedef struct capture capture;

/* Creates the file before anything is sent, so that a path we cannot write
 * fails at once; NULL with the reason. */
capture *capture_create(const char *path, GError **error);

/* Writes the file's header: it takes the link type and snapshot length of the
 * handle. Once, before the first capture_write(). */
gboolean capture_start(capture *c, pcap_t *handle, const char *device, GError **error);
gboolean capture_started(const capture *c);

void capture_write(capture *c, const struct pcap_pkthdr *h, const u_char *frame);

/* Flushes and closes the file; a capture never started gets an Ethernet
 * header and no frames (an interrupted run), so it is a valid capture all the
 * same. */
gboolean capture_close(capture *c, GError **error);

#endif
