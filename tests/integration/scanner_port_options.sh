#!/usr/bin/env bash
# nmap's everyday port options, by nmap 7.93 and by scantrace with the same
# flags in one lab run: --port-ratio and -F with --exclude-ports (TCP and UDP)
# scan the same ports (the XML's <scaninfo services>) with the same verdicts;
# -r sends each port's first probe in ascending order, as nmap -r does (and
# without it both shuffle them); --defeat-rst-ratelimit gives the same
# verdicts and nmap's "Some closed ports may be reported as filtered" line;
# -dd says "Discovered <state> port" for the same ports as nmap -dd, and -d
# prints "Scanned at" as nmap -d does. Port 0, which nmap scans where -p names
# it: -sS -sU with T:0-5,U:0, -sA, -sT (21 ports from 0: the plugin tells a
# connect scan by its failures, 15 at least) and the same over IPv6 scan it with
# nmap's scaninfo and verdicts, and the plugin on both captures labels and
# judges its probes as each tool's report does; --exclude-ports 0 leaves it out.
# nmap's warnings on port lists (a port named twice in -p or --exclude-ports,
# a T:/U: prefix without such a scan, a scan type left without ports: skipped)
# as nmap's, on stderr and first in -oN, with the same scaninfo and verdicts;
# with --max-retries 0, nmap's "giving up on port because retransmission cap
# hit (0)" on stdout and in -oN, once per protocol.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
[[ -f /usr/share/nmap/nmap-services ]] || skip "no nmap-services (apt-get install nmap-common)"
TSHARK_LEAKS=0
lab_test_start scanner-port-options --tshark nmap dumpcap
export SCANTRACE_BIN WORK

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
run() { # NAME FLAGS...: nmap, then scantrace, -oX and the screen kept
    local name=$1
    shift
    nmap -n -Pn --reason --max-retries 1 "$@" -oX "$WORK/$name.nmap.xml" "$LAB_TARGET_IP" \
        >"$WORK/$name.nmap.txt" 2>&1 || { cat "$WORK/$name.nmap.txt"; return 1; }
    "$SCANTRACE_BIN" -n -Pn --reason --max-retries 1 "$@" -oX "$WORK/$name.st.xml" \
        "$LAB_TARGET_IP" >"$WORK/$name.st.txt" 2>&1 || { cat "$WORK/$name.st.txt"; return 1; }
}
run ratio -sS --port-ratio 0.1
run exclude -sS -sU -F --exclude-ports T:22,80,U:53,161
run order -sS -r -p 20-30,80 --packet-trace
run shuffled -sS -p 20-30,80 --packet-trace
run defeat -sS --defeat-rst-ratelimit -p "$LAB_TCP_PORTS"
run dd -sS -dd -p "$LAB_TCP_PORTS"
run d -sS -d -p 22
warn() { # NAME FLAGS...: both tools, stderr, stdout and -oN apart
    local name=$1 who
    shift
    for who in nmap st; do
        if [[ $who == nmap ]]; then set -- nmap "${@:2}"; else set -- "$SCANTRACE_BIN" "${@:2}"; fi
        "$@" -n -Pn -oN "$WORK/$name.$who.nmap" -oX "$WORK/$name.$who.xml" "$LAB_TARGET_IP" \
            >"$WORK/$name.$who.out" 2>"$WORK/$name.$who.err" ||
            { cat "$WORK/$name.$who.out" "$WORK/$name.$who.err"; return 1; }
    done
}
warn dup x -sS -p 80,80 --exclude-ports 22,22
warn udp-prefix x -sS -p U:53,T:80
warn tcp-prefix x -sU -p T:80,U:53
warn skip x -sS -sU -sY -p S:80
warn skip-all x -sS -p U:53
warn cap x -sS -sU --max-retries 0 -p T:80,8080,U:53,500
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
zero() { # NAME TARGET FLAGS...: both tools, each with a capture
    local name=$1 target=$2
    shift 2
    capture_around "$WORK/$name.nmap.pcapng" "host $target" nmap -n -Pn --reason \
        --max-retries 1 "$@" -oX "$WORK/$name.nmap.xml" "$target" >"$WORK/$name.nmap.txt" 2>&1 ||
        { cat "$WORK/$name.nmap.txt"; return 1; }
    "$SCANTRACE_BIN" -n -Pn --reason --max-retries 1 "$@" -oX "$WORK/$name.st.xml" \
        -w "$WORK/$name.st.pcapng" "$target" >"$WORK/$name.st.txt" 2>&1 ||
        { cat "$WORK/$name.st.txt"; return 1; }
}
zero zero "$LAB_TARGET_IP" -sS -sU -p T:0-5,U:0
zero zero-ack "$LAB_TARGET_IP" -sA -p 0
zero zero-connect "$LAB_TARGET_IP" -sT -p 0-20
zero zero-exclude "$LAB_TARGET_IP" -sS -p 0-5 --exclude-ports 0
if [[ -n $LAB_TARGET_IP6 ]]; then
    zero zero6 "$LAB_TARGET_IP6" -6 -sS -sU -p T:0,U:0
    zero zero6-connect "$LAB_TARGET_IP6" -6 -sT -p 0-20
