#include "progress.h"

#include <math.h>
#include <time.h>

#include "interrupt.h"
#include "report.h"

enum { MAX_TASKS = 4 };

static struct {
    GMutex lock;
    FILE *screen, *xml;
    gint64 start;
    gint verbose, debugging, packet_trace; /* atomic */
    /* The phase: */
    const char *tasks[MAX_TASKS];
    guint ntasks;
    gboolean active, ping;
    gint64 phase_start;
    guint hosts, per_host;
    gint decided;     /* atomic */
    GHashTable *done; /* the phase's hosts done */
    /* The run: */
    guint completed, up;
    FILE *normal;         /* -oN, for the lines nmap writes there too (LOG_PLAIN) */
    GHashTable *cap_told; /* "ADDR/PROTO" of progress_cap_hit() said */
} pg;

static void put(const GString *s)
{
    if (pg.screen == NULL)
        return;
    fputs(s->str, pg.screen);
    fflush(pg.screen);
}

/* An XML line (nmap.dtd's task elements) into the -oX file. */
static void put_xml(const GString *s)
{
    if (pg.xml == NULL)
        return;
    fputs(s->str, pg.xml);
    fflush(pg.xml);
}

void progress_set_xml(FILE *xml)
{
    pg.xml = xml;
}

void progress_set_normal(FILE *normal)
{
    pg.normal = normal;
}

void progress_cap_hit(const packet_addr *addr, uint8_t ip_proto, guint tryno)
{
    char ip[PACKET_ADDR_TEXT];
    packet_addr_format(addr, ip);
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_printf(s, "Warning: %s giving up on port because retransmission cap hit (%u).\n", ip,
                    tryno);
    g_mutex_lock(&pg.lock);
    /* nmap says it once per host and scan (its HostScanStats'
     * retry_capped_warned): once per host and protocol here. */
    if (pg.cap_told == NULL)
        pg.cap_told = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (!g_hash_table_add(pg.cap_told, g_strdup_printf("%s/%u", ip, ip_proto))) {
        g_mutex_unlock(&pg.lock);
        return;
    }
    put(s);
    if (pg.normal && pg.normal != pg.screen) {
        fputs(s->str, pg.normal);
        fflush(pg.normal);
    }
    g_mutex_unlock(&pg.lock);
}

void progress_init(FILE *screen, int verbose, int debugging, gboolean packet_trace, gint64 start)
{
    pg.screen = screen;
    pg.start = start;
    g_atomic_int_set(&pg.verbose, verbose);
    g_atomic_int_set(&pg.debugging, debugging);
    g_atomic_int_set(&pg.packet_trace, packet_trace);
}

int progress_verbose(void)
{
    return g_atomic_int_get(&pg.verbose);
}

int progress_debugging(void)
{
    return g_atomic_int_get(&pg.debugging);
}

gboolean progress_packet_trace(void)
{
    return g_atomic_int_get(&pg.packet_trace);
}

void progress_trace_write(FILE *f, const char *line)
{
    g_mutex_lock(&pg.lock);
    if (progress_packet_trace())
        fputs(line, f);
    g_mutex_unlock(&pg.lock);
}

/* Raises or lowers one runtime level (never below 0) and says so in nmap's
 * words for the keys (nmap_tty.cc): "Verbosity Increased to 2.". */
static void change_level(gint *level, const char *what, int delta)
{
    g_mutex_lock(&pg.lock);
    int value = MAX(0, g_atomic_int_get(level) + delta);
    g_atomic_int_set(level, value);
    g_autoptr(GString) s = g_string_new(NULL);
    g_string_printf(s, "%s %s to %d.\n", what, delta > 0 ? "Increased" : "Decreased", value);
    put(s);
    g_mutex_unlock(&pg.lock);
}

void progress_change_verbose(int delta)
{
    change_level(&pg.verbose, "Verbosity", delta);
}

void progress_change_debugging(int delta)
{
    change_level(&pg.debugging, "Debugging", delta);
}

void progress_set_packet_trace(gboolean on)
{
    g_mutex_lock(&pg.lock);
    g_atomic_int_set(&pg.packet_trace, on);
    g_autoptr(GString) s =
        g_string_new(on ? "Packet Tracing enabled.\n" : "Packet Tracing disabled.\n");
    put(s);
    g_mutex_unlock(&pg.lock);
}

/* nmap's phase lines are shown from -v, and from -d on, which implies them. */
static gboolean phase_lines(void)
{
    return progress_verbose() > 0 || progress_debugging() > 0;
}

