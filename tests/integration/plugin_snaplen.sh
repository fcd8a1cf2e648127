#!/usr/bin/env bash
# Short snapshot lengths (editcap -s, dumpcap -s): every port of a capture read
# whole gets the same verdict from a copy cut at a snapshot length, or the cut
# copy says why it may not (scantrace.snaplen): a note naming the port (a tag
# cut off, a verdict between hosts some of whose frames could not be read), or,
# where the cut came before any port (a transport header, an ICMP error's quote
# cut before the quoted ports), a note on a frame to or from the port's host.
# Never a silent different verdict. Also the cases read right despite the cut:
# scantrace -sU's probes that carry a request (53, 123, 161), their tag at the
# end, read by their cookie at 62 and 68 bytes, and its ICMP errors tied by the
# quoted IP header at 62 (plugin/README.md, "How replies are tied and judged").
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/python.sh"
command -v python3 >/dev/null || { echo "skipped: python3 is not installed"; exit 77; }
TSHARK_LEAKS=0 # leaks are plugin_expected's job (tests/lib/tshark.sh)
tshark_setup
dir=$TSHARK_HOME/captures
failed=0

# read CAPTURE OUT: the port table (HOST<TAB>PORT/PROTO<TAB>STATE REASON) into
# OUT.tab, the snapshot length notes (SRC<TAB>DST<TAB>MESSAGES) into OUT.notes.
read_capture() {
    tshark_unpriv -r "$1" -2 -Y scantrace.snaplen -T fields -E separator=/t -e ip.src -e ip.dst \
        -e ipv6.src -e ipv6.dst -e _ws.expert.message -z scantrace,ports |
        "$PY" -c '
import ipaddress, re, sys
tab, notes = open(sys.argv[1] + ".tab", "w"), open(sys.argv[1] + ".notes", "w")
host = None
for line in sys.stdin:
    f = line.rstrip("\n").split("\t")
    if len(f) == 5:  # a noted frame: the outer addresses (a quote adds its own after a comma)
        notes.write("\t".join([(f[0] or f[2]).split(",")[0], (f[1] or f[3]).split(",")[0], f[4]]) + "\n")
        continue
    tok = line.split()
    if tok and not line.startswith(" "):
        try:
            ipaddress.ip_address(tok[0]); host = tok[0]; continue
        except ValueError:
            pass
    m = re.match(r"^\s*(\d+/\w+)\s+(\S+)\s+(\S+)", line)
    if m and host:
        tab.write(f"{host}\t{m.group(1)}\t{m.group(2)} {m.group(3)}\n")
' "$2"
}

# rule WHOLE CUT: every port of WHOLE.tab is in CUT.tab alike, or CUT.notes says why.
# Prints "same N noted M"; fails on a silent difference.
rule() {
    "$PY" - "$1" "$2" <<'PY'
import sys
whole = [l.rstrip("\n").split("\t") for l in open(sys.argv[1] + ".tab") if l.strip()]
cut = {l.rstrip("\n") for l in open(sys.argv[2] + ".tab") if l.strip()}
notes = [l.rstrip("\n").split("\t") for l in open(sys.argv[2] + ".notes") if l.strip()]
portless = ("before the quoted ports", "Transport header cut")
same = noted = silent = 0
for host, port, verdict in whole:
    if "\t".join([host, port, verdict]) in cut:
        same += 1
    elif any(f"{host} {port}" in n[2] for n in notes) or any(
            host in n[:2] and any(p in n[2] for p in portless) for n in notes):
        noted += 1
    else:
        silent += 1
        print(f"SILENT {host} {port}: {verdict} whole, cut: " +
              (" ".join(l.split("\t")[2] for l in cut if l.startswith(f"{host}\t{port}\t")) or "absent"))
print(f"same {same} noted {noted}")
sys.exit(1 if silent or not whole else 0)
PY
}

