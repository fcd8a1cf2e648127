#include "route.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "sock_addr.h"

static gboolean is_loopback(const packet_addr *a)
{
    static const packet_addr ipv6_loopback = {{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
    if (packet_addr_is_ipv4(a))
        return (packet_addr_low32(a) >> 24) == 127;
    return packet_addr_equal(a, &ipv6_loopback);
}

/* Whether a and b agree on the bits set in mask. */
static gboolean same_subnet(const packet_addr *a, const packet_addr *b, const packet_addr *mask)
{
    for (int i = 0; i < 16; i++)
        if ((a->bytes[i] & mask->bytes[i]) != (b->bytes[i] & mask->bytes[i]))
            return FALSE;
    return TRUE;
}

/* One socket per family serves the lookups without a device or scope: a /8
 * is 16 million of them (twice), and creating and closing a socket cost twice
 * its connect(); an unroutable address then takes one system call. A socket
 * whose connect() succeeded is disconnected (AF_UNSPEC) before the next one:
 * it would otherwise keep its first source address, and the kernel would
 * route from it. Index: 0 IPv4, 1 IPv6. */
static int lookup_fd[2] = {-1, -1};
static gboolean lookup_connected[2];

static int lookup_socket(int family, const char *device, uint32_t scope, int *slot)
{
    *slot = device == NULL && scope == 0 ? family == AF_INET6 : -1;
    if (*slot < 0)
        return socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int fd = lookup_fd[*slot];
    if (fd < 0)
        fd = lookup_fd[*slot] = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && lookup_connected[*slot]) {
        struct sockaddr none = {.sa_family = AF_UNSPEC};
        (void)connect(fd, &none, sizeof none);
        lookup_connected[*slot] = FALSE;
    }
    return fd;
}

/* The kernel's source address for dst (and through device, when given: a
 * link-local target's %iface, or -e for IPv6). */
static gboolean source_for(const packet_addr *dst, const char *device, uint32_t scope,
                           packet_addr *src, gboolean *broadcast, GError **error)
{
    char text[PACKET_ADDR_TEXT];
    struct sockaddr_storage sa;
    socklen_t sa_len = sock_addr_from(dst, 9, scope, &sa);
    int slot;
    int fd = lookup_socket(sa.ss_family, device, scope, &slot);
    if (fd < 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "socket: %s", g_strerror(errno));
        return FALSE;
    }
    /* Without privileges the bind fails and routing decides, as connect()
     * would for an -sT scan. */
    if (device)
        (void)setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device));
    gboolean ok = connect(fd, (struct sockaddr *)&sa, sa_len) == 0;
    /* A subnet's broadcast address is a target like any other (nmap counts it
     * and asks it by ARP); the kernel routes to it only with SO_BROADCAST. */
    *broadcast = !ok && errno == EACCES;
    if (*broadcast) {
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof one);
        ok = connect(fd, (struct sockaddr *)&sa, sa_len) == 0;
    }
    gboolean connected = ok;
    socklen_t len = sizeof sa;
    ok = ok && getsockname(fd, (struct sockaddr *)&sa, &len) == 0;
    int saved = errno;
    if (slot < 0) {
        close(fd);
    } else {
        lookup_connected[slot] = connected;
        /* The next address must be refused again if it is a broadcast one. */
        if (*broadcast) {
            int zero = 0;
            setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &zero, sizeof zero);
        }
    }
    if (!ok) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "no route to %s: %s",
                    packet_addr_format(dst, text), g_strerror(saved));
        return FALSE;
    }
    return sock_addr_to((struct sockaddr *)&sa, src);
}

/* An address of an interface, from pcap's device list, with its netmask
 * (IPv4's in the last 32 bits, the mapped prefix's bits all set). */
typedef struct dev_addr {
    char name[64];
    packet_addr addr, mask;
} dev_addr;

/* The device list, read once: every target of a run is routed (twice, when
 * they are checked before the scan), and pcap_findalldevs() asks the kernel
 * about every interface each time. Interfaces that change during a run are
 * not followed. */
static GArray *dev_addrs;

static packet_addr mask_of(const struct sockaddr *netmask, int family)
{
    packet_addr m;
    memset(m.bytes, 0xff, sizeof m.bytes);
    if (netmask && netmask->sa_family == family)
        sock_addr_to(netmask, &m);
    if (family == AF_INET)
        memset(m.bytes, 0xff, 12);
    return m;
}

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
            dev_addr e;
            if (a->addr == NULL || !sock_addr_to(a->addr, &e.addr))
                continue;
            e.mask = mask_of(a->netmask, a->addr->sa_family);
            g_strlcpy(e.name, d->name, sizeof e.name);
            g_array_append_val(dev_addrs, e);
        }
    pcap_freealldevs(devs);
    return TRUE;
}

