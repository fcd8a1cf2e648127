/* UDP probe payloads: a valid request where a well-known service only answers a
 * real one (DNS, NTP, SNMP), with our tag inside; elsewhere the tag alone. */
#ifndef SCANTRACE_UDP_PAYLOAD_H
#define SCANTRACE_UDP_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Writes the payload for a probe to port; returns its length or 0 if cap is too
 * small. cookie is echoed by services that echo a request id. */
size_t udp_payload_write(uint16_t port, uint16_t cookie, const uint8_t tag[10], uint8_t *out,
                         size_t cap);

/* The request id a reply from that port echoes, if the service echoes one. */
bool udp_payload_echoed_cookie(uint16_t port, const uint8_t *reply, size_t len, uint16_t *cookie);

#endif