fi
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
scaninfo() { grep -o "<scaninfo [^>]*>" "$1" | grep -o "type=\"[^\"]*\"\|protocol=\"[^\"]*\"\|numservices=\"[^\"]*\"\|services=\"[^\"]*\""; }
for name in ratio exclude defeat; do
    scaninfo "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.info"
    scaninfo "$WORK/$name.st.xml" >"$WORK/$name.st.info"
    [[ -s $WORK/$name.nmap.info ]] || { echo "FAIL $name: no scaninfo from nmap"; fail=1; }
    check "$name: the same ports scanned ($(grep -o "numservices=\"[0-9]*\"" "$WORK/$name.st.info" | tr "\n" " "))" \
        "$WORK/$name.nmap.info" "$WORK/$name.st.info"
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.ports"
    verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.ports"
    check "$name: the same verdicts ($(wc -l <"$WORK/$name.st.ports") ports)" \
        "$WORK/$name.nmap.ports" "$WORK/$name.st.ports"
done
# The excluded ports are in neither list (ranges expanded).
expand() { # XML PROTO: the scaninfo services of PROTO, one port a line
    grep -o "<scaninfo [^>]*protocol=\"$2\"[^>]*>" "$1" | grep -o " services=\"[^\"]*\"" |
        tr -d "services=\"" | tr "," "\n" | awk -F- "{ for (p = \$1; p <= (\$2 ? \$2 : \$1); p++) print p }"
}
left=$( (expand "$WORK/exclude.st.xml" tcp | grep -Ex "22|80"; expand "$WORK/exclude.st.xml" udp |
    grep -Ex "53|161") || true)
if [[ -z $left && $(expand "$WORK/exclude.st.xml" tcp | wc -l) -eq 100 ]]; then
    echo "ok   exclude: T:22,80 and U:53,161 left out, 100 others taken"
else
    echo "FAIL exclude: still scanned: $left"; fail=1
fi
# First transmissions, in the order sent: "SENT (...) TCP a:sport > b:dport ...".
first_probes() { grep "^SENT .* TCP " "$1" | sed -E "s/.* > [^ ]*:([0-9]+) .*/\1/" | awk "!seen[\$0]++"; }
for who in nmap st; do
    first_probes "$WORK/order.$who.txt" >"$WORK/order.$who.sent"
    sort -n "$WORK/order.$who.sent" >"$WORK/order.$who.sorted"
    [[ $(wc -l <"$WORK/order.$who.sent") -eq 12 ]] || { echo "FAIL -r: $who sent $(wc -l <"$WORK/order.$who.sent") ports, not 12"; fail=1; }
    check "-r: $who sends the ports in ascending order" "$WORK/order.$who.sorted" "$WORK/order.$who.sent"
    first_probes "$WORK/shuffled.$who.txt" >"$WORK/shuffled.$who.sent"
    if cmp -s <(sort -n "$WORK/shuffled.$who.sent") "$WORK/shuffled.$who.sent"; then
        echo "FAIL without -r: $who sent the ports in ascending order"; fail=1
    else
        echo "ok   without -r: $who shuffles the ports"
    fi
done
line="Some closed ports may be reported as filtered due to --defeat-rst-ratelimit"
for who in nmap st; do
    if grep -qx "$line" "$WORK/defeat.$who.txt"; then echo "ok   --defeat-rst-ratelimit: $who says so"; else
        echo "FAIL --defeat-rst-ratelimit: no \"$line\" from $who"; fail=1; fi
done
discovered() { grep -o "^Discovered [a-z|]* port [0-9]*/[a-z]* on [0-9.]*" "$1" | sort -u; }
discovered "$WORK/dd.nmap.txt" >"$WORK/dd.nmap.found"
discovered "$WORK/dd.st.txt" >"$WORK/dd.st.found"
grep -q "^Discovered closed port" "$WORK/dd.nmap.found" || { echo "FAIL -dd: nmap said no closed port"; fail=1; }
check "-dd: the same Discovered lines ($(wc -l <"$WORK/dd.st.found"))" "$WORK/dd.nmap.found" "$WORK/dd.st.found"
for who in nmap st; do
    grep -q "^Scanned at " "$WORK/d.$who.txt" && echo "ok   -d: $who prints Scanned at" ||
        { echo "FAIL -d: no Scanned at from $who"; fail=1; }
