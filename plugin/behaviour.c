#include "behaviour.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

/* Bounds on what a hostile or huge capture can make us keep: sources, and failed
 * (host, port) pairs over all of them. Past either, new ones are not counted. */
#define MAX_SOURCES  (1u << 20)
#define MAX_FAILURES (1u << 22)

#define EVIDENCE_LEN 128

struct behaviour {
    GHashTable *sources; /* source address -> behaviour_source */
    unsigned failures;   /* entries in every source's failed set */
};

struct behaviour_source {
    packet_addr addr;
    bool scanner;
    bool resets_after_handshake;
    bool closes_after_handshake; /* ended a connection with a FIN, without a byte */
    bool refused;                /* an attempt refused, unreachable or unanswered */
    double window_start;
    /* What a scanner scans, kept past the threshold: the targets it failed on,
     * and the port it swept, if a sweep made it one. */
    GHashTable *scanned_targets;
    uint32_t swept; /* proto << 16 | port; 0: none */
    /* Created at the first failure: most sources never fail. */
    GHashTable *failed;          /* failed_key, deduplicated */
    GHashTable *ports_of_target; /* target (packet_addr) -> distinct failed ports */
    GHashTable *hosts_of_port;   /* proto << 16 | port -> distinct failed targets */
    char evidence[EVIDENCE_LEN];
};

/* One failed (host, port): hashed and compared as one block of bytes, zeroed
 * first so that its padding is too. */
typedef struct failed_key {
    packet_addr target;
    uint32_t proto_port; /* proto << 16 | port */
} failed_key;

