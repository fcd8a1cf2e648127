#!/usr/bin/env python3
"""Holds a sweep's -oX report to the lab's sweep truth, port by port.

    sweep_check.py REPORT.xml SWEEP_TRUTH

SWEEP_TRUTH is lab.sh's LAB_SWEEP_TRUTH: "ADDRESS tcp PORT STATE REASON" for
the ports of each sweep host's plan; every other TCP port of those hosts is
closed (reset). Every host of the truth must be in the report, up, and every
port the report says it scanned (<scaninfo services>) must be there exactly
once, listed or folded into <extraports> (whose <extrareasons ports=...>
names each one, as nmap 7.93 and scantrace write it), with the truth's state
and reason. Prints one line per host that differs and the count of ports
checked; exit status 1 when anything differs, 2 on unreadable input.
"""
import sys
import xml.etree.ElementTree as ET


def expand(spec):
    """nmap's port list ("1,3-4,6") as the set of its ports."""
    ports = set()
    for part in spec.split(","):
        if not part:
            continue
        lo, _, hi = part.partition("-")
        ports.update(range(int(lo), int(hi or lo) + 1))
    return ports


def main(argv):
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    try:
        root = ET.parse(argv[1]).getroot()
        truth = {}
        with open(argv[2]) as f:
            for line in f:
                addr, proto, port, state, reason = line.split()
                truth.setdefault(addr, {})[(proto, int(port))] = (state, reason)
    except (OSError, ET.ParseError, ValueError) as e:
        print(f"sweep_check: {e}", file=sys.stderr)
        return 2
    scanned = set()
    for info in root.iter("scaninfo"):
        if info.get("protocol") == "tcp":
            scanned |= {("tcp", p) for p in expand(info.get("services", ""))}
    if not scanned:
        print("sweep_check: the report scanned no TCP port")
        return 1
    hosts = {}
    for host in root.iter("host"):
        addr = next((a.get("addr") for a in host.iter("address") if a.get("addrtype") == "ipv4"), None)
        hosts[addr] = host
    bad = 0
    checked = 0
    for addr in sorted(truth, key=lambda a: tuple(int(o) for o in a.split("."))):
        host = hosts.get(addr)
        if host is None or host.find("status").get("state") != "up":
            print(f"{addr}: not reported up")
            bad += 1
            continue
        seen = {}
        for port in host.iter("port"):
            st = port.find("state")
            key = (port.get("protocol"), int(port.get("portid")))
            seen.setdefault(key, []).append((st.get("state"), st.get("reason")))
        for extra in host.iter("extraports"):
            for why in extra.iter("extrareasons"):
                for p in expand(why.get("ports", "")):
                    seen.setdefault((why.get("proto"), p), []).append((extra.get("state"), why.get("reason")))
        wrong = []
        for key in sorted(scanned):
            want = truth[addr].get(key, ("closed", "reset"))
            got = seen.pop(key, [])
            if got != [want]:
                wrong.append(f"{key[1]}/{key[0]} {'+'.join(' '.join(g) for g in got) or 'missing'} (truth: {' '.join(want)})")
            checked += 1
        wrong += [f"{k[1]}/{k[0]} reported but not scanned" for k in sorted(seen)]
        if wrong:
            bad += 1
            print(f"{addr}: {len(wrong)} wrong: " + ", ".join(wrong[:8]) + (" ..." if len(wrong) > 8 else ""))
    print(f"sweep_check: {len(truth)} hosts, {checked} ports checked, {bad} hosts wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
