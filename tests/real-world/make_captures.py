#!/usr/bin/python3
"""make_captures.py OUTDIR: writes one small pcap per real-world kind of scan traffic.

Every capture is built offline with scapy (nothing is sent), from documentation
addresses: 192.0.2.0/24 targets, 198.51.100.0/24 scanners, 203.0.113.0/24 routers
and tunnel endpoints (and 240.0.0.10 where the kind is about that block), with
RFC 7042 documentation MAC addresses. Values that a real scanner draws at random
(IP IDs, TTLs, sequence numbers) come from a generator seeded per case, so every
run writes the same bytes. generated.txt beside this file holds the right values
(what nmap 7.9x concludes from the same packets) for each file written here.

The probes are shaped the way nmap 7.9x's sendIPScanProbe() sends them: no DF,
a TTL drawn from 37-59, a random IP ID, window 1024, MSS 1460 as a SYN's sole
option; the sequence number of every first try of one scan is the same value
(seq32_encode(): the try number mirrored and XORed with a per-scan mask), and a
retry goes out from the next source port (sport_encode(): base port + try).
"""
import os
import random
import struct
import subprocess
import sys
from decimal import Decimal

try:
    from scapy.layers.dns import DNS, DNSQR, DNSRR
except ImportError:  # a pyenv/virtualenv python3 ahead of Debian's on PATH
    sys.path.append('/usr/lib/python3/dist-packages')
    from scapy.layers.dns import DNS, DNSQR, DNSRR
from scapy.layers.inet import ICMP, IP, TCP, UDP
from scapy.layers.inet6 import (ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                                ICMPv6TimeExceeded, IPv6, IPv6ExtHdrDestOpt,
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, fragment6)
from scapy.layers.l2 import GRE, Ether
from scapy.layers.vxlan import VXLAN
from scapy.packet import Raw
from scapy.utils import wrpcap

T0 = 1700000000.0  # 2023-11-14 22:13:20 UTC, the start of every capture

SCANNER = '198.51.100.7'
TARGET = '192.0.2.10'
ROUTER = '203.0.113.1'
RESOLVER = '192.0.2.53'

MAC_HOST = '00:00:5e:00:53:01'  # the capturing host (scanner side unless said otherwise)
MAC_GW = '00:00:5e:00:53:fe'    # its default gateway
MAC_TUN_A = '00:00:5e:00:53:a5'
MAC_TUN_B = '00:00:5e:00:53:a6'

NMAP_BASE_PORT = 40123

def ip2int(addr):
    return struct.unpack('!I', bytes(int(x) for x in addr.split('.')))[0]


def masscan_ip_id(dst, dport, seq):
    """masscan's templ-pkt.c tcp_create_packet(): ip_id = ip_them ^ port_them ^ seqno."""
    return (ip2int(dst) ^ dport ^ seq) & 0xffff


class Capture:
    """Frames in file order, each with its own timestamp. The capturing host's
    frames go out to its gateway; everything else comes in from it. Times are
    kept in whole microseconds so that every run writes the same bytes."""

    def __init__(self, start=T0, mac_host=MAC_HOST, mac_peer=MAC_GW):
        self.frames = []
        self.now_us = round(start * 1000000)
        self.mac_host, self.mac_peer = mac_host, mac_peer
        self.snaplen = None

    @property
    def now(self):
        return self.now_us / 1000000

    @now.setter
    def now(self, seconds):
        self.now_us = round(seconds * 1000000)

    def _add(self, frame, gap, at):
        if at is not None:
            self.now = at
        else:
            self.now_us += round(gap * 1000000)
        frame.time = Decimal(self.now_us) / 1000000
        self.frames.append(frame)
        return frame

    def out(self, ip, gap=0.0005, at=None):
        self._add(Ether(src=self.mac_host, dst=self.mac_peer) / ip, gap, at)
        return ip

    def inc(self, ip, gap=0.0005, at=None):
        self._add(Ether(src=self.mac_peer, dst=self.mac_host) / ip, gap, at)
        return ip


class Nmap:
    """One nmap 7.9x raw scan of one target, from one source (scan_engine_raw.cc)."""

    def __init__(self, rng, src=SCANNER, dst=TARGET, base_port=NMAP_BASE_PORT):
        self.rng, self.src, self.dst, self.base = rng, src, dst, base_port
        self.seqmask = rng.getrandbits(32)

    def seq(self, tryno):
        nfo = tryno & 0xff
        return ((nfo << 16) | nfo) ^ self.seqmask

    def _ip(self, dport, seq):
        ip_id = self.rng.getrandbits(16)
        # A draw that happened to satisfy masscan's equation would make this probe
        # masscan's; nmap's odds of that are 1 in 65536, so step around it.
        if ip_id == masscan_ip_id(self.dst, dport, seq):
            ip_id ^= 1
        return IP(src=self.src, dst=self.dst, ttl=self.rng.randint(37, 59), id=ip_id, flags=0)

    def tcp(self, dport, flags, tryno=0, payload=b''):
        syn = 'S' in flags
        ackflag = 'A' in flags
        seq = 0 if ackflag else self.seq(tryno)
        ack = self.seq(tryno) if ackflag else 0
        opts = [('MSS', 1460)] if syn else []
        pkt = self._ip(dport, seq) / TCP(sport=self.base + tryno, dport=dport, seq=seq, ack=ack,
                                          flags=flags, window=1024, options=opts)
        if payload:
            pkt = pkt / Raw(payload)
        return pkt

    def syn(self, dport, tryno=0, payload=b''):
        return self.tcp(dport, 'S', tryno, payload)

    def udp(self, dport, tryno=0, payload=b''):
        pkt = self._ip(dport, 0) / UDP(sport=self.base + tryno, dport=dport)
        return pkt / Raw(payload) if payload else pkt


def reply_ip(probe, ttl=56, ip_id=0, df=True, src=None):
    return IP(src=src or probe[IP].dst, dst=probe[IP].src, ttl=ttl, id=ip_id,
              flags='DF' if df else 0)


def syn_ack(probe, rng, ack=None, options=(('MSS', 1460),), window=64240, ttl=56):
    """A Linux target's SYN-ACK: it mirrors only the options the SYN offered."""
    t = probe[TCP]
    return reply_ip(probe, ttl) / TCP(sport=t.dport, dport=t.sport, flags='SA', seq=rng.getrandbits(32),
                                      ack=(t.seq + 1) & 0xffffffff if ack is None else ack,
                                      window=window, options=list(options))


def rst_ack(probe, ack=None, ttl=56):
    """A closed port's RST/ACK (RFC 793: seq 0, ack = the segment's seq + its length)."""
    t = probe[TCP]
    return reply_ip(probe, ttl) / TCP(sport=t.dport, dport=t.sport, flags='RA', seq=0,
                                      ack=(t.seq + 1) & 0xffffffff if ack is None else ack, window=0)


def kernel_rst(reply):
    """The scanner host's kernel resetting a SYN-ACK it has no socket for: RST
    only, seq = the SYN-ACK's ack, DF, IP ID 0, TTL 64."""
    t = reply[TCP]
    return IP(src=reply[IP].dst, dst=reply[IP].src, ttl=64, id=0, flags='DF') / \
        TCP(sport=t.dport, dport=t.sport, flags='R', seq=t.ack, ack=0, window=0)


def icmp_error(probe, itype, code, src, quote=None, ttl=56, ip_id=0, quoted_ttl=None, mtu=0):
    """An ICMP error about probe from src. quote=None quotes the whole datagram
    (Linux), an int quotes that many bytes (RFC 792's header + 8 octets is 28)."""
    inner = probe[IP].copy()
    if quoted_ttl is not None:
        inner.ttl = quoted_ttl
        del inner.chksum
    qb = bytes(inner)
    if quote is not None:
        qb = qb[:quote]
    icmp = ICMP(type=itype, code=code, nexthopmtu=mtu) if itype == 3 else ICMP(type=itype, code=code)
    return IP(src=src, dst=probe[IP].src, ttl=ttl, id=ip_id) / icmp / Raw(qb)


def siphash24(key, data):
    """SipHash-2-4, as common/siphash.c computes it."""
    M = 0xffffffffffffffff

    def rotl(x, b):
        return ((x << b) | (x >> (64 - b))) & M

    def rnd(v):
        v[0] = (v[0] + v[1]) & M; v[1] = rotl(v[1], 13); v[1] ^= v[0]; v[0] = rotl(v[0], 32)
        v[2] = (v[2] + v[3]) & M; v[3] = rotl(v[3], 16); v[3] ^= v[2]
        v[0] = (v[0] + v[3]) & M; v[3] = rotl(v[3], 21); v[3] ^= v[0]
        v[2] = (v[2] + v[1]) & M; v[1] = rotl(v[1], 17); v[1] ^= v[2]; v[2] = rotl(v[2], 32)

    k0, k1 = struct.unpack('<QQ', key)
    v = [k0 ^ 0x736f6d6570736575, k1 ^ 0x646f72616e646f6d, k0 ^ 0x6c7967656e657261,
         k1 ^ 0x7465646279746573]
    whole = len(data) - len(data) % 8
    for i in range(0, whole, 8):
        m = struct.unpack('<Q', data[i:i + 8])[0]
        v[3] ^= m; rnd(v); rnd(v); v[0] ^= m
    last = (len(data) & 0xff) << 56
    for i, b in enumerate(data[whole:]):
        last |= b << (8 * i)
    v[3] ^= last; rnd(v); rnd(v); v[0] ^= last
    v[2] ^= 0xff
    for _ in range(4):
        rnd(v)
    return (v[0] ^ v[1] ^ v[2] ^ v[3]) & M


