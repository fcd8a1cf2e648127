#include "drops.h"

/* nmap's thresholds at its default timing (-T3). */
enum { BAD_MIN = 10, TRY_BOOST_AFTER = 3 };
/* Answers this far apart, while probes wait, are a limiter's pace (Linux:
 * a second), not a network's round trip: the boost need not wait for the 4th
 * retransmission, it comes after the 2nd. */
#define LIMITER_GAP_MIN (100 * 1000)
#define BAD_SHARE       0.30

void drops_init(drop_state *d, gint64 now)
{
    *d = (drop_state){.last_boost = now, .last_answer = -1, .max_delay = DROPS_MAX_DELAY};
}

void drops_set_delays(drop_state *d, gint64 scan_delay, gint64 max_delay)
{
    d->delay = scan_delay;
    d->max_delay = MAX(max_delay, scan_delay);
}

/* The shortest of the latest gaps between answers (three at least): while a
 * limiter holds the host back, none is shorter than its period. */
static gint64 limiter_gap(const drop_state *d)
{
    guint n = MIN(d->ngaps, DROPS_GAPS);
    if (n < 3)
        return 0;
    gint64 gap = d->gaps[0];
    for (guint i = 1; i < n; i++)
        gap = MIN(gap, d->gaps[i]);
    return gap;
}

static void boost(drop_state *d, gboolean udp, gint64 now)
{
    gint64 next = d->delay ? MIN(d->delay * 2, MAX(d->delay, d->max_delay))
                           : (udp ? DROPS_FIRST_DELAY_UDP : DROPS_FIRST_DELAY_TCP);
    /* A little under the limiter's pace: the odd probe it drops is retried,
     * and none of its tokens goes unused. */
    d->delay = MIN(MAX(next, limiter_gap(d) * 9 / 10), d->max_delay);
    d->good = d->bad = 0;
    d->last_boost = now;
}

gboolean drops_answer(drop_state *d, unsigned try_no, gint64 sent_at, unsigned best_try,
                      gboolean udp, gint64 now)
{
    if (d->last_answer >= 0) {
        d->gaps[d->ngaps % DROPS_GAPS] = now - d->last_answer;
        d->ngaps++;
    }
    d->last_answer = now;
    /* A retransmission answered: its earlier tries were lost, or not
     * answered. Only those sent since the last boost say the delay is still
     * too short. */
    if (try_no > 0 && try_no != 0xffu && sent_at >= d->last_boost)
        d->bad++;
    else
        d->good++;
    gint64 old = d->delay;
    if (d->bad > BAD_MIN && (double)d->bad / (d->bad + d->good) > BAD_SHARE)
        boost(d, udp, now);
    else if (try_no == best_try && best_try > d->boosted_try &&
             (best_try > TRY_BOOST_AFTER || (best_try > 1 && limiter_gap(d) >= LIMITER_GAP_MIN))) {
        d->boosted_try = best_try;
        boost(d, udp, now);
    }
    return d->delay != old;
}
