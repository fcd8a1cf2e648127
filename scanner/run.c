/* One run: the targets go in groups of hosts in a row that share a route (as
 * many as fit in a bounded number of probe slots). Each group is asked which of
 * its hosts are up (host discovery), those are port-scanned, and the group is
 * reported host by host in target order as it finishes, as nmap reports each
 * host group. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arp_sender.h"
#include "capture.h"
#include "discovery.h"
#include "error.h"
#include "interrupt.h"
#include "keys.h"
#include "portscan.h"
#include "privileges.h"
#include "progress.h"
#include "ip_protocols.h"
#include "ports.h"
#include "rdns.h"
#include "receiver.h"
#include "output_file.h"
#include "packet_stats.h"
#include "report_grepable.h"
#include "report_normal.h"
#include "report_xml.h"
#include "route.h"
#include "safe_text.h"
#include "sender.h"
#include "services.h"
#include "shard.h"
#include "targets.h"
#include "timing.h"

enum { TOP_PORTS = 1000, GROUP_MAX_HOSTS = 256, GROUP_MAX_SLOTS = 1 << 20 };
/* --min-hostgroup may ask for more slots than the default group, up to this
 * (16 bytes each: 1 GiB). */
#define GROUP_SLOTS_LIMIT ((guint64)1 << 26)

/* What one link (a device and a source address) is scanned through. All are
 * opened before the scan, so that privileges can go before a reply is read. */
typedef struct link_io {
    route rt;
    receiver *rx;    /* NULL without privileges */
    arp_sender *arp; /* when the device is an Ethernet and ARP may be used */
    guint dropped_told;
} link_io;

typedef struct run {
    scan_options *opt;
    services *svc;
    mac_vendors *vendors;
    probe_plan *plan;  /* the port scan's; NULL with -sn */
    probe_plan *pings; /* host discovery's */
    discovery_options disc;
    targets *targets;
    targets *excluded; /* --exclude, --excludefile; or NULL */
    sender *tx;        /* NULL without privileges */
    link_io *link;     /* the one in use */
    receiver *rx;      /* link's */
    arp_sender *arp;   /* link's */
    capture *cap;
    int cap_dlt;
    gboolean cap_mismatch_told;
    FILE *normal, *xml, *grepable;
    FILE *screen; /* stdout, unless -oN -, -oX - or -oG - took it */
    engine_config cfg;
    report_context rc;
    rtt_state run_rtt;
    guint hosts, up;
    shard_order *order;     /* --shards: which shard each (target, probe) is */
    GArray *links;          /* link_io: each device and source address the targets need */
    char source_device[64]; /* -S without -e: the interface holding the -S address */
    GString *warnings;      /* nmap's warnings on the options, for stderr and -oN */
} run;

/* Messages may quote what the user or the network gave (a name, a path). */
static int fail(GError *error)
{
    g_autofree char *message = safe_text(error->message);
    g_printerr("scantrace: %s\n", message);
    g_error_free(error);
    return 1;
}

static void emit(FILE *f, const GString *s)
{
    if (f && s->len) {
        fputs(s->str, f);
        fflush(f);
    }
}

/* Closes a report file opened by open_outputs(), and removes it when the run
 * made it (a failed run leaves no empty report behind; an appended-to file
 * keeps what it held). */
static void undo_output(FILE **f, const char *path, gboolean append)
{
    if (*f && *f != stdout) {
        fclose(*f);
        if (!append)
            unlink(path);
    }
    *f = NULL;
}

/* -w, -oN, -oX, -oG, before anything is sent; when one cannot be written, the
 * others opened so far are undone. */
static gboolean open_outputs(run *r, GError **error)
{
    const scan_options *o = r->opt;
    gboolean append = o->append_output;
    if (o->capture_file && (r->cap = capture_create(o->capture_file, append, error)) == NULL)
        return FALSE;
    if (o->normal_file && (r->normal = output_file_open(o->normal_file, append, error)) == NULL)
        goto undo;
    if (o->xml_file && (r->xml = output_file_open(o->xml_file, append, error)) == NULL)
        goto undo;
    if (o->grepable_file &&
        (r->grepable = output_file_open(o->grepable_file, append, error)) == NULL)
        goto undo;
    return TRUE;
undo:
    if (r->cap) {
        capture_close(r->cap, NULL);
        r->cap = NULL;
        if (!append)
            unlink(o->capture_file);
    }
    undo_output(&r->normal, o->normal_file, append);
    undo_output(&r->xml, o->xml_file, append);
    return FALSE;
}

static gboolean port_taken(GPtrArray *lists, uint16_t port)
{
    for (guint l = 0; l < lists->len; l++) {
        const GArray *ports = g_ptr_array_index(lists, l);
        for (guint i = 0; i < ports->len; i++)
            if (g_array_index(ports, guint16, i) == port)
                return TRUE;
    }
    return FALSE;
}

/* A block of PLAN_SPORT_SPAN source ports per probe type (one per try), none
 * of them a port scanned (when we scan our own address, a probe to our source
 * port would look like its reply), nor another type's (a reply's destination
 * port tells the types apart). With -p- there is no such block; attribution by
 * cookie still holds then. lists: the port lists scanned, and the source ports
 * taken (the last list). Returns the block's first port. */
static uint16_t pick_source_port(GPtrArray *lists)
{
    uint16_t sport = 0;
    for (int attempt = 0; attempt < 64; attempt++) {
        sport = (uint16_t)g_random_int_range(32768, 61000 - PLAN_SPORT_SPAN);
        gboolean free = TRUE;
        for (uint16_t i = 0; i < PLAN_SPORT_SPAN && free; i++)
            free = !port_taken(lists, (uint16_t)(sport + i));
        if (free)
            break;
    }
    for (uint16_t i = 0; i < PLAN_SPORT_SPAN; i++) {
        uint16_t p = (uint16_t)(sport + i);
        g_array_append_val(g_ptr_array_index(lists, lists->len - 1), p);
    }
    return sport;
}

/* The top ports (1000, -F's 100, --top-ports'), or those of --port-ratio, of
 * among's when not NULL (-p's, less --exclude-ports'). from_all: among is
 * every port but the excluded ones, not -p's. */
