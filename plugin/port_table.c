/* The port table in tshark (-z scantrace,ports: port_report's text) and in the
 * GUI (Statistics › Scantrace › Ports: a stat_tap_table, the same report as a
 * tree). Both are fed the probes the dissector taps, with their final verdicts. */
#include "port_table.h"

#include <stdio.h>
#include <string.h>

#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/utf8_entities.h>

#include "compat.h"
#include "port_report.h"

#define PORTS_ARG "scantrace,ports"
#define TABLE_ARG "scantrace,table"
#define HEADING                                                                                    \
    "Scantrace ports: each scan in the capture as nmap reports it (RTT: mean, in " UTF8_MICRO_SIGN \
    "s)"
#define ONE_PASS "(verdicts need the whole capture: run tshark with -2)"

/* Whatever the tap hands over: a probe whose verdict is final is added. Returns
 * false for tshark's single pass, where no verdict is final. */
static bool add_probe(port_report *report, const port_table_tap *tap, port_report_change *change)
{
    if (!tap->whole_capture_seen)
        return false;
    nstime_t rtt;
    bool answered = scan_state_probe_rtt(tap->frame, &rtt);
    *change = port_report_add(report, tap->frame, tap->final, answered ? &rtt : NULL);
    return true;
}

/* --- tshark: -z scantrace,ports[,filter] ------------------------------------ */

typedef struct cli_table {
    port_report *report;
    bool one_pass; /* probes came without final verdicts */
} cli_table;

static void cli_reset(void *data)
{
    cli_table *t = data;
    port_report_free(t->report);
    t->report = port_report_new();
    t->one_pass = false;
}

static tap_packet_status cli_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *tap_data, tap_flags_t flags _U_)
{
    cli_table *t = data;
    port_report_change change;
    if (!add_probe(t->report, tap_data, &change))
        t->one_pass = true;
    return TAP_PACKET_REDRAW;
}

static void cli_draw(void *data)
{
    cli_table *t = data;
    GString *out = g_string_new("\n" HEADING "\n");
    if (t->one_pass)
        g_string_append(out, ONE_PASS "\n");
    else
        port_report_print(t->report, out);
    fputs(out->str, stdout);
    g_string_free(out, TRUE);
}

static void cli_finish(void *data)
{
    cli_table *t = data;
    port_report_free(t->report);
    g_free(t);
}

static bool cli_start(const char *arg)
{
    const char *filter = NULL;
    if (strncmp(arg, PORTS_ARG ",", sizeof PORTS_ARG) == 0)
        filter = arg + sizeof PORTS_ARG;
    cli_table *t = g_new0(cli_table, 1);
    t->report = port_report_new();
    GString *err = register_tap_listener(PORT_TABLE_TAP, t, filter, TL_REQUIRES_NOTHING, cli_reset,
                                         cli_packet, cli_draw, cli_finish);
    if (err) {
        fprintf(stderr, "scantrace: %s\n", err->str);
        g_string_free(err, TRUE);
        port_report_free(t->report);
        g_free(t);
        return false;
    }
    return true;
}
SCANTRACE_TAP_INIT_CB(cli_init, cli_start)

/* --- GUI: a stat_tap_table ---------------------------------------------------
 * One table (a top-level line of the dialog) per host, scan type and state,
 * titled "10.201.0.2 tcp SYN Stealth Scan: open: 3 ports", its rows the ports
 * (a host discovery's title ends with its host line: "...: up: 1 ping type;
 * Host is up, received echo-reply ttl 64 (0.000020s latency).");
 * a folded state's table has no rows and nmap's "Not shown: ..." for a title.
 * The dialog sorts the tables by title (so "Not shown" comes first, then the
 * states by name) and the rows by the first column: the port, right-aligned
 * text, so that it sorts by number.
 *
 * A sweep of many hosts would make thousands of tables, and the dialog lays out
 * all its lines again for each table it adds (QTreeView, setFirstColumnSpanned):
 * minutes for a few thousand hosts. Past GUI_MAX_TABLES tables the dialog turns
 * to one table per scan and state, all hosts together ("tcp SYN Stealth Scan
 * by 10.63.255.1: closed: 9216 ports on 1024 hosts"), every port a row: the
 * tables so far are made again that way from the report.
 *
 * The dialog draws once, after its retap (every packet returns DONT_REDRAW, so
 * the periodic redraw skips us): only then does it copy the titles and make a
 * line for each row, which lets a state's rows go when it turns out to be folded.
 * The tables are Wireshark's (free_stat_tables frees them); the titles, and the
 * report behind them, are ours. */

