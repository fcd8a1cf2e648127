#include "discovery.h"

#include "arp.h"
#include "nd.h"
#include "connect_engine.h"
#include "raw_engine.h"

enum { SYN_PING_PORT = 443, ACK_PING_PORT = 80 };

static const uint16_t *ports_of(const GArray *a)
{
    return a ? (const uint16_t *)a->data : NULL;
}

static guint count_of(const GArray *a)
{
    return a ? a->len : 0;
}

discovery_method discovery_method_for(const discovery_options *o, const route *rt,
                                      gboolean ethernet)
{
    if (rt->local)
        return DISCOVER_LOCAL;
    /* ARP is IPv4's; nmap -6 asks by Neighbor Discovery where it would ask by
     * ARP. */
    if (o->privileged && ethernet && rt->on_link && !o->send_ip && !o->no_arp &&
        (!o->skip || o->raw_scan))
        return packet_addr_is_ipv4(&rt->src) ? DISCOVER_ARP : DISCOVER_ND;
    if (o->skip)
        return DISCOVER_USER_SET;
    return o->privileged ? DISCOVER_IP_PINGS : DISCOVER_CONNECT;
}

probe_plan *discovery_plan_new(const ping_options *asked, gboolean ipv6,
                               const discovery_sports *sports)
{
    static const uint16_t none = 0, syn = SYN_PING_PORT, ack = ACK_PING_PORT;
    static const uint16_t default_connect[] = {ACK_PING_PORT, SYN_PING_PORT};
    /* -PR alone asks no IP ping: a target off the link gets the default set
     * (nmap has no ARP there either). */
    gboolean defaults =
        !asked->given || !(asked->syn || asked->ack || asked->udp || asked->sctp || asked->echo ||
                           asked->timestamp || asked->mask || asked->proto);
    probe_plan *p = probe_plan_new();
    probe_plan_add(p, &ping_arp, 0, &none, 1);
    /* nmap's order: echo, SYN, ACK, timestamp (then the mask, UDP and the IP
     * protocols). */
    probe_plan_add(p, &ping_echo, 0, &none, defaults || asked->echo);
    if (defaults) {
        probe_plan_add(p, &ping_syn, sports->syn, &syn, 1);
        probe_plan_add(p, &ping_ack, sports->ack, &ack, 1);
    } else {
        probe_plan_add(p, &ping_syn, sports->syn, ports_of(asked->syn), count_of(asked->syn));
        probe_plan_add(p, &ping_ack, sports->ack, ports_of(asked->ack), count_of(asked->ack));
    }
    /* ICMPv6 has no timestamp or address mask request. */
    probe_plan_add(p, &ping_timestamp, 0, &none, !ipv6 && (defaults || asked->timestamp));
    probe_plan_add(p, &ping_mask, 0, &none, !ipv6 && !defaults && asked->mask);
    probe_plan_add(p, &ping_udp, sports->udp, defaults ? NULL : ports_of(asked->udp),
                   defaults ? 0 : count_of(asked->udp));
    /* -PY: an SCTP INIT to each port (scan_sctp.c). */
    probe_plan_add(p, &ping_sctp, sports->sctp, defaults ? NULL : ports_of(asked->sctp),
                   defaults ? 0 : count_of(asked->sctp));
    /* -PO's "ports" are protocol numbers, over IPv4 and IPv6 alike. */
    gboolean proto = !defaults;
    probe_plan_add(p, &ping_proto, sports->proto, proto ? ports_of(asked->proto) : NULL,
                   proto ? count_of(asked->proto) : 0);
    /* connect() can only ask the TCP ports: -PS's and -PA's, else nmap's. */
    g_autoptr(GArray) tcp = g_array_new(FALSE, FALSE, sizeof(guint16));
    if (!defaults) {
        const GArray *lists[] = {asked->syn, asked->ack};
        g_autofree guint8 *seen = g_malloc0(65536);
        for (guint l = 0; l < G_N_ELEMENTS(lists); l++)
            for (guint i = 0; i < count_of(lists[l]); i++)
                seen[g_array_index(lists[l], guint16, i)] = 1;
        for (guint port = 0; port < 65536; port++)
            if (seen[port]) {
                guint16 v = (guint16)port;
                g_array_append_val(tcp, v);
            }
    }
    if (tcp->len)
        probe_plan_add(p, &ping_connect, 0, ports_of(tcp), tcp->len);
    else
        probe_plan_add(p, &ping_connect, 0, default_connect, G_N_ELEMENTS(default_connect));
    probe_plan_add(p, &ping_nd, 0, &none, 1);
    return p;
}

/* The plan's probes for a method: [first, first + count). */
static void probes_of(const probe_plan *plan, discovery_method m, guint *first, guint *count)
{
    const plan_type *arp = probe_plan_type(plan, &ping_arp);
    const plan_type *echo = probe_plan_type(plan, &ping_echo);
    const plan_type *last = probe_plan_type(plan, &ping_proto);
    const plan_type *connect = probe_plan_type(plan, &ping_connect);
    const plan_type *nd = probe_plan_type(plan, &ping_nd);
    switch (m) {
    case DISCOVER_ARP:
        *first = arp->first;
        *count = arp->count;
        break;
    case DISCOVER_ND:
        *first = nd->first;
        *count = nd->count;
        break;
    case DISCOVER_IP_PINGS:
        /* The plan holds no ICMPv4-only ping for IPv6 targets. */
        *first = echo->first;
        *count = last->first + last->count - echo->first;
        break;
    default:
        *first = connect->first;
        *count = connect->count;
        break;
    }
}

static void phase_begin(const char *task, const engine_job *jobs, guint n)
{
    g_autofree host_result **hosts = g_new(host_result *, n);
    for (guint i = 0; i < n; i++)
        hosts[i] = jobs[i].host;
    progress_phase_begin(&task, 1, hosts, n, jobs[0].count, TRUE);
}

void discovery_run(const discovery_options *o, const probe_plan *plan, const engine_config *base,
                   const scan_io *io, host_result **hosts, const route *const *routes, guint n)
{
    g_autofree engine_job *raw = g_new(engine_job, n);
    g_autofree engine_job *sockets = g_new(engine_job, n);
    guint nraw = 0, nsockets = 0;
    for (guint i = 0; i < n; i++) {
        host_result *h = hosts[i];
        discovery_method m = discovery_method_for(o, routes[i], io->arp != NULL);
        if (m == DISCOVER_LOCAL || m == DISCOVER_USER_SET) {
            reason why = o->skip ? REASON_USER_SET : REASON_LOCALHOST_RESPONSE;
            h->status = (port_result){HOST_UP, (uint8_t)why, 0};
            continue;
        }
        engine_job *job = m == DISCOVER_CONNECT ? &sockets[nsockets++] : &raw[nraw++];
        job->host = h;
        probes_of(plan, m, &job->first, &job->count);
    }
    engine_config cfg = *base;
    cfg.plan = plan;
    cfg.discovery = TRUE;
    if (nraw) {
        /* nmap's names: an ARP sweep, else the IP pings' "Ping Scan". */
        gboolean arp = FALSE;
        for (guint i = 0; i < nraw; i++)
            arp = arp || plan->probes[raw[i].first].type == &ping_arp;
        phase_begin(arp ? "ARP Ping Scan" : "Ping Scan", raw, nraw);
        raw_engine_run(&cfg, io, raw, nraw);
        progress_phase_end();
    }
    if (nsockets) {
        phase_begin("Ping Scan", sockets, nsockets);
        connect_engine_run(&cfg, io->rt, sockets, nsockets);
        progress_phase_end();
    }
}
