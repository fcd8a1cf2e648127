/* The probe tag: written, found again among other options, and refused when damaged. */
#include <glib.h>
#include <string.h>

#include "tag.h"

static void test_round_trip(void)
{
    uint8_t opts[20] = {2, 4, 0x05, 0xb4}; /* MSS first, as a probe carries it */
    size_t n = tag_write_tcp_option(opts + 4, 0xdeadbeef, 3, false);
    g_assert_cmpuint(n, ==, TAG_TCP_OPTION_LEN);
    opts[14] = 1;
    opts[15] = 1;
    probe_tag tag;
    g_assert_true(tag_find_in_tcp_options(opts, 16, &tag));
    g_assert_cmpuint(tag.scan_id, ==, 0xdeadbeef);
    g_assert_cmpuint(tag.try_no, ==, 3);
    g_assert_cmpuint(tag.version, ==, TAG_VERSION);
    g_assert_false(tag.discovery);

    tag_write_tcp_option(opts + 4, 42, 15, true);
    g_assert_true(tag_find_in_tcp_options(opts, 16, &tag));
    g_assert_true(tag.discovery);
    g_assert_cmpuint(tag.try_no, ==, 15);
    g_assert_cmpuint(tag.scan_id, ==, 42);
}

static void test_absent_and_damaged(void)
{
    probe_tag tag;
    uint8_t plain[] = {2, 4, 0x05, 0xb4, 1, 1, 4, 2}; /* MSS, NOP, NOP, SACK-permitted */
    g_assert_false(tag_find_in_tcp_options(plain, sizeof plain, &tag));

    uint8_t opts[TAG_TCP_OPTION_LEN];
    tag_write_tcp_option(opts, 1, 0, false);
    g_assert_false(tag_find_in_tcp_options(opts, sizeof opts - 1, &tag)); /* truncated */
    opts[3] ^= 0xff;                                                      /* another ExID */
    g_assert_false(tag_find_in_tcp_options(opts, sizeof opts, &tag));

    uint8_t zero_len[] = {253, 0, 0x53, 0x54};
    g_assert_false(tag_find_in_tcp_options(zero_len, sizeof zero_len, &tag));
    uint8_t overlong[] = {253, 200, 0x53, 0x54};
    g_assert_false(tag_find_in_tcp_options(overlong, sizeof overlong, &tag));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tag/round-trip", test_round_trip);
    g_test_add_func("/tag/absent-and-damaged", test_absent_and_damaged);
    return g_test_run();
}