enum { COL_PORT, COL_STATE, COL_REASON, COL_PROBES, COL_RTT, COL_HOST, N_COLS };

/* Beyond this many tables, one table per scan and state (a sweep). */
#define GUI_MAX_TABLES 64

static stat_tap_table_item gui_columns[N_COLS] = {
    [COL_PORT] = {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Port", "%s"},
    [COL_STATE] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "State", "%s"},
    [COL_REASON] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Reason", "%s"},
    [COL_PROBES] = {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Probes", "%u"},
    [COL_RTT] = {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "RTT (" UTF8_MICRO_SIGN "s)", "%s"},
    [COL_HOST] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Host", "%s"},
};

/* The tables of one group of the report, by state. */
typedef struct gui_group {
    stat_tap_table *table[PORT_STATE_COUNT];
    char *title[PORT_STATE_COUNT];
    GHashTable *hosts[PORT_STATE_COUNT]; /* a sweep's: the hosts of each state's rows */
} gui_group;

static port_report *gui_report;
/* The tables by the group's name ("10.201.0.2 tcp SYN Stealth Scan"), which
 * outlives a retap, and by the report's group, a shortcut valid until then. */
static GHashTable *gui_by_name;  /* char * -> gui_group */
static GHashTable *gui_by_group; /* port_report_group -> gui_group */
static bool gui_stale;           /* a retap began: the report starts over */
static bool gui_sweep;           /* one table per scan and state */
static unsigned gui_tables;      /* made since the dialog's tables were new */

static void gui_group_free(gpointer p)
{
    gui_group *g = p;
    for (unsigned s = 0; s < PORT_STATE_COUNT; s++) {
        g_free(g->title[s]);
        if (g->hosts[s])
            g_hash_table_destroy(g->hosts[s]);
    }
    g_free(g);
}

static void forget_hosts(gpointer name _U_, gpointer value, gpointer data _U_)
{
    gui_group *gg = value;
    for (unsigned s = 0; s < PORT_STATE_COUNT; s++)
        if (gg->hosts[s])
            g_hash_table_remove_all(gg->hosts[s]);
}

/* Starts a new report for the same tables. */
static void gui_restart(void)
{
    if (gui_by_name)
        g_hash_table_foreach(gui_by_name, forget_hosts, NULL);
    port_report_free(gui_report);
    gui_report = port_report_new();
    if (gui_by_group)
        g_hash_table_remove_all(gui_by_group);
    else
        gui_by_group = g_hash_table_new(g_direct_hash, g_direct_equal);
    gui_stale = false;
}

/* Forgets the tables (Wireshark frees them: free_stat_tables) and their titles. */
static void gui_forget(void)
{
    if (gui_by_name)
        g_hash_table_destroy(gui_by_name);
    gui_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, gui_group_free);
    gui_tables = 0;
}

static void free_cell(stat_tap_table_item_type *cell)
{
    if (cell->type == TABLE_ITEM_STRING)
        g_free((char *)cell->value.string_value);
    cell->type = TABLE_ITEM_NONE;
    cell->value.string_value = NULL;
}

static void drop_rows(stat_tap_table *table)
{
    for (unsigned r = 0; r < table->num_elements; r++) {
        for (unsigned c = 0; c < table->num_fields; c++)
            free_cell(&table->elements[r][c]);
        g_free(table->elements[r]);
    }
    g_free(table->elements);
    table->elements = NULL;
    table->num_elements = 0;
}

