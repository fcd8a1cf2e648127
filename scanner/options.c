#include "options.h"

#include <arpa/inet.h>
#include <string.h>

#include "cookie.h"
#include "error.h"
#include "ip_fragment.h"
#include "options_timing.h"
#include "ports.h"
#include "privileges.h"
#include "resume.h"
#include "targets.h"
#include "time_spec.h"
#include "unsupported_options.h"

/* What the callbacks see while GOption parses. */
typedef struct parse_state {
    scan_options *o;
    const scan_type *tcp_type; /* the TCP scan type given, if any */
    gboolean udp;
    gboolean tcp_twice;         /* two different TCP types: nmap refuses that */
    const scan_type *sctp_type; /* -sY or -sZ */
    gboolean sctp_twice;
    gboolean proto;  /* -sO */
    char *scanflags; /* --scanflags as typed */
    timing_given timing;
    int max_retries; /* G_MININT: not given */
    int debug_set;   /* -dN: the level; -1 when -d only counts */
    char *mtu;       /* --mtu as typed */
} parse_state;

/* An option of nmap's that scantrace does not do: one line that says so. */
static gboolean unsupported(GError **error, const char *arg)
{
    g_autofree char *name = g_strndup(arg, strcspn(arg, "="));
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                "%s (nmap's %s) is not supported by scantrace (see scantrace --help)", name,
                unsupported_option_what(arg));
    return FALSE;
}

static gboolean add_type(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    if (strcmp(value, "-sn") == 0) {
        st->o->ping_only = TRUE;
        return TRUE;
    }
    if (strcmp(value, scan_proto.option) == 0) {
        st->proto = TRUE;
        return TRUE;
    }
    const scan_type *type = scan_type_by_option(value);
    if (type == NULL && unsupported_option_what(value))
        return unsupported(error, value);
    if (type == NULL) {
        GString *known = g_string_new(NULL);
        for (size_t i = 0; scan_types[i]; i++)
            g_string_append_printf(known, "%s, ", scan_types[i]->option);
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "scan type %s is not supported (known: %s-sO, -sn)", value, known->str);
        g_string_free(known, TRUE);
        return FALSE;
    }
    if (type->ip_proto == PACKET_UDP) {
        st->udp = TRUE;
        return TRUE;
    }
    if (type->ip_proto == PACKET_SCTP) {
        if (st->sctp_type && st->sctp_type != type)
            st->sctp_twice = TRUE;
        st->sctp_type = type;
        return TRUE;
    }
    if (st->tcp_type && st->tcp_type != type)
        st->tcp_twice = TRUE;
    st->tcp_type = type;
    return TRUE;
}

/* --max-rate, --min-rate: packets per second, more than 0, as nmap wants them
 * (nmap.cc refuses 0: it would send nothing, or mean nothing). */
static gboolean set_rate(const char *name, const char *value, gpointer data, GError **error)
{
    parse_state *st = data;
    char *end = NULL;
    double rate = g_ascii_strtod(value, &end);
    if (end == value || *end != '\0' || !(rate > 0 && rate <= 1e9)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "%s must be a number of packets per second, more than 0 and at most 1e9, "
                    "not \"%s\"",
                    name, value);
        return FALSE;
    }
    if (strcmp(name, "--max-rate") == 0)
        st->o->max_rate = rate;
    else
        st->o->min_rate = rate;
    return TRUE;
}

/* A whole number from lo to hi, digits only: where nmap's atoi() and strtol()
 * read "12abc" as 12 and "abc" as 0, scantrace refuses both. */
static gboolean whole_number(const char *value, gint64 lo, gint64 hi, gint64 *out)
{
    char *end = NULL;
    if (!g_ascii_isdigit(value[0]))
        return FALSE;
    gint64 n = g_ascii_strtoll(value, &end, 10);
    if (*end != '\0' || n < lo || n > hi)
        return FALSE;
    *out = n;
    return TRUE;
}

/* --ttl N: nmap's bounds and words (nmap.cc). */
static gboolean set_ttl(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    gint64 n;
    if (!whole_number(value, 0, 255, &n)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "ttl option must be a number between 0 and 255 (inclusive), not \"%s\"", value);
        return FALSE;
    }
    st->o->extras.ttl = (int)n;
    return TRUE;
}

/* --data-length N: nmap's words (nmap.cc), with scantrace's bound
 * (PROBE_DATA_MAX: nmap takes up to 65435 but warns past 1400). */
static gboolean set_data_length(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    gint64 n;
    if (!whole_number(value, 0, PROBE_DATA_MAX, &n)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "data-length must be between 0 and %d (bytes per probe: more would not fit an "
                    "Ethernet frame), not \"%s\"",
                    PROBE_DATA_MAX, value);
        return FALSE;
    }
    scan_options *o = st->o;
    g_free(o->data);
    o->data = g_malloc(MAX((gsize)n, 1));
    for (gint64 i = 0; i < n; i++)
        o->data[i] = (uint8_t)g_random_int_range(0, 256);
    o->extras.data_set = TRUE;
    o->extras.data = o->data;
    o->extras.data_len = (size_t)n;
    return TRUE;
}

