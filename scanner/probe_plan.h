/* What a scan sends each host: a list of probes, each a scan type and a port,
 * grouped by type (TCP types before UDP, ports ascending within a type, which is
 * the order nmap reports them in). Every type has its own source port, so a
 * reply's destination port tells which type's probe it answers. Host discovery
 * uses the same list with the ping types, whose "port" is the one they probe
 * (443 for the SYN ping, 0 for ICMP and ARP). */
#ifndef SCANTRACE_PROBE_PLAN_H
#define SCANTRACE_PROBE_PLAN_H

#include <glib.h>
#include <stdint.h>

#include "cookie.h"
#include "scan_type.h"

#define PLAN_MAX_TYPES 12

/* Each try of a probe leaves from its own source port, the type's sport + the
 * try number, as nmap's retries do (scan_engine_raw.cc, sport_encode). A retry
 * on the first try's flow would meet the state the target keeps for it: a
 * half-open connection answers a new SYN with a RST, and an open port would
 * come out closed. A type takes this many ports from its sport up. */
#define PLAN_SPORT_SPAN COOKIE_MAX_TRIES

typedef struct probe_def {
    const scan_type *type;
    uint16_t port;
} probe_def;

typedef struct plan_type {
    const scan_type *type;
    /* The first try's source port (host order); try n leaves from sport + n. 0
     * for ICMP, ARP and the connect scan, whose sockets each get their own. */
    uint16_t sport;
    /* -g: every try leaves from sport itself, as nmap's do then; the cookie
     * alone names a reply's try. */
    gboolean fixed;
    guint first, count; /* its probes in the plan */
} plan_type;

typedef struct probe_plan {
    probe_def *probes;
    guint nprobes;
    plan_type types[PLAN_MAX_TYPES];
    guint ntypes;
    gint32 *index; /* ntypes x 65536: port -> probe, or -1 */
} probe_plan;

probe_plan *probe_plan_new(void);
void probe_plan_free(probe_plan *p);

/* Appends a type with its ports (ascending); the plan keeps its own copy. */
void probe_plan_add(probe_plan *p, const scan_type *type, uint16_t sport, const uint16_t *ports,
                    guint nports);

/* -g: every type with a source port sends every try from sport. */
void probe_plan_fix_sport(probe_plan *p, uint16_t sport);

/* The probe of that type to that port, or -1. */
gint32 probe_plan_find(const probe_plan *p, const scan_type *type, uint16_t port);

/* The plan's entry for type, or NULL. */
const plan_type *probe_plan_type(const probe_plan *p, const scan_type *type);

/* The source port of a try (0 .. PLAN_SPORT_SPAN - 1) of the type's probes. */
static inline uint16_t plan_try_sport(const plan_type *pt, unsigned try_no)
{
    if (pt->fixed)
        return pt->sport;
    return pt->sport ? (uint16_t)(pt->sport + try_no) : 0;
}

/* A try no source port names (SCHED_TRY_UNKNOWN's value). */
#define PLAN_TRY_UNKNOWN 0xffu

/* Whether sport is one of the type's source ports; *try_no: the try it is
 * for. A type without source port (ICMP) takes any, and -g's names no try:
 * PLAN_TRY_UNKNOWN. */
static inline gboolean plan_sport_try(const plan_type *pt, uint16_t sport, unsigned *try_no)
{
    if (pt->fixed) {
        *try_no = PLAN_TRY_UNKNOWN;
        return sport == pt->sport;
    }
    if (pt->sport == 0) {
        *try_no = PLAN_TRY_UNKNOWN;
        return TRUE;
    }
    *try_no = (unsigned)(uint16_t)(sport - pt->sport);
    return *try_no < PLAN_SPORT_SPAN;
}

/* Whether any of the plan's probes is a packet we build (not one the kernel
 * makes for a socket). */
gboolean probe_plan_has_raw(const probe_plan *p);

#endif
