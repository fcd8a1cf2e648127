#include "interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "terminal.h"

static volatile sig_atomic_t caught;

const char *interrupt_name(int signo)
{
    return signo == SIGTERM ? "SIGTERM" : "SIGINT";
}

/* Only what is async-signal-safe: a flag, write(2), and for the second signal
 * its default action. */
static void on_signal(int signo)
{
    if (caught) {
        /* The process ends here: the terminal gets its echo back first. */
        terminal_restore();
        signal(signo, SIG_DFL);
        raise(signo);
        return;
    }
    caught = signo;
    static const char intr[] = "caught SIGINT signal, cleaning up\n";
    static const char term[] = "caught SIGTERM signal, cleaning up\n";
    ssize_t rc = signo == SIGTERM ? write(STDERR_FILENO, term, sizeof term - 1)
                                  : write(STDERR_FILENO, intr, sizeof intr - 1);
    (void)rc;
}

void interrupt_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: a wait in poll() ends at once with EINTR. */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int interrupt_signal(void)
{
    return caught;
}

void interrupt_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, old);
}

void interrupt_restore(const sigset_t *old)
{
    pthread_sigmask(SIG_SETMASK, old, NULL);
}
