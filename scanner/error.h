/* One error domain for everything the user can get wrong or the system can
 * refuse: each message is a single line that main() prints after "scantrace: ". */
#ifndef SCANTRACE_ERROR_H
#define SCANTRACE_ERROR_H

#include <glib.h>

#define ST_ERROR (st_error_quark())

typedef enum st_error_code {
    ST_ERROR_INPUT,      /* bad command line: exit 1, like nmap */
    ST_ERROR_PERMISSION, /* raw sockets or capture refused */
    ST_ERROR_SYSTEM,     /* an interface, a file, a socket that failed */
} st_error_code;

GQuark st_error_quark(void);

#endif
