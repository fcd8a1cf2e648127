#include "port_summary.h"

/* nmap's numbering of states, which breaks ties between equally large states. */
static int nmap_rank(port_state s)
{
    static const int rank[PORT_STATE_COUNT] = {
        [PORT_STATE_UNKNOWN] = 0,   [PORT_CLOSED] = 1,     [PORT_OPEN] = 2,
        [PORT_FILTERED] = 3,        [PORT_UNFILTERED] = 6, [PORT_OPEN_FILTERED] = 7,
        [PORT_CLOSED_FILTERED] = 8,
    };
    return rank[s];
}

static gint group_order(gconstpointer a, gconstpointer b)
{
    const ignored_group *x = a, *y = b;
    if (x->state != y->state) {
        if (x->state_count != y->state_count)
            return x->state_count > y->state_count ? -1 : 1;
        return nmap_rank(x->state) - nmap_rank(y->state);
    }
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (int)x->why - (int)y->why;
}

void port_summary_init(port_summary *s, const port_result *ports, guint nports)
{
    guint by_state[PORT_STATE_COUNT] = {0};
    guint by_reason[PORT_STATE_COUNT][REASON_COUNT] = {{0}};
    for (guint i = 0; i < nports; i++) {
        guint st = ports[i].state < PORT_STATE_COUNT ? ports[i].state : PORT_STATE_UNKNOWN;
        guint why = ports[i].why < REASON_COUNT ? ports[i].why : REASON_NONE;
        by_state[st]++;
        by_reason[st][why]++;
    }
    s->groups = g_array_new(FALSE, FALSE, sizeof(ignored_group));
    s->ignored_ports = s->ignored_states = 0;
    for (guint st = 0; st < PORT_STATE_COUNT; st++) {
        s->ignored[st] =
            st != PORT_OPEN && st != PORT_STATE_UNKNOWN && by_state[st] > PORT_SUMMARY_MAX_SHOWN;
        if (!s->ignored[st])
            continue;
        s->ignored_ports += by_state[st];
        s->ignored_states++;
        for (guint why = 0; why < REASON_COUNT; why++) {
            if (by_reason[st][why] == 0)
                continue;
            ignored_group g = {(port_state)st, (reason)why, by_reason[st][why], by_state[st]};
            g_array_append_val(s->groups, g);
        }
    }
    g_array_sort(s->groups, group_order);
}

void port_summary_clear(port_summary *s)
{
    g_array_unref(s->groups);
    s->groups = NULL;
}