static GArray *default_ports(run *r, const scan_type *type, const GArray *among, gboolean from_all,
                             GError **error)
{
    guint n = r->opt->top_ports ? (guint)r->opt->top_ports : TOP_PORTS;
    GArray *ports = r->opt->port_ratio > 0
                        ? services_ports_by_ratio(r->svc, type->ip_proto, r->opt->port_ratio, among)
                        : services_top_ports_of(r->svc, type->ip_proto, n, among);
    if (ports->len == 0 && (among == NULL || from_all) && !services_knows(r->svc, type->ip_proto)) {
        /* The built-in table only knows TCP. */
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "no default ports for %s without %s: give them with -p", type->option,
                    SERVICES_NMAP_PATH);
        g_array_unref(ports);
        return NULL;
    }
    return ports;
}

/* The ports a type may scan: -p's (given), or every port when -p gave none,
 * less --exclude-ports' (excluded) as nmap removes them (removepts) before
 * --top-ports, -F or --port-ratio pick theirs. NULL: every port. */
static GArray *candidate_ports(const GArray *given, const GArray *excluded)
{
    if (excluded == NULL || excluded->len == 0)
        return given ? g_array_ref((GArray *)given) : NULL;
    GArray *out = g_array_new(FALSE, FALSE, sizeof(guint16));
    guint e = 0;
    guint n = given ? given->len : 65535;
    for (guint i = 0; i < n; i++) {
        guint16 p = given ? g_array_index(given, guint16, i) : (guint16)(i + 1);
        while (e < excluded->len && g_array_index(excluded, guint16, e) < p)
            e++;
        if (e < excluded->len && g_array_index(excluded, guint16, e) == p)
            continue;
        g_array_append_val(out, p);
    }
    return out;
}

/* -sO's protocols as nmap picks them: -p's (numbers 0-255), -F's the ones
 * nmap-protocols names, else all 256 (--top-ports leaves them all, as nmap's
 * does). */
static gboolean protocol_list(run *r, GArray **out, GError **error)
{
    if (r->opt->ports) {
        *out = ports_parse_protocols(r->opt->ports, error);
        return *out != NULL;
    }
    *out = g_array_new(FALSE, FALSE, sizeof(guint16));
    for (guint16 p = 0; p < 256; p++)
        if (!r->opt->fast || ip_protocol_name((uint8_t)p))
            g_array_append_val(*out, p);
    return TRUE;
}

/* The port scan's plan, and discovery's, with a source port for each type. */
static gboolean make_plans(run *r, GError **error)
{
    r->svc = services_default();
    g_autoptr(GArray) tcp = NULL;
    g_autoptr(GArray) udp = NULL;
    g_autoptr(GArray) sctp = NULL;
    gboolean proto = !r->opt->ping_only && g_ptr_array_index(r->opt->types, 0) == &scan_proto;
    if (proto && !protocol_list(r, &tcp, error))
        return FALSE;
    /* nmap's word for a port named twice, for -p then --exclude-ports. */
    static const char duplicate[] = "WARNING: Duplicate port number(s) specified.  Are you alert "
                                    "enough to be using Nmap?  Have some coffee or Jolt(tm).\n";
    gboolean dup = FALSE;
    if (!proto && r->opt->ports &&
        !ports_parse_split_noted(r->opt->ports, &tcp, &udp, &sctp, &dup, error))
        return FALSE;
    if (dup)
        g_string_append(r->warnings, duplicate);
    if (!proto && !r->opt->ping_only && r->opt->ports) {
        gboolean by[3] = {FALSE, FALSE, FALSE};
        for (guint i = 0; i < r->opt->types->len; i++) {
            const scan_type *type = g_ptr_array_index(r->opt->types, i);
            by[type->ip_proto == PACKET_UDP ? 1 : type->ip_proto == PACKET_SCTP ? 2 : 0] = TRUE;
        }
        ports_prefix_warnings(r->opt->ports, by[0], by[1], by[2], r->warnings);
    }
    g_autoptr(GArray) ex_tcp = NULL;
    g_autoptr(GArray) ex_udp = NULL;
    g_autoptr(GArray) ex_sctp = NULL;
    if (r->opt->exclude_ports &&
        !ports_parse_split_noted(r->opt->exclude_ports, &ex_tcp, &ex_udp, &ex_sctp, &dup, error)) {
        g_prefix_error(error, "--exclude-ports: ");
        return FALSE;
    }
    if (r->opt->exclude_ports && dup)
        g_string_append(r->warnings, duplicate);
    gboolean skip_told[3] = {FALSE, FALSE, FALSE};
    /* Every type's ports, then the source ports taken. */
    g_autoptr(GPtrArray) lists = g_ptr_array_new_with_free_func((GDestroyNotify)g_array_unref);
    guint ntypes = r->opt->ping_only ? 0 : r->opt->types->len;
    for (guint i = 0; i < ntypes; i++) {
        const scan_type *type = g_ptr_array_index(r->opt->types, i);
        gboolean is_udp = type->ip_proto == PACKET_UDP, is_sctp = type->ip_proto == PACKET_SCTP;
        GArray *given = is_udp ? udp : is_sctp ? sctp : tcp;
        const GArray *excluded = is_udp ? ex_udp : is_sctp ? ex_sctp : ex_tcp;
        g_autoptr(GArray) among = candidate_ports(given, excluded);
        GArray *ports = proto ? g_array_ref(given)
                        : given && !r->opt->top_ports && !(r->opt->port_ratio > 0)
                            ? g_array_ref(among)
                            : default_ports(r, type, among, given == NULL, error);
        if (ports == NULL)
            return FALSE;
        g_ptr_array_add(lists, ports);
        /* A type left without ports is skipped with nmap's warning, once per
         * protocol (nmap.cc, after gettoppts()); it stays in the plan with
         * none, as it stays in nmap's -oX scaninfo (numservices="0"). */
        int which = is_udp ? 1 : is_sctp ? 2 : 0;
        if (ports->len == 0 && !skip_told[which]) {
            skip_told[which] = TRUE;
            g_string_append(r->warnings,
                            proto ? "WARNING: protocol scan was requested, but no protocols were "
                                    "specified to be scanned.  Skipping this scan type.\n"
                            : is_udp ? "WARNING: UDP scan was requested, but no udp ports were "
                                       "specified.  Skipping this scan type.\n"
                            : is_sctp
                                ? "WARNING: a SCTP scan type was requested, but no sctp ports "
                                  "were specified.  Skipping this scan type.\n"
                                : "WARNING: a TCP scan type was requested, but no tcp ports were "
                                  "specified.  Skipping this scan type.\n");
        }
    }
    g_ptr_array_add(lists, g_array_new(FALSE, FALSE, sizeof(guint16)));
    if (!r->opt->ping_only) {
        r->plan = probe_plan_new();
        for (guint i = 0; i < ntypes; i++) {
            const scan_type *type = g_ptr_array_index(r->opt->types, i);
            const GArray *ports = g_ptr_array_index(lists, i);
            uint16_t sport = type->build ? pick_source_port(lists) : 0;
            probe_plan_add(r->plan, type, sport, (const uint16_t *)ports->data, ports->len);
        }
    }
    /* The pings' ports are taken too: no ping leaves from a port it probes. */
    const ping_options *asked = &r->opt->pings;
    const GArray *ping_ports[] = {asked->syn, asked->ack, asked->udp, asked->sctp};
    for (guint i = 0; i < G_N_ELEMENTS(ping_ports); i++)
        if (ping_ports[i])
            g_array_append_vals(g_ptr_array_index(lists, lists->len - 1), ping_ports[i]->data,
                                ping_ports[i]->len);
    discovery_sports sports;
    sports.syn = pick_source_port(lists);
    sports.ack = pick_source_port(lists);
    sports.udp = pick_source_port(lists);
    sports.sctp = pick_source_port(lists);
    sports.proto = pick_source_port(lists);
    r->pings = discovery_plan_new(asked, r->opt->ipv6, &sports);
    if (r->opt->has_sport) {
        if (r->plan)
            probe_plan_fix_sport(r->plan, r->opt->sport);
        probe_plan_fix_sport(r->pings, r->opt->sport);
    }
    return TRUE;
}

