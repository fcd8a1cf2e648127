#include "rtt.h"

void rtt_init(rtt_state *r)
{
    r->srtt = r->rttvar = -1;
    r->timeout = RTT_INITIAL_TIMEOUT;
    r->min_timeout = RTT_MIN_TIMEOUT;
    r->max_timeout = RTT_MAX_TIMEOUT;
}

void rtt_set_bounds(rtt_state *r, gint64 initial, gint64 min, gint64 max)
{
    r->timeout = initial;
    r->min_timeout = min;
    r->max_timeout = max;
}

void rtt_sample(rtt_state *r, gint64 rtt)
{
    if (rtt < 0)
        return;
    if (r->srtt < 0) {
        r->srtt = rtt;
        r->rttvar = rtt / 2;
    } else {
        gint64 delta = r->srtt > rtt ? r->srtt - rtt : rtt - r->srtt;
        r->rttvar = (3 * r->rttvar + delta) / 4;
        r->srtt = (7 * r->srtt + rtt) / 8;
    }
    r->timeout = CLAMP(r->srtt + 4 * r->rttvar, r->min_timeout, r->max_timeout);
}
