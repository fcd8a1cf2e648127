#include "ports.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "safe_text.h"

enum { PORT_MAX = 65535 };

/* Reads one bound of a range. An empty bound is allowed (open range) and gives
 * dflt; anything but decimal digits is an error. Port 0 is a port like any
 * other when named ("0", "0-5", "0-"), as nmap 7.93's getpts_aux() reads it
 * (nmap.cc: "between 0 and 65535 inclusive"); only an open start ("-5", "-")
 * begins at 1 there, which the caller's dflt says. */
static gboolean parse_bound(const char *text, const char *item, long dflt, long *out,
                            GError **error)
{
    if (*text == '\0') {
        *out = dflt;
        return TRUE;
    }
    /* Quoted cut to their start when long (safe_text_token()). */
    g_autofree char *shown = safe_text_token(item);
    g_autofree char *shown_text = safe_text_token(text);
    /* nmap also takes nmap-services' names ("-p http,ssh", "-p 'http*'"); scantrace
     * says so rather than guess at a name's ports. */
    if (g_ascii_isalpha(text[0])) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "port names such as \"%s\" are not supported by scantrace: give port numbers",
                    shown);
        return FALSE;
    }
    for (const char *c = text; *c; c++) {
        if (!g_ascii_isdigit(*c)) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "bad port specification \"%s\"", shown);
            return FALSE;
        }
    }
    errno = 0;
    long v = strtol(text, NULL, 10);
    if (errno != 0 || v < 0 || v > PORT_MAX) {
        if (strcmp(text, item) == 0)
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "port %s is out of range (ports are 0-65535)", shown_text);
        else
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "port %s in \"%s\" is out of range (ports are 0-65535)", shown_text, shown);
        return FALSE;
    }
    *out = v;
    return TRUE;
}

/* dup, when not NULL, is set when a port of item was already in seen (nmap's
 * "Duplicate port number(s) specified" warning, getpts_aux() in nmap.cc). */
static gboolean parse_item(const char *item, guint8 *seen, gboolean *dup, GError **error)
{
    if (*item == '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "empty item in port list");
        return FALSE;
    }
    g_autofree char *copy = g_strdup(item);
    g_autofree char *shown = safe_text_token(item);
    /* nmap's other nmap-services forms: wildcards over the names ("*",
     * "http*") and [RANGE], the range's ports nmap-services lists. */
    if (strpbrk(item, "[]*?")) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "nmap-services port forms such as \"%s\" (names, wildcards, [ranges]) are not "
                    "supported by scantrace: give port numbers",
                    shown);
        return FALSE;
    }
    char *dash = strchr(copy, '-');
    long lo, hi;
    if (dash == NULL) {
        if (!parse_bound(copy, item, 0, &lo, error))
            return FALSE;
        hi = lo;
    } else {
        *dash = '\0';
        if (strchr(dash + 1, '-') != NULL) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "bad port range \"%s\"", shown);
            return FALSE;
        }
        if (!parse_bound(copy, item, 1, &lo, error) ||
            !parse_bound(dash + 1, item, PORT_MAX, &hi, error))
            return FALSE;
        if (lo > hi) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                        "reversed port range \"%s\" (write %ld-%ld)", shown, hi, lo);
            return FALSE;
        }
    }
    for (long p = lo; p <= hi; p++) {
        if (seen[p] && dup)
            *dup = TRUE;
        seen[p] = 1;
    }
    return TRUE;
}

static GArray *ports_of(const guint8 *seen)
{
    GArray *ports = g_array_new(FALSE, FALSE, sizeof(guint16));
    for (guint p = 0; p <= PORT_MAX; p++) {
        if (seen[p]) {
            guint16 v = (guint16)p;
            g_array_append_val(ports, v);
        }
    }
    return ports;
}

GArray *ports_parse(const char *spec, GError **error)
{
    if (spec == NULL || *spec == '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "empty port list");
        return NULL;
    }
    g_autofree guint8 *seen = g_malloc0(PORT_MAX + 1);
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    for (char **item = items; *item; item++)
        if (!parse_item(*item, seen, NULL, error))
            return NULL;
    return ports_of(seen);
}

gboolean ports_parse_split(const char *spec, GArray **tcp, GArray **udp, GArray **sctp,
                           GError **error)
{
    return ports_parse_split_noted(spec, tcp, udp, sctp, NULL, error);
}

