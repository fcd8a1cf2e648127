#include "tool.h"

#include <stddef.h>

const char *tool_name(const packet_view *pkt, const probe_tag *tag)
{
    (void)pkt; /* untagged probes are named by their fingerprint */
    if (tag)
        return "scantrace";
    return NULL;
}

bool tool_suspect_is_nmap(const scan_type *type, const behaviour_source *src)
{
    /* nmap's connect scan sets SO_LINGER to 0 and closes each connection as soon
     * as it is made, so the kernel resets it without a byte sent; a client that
     * wants the connection talks, and one that gives up closes with a FIN. A
     * scanner that closes any connection with a FIN is another program (Angry IP
     * Scanner, say), whatever else it resets. */
    return type == &scan_connect && behaviour_resets_after_handshake(src) &&
           !behaviour_closes_after_handshake(src);
}

const char *tool_of_suspect(const scan_type *type, const behaviour_source *src,
                            wmem_allocator_t *pool, const char **evidence)
{
    if (tool_suspect_is_nmap(type, src)) {
        *evidence = wmem_strdup_printf(pool,
                                       "%s; every accepted connection reset right after the "
                                       "handshake, no byte sent, none closed with a FIN: nmap -sT",
                                       behaviour_evidence(src));
        return "nmap";
    }
    *evidence =
        wmem_strdup_printf(pool, "%s; no fingerprint matches: unknown", behaviour_evidence(src));
    return "unknown";
}
