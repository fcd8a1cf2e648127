#include "explain.h"

#include <string.h>

/* "22/tcp", or "the host" for host discovery. */
static char *what(wmem_allocator_t *pool, const port_record *port)
{
    if (scan_state_type(port)->discovery)
        return wmem_strdup(pool, "the host");
    return wmem_strdup_printf(pool, "%u/%s", port->port, scan_state_proto_name(port->proto));
}

static bool is(const scan_type *type, const char *name)
{
    return strcmp(type->name, name) == 0;
}

/* What a probe of this type asks, and which answers tell what. */
static const char *probe_sentence(const scan_type *type)
{
    if (type->base)
        return "A probe with the TCP flags --scanflags chose: the scan type given with it (the "
               "SYN scan when none was) judges the replies by its own rules";
    if (is(type, "maimon"))
        return "A FIN+ACK (Uriel Maimon's scan): by RFC 793 any port answers RST, but "
               "BSD-derived stacks drop it when the port is open, so silence means open or "
               "filtered";
    if (is(type, "window"))
        return "The ACK scan's probe, read by the window of the RST that answers it: a "
               "non-zero window means open, a zero one closed (many stacks, Linux's among "
               "them, always send zero)";
    if (is(type, "syn"))
        return "A SYN, as if to open a connection: an open port answers SYN-ACK, a closed "
               "one RST, and a firewall that drops it nothing";
    if (is(type, "connect"))
        return "The scanner's kernel opens a real connection (connect()): it completes on an "
               "open port, a closed one refuses it with RST";
    if (is(type, "ack"))
        return "An ACK of no connection: any host answers RST whether the port is open or "
               "closed, so a RST says only that no firewall filters the port (another "
               "tool's ACK probe may be nmap's -sW, the same bytes: its reading is "
               "scantrace.window_verdict)";
    if (is(type, "fin") || is(type, "null") || is(type, "xmas"))
        return "A packet without SYN, RST or ACK: by RFC 793 a closed port answers RST and "
               "an open one stays silent";
    if (is(type, "udp"))
        return "A UDP datagram: a service that listens may answer, a closed port makes the "
               "host send ICMP port unreachable, and silence can mean open or filtered";
    if (is(type, "sctpinit"))
        return "An SCTP INIT, as if to open an association: an open port answers INIT ACK, a "
               "closed one ABORT, and a host without SCTP ICMP protocol unreachable";
    if (is(type, "sctpcookieecho"))
        return "An SCTP COOKIE ECHO with a cookie no endpoint made: a closed port answers "
               "ABORT, an open one drops it, so silence means open or filtered";
    if (type->discovery)
        return "A host discovery probe: any answer shows the host is up";
    return "A probe of the scan";
}

static const char *reply_sentence(const port_record *port, verdict said)
{
    const scan_type *type = scan_state_type(port);
    switch (said.why) {
    case REASON_SYN_ACK:
    case REASON_SPLIT_HANDSHAKE_SYN:
        if (type->discovery)
            return "The target answered SYN-ACK: the host is up";
        if (is(type, "connect"))
            return "The target accepted the connection: something listens on %s; the scanner "
                   "closes it at once";
        return "The target answered SYN-ACK: something listens on %s; the scanner's kernel "
               "never opened this connection, so it resets it";
    case REASON_RESET:
        if (said.state == PORT_UNFILTERED)
            return "RST to an ACK: the probe got through, so no firewall filters %s (an ACK "
                   "scan cannot tell open from closed)";
        if (type->discovery)
            return "The target answered RST: the host is up";
        if (is(type, "window"))
            return said.state == PORT_OPEN
                       ? "RST with a non-zero window: the window scan calls %s open"
                       : "RST with a zero window: the window scan calls %s closed (many "
                         "stacks' RSTs always have a zero window)";
        return "The target answered RST: nothing listens on %s, but the host is there and "
               "nothing filters the port";
    case REASON_CONN_REFUSED:
        return "The target refused the connection (RST): nothing listens on %s";
    case REASON_UDP_RESPONSE:
        return "A UDP reply: a service listens on %s";
    case REASON_PORT_UNREACH:
        if (said.state == PORT_CLOSED)
            return "ICMP port unreachable from the target itself: nothing listens on %s";
        return "ICMP port unreachable from a host on the way: a firewall rejects probes to "
               "%s, so it is filtered";
    case REASON_PARAM_PROBLEM:
        if (said.state == PORT_OPEN)
            return "ICMPv6 parameter problem (erroneous header field): nmap takes the probe as "
                   "understood, so %s is open";
        return "ICMPv6 parameter problem (unknown next header): nmap calls %s filtered";
    case REASON_TIME_EXCEEDED:
        return "ICMP time exceeded: the probe died on the way to %s, which nmap calls "
               "filtered";
    case REASON_INIT_ACK:
        if (type->discovery)
            return "The target answered INIT ACK: the host is up";
        return "The target answered INIT ACK: an SCTP endpoint listens on %s; the scanner "
               "never sends the COOKIE ECHO that would complete the association";
    case REASON_ABORT:
        if (type->discovery)
            return "The target answered ABORT: the host is up";
        return "The target answered ABORT: no SCTP endpoint listens on %s, but the host is "
               "there and nothing filters the port";
    case REASON_PROTO_UNREACH:
        if (type->discovery)
            return "ICMP protocol unreachable from the target itself: the host is up";
        if (said.state == PORT_FILTERED)
            return "ICMP protocol unreachable: the host (or a router) does not speak the "
                   "probe's protocol, which nmap calls %s filtered";
        break;
    case REASON_ECHO_REPLY:
    case REASON_TIMESTAMP_REPLY:
    case REASON_ARP_RESPONSE:
        return "The host answered: it is up";
    default:
        break;
    }
    if (said.state == PORT_FILTERED)
        return "An ICMP error: a router or firewall rejected the probe (it did not silently "
               "drop it), so %s is filtered";
    return "A reply to the probe of %s";
}