done
# nmap's warnings on the port lists, word for word on stderr and first in -oN
# (before its header), none on stdout; a type left without ports skipped, the
# same ports scanned (scaninfo, numservices="0" for the skipped) with the same
# verdicts.
for name in dup udp-prefix tcp-prefix skip skip-all; do
    grep "^WARNING" "$WORK/$name.nmap.err" >"$WORK/$name.nmap.warn" || true
    [[ -s $WORK/$name.nmap.warn ]] || { echo "FAIL $name: no warning from nmap"; fail=1; }
    check "$name: the warnings on stderr as nmap ($(head -c 60 "$WORK/$name.nmap.warn")...)" \
        "$WORK/$name.nmap.warn" <(grep "^WARNING" "$WORK/$name.st.err")
    check "$name: the warnings first in -oN, as nmap" "$WORK/$name.nmap.warn" \
        <(sed "/^# /q" "$WORK/$name.st.nmap" | grep -v "^# ")
    grep -q WARNING "$WORK/$name.st.out" && { echo "FAIL $name: a warning on stdout"; fail=1; }
    check "$name: the same ports scanned" <(scaninfo "$WORK/$name.nmap.xml") <(scaninfo "$WORK/$name.st.xml")
    check "$name: the same verdicts" <(verdicts_from_xml "$WORK/$name.nmap.xml") \
        <(verdicts_from_xml "$WORK/$name.st.xml")
done
# --max-retries 0 and a port that never answers: nmap's "giving up on port"
# line on stdout and in -oN, once for each protocol scanned, not on stderr.
gaveup() { grep "^Warning: .* giving up on port because retransmission cap hit" "$1" || true; }
gaveup "$WORK/cap.nmap.out" >"$WORK/cap.nmap.gaveup"
[[ $(wc -l <"$WORK/cap.nmap.gaveup") == 2 ]] || { echo "FAIL cap: nmap said it $(wc -l <"$WORK/cap.nmap.gaveup") times"; fail=1; }
check "cap: the giving up lines on stdout as nmap" "$WORK/cap.nmap.gaveup" <(gaveup "$WORK/cap.st.out")
check "cap: and in -oN" "$WORK/cap.nmap.gaveup" <(gaveup "$WORK/cap.st.nmap")
[[ -z $(gaveup "$WORK/cap.st.err") ]] || { echo "FAIL cap: on stderr"; fail=1; }
check "cap: the same verdicts" <(verdicts_from_xml "$WORK/cap.nmap.xml") <(verdicts_from_xml "$WORK/cap.st.xml")
# Port 0: scaninfo and verdicts as nmap's, the plugin's on each capture as
# that tool's report, and port 0 among them (but where --exclude-ports 0).
for name in zero zero-ack zero-connect zero-exclude zero6 zero6-connect; do
    [[ -f $WORK/$name.nmap.xml ]] || { echo "skip $name: no IPv6 in the lab"; continue; }
    scaninfo "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.info"
    scaninfo "$WORK/$name.st.xml" >"$WORK/$name.st.info"
    check "$name: the same ports scanned ($(grep -o "^services=\"[^\"]*\"" "$WORK/$name.st.info" | tr "\n" " "))" \
        "$WORK/$name.nmap.info" "$WORK/$name.st.info"
    for who in nmap st; do
        verdicts_from_xml "$WORK/$name.$who.xml" >"$WORK/$name.$who.ports"
        verdicts_from_capture "$WORK/$name.$who.pcapng" >"$WORK/$name.$who.plugin"
        compare_with_capture "$name: the plugin on $who's capture gives $who's verdicts ($(wc -l <"$WORK/$name.$who.ports") ports)" \
            "$WORK/$name.$who.ports" "$WORK/$name.$who.plugin" "$WORK/$name.$who.pcapng"
    done
    check "$name: scantrace's verdicts are nmap's" "$WORK/$name.nmap.ports" "$WORK/$name.st.ports"
    zeros=$(awk '$3 == 0 { print $2 "/" $3 " " $4 " " $5 }' "$WORK/$name.nmap.ports" | paste -sd, -)
    if [[ $name == zero-exclude ]]; then
        [[ -z $zeros && -s $WORK/$name.nmap.ports ]] && echo "ok   $name: port 0 left out" ||
            { echo "FAIL $name: port 0 scanned ($zeros)"; fail=1; }
    else
        [[ -n $zeros ]] && echo "ok   $name: port 0 in nmap's report ($zeros)" ||
            { echo "FAIL $name: no port 0 in nmap's report"; fail=1; }
    fi
done
((fail == 0)) && echo "PASS"
exit $fail