assert siphash24(bytes(range(16)), b'') == 0x726fdb47dd0e0e31  # the paper's test vector


def scantrace_cookie(scan_id, src, dst, sport, dport, proto, tryno):
    """common/cookie.c cookie_make() for a TCP flow."""
    key = b'scantrace-ck' + struct.pack('!I', scan_id)
    data = struct.pack('!IIHHB', ip2int(src), ip2int(dst), sport, dport, proto)
    return (siphash24(key, data) & 0xffffffff & ~0xf) | (tryno & 0xf)


# ---------------------------------------------------------------------------
# A. Tying a reply to its probe


def g01_rst_ack_equals_seq():
    """A closed port whose RST/ACK acknowledges the SYN's sequence number itself,
    not +1: some embedded stacks and RST-injecting middleboxes do this. nmap ties
    the reply by addresses and ports, so the port is closed all the same."""
    rng = random.Random(101)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.syn(81))
    c.inc(rst_ack(p, ack=p[TCP].seq))
    return c


def g02_fin_scan_bsd_rst():
    """A FIN scan (-sF) of a BSD/macOS-style stack: its RST/ACK acknowledges the
    FIN's sequence number without the +1 the FIN occupies; another stack (or a
    firewall) answers with a bare RST, no ACK flag, seq 0, ack 0; a third port
    stays silent through nmap's retry."""
    rng = random.Random(102)
    c, n = Capture(), Nmap(rng)
    p80 = c.out(n.tcp(80, 'F'))
    p81 = c.out(n.tcp(81, 'F'))
    c.out(n.tcp(82, 'F'))
    c.inc(rst_ack(p80, ack=p80[TCP].seq))
    c.inc(reply_ip(p81) / TCP(sport=81, dport=p81[TCP].sport, flags='R', seq=0, ack=0, window=0))
    c.out(n.tcp(82, 'F', tryno=1), gap=1.0)
    return c


def g03x_xmas_rst_ack_equals_seq():
    """An Xmas scan (-sX) whose closed port answers RST/ACK with ack == seq (the
    FIN's octet not counted), as BSD-derived stacks do."""
    rng = random.Random(1031)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.tcp(22, 'FPU'))
    c.inc(rst_ack(p, ack=p[TCP].seq))
    return c


def g03n_null_rst_ack_equals_seq():
    """A NULL scan (-sN) whose closed port answers RST/ACK with ack == seq, which
    is RFC 793's own rule for a segment without SYN or FIN."""
    rng = random.Random(1032)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.tcp(23, ''))
    c.inc(rst_ack(p, ack=p[TCP].seq))
    return c


def g04_syn_with_data_length():
    """nmap --data-length 20: the SYN carries 20 random bytes (window 1024, MSS
    only still); a stack that queues SYN data acknowledges seq + 21 in its
    SYN-ACK, and a closed port's RST/ACK acknowledges seq + 21 (RFC 793: SYN plus
    the data)."""
    rng = random.Random(104)
    c, n = Capture(), Nmap(rng)
    p80 = c.out(n.syn(80, payload=bytes(rng.getrandbits(8) for _ in range(20))))
    p81 = c.out(n.syn(81, payload=bytes(rng.getrandbits(8) for _ in range(20))))
    sa = c.inc(syn_ack(p80, rng, ack=(p80[TCP].seq + 21) & 0xffffffff))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(p81, ack=(p81[TCP].seq + 21) & 0xffffffff))
    return c


def g05_syn_proxy_rewritten_ack():
    """A SYN proxy / SYN-cookie appliance in front of the target answers with a
    SYN-ACK whose ack has nothing to do with the probe's sequence number; the
    scanner's kernel resets it (seq = that ack)."""
    rng = random.Random(105)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.syn(443))
    sa = c.inc(syn_ack(p, rng, ack=rng.getrandbits(32)))
    c.out(kernel_rst(sa))
    return c


def g06_scantrace_tag_ack_shifted():
    """Our own scanner's tagged SYN (MSS, RFC 6994 option 253 ExID 0x5354, two
    NOPs; sequence number and IP ID from common/cookie.c) answered by a SYN-ACK
    whose ack is seq + 1000, as a sequence-shifting middlebox leaves it: the reply
    no longer proves the cookie, but it is still the port's answer."""
    rng = random.Random(106)
    c = Capture()
    scan_id, sport, dport = 0x11223344, 40123, 80
    cookie = scantrace_cookie(scan_id, SCANNER, TARGET, sport, dport, 6, 0)
    tag = struct.pack('!HBB', 0x5354, 1, 0) + struct.pack('!I', scan_id)
    p = c.out(IP(src=SCANNER, dst=TARGET, ttl=64, id=cookie & 0xffff, flags=0) /
              TCP(sport=sport, dport=dport, seq=cookie, ack=0, flags='S', window=1024,
                  options=[('MSS', 1460), (253, tag), ('NOP', None), ('NOP', None)]))
    sa = c.inc(syn_ack(p, rng, ack=(cookie + 1000) & 0xffffffff))
    c.out(kernel_rst(sa))
    return c


# ---------------------------------------------------------------------------
# B. Every reply nmap judges


def g07_split_handshake_syn():
    """A target (or IPS) answering a SYN with a bare SYN of its own: the TCP split
    handshake (nmap.org/misc/split-handshake.pdf). The scanner's kernel refuses it
    with a RST/ACK."""
    rng = random.Random(107)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.syn(80))
    s = c.inc(reply_ip(p) / TCP(sport=80, dport=p[TCP].sport, flags='S', seq=rng.getrandbits(32),
                                ack=0, window=64240, options=[('MSS', 1460)]))
    c.out(IP(src=SCANNER, dst=TARGET, ttl=64, id=0, flags='DF') /
          TCP(sport=p[TCP].sport, dport=80, flags='RA', seq=0, ack=(s[TCP].seq + 1) & 0xffffffff,
              window=0))
    return c


def g08_icmp_time_exceeded():
    """A routing loop (or a TTL-limited path) in front of the target: a router
    answers the SYN with ICMP time exceeded in transit, quoting the probe's IP
    header (as it arrived, TTL 1) and the first 8 bytes of TCP (RFC 792)."""
    rng = random.Random(108)
    c, n = Capture(), Nmap(rng)
    p = c.out(n.syn(80))
    c.inc(icmp_error(p, 11, 0, ROUTER, quote=28, ttl=254, ip_id=rng.getrandbits(16), quoted_ttl=1))
    return c


def g09_udp_port_unreach_router_vs_target():
    """A UDP scan where a filtering router rejects port 53 with ICMP port
    unreachable in the target's name (quoting only header + 8 bytes, RFC 792
    style), while port 54 is refused by the target itself (Linux quotes the whole
    datagram). 53's probe is nmap-payloads' DNS status request, 54's is empty."""
    rng = random.Random(109)
    c, n = Capture(), Nmap(rng)
    p53 = c.out(n.udp(53, payload=b'\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00'))
    p54 = c.out(n.udp(54))
    c.inc(icmp_error(p53, 3, 3, ROUTER, quote=28, ttl=254, ip_id=rng.getrandbits(16)))
    c.inc(icmp_error(p54, 3, 3, TARGET, ttl=56, ip_id=rng.getrandbits(16)))
    return c


def g10_syn_scan_icmp_unreach_codes():
    """One SYN scan of a target whose packet filter rejects each port with a
    different ICMP destination-unreachable code (port = 1000 + code). Codes 4
    (fragmentation needed), 5 (source route failed) and 6 (destination network
    unknown) are ones nmap does not judge; those probes are retried, draw the same
    ICMP again, and nothing else."""
    rng = random.Random(110)
    c, n = Capture(), Nmap(rng)
    codes = [0, 1, 2, 3, 4, 5, 6, 9, 10, 13]
    probes = {code: c.out(n.syn(1000 + code)) for code in codes}
    for code in codes:
        c.inc(icmp_error(probes[code], 3, code, TARGET, ttl=56, ip_id=rng.getrandbits(16),
                         mtu=1400 if code == 4 else 0))
    c.now += 1.0
    for code in (4, 5, 6):
        r = c.out(n.syn(1000 + code, tryno=1))
        c.inc(icmp_error(r, 3, code, TARGET, ttl=56, ip_id=rng.getrandbits(16),
                         mtu=1400 if code == 4 else 0))
    return c


def g11_udp_scan_icmp_unreach_codes():
    """The same kind for a UDP scan: port unreachable from the target itself
    (closed), host unreachable and communication administratively prohibited
    (filtered), and fragmentation needed, which nmap ignores (so, unanswered
    after its retry, open|filtered)."""
    rng = random.Random(111)
    c, n = Capture(), Nmap(rng)
    codes = [1, 3, 4, 13]
    probes = {code: c.out(n.udp(1000 + code)) for code in codes}
    for code in codes:
        c.inc(icmp_error(probes[code], 3, code, TARGET, ttl=56, ip_id=rng.getrandbits(16),
                         mtu=1400 if code == 4 else 0))
    r = c.out(n.udp(1004, tryno=1), gap=1.0)
    c.inc(icmp_error(r, 3, 4, TARGET, ttl=56, ip_id=rng.getrandbits(16), mtu=1400))
    return c


