#!/usr/bin/python3
"""make-ordinary-capture.py OUT.pcap [PACKETS [KIND]]: a capture of ordinary
traffic with many short flows, no scan in it, for scripts/benchmark.sh (what the
plugin costs on a capture a user opens that holds no scan).

KIND web (the default): clients of a network look names up at two resolvers
(an A and an AAAA query, each from a source port of its own) and fetch a page
over a short HTTP connection (handshake, GET, the page, both FINs); one query in
a hundred goes unanswered and is sent again, one connection in two hundred is
refused, as any client meets now and then. KIND dns: DNS queries and answers,
each query from a flow of its own (many clients, random source ports).

Written offline with struct, Ethernet frames in a pcap; nothing is sent. The
same PACKETS and KIND always give the same file.
"""
import random
import struct
import sys

ETH = b'\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00'


def checksum(data):
    if len(data) % 2:
        data += b'\0'
    s = sum(struct.unpack('!%dH' % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xffff)
    s += s >> 16
    return ~s & 0xffff


def ip(src, dst, proto, payload, ident):
    hdr = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                      src, dst)
    return hdr[:10] + struct.pack('!H', checksum(hdr)) + hdr[12:] + payload


def udp(src, dst, sport, dport, data, ident):
    return ip(src, dst, 17, struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data, ident)


def tcp(src, dst, sport, dport, seq, ack, flags, data, ident, options=b''):
    off = (20 + len(options)) // 4
    hdr = struct.pack('!HHIIBBHHH', sport, dport, seq & 0xffffffff, ack & 0xffffffff, off << 4,
                      flags, 64240, 0, 0)
    return ip(src, dst, 6, hdr + options + data, ident)


SYN_OPTIONS = b'\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07'
FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10


def dns_query(qid, name, qtype):
    q = b''.join(bytes([len(p)]) + p.encode() for p in name.split('.')) + b'\0'
    return struct.pack('!HHHHHH', qid, 0x0100, 1, 0, 0, 0) + q + struct.pack('!HH', qtype, 1)


def dns_answer(query, qtype, rng):
    head = struct.pack('!HHHHHH', struct.unpack('!H', query[:2])[0], 0x8180, 1, 1, 0, 0)
    if qtype == 1:
        rdata = bytes(rng.randrange(256) for _ in range(4))
    else:
        rdata = b'\x20\x01\x0d\xb8' + bytes(rng.randrange(256) for _ in range(12))
    return head + query[12:] + struct.pack('!HHHIH', 0xc00c, qtype, 1, 300, len(rdata)) + rdata


class Writer:
    def __init__(self, path):
        self.f = open(path, 'wb')
        self.f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        self.t = 1_764_547_200.0
        self.count = 0

    def put(self, packet, gap):
        self.t += gap
        sec = int(self.t)
        usec = int((self.t - sec) * 1e6)
        frame = ETH + packet
        self.f.write(struct.pack('<IIII', sec, usec, len(frame), len(frame)) + frame)
        self.count += 1


def addr(net, n):
    return bytes([net[0], net[1], (n >> 8) & 0xff, n & 0xff])


def dns_exchange(w, rng, client, resolver, name, qtype, ident):
    sport = rng.randrange(1024, 65536)
    query = dns_query(rng.randrange(65536), name, qtype)
    w.put(udp(client, resolver, sport, 53, query, ident), rng.uniform(0.0001, 0.002))
    if rng.random() < 0.01:  # lost: asked again from the same port
        w.put(udp(client, resolver, sport, 53, query, ident + 1), 1.0)
    w.put(udp(resolver, client, 53, sport, dns_answer(query, qtype, rng), rng.randrange(65536)),
          rng.uniform(0.0002, 0.003))


def web(w, rng, client, server, host, ident):
    sport = rng.randrange(32768, 61000)
    c, s = rng.randrange(1 << 32), rng.randrange(1 << 32)
    gap = lambda: rng.uniform(0.00005, 0.003)  # noqa: E731
    w.put(tcp(client, server, sport, 80, c, 0, SYN, b'', ident, SYN_OPTIONS), gap())
    if rng.random() < 0.005:  # nothing listens there
        w.put(tcp(server, client, 80, sport, 0, c + 1, RST | ACK, b'', 0), gap())
        return
    w.put(tcp(server, client, 80, sport, s, c + 1, SYN | ACK, b'', 0, SYN_OPTIONS), gap())
    w.put(tcp(client, server, sport, 80, c + 1, s + 1, ACK, b'', ident + 1), gap())
    get = ('GET /page/%d.html HTTP/1.1\r\nHost: %s\r\nUser-Agent: curl/8.5.0\r\n'
           'Accept: */*\r\n\r\n' % (rng.randrange(1000), host)).encode()
    w.put(tcp(client, server, sport, 80, c + 1, s + 1, PSH | ACK, get, ident + 2), gap())
    body = b'<html><body>' + b'x' * rng.randrange(200, 1200) + b'</body></html>\n'
    page = (b'HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n'
            b'Connection: close\r\n\r\n' % len(body)) + body
    w.put(tcp(server, client, 80, sport, s + 1, c + 1 + len(get), PSH | ACK, page, 1), gap())
    c2, s2 = c + 1 + len(get), s + 1 + len(page)
    w.put(tcp(client, server, sport, 80, c2, s2, ACK, b'', ident + 3), gap())
    w.put(tcp(server, client, 80, sport, s2, c2, FIN | ACK, b'', 2), gap())
    w.put(tcp(client, server, sport, 80, c2, s2 + 1, FIN | ACK, b'', ident + 4), gap())
    w.put(tcp(server, client, 80, sport, s2 + 1, c2 + 1, ACK, b'', 3), gap())


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__.strip().splitlines()[0])
    packets = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    kind = sys.argv[3] if len(sys.argv) > 3 else 'web'
    if packets < 1 or kind not in ('web', 'dns'):
        sys.exit('make-ordinary-capture.py: PACKETS 1 or more, KIND web or dns')
    rng = random.Random(20261201)
    w = Writer(sys.argv[1])
    resolvers = [bytes([10, 10, 255, 53]), bytes([10, 10, 255, 54])]
    while w.count < packets:
        client = addr((10, 10), rng.randrange(1, 4000))
        ident = rng.randrange(1, 60000)
        name = 'www%d.example.com' % rng.randrange(5000)
        resolver = rng.choice(resolvers)
        if kind == 'dns':
            client = addr((10, 20 + rng.randrange(8)), rng.randrange(1, 65000))
            dns_exchange(w, rng, client, resolver, name, 1, ident)
            continue
        dns_exchange(w, rng, client, resolver, name, 1, ident)
        dns_exchange(w, rng, client, resolver, name, 28, ident + 2)
        server = addr((198, 51), rng.randrange(1, 2000))
        web(w, rng, client, server, name, ident + 4)
    w.f.close()


if __name__ == '__main__':
    main()
