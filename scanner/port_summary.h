/* Which ports a report lists and which it folds into "Not shown": nmap folds
 * every state with more than 25 ports, except open (and the unknown), and
 * describes each folded state reason by reason, most common first. */
#ifndef SCANTRACE_PORT_SUMMARY_H
#define SCANTRACE_PORT_SUMMARY_H

#include <glib.h>

#include "engine.h"
#include "verdict.h"

#define PORT_SUMMARY_MAX_SHOWN 25

typedef struct ignored_group {
    port_state state;
    reason why;
    guint count;       /* ports in this state for this reason */
    guint state_count; /* ports in this state */
} ignored_group;

typedef struct port_summary {
    gboolean ignored[PORT_STATE_COUNT];
    GArray *groups; /* ignored_group, in nmap's order */
    guint ignored_ports;
    guint ignored_states;
} port_summary;

void port_summary_init(port_summary *s, const port_result *ports, guint nports);
void port_summary_clear(port_summary *s);

#endif
