#include "connect_engine.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "interrupt.h"
#include "scheduler.h"
#include "sock_addr.h"

enum {
    TAG_PORTS = 65536 - CONNECT_PORT_FIRST,
    /* Open sockets at most: well under the tag's port range, so a port is never
     * wanted by two live sockets, and within the usual 1024 descriptors. */
    MAX_CONNS = 960,
    BIND_ATTEMPTS = 64,
};

/* One connection attempt: one try of one probe. */
typedef struct conn {
    int fd; /* -1: free */
    guint hi, pi;
    uint8_t try_no;
    gint32 next; /* the next attempt of the same probe, or -1 */
} conn;

typedef struct cengine {
    const engine_config *cfg;
    const route *rt;
    engine_job *jobs;
    sched *sched;
    conn conns[MAX_CONNS];
    guint capacity, open;
    gint32 free[MAX_CONNS]; /* the conns not in use, a stack */
    guint nfree;
    GHashTable *attempts; /* probe (hi * nprobes + pi) -> first conn + 1 */
    struct pollfd pfds[MAX_CONNS];
    guint polled[MAX_CONNS]; /* pfds[i] watches conns[polled[i]] */
    gint64 mono_to_real;
    GString *line;
    gboolean error_told;
} cengine;

/* The next source port, as an offset into the tag's range. Kept across runs of
 * the engine, so successive groups go on through the range. */
static guint next_port;

static guint descriptor_budget(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
        return MAX_CONNS;
    /* Leave room for outputs, the capture and what libraries hold. */
    return rl.rlim_cur > 64 ? (guint)MIN(rl.rlim_cur - 32, MAX_CONNS) : 16;
}

static gpointer probe_key(const cengine *e, guint hi, guint pi)
{
    return GSIZE_TO_POINTER((gsize)hi * e->cfg->plan->nprobes + pi + 1);
}

static void trace_conn(cengine *e, int fd, guint hi, guint pi, int err)
{
    if (!engine_tracing(e->cfg))
        return;
    struct sockaddr_storage local = {0};
    socklen_t len = sizeof local;
    packet_addr src_addr = {{0}};
    char src[PACKET_ADDR_TEXT], dst[PACKET_ADDR_TEXT];
    gboolean named = getsockname(fd, (struct sockaddr *)&local, &len) == 0 &&
                     sock_addr_to((struct sockaddr *)&local, &src_addr);
    const packet_addr *to = &e->jobs[hi].host->addr;
    if (!named && packet_addr_is_ipv4(to))
        src_addr = packet_addr_from_ipv4(0);
    /* Both families keep the port at the same offset. */
    uint16_t sport = named ? g_ntohs(((struct sockaddr_in *)&local)->sin_port) : 0;
    double t = (double)(g_get_real_time() - e->cfg->trace_zero) / 1e6;
    g_string_printf(e->line, "CONN (%.4fs) TCP %s:%u > %s:%u => %s\n", t,
                    packet_addr_format(&src_addr, src), sport, packet_addr_format(to, dst),
                    e->cfg->plan->probes[pi].port, err ? g_strerror(err) : "Connected");
    progress_trace_write(e->cfg->trace, e->line->str);
}

static void conn_close(cengine *e, gint32 ci)
{
    conn *c = &e->conns[ci];
    /* SO_LINGER 0: an established connection ends with a RST, as nmap's do. */
    close(c->fd);
    c->fd = -1;
    e->open--;
    e->free[e->nfree++] = ci;
}

/* Closes every attempt of probe (hi, pi). */
static void close_attempts(cengine *e, guint hi, guint pi)
{
    gpointer key = probe_key(e, hi, pi);
    gint32 ci = GPOINTER_TO_INT(g_hash_table_lookup(e->attempts, key)) - 1;
    while (ci >= 0) {
        gint32 next = e->conns[ci].next;
        conn_close(e, ci);
        ci = next;
    }
    g_hash_table_remove(e->attempts, key);
}