gboolean ports_parse_split_noted(const char *spec, GArray **tcp, GArray **udp, GArray **sctp,
                                 gboolean *duplicate, GError **error)
{
    *tcp = *udp = *sctp = NULL;
    if (duplicate)
        *duplicate = FALSE;
    if (spec == NULL || *spec == '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "empty port list");
        return FALSE;
    }
    /* T:, U:, S: in that order; before any prefix, a port is every one's. */
    static const char prefixes[] = "TUS";
    guint8 *seen[3];
    for (int p = 0; p < 3; p++)
        seen[p] = g_malloc0(PORT_MAX + 1);
    gboolean to[3] = {TRUE, TRUE, TRUE};
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    gboolean ok = TRUE;
    for (char **item = items; *item && ok; item++) {
        const char *text = *item;
        if (g_ascii_isalpha(text[0]) && text[1] == ':') {
            const char *which = strchr(prefixes, g_ascii_toupper(text[0]));
            if (which == NULL) {
                g_autofree char *shown = safe_text_token(text);
                g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                            "bad port specification \"%s\" (only T:, U: and S: are supported)",
                            shown);
                ok = FALSE;
                break;
            }
            for (int p = 0; p < 3; p++)
                to[p] = p == which - prefixes;
            text += 2;
        }
        for (int p = 0; p < 3 && ok; p++)
            ok = !to[p] || parse_item(text, seen[p], duplicate, error);
    }
    if (ok) {
        *tcp = ports_of(seen[0]);
        *udp = ports_of(seen[1]);
        *sctp = ports_of(seen[2]);
    }
    for (int p = 0; p < 3; p++)
        g_free(seen[p]);
    return ok;
}

/* A protocol number of len characters at text; an empty one (an open end of
 * a range) gives dflt. -1: not digits; 256: above 255. */
static long protocol_bound(const char *text, size_t len, long dflt)
{
    if (len == 0)
        return dflt;
    long v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!g_ascii_isdigit(text[i]))
            return -1;
        v = MIN(v * 10 + (text[i] - '0'), 256);
    }
    return v;
}

/* One protocol list item: N, N-M, -M, N-, -. */
static gboolean parse_protocol_item(const char *item, guint8 *seen, GError **error)
{
    const char *dash = strchr(item, '-');
    size_t len = strlen(item);
    g_autofree char *shown = safe_text_token(item);
    long lo, hi;
    if (dash == NULL) {
        lo = hi = len ? protocol_bound(item, len, 0) : -1;
    } else {
        lo = strchr(dash + 1, '-') ? -1 : protocol_bound(item, (size_t)(dash - item), 0);
        hi = protocol_bound(dash + 1, strlen(dash + 1), 255);
    }
    if (lo < 0 || hi < 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "bad protocol specification \"%s\"", shown);
        return FALSE;
    }
    if (lo > 255 || hi > 255) {
        /* nmap's words (nmap.cc) */
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "Protocols specified must be between 0 and 255 inclusive (\"%s\")", shown);
        return FALSE;
    }
    if (lo > hi) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "reversed protocol range \"%s\"", shown);
        return FALSE;
    }
    for (long p = lo; p <= hi; p++)
        seen[p] = 1;
    return TRUE;
}

GArray *ports_parse_protocols(const char *spec, GError **error)
{
    if (spec == NULL || *spec == '\0') {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "empty protocol list");
        return NULL;
    }
    guint8 seen[256] = {0};
    gboolean mine = TRUE;
    g_auto(GStrv) items = g_strsplit(spec, ",", -1);
    for (char **item = items; *item; item++) {
        const char *text = *item;
        if (g_ascii_isalpha(text[0]) && text[1] == ':') {
            char proto = g_ascii_toupper(text[0]);
            if (proto != 'T' && proto != 'U' && proto != 'S' && proto != 'P') {
                g_autofree char *shown = safe_text_token(text);
                g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                            "bad port specification \"%s\" (T:, U:, S: or P:)", shown);
                return NULL;
            }
            mine = proto == 'P';
            text += 2;
        }
        if (mine && !parse_protocol_item(text, seen, error))
            return NULL;
    }
    GArray *protos = g_array_new(FALSE, FALSE, sizeof(guint16));
    for (guint16 p = 0; p < 256; p++)
        if (seen[p])
            g_array_append_val(protos, p);
    return protos;
}

char *ports_format(const uint16_t *ports, guint count)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < count;) {
        guint j = i;
        while (j + 1 < count && ports[j + 1] == ports[j] + 1)
            j++;
        if (s->len)
            g_string_append_c(s, ',');
        if (j == i)
            g_string_append_printf(s, "%u", ports[i]);
        else
            g_string_append_printf(s, "%u-%u", ports[i], ports[j]);
        i = j + 1;
    }
    return g_string_free(s, FALSE);
}

void ports_prefix_warnings(const char *spec, gboolean tcp, gboolean udp, gboolean sctp,
                           GString *out)
{
    for (const char *c = spec; c[0] && c[1]; c++) {
        if (c[1] != ':')
            continue;
        if (c[0] == 'T' && !tcp)
            g_string_append(out, "WARNING: Your ports include \"T:\" but you haven't specified "
                                 "any TCP scan type.\n");
        else if (c[0] == 'U' && !udp)
            g_string_append(out, "WARNING: Your ports include \"U:\" but you haven't specified "
                                 "UDP scan with -sU.\n");
        else if (c[0] == 'S' && !sctp)
            g_string_append(out, "WARNING: Your ports include \"S:\" but you haven't specified "
                                 "any SCTP scan type.\n");
    }
}
