/* One run: the targets are scanned group by group (hosts in a row that share a
 * route, as many as fit in a bounded number of probe slots), and each group is
 * reported as it finishes, as nmap reports each host group. */
#include "run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "engine.h"
#include "error.h"
#include "ports.h"
#include "rdns.h"
#include "receiver.h"
#include "report_normal.h"
#include "report_xml.h"
#include "route.h"
#include "sender.h"
#include "services.h"
#include "targets.h"

enum { TOP_PORTS = 1000, GROUP_MAX_HOSTS = 256, GROUP_MAX_SLOTS = 1 << 20 };

typedef struct run {
    scan_options *opt;
    services *svc;
    GArray *ports;
    targets *targets;
    sender *tx;
    receiver *rx;
    route rx_route;
    capture *cap;
    gboolean cap_mismatch_told;
    guint dropped_told;
    FILE *normal, *xml;
    FILE *screen; /* stdout, unless -oN - or -oX - took it */
    engine_config cfg;
    report_context rc;
    rtt_state run_rtt;
    guint hosts, up;
} run;

static int fail(GError *error)
{
    g_printerr("scantrace: %s\n", error->message);
    g_error_free(error);
    return 1;
}

static FILE *open_output(const char *path, GError **error)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    g_strerror(errno));
    return f;
}

static void close_output(FILE *f)
{
    if (f && f != stdout)
        fclose(f);
}

static void emit(FILE *f, const GString *s)
{
    if (f) {
        fputs(s->str, f);
        fflush(f);
    }
}

/* A source port per scan type, if possible not one of the ports scanned: when we
 * scan our own address, a probe to our source port would look like its reply.
 * With -p- there is no such port; attribution by cookie still holds then. */
static uint16_t pick_source_port(const GArray *ports)
{
    uint16_t sport = 0;
    for (int attempt = 0; attempt < 64; attempt++) {
        sport = (uint16_t)g_random_int_range(32768, 61000);
        gboolean clash = FALSE;
        for (guint i = 0; i < ports->len && !clash; i++)
            clash = g_array_index(ports, guint16, i) == sport;
        if (!clash)
            break;
    }
    return sport;
}

static gboolean choose_ports(run *r, GError **error)
{
    GError *local = NULL;
    r->svc = services_load(SERVICES_NMAP_PATH, &local);
    if (r->svc == NULL) {
        g_clear_error(&local);
        r->svc = services_builtin();
    }
    if (r->opt->ports)
        r->ports = ports_parse(r->opt->ports, error);
    else
        r->ports = services_top_ports(r->svc, r->cfg.type->ip_proto, TOP_PORTS);
    if (r->ports && r->ports->len == 0) {
        /* The built-in table only knows TCP. */
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "no default ports for %s without %s: give them with -p", r->cfg.type->option,
                    SERVICES_NMAP_PATH);
        return FALSE;
    }
    return r->ports != NULL;
}

static gboolean use_receiver(run *r, const route *rt, GError **error)
{
    if (r->rx && strcmp(r->rx_route.device, rt->device) == 0 && r->rx_route.src == rt->src)
        return TRUE;
    receiver_close(r->rx);
    r->dropped_told = 0;
    r->rx = receiver_open(rt->device, error);
    if (r->rx == NULL)
        return FALSE;
    r->rx_route = *rt;
    g_autofree char *filter = engine_filter(&r->cfg, rt->src);
    if (!receiver_set_filter(r->rx, filter, error))
        return FALSE;
    if (r->opt->capture_file && r->cap == NULL) {
        r->cap = capture_open(r->opt->capture_file, receiver_handle(r->rx), rt->device, error);
        if (r->cap == NULL)
            return FALSE;
    }
    return TRUE;
}

