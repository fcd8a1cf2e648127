/* Between packet_addr (common/packet.h: IPv4 as ::ffff:a.b.c.d) and the
 * socket API's sockaddr of the right family. */
#ifndef SCANTRACE_SOCK_ADDR_H
#define SCANTRACE_SOCK_ADDR_H

#include <glib.h>
#include <stdint.h>
#include <sys/socket.h>

#include "packet.h"

/* Fills *out with a as sockaddr_in (IPv4-mapped) or sockaddr_in6 (port in
 * host order, scope: the interface index of a link-local IPv6 address, 0
 * otherwise); returns the length to pass to connect()/sendto(). */
socklen_t sock_addr_from(const packet_addr *a, uint16_t port, uint32_t scope,
                         struct sockaddr_storage *out);

/* The address of an AF_INET or AF_INET6 sockaddr; false for other families. */
gboolean sock_addr_to(const struct sockaddr *sa, packet_addr *out);

/* The socket family a packet_addr is sent with: AF_INET or AF_INET6. */
int sock_addr_family(const packet_addr *a);

/* Whether a is an IPv6 link-local address (fe80::/10, RFC 4291 section
 * 2.5.6), which needs an interface to be reached. */
gboolean sock_addr_link_local(const packet_addr *a);

#endif
