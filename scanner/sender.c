#include "sender.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"

struct sender {
    int fd;
};

sender *sender_open(const char *device, GError **error)
{
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_RAW);
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
    /* IPPROTO_RAW implies it; saying so costs nothing. */
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

send_result sender_send(sender *s, const uint8_t *packet, size_t len, uint32_t dst)
{
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = g_htonl(dst)};
    ssize_t n = sendto(s->fd, packet, len, 0, (struct sockaddr *)&to, sizeof to);
    if (n == (ssize_t)len)
        return SEND_OK;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR))
        return SEND_AGAIN;
    return SEND_FAILED;
}
