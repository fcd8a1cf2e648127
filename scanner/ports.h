/* nmap's -p syntax: a comma-separated list of ports and ranges ("22,80,1000-1010",
 * "-1024" from 1, "60000-" to 65535, "-" for 1-65535, "0-" for 0-65535), with T:, U: and S:
 * (SCTP) prefixes that give the ports after them to one protocol. */
#ifndef SCANTRACE_PORTS_H
#define SCANTRACE_PORTS_H

#include <glib.h>
#include <stdint.h>

/* A GArray of guint16, sorted and without duplicates; NULL and error on bad input
 * (a port above 65535). Port 0 is taken where it is named ("0", "0-5", "0-"),
 * never from an open start ("-", "-5" begin at 1), as nmap 7.93 reads -p. */
GArray *ports_parse(const char *spec, GError **error);

/* The same with nmap's protocol prefixes: "22,T:80,443,U:53,S:9" gives TCP
 * 22, 80 and 443, UDP 22 and 53, SCTP 22 and 9; what comes before any prefix
 * is for all three. Each list may come out empty. */
gboolean ports_parse_split(const char *spec, GArray **tcp, GArray **udp, GArray **sctp,
                           GError **error);

/* The same, and *duplicate (when not NULL) set when a port is named twice for
 * one protocol ("80,80", "1-100,50", "T:22,22"; not "T:53,U:53"), the case of
 * nmap 7.93's warning (getpts_aux(), nmap.cc). */
gboolean ports_parse_split_noted(const char *spec, GArray **tcp, GArray **udp, GArray **sctp,
                                 gboolean *duplicate, GError **error);

/* nmap 7.93's warnings for -p's protocol prefixes naming a protocol no
 * requested scan type uses (nmap.cc: each "T:", "U:", "S:" in the list,
 * upper case only, once per occurrence): the lines, each ending in "\n",
 * appended to out. tcp, udp, sctp: whether such a scan type was requested. */
void ports_prefix_warnings(const char *spec, gboolean tcp, gboolean udp, gboolean sctp,
                           GString *out);

/* -sO's -p: IP protocol numbers 0-255 in the same syntax ("1,6,17", "0-9",
 * "-" for all), sorted, without duplicates; what comes after T:, U: or S: is
 * not for -sO and left out, what comes after P: or before any prefix is, as
 * nmap reads it. NULL and error on bad input or a number above 255 (nmap's
 * "Protocols specified must be between 0 and 255 inclusive"). */
GArray *ports_parse_protocols(const char *spec, GError **error);

/* The list written back in the -p syntax with ranges folded: "1,3-5,80". */
char *ports_format(const uint16_t *ports, guint count);

#endif