static void gui_free_item(stat_tap_table *table _U_, unsigned row _U_, unsigned column _U_,
                          stat_tap_table_item_type *cell)
{
    free_cell(cell);
}

/* A retap, table by table: every table starts empty, and the report over (on
 * the first packet). A table keeps its title until a port retitles it. */
static void gui_reset(stat_tap_table *table)
{
    drop_rows(table);
    gui_stale = true;
}

/* The dialog opens, or its filter changed: a new set of tables. */
static void gui_init(stat_tap_table_ui *ui)
{
    if (ui->tables && ui->tables->len)
        free_stat_tables(ui);
    /* The dialog's reset walks ui->tables unchecked, and there is no table
     * before the first probe: give it an empty array (stat_tap_add_table makes
     * the same one; nobody frees it). */
    if (!ui->tables)
        ui->tables = g_array_new(FALSE, TRUE, sizeof(stat_tap_table *));
    gui_forget();
    gui_sweep = false;
    gui_restart();
}

static gui_group *gui_group_of(const port_report_group *group)
{
    gui_group *gg = g_hash_table_lookup(gui_by_group, group);
    if (gg)
        return gg;
    char *name = gui_sweep ? port_report_scan_name(group) : port_report_group_name(group);
    gg = g_hash_table_lookup(gui_by_name, name);
    if (gg) {
        g_free(name);
    } else {
        gg = g_new0(gui_group, 1);
        g_hash_table_insert(gui_by_name, name, gg);
    }
    g_hash_table_insert(gui_by_group, (gpointer)group, gg);
    return gg;
}

static void set_string(stat_tap_table_item_type *cell, char *text)
{
    free_cell(cell);
    cell->type = TABLE_ITEM_STRING;
    cell->value.string_value = text;
}

