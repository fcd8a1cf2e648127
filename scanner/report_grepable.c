#include "report_grepable.h"

#include "port_summary.h"
#include "ports.h"
#include "report_normal.h"

/* The fields are split at tabs: a name holds none, since names from outside
 * went through safe_text (scan_result.h). */
static void host_prefix(GString *out, const host_result *h)
{
    char ip[PACKET_ADDR_TEXT];
    g_string_append_printf(out, "Host: %s (%s)\t", packet_addr_format(&h->addr, ip),
                           h->name && h->name_from_dns ? h->name : "");
}

/* "TCP(3;22-23,80)": the count and the -p form of the ports of one protocol. */
static void protocol_ports(GString *out, const probe_plan *plan, uint8_t proto, const char *label)
{
    guint n = 0;
    g_autofree uint16_t *ports = g_new(uint16_t, plan ? MAX(plan->nprobes, 1) : 1);
    for (guint t = 0; plan && t < plan->ntypes; t++) {
        const plan_type *pt = &plan->types[t];
        if (pt->type->ip_proto != proto)
            continue;
        for (guint i = 0; i < pt->count; i++)
            ports[n++] = plan->probes[pt->first + i].port;
    }
    g_autofree char *list = ports_format(ports, n);
    g_string_append_printf(out, "%s(%u;%s) ", label, n, list);
}

void report_grepable_start(GString *out, const report_context *ctx)
{
    g_autofree char *when = report_ctime(ctx->start);
    g_string_append_printf(out, "# scantrace %s scan initiated %s (", SCANTRACE_VERSION, when);
    report_append_scan_id(out, ctx);
    g_string_append_printf(out, ") as: %s\n", ctx->args);
    if (ctx->verbose == 0)
        return;
    g_string_append(out, "# Ports scanned: ");
    protocol_ports(out, ctx->plan, PACKET_TCP, "TCP");
    protocol_ports(out, ctx->plan, PACKET_UDP, "UDP");
    protocol_ports(out, ctx->plan, PACKET_SCTP, "SCTP");
    protocol_ports(out, ctx->plan, PACKET_IP_ANY, "PROTOCOLS");
    g_string_truncate(out, out->len - 1);
    g_string_append_c(out, '\n');
}

static void port_fields(GString *out, const report_context *ctx, const host_result *h)
{
    const probe_plan *plan = ctx->plan;
    port_summary sum;
    port_summary_init_open(&sum, plan, h, ctx->verbose, ctx->open_only);
    host_prefix(out, h);
    gboolean protocols = plan->ntypes && plan->types[0].type == &scan_proto;
    g_string_append(out, protocols ? "Protocols: " : "Ports: ");
    gboolean first = TRUE;
    for (guint i = 0; i < plan->nprobes; i++) {
        const port_result *r = &h->ports[i];
        if (sum.ignored[r->state] || !host_scans_probe(h, i))
            continue;
        uint8_t proto = plan->probes[i].type->ip_proto;
        uint16_t port = plan->probes[i].port;
        const char *service = report_service_name(ctx, proto, port);
        if (protocols) /* protocol/state/name/ */
            g_string_append_printf(out, "%s%u/%s/%s/", first ? "" : ", ", port,
                                   port_state_name(r->state), service ? service : "");
        else /* port/state/protocol/owner/service/rpc info/version/ */
            g_string_append_printf(out, "%s%u/%s/%s//%s///", first ? "" : ", ", port,
                                   port_state_name(r->state), report_proto_name(proto), service);
        first = FALSE;
    }
    guint states = 0, folded = 0, count = 0;
    for (guint s = 0; s < PORT_STATE_COUNT; s++)
        if (sum.ignored[s]) {
            guint n = 0;
            for (guint g = 0; g < sum.groups->len; g++)
                if (g_array_index(sum.groups, ignored_group, g).state == s)
                    n = g_array_index(sum.groups, ignored_group, g).state_count;
            if (n) {
                states++;
                folded = s;
                count = n;
            }
        }
    if (states == 1)
        g_string_append_printf(out, "\tIgnored State: %s (%u)", port_state_name(folded), count);
    g_string_append_c(out, '\n');
    port_summary_clear(&sum);
}

void report_grepable_host(GString *out, const report_context *ctx, const host_result *h)
{
    gboolean up = h->status.state == HOST_UP;
    if (!up && ctx->verbose == 0)
        return;
    /* --open leaves out what the normal output does (port_summary.h). */
    if (ctx->open_only && !port_summary_open_shows(ctx->plan, h))
        return;
    host_prefix(out, h);
    g_string_append_printf(out, "Status: %s\n", up ? "Up" : "Down");
    if (h->timed_out) {
        /* nmap's second line for a host past --host-timeout. */
        host_prefix(out, h);
        g_string_append(out, "Status: Timeout\n");
        return;
    }
    if (up && ctx->plan && h->ports)
        port_fields(out, ctx, h);
}

void report_grepable_done(GString *out, gint64 end, const char *summary, const char *stopped_by)
{
    /* The same words as the -oN file's last line. */
    report_normal_file_done(out, end, summary, stopped_by);
}
