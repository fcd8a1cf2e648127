/*
 * lab_listener: the target-side services of the scantrace test lab.
 *
 * Usage: lab_listener SPEC...   with SPEC = tcp:ADDR:PORT | udp:ADDR:PORT
 * (ADDR IPv4 or IPv6: the port is what follows the last colon)
 *
 * TCP: accept and close at once (port 22 first sends an SSH banner), so a
 * connect scan sees "open" and nothing lingers.
 * UDP: answer every datagram, so a UDP scan sees "open (udp-response)":
 * port 53 gets a DNS reply, port 123 an NTP server reply, anything else
 * (or anything that does not parse) gets its own bytes echoed.
 *
 * Prints "READY" on stdout once every socket is bound, so lab.sh can start
 * the test without guessing with sleeps.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOCKS 1024 /* the base plan, and two a host for LAB_SWEEP_HOSTS (lab.sh) */

static const char ssh_banner[] = "SSH-2.0-lab\r\n";

struct sock {
    int tcp;
    uint16_t port;
    int family; /* AF_INET or AF_INET6 */
    struct in_addr addr;
    struct in6_addr addr6;
};

static int parse_spec(const char *spec, struct sock *s)
{
    char buf[80];
    if (strlen(spec) >= sizeof buf)
        return -1;
    strcpy(buf, spec);
    char *addr = strchr(buf, ':');
    char *port = addr ? strrchr(addr + 1, ':') : NULL;
    if (!port)
        return -1;
    *addr++ = '\0';
    *port++ = '\0';
    if (strcmp(buf, "tcp") == 0)
        s->tcp = 1;
    else if (strcmp(buf, "udp") == 0)
        s->tcp = 0;
    else
        return -1;
    char *end;
    long p = strtol(port, &end, 10);
    if (*end || p < 1 || p > 65535)
        return -1;
    if (inet_pton(AF_INET, addr, &s->addr) == 1)
        s->family = AF_INET;
    else if (inet_pton(AF_INET6, addr, &s->addr6) == 1)
        s->family = AF_INET6;
    else
        return -1;
    s->port = (uint16_t)p;
    return 0;
}

static int open_sock(const struct sock *s)
{
    int fd = socket(s->family, s->tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
    if (fd < 0)
        return -1;
    /* non-blocking so a connection reset between poll() and accept() cannot hang us */
    fcntl(fd, F_SETFL, O_NONBLOCK);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_storage ss = {0};
    socklen_t sslen;
    if (s->family == AF_INET6) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(s->port);
        sin6->sin6_addr = s->addr6;
        sslen = sizeof *sin6;
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
        sin->sin_family = AF_INET;
        sin->sin_port = htons(s->port);
        sin->sin_addr = s->addr;
        sslen = sizeof *sin;
    }
    if (bind(fd, (struct sockaddr *)&ss, sslen) < 0 || (s->tcp && listen(fd, 64) < 0)) {
        close(fd);
        return -1;
    }
    return fd;
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] << 8 | p[1]);
}
static void put16(unsigned char *p, unsigned v)
{
    p[0] = (unsigned char)(v >> 8);
    p[1] = (unsigned char)v;
}
static void put32(unsigned char *p, uint32_t v)
{
    put16(p, v >> 16);
    put16(p + 2, v & 0xffff);
}

/*
 * Reply to anything with a query header. nmap's own port-53 probe is a
 * header-only "server status" request (opcode 2, no question), so unusual
 * queries get a well-formed NOTIMP instead of being ignored. An IN A query
 * is answered with the socket's IPv4 address, or with no answer on an IPv6
 * socket. Returns the reply length, or 0 if the datagram is not a DNS query.
 */
