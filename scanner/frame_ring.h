/* The frames the receiver thread captured, handed to the engine's thread
 * without a lock: a single-producer, single-consumer ring of bytes (C11
 * atomics), each record a frame of any length with its capture time. The
 * producer (the receiver thread) only ever moves the head, the consumer (the
 * thread that sends and judges) only the tail, so neither waits for the
 * other while both work; a lock shared by the two cost a -p- scan of the lab
 * thousands of hand-overs (raw_engine.c).
 *
 * The consumer may sleep until a number of frames have come or a deadline
 * passes (frame_ring_wait()); the producer wakes it (an eventfd) only then,
 * not at every frame. */
#ifndef SCANTRACE_FRAME_RING_H
#define SCANTRACE_FRAME_RING_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

typedef struct frame_ring frame_ring;

/* capacity: bytes, rounded up to a power of two (frames and their 16-byte
 * headers share it; a frame takes at most half of it). NULL with errno set
 * when the eventfd cannot be made. */
frame_ring *frame_ring_new(size_t capacity);
void frame_ring_free(frame_ring *r);

/* Producer. Copies len bytes of frame and its stamp (any 64-bit value: the
 * engine's is the capture time in microseconds) into the ring. FALSE when
 * there is no room now (nothing is copied) or the frame is larger than half
 * the ring. Wakes a consumer waiting for that many frames. */
gboolean frame_ring_push(frame_ring *r, const void *frame, size_t len, gint64 stamp);

/* Producer: wakes the consumer whatever it waits for (when the ring is full,
 * say, so that it drains it). */
void frame_ring_kick(frame_ring *r);

/* Consumer. The oldest frame (its bytes stay valid until frame_ring_pop()),
 * its length in *len and stamp in *stamp; NULL when the ring is empty. */
const uint8_t *frame_ring_peek(frame_ring *r, size_t *len, gint64 *stamp);
void frame_ring_pop(frame_ring *r);

/* Consumer: sleeps until at least count frames are unread (pushed, not yet
 * popped), until deadline (monotonic microseconds, g_get_monotonic_time()),
 * a signal or frame_ring_kick(), whichever is first; at once when that many
 * are there already. count 0 is taken as 1. */
void frame_ring_wait(frame_ring *r, guint count, gint64 deadline);

/* Frames pushed and popped so far (for tests and statistics). */
guint64 frame_ring_pushed(const frame_ring *r);
guint64 frame_ring_popped(const frame_ring *r);

#endif