/* Without raw sockets (or with --unprivileged) only the connect scan and
 * discovery by connect() work, as with nmap, whose default scan is then -sT
 * (NmapOps.cc: isr00t). Called before the plans are made. */
static gboolean open_sender(run *r, GError **error)
{
    GError *local = NULL;
    if (!r->opt->unprivileged)
        r->tx = sender_open(r->opt->ipv6 ? AF_INET6 : AF_INET, r->opt->device, &local);
    if (r->tx) {
        r->disc.privileged = TRUE;
        return TRUE;
    }
    if (local && (local->code != ST_ERROR_PERMISSION || r->opt->privileged)) {
        g_propagate_error(error, local);
        return FALSE;
    }
    g_clear_error(&local);
    GPtrArray *types = r->opt->types;
    if (r->opt->default_type && g_ptr_array_index(types, 0) == &scan_syn) {
        g_ptr_array_index(types, 0) = (gpointer)&scan_connect;
        /* nmap 7.93 switches silently; a line on stderr leaves stdout as its. */
        g_printerr("Note: no raw-socket privilege (root or CAP_NET_RAW): doing a connect "
                   "scan (-sT) instead of -sS, as nmap does\n");
    }
    gboolean raw_types = FALSE;
    for (guint i = 0; i < types->len; i++)
        raw_types = raw_types || ((const scan_type *)g_ptr_array_index(types, i))->build;
    if (raw_types || r->opt->send_ip || r->opt->fragment_mtu || r->opt->decoys.count) {
        g_set_error(error, ST_ERROR, ST_ERROR_PERMISSION,
                    "You requested a scan type which requires root privileges (raw sockets need "
                    "root or CAP_NET_RAW; -sT does not)");
        return FALSE;
    }
    if (r->opt->capture_file) {
        g_set_error(error, ST_ERROR, ST_ERROR_PERMISSION,
                    "-w needs root or CAP_NET_RAW to capture");
        return FALSE;
    }
    return TRUE;
}

static gboolean same_link(const route *a, const route *b)
{
    return packet_addr_equal(&a->src, &b->src) && a->scope == b->scope &&
           strcmp(a->device, b->device) == 0;
}

/* Opens the capture handles and ARP senders of every link, while we may. */
static gboolean open_links(run *r, GError **error)
{
    if (r->tx == NULL)
        return TRUE;
    for (guint i = 0; i < r->links->len; i++) {
        link_io *l = &g_array_index(r->links, link_io, i);
        l->rx = receiver_open(l->rt.device, error);
        if (l->rx == NULL)
            return FALSE;
        if (!r->opt->send_ip && !l->rt.local && arp_device_is_ethernet(l->rt.device)) {
            l->arp = arp_sender_open(l->rt.device, error);
            if (l->arp == NULL)
                return FALSE;
        }
    }
    return TRUE;
}

static gboolean use_receiver(run *r, const route *rt, GError **error)
{
    if (r->link && same_link(&r->link->rt, rt))
        return TRUE;
    r->link = NULL;
    for (guint i = 0; i < r->links->len && !r->link; i++)
        if (same_link(&g_array_index(r->links, link_io, i).rt, rt))
            r->link = &g_array_index(r->links, link_io, i);
    if (r->link == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM,
                    "the routes changed during the scan: %s was not needed before it began",
                    rt->device);
        return FALSE;
    }
    r->rx = r->link->rx;
    r->arp = r->link->arp;
    if (r->cap && !capture_started(r->cap)) {
        if (!capture_start(r->cap, receiver_handle(r->rx), rt->device, error))
            return FALSE;
        r->cap_dlt = pcap_datalink(receiver_handle(r->rx));
    }
    return TRUE;
}

static capture *capture_for(run *r)
{
    if (r->cap == NULL)
        return NULL;
    if (pcap_datalink(receiver_handle(r->rx)) == r->cap_dlt)
        return r->cap;
    if (!r->cap_mismatch_told)
        g_printerr("WARNING: %s is not captured: its link type differs from the first "
                   "interface's\n",
                   r->link->rt.device);
    r->cap_mismatch_told = TRUE;
    return NULL;
}

