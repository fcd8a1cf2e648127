#!/usr/bin/env bash
# SIGINT and SIGTERM at random moments of a scan: the scanner stops sending,
# exits 1 as nmap does ("caught SIGINT signal, cleaning up"), and leaves
# whole files: capinfos reads the -w capture (pcap and pcapng), xmllint
# validates the -oX report against nmap's DTD, and both reports say the scan
# was interrupted and list only the hosts it finished, each in full. The
# target is listed several times, so that its scans are groups one after the
# other and some finish before the signal. A second signal ends the scanner at
# once.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
# ROUNDS: interrupted scans (default 6).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
command -v xmllint >/dev/null || die "no xmllint (apt-get install libxml2-utils)"
command -v capinfos >/dev/null || die "no capinfos (apt-get install wireshark-common)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-signals.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK DTD ROUNDS=${ROUNDS:-6}

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }
T=$LAB_TARGET2_IP # tcp 80 open, every other port closed
for round in $(seq "$ROUNDS"); do
    sig=INT ext=pcap disc=-Pn
    ((round % 2)) || sig=TERM
    ((round % 3)) || ext=pcapng
    ((round % 4)) || disc=
    delay=$(awk -v s="$RANDOM" "BEGIN { srand(s); printf \"%.2f\", 0.05 + rand() * 2.5 }")
    out=$WORK/r$round
    # The same host five times: five groups in a row, about 0.8 s each.
    "$SCANTRACE_BIN" -sS $disc -n --reason -p 1-4000 --max-rate 5000 $T $T $T $T $T \
        -oN "$out.txt" -oX "$out.xml" -w "$out.$ext" >"$out.stdout" 2>"$out.stderr" &
    pid=$!
    sleep "$delay"
    kill -"$sig" "$pid" || { echo "FAIL round $round: the scan ended before ${delay}s"; cat "$out.stderr"; exit 1; }
    rc=0
    wait "$pid" || rc=$?
    hosts=$(grep -c "^Scan report for" "$out.txt" || true)
    what="round $round: SIG$sig after ${delay}s, $disc -w .$ext, $hosts hosts reported"
    check "$what: exit 1" "[[ $rc -eq 1 ]]"
    check "$what: nmap'"'"'s line on stderr" "grep -qx \"caught SIG$sig signal, cleaning up\" $out.stderr"
    check "$what: capture whole" "capinfos $out.$ext >/dev/null"
    check "$what: XML valid" "xmllint --noout --dtdvalid $DTD $out.xml"
    check "$what: XML says interrupted" "grep -q \"exit=\\\"error\\\" errormsg=\\\"interrupted by SIG$sig\" $out.xml"
    check "$what: -oN says interrupted" "tail -1 $out.txt | grep -q \"^# scantrace interrupted by SIG$sig at \"" 
    check "$what: stdout says interrupted" "tail -1 $out.stdout | grep -q \"^scantrace interrupted by SIG$sig: $hosts IP addr\""
    check "$what: XML lists the same hosts" "[[ \$(grep -c \"<host \" $out.xml) -eq $hosts ]]"
    check "$what: each host in full" "[[ \$(grep -c \"^Not shown: 3999 closed tcp ports (reset)\" $out.txt) -eq $hosts && \$(grep -c \"^80/tcp open\" $out.txt) -eq $hosts ]]"
done

# A second signal ends it at once, by the signal'"'"'s default action. Both reach
# it together: sent while it is stopped, they are delivered when it goes on
# (two of the same kind would merge into one).
"$SCANTRACE_BIN" -sS -Pn -n -p- --max-rate 2000 "$LAB_TARGET_IP" -oX "$WORK/twice.xml" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kill -STOP "$pid"
kill -INT "$pid"
kill -TERM "$pid"
kill -CONT "$pid"
rc=0
wait "$pid" || rc=$?
check "SIGINT and SIGTERM together: killed by the second (status $rc)" "[[ $rc -eq 130 || $rc -eq 143 ]]"

# The connect scan stops too.
"$SCANTRACE_BIN" -sT -Pn -n -p 1-30000 --max-rate 3000 "$T" -oX "$WORK/connect.xml" >/dev/null 2>&1 &
pid=$!
sleep 0.5
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
check "-sT, SIGTERM: exit 1, XML valid" "[[ $rc -eq 1 ]] && xmllint --noout --dtdvalid $DTD $WORK/connect.xml"
exit $fail
'
rc=0
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner signals test failed (exit $rc)"
echo "PASS"
