#include "merge_run.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "report_merge.h"
#include "output_file.h"
#include "report_normal.h"
#include "report_xml.h"
#include "safe_text.h"
#include "services.h"

/* A report file, or NULL when the option was not given. */
static FILE *open_output(const char *path, GError **error)
{
    return path ? output_file_open(path, FALSE, error) : NULL;
}

static void put(FILE *f, const GString *s)
{
    if (f && s->len)
        fputs(s->str, f);
}

/* Every report of the merge, built before a file is written. */
static void write_reports(const merged_report *m, const report_context *rc, FILE *screen,
                          FILE *normal, FILE *xml)
{
    g_autoptr(GString) text = g_string_new(NULL);
    g_autoptr(GString) ntext = g_string_new(NULL);
    g_autoptr(GString) xtext = g_string_new(NULL);
    report_normal_start(text, rc);
    report_normal_file_start(ntext, rc);
    report_xml_start(xtext, rc);
    for (guint i = 0; i < m->hosts->len; i++) {
        const host_result *h = &g_array_index(m->hosts, host_result, i);
        g_autoptr(GString) host = g_string_new(NULL);
        report_normal_host(host, rc, h);
        g_string_append(text, host->str);
        g_string_append(ntext, host->str);
        report_xml_host(xtext, rc, h);
    }
    guint hosts = m->hosts->len;
    g_autofree char *summary = report_done_summary(hosts, m->up, m->seconds);
    gboolean seems_down = !m->stopped_by && hosts == 1 && m->up == 0;
    /* On the screen only, as nmap writes it (not into -oN). */
    if (seems_down)
        report_normal_seems_down(text);
    report_normal_done(text, summary, m->stopped_by);
    report_normal_file_done(ntext, m->end, summary, m->stopped_by);
    report_xml_done(xtext, m->end, m->seconds, hosts, m->up, summary, m->stopped_by);
    put(screen, text);
    put(normal, ntext);
    put(xml, xtext);
}

int merge_run(const scan_options *o)
{
    GError *error = NULL;
    g_autoptr(GPtrArray) warn = g_ptr_array_new_with_free_func(g_free);
    merged_report *m = report_merge((const char *const *)o->targets, warn, &error);
    FILE *normal = NULL, *xml = NULL;
    if (m && (normal = open_output(o->normal_file, &error), error == NULL))
        xml = open_output(o->xml_file, &error);
    if (error) {
        if (normal && normal != stdout) {
            fclose(normal);
            unlink(o->normal_file);
        }
        merged_report_free(m);
        g_autofree char *message = safe_text(error->message);
        g_printerr("scantrace: %s\n", message);
        g_error_free(error);
        return 1;
    }
    for (guint i = 0; i < warn->len; i++)
        g_printerr("%s\n", (const char *)g_ptr_array_index(warn, i));
    services *svc = services_default();
    mac_vendors *vendors = mac_vendors_new(MAC_PREFIXES_NMAP_PATH);
    report_context rc = {.plan = m->plan,
                         .svc = svc,
                         .vendors = vendors,
                         .reason = m->reason,
                         .verbose = m->verbose,
                         .scan_id = m->scan_id,
                         .scan_ids = (const uint32_t *)m->scan_ids->data,
                         .nscan_ids = m->scan_ids->len,
                         .args = m->args,
                         .start = m->start};
    FILE *screen = normal == stdout || xml == stdout ? NULL : stdout;
    write_reports(m, &rc, screen, normal, xml);
    int rc_exit = 0;
    FILE *files[2] = {normal, xml};
    const char *paths[2] = {o->normal_file, o->xml_file};
    for (guint i = 0; i < 2; i++)
        if (files[i] && (files[i] == stdout ? fflush(stdout) : fclose(files[i])) != 0) {
            g_printerr("scantrace: cannot write %s: %s\n", paths[i], g_strerror(errno));
            rc_exit = 1;
        }
    mac_vendors_free(vendors);
    services_free(svc);
    merged_report_free(m);
    return rc_exit;
}
