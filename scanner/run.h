/* Scanning what the command line asks for, and reporting it. */
#ifndef SCANTRACE_RUN_H
#define SCANTRACE_RUN_H

#include "options.h"

/* The process exit status: 0, or 1 after a one-line error on stderr. */
int run_scan(scan_options *opt);

#endif
