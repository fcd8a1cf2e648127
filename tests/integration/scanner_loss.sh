#!/usr/bin/env bash
# Loss and ICMP rate limits, emulated by the lab (tests/lab/README.md, Faults):
#  - Linux's default ICMP rate limits on the target (LAB_ICMP_LIMIT=linux: an
#    error a second after a burst of six): a UDP scan of NPORTS closed ports
#    must find every one closed (the scanner slows down to the limiter's pace,
#    as nmap's engine does); nmap's scan of the same ports in the same lab
#    (both start with a full bucket) is timed beside it, a figure printed;
#  - 5% loss each way (LAB_LOSS=5): SYN scans of the lab's TCP plan and a UDP
#    scan of its UDP plan, every port as the truth says, save a port the loss
#    silenced: with no answer from it in the scan's own -w capture (tshark),
#    the right verdict is the no-response one nmap gives.
# The figures are printed, for the README.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
# NPORTS (default 20), ROUNDS (SYN scans under loss, default 4).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
TSHARK_LEAKS=0 # a few field reads of captures the plugin has no part in
lab_test_start scanner-loss --tshark nmap tshark
export NPORTS=${NPORTS:-20} ROUNDS=${ROUNDS:-4}

# shellcheck disable=SC2016 # expanded by the inner shell
common='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
# table IP FILE: "IP PROTO PORT STATE REASON" from a normal report, the folded
# ports included ("Not shown: 20 closed udp ports (port-unreach)" names none,
# so scans here use --reason and few enough ports to list, or count).
table() { awk -v ip="$1" '\''$1 ~ /^[0-9]+\/(tcp|udp)$/ { split($1, p, "/"); print ip, p[2], p[1], $2, $4 }'\'' "$2" | sort; }
secs() { awk -v a="$1" -v b="$2" "BEGIN { printf \"%.2f\", (b - a) / 1e9 }"; }
'

# shellcheck disable=SC2016
limited='
last=$((2000 + NPORTS - 1))
sleep 7 # the target'"'"'s bucket full again (six tokens, one a second)
t0=$(date +%s%N)
"$SCANTRACE_BIN" -sU -Pn -n --reason -p 2000-$last "$LAB_TARGET2_IP" -oN "$WORK/ours.txt" >/dev/null
ours=$(secs "$t0" "$(date +%s%N)")
# nmap beside it gives a figure, not a check: once, not again under the
# sanitizers (SCANTRACE_SANITIZED=1), which slow the scanner and not nmap.
if [[ ${SCANTRACE_SANITIZED:-0} != 1 ]]; then
    sleep 7
    t0=$(date +%s%N)
    nmap -sU -Pn -n --reason -p 2000-$last "$LAB_TARGET2_IP" -oN "$WORK/nmap.txt" >/dev/null
    theirs="$(secs "$t0" "$(date +%s%N)") s"
else
    theirs="not run (sanitized build)"
    : >"$WORK/nmap.txt"
fi
closed=$(grep -cE "^[0-9]+/udp +closed +.*port-unreach" "$WORK/ours.txt" || true)
folded=$(sed -n "s/^Not shown: \([0-9]*\) closed udp ports (port-unreach).*/\1/p" "$WORK/ours.txt")
nmap_closed=$(grep -cE "^[0-9]+/udp +closed" "$WORK/nmap.txt" || true)
nmap_folded=$(sed -n "s/^Not shown: \([0-9]*\) closed udp ports.*/\1/p" "$WORK/nmap.txt")
[[ -s $WORK/nmap.txt ]] && theirs="$theirs, $((nmap_closed + ${nmap_folded:-0})) closed"
echo "ICMP-limited UDP scan of $NPORTS closed ports: scantrace $ours s, $((closed + ${folded:-0})) closed; nmap $theirs"
check "ICMP-limited: every one of the $NPORTS ports closed" "[[ $((closed + ${folded:-0})) -eq $NPORTS ]]"
# The two times are figures for the README, not a check: the time nmap takes
# on this scan varies from 7 to 19 s (it may give up on some ports), and speed
# is for the benchmark scripts to judge (scripts/benchmark.sh), not a test.
if [[ -s $WORK/nmap.txt && $((nmap_closed + ${nmap_folded:-0})) -ne $NPORTS ]]; then
    echo "note nmap called $((NPORTS - nmap_closed - ${nmap_folded:-0})) of the $NPORTS closed ports something else"