/* -g N, --source-port N: nmap warns about port 0 and sends from it. */
static gboolean set_source_port(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    gint64 n;
    if (!whole_number(value, 0, 65535, &n)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "-g/--source-port must be a port number between 0 and 65535, not \"%s\"",
                    value);
        return FALSE;
    }
    if (n == 0)
        g_printerr("WARNING: a source port of zero may not work on all systems.\n");
    st->o->has_sport = TRUE;
    st->o->sport = (uint16_t)n;
    /* nmap's o.magic_port_set: its TCP replies are tied by their numbers. */
    st->o->extras.fixed_sport = TRUE;
    return TRUE;
}

/* --max-retries N: a whole number, 0 or more (past 15 check() caps it with a
 * warning). nmap says "max-retries must be positive" of a negative number and
 * reads "abc" as 0 (atoi); scantrace refuses both in one ASCII line, where
 * GOption's integer parser would quote the value in curly quotes. */
static gboolean set_max_retries(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    gint64 n;
    if (!whole_number(value, 0, G_MAXINT, &n)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "max-retries must be positive (a whole number, 0 or more), not \"%s\"", value);
        return FALSE;
    }
    st->max_retries = (int)n;
    return TRUE;
}

/* -p PORTS: once, as nmap.cc allows it (a second -p would silently replace
 * the first); nmap's words. */
static gboolean set_ports(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    if (st->o->ports) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "Only 1 -p option allowed, separate multiple ranges with commas.");
        return FALSE;
    }
    st->o->ports = g_strdup(value);
    return TRUE;
}

/* --top-ports N: nmap's words for what it refuses. */
static gboolean set_top_ports(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    char *end = NULL;
    gint64 n = g_ascii_strtoll(value, &end, 10);
    if (end == value || *end != '\0' || n < 1 || n > 65536) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "--top-ports should be an integer 1 or greater, not \"%s\"", value);
        return FALSE;
    }
    st->o->top_ports = (int)n;
    return TRUE;
}

/* --port-ratio R: nmap's range ("--port-ratio should be between [0 and 1)"),
 * a number, not atof()'s 0 for anything else. */
static gboolean set_port_ratio(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    char *end = NULL;
    double r = g_ascii_strtod(value, &end);
    if (end == value || *end != '\0' || !(r > 0 && r < 1)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "--port-ratio should be between [0 and 1), not \"%s\" (0.01: the ports open "
                    "on 1%% or more of the hosts nmap-services counts)",
                    value);
        return FALSE;
    }
    st->o->port_ratio = r;
    return TRUE;
}

/* --exclude: nmap splits its argument at commas and white space
 * (load_exclude_string), so 10.0.0.1,3 is two specs there. */
static gboolean add_exclude(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    (void)error;
    parse_state *st = data;
    g_auto(GStrv) specs = g_strsplit_set(value, ", \t\n", -1);
    g_autoptr(GStrvBuilder) all = g_strv_builder_new();
    if (st->o->excluded)
        g_strv_builder_addv(all, (const char **)st->o->excluded);
    for (char **p = specs; *p; p++)
        if (**p)
            g_strv_builder_add(all, *p);
    g_strfreev(st->o->excluded);
    st->o->excluded = g_strv_builder_end(all);
    return TRUE;
}

/* -d, -dd, ... add a level each, -d3 sets it (nmap.cc). */
static gboolean add_debug(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    const char *p = value ? value : "";
    if (g_ascii_isdigit(*p) && p[1] == '\0') {
        st->debug_set = *p - '0';
        return TRUE;
    }
    int add = 1;
    for (; *p == 'd'; p++)
        add++;
    if (*p != '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "Invalid argument to -d: \"%s\"", value);
        return FALSE;
    }
    st->o->debug += add;
    return TRUE;
}

static gboolean add_verbose(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    (void)value;
    (void)error;
    parse_state *st = data;
    st->o->verbose++;
    return TRUE;
}

/* -PS22,80, -PE, ...: ping_options.h. */
static gboolean add_ping(const char *name, const char *value, gpointer data, GError **error)
{
    (void)name;
    parse_state *st = data;
    return ping_options_add(&st->o->pings, value, error);
}

/* -f adds 8 data bytes a fragment, -ff 16, as nmap.cc adds them up. */
static gboolean add_fragment(const char *name, const char *value, gpointer data, GError **error)
{
    (void)value;
    (void)error;
    parse_state *st = data;
    st->o->fragment_mtu += strcmp(name, "--ff") == 0 ? 2 * IP_FRAGMENT_F : IP_FRAGMENT_F;
    return TRUE;
}

/* GOption's "Missing argument for --output-xml" names the option as rewrite()
 * spelled it: name it as the user typed it (-oX). */
static void name_as_typed(int argc, char **argv, char **args, GError **error)
{
    static const char prefix[] = "Missing argument for ";
    if (!error || !*error || !g_str_has_prefix((*error)->message, prefix))
        return;
    const char *long_name = (*error)->message + strlen(prefix);
    for (int i = 1; i < argc; i++)
        if (strcmp(args[i], long_name) == 0 && strcmp(argv[i], long_name) != 0) {
            g_autofree char *typed = g_strdup(argv[i]);
            g_clear_error(error);
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "%s%s", prefix, typed);
            return;
        }
}

