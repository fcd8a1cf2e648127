#include "report_merge.h"

#include <errno.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "ports.h"
#include "report.h"
#include "rtt.h"
#include "safe_text.h"
#include "verdict.h"

/* One report as read, before merging. */
typedef struct shard_file {
    const char *path;
    GPtrArray *types;    /* const scan_type *, from <scaninfo> */
    GPtrArray *services; /* their port lists as written, to compare reports */
    probe_plan *plan;
    char *args;
    uint32_t scan_id;
    guint64 shard; /* --shard's value, 0 when none */
    int verbose;
    gint64 start, end;
    double elapsed;
    char *stopped_by;
    gboolean finished;
    GArray *hosts; /* host_result; shard_skip marks the ports not in this report */
    /* While parsing. */
    gboolean in_host;
    port_state extra_state;
    gint32 port; /* the <port> being read, or -1 */
} shard_file;

static const char *attr(const char **names, const char **values, const char *name)
{
    for (guint i = 0; names[i]; i++)
        if (strcmp(names[i], name) == 0)
            return values[i];
    return NULL;
}

static gboolean need(const char **names, const char **values, const char *element, const char *name,
                     const char **out, GError **error)
{
    *out = attr(names, values, name);
    if (*out == NULL)
        g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_MISSING_ATTRIBUTE, "<%s> without %s=\"\"",
                    element, name);
    return *out != NULL;
}

static gboolean state_by_name(const char *name, port_state *out, GError **error)
{
    for (guint s = 0; s < PORT_STATE_COUNT; s++)
        if (strcmp(port_state_name((port_state)s), name) == 0) {
            *out = (port_state)s;
            return TRUE;
        }
    g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "unknown state \"%s\"",
                name);
    return FALSE;
}

static gboolean reason_by_name(const char *name, reason *out, GError **error)
{
    for (guint r = 0; r < REASON_COUNT; r++)
        if (strcmp(reason_name((reason)r), name) == 0) {
            *out = (reason)r;
            return TRUE;
        }
    g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT, "unknown reason \"%s\"",
                name);
    return FALSE;
}

static guint64 number(const char *text)
{
    return text ? g_ascii_strtoull(text, NULL, 10) : 0;
}

/* Text from a report is printed and written again. What a scan writes is
 * printable ASCII already (names went through safe_text(), escapes and all),
 * and is kept as it is; a byte outside printable ASCII (a report that is not
 * a scan's own) is escaped as a scan escapes names, so that it cannot act on
 * a terminal. */
static char *report_text(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            return safe_text(text);
    return g_strdup(text);
}

static host_result *current_host(shard_file *f)
{
    return &g_array_index(f->hosts, host_result, f->hosts->len - 1);
}

/* The plan, once <scaninfo> is over: the report's probes in the scan's order. */
static void make_plan(shard_file *f)
{
    if (f->plan || f->types->len == 0)
        return;
    f->plan = probe_plan_new();
    for (guint i = 0; i < f->types->len; i++) {
        g_autoptr(GArray) ports = ports_parse(g_ptr_array_index(f->services, i), NULL);
        probe_plan_add(f->plan, g_ptr_array_index(f->types, i), 0,
                       ports ? (const uint16_t *)ports->data : NULL, ports ? ports->len : 0);
    }
}

/* The probe index of a port of that protocol in the plan, or an error. */
static gint32 probe_of(const shard_file *f, const char *proto, guint64 port, GError **error)
{
    for (guint t = 0; f->plan && t < f->plan->ntypes && port < 65536; t++) {
        const scan_type *type = f->plan->types[t].type;
        if (strcmp(report_proto_name(type->ip_proto), proto) == 0) {
            gint32 pi = probe_plan_find(f->plan, type, (uint16_t)port);
            if (pi >= 0)
                return pi;
        }
    }
    g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                "port %" G_GUINT64_FORMAT "/%s is not one the report's <scaninfo> lists", port,
                proto);
    return -1;
}

static gboolean set_port(shard_file *f, gint32 pi, port_result r, GError **error)
{
    host_result *h = current_host(f);
    if (h->ports == NULL) {
        h->ports = g_new0(port_result, f->plan->nprobes);
        h->shard_skip = g_new(uint8_t, f->plan->nprobes);
        memset(h->shard_skip, 1, f->plan->nprobes);
    }
    if (!h->shard_skip[pi]) {
        g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                    "port %u is reported twice for one host", f->plan->probes[pi].port);
        return FALSE;
    }
    h->shard_skip[pi] = 0;
    h->ports[pi] = r;
    return TRUE;
}

