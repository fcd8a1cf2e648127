/* SIGINT and SIGTERM, taken as nmap takes them (nmap.cc, sigdie: "caught SIGINT
 * signal, cleaning up", exit status 1), but with the files left whole: the
 * first signal asks the run to stop; the engines stop sending and waiting, the
 * hosts finished are reported, the reports say the scan was interrupted and the
 * capture is closed as usual. A second signal ends the process at once. */
#ifndef SCANTRACE_INTERRUPT_H
#define SCANTRACE_INTERRUPT_H

#include <glib.h>
#include <signal.h>

/* Installs the handlers. Threads started later must block both signals
 * (interrupt_block()), so that they reach the main thread and cut its waits
 * short. */
void interrupt_install(void);

/* The signal caught (SIGINT or SIGTERM), or 0 while none was. */
int interrupt_signal(void);

/* "SIGINT" or "SIGTERM". */
const char *interrupt_name(int signo);

/* Blocks both signals in the calling thread; old: the mask to restore with
 * interrupt_restore(). */
void interrupt_block(sigset_t *old);
void interrupt_restore(const sigset_t *old);

#endif
