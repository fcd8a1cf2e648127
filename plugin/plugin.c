/* What Wireshark's plugin loader looks for: the version we are, the Wireshark
 * version we were built for, and the registration entry point. */
#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <ws_symbol_export.h>

#include "compat.h"
#include "packet-scantrace.h"
#include "port_table.h"

#ifndef SCANTRACE_VERSION
#error "SCANTRACE_VERSION must be defined by the build"
#endif

/* The plugin lists (`tshark -G plugins`, the GUI's About box) show only this
 * string, and a bug report needs the Wireshark headers we were built with too. */
#define BUILT_FOR                                                                                  \
    G_STRINGIFY(WIRESHARK_VERSION_MAJOR)                                                           \
    "." G_STRINGIFY(WIRESHARK_VERSION_MINOR) "." G_STRINGIFY(WIRESHARK_VERSION_MICRO)

WS_DLL_PUBLIC_DEF const char plugin_version[] = SCANTRACE_VERSION " (Wireshark " BUILT_FOR ")";
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
SCANTRACE_PLUGIN_DESCRIBE(WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER)

void plugin_register(void)
{
    static const proto_plugin dissector = {
        .register_protoinfo = proto_register_scantrace,
        .register_handoff = proto_reg_handoff_scantrace,
    };
    static const tap_plugin table = {
        .register_tap_listener = port_table_register,
    };
    proto_register_plugin(&dissector);
    tap_register_plugin(&table);
}