static gboolean extrareasons(shard_file *f, const char **n, const char **v, GError **error)
{
    const char *why, *proto, *list;
    reason r;
    if (!need(n, v, "extrareasons", "reason", &why, error) ||
        !need(n, v, "extrareasons", "proto", &proto, error) ||
        !need(n, v, "extrareasons", "ports", &list, error) || !reason_by_name(why, &r, error))
        return FALSE;
    g_autoptr(GArray) ports = ports_parse(list, error);
    if (ports == NULL)
        return FALSE;
    for (guint i = 0; i < ports->len; i++) {
        gint32 pi = probe_of(f, proto, g_array_index(ports, guint16, i), error);
        /* A folded port's TTL is not written, nor needed: a state folded in a
         * shard (over 25 ports) is folded in the whole scan too. */
        if (pi < 0 ||
            !set_port(f, pi, (port_result){(uint8_t)f->extra_state, (uint8_t)r, 0}, error))
            return FALSE;
    }
    return TRUE;
}

static guint addr_hash(gconstpointer a)
{
    return packet_addr_hash(a);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

static gboolean address(shard_file *f, const char **n, const char **v, GError **error)
{
    const char *addr, *type;
    if (!need(n, v, "address", "addr", &addr, error) ||
        !need(n, v, "address", "addrtype", &type, error))
        return FALSE;
    host_result *h = current_host(f);
    if (strcmp(type, "ipv4") == 0) {
        struct in_addr in;
        if (inet_pton(AF_INET, addr, &in) == 1) {
            h->addr = packet_addr_from_ipv4(ntohl(in.s_addr));
            return TRUE;
        }
    } else if (strcmp(type, "ipv6") == 0) {
        if (inet_pton(AF_INET6, addr, h->addr.bytes) == 1 && !packet_addr_is_ipv4(&h->addr))
            return TRUE;
    } else if (strcmp(type, "mac") == 0) {
        unsigned m[6];
        if (sscanf(addr, "%2x:%2x:%2x:%2x:%2x:%2x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) ==
            6) {
            for (guint i = 0; i < 6; i++)
                h->mac[i] = (uint8_t)m[i];
            h->has_mac = TRUE;
            return TRUE;
        }
    }
    g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                "address \"%s\" of type \"%s\" is not one scantrace writes", addr, type);
    return FALSE;
}

static gboolean start_host(shard_file *f, const char **n, const char **v)
{
    make_plan(f);
    host_result h = {.start = (gint64)number(attr(n, v, "starttime")) * G_USEC_PER_SEC,
                     .end = (gint64)number(attr(n, v, "endtime")) * G_USEC_PER_SEC};
    rtt_init(&h.rtt);
    g_array_append_val(f->hosts, h);
    f->in_host = TRUE;
    return TRUE;
}

static gboolean verdict_attrs(const char *element, const char **n, const char **v, port_result *r,
                              GError **error)
{
    const char *state, *why;
    port_state s;
    reason w;
    if (!need(n, v, element, "state", &state, error) ||
        !need(n, v, element, "reason", &why, error) || !state_by_name(state, &s, error) ||
        !reason_by_name(why, &w, error))
        return FALSE;
    *r = (port_result){(uint8_t)s, (uint8_t)w, (uint8_t)number(attr(n, v, "reason_ttl"))};
    return TRUE;
}

static void on_start(GMarkupParseContext *ctx, const char *element, const char **n, const char **v,
                     gpointer data, GError **error)
{
    (void)ctx;
    shard_file *f = data;
    const char *value;
    if (strcmp(element, "nmaprun") == 0) {
        g_free(f->args);
        f->args = attr(n, v, "args") ? report_text(attr(n, v, "args")) : NULL;
        f->start = (gint64)number(attr(n, v, "start")) * G_USEC_PER_SEC;
    } else if (strcmp(element, "scaninfo") == 0) {
        const char *type, *proto, *services;
        if (!need(n, v, element, "type", &type, error) ||
            !need(n, v, element, "protocol", &proto, error) ||
            !need(n, v, element, "services", &services, error))
            return;
        /* --scanflags: the scan type that judged, with the flags report_xml wrote. */
        const char *flags_text = attr(n, v, "scanflags");
        uint8_t flags = 0;
        if (flags_text && !scan_flags_parse(*flags_text ? flags_text : "NONE", &flags)) {
            g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                        "scanflags \"%s\" is not one scantrace writes", flags_text);
            return;
        }
        for (guint i = 0; scan_types[i]; i++)
            if (strcmp(scan_types[i]->name, type) == 0 &&
                strcmp(report_proto_name(scan_types[i]->ip_proto), proto) == 0 && !f->plan) {
                const scan_type *t =
                    flags_text ? scan_flags_type(scan_types[i], flags) : scan_types[i];
                if (!t)
                    break;
                g_ptr_array_add(f->types, (gpointer)t);
                g_ptr_array_add(f->services, g_strdup(services));
                return;
            }
        g_set_error(error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                    "scan type \"%s\" (%s) is not one scantrace writes", type, proto);
    } else if (strcmp(element, "verbose") == 0) {
        f->verbose = (int)number(attr(n, v, "level"));
    } else if (strcmp(element, "host") == 0) {
        start_host(f, n, v);
    } else if (!f->in_host && strcmp(element, "finished") == 0) {
        f->finished = TRUE;
        f->end = (gint64)number(attr(n, v, "time")) * G_USEC_PER_SEC;
        f->elapsed = g_ascii_strtod(attr(n, v, "elapsed") ? attr(n, v, "elapsed") : "0", NULL);
        value = attr(n, v, "exit");
        if (value && strcmp(value, "success") != 0) {
            /* "interrupted by SIGINT: ..." (report_xml_done) */
            const char *msg = attr(n, v, "errormsg");
            g_autofree char *sig = NULL;
            if (msg && g_str_has_prefix(msg, "interrupted by "))
                sig = g_strndup(msg + 15, strcspn(msg + 15, ":"));
            f->stopped_by = g_strdup(sig && *sig ? sig : "a signal");
        }
    } else if (!f->in_host) {
        return;
    } else if (strcmp(element, "status") == 0) {
        verdict_attrs(element, n, v, &current_host(f)->status, error);
    } else if (strcmp(element, "address") == 0) {
        address(f, n, v, error);
    } else if (strcmp(element, "hostname") == 0 && (value = attr(n, v, "name"))) {
        host_result *h = current_host(f);
        g_free(h->name);
        h->name = report_text(value);
        h->name_from_dns = g_strcmp0(attr(n, v, "type"), "PTR") == 0;
    } else if (strcmp(element, "extraports") == 0) {
        if (need(n, v, element, "state", &value, error))
            state_by_name(value, &f->extra_state, error);
    } else if (strcmp(element, "extrareasons") == 0) {
        extrareasons(f, n, v, error);
    } else if (strcmp(element, "port") == 0) {
        const char *proto, *id;
        if (need(n, v, element, "protocol", &proto, error) &&
            need(n, v, element, "portid", &id, error))
            f->port = probe_of(f, proto, number(id), error);
    } else if (strcmp(element, "state") == 0 && f->port >= 0) {
        port_result r;
        if (verdict_attrs(element, n, v, &r, error))
            set_port(f, f->port, r, error);
    } else if (strcmp(element, "times") == 0) {
        host_result *h = current_host(f);
        h->rtt.srtt = (gint64)number(attr(n, v, "srtt"));
        h->rtt.rttvar = (gint64)number(attr(n, v, "rttvar"));
        h->rtt.timeout = (gint64)number(attr(n, v, "to"));
    }
}