static size_t dns_reply(unsigned char *m, size_t len, size_t cap, const struct sock *self)
{
    if (len < 12 || (m[2] & 0x80))
        return 0;
    unsigned opcode = (m[2] >> 3) & 0xf;
    size_t q = 12;
    int ok = opcode == 0 && get16(m + 4) == 1;
    while (ok && q < len && m[q] != 0) {
        if (m[q] & 0xc0)
            ok = 0; /* compression in a question: not worth supporting */
        else
            q += 1u + m[q];
    }
    ok = ok && q + 5 <= len;
    m[2] = (unsigned char)(0x80 | (m[2] & 0x79)); /* QR, keep opcode and RD */
    m[3] = ok ? 0x80 : 0x84;                      /* RA; NOERROR or NOTIMP */
    put16(m + 6, 0);
    put16(m + 8, 0);
    put16(m + 10, 0);
    if (!ok) {
        put16(m + 4, 0);
        return 12;
    }
    q += 5; /* root label, qtype, qclass */
    if (get16(m + q - 4) != 1 || get16(m + q - 2) != 1 || q + 16 > cap || self->family != AF_INET)
        return q; /* not IN A: NOERROR with no answer */
    unsigned char *a = m + q;
    put16(a, 0xc00c); /* name: pointer to the question */
    put16(a + 2, 1);  /* A */
    put16(a + 4, 1);  /* IN */
    put32(a + 6, 60); /* TTL */
    put16(a + 10, 4);
    memcpy(a + 12, &self->addr.s_addr, 4);
    put16(m + 6, 1);
    return q + 16;
}

static void ntp_time(unsigned char *p)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    put32(p, (uint32_t)((uint64_t)ts.tv_sec + 2208988800u)); /* NTP era starts 1900 */
    put32(p + 4, (uint32_t)(((uint64_t)ts.tv_nsec << 32) / 1000000000u));
}

/* Answer a client-mode (3) packet as a stratum-1 server (mode 4). */
static size_t ntp_reply(unsigned char *m, size_t len)
{
    if (len < 48 || (m[0] & 7) != 3)
        return 0;
    unsigned char r[48] = {0};
    r[0] = (unsigned char)((m[0] & 0x38) | 4); /* LI 0, client's version */
    r[1] = 1;
    r[2] = m[2];
    r[3] = 0xec; /* precision 2^-20 */
    memcpy(r + 12, "LOCL", 4);
    ntp_time(r + 16);
    memcpy(r + 24, m + 40, 8); /* origin = client's transmit time */
    ntp_time(r + 32);
    ntp_time(r + 40);
    memcpy(m, r, sizeof r);
    return sizeof r;
}

static void serve_udp(int fd, const struct sock *s)
{
    static unsigned char buf[65536];
    struct sockaddr_storage from;
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &flen);
    if (n < 0)
        return;
    size_t len = (size_t)n, out = 0;
    if (s->port == 53)
        out = dns_reply(buf, len, sizeof buf, s);
    else if (s->port == 123)
        out = ntp_reply(buf, len);
    if (out == 0)
        out = len;
    if (sendto(fd, buf, out, 0, (struct sockaddr *)&from, flen) < 0)
        perror("lab_listener: sendto");
}

static void serve_tcp(int fd, const struct sock *s)
{
    int c = accept(fd, NULL, NULL);
    if (c < 0)
        return;
    /* MSG_NOSIGNAL: a scanner that already reset the connection must not kill us */
    if (s->port == 22)
        send(c, ssh_banner, sizeof ssh_banner - 1, MSG_NOSIGNAL);
    close(c);
}

int main(int argc, char **argv)
{
    static struct sock socks[MAX_SOCKS];
    static struct pollfd pfd[MAX_SOCKS];
    int n = argc - 1;
    if (n < 1 || n > MAX_SOCKS) {
        fprintf(stderr, "usage: %s tcp:ADDR:PORT|udp:ADDR:PORT... (at most %d)\n", argv[0],
                MAX_SOCKS);
        return 2;
    }
    for (int i = 0; i < n; i++) {
        if (parse_spec(argv[i + 1], &socks[i]) < 0) {
            fprintf(stderr, "lab_listener: bad spec '%s'\n", argv[i + 1]);
            return 2;
        }
        pfd[i].fd = open_sock(&socks[i]);
        pfd[i].events = POLLIN;
        if (pfd[i].fd < 0) {
            fprintf(stderr, "lab_listener: %s: %s\n", argv[i + 1], strerror(errno));
            return 1;
        }
    }
    printf("READY\n");
    fflush(stdout);
    for (;;) {
        if (poll(pfd, (nfds_t)n, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("lab_listener: poll");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            if (!(pfd[i].revents & POLLIN))
                continue;
            if (socks[i].tcp)
                serve_tcp(pfd[i].fd, &socks[i]);
            else
                serve_udp(pfd[i].fd, &socks[i]);
        }
    }
}
