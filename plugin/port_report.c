#include "port_report.h"

#include <stdlib.h>
#include <string.h>

#include "decoy_groups.h"

/* A host's scan of one type (all its discovery probes make one group). */
/* A host's scan of one type by one scanner: nmap reports each scan of its own,
 * so two scans (two scan ids, or two sources of untagged probes) of the same
 * ports are two groups. */
typedef struct group_key {
    packet_addr target;
    const scan_type *type; /* NULL: host discovery */
    uint8_t proto;
    uint32_t scan_id;    /* tagged probes */
    packet_addr scanner; /* untagged probes: their source; all zero for ours */
} group_key;

struct port_report_group {
    group_key key;
    unsigned count[PORT_STATE_COUNT];
    /* Per state and reason: what a "Not shown" line says. */
    unsigned reasons[PORT_STATE_COUNT][REASON_COUNT];
    bool folded[PORT_STATE_COUNT];
    GPtrArray *rows; /* port_report_row, in the order seen */
    /* A port of the group whose probes had decoys (-D), or NULL. */
    const port_record *decoyed;
};

struct port_report {
    GHashTable *rows;   /* port_record -> port_report_row */
    GHashTable *groups; /* group_key -> port_report_group */
    GPtrArray *group_list;
};

static guint group_hash(gconstpointer p)
{
    const group_key *k = p;
    return (packet_addr_hash(&k->target) * 2654435761u) ^ GPOINTER_TO_UINT(k->type) ^ k->proto ^
           k->scan_id ^ (packet_addr_hash(&k->scanner) * 40503u);
}

static gboolean group_equal(gconstpointer a, gconstpointer b)
{
    const group_key *x = a, *y = b;
    return packet_addr_equal(&x->target, &y->target) && x->type == y->type &&
           x->proto == y->proto && x->scan_id == y->scan_id &&
           packet_addr_equal(&x->scanner, &y->scanner);
}

static void group_free(gpointer p)
{
    port_report_group *g = p;
    g_ptr_array_free(g->rows, TRUE);
    g_free(g);
}

port_report *port_report_new(void)
{
    port_report *r = g_new0(port_report, 1);
    r->rows = g_hash_table_new(g_direct_hash, g_direct_equal);
    r->groups = g_hash_table_new(group_hash, group_equal);
    r->group_list = g_ptr_array_new_with_free_func(group_free);
    return r;
}

void port_report_free(port_report *report)
{
    if (!report)
        return;
    g_hash_table_destroy(report->rows);
    g_hash_table_destroy(report->groups);
    g_ptr_array_free(report->group_list, TRUE);
    g_free(report);
}

static bool foldable(const port_report_group *g, port_state s)
{
    return g->key.type && s != PORT_OPEN && s != PORT_STATE_UNKNOWN;
}

static port_report_group *group_of(port_report *report, const port_record *port)
{
    group_key key = {port->target, scan_state_type(port)->discovery ? NULL : scan_state_type(port),
                     port->proto, port->scan_id, port->scanner};
    /* One host discovery per host and scanner, as nmap reports it: another
     * tool's ICMP pings encode no run and its TCP pings one, which would split it. */
    if (!key.type) {
        key.proto = 0;
        if (!packet_addr_is_zero(&key.scanner))
            key.scan_id = 0;
    }
    port_report_group *g = g_hash_table_lookup(report->groups, &key);
    if (!g) {
        g = g_new0(port_report_group, 1);
        g->key = key;
        g->rows = g_ptr_array_new_with_free_func(g_free);
        g_hash_table_insert(report->groups, &g->key, g);
        g_ptr_array_add(report->group_list, g);
    }
    return g;
}

/* The row of a host discovery group that has port's ping type and port, if any. */
static port_report_row *same_ping(const port_report_group *g, const port_record *port)
{
    if (g->key.type)
        return NULL;
    for (unsigned i = 0; i < g->rows->len; i++) {
        port_report_row *row = g_ptr_array_index(g->rows, i);
        if (scan_state_type(row->port) == scan_state_type(port) &&
            row->port->proto == port->proto && row->port->port == port->port)
            return row;
    }
    return NULL;
}