static void warn_dropped(run *r)
{
    guint dropped = receiver_dropped(r->rx);
    if (dropped > r->link->dropped_told) {
        g_printerr("WARNING: the capture on %s dropped %u packets: replies may have been "
                   "missed (try --max-rate)\n",
                   r->link->rt.device, dropped - r->link->dropped_told);
        r->link->dropped_told = dropped;
    }
}

static void report_host(run *r, host_result *h)
{
    /* The levels now, which the v, V, d and D keys change during the scan: as
     * nmap's o.verbose and o.debugging when it writes a host (the -vv
     * "Scanned at" line, the "Not shown" threshold, hosts found down). */
    r->rc.verbose = progress_verbose();
    r->rc.debug = progress_debugging();
    g_autoptr(GString) text = g_string_new(NULL);
    report_normal_host(text, &r->rc, h);
    emit(r->screen, text);
    emit(r->normal, text);
    if (r->xml) {
        g_string_truncate(text, 0);
        report_xml_host(text, &r->rc, h);
        emit(r->xml, text);
    }
    if (r->grepable) {
        g_string_truncate(text, 0);
        report_grepable_host(text, &r->rc, h);
        emit(r->grepable, text);
    }
}

/* The hosts of a group that share a route's device and source address: what
 * one receiver and one raw socket serve. */
static gboolean scan_partition(run *r, host_result **hosts, const route *const *routes, guint n,
                               GError **error)
{
    /* A target without a route, in a scan without raw packets (scan_all()),
     * has no device: its partition's link is another target's, if any. */
    const route *link_rt = routes[0];
    for (guint i = 0; i < n && link_rt->device[0] == '\0'; i++)
        link_rt = routes[i];
    scan_io io = {.rt = link_rt, .tx = r->tx};
    if (r->tx && link_rt->device[0] != '\0') {
        if (!use_receiver(r, link_rt, error))
            return FALSE;
        io.rx = r->rx;
        io.arp = r->arp;
        io.cap = capture_for(r);
    }
    discovery_run(&r->disc, r->pings, &r->cfg, &io, hosts, routes, n);
    /* Past --host-timeout before any answer: nobody said it was up. */
    for (guint i = 0; i < n; i++)
        if (hosts[i]->timed_out && hosts[i]->status.state == PORT_STATE_UNKNOWN) {
            hosts[i]->status = (port_result){HOST_DOWN, REASON_NO_RESPONSE, 0};
            hosts[i]->timed_out = FALSE;
        }
    if (r->plan && interrupt_signal()) {
        /* Found up, never port scanned: not finished. */
        for (guint i = 0; i < n; i++)
            hosts[i]->incomplete = hosts[i]->incomplete || hosts[i]->status.state == HOST_UP;
    } else if (r->plan) {
        g_autofree host_result **up = g_new(host_result *, n);
        guint nup = 0;
        for (guint i = 0; i < n; i++)
            if (hosts[i]->status.state == HOST_UP) {
                hosts[i]->ports = g_new0(port_result, r->plan->nprobes);
                up[nup++] = hosts[i];
            }
        progress_hosts_up(nup);
        portscan_run(r->plan, &r->cfg, &io, up, nup);
    }
    if (r->rx)
        warn_dropped(r);
    return TRUE;
}

/* A group is scanned link by link (our own addresses go through lo), and
 * reported host by host in target order. */
static gboolean scan_group(run *r, host_result *hosts, const route *routes, guint n, GError **error)
{
    g_autofree gboolean *done = g_new0(gboolean, n);
    g_autofree host_result **part = g_new(host_result *, n);
    g_autofree const route **part_routes = g_new(const route *, n);
    /* A target without a route (a scan without raw packets, scan_all())
     * sends nothing: it joins the first link without a scope, so that its
     * connect() calls are the same phase as the others', as nmap's. */
    g_autofree const route **key = g_new(const route *, n);
    const route *anchor = NULL;
    for (guint i = 0; i < n && !anchor; i++)
        if (routes[i].device[0] != '\0' && routes[i].scope == 0)
            anchor = &routes[i];
    for (guint i = 0; i < n; i++)
        key[i] = routes[i].device[0] == '\0' && anchor ? anchor : &routes[i];
    for (guint first = 0; first < n; first++) {
        if (done[first])
            continue;
        guint m = 0;
        for (guint i = first; i < n; i++)
            if (!done[i] && same_link(key[i], key[first])) {
                done[i] = TRUE;
                part[m] = &hosts[i];
                part_routes[m++] = &routes[i];
            }
        if (!scan_partition(r, part, part_routes, m, error))
            return FALSE;
    }
    for (guint i = 0; i < n; i++) {
        host_result *h = &hosts[i];
        gboolean is_up = h->status.state == HOST_UP;
        /* Interrupted: only the hosts finished are reported, at once. */
        if (h->incomplete || (interrupt_signal() && h->status.state == PORT_STATE_UNKNOWN))
            continue;
        if (is_up && h->name == NULL && !r->opt->no_dns && !interrupt_signal()) {
            h->name = rdns_lookup(&h->addr);
            h->name_from_dns = h->name != NULL;
        }
        report_host(r, h);
        if (r->opt->debug && is_up && !h->timed_out) {
            /* nmap -d's line after each host, its times in microseconds. */
            g_autoptr(GString) times = g_string_new(NULL);
            g_string_append_printf(times,
                                   "Final times for host: srtt: %" G_GINT64_FORMAT
                                   " rttvar: %" G_GINT64_FORMAT "  to: %" G_GINT64_FORMAT "\n",
                                   h->rtt.srtt, h->rtt.rttvar, h->rtt.timeout);
            emit(r->screen, times);
            emit(r->normal, times);
        }
        if (!r->plan && is_up)
            progress_hosts_up(1);
        progress_host_completed();
        r->hosts++;
        r->up += is_up;
    }
    return TRUE;
}

static void free_group(host_result *hosts, guint n)
{
    for (guint i = 0; i < n; i++) {
        g_free(hosts[i].name);
        g_free(hosts[i].ports);
        g_free(hosts[i].shard_skip);
        memset(&hosts[i], 0, sizeof hosts[i]);
    }
}

