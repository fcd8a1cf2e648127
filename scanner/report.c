#include "report.h"

#include <time.h>

#include "ip_protocols.h"

const char *report_proto_name(uint8_t ip_proto)
{
    return ip_proto == PACKET_IP_ANY ? "ip"
           : ip_proto == PACKET_UDP  ? "udp"
           : ip_proto == PACKET_SCTP ? "sctp"
                                     : "tcp";
}

const char *report_folded_proto_name(uint8_t ip_proto)
{
    return ip_proto == PACKET_IP_ANY ? "n/a" : report_proto_name(ip_proto);
}

const char *report_service_name(const report_context *ctx, uint8_t ip_proto, uint16_t port)
{
    if (ip_proto == PACKET_IP_ANY)
        return ip_protocol_name((uint8_t)port);
    return services_name(ctx->svc, ip_proto, port);
}

void report_append_mac(GString *out, const uint8_t mac[6])
{
    g_string_append_printf(out, "%02X:%02X:%02X:%02X:%02X:%02X", mac[0], mac[1], mac[2], mac[3],
                           mac[4], mac[5]);
}

char *report_ctime(gint64 wall_us)
{
    time_t t = (time_t)(wall_us / G_USEC_PER_SEC);
    struct tm tm;
    char buf[64];
    localtime_r(&t, &tm);
    strftime(buf, sizeof buf, "%a %b %e %H:%M:%S %Y", &tm);
    return g_strdup(buf);
}

void report_append_scan_id(GString *out, const report_context *ctx)
{
    if (ctx->nscan_ids == 0) {
        g_string_append_printf(out, "scan id 0x%08x", ctx->scan_id);
        return;
    }
    g_string_append(out, ctx->nscan_ids > 1 ? "scan ids " : "scan id ");
    for (guint i = 0; i < ctx->nscan_ids; i++)
        g_string_append_printf(out, "%s0x%08x", i ? ", " : "", ctx->scan_ids[i]);
}
