/* scantrace: nmap's command line and reports around a scanner whose probes carry
 * a tag and a cookie (see common/). */
#include <stdio.h>

#include "options.h"
#include "run.h"

int main(int argc, char **argv)
{
    scan_options opt;
    GError *error = NULL;
    gboolean help;
    int rc = 0;
    if (options_parse(argc, argv, &opt, &help, &error)) {
        rc = run_scan(&opt);
    } else if (help) {
        fputs(error->message, stdout);
        g_error_free(error);
    } else {
        g_printerr("scantrace: %s\n", error->message);
        g_error_free(error);
        rc = 1;
    }
    options_clear(&opt);
    return rc;
}