static void on_end(GMarkupParseContext *ctx, const char *element, gpointer data, GError **error)
{
    (void)ctx;
    (void)error;
    shard_file *f = data;
    if (strcmp(element, "host") == 0)
        f->in_host = FALSE;
    else if (strcmp(element, "port") == 0)
        f->port = -1;
}

/* The scan id is only in the opening comment (report_xml_start). */
static void on_passthrough(GMarkupParseContext *ctx, const char *text, gsize len, gpointer data,
                           GError **error)
{
    (void)ctx;
    (void)error;
    shard_file *f = data;
    g_autofree char *s = g_strndup(text, len);
    const char *id = strstr(s, "(scan id 0x");
    if (g_str_has_prefix(s, "<!-- scantrace ") && id)
        f->scan_id = (uint32_t)g_ascii_strtoull(id + 11, NULL, 16);
}

static void shard_file_free(shard_file *f)
{
    if (f == NULL)
        return;
    for (guint i = 0; f->hosts && i < f->hosts->len; i++) {
        host_result *h = &g_array_index(f->hosts, host_result, i);
        g_free(h->name);
        g_free(h->ports);
        g_free(h->shard_skip);
    }
    if (f->hosts)
        g_array_unref(f->hosts);
    g_ptr_array_unref(f->types);
    g_ptr_array_unref(f->services);
    probe_plan_free(f->plan);
    g_free(f->args);
    g_free(f->stopped_by);
    g_free(f);
}