/* Closes one attempt, whose outcome said nothing; the probe's other attempts
 * go on. */
static void close_attempt(cengine *e, gint32 ci)
{
    conn *c = &e->conns[ci];
    gpointer key = probe_key(e, c->hi, c->pi);
    gint32 head = GPOINTER_TO_INT(g_hash_table_lookup(e->attempts, key)) - 1;
    if (head == ci) {
        if (c->next >= 0)
            g_hash_table_insert(e->attempts, key, GINT_TO_POINTER(c->next + 1));
        else
            g_hash_table_remove(e->attempts, key);
    } else {
        for (gint32 p = head; p >= 0; p = e->conns[p].next)
            if (e->conns[p].next == ci) {
                e->conns[p].next = c->next;
                break;
            }
    }
    conn_close(e, ci);
}

static void record(cengine *e, guint hi, guint pi, verdict v, gint64 wall)
{
    host_result *h = e->jobs[hi].host;
    port_result r = {(uint8_t)v.state, (uint8_t)v.why, 0};
    engine_progress(e->cfg, h, h->status.state, pi, r.state, r.why);
    if (e->cfg->discovery) {
        h->status = r;
        /* The host is decided: its other probes are over too. */
        engine_job *job = &e->jobs[hi];
        for (guint p = job->first; p < job->first + job->count; p++)
            close_attempts(e, hi, p);
    } else {
        h->ports[pi] = r;
        close_attempts(e, hi, pi);
    }
    if (sched_host_done(e->sched, hi)) {
        h->end = wall;
        if (!e->cfg->discovery)
            progress_host_done(h);
    }
}

static void on_silent(void *ctx, guint hi, guint pi)
{
    cengine *e = ctx;
    engine_cap_hit(e->cfg, e->sched, hi, &e->jobs[hi].host->addr, pi);
    record(e, hi, pi, e->cfg->plan->probes[pi].type->silent, g_get_real_time());
}

/* Whether the socket is connected to itself (same address and port at both
 * ends). bind_tag_port() avoids it; should it happen all the same, it says
 * nothing about the port. */
static gboolean self_connected(int fd)
{
    struct sockaddr_storage local = {0}, peer = {0};
    socklen_t llen = sizeof local, plen = sizeof peer;
    packet_addr la, pa;
    return getsockname(fd, (struct sockaddr *)&local, &llen) == 0 &&
           getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 &&
           sock_addr_to((struct sockaddr *)&local, &la) &&
           sock_addr_to((struct sockaddr *)&peer, &pa) && packet_addr_equal(&la, &pa) &&
           ((struct sockaddr_in *)&local)->sin_port == ((struct sockaddr_in *)&peer)->sin_port;
}

/* An attempt on fd ended with err (0: connected). FALSE when that says
 * nothing. */
static gboolean conclude(cengine *e, int fd, guint hi, guint pi, uint8_t try_no, int err,
                         gint64 when)
{
    verdict v;
    if (err == 0 && self_connected(fd))
        return FALSE;
    if (!e->cfg->plan->probes[pi].type->judge_errno(err, &v))
        return FALSE;
    if (sched_wants(e->sched, hi, pi, try_no)) {
        /* --defeat-rst-ratelimit (with --open): as raw_engine.c's decide(). */
        if (e->cfg->defeat_rst_ratelimit && !e->cfg->discovery && v.state == PORT_CLOSED &&
            try_no > 0)
            sched_decide_untimed(e->sched, hi, pi, try_no, when);
        else
            sched_decide(e->sched, hi, pi, try_no, when);
        record(e, hi, pi, v, when + e->mono_to_real);
    }
    return TRUE;
}

/* Binds the next free port of the tag's range, never dport: a connection from
 * a port to the same port of our own address connects to itself (TCP's
 * simultaneous open, RFC 9293 3.5) and would call a port with nothing behind it
 * open. */
