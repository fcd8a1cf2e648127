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

/* The longest part of a token that an error message quotes. */
#define SAFE_TEXT_TOKEN_MAX 64

/* A token from the user (a target, a port item) as an error message quotes
 * it: whole when at most SAFE_TEXT_TOKEN_MAX bytes, else its first
 * SAFE_TEXT_TOKEN_MAX bytes and "..." (an -iL line may be 100 KB of one word;
 * the message stays one short line). Bytes are kept as they are: the message
 * goes through safe_text() before it is printed. Free with g_free(). */
char *safe_text_token(const char *raw);

/* Whether raw is printable ASCII only, i.e. safe_text() would not change it. */
gboolean safe_text_is_clean(const char *raw);

#endif