static guint addr_hash(gconstpointer key)
{
    return packet_addr_hash(key);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

static guint failed_hash(gconstpointer key)
{
    const failed_key *k = key;
    return packet_addr_hash(&k->target) ^ (k->proto_port * 0x9e3779b1u);
}

static gboolean failed_equal(gconstpointer a, gconstpointer b)
{
    const failed_key *x = a, *y = b;
    return packet_addr_equal(&x->target, &y->target) && x->proto_port == y->proto_port;
}

static GHashTable *addr_table(void)
{
    return g_hash_table_new_full(addr_hash, addr_equal, g_free, NULL);
}

static void source_clear(behaviour *b, behaviour_source *s)
{
    if (!s->failed)
        return;
    unsigned n = g_hash_table_size(s->failed);
    b->failures = b->failures > n ? b->failures - n : 0;
    g_hash_table_remove_all(s->failed);
    g_hash_table_remove_all(s->ports_of_target);
    g_hash_table_remove_all(s->hosts_of_port);
}

static void source_free(gpointer data)
{
    behaviour_source *s = data;
    if (s->scanned_targets)
        g_hash_table_destroy(s->scanned_targets);
    if (s->failed) {
        g_hash_table_destroy(s->failed);
        g_hash_table_destroy(s->ports_of_target);
        g_hash_table_destroy(s->hosts_of_port);
    }
    g_free(s);
}

behaviour *behaviour_new(void)
{
    behaviour *b = g_new0(behaviour, 1);
    /* Keyed by each source's own addr field. */
    b->sources = g_hash_table_new_full(addr_hash, addr_equal, NULL, source_free);
    return b;
}

void behaviour_free(behaviour *b)
{
    if (!b)
        return;
    g_hash_table_destroy(b->sources);
    g_free(b);
}

behaviour_source *behaviour_source_get(behaviour *b, const packet_addr *src)
{
    behaviour_source *s = g_hash_table_lookup(b->sources, src);
    if (s || g_hash_table_size(b->sources) >= MAX_SOURCES)
        return s;
    s = g_new0(behaviour_source, 1);
    s->addr = *src;
    g_hash_table_insert(b->sources, &s->addr, s);
    return s;
}

behaviour_source *behaviour_source_find(const behaviour *b, const packet_addr *src)
{
    return b ? g_hash_table_lookup(b->sources, src) : NULL;
}

/* Adds one to the count under key; returns the new count. */
static unsigned count_up(GHashTable *counts, guint key)
{
    unsigned n = GPOINTER_TO_UINT(g_hash_table_lookup(counts, GUINT_TO_POINTER(key))) + 1;
    g_hash_table_insert(counts, GUINT_TO_POINTER(key), GUINT_TO_POINTER(n));
    return n;
}

/* The same, under an address kept by the table. */
static unsigned count_up_addr(GHashTable *counts, const packet_addr *key)
{
    gpointer stored, value;
    if (g_hash_table_lookup_extended(counts, key, &stored, &value)) {
        unsigned n = GPOINTER_TO_UINT(value) + 1;
        g_hash_table_insert(counts, g_memdup2(key, sizeof *key), GUINT_TO_POINTER(n));
        return n;
    }
    g_hash_table_insert(counts, g_memdup2(key, sizeof *key), GUINT_TO_POINTER(1u));
    return 1;
}

static const char *proto_name(uint8_t proto)
{
    return proto == 17 ? "udp" : "tcp";
}

void behaviour_failed(behaviour *b, behaviour_source *s, const packet_addr *target, uint8_t proto,
                      uint16_t port, double when, behaviour_failure why,
                      const behaviour_config *cfg)
{
    if (!s)
        return;
    if (why == FAILURE_ABORTED_RESET)
        s->resets_after_handshake = true;
    if (why == FAILURE_ABORTED)
        s->closes_after_handshake = true;
    if (why != FAILURE_ABORTED && why != FAILURE_ABORTED_RESET)
        s->refused = true;
    if (!s->scanned_targets)
        s->scanned_targets = addr_table();
    if (g_hash_table_size(s->scanned_targets) < MAX_FAILURES &&
        !g_hash_table_contains(s->scanned_targets, target))
        g_hash_table_add(s->scanned_targets, g_memdup2(target, sizeof *target));
    if (s->scanner)
        return;
    if (!s->failed) {
        s->failed = g_hash_table_new_full(failed_hash, failed_equal, g_free, NULL);
        s->ports_of_target = addr_table();
        s->hosts_of_port = g_hash_table_new(g_direct_hash, g_direct_equal);
        s->window_start = when;
    }
    if (when - s->window_start > cfg->window || when < s->window_start) {
        source_clear(b, s);
        s->window_start = when;
    }
    failed_key key;
    memset(&key, 0, sizeof key);
    key.target = *target;
    key.proto_port = (uint32_t)proto << 16 | port;
    if (g_hash_table_contains(s->failed, &key) || b->failures >= MAX_FAILURES)
        return;
    g_hash_table_add(s->failed, g_memdup2(&key, sizeof key));
    b->failures++;
    unsigned ports = count_up_addr(s->ports_of_target, target);
    unsigned hosts = count_up(s->hosts_of_port, (guint)proto << 16 | port);
    /* A source whose every attempt was accepted (a load balancer's health
     * checks, a monitor) checks services it knows are there: a scanner meets
     * closed or filtered ports too. */
    if (!s->refused)
        return;
    if (cfg->port_threshold && ports >= cfg->port_threshold) {
        s->scanner = true;
        char text[PACKET_ADDR_TEXT];
        snprintf(s->evidence, sizeof s->evidence,
                 "port scan: failed attempts on %u ports of %s within %u s (threshold %u)", ports,
                 packet_addr_format(target, text), cfg->window, cfg->port_threshold);
    } else if (cfg->host_threshold && hosts >= cfg->host_threshold) {
        s->scanner = true;
        s->swept = (uint32_t)proto << 16 | port;
        snprintf(s->evidence, sizeof s->evidence,
                 "address sweep: failed attempts on %u hosts at %u/%s within %u s (threshold %u)",
                 hosts, port, proto_name(proto), cfg->window, cfg->host_threshold);
    }
    if (s->scanner)
        source_clear(b, s); /* what made it a scanner is in the evidence */
}

bool behaviour_is_scanner(const behaviour_source *s)
{
    return s && s->scanner;
}

const char *behaviour_evidence(const behaviour_source *s)
{
    return s && s->scanner ? s->evidence : "";
}

bool behaviour_resets_after_handshake(const behaviour_source *s)
{
    return s && s->resets_after_handshake;
}

bool behaviour_closes_after_handshake(const behaviour_source *s)
{
    return s && s->closes_after_handshake;
}

bool behaviour_scans(const behaviour_source *s, const packet_addr *target, uint8_t proto,
                     uint16_t port)
{
    if (!s || !s->scanner)
        return false;
    if (s->swept && s->swept == ((uint32_t)proto << 16 | port))
        return true;
    return s->scanned_targets && g_hash_table_contains(s->scanned_targets, target);
}
