#include "report_xml.h"

#include "port_summary.h"
#include "ports.h"

/* An XML comment may not hold "--"; nmap writes it as "-&#45;". */
static char *comment_text(const char *text)
{
    GString *s = g_string_new(NULL);
    for (const char *p = text; *p; p++) {
        g_string_append_c(s, *p);
        if (*p == '-' && p[1] == '-') {
            g_string_append(s, "&#45;");
            p++;
        }
    }
    return g_string_free(s, FALSE);
}

static void scaninfo(GString *out, const probe_plan *plan)
{
    g_autofree uint16_t *ports = g_new(uint16_t, MAX(plan->nprobes, 1));
    for (guint t = 0; t < plan->ntypes; t++) {
        const plan_type *pt = &plan->types[t];
        for (guint i = 0; i < pt->count; i++)
            ports[i] = plan->probes[pt->first + i].port;
        g_autofree char *services = ports_format(ports, pt->count);
        /* nmap writes --scanflags on the TCP scan's line (output.cc, doscanflags). */
        char flags[SCAN_FLAGS_TEXT_MAX + 16] = "";
        if (pt->type->base) {
            char text[SCAN_FLAGS_TEXT_MAX];
            scan_flags_format(pt->type->tcp_flags, text);
            g_snprintf(flags, sizeof flags, " scanflags=\"%s\"", text);
        }
        g_string_append_printf(
            out, "<scaninfo type=\"%s\"%s protocol=\"%s\" numservices=\"%u\" services=\"%s\"/>\n",
            pt->type->name, flags, report_proto_name(pt->type->ip_proto), pt->count, services);
    }
}

void report_xml_start(GString *out, const report_context *ctx)
{
    g_autofree char *when = report_ctime(ctx->start);
    g_autofree char *comment = comment_text(ctx->args);
    g_autofree char *args = g_markup_escape_text(ctx->args, -1);
    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<!DOCTYPE nmaprun>\n"
                         "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" "
                         "type=\"text/xsl\"?>\n");
    g_string_append_printf(out, "<!-- scantrace %s scan initiated %s (", SCANTRACE_VERSION, when);
    report_append_scan_id(out, ctx);
    g_string_append_printf(out, ") as: %s -->\n", comment);
    g_string_append_printf(out,
                           "<nmaprun scanner=\"nmap\" args=\"%s\" start=\"%" G_GINT64_FORMAT
                           "\" startstr=\"%s\" version=\"%s\" xmloutputversion=\"1.05\">\n",
                           args, ctx->start / G_USEC_PER_SEC, when, SCANTRACE_VERSION);
    if (ctx->plan)
        scaninfo(out, ctx->plan);
    g_string_append_printf(out, "<verbose level=\"%d\"/>\n<debugging level=\"0\"/>\n",
                           ctx->verbose);
}

static void extraports(GString *out, const report_context *ctx, const host_result *h,
                       const port_summary *sum)
{
    const probe_plan *plan = ctx->plan;
    g_autofree uint16_t *ports = g_new(uint16_t, MAX(plan->nprobes, 1));
    for (guint i = 0; i < sum->groups->len; i++) {
        const ignored_group *g = &g_array_index(sum->groups, ignored_group, i);
        if (i == 0 || g_array_index(sum->groups, ignored_group, i - 1).state != g->state) {
            if (i)
                g_string_append(out, "</extraports>\n");
            g_string_append_printf(out, "<extraports state=\"%s\" count=\"%u\">\n",
                                   port_state_name(g->state), g->state_count);
        }
        guint n = 0;
        for (guint p = 0; p < plan->nprobes; p++)
            if (host_scans_probe(h, p) && h->ports[p].state == g->state &&
                h->ports[p].why == g->why && plan->probes[p].type->ip_proto == g->proto)
                ports[n++] = plan->probes[p].port;
        g_autofree char *list = ports_format(ports, n);
        g_string_append_printf(out,
                               "<extrareasons reason=\"%s\" count=\"%u\" proto=\"%s\" "
                               "ports=\"%s\"/>\n",
                               reason_name(g->why), g->count, report_folded_proto_name(g->proto),
                               list);
    }
    if (sum->groups->len)
        g_string_append(out, "</extraports>\n");
}

static void port_list(GString *out, const report_context *ctx, const host_result *h)
{
    const probe_plan *plan = ctx->plan;
    g_string_append(out, "<ports>");
    port_summary sum;
    port_summary_init_open(&sum, plan, h, ctx->verbose, ctx->open_only);
    extraports(out, ctx, h, &sum);
    for (guint i = 0; i < plan->nprobes; i++) {
        const port_result *r = &h->ports[i];
        if (sum.ignored[r->state] || !host_scans_probe(h, i))
            continue;
        uint8_t proto = plan->probes[i].type->ip_proto;
        uint16_t port = plan->probes[i].port;
        const char *name = report_service_name(ctx, proto, port);
        g_string_append_printf(out,
                               "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" "
                               "reason=\"%s\" reason_ttl=\"%u\"/>",
                               report_proto_name(proto), port, port_state_name(r->state),
                               reason_name(r->why), r->ttl);
        g_autofree char *service = name ? g_markup_escape_text(name, -1) : NULL;
        /* nmap's confidence in a protocol's name is 8, in a port's 3. */
        if (proto == PACKET_IP_ANY && service)
            g_string_append_printf(out, "<service name=\"%s\" conf=\"8\" method=\"table\"/>",
                                   service);
        else if (service)
            g_string_append_printf(out, "<service name=\"%s\" method=\"table\" conf=\"3\"/>",
                                   service);
        g_string_append(out, "</port>\n");
    }
    port_summary_clear(&sum);
    g_string_append(out, "</ports>\n");
}

