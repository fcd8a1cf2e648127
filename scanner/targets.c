#include "targets.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include "error.h"
#include "safe_text.h"

typedef struct target_spec {
    uint8_t values[4][256]; /* the values each octet takes, ascending */
    guint16 count[4];
    char *name;         /* host name given, or NULL */
    uint32_t name_addr; /* what it resolved to */
    /* IPv6: the prefix's first address and how many follow it; the name's
     * address, and the interface given after '%'. */
    gboolean ipv6;
    packet_addr first6, name_addr6;
    guint64 count6;
    char *iface;
} target_spec;

struct targets {
    GPtrArray *specs;
};

static void spec_free(gpointer p)
{
    target_spec *s = p;
    g_free(s->name);
    g_free(s->iface);
    g_free(s);
}

/* fmt quotes spec (cut to its start when long: safe_text_token()). */
static gboolean bad(GError **error, const char *fmt, const char *spec)
{
    g_autofree char *shown = safe_text_token(spec);
    g_set_error(error, ST_ERROR, ST_ERROR_INPUT, fmt, shown);
    return FALSE;
}

static gboolean parse_octet_value(const char *text, long *out)
{
    if (*text == '\0' || strlen(text) > 3)
        return FALSE;
    for (const char *c = text; *c; c++)
        if (!g_ascii_isdigit(*c))
            return FALSE;
    *out = strtol(text, NULL, 10);
    return *out <= 255;
}

/* One octet: "*", or a comma list of N and N-M. */
static gboolean parse_octet(const char *text, gboolean *set)
{
    if (strcmp(text, "*") == 0) {
        for (int v = 0; v < 256; v++)
            set[v] = TRUE;
        return TRUE;
    }
    g_auto(GStrv) items = g_strsplit(text, ",", -1);
    if (items[0] == NULL)
        return FALSE;
    for (char **item = items; *item; item++) {
        char *dash = strchr(*item, '-');
        long lo, hi;
        if (dash) {
            *dash = '\0';
            if (!parse_octet_value(*item, &lo) || !parse_octet_value(dash + 1, &hi) || lo > hi)
                return FALSE;
        } else {
            if (!parse_octet_value(*item, &lo))
                return FALSE;
            hi = lo;
        }
        for (long v = lo; v <= hi; v++)
            set[v] = TRUE;
    }
    return TRUE;
}

static void spec_set_octet(target_spec *s, int i, const gboolean *set)
{
    s->count[i] = 0;
    for (int v = 0; v < 256; v++)
        if (set[v])
            s->values[i][s->count[i]++] = (uint8_t)v;
}

static void spec_set_block(target_spec *s, uint32_t addr, int prefix)
{
    uint32_t mask = prefix == 0 ? 0 : 0xffffffffu << (32 - prefix);
    uint32_t lo = addr & mask, hi = addr | ~mask;
    /* A prefix mask makes every octet one contiguous run of values. */
    for (int i = 0; i < 4; i++) {
        int shift = 24 - 8 * i;
        gboolean set[256] = {FALSE};
        for (guint v = (lo >> shift) & 0xff; v <= ((hi >> shift) & 0xff); v++)
            set[v] = TRUE;
        spec_set_octet(s, i, set);
    }
}

static gboolean looks_numeric(const char *host)
{
    return host[strspn(host, "0123456789.,-*")] == '\0';
}

static gboolean parse_numeric(const char *host, const char *spec, target_spec *s, gboolean single,
                              uint32_t *addr, GError **error)
{
    g_auto(GStrv) octets = g_strsplit(host, ".", -1);
    if (g_strv_length(octets) != 4)
        return bad(error, "bad IPv4 address or range \"%s\" (want a.b.c.d)", spec);
    *addr = 0;
    for (int i = 0; i < 4; i++) {
        gboolean set[256] = {FALSE};
        if (!parse_octet(octets[i], set))
            return bad(error, "bad IPv4 address or range \"%s\"", spec);
        spec_set_octet(s, i, set);
        if (single && s->count[i] != 1)
            return bad(error, "\"%s\": a CIDR block cannot also hold octet ranges", spec);
        *addr = (*addr << 8) | s->values[i][0];
    }
    return TRUE;
}

