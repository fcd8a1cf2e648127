/* The probe scheduler on a clock of its own: the window, retransmissions before
 * fresh probes, silence after the last try, per-host verdicts for discovery, and
 * which replies time the round trip. */
#include <glib.h>

#include "scheduler.h"

enum { SECOND = 1000000 };

typedef struct silence {
    guint count;
    guint last_host, last_probe;
} silence;

static void on_silent(void *ctx, guint hi, guint pi)
{
    silence *s = ctx;
    s->count++;
    s->last_host = hi;
    s->last_probe = pi;
}

typedef struct fixture {
    rtt_state run_rtt;
    rtt_state host_rtt[4];
} fixture;

static sched *make(fixture *f, guint nhosts, guint nprobes, guint retries, guint window,
                   gboolean per_host)
{
    rtt_init(&f->run_rtt);
    sched_config cfg = {.nhosts = nhosts,
                        .nprobes = nprobes,
                        .max_retries = retries,
                        .window = window,
                        .per_host = per_host,
                        .run_rtt = &f->run_rtt};
    sched *s = sched_new(&cfg, 0);
    for (guint h = 0; h < nhosts; h++) {
        rtt_init(&f->host_rtt[h]);
        sched_set_host(s, h, &f->host_rtt[h], 0, nprobes);
    }
    return s;
}

/* Sends whatever the sched hands out at now; returns how many. */
static guint send_all(sched *s, gint64 now, guint *last_host, guint *last_probe, uint8_t *try_no)
{
    guint n = 0, hi, pi;
    uint8_t t;
    while (sched_next(s, now, &hi, &pi, &t)) {
        sched_sent(s, hi, pi, now);
        if (last_host)
            *last_host = hi;
        if (last_probe)
            *last_probe = pi;
        if (try_no)
            *try_no = t;
        n++;
    }
    return n;
}

static void test_window(void)
{
    fixture f;
    sched *s = make(&f, 1, 5, 0, 2, FALSE);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 2);
    guint hi, pi;
    uint8_t t;
    g_assert_false(sched_next(s, 0, &hi, &pi, &t));
    /* An answer frees a place in the window. */
    g_assert_true(sched_wants(s, 0, 0, 0) || sched_wants(s, 0, 1, 0));
    for (guint p = 0; p < 5; p++)
        if (sched_wants(s, 0, p, 0)) {
            sched_decide(s, 0, p, 0, 100);
            break;
        }
    g_assert_cmpuint(send_all(s, 200, NULL, NULL, NULL), ==, 1);
    sched_free(s);
}

static void test_retransmit_then_silence(void)
{
    fixture f;
    silence quiet = {0};
    sched *s = make(&f, 1, 3, 1, 16, FALSE);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 3);
    /* Nothing overdue before the first second (no round trip timed yet). */
    sched_expire(s, SECOND - 1, on_silent, &quiet);
    g_assert_cmpint(sched_deadline(s, SECOND - 1, TRUE), ==, SECOND);
    sched_expire(s, SECOND, on_silent, &quiet);
    g_assert_cmpuint(quiet.count, ==, 0);
    /* nmap's rate limit detection: a second's pause before the first
     * retransmission of a new try number. */
    uint8_t try_no = 0;
    g_assert_cmpuint(send_all(s, SECOND, NULL, NULL, &try_no), ==, 0);
    g_assert_cmpint(sched_deadline(s, SECOND, TRUE), >, SECOND);
    g_assert_cmpuint(send_all(s, 2 * SECOND, NULL, NULL, &try_no), ==, 3);
    g_assert_cmpuint(try_no, ==, 1);
    /* A late answer to the first try still counts, but is not timed. */
    g_assert_true(sched_wants(s, 0, 2, 0));
    sched_decide(s, 0, 2, 0, 2 * SECOND + 10);
    g_assert_cmpint(f.host_rtt[0].srtt, <, 0);
    g_assert_false(sched_wants(s, 0, 2, 1));
    sched_expire(s, 3 * SECOND, on_silent, &quiet);
    g_assert_cmpuint(quiet.count, ==, 2);
    g_assert_true(sched_done(s));
    g_assert_cmpuint(sched_probes_sent(s), ==, 6);
    sched_free(s);
}

