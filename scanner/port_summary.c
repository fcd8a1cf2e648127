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

/* Within a state, nmap sorts its reasons by count with a merge sort that puts
 * the later of two equal counts first: equal groups come out in the reverse of
 * the order their first ports came up in (TCP before UDP, ascending ports). */
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
    return x->seen > y->seen ? -1 : 1;
}

static guint state_of(const port_result *r)
{
    return r->state < PORT_STATE_COUNT ? r->state : PORT_STATE_UNKNOWN;
}

static gboolean open_state(guint st)
{
    return st == PORT_OPEN || st == PORT_OPEN_FILTERED || st == PORT_UNFILTERED;
}

gboolean port_summary_open_shows(const probe_plan *plan, const host_result *h)
{
    if (h->status.state != HOST_UP)
        return FALSE;
    if (plan == NULL || h->ports == NULL)
        return TRUE;
    for (guint i = 0; i < plan->nprobes; i++)
        if (host_scans_probe(h, i) && open_state(state_of(&h->ports[i])))
            return TRUE;
    return FALSE;
}

void port_summary_init(port_summary *s, const probe_plan *plan, const host_result *h, int verbose)
{
    port_summary_init_open(s, plan, h, verbose, FALSE);
}

void port_summary_init_open(port_summary *s, const probe_plan *plan, const host_result *h,
                            int verbose, gboolean open_only)
{
    const port_result *ports = h->ports;
    guint by_state[PORT_STATE_COUNT] = {0};
    s->scanned = 0;
    for (guint i = 0; i < plan->nprobes; i++)
        if (host_scans_probe(h, i)) {
            by_state[state_of(&ports[i])]++;
            s->scanned++;
        }
    s->filtered_tcp_scan = FALSE;
    for (guint t = 0; t < plan->ntypes; t++)
        s->filtered_tcp_scan = s->filtered_tcp_scan || plan->types[t].type->ip_proto == PACKET_TCP;
    s->filtered_tcp_scan = s->filtered_tcp_scan && by_state[PORT_FILTERED] > 0;
    s->groups = g_array_new(FALSE, FALSE, sizeof(ignored_group));
    s->ignored_ports = 0;
    for (guint st = 0; st < PORT_STATE_COUNT; st++) {
        s->ignored[st] = st != PORT_OPEN && st != PORT_STATE_UNKNOWN &&
                         (by_state[st] > PORT_SUMMARY_MAX_SHOWN * (guint)(1 + MAX(verbose, 0)) ||
                          (open_only && !open_state(st)));
        if (s->ignored[st])
            s->ignored_ports += by_state[st];
    }
    for (guint i = 0; i < plan->nprobes; i++) {
        guint st = state_of(&ports[i]);
        if (!s->ignored[st] || !host_scans_probe(h, i))
            continue;
        reason why = ports[i].why < REASON_COUNT ? (reason)ports[i].why : REASON_NONE;
        uint8_t proto = plan->probes[i].type->ip_proto;
        ignored_group *g = NULL;
        for (guint k = 0; k < s->groups->len && !g; k++) {
            ignored_group *c = &g_array_index(s->groups, ignored_group, k);
            if (c->state == (port_state)st && c->why == why && c->proto == proto)
                g = c;
        }
        if (g == NULL) {
            ignored_group fresh = {(port_state)st, why, proto, 0, by_state[st], s->groups->len};
            g_array_append_val(s->groups, fresh);
            g = &g_array_index(s->groups, ignored_group, s->groups->len - 1);
        }
        g->count++;
    }
    g_array_sort(s->groups, group_order);
}

void port_summary_clear(port_summary *s)
{
    g_array_unref(s->groups);
    s->groups = NULL;
}
