#include "verdict_note.h"

#include <epan/wmem_scopes.h>

static wmem_map_t *last_probe; /* port_record -> its last probe frame */

void verdict_note_register(void)
{
    last_probe =
        wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), g_direct_hash, g_direct_equal);
}

void verdict_note_probe_seen(const frame_result *probe, uint32_t frame)
{
    wmem_map_insert(last_probe, (void *)probe->flow->port, GUINT_TO_POINTER(frame));
}

bool verdict_note_here(const frame_result *res, uint32_t frame, bool whole_capture_seen)
{
    const port_record *port = res->flow->port;
    if (port->judged_in)
        return port->judged_in == frame && res->role != ROLE_PROBE;
    return whole_capture_seen && res->role == ROLE_PROBE &&
           GPOINTER_TO_UINT(wmem_map_lookup(last_probe, port)) == frame;
}
