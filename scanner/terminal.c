#include "terminal.h"

#include <signal.h>
#include <termios.h>
#include <unistd.h>

static struct termios saved;
static int saved_fd = -1;
static volatile sig_atomic_t changed;

gboolean terminal_keys_mode(int fd)
{
    if (!isatty(fd) || tcgetpgrp(fd) != getpgrp() || tcgetattr(fd, &saved) != 0)
        return FALSE;
    struct termios keys = saved;
    /* ISIG stays: Ctrl-C still interrupts the scan. */
    keys.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    keys.c_cc[VMIN] = 1;
    keys.c_cc[VTIME] = 0;
    saved_fd = fd;
    changed = 1;
    if (tcsetattr(fd, TCSANOW, &keys) != 0) {
        changed = 0;
        return FALSE;
    }
    return TRUE;
}

void terminal_restore(void)
{
    if (!changed)
        return;
    changed = 0;
    tcsetattr(saved_fd, TCSANOW, &saved);
}
