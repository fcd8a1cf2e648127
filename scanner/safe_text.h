/* Text that came from outside the scanner (a reverse DNS name, which whoever
 * owns the address chooses; a name read from an -iL file) made safe for
 * everything we write it to: a terminal (no escape sequence may act on it),
 * the -oN file, and XML 1.0 (which forbids most control characters and wants
 * valid UTF-8). */
#ifndef SCANTRACE_SAFE_TEXT_H
#define SCANTRACE_SAFE_TEXT_H

#include <glib.h>

/* A copy of raw (NUL-terminated bytes, any encoding) holding only printable
 * ASCII (0x20-0x7e): every other byte, and the backslash, becomes "\xHH" (hex
 * of the byte), so nothing is lost and nothing can pass for something else.
 * NULL gives NULL. Free with g_free(). */
char *safe_text(const char *raw);

/* Whether raw is printable ASCII only, i.e. safe_text() would not change it. */
gboolean safe_text_is_clean(const char *raw);

#endif