static shard_file *read_report(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len;
    /* GLib's own messages quote the path in typographic quotes, which the
     * escaping of error messages (safe_text) would turn into \xHH: say it in
     * our words first. */
    FILE *probe = fopen(path, "rb");
    if (probe == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "cannot read %s: %s", path, g_strerror(errno));
        return NULL;
    }
    fclose(probe);
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "cannot read %s: not a file", path);
        return NULL;
    }
    if (!g_file_get_contents(path, &text, &len, error))
        return NULL;
    shard_file *f = g_new0(shard_file, 1);
    f->path = path;
    f->types = g_ptr_array_new();
    f->services = g_ptr_array_new_with_free_func(g_free);
    f->hosts = g_array_new(FALSE, TRUE, sizeof(host_result));
    f->port = -1;
    static const GMarkupParser parser = {on_start, on_end, NULL, on_passthrough, NULL};
    GMarkupParseContext *ctx = g_markup_parse_context_new(&parser, 0, f, NULL);
    GError *local = NULL;
    gboolean ok = g_markup_parse_context_parse(ctx, text, (gssize)len, &local) &&
                  g_markup_parse_context_end_parse(ctx, &local);
    g_markup_parse_context_free(ctx);
    if (ok && (f->args == NULL || !f->finished))
        g_set_error_literal(&local, ST_ERROR, ST_ERROR_INPUT,
                            "not a whole -oX report (no <nmaprun> or no <finished>)");
    if (local) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "%s: %s", path, local->message);
        g_error_free(local);
        shard_file_free(f);
        return NULL;
    }
    make_plan(f);
    return f;
}

/* An option's value in a report's command line ("--shards 4", "--shards=4"),
 * NULL when absent; present, a flag gives "". */
static char *arg_value(const char *args, const char *name)
{
    g_auto(GStrv) words = g_strsplit(args, " ", -1);
    for (guint i = 0; words[i]; i++) {
        if (strcmp(words[i], name) == 0)
            return g_strdup(words[i + 1] ? words[i + 1] : "");
        if (g_str_has_prefix(words[i], name) && words[i][strlen(name)] == '=')
            return g_strdup(words[i] + strlen(name) + 1);
    }
    return NULL;
}

/* Every report of the same sharding (or none sharded), each shard once;
 * missing shards are warned about. */
static gboolean check_shards(shard_file **files, guint n, GPtrArray *warn, GError **error)
{
    g_autofree char *shards0 = arg_value(files[0]->args, "--shards");
    g_autofree char *seed0 = arg_value(files[0]->args, "--seed");
    guint64 count = shards0 ? g_ascii_strtoull(shards0, NULL, 10) : 1;
    if (count == 0 || count > 1u << 20)
        count = 1;
    g_autofree const char **seen = g_new0(const char *, count);
    for (guint i = 0; i < n; i++) {
        g_autofree char *shards = arg_value(files[i]->args, "--shards");
        g_autofree char *seed = arg_value(files[i]->args, "--seed");
        g_autofree char *shard = arg_value(files[i]->args, "--shard");
        if (g_strcmp0(shards, shards0) != 0 || g_strcmp0(seed, seed0) != 0) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s and %s are not shards of one scan: --shards %s --seed %s against "
                        "--shards %s --seed %s",
                        files[0]->path, files[i]->path, shards0 ? shards0 : "(none)",
                        seed0 ? seed0 : "(none)", shards ? shards : "(none)",
                        seed ? seed : "(none)");
            return FALSE;
        }
        if (count == 1)
            continue;
        guint64 index = shard ? g_ascii_strtoull(shard, NULL, 10) : 0;
        if (index >= count)
            index = 0;
        files[i]->shard = index;
        if (seen[index]) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s and %s are both shard %" G_GUINT64_FORMAT, seen[index], files[i]->path,
                        index);
            return FALSE;
        }
        seen[index] = files[i]->path;
    }
    g_autoptr(GString) missing = g_string_new(NULL);
    guint nmissing = 0;
    for (guint64 i = 0; i < count; i++)
        if (!seen[i] && count > 1 && nmissing++ < 10)
            g_string_append_printf(missing, " %" G_GUINT64_FORMAT, i);
    if (nmissing && warn)
        g_ptr_array_add(warn, g_strdup_printf("WARNING: %u of the %" G_GUINT64_FORMAT
                                              " shards are missing (%s%s): their ports are "
                                              "not in the merged report",
                                              nmissing, count, missing->str + 1,
                                              nmissing > 10 ? " ..." : ""));
    return TRUE;
}