/* The first address of family for host, into *addr (16 octets for IPv6, 4
 * for IPv4, network order). */
static gboolean lookup(const char *host, int family, int flags, void *addr)
{
    struct addrinfo hints = {.ai_family = family, .ai_socktype = SOCK_RAW, .ai_flags = flags};
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || res == NULL)
        return FALSE;
    if (family == AF_INET6)
        memcpy(addr, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr, 16);
    else
        memcpy(addr, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
    freeaddrinfo(res);
    return TRUE;
}

static gboolean resolve(const char *host, const char *spec, uint32_t *addr, GError **error)
{
    uint32_t be;
    if (!lookup(host, AF_INET, 0, &be))
        return bad(error, "failed to resolve \"%s\"", spec);
    *addr = g_ntohl(be);
    return TRUE;
}

/* -6: an IPv6 literal or a name's AAAA address, with its prefix (-1: none)
 * and %iface. */
static target_spec *spec_parse_ipv6(const char *text, char *host, int prefix, GError **error)
{
    if (prefix > 128) {
        bad(error, "bad IPv6 prefix length in \"%s\" (want /96 to /128)", text);
        return NULL;
    }
    if (prefix >= 0 && prefix < 96) {
        bad(error,
            "\"%s\": a prefix shorter than /96 holds more than 2^32 addresses; scan /96 to "
            "/128",
            text);
        return NULL;
    }
    char *percent = strchr(host, '%');
    if (percent)
        *percent = '\0';
    if (*host == '\0' || (percent && percent[1] == '\0')) {
        bad(error, "bad target \"%s\"", text);
        return NULL;
    }
    target_spec *s = g_new0(target_spec, 1);
    s->ipv6 = TRUE;
    s->iface = percent ? g_strdup(percent + 1) : NULL;
    struct in_addr v4;
    gboolean literal = strchr(host, ':') != NULL;
    if (literal && !lookup(host, AF_INET6, AI_NUMERICHOST, s->first6.bytes)) {
        bad(error, "bad IPv6 address \"%s\"", text);
        spec_free(s);
        return NULL;
    }
    if (!literal && (looks_numeric(host) || inet_pton(AF_INET, host, &v4) == 1)) {
        bad(error, "\"%s\" is not an IPv6 address (scan IPv4 targets without -6)", text);
        spec_free(s);
        return NULL;
    }
    if (!literal && !lookup(host, AF_INET6, 0, s->first6.bytes)) {
        uint32_t be;
        if (lookup(host, AF_INET, 0, &be))
            bad(error, "\"%s\" resolves, but not to any IPv6 address (try without -6)", text);
        else
            bad(error, "failed to resolve \"%s\"", text);
        spec_free(s);
        return NULL;
    }
    if (packet_addr_is_ipv4(&s->first6)) {
        bad(error, "\"%s\" is an IPv4-mapped address (scan IPv4 targets without -6)", text);
        spec_free(s);
        return NULL;
    }
    if (!literal) {
        s->name = g_strdup(host);
        s->name_addr6 = s->first6;
    }
    int host_bits = prefix < 0 ? 0 : 128 - prefix;
    for (int bit = 0; bit < host_bits; bit++)
        s->first6.bytes[15 - bit / 8] &= (uint8_t) ~(1u << (bit % 8));
    s->count6 = (guint64)1 << host_bits;
    return s;
}

