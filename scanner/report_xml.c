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

void report_xml_start(GString *out, const report_context *ctx)
{
    g_autofree char *when = report_ctime(ctx->start);
    g_autofree char *comment = comment_text(ctx->args);
    g_autofree char *args = g_markup_escape_text(ctx->args, -1);
    g_autofree char *services = ports_format(ctx->ports, ctx->nports);
    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<!DOCTYPE nmaprun>\n"
                         "<?xml-stylesheet href=\"file:///usr/share/nmap/nmap.xsl\" "
                         "type=\"text/xsl\"?>\n");
    g_string_append_printf(out, "<!-- scantrace %s scan initiated %s (scan id 0x%08x) as: %s -->\n",
                           SCANTRACE_VERSION, when, ctx->scan_id, comment);
    g_string_append_printf(out,
                           "<nmaprun scanner=\"nmap\" args=\"%s\" start=\"%" G_GINT64_FORMAT
                           "\" startstr=\"%s\" version=\"%s\" xmloutputversion=\"1.05\">\n",
                           args, ctx->start / G_USEC_PER_SEC, when, SCANTRACE_VERSION);
    g_string_append_printf(
        out, "<scaninfo type=\"%s\" protocol=\"%s\" numservices=\"%u\" services=\"%s\"/>\n",
        ctx->type->name, ctx->type->ip_proto == PACKET_UDP ? "udp" : "tcp", ctx->nports, services);
    g_string_append(out, "<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n");
}

static void extraports(GString *out, const report_context *ctx, const host_result *h,
                       const port_summary *sum)
{
    const char *proto = ctx->type->ip_proto == PACKET_UDP ? "udp" : "tcp";
    g_autofree uint16_t *ports = g_new(uint16_t, ctx->nports);
    for (guint i = 0; i < sum->groups->len; i++) {
        const ignored_group *g = &g_array_index(sum->groups, ignored_group, i);
        if (i == 0 || g_array_index(sum->groups, ignored_group, i - 1).state != g->state) {
            if (i)
                g_string_append(out, "</extraports>\n");
            g_string_append_printf(out, "<extraports state=\"%s\" count=\"%u\">\n",
                                   port_state_name(g->state), g->state_count);
        }
        guint n = 0;
        for (guint p = 0; p < ctx->nports; p++)
            if (h->ports[p].state == g->state && h->ports[p].why == g->why)
                ports[n++] = ctx->ports[p];
        g_autofree char *list = ports_format(ports, n);
        g_string_append_printf(out,
                               "<extrareasons reason=\"%s\" count=\"%u\" proto=\"%s\" "
                               "ports=\"%s\"/>\n",
                               reason_name(g->why), g->count, proto, list);
    }
    if (sum->groups->len)
        g_string_append(out, "</extraports>\n");
}

void report_xml_host(GString *out, const report_context *ctx, const host_result *h)
{
    const char *proto = ctx->type->ip_proto == PACKET_UDP ? "udp" : "tcp";
    g_string_append_printf(out,
                           "<host starttime=\"%" G_GINT64_FORMAT "\" endtime=\"%" G_GINT64_FORMAT
                           "\"><status state=\"up\" reason=\"user-set\" reason_ttl=\"0\"/>\n",
                           h->start / G_USEC_PER_SEC, h->end / G_USEC_PER_SEC);
    g_string_append_printf(out, "<address addr=\"%u.%u.%u.%u\" addrtype=\"ipv4\"/>\n",
                           h->addr >> 24, (h->addr >> 16) & 0xff, (h->addr >> 8) & 0xff,
                           h->addr & 0xff);
    g_string_append(out, "<hostnames>\n");
    if (h->name) {
        g_autofree char *name = g_markup_escape_text(h->name, -1);
        g_string_append_printf(out, "<hostname name=\"%s\" type=\"%s\"/>\n", name,
                               h->name_from_dns ? "PTR" : "user");
    }
    g_string_append(out, "</hostnames>\n<ports>");
    port_summary sum;
    port_summary_init(&sum, h->ports, ctx->nports);
    extraports(out, ctx, h, &sum);
    for (guint i = 0; i < ctx->nports; i++) {
        const port_result *r = &h->ports[i];
        if (sum.ignored[r->state])
            continue;
        g_autofree char *service =
            g_markup_escape_text(services_name(ctx->svc, ctx->type->ip_proto, ctx->ports[i]), -1);
        g_string_append_printf(out,
                               "<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" "
                               "reason=\"%s\" reason_ttl=\"%u\"/><service name=\"%s\" "
                               "method=\"table\" conf=\"3\"/></port>\n",
                               proto, ctx->ports[i], port_state_name(r->state), reason_name(r->why),
                               r->ttl, service);
    }
    port_summary_clear(&sum);
    g_string_append(out, "</ports>\n");
    if (h->rtt.srtt >= 0)
        g_string_append_printf(out,
                               "<times srtt=\"%" G_GINT64_FORMAT "\" rttvar=\"%" G_GINT64_FORMAT
                               "\" to=\"%" G_GINT64_FORMAT "\"/>\n",
                               h->rtt.srtt, h->rtt.rttvar, h->rtt.timeout);
    g_string_append(out, "</host>\n");
}

void report_xml_done(GString *out, gint64 end, double seconds, guint hosts, guint up,
                     const char *summary)
{
    g_autofree char *when = report_ctime(end);
    g_string_append_printf(out,
                           "<runstats><finished time=\"%" G_GINT64_FORMAT
                           "\" timestr=\"%s\" summary=\"scantrace done at %s; %s\" "
                           "elapsed=\"%.2f\" exit=\"success\"/><hosts up=\"%u\" down=\"%u\" "
                           "total=\"%u\"/>\n</runstats>\n</nmaprun>\n",
                           end / G_USEC_PER_SEC, when, when, summary, seconds, up, hosts - up,
                           hosts);
}
