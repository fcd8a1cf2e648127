/* The service table: nmap-services parsing, the built-in copy, and the top-ports
 * rule (frequency first, ties to the lower port). */
#include <glib.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "packet.h"
#include "services.h"

static void test_builtin(void)
{
    services *s = services_builtin();
    g_assert_cmpstr(services_name(s, PACKET_TCP, 22), ==, "ssh");
    g_assert_cmpstr(services_name(s, PACKET_TCP, 3389), ==, "ms-wbt-server");
    g_assert_cmpstr(services_name(s, PACKET_TCP, 28), ==, "unknown");
    g_assert_null(services_dir(s)); /* -v names no folder for the built-in copy */
    g_autoptr(GArray) top = services_top_ports(s, PACKET_TCP, 1000);
    g_assert_cmpuint(top->len, ==, 1000);
    for (guint i = 1; i < top->len; i++)
        g_assert_cmpuint(g_array_index(top, guint16, i - 1), <, g_array_index(top, guint16, i));
    g_autoptr(GArray) top2 = services_top_ports(s, PACKET_TCP, 2);
    g_assert_cmpuint(g_array_index(top2, guint16, 0), ==, 23);
    g_assert_cmpuint(g_array_index(top2, guint16, 1), ==, 80);
    services_free(s);
}

static void test_file(void)
{
    const char *text = "# comment line\n"
                       "ssh\t22/tcp\t0.182286\t# Secure Shell\n"
                       "b\t9/tcp\t0.5\n"
                       "a\t7/tcp\t0.5\n"
                       "dns\t53/udp\t0.9\n"
                       "garbage line\n"
                       "bad\tx/tcp\t0.1\n"
                       "odd\t70000/tcp\t0.9\n";
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("services-XXXXXX", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    close(fd);
    g_assert_true(g_file_set_contents(path, text, -1, NULL));
    GError *error = NULL;
    services *s = services_load(path, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(services_name(s, PACKET_TCP, 22), ==, "ssh");
    g_assert_cmpstr(services_name(s, PACKET_UDP, 53), ==, "dns");
    g_assert_cmpstr(services_name(s, PACKET_TCP, 53), ==, "unknown");
    g_autoptr(GArray) top = services_top_ports(s, PACKET_TCP, 2);
    g_assert_cmpuint(top->len, ==, 2);
    g_assert_cmpuint(g_array_index(top, guint16, 0), ==, 7);
    g_assert_cmpuint(g_array_index(top, guint16, 1), ==, 9);
    g_autofree char *dir = g_path_get_dirname(path);
    g_assert_cmpstr(services_dir(s), ==, dir);
    services_free(s);
    g_unlink(path);
}

static void test_missing_file(void)
{
    GError *error = NULL;
    g_assert_null(services_load("/nonexistent/nmap-services", &error));
    g_assert_nonnull(error);
    g_error_free(error);
}

/* When nmap is installed, its own top 1000 and the built-in copy agree. */
static void test_builtin_matches_nmap(void)
{
    if (!g_file_test(SERVICES_NMAP_PATH, G_FILE_TEST_EXISTS)) {
        g_test_skip("nmap-services not installed");
        return;
    }
    services *nmap = services_load(SERVICES_NMAP_PATH, NULL);
    g_assert_nonnull(nmap);
    services *builtin = services_builtin();
    g_autoptr(GArray) a = services_top_ports(nmap, PACKET_TCP, 1000);
    g_autoptr(GArray) b = services_top_ports(builtin, PACKET_TCP, 1000);
    g_assert_cmpmem(a->data, a->len * 2, b->data, b->len * 2);
    for (guint i = 0; i < a->len; i++) {
        guint16 p = g_array_index(a, guint16, i);
        g_assert_cmpstr(services_name(nmap, PACKET_TCP, p), ==,
                        services_name(builtin, PACKET_TCP, p));
    }
    services_free(nmap);
    services_free(builtin);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/services/builtin", test_builtin);
    g_test_add_func("/services/file", test_file);
    g_test_add_func("/services/missing-file", test_missing_file);
    g_test_add_func("/services/builtin-matches-nmap", test_builtin_matches_nmap);
    return g_test_run();
}
