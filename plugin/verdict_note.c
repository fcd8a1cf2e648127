#include "verdict_note.h"

void verdict_note_probe_seen(const frame_result *probe, uint32_t frame)
{
    probe->flow->port->last_probe = frame;
}

bool verdict_note_here(const frame_result *res, uint32_t frame, bool whole_capture_seen)
{
    const port_record *port = res->flow->port;
    if (port->judged_in)
        return port->judged_in == frame && res->role != ROLE_PROBE;
    return whole_capture_seen && res->role == ROLE_PROBE && port->last_probe == frame;
}