/* The whole scan's command line from a shard's: the words split at spaces
 * (as arg_value() reads them) less --shards, --shard and --seed and the
 * shard's report and capture files (-oN, -oX, -oG, -oA, -w, in GOption's
 * spellings too), each with its value, attached or not. */
static char *whole_scan_args(const char *args)
{
    static const char *const with_value[] = {"--shards",
                                             "--shard",
                                             "--seed",
                                             "-oN",
                                             "-oX",
                                             "-oG",
                                             "-oA",
                                             "-w",
                                             "--output-normal",
                                             "--output-xml",
                                             "--output-grepable",
                                             "--output-all",
                                             "--write"};
    g_auto(GStrv) words = g_strsplit(args, " ", -1);
    g_autoptr(GString) out = g_string_new(NULL);
    for (guint i = 0; words[i]; i++) {
        gboolean drop = FALSE;
        for (guint k = 0; k < G_N_ELEMENTS(with_value) && !drop; k++) {
            const char *name = with_value[k];
            gsize n = strlen(name);
            if (strcmp(words[i], name) == 0) {
                drop = TRUE;
                if (words[i + 1])
                    i++;
            } else if (strncmp(words[i], name, n) == 0 &&
                       (words[i][n] == '=' || (name[1] != '-' && words[i][n] != '\0'))) {
                drop = TRUE; /* --seed=7, -oXfile */
            }
        }
        if (!drop)
            g_string_append_printf(out, "%s%s", out->len ? " " : "", words[i]);
    }
    return g_string_free(g_steal_pointer(&out), FALSE);
}

static gint by_shard(gconstpointer a, gconstpointer b)
{
    const shard_file *x = *(shard_file *const *)a, *y = *(shard_file *const *)b;
    return x->shard < y->shard ? -1 : x->shard > y->shard;
}

static gboolean same_scan(const shard_file *a, const shard_file *b, GError **error)
{
    gboolean same = a->types->len == b->types->len;
    for (guint i = 0; same && i < a->types->len; i++)
        same = g_ptr_array_index(a->types, i) == g_ptr_array_index(b->types, i) &&
               strcmp(g_ptr_array_index(a->services, i), g_ptr_array_index(b->services, i)) == 0;
    if (!same)
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "%s and %s scanned different types or ports (<scaninfo>)", a->path, b->path);
    return same;
}

/* Takes what file f says of host h into the merged host m (ports it stole). */
static gboolean merge_host(host_result *m, host_result *h, const shard_file *f,
                           const probe_plan *plan, GError **error)
{
    gboolean first_up = h->status.state == HOST_UP && m->status.state != HOST_UP;
    if (m->status.state == PORT_STATE_UNKNOWN || first_up) {
        m->status = h->status;
        m->rtt = h->rtt;
        if (h->name) {
            g_free(m->name);
            m->name = g_strdup(h->name);
            m->name_from_dns = h->name_from_dns;
        }
    }
    if (h->has_mac && !m->has_mac) {
        m->has_mac = TRUE;
        memcpy(m->mac, h->mac, sizeof m->mac);
    }
    if (h->start && (m->start == 0 || h->start < m->start))
        m->start = h->start;
    m->end = MAX(m->end, h->end);
    if (h->ports == NULL)
        return TRUE;
    guint nprobes = plan->nprobes;
    if (m->ports == NULL) {
        m->ports = g_new0(port_result, nprobes);
        m->shard_skip = g_new(uint8_t, nprobes);
        memset(m->shard_skip, 1, nprobes);
    }
    for (guint p = 0; p < nprobes; p++) {
        if (h->shard_skip[p])
            continue;
        if (!m->shard_skip[p]) {
            char text[PACKET_ADDR_TEXT];
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "%s reports port %u/%s of %s, which an earlier report holds "
                        "too: they are not shards of one scan",
                        f->path, plan->probes[p].port,
                        report_proto_name(plan->probes[p].type->ip_proto),
                        packet_addr_format(&m->addr, text));
            return FALSE;
        }
        m->shard_skip[p] = 0;
        m->ports[p] = h->ports[p];
    }
    return TRUE;
}

