#include "resume.h"

#include <string.h>

#include "error.h"

/* The address in a host's line, or NULL: "Scan report for NAME (ADDR)",
 * "Scan report for ADDR", "Scan report for ADDR [host down...]" (-oN);
 * "Host: ADDR (NAME)\t..." (-oG). */
static char *host_of(const char *line)
{
    if (g_str_has_prefix(line, "Host: ")) {
        const char *a = line + strlen("Host: ");
        return g_strndup(a, strcspn(a, " \t"));
    }
    if (!g_str_has_prefix(line, "Scan report for "))
        return NULL;
    const char *a = line + strlen("Scan report for ");
    const char *end = a + strcspn(a, " ");
    if (*end == ' ' && end[1] == '(') {
        const char *open = strrchr(line, '(');
        const char *close = strrchr(line, ')');
        if (close > open)
            return g_strndup(open + 1, (gsize)(close - open - 1));
    }
    return g_strndup(a, (gsize)(end - a));
}

gboolean resume_parse(const char *text, char ***argv, char **last_host, GError **error)
{
    *argv = NULL;
    *last_host = NULL;
    g_auto(GStrv) lines = g_strsplit(text, "\n", -1);
    const char *as =
        lines[0] && g_str_has_prefix(lines[0], "# scantrace ") ? strstr(lines[0], " as: ") : NULL;
    if (as == NULL) {
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "--resume needs the -oN or -oG file of a scantrace scan: its first "
                            "line is not '# scantrace ... as: COMMAND'");
        return FALSE;
    }
    GStrvBuilder *words = g_strv_builder_new();
    g_auto(GStrv) split = g_strsplit(as + strlen(" as: "), " ", -1);
    for (guint i = 0; split[i]; i++)
        if (split[i][0])
            g_strv_builder_add(words, split[i]);
    *argv = g_strv_builder_end(words);
    g_strv_builder_unref(words);
    *last_host = NULL;
    for (guint i = 1; lines[i]; i++) {
        char *host = host_of(lines[i]);
        if (host) {
            g_free(*last_host);
            *last_host = host;
        }
    }
    if (g_strv_length(*argv) < 2) {
        g_strfreev(*argv);
        *argv = NULL;
        g_clear_pointer(last_host, g_free);
        g_set_error_literal(error, ST_ERROR, ST_ERROR_INPUT,
                            "--resume: the log's command line names no target");
        return FALSE;
    }
    return TRUE;
}

gboolean resume_read(const char *path, char ***argv, char **last_host, GError **error)
{
    g_autofree char *text = NULL;
    GError *local = NULL;
    if (!g_file_get_contents(path, &text, NULL, &local)) {
        g_set_error(error, ST_ERROR, ST_ERROR_INPUT, "--resume: cannot read %s: %s", path,
                    local->code == G_FILE_ERROR_NOENT ? "no such file" : "not readable");
        g_error_free(local);
        return FALSE;
    }
    return resume_parse(text, argv, last_host, error);
}
