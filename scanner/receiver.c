#include "receiver.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "error.h"
#include "interrupt.h"
#include "link.h"

/* In immediate mode the kernel ring has one slot per frame, each as large as the
 * snapshot length: a 64 KiB snaplen would leave room for only a hundred frames,
 * and a burst of probes and replies would overflow it. Our probes and their
 * replies fit in an Ethernet frame; 2 KiB slots in 4 MiB hold 2000 of them,
 * which this thread drains as they come (a drop is reported). The ring is all
 * resident, so it is most of the scanner's memory: 16 MiB made it twice nmap's. */
enum { SNAPLEN = 2048, BUFFER_BYTES = 4 << 20, POLL_MS = 100 };
/* After reading frames, the thread lets more gather for this long before it
 * looks again: in immediate mode the kernel wakes a reader for every frame,
 * and a SYN scan's 60,000 replies a second then cost as many context
 * switches, taken from the thread that sends on a machine of two cores. The
 * frames keep the kernel's time stamps, so round trips are timed as before;
 * a reply is judged at most this much later (against timeouts of 100 ms and
 * more). The first frame after a quiet spell is read at once. */
#define GATHER_US 500

struct receiver {
    pcap_t *pcap;
    char *device;
    GThread *thread;
    receiver_fn fn;
    void *ctx;
    int wake[2]; /* a byte here ends the poll at once */
    gint64 stop_at;
    gint stop;
    guint drop_base; /* the kernel's count when the thread started */
    guint dropped;   /* while the thread ran, over all runs */
};

static void set_open_error(const char *device, int status, pcap_t *p, GError **error)
{
    if (status == PCAP_ERROR_PERM_DENIED)
        g_set_error(error, ST_ERROR, ST_ERROR_PERMISSION,
                    "raw sockets need root or CAP_NET_RAW (try -sT later, once the connect "
                    "scan exists): cannot capture on %s",
                    device);
    else if (status == PCAP_ERROR_NO_SUCH_DEVICE)
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot open interface %s: no such device",
                    device);
    else
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot open interface %s: %s", device,
                    p ? pcap_geterr(p) : "unknown error");
}

receiver *receiver_open(const char *device, GError **error)
{
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(device, err);
    if (p == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot open interface %s: %s", device, err);
        return NULL;
    }
    /* These only fail on a handle already activated; libpcap 1.11 insists that
     * the results be read all the same. */
    if (pcap_set_snaplen(p, SNAPLEN) != 0 || pcap_set_promisc(p, 0) != 0 ||
        pcap_set_immediate_mode(p, 1) != 0 || pcap_set_buffer_size(p, BUFFER_BYTES) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot set up capture on %s: %s", device,
                    pcap_geterr(p));
        pcap_close(p);
        return NULL;
    }
    int status = pcap_activate(p);
    if (status < 0) {
        set_open_error(device, status, p, error);
        pcap_close(p);
        return NULL;
    }
    if (!link_supported(pcap_datalink(p))) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot scan through %s: link type %s",
                    device, pcap_datalink_val_to_name(pcap_datalink(p)));
        pcap_close(p);
        return NULL;
    }
    /* Opened before the scan (privileges go once every handle is open), it
     * takes nothing until an engine sets its filter: what a handle buffers
     * while nobody reads would be dropped, or read as late replies. */
    struct bpf_insn none = BPF_STMT(BPF_RET | BPF_K, 0);
    struct bpf_program reject = {.bf_len = 1, .bf_insns = &none};
    if (pcap_setfilter(p, &reject) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot set up capture on %s: %s", device,
                    pcap_geterr(p));
        pcap_close(p);
        return NULL;
    }
    receiver *r = g_new0(receiver, 1);
    r->pcap = p;
    r->device = g_strdup(device);
    r->wake[0] = r->wake[1] = -1;
    if (pcap_setnonblock(p, 1, err) != 0 || pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot set up capture on %s", device);
        receiver_close(r);
        return NULL;
    }
    return r;
}

gboolean receiver_set_filter(receiver *r, const char *filter, GError **error)
{
    struct bpf_program prog;
    if (pcap_compile(r->pcap, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "bad capture filter \"%s\": %s", filter,
                    pcap_geterr(r->pcap));
        return FALSE;
    }
    int rc = pcap_setfilter(r->pcap, &prog);
    pcap_freecode(&prog);
    if (rc != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot set capture filter: %s",
                    pcap_geterr(r->pcap));
        return FALSE;
    }
    return TRUE;
}

pcap_t *receiver_handle(receiver *r)
{
    return r->pcap;
}

const char *receiver_device(const receiver *r)
{
    return r->device;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *frame)
{
    receiver *r = (receiver *)user;
    r->fn(r->ctx, h, frame);
}

/* The number of frames read. */
static int drain(receiver *r)
{
    /* Bounded: each round takes what the kernel holds now; a flood cannot keep
     * us here longer than a few rounds. */
    int total = 0;
    for (int round = 0; round < 64; round++) {
        int n = pcap_dispatch(r->pcap, -1, on_packet, (u_char *)r);
        if (n <= 0)
            break;
        total += n;
    }
    return total;
}

static gpointer run(gpointer data)
{
    receiver *r = data;
    struct pollfd fds[2] = {{.fd = pcap_get_selectable_fd(r->pcap), .events = POLLIN},
                            {.fd = r->wake[0], .events = POLLIN}};
    for (;;) {
        int timeout = POLL_MS;
        if (g_atomic_int_get(&r->stop)) {
            gint64 left = r->stop_at - g_get_monotonic_time();
            if (left <= 0)
                break;
            timeout = (int)MIN(left / 1000 + 1, POLL_MS);
        }
        if (poll(fds, 2, timeout) < 0 && errno != EINTR)
            break;
        if (fds[1].revents) {
            char buf[16];
            while (read(r->wake[0], buf, sizeof buf) > 0)
                ;
        }
        if (drain(r) > 0 && !g_atomic_int_get(&r->stop))
            g_usleep(GATHER_US);
    }
    drain(r);
    return NULL;
}

static guint kernel_drops(receiver *r)
{
    struct pcap_stat st;
    return pcap_stats(r->pcap, &st) == 0 ? st.ps_drop : 0;
}

void receiver_start(receiver *r, receiver_fn fn, void *ctx)
{
    r->drop_base = kernel_drops(r);
    r->fn = fn;
    r->ctx = ctx;
    /* A receiver serves one engine run after another (discovery, then the
     * port scan, group after group): each starts afresh. */
    g_atomic_int_set(&r->stop, 0);
    sigset_t old;
    interrupt_block(&old); /* the thread inherits the mask */
    r->thread = g_thread_new("receiver", run, r);
    interrupt_restore(&old);
}

void receiver_stop(receiver *r, gint64 linger)
{
    if (r->thread == NULL)
        return;
    r->stop_at = g_get_monotonic_time() + linger;
    g_atomic_int_set(&r->stop, 1);
    char b = 1;
    if (write(r->wake[1], &b, 1) < 0) {
        /* The poll times out by itself within POLL_MS. */
    }
    g_thread_join(r->thread);
    r->thread = NULL;
    r->dropped += kernel_drops(r) - r->drop_base;
}

guint receiver_dropped(receiver *r)
{
    return r->dropped + (r->thread ? kernel_drops(r) - r->drop_base : 0);
}

void receiver_close(receiver *r)
{
    if (r == NULL)
        return;
    receiver_stop(r, 0);
    for (int i = 0; i < 2; i++)
        if (r->wake[i] >= 0)
            close(r->wake[i]);
    pcap_close(r->pcap);
    g_free(r->device);
    g_free(r);
}