static void addresses(GString *out, const report_context *ctx, const host_result *h)
{
    char ip[PACKET_ADDR_TEXT];
    g_string_append_printf(out, "<address addr=\"%s\" addrtype=\"%s\"/>\n",
                           packet_addr_format(&h->addr, ip),
                           packet_addr_is_ipv4(&h->addr) ? "ipv4" : "ipv6");
    if (!h->has_mac)
        return;
    g_string_append(out, "<address addr=\"");
    report_append_mac(out, h->mac);
    g_string_append(out, "\" addrtype=\"mac\"");
    const char *vendor = ctx->vendors ? mac_vendor(ctx->vendors, h->mac) : NULL;
    if (vendor) {
        g_autofree char *v = g_markup_escape_text(vendor, -1);
        g_string_append_printf(out, " vendor=\"%s\"", v);
    }
    g_string_append(out, "/>\n");
}

void report_xml_skipped(GString *out, const char *addr)
{
    g_autofree char *spec = g_markup_escape_text(addr, -1);
    g_string_append_printf(
        out, "<target specification=\"%s\" status=\"skipped\" reason=\"invalid\"/>\n", spec);
}

void report_xml_host(GString *out, const report_context *ctx, const host_result *h)
{
    gboolean up = h->status.state == HOST_UP;
    /* Like nmap, hosts found down only when asked to be verbose. */
    if (!up && ctx->verbose == 0 && !ctx->list_down)
        return;
    if (ctx->open_only && !port_summary_open_shows(ctx->plan, h) && !ctx->list_down)
        return;
    g_string_append(out, "<host");
    if (up && ctx->plan)
        g_string_append_printf(
            out, " starttime=\"%" G_GINT64_FORMAT "\" endtime=\"%" G_GINT64_FORMAT "\"",
            h->start / G_USEC_PER_SEC, h->end / G_USEC_PER_SEC);
    /* nmap: a host past --host-timeout has its header and nothing else. */
    if (h->timed_out)
        g_string_append(out, " timedout=\"true\"");
    g_string_append_printf(out, "><status state=\"%s\" reason=\"%s\" reason_ttl=\"%u\"/>\n",
                           port_state_name(h->status.state), reason_name(h->status.why),
                           h->status.ttl);
    addresses(out, ctx, h);
    if (!up) {
        g_string_append(out, "</host>\n");
        return;
    }
    g_string_append(out, "<hostnames>\n");
    if (h->name) {
        g_autofree char *name = g_markup_escape_text(h->name, -1);
        g_string_append_printf(out, "<hostname name=\"%s\" type=\"%s\"/>\n", name,
                               h->name_from_dns ? "PTR" : "user");
    }
    g_string_append(out, "</hostnames>\n");
    if (ctx->plan && h->ports && !h->timed_out)
        port_list(out, ctx, h);
    if (h->rtt.srtt >= 0)
        g_string_append_printf(out,
                               "<times srtt=\"%" G_GINT64_FORMAT "\" rttvar=\"%" G_GINT64_FORMAT
                               "\" to=\"%" G_GINT64_FORMAT "\"/>\n",
                               h->rtt.srtt, h->rtt.rttvar, h->rtt.timeout);
    g_string_append(out, "</host>\n");
}

void report_xml_done(GString *out, gint64 end, double seconds, guint hosts, guint up,
                     const char *summary, const char *stopped_by)
{
    g_autofree char *when = report_ctime(end);
    g_autofree char *exit_attrs =
        stopped_by ? g_strdup_printf("exit=\"error\" errormsg=\"interrupted by %s: only the "
                                     "hosts listed were scanned\"",
                                     stopped_by)
                   : g_strdup("exit=\"success\"");
    g_string_append_printf(out,
                           "<runstats><finished time=\"%" G_GINT64_FORMAT
                           "\" timestr=\"%s\" summary=\"scantrace %s at %s; %s\" "
                           "elapsed=\"%.2f\" %s/><hosts up=\"%u\" down=\"%u\" "
                           "total=\"%u\"/>\n</runstats>\n</nmaprun>\n",
                           end / G_USEC_PER_SEC, when, stopped_by ? "interrupted" : "done", when,
                           summary, seconds, exit_attrs, up, hosts - up, hosts);
}