static unsigned state_index(verdict v)
{
    return v.state < PORT_STATE_COUNT ? (unsigned)v.state : PORT_STATE_UNKNOWN;
}

port_report_change port_report_add(port_report *report, const frame_result *res, verdict final,
                                   const nstime_t *rtt)
{
    port_report_change change = {0};
    const port_record *port = res->flow->port;
    port_report_row *row = g_hash_table_lookup(report->rows, port);
    if (!row) {
        /* A host's pings of one kind are one line, whichever run sent them
         * (nmap's discovery, then its timing pings during the port scan). */
        row = same_ping(group_of(report, port), port);
        if (row)
            g_hash_table_insert(report->rows, (gpointer)port, row);
    }
    if (!row) {
        port_report_group *g = group_of(report, port);
        row = g_new0(port_report_row, 1);
        row->port = port;
        row->group = g;
        row->final = final;
        unsigned s = state_index(final);
        g->count[s]++;
        g->reasons[s][final.why < REASON_COUNT ? final.why : REASON_NONE]++;
        if (!g->folded[s] && foldable(g, s) && g->count[s] > PORT_REPORT_MAX_SHOWN) {
            g->folded[s] = true;
            change.folded_now = true;
        }
        g_ptr_array_add(g->rows, row);
        g_hash_table_insert(report->rows, (gpointer)port, row);
        change.new_row = true;
    }
    row->probes++;
    if (!row->group->decoyed && decoy_groups_port_decoyed(port))
        row->group->decoyed = port;
    if (rtt) {
        row->rtt_count++;
        row->rtt_total_us += (double)rtt->secs * 1e6 + rtt->nsecs / 1e3;
    }
    change.row = row;
    change.shown = !row->group->folded[state_index(row->final)];
    return change;
}

bool port_report_folded(const port_report_group *group, port_state state)
{
    return state < PORT_STATE_COUNT && group->folded[state];
}

static void append_ip(GString *s, const packet_addr *a)
{
    char text[PACKET_ADDR_TEXT];
    g_string_append(s, packet_addr_format(a, text));
}

char *port_report_host_name(const port_report_group *group)
{
    GString *s = g_string_new(NULL);
    append_ip(s, &group->key.target);
    return g_string_free(s, FALSE);
}

char *port_report_scan_name(const port_report_group *group)
{
    GString *s = g_string_new(NULL);
    if (group->key.type)
        g_string_append_printf(s, "%s %s", scan_state_proto_name(group->key.proto),
                               group->key.type->title);
    if (group->key.type && group->key.type->base)
        g_string_append_printf(s, " (%s)", group->key.type->option);
    if (!group->key.type)
        g_string_append(s, "host discovery");
    /* Which scan, when there can be several: our scan id, or the source of
     * another tool's probes. */
    if (!packet_addr_is_zero(&group->key.scanner)) {
        g_string_append(s, " by ");
        append_ip(s, &group->key.scanner);
    } else if (group->key.scan_id) {
        g_string_append_printf(s, ", scan id 0x%08x", group->key.scan_id);
    }
    /* Probes sent with decoys (-D): the other sources, once per port scan. */
    if (group->key.type && group->decoyed) {
        bool theirs = !packet_addr_is_zero(&group->key.scanner);
        char *decoys =
            decoy_groups_describe(group->decoyed, theirs ? &group->key.scanner : NULL, NULL);
        if (decoys)
            g_string_append_printf(s, ", %s", decoys);
        g_free(decoys);
    }
    /* nmap's -sW probe is its -sA probe: say which reading the rows are. */
    if (group->key.type == &scan_ack && !packet_addr_is_zero(&group->key.scanner))
        g_string_append(s, " (or -sW, the same probe: rows read as -sA reads them, "
                           "-sW's reading in scantrace.window_verdict)");
    return g_string_free(s, FALSE);
}

char *port_report_group_name(const port_report_group *group)
{
    char *host = port_report_host_name(group), *scan = port_report_scan_name(group);
    char *name = g_strdup_printf("%s %s", host, scan);
    g_free(host);
    g_free(scan);
    return name;
}

