#!/usr/bin/python3
"""relink.py IN.pcap[ng] OUTDIR: the IP packets of an Ethernet capture under other
link layers and inside tunnels, one pcap per kind, for plugin_linktypes.sh.

OUTDIR/ethernet.pcap holds the capture's IP frames as they are (frames without
IP left out); every other file holds the same IP packets, frame for frame and
with the same timestamps, under another link layer or tunnel, so the plugin
must say the same of each frame. OUTDIR/fragmented-KIND.pcap: the same, each
TCP probe of 24 octets or more cut into IP fragments of 8 octets (nmap -f),
which Wireshark reassembles: the verdicts are the same, the frames are not. An
IPv6 one's fragments carry hop-by-hop and destination options before the
fragment header, and its fragmentable part starts with destination options
(RFC 8200 section 4.1's order), so that the plugin finds the fragment header,
and the transport after the reassembled headers, by common/packet.c's walk.

The kinds the plugin's walk over the frame's layers reads (plugin/ip_bytes.c),
and two it does not know (L2TP, GTP-U), where it finds the header by
Wireshark's addresses. Built offline with scapy from documentation addresses;
nothing is sent.
"""
import struct
import sys

try:
    from scapy.all import rdpcap, wrpcap
except ImportError:  # a pyenv/virtualenv python3 ahead of Debian's on PATH
    sys.path.append('/usr/lib/python3/dist-packages')
    from scapy.all import rdpcap, wrpcap
from scapy.layers.inet import IP, TCP, UDP, fragment
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Dot1AD, Dot1Q, Ether, GRE
from scapy.layers.vxlan import VXLAN
from scapy.packet import Raw

MAC_A, MAC_B = '00:00:5e:00:53:01', '00:00:5e:00:53:02'
OUTER4 = ('203.0.113.5', '203.0.113.6')
OUTER6 = ('2001:db8:ff::5', '2001:db8:ff::6')


def ethertype(ip):
    return 0x86dd if ip.version == 6 else 0x0800


def eth(ip):
    return Ether(src=MAC_A, dst=MAC_B, type=ethertype(ip)) / ip


def raw(data):
    return Raw(bytes(data))


def sll2(ip):
    # Linux cooked v2: protocol, reserved, ifindex, ARPHRD_ETHER, packet type,
    # address length and 8 octets of address.
    return raw(struct.pack('!HHIHBB8s', ethertype(ip), 0, 2, 1, 0, 6, bytes(8)) + bytes(ip))


def bsd_null(ip):
    return raw(struct.pack('<I', 30 if ip.version == 6 else 2) + bytes(ip))


def pppoe(ip):
    header = struct.pack('!BBHH', 0x11, 0, 3, len(bytes(ip)) + 2)
    ppp = struct.pack('!H', 0x57 if ip.version == 6 else 0x21)
    return Ether(src=MAC_A, dst=MAC_B, type=0x8864) / raw(header + ppp + bytes(ip))


def mpls(ip):
    labels = struct.pack('!II', (16 << 12) | 64, (17 << 12) | 0x100 | 64)
    return Ether(src=MAC_A, dst=MAC_B, type=0x8847) / raw(labels + bytes(ip))


def gre_key(ip):
    # RFC 2890: the key bit and a key.
    gre = struct.pack('!HHI', 0x2000, ethertype(ip), 42)
    return Ether(src=MAC_A, dst=MAC_B) / IP(src=OUTER4[0], dst=OUTER4[1], proto=47) / raw(gre + bytes(ip))


def gre_ipv6(ip):
    return (Ether(src=MAC_A, dst=MAC_B) / IPv6(src=OUTER6[0], dst=OUTER6[1], nh=47) /
            GRE(proto=ethertype(ip)) / ip)


def in_ipv6(ip):
    return Ether(src=MAC_A, dst=MAC_B) / IPv6(src=OUTER6[0], dst=OUTER6[1], nh=4 if ip.version == 4 else 41) / ip


def vxlan(ip):
    return (Ether(src=MAC_A, dst=MAC_B) / IP(src=OUTER4[0], dst=OUTER4[1]) / UDP(sport=5000, dport=4789) /
            VXLAN(vni=9) / eth(ip))


