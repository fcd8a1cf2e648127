/* --merge: shard reports written by report_xml.c from one scan's results, dealt
 * out as --shards deals them, merge back into that scan's hosts and ports, so
 * the merged report's host sections are the unsharded report's, byte for
 * byte. Reports that are not shards of one scan are refused. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "report_merge.h"
#include "report_normal.h"
#include "report_xml.h"
#include "services.h"
#include "shard.h"

enum { NPORTS = 80, NHOSTS = 3, SHARDS = 4, SEED = 9 };

typedef struct fixture {
    char *dir;
    probe_plan *plan;
    services *svc;
    host_result hosts[NHOSTS];
    port_result results[NHOSTS][NPORTS];
} fixture;

/* Host 0: 22 and 80 open, 1-50 closed, the rest dropped (folded states both);
 * host 1: everything closed; host 2: down. */
static void fixture_init(fixture *fx)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = g_dir_make_tmp("merge-XXXXXX", NULL);
    g_assert_nonnull(fx->dir);
    guint16 ports[NPORTS];
    for (guint i = 0; i < NPORTS; i++)
        ports[i] = (guint16)(i + 1);
    fx->plan = probe_plan_new();
    probe_plan_add(fx->plan, &scan_syn, 40000, ports, NPORTS);
    fx->svc = services_builtin();
    static const uint32_t addrs[NHOSTS] = {0x0ac90003, 0x0ac90002, 0x0ac90005};
    for (guint h = 0; h < NHOSTS; h++) {
        host_result *hr = &fx->hosts[h];
        hr->addr = packet_addr_from_ipv4(addrs[h]);
        rtt_init(&hr->rtt);
        if (h == 2) {
            hr->status = (port_result){HOST_DOWN, REASON_NO_RESPONSE, 0};
            continue;
        }
        hr->status = (port_result){HOST_UP, REASON_ARP_RESPONSE, 0};
        hr->has_mac = TRUE;
        hr->mac[5] = (uint8_t)h;
        hr->rtt.srtt = 20;
        hr->rtt.rttvar = 5;
        hr->rtt.timeout = 100000;
        hr->start = 1000 * G_USEC_PER_SEC;
        hr->end = 1001 * G_USEC_PER_SEC;
        for (guint p = 0; p < NPORTS; p++) {
            guint port = p + 1;
            if (h == 0 && (port == 22 || port == 80))
                fx->results[h][p] = (port_result){PORT_OPEN, REASON_SYN_ACK, 64};
            else if (h == 1 || port <= 50)
                fx->results[h][p] = (port_result){PORT_CLOSED, REASON_RESET, 64};
            else
                fx->results[h][p] = (port_result){PORT_FILTERED, REASON_NO_RESPONSE, 0};
        }
        hr->ports = fx->results[h];
    }
}

static void fixture_clear(fixture *fx)
{
    g_autoptr(GDir) d = g_dir_open(fx->dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name(d))) {
        g_autofree char *path = g_build_filename(fx->dir, name, NULL);
        g_unlink(path);
    }
    g_rmdir(fx->dir);
    g_free(fx->dir);
    probe_plan_free(fx->plan);
    services_free(fx->svc);
}

static char *write_report(fixture *fx, const char *name, const char *args, host_result *hosts,
                          guint n)
{
    /* Each run draws its own scan id: shard I's ends in I (--shard I). */
    const char *shard = strstr(args, "--shard ");
    uint32_t scan_id = 0x1234ab00u + (shard ? (uint32_t)atoi(shard + 8) : 0xcdu);
    report_context ctx = {.plan = fx->plan,
                          .svc = fx->svc,
                          .scan_id = scan_id,
                          .args = args,
                          .start = 1000 * G_USEC_PER_SEC,
                          .list_down = TRUE};
    g_autoptr(GString) out = g_string_new(NULL);
    report_xml_start(out, &ctx);
    guint up = 0;
    for (guint i = 0; i < n; i++) {
        report_xml_host(out, &ctx, &hosts[i]);
        up += hosts[i].status.state == HOST_UP;
    }
    report_xml_done(out, 1002 * G_USEC_PER_SEC, 2.0, n, up, "summary", NULL);
    char *path = g_build_filename(fx->dir, name, NULL);
    g_assert_true(g_file_set_contents(path, out->str, -1, NULL));
    return path;
}

