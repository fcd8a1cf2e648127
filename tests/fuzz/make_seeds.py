#!/usr/bin/env python3
"""Seeds for fuzz_packet from captures: each frame of each pcap or pcapng file
given becomes one file, a link-type selector byte (fuzz_packet.c's order:
Ethernet, Linux cooked, BSD null, raw IP, OpenBSD loop, Linux cooked v2, IPv4)
followed by the frame.

The captures are IPv4 scans: so that the fuzzer starts from IPv6 too, each IPv4
packet is also written translated to IPv6 (raw IP selector), ICMP as ICMPv6
(RFC 4443 numbers; an error's quote translated the same way), three times: with
no extension header, behind hop-by-hop and destination options, and behind a
first-fragment header (RFC 8200 section 4).

    make_seeds.py OUT_DIR CAPTURE...
"""
import os
import struct
import sys

# fuzz_packet.c's dlts[] index for each LINKTYPE we meet in captures/.
SELECTOR = {1: 0, 113: 1, 0: 2, 101: 3, 12: 3, 108: 4, 276: 5, 228: 6}


def pcap_frames(data):
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        yield linktype, data[off + 16:off + 16 + caplen]
        off += 16 + caplen


def pcapng_frames(data):
    endian, off, links = "<", 0, []
    while off + 12 <= len(data):
        btype = struct.unpack(endian + "I", data[off:off + 4])[0]
        if btype == 0x0A0D0D0A:
            endian = "<" if data[off + 8:off + 12] == b"\x4d\x3c\x2b\x1a" else ">"
            btype = 0x0A0D0D0A
            links = []
        blen = struct.unpack(endian + "I", data[off + 4:off + 8])[0]
        if blen < 12:
            return
        body = data[off + 8:off + blen - 4]
        if btype == 1:
            links.append(struct.unpack(endian + "H", body[:2])[0])
        elif btype == 6 and len(body) >= 20:
            iface, _, _, caplen = struct.unpack(endian + "IIII", body[:16])
            if iface < len(links):
                yield links[iface], body[20:20 + caplen]
        off += blen


# Where the IPv4 header starts for each LINKTYPE, and the link's type field.
IP_OFFSET = {1: 14, 113: 16, 0: 4, 101: 0, 12: 0, 108: 4, 276: 20, 228: 0}
# ICMPv4 type -> (ICMPv6 type, {code: code}); errors quote a packet.
ICMP6 = {8: (128, None), 0: (129, None), 11: (3, None),
         3: (1, {0: 0, 1: 3, 2: 4, 3: 4, 9: 1, 10: 1, 13: 1})}


def v4_address(a):
    return b"\x20\x01\x0d\xb8" + bytes(8) + a


def to_ipv6(ip, ext):
    """The IPv4 packet ip as IPv6 behind the extension headers ext (a list of
    (kind, bytes)); None if ip is not IPv4."""
    if len(ip) < 20 or ip[0] >> 4 != 4:
        return None
    ihl = (ip[0] & 15) * 4
    if ihl < 20 or ihl > len(ip):
        return None
    proto, body = ip[9], bytearray(ip[ihl:])
    if proto == 1:
        if len(body) < 8 or body[0] not in ICMP6:
            return None
        proto = 58
        kind, codes = ICMP6[body[0]]
        body[0] = kind
        if codes is not None:
            body[1] = codes.get(body[1], 0)
        if kind < 128:
            quoted = to_ipv6(bytes(body[8:]), [])
            body = body[:8] + (quoted or b"")
    chain, nexts = b"", [k for k, _ in ext] + [proto]
    for (kind, data), nxt in zip(ext, nexts[1:]):
        chain += bytes([nxt]) + data
    head = bytes([0x60, 0, 0, 0]) + struct.pack(">H", len(chain) + len(body))
    head += bytes([nexts[0], ip[8]]) + v4_address(ip[12:16]) + v4_address(ip[16:20])
    return head + chain + bytes(body)


EXTENSIONS = [
    [],
    [(0, bytes([0, 1, 4, 0, 0, 0, 0])), (60, bytes([0, 1, 4, 0, 0, 0, 0]))],
    [(44, bytes([0, 0, 1, 0x12, 0x34, 0x56, 0x78]))],
]


def main():
    out, captures = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    n = 0
    for path in captures:
        with open(path, "rb") as f:
            data = f.read()
        frames = pcapng_frames(data) if data[:4] == b"\x0a\x0d\x0d\x0a" else pcap_frames(data)
        for linktype, frame in frames:
            if linktype in SELECTOR:
                with open(os.path.join(out, "seed-%06d" % n), "wb") as f:
                    f.write(bytes([SELECTOR[linktype]]) + frame)
                n += 1
            for ext in EXTENSIONS if linktype in IP_OFFSET else []:
                six = to_ipv6(frame[IP_OFFSET[linktype]:], ext)
                if six:
                    with open(os.path.join(out, "seed-%06d" % n), "wb") as f:
                        f.write(bytes([SELECTOR[101]]) + six)
                    n += 1
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main()
