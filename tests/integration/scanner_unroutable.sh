#!/usr/bin/env bash
# Targets the kernel has no route to, as nmap 7.93 takes them: each is left out
# with "setup_target: failed to determine route to ADDR" (stderr and -oN), a
# <target ... status="skipped" reason="invalid"/> in -oX, nothing in -oG, no
# count in the done line, and the rest are scanned (exit 0); a scan without raw
# packets (-sT -Pn, -sn -Pn, no raw socket) scans it, as nmap. Every case runs
# nmap and scantrace side by side in the lab's scanner namespace, which has no
# default route: nothing can be sent to 10.99.0.0/16 or fd99::/16 by either.
# Then a SIGINT and a SIGTERM while a huge range (10.201.0.0/0) is being routed,
# in a new network namespace with no route at all: the run ends within 3 s with
# nmap's status after a signal (1) and its one line.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
lab_test_start scanner-unroutable nmap unshare

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
# both NAME ARGS...: nmap and scantrace with -oN -oX -oG; compares what each
# says of the unroutable targets, the exit status and the done line.
both() {
    local name=$1 tool
    shift
    for tool in nmap st; do
        local bin=nmap rc=0
        [[ $tool == st ]] && bin=$SCANTRACE_BIN
        "$bin" -oN "$WORK/$tool.nmap" -oX "$WORK/$tool.xml" -oG "$WORK/$tool.gnmap" "$@" \
            >"$WORK/$tool.out" 2>"$WORK/$tool.err" || rc=$?
        echo "$rc" >"$WORK/$tool.rc"
        grep "^setup_target" "$WORK/$tool.err" >"$WORK/$tool.err.lines" || true
        grep "^setup_target" "$WORK/$tool.nmap" >"$WORK/$tool.nmap.lines" || true
        grep "^<target " "$WORK/$tool.xml" >"$WORK/$tool.xml.lines" || true
        grep -o "[0-9]* IP address.*up)" "$WORK/$tool.out" >"$WORK/$tool.done" || true
        grep -c "^WARNING: No targets" "$WORK/$tool.err" >"$WORK/$tool.none" || true
    done
    local skipped
    skipped=$(wc -l <"$WORK/nmap.err.lines")
    check "$name: exit status $(cat "$WORK/st.rc"), nmap $(cat "$WORK/nmap.rc")" \
        "cmp -s $WORK/nmap.rc $WORK/st.rc"
    check "$name: nmap skips $skipped, the same lines on stderr" \
        "[[ $skipped -gt 0 ]] && diff $WORK/nmap.err.lines $WORK/st.err.lines"
    check "$name: the same lines in -oN" \
        "[[ -s $WORK/st.nmap.lines ]] && diff $WORK/nmap.nmap.lines $WORK/st.nmap.lines"
    check "$name: the same <target> elements in -oX" \
        "[[ -s $WORK/st.xml.lines ]] && diff $WORK/nmap.xml.lines $WORK/st.xml.lines"
    check "$name: nothing of them in -oG (but the command line)" \
        "! grep -v \"^#\" $WORK/st.gnmap | grep -q -e 10.99 -e fd99"
    check "$name: done line \"$(cat "$WORK/st.done")\", nmap \"$(cat "$WORK/nmap.done")\"" \
        "[[ -s $WORK/st.done ]] && diff $WORK/nmap.done $WORK/st.done"
    check "$name: the no-targets warning as nmap ($(cat "$WORK/nmap.none"))" \
        "diff $WORK/nmap.none $WORK/st.none"
}
both "mix, -sS" -sS -p 22 -n 10.99.0.1 "$LAB_TARGET_IP" 10.99.0.2 "$LAB_TARGET2_IP"
check "mix, -sS: the routed targets scanned" \
    "[[ \$(grep -c \"^22/tcp open\" $WORK/st.out) -eq 1 && \$(grep -c \"^22/tcp closed\" $WORK/st.out) -eq 1 ]]"
