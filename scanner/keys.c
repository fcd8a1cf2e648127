#include "keys.h"

#include <errno.h>
#include <poll.h>
#include <unistd.h>

#include "interrupt.h"
#include "progress.h"
#include "terminal.h"

static GThread *thread;
static int wake[2] = {-1, -1};
static gboolean reading; /* stdin is the terminal, in the keys' mode */
static gint64 every;

static void help(void)
{
    /* nmap's words. */
    progress_print_text("Interactive keyboard commands:\n"
                        "?               Display this information\n"
                        "v/V             Increase/decrease verbosity\n"
                        "d/D             Increase/decrease debugging\n"
                        "p/P             Enable/disable packet tracing\n"
                        "anything else   Print status\n");
}

static void key(char c)
{
    switch (c) {
    case 'v':
        progress_change_verbose(1);
        break;
    case 'V':
        progress_change_verbose(-1);
        break;
    case 'd':
        progress_change_debugging(1);
        break;
    case 'D':
        progress_change_debugging(-1);
        break;
    case 'p':
        progress_set_packet_trace(TRUE);
        break;
    case 'P':
        progress_set_packet_trace(FALSE);
        break;
    case '?':
        help();
        break;
    default:
        progress_print_status();
    }
}

static gpointer watch(gpointer data)
{
    (void)data;
    gint64 next = every ? g_get_monotonic_time() + every : 0;
    for (;;) {
        struct pollfd fds[2] = {{.fd = wake[0], .events = POLLIN},
                                {.fd = reading ? STDIN_FILENO : -1, .events = POLLIN}};
        int timeout = -1;
        if (next) {
            gint64 left = next - g_get_monotonic_time();
            timeout = left > 0 ? (int)((left + 999) / 1000) : 0;
        }
        int n = poll(fds, 2, timeout);
        if (n < 0 && errno != EINTR)
            break;
        if (n > 0 && fds[0].revents)
            break;
        if (n > 0 && fds[1].revents) {
            char buf[64];
            ssize_t got = read(STDIN_FILENO, buf, sizeof buf);
            if (got <= 0)
                reading = FALSE; /* the terminal went away */
            for (ssize_t i = 0; i < got; i++)
                key(buf[i]);
        }
        if (next && g_get_monotonic_time() >= next) {
            progress_print_status();
            next += every;
        }
    }
    return NULL;
}

void keys_start(gint64 stats_every, gboolean interactive)
{
    every = stats_every;
    reading = interactive && terminal_keys_mode(STDIN_FILENO);
    if (!reading && every == 0)
        return;
    if (pipe(wake) != 0) {
        terminal_restore();
        g_printerr("WARNING: no status lines nor keys: %s\n", g_strerror(errno));
        return;
    }
    sigset_t old;
    interrupt_block(&old);
    thread = g_thread_new("keys", watch, NULL);
    interrupt_restore(&old);
}

void keys_stop(void)
{
    if (thread) {
        ssize_t rc = write(wake[1], "", 1);
        (void)rc;
        g_thread_join(thread);
        thread = NULL;
        close(wake[0]);
        close(wake[1]);
        wake[0] = wake[1] = -1;
    }
    terminal_restore();
}
