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
    /* Host reasons that no packet gives: -Pn, and our own addresses. */
    REASON_USER_SET,
    REASON_LOCALHOST_RESPONSE,
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

#endif
