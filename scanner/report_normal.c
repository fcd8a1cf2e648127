#include "report_normal.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "port_summary.h"

void report_normal_start(GString *out, const report_context *ctx)
{
    time_t t = (time_t)(ctx->start / G_USEC_PER_SEC);
    struct tm tm;
    char when[64];
    localtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M %Z", &tm);
    g_string_append_printf(out, "Starting scantrace %s at %s (", SCANTRACE_VERSION, when);
    report_append_scan_id(out, ctx);
    g_string_append(out, ")\n");
}

void report_normal_file_start(GString *out, const report_context *ctx)
{
    g_autofree char *when = report_ctime(ctx->start);
    g_string_append_printf(out, "# scantrace %s scan initiated %s (", SCANTRACE_VERSION, when);
    report_append_scan_id(out, ctx);
    g_string_append_printf(out, ") as: %s\n", ctx->args);
}

/* nmap prints latencies with two significant digits: 0.00012s, 0.0000090s, 1.3s. */
static void append_latency(GString *out, double seconds)
{
    int decimals = 1;
    if (seconds > 0)
        decimals = MAX(0, 1 - (int)floor(log10(seconds)));
    g_string_append_printf(out, "%.*f", decimals, seconds);
}

static void host_name(GString *out, const host_result *h)
{
    char ip[PACKET_ADDR_TEXT];
    packet_addr_format(&h->addr, ip);
    if (h->name)
        g_string_append_printf(out, "%s (%s)", h->name, ip);
    else
        g_string_append(out, ip);
}

static void not_shown(GString *out, const port_summary *sum)
{
    g_string_append(out, "Not shown: ");
    for (guint i = 0; i < sum->groups->len; i++) {
        const ignored_group *g = &g_array_index(sum->groups, ignored_group, i);
        /* nmap chooses "port" or "ports" by the whole state's count. */
        const char *what = g->proto == PACKET_IP_ANY ? "protocol" : "port";
        g_string_append_printf(out, "%s%u %s %s %s%s (%s)", i ? ", " : "", g->count,
                               port_state_name(g->state), report_folded_proto_name(g->proto), what,
                               g->state_count == 1 ? "" : "s", reason_name(g->why));
    }
    g_string_append_c(out, '\n');
}

/* The table, columns as wide as their widest cell plus one space; the last
 * column is not padded. */
static void port_table(GString *out, const report_context *ctx, const host_result *h,
                       const port_summary *sum)
{
    const probe_plan *plan = ctx->plan;
    guint ncols = ctx->reason ? 4 : 3;
    g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func(g_free);
    gboolean protocols = plan->ntypes && plan->types[0].type == &scan_proto;
    const char *head[4] = {protocols ? "PROTOCOL" : "PORT", "STATE", "SERVICE", "REASON"};
    for (guint c = 0; c < ncols; c++)
        g_ptr_array_add(cells, g_strdup(head[c]));
    for (guint i = 0; i < plan->nprobes; i++) {
        const port_result *r = &h->ports[i];
        if (sum->ignored[r->state] || !host_scans_probe(h, i))
            continue;
        uint8_t proto = plan->probes[i].type->ip_proto;
        uint16_t port = plan->probes[i].port;
        if (proto == PACKET_IP_ANY)
            g_ptr_array_add(cells, g_strdup_printf("%u", port));
        else
            g_ptr_array_add(cells, g_strdup_printf("%u/%s", port, report_proto_name(proto)));
        g_ptr_array_add(cells, g_strdup(port_state_name(r->state)));
        const char *service = report_service_name(ctx, proto, port);
        g_ptr_array_add(cells, g_strdup(service ? service : "unknown"));
        if (ctx->reason)
            g_ptr_array_add(cells, r->ttl
                                       ? g_strdup_printf("%s ttl %u", reason_name(r->why), r->ttl)
                                       : g_strdup(reason_name(r->why)));
    }
    gsize width[4] = {0};
    for (guint i = 0; i < cells->len; i++)
        width[i % ncols] = MAX(width[i % ncols], strlen(g_ptr_array_index(cells, i)));
    for (guint i = 0; i < cells->len; i++) {
        const char *cell = g_ptr_array_index(cells, i);
        guint col = i % ncols;
        if (col + 1 == ncols)
            g_string_append_printf(out, "%s\n", cell);
        else
            g_string_append_printf(out, "%-*s ", (int)width[col], cell);
    }
}

