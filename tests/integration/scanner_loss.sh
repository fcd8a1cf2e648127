#!/usr/bin/env bash
# Loss and ICMP rate limits, emulated by the lab (tests/lab/README.md, Faults):
#  - Linux's default ICMP rate limits on the target (LAB_ICMP_LIMIT=linux: an
#    error a second after a burst of six): a UDP scan of NPORTS closed ports
#    must find every one closed (the scanner slows down to the limiter's pace,
#    as nmap's engine does); nmap's scan of the same ports in the same lab
#    (both start with a full bucket) is timed beside it, a figure printed;
#  - 5% loss each way (LAB_LOSS=5): SYN scans of the lab's TCP plan and a UDP
#    scan of its UDP plan, every port as the truth says.
# The figures are printed, for the README.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
# NPORTS (default 20), ROUNDS (SYN scans under loss, default 4).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
command -v nmap >/dev/null || die "no nmap (apt-get install nmap)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-loss.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK NPORTS=${NPORTS:-20} ROUNDS=${ROUNDS:-4}

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
sleep 7
t0=$(date +%s%N)
nmap -sU -Pn -n --reason -p 2000-$last "$LAB_TARGET2_IP" -oN "$WORK/nmap.txt" >/dev/null
theirs=$(secs "$t0" "$(date +%s%N)")
closed=$(grep -cE "^[0-9]+/udp +closed +.*port-unreach" "$WORK/ours.txt" || true)
folded=$(sed -n "s/^Not shown: \([0-9]*\) closed udp ports (port-unreach).*/\1/p" "$WORK/ours.txt")
nmap_closed=$(grep -cE "^[0-9]+/udp +closed" "$WORK/nmap.txt" || true)
nmap_folded=$(sed -n "s/^Not shown: \([0-9]*\) closed udp ports.*/\1/p" "$WORK/nmap.txt")
echo "ICMP-limited UDP scan of $NPORTS closed ports: scantrace $ours s, $((closed + ${folded:-0})) closed; nmap $theirs s, $((nmap_closed + ${nmap_folded:-0})) closed"
check "ICMP-limited: every one of the $NPORTS ports closed" "[[ $((closed + ${folded:-0})) -eq $NPORTS ]]"
# The two times are figures for the README, not a check: the time nmap takes
# on this scan varies from 7 to 19 s (it may give up on some ports), and speed
# is for the benchmark scripts to judge (scripts/benchmark.sh), not a test.
if [[ $((nmap_closed + ${nmap_folded:-0})) -ne $NPORTS ]]; then
    echo "note nmap called $((NPORTS - nmap_closed - ${nmap_folded:-0})) of the $NPORTS closed ports something else"
fi
# The plan'"'"'s UDP ports: two closed, one admin-prohibited, all ICMP errors.
"$SCANTRACE_BIN" -sU -Pn -n --reason -p "$LAB_UDP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/plan.txt" >/dev/null
grep "^$LAB_TARGET_IP udp " "$LAB_TRUTH" | sort >"$WORK/want-udp"
table "$LAB_TARGET_IP" "$WORK/plan.txt" >"$WORK/got-udp"
check "ICMP-limited: the lab'"'"'s UDP plan as the truth says" "diff -u $WORK/want-udp $WORK/got-udp"
exit $fail
'

# shellcheck disable=SC2016
lossy='
grep "^$LAB_TARGET_IP tcp " "$LAB_TRUTH" | sort >"$WORK/want-tcp"
for round in $(seq "$ROUNDS"); do
    t0=$(date +%s%N)
    "$SCANTRACE_BIN" -sS -Pn -n --reason -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/syn$round.txt" >/dev/null
    took=$(secs "$t0" "$(date +%s%N)")
    table "$LAB_TARGET_IP" "$WORK/syn$round.txt" >"$WORK/got-tcp"
    check "5% loss, SYN scan $round ($took s): every port as the truth says" "diff -u $WORK/want-tcp $WORK/got-tcp"
done
"$SCANTRACE_BIN" -sU -Pn -n --reason -p "$LAB_UDP_PORTS" "$LAB_TARGET_IP" -oN "$WORK/udp.txt" >/dev/null
grep "^$LAB_TARGET_IP udp " "$LAB_TRUTH" | sort >"$WORK/want-udp"
table "$LAB_TARGET_IP" "$WORK/udp.txt" >"$WORK/got-udp"
check "5% loss, UDP scan: every port as the truth says" "diff -u $WORK/want-udp $WORK/got-udp"
exit $fail
'
rc=0
LAB_ICMP_LIMIT=linux bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$common$limited" >"$WORK/limited.log" 2>&1 || rc=$?
LAB_LOSS=5 bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$common$lossy" >"$WORK/lossy.log" 2>&1 || rc=$?
cat "$WORK/limited.log" "$WORK/lossy.log"
((rc == 0)) || die "scanner loss test failed"
echo "PASS"
