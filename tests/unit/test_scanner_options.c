/* The command line: nmap's rules on combining scan types, and the one-line
 * errors for what nmap refuses too. */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "options.h"

/* argv from the NULL-terminated arguments after the program's name. */
static GPtrArray *argv_of(va_list ap)
{
    GPtrArray *args = g_ptr_array_new();
    g_ptr_array_add(args, (gpointer) "scantrace");
    for (const char *a = va_arg(ap, const char *); a; a = va_arg(ap, const char *))
        g_ptr_array_add(args, (gpointer)a);
    g_ptr_array_add(args, NULL);
    return args;
}

static gboolean parse(scan_options *o, GError **error, ...)
{
    va_list ap;
    va_start(ap, error);
    GPtrArray *args = argv_of(ap);
    va_end(ap);
    gboolean help;
    gboolean ok = options_parse((int)args->len - 1, (char **)args->pdata, o, &help, error);
    g_ptr_array_unref(args);
    return ok;
}

static void assert_types(const scan_options *o, const scan_type *first, const scan_type *second)
{
    g_assert_cmpuint(o->types->len, ==, second ? 2 : first ? 1 : 0);
    if (first)
        g_assert_true(g_ptr_array_index(o->types, 0) == first);
    if (second)
        g_assert_true(g_ptr_array_index(o->types, 1) == second);
}

static void assert_refused(const char *fragment, ...)
{
    va_list ap;
    va_start(ap, fragment);
    GPtrArray *args = argv_of(ap);
    va_end(ap);
    scan_options o;
    GError *error = NULL;
    /* Set, so a path that leaves it unset shows: main() prints a refusal
     * with help set to stdout and exits 0. */
    gboolean help = TRUE;
    g_assert_false(options_parse((int)args->len - 1, (char **)args->pdata, &o, &help, &error));
    g_assert_false(help);
    g_assert_nonnull(error);
    if (!strstr(error->message, fragment))
        g_error("message \"%s\" lacks \"%s\"", error->message, fragment);
    g_assert_null(strchr(error->message, '\n'));
    g_error_free(error);
    options_clear(&o);
    g_ptr_array_unref(args);
}

static void test_types(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "10.0.0.1", NULL));
    assert_types(&o, &scan_syn, NULL);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sU", "-sT", "10.0.0.1", NULL));
    assert_types(&o, &scan_connect, &scan_udp);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sS", "-sS", "-sU", "10.0.0.1", NULL));
    assert_types(&o, &scan_syn, &scan_udp);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sU", "10.0.0.1", NULL));
    assert_types(&o, &scan_udp, NULL);
    options_clear(&o);
    /* SCTP after the others, as nmap runs its scans; -sY alone is no default. */
    g_assert_true(parse(&o, &error, "-sZ", "-sS", "10.0.0.1", NULL));
    assert_types(&o, &scan_syn, &scan_sctp_cookie_echo);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sY", "10.0.0.1", NULL));
    assert_types(&o, &scan_sctp_init, NULL);
    g_assert_false(o.default_type);
    g_assert_null(o.pings.sctp);
    options_clear(&o);
    /* -PY alone pings port 80, nmap's default. */
    g_assert_true(parse(&o, &error, "-sn", "-PY", "10.0.0.1", NULL));
    g_assert_cmpuint(o.pings.sctp->len, ==, 1);
    g_assert_cmpuint(g_array_index(o.pings.sctp, guint16, 0), ==, 80);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-PY22,2905", "10.0.0.1", NULL));
    g_assert_cmpuint(o.pings.sctp->len, ==, 2);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sn", "-vv", "-Pn", "10.0.0.1", NULL));
    assert_types(&o, NULL, NULL);
    g_assert_true(o.ping_only);
    g_assert_true(o.skip_discovery);
    g_assert_cmpint(o.verbose, ==, 2);
    options_clear(&o);
    /* nmap's host discovery options, attached lists, combined. */
    g_assert_true(parse(&o, &error, "-sn", "-PS22,80", "-PE", "-PU", "-PS443", "--disable-arp-ping",
                        "10.0.0.1", NULL));
    g_assert_true(o.pings.given && o.pings.echo && !o.pings.timestamp && o.disable_arp_ping);
    g_assert_cmpuint(o.pings.syn->len, ==, 3);
    g_assert_cmpuint(g_array_index(o.pings.syn, guint16, 2), ==, 443);
    g_assert_cmpuint(g_array_index(o.pings.udp, guint16, 0), ==, 40125);
    g_assert_null(o.pings.ack);
    options_clear(&o);
    g_assert_no_error(error);
}