/* Where the current target is reached: its own %iface, else -e. */
/* -e, a link-local target's %iface, or with -S and neither the interface
 * holding the -S address, as nmap picks it. */
static const char *target_device(const run *r, const target_iter *it)
{
    const char *iface = target_iter_interface(it);
    if (iface)
        return iface;
    if (r->opt->device == NULL && r->opt->has_source)
        return r->source_device;
    return r->opt->device;
}

/* The route to addr; with -S its probes leave from the -S address, which
 * replies come back to (the scan hears them only if they reach this link). */
static gboolean route_target(const run *r, const packet_addr *addr, const target_iter *it,
                             route *rt, GError **error)
{
    if (!route_find(addr, target_device(r, it), rt, error))
        return FALSE;
    if (r->opt->has_source)
        rt->src = r->opt->source;
    return TRUE;
}

static gboolean uses_connect(const run *r)
{
    for (guint i = 0; r->opt->types && i < r->opt->types->len; i++)
        if (g_ptr_array_index(r->opt->types, i) == &scan_connect)
            return TRUE;
    return FALSE;
}

/* nmap's words for what its connect() scan leaves out (nmap.cc): -g, and the
 * options only raw packets carry (--data-length, --badsum); --ttl and -S it
 * sets on the sockets. */
static void warn_connect(const run *r)
{
    if (!uses_connect(r))
        return;
    if (r->opt->has_sport)
        g_printerr("WARNING: -g is incompatible with the default connect() scan (-sT).  Use a raw "
                   "scan such as -sS if you want to set the source port.\n");
    if (r->opt->has_sport || r->opt->extras.data_set || r->opt->extras.badsum)
        g_printerr("You have specified some options that require raw socket access.\nThese "
                   "options will not be honored for TCP Connect scan.\n");
}

/* -S warnings, in nmap's words (NmapOps.cc), once the address is usable: the
 * pings leave from it too and may need -Pn; -sT's kernel picks its own
 * address. */
static void warn_source(const run *r)
{
    if (!r->opt->skip_discovery)
        g_printerr("WARNING: If -S is being used to fake your source address, you may also have "
                   "to use -e <interface> and -Pn .  If you are using it to specify your real "
                   "source address, you can ignore this warning.\n");
    if (uses_connect(r))
        g_printerr("WARNING: -S will only affect the source address used in a connect() scan "
                   "if you specify one of your own addresses.  Use -sS or another raw scan if "
                   "you want to completely spoof your source address, but then you need to "
                   "know what you're doing to obtain meaningful results.\n");
}

/* nmap's rule: a -S address no interface holds needs -e (nmap.cc's words). */
static gboolean find_source_device(run *r, GError **error)
{
    warn_connect(r);
    if (!r->opt->has_source)
        return TRUE;
    char held_by[sizeof r->source_device];
    gboolean ours = route_device_holding(&r->opt->source, held_by, sizeof held_by);
    if (ours && !r->opt->device)
        g_strlcpy(r->source_device, held_by, sizeof r->source_device);
    if (!ours && uses_connect(r)) {
        /* The kernel binds a socket to its own addresses only. */
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "-S %s is none of this host's addresses: a connect() scan (-sT) binds its "
                    "sockets to it, and can only bind to one of ours (use a raw scan, -sS)",
                    r->opt->source_text);
        return FALSE;
    }
    if (r->opt->device || ours) {
        warn_source(r);
        return TRUE;
    }
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                "Could not figure out what device to send the packet out on with the source "
                "address you gave me!  If you are trying to sp00f your scan, this is normal, just "
                "give the -e eth0 or -e ppp0 or whatever.  Otherwise you can still use -e, but I "
                "find it kind of fishy.");
    return FALSE;
}

static gboolean in_group(const host_result *hosts, guint n, const packet_addr *addr)
{
    for (guint i = 0; i < n; i++)
        if (packet_addr_equal(&hosts[i].addr, addr))
            return TRUE;
    return FALSE;
}

/* --shards: whether the target with that ordinal has a pair in this shard;
 * when some of its probes are another shard's, *skip marks them (shard.h).
 * With -sn the target is the one pair. */
static gboolean shard_takes(const run *r, guint64 ordinal, uint8_t **skip)
{
    *skip = NULL;
    if (r->order == NULL)
        return TRUE;
    const shard_spec *sh = &r->opt->shard;
    guint units = r->plan ? r->plan->nprobes : 1;
    g_autofree uint8_t *others = g_new(uint8_t, units);
    guint mine = 0;
    for (guint p = 0; p < units; p++) {
        others[p] = shard_of(r->order, ordinal * units + p, sh->count) != sh->index;
        mine += !others[p];
    }
    if (mine && mine < units && r->plan)
        *skip = g_steal_pointer(&others);
    return mine > 0;
}

/* A target the kernel has no route to, in a scan with raw packets
 * (uses_raw_packets()), as nmap 7.93 leaves it out
 * (setup_target(), targets.cc; seen in the lab): "setup_target: failed to
 * determine route to ADDR" (NAME (ADDR) for a name) on stderr and in -oN,
 * <target ... status="skipped"> in -oX, nothing in -oG, and no count in the
 * "N IP addresses" of the done line. Nothing is sent to it; the rest are
 * scanned. */
static void report_unroutable(run *r, const packet_addr *addr, const char *name)
{
    char text[PACKET_ADDR_TEXT];
    packet_addr_format(addr, text);
    g_autofree char *safe = name ? safe_text(name) : NULL;
    g_autoptr(GString) line = g_string_new("setup_target: failed to determine route to ");
    if (safe)
        g_string_append_printf(line, "%s (%s)\n", safe, text);
    else
        g_string_append_printf(line, "%s\n", text);
    if (r->screen)
        fflush(r->screen);
    g_printerr("%s", line->str);
    emit(r->normal, line);
    if (r->xml) {
        g_autoptr(GString) xml = g_string_new(NULL);
        report_xml_skipped(xml, text);
        emit(r->xml, xml);
    }
}

static gboolean uses_raw_packets(const run *r);