static void retitle(gui_group *gg, const port_report_group *group, port_state s)
{
    char *name, *state;
    if (gui_sweep) {
        name = port_report_scan_name(group);
        unsigned ports = gg->table[s]->num_elements, hosts = g_hash_table_size(gg->hosts[s]);
        state = g_strdup_printf("%s: %u port%s on %u host%s", port_state_name(s), ports,
                                ports == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
    } else {
        name = port_report_group_name(group);
        state = port_report_state_title(group, s);
    }
    g_free(gg->title[s]);
    /* A host's discovery says whether the host is up, as tshark's text does
     * on the line after the heading: here after the state, so that the
     * dialog's sorting by title still sorts by host. */
    char *status = gui_sweep ? NULL : port_report_host_status(group);
    if (status)
        gg->title[s] = g_strdup_printf("%s: %s; %s", name, state, status);
    else
        gg->title[s] = g_strdup_printf("%s: %s", name, state);
    g_free(status);
    gg->table[s]->title = gg->title[s];
    g_free(name);
    g_free(state);
}

/* Adds the row's line to its table. */
static void add_line(stat_tap_table *table, port_report_row *row)
{
    stat_tap_table_item_type cells[N_COLS];
    memset(cells, 0, sizeof cells);
    cells[COL_PORT].type = TABLE_ITEM_STRING;
    cells[COL_PORT].value.string_value = port_report_row_port(row);
    cells[COL_STATE].type = TABLE_ITEM_STRING;
    cells[COL_STATE].value.string_value = g_strdup(port_state_name(row->final.state));
    cells[COL_REASON].type = TABLE_ITEM_STRING;
    cells[COL_REASON].value.string_value = g_strdup(reason_name(row->final.why));
    cells[COL_PROBES].type = TABLE_ITEM_UINT;
    cells[COL_RTT].type = TABLE_ITEM_STRING;
    cells[COL_RTT].value.string_value = g_strdup("");
    cells[COL_HOST].type = TABLE_ITEM_STRING;
    cells[COL_HOST].value.string_value = port_report_host_name(row->group);
    stat_tap_init_table_row(table, table->num_elements, N_COLS, cells);
    /* Rows are arrays of their own: the pointer stays valid as the table grows. */
    row->gui = table->elements[table->num_elements - 1];
}

static void show_row(stat_tap_table_ui *ui, port_report_row *row, const port_report_change *change);

static void show_again(port_report_row *row, void *ui)
{
    show_row(ui, row, NULL);
}

/* Too many tables for the dialog: the tables so far go, and every row of the
 * report comes back in a sweep's tables. */
static void turn_to_sweep(stat_tap_table_ui *ui)
{
    free_stat_tables(ui);
    gui_forget();
    g_hash_table_remove_all(gui_by_group);
    gui_sweep = true;
    port_report_foreach_row(gui_report, show_again, ui);
}

/* Shows the row (first seen, or one more probe of it) in its table, making the
 * table if it is the first of its group and state. A NULL change: the row is
 * new to the tables (a sweep's tables being made again). */
static void show_row(stat_tap_table_ui *ui, port_report_row *row, const port_report_change *change)
{
    bool new_row = change ? change->new_row : true;
    port_state s = row->final.state < PORT_STATE_COUNT ? row->final.state : PORT_STATE_UNKNOWN;
    gui_group *gg = gui_group_of(row->group);
    stat_tap_table *table = gg->table[s];
    if (!table) {
        if (!gui_sweep && gui_tables >= GUI_MAX_TABLES) {
            turn_to_sweep(ui);
            return;
        }
        table = gg->table[s] = stat_tap_init_table("", N_COLS, 0, NULL);
        stat_tap_add_table(ui, table);
        gui_tables++;
        if (gui_sweep)
            gg->hosts[s] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    }
    if (gui_sweep) {
        /* Every port a row: no host's state is folded here. */
        if (new_row) {
            add_line(table, row);
            char *host = port_report_host_name(row->group);
            if (g_hash_table_contains(gg->hosts[s], host))
                g_free(host);
            else
                g_hash_table_add(gg->hosts[s], host);
            retitle(gg, row->group, s);
        }
    } else {
        if (change->folded_now)
            drop_rows(table);
        if (new_row)
            retitle(gg, row->group, s);
        if (!change->shown)
            return;
        if (new_row)
            add_line(table, row);
    }
    stat_tap_table_item_type *cells = row->gui;
    cells[COL_PROBES].value.uint_value = row->probes;
    set_string(&cells[COL_RTT], port_report_row_rtt(row));
}

static tap_packet_status gui_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *tap_data, tap_flags_t flags _U_)
{
    stat_data_t *sd = data;
    stat_tap_table_ui *ui = sd->stat_tap_data;
    port_report_change change;
    if (!gui_by_name) {
        gui_forget();
        gui_restart();
    }
    if (gui_stale)
        gui_restart();
    if (!add_probe(gui_report, tap_data, &change))
        return TAP_PACKET_DONT_REDRAW;
    show_row(ui, change.row, &change);
    return TAP_PACKET_DONT_REDRAW;
}

void port_table_register(void)
{
    static stat_tap_ui ports_ui = {
        .group = REGISTER_STAT_GROUP_GENERIC,
        .title = "Scantrace ports",
        .cli_string = PORTS_ARG,
        .tap_init_cb = cli_init,
    };
    register_stat_tap_ui(&ports_ui, NULL);
}

void port_table_register_gui(void)
{
    static tap_param filter_param = {PARAM_FILTER, "filter", "Filter", NULL, TRUE};
    static stat_tap_table_ui table_ui = {
        .group = REGISTER_PACKET_STAT_GROUP_UNSORTED,
        .title = "Scantrace Ports",
        .tap_name = PORT_TABLE_TAP,
        .cli_string = TABLE_ARG,
        .stat_tap_init_cb = gui_init,
        .packet_func = gui_packet,
        .stat_tap_reset_table_cb = gui_reset,
        .stat_tap_free_table_item_cb = gui_free_item,
        .nfields = N_COLS,
        .fields = gui_columns,
        .nparams = 1,
        .params = &filter_param,
    };
    register_stat_tap_table_ui(&table_ui);
}
