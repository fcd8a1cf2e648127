#!/usr/bin/python3
"""Makes SCTP answers offline, for a host that has SCTP (the lab's kernel has
none: every INIT gets ICMP protocol unreachable).

    sctp_answers.py IN OUT PLAN

IN is a real capture of an SCTP scan (-sY or -sZ, nmap's or scantrace's, IPv4
or IPv6, Ethernet); OUT gets the same packets with the target's answers to the
ports PLAN names made as a Linux SCTP stack makes them, right after each probe
(50 us later), in place of what the lab's target sent:

    PLAN  "80=init-ack,7=abort,9=silent": PORT=ANSWER, comma-separated
    init-ack  an INIT ACK (RFC 9260 section 3.3.3) under the INIT's initiate
              tag, with a State Cookie that holds the INIT, as Linux's does
    abort     an ABORT (section 3.3.7): to an INIT under its initiate tag, T
              bit clear (section 8.4 rule 3); to a COOKIE ECHO under its own
              verification tag, T bit set (rule 8)
    silent    nothing: the ICMP error the lab sent is left out

Other ports keep what the lab answered. scapy only builds and writes the
packets (wrpcap): nothing is sent. Exit 2 on bad arguments, 3 when IN holds no
SCTP probe to a port of PLAN."""
import sys

from scapy.all import Ether, IP, IPv6, rdpcap, wrpcap
from scapy.layers.inet import ICMP, IPerror
from scapy.layers.inet6 import IPerror6
from scapy.layers.sctp import (SCTP, SCTPChunkAbort, SCTPChunkCookieEcho,
                               SCTPChunkInit, SCTPChunkInitAck,
                               SCTPChunkParamStateCookie)

ANSWERS = ("init-ack", "abort", "silent")


def parse_plan(text):
    plan = {}
    for item in text.split(","):
        port, _, answer = item.partition("=")
        if not port.isdigit() or answer not in ANSWERS:
            sys.exit(f"sctp_answers.py: bad plan item {item!r} (PORT=init-ack|abort|silent)")
        plan[int(port)] = answer
    return plan


def ip_layer(pkt):
    return pkt[IP] if IP in pkt else pkt[IPv6] if IPv6 in pkt else None


def quoted_sctp_port(pkt):
    """The destination port of the SCTP packet an ICMP error quotes, if any."""
    quote = pkt.getlayer(IPerror) or pkt.getlayer(IPerror6)
    if quote is None:
        return None
    raw = bytes(quote.payload)
    nh = quote.proto if IPerror in pkt else quote.nh
    if nh != 132 or len(raw) < 4:
        return None
    return int.from_bytes(raw[2:4], "big")


def answer(probe, kind):
    """The target's answer to probe (an Ethernet frame holding an SCTP INIT or
    COOKIE ECHO)."""
    ip = ip_layer(probe)
    sctp = probe[SCTP]
    eth = Ether(src=probe[Ether].dst, dst=probe[Ether].src, type=probe[Ether].type)
    if IP in probe:
        net = IP(src=ip.dst, dst=ip.src, ttl=64, flags="DF", id=0)
    else:
        net = IPv6(src=ip.dst, dst=ip.src, hlim=64)
    init = sctp.getlayer(SCTPChunkInit)
    own_tag = (sctp.dport * 2654435761) & 0xFFFFFFFF or 1  # the target's initiate tag
    if kind == "init-ack":
        cookie = bytes(init)[:64].ljust(64, b"\0")  # Linux's cookie carries the INIT
        chunk = SCTPChunkInitAck(init_tag=own_tag, a_rwnd=106496, n_out_streams=10,
                                 n_in_streams=init.n_out_streams, init_tsn=own_tag,
                                 params=[SCTPChunkParamStateCookie(cookie=cookie)])
        vtag = init.init_tag
    elif init is not None:
        chunk, vtag = SCTPChunkAbort(TCB=0), init.init_tag
    else:
        chunk, vtag = SCTPChunkAbort(TCB=1), sctp.tag
    reply = eth / net / SCTP(sport=sctp.dport, dport=sctp.sport, tag=vtag) / chunk
    reply = reply.__class__(bytes(reply))  # checksum (CRC32c) and lengths filled in
    reply.time = probe.time + 0.00005
    return reply


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    plan = parse_plan(argv[3])
    packets = rdpcap(argv[1])
    scanner = None
    out, answered = [], 0
    for pkt in packets:
        sctp = pkt.getlayer(SCTP)
        is_probe = sctp is not None and (SCTPChunkInit in pkt or SCTPChunkCookieEcho in pkt)
        if is_probe:
            scanner = scanner or ip_layer(pkt).src
        port = quoted_sctp_port(pkt) if ICMP in pkt or IPerror6 in pkt else None
        if port in plan and ip_layer(pkt).dst == scanner:
            continue  # the lab's answer, replaced
        out.append(pkt)
        if is_probe and sctp.dport in plan and plan[sctp.dport] != "silent":
            out.append(answer(pkt, plan[sctp.dport]))
            answered += 1
    if not answered and "silent" not in plan.values():
        sys.exit(3)
    out.sort(key=lambda p: p.time)
    wrpcap(argv[2], out)


if __name__ == "__main__":
    main(sys.argv)