# check CAPTURE SNAPLEN...: the rule at each snapshot length. Sets $same_at_<snaplen>.
check() {
    local capture=$1 name
    shift
    name=$(basename "${capture%.*}")
    cp "$capture" "$dir/$name.pcapng"
    chmod a+r "$dir/$name.pcapng"
    read_capture "$dir/$name.pcapng" "$dir/$name"
    for snaplen in "$@"; do
        editcap -s "$snaplen" "$capture" "$dir/$name-s$snaplen.pcapng"
        chmod a+r "$dir/$name-s$snaplen.pcapng"
        read_capture "$dir/$name-s$snaplen.pcapng" "$dir/$name-s$snaplen"
        if out=$(rule "$dir/$name" "$dir/$name-s$snaplen"); then
            echo "ok   $name at $snaplen bytes: ${out##*$'\n'}"
        else
            echo "FAIL $name at $snaplen bytes:"
            echo "$out"
            failed=$((failed + 1))
        fi
    done
}

# want DESCRIPTION COMMAND...: a value the cut copy must still give.
want() {
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what" && failed=$((failed + 1)); fi
}

captures=$SCANTRACE_SOURCE_DIR/captures
# Seven tshark runs (some 10 s): scantrace -sU with request-carrying probes and
# ICMP errors; nmap -6's SYN, UDP and discovery scans.
check "$captures/udp-scan.pcapng" 54 62 68
check "$captures/nmap6-scans.pcapng" 68 96
# A probe whose tag is cut but whose cookie is there is read as the whole one is.
for snaplen in 62 68; do
    want "udp-scan at $snaplen: every port as read whole" \
        diff -q "$dir/udp-scan.tab" "$dir/udp-scan-s$snaplen.tab"
done
want "udp-scan at 68: 53/udp's probe (84 bytes) read by its cookie, with a note" \
    grep -q "Tag cut off by the snapshot length (68 of 84 bytes): read as scantrace's UDP probe" \
    "$dir/udp-scan-s68.notes"
want "nmap6-scans at 68: its ICMPv6 errors cut before the quoted ports say so" \
    grep -q "quote cut by the snapshot length (68 of" "$dir/nmap6-scans-s68.notes"
# Ordinary connections (scapy, offline: handshakes with the kernel's options
# and data) cut at 60 and 68 bytes, where every SYN loses its options: nobody's
# probes, no note. Our own SYN scan cut at 60 still says its tags were cut.
if "$PY" - "$dir/ordinary.pcap" <<'PY' 2>/dev/null; then
import sys
from scapy.all import Ether, IP, TCP, Raw, wrpcap
syn = [("MSS", 1460), ("SAckOK", b""), ("Timestamp", (1, 0)), ("NOP", None), ("WScale", 7)]
ts = [("NOP", None), ("NOP", None), ("Timestamp", (2, 1))]
frames = []
for i in range(20):
    a, b, sp = "192.0.2.1", "198.51.100.7", 40000 + i
    e = lambda: Ether(src="02:00:00:00:00:01", dst="02:00:00:00:00:02")
    frames += [e() / IP(src=a, dst=b) / TCP(sport=sp, dport=443, flags="S", seq=9, options=syn),
               e() / IP(src=b, dst=a) / TCP(sport=443, dport=sp, flags="SA", seq=5, ack=10, options=syn),
               e() / IP(src=a, dst=b) / TCP(sport=sp, dport=443, flags="A", seq=10, ack=6, options=ts),
               e() / IP(src=a, dst=b) / TCP(sport=sp, dport=443, flags="PA", seq=10, ack=6, options=ts) / Raw(b"x" * 300)]
for n, f in enumerate(frames):
    f.time = 1000 + n / 100
wrpcap(sys.argv[1], frames)
PY
    for snaplen in 60 68; do
        editcap -s "$snaplen" "$dir/ordinary.pcap" "$dir/ordinary-s$snaplen.pcap"
        chmod a+r "$dir/ordinary-s$snaplen.pcap"
        notes=$(tshark_unpriv -r "$dir/ordinary-s$snaplen.pcap" -2 -Y scantrace.snaplen | wc -l)
        want "ordinary connections at $snaplen bytes: no note ($notes)" test "$notes" -eq 0
    done
else
    echo "note: no scapy: the ordinary connections skip"
fi
editcap -s 60 "$captures/syn-scan.pcapng" "$dir/syn-scan-s60.pcapng"
chmod a+r "$dir/syn-scan-s60.pcapng"
notes=$(tshark_unpriv -r "$dir/syn-scan-s60.pcapng" -2 -Y 'scantrace.snaplen' | wc -l)
want "syn-scan at 60 bytes: its probes' cut tags noted ($notes frames)" test "$notes" -gt 0
((failed == 0))