/* Shard i's report: each host with the ports --shards deals to shard i. */
static char *write_shard(fixture *fx, guint shard, const uint8_t *const skip[NHOSTS])
{
    host_result hosts[NHOSTS];
    guint n = 0;
    for (guint h = 0; h < NHOSTS; h++) {
        hosts[n] = fx->hosts[h];
        hosts[n].shard_skip = (uint8_t *)skip[h] + (gsize)shard * NPORTS;
        n++;
    }
    g_autofree char *args =
        g_strdup_printf("scantrace -p 1-80 --shards %u --shard %u --seed %u 10.201.0.1-5 -oX "
                        "shard%u.xml -w shard%u.pcapng -oN shard%u.nmap",
                        SHARDS, shard, SEED, shard, shard, shard);
    g_autofree char *name = g_strdup_printf("shard%u.xml", shard);
    return write_report(fx, name, args, hosts, n);
}

static void host_xml(GString *out, const fixture *fx, const host_result *h)
{
    report_context ctx = {.plan = fx->plan, .svc = fx->svc, .verbose = 1};
    report_xml_host(out, &ctx, h);
    report_normal_host(out, &ctx, h);
}

/* skip[h][shard * NPORTS + p]: whether shard does not scan port p of host h. */
static void deal(uint8_t *skip[NHOSTS])
{
    shard_order *o = shard_order_new(SEED, (guint64)NHOSTS * NPORTS);
    for (guint h = 0; h < NHOSTS; h++) {
        skip[h] = g_new(uint8_t, SHARDS * NPORTS);
        for (guint s = 0; s < SHARDS; s++)
            for (guint p = 0; p < NPORTS; p++)
                skip[h][s * NPORTS + p] = shard_of(o, (guint64)h * NPORTS + p, SHARDS) != s;
    }
    shard_order_free(o);
}

