/* Every difference between the Wireshark versions the plugin builds against lives
 * here, so the other files read the same on all of them. Supported: 4.0. To come:
 * 4.4 and 4.6.
 *
 *   4.0  hf, ett and proto ids start at -1: registration fills them in, and
 *        Wireshark treats -1 as "not registered yet".
 *   4.2  field_info.value becomes a pointer (a struct before).
 *   4.4  ids may start at 0; stats_tree_register_with_group() is gone (the plugin
 *        never used it: stats_tree_register_plugin() is in all versions); plugins
 *        may export plugin_describe() to say what kind of plugin they are. */
#ifndef SCANTRACE_COMPAT_H
#define SCANTRACE_COMPAT_H

#include <ws_version.h>

#define SCANTRACE_WS_VERSION (WIRESHARK_VERSION_MAJOR * 100 + WIRESHARK_VERSION_MINOR)

#if SCANTRACE_WS_VERSION < 400
#error "scantrace needs Wireshark 4.0 or later"
#endif

/* The value an hf, ett or proto id holds before registration. */
#if SCANTRACE_WS_VERSION < 404
#define SCANTRACE_ID_INIT (-1)
#else
#define SCANTRACE_ID_INIT 0
#endif

/* A field's value as an fvalue_t pointer. */
#if SCANTRACE_WS_VERSION < 402
#define SCANTRACE_FI_VALUE(fi) (&(fi)->value)
#else
#define SCANTRACE_FI_VALUE(fi) ((fi)->value)
#endif

/* Whether the plugin loader asks for plugin_describe(). */
#define SCANTRACE_HAS_PLUGIN_DESCRIBE (SCANTRACE_WS_VERSION >= 404)

#endif