# ---------------------------------------------------------------------------
# C. The shape of a capture


def _open_closed_exchange(rng, n, syn_ack_options=(('MSS', 1460),)):
    """The inner conversation of the tunnel and snaplen cases: 22 open, 23 closed."""
    p22 = n.syn(22)
    p23 = n.syn(23)
    sa = syn_ack(p22, rng, options=syn_ack_options)
    return [('out', p22), ('out', p23), ('inc', sa), ('out', kernel_rst(sa)), ('inc', rst_ack(p23))]


def g12g_gre_tunnel():
    """A SYN scan captured on a GRE tunnel's underlay (outer IPv4 203.0.113.5 <->
    203.0.113.6, protocol 47): the scan is the inner packets."""
    rng = random.Random(1121)
    c = Capture(mac_host=MAC_TUN_A, mac_peer=MAC_TUN_B)
    for way, ip in _open_closed_exchange(rng, Nmap(rng)):
        a, b = ('203.0.113.5', '203.0.113.6') if way == 'out' else ('203.0.113.6', '203.0.113.5')
        outer = IP(src=a, dst=b, ttl=64, id=0, flags='DF', proto=47) / GRE(proto=0x0800) / ip
        getattr(c, way)(outer)
    return c


def g12i_ipip_tunnel():
    """The same scan through an IP-in-IP tunnel (outer protocol 4)."""
    rng = random.Random(1122)
    c = Capture(mac_host=MAC_TUN_A, mac_peer=MAC_TUN_B)
    for way, ip in _open_closed_exchange(rng, Nmap(rng)):
        a, b = ('203.0.113.5', '203.0.113.6') if way == 'out' else ('203.0.113.6', '203.0.113.5')
        getattr(c, way)(IP(src=a, dst=b, ttl=64, id=0, flags='DF', proto=4) / ip)
    return c


def g12v_vxlan_overlay():
    """The same scan across a VXLAN overlay (UDP 4789, VNI 4242, inner Ethernet),
    captured on the underlay: the outer UDP source port is the endpoints' flow
    hash, the outer checksum zero (RFC 7348)."""
    rng = random.Random(1123)
    c = Capture(mac_host=MAC_TUN_A, mac_peer=MAC_TUN_B)
    inner_a, inner_b = '00:00:5e:00:53:71', '00:00:5e:00:53:72'
    for way, ip in _open_closed_exchange(rng, Nmap(rng)):
        t = ip[TCP]
        flow_hash = 49152 + ((t.sport * 31 + t.dport) % 16384)
        if way == 'out':
            a, b, ma, mb = '203.0.113.5', '203.0.113.6', inner_a, inner_b
        else:
            a, b, ma, mb = '203.0.113.6', '203.0.113.5', inner_b, inner_a
        outer = (IP(src=a, dst=b, ttl=64, id=0, flags='DF') /
                 UDP(sport=flow_hash, dport=4789, chksum=0) / VXLAN(flags=0x08, vni=4242) /
                 Ether(src=ma, dst=mb) / ip)
        getattr(c, way)(outer)
    return c


# nmap-payloads' request for udp/161 (payload.cc payload_SNMPv3GetRequest), 60 bytes.
SNMPV3_GET = bytes.fromhex('303a020103300f02024a69020300ffe3' '0401040201030410300e040002010002'
                           '010004000400040030120400 0400a00c' '020237f00201000201003000')


def _snaplen_capture(seed, snaplen):
    rng = random.Random(seed)
    c, n = Capture(), Nmap(rng)
    c.snaplen = snaplen
    p22 = c.out(n.syn(22))
    p23 = c.out(n.syn(23))
    p24 = c.out(n.syn(24))
    u161 = c.out(n.udp(161, payload=SNMPV3_GET))
    sa = c.inc(syn_ack(p22, rng, options=[('MSS', 1460), ('SAckOK', b''),
                                            ('Timestamp', (rng.getrandbits(32), 0)), ('NOP', None),
                                            ('WScale', 7)]))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(p23))
    c.inc(icmp_error(p24, 3, 13, TARGET, ttl=56, ip_id=rng.getrandbits(16)))
    c.inc(icmp_error(u161, 3, 3, TARGET, ttl=56, ip_id=rng.getrandbits(16)))
    return c


def g13a_snaplen96():
    """A capture made with a 96-byte snapshot length (tcpdump's old IPv6 default;
    monitoring taps that keep headers only): frames longer than 96 bytes are cut.
    The SYN-ACK carries a full option list (MSS, SACK-permitted, timestamps, NOP,
    window scale), the ICMP admin-prohibited quotes the whole probe, and an
    nmap -sSU run adds a UDP probe carrying nmap-payloads' 60-byte SNMPv3 request
    to 161, refused by the target with a port unreachable that quotes it whole:
    those two (102 and 130 bytes) are the frames longer than 96 bytes, so the
    probe keeps only 54 bytes of its request and the ICMP error its quoted UDP
    header and the first 26 bytes of the request."""
    return _snaplen_capture(1131, 96)


def g13b_snaplen68():
    """The same with tcpdump's old IPv4 default of 68 bytes: the SYN-ACK's options
    are cut, the admin-prohibited error keeps only the quoted TCP ports and half the
    sequence number, the SNMP probe only the first 26 bytes of its request, and its
    port unreachable only the quoted UDP ports and length."""
    return _snaplen_capture(1132, 68)


def g14_one_sided_scanner_side():
    """A capture that saw only what the scanner host sent (a mirror port or an
    egress-only filter): the SYN-ACK to 22 is missing, but the scanner kernel's
    RST (R only, seq = probe seq + 1, window 0, DF, TTL 64) shows it arrived. 23
    got nothing, not even for nmap's retry."""
    rng = random.Random(114)
    c, n = Capture(), Nmap(rng)
    p22 = c.out(n.syn(22))
    c.out(n.syn(23))
    c.out(IP(src=SCANNER, dst=TARGET, ttl=64, id=0, flags='DF') /
          TCP(sport=p22[TCP].sport, dport=22, flags='R', seq=(p22[TCP].seq + 1) & 0xffffffff, ack=0,
              window=0), gap=0.0012)
    c.out(n.syn(23, tryno=1), gap=1.0)
    return c


def g15_one_sided_target_side():
    """A capture made at the target that lost a frame (ring overflow, a busy
    tap): 22 and 23 are ordinary exchanges, but of port 25 only the target's
    RST/ACK toward the scanner is there, its probe never captured."""
    rng = random.Random(115)
    n = Nmap(rng)
    c = Capture(mac_host='00:00:5e:00:53:10', mac_peer=MAC_GW)  # the target's NIC
    p22 = c.inc(n.syn(22))
    p23 = c.inc(n.syn(23))
    p25 = n.syn(25)  # sent, but missing from the capture
    sa = c.out(syn_ack(p22, rng, ttl=64))
    c.out(rst_ack(p23, ttl=64))
    c.out(rst_ack(p25, ttl=64))
    c.inc(kernel_rst(sa))
    return c


def g16a_reply_stamped_before_probe():
    """A multi-queue NIC (or a capture merged from two interfaces) stamped each
    reply 0.5 ms before its probe, though the frames are in send order."""
    rng = random.Random(1161)
    c, n = Capture(), Nmap(rng)
    p22 = c.out(n.syn(22))
    sa = c.inc(syn_ack(p22, rng), at=c.now - 0.0005)
    c.out(kernel_rst(sa), at=c.now + 0.0010)
    p23 = c.out(n.syn(23), gap=0.0010)
    c.inc(rst_ack(p23), at=c.now - 0.0005)
    return c


def g16b_reply_sorted_before_probe():
    """The same timestamps after the file was sorted by time (reordercap, mergecap):
    each reply now comes before its probe in the file."""
    rng = random.Random(1162)
    c, n = Capture(), Nmap(rng)
    p22, p23 = n.syn(22), n.syn(23)
    sa = syn_ack(p22, rng)
    t = T0 + 0.0005
    c.inc(sa, at=t)
    c.out(p22, at=t + 0.0005)
    c.out(kernel_rst(sa), at=t + 0.0010)
    c.inc(rst_ack(p23), at=t + 0.0020)
    c.out(p23, at=t + 0.0025)
    return c


# ---------------------------------------------------------------------------
# D. Naming the tool


def g17_masscan_vs_nmap_ip_id():
    """masscan's SYN (TTL 255, window 1024, no options, IP ID = low 16 bits of
    target ^ port ^ seq) beside an nmap-shaped SYN (TTL 50, MSS only) whose random
    IP ID happens to satisfy the same equation: only TTL and options tell them
    apart."""
    rng = random.Random(117)
    c = Capture()
    seq_m = rng.getrandbits(32)
    pm = c.out(IP(src=SCANNER, dst=TARGET, ttl=255, id=masscan_ip_id(TARGET, 80, seq_m), flags=0) /
               TCP(sport=61234, dport=80, seq=seq_m, ack=0, flags='S', window=1024))
    seq_n = rng.getrandbits(32)
    pn = c.out(IP(src=SCANNER, dst=TARGET, ttl=50, id=masscan_ip_id(TARGET, 81, seq_n), flags=0) /
               TCP(sport=NMAP_BASE_PORT, dport=81, seq=seq_n, ack=0, flags='S', window=1024,
                   options=[('MSS', 1460)]))
    sa = c.inc(syn_ack(pm, rng))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(pn))
    return c


