#!/usr/bin/env bash
# --shards N --shard I --seed S and --merge in the lab: one SYN scan of both
# lab targets (open, closed, dropped and rejected ports) split into 4 shards,
# each with its own -oX and -w; then:
# - every (host, port) pair is probed by exactly one shard (its capture's SYNs)
#   and reported by that shard alone (its -oX), and the shards cover the scan;
# - the merged report is valid against nmap.dtd, ndiff finds no difference from
#   one unsharded run of the same scan, and every port's state and reason,
#   folded ones included, are the unsharded run's; its command line is the
#   unsharded run's (less that run's files), its header names every shard's
#   scan id;
# - a -sn sweep of the lab's addresses (up, down, our own) in 2 shards pings
#   each address from one shard only, and merges into the unsharded sweep;
# - bad shard options stop the scanner with one line before anything is sent.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
LAB=$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
for tool in xmllint:libxml2-utils tshark:tshark ndiff:ndiff python3:python3 dumpcap:wireshark-common; do
    command -v "${tool%%:*}" >/dev/null || die "no ${tool%%:*} (apt-get install ${tool#*:})"
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-shards.XXXXXX")
chmod 755 "$WORK"
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK DTD SCANTRACE_SOURCE_DIR

# Every port of an -oX report, listed or folded into <extraports>, one line
# each: "host proto port state reason"; hosts found down: "host - - down reason".
cat >"$WORK/ports.py" <<'PY'
import sys
import xml.etree.ElementTree as ET

def ports(spec):
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        yield from range(int(lo), int(hi or lo) + 1)

for host in ET.parse(sys.argv[1]).getroot().iter("host"):
    addr = host.find("address[@addrtype='ipv4']").get("addr")
    status = host.find("status")
    if status.get("state") != "up":
        print(addr, "-", "-", status.get("state"), status.get("reason"))
    for extra in host.iter("extraports"):
        for why in extra.iter("extrareasons"):
            for p in ports(why.get("ports")):
                print(addr, why.get("proto"), p, extra.get("state"), why.get("reason"))
    for port in host.iter("port"):
        state = port.find("state")
        print(addr, port.get("protocol"), port.get("portid"), state.get("state"), state.get("reason"))
PY

# Runs inside the scanner namespace; LAB_* come from lab.sh.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
# The lab ports above 300 only: a port named twice gets nmap s duplicate warning.
ports="1-300,$(tr , "\n" <<<"$LAB_TCP_PORTS" | awk "\$1 > 300" | paste -sd, -)"
targets="$LAB_TARGET_IP $LAB_TARGET2_IP"
scan() {
    local name=$1
    shift
    "$SCANTRACE_BIN" -sS -n --reason -p "$ports" "$@" $targets -oX "$WORK/$name.xml" \
        -w "$WORK/$name.pcap" >"$WORK/$name.out" 2>"$WORK/$name.err" ||
        { cat "$WORK/$name.out" "$WORK/$name.err"; echo "FAIL $name exited"; exit 1; }
    check "$name: no warnings" "[[ ! -s $WORK/$name.err ]] || { cat $WORK/$name.err; false; }"
}
# SYN probes in a capture, one line per (host, port) probed, however often
# (not those quoted by ICMP errors).
probed() {
    tshark -r "$WORK/$1.pcap" -Y "ip.src==$LAB_SCANNER_IP && tcp.flags==0x002 && !icmp" \
        -T fields -e ip.dst -e tcp.dstport 2>/dev/null | sort -u
}
listed() { python3 "$WORK/ports.py" "$WORK/$1.xml" | sort; }

for i in 0 1 2 3; do
    scan "shard$i" --shards 4 --shard "$i" --seed 20261201
    probed "shard$i" >"$WORK/probed$i"
    listed "shard$i" | awk "\$2 == \"tcp\" { print \$1 \"\\t\" \$3 }" | sort >"$WORK/listed$i"
    check "shard $i probed exactly the ports it reports ($(wc -l <"$WORK/probed$i"))" \
        "diff -u $WORK/listed$i $WORK/probed$i"
    check "shard $i found both hosts up" "[[ \$(grep -c \"<status state=\\\"up\\\"\" $WORK/shard$i.xml) -eq 2 ]]"
done
scan whole
probed whole >"$WORK/probed-whole"
listed whole | awk "\$2 == \"tcp\" { print \$1 \"\\t\" \$3 }" | sort >"$WORK/listed-whole"
pairs=$(wc -l <"$WORK/probed-whole")
check "the unsharded scan probed every port of both hosts ($pairs pairs)" \
    "(( pairs > 600 )) && diff -u $WORK/listed-whole $WORK/probed-whole"
cat "$WORK"/probed[0-3] | sort >"$WORK/probed-all"
check "each pair probed by exactly one shard" "[[ -z \$(uniq -d $WORK/probed-all) ]]"
check "the shards together probed every pair" "diff -u $WORK/probed-whole <(sort -u $WORK/probed-all)"

"$SCANTRACE_BIN" --merge -oX "$WORK/merged.xml" -oN "$WORK/merged.txt" "$WORK"/shard[0-3].xml \
    >"$WORK/merge.out" 2>"$WORK/merge.err" || { cat "$WORK/merge.err"; echo "FAIL merge exited"; exit 1; }
