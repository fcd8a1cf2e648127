#include "sender.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "sock_addr.h"

struct sender {
    int fd; /* one family's raw socket */
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
    if (n == (ssize_t)len)
        return SEND_OK;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR))
        return SEND_AGAIN;
    return SEND_FAILED;
}