static target_spec *spec_parse(const char *text, gboolean ipv6, GError **error)
{
    /* Only IPv6 addresses hold a colon; nmap's words. */
    if (!ipv6 && strchr(text, ':')) {
        bad(error,
            "\"%s\" looks like an IPv6 target specification -- you have to use the -6 option",
            text);
        return NULL;
    }
    g_autofree char *host = g_strdup(text);
    char *slash = strchr(host, '/');
    int prefix = -1;
    int max = ipv6 ? 128 : 32;
    if (slash) {
        *slash = '\0';
        const char *p = slash + 1;
        char *end;
        long v = strtol(p, &end, 10);
        if (*p == '\0' || !g_ascii_isdigit(*p) || *end != '\0' || v < 0 || v > max) {
            if (ipv6)
                bad(error, "bad IPv6 prefix length in \"%s\" (want /96 to /128)", text);
            else
                bad(error, "bad CIDR mask in \"%s\" (want /0 to /32)", text);
            return NULL;
        }
        prefix = (int)v;
    }
    if (*host == '\0') {
        bad(error, "bad target \"%s\"", text);
        return NULL;
    }
    if (ipv6)
        return spec_parse_ipv6(text, host, prefix, error);
    target_spec *s = g_new0(target_spec, 1);
    uint32_t addr;
    gboolean ok;
    if (looks_numeric(host)) {
        ok = parse_numeric(host, text, s, prefix >= 0, &addr, error);
    } else {
        ok = resolve(host, text, &addr, error);
        if (ok) {
            s->name = g_strdup(host);
            s->name_addr = addr;
            spec_set_block(s, addr, 32);
        }
    }
    if (ok && prefix >= 0)
        spec_set_block(s, addr, prefix);
    if (!ok) {
        spec_free(s);
        return NULL;
    }
    return s;
}

targets *targets_parse(const char *const *specs, gboolean ipv6, GError **error)
{
    targets *t = g_new0(targets, 1);
    t->specs = g_ptr_array_new_with_free_func(spec_free);
    for (const char *const *p = specs; p && *p; p++) {
        target_spec *s = spec_parse(*p, ipv6, error);
        if (s == NULL) {
            targets_free(t);
            return NULL;
        }
        g_ptr_array_add(t->specs, s);
    }
    return t;
}

void targets_free(targets *t)
{
    if (t == NULL)
        return;
    g_ptr_array_unref(t->specs);
    g_free(t);
}

/* A target list is text: targets are ASCII (a host name in another script is
 * written in its DNS form, punycode), comments may be anything but control
 * bytes. A binary file read as names would send lookups for its bytes. */
static gboolean list_is_text(const char *path, const char *text, gsize len, GError **error)
{
    guint line = 1;
    gboolean comment = FALSE;
    for (gsize i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\n') {
            line++;
            comment = FALSE;
            continue;
        }
        comment = comment || c == '#';
        gboolean space = c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
        if (space || (c >= 0x20 && c < 0x7f) || (comment && c >= 0x80))
            continue;
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT,
                    "the target list %s is not text: byte 0x%02x on line %u", path, c, line);
        return FALSE;
    }
    return TRUE;
}

char **targets_read_file(const char *path, GError **error)
{
    g_autofree char *text = NULL;
    gsize len = 0;
    GError *local = NULL;
    gboolean ok;
    if (strcmp(path, "-") == 0) {
        g_autoptr(GIOChannel) in = g_io_channel_unix_new(0);
        g_io_channel_set_encoding(in, NULL, NULL);
        ok = g_io_channel_read_to_end(in, &text, &len, &local) == G_IO_STATUS_NORMAL;
    } else {
        ok = g_file_get_contents(path, &text, &len, &local);
    }
    if (!ok) {
        /* "Error reading file “PATH”: Is a directory": the system's words only. */
        const char *why = local ? local->message : g_strerror(errno);
        const char *last = local ? g_strrstr(why, ": ") : NULL;
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "cannot read the target list %s: %s", path,
                    last ? last + 2 : why);
        g_clear_error(&local);
        return NULL;
    }
    if (!list_is_text(path, text, len, error))
        return NULL;
    GStrvBuilder *specs = g_strv_builder_new();
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    for (char **line = lines; *line; line++) {
        char *hash = strchr(*line, '#');
        if (hash)
            *hash = '\0';
        g_auto(GStrv) words = g_strsplit_set(*line, " \t\r\v\f", -1);
        for (char **w = words; *w; w++)
            if (**w)
                g_strv_builder_add(specs, *w);
    }
    char **out = g_strv_builder_end(specs);
    g_strv_builder_unref(specs);
    return out;
}

