/* Service names and how often each port is found open, from nmap's own table
 * (nmap-services) when it is installed, else from a built-in copy of its top
 * TCP ports. They name ports in reports and choose the default port list. */
#ifndef SCANTRACE_SERVICES_H
#define SCANTRACE_SERVICES_H

#include <glib.h>
#include <stdint.h>

#define SERVICES_NMAP_PATH "/usr/share/nmap/nmap-services"

typedef struct services services;

/* NULL and error when the file cannot be read or holds no entry. */
services *services_load(const char *path, GError **error);
services *services_builtin(void);
void services_free(services *s);

/* nmap's table when it can be read, else the built-in copy: what a scan and a
 * merge of its shards' reports (--merge) both name ports with. */
services *services_default(void);

/* The folder the table was read from ("/usr/share/nmap"), which -v names as
 * nmap names where it read its data files; NULL for the built-in copy. */
const char *services_dir(const services *s);

/* "unknown" for ports the table does not name, as nmap prints them. */
const char *services_name(const services *s, uint8_t ip_proto, uint16_t port);

/* The n ports of that protocol most often open, sorted by port (a GArray of
 * guint16); ties in frequency go to the lower port, as in nmap --top-ports. */
GArray *services_top_ports(const services *s, uint8_t ip_proto, guint n);

/* The same among the ports of among only (a GArray of guint16, -p's): nmap's
 * --top-ports with -p. */
GArray *services_top_ports_of(const services *s, uint8_t ip_proto, guint n, const GArray *among);

/* Whether the table names any port of that protocol (the built-in copy knows
 * TCP only). */
gboolean services_knows(const services *s, uint8_t ip_proto);

/* The ports of that protocol found open at least ratio of the time (0..1),
 * among among's when not NULL, sorted by port: nmap's --port-ratio
 * (services.cc, gettoppts: ratio >= level). */
GArray *services_ports_by_ratio(const services *s, uint8_t ip_proto, double ratio,
                                const GArray *among);

#endif