static void test_refused(void)
{
    assert_refused("more than one type of TCP scan", "-sS", "-sT", "10.0.0.1", NULL);
    assert_refused("more than one type of TCP scan", "-sA", "-sX", "10.0.0.1", NULL);
    assert_refused("not valid with any other scan type", "-sn", "-sS", "10.0.0.1", NULL);
    assert_refused("when not doing a port scan", "-sn", "-p", "22", "10.0.0.1", NULL);
    /* nmap's options scantrace does not do: one line naming what they are to
     * nmap, whatever the spelling (unsupported_options.c). */
    assert_refused("-sI (nmap's idle scan) is not supported", "-sI", "10.0.0.1", NULL);
    assert_refused("-sV (nmap's service/version detection) is not supported", "-sV", "10.0.0.1",
                   NULL);
    assert_refused("-O (nmap's OS detection) is not supported", "-O", "10.0.0.1", NULL);
    assert_refused("--script (nmap's script scan) is not supported", "--script=default", "10.0.0.1",
                   NULL);
    assert_refused("--script (nmap's script scan)", "--script", "default", "10.0.0.1", NULL);
    assert_refused("-oS (nmap's script kiddie output)", "-oS", "x", "10.0.0.1", NULL);
    assert_refused("-iR (nmap's random targets)", "-iR", "5", NULL);
    assert_refused("Unknown option --frobnicate", "--frobnicate", "10.0.0.1", NULL);
    assert_refused("more than one type of SCTP scan", "-sY", "-sZ", "10.0.0.1", NULL);
    assert_refused("not valid with any other scan type", "-sn", "-sY", "10.0.0.1", NULL);
    assert_refused("-PY80,x: bad port list", "-PY80,x", "10.0.0.1", NULL);
    assert_refused("give one besides -sU, -sY or -sZ", "-sY", "--scanflags", "SYN", "10.0.0.1",
                   NULL);
    assert_refused("-PSx: bad port list", "-sn", "-PSx", "10.0.0.1", NULL);
    assert_refused("only valid for IPv4", "-6", "-sn", "-PM", "fd20:1::2", NULL);
    assert_refused("no targets given", "-sS", NULL);
    /* Named as typed, not as GOption knows it (--output-xml). */
    assert_refused("Missing argument for -oX", "-oX", NULL);
    assert_refused("Missing argument for -iL", "-sS", "-iL", NULL);
    assert_refused("cannot read the target list /nonexistent/list: No such file or directory",
                   "-iL", "/nonexistent/list", NULL);
    /* nmap refuses a rate of 0 too. */
    assert_refused("more than 0", "--max-rate", "0", "10.0.0.1", NULL);
    assert_refused("more than 0", "--min-rate", "0", "10.0.0.1", NULL);
    assert_refused("more than 0", "--max-rate", "-1", "10.0.0.1", NULL);
    assert_refused("more than 0", "--max-rate", "nan", "10.0.0.1", NULL);
    assert_refused("at most 1e9", "--max-rate", "2e9", "10.0.0.1", NULL);
}

/* Rates not given are 0 ("none"), given ones kept. */
/* nmap's port options: --port-ratio, --exclude-ports, -r, --defeat-rst-ratelimit
 * (and --open turning it on), with nmap's refusals. */
static void test_port_options(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "--port-ratio", "0.25", "--exclude-ports", "T:22,U:53", "-r",
                        "--defeat-rst-ratelimit", "10.0.0.1", NULL));
    g_assert_cmpfloat(o.port_ratio, ==, 0.25);
    g_assert_cmpstr(o.exclude_ports, ==, "T:22,U:53");
    g_assert_true(o.in_order);
    g_assert_true(o.defeat_rst_ratelimit);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sA", "--open", "10.0.0.1", NULL));
    g_assert_true(o.defeat_rst_ratelimit);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sS", "10.0.0.1", NULL));
    g_assert_false(o.defeat_rst_ratelimit || o.in_order);
    options_clear(&o);
    g_assert_no_error(error);
    assert_refused("should be between [0 and 1)", "--port-ratio", "1", "10.0.0.1", NULL);
    assert_refused("should be between [0 and 1)", "--port-ratio", "0", "10.0.0.1", NULL);
    assert_refused("should be between [0 and 1)", "--port-ratio", "0.5x", "10.0.0.1", NULL);
    assert_refused("give one of them", "--top-ports", "5", "--port-ratio", "0.1", "10.0.0.1", NULL);
    assert_refused("not valid with -sn", "-sn", "--exclude-ports", "22", "10.0.0.1", NULL);
    assert_refused("when not doing a port scan", "-sn", "--port-ratio", "0.1", "10.0.0.1", NULL);
    assert_refused("works only with a SYN scan (-sS)", "-sT", "--defeat-rst-ratelimit", "10.0.0.1",
                   NULL);
    assert_refused("works only with a SYN scan (-sS)", "-sU", "--defeat-rst-ratelimit", "10.0.0.1",
                   NULL);
}

