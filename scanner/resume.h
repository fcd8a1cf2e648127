/* --resume FILE, as nmap 7.93 resumes (nmap.cc, gather_logfile_resumption_state):
 * the -oN or -oG file of an interrupted scan gives the command line the scan
 * was started with (its first line, after "as: ") and the last host it
 * reported; the scan runs again with those options, adding to its report files
 * (--append-output), and skips every target up to that host, in target order:
 * hosts are reported only once their scan is complete. */
#ifndef SCANTRACE_RESUME_H
#define SCANTRACE_RESUME_H

#include <glib.h>

/* From the log text (a -oN or -oG file scantrace wrote): *argv, the command
 * line split at spaces as nmap splits it (an argument that held a space is not
 * given back whole, as with nmap), and *last_host, the address of the last
 * host reported ("10.0.0.2"), or NULL when none was. FALSE with a one-line
 * error when the text is no such log. */
gboolean resume_parse(const char *text, char ***argv, char **last_host, GError **error);

/* resume_parse() on the file at path. */
gboolean resume_read(const char *path, char ***argv, char **last_host, GError **error);

#endif
