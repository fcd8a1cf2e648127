#include "sender.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "packet_stats.h"
#include "sock_addr.h"

/* The batch: packets copied into a ring of buffers, each with its own
 * destination, sent by one sendmmsg() (a syscall per batch, not per probe:
 * on the lab's veth link sendto() takes about 45,000 probes a second, and
 * sendmmsg() of 64 about 60,000, tests/bench/veth_floor.c). */
struct sender {
    int fd;           /* one family's raw socket */
    guint queued;     /* packets in the batch */
    gboolean flushed; /* the batch went out; still readable until the next queue */
    uint8_t bufs[SENDER_BATCH][PROBE_MAX_LEN];
    struct sockaddr_storage to[SENDER_BATCH];
    struct iovec iov[SENDER_BATCH];
    struct mmsghdr msgs[SENDER_BATCH];
};

sender *sender_open(int family, const char *device, GError **error)
{
    int fd = socket(family, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_RAW);
    if (fd < 0) {
        if (errno == EPERM || errno == EACCES)
            g_set_error(error, ST_ERROR, ST_ERROR_PERMISSION,
                        "raw sockets need root or CAP_NET_RAW (try -sT later, once the "
                        "connect scan exists)");
        else
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "raw socket: %s", g_strerror(errno));
        return NULL;
    }
    int one = 1;
    /* IPPROTO_RAW implies it (for IPv6 too: Linux's raw(7) and ipv6(7));
     * saying so costs nothing. */
    if (family == AF_INET)
        setsockopt(fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one);
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    if (device &&
        setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device) + 1) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot send on interface %s: %s", device,
                    g_strerror(errno));
        close(fd);
        return NULL;
    }
    sender *s = g_new0(sender, 1);
    s->fd = fd;
    return s;
}

void sender_close(sender *s)
{
    if (s == NULL)
        return;
    close(s->fd);
    g_free(s);
}

send_result sender_send(sender *s, const uint8_t *packet, size_t len, const packet_addr *dst,
                        uint32_t scope)
{
    struct sockaddr_storage to;
    /* An IPv6 raw socket takes port 0 or its protocol (255) there. */
    socklen_t to_len = sock_addr_from(dst, 0, scope, &to);
    ssize_t n = sendto(s->fd, packet, len, 0, (struct sockaddr *)&to, to_len);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR))
        return SEND_AGAIN;
    /* Refused counts too: nmap counts what it tried (PacketTrace::trace()). */
    packet_stats_sent(len);
    return n == (ssize_t)len ? SEND_OK : SEND_FAILED;
}

gboolean sender_queue(sender *s, const uint8_t *packet, size_t len, const packet_addr *dst,
                      uint32_t scope)
{
    g_assert(len <= PROBE_MAX_LEN);
    if (s->flushed) {
        s->queued = 0;
        s->flushed = FALSE;
    }
    if (s->queued == SENDER_BATCH)
        return FALSE;
    guint i = s->queued++;
    memcpy(s->bufs[i], packet, len);
    s->iov[i] = (struct iovec){s->bufs[i], len};
    s->msgs[i].msg_hdr = (struct msghdr){.msg_name = &s->to[i],
                                         .msg_namelen = sock_addr_from(dst, 0, scope, &s->to[i]),
                                         .msg_iov = &s->iov[i],
                                         .msg_iovlen = 1};
    s->msgs[i].msg_len = 0;
    return TRUE;
}

guint sender_queued(const sender *s)
{
    return s->flushed ? 0 : s->queued;
}

const uint8_t *sender_batch_packet(const sender *s, guint i, size_t *len)
{
    g_assert(i < s->queued);
    *len = s->iov[i].iov_len;
    return s->bufs[i];
}

int sender_flush(sender *s, send_result *results)
{
    guint done = 0;
    int error = 0;
    if (s->flushed)
        return 0;
    while (done < s->queued) {
        int n = sendmmsg(s->fd, s->msgs + done, s->queued - done, 0);
        if (n > 0) {
            for (guint i = done; i < done + (guint)n; i++) {
                results[i] = s->msgs[i].msg_len == s->iov[i].iov_len ? SEND_OK : SEND_FAILED;
                packet_stats_sent(s->iov[i].iov_len);
            }
            done += (guint)n;
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) {
            /* The socket is full: this packet and the rest wait. */
            for (guint i = done; i < s->queued; i++)
                results[i] = SEND_AGAIN;
            break;
        }
        /* sendmmsg() stops at a packet the kernel refuses (a route, say):
         * that one counts as sent and unanswered, the rest still go. */
        error = errno;
        packet_stats_sent(s->iov[done].iov_len);
        results[done++] = SEND_FAILED;
    }
    s->flushed = TRUE;
    if (error)
        errno = error;
    return error;
}
