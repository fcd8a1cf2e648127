#!/usr/bin/python3
"""make-sweep-capture.py OUT.pcap [HOSTS [PORTS]]: a capture of an nmap SYN sweep
of many hosts, for scripts/benchmark.sh (the port table of a large sweep).

nmap -sS -Pn -p PORTS over HOSTS addresses from 10.64.0.0 up (default 4096 hosts,
10 ports): one host in four is up, with one open port (SYN-ACK, then the
scanner's kernel RST) and the rest closed (RST/ACK); the others never answer, so
each of their probes is tried again once, as nmap does. Built offline with scapy
from tests/real-world/make_captures.py's nmap model; nothing is sent.
"""
import importlib.util
import ipaddress
import os
import random
import sys

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    'make_captures', os.path.join(here, '..', 'tests', 'real-world', 'make_captures.py'))
mc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mc)


def main():
    if len(sys.argv) not in (2, 3, 4):
        sys.exit(__doc__.strip().splitlines()[0])
    out = sys.argv[1]
    hosts = int(sys.argv[2]) if len(sys.argv) > 2 else 4096
    ports = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    if hosts < 1 or ports < 1 or hosts > 65536:
        sys.exit('make-sweep-capture.py: HOSTS 1-65536 and PORTS 1 or more')
    rng = random.Random(20261201)
    cap = mc.Capture()
    first = ipaddress.IPv4Address('10.64.0.0')
    scan_ports = list(range(1, ports + 1))
    # One nmap run: one sequence mask, one source port per try.
    nmap = mc.Nmap(rng, src='10.63.255.1')
    for h in range(hosts):
        nmap.dst = str(first + h)
        up = h % 4 == 0
        for i, port in enumerate(scan_ports):
            probe = cap.out(nmap.syn(port), gap=0.00002)
            if not up:
                continue
            if i == 0:
                reply = cap.inc(mc.syn_ack(probe, rng), gap=0.0001)
                cap.out(mc.kernel_rst(reply), gap=0.00001)
            else:
                cap.inc(mc.rst_ack(probe), gap=0.0001)
    for h in range(hosts):
        if h % 4 == 0:
            continue
        nmap.dst = str(first + h)
        for port in scan_ports:
            cap.out(nmap.syn(port, tryno=1), gap=0.00002)
    mc.wrpcap(out, [f for f in cap.frames])


if __name__ == '__main__':
    main()
