#include "portscan.h"

#include "connect_engine.h"
#include "raw_engine.h"

/* Where the kernel makes the probes, -w can only watch: every frame the filter
 * lets in goes to the capture. */
static void capture_only(void *ctx, const struct pcap_pkthdr *hdr, const u_char *frame)
{
    capture_write(ctx, hdr, frame);
}

static void run_part(const engine_config *cfg, const scan_io *io, host_result **hosts, guint n,
                     guint first, guint count, gboolean sockets)
{
    g_autofree engine_job *jobs = g_new(engine_job, n);
    for (guint i = 0; i < n; i++)
        jobs[i] = (engine_job){.host = hosts[i], .first = first, .count = count};
    /* The scan types of the part, by nmap's names. */
    const char *tasks[8];
    guint ntasks = 0;
    for (guint t = 0; t < cfg->plan->ntypes && ntasks < G_N_ELEMENTS(tasks); t++) {
        const plan_type *pt = &cfg->plan->types[t];
        if (pt->first >= first && pt->first < first + count)
            tasks[ntasks++] = pt->type->title;
    }
    progress_phase_begin(tasks, ntasks, hosts, n, count, FALSE);
    if (!sockets) {
        raw_engine_run(cfg, io, jobs, n);
        progress_phase_end();
        return;
    }
    gboolean watch = io->rx && io->cap;
    if (watch) {
        g_autofree char *filter = connect_engine_filter(&io->rt->src);
        GError *error = NULL;
        if (!receiver_set_filter(io->rx, filter, &error))
            g_error("%s", error->message); /* our own filter: a bug */
        receiver_start(io->rx, capture_only, io->cap);
    }
    connect_engine_run(cfg, io->rt, jobs, n);
    progress_phase_end();
    if (watch)
        receiver_stop(io->rx, 20 * 1000); /* the last RSTs */
}

void portscan_run(const probe_plan *plan, const engine_config *base, const scan_io *io,
                  host_result **hosts, guint n)
{
    if (n == 0)
        return;
    engine_config cfg = *base;
    cfg.plan = plan;
    cfg.discovery = FALSE;
    /* The raw types are run together, so they share the hosts' timing. */
    guint raw_first = plan->nprobes, raw_end = 0;
    for (guint t = 0; t < plan->ntypes; t++) {
        const plan_type *pt = &plan->types[t];
        if (pt->type->build) {
            raw_first = MIN(raw_first, pt->first);
            raw_end = MAX(raw_end, pt->first + pt->count);
        }
    }
    if (raw_end > raw_first)
        run_part(&cfg, io, hosts, n, raw_first, raw_end - raw_first, FALSE);
    for (guint t = 0; t < plan->ntypes; t++) {
        const plan_type *pt = &plan->types[t];
        if (pt->type->build == NULL)
            run_part(&cfg, io, hosts, n, pt->first, pt->count, TRUE);
    }
}