static void test_replies_and_timing(void)
{
    fixture f;
    sched *s = make(&f, 2, 2, 2, 16, FALSE);
    /* Nothing sent yet: nothing can be answered. */
    g_assert_false(sched_wants(s, 0, 0, SCHED_TRY_UNKNOWN));
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 4);
    g_assert_false(sched_wants(s, 0, 0, 1)); /* a try never sent */
    g_assert_false(sched_wants(s, 5, 0, 0)); /* no such host */
    /* One try only: a reply that names none is still timed. */
    sched_decide(s, 0, 0, SCHED_TRY_UNKNOWN, 300);
    g_assert_cmpint(f.host_rtt[0].srtt, ==, 300);
    g_assert_cmpint(f.run_rtt.srtt, ==, 300);
    sched_decide(s, 0, 1, 0, 500);
    g_assert_true(sched_host_done(s, 0));
    g_assert_false(sched_host_done(s, 1));
    /* Host 1 never answered: it waits as long as the run's timeout says. */
    g_assert_cmpint(sched_deadline(s, 600, TRUE), ==, f.run_rtt.timeout);
    sched_free(s);
}

static void test_per_host(void)
{
    fixture f;
    silence quiet = {0};
    sched *s = make(&f, 2, 3, 0, 16, TRUE);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 6);
    /* The first answer decides the host: its other probes are over. */
    sched_decide(s, 1, 2, 0, 50);
    g_assert_true(sched_host_done(s, 1));
    g_assert_false(sched_wants(s, 1, 0, 0));
    sched_expire(s, 10 * SECOND, on_silent, &quiet);
    /* Host 0's silence is told once, for its last probe. */
    g_assert_cmpuint(quiet.count, ==, 1);
    g_assert_cmpuint(quiet.last_host, ==, 0);
    g_assert_true(sched_done(s));
    sched_free(s);
}

static void test_host_ranges(void)
{
    fixture f;
    rtt_init(&f.run_rtt);
    sched_config cfg = {.nhosts = 2, .nprobes = 5, .window = 16, .run_rtt = &f.run_rtt};
    sched *s = sched_new(&cfg, 0);
    rtt_init(&f.host_rtt[0]);
    rtt_init(&f.host_rtt[1]);
    sched_set_host(s, 0, &f.host_rtt[0], 0, 1);
    sched_set_host(s, 1, &f.host_rtt[1], 1, 4);
    guint hi, pi, seen[2] = {0};
    uint8_t t;
    while (sched_next(s, 0, &hi, &pi, &t)) {
        g_assert_true(hi == 0 ? pi == 0 : pi >= 1);
        seen[hi]++;
        sched_sent(s, hi, pi, 0);
    }
    g_assert_cmpuint(seen[0], ==, 1);
    g_assert_cmpuint(seen[1], ==, 4);
    g_assert_false(sched_wants(s, 0, 1, 0));
    sched_free(s);
}

/* A probe that could not go out goes again before any fresh one. */
static void test_unsent(void)
{
    fixture f;
    sched *s = make(&f, 1, 3, 0, 16, FALSE);
    guint hi, pi, again;
    uint8_t t;
    g_assert_true(sched_next(s, 0, &hi, &pi, &t));
    sched_unsent(s, hi, pi);
    g_assert_true(sched_next(s, 0, &hi, &again, &t));
    g_assert_cmpuint(again, ==, pi);
    g_assert_cmpuint(t, ==, 0);
    sched_free(s);
}

/* A host that answers retransmissions only, as behind a rate limiter: once
 * an answer comes to a try beyond the 3rd, its probes are spaced out. */
static void test_slowed_by_drops(void)
{
    fixture f;
    silence quiet = {0};
    sched *s = make(&f, 1, 20, 10, 64, FALSE);
    gint64 now = 0;
    g_assert_cmpuint(send_all(s, now, NULL, NULL, NULL), ==, 20);
    guint answered = 0;
    for (unsigned round = 1; round <= 4; round++) {
        now += 2 * SECOND; /* past the timeout and the new try's pause */
        sched_expire(s, now, on_silent, &quiet);
        g_assert_cmpuint(send_all(s, now, NULL, NULL, NULL), ==, 0); /* the pause */
        now += SECOND;
        guint hi, pi;
        uint8_t t;
        g_assert_true(sched_next(s, now, &hi, &pi, &t));
        g_assert_cmpuint(t, ==, round);
        sched_sent(s, hi, pi, now);
        /* The limiter lets one answer through a second. */
        sched_decide(s, hi, pi, t, now + 100);
        answered++;
        send_all(s, now, NULL, NULL, NULL);
    }
    g_assert_cmpuint(answered, ==, 4);
    g_assert_cmpuint(quiet.count, ==, 0);
    /* Answers three seconds apart, to the 5th try: nine tenths of the
     * limiter's pace, at most a second. */
    g_assert_cmpint(sched_host_delay(s, 0), ==, SECOND);
    /* The host now waits its delay between two probes. */
    now += 2 * SECOND;
    sched_expire(s, now, on_silent, &quiet);
    guint hi, pi;
    uint8_t t;
    g_assert_true(sched_next(s, now, &hi, &pi, &t));
    sched_sent(s, hi, pi, now);
    g_assert_false(sched_next(s, now + SECOND - 1, &hi, &pi, &t));
    g_assert_cmpint(sched_deadline(s, now, TRUE), >, now);
    g_assert_true(sched_next(s, now + SECOND, &hi, &pi, &t));
    sched_free(s);
}

