#include "ping_options.h"

#include <string.h>

#include "error.h"
#include "ports.h"

/* A port list's ports added to *list (made when NULL); bare: the default. */
static gboolean add_ports(GArray **list, const char *arg, const char *spec, uint16_t fallback,
                          GError **error)
{
    g_autoptr(GArray) ports = NULL;
    if (*spec == '\0') {
        ports = g_array_new(FALSE, FALSE, sizeof(guint16));
        guint16 p = fallback;
        g_array_append_val(ports, p);
    } else {
        GError *local = NULL;
        if (strchr(spec, ':') || (ports = ports_parse(spec, &local)) == NULL) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s: bad port list \"%s\" (%s; discovery probes take ports 0-65535 and "
                        "ranges, as in -PS22,80,1000-1010, no protocol prefix)",
                        arg, spec, local ? local->message : "a protocol prefix");
            g_clear_error(&local);
            return FALSE;
        }
    }
    if (*list == NULL)
        *list = g_array_new(FALSE, FALSE, sizeof(guint16));
    /* Merged, sorted, without duplicates: the plan wants them so. */
    g_autofree guint8 *seen = g_malloc0(65536);
    for (guint i = 0; i < (*list)->len; i++)
        seen[g_array_index(*list, guint16, i)] = TRUE;
    for (guint i = 0; i < ports->len; i++)
        seen[g_array_index(ports, guint16, i)] = TRUE;
    g_array_set_size(*list, 0);
    /* Port 0 only where it is named (-PS0, -PU0-5): nmap 7.93 sends to it. */
    for (guint p = 0; p < 65536; p++)
        if (seen[p]) {
            guint16 v = (guint16)p;
            g_array_append_val(*list, v);
        }
    return TRUE;
}

/* -PO's list: protocol numbers and ranges, 0-255, added to *list. */
static gboolean add_protocols(GArray **list, const char *arg, const char *spec, GError **error)
{
    g_autofree guint8 *seen = g_malloc0(256);
    g_auto(GStrv) items = g_strsplit(*spec ? spec : PING_PROTO_DEFAULT, ",", -1);
    for (char **item = items; *item; item++) {
        g_auto(GStrv) ends = g_strsplit(*item, "-", 3);
        guint64 lo = 0, hi = 0;
        guint n = g_strv_length(ends);
        gboolean ok = (n == 1 || n == 2) &&
                      g_ascii_string_to_unsigned(ends[0], 10, 0, 255, &lo, NULL) &&
                      g_ascii_string_to_unsigned(ends[n - 1], 10, 0, 255, &hi, NULL) && lo <= hi;
        if (!ok) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s: bad protocol list \"%s\" (IP protocol numbers 0-255 and ranges, as "
                        "in -PO1,2,4 or -PO1-6)",
                        arg, spec);
            return FALSE;
        }
        for (guint64 p = lo; p <= hi; p++)
            seen[p] = 1;
    }
    if (*list)
        for (guint i = 0; i < (*list)->len; i++)
            seen[g_array_index(*list, guint16, i)] = 1;
    else
        *list = g_array_new(FALSE, FALSE, sizeof(guint16));
    g_array_set_size(*list, 0);
    for (guint p = 0; p < 256; p++)
        if (seen[p]) {
            guint16 v = (guint16)p;
            g_array_append_val(*list, v);
        }
    return TRUE;
}

static gboolean flag(gboolean *set, const char *arg, GError **error)
{
    if (arg[3] != '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "%.3s takes no argument: \"%s\"", arg, arg);
        return FALSE;
    }
    *set = TRUE;
    return TRUE;
}

gboolean ping_options_add(ping_options *p, const char *arg, GError **error)
{
    if (strlen(arg) < 3 || strncmp(arg, "-P", 2) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "%s is not a host discovery option", arg);
        return FALSE;
    }
    const char *rest = arg + 3;
    gboolean ok;
    switch (arg[2]) {
    case 'S':
        ok = add_ports(&p->syn, arg, rest, PING_TCP_DEFAULT_PORT, error);
        break;
    case 'A':
        ok = add_ports(&p->ack, arg, rest, PING_TCP_DEFAULT_PORT, error);
        break;
    case 'U':
        ok = add_ports(&p->udp, arg, rest, PING_UDP_DEFAULT_PORT, error);
        break;
    case 'E':
        ok = flag(&p->echo, arg, error);
        break;
    case 'P':
        ok = flag(&p->timestamp, arg, error);
        break;
    case 'M':
        ok = flag(&p->mask, arg, error);
        break;
    case 'R':
        ok = flag(&p->arp, arg, error);
        break;
    case 'O':
        ok = add_protocols(&p->proto, arg, rest, error);
        break;
    case 'Y':
        ok = add_ports(&p->sctp, arg, rest, PING_SCTP_DEFAULT_PORT, error);
        break;
    default:
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "%s is not a host discovery option (-Pn, -PS, -PA, -PU, -PY, -PE, -PP, -PM, "
                    "-PO, -PR)",
                    arg);
        return FALSE;
    }
    p->given = p->given || ok;
    return ok;
}

gboolean ping_options_check(const ping_options *p, gboolean ipv6, GError **error)
{
    if (ipv6 && (p->timestamp || p->mask)) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "ICMP Timestamp and Address Mask pings are only valid for IPv4.");
        return FALSE;
    }
    return TRUE;
}

void ping_options_clear(ping_options *p)
{
    if (p->syn)
        g_array_unref(p->syn);
    if (p->ack)
        g_array_unref(p->ack);
    if (p->udp)
        g_array_unref(p->udp);
    if (p->sctp)
        g_array_unref(p->sctp);
    if (p->proto)
        g_array_unref(p->proto);
    memset(p, 0, sizeof *p);
}