static gboolean scan_all(run *r, GError **error)
{
    guint probes = MAX(r->plan ? r->plan->nprobes : 0, r->pings->nprobes);
    guint group_max = CLAMP(GROUP_MAX_SLOTS / probes, 1, GROUP_MAX_HOSTS);
    group_max =
        CLAMP(group_max, (guint)r->opt->timing.min_hostgroup, (guint)r->opt->timing.max_hostgroup);
    host_result *hosts = g_new0(host_result, group_max);
    route *routes = g_new0(route, group_max);
    guint n = 0;
    target_iter it;
    target_iter_init(&it, r->targets);
    packet_addr addr;
    const char *name;
    gboolean ok = TRUE;
    gboolean more = TRUE;
    guint64 ordinal = 0;
    /* --resume: the targets up to the last one reported were scanned. */
    gboolean resuming = r->opt->resume_after != NULL;
    while (ok && more && !interrupt_signal()) {
        route rt;
        GError *local = NULL;
        uint8_t *skip = NULL;
        more = target_iter_next(&it, &addr, &name);
        if (more && resuming) {
            char text[PACKET_ADDR_TEXT];
            resuming = strcmp(packet_addr_format(&addr, text), r->opt->resume_after) != 0;
            ordinal++;
            continue;
        }
        /* Another shard's target is not this scan's, nor its host count's. */
        if (more && !shard_takes(r, ordinal++, &skip))
            continue;
        if (more && r->excluded && targets_contains(r->excluded, &addr)) {
            g_free(skip);
            continue;
        }
        gboolean routed = more && route_target(r, &addr, &it, &rt, &local);
        if (more && !routed) {
            if (local->domain == ST_ERROR && local->code != ST_ERROR_SYSTEM) {
                g_propagate_error(error, local);
                ok = FALSE;
                break;
            }
            g_error_free(local);
            if (uses_raw_packets(r)) {
                report_unroutable(r, &addr, name);
                g_free(skip);
                continue;
            }
            /* nmap routes a target only for its raw packets (setup_target(),
             * targets.cc): without them (-sT -Pn, or no raw socket) the
             * target is scanned, and connect() fails (ENETUNREACH, filtered
             * net-unreach) with nothing sent. No device: no receiver. */
            memset(&rt, 0, sizeof rt);
            if (r->opt->has_source)
                rt.src = r->opt->source;
            routed = TRUE;
        }
        /* A target listed twice goes into the next group: replies are
         * attributed by address, so one group cannot hold it twice. */
        if (n > 0 && (n == group_max || !more || in_group(hosts, n, &addr))) {
            ok = scan_group(r, hosts, routes, n, error);
            free_group(hosts, n);
            n = 0;
        }
        if (!routed)
            continue;
        routes[n] = rt;
        hosts[n].addr = addr;
        hosts[n].on_link = rt.on_link && !rt.local;
        hosts[n].name = safe_text(name);
        hosts[n].shard_skip = skip;
        rtt_init(&hosts[n].rtt);
        rtt_set_bounds(&hosts[n].rtt, r->opt->timing.initial_rtt, r->opt->timing.min_rtt,
                       r->opt->timing.max_rtt);
        n++;
    }
    if (resuming && ok && !interrupt_signal())
        g_printerr("WARNING: --resume: %s, the last host of the log, is not among its targets: "
                   "nothing was scanned\n",
                   r->opt->resume_after);
    free_group(hosts, n);
    g_free(hosts);
    g_free(routes);
    return ok;
}

static void add_link(GArray *links, const route *rt)
{
    for (guint i = 0; i < links->len; i++)
        if (same_link(&g_array_index(links, link_io, i).rt, rt))
            return;
    link_io l = {.rt = *rt};
    g_array_append_val(links, l);
}

static char *addr_text(const packet_addr *a)
{
    char text[PACKET_ADDR_TEXT];
    return g_strdup(packet_addr_format(a, text));
}

/* A multicast group (IPv4 224.0.0.0/4, RFC 5771; IPv6 ff00::/8, RFC 4291
 * section 2.7). nmap 7.93 takes one as a target (nmap -sL lists ff02::1 and
 * 224.0.0.1) and sends it its probes, which reach every member of the group;
 * each member answers from its own unicast address (RFC 1122 3.2.2, RFC 4443
 * 2.2), which ties the answer to nothing sent to that address, so the group
 * reads down or filtered whoever is in it. nmap finds a group's members with
 * its targets-ipv6-multicast-* and broadcast-* scripts instead. */
static gboolean addr_is_multicast(const packet_addr *a)
{
    if (packet_addr_is_ipv4(a))
        return (packet_addr_low32(a) >> 28) == 0xe;
    return a->bytes[0] == 0xff;
}

/* Every target routed before anything is sent, so that every link the scan
 * needs is open before the privileges are dropped (r->links), and what cannot
 * be scanned stops the run with one line: a multicast address
 * (addr_is_multicast()), or a broadcast address that would get IP packets (the
 * kernel refuses them without SO_BROADCAST; with it they would reach every host
 * of the link, whose replies would all pass for the target's). A broadcast
 * address asked by ARP is scanned: nobody answers for it, and it is down. A
 * target without a route needs no link: scan_all() leaves it out as nmap does
 * (report_unroutable()), or scans it without one. A signal ends the loop at once (FALSE, no
 * error): nothing has been sent. */
static gboolean check_targets(run *r, GError **error)
{
    target_iter it;
    target_iter_init(&it, r->targets);
    packet_addr addr;
    const char *name;
    while (target_iter_next(&it, &addr, &name)) {
        route rt;
        GError *local = NULL;
        if (interrupt_signal())
            return FALSE;
        if (r->excluded && targets_contains(r->excluded, &addr))
            continue;
        if (addr_is_multicast(&addr)) {
            g_autofree char *a = addr_text(&addr);
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s is a multicast address: probes to it would reach every member of "
                        "the group, whose answers come from their own addresses (scan the "
                        "members' addresses instead)",
                        a);
            return FALSE;
        }
        if (!route_target(r, &addr, &it, &rt, &local)) {
            if (local->domain == ST_ERROR && local->code != ST_ERROR_SYSTEM) {
                g_propagate_error(error, local);
                return FALSE;
            }
            g_error_free(local);
            continue;
        }
        gboolean ethernet = !rt.local && arp_device_is_ethernet(rt.device);
        if (rt.broadcast && discovery_method_for(&r->disc, &rt, ethernet) != DISCOVER_ARP) {
            g_autofree char *a = addr_text(&addr);
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s is a broadcast address: probes to it would reach every host of its "
                        "network (leave it out of the targets%s)",
                        a,
                        r->opt->send_ip            ? ", or drop --send-ip"
                        : r->opt->disable_arp_ping ? ", or drop --disable-arp-ping"
                                                   : "");
            return FALSE;
        }
        add_link(r->links, &rt);
    }
    return TRUE;
}