/* A down host asked by ARP (or ND), as nmap 7.93 asks it (measured in the
 * lab): a request at 0, nmap's 200 ms ARP timeout, its second's pause before
 * the retransmission at 1.2 s, given up at 1.4 s; two requests, not three,
 * with the default --max-retries. A host answering in the run shortens the
 * wait to the run's timeout, as for any host. */
static void test_neighbor_ping(void)
{
    fixture f;
    silence quiet = {0};
    sched *s = make(&f, 1, 1, 10, 16, TRUE);
    sched_set_neighbor_ping(s, 0);
    uint8_t try_no = 0;
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, &try_no), ==, 1);
    /* (sched_deadline() looks 100 ms ahead at most.) */
    g_assert_cmpint(sched_deadline(s, SECOND / 5 - 50000, TRUE), ==, SECOND / 5);
    sched_expire(s, SECOND / 5 - 1, on_silent, &quiet);
    g_assert_cmpuint(send_all(s, SECOND / 5 - 1, NULL, NULL, NULL), ==, 0);
    sched_expire(s, SECOND / 5, on_silent, &quiet);
    g_assert_cmpuint(send_all(s, SECOND / 5, NULL, NULL, NULL), ==, 0);
    g_assert_cmpint(sched_deadline(s, SECOND / 5 + SECOND - 50000, TRUE), ==, SECOND / 5 + SECOND);
    g_assert_cmpuint(send_all(s, SECOND / 5 + SECOND - 1, NULL, NULL, NULL), ==, 0);
    g_assert_cmpuint(send_all(s, SECOND / 5 + SECOND, NULL, NULL, &try_no), ==, 1);
    g_assert_cmpuint(try_no, ==, 1);
    gint64 last = SECOND / 5 + SECOND;
    sched_expire(s, last + SECOND / 5 - 1, on_silent, &quiet);
    g_assert_cmpuint(quiet.count, ==, 0);
    sched_expire(s, last + SECOND / 5, on_silent, &quiet);
    g_assert_cmpuint(quiet.count, ==, 1);
    g_assert_true(sched_done(s));
    g_assert_cmpuint(sched_probes_sent(s), ==, 2);
    sched_free(s);

    /* --initial-rtt-timeout below 200 ms wins, --min-rtt-timeout above it. */
    s = make(&f, 1, 1, 10, 16, TRUE);
    sched_set_neighbor_ping(s, 0);
    rtt_set_bounds(&f.run_rtt, SECOND / 20, SECOND / 100, 10 * SECOND);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint(sched_deadline(s, 0, TRUE), ==, SECOND / 20);
    sched_free(s);
    s = make(&f, 1, 1, 10, 16, TRUE);
    sched_set_neighbor_ping(s, 0);
    rtt_set_bounds(&f.run_rtt, SECOND, SECOND / 2, 10 * SECOND);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 1);
    g_assert_cmpint(sched_deadline(s, SECOND / 2 - 50000, TRUE), ==, SECOND / 2);
    sched_free(s);

    /* The IP pings get two tries too (test_discovery_tries()). */
    s = make(&f, 1, 1, 10, 16, TRUE);
    g_assert_cmpuint(send_all(s, 0, NULL, NULL, NULL), ==, 1);
    for (gint64 t = SECOND; t <= 6 * SECOND; t += SECOND / 10) {
        sched_expire(s, t, on_silent, &quiet);
        send_all(s, t, NULL, NULL, NULL);
    }
    g_assert_true(sched_done(s));
    g_assert_cmpuint(sched_probes_sent(s), ==, 2);
    sched_free(s);
}

