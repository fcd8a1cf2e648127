#!/usr/bin/env bash
# The scanner, the plugin and the truth agree on every port: a SYN scan of the
# lab, written by the scanner (-w) and captured independently by dumpcap on the
# target (Ethernet) and on the scanner with -i any (Linux cooked). The plugin,
# run by tshark as an unprivileged user, must give every port the verdict and
# reason the scanner's XML gives, on all three captures; and the scanner's must
# be the lab's truth. The -z table must list every port with its verdict, in
# ranges when there are more than 1024 (a scan of 3000 ports). Then
# every other scan type: the plugin on the scanner's capture must agree with the
# scanner's XML on every port, the ports the XML folds into <extraports> included
# (the 3000 ports' 2997 closed, and -sO's 250 closed protocols of 256 in random
# order, proto="n/a" there and "ip" to the plugin).
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
lab_test_start lab-agreement --tshark dumpcap
OTHER_SCANS="-sA -sF -sN -sX -sU -sO"
export SCANTRACE_BIN WORK OTHER_SCANS

# Inside the scanner namespace: dumpcap on both ends, then the scan.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
grep "^$LAB_TARGET_IP tcp " "$LAB_TRUTH" | sort >"$WORK/truth.txt"
start_dumpcap() { # NAME NETNS-EXEC... -- DUMPCAP-ARGS
    local name=$1; shift
    "$@" -q -w "$WORK/$name.pcapng" 2>"$WORK/$name.log" &
    echo $! >"$WORK/$name.pid"
    dumpcap_ready "$WORK/$name.log"
}
start_dumpcap target ip netns exec "$LAB_TARGET_NS" dumpcap -i "$LAB_TARGET_IFACE"
start_dumpcap scanner-any dumpcap -i any -f "host $LAB_TARGET_IP"
"$SCANTRACE_BIN" -sS -Pn -n --reason -p "$LAB_TCP_PORTS" -oX "$WORK/scan.xml" \
    -w "$WORK/scan.pcapng" "$LAB_TARGET_IP"
sleep 0.3 # the kernel RSTs after the last SYN-ACKs
for name in target scanner-any; do kill -INT "$(cat "$WORK/$name.pid")"; done
wait
"$SCANTRACE_BIN" -sS -Pn -n --reason -p 1-3000 -oX "$WORK/scan-3000.xml" \
    -w "$WORK/scan-3000.pcapng" "$LAB_TARGET_IP" >/dev/null
for scan in $OTHER_SCANS; do
    ports=$LAB_TCP_PORTS more=()
    [[ $scan == -sU ]] && ports=$LAB_UDP_PORTS
    [[ $scan == -sO ]] && ports=0-255 more=(--max-retries 1) # its ~100 silent ones
    "$SCANTRACE_BIN" "$scan" "${more[@]}" -Pn -n --reason -p "$ports" -oX "$WORK/scan$scan.xml" \
        -w "$WORK/scan$scan.pcapng" "$LAB_TARGET_IP" >/dev/null
done
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scan failed"; }
cat "$WORK/lab.log"
fail=0
check() { # NAME WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

verdicts_from_xml "$WORK/scan.xml" >"$WORK/scanner.txt"
[[ -s $WORK/scanner.txt ]] || die "the scanner's XML lists no port"
check "scanner agrees with the lab's truth" "$WORK/truth.txt" "$WORK/scanner.txt"
for capture in scan target scanner-any; do
    verdicts_from_capture "$WORK/$capture.pcapng" >"$WORK/plugin-$capture.txt"
    check "plugin on $capture.pcapng agrees with the scanner" "$WORK/scanner.txt" "$WORK/plugin-$capture.txt"
done

table=$(tshark_unpriv -r "$(tshark_file "$WORK/scan.pcapng")" -2 -q -z scantrace,ports)
echo "$table"
while read -r _ proto port state reason; do
    grep -Eq "^ *$port/$proto +$state +$reason( |$)" <<<"$table" ||
        { echo "FAIL -z table lacks $port/$proto $state $reason"; fail=1; }
done <"$WORK/scanner.txt"
# 3000 ports: the table reads like nmap's report (port_report.c): the closed
# ports are one "Not shown" line with their count, every other port is listed
# with the verdict the fields give it, in ascending order.
table=$(tshark_unpriv -r "$(tshark_file "$WORK/scan-3000.pcapng")" -2 -q -z scantrace,ports)
verdicts_from_capture "$WORK/scan-3000.pcapng" >"$WORK/plugin-3000.txt"
awk '{n[$1 " " $2 " " $4]++; line[NR] = $0}
     END {
         for (i = 1; i <= NR; i++) {split(line[i], f, " "); if (f[4] == "open" || n[f[1] " " f[2] " " f[4]] <= 25) print line[i]}
         for (k in n) {split(k, f, " "); if (f[3] != "open" && n[k] > 25) print "not shown:", f[1], n[k], f[3], f[2]}
     }' "$WORK/plugin-3000.txt" | sort >"$WORK/want-3000.txt"
awk '/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ / {host = $1}
     /^Not shown: / {print "not shown:", host, $3, $4, $5}
     $1 ~ /^[0-9]+\/tcp$/ {split($1, p, "/")
         if (p[1] + 0 < last[$2] + 0) print "out of order:", $0
         last[$2] = p[1]
         print host, p[2], p[1], $2, $3}' <<<"$table" | sort >"$WORK/table-3000.txt"
check "-z table of 3000 ports: closed ones not shown (counted), the others listed in order, as the fields say" \
    "$WORK/want-3000.txt" "$WORK/table-3000.txt"
# A comparison with folded ports: only if the XML folds them.
folds() { # XML PROTO
    grep -Eq "<extrareasons [^>]*proto=\"$2\" ports=\"[0-9]" "$1" ||
        { echo "FAIL $1 folds no $2 ports into <extraports>"; fail=1; }
}
folds "$WORK/scan-3000.xml" tcp
verdicts_from_xml "$WORK/scan-3000.xml" >"$WORK/scanner-3000.txt"
check "plugin agrees with the scanner on 3000 ports, the folded ones included" \
    "$WORK/scanner-3000.txt" "$WORK/plugin-3000.txt"
folds "$WORK/scan-sO.xml" n/a
for scan in $OTHER_SCANS; do
    verdicts_from_xml "$WORK/scan$scan.xml" >"$WORK/scanner$scan.txt"
    [[ -s $WORK/scanner$scan.txt ]] || die "the scanner's $scan XML lists no port"
    verdicts_from_capture "$WORK/scan$scan.pcapng" >"$WORK/plugin$scan.txt"
    check "plugin agrees with the scanner on $scan" "$WORK/scanner$scan.txt" "$WORK/plugin$scan.txt"
done
((fail == 0)) && echo "PASS"
exit $fail
