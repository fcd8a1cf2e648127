#include "port_table.h"

#include <stdio.h>

#include <epan/stat_tap_ui.h>
#include <epan/stats_tree.h>
#include <epan/stats_tree_priv.h>

#include <wsutil/utf8_entities.h>

#include "compat.h"

#define TREE_ABBR  "scantrace"
#define PORTS_ARG  "scantrace,ports"
#define TREE_NAME  "Scantrace" SCANTRACE_STATS_TREE_SUBMENU "Ports, RTT in " UTF8_MICRO_SIGN "s"
#define ONE_PASS   "(verdicts need the whole capture: run tshark with -2)"
#define NAME_CHARS 64
/* stats_tree appends a node by walking its siblings, so a node with n children
 * costs n²/2 steps, each a cache miss: the table of a scan of all 65536 ports
 * took seconds. Above PORT_RANGE_ABOVE ports, a host's scan lists them in
 * ranges of PORT_RANGE. */
#define PORT_RANGE_ABOVE 1024
#define PORT_RANGE       64

static void host_name(char *out, size_t cap, const port_record *port)
{
    uint32_t a = port->target;
    snprintf(out, cap, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

/* The host's branches: one per protocol and scan type ("tcp SYN Stealth Scan"),
 * and one for host discovery. */
static void group_name(char *out, size_t cap, const port_record *port)
{
    if (port->type->discovery)
        snprintf(out, cap, "host discovery");
    else
        snprintf(out, cap, "%s %s", scan_state_proto_name(port->proto), port->type->title);
}

/* nmap's columns: PORT STATE REASON. The port (and a range's first port) is
 * right-aligned so that sorting by name sorts ports by number. Host discovery
 * lines say what the host is. */
static void port_name(char *out, size_t cap, const port_record *port, verdict v)
{
    if (port->type->discovery)
        snprintf(out, cap, "host %s %s (%s ping)", port_state_name(v.state), reason_name(v.why),
                 port->type->name);
    else
        snprintf(out, cap, "%5u/%s %s %s", port->port, scan_state_proto_name(port->proto),
                 port_state_name(v.state), reason_name(v.why));
}

static int microseconds(const nstime_t *t)
{
    int64_t us = (int64_t)t->secs * 1000000 + t->nsecs / 1000;
    return us > G_MAXINT ? G_MAXINT : us < G_MININT ? G_MININT : (int)us;
}

/* One tick per probe, so Count is the probes sent to the port, each carrying the
 * round trip time of the reply to its try. stats_tree averages over Count, so a
 * probe nobody answered carries the port's mean round trip time instead: the
 * average stays the replies' mean, and min and max stay the replies' own. A port
 * nobody answered has no values at all. */
static tap_packet_status port_table_packet(stats_tree *st, packet_info *pinfo _U_,
                                           epan_dissect_t *edt _U_, const void *data,
                                           tap_flags_t flags _U_)
{
    const port_table_tap *tap = data;
    if (!tap->whole_capture_seen) {
        tick_stat_node(st, ONE_PASS, 0, TRUE);
        return TAP_PACKET_REDRAW;
    }
    const frame_result *res = tap->frame;
    const port_record *port = res->flow->port;
    char host[NAME_CHARS], group[NAME_CHARS], line[NAME_CHARS];
    host_name(host, sizeof host, port);
    group_name(group, sizeof group, port);
    port_name(line, sizeof line, port, tap->final);
    int host_id = tick_stat_node(st, host, 0, TRUE);
    int group_id = tick_stat_node(st, group, host_id, TRUE);
    if (scan_state_group_size(port) > PORT_RANGE_ABOVE && !port->type->discovery) {
        char range[NAME_CHARS];
        unsigned first = port->port / PORT_RANGE * PORT_RANGE;
        snprintf(range, sizeof range, "%5u-%u", first, first + PORT_RANGE - 1);
        group_id = tick_stat_node(st, range, group_id, TRUE);
    }
    nstime_t rtt;
    if (scan_state_probe_rtt(res, &rtt) || scan_state_mean_rtt(port, &rtt))
        avg_stat_node_add_value_int(st, line, group_id, FALSE, microseconds(&rtt));
    else
        tick_stat_node(st, line, group_id, FALSE);
    return TAP_PACKET_REDRAW;
}

/* The nodes are made as packets come, so a fresh tree needs nothing. Wireshark's
 * table dialog calls this on every retap without checking for NULL (tshark
 * checks), so a NULL init crashed the GUI when the table was opened. */
static void port_table_init(stats_tree *st _U_)
{
}

/* "-z scantrace,ports[,filter]": the same tree as "-z scantrace,tree", under the
 * name the documentation uses. tshark only knows stats trees as "ABBR,tree", so
 * this does what its own glue does: make the tree, tap it, print it at the end. */
static void ports_print(void *data)
{
    stats_tree *st = data;
    GString *text =
        stats_tree_format_as_str(st, ST_FORMAT_PLAIN, stats_tree_get_default_sort_col(st),
                                 stats_tree_is_default_sort_DESC(st));
    fputs(text->str, stdout);
    g_string_free(text, TRUE);
}

static bool ports_start(const char *arg)
{
    stats_tree_cfg *cfg = stats_tree_get_cfg_by_abbr(TREE_ABBR);
    if (!cfg)
        return false;
    const char *filter = NULL;
    if (strncmp(arg, PORTS_ARG ",", sizeof PORTS_ARG) == 0)
        filter = arg + sizeof PORTS_ARG;
    stats_tree *st = stats_tree_new(cfg, NULL, filter);
    GString *err = register_tap_listener(cfg->tapname, st, st->filter, cfg->flags, stats_tree_reset,
                                         stats_tree_packet, ports_print, NULL);
    if (err) {
        fprintf(stderr, "scantrace: %s\n", err->str);
        g_string_free(err, TRUE);
        stats_tree_free(st);
        return false;
    }
    if (cfg->init)
        cfg->init(st);
    return true;
}
SCANTRACE_TAP_INIT_CB(ports_cli_init, ports_start)

void port_table_register(void)
{
    /* Sorted by name, ascending: hosts, then ports in numeric order. */
    guint flags = ST_SORT_COL_NAME << ST_FLG_SRTCOL_SHIFT;
    stats_tree_register_plugin(PORT_TABLE_TAP, TREE_ABBR, TREE_NAME, flags, port_table_packet,
                               port_table_init, NULL);
    static stat_tap_ui ports_ui = {
        .group = REGISTER_STAT_GROUP_GENERIC,
        .title = "Scantrace ports",
        .cli_string = PORTS_ARG,
        .tap_init_cb = ports_cli_init,
    };
    register_stat_tap_ui(&ports_ui, NULL);
}