def geneve(ip):
    header = struct.pack('!BBHI', 0, 0, 0x6558, 9 << 8)
    return (Ether(src=MAC_A, dst=MAC_B) / IP(src=OUTER4[0], dst=OUTER4[1]) / UDP(sport=5000, dport=6081) /
            raw(header + bytes(eth(ip))))


def l2tp(ip):
    header = struct.pack('!HHH', 0x0002, 1, 2) + b'\xff\x03' + struct.pack('!H', 0x57 if ip.version == 6 else 0x21)
    return (Ether(src=MAC_A, dst=MAC_B) / IP(src=OUTER4[0], dst=OUTER4[1]) / UDP(sport=1701, dport=1701) /
            raw(header + bytes(ip)))


def gtp_u(ip):
    header = struct.pack('!BBHI', 0x30, 0xff, len(bytes(ip)), 7)
    return (Ether(src=MAC_A, dst=MAC_B) / IP(src=OUTER4[0], dst=OUTER4[1]) / UDP(sport=2152, dport=2152) /
            raw(header + bytes(ip)))


# name: (wrap, pcap link type)
KINDS = {
    'vlan': (lambda ip: Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=5) / ip, 1),
    'qinq': (lambda ip: Ether(src=MAC_A, dst=MAC_B) / Dot1AD(vlan=7) / Dot1Q(vlan=5) / ip, 1),
    'sll2': (sll2, 276),
    'null': (bsd_null, 0),
    'pppoe': (pppoe, 1),
    'mpls': (mpls, 1),
    'gre-key': (gre_key, 1),
    'gre-ipv6': (gre_ipv6, 1),
    'in-ipv6': (in_ipv6, 1),
    'vxlan': (vxlan, 1),
    'geneve': (geneve, 1),
    'l2tp': (l2tp, 1),
    'gtp-u': (gtp_u, 1),
}
FRAGMENTED = ('gre-key', 'vxlan', 'vlan', 'l2tp')


def pad_options(next_header):
    # A hop-by-hop or destination options header of 8 octets: one PadN option.
    return struct.pack('!BBBB4x', next_header, 0, 1, 4)


def fragment6(ip, ident):
    # The IPv6 packet (no extension headers of its own) in fragments of 8
    # octets of its fragmentable part: fixed header, hop-by-hop options,
    # destination options, fragment header, piece.
    data = bytes(ip)
    fragmentable = pad_options(data[6]) + data[40:]
    pieces = []
    for off in range(0, len(fragmentable), 8):
        more = 1 if off + 8 < len(fragmentable) else 0
        body = (pad_options(60) + pad_options(44) + struct.pack('!BBHI', 60, 0, off | more, ident) +
                fragmentable[off:off + 8])
        pieces.append(IPv6(data[:4] + struct.pack('!HB', len(body), 0) + data[7:40] + body))
    return pieces


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[0])
    frames = [(p.time, p[Ether].payload) for p in rdpcap(sys.argv[1])
              if Ether in p and (IP in p or IPv6 in p)]
    out = sys.argv[2]

    def write(name, packets, linktype):
        wrpcap('%s/%s.pcap' % (out, name), packets, linktype=linktype)

    def stamped(packet, time):
        packet.time = time
        return packet

    write('ethernet', [stamped(eth(ip.copy()), t) for t, ip in frames], 1)
    for name, (wrap, linktype) in KINDS.items():
        write(name, [stamped(wrap(ip.copy()), t) for t, ip in frames], linktype)
    for name in FRAGMENTED:
        wrap, linktype = KINDS[name]
        packets = []
        for n, (t, ip) in enumerate(frames):
            pieces = [ip]
            if ip.version == 4 and TCP in ip and len(ip[TCP]) >= 24:
                pieces = fragment(ip.copy(), fragsize=8)
            elif ip.version == 6 and ip.nh == 6 and len(ip[TCP]) >= 24:
                pieces = fragment6(ip, 0x5c000000 + n)
            packets += [stamped(wrap(piece), t) for piece in pieces]
        write('fragmented-' + name, packets, linktype)


if __name__ == '__main__':
    main()