static capture *capture_for(run *r, int dlt_of_capture)
{
    if (r->cap == NULL)
        return NULL;
    if (pcap_datalink(receiver_handle(r->rx)) == dlt_of_capture)
        return r->cap;
    if (!r->cap_mismatch_told)
        g_printerr("WARNING: %s is not captured: its link type differs from the first "
                   "interface's\n",
                   r->rx_route.device);
    r->cap_mismatch_told = TRUE;
    return NULL;
}

static gboolean scan_group(run *r, const route *rt, host_result *hosts, guint n, int *cap_dlt,
                           GError **error)
{
    if (!use_receiver(r, rt, error))
        return FALSE;
    if (*cap_dlt < 0 && r->cap)
        *cap_dlt = pcap_datalink(receiver_handle(r->rx));
    engine_scan(&r->cfg, rt, r->tx, r->rx, capture_for(r, *cap_dlt), hosts, n);
    guint dropped = receiver_dropped(r->rx);
    if (dropped > r->dropped_told) {
        g_printerr("WARNING: the capture on %s dropped %u packets: replies may have been "
                   "missed (try --max-rate)\n",
                   rt->device, dropped - r->dropped_told);
        r->dropped_told = dropped;
    }
    for (guint i = 0; i < n; i++) {
        host_result *h = &hosts[i];
        if (h->name == NULL && !r->opt->no_dns) {
            h->name = rdns_lookup(h->addr);
            h->name_from_dns = h->name != NULL;
        }
        g_autoptr(GString) text = g_string_new(NULL);
        report_normal_host(text, &r->rc, h);
        emit(r->screen, text);
        emit(r->normal, text);
        if (r->xml) {
            g_string_truncate(text, 0);
            report_xml_host(text, &r->rc, h);
            emit(r->xml, text);
        }
        r->hosts++;
        r->up++;
    }
    return TRUE;
}

static void free_group(host_result *hosts, guint n)
{
    for (guint i = 0; i < n; i++) {
        g_free(hosts[i].name);
        g_free(hosts[i].ports);
        memset(&hosts[i], 0, sizeof hosts[i]);
    }
}

static gboolean in_group(const host_result *hosts, guint n, uint32_t addr)
{
    for (guint i = 0; i < n; i++)
        if (hosts[i].addr == addr)
            return TRUE;
    return FALSE;
}

static gboolean scan_all(run *r, GError **error)
{
    guint group_max = CLAMP(GROUP_MAX_SLOTS / r->ports->len, 1, GROUP_MAX_HOSTS);
    host_result *hosts = g_new0(host_result, group_max);
    guint n = 0;
    route group_rt = {0};
    int cap_dlt = -1;
    target_iter it;
    target_iter_init(&it, r->targets);
    uint32_t addr;
    const char *name;
    gboolean ok = TRUE;
    gboolean more = TRUE;
    while (ok && more) {
        route rt;
        GError *local = NULL;
        more = target_iter_next(&it, &addr, &name);
        gboolean routed = more && route_find(addr, r->opt->device, &rt, &local);
        if (more && !routed) {
            if (local->domain == ST_ERROR && local->code != ST_ERROR_SYSTEM) {
                g_propagate_error(error, local);
                ok = FALSE;
                break;
            }
            g_printerr("WARNING: skipping %u.%u.%u.%u: %s\n", addr >> 24, (addr >> 16) & 0xff,
                       (addr >> 8) & 0xff, addr & 0xff, local->message);
            g_error_free(local);
            r->hosts++;
            continue;
        }
        /* A target listed twice goes into the next group: replies are
         * attributed by address, so one group cannot hold it twice. */
        gboolean same = n > 0 && routed && rt.src == group_rt.src &&
                        strcmp(rt.device, group_rt.device) == 0 && !in_group(hosts, n, addr);
        if (n > 0 && (!same || n == group_max || !more)) {
            ok = scan_group(r, &group_rt, hosts, n, &cap_dlt, error);
            free_group(hosts, n);
            n = 0;
        }
        if (!routed)
            continue;
        group_rt = rt;
        hosts[n].addr = addr;
        hosts[n].name = g_strdup(name);
        hosts[n].ports = g_new0(port_result, r->ports->len);
        n++;
    }
    free_group(hosts, n);
    g_free(hosts);
    return ok;
}

