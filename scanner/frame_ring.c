#include "frame_ring.h"

#include <errno.h>
#include <poll.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

/* A record: this header, then the frame, padded so that the next header
 * starts 16 bytes further on; the space left at the end of the buffer is then
 * a multiple of 16, room for the header that says "wrap". */
typedef struct record {
    uint32_t len;
    uint32_t unused;
    int64_t stamp;
} record;
#define RECORD_WRAP  UINT32_MAX
#define RECORD_ALIGN 16u
G_STATIC_ASSERT(sizeof(record) == RECORD_ALIGN);

/* Head and tail count bytes ever written and read (never wrapping in 64
 * bits), each on its own cache line so that the two threads do not bounce one
 * line between their cores at every frame. */
struct frame_ring {
    uint8_t *buf;
    size_t cap, mask;
    int wake_fd;
    alignas(64) _Atomic uint64_t head; /* the producer's */
    _Atomic uint64_t pushed;
    alignas(64) _Atomic uint64_t tail; /* the consumer's */
    _Atomic uint64_t popped;
    /* The pushed count at which the waiting consumer wants a wake-up; 0 when
     * it does not wait. */
    alignas(64) _Atomic uint64_t wake_at;
};

static size_t record_size(size_t len)
{
    return (sizeof(record) + len + RECORD_ALIGN - 1) & ~(size_t)(RECORD_ALIGN - 1);
}

frame_ring *frame_ring_new(size_t capacity)
{
    size_t cap = 1024;
    while (cap < capacity)
        cap <<= 1;
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd < 0)
        return NULL;
    frame_ring *r = g_malloc0(sizeof *r);
    r->buf = g_malloc(cap);
    r->cap = cap;
    r->mask = cap - 1;
    r->wake_fd = fd;
    atomic_init(&r->head, 0);
    atomic_init(&r->pushed, 0);
    atomic_init(&r->tail, 0);
    atomic_init(&r->popped, 0);
    atomic_init(&r->wake_at, 0);
    return r;
}

void frame_ring_free(frame_ring *r)
{
    if (r == NULL)
        return;
    close(r->wake_fd);
    g_free(r->buf);
    g_free(r);
}

static void wake(frame_ring *r)
{
    uint64_t one = 1;
    if (write(r->wake_fd, &one, sizeof one) < 0) {
        /* EAGAIN: the counter is full of wake-ups already. */
    }
}

gboolean frame_ring_push(frame_ring *r, const void *frame, size_t len, gint64 stamp)
{
    size_t size = record_size(len);
    if (size > r->cap / 2)
        return FALSE;
    uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    /* Acquire: the consumer is done with the bytes up to its tail. */
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    size_t at = (size_t)(head & r->mask);
    size_t to_end = r->cap - at;
    size_t need = to_end < size ? to_end + size : size;
    if (need > r->cap - (size_t)(head - tail))
        return FALSE;
    if (to_end < size) {
        record wrap = {.len = RECORD_WRAP};
        memcpy(r->buf + at, &wrap, sizeof wrap);
        head += to_end;
        at = 0;
    }
    record h = {.len = (uint32_t)len, .stamp = stamp};
    memcpy(r->buf + at, &h, sizeof h);
    memcpy(r->buf + at + sizeof h, frame, len);
    /* Release: the bytes are there before the consumer can see the head. */
    atomic_store_explicit(&r->head, head + size, memory_order_release);
    /* Sequentially consistent with frame_ring_wait(): either it sees this
     * count and does not sleep, or this sees its wake_at and wakes it. */
    uint64_t pushed = atomic_fetch_add(&r->pushed, 1) + 1;
    uint64_t want = atomic_load(&r->wake_at);
    if (want != 0 && pushed >= want && atomic_exchange(&r->wake_at, 0) != 0)
        wake(r);
    return TRUE;
}

void frame_ring_kick(frame_ring *r)
{
    wake(r);
}

const uint8_t *frame_ring_peek(frame_ring *r, size_t *len, gint64 *stamp)
{
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    for (;;) {
        /* Acquire: the frame's bytes were written before the head moved. */
        uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
        if (tail == head)
            return NULL;
        size_t at = (size_t)(tail & r->mask);
        record h;
        memcpy(&h, r->buf + at, sizeof h);
        if (h.len == RECORD_WRAP) {
            tail += r->cap - at;
            atomic_store_explicit(&r->tail, tail, memory_order_release);
            continue;
        }
        *len = h.len;
        *stamp = h.stamp;
        return r->buf + at + sizeof h;
    }
}

void frame_ring_pop(frame_ring *r)
{
    uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    record h;
    memcpy(&h, r->buf + (tail & r->mask), sizeof h);
    g_assert(tail != atomic_load_explicit(&r->head, memory_order_acquire) && h.len != RECORD_WRAP);
    /* Release: the producer may reuse the bytes once it sees the tail. */
    atomic_store_explicit(&r->tail, tail + record_size(h.len), memory_order_release);
    atomic_fetch_add_explicit(&r->popped, 1, memory_order_relaxed);
}

void frame_ring_wait(frame_ring *r, guint count, gint64 deadline)
{
    uint64_t want = atomic_load_explicit(&r->popped, memory_order_relaxed) + MAX(count, 1u);
    atomic_store(&r->wake_at, want);
    if (atomic_load(&r->pushed) >= want) {
        atomic_store(&r->wake_at, 0);
        return;
    }
    gint64 left = deadline - g_get_monotonic_time();
    if (left > 0) {
        struct timespec ts = {.tv_sec = (time_t)(left / G_USEC_PER_SEC),
                              .tv_nsec = (long)(left % G_USEC_PER_SEC) * 1000};
        struct pollfd pfd = {.fd = r->wake_fd, .events = POLLIN};
        if (ppoll(&pfd, 1, &ts, NULL) < 0 && errno != EINTR)
            g_usleep(MIN(left, 1000)); /* cannot happen with one valid fd */
    }
    atomic_store(&r->wake_at, 0);
    uint64_t n;
    while (read(r->wake_fd, &n, sizeof n) > 0)
        ;
}

guint64 frame_ring_pushed(const frame_ring *r)
{
    return atomic_load(&((frame_ring *)r)->pushed);
}

guint64 frame_ring_popped(const frame_ring *r)
{
    return atomic_load(&((frame_ring *)r)->popped);
}