fi
# The plan'"'"'s UDP ports: two closed, one admin-prohibited, all ICMP errors.
"$SCANTRACE_BIN" -sU -Pn -n --reason -p "$LAB_UDP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/plan.txt" >/dev/null
grep "^$LAB_TARGET_IP udp " "$LAB_TRUTH" | sort >"$WORK/want-udp"
table "$LAB_TARGET_IP" "$WORK/plan.txt" >"$WORK/got-udp"
check "ICMP-limited: the lab'"'"'s UDP plan as the truth says" "diff -u $WORK/want-udp $WORK/got-udp"
exit $fail
'

# Under loss the truth is what reached the scanner: a port whose every probe
# or answer the target lost has no answer in the scan's own -w capture, and
# nmap, as the scanner, calls it no-response then (about one port in a hundred
# here). The inner shell scans; the outer one judges, with tshark.
# shellcheck disable=SC2016
lossy='
cp "$LAB_TRUTH" "$WORK/truth"
echo "$LAB_TARGET_IP" >"$WORK/target"
for round in $(seq "$ROUNDS"); do
    t0=$(date +%s%N)
    "$SCANTRACE_BIN" -sS -Pn -n --reason -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/syn$round.txt" -w "$WORK/syn$round.pcap" >/dev/null
    echo "$(secs "$t0" "$(date +%s%N)")" >"$WORK/syn$round.time"
done
"$SCANTRACE_BIN" -sU -Pn -n --reason -p "$LAB_UDP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/udp.txt" -w "$WORK/udp.pcap" >/dev/null
'
# answered PROTO PCAP: the target's PROTO ports that answered in the capture,
# one a line: segments or datagrams from the port, ICMP errors quoting a probe
# to it.
answered() {
    local target file
    target=$(cat "$WORK/target")
    file=$(tshark_file "$2")
    {
        tshark_unpriv -r "$file" -Y "ip.src == $target && $1 && !icmp" -T fields -e "$1.srcport"
        tshark_unpriv -r "$file" -Y "ip.src == $target && icmp.type == 3" -T fields -e "$1.dstport"
    } | sort -u
}
# tries PROTO PCAP PORT: how many probes the capture holds to PORT.
tries() {
    tshark_unpriv -r "$(tshark_file "$2")" -Y "ip.dst == $(cat "$WORK/target") && $1.dstport == $3 && !icmp" | wc -l
}
# expect PROTO PCAP: the truth's lines for PROTO, a port with no answer in the
# capture turned into the no-response verdict nmap gives it, if the scanner
# tried it again (a lost answer on the first try alone is the scanner's fault).
expect() {
    local target silent
    target=$(cat "$WORK/target")
    silent=$([[ $1 == tcp ]] && echo filtered || echo "open|filtered")
    answered "$1" "$2" >"$WORK/answered"
    grep "^$target $1 " "$WORK/truth" | while read -r ip proto port state reason; do
        if grep -qx "$port" "$WORK/answered" || (($(tries "$1" "$2" "$port") < 2)); then
            echo "$ip $proto $port $state $reason"
        else
            echo "$ip $proto $port $silent no-response"
            [[ $reason == no-response ]] || echo "note $proto/$port: nothing came back through the loss" >&2
        fi
    done | sort
}
table() { awk -v ip="$1" '$1 ~ /^[0-9]+\/(tcp|udp)$/ { split($1, p, "/"); print ip, p[2], p[1], $2, $4 }' "$2" | sort; }
judge() {
    local name=$1 proto=$2 base=$3
    expect "$proto" "$WORK/$base.pcap" >"$WORK/want"
    table "$(cat "$WORK/target")" "$WORK/$base.txt" >"$WORK/got"
    if diff -u "$WORK/want" "$WORK/got"; then echo "ok   $name"; else echo "FAIL $name"; lossy_fail=1; fi
}
rc=0
LAB_ICMP_LIMIT=linux bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$common$limited" >"$WORK/limited.log" 2>&1 || rc=$?
LAB_LOSS=5 bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$common$lossy" >"$WORK/lossy.log" 2>&1 || rc=$?
cat "$WORK/limited.log" "$WORK/lossy.log"
lossy_fail=0
for round in $(seq "$ROUNDS"); do
    judge "5% loss, SYN scan $round ($(cat "$WORK/syn$round.time") s): every port as the truth says" tcp "syn$round"
done
judge "5% loss, UDP scan: every port as the truth says" udp udp
((lossy_fail == 0)) || rc=1
((rc == 0)) || die "scanner loss test failed"
echo "PASS"