/* nmap spelling -> what GOption parses. NULL: leave the argument alone. */
static char *rewrite(const char *arg, GError **error)
{
    if (g_str_has_prefix(arg, "-s") && strlen(arg) > 2)
        return g_strdup_printf("--scan-type=%s", arg);
    if (strcmp(arg, "-Pn") == 0)
        return g_strdup("--skip-discovery");
    if (g_str_has_prefix(arg, "-P") && strlen(arg) > 2)
        return g_strdup_printf("--ping-probe=%s", arg);
    if (strcmp(arg, "-oN") == 0)
        return g_strdup("--output-normal");
    if (strcmp(arg, "-oX") == 0)
        return g_strdup("--output-xml");
    if (strcmp(arg, "-oG") == 0)
        return g_strdup("--output-grepable");
    if (strcmp(arg, "-oA") == 0)
        return g_strdup("--output-all");
    if (strcmp(arg, "-iL") == 0)
        return g_strdup("--input-file");
    if (strcmp(arg, "-p") == 0)
        return g_strdup("--ports");
    if (strcmp(arg, "-F") == 0)
        return g_strdup("--fast");
    if (strcmp(arg, "-f") == 0)
        return g_strdup("--fragment");
    if (strcmp(arg, "-ff") == 0)
        return g_strdup("--ff");
    if (strcmp(arg, "-D") == 0)
        return g_strdup("--decoys");
    if (g_str_has_prefix(arg, "-D"))
        return g_strdup_printf("--decoys=%s", arg + 2);
    if (g_str_has_prefix(arg, "-T") && strlen(arg) > 2)
        return g_strdup_printf("--timing=%s", arg + 2);
    if (g_str_has_prefix(arg, "-d"))
        return g_strdup_printf("--debug=%s", arg + 2);
    if (g_str_has_prefix(arg, "-p"))
        return g_strdup_printf("--ports=%s", arg + 2);
    if (g_str_has_prefix(arg, "-g") && strlen(arg) > 2)
        return g_strdup_printf("--source-port=%s", arg + 2);
    if (g_str_has_prefix(arg, "-S") && strlen(arg) > 2)
        return g_strdup_printf("--spoof-source=%s", arg + 2);
    if (unsupported_option_what(arg)) {
        unsupported(error, arg);
        return NULL;
    }
    if ((g_str_has_prefix(arg, "-P") || g_str_has_prefix(arg, "-o") ||
         g_str_has_prefix(arg, "-i")) &&
        strlen(arg) > 2) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "option %s is not supported", arg);
        return NULL;
    }
    return NULL;
}

static char **rewrite_argv(int argc, char **argv, GError **error)
{
    char **out = g_new0(char *, argc + 1);
    gboolean literal = FALSE;
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i];
        char *r = NULL;
        if (i > 0 && !literal && arg[0] == '-' && arg[1] != '-') {
            r = rewrite(arg, error);
            if (error && *error) {
                g_strfreev(out);
                return NULL;
            }
        }
        if (strcmp(arg, "--") == 0)
            literal = TRUE;
        out[i] = r ? r : g_strdup(arg);
    }
    return out;
}

static gboolean bad(GError **error, const char *message)
{
    g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT, message);
    return FALSE;
}

/* Targets from -iL come after those on the command line, as nmap takes them. */
static gboolean add_input_file(scan_options *o, GError **error)
{
    if (o->input_file == NULL)
        return TRUE;
    g_auto(GStrv) listed = targets_read_file(o->input_file, error);
    if (listed == NULL)
        return FALSE;
    GStrvBuilder *all = g_strv_builder_new();
    if (o->targets)
        g_strv_builder_addv(all, (const char **)o->targets);
    g_strv_builder_addv(all, (const char **)listed);
    g_strfreev(o->targets);
    o->targets = g_strv_builder_end(all);
    g_strv_builder_unref(all);
    return TRUE;
}

/* --merge reads reports and writes one: an option that would change a scan
 * has nothing to act on, and is refused rather than ignored. */
static gboolean check_merge(parse_state *st, GError **error)
{
    scan_options *o = st->o;
    if (st->tcp_type || st->udp || st->sctp_type || o->ping_only || o->ports || o->capture_file ||
        o->input_file || o->shards_text || o->shard_text || o->seed_text || o->grepable_file ||
        o->all_base || o->stats_every_text || o->top_ports || o->excluded || o->exclude_file ||
        o->open_only || o->exclude_ports || o->port_ratio > 0 || o->in_order ||
        o->defeat_rst_ratelimit)
        return bad(error, "--merge takes only -oX, -oN and the shards' -oX reports: the scan "
                          "options are in the reports");
    if (o->targets == NULL || o->targets[0] == NULL)
        return bad(error, "--merge needs the shards' -oX reports");
    return TRUE;
}

/* --scanflags replaces the flags of the TCP scan given, the SYN scan's when
 * none is; its rules still judge (scan_flags.c). */
static gboolean check_scanflags(parse_state *st, GError **error)
{
    if (st->scanflags == NULL)
        return TRUE;
    uint8_t flags;
    if (!scan_flags_parse(st->scanflags, &flags)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "--scanflags must be a number between 0 and 255 or flag names run together "
                    "(URG ACK PSH RST SYN FIN ECE CWR, ALL, NONE: \"URGPSHFIN\"), not \"%s\"",
                    st->scanflags);
        return FALSE;
    }
    if (st->o->ping_only)
        return bad(error, "--scanflags sets the flags of a TCP port scan: not valid with -sn");
    if (st->tcp_type == NULL && (st->udp || st->sctp_type))
        return bad(error, "--scanflags sets the flags of a TCP port scan: give one besides -sU, "
                          "-sY or -sZ (-sS, -sA, -sF, -sN, -sX, -sM or -sW)");
    const scan_type *type = scan_flags_type(st->tcp_type ? st->tcp_type : &scan_syn, flags);
    if (type == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "--scanflags needs a raw TCP scan type (-sS, -sA, -sF, -sN, -sX, -sM, -sW), "
                    "not %s",
                    st->tcp_type->option);
        return FALSE;
    }
    st->tcp_type = type;
    return TRUE;
}

