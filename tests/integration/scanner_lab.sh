#!/usr/bin/env bash
# The scanner against the lab's ground truth: scans the target's TCP plan with
# -oX and -w, and every port's state and reason must be the truth file's; the
# XML must be valid against nmap's DTD, the capture readable and holding every
# probe and reply. Then bad input: each must fail with one line and exit 1.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
LAB=$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh
DTD=/usr/share/nmap/nmap.dtd

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN (build it, or set SCANTRACE_BIN)"
[[ -f $LAB ]] || die "no lab at $LAB"
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
command -v xmllint >/dev/null || die "no xmllint (apt-get install libxml2-utils)"
command -v capinfos >/dev/null || die "no capinfos (apt-get install wireshark-common)"
command -v tshark >/dev/null || die "no tshark (apt-get install tshark)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scanner-lab.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export SCANTRACE_BIN WORK DTD

# Runs inside the scanner namespace; LAB_* come from lab.sh.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

"$SCANTRACE_BIN" -sS -Pn -n --reason --max-retries 2 -p "$LAB_TCP_PORTS" "$LAB_TARGET_IP" \
    -oX "$WORK/scan.xml" -oN "$WORK/scan.txt" -w "$WORK/scan.pcapng" >"$WORK/stdout" 2>"$WORK/stderr" ||
    { cat "$WORK/stdout" "$WORK/stderr"; echo "FAIL scan exited $?"; exit 1; }
cat "$WORK/stdout"
check "no warnings" "[[ ! -s $WORK/stderr ]] || { cat $WORK/stderr; false; }"

# The port table of the -oN file ("22/tcp open ssh syn-ack ttl 64"); with ten
# ports no state is folded into "Not shown", so every port is listed.
awk -v ip="$LAB_TARGET_IP" '\''$1 ~ /^[0-9]+\/(tcp|udp)$/ { split($1, p, "/"); print ip, p[2], p[1], $2, $4 }'\'' \
    "$WORK/scan.txt" >"$WORK/got.txt"
grep "^$LAB_TARGET_IP tcp " "$LAB_TRUTH" | sort >"$WORK/want.txt"
sort "$WORK/got.txt" -o "$WORK/got.txt"
check "every port as the truth says" "diff -u $WORK/want.txt $WORK/got.txt"
check "XML valid against nmap.dtd" "xmllint --noout --dtdvalid $DTD $WORK/scan.xml"
check "XML lists every port" "[[ \$(grep -c \"<port protocol=\" $WORK/scan.xml) -eq \$(wc -l <$WORK/want.txt) ]]"
check "scan id in the XML comment" "grep -q \"(scan id 0x[0-9a-f]\\{8\\})\" $WORK/scan.xml"
check "normal output file" "grep -q \"^# scantrace done at\" $WORK/scan.txt"

ports=$(wc -l <"$WORK/want.txt")
check "capture readable" "capinfos -c $WORK/scan.pcapng >$WORK/capinfos"
probes=$(tshark -r "$WORK/scan.pcapng" -Y "ip.src==$LAB_SCANNER_IP && tcp.flags==0x002" 2>/dev/null | wc -l)
replies=$(tshark -r "$WORK/scan.pcapng" -Y "ip.src==$LAB_TARGET_IP" 2>/dev/null | wc -l)
answered=$(grep -vc no-response "$WORK/want.txt" || true)
check "capture holds every probe ($probes >= $ports)" "(( probes >= ports ))"
check "capture holds every reply ($replies >= $answered)" "(( replies >= answered ))"

# Bad input: one line on stderr, exit 1, and no scan.
bad() {
    local rc=0
    "$SCANTRACE_BIN" -n "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    [[ $rc -eq 1 && $(wc -l <"$WORK/bad.err") -eq 1 && ! -s $WORK/bad.out ]] ||
        { echo "  rc=$rc: $(cat "$WORK/bad.err" "$WORK/bad.out")"; return 1; }
}
bad_nobody() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>/dev/null || return 0
    local rc=0
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$SCANTRACE_BIN" -n "$@" \
        >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    [[ $rc -eq 1 && $(wc -l <"$WORK/bad.err") -eq 1 && ! -s $WORK/bad.out ]] ||
        { echo "  rc=$rc: $(cat "$WORK/bad.err" "$WORK/bad.out")"; return 1; }
}
check "port 65536 rejected" "bad -p 65536 $LAB_TARGET_IP"
check "reversed range rejected" "bad -p 30-20 $LAB_TARGET_IP"
check "bad CIDR rejected" "bad -p 22 10.201.0.0/33"
check "bad range rejected" "bad -p 22 10.201.0.1-300"
check "missing interface rejected" "bad -p 22 -e no-such-if0 $LAB_TARGET_IP"
check "two TCP scan types rejected" "bad -sS -sT -p 22 $LAB_TARGET_IP"
check "-sn with a port scan rejected" "bad -sn -sS $LAB_TARGET_IP"
check "-sn with -p rejected" "bad -sn -p 22 $LAB_TARGET_IP"
# SCTP ports without an SCTP scan: as nmap, warned about, the TCP scan
# (left without ports) skipped, exit 0.
sctp_only() {
    "$SCANTRACE_BIN" -n -p S:22 "$LAB_TARGET_IP" >"$WORK/sctp.out" 2>"$WORK/sctp.err" &&
        grep -qx "WARNING: Your ports include \"S:\" but you haven.t specified any SCTP scan type." "$WORK/sctp.err" &&
        grep -q "^WARNING: a TCP scan type was requested, but no tcp ports were specified" "$WORK/sctp.err" ||
        { cat "$WORK/sctp.err"; return 1; }
}
check "SCTP ports without -sY: warned, the TCP scan skipped" sctp_only
check "missing target list rejected" "bad -iL /nonexistent/targets"
check "raw scan without privileges rejected" "bad_nobody -sS -p 22 $LAB_TARGET_IP"
exit $fail
'
# lab.sh's output goes to a file: nothing the lab starts can then hold the
# pipe CTest reads from.
rc=0
bash "$LAB" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 || rc=$?
cat "$WORK/lab.log"
((rc == 0)) || die "scanner lab test failed (exit $rc)"
echo "PASS"
