#include "unsupported_options.h"

#include <glib.h>
#include <string.h>

/* Every option of nmap 7.93's --help that scantrace has no code for, with
 * nmap's own words for it. An option another part of scantrace parses never
 * reaches this table (options.c looks here only for what GOption did not take,
 * and for -s types no scan module has). */
static const struct {
    const char *option, *what;
} unsupported[] = {
    {"-iR", "random targets"},
    {"-sL", "list scan"},
    {"-R", "reverse DNS of every target"},
    {"--dns-servers", "custom DNS servers"},
    {"--system-dns", "use of the system resolver"},
    {"--traceroute", "traceroute"},
    {"-sI", "idle scan"},
    {"-b", "FTP bounce scan"},
    {"-sV", "service/version detection"},
    {"--version-intensity", "version detection"},
    {"--version-light", "version detection"},
    {"--version-all", "version detection"},
    {"--version-trace", "version detection"},
    {"-sC", "script scan"},
    {"--script", "script scan"},
    {"--script-args", "script scan"},
    {"--script-args-file", "script scan"},
    {"--script-trace", "script scan"},
    {"--script-updatedb", "script scan"},
    {"--script-help", "script scan"},
    {"-O", "OS detection"},
    {"--osscan-limit", "OS detection"},
    {"--osscan-guess", "OS detection"},
    {"--proxies", "proxies"},
    {"--data", "custom payload"},
    {"--data-string", "custom payload"},
    {"--ip-options", "IP options"},
    {"--spoof-mac", "MAC address spoofing"},
    {"-oS", "script kiddie output"},
    {"--iflist", "interface list"},
    {"--stylesheet", "XML stylesheet choice"},
    {"--webxml", "XML stylesheet choice"},
    {"--no-stylesheet", "XML stylesheet choice"},
    {"-A", "OS detection, version detection, script scanning and traceroute"},
    {"--datadir", "data file location"},
    {"--send-eth", "raw Ethernet sending"},
};

const char *unsupported_option_what(const char *arg)
{
    /* A long option's value may follow '='; a short one's is glued on, as
     * getopt takes it (-g53, -D10.0.0.9, -oSfile). */
    gboolean is_short = arg[0] == '-' && arg[1] != '-';
    size_t len = strcspn(arg, "=");
    for (size_t i = 0; i < sizeof unsupported / sizeof *unsupported; i++) {
        const char *o = unsupported[i].option;
        size_t olen = strlen(o);
        if (is_short ? g_str_has_prefix(arg, o) && o[1] != '-'
                     : olen == len && strncmp(arg, o, len) == 0)
            return unsupported[i].what;
    }
    return NULL;
}