static void ports(GString *out, const report_context *ctx, const host_result *h)
{
    port_summary sum;
    port_summary_init_open(&sum, ctx->plan, h, ctx->verbose, ctx->open_only);
    if (sum.ignored_ports == sum.scanned) {
        g_string_append_printf(out, "All %u scanned ports on ", sum.scanned);
        host_name(out, h);
        g_string_append(out, " are in ignored states.\n");
        not_shown(out, &sum);
    } else {
        if (sum.groups->len)
            not_shown(out, &sum);
        else
            g_string_append_c(out, '\n');
        /* With --defeat-rst-ratelimit (which nmap's --open turns on) nmap says
         * so whenever a TCP scan found ports filtered (output.cc): a closed
         * port whose RST was rate-limited away reads filtered. */
        if (ctx->defeat_rst_ratelimit && sum.filtered_tcp_scan)
            g_string_append(out, "Some closed ports may be reported as filtered due to "
                                 "--defeat-rst-ratelimit\n");
        port_table(out, ctx, h, &sum);
    }
    port_summary_clear(&sum);
}

static void mac_line(GString *out, const report_context *ctx, const host_result *h)
{
    if (!h->has_mac)
        return;
    const char *vendor = ctx->vendors ? mac_vendor(ctx->vendors, h->mac) : NULL;
    g_string_append(out, "MAC Address: ");
    report_append_mac(out, h->mac);
    g_string_append_printf(out, " (%s)\n", vendor ? vendor : "Unknown");
}

/* -vv or -d: "Scanned at 2026-12-01 06:00:21 UTC for 1s", the port scan's
 * start and its length in whole seconds, as nmap prints it (output.cc:
 * o.verbose > 1 || o.debugging). */
static void scanned_at(GString *out, const host_result *h)
{
    time_t start = (time_t)(h->start / G_USEC_PER_SEC);
    struct tm tm;
    char when[64];
    localtime_r(&start, &tm);
    strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S %Z", &tm);
    g_string_append_printf(out, "Scanned at %s for %" G_GINT64_FORMAT "s\n", when,
                           h->end / G_USEC_PER_SEC - h->start / G_USEC_PER_SEC);
}

void report_normal_host(GString *out, const report_context *given, const host_result *h)
{
    /* nmap -vv gives the reasons as --reason does. */
    report_context vv = *given;
    vv.reason = given->reason || given->verbose >= 2;
    const report_context *ctx = &vv;
    if (ctx->open_only && !port_summary_open_shows(ctx->plan, h))
        return;

    if (h->status.state != HOST_UP) {
        /* nmap names hosts found down only when asked to be verbose. */
        if (ctx->verbose == 0)
            return;
        g_string_append(out, "Scan report for ");
        host_name(out, h);
        if (ctx->reason)
            g_string_append_printf(out, " [host down, received %s]\n", reason_name(h->status.why));
        else
            g_string_append(out, " [host down]\n");
        return;
    }
    g_string_append(out, "Scan report for ");
    host_name(out, h);
    g_string_append(out, "\nHost is up");
    if (ctx->reason) {
        g_string_append_printf(out, ", received %s", reason_name(h->status.why));
        if (h->status.ttl)
            g_string_append_printf(out, " ttl %u", h->status.ttl);
    }
    if (h->rtt.srtt >= 0) {
        g_string_append(out, " (");
        append_latency(out, (double)h->rtt.srtt / 1e6);
        g_string_append(out, "s latency)");
    }
    g_string_append(out, ".\n");
    if (h->timed_out) {
        /* nmap.cc's words for a host past --host-timeout, after its header:
         * none of its ports is shown. */
        g_string_append(out, "Skipping host ");
        host_name(out, h);
        g_string_append(out, " due to host timeout\n");
        return;
    }
    if ((ctx->verbose >= 2 || ctx->debug > 0) && ctx->plan && h->ports && h->start)
        scanned_at(out, h);
    if (ctx->plan && h->ports)
        ports(out, ctx, h);
    mac_line(out, ctx, h);
    /* -sn lists hosts without a blank line between them, as nmap does. */
    if (ctx->plan)
        g_string_append_c(out, '\n');
}

void report_normal_seems_down(GString *out)
{
    g_string_append(out, "Note: Host seems down. If it is really up, but blocking our ping probes, "
                         "try -Pn\n");
}

char *report_done_summary(guint hosts, guint up, double seconds)
{
    return g_strdup_printf("%u IP %s (%u %s up) scanned in %.2f seconds", hosts,
                           hosts == 1 ? "address" : "addresses", up, up == 1 ? "host" : "hosts",
                           seconds);
}

void report_normal_data_files(GString *out, const char *dir)
{
    if (dir)
        g_string_append_printf(out, "Read data files from: %s\n", dir);
}

void report_normal_done(GString *out, const char *summary, const char *stopped_by)
{
    if (stopped_by)
        g_string_append_printf(out, "scantrace interrupted by %s: %s\n", stopped_by, summary);
    else
        g_string_append_printf(out, "scantrace done: %s\n", summary);
}

void report_normal_file_done(GString *out, gint64 end, const char *summary, const char *stopped_by)
{
    g_autofree char *when = report_ctime(end);
    if (stopped_by)
        g_string_append_printf(out, "# scantrace interrupted by %s at %s -- %s\n", stopped_by, when,
                               summary);
    else
        g_string_append_printf(out, "# scantrace done at %s -- %s\n", when, summary);
}