static gboolean bind_tag_port(int fd, int family, uint16_t dport, const packet_addr *source)
{
    for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
        uint16_t port = (uint16_t)(CONNECT_PORT_FIRST + next_port);
        next_port = (next_port + 1) % TAG_PORTS;
        if (port == dport)
            continue;
        struct sockaddr_storage sa;
        packet_addr any = family == AF_INET ? packet_addr_from_ipv4(0) : (packet_addr){{0}};
        socklen_t sa_len = sock_addr_from(source ? source : &any, port, 0, &sa);
        if (bind(fd, (struct sockaddr *)&sa, sa_len) == 0)
            return TRUE;
        if (errno != EADDRINUSE)
            return FALSE;
    }
    errno = EADDRINUSE;
    return FALSE;
}

/* family: AF_INET or AF_INET6, the target's. IPv6 carries the tag in the
 * traffic class, IPv4's TOS byte under another name (RFC 8200 section 7).
 * source: -S's address, one of ours, to bind to (NULL: the kernel's choice);
 * ttl: --ttl's TTL or hop limit, or -1, as nmap sets them on its connect()
 * sockets (seen in the lab: nmap 7.93 -sT --ttl 33, -sT -S). */
static int tagged_socket(const scan_type *type, int family, const char *device, uint16_t dport,
                         const packet_addr *source, int ttl)
{
    int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (fd < 0)
        return -1;
    /* As nmap does: without CAP_NET_RAW the kernel refuses, and routing
     * decides. */
    if (device)
        setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, (socklen_t)strlen(device) + 1);
    struct linger linger = {.l_onoff = 1, .l_linger = 0};
    int tos = type->socket_tos, one = 1;
    gboolean v6 = family == AF_INET6;
    if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger) != 0 ||
        (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof tos)
            : setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof tos)) != 0 ||
        (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one)
            : setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one)) != 0 ||
        (ttl >= 0 && (v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof ttl)
                         : setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl)) != 0) ||
        !bind_tag_port(fd, family, dport, source)) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    return fd;
}

/* A retransmission keeps the previous attempt open, for a late answer (the
 * error Linux draws with its own retransmission a second later), but no older
 * one: a probe holds two sockets at most, so the window's probes always have
 * room, retransmissions included. */
static void close_older_attempts(cengine *e, guint hi, guint pi)
{
    gint32 newest = GPOINTER_TO_INT(g_hash_table_lookup(e->attempts, probe_key(e, hi, pi))) - 1;
    if (newest < 0)
        return;
    gint32 ci = e->conns[newest].next;
    e->conns[newest].next = -1;
    while (ci >= 0) {
        gint32 next = e->conns[ci].next;
        conn_close(e, ci);
        ci = next;
    }
}

/* Starts one attempt. FALSE when it could not even start for want of
 * descriptors or ports: try again shortly. A retransmission always finds a
 * socket: it closes one of its probe's own first. */
