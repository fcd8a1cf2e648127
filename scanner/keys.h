/* nmap's runtime interaction (nmap_tty.cc) and --stats-every: a thread that
 * waits for keys on a terminal stdin and for the next status time. Keys: v/V
 * verbosity up/down, d/D debugging up/down, p/P packet trace on/off, ? the
 * list of keys, anything else (Enter too) the status lines (progress.h). */
#ifndef SCANTRACE_KEYS_H
#define SCANTRACE_KEYS_H

#include <glib.h>

/* Starts the thread when there is something to wait for: keys (stdin is the
 * terminal, taken into the keys' mode, terminal.h) or stats_every (microseconds,
 * 0 for none). Signals are blocked in it, so they reach the scan. */
/* interactive FALSE (--noninteractive, nmap's): no key is read and the
 * terminal is left as it is; the --stats-every lines still come. */
void keys_start(gint64 stats_every, gboolean interactive);

/* Stops the thread and restores the terminal; harmless when none runs. */
void keys_stop(void);

#endif
