#include "safe_text.h"

#include <string.h>

static gboolean keep(unsigned char c)
{
    return c >= 0x20 && c <= 0x7e && c != '\\';
}

char *safe_text(const char *raw)
{
    if (raw == NULL)
        return NULL;
    GString *out = g_string_sized_new(strlen(raw));
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
        if (keep(*p))
            g_string_append_c(out, (char)*p);
        else
            g_string_append_printf(out, "\\x%02x", *p);
    }
    return g_string_free(out, FALSE);
}

gboolean safe_text_is_clean(const char *raw)
{
    for (const unsigned char *p = (const unsigned char *)raw; *p; p++)
        if (!keep(*p))
            return FALSE;
    return TRUE;
}

char *safe_text_token(const char *raw)
{
    if (strlen(raw) <= SAFE_TEXT_TOKEN_MAX)
        return g_strdup(raw);
    return g_strdup_printf("%.*s...", SAFE_TEXT_TOKEN_MAX, raw);
}
