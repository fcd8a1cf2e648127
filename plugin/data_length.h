/* The random bytes nmap's --data-length puts in every raw probe of a run
 * (common/nmap_data.h), as seen per source: the bytes an nmap probe of the
 * source carried (a TCP probe, an echo request: their shape tells them), and,
 * while none has, the recent datagrams of random bytes of sources that send
 * raw datagrams (no DF, nmap's TTL). Random bytes alone look like anyone's
 * datagram; the same random bytes to a second port or host are a run's
 * (scan_state.c). Plain GLib, so that unit tests need no Wireshark. */
#ifndef SCANTRACE_DATA_LENGTH_H
#define SCANTRACE_DATA_LENGTH_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "packet.h"

/* The bytes kept of each payload: enough to tell random runs apart. */
#define DATA_LENGTH_HEAD 32
/* Datagrams of random bytes kept (the last ones, of any source). */
#define DATA_LENGTH_CANDIDATES 256
/* Datagrams' (source, source port, destination) kept, direct-mapped: a power
 * of two. */
#define DATA_LENGTH_SENT 4096

typedef struct data_length data_length;

data_length *data_length_new(void);
void data_length_free(data_length *d); /* d may be NULL */

/* Keeps pkt's payload as its source's --data-length bytes: frame's probe, an
 * nmap probe, carried them. A source keeps the last 4 such runs' bytes. */
void data_length_learn(data_length *d, const packet_view *pkt, uint32_t frame);

/* The frame of the probe whose bytes data_length_learn() kept for pkt's
 * source that are pkt's payload (nmap_data_same()); 0 if none. */
uint32_t data_length_known(const data_length *d, const packet_view *pkt);

/* Keeps pkt, a datagram of random bytes, frame; returns the frames (in the
 * order seen, pkt's last) of the kept datagrams of the same source with the
 * same bytes, when one went to another port or host than pkt: a run's (free
 * with g_array_unref); NULL, and pkt kept, otherwise. */
GArray *data_length_candidate(data_length *d, const packet_view *pkt, uint32_t frame);

/* Notes pkt, a UDP datagram: a datagram from its destination to its source
 * port answers it (data_length_answers()). */
void data_length_note_sent(data_length *d, const packet_view *pkt);

/* Whether pkt, a UDP datagram, answers one data_length_note_sent() noted
 * recently: its destination host sent to pkt's source from pkt's destination
 * port. From any source port: a TFTP server answers from a new port (RFC 1350
 * section 4), so its reply is no flow's reverse. Such a datagram is no
 * scanner's probe, whatever its bytes. */
bool data_length_answers(const data_length *d, const packet_view *pkt);

#endif
