/* Every difference between the Wireshark versions the plugin builds against lives
 * here, so that the other files read the same on all of them. Supported and tested:
 * 4.0, 4.4 and 4.6 (4.2 is untested). What changed, with header lines, is in
 * tests/chroot/API-NOTES.md. */
#ifndef SCANTRACE_COMPAT_H
#define SCANTRACE_COMPAT_H

#include <stdbool.h>

#include <glib.h>
#include <ws_version.h>

#define SCANTRACE_WS_VERSION (WIRESHARK_VERSION_MAJOR * 100 + WIRESHARK_VERSION_MINOR)

#if SCANTRACE_WS_VERSION < 400
#error "scantrace needs Wireshark 4.0 or later"
#endif

#if SCANTRACE_WS_VERSION < 404
/* 4.0 reads -1 in an hf, ett or proto id as "not registered yet". */
#define SCANTRACE_ID_INIT (-1)
/* Boolean preferences are written through a pointer: gboolean (an int) in 4.0,
 * bool (one byte) from 4.4 on. */
typedef gboolean scantrace_pref_bool;
/* What a heuristic dissector (heur_dissector_t) returns: gboolean in 4.0, bool
 * from 4.4 on. */
typedef gboolean scantrace_heur_result;
/* Submenus of a stats_tree's name: "/" in 4.0, "//" from 4.4 on (where "/" is
 * an ordinary character). */
#define SCANTRACE_STATS_TREE_SUBMENU "/"
/* 4.0's loader knows no plugin_describe(). */
#define SCANTRACE_PLUGIN_DESCRIBE(flags)
#else
#include <wsutil/plugins.h>
#define SCANTRACE_ID_INIT            0
typedef bool scantrace_pref_bool;
typedef bool scantrace_heur_result;
#define SCANTRACE_STATS_TREE_SUBMENU STATS_TREE_MENU_SEPARATOR
/* Optional for the loader; without it, the plugin list says "unknown". */
#define SCANTRACE_PLUGIN_DESCRIBE(flags)                                                           \
    WS_DLL_PUBLIC uint32_t plugin_describe(void);                                                  \
    uint32_t plugin_describe(void)                                                                 \
    {                                                                                              \
        return (flags);                                                                            \
    }
#endif

/* A `-z` handler (stat_tap_ui.tap_init_cb) returns whether it started from 4.6 on,
 * and tshark then stops on failure; before, it returns nothing. NAME becomes the
 * handler, calling START(arg), a static bool function. */
/* A data source's name and length, "Reassembled IPv4 (60 bytes)", allocated in
 * the NULL scope (wmem_free(NULL, ...)): get_data_source_name() until 4.4,
 * get_data_source_description() from 4.6 on. */
#if SCANTRACE_WS_VERSION < 406
#define SCANTRACE_DATA_SOURCE_NAME(src) get_data_source_name(src)
#else
#define SCANTRACE_DATA_SOURCE_NAME(src) get_data_source_description(src)
#endif

#if SCANTRACE_WS_VERSION < 406
#define SCANTRACE_TAP_INIT_CB(name, start)                                                         \
    static void name(const char *arg, void *userdata _U_)                                          \
    {                                                                                              \
        (void)start(arg);                                                                          \
    }
#else
#define SCANTRACE_TAP_INIT_CB(name, start)                                                         \
    static bool name(const char *arg, void *userdata _U_)                                          \
    {                                                                                              \
        return start(arg);                                                                         \
    }
#endif

#endif