/* -S ADDR: an address of the targets' family (nmap.cc: inet_pton for -6,
 * else a name or address; scantrace takes addresses only). */
static gboolean check_source(parse_state *st, GError **error)
{
    scan_options *o = st->o;
    if (o->source_text == NULL)
        return TRUE;
    uint8_t bytes[16];
    gboolean v6 = o->ipv6;
    if (inet_pton(v6 ? AF_INET6 : AF_INET, o->source_text, bytes) != 1) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "-S %s is not an %s address%s", o->source_text,
                    v6 ? "IPv6" : "IPv4",
                    v6 ? "" : " (an IPv6 source needs -6, as IPv6 targets do)");
        return FALSE;
    }
    if (v6)
        memcpy(o->source.bytes, bytes, 16);
    else
        o->source = packet_addr_from_ipv4(get_be32(bytes));
    if (!packet_addr_unicast(&o->source))
        return bad(error, "-S must be one host's address: not 0, multicast or broadcast");
    o->has_source = TRUE;
    return TRUE;
}

/* -oA BASE, and nmap's rule that one report at most goes to stdout. */
static gboolean check_outputs(scan_options *o, GError **error)
{
    if (o->all_base) {
        if (o->normal_file || o->xml_file || o->grepable_file)
            return bad(error, "-oA gives the -oN, -oX and -oG files: give it alone");
        if (strcmp(o->all_base, "-") == 0)
            return bad(error, "-oA writes three files and cannot write them to stdout ('-')");
        o->normal_file = g_strconcat(o->all_base, ".nmap", NULL);
        o->xml_file = g_strconcat(o->all_base, ".xml", NULL);
        o->grepable_file = g_strconcat(o->all_base, ".gnmap", NULL);
    }
    const char *files[] = {o->normal_file, o->xml_file, o->grepable_file};
    guint to_stdout = 0;
    for (guint i = 0; i < G_N_ELEMENTS(files); i++)
        to_stdout += files[i] && strcmp(files[i], "-") == 0;
    if (to_stdout > 1)
        return bad(error, "only one of -oN, -oX and -oG may go to stdout ('-')");
    if (o->stats_every_text &&
        !time_spec_parse("--stats-every", o->stats_every_text, &o->stats_every, error))
        return FALSE;
    return TRUE;
}

/* -f/--mtu and -D, by nmap 7.93's rules (nmap.cc, as nmap 7.93 answers): the
 * MTU a positive multiple of 8; fragments only with a raw TCP scan or TCP,
 * timestamp or (-f only) mask pings given, or -sn's default pings, and over
 * IPv4. */
static gboolean check_evasion(parse_state *st, GError **error)
{
    scan_options *o = st->o;
    if (st->mtu) {
        char *end = NULL;
        guint64 mtu = g_ascii_strtoull(st->mtu, &end, 10);
        if (st->mtu[0] == '\0' || *end != '\0' || mtu == 0 || mtu % 8 != 0 || mtu > 65528)
            return bad(error, "Data payload MTU must be >0 and multiple of 8");
        o->fragment_mtu = (unsigned)mtu; /* nmap: --mtu replaces -f's */
    }
    if (o->fragment_mtu) {
        if (o->ipv6)
            return bad(error, "Random targets, FTP bounce scan, and fragmentation are not "
                              "supported with IPv6.");
        /* A raw TCP or SCTP scan (nmap 7.93 takes -sY -f), given or default. */
        gboolean raw_tcp = !o->ping_only && ((st->tcp_type && st->tcp_type->build) ||
                                             st->sctp_type || (!st->tcp_type && !st->udp));
        /* The ping types nmap counts: TCP, timestamp, mask at -f's 8 bytes;
         * -sn's default set (nmap 7.93 refuses -sU -f but not -sU -PS -f). */
        const ping_options *p = &o->pings;
        gboolean pings = p->given ? p->syn || p->ack || p->timestamp ||
                                        (p->mask && o->fragment_mtu == IP_FRAGMENT_F)
                                  : o->ping_only;
        if (!raw_tcp && !pings)
            return bad(error, "Fragscan only works with TCP, ICMP Timestamp or ICMP Mask (mtu=8) "
                              "ping types or ACK, FIN, Maimon, NULL, SYN, Window, and XMAS scan "
                              "types");
        if (o->unprivileged)
            return bad(error, "-f and --mtu send raw IP fragments: not with --unprivileged");
    }
    if (o->decoys_text) {
        if (!decoys_parse(o->decoys_text, o->ipv6, &o->decoys, error))
            return FALSE;
        if (o->unprivileged)
            return bad(error, "-D sends raw probes from the decoys' addresses: not with "
                              "--unprivileged");
        if (st->tcp_type == &scan_connect && !st->udp)
            g_printerr("You have specified some options that require raw socket access.\n"
                       "These options will not be honored for TCP Connect scan.\n");
    }
    return TRUE;
}

