/* How many SYN probes a second the lab's link takes, the floor under any
 * scanner's send path: every port of the lab's target once per round, as
 * prebuilt IPv4 SYNs (IP_HDRINCL, checksums ours, so the target answers each
 * with a SYN-ACK or a RST as it would a scanner's) sent by sendto() one at a
 * time, or by sendmmsg() BATCH at a time.
 *
 *   veth_floor SRC DST ROUNDS BATCH   (in the lab's scanner namespace, as root)
 *
 * Only the lab's own addresses (10.201.0.0/24) are accepted: this sends
 * 65535 x ROUNDS packets as fast as the kernel takes them. Prints
 * "BATCH probes/s". Not a test; scripts/benchmark.sh runs it. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { PROBE_LEN = 40, MAX_BATCH = 1024 };

static uint16_t checksum(const uint8_t *p, size_t len, uint32_t sum)
{
    for (size_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        sum += (uint32_t)p[len - 1] << 8;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

/* A 20-byte IPv4 header and a 20-byte TCP SYN; addresses in network order. */
static void build_syn(uint8_t *p, uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport,
                      uint32_t seq)
{
    memset(p, 0, PROBE_LEN);
    p[0] = 0x45;
    p[3] = PROBE_LEN;
    p[8] = 64;
    p[9] = IPPROTO_TCP;
    memcpy(p + 12, &src, 4);
    memcpy(p + 16, &dst, 4);
    uint8_t *t = p + 20;
    t[0] = (uint8_t)(sport >> 8), t[1] = (uint8_t)sport;
    t[2] = (uint8_t)(dport >> 8), t[3] = (uint8_t)dport;
    t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16);
    t[6] = (uint8_t)(seq >> 8), t[7] = (uint8_t)seq;
    t[12] = 5 << 4;
    t[13] = 0x02; /* SYN */
    t[14] = 0x04; /* window 1024 */
    uint32_t pseudo = 0;
    const uint8_t *a = p + 12;
    for (int i = 0; i < 8; i += 2)
        pseudo += (uint32_t)(a[i] << 8 | a[i + 1]);
    pseudo += IPPROTO_TCP + 20;
    uint16_t c = checksum(t, 20, pseudo);
    t[16] = (uint8_t)(c >> 8), t[17] = (uint8_t)c;
}

static int lab_address(const char *text, uint32_t *out)
{
    struct in_addr a;
    if (inet_pton(AF_INET, text, &a) != 1 || (ntohl(a.s_addr) >> 8) != ((10u << 16) | (201u << 8)))
        return 0;
    *out = a.s_addr;
    return 1;
}

int main(int argc, char **argv)
{
    uint32_t src, dst;
    if (argc != 5 || !lab_address(argv[1], &src) || !lab_address(argv[2], &dst)) {
        fprintf(stderr, "usage: veth_floor SRC DST ROUNDS BATCH (lab addresses 10.201.0.x only)\n");
        return 2;
    }
    int rounds = atoi(argv[3]), batch = atoi(argv[4]);
    if (rounds < 1 || batch < 1 || batch > MAX_BATCH) {
        fprintf(stderr, "veth_floor: ROUNDS >= 1, 1 <= BATCH <= %d\n", MAX_BATCH);
        return 2;
    }
    int fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (fd < 0) {
        perror("veth_floor: raw socket");
        return 1;
    }
    int sndbuf = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
    static uint8_t bufs[MAX_BATCH][PROBE_LEN];
    static struct iovec iov[MAX_BATCH];
    static struct mmsghdr msgs[MAX_BATCH];
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = dst};
    for (int i = 0; i < batch; i++) {
        iov[i] = (struct iovec){bufs[i], PROBE_LEN};
        msgs[i].msg_hdr = (struct msghdr){
            .msg_name = &to, .msg_namelen = sizeof to, .msg_iov = &iov[i], .msg_iovlen = 1};
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    unsigned long sent = 0, again = 0;
    for (int r = 0; r < rounds; r++) {
        for (unsigned port = 1; port <= 65535;) {
            int n = 0;
            for (; n < batch && port + (unsigned)n <= 65535; n++)
                build_syn(bufs[n], src, dst, (uint16_t)(40000 + r), (uint16_t)(port + (unsigned)n),
                          0x5ca77ace ^ (port + (unsigned)n));
            int done = 0;
            while (done < n) {
                int k;
                if (batch == 1)
                    k = sendto(fd, bufs[0], PROBE_LEN, 0, (struct sockaddr *)&to, sizeof to) ==
                                PROBE_LEN
                            ? 1
                            : -1;
                else
                    k = sendmmsg(fd, msgs + done, (unsigned)(n - done), 0);
                if (k < 0) {
                    if (errno != EAGAIN && errno != ENOBUFS && errno != EINTR) {
                        perror("veth_floor: send");
                        return 1;
                    }
                    again++;
                    continue;
                }
                done += k;
            }
            sent += (unsigned long)n;
            port += (unsigned)n;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%d %.0f probes/s (%lu in %.3f s, %lu retried)\n", batch, (double)sent / s, sent, s,
           again);
    close(fd);
    return 0;
}
