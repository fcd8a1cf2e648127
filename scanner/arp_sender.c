#include "arp_sender.h"

#include <errno.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arp.h"
#include "error.h"
#include "packet_stats.h"

struct arp_sender {
    pcap_t *pcap;
    char *device;
    uint8_t mac[6];
};

/* The interface's hardware type and address, as the kernel knows them. */
static gboolean hardware_address(const char *device, int *type, uint8_t mac[6])
{
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    if (strlen(device) >= sizeof ifr.ifr_name)
        return FALSE;
    g_strlcpy(ifr.ifr_name, device, sizeof ifr.ifr_name);
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return FALSE;
    gboolean ok = ioctl(fd, SIOCGIFHWADDR, &ifr) == 0;
    close(fd);
    if (!ok)
        return FALSE;
    *type = ifr.ifr_hwaddr.sa_family;
    memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
    return TRUE;
}

gboolean arp_device_is_ethernet(const char *device)
{
    int type;
    uint8_t mac[6];
    return hardware_address(device, &type, mac) && type == ARPHRD_ETHER;
}

arp_sender *arp_sender_open(const char *device, GError **error)
{
    int type;
    uint8_t mac[6];
    if (!hardware_address(device, &type, mac) || type != ARPHRD_ETHER) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot send ARP on %s: not Ethernet",
                    device);
        return NULL;
    }
    char err[PCAP_ERRBUF_SIZE] = "";
    pcap_t *p = pcap_create(device, err);
    if (p == NULL) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot open interface %s: %s", device, err);
        return NULL;
    }
    /* It only writes: the smallest ring, and a filter that takes nothing. */
    struct bpf_insn none = BPF_STMT(BPF_RET | BPF_K, 0);
    struct bpf_program reject = {.bf_len = 1, .bf_insns = &none};
    if (pcap_set_snaplen(p, 64) != 0 || pcap_set_buffer_size(p, 64 * 1024) != 0 ||
        pcap_activate(p) < 0 || pcap_setfilter(p, &reject) != 0) {
        g_set_error(error, ST_ERROR, ST_ERROR_SYSTEM, "cannot send ARP on %s: %s", device,
                    pcap_geterr(p));
        pcap_close(p);
        return NULL;
    }
    arp_sender *a = g_new0(arp_sender, 1);
    a->pcap = p;
    a->device = g_strdup(device);
    memcpy(a->mac, mac, 6);
    return a;
}

void arp_sender_close(arp_sender *a)
{
    if (a == NULL)
        return;
    pcap_close(a->pcap);
    g_free(a->device);
    g_free(a);
}

const char *arp_sender_device(const arp_sender *a)
{
    return a->device;
}

const uint8_t *arp_sender_mac(const arp_sender *a)
{
    return a->mac;
}

send_result arp_sender_send(arp_sender *a, const uint8_t *frame, size_t len)
{
    gboolean sent = pcap_inject(a->pcap, frame, len) == (int)len;
    if (!sent && (errno == EAGAIN || errno == ENOBUFS || errno == EINTR))
        return SEND_AGAIN;
    /* Refused counts too, as nmap counts what it tried; an ARP request as its
     * message alone, without Ethernet header and padding (PacketTrace::traceArp()). */
    packet_stats_sent(ARP_MESSAGE_LEN);
    return sent ? SEND_OK : SEND_FAILED;
}