static gboolean start(cengine *e, guint hi, guint pi, uint8_t try_no)
{
    const probe_def *p = &e->cfg->plan->probes[pi];
    close_older_attempts(e, hi, pi);
    const packet_addr *dst = &e->jobs[hi].host->addr;
    /* A link-local target is reached through its own interface only. */
    const char *device = e->rt->scope ? e->rt->device : e->cfg->device;
    const packet_addr *source = e->cfg->bind_source ? &e->rt->src : NULL;
    int ttl = e->cfg->extras ? e->cfg->extras->ttl : -1;
    int fd =
        e->nfree ? tagged_socket(p->type, sock_addr_family(dst), device, p->port, source, ttl) : -1;
    if (fd < 0) {
        if (e->nfree && errno != EMFILE && errno != ENFILE && errno != EADDRINUSE &&
            errno != ENOBUFS && !e->error_told) {
            g_printerr("WARNING: cannot open a socket: %s\n", g_strerror(errno));
            e->error_told = TRUE;
        }
        return FALSE;
    }
    struct sockaddr_storage to;
    socklen_t to_len = sock_addr_from(dst, p->port, e->rt->scope, &to);
    gint64 now = g_get_monotonic_time();
    int rc = connect(fd, (struct sockaddr *)&to, to_len);
    int err = rc == 0 ? 0 : errno;
    sched_sent(e->sched, hi, pi, now);
    gint32 ci = e->free[--e->nfree];
    e->conns[ci] = (conn){.fd = fd, .hi = hi, .pi = pi, .try_no = try_no, .next = -1};
    e->open++;
    gpointer key = probe_key(e, hi, pi);
    e->conns[ci].next = GPOINTER_TO_INT(g_hash_table_lookup(e->attempts, key)) - 1;
    g_hash_table_insert(e->attempts, key, GINT_TO_POINTER(ci + 1));
    trace_conn(e, fd, hi, pi, err);
    /* To ourselves the kernel may answer at once. */
    if (err != EINPROGRESS && !conclude(e, fd, hi, pi, try_no, err, g_get_monotonic_time()))
        close_attempt(e, ci);
    return TRUE;
}

static void send_some(cengine *e, gint64 now, gboolean *blocked)
{
    guint hi, pi;
    uint8_t try_no;
    *blocked = FALSE;
    while (sched_next(e->sched, now, &hi, &pi, &try_no)) {
        if (!start(e, hi, pi, try_no)) {
            sched_unsent(e->sched, hi, pi);
            *blocked = TRUE;
            return;
        }
        now = g_get_monotonic_time();
    }
}

/* What an attempt came to: the socket's error, or an ICMP error from the error
 * queue (IP_RECVERR), or a connection (0); -1 when nothing yet. *ended: the
 * attempt is over. The queue may hold an ICMP error that the kernel did not
 * let end the attempt: Linux drops errors that arrive while connect() holds the
 * socket, and only heeds the one its first retransmission draws a second later.
 * That error will be the same, so it counts at once. */
static int outcome(int fd, short revents, gboolean *ended)
{
    int icmp_err = 0;
    if (revents & POLLERR) {
        char control[512];
        /* Bounded: the queue holds one error per ICMP message received. */
        for (int i = 0; i < 16; i++) {
            struct msghdr msg = {.msg_control = control, .msg_controllen = sizeof control};
            if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0)
                break;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                const struct sock_extended_err *ee = (const void *)CMSG_DATA(c);
                /* Linux maps ICMPv6 errors to the same errnos as nmap's
                 * connect scan reads (net/ipv6/icmp.c, icmpv6_err_convert). */
                if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR &&
                     ee->ee_origin == SO_EE_ORIGIN_ICMP) ||
                    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR &&
                     ee->ee_origin == SO_EE_ORIGIN_ICMP6))
                    icmp_err = (int)ee->ee_errno;
            }
        }
    }
    int err = 0;
    socklen_t len = sizeof err;
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0)
        err = errno;
    *ended = err != 0 || (icmp_err == 0 && (revents & (POLLOUT | POLLHUP)));
    if (err)
        return err;
    if (icmp_err)
        return icmp_err;
    return (revents & POLLOUT) ? 0 : -1;
}

