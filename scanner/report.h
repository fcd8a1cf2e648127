/* What the reports need to know about a scan besides each host's results. */
#ifndef SCANTRACE_REPORT_H
#define SCANTRACE_REPORT_H

#include <glib.h>

#include "engine.h"
#include "services.h"

typedef struct report_context {
    const scan_type *type;
    const uint16_t *ports;
    guint nports;
    const services *svc;
    gboolean reason; /* --reason */
    uint32_t scan_id;
    const char *args; /* the command line, for the file headers */
    gint64 start;     /* wall-clock microseconds */
} report_context;

/* "Thu Nov 26 05:57:17 2026", the ctime() form nmap's files use. */
char *report_ctime(gint64 wall_us);

#endif
