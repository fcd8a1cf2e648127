/* -w appended to (--append-output, so --resume): a pcap file keeps its frames
 * and gets the new ones after them, read back by libpcap as one capture; one
 * of another link type is refused and left as it was; a file that is no pcap
 * file of ours is refused; an empty one gets its header. */
#include <glib.h>
#include <glib/gstdio.h>
#include <pcap/pcap.h>
#include <string.h>

#include "capture.h"
#include "error.h"

/* One frame of len bytes, all equal to fill, at second sec. */
static void write_frame(capture *c, guint8 fill, guint len, long sec)
{
    guint8 frame[64];
    g_assert_cmpuint(len, <=, sizeof frame);
    memset(frame, fill, len);
    struct pcap_pkthdr h = {.ts = {sec, 0}, .caplen = len, .len = len};
    capture_write(c, &h, frame);
}

/* One run: a capture of the given link type holding frames [first, last]. */
static gboolean run(const char *path, gboolean append, int linktype, guint8 first, guint8 last,
                    GError **error)
{
    capture *c = capture_create(path, append, error);
    g_assert_nonnull(c);
    pcap_t *dead = pcap_open_dead(linktype, 2048);
    gboolean ok = capture_start(c, dead, "st0", error);
    pcap_close(dead);
    for (guint8 f = first; ok && f <= last; f++)
        write_frame(c, f, 20 + f, 1000 + f);
    g_assert_true(capture_close(c, NULL));
    return ok;
}

/* The fill bytes of the file's frames, in order, as libpcap reads them. */
static GString *frames_of(const char *path, int *linktype)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *p = pcap_open_offline(path, err);
    g_assert_nonnull(p);
    *linktype = pcap_datalink(p);
    GString *fills = g_string_new(NULL);
    struct pcap_pkthdr *h;
    const u_char *data;
    while (pcap_next_ex(p, &h, &data) == 1) {
        g_assert_cmpuint(h->caplen, ==, 20u + data[0]);
        g_assert_cmpint(h->ts.tv_sec, ==, 1000 + data[0]);
        g_string_append_printf(fills, "%u ", data[0]);
    }
    pcap_close(p);
    return fills;
}

static void test_pcap_appended(void)
{
    g_autofree char *dir = g_dir_make_tmp("capture-XXXXXX", NULL);
    g_autofree char *path = g_build_filename(dir, "scan.pcap", NULL);
    GError *error = NULL;
    g_assert_true(run(path, FALSE, DLT_EN10MB, 1, 3, &error));
    g_assert_true(run(path, TRUE, DLT_EN10MB, 4, 5, &error));
    g_assert_no_error(error);
    int linktype;
    g_autoptr(GString) fills = frames_of(path, &linktype);
    g_assert_cmpint(linktype, ==, DLT_EN10MB);
    g_assert_cmpstr(fills->str, ==, "1 2 3 4 5 ");

    /* Without --append-output: overwritten, as before. */
    g_assert_true(run(path, FALSE, DLT_EN10MB, 6, 6, &error));
    g_autoptr(GString) again = frames_of(path, &linktype);
    g_assert_cmpstr(again->str, ==, "6 ");

    /* Another link type: refused in one line, the file as it was. */
    g_assert_false(run(path, TRUE, DLT_RAW, 7, 7, &error));
    g_assert_error(error, ST_ERROR, ST_ERROR_INPUT);
    g_assert_nonnull(strstr(error->message, "its link type is EN10MB, this scan's RAW"));
    g_assert_null(strchr(error->message, '\n'));
    g_clear_error(&error);
    g_autoptr(GString) kept = frames_of(path, &linktype);
    g_assert_cmpstr(kept->str, ==, "6 ");
    g_assert_cmpint(linktype, ==, DLT_EN10MB);

    /* Not a pcap file of ours. */
    g_assert_true(g_file_set_contents(path, "not a capture, but long enough to read", -1, NULL));
    g_assert_false(run(path, TRUE, DLT_EN10MB, 1, 1, &error));
    g_assert_error(error, ST_ERROR, ST_ERROR_INPUT);
    g_assert_nonnull(strstr(error->message, "not a pcap file scantrace wrote"));
    g_clear_error(&error);

    /* An empty file (a run that died before its capture began): a header. */
    g_assert_true(g_file_set_contents(path, "", 0, NULL));
    g_assert_true(run(path, TRUE, DLT_EN10MB, 2, 2, &error));
    g_autoptr(GString) fresh = frames_of(path, &linktype);
    g_assert_cmpstr(fresh->str, ==, "2 ");

    g_unlink(path);
    g_rmdir(dir);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/capture/pcap-appended", test_pcap_appended);
    return g_test_run();
}