/* What silence meant for the port, on its probes once the capture is read. */
static const char *silence_sentence(verdict v)
{
    switch (v.state) {
    case PORT_FILTERED:
        return "; no try was answered, so %s is filtered: something drops the probes";
    case PORT_OPEN_FILTERED:
        return "; no try was answered: %s is open (which stays silent) or filtered, nmap "
               "cannot tell which";
    case HOST_DOWN:
        return "; no try was answered: the host is down, or hides";
    default:
        return NULL;
    }
}

char *explain(wmem_allocator_t *pool, const frame_result *res, verdict v)
{
    const port_record *port = res->flow->port;
    char *name = what(pool, port);
    wmem_strbuf_t *s = wmem_strbuf_new(pool, "");
    switch (res->role) {
    case ROLE_PROBE:
        wmem_strbuf_append(s, probe_sentence(scan_state_type(port)));
        if (res->try_no > 0)
            wmem_strbuf_append_printf(s,
                                      "; try %u: the scanner sent it again, no earlier "
                                      "try was answered in time",
                                      res->try_no);
        if (res->bad_checksum)
            wmem_strbuf_append(s, "; its checksum is wrong (nmap's --badsum): a host's stack "
                                  "drops it unread, so only a firewall or IDS that does not "
                                  "check checksums could answer");
        if (v.why == REASON_NO_RESPONSE && silence_sentence(v))
            wmem_strbuf_append_printf(s, silence_sentence(v), name);
        break;
    case ROLE_RESPONSE:
        wmem_strbuf_append_printf(s, reply_sentence(port, res->says ? res->own : v), name);
        break;
    case ROLE_TEARDOWN:
        if (port->implied)
            wmem_strbuf_append(s, "The scanner's own packet on a connection the target "
                                  "accepted: its SYN-ACK is missing from the capture, but "
                                  "this shows it came; ");
        wmem_strbuf_append_printf(s,
                                  "Not part of the verdict on %s: the rest of the "
                                  "connection the probe opened (the scanner's kernel's RST to a "
                                  "SYN-ACK it never asked for, or a connect scan's "
                                  "handshake and close)",
                                  name);
        break;
    case ROLE_IGNORED:
        if (res->nmap_unmatched) {
            wmem_strbuf_append_printf(
                s,
                "An answer to the probe, which nmap does not match to it: the probe left from "
                "a fixed source port (-g), so nmap cannot read the try from the port it "
                "answers and looks for the probe's number (its sequence number; with ACK set, "
                "its acknowledgment number) in the reply's ack - 1, ack or sequence number "
                "(scan_engine_raw.cc, tcp_probe_match); a RST acknowledges the probe's data "
                "too (RFC 793, 3.3: seq + 1 + data length to a SYN), where nmap expects seq + "
                "1. To nmap the probe is unanswered, and the verdict on %s does not come "
                "from it",
                name);
            break;
        }
        wmem_strbuf_append_printf(s,
                                  "A reply nmap does not judge (an ICMP type or code it "
                                  "ignores, or flags it does not expect): the verdict on "
                                  "%s comes from elsewhere",
                                  name);
        break;
    case ROLE_STRAY:
        wmem_strbuf_append_printf(s,
                                  "On the flow of a probe to %s, but its numbers match no "
                                  "try: not taken for a reply",
                                  name);
        break;
    }
    return wmem_strbuf_finalize(s);
}
