#include "packet_stats.h"

#include <stdatomic.h>

/* Relaxed: the counts are read once, after the threads that add to them are
 * joined (the join orders the reads after the adds). */
static atomic_uint_fast64_t sent_packets, sent_bytes, recv_packets, recv_bytes;

void packet_stats_sent(size_t bytes)
{
    atomic_fetch_add_explicit(&sent_packets, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&sent_bytes, bytes, memory_order_relaxed);
}

void packet_stats_received(size_t bytes)
{
    atomic_fetch_add_explicit(&recv_packets, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&recv_bytes, bytes, memory_order_relaxed);
}

guint64 packet_stats_sent_packets(void)
{
    return atomic_load_explicit(&sent_packets, memory_order_relaxed);
}

char *packet_stats_format_bytes(guint64 bytes, char *buf, size_t size)
{
    if (bytes < 1000)
        g_snprintf(buf, size, "%" G_GUINT64_FORMAT "B", bytes);
    else if (bytes < 1000000)
        g_snprintf(buf, size, "%.3fKB", (double)bytes / 1000.0);
    else
        g_snprintf(buf, size, "%.3fMB", (double)bytes / 1000000.0);
    return buf;
}

char *packet_stats_line(void)
{
    char sent[32], rcvd[32];
    guint64 sb = atomic_load_explicit(&sent_bytes, memory_order_relaxed);
    guint64 rb = atomic_load_explicit(&recv_bytes, memory_order_relaxed);
    return g_strdup_printf(
        "Raw packets sent: %" G_GUINT64_FORMAT " (%s) | Rcvd: %" G_GUINT64_FORMAT " (%s)",
        packet_stats_sent_packets(), packet_stats_format_bytes(sb, sent, sizeof sent),
        (guint64)atomic_load_explicit(&recv_packets, memory_order_relaxed),
        packet_stats_format_bytes(rb, rcvd, sizeof rcvd));
}
