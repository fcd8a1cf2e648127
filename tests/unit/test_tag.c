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

/* Version 2 names the scan type; readers take both versions. */
static void test_version_2(void)
{
    uint8_t opts[16] = {2, 4, 0x05, 0xb4};
    size_t n = tag_write_scan_option(opts + 4, 0xfeedface, 7, true, 9, true);
    g_assert_cmpuint(n, ==, TAG_SCAN_OPTION_LEN);
    opts[15] = 1;
    probe_tag tag;
    g_assert_true(tag_find_in_tcp_options(opts, 16, &tag));
    g_assert_cmpuint(tag.version, ==, TAG_VERSION_SCAN);
    g_assert_cmpuint(tag.scan_id, ==, 0xfeedface);
    g_assert_cmpuint(tag.try_no, ==, 7);
    g_assert_true(tag.discovery);
    g_assert_cmpuint(tag.scan_code, ==, 9);
    g_assert_true(tag.custom_flags);
    g_assert_cmpuint(opts[14], ==, 0x89);

    tag_write_scan_option(opts + 4, 1, 0, false, 2, false);
    g_assert_true(tag_find_in_tcp_options(opts, 16, &tag));
    g_assert_cmpuint(tag.scan_code, ==, 2);
    g_assert_false(tag.custom_flags);
    g_assert_false(tag.discovery);

    /* No scan code, a version 2 with version 1's length, the reverse: refused. */
    opts[14] = TAG_CUSTOM_FLAGS;
    g_assert_false(tag_find_in_tcp_options(opts, 16, &tag));
    opts[14] = 2;
    opts[5] = TAG_TCP_OPTION_LEN;
    g_assert_false(tag_find_in_tcp_options(opts, 16, &tag));
    tag_write_tcp_option(opts + 4, 1, 0, false);
    opts[5] = TAG_SCAN_OPTION_LEN;
    g_assert_false(tag_find_in_tcp_options(opts, 16, &tag));
    /* Cut short of its scan byte. */
    tag_write_scan_option(opts + 4, 1, 0, false, 2, false);
    g_assert_false(tag_find_in_tcp_options(opts, 14, &tag));
    /* A payload carries version 1, or version 2 for -PO's probes (whole). */
    g_assert_true(tag_find_in_payload(opts + 4, TAG_SCAN_OPTION_LEN, &tag));
    g_assert_cmpuint(tag.version, ==, TAG_VERSION_SCAN);
    g_assert_cmpuint(tag.scan_code, ==, 2);
    g_assert_false(tag_find_in_payload(opts + 4, TAG_SCAN_OPTION_LEN - 1, &tag));
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
    g_test_add_func("/tag/version-2", test_version_2);
    return g_test_run();
}