/* Target order: each report lists its hosts in it, so "a before b in some
 * report" is an edge; Kahn's algorithm takes the lowest address among the
 * hosts nothing left precedes. A cycle (a target listed twice) is broken the
 * same way. order: distinct addresses, sorted by address on entry. */
typedef struct node {
    packet_addr addr;
    guint indegree;
    GArray *next; /* indices of nodes */
} node;

static gint by_addr(gconstpointer a, gconstpointer b, gpointer data)
{
    (void)data;
    const node *x = a, *y = b;
    return packet_addr_compare(&x->addr, &y->addr);
}

static void target_order(shard_file **files, guint n, GArray *order)
{
    g_autoptr(GHashTable) index = g_hash_table_new(addr_hash, addr_equal);
    g_autofree node *nodes = g_new0(node, order->len);
    for (guint i = 0; i < order->len; i++) {
        nodes[i].addr = g_array_index(order, packet_addr, i);
        nodes[i].next = g_array_new(FALSE, FALSE, sizeof(guint));
        g_hash_table_insert(index, &nodes[i].addr, GUINT_TO_POINTER(i));
    }
    for (guint f = 0; f < n; f++)
        for (guint i = 1; i < files[f]->hosts->len; i++) {
            guint a = GPOINTER_TO_UINT(g_hash_table_lookup(
                index, &g_array_index(files[f]->hosts, host_result, i - 1).addr));
            guint b = GPOINTER_TO_UINT(
                g_hash_table_lookup(index, &g_array_index(files[f]->hosts, host_result, i).addr));
            if (a != b) {
                g_array_append_val(nodes[a].next, b);
                nodes[b].indegree++;
            }
        }
    GSequence *ready = g_sequence_new(NULL);
    g_autofree gboolean *taken = g_new0(gboolean, order->len);
    for (guint i = 0; i < order->len; i++)
        if (nodes[i].indegree == 0)
            g_sequence_insert_sorted(ready, &nodes[i], by_addr, NULL);
    guint out = 0;
    while (out < order->len) {
        /* A cycle: the lowest address not yet taken goes next (nodes are in
         * address order). */
        for (guint i = 0; g_sequence_is_empty(ready) && i < order->len; i++)
            if (!taken[i])
                g_sequence_insert_sorted(ready, &nodes[i], by_addr, NULL);
        GSequenceIter *first = g_sequence_get_begin_iter(ready);
        node *nd = g_sequence_get(first);
        g_sequence_remove(first);
        guint ni = (guint)(nd - nodes);
        if (taken[ni])
            continue;
        taken[ni] = TRUE;
        g_array_index(order, packet_addr, out++) = nd->addr;
        for (guint k = 0; k < nd->next->len; k++) {
            node *succ = &nodes[g_array_index(nd->next, guint, k)];
            if (succ->indegree && --succ->indegree == 0 && !taken[succ - nodes])
                g_sequence_insert_sorted(ready, succ, by_addr, NULL);
        }
    }
    g_sequence_free(ready);
    for (guint i = 0; i < order->len; i++)
        g_array_unref(nodes[i].next);
}

static gint cmp_addr(gconstpointer a, gconstpointer b)
{
    return packet_addr_compare(a, b);
}

static void host_free(gpointer data)
{
    host_result *h = data;
    g_free(h->name);
    g_free(h->ports);
    g_free(h->shard_skip);
    g_free(h);
}