def _linux_syn(rng, src, dst, sport, dport):
    return IP(src=src, dst=dst, ttl=64, id=rng.getrandbits(16), flags='DF') / \
        TCP(sport=sport, dport=dport, flags='S', seq=rng.getrandbits(32), window=64240,
            options=[('MSS', 1460), ('SAckOK', b''), ('Timestamp', (rng.getrandbits(32), 0)),
                     ('NOP', None), ('WScale', 7)])


CONNECT_PORTS = [21, 22, 23, 25, 53, 80, 110, 111, 135, 139, 143, 443, 445, 993, 995, 1723, 3306,
                 3389, 5900, 8080, 8443, 20, 26, 81, 113, 179, 199, 514, 554, 587]


def g18_connect_scan_other_tool():
    """A connect scan by another program (Angry IP Scanner-like): kernel SYNs
    (DF, TTL 64, window 64240, Linux's option list) to 30 ports of one host; two
    ports accept, and the client closes those politely (ACK, then FIN/ACK), no
    RST: not nmap's -sT, which sets SO_LINGER 0 and resets at once."""
    rng = random.Random(118)
    c = Capture()
    src = '198.51.100.20'
    open_ports = {22, 80}
    sport = 46000
    for dport in CONNECT_PORTS:
        sport += 2  # Linux hands out connect() ports two apart
        syn = c.out(_linux_syn(rng, src, TARGET, sport, dport), gap=0.002)
        if dport not in open_ports:
            c.inc(rst_ack(syn))
            continue
        tsv = syn[TCP].options[2][1][0]
        srv_ts = rng.getrandbits(32)
        sa = c.inc(syn_ack(syn, rng, window=65160,
                           options=[('MSS', 1460), ('SAckOK', b''), ('Timestamp', (srv_ts, tsv)),
                                    ('NOP', None), ('WScale', 7)]))
        M = 0xffffffff
        cs, ss = (syn[TCP].seq + 1) & M, (sa[TCP].seq + 1) & M
        ts = [('NOP', None), ('NOP', None)]

        def cl(flags, s, a, tv, te):
            return IP(src=src, dst=TARGET, ttl=64, id=rng.getrandbits(16), flags='DF') / \
                TCP(sport=sport, dport=dport, flags=flags, seq=s & M, ack=a & M, window=502,
                    options=ts + [('Timestamp', (tv & M, te & M))])

        c.out(cl('A', cs, ss, tsv + 1, srv_ts))
        c.out(cl('FA', cs, ss, tsv + 2, srv_ts), gap=0.001)
        c.inc(reply_ip(syn) / TCP(sport=dport, dport=sport, flags='FA', seq=ss, ack=(cs + 1) & M,
                                  window=509, options=ts + [('Timestamp', ((srv_ts + 2) & M, (tsv + 2) & M))]))
        c.out(cl('A', cs + 1, ss + 1, tsv + 3, srv_ts + 2))
    return c


def g19_reserved_240_target():
    """A target in 240.0.0.0/4 (reserved "class E", unicast-routable on some
    networks and used as private space by some operators), not multicast."""
    rng = random.Random(119)
    c, n = Capture(), Nmap(rng, dst='240.0.0.10')
    p22 = c.out(n.syn(22))
    p80 = c.out(n.syn(80))
    c.inc(rst_ack(p22))
    sa = c.inc(syn_ack(p80, rng))
    c.out(kernel_rst(sa))
    return c


def _dns_exchange(c, rng, src, qname, qtype, rdata):
    """One kernel-made lookup (DF, TTL 64, random source port) and its answer."""
    sport, qid = rng.randint(32768, 60999), rng.getrandbits(16)
    q = c.out(IP(src=src, dst=RESOLVER, ttl=64, id=rng.getrandbits(16), flags='DF') /
              UDP(sport=sport, dport=53) / DNS(id=qid, rd=1, qd=DNSQR(qname=qname, qtype=qtype)),
              gap=0.001)
    c.inc(IP(src=RESOLVER, dst=src, ttl=63, id=rng.getrandbits(16), flags='DF') /
          UDP(sport=53, dport=sport) /
          DNS(id=qid, qr=1, rd=1, ra=1, qd=DNSQR(qname=qname, qtype=qtype),
              an=DNSRR(rrname=qname, type=qtype, ttl=3600, rdata=rdata)), gap=0.004)
    return q


def g20a_scanner_dns_nmap_syn():
    """The scanning host's own ordinary traffic: while it SYN-scans 30 ports of
    192.0.2.10 (nmap-shaped; 22 and 443 open, the rest closed) it looks up the
    target's name before and its reverse name midway, through its resolver."""
    rng = random.Random(1201)
    c, n = Capture(), Nmap(rng)
    _dns_exchange(c, rng, SCANNER, 'www.example.com.', 'A', TARGET)
    for i, dport in enumerate(CONNECT_PORTS):
        p = c.out(n.syn(dport), gap=0.001)
        if dport in (22, 443):
            sa = c.inc(syn_ack(p, rng))
            c.out(kernel_rst(sa))
        else:
            c.inc(rst_ack(p))
        if i == 19:
            _dns_exchange(c, rng, SCANNER, '10.2.0.192.in-addr.arpa.', 'PTR', 'www.example.com.')
    return c


def g20b_scanner_dns_connect():
    """The same for a kernel-made connect scan (DF, window 64240, Linux's options)
    found by behaviour: 30 ports, all refused, and two lookups answered by the
    resolver, one before the scan and one after it crossed any port-count
    threshold."""
    rng = random.Random(1202)
    c = Capture()
    src = '198.51.100.30'
    _dns_exchange(c, rng, src, 'www.example.com.', 'A', TARGET)
    sport = 51000
    for i, dport in enumerate(CONNECT_PORTS):
        sport += 2
        syn = c.out(_linux_syn(rng, src, TARGET, sport, dport), gap=0.001)
        c.inc(rst_ack(syn))
        if i == 19:
            _dns_exchange(c, rng, src, '10.2.0.192.in-addr.arpa.', 'PTR', 'www.example.com.')
    return c

# ---------------------------------------------------------------------------
# E. nmap's runs, pings and requests


def _nmap_base_port(rng):
    """scan_engine.cc increment_base_port(): a run's first base port is
    33000 + random % 32261; each later ultra_scan() of the run adds 256."""
    return 33000 + rng.getrandbits(32) % 32261


def g21_two_runs_same_target():
    """The same nmap -sS of one target run twice, 60 s apart (a cron job, an
    operator checking a change): each run has its own sequence mask and base
    port. In the first run 22 is open and 23 closed; before the second the
    service on 22 was stopped, so both answer RST/ACK."""
    rng = random.Random(121)
    c = Capture()
    n1 = Nmap(rng, base_port=_nmap_base_port(rng))
    n2 = Nmap(rng, base_port=_nmap_base_port(rng))
    assert n1.base != n2.base and n1.seqmask != n2.seqmask
    p22 = c.out(n1.syn(22))
    p23 = c.out(n1.syn(23))
    sa = c.inc(syn_ack(p22, rng))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(p23))
    q22 = c.out(n2.syn(22), at=T0 + 60.0005)
    q23 = c.out(n2.syn(23))
    c.inc(rst_ack(q22))
    c.inc(rst_ack(q23))
    return c


# Requests of nmap-payloads (nmap 7.93's file; the version.bind query with id 6 is
# nmap-service-probes' DNSVersionBindReq, which 7.94's nmap-payloads sends).
DNS_STATUS = b'\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00'
DNS_VERSION_BIND = b'\x00\x06\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07version\x04bind\x00\x00\x10\x00\x03'
XDMCP_QUERY = b'\x00\x01\x00\x02\x00\x01\x00'
RIP_REQUEST = b'\x01\x01' + bytes(21) + b'\x10'
SSDP_MSEARCH = (b'M-SEARCH * HTTP/1.1\r\nHost: 239.255.255.250:1900\r\nMan: "ssdp:discover"\r\n'
                b'MX: 5\r\nST: ssdp:all\r\n\r\n')
IKE_MAIN_MODE = bytes.fromhex(
    '001122334455667700000000000000000110020000000000000000c0000000a4'
    '0000000100000001000000980101000403000024010100008001000580020002'
    '8003000180040002800b0001000c000400000001030000240201000080010005'
    '800200018003000180040002800b0001000c0004000000010300002403010000'
    '80010001800200028003000180040002800b0001000c00040000000100000024'
    '0401000080010001800200018003000180040002800b0001000c000400000001')
