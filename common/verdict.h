/* Port states and the reasons behind them, worded exactly as nmap words them. */
#ifndef SCANTRACE_VERDICT_H
#define SCANTRACE_VERDICT_H

#include <stdint.h>

typedef enum port_state {
    PORT_STATE_UNKNOWN,
    PORT_OPEN,
    PORT_CLOSED,
    PORT_FILTERED,
    PORT_UNFILTERED,
    PORT_OPEN_FILTERED,
    PORT_CLOSED_FILTERED,
    /* What host discovery probes judge: the host, not a port. */
    HOST_UP,
    HOST_DOWN,
    PORT_STATE_COUNT
} port_state;

typedef enum reason {
    REASON_NONE,
    REASON_SYN_ACK,
    REASON_SPLIT_HANDSHAKE_SYN,
    REASON_RESET,
    REASON_CONN_REFUSED,
    REASON_NO_RESPONSE,
    REASON_UDP_RESPONSE,
    REASON_NET_UNREACH,
    REASON_HOST_UNREACH,
    REASON_PROTO_UNREACH,
    REASON_PORT_UNREACH,
    REASON_NET_PROHIBITED,
    REASON_HOST_PROHIBITED,
    REASON_ADMIN_PROHIBITED,
    REASON_DEST_UNREACH,
    REASON_TIME_EXCEEDED,
    REASON_ECHO_REPLY,
    REASON_TIMESTAMP_REPLY,
    REASON_ARP_RESPONSE,
    /* nmap's words for ICMPv6 errors (portreasons.cc, icmpv6_to_reason). */
    REASON_NO_ROUTE,
    REASON_BEYOND_SCOPE,
    REASON_REJECT_ROUTE,
    REASON_PARAM_PROBLEM,
    /* Host reasons that no packet gives: -Pn, and our own addresses. */
    REASON_USER_SET,
    REASON_LOCALHOST_RESPONSE,
    /* A neighbor advertisement answered our solicitation (nmap -6's ARP). */
    REASON_ND_RESPONSE,
    /* An ICMP address mask reply answered -PM's request. */
    REASON_ADDRESSMASK_REPLY,
    /* SCTP answers (nmap's reason.cc: ER_INITACK, ER_ABORT). */
    REASON_INIT_ACK,
    REASON_ABORT,
    /* -sO: a packet in the probed protocol; nmap's word for a packet it
     * cannot word otherwise (reason.cc, ER_PROTORESPONSE, ER_UNKNOWN). */
    REASON_PROTO_RESPONSE,
    REASON_UNKNOWN_RESPONSE,
    REASON_COUNT
} reason;

typedef struct verdict {
    port_state state;
    reason why;
} verdict;

const char *port_state_name(port_state state);
const char *reason_name(reason why);

/* The reason nmap gives for an ICMP destination-unreachable of that code. */
reason reason_from_unreach_code(uint8_t code);

/* The reason nmap gives for an ICMPv6 destination-unreachable of that code
 * (RFC 4443 section 3.1; nmap's portreasons.cc, icmpv6_to_reason): address
 * unreachable is nmap's host-unreach, failed policy (5) admin-prohibited. */
reason reason_from_unreach6_code(uint8_t code);

#endif