static void start_outputs(run *r)
{
    g_autoptr(GString) text = g_string_new(NULL);
    report_normal_start(text, &r->rc);
    emit(r->screen, text);
    if (r->normal) {
        g_string_truncate(text, 0);
        report_normal_file_start(text, &r->rc);
        emit(r->normal, text);
    }
    if (r->opt->debug) {
        g_string_truncate(text, 0);
        timing_report(text, &r->opt->timing, r->opt->min_rate, r->opt->max_rate);
        emit(r->screen, text);
        emit(r->normal, text);
    }
    if (r->xml) {
        g_string_truncate(text, 0);
        report_xml_start(text, &r->rc);
        emit(r->xml, text);
    }
    if (r->grepable) {
        g_string_truncate(text, 0);
        report_grepable_start(text, &r->rc);
        emit(r->grepable, text);
    }
}

/* Whether the scan is one nmap counts raw packets for: with raw sockets
 * (not --unprivileged, nor a user without them), a raw port scan type or any
 * host discovery (not -Pn). Seen in the lab, nmap 7.93 -v: -sT -Pn and -sn
 * -Pn print no count, -sT or -sn with pings do, 0 packets included when
 * every target was excluded; IPv6 SYN pings too. */
static gboolean uses_raw_packets(const run *r)
{
    if (r->tx == NULL)
        return FALSE;
    if (!r->opt->skip_discovery)
        return TRUE;
    for (guint i = 0; i < r->opt->types->len; i++)
        if (((const scan_type *)g_ptr_array_index(r->opt->types, i))->build)
            return TRUE;
    return FALSE;
}

/* The reports' ends. Interrupted (signo != 0), they count the hosts finished
 * and say what stopped the scan; the lone-target note is left out, since the
 * target may never have been asked. */
static void finish_outputs(run *r, gint64 start, int signo)
{
    gint64 end = g_get_real_time();
    double seconds = (double)(end - start) / 1e6;
    g_autofree char *summary = report_done_summary(r->hosts, r->up, seconds);
    const char *stopped_by = signo ? interrupt_name(signo) : NULL;
    /* nmap's hint is about its pings: with -Pn there were none to block. */
    gboolean seems_down = !signo && r->hosts == 1 && r->up == 0 && !r->opt->skip_discovery;
    /* nmap -v (not -d, which lists the files) says where it read its data
     * files, on the screen and in -oN (printdatafilepaths(), output.cc): -sn
     * reads none but nmap-mac-prefixes, for a host found on the link (seen
     * in the lab: nmap 7.93 -v -sn prints the line then only). */
    gboolean read_data = !r->opt->ping_only || mac_vendors_asked(r->vendors);
    const char *data_dir =
        r->svc && read_data && progress_verbose() > 0 && progress_debugging() == 0 && !signo
            ? services_dir(r->svc)
            : NULL;
    /* nmap's warning when nothing was left to scan (every target --exclude'd,
     * an -iL list naming no one): on stderr and in -oN, after the data files
     * line and before the done line (printfinaloutput(), output.cc; its order
     * on a screen both go to, seen in the lab). */
    static const char no_targets[] = "WARNING: No targets were specified, so 0 hosts scanned.\n";
    gboolean none = !signo && r->hosts == 0;
    g_autoptr(GString) text = g_string_new(NULL);
    if (seems_down)
        report_normal_seems_down(text);
    report_normal_data_files(text, data_dir);
    if (none) {
        emit(r->screen, text);
        g_string_truncate(text, 0);
        g_printerr("%s", no_targets);
    }
    report_normal_done(text, summary, stopped_by);
    /* Then, on the screen only, the raw packets' count, whenever the scan
     * uses raw packets, 0 of them when no target was left to send them to
     * (printfinaloutput(), output.cc: o.isr00t && o.RawScan()). */
    if (progress_verbose() > 0 && !signo && uses_raw_packets(r)) {
        g_autofree char *packets = packet_stats_line();
        g_string_append_printf(text, "           %s\n", packets);
    }
    emit(r->screen, text);
    if (r->normal) {
        g_string_truncate(text, 0);
        /* The "Host seems down" note is the screen's only (nmap 7.93 in the
         * lab: -oN goes from the last host to its done line). */
        report_normal_data_files(text, data_dir);
        if (none)
            g_string_append(text, no_targets);
        report_normal_file_done(text, end, summary, stopped_by);
        emit(r->normal, text);
    }
    if (r->xml) {
        g_string_truncate(text, 0);
        report_xml_done(text, end, seconds, r->hosts, r->up, summary, stopped_by);
        emit(r->xml, text);
    }
    if (r->grepable) {
        g_string_truncate(text, 0);
        report_grepable_done(text, end, summary, stopped_by);
        emit(r->grepable, text);
    }
}