IKE_IPSEC_START = bytes.fromhex(
    '3127fcb038109e8900000000000000000110020000000000000000cc0d00005c'
    '0000000100000001000000500101000203000024010100008001000580020002'
    '8004000280030003800b0001000c000400000e10000000240201000080010005'
    '800200018004000280030003800b0001000c000400000e100d0000181e2b5169'
    '05991c7d7c96fcbfb587e461000000040d0000144048b7d56ebce88525e7de7f'
    '00d6c2d30d00001490cb80913ebb696e086381b5ec427b1f0000001426244d38'
    'eddb61b3172a36e3d0cfb819')
assert len(IKE_MAIN_MODE) == 192 and len(IKE_IPSEC_START) == 204 and len(RIP_REQUEST) == 24


def _nmap_udp_try(c, n, dport, payloads=(b'',), tryno=0, gap=0.0005, at=None):
    """One try of nmap 7.9x's UDP probe of a port: each of the port's requests
    (one empty datagram where it has none) from the same source port with the
    same IP ID, 50 us apart; build_ip_raw() draws each datagram's TTL. Returns
    the first datagram."""
    first = c.out(n.udp(dport, tryno, payloads[0]), gap=gap, at=at)
    for payload in payloads[1:]:
        c.out(IP(src=n.src, dst=n.dst, ttl=n.rng.randint(37, 59), id=first[IP].id, flags=0) /
              UDP(sport=first[UDP].sport, dport=dport) / Raw(payload), gap=0.00005)
    return first


def _nmap_discovery(c, rng, base, src=SCANNER, dst=TARGET):
    """nmap's default host discovery of a remote target as root (-PE -PS443
    -PA80 -PP), an ultra_scan() of its own: an echo request without data, a SYN
    to 443, an ACK to 80 and a timestamp request, all answered by a Linux target
    with 443 and 80 closed. Returns that ultra_scan()'s Nmap."""
    d = Nmap(rng, src=src, dst=dst, base_port=base)
    echo = c.out(IP(src=src, dst=dst, ttl=rng.randint(37, 59), id=rng.getrandbits(16), flags=0) /
                 ICMP(type=8, id=rng.getrandbits(16), seq=0))
    s443 = c.out(d.syn(443), gap=0.0001)
    a80 = c.out(d.tcp(80, 'A'), gap=0.0001)
    ts = c.out(IP(src=src, dst=dst, ttl=rng.randint(37, 59), id=rng.getrandbits(16), flags=0) /
               ICMP(type=13, id=rng.getrandbits(16), seq=0, ts_ori=0, ts_rx=0, ts_tx=0), gap=0.0001)
    c.inc(IP(src=dst, dst=src, ttl=56, id=rng.getrandbits(16)) / ICMP(type=0, id=echo[ICMP].id, seq=0),
          gap=0.0006)
    c.inc(rst_ack(s443), gap=0.0001)
    c.inc(reply_ip(a80) / TCP(sport=80, dport=a80[TCP].sport, flags='R', seq=a80[TCP].ack, ack=0,
                              window=0), gap=0.0001)
    c.inc(IP(src=dst, dst=src, ttl=56, id=rng.getrandbits(16)) /
          ICMP(type=14, id=ts[ICMP].id, seq=0, ts_ori=0, ts_rx=80000000, ts_tx=80000000), gap=0.0001)
    return d


G22_EMPTY_PORTS = [9, 19, 68, 136, 138, 139, 162, 445, 514, 593, 631, 996, 997, 998, 999, 1022,
                   1023, 1433, 1719, 2000, 2048, 2222, 3456, 4444, 5000, 5060, 6000, 7000, 8000,
                   9200, 10000, 20031]
G22_REQUESTS = {53: [DNS_STATUS, DNS_VERSION_BIND], 177: [XDMCP_QUERY], 520: [RIP_REQUEST],
                1900: [SSDP_MSEARCH]}
G22_CLOSED = {9, 138, 631, 1022, 5060}


def g22_udp_scan_timing_pings():
    """A slow nmap -sU (-T2: a probe every 0.4 s) of a target whose host firewall
    drops UDP to most ports. The default host discovery comes first; its SYN to
    443 drew a RST, so that probe becomes the target's ping probe. The UDP scan
    (the next ultra_scan(): base port + 256) sends every port's first try, five
    ports refused with ICMP port unreachable early on, then retries the silent
    ones from base + 1. Whenever nothing has come back for a while nmap sends
    its timing ping, the discovery probe again from inside the UDP scan: a SYN to
    443 whose try number marks a ping (tryno_t isPing), from base + 5, + 7, + 9
    (scan_engine_raw.cc sendPingProbe()), every 10 s, each answered by RST/ACK."""
    rng = random.Random(122)
    c = Capture()
    d = _nmap_discovery(c, rng, _nmap_base_port(rng))
    n = Nmap(rng, base_port=d.base + 256)
    ports = G22_EMPTY_PORTS + list(G22_REQUESTS)
    rng.shuffle(ports)
    ports.sort(key=lambda p: p not in G22_CLOSED)  # the refused ports first: silence after
    start = T0 + 0.5
    silent = [p for p in ports if p not in G22_CLOSED]
    events = [(start + 0.4 * i, 'udp', p, 0) for i, p in enumerate(ports)]
    events += [(start + 0.4 * (len(ports) + i), 'udp', p, 1) for i, p in enumerate(silent)]
    events += [(T0 + 10.0 * k + 0.2, 'ping', 443, 3 + 2 * k) for k in (1, 2, 3)]
    for t, kind, port, tryno in sorted(events):
        if kind == 'ping':
            s = c.out(n.syn(port, tryno=tryno), at=t)
            c.inc(rst_ack(s), gap=0.0006)
            continue
        probe = _nmap_udp_try(c, n, port, G22_REQUESTS.get(port, [b'']), tryno, at=t)
        if port in G22_CLOSED:
            c.inc(icmp_error(probe, 3, 3, TARGET, ttl=56, ip_id=rng.getrandbits(16)), gap=0.0006)
    return c


def g23_udp_payloads_one_try():
    """nmap 7.9x -sU sends every nmap-payloads request of a port in one try, from
    the same source port with the same IP ID: to 53 the DNS status request and
    the version.bind TXT CH query (id 6), refused by the target with one port
    unreachable that quotes the first datagram; to 500 the two IKE requests,
    unanswered, then both again as the retry from base + 1."""
    rng = random.Random(123)
    c, n = Capture(), Nmap(rng)
    p53 = _nmap_udp_try(c, n, 53, [DNS_STATUS, DNS_VERSION_BIND])
    _nmap_udp_try(c, n, 500, [IKE_MAIN_MODE, IKE_IPSEC_START], gap=0.0002)
    c.inc(icmp_error(p53, 3, 3, TARGET, ttl=56, ip_id=rng.getrandbits(16)))
    _nmap_udp_try(c, n, 500, [IKE_MAIN_MODE, IKE_IPSEC_START], tryno=1, gap=1.0)
    return c


# ---------------------------------------------------------------------------
# F. The shape of a capture, again


def g24_reply_stored_before_probe():
    """A capture merged without sorting (mergecap -a, or two ring buffers
    concatenated): the RST/ACK of closed port 80 is stored first, though its
    timestamp is 0.5 ms after the SYN's that follows it in the file."""
    rng = random.Random(124)
    c, n = Capture(), Nmap(rng)
    p = n.syn(80)
    c.inc(rst_ack(p), at=T0 + 0.0005)
    c.out(p, at=T0)
    return c


def g25_snaplen54():
    """A capture made with a 54-byte snapshot length (Ethernet, IP and 20 bytes
    of TCP: header-only taps, tcpdump -s 54): the SYNs lose their MSS option, the
    SYN-ACK its options, and the admin-prohibited error quoting the probe to 24
    keeps only the first 12 bytes of the quoted IP header (its IP ID and
    protocol; no addresses, no ports)."""
    rng = random.Random(125)
    c, n = Capture(), Nmap(rng)
    c.snaplen = 54
    p22 = c.out(n.syn(22))
    p23 = c.out(n.syn(23))
    p24 = c.out(n.syn(24))
    sa = c.inc(syn_ack(p22, rng))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(p23))
    c.inc(icmp_error(p24, 3, 13, TARGET, ttl=56, ip_id=rng.getrandbits(16)))
    return c


# ---------------------------------------------------------------------------
# G. Look-alikes that are not scans, and a connect scan that is


