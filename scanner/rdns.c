#include "rdns.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "safe_text.h"
#include "sock_addr.h"

char *rdns_lookup(const packet_addr *addr)
{
    struct sockaddr_storage sa;
    socklen_t len = sock_addr_from(addr, 0, 0, &sa);
    char host[NI_MAXHOST];
    if (getnameinfo((struct sockaddr *)&sa, len, host, sizeof host, NULL, 0, NI_NAMEREQD) != 0)
        return NULL;
    return safe_text(host);
}
