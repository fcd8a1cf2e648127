#include "privileges.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "error.h"

gboolean privileges_user_exists(const char *user)
{
    return getpwnam(user) != NULL;
}

/* Empties the permitted, effective and inheritable sets, and the ambient
 * one. glibc has no wrapper for capset(2), and libcap is not worth a
 * dependency for one call. */
static gboolean clear_capabilities(void)
{
    struct __user_cap_header_struct head = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
    struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
    memset(data, 0, sizeof data);
    /* Ambient capabilities are cleared with the permitted set, but say so:
     * older kernels without them answer EINVAL, which is fine. */
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    return syscall(SYS_capset, &head, data) == 0;
}

gboolean privileges_drop(const char *user, GError **error)
{
    gboolean root = getuid() == 0 || geteuid() == 0;
    if (root && strcmp(user, "root") != 0) {
        errno = 0;
        const struct passwd *pw = getpwnam(user);
        if (pw == NULL) {
            g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "-Z %s: no such user", user);
            return FALSE;
        }
        uid_t uid = pw->pw_uid;
        gid_t gid = pw->pw_gid;
        /* The bounding set too, while we may (CAP_SETPCAP): nothing run later
         * could be granted any. Stops at the first the kernel does not know. */
        for (int cap = 0; prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0; cap++)
            ;
        /* Groups first: setuid() takes the right to change them away. */
        gboolean ok = setgroups(0, NULL) == 0 && setresgid(gid, gid, gid) == 0;
        int err = errno;
        /* Root of a user namespace that maps no other user (lab.sh as an
         * ordinary user, unshare -r) cannot become one, nor change groups:
         * it stays uid 0 there, with no capability. */
        if (!ok && (err == EINVAL || err == EPERM)) {
            root = FALSE;
        } else if (!ok || setresuid(uid, uid, uid) != 0) {
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot become user %s: %s", user,
                        g_strerror(ok ? errno : err));
            return FALSE;
        }
        /* Leaving uid 0 for another clears every capability by itself. */
        if (root && uid != 0 && setresuid(0, 0, 0) == 0) {
            g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "could become root again after -Z %s",
                        user);
            return FALSE;
        }
    }
    if (!root && !clear_capabilities()) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot give up capabilities: %s",
                    g_strerror(errno));
        return FALSE;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "PR_SET_NO_NEW_PRIVS: %s", g_strerror(errno));
        return FALSE;
    }
    return TRUE;
}