/* Finds a device: by name when name is set (storing its first address of
 * *addr's family in *addr), else by address (storing the name). Either way
 * *mask gets that address's netmask. */
static gboolean find_device(const char *name, packet_addr *addr, packet_addr *mask, char *out,
                            size_t out_len, GError **error)
{
    if (!load_devices(error))
        return FALSE;
    gboolean v4 = packet_addr_is_ipv4(addr);
    for (guint i = 0; i < dev_addrs->len; i++) {
        const dev_addr *e = &g_array_index(dev_addrs, dev_addr, i);
        if (name ? strcmp(e->name, name) != 0 || packet_addr_is_ipv4(&e->addr) != v4
                 : !packet_addr_equal(&e->addr, addr))
            continue;
        *addr = e->addr;
        *mask = e->mask;
        if (out)
            g_strlcpy(out, e->name, out_len);
        return TRUE;
    }
    return FALSE;
}

/* IPv4 with -e: the device's first IPv4 address, whatever routing says. */
static gboolean route_ipv4_device(const packet_addr *dst, const char *device, route *out,
                                  GError **error)
{
    packet_addr mask;
    out->src = *dst;
    if (!find_device(device, &out->src, &mask, NULL, 0, error)) {
        if (error && *error == NULL)
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM,
                        "interface %s does not exist or has no IPv4 address", device);
        return FALSE;
    }
    g_strlcpy(out->device, device, sizeof out->device);
    uint32_t d = packet_addr_low32(dst), m = packet_addr_low32(&mask);
    uint32_t s = packet_addr_low32(&out->src);
    out->local = is_loopback(dst) || packet_addr_equal(dst, &out->src);
    out->broadcast = d == 0xffffffffu || (m != 0xffffffffu && (d & ~m) == ~m && (d & m) == (s & m));
    out->on_link = !out->local && (d & m) == (s & m);
    return TRUE;
}

gboolean route_find(const packet_addr *dst, const char *device, route *out, GError **error)
{
    char src_text[PACKET_ADDR_TEXT], dst_text[PACKET_ADDR_TEXT];
    memset(out, 0, sizeof *out);
    gboolean v4 = packet_addr_is_ipv4(dst);
    if (device && v4)
        return route_ipv4_device(dst, device, out, error);
    if (device && sock_addr_link_local(dst)) {
        out->scope = if_nametoindex(device);
        if (out->scope == 0) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "no interface %s for %s", device,
                        packet_addr_format(dst, dst_text));
            return FALSE;
        }
    }
    if (!device && sock_addr_link_local(dst)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "%s is a link-local address: say its interface (%s%%eth0, or -e)",
                    packet_addr_format(dst, dst_text), dst_text);
        return FALSE;
    }
    if (!source_for(dst, device, out->scope, &out->src, &out->broadcast, error))
        return FALSE;
    /* The kernel loops packets to its own addresses through lo, whatever
     * interface holds them, and any address of any interface is one: a second
     * address of the link's interface too, for which the kernel's source is
     * the interface's first address (nmap's route_dst_generic() and
     * islocalhost(): an address an interface holds goes through the loopback
     * device, from the kernel's source for it). */
    if (is_loopback(dst) || packet_addr_equal(dst, &out->src) ||
        route_device_holding(dst, NULL, 0)) {
        g_strlcpy(out->device, "lo", sizeof out->device);
        out->local = TRUE;
        return TRUE;
    }
    packet_addr mask;
    if (!find_device(NULL, &out->src, &mask, out->device, sizeof out->device, error)) {
        if (error && *error == NULL)
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM,
                        "no capture interface holds %s, the source address for %s (use -e)",
                        packet_addr_format(&out->src, src_text), packet_addr_format(dst, dst_text));
        return FALSE;
    }
    if (device && strcmp(device, out->device) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "%s is not reached through %s",
                    packet_addr_format(dst, dst_text), device);
        return FALSE;
    }
    /* IPv6 link-local addresses share fe80::/64 on every link: the scope says
     * which one. */
    out->on_link = same_subnet(dst, &out->src, &mask) || out->scope != 0;
    return TRUE;
}

gboolean route_device_holding(const packet_addr *addr, char *name, size_t len)
{
    packet_addr a = *addr, mask;
    return find_device(NULL, &a, &mask, name, len, NULL);
}
