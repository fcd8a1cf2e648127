#include "mac_vendor.h"

#include <string.h>

struct mac_vendors {
    char *path;
    GHashTable *by_prefix; /* 24-bit prefix + 1 -> name; NULL until first asked */
};

mac_vendors *mac_vendors_new(const char *path)
{
    mac_vendors *v = g_new0(mac_vendors, 1);
    v->path = g_strdup(path);
    return v;
}

void mac_vendors_free(mac_vendors *v)
{
    if (v == NULL)
        return;
    if (v->by_prefix)
        g_hash_table_unref(v->by_prefix);
    g_free(v->path);
    g_free(v);
}

/* "525400 QEMU virtual NIC": six hex digits, a space, the name. */
static void load(mac_vendors *v)
{
    v->by_prefix = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    g_autofree char *text = NULL;
    if (v->path == NULL || !g_file_get_contents(v->path, &text, NULL, NULL))
        return;
    /* Line by line in place, as services.c reads nmap-services. */
    for (char *l = text, *next; l; l = next) {
        next = strchr(l, '\n');
        if (next)
            *next++ = '\0';
        gboolean hex = TRUE;
        for (int i = 0; i < 6 && hex; i++)
            hex = g_ascii_isxdigit(l[i]);
        if (!hex || l[6] != ' ')
            continue;
        guint prefix = (guint)g_ascii_strtoull(l, NULL, 16);
        g_hash_table_insert(v->by_prefix, GUINT_TO_POINTER(prefix + 1),
                            g_strdup(g_strstrip(l + 7)));
    }
}

const char *mac_vendor(mac_vendors *v, const uint8_t mac[6])
{
    if (v->by_prefix == NULL)
        load(v);
    guint prefix = (guint)mac[0] << 16 | (guint)mac[1] << 8 | mac[2];
    return g_hash_table_lookup(v->by_prefix, GUINT_TO_POINTER(prefix + 1));
}

gboolean mac_vendors_asked(const mac_vendors *v)
{
    return v && v->by_prefix != NULL;
}
