#include "rdns.h"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "safe_text.h"

char *rdns_lookup(uint32_t addr)
{
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = g_htonl(addr)};
    char host[NI_MAXHOST];
    if (getnameinfo((struct sockaddr *)&sa, sizeof sa, host, sizeof host, NULL, 0, NI_NAMEREQD) !=
        0)
        return NULL;
    return safe_text(host);
}