static gboolean merge_files(merged_report *m, shard_file **files, guint n, GPtrArray *warn,
                            GError **error)
{
    guint nprobes = m->plan ? m->plan->nprobes : 0;
    g_autoptr(GHashTable) by_addr_tab =
        g_hash_table_new_full(addr_hash, addr_equal, NULL, host_free);
    g_autoptr(GArray) order = g_array_new(FALSE, FALSE, sizeof(packet_addr));
    for (guint f = 0; f < n; f++) {
        for (guint i = 0; i < files[f]->hosts->len; i++) {
            host_result *h = &g_array_index(files[f]->hosts, host_result, i);
            host_result *mh = g_hash_table_lookup(by_addr_tab, &h->addr);
            if (mh == NULL) {
                mh = g_new0(host_result, 1);
                mh->addr = h->addr;
                rtt_init(&mh->rtt);
                g_hash_table_insert(by_addr_tab, &mh->addr, mh);
                g_array_append_val(order, h->addr);
            } else if ((mh->status.state == HOST_UP) != (h->status.state == HOST_UP) && warn) {
                char a[PACKET_ADDR_TEXT];
                packet_addr_format(&h->addr, a);
                g_ptr_array_add(warn, g_strdup_printf("WARNING: %s is up in one report and down "
                                                      "in %s: its ports there were not scanned",
                                                      a, files[f]->path));
            }
            if (!merge_host(mh, h, files[f], m->plan, error))
                return FALSE;
        }
    }
    g_array_sort(order, cmp_addr);
    target_order(files, n, order);
    for (guint i = 0; i < order->len; i++) {
        host_result *mh = g_hash_table_lookup(by_addr_tab, &g_array_index(order, packet_addr, i));
        /* Every port of the plan reported: nothing to leave out. */
        if (mh->shard_skip && memchr(mh->shard_skip, 1, nprobes) == NULL)
            g_clear_pointer(&mh->shard_skip, g_free);
        g_array_append_val(m->hosts, *mh);
        m->up += mh->status.state == HOST_UP;
        memset(mh, 0, sizeof *mh); /* m->hosts owns its name and ports now */
    }
    return TRUE;
}

merged_report *report_merge(const char *const *paths, GPtrArray *warn, GError **error)
{
    guint n = g_strv_length((char **)paths);
    g_return_val_if_fail(n > 0, NULL);
    g_autofree shard_file **files = g_new0(shard_file *, n);
    merged_report *m = g_new0(merged_report, 1);
    m->hosts = g_array_new(FALSE, TRUE, sizeof(host_result));
    m->scan_ids = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    gboolean ok = TRUE;
    for (guint i = 0; ok && i < n; i++)
        ok = (files[i] = read_report(paths[i], error)) != NULL &&
             (i == 0 || same_scan(files[0], files[i], error));
    ok = ok && check_shards(files, n, warn, error);
    if (ok) {
        shard_file *first = files[0];
        m->plan = g_steal_pointer(&first->plan);
        m->args = whole_scan_args(first->args);
        m->scan_id = first->scan_id;
        g_autofree shard_file **sorted = g_memdup2(files, sizeof *files * n);
        qsort(sorted, n, sizeof *sorted, by_shard);
        for (guint i = 0; i < n; i++)
            g_array_append_val(m->scan_ids, sorted[i]->scan_id);
        m->verbose = first->verbose;
        g_autofree char *reason = arg_value(first->args, "--reason");
        m->reason = reason != NULL;
        m->start = first->start;
        for (guint i = 0; i < n; i++) {
            m->start = MIN(m->start, files[i]->start);
            m->end = MAX(m->end, files[i]->end);
            m->seconds = MAX(m->seconds, files[i]->elapsed);
            if (files[i]->stopped_by && !m->stopped_by)
                m->stopped_by = g_strdup(files[i]->stopped_by);
        }
        ok = merge_files(m, files, n, warn, error);
    }
    for (guint i = 0; i < n; i++)
        shard_file_free(files[i]);
    if (!ok) {
        merged_report_free(m);
        return NULL;
    }
    return m;
}

void merged_report_free(merged_report *m)
{
    if (m == NULL)
        return;
    for (guint i = 0; i < m->hosts->len; i++) {
        host_result *h = &g_array_index(m->hosts, host_result, i);
        g_free(h->name);
        g_free(h->ports);
        g_free(h->shard_skip);
    }
    g_array_unref(m->hosts);
    g_array_unref(m->scan_ids);
    probe_plan_free(m->plan);
    g_free(m->args);
    g_free(m->stopped_by);
    g_free(m);
}