static int scan(run *r)
{
    GError *error = NULL;
    r->cfg.type = g_ptr_array_index(r->opt->types, 0);
    if (r->opt->types->len > 1) {
        g_set_error(&error, ST_ERROR, ST_ERROR_INPUT, "one scan type per run for now");
        return fail(error);
    }
    if (!choose_ports(r, &error))
        return fail(error);
    r->targets = targets_parse((const char *const *)r->opt->targets, &error);
    if (r->targets == NULL)
        return fail(error);
    r->tx = sender_open(r->opt->device, &error);
    if (r->tx == NULL)
        return fail(error);
    if (r->opt->normal_file && (r->normal = open_output(r->opt->normal_file, &error)) == NULL)
        return fail(error);
    if (r->opt->xml_file && (r->xml = open_output(r->opt->xml_file, &error)) == NULL)
        return fail(error);

    gint64 start = g_get_real_time();
    engine_config *cfg = &r->cfg;
    cfg->ports = (const uint16_t *)r->ports->data;
    cfg->nports = r->ports->len;
    cfg->scan_id = g_random_int();
    cfg->sport = pick_source_port(r->ports);
    cfg->max_retries = (guint)r->opt->max_retries;
    cfg->max_rate = r->opt->max_rate;
    cfg->min_rate = r->opt->min_rate;
    cfg->window = ENGINE_DEFAULT_WINDOW;
    rtt_init(&r->run_rtt);
    cfg->run_rtt = &r->run_rtt;
    cfg->trace = r->opt->packet_trace ? stdout : NULL;
    cfg->trace_zero = start;
    r->rc = (report_context){.type = cfg->type,
                             .ports = cfg->ports,
                             .nports = cfg->nports,
                             .svc = r->svc,
                             .reason = r->opt->reason,
                             .scan_id = cfg->scan_id,
                             .args = r->opt->command_line,
                             .start = start};

    g_autoptr(GString) text = g_string_new(NULL);
    r->screen = r->normal == stdout || r->xml == stdout ? NULL : stdout;
    report_normal_start(text, &r->rc);
    emit(r->screen, text);
    if (r->normal) {
        g_string_truncate(text, 0);
        report_normal_file_start(text, &r->rc);
        emit(r->normal, text);
    }
    if (r->xml) {
        g_string_truncate(text, 0);
        report_xml_start(text, &r->rc);
        emit(r->xml, text);
    }

    if (!scan_all(r, &error))
        return fail(error);

    gint64 end = g_get_real_time();
    double seconds = (double)(end - start) / 1e6;
    g_autofree char *summary = report_done_summary(r->hosts, r->up, seconds);
    g_string_truncate(text, 0);
    report_normal_done(text, summary);
    emit(r->screen, text);
    if (r->normal) {
        g_string_truncate(text, 0);
        report_normal_file_done(text, end, summary);
        emit(r->normal, text);
    }
    if (r->xml) {
        g_string_truncate(text, 0);
        report_xml_done(text, end, seconds, r->hosts, r->up, summary);
        emit(r->xml, text);
    }
    if (!capture_close(r->cap, &error)) {
        r->cap = NULL;
        return fail(error);
    }
    r->cap = NULL;
    return 0;
}

static void run_clear(run *r)
{
    receiver_close(r->rx);
    capture_close(r->cap, NULL);
    sender_close(r->tx);
    close_output(r->normal);
    close_output(r->xml);
    targets_free(r->targets);
    if (r->ports)
        g_array_unref(r->ports);
    services_free(r->svc);
}

int run_scan(scan_options *opt)
{
    run r = {.opt = opt};
    int rc = scan(&r);
    run_clear(&r);
    return rc;
}