static void test_merge_equals_unsharded(void)
{
    fixture fx;
    fixture_init(&fx);
    uint8_t *skip[NHOSTS];
    deal(skip);
    char *paths[SHARDS + 1] = {NULL};
    /* Given in another order than the shards': the order must not matter. */
    for (guint s = 0; s < SHARDS; s++)
        paths[s] = write_shard(&fx, (s + 2) % SHARDS, (const uint8_t *const *)skip);
    g_autoptr(GPtrArray) warn = g_ptr_array_new_with_free_func(g_free);
    GError *error = NULL;
    merged_report *m = report_merge((const char *const *)paths, warn, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(warn->len, ==, 0);
    g_assert_cmpuint(m->hosts->len, ==, NHOSTS);
    g_assert_cmpuint(m->up, ==, 2);
    g_assert_cmphex(m->scan_id, ==, 0x1234ab02); /* the first given: shard 2 */
    /* The header: every shard's scan id in shard order (each shard's probes
     * carry its own), and the scan's command line as the unsharded scan's,
     * less its report files: no shard's own options or files. */
    g_assert_cmpuint(m->scan_ids->len, ==, SHARDS);
    for (guint s = 0; s < SHARDS; s++)
        g_assert_cmphex(g_array_index(m->scan_ids, uint32_t, s), ==, 0x1234ab00 + s);
    g_assert_cmpstr(m->args, ==, "scantrace -p 1-80 10.201.0.1-5");
    report_context merged = {.plan = m->plan,
                             .svc = fx.svc,
                             .scan_id = m->scan_id,
                             .scan_ids = (const uint32_t *)m->scan_ids->data,
                             .nscan_ids = m->scan_ids->len,
                             .args = m->args,
                             .start = m->start};
    g_autoptr(GString) head = g_string_new(NULL);
    report_xml_start(head, &merged);
    g_assert_nonnull(strstr(head->str, " (scan ids 0x1234ab00, 0x1234ab01, 0x1234ab02, "
                                       "0x1234ab03) as: scantrace -p 1-80 10.201.0.1-5 -->\n"));
    g_assert_nonnull(strstr(head->str, " args=\"scantrace -p 1-80 10.201.0.1-5\" "));
    g_string_truncate(head, 0);
    report_normal_file_start(head, &merged);
    g_assert_nonnull(strstr(head->str, "(scan ids 0x1234ab00, 0x1234ab01, 0x1234ab02, 0x1234ab03) "
                                       "as: scantrace -p 1-80 10.201.0.1-5\n"));
    for (guint h = 0; h < NHOSTS; h++) {
        const host_result *got = &g_array_index(m->hosts, host_result, h);
        g_assert_null(got->shard_skip);
        g_autoptr(GString) want_text = g_string_new(NULL);
        g_autoptr(GString) got_text = g_string_new(NULL);
        host_xml(want_text, &fx, &fx.hosts[h]);
        host_xml(got_text, &fx, got);
        g_assert_cmpstr(got_text->str, ==, want_text->str);
    }
    /* Down hosts are listed when the merged scan is verbose only. */
    report_context quiet = {.plan = m->plan, .svc = fx.svc};
    g_autoptr(GString) down = g_string_new(NULL);
    report_xml_host(down, &quiet, &g_array_index(m->hosts, host_result, 2));
    g_assert_cmpstr(down->str, ==, "");
    merged_report_free(m);

    /* A shard missing (the last given: shard 1): a warning, and its ports are
     * left out. */
    g_free(paths[SHARDS - 1]);
    paths[SHARDS - 1] = NULL;
    m = report_merge((const char *const *)paths, warn, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(warn->len, ==, 1);
    g_assert_nonnull(strstr(g_ptr_array_index(warn, 0), "1 of the 4 shards are missing (1)"));
    g_assert_nonnull(g_array_index(m->hosts, host_result, 0).shard_skip);
    merged_report_free(m);

    /* The same shard twice. */
    g_free(paths[1]);
    paths[1] = g_strdup(paths[0]);
    g_assert_null(report_merge((const char *const *)paths, NULL, &error));
    g_assert_error(error, ST_ERROR, ST_ERROR_INPUT);
    g_assert_nonnull(strstr(error->message, "are both shard"));
    g_clear_error(&error);
    for (guint s = 0; s < SHARDS; s++)
        g_free(paths[s]);
    for (guint h = 0; h < NHOSTS; h++)
        g_free(skip[h]);
    fixture_clear(&fx);
}

/* A --scanflags scan's shards merge into that scan: its judging type and flags
 * come back from <scaninfo type= scanflags=> and are written again. */
static void test_scanflags_kept(void)
{
    fixture fx;
    fixture_init(&fx);
    const scan_type *custom = scan_flags_type(&scan_fin, TCP_SYN | TCP_FIN);
    probe_plan_free(fx.plan);
    fx.plan = probe_plan_new();
    guint16 ports[NPORTS];
    for (guint i = 0; i < NPORTS; i++)
        ports[i] = (guint16)(i + 1);
    probe_plan_add(fx.plan, custom, 40000, ports, NPORTS);
    uint8_t *skip[NHOSTS];
    deal(skip);
    char *paths[SHARDS + 1] = {NULL};
    for (guint s = 0; s < SHARDS; s++)
        paths[s] = write_shard(&fx, s, (const uint8_t *const *)skip);
    g_autofree char *text = NULL;
    g_assert_true(g_file_get_contents(paths[0], &text, NULL, NULL));
    g_assert_nonnull(strstr(text, "<scaninfo type=\"fin\" scanflags=\"FINSYN\" protocol=\"tcp\""));
    GError *error = NULL;
    merged_report *m = report_merge((const char *const *)paths, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpuint(m->plan->ntypes, ==, 1);
    g_assert_true(m->plan->types[0].type == custom);
    merged_report_free(m);
    for (guint s = 0; s < SHARDS; s++)
        g_free(paths[s]);
    for (guint h = 0; h < NHOSTS; h++)
        g_free(skip[h]);
    fixture_clear(&fx);
}

static void test_refused(void)
{
    fixture fx;
    fixture_init(&fx);
    /* Two unsharded reports of the same hosts: every port twice. */
    g_autofree char *a = write_report(&fx, "a.xml", "scantrace -p 1-80 10.201.0.2", fx.hosts, 1);
    g_autofree char *b = write_report(&fx, "b.xml", "scantrace -p 1-80 10.201.0.2", fx.hosts, 1);
    const char *both[] = {a, b, NULL};
    GError *error = NULL;
    g_assert_null(report_merge(both, NULL, &error));
    g_assert_nonnull(strstr(error->message, "not shards of one scan"));
    g_clear_error(&error);
    /* Other seeds. */
    g_autofree char *c =
        write_report(&fx, "c.xml", "scantrace --shards 2 --shard 0 --seed 1 x", fx.hosts, 1);
    g_autofree char *d =
        write_report(&fx, "d.xml", "scantrace --shards 2 --shard 1 --seed 2 x", fx.hosts + 1, 1);
    const char *seeds[] = {c, d, NULL};
    g_assert_null(report_merge(seeds, NULL, &error));
    g_assert_nonnull(strstr(error->message, "--seed 1 against --shards 2 --seed 2"));
    g_clear_error(&error);
    /* Not XML, and not a whole report. */
    g_autofree char *junk = g_build_filename(fx.dir, "junk.xml", NULL);
    g_file_set_contents(junk, "<nmaprun args=\"x\"><host>", -1, NULL);
    const char *cut[] = {junk, NULL};
    g_assert_null(report_merge(cut, NULL, &error));
    g_assert_nonnull(strstr(error->message, "junk.xml"));
    g_clear_error(&error);
    /* No such file, or a folder: our words, plain ASCII (GLib's quote the path
     * in typographic quotes, which the error's escaping would mangle). */
    g_autofree char *missing = g_build_filename(fx.dir, "missing.xml", NULL);
    const char *none[] = {missing, NULL}, *folder[] = {fx.dir, NULL};
    g_assert_null(report_merge(none, NULL, &error));
    g_assert_nonnull(strstr(error->message, "cannot read "));
    g_assert_true(g_str_is_ascii(error->message));
    g_clear_error(&error);
    g_assert_null(report_merge(folder, NULL, &error));
    g_assert_nonnull(strstr(error->message, "not a file"));
    g_clear_error(&error);
    fixture_clear(&fx);
}

/* A name in a report is printed again: bytes a scan would have escaped are
 * escaped, what a scan wrote (its escapes included) is kept. */
static void test_names_escaped(void)
{
    fixture fx;
    fixture_init(&fx);
    g_autofree char *path = g_build_filename(fx.dir, "names.xml", NULL);
    g_assert_true(g_file_set_contents(
        path,
        "<nmaprun args=\"scantrace \x1b[2J\"><host><status state=\"up\" reason=\"user-set\"/>"
        "<address addr=\"10.0.0.1\" addrtype=\"ipv4\"/><hostnames><hostname "
        "name=\"caf\xc3\xa9\" type=\"PTR\"/></hostnames></host><host><status state=\"up\" "
        "reason=\"user-set\"/><address addr=\"10.0.0.2\" addrtype=\"ipv4\"/><hostnames>"
        "<hostname name=\"a\\x07b\" type=\"PTR\"/></hostnames></host><runstats><finished "
        "time=\"1\" elapsed=\"0.5\" exit=\"success\"/></runstats></nmaprun>",
        -1, NULL));
    const char *paths[] = {path, NULL};
    GError *error = NULL;
    merged_report *m = report_merge(paths, NULL, &error);
    g_assert_no_error(error);
    g_assert_cmpstr(m->args, ==, "scantrace \\x1b[2J");
    g_assert_cmpstr(g_array_index(m->hosts, host_result, 0).name, ==, "caf\\xc3\\xa9");
    g_assert_cmpstr(g_array_index(m->hosts, host_result, 1).name, ==, "a\\x07b");
    merged_report_free(m);
    fixture_clear(&fx);
}

/* -sn shards hold disjoint hosts: nothing orders them but their addresses. */
static void test_ping_shards_in_address_order(void)
{
    fixture fx;
    fixture_init(&fx);
    probe_plan_free(fx.plan);
    fx.plan = NULL;
    host_result h[3] = {fx.hosts[0], fx.hosts[1], fx.hosts[2]};
    for (guint i = 0; i < 3; i++)
        h[i].ports = NULL;
    host_result first[2] = {h[1], h[2]}; /* .2 .5 */
    g_autofree char *a =
        write_report(&fx, "a.xml", "scantrace -sn --shards 2 --shard 0 --seed 3 x", first, 2);
    g_autofree char *b =
        write_report(&fx, "b.xml", "scantrace -sn --shards 2 --shard 1 --seed 3 x", h, 1);
    const char *paths[] = {b, a, NULL};
    GError *error = NULL;
    merged_report *m = report_merge(paths, NULL, &error);
    g_assert_no_error(error);
    g_assert_null(m->plan);
    g_assert_cmpuint(m->hosts->len, ==, 3);
    g_assert_cmphex(packet_addr_low32(&g_array_index(m->hosts, host_result, 0).addr), ==,
                    0x0ac90002);
    g_assert_cmphex(packet_addr_low32(&g_array_index(m->hosts, host_result, 1).addr), ==,
                    0x0ac90003);
    g_assert_cmphex(packet_addr_low32(&g_array_index(m->hosts, host_result, 2).addr), ==,
                    0x0ac90005);
    g_assert_cmpuint(m->up, ==, 2);
    merged_report_free(m);
    fixture_clear(&fx);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/merge/equals-unsharded", test_merge_equals_unsharded);
    g_test_add_func("/merge/refused", test_refused);
    g_test_add_func("/merge/scanflags-kept", test_scanflags_kept);
    g_test_add_func("/merge/names-escaped", test_names_escaped);
    g_test_add_func("/merge/ping-shards-in-address-order", test_ping_shards_in_address_order);
    return g_test_run();
}
