/* Which frame carries a port's verdict note (the expert info that lists the
 * scan's findings, one per port): the reply that decided the port, or, for a
 * port nobody answered, its last probe, since silence decided it; so too for
 * a port decided by another port's reply (nmap -sO's protocol 1, whose
 * verdict nmap's receive loop gives on whatever answer ended it). */
#ifndef SCANTRACE_VERDICT_NOTE_H
#define SCANTRACE_VERDICT_NOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "scan_state.h"

/* First pass: records a probe frame of its port (the latest one wins), in the
 * port's record (port_record.last_probe), which lives as long as the file. */
void verdict_note_probe_seen(const frame_result *probe, uint32_t frame);

/* Whether the frame carries its port's verdict note. whole_capture_seen: false
 * on tshark's single pass, when only a reply can (silence is not known yet). */
bool verdict_note_here(const frame_result *res, uint32_t frame, bool whole_capture_seen);

#endif