# nmap routes a target only for raw packets (setup_target(), targets.cc):
# -sT with pings (as root) needs one.
both "mix, -sT" -sT -p 22 -n "$LAB_TARGET_IP" 10.99.0.1
both "every target unroutable" -sS -p 22 -n 10.99.0.1
both "-sn of a /23, one /24 routed" -sn -n "${LAB_TARGET_IP%.*}.0/23"
if [[ -n ${LAB_TARGET_IP6:-} ]]; then
    both "IPv6 mix" -6 -sS -p 22 -n fd99::1 "$LAB_TARGET_IP6"
fi

# Without raw packets (-sT -Pn, -sn -Pn, no raw socket) nmap does not route:
# the target is scanned, connect() fails (ENETUNREACH) with nothing sent, and
# the reports (the latencies, times and the order of the "Discovered" lines
# taken out) are the same.
same_report() {
    local name=$1 tool
    shift
    for tool in nmap st; do
        local bin=nmap rc=0
        [[ $tool == st ]] && bin=$SCANTRACE_BIN
        # stderr holds nmap -v -Pn'"'"'s "Host discovery disabled (-Pn)..." note too.
        "$bin" "$@" >"$WORK/$tool.out" 2>"$WORK/$tool.err" || rc=$?
        echo "rc=$rc" >>"$WORK/$tool.out"
        sed -e "/^Starting /d" -e "s/^Nmap scan report/Scan report/" -e "s/^Nmap done/scantrace done/" \
            -e "/^Read data files from/d" -e "/^Discovered open port/d" \
            -e "s/ at [0-9:]*\([ ,]\)/ at T\1/" -e "s/, [0-9.]*s elapsed/, Ns elapsed/" -e "s/ ([0-9.]*s latency)//" -e "s/ scanned in .*//" "$WORK/$tool.out" >"$WORK/$tool.norm"
    done
    check "$name: the same report as nmap, and 10.99.0.1 in it" \
        "grep -q \"report for 10.99.0.1\" $WORK/st.norm && diff $WORK/nmap.norm $WORK/st.norm"
    check "$name: the same stderr as nmap, no setup_target line" \
        "diff $WORK/nmap.err $WORK/st.err && ! grep -q setup_target $WORK/st.err"
}
same_report "-sT -Pn -v" --reason -v -sT -Pn -p 22,80 -n "$LAB_TARGET_IP" 10.99.0.1
same_report "-sn -Pn" --reason -sn -Pn -n "$LAB_TARGET_IP" 10.99.0.1
same_report "--unprivileged -sn -v" --reason -v --unprivileged -sn -n "$LAB_TARGET_IP" 10.99.0.1

# A signal while the targets are routed (before anything can be sent): a new
# network namespace has no route at all, so every address of the range is
# routed and none can be scanned. unshare execs the scanner (its PID is $!).
for sig in INT TERM; do
    unshare --net "$SCANTRACE_BIN" -sn -n 10.201.0.0/0 >"$WORK/sig.out" 2>"$WORK/sig.err" &
    pid=$!
    sleep 1
    t0=$(date +%s%N)
    kill -"$sig" "$pid"
    rc=0 waited=0
    while kill -0 "$pid" 2>/dev/null && ((waited < 60)); do sleep 0.05; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
    wait "$pid" || rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    check "SIG$sig while routing 2^32 addresses: ended in $ms ms (at most 3000)" "((ms <= 3000))"
    check "SIG$sig while routing: exit status $rc (nmap: 1)" "((rc == 1))"
    check "SIG$sig while routing: nmap.s one line" \
        "[[ \$(cat $WORK/sig.err) == \"caught SIG$sig signal, cleaning up\" ]]"
    check "SIG$sig while routing: no report begun" "[[ ! -s $WORK/sig.out ]]"
done
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner unroutable test failed (exit $rc)"
echo "PASS"
