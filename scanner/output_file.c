#include "output_file.h"

#include <errno.h>
#include <string.h>

#include "error.h"

FILE *output_file_open(const char *path, gboolean append, GError **error)
{
    if (strcmp(path, "-") == 0)
        return stdout;
    FILE *f = fopen(path, append ? "a" : "w");
    if (f == NULL)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot write %s: %s", path,
                    g_strerror(errno));
    return f;
}

void output_file_close(FILE *f)
{
    if (f && f != stdout)
        fclose(f);
}
