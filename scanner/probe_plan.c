#include "probe_plan.h"

#include <string.h>

#include "arp.h"

probe_plan *probe_plan_new(void)
{
    return g_new0(probe_plan, 1);
}

void probe_plan_free(probe_plan *p)
{
    if (p == NULL)
        return;
    g_free(p->probes);
    g_free(p->index);
    g_free(p);
}

void probe_plan_add(probe_plan *p, const scan_type *type, uint16_t sport, const uint16_t *ports,
                    guint nports)
{
    g_assert(p->ntypes < PLAN_MAX_TYPES);
    guint t = p->ntypes++;
    p->types[t] = (plan_type){.type = type, .sport = sport, .first = p->nprobes, .count = nports};
    p->probes = g_renew(probe_def, p->probes, p->nprobes + nports);
    p->index = g_renew(gint32, p->index, (gsize)p->ntypes * 65536);
    gint32 *index = p->index + (gsize)t * 65536;
    for (guint i = 0; i < 65536; i++)
        index[i] = -1;
    for (guint i = 0; i < nports; i++) {
        p->probes[p->nprobes] = (probe_def){.type = type, .port = ports[i]};
        index[ports[i]] = (gint32)p->nprobes++;
    }
}

void probe_plan_fix_sport(probe_plan *p, uint16_t sport)
{
    for (guint t = 0; t < p->ntypes; t++)
        if (p->types[t].sport) {
            p->types[t].sport = sport;
            p->types[t].fixed = TRUE;
        }
}

gint32 probe_plan_find(const probe_plan *p, const scan_type *type, uint16_t port)
{
    for (guint t = 0; t < p->ntypes; t++)
        if (p->types[t].type == type)
            return p->index[(gsize)t * 65536 + port];
    return -1;
}

const plan_type *probe_plan_type(const probe_plan *p, const scan_type *type)
{
    for (guint t = 0; t < p->ntypes; t++)
        if (p->types[t].type == type)
            return &p->types[t];
    return NULL;
}

gboolean probe_plan_has_raw(const probe_plan *p)
{
    for (guint t = 0; t < p->ntypes; t++)
        if (p->types[t].type->build || p->types[t].type == &ping_arp)
            return TRUE;
    return FALSE;
}
