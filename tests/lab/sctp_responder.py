#!/usr/bin/env python3
"""An SCTP endpoint's answers, for the lab's target, whose kernel has no SCTP.

    sctp_responder.py ADDRESS PLAN READY-FILE

Run inside the target's namespace (ip netns exec "$LAB_TARGET_NS"). It opens
a raw socket of protocol 132 bound to ADDRESS (the target's IPv4 or IPv6
address: the answers leave from it), which also stops the kernel's protocol
unreachable for that address (Linux hands a protocol it has no handler for to
a raw socket instead), and answers each INIT or COOKIE ECHO to a port PLAN
names as an SCTP stack does, to the packet's source only:

    PLAN  "80=init-ack,7=abort": PORT=ANSWER, comma-separated
    init-ack  an INIT ACK (RFC 9260 section 3.3.3) under the INIT's initiate
              tag, with a State Cookie that holds the INIT, as Linux's does;
              to a COOKIE ECHO, nothing (its cookie is none of ours: 5.1.5)
    abort     an ABORT (3.3.7): to an INIT under its initiate tag, T bit
              clear (8.4 rule 3); to a COOKIE ECHO under its own tag, T bit
              set (8.4 rule 8)

Other ports get nothing. The checksum is CRC32c (RFC 9260 appendix A),
computed here independently of the scanner's. Writes READY-FILE once the
socket is open; runs until killed. Plain sockets and struct: no scapy."""
import socket
import struct
import sys

CRC_TABLE = []
for n in range(256):
    c = n
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    CRC_TABLE.append(c)


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc = CRC_TABLE[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def packet(sport, dport, vtag, chunks):
    body = struct.pack("!HHII", sport, dport, vtag, 0) + chunks
    crc = crc32c(body)
    return body[:8] + struct.pack("<I", crc) + body[12:]


def chunk(ctype, flags, value):
    data = struct.pack("!BBH", ctype, flags, 4 + len(value)) + value
    return data + b"\0" * (-len(data) % 4)


def answer(sctp, plan):
    """The answer to one SCTP packet (common header on), or None."""
    if len(sctp) < 16:
        return None
    sport, dport, vtag = struct.unpack("!HHI", sctp[:8])
    ctype = sctp[12]
    kind = plan.get(dport)
    if kind is None:
        return None
    if ctype == 1 and len(sctp) >= 32:  # INIT
        itag, _, n_out, _, _ = struct.unpack("!IIHHI", sctp[16:32])
        if kind == "abort":
            return packet(dport, sport, itag, chunk(6, 0, b""))
        own = (dport * 2654435761) & 0xFFFFFFFF or 1
        init = sctp[12:12 + struct.unpack("!H", sctp[14:16])[0]]
        cookie = struct.pack("!HH", 7, 4 + len(init)) + init
        cookie += b"\0" * (-len(cookie) % 4)
        value = struct.pack("!IIHHI", own, 106496, 10, n_out, own) + cookie
        return packet(dport, sport, itag, chunk(2, 0, value))
    if ctype == 10 and kind == "abort":  # COOKIE ECHO
        return packet(dport, sport, vtag, chunk(6, 1, b""))
    return None


def main(argv):
    if len(argv) != 4:
        sys.exit(__doc__.split("\n\n")[1])
    plan = {}
    for item in argv[2].split(","):
        port, _, kind = item.partition("=")
        if not port.isdigit() or kind not in ("init-ack", "abort"):
            sys.exit(f"sctp_responder.py: bad plan item {item!r}")
        plan[int(port)] = kind
    family = socket.AF_INET6 if ":" in argv[1] else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_RAW, 132)
    sock.bind((argv[1], 0))
    with open(argv[3], "w") as ready:
        ready.write("ready\n")
    while True:
        data, addr = sock.recvfrom(65535)
        if family == socket.AF_INET:
            data = data[(data[0] & 0x0F) * 4:]  # IPv4 raw sockets get the header
        reply = answer(data, plan)
        if reply is not None:
            sock.sendto(reply, addr[:2] if family == socket.AF_INET6 else (addr[0], 0))


if __name__ == "__main__":
    main(sys.argv)
