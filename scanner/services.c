#include "services.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "packet.h"
#include "services_builtin.h"

typedef struct service {
    uint16_t port;
    uint8_t proto;
    double ratio;
    const char *name;
} service;

struct services {
    GArray *entries; /* service, sorted by (proto, port) for lookups */
    GStringChunk *names;
    char *dir; /* the folder the table was read from; NULL for the built-in copy */
};

static int by_proto_port(const void *a, const void *b)
{
    const service *x = a, *y = b;
    if (x->proto != y->proto)
        return x->proto < y->proto ? -1 : 1;
    return (int)x->port - (int)y->port;
}

static int by_ratio_then_port(const void *a, const void *b)
{
    const service *x = a, *y = b;
    if (x->ratio != y->ratio)
        return x->ratio > y->ratio ? -1 : 1;
    return (int)x->port - (int)y->port;
}

static services *services_new(void)
{
    services *s = g_new0(services, 1);
    s->entries = g_array_new(FALSE, FALSE, sizeof(service));
    s->names = g_string_chunk_new(4096);
    return s;
}

/* One line: "name<ws>port/proto<ws>ratio[<ws># comment]"; others are skipped. */
static void parse_line(services *s, char *line)
{
    char *hash = strchr(line, '#');
    if (hash)
        *hash = '\0';
    g_auto(GStrv) f = g_strsplit_set(g_strstrip(line), " \t", -1);
    char *fields[3];
    guint n = 0;
    for (char **p = f; *p && n < 3; p++)
        if (**p)
            fields[n++] = *p;
    if (n < 2)
        return;
    char *slash = strchr(fields[1], '/');
    if (slash == NULL)
        return;
    *slash = '\0';
    char *end;
    long port = strtol(fields[1], &end, 10);
    if (*end != '\0' || port < 0 || port > 65535)
        return;
    uint8_t proto;
    if (strcmp(slash + 1, "tcp") == 0)
        proto = PACKET_TCP;
    else if (strcmp(slash + 1, "udp") == 0)
        proto = PACKET_UDP;
    else if (strcmp(slash + 1, "sctp") == 0)
        proto = PACKET_SCTP;
    else
        return;
    service e = {.port = (uint16_t)port,
                 .proto = proto,
                 .ratio = n == 3 ? g_ascii_strtod(fields[2], NULL) : 0.0,
                 .name = g_string_chunk_insert_const(s->names, fields[0])};
    g_array_append_val(s->entries, e);
}

services *services_load(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    if (!g_file_get_contents(path, &text, NULL, error))
        return NULL;
    services *s = services_new();
    /* Line by line in place: g_strsplit() rescans the rest of the text for
     * every line, which sanitizers make quadratic. */
    for (char *line = text, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        parse_line(s, line);
    }
    if (s->entries->len == 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "%s holds no services", path);
        services_free(s);
        return NULL;
    }
    g_array_sort(s->entries, by_proto_port);
    s->dir = g_path_get_dirname(path);
    return s;
}

services *services_builtin(void)
{
    services *s = services_new();
    for (guint i = 0; i < SERVICES_BUILTIN_TCP_COUNT; i++) {
        /* The table is in frequency order; its rank stands in for the ratio. */
        service e = {.port = services_builtin_tcp[i].port,
                     .proto = PACKET_TCP,
                     .ratio = SERVICES_BUILTIN_TCP_COUNT - i,
                     .name = services_builtin_tcp[i].name};
        g_array_append_val(s->entries, e);
    }
    g_array_sort(s->entries, by_proto_port);
    return s;
}

void services_free(services *s)
{
    if (s == NULL)
        return;
    g_array_unref(s->entries);
    g_string_chunk_free(s->names);
    g_free(s->dir);
    g_free(s);
}

const char *services_dir(const services *s)
{
    return s->dir;
}

const char *services_name(const services *s, uint8_t ip_proto, uint16_t port)
{
    service key = {.port = port, .proto = ip_proto};
    const service *hit =
        bsearch(&key, s->entries->data, s->entries->len, sizeof(service), by_proto_port);
    return hit ? hit->name : "unknown";
}

static gint by_port(gconstpointer a, gconstpointer b)
{
    return (gint) * (const guint16 *)a - (gint) * (const guint16 *)b;
}

GArray *services_top_ports(const services *s, uint8_t ip_proto, guint n)
{
    return services_top_ports_of(s, ip_proto, n, NULL);
}

GArray *services_top_ports_of(const services *s, uint8_t ip_proto, guint n, const GArray *among)
{
    g_autoptr(GArray) ranked = g_array_new(FALSE, FALSE, sizeof(service));
    for (guint i = 0; i < s->entries->len; i++) {
        const service *e = &g_array_index(s->entries, service, i);
        if (e->proto == ip_proto && e->port != 0 &&
            (among == NULL || bsearch(&e->port, among->data, among->len, sizeof(guint16), by_port)))
            g_array_append_val(ranked, *e);
    }
    g_array_sort(ranked, by_ratio_then_port);
    GArray *ports = g_array_new(FALSE, FALSE, sizeof(guint16));
    for (guint i = 0; i < ranked->len && i < n; i++) {
        guint16 p = g_array_index(ranked, service, i).port;
        g_array_append_val(ports, p);
    }
    g_array_sort(ports, by_port);
    return ports;
}

gboolean services_knows(const services *s, uint8_t ip_proto)
{
    for (guint i = 0; i < s->entries->len; i++)
        if (g_array_index(s->entries, service, i).proto == ip_proto)
            return TRUE;
    return FALSE;
}

GArray *services_ports_by_ratio(const services *s, uint8_t ip_proto, double ratio,
                                const GArray *among)
{
    GArray *ports = g_array_new(FALSE, FALSE, sizeof(guint16));
    for (guint i = 0; i < s->entries->len; i++) {
        const service *e = &g_array_index(s->entries, service, i);
        if (e->proto == ip_proto && e->port != 0 && e->ratio >= ratio &&
            (among == NULL || bsearch(&e->port, among->data, among->len, sizeof(guint16), by_port)))
            g_array_append_val(ports, e->port);
    }
    g_array_sort(ports, by_port);
    /* A port listed twice in the file counts once. */
    guint kept = 0;
    for (guint i = 0; i < ports->len; i++)
        if (kept == 0 ||
            g_array_index(ports, guint16, i) != g_array_index(ports, guint16, kept - 1))
            g_array_index(ports, guint16, kept++) = g_array_index(ports, guint16, i);
    g_array_set_size(ports, kept);
    return ports;
}

services *services_default(void)
{
    GError *error = NULL;
    services *s = services_load(SERVICES_NMAP_PATH, &error);
    if (s)
        return s;
    g_clear_error(&error);
    return services_builtin();
}