static void hh_mm(GString *out, gint64 wall)
{
    time_t t = (time_t)(wall / G_USEC_PER_SEC);
    struct tm tm;
    localtime_r(&t, &tm);
    g_string_append_printf(out, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

static void append_addr(GString *out, const host_result *h)
{
    if (h->name)
        g_string_append_printf(out, "%s (", h->name);
    char ip[PACKET_ADDR_TEXT];
    g_string_append(out, packet_addr_format(&h->addr, ip));
    if (h->name)
        g_string_append_c(out, ')');
}

void progress_phase_begin(const char *const *tasks, guint ntasks, host_result *const *hosts,
                          guint n, guint per_host, gboolean ping)
{
    g_mutex_lock(&pg.lock);
    pg.ntasks = MIN(ntasks, (guint)MAX_TASKS);
    for (guint i = 0; i < pg.ntasks; i++)
        pg.tasks[i] = tasks[i];
    pg.active = TRUE;
    pg.ping = ping;
    pg.phase_start = g_get_real_time();
    pg.hosts = n;
    pg.per_host = per_host;
    g_atomic_int_set(&pg.decided, 0);
    if (pg.done == NULL)
        pg.done = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_remove_all(pg.done);
    if (phase_lines()) {
        g_autoptr(GString) s = g_string_new(NULL);
        for (guint i = 0; i < pg.ntasks; i++) {
            g_string_append_printf(s, "Initiating %s at ", pg.tasks[i]);
            hh_mm(s, pg.phase_start);
            g_string_append_c(s, '\n');
        }
        g_string_append(s, "Scanning ");
        if (n == 1)
            append_addr(s, hosts[0]);
        else
            g_string_append_printf(s, "%u hosts", n);
        g_string_append_printf(s, " [%u port%s%s]\n", per_host, per_host == 1 ? "" : "s",
                               n == 1 ? "" : "/host");
        put(s);
        g_string_truncate(s, 0);
        for (guint i = 0; i < pg.ntasks; i++)
            g_string_append_printf(s, "<taskbegin task=\"%s\" time=\"%" G_GINT64_FORMAT "\"/>\n",
                                   pg.tasks[i], pg.phase_start / G_USEC_PER_SEC);
        put_xml(s);
    }
    g_mutex_unlock(&pg.lock);
}

void progress_phase_end(void)
{
    g_mutex_lock(&pg.lock);
    pg.active = FALSE;
    if (phase_lines() && !interrupt_signal()) {
        gint64 now = g_get_real_time();
        g_autoptr(GString) s = g_string_new(NULL);
        for (guint i = 0; i < pg.ntasks; i++) {
            g_string_append_printf(s, "Completed %s at ", pg.tasks[i]);
            hh_mm(s, now);
            g_string_append_printf(
                s, ", %.2fs elapsed (%u total %s)\n", (double)(now - pg.phase_start) / 1e6,
                pg.ping ? pg.hosts : pg.hosts * pg.per_host, pg.ping ? "hosts" : "ports");
        }
        put(s);
        g_string_truncate(s, 0);
        for (guint i = 0; i < pg.ntasks; i++)
            g_string_append_printf(
                s,
                "<taskend task=\"%s\" time=\"%" G_GINT64_FORMAT "\" extrainfo=\"%u total %s\"/>\n",
                pg.tasks[i], now / G_USEC_PER_SEC, pg.ping ? pg.hosts : pg.hosts * pg.per_host,
                pg.ping ? "hosts" : "ports");
        put_xml(s);
    }
    g_mutex_unlock(&pg.lock);
}

void progress_decided(void)
{
    g_atomic_int_inc(&pg.decided);
}

void progress_host_done(const host_result *h)
{
    g_mutex_lock(&pg.lock);
    if (pg.done && !g_hash_table_contains(pg.done, h)) {
        g_hash_table_add(pg.done, (gpointer)h);
        guint left = pg.hosts - MIN(pg.hosts, g_hash_table_size(pg.done));
        if (phase_lines() && pg.per_host > 50 && left > 0) {
            g_autoptr(GString) s = g_string_new(NULL);
            g_string_printf(s, "Completed %s against ", pg.tasks[0]);
            append_addr(s, h);
            g_string_append_printf(s, " in %.2fs (%u %s left)\n",
                                   (double)(g_get_real_time() - pg.phase_start) / 1e6, left,
                                   left == 1 ? "host" : "hosts");
            put(s);
        }
    }
    g_mutex_unlock(&pg.lock);
}

void progress_discovered(uint16_t port, uint8_t ip_proto, const packet_addr *addr)
{
    progress_discovered_state(port, ip_proto, addr, PORT_OPEN);
}

void progress_discovered_state(uint16_t port, uint8_t ip_proto, const packet_addr *addr,
                               uint8_t state)
{
    if (state == PORT_OPEN ? !phase_lines() : progress_debugging() < 2)
        return;
    g_mutex_lock(&pg.lock);
    g_autoptr(GString) s = g_string_new(NULL);
    char ip[PACKET_ADDR_TEXT];
    g_string_printf(s, "Discovered %s port %u/%s on %s\n", port_state_name(state), port,
                    report_proto_name(ip_proto), packet_addr_format(addr, ip));
    put(s);
    g_mutex_unlock(&pg.lock);
}

void progress_hosts_up(guint n)
{
    g_mutex_lock(&pg.lock);
    pg.up += n;
    g_mutex_unlock(&pg.lock);
}

void progress_host_completed(void)
{
    g_mutex_lock(&pg.lock);
    pg.completed++;
    g_mutex_unlock(&pg.lock);
}

void progress_print_text(const char *text)
{
    g_mutex_lock(&pg.lock);
    g_autoptr(GString) s = g_string_new(text);
    put(s);
    g_mutex_unlock(&pg.lock);
}

void progress_format_stats(GString *out, gint64 elapsed, guint completed, guint up,
                           guint undergoing, const char *task)
{
    gint64 s = elapsed / G_USEC_PER_SEC;
    g_string_append_printf(out,
                           "Stats: %" G_GINT64_FORMAT ":%02d:%02d elapsed; %u hosts completed (%u "
                           "up), %u undergoing %s\n",
                           s / 3600, (int)(s / 60 % 60), (int)(s % 60), completed, up, undergoing,
                           task);
}

void progress_format_timing(GString *out, const char *task, double fraction, gint64 phase_elapsed,
                            gint64 now)
{
    if (fraction < 0.01) {
        g_string_append_printf(out, "%s Timing: About %.2f%% done\n", task, fraction * 100);
        return;
    }
    /* nmap's estimate: the rest at the pace so far, rounded to the second. */
    double left = (double)phase_elapsed / 1e6 * (1 - fraction) / fraction + 0.5;
    g_string_append_printf(out, "%s Timing: About %.2f%% done; ETC: ", task, fraction * 100);
    hh_mm(out, now + (gint64)left * G_USEC_PER_SEC);
    g_string_append_printf(out, " (%.f:%02.f:%02.f remaining)\n", floor(left / 3600),
                           floor(fmod(left / 60, 60)), floor(fmod(left, 60)));
}

void progress_format_task_xml(GString *out, const char *task, double fraction, gint64 phase_elapsed,
                              gint64 now)
{
    g_string_append_printf(
        out, "<taskprogress task=\"%s\" time=\"%" G_GINT64_FORMAT "\" percent=\"%.2f\"", task,
        now / G_USEC_PER_SEC, fraction * 100);
    if (fraction >= 0.01) {
        double left = floor((double)phase_elapsed / 1e6 * (1 - fraction) / fraction + 0.5);
        g_string_append_printf(out, " remaining=\"%.f\" etc=\"%" G_GINT64_FORMAT "\"", left,
                               now / G_USEC_PER_SEC + (gint64)left);
    }
    g_string_append(out, "/>\n");
}

void progress_print_status(void)
{
    g_mutex_lock(&pg.lock);
    gint64 now = g_get_real_time();
    const char *task = pg.ntasks ? pg.tasks[0] : "Host Discovery";
    g_autoptr(GString) s = g_string_new(NULL);
    progress_format_stats(s, now - pg.start, pg.completed, pg.up, pg.active ? pg.hosts : 0, task);
    if (pg.active) {
        guint total = pg.ping ? pg.hosts : pg.hosts * pg.per_host;
        double fraction = total ? (double)g_atomic_int_get(&pg.decided) / total : 0;
        fraction = MIN(fraction, 1.0);
        progress_format_timing(s, task, fraction, now - pg.phase_start, now);
        put(s);
        g_string_truncate(s, 0);
        progress_format_task_xml(s, task, fraction, now - pg.phase_start, now);
        put_xml(s);
        g_mutex_unlock(&pg.lock);
        return;
    }
    put(s);
    g_mutex_unlock(&pg.lock);
}
