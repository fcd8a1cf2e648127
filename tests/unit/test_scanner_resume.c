/* --resume: the command line and the last host reported, from -oN and -oG
 * logs as scantrace writes them (interrupted, or appended to by a resume). */
#include <glib.h>
#include <string.h>

#include "error.h"
#include "resume.h"

static const char header[] =
    "# scantrace 0.1.0 scan initiated Tue Dec  1 06:24:02 2026 (scan id 0xe0cd0633) as: "
    "/usr/bin/scantrace -n  -p 22,80 10.0.0.0/30 -oG r.gnmap\n";

static void check(const char *body, const char *last)
{
    g_autofree char *text = g_strconcat(header, body, NULL);
    g_auto(GStrv) argv = NULL;
    g_autofree char *host = NULL;
    GError *error = NULL;
    g_assert_true(resume_parse(text, &argv, &host, &error));
    g_assert_no_error(error);
    const char *want[] = {"/usr/bin/scantrace", "-n",  "-p",      "22,80",
                          "10.0.0.0/30",        "-oG", "r.gnmap", NULL};
    g_assert_cmpstrv(argv, want);
    g_assert_cmpstr(host, ==, last);
}

static void test_logs(void)
{
    /* -oG: the last "Host:" line, down hosts too (-v). */
    check("Host: 10.0.0.1 ()\tStatus: Up\n"
          "Host: 10.0.0.1 ()\tPorts: 22/open/tcp//ssh///\n"
          "Host: 10.0.0.2 (b.example)\tStatus: Down\n"
          "# scantrace interrupted by SIGINT at Tue Dec  1 06:24:03 2026 -- 2 IP addresses\n",
          "10.0.0.2");
    /* -oN: a name and its address, a bare address, a host found down. */
    check("Scan report for a.example (10.0.0.1)\nHost is up.\n\n", "10.0.0.1");
    check("Scan report for 10.0.0.1\nHost is up.\nScan report for 10.0.0.2 [host down]\n",
          "10.0.0.2");
    /* IPv6, and a resumed log (a second header, the later host counts). */
    check("Scan report for fd20:1::2\nHost is up.\n"
          "# scantrace 0.1.0 scan initiated x as: y\n"
          "Scan report for host (fd20:1::3)\n",
          "fd20:1::3");
    /* Nothing reported yet: every target is left. */
    check("", NULL);
}

static void test_not_a_log(void)
{
    static const char *const bad[] = {"", "hello\n", "# Nmap 7.93 scan initiated x as: nmap x\n",
                                      "# scantrace 0.1.0 scan initiated x as: scantrace\n"};
    for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
        char **argv = NULL;
        char *host = NULL;
        GError *error = NULL;
        g_assert_false(resume_parse(bad[i], &argv, &host, &error));
        g_assert_error(error, ST_ERROR, ST_ERROR_INPUT);
        g_assert_null(strchr(error->message, '\n'));
        g_assert_null(argv);
        g_assert_null(host);
        g_error_free(error);
    }
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/resume/logs", test_logs);
    g_test_add_func("/resume/not-a-log", test_not_a_log);
    return g_test_run();
}
