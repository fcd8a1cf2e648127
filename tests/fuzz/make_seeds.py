#!/usr/bin/env python3
"""Seeds for fuzz_packet from captures: each frame of each pcap or pcapng file
given becomes one file, a link-type selector byte (fuzz_packet.c's order:
Ethernet, Linux cooked, BSD null, raw IP, OpenBSD loop, Linux cooked v2, IPv4)
followed by the frame.

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
    print("%d seeds in %s" % (n, out))


if __name__ == "__main__":
    main()