check "merge: no warnings" "[[ ! -s $WORK/merge.err ]] || { cat $WORK/merge.err; false; }"
check "merged XML valid against nmap.dtd" "xmllint --noout --dtdvalid $DTD $WORK/merged.xml"
check "ndiff: merged = unsharded" "ndiff $WORK/whole.xml $WORK/merged.xml >$WORK/ndiff.out || { cat $WORK/ndiff.out; false; }"
# The merged header: the scan'"'"'s command line as the unsharded run'"'"'s (less
# its own report and capture files), every shard'"'"'s scan id in shard order.
args() { python3 -c "import sys, xml.etree.ElementTree as ET; print(ET.parse(sys.argv[1]).getroot().get(\"args\"))" "$1"; }
scan_ids() { sed -n "s/^<!-- scantrace .* (scan ids\{0,1\} \([0-9a-fx, ]*\)) as: .*/\1/p" "$@" | paste -sd, | sed "s/ //g"; }
check "merged args: the unsharded scan'"'"'s command line less its files" \
    "[[ \"\$(args $WORK/merged.xml)\" == \"\$(args $WORK/whole.xml | sed \"s| -oX [^ ]*||; s| -w [^ ]*||\")\" ]] || { args $WORK/merged.xml; false; }"
check "merged scan ids: the 4 shards'"'"' ($(scan_ids "$WORK"/shard[0-3].xml))" \
    "[[ \$(scan_ids $WORK/merged.xml) == \$(scan_ids $WORK/shard0.xml $WORK/shard1.xml $WORK/shard2.xml $WORK/shard3.xml) ]] && grep -q \"(scan ids \" $WORK/merged.txt"
listed whole >"$WORK/want"
listed merged >"$WORK/got"
check "every port: merged state and reason = unsharded ($(wc -l <"$WORK/want") ports)" \
    "[[ -s $WORK/want ]] && diff -u $WORK/want $WORK/got"
check "states seen: open, closed, filtered" \
    "grep -q \" open syn-ack\" $WORK/got && grep -q \" closed reset\" $WORK/got && grep -q \" filtered no-response\" $WORK/got"
check "merged -oN lists what the unsharded one does" \
    "diff -u <(grep -E \"^[0-9]+/tcp|^Not shown|^All \" $WORK/whole.out) <(grep -E \"^[0-9]+/tcp|^Not shown|^All \" $WORK/merged.txt)"
"$SCANTRACE_BIN" --merge "$WORK"/shard[0-2].xml >/dev/null 2>"$WORK/missing.err" || true
check "a missing shard is warned about" "grep -q \"1 of the 4 shards are missing (3)\" $WORK/missing.err"

# Host discovery alone: each address is one pair.
sweep="${LAB_SCANNER_IP%.*}.1-6"
for i in 0 1; do
    "$SCANTRACE_BIN" -sn -n -v --reason --shards 2 --shard "$i" --seed 5 "$sweep" \
        -oX "$WORK/sn$i.xml" -w "$WORK/sn$i.pcap" >/dev/null
    tshark -r "$WORK/sn$i.pcap" -Y "arp.opcode==1 && arp.src.proto_ipv4==$LAB_SCANNER_IP" \
        -T fields -e arp.dst.proto_ipv4 2>/dev/null | sort -u >"$WORK/asked$i"
done
"$SCANTRACE_BIN" -sn -n -v --reason "$sweep" -oX "$WORK/sn.xml" >/dev/null
"$SCANTRACE_BIN" --merge -oX "$WORK/sn-merged.xml" "$WORK/sn0.xml" "$WORK/sn1.xml" >/dev/null
asked=$(cat "$WORK/asked0" "$WORK/asked1" | sort -u | wc -l)
check "-sn shards: the 5 other addresses ARPed ($asked)" "(( asked == 5 ))"
check "-sn shards: none ARPed by both" "[[ -z \$(cat $WORK/asked0 $WORK/asked1 | sort | uniq -d) ]]"
check "-sn shards: disjoint hosts" \
    "[[ -z \$(cat <(listed sn0) <(listed sn1) | cut -d\" \" -f1 | sort | uniq -d) ]]"
check "-sn merged = unsharded (hosts, up and down)" \
    "diff -u <(listed sn) <(listed sn-merged) && ndiff $WORK/sn.xml $WORK/sn-merged.xml >/dev/null"
check "-sn merged host counts" "grep -q \"<hosts up=\\\"3\\\" down=\\\"3\\\" total=\\\"6\\\"/>\" $WORK/sn-merged.xml"

# Bad shard options: one line on stderr, exit 1, nothing sent (dumpcap watches).
dumpcap -q -i "$LAB_IFACE" -i lo -w "$WORK/bad.pcapng" 2>"$WORK/dumpcap.log" &
dumpcap_pid=$!
dumpcap_ready "$WORK/dumpcap.log"
bad() {
    local rc=0
    "$SCANTRACE_BIN" -n -p 22 "$@" "$LAB_TARGET_IP" -oX "$WORK/bad.xml" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    [[ $rc -eq 1 && $(wc -l <"$WORK/bad.err") -eq 1 && ! -s $WORK/bad.out && ! -e $WORK/bad.xml ]] ||
        { echo "  rc=$rc: $(cat "$WORK/bad.err" "$WORK/bad.out")"; return 1; }
}
check "--shard 4 of 4 refused" "bad --shards 4 --shard 4 --seed 1"
check "--shards 0 refused" "bad --shards 0 --seed 1"
check "--shard without --shards refused" "bad --shard 1 --seed 1"
check "--shards without --seed refused" "bad --shards 4 --shard 1"
check "non-numeric --shards refused" "bad --shards four --shard 1 --seed 1"
check "non-numeric --seed refused" "bad --shards 4 --shard 1 --seed x1"
sleep 0.2
kill -INT "$dumpcap_pid"
wait "$dumpcap_pid" || true
sent=$(capinfos -c -M "$WORK/bad.pcapng" | awk "/^Number of packets/ { print \$NF }")
check "bad options: not one packet on the wire ($sent)" "[[ $sent -eq 0 ]]"
exit $fail
'
rc=0
bash "$LAB" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner shards test failed (exit $rc)"
echo "PASS"
