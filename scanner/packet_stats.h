/* The raw packets a scan sent and received, counted as nmap counts them for
 * the line -v prints after "done" ("Raw packets sent: 14 (592B) | Rcvd: 11
 * (464B)"; nmap 7.93, PacketTrace::trace() and getFinalPacketStats() in
 * tcpip.cc). Process-wide counters, atomic (relaxed): the sending and the
 * receiving threads add to them without a lock, the end reads them. */
#ifndef SCANTRACE_PACKET_STATS_H
#define SCANTRACE_PACKET_STATS_H

#include <glib.h>
#include <stddef.h>

/* One packet handed to the kernel (sent or refused by it, as nmap counts a
 * packet it tried): bytes is its length from the IP header on (an ARP
 * request's 28 bytes, without the Ethernet header). */
void packet_stats_sent(size_t bytes);
/* One frame the capture's filter passed that is not one of our own: bytes
 * from the IP (or ARP) header on. */
void packet_stats_received(size_t bytes);
guint64 packet_stats_sent_packets(void);

/* nmap's sizes (format_bytecount(), nbase): under 1000 "592B", under a
 * million "1.234KB", else "12.345MB" (decimal units, 3 decimals). buf holds
 * at least 32 bytes; returns buf. */
char *packet_stats_format_bytes(guint64 bytes, char *buf, size_t size);

/* "Raw packets sent: 14 (592B) | Rcvd: 11 (464B)", newly allocated. */
char *packet_stats_line(void);

#endif
