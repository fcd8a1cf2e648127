/* scantrace: nmap's command line and reports around a scanner whose probes carry
 * a tag and a cookie (see common/). */
#include <pcap/pcap.h>
#include <stdio.h>

#include "interrupt.h"
#include "merge_run.h"
#include "options.h"
#include "run.h"
#include "safe_text.h"
#include "tag.h"

/* What a bug report needs: the tag format the probes carry and the libraries. */
static void print_version(void)
{
    printf("scantrace %s (probe tag version %u: TCP option %u, ExID 0x%04x; version %u in UDP, "
           "ICMP and ARP payloads and SCTP chunks)\n",
           SCANTRACE_VERSION, TAG_VERSION_SCAN, TAG_TCP_OPTION_KIND, TAG_EXID, TAG_VERSION);
    printf("%s, GLib %u.%u.%u\n", pcap_lib_version(), glib_major_version, glib_minor_version,
           glib_micro_version);
}

int main(int argc, char **argv)
{
    scan_options opt;
    GError *error = NULL;
    gboolean help;
    int rc = 0;
    if (options_parse(argc, argv, &opt, &help, &error)) {
        if (opt.show_version)
            print_version();
        else if (opt.merge)
            rc = merge_run(&opt);
        else {
            interrupt_install();
            rc = run_scan(&opt);
        }
    } else if (help) {
        fputs(error->message, stdout);
        g_error_free(error);
    } else {
        g_autofree char *message = safe_text(error->message);
        g_printerr("scantrace: %s\n", message);
        g_error_free(error);
        rc = 1;
    }
    options_clear(&opt);
    return rc;
}
