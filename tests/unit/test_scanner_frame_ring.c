/* The receiver-to-engine frame ring (scanner/frame_ring.c): frames come out
 * whole, in order, with their stamps, across the buffer's end; a full ring
 * refuses without copying; and two threads, one pushing a million frames of
 * varied lengths while the other pops and waits, lose, duplicate and corrupt
 * none, and the waiting one is woken (no wait runs to its deadline while
 * enough frames are there). */
#include <glib.h>
#include <string.h>

#include "frame_ring.h"

/* Frame i: length 1 + i % 97 bytes, byte k is (i * 31 + k) & 0xff. */
static size_t frame_of(guint64 i, uint8_t *buf)
{
    size_t len = 1 + (size_t)(i % 97);
    for (size_t k = 0; k < len; k++)
        buf[k] = (uint8_t)(i * 31 + k);
    return len;
}

static gboolean frame_is(guint64 i, const uint8_t *got, size_t len)
{
    uint8_t want[128];
    size_t n = frame_of(i, want);
    return n == len && memcmp(want, got, n) == 0;
}

static void test_order_and_wrap(void)
{
    frame_ring *r = frame_ring_new(1024);
    g_assert_nonnull(r);
    uint8_t buf[128];
    size_t len;
    gint64 stamp;
    g_assert_null(frame_ring_peek(r, &len, &stamp));
    /* Ten rounds of a few frames each go many times round a 1 KiB buffer. */
    guint64 next_in = 0, next_out = 0;
    for (int round = 0; round < 200; round++) {
        for (int k = 0; k < 5; k++, next_in++)
            g_assert_true(frame_ring_push(r, buf, frame_of(next_in, buf), (gint64)next_in * 7));
        while (next_out < next_in) {
            const uint8_t *f = frame_ring_peek(r, &len, &stamp);
            g_assert_nonnull(f);
            g_assert_true(frame_is(next_out, f, len));
            g_assert_cmpint(stamp, ==, (gint64)next_out * 7);
            frame_ring_pop(r);
            next_out++;
        }
        g_assert_null(frame_ring_peek(r, &len, &stamp));
    }
    g_assert_cmpuint(frame_ring_pushed(r), ==, 1000);
    g_assert_cmpuint(frame_ring_popped(r), ==, 1000);
    frame_ring_free(r);
}

static void test_full(void)
{
    frame_ring *r = frame_ring_new(1024);
    uint8_t big[600] = {0}, small[48];
    /* A frame over half the ring never fits. */
    g_assert_false(frame_ring_push(r, big, sizeof big, 0));
    guint n = 0;
    memset(small, 0xab, sizeof small);
    while (frame_ring_push(r, small, sizeof small, n))
        n++;
    /* 64-byte records (16 of header, 48 of frame) fill 1 KiB exactly. */
    g_assert_cmpuint(n, ==, 1024 / 64);
    g_assert_cmpuint(frame_ring_pushed(r), ==, n);
    size_t len;
    gint64 stamp;
    frame_ring_pop(r);
    g_assert_true(frame_ring_push(r, small, sizeof small, 99));
    for (guint i = 1; i <= n; i++) {
        const uint8_t *f = frame_ring_peek(r, &len, &stamp);
        g_assert_nonnull(f);
        g_assert_cmpint(stamp, ==, i < n ? (gint64)i : 99);
        g_assert_cmpuint(len, ==, sizeof small);
        frame_ring_pop(r);
    }
    g_assert_null(frame_ring_peek(r, &len, &stamp));
    frame_ring_free(r);
}

static void test_wait_deadline(void)
{
    frame_ring *r = frame_ring_new(4096);
    uint8_t b = 1;
    gint64 start = g_get_monotonic_time();
    frame_ring_wait(r, 1, start + 20 * 1000);
    gint64 waited = g_get_monotonic_time() - start;
    g_assert_cmpint(waited, >=, 20 * 1000);
    /* Enough unread already: no sleep at all. */
    g_assert_true(frame_ring_push(r, &b, 1, 0));
    g_assert_true(frame_ring_push(r, &b, 1, 0));
    start = g_get_monotonic_time();
    frame_ring_wait(r, 2, start + 5 * G_USEC_PER_SEC);
    g_assert_cmpint(g_get_monotonic_time() - start, <, G_USEC_PER_SEC);
    frame_ring_free(r);
}

#define MANY 1000000u
typedef struct shared {
    frame_ring *r;
} shared;

static gpointer producer(gpointer data)
{
    shared *s = data;
    uint8_t buf[128];
    for (guint64 i = 0; i < MANY; i++) {
        size_t len = frame_of(i, buf);
        while (!frame_ring_push(s->r, buf, len, (gint64)i)) {
            frame_ring_kick(s->r);
            g_thread_yield();
        }
    }
    return NULL;
}

static void test_two_threads(void)
{
    /* Small, so that the producer often finds it full and the buffer's end
     * is crossed thousands of times. */
    shared s = {frame_ring_new(8192)};
    GThread *t = g_thread_new("producer", producer, &s);
    guint64 next = 0;
    guint long_waits = 0;
    while (next < MANY) {
        size_t len;
        gint64 stamp;
        const uint8_t *f = frame_ring_peek(s.r, &len, &stamp);
        if (f == NULL) {
            /* Woken by the producer's pushes long before this deadline. */
            gint64 start = g_get_monotonic_time();
            guint want = (guint)MIN(MANY - next, 16);
            frame_ring_wait(s.r, want, start + 10 * G_USEC_PER_SEC);
            if (g_get_monotonic_time() - start >= 10 * G_USEC_PER_SEC)
                long_waits++;
            continue;
        }
        g_assert_cmpint(stamp, ==, (gint64)next);
        g_assert_true(frame_is(next, f, len));
        frame_ring_pop(s.r);
        next++;
    }
    g_thread_join(t);
    g_assert_cmpuint(long_waits, ==, 0);
    g_assert_cmpuint(frame_ring_pushed(s.r), ==, MANY);
    g_assert_cmpuint(frame_ring_popped(s.r), ==, MANY);
    frame_ring_free(s.r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/frame_ring/order_and_wrap", test_order_and_wrap);
    g_test_add_func("/frame_ring/full", test_full);
    g_test_add_func("/frame_ring/wait_deadline", test_wait_deadline);
    g_test_add_func("/frame_ring/two_threads", test_two_threads);
    return g_test_run();
}
