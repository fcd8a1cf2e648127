/* Scan targets as nmap takes them: an IPv4 address, a host name, a CIDR block
 * (a.b.c.d/n or name/n) or octet ranges (10.0.0.1-20, 10.0.1-2.1-5, 10.0.0.*,
 * 10.0.0.1,3,5). Every form is kept as four sets of octet values, so even a /0
 * costs a few hundred bytes and hosts are produced one at a time. */
#ifndef SCANTRACE_TARGETS_H
#define SCANTRACE_TARGETS_H

#include <glib.h>
#include <stdint.h>

#include "packet.h"

typedef struct targets targets;

/* Host names are resolved here (IPv4, first address, as nmap does). NULL and a
 * one-line error on the first bad spec. */
targets *targets_parse(const char *const *specs, GError **error);
void targets_free(targets *t);

/* -iL: the target specs in a file (or stdin for "-"), separated by whitespace;
 * "#" starts a comment to the end of its line. NULL and error when the file
 * cannot be read or is not text (a control byte anywhere but whitespace, a
 * byte above 0x7e outside a comment). */
char **targets_read_file(const char *path, GError **error);

/* Whether addr is one of the specs' addresses: --exclude. */
gboolean targets_contains(const targets *t, const packet_addr *addr);

/* How many addresses all specs expand to (up to 2^32 per spec). */
guint64 targets_count(const targets *t);

typedef struct target_iter {
    const targets *t;
    guint spec;
    guint idx[4];
    gboolean started;
} target_iter;

void target_iter_init(target_iter *it, const targets *t);

/* The next address; name is the host name the user gave when the address is
 * the one that name resolved to, else NULL. */
gboolean target_iter_next(target_iter *it, packet_addr *addr, const char **name);

#endif
