#!/usr/bin/env bash
# A sweep of many hosts: the lab with 16 more targets (LAB_SWEEP_HOSTS, each
# with two open ports, one dropped, one rejected and the rest closed, where
# they lie moving from host to host), scanned by scantrace's default scan
# (ARP discovery, the top 1000 TCP ports) once as is and once with -w (whose
# capture filter also takes our own packets); every port of every host must
# be as the lab's sweep truth says (tests/lib/sweep_check.py). The check is
# first shown to fail on a report with one port changed.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
lab_test_start scanner-sweep python3
export SWEEP_CHECK=$SCANTRACE_SOURCE_DIR/tests/lib/sweep_check.py
export LAB_SWEEP_HOSTS=${LAB_SWEEP_HOSTS:-16}

# Runs inside the scanner namespace; LAB_* come from lab.sh.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
[[ -n $LAB_SWEEP_TARGETS && -s $LAB_SWEEP_TRUTH ]] || { echo "FAIL the lab made no sweep hosts"; exit 1; }
run() { # NAME SCANTRACE-ARGS...
    local name=$1 start end
    shift
    start=$(date +%s.%N)
    if ! "$SCANTRACE_BIN" -sS -n "$@" "$LAB_SWEEP_TARGETS" -oX "$WORK/$name.xml" >"$WORK/$name.out" 2>"$WORK/$name.err"; then
        cat "$WORK/$name.out" "$WORK/$name.err"
        echo "FAIL $name: scantrace exited non-zero"
        fail=1
        return
    fi
    end=$(date +%s.%N)
    [[ ! -s $WORK/$name.err ]] || { cat "$WORK/$name.err"; echo "FAIL $name: warnings"; fail=1; }
    if python3 "$SWEEP_CHECK" "$WORK/$name.xml" "$LAB_SWEEP_TRUTH"; then
        echo "ok   $name: every port of $LAB_SWEEP_HOSTS hosts as the truth says ($(awk -v s="$start" -v e="$end" "BEGIN {printf \"%.2f\", e - s}") s)"
    else
        echo "FAIL $name: ports differ from the truth"
        fail=1
    fi
}
run plain
run capture -w "$WORK/sweep.pcapng"

# The check can fail: the first open port of the first host made closed.
first=$(head -1 "$LAB_SWEEP_TRUTH")
read -r addr _ port _ <<<"$first"
grep -q "portid=\"$port\"><state state=\"open\"" "$WORK/plain.xml" ||
    { echo "FAIL no open port $port in the report"; exit 1; }
awk -v addr="$addr" -v port="$port" '\''
    index($0, "addr=\"" addr "\"") { host = 1 }
    host && !done && index($0, "portid=\"" port "\"><state state=\"open\" reason=\"syn-ack\"") {
        sub("state=\"open\" reason=\"syn-ack\"", "state=\"closed\" reason=\"reset\""); done = 1 }
    { print }'\'' "$WORK/plain.xml" >"$WORK/changed.xml"
if python3 "$SWEEP_CHECK" "$WORK/changed.xml" "$LAB_SWEEP_TRUTH" >"$WORK/changed.out"; then
    echo "FAIL the check passed a report with $addr port $port changed"
    fail=1
else
    grep "^$addr:" "$WORK/changed.out" && echo "ok   the check fails on a changed port"
fi
exit "$fail"
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner"
