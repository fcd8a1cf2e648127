#include "sock_addr.h"

#include <netinet/in.h>
#include <string.h>

socklen_t sock_addr_from(const packet_addr *a, uint16_t port, uint32_t scope,
                         struct sockaddr_storage *out)
{
    memset(out, 0, sizeof *out);
    if (packet_addr_is_ipv4(a)) {
        struct sockaddr_in *in = (struct sockaddr_in *)out;
        in->sin_family = AF_INET;
        in->sin_port = g_htons(port);
        memcpy(&in->sin_addr, a->bytes + 12, 4);
        return sizeof *in;
    }
    struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
    in6->sin6_family = AF_INET6;
    in6->sin6_port = g_htons(port);
    memcpy(&in6->sin6_addr, a->bytes, 16);
    in6->sin6_scope_id = scope;
    return sizeof *in6;
}

gboolean sock_addr_to(const struct sockaddr *sa, packet_addr *out)
{
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
        *out = packet_addr_from_ipv4(g_ntohl(in->sin_addr.s_addr));
        return TRUE;
    }
    if (sa->sa_family == AF_INET6) {
        memcpy(out->bytes, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
        return TRUE;
    }
    return FALSE;
}

int sock_addr_family(const packet_addr *a)
{
    return packet_addr_is_ipv4(a) ? AF_INET : AF_INET6;
}

gboolean sock_addr_link_local(const packet_addr *a)
{
    return !packet_addr_is_ipv4(a) && a->bytes[0] == 0xfe && (a->bytes[1] & 0xc0) == 0x80;
}