/* Whether a is among an IPv6 spec's addresses: its prefix's first 96 bits,
 * and at most count6 - 1 past its first address in the last 32. */
static gboolean spec_contains_ipv6(const target_spec *s, const packet_addr *a)
{
    return memcmp(s->first6.bytes, a->bytes, 12) == 0 &&
           (guint64)(packet_addr_low32(a) - packet_addr_low32(&s->first6)) < s->count6;
}

gboolean targets_contains(const targets *t, const packet_addr *a)
{
    for (guint i = 0; i < t->specs->len; i++) {
        const target_spec *s = g_ptr_array_index(t->specs, i);
        if (s->ipv6 && spec_contains_ipv6(s, a))
            return TRUE;
    }
    if (!packet_addr_is_ipv4(a))
        return FALSE;
    uint32_t addr = packet_addr_low32(a);
    for (guint i = 0; i < t->specs->len; i++) {
        const target_spec *s = g_ptr_array_index(t->specs, i);
        if (s->ipv6)
            continue;
        int octet = 0;
        for (; octet < 4; octet++) {
            uint8_t v = (uint8_t)(addr >> (24 - 8 * octet));
            if (memchr(s->values[octet], v, s->count[octet]) == NULL)
                break;
        }
        if (octet == 4)
            return TRUE;
    }
    return FALSE;
}

guint64 targets_count(const targets *t)
{
    guint64 total = 0;
    for (guint i = 0; i < t->specs->len; i++) {
        const target_spec *s = g_ptr_array_index(t->specs, i);
        total +=
            s->ipv6 ? s->count6 : (guint64)s->count[0] * s->count[1] * s->count[2] * s->count[3];
    }
    return total;
}

void target_iter_init(target_iter *it, const targets *t)
{
    memset(it, 0, sizeof *it);
    it->t = t;
}

/* Advances the last octet first, like an odometer; false past the last address. */
static gboolean odometer_step(target_iter *it, const target_spec *s)
{
    for (int i = 3; i >= 0; i--) {
        if (++it->idx[i] < s->count[i])
            return TRUE;
        it->idx[i] = 0;
    }
    return FALSE;
}

gboolean target_iter_next(target_iter *it, packet_addr *addr, const char **name)
{
    while (it->spec < it->t->specs->len) {
        const target_spec *s = g_ptr_array_index(it->t->specs, it->spec);
        if (s->ipv6) {
            if (it->started && ++it->offset >= s->count6) {
                it->spec++;
                it->started = FALSE;
                it->offset = 0;
                continue;
            }
            it->started = TRUE;
            /* At most 32 bits of host: the offset is added to the last 32. */
            *addr = s->first6;
            uint32_t low = packet_addr_low32(addr) + (uint32_t)it->offset;
            put_be32(addr->bytes + 12, low);
            *name = (s->name && packet_addr_equal(addr, &s->name_addr6)) ? s->name : NULL;
            return TRUE;
        }
        if (it->started && !odometer_step(it, s)) {
            it->spec++;
            it->started = FALSE;
            continue;
        }
        it->started = TRUE;
        uint32_t v4 = 0;
        for (int i = 0; i < 4; i++)
            v4 = (v4 << 8) | s->values[i][it->idx[i]];
        *addr = packet_addr_from_ipv4(v4);
        *name = (s->name && v4 == s->name_addr) ? s->name : NULL;
        return TRUE;
    }
    return FALSE;
}

const char *target_iter_interface(const target_iter *it)
{
    if (!it->started || it->spec >= it->t->specs->len)
        return NULL;
    const target_spec *s = g_ptr_array_index(it->t->specs, it->spec);
    return s->iface;
}