static void test_rates(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "10.0.0.1", NULL));
    g_assert_cmpfloat(o.max_rate, ==, 0);
    g_assert_cmpfloat(o.min_rate, ==, 0);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "--max-rate", "0.5", "10.0.0.1", NULL));
    g_assert_cmpfloat(o.max_rate, ==, 0.5);
    options_clear(&o);
    /* nmap's spelling of a large rate. */
    g_assert_true(parse(&o, &error, "--min-rate", "1e9", "10.0.0.1", NULL));
    g_assert_cmpfloat(o.min_rate, ==, 1e9);
    options_clear(&o);
    g_assert_no_error(error);
}

/* A binary file is not a target list: its bytes would be looked up as names. */
static void test_binary_input_file(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("list-XXXXXX", &path, NULL);
    const char text[] = "10.0.0.2 # caf\xc3\xa9 comment\n\x7f"
                        "ELF\x02\x01\n";
    g_assert_true(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    assert_refused("is not text: byte 0x7f on line 2", "-iL", path, NULL);
    g_unlink(path);
}

static void test_input_file(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("list-XXXXXX", &path, NULL);
    const char text[] = "10.0.0.2 10.0.0.3\n";
    g_assert_true(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-iL", path, "10.0.0.1", NULL));
    g_assert_cmpuint(g_strv_length(o.targets), ==, 3);
    g_assert_cmpstr(o.targets[0], ==, "10.0.0.1");
    g_assert_cmpstr(o.targets[2], ==, "10.0.0.3");
    options_clear(&o);
    g_unlink(path);
}

/* A list that names no one (comments and blank lines) parses to no target:
 * the scan then warns and exits 0, as nmap (run.c); nothing at all given is
 * still refused. */
static void test_empty_input_file(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("list-XXXXXX", &path, NULL);
    const char text[] = "# nobody\n\n   \n";
    g_assert_true(write(fd, text, sizeof text - 1) == (ssize_t)(sizeof text - 1));
    close(fd);
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-sS", "-iL", path, NULL));
    g_assert_no_error(error);
    g_assert_true(o.targets == NULL || o.targets[0] == NULL);
    options_clear(&o);
    g_unlink(path);
    assert_refused("no targets given", "-sS", "-p", "22", NULL);
}

/* -V needs no target, as with nmap. */
static void test_version(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-V", NULL));
    g_assert_true(o.show_version);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "--version", "-sS", NULL));
    g_assert_true(o.show_version);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "10.0.0.1", NULL));
    g_assert_false(o.show_version);
    options_clear(&o);
    g_assert_no_error(error);
}

/* --shards, --shard, --seed reach the scan as zmap takes them; --merge takes
 * reports, and no option of a scan. */
static void test_shards_and_merge(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(
        parse(&o, &error, "--shards", "4", "--shard", "3", "--seed", "99", "10.0.0.1", NULL));
    g_assert_no_error(error);
    g_assert_cmpuint(o.shard.count, ==, 4);
    g_assert_cmpuint(o.shard.index, ==, 3);
    g_assert_cmpuint(o.shard.seed, ==, 99);
    g_assert_false(o.merge);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "10.0.0.1", NULL));
    g_assert_cmpuint(o.shard.count, ==, 1);
    options_clear(&o);
    assert_refused("out of range", "--shards", "2", "--shard", "2", "--seed", "1", "10.0.0.1",
                   NULL);
    assert_refused("--shards needs --seed", "--shards", "2", "10.0.0.1", NULL);
    assert_refused("--shard needs --shards", "--shard", "0", "--seed", "1", "10.0.0.1", NULL);
    g_assert_true(parse(&o, &error, "--merge", "-oX", "all.xml", "a.xml", "b.xml", NULL));
    g_assert_true(o.merge);
    g_assert_cmpstr(o.xml_file, ==, "all.xml");
    g_assert_cmpuint(g_strv_length(o.targets), ==, 2);
    options_clear(&o);
    assert_refused("--merge takes only", "--merge", "-p", "22", "a.xml", NULL);
    assert_refused("--merge takes only", "--merge", "--shards", "2", "a.xml", NULL);
    assert_refused("--merge needs the shards", "--merge", NULL);
}

