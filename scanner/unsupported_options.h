/* nmap 7.93's options (those of `nmap --help`) that scantrace does not do:
 * each is refused in one line that names what it is to nmap, before anything
 * is sent, rather than taken for a target or ignored. */
#ifndef SCANTRACE_UNSUPPORTED_OPTIONS_H
#define SCANTRACE_UNSUPPORTED_OPTIONS_H

/* What nmap's option arg is ("OS detection"), as typed on the command line
 * ("-O", "--script=default": the name before any '='; "-sV"); NULL when it is
 * none of those scantrace leaves out. */
const char *unsupported_option_what(const char *arg);

#endif
