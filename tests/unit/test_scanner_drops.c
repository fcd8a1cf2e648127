/* When a host is slowed down (drops.c, after nmap's scan engine): answers to
 * retransmissions, answers to late tries, and the pace of a rate limiter. */
#include <glib.h>

#include "drops.h"

enum { MS = 1000, SECOND = 1000 * MS };

/* The clock moved on by step; the time now. */
static gint64 tick(gint64 *now, gint64 step)
{
    return *now += step;
}

/* Answers to first tries never slow a host down. */
static void test_good_answers(void)
{
    drop_state d;
    drops_init(&d, 0);
    for (int i = 0; i < 1000; i++)
        g_assert_false(drops_answer(&d, 0, i * MS, 0, TRUE, i * MS + 100));
    g_assert_cmpint(d.delay, ==, 0);
}

/* nmap's rule: more than 10 answers to retransmissions, over 30% of all. */
static void test_many_retransmissions_answered(void)
{
    drop_state d;
    drops_init(&d, 0);
    gint64 now = 0;
    for (int i = 0; i < 20; i++) /* 20 good answers, close together */
        drops_answer(&d, 0, now, 0, FALSE, tick(&now, 10));
    gboolean grew = FALSE;
    for (int i = 0; i < 11 && !grew; i++)
        grew = drops_answer(&d, 1, now, 1, FALSE, tick(&now, 10));
    g_assert_true(grew);
    /* TCP: 5 ms first; the answers came faster than that. */
    g_assert_cmpint(d.delay, ==, DROPS_FIRST_DELAY_TCP);
    /* Only retransmissions sent after the boost count against the new delay. */
    g_assert_false(drops_answer(&d, 1, d.last_boost - 1, 1, FALSE, tick(&now, 10)));
    g_assert_cmpuint(d.bad, ==, 0);
}

/* Answers a second apart: from the 3rd try on, a limiter's pace sets the
 * delay at once; boosted once per new try. */
static void test_late_try_and_limiter(void)
{
    drop_state d;
    drops_init(&d, 0);
    gint64 now = 0;
    for (unsigned t = 0; t < 3; t++)
        g_assert_false(drops_answer(&d, t, now, t, TRUE, tick(&now, SECOND)));
    /* The 3rd try answered, a second after the last three answers. */
    g_assert_true(drops_answer(&d, 2, now, 2, TRUE, tick(&now, SECOND)));
    g_assert_cmpint(d.delay, ==, SECOND * 9 / 10); /* the pace, not nmap's 50 ms */
    g_assert_false(drops_answer(&d, 2, now, 2, TRUE, tick(&now, SECOND))); /* same try */
    g_assert_cmpint(d.delay, <=, DROPS_MAX_DELAY);
}

/* Without a steady pace, nmap's doubling: 50 ms for UDP, then 100 ms. */
static void test_doubling(void)
{
    drop_state d;
    drops_init(&d, 0);
    g_assert_true(drops_answer(&d, 4, 0, 4, TRUE, 10));
    g_assert_cmpint(d.delay, ==, DROPS_FIRST_DELAY_UDP);
    g_assert_true(drops_answer(&d, 5, 20, 5, TRUE, 30));
    g_assert_cmpint(d.delay, ==, 2 * DROPS_FIRST_DELAY_UDP);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/drops/good", test_good_answers);
    g_test_add_func("/drops/retransmissions", test_many_retransmissions_answered);
    g_test_add_func("/drops/late-try-and-limiter", test_late_try_and_limiter);
    g_test_add_func("/drops/doubling", test_doubling);
    return g_test_run();
}
