/* The terminal while a scan reads its keys (keys.h): non-canonical, so a key
 * counts without Enter, and without echo, so nothing typed lands among the
 * report's lines; restored on every way out (the end of the run, an error, a
 * second signal: see interrupt.c). */
#ifndef SCANTRACE_TERMINAL_H
#define SCANTRACE_TERMINAL_H

#include <glib.h>

/* When fd is a terminal and we are its foreground process group (a job in the
 * background would be stopped for touching it), saves its mode and sets the
 * keys' mode; TRUE then. FALSE, untouched, otherwise. */
gboolean terminal_keys_mode(int fd);

/* Puts back the saved mode, if any. Async-signal-safe (tcsetattr only). */
void terminal_restore(void);

#endif