/* nmap's allowedTryno(): one more retransmission than the latest try ever
 * answered, capped by --max-retries; host discovery's floor is one, a port
 * scan's two (scantrace's own, for lossy links). */
static void test_retries_allowed(void)
{
    /* Discovery: a down host's pings go twice whatever the cap above 0. */
    g_assert_cmpuint(sched_retries_allowed(10, TRUE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(6, TRUE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(2, TRUE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(3, TRUE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(1, TRUE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(0, TRUE, 0), ==, 0);
    /* Port scans: three tries unless the cap says fewer. */
    g_assert_cmpuint(sched_retries_allowed(10, FALSE, 0), ==, 2);
    g_assert_cmpuint(sched_retries_allowed(1, FALSE, 0), ==, 1);
    g_assert_cmpuint(sched_retries_allowed(0, FALSE, 0), ==, 0);
    /* An answer to a later try raises it, up to the cap. */
    g_assert_cmpuint(sched_retries_allowed(10, FALSE, 4), ==, 5);
    g_assert_cmpuint(sched_retries_allowed(3, FALSE, 4), ==, 3);
    g_assert_cmpuint(sched_retries_allowed(10, TRUE, 2), ==, 3);
}

/* Steps a sched through simulated time (10 ms steps) until done; records the
 * time of each try of probe 0 of host 0; returns when it was done. */
static gint64 run_silent(sched *s, gint64 *times, guint *ntimes)
{
    silence quiet = {0};
    *ntimes = 0;
    for (gint64 t = 0; t <= 20 * SECOND; t += SECOND / 100) {
        sched_expire(s, t, on_silent, &quiet);
        if (sched_done(s))
            return t;
        guint hi, pi;
        uint8_t try_no;
        while (sched_next(s, t, &hi, &pi, &try_no)) {
            sched_sent(s, hi, pi, t);
            if (hi == 0 && pi == 0 && *ntimes < 8)
                times[(*ntimes)++] = t;
        }
    }
    return -1;
}

/* A down host in host discovery, as nmap 7.93 asks it in the lab (default
 * retries): nmap's four default pings at 0 and, after the 1 s timeout and
 * the second's pause of its rate limit detection, at 2 s, given up at 3 s;
 * a lone ping (-PS22) at 0 and 1 s (no pause for one probe), given up at 2 s.
 * --max-retries 0: once. */
static void test_discovery_tries(void)
{
    fixture f;
    gint64 times[8];
    guint n;
    sched *s = make(&f, 1, 4, 10, 16, TRUE);
    gint64 done = run_silent(s, times, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpint(times[0], ==, 0);
    g_assert_cmpint(times[1], ==, 2 * SECOND);
    g_assert_cmpint(done, ==, 3 * SECOND);
    g_assert_cmpuint(sched_probes_sent(s), ==, 8);
    sched_free(s);

    s = make(&f, 1, 1, 10, 16, TRUE);
    done = run_silent(s, times, &n);
    g_assert_cmpuint(n, ==, 2);
    g_assert_cmpint(times[1], ==, SECOND);
    g_assert_cmpint(done, ==, 2 * SECOND);
    sched_free(s);

    s = make(&f, 1, 4, 0, 16, TRUE);
    done = run_silent(s, times, &n);
    g_assert_cmpuint(n, ==, 1);
    g_assert_cmpint(done, ==, SECOND);
    g_assert_cmpuint(sched_probes_sent(s), ==, 4);
    sched_free(s);

    /* A port scan of the same silent host: three tries of each port. */
    s = make(&f, 1, 4, 10, 16, FALSE);
    run_silent(s, times, &n);
    g_assert_cmpuint(n, ==, 3);
    g_assert_cmpuint(sched_probes_sent(s), ==, 12);
    sched_free(s);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/scheduler/window", test_window);
    g_test_add_func("/scheduler/retransmit-then-silence", test_retransmit_then_silence);
    g_test_add_func("/scheduler/replies-and-timing", test_replies_and_timing);
    g_test_add_func("/scheduler/per-host", test_per_host);
    g_test_add_func("/scheduler/host-ranges", test_host_ranges);
    g_test_add_func("/scheduler/unsent", test_unsent);
    g_test_add_func("/scheduler/slowed-by-drops", test_slowed_by_drops);
    g_test_add_func("/scheduler/neighbor-ping", test_neighbor_ping);
    g_test_add_func("/scheduler/retries-allowed", test_retries_allowed);
    g_test_add_func("/scheduler/discovery-tries", test_discovery_tries);
    return g_test_run();
}
