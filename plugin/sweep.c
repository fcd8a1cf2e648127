#include "sweep.h"

#include <stdio.h>

#include <glib.h>

/* Bounds on what a hostile capture can make us keep. */
#define MAX_SOURCES (1u << 20)

struct sweep {
    GHashTable *sources; /* packet_addr -> sweep_source, keyed by its addr */
};

struct sweep_source {
    packet_addr addr;
    packet_addr last; /* the address asked for last */
    double window_start;
    GHashTable *asked; /* distinct addresses within the window; NULL until a second */
    bool sweeper;
    char *evidence;
};

static guint addr_hash(gconstpointer key)
{
    return packet_addr_hash(key);
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return packet_addr_equal(a, b);
}

static void source_free(gpointer data)
{
    sweep_source *src = data;
    if (src->asked)
        g_hash_table_destroy(src->asked);
    g_free(src->evidence);
    g_free(src);
}

sweep *sweep_new(void)
{
    sweep *s = g_new0(sweep, 1);
    s->sources = g_hash_table_new_full(addr_hash, addr_equal, NULL, source_free);
    return s;
}

void sweep_free(sweep *s)
{
    if (!s)
        return;
    g_hash_table_destroy(s->sources);
    g_free(s);
}

sweep_source *sweep_find(const sweep *s, const packet_addr *src)
{
    return s ? g_hash_table_lookup(s->sources, src) : NULL;
}

sweep_source *sweep_asked(sweep *s, const packet_addr *addr, const packet_addr *target, double when,
                          unsigned threshold, double window)
{
    sweep_source *src = g_hash_table_lookup(s->sources, addr);
    if (!src) {
        if (g_hash_table_size(s->sources) >= MAX_SOURCES)
            return NULL;
        src = g_new0(sweep_source, 1);
        src->addr = *addr;
        src->last = *target;
        src->window_start = when;
        g_hash_table_insert(s->sources, &src->addr, src);
        return src;
    }
    /* The same address again (a retry, a cache refresh): the common case, and
     * nothing to count. */
    if (src->sweeper || packet_addr_equal(&src->last, target) || threshold == 0)
        return src;
    if (when - src->window_start > window || when < src->window_start) {
        src->window_start = when;
        if (src->asked)
            g_hash_table_remove_all(src->asked);
    }
    if (!src->asked)
        src->asked = g_hash_table_new_full(addr_hash, addr_equal, g_free, NULL);
    if (g_hash_table_size(src->asked) == 0)
        g_hash_table_add(src->asked, g_memdup2(&src->last, sizeof src->last));
    src->last = *target;
    if (!g_hash_table_contains(src->asked, target))
        g_hash_table_add(src->asked, g_memdup2(target, sizeof *target));
    unsigned n = g_hash_table_size(src->asked);
    if (n >= threshold) {
        src->sweeper = true;
        src->evidence = g_strdup_printf("address sweep on the link: %u addresses asked within %g s "
                                        "(threshold %u)",
                                        n, window, threshold);
        g_hash_table_destroy(src->asked);
        src->asked = NULL;
    }
    return src;
}

bool sweep_is_sweeper(const sweep_source *src)
{
    return src && src->sweeper;
}

const char *sweep_evidence(const sweep_source *src)
{
    return src && src->sweeper ? src->evidence : "";
}
