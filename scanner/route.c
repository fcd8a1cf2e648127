#include "route.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"

static gboolean is_loopback(uint32_t addr)
{
    return (addr >> 24) == 127;
}

static char *addr_str(uint32_t addr, char *buf)
{
    struct in_addr a = {.s_addr = g_htonl(addr)};
    inet_ntop(AF_INET, &a, buf, INET_ADDRSTRLEN);
    return buf;
}

static gboolean source_for(uint32_t dst, uint32_t *src, gboolean *broadcast, GError **error)
{
    char text[INET_ADDRSTRLEN];
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "socket: %s", g_strerror(errno));
        return FALSE;
    }
    struct sockaddr_in sa = {
        .sin_family = AF_INET, .sin_port = g_htons(9), .sin_addr.s_addr = g_htonl(dst)};
    socklen_t len = sizeof sa;
    gboolean ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    /* A subnet's broadcast address is a target like any other (nmap counts it
     * and asks it by ARP); the kernel routes to it only with SO_BROADCAST. */
    *broadcast = !ok && errno == EACCES;
    if (*broadcast) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
        ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    }
    ok = ok && getsockname(fd, (struct sockaddr *)&sa, &len) == 0;
    int saved = errno;
    close(fd);
    if (!ok) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "no route to %s: %s", addr_str(dst, text),
                    g_strerror(saved));
        return FALSE;
    }
    *src = g_ntohl(sa.sin_addr.s_addr);
    return TRUE;
}

/* An IPv4 address of an interface, from pcap's device list. */
typedef struct dev_addr {
    char name[64];
    uint32_t addr, mask;
} dev_addr;

/* The device list, read once: every target of a run is routed (twice, when
 * they are checked before the scan), and pcap_findalldevs() asks the kernel
 * about every interface each time. Interfaces that change during a run are
 * not followed. */
static GArray *dev_addrs;

static gboolean load_devices(GError **error)
{
    if (dev_addrs)
        return TRUE;
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_if_t *devs = NULL;
    if (pcap_findalldevs(&devs, err) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot list interfaces: %s", err);
        return FALSE;
    }
    dev_addrs = g_array_new(FALSE, TRUE, sizeof(dev_addr));
    for (pcap_if_t *d = devs; d; d = d->next)
        for (pcap_addr_t *a = d->addresses; a; a = a->next) {
            if (a->addr == NULL || a->addr->sa_family != AF_INET)
                continue;
            dev_addr e = {.addr = g_ntohl(((struct sockaddr_in *)a->addr)->sin_addr.s_addr),
                          .mask = a->netmask && a->netmask->sa_family == AF_INET
                                      ? g_ntohl(((struct sockaddr_in *)a->netmask)->sin_addr.s_addr)
                                      : 0xffffffffu};
            g_strlcpy(e.name, d->name, sizeof e.name);
            g_array_append_val(dev_addrs, e);
        }
    pcap_freealldevs(devs);
    return TRUE;
}

/* Finds a device: by name when name is set (storing its first IPv4 address in
 * *addr), else by address (storing the name). Either way *mask gets that
 * address's netmask. */
static gboolean find_device(const char *name, uint32_t *addr, uint32_t *mask, char *out,
                            size_t out_len, GError **error)
{
    if (!load_devices(error))
        return FALSE;
    for (guint i = 0; i < dev_addrs->len; i++) {
        const dev_addr *e = &g_array_index(dev_addrs, dev_addr, i);
        if (name ? strcmp(e->name, name) != 0 : e->addr != *addr)
            continue;
        *addr = e->addr;
        *mask = e->mask;
        if (out)
            g_strlcpy(out, e->name, out_len);
        return TRUE;
    }
    return FALSE;
}

gboolean route_find(uint32_t dst, const char *device, route *out, GError **error)
{
    char src_text[INET_ADDRSTRLEN], dst_text[INET_ADDRSTRLEN];
    memset(out, 0, sizeof *out);
    uint32_t mask = 0xffffffffu;
    if (device) {
        if (!find_device(device, &out->src, &mask, NULL, 0, error)) {
            if (error && *error == NULL)
                g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM,
                            "interface %s does not exist or has no IPv4 address", device);
            return FALSE;
        }
        g_strlcpy(out->device, device, sizeof out->device);
        out->local = is_loopback(dst) || dst == out->src;
        out->broadcast = dst == 0xffffffffu || (mask != 0xffffffffu && (dst & ~mask) == ~mask &&
                                                (dst & mask) == (out->src & mask));
        out->on_link = !out->local && (dst & mask) == (out->src & mask);
        return TRUE;
    }
    if (!source_for(dst, &out->src, &out->broadcast, error))
        return FALSE;
    /* The kernel loops packets to its own addresses through lo, whatever
     * interface holds them. */
    if (is_loopback(dst) || dst == out->src) {
        g_strlcpy(out->device, "lo", sizeof out->device);
        out->local = TRUE;
        return TRUE;
    }
    if (!find_device(NULL, &out->src, &mask, out->device, sizeof out->device, error)) {
        if (error && *error == NULL)
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM,
                        "no capture interface holds %s, the source address for %s (use -e)",
                        addr_str(out->src, src_text), addr_str(dst, dst_text));
        return FALSE;
    }
    out->on_link = (dst & mask) == (out->src & mask);
    return TRUE;
}