/* -sM, -sW, and --scanflags on the TCP type given (-sS when none is). */
static void test_flag_scans(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-sM", "10.0.0.1", NULL));
    assert_types(&o, &scan_maimon, NULL);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sW", "-sU", "10.0.0.1", NULL));
    assert_types(&o, &scan_window, &scan_udp);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "--scanflags", "URGPSH", "10.0.0.1", NULL));
    assert_types(&o, scan_flags_type(&scan_syn, TCP_URG | TCP_PSH), NULL);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-sF", "--scanflags", "SYNFIN", "-sU", "10.0.0.1", NULL));
    assert_types(&o, scan_flags_type(&scan_fin, TCP_SYN | TCP_FIN), &scan_udp);
    options_clear(&o);
    g_assert_no_error(error);
    assert_refused("more than one type of TCP scan", "-sW", "-sA", "10.0.0.1", NULL);
    assert_refused("--scanflags must be a number", "--scanflags", "SYNX", "10.0.0.1", NULL);
    assert_refused("--scanflags must be a number", "--scanflags", "300", "10.0.0.1", NULL);
    assert_refused("needs a raw TCP scan type", "-sT", "--scanflags", "SYN", "10.0.0.1", NULL);
    assert_refused("give one besides -sU", "-sU", "--scanflags", "SYN", "10.0.0.1", NULL);
    assert_refused("not valid with -sn", "-sn", "--scanflags", "SYN", "10.0.0.1", NULL);
}

/* -oA BASE, -oG, --append-output, --stats-every; one report at most on stdout. */
static void test_outputs(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-oA", "/tmp/base", "--append-output", "--stats-every", "500ms",
                        "-vv", "10.0.0.1", NULL));
    g_assert_no_error(error);
    g_assert_cmpstr(o.normal_file, ==, "/tmp/base.nmap");
    g_assert_cmpstr(o.xml_file, ==, "/tmp/base.xml");
    g_assert_cmpstr(o.grepable_file, ==, "/tmp/base.gnmap");
    g_assert_true(o.append_output);
    g_assert_cmpint(o.stats_every, ==, 500000);
    g_assert_cmpint(o.verbose, ==, 2);
    options_clear(&o);
    g_assert_true(parse(&o, &error, "-oG", "-", "-oN", "n.txt", "10.0.0.1", NULL));
    g_assert_cmpstr(o.grepable_file, ==, "-");
    g_assert_cmpint(o.stats_every, ==, 0);
    options_clear(&o);
    assert_refused("only one of -oN, -oX and -oG", "-oG", "-", "-oX", "-", "10.0.0.1", NULL);
    assert_refused("-oA gives the -oN, -oX and -oG files", "-oA", "b", "-oG", "g", "10.0.0.1",
                   NULL);
    assert_refused("cannot write them to stdout", "-oA", "-", "10.0.0.1", NULL);
    assert_refused("--stats-every takes a time", "--stats-every", "soon", "10.0.0.1", NULL);
    assert_refused("--merge takes only", "--merge", "-oG", "g", "a.xml", NULL);
}

/* --resume FILE: the log's options, its files added to, its last host. */
static void test_resume(void)
{
    g_autofree char *path = NULL;
    int fd = g_file_open_tmp("resume-XXXXXX.gnmap", &path, NULL);
    g_assert_cmpint(fd, >=, 0);
    static const char log[] = "# scantrace 0.1.0 scan initiated x (scan id 0x1) as: /x/scantrace "
                              "-p 22 -oG r.gnmap 10.0.0.0/30\n"
                              "Host: 10.0.0.1 ()\tStatus: Up\n";
    g_assert_cmpint(write(fd, log, sizeof log - 1), ==, (gssize)(sizeof log - 1));
    close(fd);
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "--resume", path, NULL));
    g_assert_no_error(error);
    g_assert_cmpstr(o.ports, ==, "22");
    g_assert_cmpstr(o.grepable_file, ==, "r.gnmap");
    g_assert_cmpstr(o.targets[0], ==, "10.0.0.0/30");
    g_assert_true(o.append_output);
    g_assert_cmpstr(o.resume_after, ==, "10.0.0.1");
    g_assert_true(g_str_has_prefix(o.command_line, "scantrace -p 22 "));
    options_clear(&o);
    assert_refused("--resume takes the -oN or -oG file", "-v", "--resume", path, NULL);
    assert_refused("cannot read", "--resume", "/nonexistent/log", NULL);
    g_unlink(path);
}