void port_report_foreach_row(const port_report *report, port_report_row_func func, void *data)
{
    for (unsigned i = 0; i < report->group_list->len; i++) {
        const port_report_group *g = g_ptr_array_index(report->group_list, i);
        for (unsigned k = 0; k < g->rows->len; k++)
            func(g_ptr_array_index(g->rows, k), data);
    }
}

/* A reason of a folded state and how many of its ports gave it. */
typedef struct {
    unsigned reason;
    unsigned count;
} reason_count;

/* nmap lists a folded state's reasons most common first. */
static int by_count_desc(const void *a, const void *b)
{
    const reason_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return (int)x->reason - (int)y->reason;
}

char *port_report_state_title(const port_report_group *group, port_state state)
{
    unsigned s = state < PORT_STATE_COUNT ? (unsigned)state : PORT_STATE_UNKNOWN;
    unsigned n = group->count[s];
    const char *unit = group->key.type ? "port" : "ping type";
    if (!group->folded[s])
        return g_strdup_printf("%s: %u %s%s", port_state_name(state), n, unit, n == 1 ? "" : "s");
    /* "Not shown: 993 closed tcp ports (reset)", one clause per reason, as the
     * scanner's report (and nmap's) words it: "port" or "ports" by the whole
     * state's count. */
    reason_count order[REASON_COUNT];
    for (unsigned i = 0; i < REASON_COUNT; i++)
        order[i] = (reason_count){i, group->reasons[s][i]};
    qsort(order, REASON_COUNT, sizeof order[0], by_count_desc);
    GString *t = g_string_new("Not shown: ");
    for (unsigned i = 0; i < REASON_COUNT && order[i].count; i++)
        g_string_append_printf(t, "%s%u %s %s %s (%s)", i ? ", " : "", order[i].count,
                               port_state_name(state), scan_state_proto_name(group->key.proto),
                               n == 1 ? "port" : "ports", reason_name((reason)order[i].reason));
    return g_string_free(t, FALSE);
}

/* seconds with two significant digits, as nmap writes a latency
 * (num_to_string_sigdigits): 0.000023, 0.00010, 0.12, 1.5. */
static void append_latency(GString *s, double seconds)
{
    enum { DIGITS = 2 };
    int decimals = DIGITS - 1;
    double v = seconds;
    if (v <= 0) {
        g_string_append(s, "0.00");
        return;
    }
    /* A little below 1 (0.0001 * 10^4 in binary) counts as 1. */
    while (v < 1.0 - 1e-9) {
        v *= 10;
        decimals++;
    }
    while (v >= 10.0 && decimals > 0) {
        v /= 10;
        decimals--;
    }
    g_string_append_printf(s, "%.*f", decimals, seconds);
}

char *port_report_host_status(const port_report_group *group)
{
    if (group->rows->len == 0)
        return NULL;
    const port_report_row *first = g_ptr_array_index(group->rows, 0);
    /* nmap words a host it did not ping so, with the latency its port probes
     * gave (a smoothed time the capture does not show: left out). */
    if (group->key.type)
        return scan_state_host_user_set(first->port)
                   ? g_strdup_printf("Host is up, received %s.", reason_name(REASON_USER_SET))
                   : NULL;
    verdict host = scan_state_host_verdict(first->port, true);
    const port_record *up_by = scan_state_host_up_by(first->port);
    if (host.state != HOST_UP || !up_by)
        return g_strdup_printf("Host seems down, received %s.", reason_name(host.why));
    GString *s = g_string_new(NULL);
    g_string_append_printf(s, "Host is up, received %s", reason_name(host.why));
    if (up_by->judged_ttl)
        g_string_append_printf(s, " ttl %u", up_by->judged_ttl);
    nstime_t rtt;
    if (scan_state_mean_rtt(up_by, &rtt)) {
        g_string_append(s, " (");
        append_latency(s, (double)rtt.secs + rtt.nsecs / 1e9);
        g_string_append(s, "s latency)");
    }
    g_string_append_c(s, '.');
    return g_string_free(s, FALSE);
}