static gboolean check(parse_state *st, GError **error)
{
    scan_options *o = st->o;
    if (o->merge)
        return check_merge(st, error);
    if (!check_outputs(o, error))
        return FALSE;
    if (!shard_spec_parse(o->shards_text, o->shard_text, o->seed_text, &o->shard, error))
        return FALSE;
    if (st->tcp_twice)
        return bad(error, "You specified more than one type of TCP scan. Please choose only one "
                          "of -sA, -sW, -sM, -sT, -sF, -sN, -sS and -sX");
    if (st->sctp_twice)
        return bad(error, "You specified more than one type of SCTP scan. Please choose only one "
                          "of -sY and -sZ");
    /* nmap's words (nmap.cc) */
    if (st->proto && (st->tcp_type || st->udp || st->sctp_type || o->ping_only))
        return bad(error, "Sorry, the IPProtoscan (-sO) must currently be used alone rather than "
                          "combined with other scan types.");
    if (st->proto && st->scanflags)
        return bad(error, "--scanflags sets the flags of a TCP port scan: not valid with -sO");
    if (!check_scanflags(st, error))
        return FALSE;
    if (!ping_options_check(&o->pings, o->ipv6, error))
        return FALSE;
    if (!check_evasion(st, error))
        return FALSE;
    if (o->ping_only && (st->tcp_type || st->udp || st->sctp_type))
        return bad(error, "-sn (skip port scan) is not valid with any other scan type");
    if (o->fast && o->ports)
        return bad(error, "You cannot use -F (fast scan) with -p (explicit port selection) but "
                          "see --top-ports to fast scan a range of ports");
    if (o->fast && o->top_ports)
        return bad(error, "You can specify either -F or --top-ports but not both");
    if (o->port_ratio > 0 && (o->fast || o->top_ports))
        return bad(error, "--port-ratio chooses the ports as -F and --top-ports do: give one of "
                          "them");
    if (o->fast)
        o->top_ports = 100;
    if (o->ping_only && (o->ports || o->top_ports || o->port_ratio > 0))
        return bad(error, "You cannot use -F (fast scan), --top-ports or -p (explicit port "
                          "selection) when not doing a port scan");
    if (o->ping_only && o->exclude_ports)
        return bad(error, "--exclude-ports leaves ports out of a port scan: not valid with -sn");
    if (o->privileged && o->unprivileged)
        return bad(error, "--privileged and --unprivileged contradict each other: give one");
    st->timing.max_retries = st->max_retries == G_MININT ? TIMING_UNSET : st->max_retries;
    timing_resolve(st->timing.level, &st->timing, &o->timing);
    if (o->timing.min_hostgroup > o->timing.max_hostgroup)
        return bad(error, "--min-hostgroup must be at most --max-hostgroup");
    if (o->timing.max_retries > (int)COOKIE_MAX_TRIES - 1) {
        g_printerr("WARNING: --max-retries capped at %u: the probe tag carries 4 bits of try "
                   "number\n",
                   COOKIE_MAX_TRIES - 1);
        o->timing.max_retries = COOKIE_MAX_TRIES - 1;
    }
    if (st->debug_set >= 0)
        o->debug = st->debug_set;
    /* nmap: -d raises the verbosity as much, and turns on --reason. */
    o->verbose += o->debug;
    o->reason = o->reason || o->debug > 0;
    if (o->exclude_file) {
        g_auto(GStrv) listed = targets_read_file(o->exclude_file, error);
        if (listed == NULL)
            return FALSE;
        g_autoptr(GStrvBuilder) all = g_strv_builder_new();
        if (o->excluded)
            g_strv_builder_addv(all, (const char **)o->excluded);
        g_strv_builder_addv(all, (const char **)listed);
        g_strfreev(o->excluded);
        o->excluded = g_strv_builder_end(all);
    }
    if (o->max_rate > 0 && o->min_rate > o->max_rate)
        return bad(error, "--min-rate must be less than or equal to --max-rate");
    if (!add_input_file(o, error))
        return FALSE;
    if (!check_source(st, error))
        return FALSE;
    if (o->user == NULL)
        o->user = g_strdup(PRIVILEGES_DEFAULT_USER);
    if (!privileges_user_exists(o->user)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "-Z %s: no such user", o->user);
        return FALSE;
    }
    /* An -iL list that names no one (empty, or comments and blank lines
     * only) is nmap's "WARNING: No targets were specified" and exit 0, as
     * when --exclude leaves no one (run.c); nothing at all is a usage error. */
    if ((o->targets == NULL || o->targets[0] == NULL) && o->input_file == NULL)
        return bad(error, "no targets given (see --help)");
    o->default_type =
        !o->ping_only && st->tcp_type == NULL && !st->udp && !st->sctp_type && !st->proto;
    if (st->proto)
        g_ptr_array_add(o->types, (gpointer)&scan_proto);
    if (o->default_type)
        st->tcp_type = o->unprivileged ? &scan_connect : &scan_syn;
    /* nmap: --open turns it on; without --open, a SYN scan's alone (NmapOps.cc). */
    if (o->defeat_rst_ratelimit && !o->open_only &&
        (st->tcp_type == NULL || scan_type_judging(st->tcp_type) != &scan_syn))
        return bad(error, "Option --defeat-rst-ratelimit works only with a SYN scan (-sS)");
    o->defeat_rst_ratelimit = o->defeat_rst_ratelimit || o->open_only;
    if (st->tcp_type)
        g_ptr_array_add(o->types, (gpointer)st->tcp_type);
    if (st->udp)
        g_ptr_array_add(o->types, (gpointer)&scan_udp);
    if (st->sctp_type)
        g_ptr_array_add(o->types, (gpointer)st->sctp_type);
    return TRUE;
}