/* nmap's probe options: --ttl, --data-length, -g, -S, --badsum, their bounds
 * and spellings. */
static void test_probe_options(void)
{
    scan_options o;
    GError *error = NULL;
    g_assert_true(parse(&o, &error, "-p", "22", "10.0.0.1", NULL));
    g_assert_cmpint(o.extras.ttl, ==, -1);
    g_assert_false(o.extras.data_set);
    g_assert_false(o.extras.badsum);
    g_assert_false(o.has_sport);
    g_assert_false(o.has_source);
    options_clear(&o);

    g_assert_true(parse(&o, &error, "--ttl", "0", "--data-length", "1400", "-g", "53", "--badsum",
                        "-S", "10.0.0.9", "-e", "eth0", "-Pn", "10.0.0.1", NULL));
    g_assert_no_error(error);
    g_assert_cmpint(o.extras.ttl, ==, 0);
    g_assert_true(o.extras.data_set);
    g_assert_cmpuint(o.extras.data_len, ==, 1400);
    g_assert_nonnull(o.extras.data);
    g_assert_true(o.extras.badsum);
    g_assert_true(o.has_sport);
    g_assert_cmpuint(o.sport, ==, 53);
    g_assert_true(o.has_source);
    g_assert_true(packet_addr_equal(&o.source, &(packet_addr)PACKET_ADDR_IPV4_INIT(0x0a000009)));
    options_clear(&o);

    /* nmap's attached spellings, the upper bounds, port 0 (nmap warns). */
    g_assert_true(parse(&o, &error, "-g0", "-S10.0.0.9", "--ttl=255", "--data-length=0",
                        "--source-port", "65535", "10.0.0.1", NULL));
    g_assert_no_error(error);
    g_assert_cmpuint(o.sport, ==, 65535);
    g_assert_cmpint(o.extras.ttl, ==, 255);
    g_assert_true(o.extras.data_set); /* 0: the tag alone in UDP probes */
    g_assert_cmpuint(o.extras.data_len, ==, 0);
    options_clear(&o);

    g_assert_true(parse(&o, &error, "-6", "-S", "fd20:1::9", "fd20:1::2", NULL));
    g_assert_false(packet_addr_is_ipv4(&o.source));
    options_clear(&o);

    assert_refused("ttl option must be a number between 0 and 255", "--ttl", "256", "10.0.0.1",
                   NULL);
    assert_refused("ttl option must be a number between 0 and 255", "--ttl", "-1", "10.0.0.1",
                   NULL);
    assert_refused("ttl option must be a number between 0 and 255", "--ttl", "abc", "10.0.0.1",
                   NULL);
    assert_refused("data-length must be between 0 and 1400", "--data-length", "1401", "10.0.0.1",
                   NULL);
    assert_refused("data-length must be between 0 and 1400", "--data-length", "-1", "10.0.0.1",
                   NULL);
    assert_refused("data-length must be between 0 and 1400", "--data-length", "20x", "10.0.0.1",
                   NULL);
    assert_refused("-g/--source-port must be a port number between 0 and 65535", "-g", "65536",
                   "10.0.0.1", NULL);
    assert_refused("-g/--source-port must be a port number", "-gdns", "10.0.0.1", NULL);
    assert_refused("-S 10.0.0 is not an IPv4 address", "-S", "10.0.0", "10.0.0.1", NULL);
    assert_refused("-S fd20::9 is not an IPv4 address (an IPv6 source needs -6", "-S", "fd20::9",
                   "10.0.0.1", NULL);
    assert_refused("-S 10.0.0.9 is not an IPv6 address", "-6", "-S", "10.0.0.9", "fd20:1::2", NULL);
    assert_refused("-S must be one host's address", "-S", "224.0.0.1", "10.0.0.1", NULL);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/options/types", test_types);
    g_test_add_func("/options/refused", test_refused);
    g_test_add_func("/options/port_options", test_port_options);
    g_test_add_func("/options/input-file", test_input_file);
    g_test_add_func("/options/empty-input-file", test_empty_input_file);
    g_test_add_func("/options/rates", test_rates);
    g_test_add_func("/options/binary-input-file", test_binary_input_file);
    g_test_add_func("/options/version", test_version);
    g_test_add_func("/options/shards-and-merge", test_shards_and_merge);
    g_test_add_func("/options/flag-scans", test_flag_scans);
    g_test_add_func("/options/outputs", test_outputs);
    g_test_add_func("/options/resume", test_resume);
    g_test_add_func("/options/probe-options", test_probe_options);
    return g_test_run();
}
