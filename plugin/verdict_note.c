#include "verdict_note.h"

void verdict_note_probe_seen(const frame_result *probe, uint32_t frame)
{
    probe->flow->port->last_probe = frame;
}

bool verdict_note_here(const frame_result *res, uint32_t frame, bool whole_capture_seen)
{
    const port_record *port = res->flow->port;
    const frame_result *by = port->judged_in ? scan_state_lookup(port->judged_in) : NULL;
    if (by && by->flow->port == port)
        return port->judged_in == frame && res->role != ROLE_PROBE;
    /* Silence decided it, or a frame of another port's carries that port's
     * note: nmap -sO's protocol 1, decided when its receive loop ended on an
     * answer to another protocol (common/proto_icmp_hack.h). Its last probe
     * carries the note, once the whole capture is seen. */
    return whole_capture_seen && res->role == ROLE_PROBE && port->last_probe == frame;
}
