/* The report files of a scan or a merge (-oN, -oX, -oG): a path, or "-" for standard
 * output, as nmap takes them. */
#ifndef SCANTRACE_OUTPUT_FILE_H
#define SCANTRACE_OUTPUT_FILE_H

#include <stdio.h>

#include <glib.h>

/* Opens path for writing, truncated, or at its end when append
 * (--append-output; "-": stdout). Returns NULL with error set (ST_ERROR_SYSTEM,
 * "cannot write PATH: REASON") when it cannot. */
FILE *output_file_open(const char *path, gboolean append, GError **error);

/* Closes f unless it is stdout or NULL. */
void output_file_close(FILE *f);

#endif
