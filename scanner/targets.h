/* Scan targets as nmap takes them: an IPv4 address, a host name, a CIDR block
 * (a.b.c.d/n or name/n) or octet ranges (10.0.0.1-20, 10.0.1-2.1-5, 10.0.0.*,
 * 10.0.0.1,3,5). Every form is kept as four sets of octet values, so even a /0
 * costs a few hundred bytes and hosts are produced one at a time.
 *
 * With -6 (nmap's rules, TargetGroup.cc): an IPv6 address, a name resolved to
 * its first AAAA address, either with a prefix (addr/n, name/n), and a
 * link-local address's interface as addr%iface. No octet ranges. A prefix
 * must leave at most 32 bits of host (/96 to /128), as many addresses as an
 * IPv4 /0: nmap takes a /64 too, and would walk its 2^64 addresses for ever. */
#ifndef SCANTRACE_TARGETS_H
#define SCANTRACE_TARGETS_H

#include <glib.h>
#include <stdint.h>

#include "packet.h"

typedef struct targets targets;

/* Host names are resolved here (first address, as nmap does; ipv6: AAAA,
 * else A). NULL and a one-line error on the first bad spec, or on one of the
 * other family (an IPv6 spec without ipv6, an IPv4 one with it). */
targets *targets_parse(const char *const *specs, gboolean ipv6, GError **error);
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
    guint64 offset; /* IPv6: the address's distance from its prefix's first */
    gboolean started;
} target_iter;

void target_iter_init(target_iter *it, const targets *t);

/* The next address; name is the host name the user gave when the address is
 * the one that name resolved to, else NULL. */
gboolean target_iter_next(target_iter *it, packet_addr *addr, const char **name);

/* The interface the last address's spec named (fe80::1%eth0), or NULL. */
const char *target_iter_interface(const target_iter *it);

#endif
