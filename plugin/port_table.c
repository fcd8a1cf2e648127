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
 * Host is up, received echo-reply ttl 64 (0.000020s latency).", and a port
 * scan's of a host nmap did not ping "...; Host is up, received user-set.");
 * a folded state's table has no rows and nmap's "Not shown: ..." for a title.
 * The dialog sorts the tables by title (so "Not shown" comes first, then the
 * states by name) and the rows by the first column: the port, right-aligned
 * text, so that it sorts by number.
 *
 * A sweep of many hosts would make thousands of tables, and the dialog lays out
 * all its lines again for each table it adds (QTreeView, setFirstColumnSpanned):
 * minutes for a few thousand hosts. Past GUI_MAX_TABLES tables the dialog gets
 * one table per scan and state, all hosts together ("tcp SYN Stealth Scan by
 * 10.63.255.1: closed: 9216 ports on 1024 hosts"), every port a row.
 *
 * The tables are made once, when the capture's last frame has been tapped, from
 * the whole report: Wireshark's dialog (SimpleStatisticsDialog) may draw in the
 * middle of its retap (a reset marks every listener for the next periodic
 * redraw, and the retap's progress bar lets that timer run), and a draw copies
 * each table's title once and makes a line for each row past the ones it made
 * before, keeping pointers to the rows: a table freed, a row dropped or a table
 * retitled after a draw showed stale lines and lost rows (a sweep's first hosts,
 * whose per-host tables were drawn before the sweep's tables took their places).
 * Until the end there is no table to draw. The end is a tap of its own
 * (port_table_capture_end), heard by a listener without a filter, after the
 * last frame's probe, which the dialog's filter may drop.
 * The tables are Wireshark's (free_stat_tables frees them); the titles, and the
 * report behind them, are ours. */

enum { COL_PORT, COL_STATE, COL_REASON, COL_PROBES, COL_RTT, COL_HOST, N_COLS };

/* Beyond this many tables, one table per scan and state (a sweep). */
#define GUI_MAX_TABLES 64

#define END_TAP "scantrace_end"

static stat_tap_table_item gui_columns[N_COLS] = {
    [COL_PORT] = {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "Port", "%s"},
    [COL_STATE] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "State", "%s"},
    [COL_REASON] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Reason", "%s"},
    [COL_PROBES] = {TABLE_ITEM_UINT, TAP_ALIGN_RIGHT, "Probes", "%u"},
    [COL_RTT] = {TABLE_ITEM_STRING, TAP_ALIGN_RIGHT, "RTT (" UTF8_MICRO_SIGN "s)", "%s"},
    [COL_HOST] = {TABLE_ITEM_STRING, TAP_ALIGN_LEFT, "Host", "%s"},
};

static int end_tap = -1;
static bool end_heard; /* the end listener is registered */

static stat_tap_table_ui *gui_ui;
static port_report *gui_report;
static GPtrArray *gui_titles; /* char *, the title of the table of the same index */
static bool gui_stale;        /* a retap began: the report starts over */
static bool gui_pending;      /* probes since the report started, no tables yet */
static bool gui_hinted;       /* the one-pass hint table is made */

/* One table to be made: a group's state, or (a sweep) a scan's state. */
typedef struct gui_spec {
    const port_report_group *group; /* the first group of its rows: the title's */
    port_state state;
    GPtrArray *rows;   /* port_report_row, in the order seen */
    GHashTable *hosts; /* a sweep's: the host names of its rows */
} gui_spec;

static void gui_spec_free(gpointer p)
{
    gui_spec *spec = p;
    g_ptr_array_free(spec->rows, TRUE);
    if (spec->hosts)
        g_hash_table_destroy(spec->hosts);
    g_free(spec);
}

/* Starts a new report. */
static void gui_restart(void)
{
    port_report_free(gui_report);
    gui_report = port_report_new();
    gui_stale = false;
    gui_pending = true;
    gui_hinted = false;
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
 * the first packet). The tables stay, and are filled again at the end: the
 * dialog may have drawn them already. */
static void gui_reset(stat_tap_table *table)
{
    drop_rows(table);
    gui_stale = true;
}

/* The end of a tapped pass: the report is whole, the tables are made. */
static void gui_publish(void);

static tap_packet_status gui_end_packet(void *data _U_, packet_info *pinfo _U_,
                                        epan_dissect_t *edt _U_, const void *tap_data _U_,
                                        tap_flags_t flags _U_)
{
    gui_publish();
    return TAP_PACKET_DONT_REDRAW;
}

/* The dialog opens, or its filter changed: a new set of tables. */
static void gui_init(stat_tap_table_ui *ui)
{
    gui_ui = ui;
    if (ui->tables && ui->tables->len)
        free_stat_tables(ui);
    /* The dialog's reset walks ui->tables unchecked, and there is no table
     * before the end: give it an empty array (stat_tap_add_table makes the
     * same one; nobody frees it). */
    if (!ui->tables)
        ui->tables = g_array_new(FALSE, TRUE, sizeof(stat_tap_table *));
    if (gui_titles)
        g_ptr_array_free(gui_titles, TRUE);
    gui_titles = g_ptr_array_new_with_free_func(g_free);
    if (!end_heard) {
        /* For the rest of the process: a listener costs nothing until the
         * end's tap is queued, which takes a listener. */
        GString *err = register_tap_listener(END_TAP, &end_heard, NULL, TL_REQUIRES_NOTHING, NULL,
                                             gui_end_packet, NULL, NULL);
        if (err)
            g_string_free(err, TRUE);
        else
            end_heard = true;
    }
    gui_restart();
}

static stat_tap_table *table_at(unsigned i);
static void set_title(unsigned i, stat_tap_table *table, char *title);

static tap_packet_status gui_packet(void *data, packet_info *pinfo _U_, epan_dissect_t *edt _U_,
                                    const void *tap_data, tap_flags_t flags _U_)
{
    stat_data_t *sd = data;
    gui_ui = sd->stat_tap_data;
    port_report_change change;
    if (!gui_report || gui_stale)
        gui_restart();
    /* tshark's single pass (-z scantrace,table without -2) has no final
     * verdict and no end: one table, untouched by the end's, says what to
     * do, as -z scantrace,ports says it. */
    if (!add_probe(gui_report, tap_data, &change) && !gui_hinted && gui_ui->tables->len == 0) {
        gui_hinted = true;
        set_title(0, table_at(0), g_strdup(ONE_PASS));
    }
    return TAP_PACKET_DONT_REDRAW;
}

/* --- Making the tables from the whole report --- */

typedef struct gui_layout {
    bool sweep;
    GPtrArray *specs;     /* gui_spec, in the order first seen */
    GHashTable *by_group; /* port_report_group -> gui_spec *[PORT_STATE_COUNT] */
    GHashTable *by_scan;  /* a sweep's: scan name -> gui_spec *[PORT_STATE_COUNT] */
    unsigned per_host;    /* tables one per group and state would take */
} gui_layout;

static port_state row_state(const port_report_row *row)
{
    return row->final.state < PORT_STATE_COUNT ? row->final.state : PORT_STATE_UNKNOWN;
}

/* Counts the tables one per group and state would take. */
static void count_table(port_report_row *row, void *data)
{
    gui_layout *l = data;
    unsigned *states = g_hash_table_lookup(l->by_group, row->group);
    if (!states) {
        states = g_new0(unsigned, 1);
        g_hash_table_insert(l->by_group, row->group, states);
    }
    unsigned bit = 1u << row_state(row);
    if (!(*states & bit)) {
        *states |= bit;
        l->per_host++;
    }
}

/* Puts the row in its table's spec, making the spec if it is the first. */
static void place_row(port_report_row *row, void *data)
{
    gui_layout *l = data;
    gui_spec **slot = g_hash_table_lookup(l->by_group, row->group);
    if (!slot) {
        if (l->sweep) {
            char *scan = port_report_scan_name(row->group);
            slot = g_hash_table_lookup(l->by_scan, scan);
            if (slot) {
                g_free(scan);
            } else {
                slot = g_new0(gui_spec *, PORT_STATE_COUNT);
                g_hash_table_insert(l->by_scan, scan, slot);
            }
        } else {
            slot = g_new0(gui_spec *, PORT_STATE_COUNT);
        }
        g_hash_table_insert(l->by_group, row->group, slot);
    }
    port_state s = row_state(row);
    gui_spec *spec = slot[s];
    if (!spec) {
        spec = slot[s] = g_new0(gui_spec, 1);
        spec->group = row->group;
        spec->state = s;
        spec->rows = g_ptr_array_new();
        if (l->sweep)
            spec->hosts = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
        g_ptr_array_add(l->specs, spec);
    }
    g_ptr_array_add(spec->rows, row);
    if (spec->hosts) {
        char *host = port_report_host_name(row->group);
        if (g_hash_table_contains(spec->hosts, host))
            g_free(host);
        else
            g_hash_table_add(spec->hosts, host);
    }
}

static char *spec_title(const gui_spec *spec, bool sweep)
{
    char *name, *state, *title;
    if (sweep) {
        name = port_report_scan_name(spec->group);
        unsigned ports = spec->rows->len, hosts = g_hash_table_size(spec->hosts);
        state = g_strdup_printf("%s: %u port%s on %u host%s", port_state_name(spec->state), ports,
                                ports == 1 ? "" : "s", hosts, hosts == 1 ? "" : "s");
    } else {
        name = port_report_group_name(spec->group);
        state = port_report_state_title(spec->group, spec->state);
    }
    /* A host's discovery says whether the host is up, as tshark's text does
     * on the line after the heading: here after the state, so that the
     * dialog's sorting by title still sorts by host. */
    char *status = sweep ? NULL : port_report_host_status(spec->group);
    if (status)
        title = g_strdup_printf("%s: %s; %s", name, state, status);
    else
        title = g_strdup_printf("%s: %s", name, state);
    g_free(status);
    g_free(name);
    g_free(state);
    return title;
}

/* Adds the row's line to its table. */
static void add_line(stat_tap_table *table, const port_report_row *row)
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
    cells[COL_PROBES].value.uint_value = row->probes;
    cells[COL_RTT].type = TABLE_ITEM_STRING;
    cells[COL_RTT].value.string_value = port_report_row_rtt(row);
    cells[COL_HOST].type = TABLE_ITEM_STRING;
    cells[COL_HOST].value.string_value = port_report_host_name(row->group);
    stat_tap_init_table_row(table, table->num_elements, N_COLS, cells);
}

/* The table of index i: one the dialog has already (after a reset without a
 * new dialog: emptied, kept where a draw may have put it), or a new one. */
static stat_tap_table *table_at(unsigned i)
{
    if (i < gui_ui->tables->len)
        return g_array_index(gui_ui->tables, stat_tap_table *, i);
    stat_tap_table *table = stat_tap_init_table("", N_COLS, 0, NULL);
    stat_tap_add_table(gui_ui, table);
    return table;
}

static void set_title(unsigned i, stat_tap_table *table, char *title)
{
    while (gui_titles->len <= i)
        g_ptr_array_add(gui_titles, NULL);
    g_free(g_ptr_array_index(gui_titles, i));
    g_ptr_array_index(gui_titles, i) = title;
    table->title = title;
}

static void gui_publish(void)
{
    /* A retap whose probes the dialog's filter all dropped: no report yet. */
    if (gui_stale)
        gui_restart();
    if (!gui_ui || !gui_report || !gui_pending)
        return;
    gui_pending = false;
    gui_layout l = {
        .specs = g_ptr_array_new_with_free_func(gui_spec_free),
        .by_group = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free),
    };
    port_report_foreach_row(gui_report, count_table, &l);
    g_hash_table_remove_all(l.by_group);
    l.sweep = l.per_host > GUI_MAX_TABLES;
    if (l.sweep) {
        /* The scan's slots are shared by its groups: only by_scan frees them. */
        g_hash_table_destroy(l.by_group);
        l.by_group = g_hash_table_new(g_direct_hash, g_direct_equal);
        l.by_scan = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    }
    port_report_foreach_row(gui_report, place_row, &l);

    for (unsigned i = 0; i < l.specs->len; i++) {
        const gui_spec *spec = g_ptr_array_index(l.specs, i);
        stat_tap_table *table = table_at(i);
        set_title(i, table, spec_title(spec, l.sweep));
        /* A folded state's ports are one line, the title (a sweep has none). */
        if (!l.sweep && port_report_folded(spec->group, spec->state))
            continue;
        for (unsigned k = 0; k < spec->rows->len; k++)
            add_line(table, g_ptr_array_index(spec->rows, k));
    }
    /* Tables of an earlier pass that this one has no use for: empty, untitled. */
    for (unsigned i = l.specs->len; i < gui_ui->tables->len; i++)
        set_title(i, g_array_index(gui_ui->tables, stat_tap_table *, i), g_strdup(""));

    g_ptr_array_free(l.specs, TRUE);
    g_hash_table_destroy(l.by_group);
    if (l.by_scan)
        g_hash_table_destroy(l.by_scan);
}

void port_table_capture_end(packet_info *pinfo)
{
    /* Queued only where a listener hears it: the GUI's table has started. */
    if (end_tap >= 0 && have_tap_listener(end_tap))
        tap_queue_packet(end_tap, pinfo, NULL);
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
    end_tap = register_tap(END_TAP);
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
