#include "verdict.h"

static const char *const state_names[PORT_STATE_COUNT] = {
    [PORT_STATE_UNKNOWN] = "unknown",
    [PORT_OPEN] = "open",
    [PORT_CLOSED] = "closed",
    [PORT_FILTERED] = "filtered",
    [PORT_UNFILTERED] = "unfiltered",
    [PORT_OPEN_FILTERED] = "open|filtered",
    [PORT_CLOSED_FILTERED] = "closed|filtered",
    [HOST_UP] = "up",
    [HOST_DOWN] = "down",
};

/* nmap's reason.cc words. */
static const char *const reason_names[REASON_COUNT] = {
    [REASON_NONE] = "unknown",
    [REASON_SYN_ACK] = "syn-ack",
    [REASON_SPLIT_HANDSHAKE_SYN] = "split-handshake-syn",
    [REASON_RESET] = "reset",
    [REASON_CONN_REFUSED] = "conn-refused",
    [REASON_NO_RESPONSE] = "no-response",
    [REASON_UDP_RESPONSE] = "udp-response",
    [REASON_NET_UNREACH] = "net-unreach",
    [REASON_HOST_UNREACH] = "host-unreach",
    [REASON_PROTO_UNREACH] = "proto-unreach",
    [REASON_PORT_UNREACH] = "port-unreach",
    [REASON_NET_PROHIBITED] = "net-prohibited",
    [REASON_HOST_PROHIBITED] = "host-prohibited",
    [REASON_ADMIN_PROHIBITED] = "admin-prohibited",
    [REASON_DEST_UNREACH] = "dest-unreach",
    [REASON_TIME_EXCEEDED] = "time-exceeded",
    [REASON_ECHO_REPLY] = "echo-reply",
    [REASON_TIMESTAMP_REPLY] = "timestamp-reply",
    [REASON_ARP_RESPONSE] = "arp-response",
    [REASON_NO_ROUTE] = "no-route",
    [REASON_BEYOND_SCOPE] = "beyond-scope",
    [REASON_REJECT_ROUTE] = "reject-route",
    [REASON_PARAM_PROBLEM] = "param-problem",
    [REASON_USER_SET] = "user-set",
    [REASON_LOCALHOST_RESPONSE] = "localhost-response",
    [REASON_ND_RESPONSE] = "nd-response",
    [REASON_ADDRESSMASK_REPLY] = "addressmask-reply",
    [REASON_INIT_ACK] = "init-ack",
    [REASON_ABORT] = "abort",
    [REASON_PROTO_RESPONSE] = "proto-response",
    [REASON_UNKNOWN_RESPONSE] = "unknown-response",
};

const char *port_state_name(port_state state)
{
    return (unsigned)state < PORT_STATE_COUNT ? state_names[state] : state_names[0];
}

const char *reason_name(reason why)
{
    return (unsigned)why < REASON_COUNT ? reason_names[why] : reason_names[0];
}

reason reason_from_unreach_code(uint8_t code)
{
    switch (code) {
    case 0:
        return REASON_NET_UNREACH;
    case 1:
        return REASON_HOST_UNREACH;
    case 2:
        return REASON_PROTO_UNREACH;
    case 3:
        return REASON_PORT_UNREACH;
    case 9:
        return REASON_NET_PROHIBITED;
    case 10:
        return REASON_HOST_PROHIBITED;
    case 13:
        return REASON_ADMIN_PROHIBITED;
    default:
        return REASON_DEST_UNREACH;
    }
}

reason reason_from_unreach6_code(uint8_t code)
{
    switch (code) {
    case 0:
        return REASON_NO_ROUTE;
    case 1:
    case 5:
        return REASON_ADMIN_PROHIBITED;
    case 2:
        return REASON_BEYOND_SCOPE;
    case 3:
        return REASON_HOST_UNREACH;
    case 4:
        return REASON_PORT_UNREACH;
    case 6:
        return REASON_REJECT_ROUTE;
    default:
        return REASON_DEST_UNREACH;
    }
}
