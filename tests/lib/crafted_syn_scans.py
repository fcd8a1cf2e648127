#!/usr/bin/python3
"""Writes captures/crafted-syn-scans.pcap: SYN scans in nmap's probe shape
(window 1024, MSS 1460 the sole option, no DF, TTL 45) that a packet crafter
makes, not nmap: each probe draws its own sequence number, where nmap's probes
of one run all carry the run's mask (scan_engine_raw.cc, seq32_encode), and
all leave from one source port.

    crafted_syn_scans.py OUT

What it holds, and what the port table must show (captures/README.md):
  1. 198.51.100.7 -> 192.0.2.10, source port 40001, five ports: 22 SYN-ACK
     (and the scanner's RST), 23 RST, 80 SYN-ACK, 443 RST, 8080 nothing.
     One scan of five ports.
  2. The same over IPv6, 2001:db8::7 -> 2001:db8::10, 22 SYN-ACK, 23 RST,
     25 RST: one scan of three ports.
  3. 198.51.100.7 again, 2 s later, the same source port, 22 and 23 once more
     with new sequence numbers: a port probed again is a rescan, a scan of
     its own (two ports), as a second nmap run would be.
  4. 203.0.113.5 -> 192.0.2.10, another scanner, 22 and 23: a scan of its
     own.
  5. nmap's own shape of a run, 203.0.113.9 -> 192.0.2.10: the mask
     0x1234abcd as every first try's sequence number, from source port
     50000, to 22, 23 and 80; then a second run (mask 0x0badf00d, source port
     50256) of 22 and 23: two scans, as nmap's two runs are.
Only built and written (wrpcap); nothing is sent. Timestamps are fixed, so the
file is the same on every run."""
import sys

from scapy.all import IP, TCP, Ether, IPv6, wrpcap

T0 = 1700000000.0
MAC_SCANNER = "02:00:00:00:00:01"
MAC_TARGET = "02:00:00:00:00:02"


class Capture:
    def __init__(self):
        self.frames = []
        self.now = T0

    def add(self, pkt, gap=0.0005):
        self.now += gap
        pkt.time = self.now
        self.frames.append(pkt)


IP_IDS = iter(range(0x3100, 0x10000, 0x35))


def ip(src, dst, ttl):
    if ":" in src:
        return IPv6(src=src, dst=dst, hlim=ttl)
    return IP(src=src, dst=dst, ttl=ttl, flags=0, id=next(IP_IDS))


def eth(src_is_scanner):
    if src_is_scanner:
        return Ether(src=MAC_SCANNER, dst=MAC_TARGET)
    return Ether(src=MAC_TARGET, dst=MAC_SCANNER)


def reply_ip(src, dst):
    if ":" in src:
        return IPv6(src=src, dst=dst, hlim=64)
    return IP(src=src, dst=dst, ttl=64, flags="DF")


def scan(cap, scanner, target, sport, probes):
    """probes: (port, seq, answer) with answer 'synack', 'rst' or None."""
    for port, seq, answer in probes:
        syn = TCP(sport=sport, dport=port, flags="S", seq=seq, window=1024, options=[("MSS", 1460)])
        cap.add(eth(True) / ip(scanner, target, 45) / syn)
        if answer == "synack":
            cap.add(eth(False) / reply_ip(target, scanner) /
                    TCP(sport=port, dport=sport, flags="SA", seq=5000 + port, ack=seq + 1,
                        window=64240, options=[("MSS", 1460)]), gap=0.001)
            cap.add(eth(True) / reply_ip(scanner, target) /
                    TCP(sport=sport, dport=port, flags="R", seq=seq + 1, window=0), gap=0.0001)
        elif answer == "rst":
            cap.add(eth(False) / reply_ip(target, scanner) /
                    TCP(sport=port, dport=sport, flags="RA", seq=0, ack=seq + 1, window=0),
                    gap=0.0015)


def main():
    if len(sys.argv) != 2:
        print("usage: crafted_syn_scans.py OUT", file=sys.stderr)
        return 2
    cap = Capture()
    scan(cap, "198.51.100.7", "192.0.2.10", 40001,
         [(22, 1000000, "synack"), (23, 2000000, "rst"), (80, 3000000, "synack"),
          (443, 4000000, "rst"), (8080, 5000000, None)])
    scan(cap, "2001:db8::7", "2001:db8::10", 40001,
         [(22, 7000000, "synack"), (23, 8000000, "rst"), (25, 9000000, "rst")])
    cap.now += 2
    scan(cap, "198.51.100.7", "192.0.2.10", 40001,
         [(22, 11000000, "synack"), (23, 12000000, "rst")])
    scan(cap, "203.0.113.5", "192.0.2.10", 33333,
         [(22, 0x5EED0001, "synack"), (23, 0x5EED0101, "rst")])
    scan(cap, "203.0.113.9", "192.0.2.10", 50000,
         [(22, 0x1234ABCD, "synack"), (23, 0x1234ABCD, "rst"), (80, 0x1234ABCD, "synack")])
    scan(cap, "203.0.113.9", "192.0.2.10", 50256,
         [(22, 0x0BADF00D, "synack"), (23, 0x0BADF00D, "rst")])
    wrpcap(sys.argv[1], cap.frames)
    return 0


if __name__ == "__main__":
    sys.exit(main())
