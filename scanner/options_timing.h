/* The timing options' part of the command line (nmap's "TIMING AND
 * PERFORMANCE"): a GOption group filling a timing_given (timing.h), each
 * value checked as nmap 7.93 checks it (nmap.cc), with its words. */
#ifndef SCANTRACE_OPTIONS_TIMING_H
#define SCANTRACE_OPTIONS_TIMING_H

#include <glib.h>

#include "timing.h"

/* The group; given must outlive the parse. */
GOptionGroup *options_timing_group(timing_given *given);

#endif
