/* The recent connection attempts (a SYN, a UDP datagram) of sources not yet
 * known to scan, with what became of each (answered, refused, a conversation)
 * and the frames seen on it: a fixed table, so that ordinary traffic, which
 * makes one attempt per flow, costs no record per flow. Only what a source's
 * failures are counted from (behaviour.h) is kept, and the frames of an attempt
 * until its flow turns out to be a conversation: should its source cross a
 * threshold, the attempts it still has here are recorded as probes after all
 * (scan_state.c), so that a scan is labelled from its first probe.
 *
 * The table is direct-mapped by flow: a new attempt takes the place of the one
 * its flow hashes to. ATTEMPTS_SLOTS attempts are kept at most, and
 * ATTEMPTS_EVENTS frames of each; an attempt evicted before its source is
 * known to scan, or a frame past that, is never labelled (and an attempt
 * evicted before its answer is never counted as failed). Plain GLib, so that unit tests need no
 * Wireshark. */
#ifndef SCANTRACE_ATTEMPTS_H
#define SCANTRACE_ATTEMPTS_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "packet.h"
#include "scan_type.h"

#define ATTEMPTS_SLOTS  8192 /* a power of two */
#define ATTEMPTS_EVENTS 16

typedef enum attempt_side {
    ATTEMPT_PROBE,  /* the attempt itself, or the same again */
    ATTEMPT_CLIENT, /* the source's other packets on the flow (its ACK, RST, FIN) */
    ATTEMPT_SERVER, /* the target's answer (on the reversed flow, or an ICMP error) */
} attempt_side;

/* One frame of an attempt, with the packet's headers (its pointers into the
 * frame's bytes cleared, and, but for a probe, its payload's length: data
 * says whether it had any). */
typedef struct attempt_event {
    uint32_t frame;
    uint8_t side; /* attempt_side */
    bool data;
    int64_t secs; /* its time */
    int32_t nsecs;
    packet_view pkt;
} attempt_event;

typedef struct attempt {
    packet_flow flow; /* the attempt's own; proto 0: a free slot */
    const scan_type *type;
    bool accepted; /* the target accepted the connection (SYN-ACK), or answered */
    bool served;   /* the target sent data on it */
    bool failed;   /* counted as a failure of its source */
    /* The client went on talking after an answer, or sent data: ordinary
     * traffic, never shown; its frames are not kept. */
    bool conversation;
    uint8_t events;
    uint8_t room;
    attempt_event *event; /* grown as needed: most attempts have two or three */
} attempt;

typedef struct attempts attempts;

attempts *attempts_new(void);
void attempts_free(attempts *a); /* a may be NULL */

/* The attempt on that flow (the attempt's own, source first), or NULL. */
attempt *attempts_find(attempts *a, const packet_flow *flow);

/* A fresh attempt on that flow of type, in the place of whatever its flow
 * hashes to. */
attempt *attempts_start(attempts *a, const packet_flow *flow, const scan_type *type);

/* Keeps a frame of the attempt, while it has room. */
void attempts_note(attempt *at, attempt_side side, uint32_t frame, int64_t secs, int32_t nsecs,
                   const packet_view *pkt);

/* Marks the attempt a conversation, and forgets its frames. */
void attempts_conversation(attempt *at);

/* Forgets the attempt (recorded by now). */
void attempts_drop(attempt *at);

/* The attempts of that source still kept, appended to out (attempt *). */
void attempts_of_source(attempts *a, const packet_addr *src, GPtrArray *out);

#endif