char *port_report_row_port(const port_report_row *row)
{
    const port_record *port = row->port;
    const char *proto = scan_state_proto_name(port->proto);
    if (!scan_state_type(port)->discovery)
        return g_strdup_printf("%5u/%s", port->port, proto);
    /* "syn ping 443/tcp", not "syn-ping ping 443/tcp". */
    const char *name = scan_state_type(port)->name;
    int len = (int)strlen(name);
    if (g_str_has_suffix(name, "-ping"))
        len -= (int)strlen("-ping");
    if (scan_state_proto_has_ports(port->proto))
        return g_strdup_printf("%.*s ping %u/%s", len, name, port->port, proto);
    return g_strdup_printf("%.*s ping", len, name);
}

char *port_report_row_rtt(const port_report_row *row)
{
    if (!row->rtt_count)
        return g_strdup("");
    return g_strdup_printf("%.0f", row->rtt_total_us / row->rtt_count);
}

/* IPv4 hosts before IPv6 ones, each in address order. */
static int addr_order(const packet_addr *x, const packet_addr *y)
{
    bool x4 = packet_addr_is_ipv4(x), y4 = packet_addr_is_ipv4(y);
    if (x4 != y4)
        return x4 ? -1 : 1;
    int c = packet_addr_compare(x, y);
    return (c > 0) - (c < 0);
}

/* Hosts in address order, then port scans by protocol and type, discovery first. */
static int group_order(const void *a, const void *b)
{
    const port_report_group *x = *(port_report_group *const *)a;
    const port_report_group *y = *(port_report_group *const *)b;
    int by_target = addr_order(&x->key.target, &y->key.target);
    if (by_target)
        return by_target;
    if (!x->key.type != !y->key.type)
        return x->key.type ? 1 : -1;
    if (x->key.proto != y->key.proto)
        return x->key.proto < y->key.proto ? -1 : 1;
    if (x->key.type != y->key.type && x->key.type && y->key.type)
        return strcmp(x->key.type->title, y->key.type->title);
    if (x->key.scan_id != y->key.scan_id)
        return x->key.scan_id < y->key.scan_id ? -1 : 1;
    return addr_order(&x->key.scanner, &y->key.scanner);
}

/* Ports ascending; discovery probes by their type's name. */
static int row_order(const void *a, const void *b)
{
    const port_report_row *x = *(port_report_row *const *)a;
    const port_report_row *y = *(port_report_row *const *)b;
    if (scan_state_type(x->port)->discovery && scan_state_type(y->port)->discovery) {
        int c = strcmp(scan_state_type(x->port)->name, scan_state_type(y->port)->name);
        if (c)
            return c;
    }
    if (x->port->port != y->port->port)
        return x->port->port < y->port->port ? -1 : 1;
    return x->port->scan_id < y->port->scan_id ? -1 : x->port->scan_id > y->port->scan_id;
}

/* States in the order the GUI sorts its tables: by name. */
static int state_order(const void *a, const void *b)
{
    return strcmp(port_state_name(*(const port_state *)a), port_state_name(*(const port_state *)b));
}

#define PORT_WIDTH 11 /* "65535/tcp", "arp ping"; longer ping names widen it */

/* text padded with spaces to width bytes, after it (printf's "%-*s") or, with
 * right, before it ("%*s"). */
static void append_padded(GString *out, const char *text, int width, bool right)
{
    size_t len = strlen(text);
    if (!right)
        g_string_append_len(out, text, (gssize)len);
    for (size_t n = len; width > 0 && n < (size_t)width; n++)
        g_string_append_c(out, ' ');
    if (right)
        g_string_append_len(out, text, (gssize)len);
}

/* One line of the table ("%-*s %-15s %-20s %6s %8s", written out by hand: a
 * sweep's table has a line per port of every host), without the padding of an
 * empty last column. */
