#include "rate.h"

void rate_init(rate_limit *r, double rate, gint64 now)
{
    r->rate = rate;
    /* 5 ms worth of packets, at least one: a burst small enough to stay polite
     * and large enough that a busy loop is not needed. */
    r->burst = rate > 0 ? MAX(1.0, rate / 200.0) : 0;
    r->tokens = r->burst > 1.0 ? 1.0 : r->burst;
    r->last = now;
}

static void refill(rate_limit *r, gint64 now)
{
    if (now > r->last) {
        r->tokens = MIN(r->burst, r->tokens + r->rate * (double)(now - r->last) / 1e6);
        r->last = now;
    }
}

gboolean rate_take(rate_limit *r, gint64 now)
{
    if (r->rate <= 0)
        return TRUE;
    refill(r, now);
    if (r->tokens < 1.0)
        return FALSE;
    r->tokens -= 1.0;
    return TRUE;
}

gint64 rate_next(const rate_limit *r, gint64 now)
{
    if (r->rate <= 0)
        return now;
    double tokens = MIN(r->burst, r->tokens + r->rate * (double)(now - r->last) / 1e6);
    if (tokens >= 1.0)
        return now;
    return now + (gint64)((1.0 - tokens) * 1e6 / r->rate) + 1;
}
