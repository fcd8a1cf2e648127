/* Untrusted text (reverse DNS names, -iL names) made safe for a terminal, the
 * -oN file and XML 1.0, and the reports that carry such a name. */
#include <glib.h>
#include <string.h>

#include "probe_plan.h"
#include "report_normal.h"
#include "report_xml.h"
#include "safe_text.h"

static void test_clean_text_unchanged(void)
{
    g_autofree char *s = safe_text("host-1.example.org");
    g_assert_cmpstr(s, ==, "host-1.example.org");
    g_assert_true(safe_text_is_clean("host-1.example.org"));
    g_assert_null(safe_text(NULL));
}

static void test_controls_and_high_bytes_escaped(void)
{
    /* An OSC title change, a colour, BEL, DEL, a C1 CSI and invalid UTF-8. */
    g_autofree char *s = safe_text("a\x1b]0;pwned\x07\x1b[31mred\x7f\x9b\xff\\z");
    g_assert_cmpstr(s, ==, "a\\x1b]0;pwned\\x07\\x1b[31mred\\x7f\\x9b\\xff\\x5cz");
    g_assert_false(safe_text_is_clean("a\x1b"));
    for (const char *p = s; *p; p++)
        g_assert_true(*p >= 0x20 && *p <= 0x7e);
}

/* Every byte value once, in order: nothing but printable ASCII comes out, and
 * the escapes give each byte back. */
static void test_every_byte(void)
{
    char raw[256];
    for (int i = 1; i < 256; i++)
        raw[i - 1] = (char)i;
    raw[255] = '\0';
    g_autofree char *s = safe_text(raw);
    GString *back = g_string_new(NULL);
    for (const char *p = s; *p; p++) {
        g_assert_true(*p >= 0x20 && *p <= 0x7e);
        if (*p == '\\') {
            g_assert_cmpint(p[1], ==, 'x');
            char hex[3] = {p[2], p[3], 0};
            g_string_append_c(back, (char)strtol(hex, NULL, 16));
            p += 3;
        } else {
            g_string_append_c(back, *p);
        }
    }
    g_assert_cmpstr(back->str, ==, raw);
    g_string_free(back, TRUE);
}

/* A host named with markup and escapes: the XML carries it as text, the normal
 * report with no control byte. */
static void test_reports_carry_escaped_name(void)
{
    host_result h = {.addr = PACKET_ADDR_IPV4_INIT(0x0ac90002),
                     .status = {HOST_UP, REASON_USER_SET, 0}};
    h.name = safe_text("<evil>&\x1b[2J\x01");
    h.name_from_dns = TRUE;
    h.rtt.srtt = -1;
    report_context ctx = {.args = "scantrace -sn 10.201.0.2", .start = 0};
    g_autoptr(GString) normal = g_string_new(NULL);
    report_normal_host(normal, &ctx, &h);
    g_assert_nonnull(strstr(normal->str, "<evil>&\\x1b[2J\\x01 (10.201.0.2)"));
    g_autoptr(GString) xml = g_string_new(NULL);
    report_xml_host(xml, &ctx, &h);
    g_assert_nonnull(strstr(xml->str, "name=\"&lt;evil&gt;&amp;\\x1b[2J\\x01\" type=\"PTR\""));
    for (const char *p = xml->str; *p; p++)
        g_assert_true(*p == '\n' || (*p >= 0x20 && *p <= 0x7e));
    g_free(h.name);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/safe_text/clean", test_clean_text_unchanged);
    g_test_add_func("/safe_text/escaped", test_controls_and_high_bytes_escaped);
    g_test_add_func("/safe_text/every_byte", test_every_byte);
    g_test_add_func("/safe_text/reports", test_reports_carry_escaped_name);
    return g_test_run();
}
