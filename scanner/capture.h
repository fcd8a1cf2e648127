/* -w: every frame the receive handle sees (our probes, the replies, our kernel's
 * resets), as it saw them, in pcap or, when the name ends in .pcapng, pcapng.
 * libpcap 1.10 only writes pcap, so the few pcapng blocks are written here. */
#ifndef SCANTRACE_CAPTURE_H
#define SCANTRACE_CAPTURE_H

#include <glib.h>
#include <pcap/pcap.h>

typedef struct capture capture;

/* Creates the file before anything is sent, so that a path we cannot write
 * fails at once; NULL with the reason. append (--append-output, so
 * --resume): keep what the file holds and add after it, as nmap's
 * --append-output does with its reports: a pcapng file gets a section of its
 * own (a section header and interface block, then the frames), a pcap file
 * the frames only, which capture_start() refuses unless the file is a pcap
 * file of libpcap's (written here) of the same link type. */
capture *capture_create(const char *path, gboolean append, GError **error);

/* Writes the file's header: it takes the link type and snapshot length of the
 * handle. Once, before the first capture_write(). FALSE and *error when a
 * pcap file appended to is not of the handle's link type. */
gboolean capture_start(capture *c, pcap_t *handle, const char *device, GError **error);
gboolean capture_started(const capture *c);

void capture_write(capture *c, const struct pcap_pkthdr *h, const u_char *frame);

/* Flushes and closes the file; a capture never started gets an Ethernet
 * header and no frames (an interrupted run), so it is a valid capture all the
 * same. */
gboolean capture_close(capture *c, GError **error);

#endif