static void poll_once(cengine *e, gint64 deadline)
{
    guint n = 0;
    for (guint i = 0; i < e->capacity; i++)
        if (e->conns[i].fd >= 0) {
            e->pfds[n] = (struct pollfd){.fd = e->conns[i].fd, .events = POLLOUT};
            e->polled[n++] = i;
        }
    gint64 now = g_get_monotonic_time();
    int timeout = deadline > now ? (int)MIN((deadline - now + 999) / 1000, 1000) : 0;
    if (poll(e->pfds, n, timeout) <= 0)
        return;
    gint64 when = g_get_monotonic_time();
    for (guint i = 0; i < n; i++) {
        gint32 ci = (gint32)e->polled[i];
        conn c = e->conns[ci];
        /* Closed meanwhile: an answer to another try decided its probe. */
        if (e->pfds[i].revents == 0 || c.fd != e->pfds[i].fd)
            continue;
        gboolean ended;
        int err = outcome(c.fd, e->pfds[i].revents, &ended);
        if (err < 0)
            continue;
        trace_conn(e, c.fd, c.hi, c.pi, err);
        /* A decided probe has all its attempts closed; one whose outcome said
         * nothing is closed if it is over, else left to go on. */
        if ((conclude(e, c.fd, c.hi, c.pi, c.try_no, err, when) || ended) &&
            e->conns[ci].fd == c.fd)
            close_attempt(e, ci);
    }
}

char *connect_engine_filter(const packet_addr *src)
{
    char ip[PACKET_ADDR_TEXT];
    packet_addr_format(src, ip);
    return g_strdup_printf("(src host %s and tcp src portrange %u-65535) or "
                           "(dst host %s and (tcp dst portrange %u-65535 or %s))",
                           ip, CONNECT_PORT_FIRST, ip, CONNECT_PORT_FIRST,
                           packet_addr_is_ipv4(src) ? "icmp" : "icmp6");
}

void connect_engine_run(const engine_config *cfg, const route *rt, engine_job *jobs, guint njobs)
{
    if (njobs == 0 || cfg->plan->nprobes == 0)
        return;
    if (next_port == 0)
        next_port = (guint)g_random_int_range(0, TAG_PORTS);
    cengine *e = g_new0(cengine, 1);
    e->cfg = cfg;
    e->rt = rt;
    e->jobs = jobs;
    e->capacity = descriptor_budget();
    for (guint i = 0; i < MAX_CONNS; i++)
        e->conns[i].fd = -1;
    for (guint i = e->capacity; i > 0; i--)
        e->free[e->nfree++] = (gint32)(i - 1);
    e->attempts = g_hash_table_new(g_direct_hash, g_direct_equal);
    e->line = g_string_sized_new(128);
    gint64 now = g_get_monotonic_time();
    e->mono_to_real = g_get_real_time() - now;
    /* A probe holds two sockets at most (close_older_attempts), and the
     * probes under way never outnumber the window. */
    sched_config sc = engine_sched_config(cfg, njobs, MIN(cfg->window, e->capacity / 2));
    e->sched = sched_new(&sc, now);
    for (guint i = 0; i < njobs; i++) {
        host_result *h = jobs[i].host;
        engine_set_host(e->sched, cfg, i, &jobs[i]);
        if (!cfg->discovery && h->start == 0) /* -sU -sT: the raw part went first */
            h->start = h->end = now + e->mono_to_real;
    }
    while (!sched_done(e->sched) && !interrupt_signal()) {
        now = g_get_monotonic_time();
        sched_expire(e->sched, now, on_silent, e);
        gboolean blocked;
        send_some(e, now, &blocked);
        if (sched_done(e->sched))
            break;
        /* Blocked: until an attempt ends or times out; with none open (out of
         * descriptors or ports), a little while. */
        gint64 deadline = sched_deadline(e->sched, now, !blocked);
        if (blocked && e->open == 0)
            deadline = MIN(deadline, now + 10 * 1000);
        poll_once(e, deadline);
    }
    for (guint i = 0; i < njobs; i++) {
        if (!sched_host_done(e->sched, i))
            jobs[i].host->incomplete = TRUE;
        if (sched_host_timed_out(e->sched, i))
            jobs[i].host->timed_out = TRUE;
    }
    for (guint i = 0; i < e->capacity; i++)
        if (e->conns[i].fd >= 0)
            conn_close(e, (gint32)i);
    if (cfg->trace)
        fflush(cfg->trace);
    sched_free(e->sched);
    g_hash_table_unref(e->attempts);
    g_string_free(e->line, TRUE);
    g_free(e);
}