class _LinuxConn:
    """One kernel-made TCP connection between two Linux hosts (DF, TTL 64 from the
    client, timestamps on every segment), seen from the client: keeps both sides'
    sequence numbers and timestamps. srv_ttl is the TTL the server's segments
    arrive with."""
    M = 0xffffffff

    def __init__(self, c, rng, cli, srv, sport, dport, srv_ttl=63):
        self.c, self.rng = c, rng
        self.cli, self.srv, self.sport, self.dport = cli, srv, sport, dport
        self.srv_ttl = srv_ttl

    def connect(self, gap=0.0005, rtt=0.0004):
        """SYN, SYN-ACK, ACK. Returns the SYN."""
        syn = self.c.out(_linux_syn(self.rng, self.cli, self.srv, self.sport, self.dport), gap=gap)
        self.cts = syn[TCP].options[2][1][0]
        self.sts = self.rng.getrandbits(32)
        sa = self.c.inc(syn_ack(syn, self.rng, window=65160,
                                options=[('MSS', 1460), ('SAckOK', b''), ('Timestamp', (self.sts, self.cts)),
                                         ('NOP', None), ('WScale', 7)], ttl=self.srv_ttl), gap=rtt)
        self.cseq, self.sseq = (syn[TCP].seq + 1) & self.M, (sa[TCP].seq + 1) & self.M
        self.client('A', gap=0.00005)
        return syn

    def established(self):
        """A connection opened before the capture began."""
        self.cseq, self.sseq = self.rng.getrandbits(32), self.rng.getrandbits(32)
        self.cts, self.sts = self.rng.getrandbits(32), self.rng.getrandbits(32)

    def _segment(self, src, dst, sport, dport, ttl, flags, seq, ack, window, tsval, tsecr, data):
        pkt = IP(src=src, dst=dst, ttl=ttl, id=self.rng.getrandbits(16), flags='DF') / \
            TCP(sport=sport, dport=dport, flags=flags, seq=seq & self.M, ack=ack & self.M, window=window,
                options=[('NOP', None), ('NOP', None), ('Timestamp', (tsval & self.M, tsecr & self.M))])
        return pkt / Raw(data) if data else pkt

    def client(self, flags, data=b'', gap=0.0005):
        self.cts += 1
        pkt = self._segment(self.cli, self.srv, self.sport, self.dport, 64, flags, self.cseq, self.sseq,
                            502, self.cts, self.sts, data)
        self.cseq = (self.cseq + len(data) + ('F' in flags)) & self.M
        return self.c.out(pkt, gap=gap)

    def server(self, flags, data=b'', gap=0.0004):
        self.sts += 1
        pkt = self._segment(self.srv, self.cli, self.dport, self.sport, self.srv_ttl, flags, self.sseq,
                            self.cseq, 509, self.sts, self.cts, data)
        self.sseq = (self.sseq + len(data) + ('F' in flags)) & self.M
        return self.c.inc(pkt, gap=gap)


def g26_udp_traceroute():
    """Linux traceroute (UDP, one socket: a fixed source port; the kernel's path
    MTU discovery sets DF) to 192.0.2.10: 32-byte datagrams to 33434, 33435, ...,
    three per hop, TTL 1 to 6, sent 16 at a time; routers 203.0.113.1-5 answer
    with ICMP time exceeded (the first quoting the whole datagram as Linux does,
    the others header + 8 bytes), and the destination, at hop 6, with ICMP port
    unreachable. Eighteen ports of one host and a port unreachable for some:
    shaped like a UDP scan, but not one."""
    rng = random.Random(126)
    c = Capture()
    src, sport, data = '198.51.100.40', 45678, bytes(range(0x40, 0x60))
    ip_id = rng.getrandbits(16)
    probes = []
    for i in range(18):
        ttl = i // 3 + 1
        probes.append(IP(src=src, dst=TARGET, ttl=ttl, id=(ip_id + i) & 0xffff, flags='DF') /
                      UDP(sport=sport, dport=33434 + i) / Raw(data))

    def answer(i, gap):
        p, hop = probes[i], i // 3 + 1
        if hop < 6:  # the first router is a Linux box (TTL 64), the others not (TTL 255)
            router, linux = '203.0.113.%d' % hop, hop == 1
            c.inc(icmp_error(p, 11, 0, router, quote=None if linux else 28,
                             ttl=(64 if linux else 255) - (hop - 1), ip_id=rng.getrandbits(16),
                             quoted_ttl=1), gap=gap)
        else:
            c.inc(icmp_error(p, 3, 3, TARGET, ttl=64 - 5, ip_id=rng.getrandbits(16), quoted_ttl=1),
                  gap=gap)

    for i in range(16):
        c.out(probes[i], gap=0.00002)
    for i in range(16):
        answer(i, 0.0008 if i % 3 == 0 else 0.00005)
    for i in (16, 17):
        c.out(probes[i], gap=0.0001)
        answer(i, 0.006)
    return c


LB_CLIENT = '198.51.100.50'
LB_BACKENDS = ['192.0.2.%d' % i for i in range(100, 130)]


def _lb_health_checks(seed, close):
    """Load-balancer TCP health checks (HAProxy `check` without a send/expect):
    every 2 s the balancer connects to :8080 of each of its 30 backends; each
    accepts, and the balancer closes at once with `close` (RST or FIN)."""
    rng = random.Random(seed)
    c = Capture()
    for rnd in range(5):
        c.now = T0 + 2.0 * rnd
        for backend in LB_BACKENDS:
            conn = _LinuxConn(c, rng, LB_CLIENT, backend, rng.randint(32768, 60999), 8080)
            conn.connect(gap=0.0003)
            if close == 'rst':
                conn.client('RA', gap=0.00003)
            else:
                conn.client('FA', gap=0.00003)
                conn.server('FA')
                conn.client('A', gap=0.00003)
    return c


def g27a_lb_health_check_rst():
    """Load-balancer health checks: a balancer connects (kernel SYNs: DF, TTL 64,
    window 64240, MSS/SACK/TS/NOP/WS) to :8080 of 30 backends 192.0.2.100-129,
    each accepts, the balancer ACKs and resets at once (SO_LINGER 0: RST/ACK), no
    data; five rounds 2 s apart. Connect-and-reset is nmap -sT's close, but this
    is one service checked again and again."""
    return _lb_health_checks(1271, 'rst')


def g27b_lb_health_check_fin():
    """The same health checks closed politely: FIN/ACK from the balancer, FIN/ACK
    from the backend, last ACK."""
    return _lb_health_checks(1272, 'fin')


def g28_ftp_passive_data():
    """A passive-mode FTP session (vsftpd, pasv_min_port 40000, pasv_max_port
    40133) listing 20 directories, captured at the client: on the control
    connection (opened before the capture) each PASV is answered with a port; the
    client connects to it (kernel SYN), the server accepts, sends the directory
    listing and closes with FIN, the client ACKs and closes with FIN; the client
    sends nothing on the data connection. Twenty ports of one host, all
    connect-and-close: shaped like a connect scan, but not one."""
    rng = random.Random(128)
    c = Capture()
    cli, srv = '198.51.100.60', '192.0.2.21'
    ctl = _LinuxConn(c, rng, cli, srv, rng.randint(32768, 60999), 21)
    ctl.established()
    for k, port in enumerate(rng.sample(range(40000, 40134), 20)):
        ctl.client('PA', b'PASV\r\n', gap=0.05)
        ctl.server('PA', b'227 Entering Passive Mode (192,0,2,21,%d,%d).\r\n' % (port >> 8, port & 255))
        data = _LinuxConn(c, rng, cli, srv, rng.randint(32768, 60999), port)
        data.connect(gap=0.0002)
        ctl.client('PA', b'LIST\r\n', gap=0.0001)
        ctl.server('PA', b'150 Here comes the directory listing.\r\n')
        listing = b''.join(b'-rw-r--r--    1 1000     1000     %8d Nov 14 22:%02d report-%02d-%d.csv\r\n'
                           % (rng.randint(1000, 99999999), rng.randint(0, 59), k, j) for j in range(5))
        data.server('PA', listing, gap=0.0001)
        data.server('FA', gap=0.00002)
        data.client('A', gap=0.00004)
        data.client('FA', gap=0.0001)
        data.server('A')
        ctl.server('PA', b'226 Directory send OK.\r\n', gap=0.0002)
        ctl.client('A', gap=0.04)
    return c


G29_PORTS = CONNECT_PORTS + [8000, 8888, 3000, 5432, 6379, 9200, 27017, 11211, 5060, 2049]
SSH_BANNER = b'SSH-2.0-OpenSSH_9.2\r\n'


def g29_nmap_connect_scan():
    """A genuine nmap -sT -Pn (unprivileged: connect() per port, SO_LINGER 0) of
    40 ports of 192.0.2.10, in nmap's random order, from the scanner's kernel
    (DF, TTL 64, window 64240, Linux's options): 38 refused with RST/ACK; 22 and
    80 accept, the kernel completes the handshake and nmap's close() resets at
    once (RST/ACK, no data), but sshd on 22 sends its banner right after the
    handshake, before the RST, which acknowledges it."""
    rng = random.Random(129)
    c = Capture()
    ports = list(G29_PORTS)
    rng.shuffle(ports)
    for dport in ports:
        conn = _LinuxConn(c, rng, SCANNER, TARGET, rng.randrange(32768, 61000, 2), dport, srv_ttl=56)
        if dport not in (22, 80):
            syn = c.out(_linux_syn(rng, SCANNER, TARGET, conn.sport, dport), gap=0.0002)
            c.inc(rst_ack(syn), gap=0.0004)
            continue
        conn.connect(gap=0.0002)
        if dport == 22:
            conn.server('PA', SSH_BANNER, gap=0.0006)
        conn.client('RA', gap=0.00005)
    return c


# ---------------------------------------------------------------------------
# F. IPv6 (nmap -6)

# nmap-payloads' NTPv4 client request for 123/udp: 48 octets, these first.
NTP_REQUEST_V4 = bytes.fromhex('e30004fa000100000001') + bytes(38)
SCANNER6 = '2001:db8:100::7'
TARGET6 = '2001:db8::10'
ROUTER6 = '2001:db8:ff::1'