static int scan(run *r)
{
    GError *error = NULL;
    /* nmap 7.93 with -v and -Pn (seen in the lab): on stderr, before its
     * Starting line, whatever the scan type. */
    if (r->opt->skip_discovery && r->opt->verbose > 0)
        g_printerr("Host discovery disabled (-Pn). All addresses will be marked 'up' and scan "
                   "times may be slower.\n");
    if (!open_sender(r, &error))
        return fail(error);
    r->warnings = g_string_new(NULL);
    gboolean planned = make_plans(r, &error);
    /* nmap says them as it reads its options: on stderr before anything else,
     * and first in -oN, before its header (seen in the lab). */
    g_printerr("%s", r->warnings->str);
    if (!planned)
        return fail(error);
    r->targets = targets_parse((const char *const *)r->opt->targets, r->opt->ipv6, &error);
    if (r->targets == NULL)
        return fail(error);
    if (r->opt->excluded && (r->excluded = targets_parse((const char *const *)r->opt->excluded,
                                                         r->opt->ipv6, &error)) == NULL)
        return fail(error);
    guint64 probes = MAX(r->plan ? r->plan->nprobes : 0, r->pings->nprobes);
    guint64 group = MIN((guint64)r->opt->timing.min_hostgroup, targets_count(r->targets));
    if (group * probes > GROUP_SLOTS_LIMIT) {
        g_set_error(&error, ST_ERROR, ST_ERROR_INPUT,
                    "--min-hostgroup %d: %" G_GUINT64_FORMAT " hosts of %" G_GUINT64_FORMAT
                    " probes each are more than scantrace holds at once (%" G_GUINT64_FORMAT
                    " probes); give at most %" G_GUINT64_FORMAT,
                    r->opt->timing.min_hostgroup, group, probes, GROUP_SLOTS_LIMIT,
                    GROUP_SLOTS_LIMIT / probes);
        return fail(error);
    }
    if (r->opt->shard.count > 1)
        r->order = shard_order_new(r->opt->shard.seed,
                                   targets_count(r->targets) * (r->plan ? r->plan->nprobes : 1));
    r->disc.skip = r->opt->skip_discovery;
    r->disc.send_ip = r->opt->send_ip;
    r->disc.no_arp = r->opt->disable_arp_ping;
    r->disc.raw_scan = r->plan && probe_plan_has_raw(r->plan);
    r->links = g_array_new(FALSE, TRUE, sizeof(link_io));
    if (!find_source_device(r, &error))
        return fail(error);
    /* Interrupted while routing: nmap's status after a signal, no report
     * begun (the handler has said why). */
    if (!check_targets(r, &error))
        return error ? fail(error) : 1;
    if (!open_links(r, &error))
        return fail(error);
    if (!open_outputs(r, &error))
        return fail(error);
    emit(r->normal, r->warnings);
    r->vendors = mac_vendors_new(MAC_PREFIXES_NMAP_PATH);
    /* Everything that needed privileges is open; no reply has been read. */
    if (!privileges_drop(r->opt->user, &error))
        return fail(error);

    gint64 start = g_get_real_time();
    const timing *t = &r->opt->timing;
    rtt_init(&r->run_rtt);
    rtt_set_bounds(&r->run_rtt, t->initial_rtt, t->min_rtt, t->max_rtt);
    guint window = ENGINE_DEFAULT_WINDOW;
    if (t->max_parallelism)
        window = MIN(window, (guint)t->max_parallelism);
    window = MAX(window, (guint)t->min_parallelism);
    r->cfg = (engine_config){.scan_id = g_random_int(),
                             .max_retries = (guint)t->max_retries,
                             .max_rate = r->opt->max_rate,
                             .min_rate = r->opt->min_rate,
                             .window = window,
                             .scan_delay = t->scan_delay,
                             .max_scan_delay_tcp = t->max_scan_delay_tcp,
                             .max_scan_delay_udp = t->max_scan_delay_udp,
                             .host_timeout = t->host_timeout,
                             .in_order = r->opt->in_order,
                             .defeat_rst_ratelimit = r->opt->defeat_rst_ratelimit,
                             .run_rtt = &r->run_rtt,
                             .extras = &r->opt->extras,
                             .bind_source = r->opt->has_source,
                             .device = r->opt->device,
                             .fragment_mtu = r->opt->fragment_mtu,
                             .decoys = r->opt->decoys.count ? &r->opt->decoys : NULL,
                             .trace = stdout,
                             .trace_zero = start};
    r->rc = (report_context){.plan = r->plan,
                             .svc = r->svc,
                             .vendors = r->vendors,
                             .reason = r->opt->reason,
                             .verbose = r->opt->verbose,
                             .debug = r->opt->debug,
                             .open_only = r->opt->open_only,
                             .defeat_rst_ratelimit = r->opt->defeat_rst_ratelimit,
                             .list_down = r->opt->shard.count > 1,
                             .scan_id = r->cfg.scan_id,
                             .args = r->opt->command_line,
                             .start = start};
    r->screen = r->normal == stdout || r->xml == stdout || r->grepable == stdout ? NULL : stdout;
    progress_init(r->screen, r->opt->verbose, r->opt->debug, r->opt->packet_trace, start);
    /* Keys are read (and not echoed) from the first line on. */
    keys_start(r->opt->stats_every, !r->opt->noninteractive);
    start_outputs(r);
    progress_set_xml(r->xml); /* after its header */
    progress_set_normal(r->normal);
    gboolean scanned = scan_all(r, &error);
    keys_stop(); /* no status line after the last */
    if (!scanned)
        return fail(error);
    int signo = interrupt_signal();
    finish_outputs(r, start, signo);
    if (!capture_close(r->cap, &error)) {
        r->cap = NULL;
        return fail(error);
    }
    r->cap = NULL;
    /* nmap's status after a signal. */
    return signo ? 1 : 0;
}

static void run_clear(run *r)
{
    keys_stop();
    for (guint i = 0; r->links && i < r->links->len; i++) {
        receiver_close(g_array_index(r->links, link_io, i).rx);
        arp_sender_close(g_array_index(r->links, link_io, i).arp);
    }
    capture_close(r->cap, NULL);
    sender_close(r->tx);
    output_file_close(r->normal);
    output_file_close(r->xml);
    output_file_close(r->grepable);
    targets_free(r->targets);
    targets_free(r->excluded);
    shard_order_free(r->order);
    probe_plan_free(r->plan);
    probe_plan_free(r->pings);
    services_free(r->svc);
    mac_vendors_free(r->vendors);
    if (r->links)
        g_array_unref(r->links);
    if (r->warnings)
        g_string_free(r->warnings, TRUE);
}

int run_scan(scan_options *opt)
{
    run r = {.opt = opt};
    int rc = scan(&r);
    run_clear(&r);
    return rc;
}
