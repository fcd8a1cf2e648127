#include "timing.h"

#include <string.h>

#include "error.h"

#define MS 1000

static const char *const level_names[] = {"paranoid", "sneaky",     "polite",
                                          "normal",   "aggressive", "insane"};

void timing_given_init(timing_given *g)
{
    g->level = TIMING_UNSET;
    g->initial_rtt = g->min_rtt = g->max_rtt = TIMING_UNSET;
    g->max_retries = TIMING_UNSET;
    g->scan_delay = g->max_scan_delay_tcp = g->max_scan_delay_udp = TIMING_UNSET;
    g->host_timeout = TIMING_UNSET;
    g->min_parallelism = g->max_parallelism = TIMING_UNSET;
    g->min_hostgroup = g->max_hostgroup = TIMING_UNSET;
}

/* nmap's NmapOps setters keep min <= initial <= max by moving the other end. */
static void set_initial_rtt(timing *t, gint64 v)
{
    t->initial_rtt = v;
    t->max_rtt = MAX(t->max_rtt, v);
    t->min_rtt = MIN(t->min_rtt, v);
}

static void set_min_rtt(timing *t, gint64 v)
{
    t->min_rtt = v;
    t->max_rtt = MAX(t->max_rtt, v);
}

static void set_max_rtt(timing *t, gint64 v)
{
    t->max_rtt = v;
    t->min_rtt = MIN(t->min_rtt, v);
}

void timing_template(int level, timing *t)
{
    /* NmapOps.cc's defaults, which are -T3's. */
    *t = (timing){.level = 3,
                  .initial_rtt = 1000 * MS,
                  .min_rtt = 100 * MS,
                  .max_rtt = 10000 * MS,
                  .max_retries = 10,
                  .max_scan_delay_tcp = 1000 * MS,
                  .max_scan_delay_udp = 1000 * MS,
                  .min_hostgroup = 1,
                  .max_hostgroup = 100000};
    if (level < 0 || level == 3)
        return;
    t->level = level;
    switch (level) {
    case 0:
    case 1:
        t->max_parallelism = 1;
        t->scan_delay = (level == 0 ? 300000 : 15000) * (gint64)MS;
        set_initial_rtt(t, t->scan_delay);
        break;
    case 2:
        t->max_parallelism = 1;
        t->scan_delay = 400 * MS;
        break;
    case 4:
        set_min_rtt(t, 100 * MS);
        set_max_rtt(t, 1250 * MS);
        set_initial_rtt(t, 500 * MS);
        t->max_scan_delay_tcp = 10 * MS; /* nmap leaves UDP's: ICMP rate limits */
        t->max_retries = 6;
        break;
    default:
        set_min_rtt(t, 50 * MS);
        set_max_rtt(t, 300 * MS);
        set_initial_rtt(t, 250 * MS);
        t->host_timeout = 900000 * (gint64)MS;
        t->max_scan_delay_tcp = 5 * MS;
        t->max_retries = 2;
        break;
    }
}

int timing_level_parse(const char *text, GError **error)
{
    if (text[0] >= '0' && text[0] <= '5' && text[1] == '\0')
        return text[0] - '0';
    for (int i = 0; i < (int)G_N_ELEMENTS(level_names); i++)
        if (g_ascii_strcasecmp(text, level_names[i]) == 0)
            return i;
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                "Unknown timing mode (-T argument).  Use either \"Paranoid\", \"Sneaky\", "
                "\"Polite\", \"Normal\", \"Aggressive\", \"Insane\" or a number from 0 (Paranoid) "
                "to 5 (Insane)");
    return -1;
}

void timing_resolve(int level, const timing_given *g, timing *t)
{
    timing_template(level, t);
    if (g->max_parallelism != TIMING_UNSET)
        t->max_parallelism = g->max_parallelism;
    if (g->min_parallelism != TIMING_UNSET)
        t->min_parallelism = g->min_parallelism;
    if (g->scan_delay != TIMING_UNSET) {
        t->scan_delay = g->scan_delay;
        t->max_scan_delay_tcp = MAX(t->max_scan_delay_tcp, t->scan_delay);
        t->max_scan_delay_udp = MAX(t->max_scan_delay_udp, t->scan_delay);
    }
    if (g->max_scan_delay_tcp != TIMING_UNSET)
        t->max_scan_delay_tcp = t->max_scan_delay_udp = g->max_scan_delay_tcp;
    if (g->initial_rtt != TIMING_UNSET)
        set_initial_rtt(t, g->initial_rtt);
    if (g->min_rtt != TIMING_UNSET)
        set_min_rtt(t, g->min_rtt);
    if (g->max_rtt != TIMING_UNSET)
        set_max_rtt(t, g->max_rtt);
    if (g->max_retries != TIMING_UNSET)
        t->max_retries = g->max_retries;
    if (g->host_timeout != TIMING_UNSET)
        t->host_timeout = g->host_timeout;
    if (g->min_hostgroup != TIMING_UNSET)
        t->min_hostgroup = g->min_hostgroup;
    if (g->max_hostgroup != TIMING_UNSET)
        t->max_hostgroup = g->max_hostgroup;
    if (g->max_hostgroup == TIMING_UNSET)
        t->max_hostgroup = MAX(t->max_hostgroup, t->min_hostgroup);
}

void timing_report(GString *out, const timing *t, double min_rate, double max_rate)
{
    g_string_append_printf(out,
                           "--------------- Timing report ---------------\n"
                           "  hostgroups: min %d, max %d\n"
                           "  rtt-timeouts: init %" G_GINT64_FORMAT ", min %" G_GINT64_FORMAT
                           ", max %" G_GINT64_FORMAT "\n"
                           "  max-scan-delay: TCP %" G_GINT64_FORMAT ", UDP %" G_GINT64_FORMAT
                           ", SCTP %" G_GINT64_FORMAT "\n"
                           "  parallelism: min %d, max %d\n"
                           "  max-retries: %d, host-timeout: %" G_GINT64_FORMAT "\n"
                           "  min-rate: %g, max-rate: %g\n"
                           "---------------------------------------------\n",
                           t->min_hostgroup, t->max_hostgroup, t->initial_rtt / MS, t->min_rtt / MS,
                           t->max_rtt / MS, t->max_scan_delay_tcp / MS, t->max_scan_delay_udp / MS,
                           t->max_scan_delay_tcp / MS, t->min_parallelism, t->max_parallelism,
                           t->max_retries, t->host_timeout / MS, min_rate, max_rate);
}