class Nmap6(Nmap):
    """nmap -6's raw probes (scan_engine_raw.cc, tcpip.cc build_*_raw_ipv6): the
    same TCP and UDP headers as over IPv4, in an IPv6 header with a hop limit
    drawn from 37-59 as the IPv4 TTL is, and a random flow label (which nmap
    keeps in place of the IP ID)."""

    def __init__(self, rng, src=SCANNER6, dst=TARGET6, base_port=NMAP_BASE_PORT, ext=()):
        super().__init__(rng, src, dst, base_port)
        self.ext = ext

    def _ip(self, dport, seq):
        ip = IPv6(src=self.src, dst=self.dst, hlim=self.rng.randint(37, 59),
                  fl=self.rng.getrandbits(20))
        for header in self.ext:
            ip = ip / header
        return ip


def reply6(probe, hlim=64, src=None):
    return IPv6(src=src or probe[IPv6].dst, dst=probe[IPv6].src, hlim=hlim)


def syn_ack6(probe, rng):
    t = probe[TCP]
    return reply6(probe) / TCP(sport=t.dport, dport=t.sport, flags='SA', seq=rng.getrandbits(32),
                               ack=(t.seq + 1) & 0xffffffff, window=64800,
                               options=[('MSS', 1440)])


def rst_ack6(probe, ack=None):
    t = probe[TCP]
    return reply6(probe) / TCP(sport=t.dport, dport=t.sport, flags='RA', seq=0,
                               ack=(t.seq + 1) & 0xffffffff if ack is None else ack, window=0)


def kernel_rst6(reply):
    """The scanner's kernel resetting a SYN-ACK it has no socket for."""
    t = reply[TCP]
    return IPv6(src=reply[IPv6].dst, dst=reply[IPv6].src, hlim=64) / \
        TCP(sport=t.dport, dport=t.sport, flags='R', seq=t.ack, ack=0, window=0)


def icmp6_error(probe, message, src, hlim=64):
    """An ICMPv6 error about probe from src, quoting the whole probe as RFC 4443
    section 2.4 (c) asks while it fits in 1280 octets."""
    return IPv6(src=src, dst=probe[IPv6].src, hlim=hlim) / message / Raw(bytes(probe[IPv6]))


def g30_ipv6_syn_scan():
    """nmap -6 -sS of 2001:db8::10: 22 open (SYN-ACK, the scanner's kernel resets
    it), 23 closed (RST/ACK), 24 silent through nmap's retry, and three ports a
    filter rejects with ICMPv6 destination unreachable (RFC 4443 section 3.1):
    25 administratively prohibited (code 1), 26 address unreachable (code 3),
    27 no route to destination (code 0), from a router on the path."""
    rng = random.Random(130)
    c, n = Capture(), Nmap6(rng)
    p = {port: c.out(n.syn(port)) for port in (22, 23, 24, 25, 26, 27)}
    sa = c.inc(syn_ack6(p[22], rng))
    c.out(kernel_rst6(sa))
    c.inc(rst_ack6(p[23]))
    for port, code in ((25, 1), (26, 3), (27, 0)):
        c.inc(icmp6_error(p[port], ICMPv6DestUnreach(code=code), ROUTER6))
    c.out(n.syn(24, tryno=1), gap=1.0)
    return c


def g31_ipv6_udp_scan():
    """nmap -6 -sU: 161 refused by the target itself with ICMPv6 port unreachable
    (code 4); 53 refused with port unreachable by a router in the target's path;
    123 answered (NTP); 1001 silent through the retry."""
    rng = random.Random(131)
    c, n = Capture(), Nmap6(rng)
    p161 = c.out(n.udp(161))
    p53 = c.out(n.udp(53, payload=b'\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00'))
    p123 = c.out(n.udp(123, payload=NTP_REQUEST_V4))
    c.out(n.udp(1001))
    c.inc(icmp6_error(p161, ICMPv6DestUnreach(code=4), TARGET6))
    c.inc(icmp6_error(p53, ICMPv6DestUnreach(code=4), ROUTER6))
    c.inc(reply6(p123) / UDP(sport=123, dport=p123[UDP].sport) / Raw(b'\x24' + bytes(47)))
    c.out(n.udp(1001, tryno=1), gap=1.0)
    return c


def g32_ipv6_extension_headers():
    """nmap -6 -sS --ip-options-like probes behind a hop-by-hop options header and
    a destination options header (RFC 8200 section 4.1's order): the parser walks
    them to the TCP header. 22 open, 23 closed."""
    rng = random.Random(132)
    c = Capture()
    n = Nmap6(rng, ext=(IPv6ExtHdrHopByHop(), IPv6ExtHdrDestOpt()))
    p22 = c.out(n.syn(22))
    p23 = c.out(n.syn(23))
    sa = c.inc(syn_ack6(p22, rng))
    c.out(kernel_rst6(sa))
    c.inc(rst_ack6(p23))
    return c


def g33_ipv6_fragmented_probe():
    """nmap -6 -f: the SYN to 22 (with --data-length 40, so that there is
    something to split) goes out in two fragments, each with a fragment header
    (RFC 8200 section 4.5); Wireshark reassembles them and the plugin reads the
    datagram on the frame that completes it. The SYN-ACK says open."""
    rng = random.Random(133)
    c, n = Capture(), Nmap6(rng)
    probe = n.syn(22, payload=bytes(40))
    frags = fragment6(_with_fragment_header(probe, rng), 96)
    for f in frags:
        c.out(f, gap=0.0001)
    sa = c.inc(syn_ack6(probe, rng))
    c.out(kernel_rst6(sa))
    return c


def _with_fragment_header(probe, rng):
    ip = probe[IPv6].copy()
    upper = ip.payload
    ip.remove_payload()
    return ip / IPv6ExtHdrFragment(id=rng.getrandbits(32)) / upper


def g34_ipv6_time_exceeded():
    """A router answers nmap -6's SYN with ICMPv6 time exceeded (hop limit
    exceeded in transit, RFC 4443 section 3.3), and the retry likewise. nmap's
    get_pcap_result() takes only destination unreachable and parameter problem
    from ICMPv6 ("Unexpected ICMPv6 type/code" for the rest): the port is as if
    unanswered."""
    rng = random.Random(134)
    c, n = Capture(), Nmap6(rng)
    p = c.out(n.syn(80))
    c.inc(icmp6_error(p, ICMPv6TimeExceeded(code=0), ROUTER6))
    r = c.out(n.syn(80, tryno=1), gap=1.0)
    c.inc(icmp6_error(r, ICMPv6TimeExceeded(code=0), ROUTER6))
    return c


def g35_ipv6_snaplen68():
    """An nmap -6 -sS exchange (22 open, 23 closed) captured with tcpdump's old
    68-byte snapshot length, the IPv4 default: after 14 octets of Ethernet and 40
    of IPv6 only 14 of each TCP header remain, without window and options. Neither
    nmap's probe shape nor a tag can be read, so the plugin must label nothing
    rather than guess."""
    rng = random.Random(135)
    c, n = Capture(), Nmap6(rng)
    c.snaplen = 68
    p22 = c.out(n.syn(22))
    p23 = c.out(n.syn(23))
    sa = c.inc(syn_ack6(p22, rng))
    c.out(kernel_rst6(sa))
    c.inc(rst_ack6(p23))
    return c


def g36_ipv6_ack_fin_null_xmas():
    """Four nmap -6 runs against one host, one scan type each: -sA to 80 (RST:
    unfiltered), -sF to 81 (RST: closed), -sN to 82 (silent through the retry:
    open|filtered), -sX to 83 (RST: closed)."""
    rng = random.Random(136)
    c = Capture()
    runs = [(80, 'A'), (81, 'F'), (82, ''), (83, 'FPU')]
    for i, (port, flags) in enumerate(runs):
        n = Nmap6(rng, base_port=NMAP_BASE_PORT + 1000 * i)
        p = c.out(n.tcp(port, flags))
        if port == 82:
            c.out(n.tcp(port, flags, tryno=1), gap=1.0)
            continue
        t = p[TCP]
        if flags == 'A':
            c.inc(reply6(p) / TCP(sport=port, dport=t.sport, flags='R', seq=t.ack, window=0))
        else:
            c.inc(rst_ack6(p, ack=(t.seq + (1 if 'F' in flags else 0)) & 0xffffffff))
        c.now += 0.5
    return c


def g37_ipv6_echo_discovery():
    """nmap -6 -sn -PE of two hosts: ICMPv6 echo requests without data (RFC 4443
    section 4.1); 2001:db8::10 answers with an echo reply (up), 2001:db8::11
    never does, through nmap's retry (down)."""
    rng = random.Random(137)
    c = Capture()
    ident = rng.getrandbits(16)
    def echo(dst, seq):
        return IPv6(src=SCANNER6, dst=dst, hlim=rng.randint(37, 59)) / \
            ICMPv6EchoRequest(id=ident, seq=seq)
    up = c.out(echo(TARGET6, 1))
    c.out(echo('2001:db8::11', 2))
    c.inc(IPv6(src=TARGET6, dst=SCANNER6, hlim=64) / ICMPv6EchoReply(id=ident, seq=up.seq))
    c.out(echo('2001:db8::11', 3), gap=1.0)
    return c