/* --resume FILE: the log's command line is parsed in its place, its reports
 * are added to, and the targets it finished are skipped. */
static gboolean parse_resume(int argc, char **argv, scan_options *o, gboolean *help, GError **error)
{
    if (argc != 3 || strcmp(argv[1], "--resume") != 0)
        return bad(error, "--resume takes the -oN or -oG file of the scan to resume, and nothing "
                          "else: its options are in that file");
    g_auto(GStrv) logged = NULL;
    g_autofree char *last = NULL;
    if (!resume_read(argv[2], &logged, &last, error))
        return FALSE;
    /* Our own name, not the one in the log (which the user cannot vet). */
    g_free(logged[0]);
    logged[0] = g_strdup(argv[0]);
    for (guint i = 1; logged[i]; i++)
        if (strcmp(logged[i], "--resume") == 0)
            return bad(error, "--resume: the log's command line has --resume");
    if (!options_parse((int)g_strv_length(logged), logged, o, help, error))
        return FALSE;
    o->append_output = TRUE;
    o->resume_file = g_strdup(argv[2]);
    o->resume_after = g_steal_pointer(&last);
    return TRUE;
}

/* What GOption left in argv[1..argc-1]: options it does not know. */
static gboolean unknown(int argc, char **argv, GError **error)
{
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' || argv[i][1] == '\0')
            continue;
        if (unsupported_option_what(argv[i]))
            return unsupported(error, argv[i]);
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "Unknown option %s (see scantrace --help)",
                    argv[i]);
        return FALSE;
    }
    return TRUE;
}

