/* The table of recent attempts (plugin/attempts.c): an attempt is found by its
 * own flow only, keeps its frames (their payload pointers cleared) up to
 * ATTEMPTS_EVENTS, forgets them once a conversation, gives its place to a new
 * attempt whose flow hashes to it, and is listed by its source. */
#include <glib.h>
#include <string.h>

#include "attempts.h"
#include "scan_type.h"

static packet_flow flow(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint8_t proto)
{
    packet_flow f;
    memset(&f, 0, sizeof f);
    f.src = packet_addr_from_ipv4(src);
    f.dst = packet_addr_from_ipv4(dst);
    f.sport = sport;
    f.dport = dport;
    f.proto = proto;
    return f;
}

static packet_view view_of(const packet_flow *f, size_t payload_len)
{
    static const uint8_t bytes[64];
    packet_view v;
    memset(&v, 0, sizeof v);
    v.flow = *f;
    v.payload = bytes;
    v.payload_len = payload_len;
    v.tcp_options = bytes;
    v.tcp_options_len = 8;
    return v;
}

static void test_find_own_flow_only(void)
{
    attempts *a = attempts_new();
    packet_flow f = flow(0x0a000001, 0x0a000002, 40000, 22, PACKET_TCP);
    g_assert_null(attempts_find(a, &f));
    attempt *at = attempts_start(a, &f, &scan_syn);
    g_assert_true(attempts_find(a, &f) == at);
    g_assert_true(at->type == &scan_syn);
    packet_flow back = packet_flow_reverse(&f);
    g_assert_null(attempts_find(a, &back));
    packet_flow other = f;
    other.dport = 23;
    g_assert_true(attempts_find(a, &other) != at || !attempts_find(a, &other));
    attempts_drop(at);
    g_assert_null(attempts_find(a, &f));
    attempts_free(a);
}

static void test_events_kept_and_bounded(void)
{
    attempts *a = attempts_new();
    packet_flow f = flow(0x0a000001, 0x0a000002, 40000, 53, PACKET_UDP);
    attempt *at = attempts_start(a, &f, &scan_udp);
    packet_view probe = view_of(&f, 30);
    attempts_note(at, ATTEMPT_PROBE, 7, 100, 5, &probe);
    packet_flow back = packet_flow_reverse(&f);
    packet_view answer = view_of(&back, 40);
    attempts_note(at, ATTEMPT_SERVER, 9, 100, 900, &answer);
    g_assert_cmpuint(at->events, ==, 2);
    g_assert_cmpuint(at->event[0].frame, ==, 7);
    g_assert_cmpint(at->event[0].nsecs, ==, 5);
    /* No pointer into a frame's bytes outlives the frame. */
    g_assert_null(at->event[0].pkt.payload);
    g_assert_null(at->event[0].pkt.tcp_options);
    g_assert_cmpuint(at->event[0].pkt.tcp_options_len, ==, 0);
    /* A probe's data length stays (its reply acknowledges it); the rest say
     * whether they had data. */
    g_assert_cmpuint(at->event[0].pkt.payload_len, ==, 30);
    g_assert_cmpuint(at->event[1].pkt.payload_len, ==, 0);
    g_assert_true(at->event[1].data);
    for (uint32_t i = 0; i < 2 * ATTEMPTS_EVENTS; i++)
        attempts_note(at, ATTEMPT_CLIENT, 10 + i, 101, 0, &probe);
    g_assert_cmpuint(at->events, ==, ATTEMPTS_EVENTS);
    g_assert_cmpuint(at->event[ATTEMPTS_EVENTS - 1].frame, ==, 10 + ATTEMPTS_EVENTS - 3);
    attempts_conversation(at);
    g_assert_true(attempts_find(a, &f) == at);
    g_assert_true(at->conversation);
    g_assert_cmpuint(at->events, ==, 0);
    attempts_note(at, ATTEMPT_CLIENT, 99, 102, 0, &probe);
    g_assert_cmpuint(at->events, ==, 0);
    attempts_free(a);
}

/* More flows than slots: each new attempt is found, and some earlier ones were
 * evicted (never more than the table holds). */
static void test_eviction(void)
{
    attempts *a = attempts_new();
    unsigned n = 4 * ATTEMPTS_SLOTS;
    for (unsigned i = 0; i < n; i++) {
        packet_flow f =
            flow(0x0a000001 + i % 97, 0x0a010000 + i, (uint16_t)(1024 + i), 80, PACKET_TCP);
        attempt *at = attempts_start(a, &f, &scan_connect);
        g_assert_true(attempts_find(a, &f) == at);
        g_assert_false(at->accepted || at->failed || at->conversation);
        at->accepted = true;
    }
    unsigned kept = 0;
    for (unsigned i = 0; i < n; i++) {
        packet_flow f =
            flow(0x0a000001 + i % 97, 0x0a010000 + i, (uint16_t)(1024 + i), 80, PACKET_TCP);
        kept += attempts_find(a, &f) != NULL;
    }
    g_assert_cmpuint(kept, <=, ATTEMPTS_SLOTS);
    g_assert_cmpuint(kept, >, ATTEMPTS_SLOTS / 2);
    attempts_free(a);
}

static void test_of_source(void)
{
    attempts *a = attempts_new();
    for (uint16_t port = 1; port <= 20; port++) {
        packet_flow f = flow(0x0a000001, 0x0a000002, 40000, port, PACKET_TCP);
        attempts_start(a, &f, &scan_syn);
        packet_flow g = flow(0x0a000009, 0x0a000002, 40000, port, PACKET_TCP);
        attempts_start(a, &g, &scan_syn);
    }
    GPtrArray *mine = g_ptr_array_new();
    packet_addr src = packet_addr_from_ipv4(0x0a000001);
    attempts_of_source(a, &src, mine);
    g_assert_cmpuint(mine->len, <=, 20);
    g_assert_cmpuint(mine->len, >=, 15);
    for (guint i = 0; i < mine->len; i++) {
        const attempt *at = g_ptr_array_index(mine, i);
        g_assert_true(packet_addr_equal(&at->flow.src, &src));
    }
    g_ptr_array_free(mine, TRUE);
    attempts_free(a);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/attempts/find_own_flow_only", test_find_own_flow_only);
    g_test_add_func("/attempts/events_kept_and_bounded", test_events_kept_and_bounded);
    g_test_add_func("/attempts/eviction", test_eviction);
    g_test_add_func("/attempts/of_source", test_of_source);
    return g_test_run();
}