def g38_ipv6_nmap_connect_scan():
    """nmap -6 -sT of CONNECT_PORTS on 2001:db8::10: the kernel's own SYNs (hop
    limit 64, Linux's options), 22 and 80 accepted, the handshake completed and
    reset at once by nmap's close() (SO_LINGER 0), every other port refused with
    RST/ACK. The plugin finds the scan by behaviour, as over IPv4."""
    rng = random.Random(138)
    c = Capture()
    ports = list(CONNECT_PORTS)
    rng.shuffle(ports)
    for dport in ports:
        sport = rng.randrange(32768, 61000, 2)
        syn = c.out(IPv6(src=SCANNER6, dst=TARGET6, hlim=64, fl=rng.getrandbits(20)) /
                    TCP(sport=sport, dport=dport, flags='S', seq=rng.getrandbits(32), window=64800,
                        options=[('MSS', 1440), ('SAckOK', b''),
                                 ('Timestamp', (rng.getrandbits(32), 0)), ('NOP', None),
                                 ('WScale', 7)]), gap=0.0002)
        if dport not in (22, 80):
            c.inc(rst_ack6(syn), gap=0.0004)
            continue
        sa = c.inc(syn_ack6(syn, rng), gap=0.0004)
        seq, ack = (syn[TCP].seq + 1) & 0xffffffff, (sa[TCP].seq + 1) & 0xffffffff
        for flags in ('A', 'RA'):
            c.out(IPv6(src=SCANNER6, dst=TARGET6, hlim=64) /
                  TCP(sport=sport, dport=dport, flags=flags, seq=seq, ack=ack, window=507),
                  gap=0.00005)
    return c


def g39_ipv6_in_ipv4_tunnel():
    """nmap -6 -sS through a 6in4 tunnel (RFC 4213: IPv6 in IPv4, protocol 41),
    captured on the tunnel's IPv4 link: 22 open, 23 closed."""
    rng = random.Random(139)
    c = Capture(mac_host=MAC_TUN_A, mac_peer=MAC_TUN_B)
    n = Nmap6(rng)
    p22 = n.syn(22)
    p23 = n.syn(23)
    sa = syn_ack6(p22, rng)
    for way, ip in (('out', p22), ('out', p23), ('inc', sa), ('out', kernel_rst6(sa)),
                    ('inc', rst_ack6(p23))):
        a, b = ('203.0.113.5', '203.0.113.6') if way == 'out' else ('203.0.113.6', '203.0.113.5')
        getattr(c, way)(IP(src=a, dst=b, ttl=64, id=0, flags='DF', proto=41) / ip)
    return c


def g40_syn_scan_timing_pings():
    """nmap -sS of 22 (open), 3306 (closed) and 8080 (dropped), seen from the
    scanner: while 8080 waits for its retry, nmap times the host with two pings
    to 3306, the port whose reply it last got (Target::pingprobe), each with its
    ping number in the try bits of the sequence number (seq32_encode: nfo =
    pingseq << 8 | trynum) and a source port further on, as austin__half-open2
    shows. Both get RST/ACK."""
    rng = random.Random(140)
    c = Capture()
    n = Nmap(rng, base_port=_nmap_base_port(rng))
    p22 = c.out(n.syn(22))
    p3306 = c.out(n.syn(3306))
    c.out(n.syn(8080))
    sa = c.inc(syn_ack(p22, rng))
    c.out(kernel_rst(sa))
    c.inc(rst_ack(p3306))
    for ping in (1, 2):
        nfo = ping << 8
        seq = ((nfo << 16) | nfo) ^ n.seqmask
        probe = c.out(n._ip(3306, seq) / TCP(sport=n.base + 10 + ping, dport=3306, seq=seq,
                                             flags='S', window=1024, options=[('MSS', 1460)]),
                      gap=0.3)
        c.inc(rst_ack(probe))
        if ping == 1:
            c.out(n.syn(8080, tryno=1), gap=0.2)
    return c


TFTP_RRQ = b'\x00\x01r7tftp.txt\x00octet\x00'  # nmap-payloads' request for 69/udp
TFTP_NOT_FOUND = b'\x00\x05\x00\x01File not found\x00'  # RFC 1350 ERROR, code 1


def g41_tftp_error_from_new_port():
    """nmap -sU -p 69 of a TFTP server without r7tftp.txt, as vic__udp_scan.pcap
    shows: each try's read request is answered with ERROR 1 "File not found"
    from a new port of the server (RFC 1350 section 4: a transfer's own port),
    which nmap does not take for 69's answer (get_pcap_result() wants the
    probed port back), and the scanner's kernel refuses it with a port
    unreachable. The two ERRORs, the same 19 bytes, no DF, TTL 60, to two ports
    of the scanner, answer its datagrams: no UDP scan of the scanner."""
    rng = random.Random(141)
    c = Capture()
    n = Nmap(rng, base_port=_nmap_base_port(rng))
    for tryno in (0, 1):
        probe = _nmap_udp_try(c, n, 69, [DNS_STATUS, TFTP_RRQ], tryno=tryno,
                              gap=1.0 if tryno else 0.0005)
        error = c.inc(IP(src=TARGET, dst=SCANNER, ttl=60, id=rng.getrandbits(16), flags=0) /
                      UDP(sport=rng.randint(32768, 60999), dport=probe[UDP].sport) /
                      Raw(TFTP_NOT_FOUND))
        c.out(icmp_error(error, 3, 3, SCANNER, ttl=64, ip_id=rng.getrandbits(16)))
    return c


def g42_keepalive_acks_and_ack_scan_ttl64():
    """A macOS client's TCP keepalives, as austin__null15.pcap shows: a lone ACK
    to a server's 443 and another's 5228, no DF, TTL 64, window 2048, no
    options, a sequence number (one below the next byte), unanswered. Then
    nmap -sA --ttl 64 of the target's 80 from another host: the same shape but
    window 1024 and sequence number 0 (sendIPScanProbe() puts the try number in
    the ack), answered by a RST (RFC 793: seq = the segment's ack)."""
    rng = random.Random(142)
    c = Capture()
    client = '198.51.100.34'
    for server, port in (('192.0.2.80', 443), ('192.0.2.81', 5228)):
        c.out(IP(src=client, dst=server, ttl=64, id=rng.getrandbits(16), flags=0) /
              TCP(sport=rng.randint(49152, 65535), dport=port, flags='A', seq=rng.getrandbits(32),
                  ack=rng.getrandbits(32), window=2048), gap=0.001)
    n = Nmap(rng, base_port=_nmap_base_port(rng))
    probe = n.tcp(80, 'A')
    probe[IP].ttl = 64
    c.out(probe, gap=1.0)
    c.inc(reply_ip(probe) / TCP(sport=80, dport=probe[TCP].sport, flags='R', seq=probe[TCP].ack,
                                window=0))
    return c


CASES = [
    g01_rst_ack_equals_seq, g02_fin_scan_bsd_rst, g03x_xmas_rst_ack_equals_seq,
    g03n_null_rst_ack_equals_seq, g04_syn_with_data_length, g05_syn_proxy_rewritten_ack,
    g06_scantrace_tag_ack_shifted, g07_split_handshake_syn, g08_icmp_time_exceeded,
    g09_udp_port_unreach_router_vs_target, g10_syn_scan_icmp_unreach_codes,
    g11_udp_scan_icmp_unreach_codes, g12g_gre_tunnel, g12i_ipip_tunnel, g12v_vxlan_overlay,
    g13a_snaplen96, g13b_snaplen68, g14_one_sided_scanner_side, g15_one_sided_target_side,
    g16a_reply_stamped_before_probe, g16b_reply_sorted_before_probe, g17_masscan_vs_nmap_ip_id,
    g18_connect_scan_other_tool, g19_reserved_240_target, g20a_scanner_dns_nmap_syn,
    g20b_scanner_dns_connect, g21_two_runs_same_target, g22_udp_scan_timing_pings,
    g23_udp_payloads_one_try, g24_reply_stored_before_probe, g25_snaplen54, g26_udp_traceroute,
    g27a_lb_health_check_rst, g27b_lb_health_check_fin, g28_ftp_passive_data,
    g29_nmap_connect_scan, g30_ipv6_syn_scan, g31_ipv6_udp_scan, g32_ipv6_extension_headers,
    g33_ipv6_fragmented_probe, g34_ipv6_time_exceeded, g35_ipv6_snaplen68,
    g36_ipv6_ack_fin_null_xmas, g37_ipv6_echo_discovery, g38_ipv6_nmap_connect_scan,
    g39_ipv6_in_ipv4_tunnel, g40_syn_scan_timing_pings, g41_tftp_error_from_new_port,
    g42_keepalive_acks_and_ack_scan_ttl64,
]


def main():
    if len(sys.argv) != 2:
        sys.exit('usage: make_captures.py OUTDIR')
    outdir = sys.argv[1]
    os.makedirs(outdir, exist_ok=True)
    for case in CASES:
        cap = case()
        path = os.path.join(outdir, case.__name__ + '.pcap')
        if cap.snaplen is None:
            wrpcap(path, cap.frames, linktype=1)
        else:
            full = path + '.full'
            wrpcap(full, cap.frames, linktype=1)
            subprocess.run(['editcap', '-F', 'pcap', '-s', str(cap.snaplen), full, path], check=True)
            os.unlink(full)
        print(path)


if __name__ == '__main__':
    main()
