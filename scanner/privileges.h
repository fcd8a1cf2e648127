/* Least privilege, as tcpdump -Z does it: raw sockets, capture handles and
 * files are opened first, then the process gives up what let it open them,
 * before it reads a single reply (which an attacker may have shaped). */
#ifndef SCANTRACE_PRIVILEGES_H
#define SCANTRACE_PRIVILEGES_H

#include <glib.h>

/* The user a scan started as root continues as, unless -Z says otherwise. */
#define PRIVILEGES_DEFAULT_USER "nobody"

/* Run as root (real or effective uid 0): becomes user (its uid, its primary
 * group, no supplementary groups), which leaves no capability; user "root"
 * keeps root, as with tcpdump -Z root. Otherwise (an ordinary user, perhaps
 * with file capabilities from setcap): stays that user and gives up every
 * capability. Either way no exec can regain any (PR_SET_NO_NEW_PRIVS). Call
 * before any thread is started. FALSE with a one-line error when the user
 * does not exist or the kernel refuses; the caller must not go on. */
gboolean privileges_drop(const char *user, GError **error);

/* Whether user names an account (for checking -Z before anything is done). */
gboolean privileges_user_exists(const char *user);

#endif