static void append_row(GString *out, int width, const char *port, const char *state,
                       const char *why, const char *probes, const char *rtt)
{
    append_padded(out, port, width, false);
    g_string_append_c(out, ' ');
    append_padded(out, state, 15, false);
    g_string_append_c(out, ' ');
    append_padded(out, why, 20, false);
    g_string_append_c(out, ' ');
    append_padded(out, probes, 6, true);
    g_string_append_c(out, ' ');
    append_padded(out, rtt, 8, true);
    while (out->len && out->str[out->len - 1] == ' ')
        g_string_truncate(out, out->len - 1);
    g_string_append_c(out, '\n');
}

static void print_group(const port_report_group *g, GString *out)
{
    unsigned ports = 0;
    for (unsigned s = 0; s < PORT_STATE_COUNT; s++)
        ports += g->count[s];
    char *name = port_report_group_name(g);
    g_string_append_printf(out, "\n%s: %u %s%s\n", name, ports, g->key.type ? "port" : "ping type",
                           ports == 1 ? "" : "s");
    g_free(name);
    char *status = port_report_host_status(g);
    if (status)
        g_string_append_printf(out, "%s\n", status);
    g_free(status);

    port_state states[PORT_STATE_COUNT];
    unsigned nstates = 0;
    for (unsigned s = 0; s < PORT_STATE_COUNT; s++)
        if (g->count[s])
            states[nstates++] = (port_state)s;
    qsort(states, nstates, sizeof states[0], state_order);
    for (unsigned i = 0; i < nstates; i++) {
        if (!g->folded[states[i]])
            continue;
        char *title = port_report_state_title(g, states[i]);
        g_string_append_printf(out, "%s\n", title);
        g_free(title);
    }
    if (nstates == 0)
        return;

    /* Only the rows listed port by port are sorted and written out: a -p-
     * scan's 65,000 closed ports are one "Not shown" line, and their cells
     * would cost more than all the rest of the table. The sort is stable, so the
     * rows kept keep their order. A folded state's rows still count towards the
     * port column's width: they are this port scan's, "%5u/proto" with the
     * group's protocol. */
    GPtrArray *rows = g_ptr_array_sized_new(g->rows->len);
    int width = PORT_WIDTH;
    for (unsigned i = 0; i < g->rows->len; i++) {
        port_report_row *row = g_ptr_array_index(g->rows, i);
        if (!port_report_folded(g, row->final.state))
            g_ptr_array_add(rows, row);
        else
            width = MAX(width,
                        (int)strlen("65535/") + (int)strlen(scan_state_proto_name(g->key.proto)));
    }
    g_ptr_array_sort(rows, row_order);
    for (unsigned k = 0; k < rows->len; k++) {
        char *port = port_report_row_port(g_ptr_array_index(rows, k));
        width = MAX(width, (int)strlen(port));
        g_free(port);
    }
    bool header = false;
    for (unsigned i = 0; i < nstates; i++) {
        if (g->folded[states[i]])
            continue;
        if (!header) {
            append_row(out, width, g->key.type ? "PORT" : "PING", "STATE", "REASON", "PROBES",
                       "RTT(µs)");
            header = true;
        }
        char *title = port_report_state_title(g, states[i]);
        g_string_append_printf(out, "%s\n", title);
        g_free(title);
        for (unsigned k = 0; k < rows->len; k++) {
            const port_report_row *row = g_ptr_array_index(rows, k);
            if (row->final.state != states[i])
                continue;
            char *port = port_report_row_port(row), *rtt = port_report_row_rtt(row);
            char probes[16];
            g_snprintf(probes, sizeof probes, "%u", row->probes);
            append_row(out, width, port, port_state_name(row->final.state),
                       reason_name(row->final.why), probes, rtt);
            g_free(port);
            g_free(rtt);
        }
    }
    g_ptr_array_free(rows, TRUE);
}

void port_report_print(const port_report *report, GString *out)
{
    GPtrArray *groups = g_ptr_array_sized_new(report->group_list->len);
    for (unsigned i = 0; i < report->group_list->len; i++)
        g_ptr_array_add(groups, g_ptr_array_index(report->group_list, i));
    g_ptr_array_sort(groups, group_order);
    for (unsigned i = 0; i < groups->len; i++)
        print_group(g_ptr_array_index(groups, i), out);
    g_ptr_array_free(groups, TRUE);
}