gboolean options_parse(int argc, char **argv, scan_options *o, gboolean *help, GError **error)
{
    memset(o, 0, sizeof *o);
    *help = FALSE;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--resume") == 0)
            return parse_resume(argc, argv, o, help, error);
    o->types = g_ptr_array_new();
    o->command_line = g_strjoinv(" ", argv);
    o->extras.ttl = -1;
    parse_state st = {.o = o, .max_retries = G_MININT, .debug_set = -1};
    timing_given_init(&st.timing);
    GOptionEntry entries[] = {
        {"scan-type", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_type,
         "Scan type, as nmap spells it: -sS (SYN, the default), -sT (connect, needs no "
         "privilege), -sA, -sW (window), -sM (Maimon), -sF, -sN, -sX; -sU (UDP) and -sY (SCTP "
         "INIT) or -sZ (SCTP COOKIE ECHO) besides one of them; -sO (IP protocols, alone; -p "
         "lists protocol numbers); -sn (host discovery only)",
         "-sX"},
        {"scanflags", 0, 0, G_OPTION_ARG_STRING, &st.scanflags,
         "TCP flags of the probes (URGACKPSHRSTSYNFINECECWR in any order, or 0-255), judged "
         "by the scan type given (-sS when none is), as nmap does",
         "FLAGS"},
        {"ports", 'p', 0, G_OPTION_ARG_CALLBACK, (gpointer)set_ports,
         "Ports: 22,80,1000-1010, -p- for 1-65535 (0- adds port 0), T:22,U:53,S:80 per protocol "
         "(default: nmap's top 1000)",
         "PORTS"},
        {"skip-discovery", 0, 0, G_OPTION_ARG_NONE, &o->skip_discovery,
         "-Pn: treat every target as up (on an Ethernet, raw scans still ask ARP, as nmap does)",
         NULL},
        {"ipv6", '6', 0, G_OPTION_ARG_NONE, &o->ipv6,
         "-6: scan IPv6 targets (addresses, /96 to /128 prefixes, names' AAAA, fe80::1%IFACE); "
         "every target must be IPv6",
         NULL},
        {"fragment", 0, G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (gpointer)add_fragment,
         "-f: send raw IPv4 probes as IP fragments of 8 data bytes (-ff: 16), as nmap -f", NULL},
        {"ff", 0, G_OPTION_FLAG_NO_ARG | G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_CALLBACK,
         (gpointer)add_fragment, "-ff: fragments of 16 data bytes", NULL},
        {"mtu", 0, 0, G_OPTION_ARG_STRING, &st.mtu,
         "Data bytes in each IP fragment (a multiple of 8), as nmap --mtu", "N"},
        {"decoys", 'D', 0, G_OPTION_ARG_STRING, &o->decoys_text,
         "-D decoy1,decoy2,ME,RND:n: send each raw probe from these addresses too, ours at ME's "
         "place (random without ME), as nmap -D; only replies to ours count",
         "LIST"},
        {"send-ip", 0, 0, G_OPTION_ARG_NONE, &o->send_ip,
         "Discover hosts on an Ethernet with the IP pings, not ARP", NULL},
        {"ping-probe", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_ping,
         "Host discovery probes, as nmap spells them (any replaces the default echo, SYN to 443, "
         "ACK to 80 and timestamp): -PS[ports] TCP SYN, -PA[ports] TCP ACK (default 80), "
         "-PU[ports] UDP (default 40125), -PY[ports] SCTP INIT (default 80), -PE echo, -PP "
         "timestamp, -PM address mask, -PO[protocols] IP protocols (default 1,2,4; the last "
         "three IPv4 only), -PR ARP",
         "-PS22,80"},
        {"disable-arp-ping", 0, 0, G_OPTION_ARG_NONE, &o->disable_arp_ping,
         "On an Ethernet, send the IP pings instead of ARP or Neighbor Discovery", NULL},
        {"reason", 0, 0, G_OPTION_ARG_NONE, &o->reason, "Show why each port is in its state", NULL},
        {"verbose", 'v', G_OPTION_FLAG_NO_ARG, G_OPTION_ARG_CALLBACK, (gpointer)add_verbose,
         "-v, -vv: report hosts found down, each open port as it is found and each scan "
         "phase, as nmap -v does",
         NULL},
        {"packet-trace", 0, 0, G_OPTION_ARG_NONE, &o->packet_trace,
         "Print every packet sent and received (every connection, with -sT)", NULL},
        {"output-normal", 0, 0, G_OPTION_ARG_FILENAME, &o->normal_file,
         "-oN: write the normal output to FILE too", "FILE"},
        {"output-xml", 0, 0, G_OPTION_ARG_FILENAME, &o->xml_file,
         "-oX: write nmap's XML output to FILE", "FILE"},
        {"output-grepable", 0, 0, G_OPTION_ARG_FILENAME, &o->grepable_file,
         "-oG: write nmap's grepable output to FILE", "FILE"},
        {"output-all", 0, 0, G_OPTION_ARG_FILENAME, &o->all_base,
         "-oA: write BASE.nmap, BASE.xml and BASE.gnmap", "BASE"},
        {"append-output", 0, 0, G_OPTION_ARG_NONE, &o->append_output,
         "Add to the -oN/-oX/-oG files rather than overwrite them", NULL},
        {"stats-every", 0, 0, G_OPTION_ARG_STRING, &o->stats_every_text,
         "Print a status line every TIME (500ms, 10s, 5m; keys pressed during a scan: any for "
         "a status line, v/V verbosity, d/D debugging, p/P packet trace, ? help)",
         "TIME"},
        {"resume", 0, 0, G_OPTION_ARG_FILENAME, &o->resume_file,
         "Continue the interrupted scan whose -oN or -oG file this is (its options, its files "
         "added to; the hosts it reported are skipped); no other option",
         "FILE"},
        {"input-file", 0, 0, G_OPTION_ARG_FILENAME, &o->input_file,
         "-iL: read targets from FILE (whitespace-separated, # comments), - for stdin", "FILE"},
        {"write", 'w', 0, G_OPTION_ARG_FILENAME, &o->capture_file,
         "Capture probes and replies to FILE (pcapng if it ends in .pcapng, else pcap)", "FILE"},
        {"max-retries", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_max_retries,
         "Retransmissions of an unanswered probe at most (default 10, at most 15)", "N"},
        {"fast", 'F', 0, G_OPTION_ARG_NONE, &o->fast,
         "-F: nmap's 100 most often open ports of each protocol", NULL},
        {"top-ports", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_top_ports,
         "The N most often open ports of each protocol (nmap-services), of -p's when given", "N"},
        {"exclude-ports", 0, 0, G_OPTION_ARG_STRING, &o->exclude_ports,
         "Leave these ports out of every port list (-p's syntax, T: and U: too), before "
         "--top-ports or -F pick theirs",
         "PORTS"},
        {"port-ratio", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_port_ratio,
         "The ports found open at least this often (0 < R < 1, nmap-services' frequencies), of "
         "-p's when given",
         "R"},
        {"in-order", 'r', 0, G_OPTION_ARG_NONE, &o->in_order,
         "-r: scan each host's ports in ascending order (by default in random order, as nmap)",
         NULL},
        {"noninteractive", 0, 0, G_OPTION_ARG_NONE, &o->noninteractive,
         "Read no key during the scan and leave the terminal as it is (--stats-every's lines "
         "still come)",
         NULL},
        {"defeat-rst-ratelimit", 0, 0, G_OPTION_ARG_NONE, &o->defeat_rst_ratelimit,
         "SYN scan: a RST answering a retransmission does not slow the host down, so a host "
         "that rate-limits its RSTs is not waited for (closed ports may then read filtered); "
         "--open implies it, as in nmap",
         NULL},
        {"open", 0, 0, G_OPTION_ARG_NONE, &o->open_only,
         "Show only open (or open|filtered) ports, and only hosts with one", NULL},
        {"exclude", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)add_exclude,
         "Leave out these targets (comma-separated, target syntax)", "TARGETS"},
        {"excludefile", 0, 0, G_OPTION_ARG_FILENAME, &o->exclude_file,
         "Leave out the targets listed in FILE (as -iL reads it)", "FILE"},
        {"privileged", 0, 0, G_OPTION_ARG_NONE, &o->privileged,
         "Use raw sockets whoever we are (the kernel may still refuse them)", NULL},
        {"unprivileged", 0, 0, G_OPTION_ARG_NONE, &o->unprivileged,
         "Use no raw socket: -sT by default, discovery by connect(), as an ordinary user", NULL},
        {"debug", 'd', G_OPTION_FLAG_OPTIONAL_ARG, G_OPTION_ARG_CALLBACK, (gpointer)add_debug,
         "-d, -dd: nmap's debugging output (the timing report, each host's final times); "
         "implies -v and --reason",
         NULL},
        {"max-rate", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_rate,
         "Send at most R packets a second", "R"},
        {"min-rate", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_rate,
         "Send at least R packets a second", "R"},
        {"no-dns", 'n', 0, G_OPTION_ARG_NONE, &o->no_dns, "Never do reverse DNS resolution", NULL},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &o->show_version,
         "Print the version, the probe tag's format and the libraries', and scan nothing", NULL},
        {"relinquish-privileges", 'Z', 0, G_OPTION_ARG_STRING, &o->user,
         "Started as root, go on as USER once the raw sockets and capture handles are open "
         "(default " PRIVILEGES_DEFAULT_USER "; root keeps root)",
         "USER"},
        {"ttl", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_ttl,
         "IPv4 TTL / IPv6 hop limit of every raw probe, 0-255 (default 64)", "N"},
        {"data-length", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer)set_data_length,
         "Append N random bytes (0-1400, the same for every probe) to TCP probes and ICMP "
         "echoes; UDP probes send the tag and them, no service request",
         "N"},
        {"source-port", 'g', 0, G_OPTION_ARG_CALLBACK, (gpointer)set_source_port,
         "-g: send every raw probe, every try, from this source port", "PORT"},
        {"spoof-source", 'S', 0, G_OPTION_ARG_STRING, &o->source_text,
         "-S: send raw probes from this address (give -e IFACE unless an interface holds it, "
         "and -Pn; replies must reach this host)",
         "ADDR"},
        {"badsum", 0, 0, G_OPTION_ARG_NONE, &o->extras.badsum,
         "Send raw probes with a bogus TCP/UDP/ICMP checksum: only a stack that does not check "
         "answers",
         NULL},
        {"interface", 'e', 0, G_OPTION_ARG_STRING, &o->device, "Send and capture on this interface",
         "IFACE"},
        {"shards", 0, 0, G_OPTION_ARG_STRING, &o->shards_text,
         "Split the scan into N shards, as zmap does: every target and port in exactly one "
         "(needs --seed)",
         "N"},
        {"shard", 0, 0, G_OPTION_ARG_STRING, &o->shard_text,
         "Scan shard I of --shards N, numbered from 0 as zmap numbers them (default 0)", "I"},
        {"seed", 0, 0, G_OPTION_ARG_STRING, &o->seed_text,
         "The seed of the order the shards share out: the same on every shard's machine", "S"},
        {"merge", 0, 0, G_OPTION_ARG_NONE, &o->merge,
         "Merge the -oX reports given as arguments (a scan's shards) into one report, written "
         "with -oX and -oN as a scan's",
         NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &o->targets, NULL,
         "TARGET... | --merge REPORT.xml..."},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    g_set_prgname("scantrace");
    g_autoptr(GOptionContext) ctx = g_option_context_new(NULL);
    g_option_context_set_summary(
        ctx, "A port scanner with nmap's options and reports whose probes carry a tag and a "
             "cookie.\nTARGET: an address, a host name, a CIDR block (10.0.0.0/24) or octet "
             "ranges (10.0.0.1-20, 10.0.1-2.1-5); with -6 an IPv6 address, name or prefix "
             "(fd00::/120), fe80::1%eth0.");
    g_option_context_set_help_enabled(ctx, TRUE);
    GOptionGroup *main_group = g_option_group_new(NULL, NULL, NULL, &st, NULL);
    g_option_group_add_entries(main_group, entries);
    g_option_context_set_main_group(ctx, main_group);
    g_option_context_add_group(ctx, options_timing_group(&st.timing));

    g_auto(GStrv) args = rewrite_argv(argc, argv, error);
    if (args == NULL)
        return FALSE;
    for (int i = 1; i < argc; i++)
        if (strcmp(args[i], "--help") == 0 || strcmp(args[i], "-h") == 0) {
            *help = TRUE;
            g_autofree char *text = g_option_context_get_help(ctx, FALSE, NULL);
            g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT, text);
            return FALSE;
        }
    /* GOption removes what it parses; parse a shallow copy so args frees all. */
    int n = argc;
    g_autofree char **view = g_memdup2(args, sizeof(char *) * (gsize)(argc + 1));
    /* GOption leaves what it does not know in view, which then names it:
     * nmap's options scantrace does not do get a line of their own. */
    g_option_context_set_ignore_unknown_options(ctx, TRUE);
    gboolean ok = g_option_context_parse(ctx, &n, &view, error);
    if (!ok)
        name_as_typed(argc, argv, args, error);
    ok = ok && unknown(n, view, error) && (o->show_version || check(&st, error));
    g_free(st.scanflags);
    g_free(st.mtu);
    return ok;
}

void options_clear(scan_options *o)
{
    if (o->types)
        g_ptr_array_unref(o->types);
    g_free(o->ports);
    ping_options_clear(&o->pings);
    g_strfreev(o->excluded);
    g_free(o->exclude_file);
    g_free(o->exclude_ports);
    g_free(o->normal_file);
    g_free(o->xml_file);
    g_free(o->capture_file);
    g_free(o->device);
    g_free(o->decoys_text);
    g_free(o->data);
    g_free(o->source_text);
    g_free(o->input_file);
    g_free(o->grepable_file);
    g_free(o->all_base);
    g_free(o->stats_every_text);
    g_free(o->resume_file);
    g_free(o->resume_after);
    g_free(o->user);
    g_free(o->shards_text);
    g_free(o->shard_text);
    g_free(o->seed_text);
    g_strfreev(o->targets);
    g_free(o->command_line);
    memset(o, 0, sizeof *o);
}
