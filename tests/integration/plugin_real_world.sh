#!/usr/bin/env bash
# Real-world right values: the plugin's verdicts on captures of real scans and of
# real-world oddities must be what nmap concludes (tests/real-world/check.py).
#
#  - tests/real-world/generated.txt: captures that tests/real-world/make_captures.py
#    makes, into a temporary folder (@GEN);
#  - tests/real-world/shared.txt: the small cases and the public captures of other
#    people's nmap scans, with nmap's own reports, in $SCANTRACE_SHARED (default
#    ../shared beside the source tree; never committed). Where that folder is
#    absent, those cases skip.
#
# tshark runs once per capture, as nobody with the plugin, the way tests/lib/tshark.sh
# runs it (sanitizer builds included). Exit status: 0 when nothing failed, 77 when
# every case skipped, 1 otherwise.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
export SCANTRACE_SOURCE_DIR
export SCANTRACE_SHARED=${SCANTRACE_SHARED:-$SCANTRACE_SOURCE_DIR/../shared}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/python.sh"
RW=$SCANTRACE_SOURCE_DIR/tests/real-world

command -v python3 >/dev/null || { echo "skipped: python3 is not installed (a Wireshark chroot)"; exit 77; }

# The nmap-payloads table must be nmap's own file's, where nmap is installed.
if [[ -r /usr/share/nmap/nmap-payloads ]]; then
    diff -u "$SCANTRACE_SOURCE_DIR/plugin/nmap_payloads.h" \
        <("$PY" "$SCANTRACE_SOURCE_DIR/scripts/make-nmap-payloads.py" /usr/share/nmap/nmap-payloads) ||
        { echo "FAIL: plugin/nmap_payloads.h differs from the installed nmap-payloads"; exit 1; }
    echo "ok   plugin/nmap_payloads.h is the installed nmap-payloads' table"
fi
# Under the sanitizers, LeakSanitizer's slow unwinder makes tshark 4 to 16 times
# slower (6 s for a capture of one probe, 70 s for one of 10000 frames): this test
# runs tshark some 50 times, so it checks for ASan and UBSan errors only, and
# plugin_expected.sh for leaks.
export TSHARK_LEAKS=${TSHARK_LEAKS:-0}
tshark_setup

WORK=$(mktemp -d /tmp/scantrace-real-world.XXXXXX)
# tshark_setup's EXIT trap judges the sanitizer reports: keep it, after ours.
trap 'rm -rf -- "$WORK"; _tshark_cleanup' EXIT

# check.py's tshark: `tshark ARGS...` as tshark_unpriv runs it, with the capture of
# -r copied where nobody can read it, under a name of its own (check.py runs
# several at once), and the copy removed after.
{
    echo '#!/usr/bin/env bash'
    printf '. %q\n' "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
    declare -p TSHARK_HOME TSHARK_USER TSHARK_GROUP TSHARK_SANITIZER_ENV TSHARK_PROGRAM
    cat <<'EOF'
args=() copies=()
while (($#)); do
    if [[ $1 == -r && $# -ge 2 ]]; then
        copy=$(mktemp "$TSHARK_HOME/captures/XXXXXX")
        copies+=("$copy")
        cp -- "$2" "$copy" && chmod a+r "$copy" || exit 2
        args+=(-r "$copy")
        shift 2
    else
        args+=("$1")
        shift
    fi
done
status=0
tshark_unpriv "${args[@]}" || status=$?
rm -f -- "${copies[@]}"
exit "$status"
EOF
} >"$WORK/tshark"
chmod +x "$WORK/tshark"

expect=()
if [[ -f $RW/generated.txt ]]; then
    if [[ -f $RW/make_captures.py ]]; then
        mkdir "$WORK/gen"
        if ! "$PY" "$RW/make_captures.py" "$WORK/gen" >"$WORK/make_captures.log" 2>&1; then
            # Where scapy cannot be had (a Wireshark chroot), the generated cases
            # skip; any other failure of the generator fails the test.
            if grep -q "No module named 'scapy'" "$WORK/make_captures.log"; then
                echo "note: python3-scapy is not installed: the generated cases skip"
                rm -rf -- "$WORK/gen"
            else
                echo "FAIL: make_captures.py failed:"
                cat "$WORK/make_captures.log"
                exit 1
            fi
        fi
    fi
    expect+=("$RW/generated.txt")
fi
expect+=("$RW/shared.txt")
gen=()
[[ -d $WORK/gen ]] && gen=(--gen "$WORK/gen")

[[ -d $SCANTRACE_SHARED ]] || echo "note: no $SCANTRACE_SHARED: its cases skip"
start=$SECONDS
status=0
"$PY" "$RW/check.py" --tshark-cmd "$WORK/tshark" "${gen[@]}" "${expect[@]}" | tee "$WORK/results" ||
    status=$?
echo "real-world checks took $((SECONDS - start))s"
summary=$(tail -n 1 "$WORK/results")
[[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]] || {
    echo "FAIL: check.py ended without its summary (exit status $status)"
    exit 1
}
((status == 0)) || exit 1
passed=${BASH_REMATCH[1]} failed=${BASH_REMATCH[2]}

# The port table reads as nmap's report of the same scan: one host discovery per
# host and scanner, a ping type on one line whichever run sent it (G22: nmap's
# discovery, then its timing pings of 443/tcp during the UDP scan), and no scan
# of its own for the timing pings of a port scan (G40).
table_has() { # CAPTURE WHAT WANT-COUNT REGEX
    local got
    got=$("$WORK/tshark" -r "$WORK/gen/$1" -2 -q -z scantrace,ports | grep -cE "$4" || true)
    [[ $got == "$3" ]] || { echo "FAIL: $1's port table has $got $2, want $3"; exit 1; }
}
if [[ -d $WORK/gen ]]; then
    table_has g22_udp_scan_timing_pings.pcap "host discovery headings" 1 '^192\.0\.2\.10 host discovery'
    table_has g22_udp_scan_timing_pings.pcap "'syn ping 443/tcp' lines" 1 '^syn ping 443/tcp +up '
    table_has g40_syn_scan_timing_pings.pcap "SYN scan headings" 1 '^192\.0\.2\.10 tcp SYN Stealth Scan'
    table_has g40_syn_scan_timing_pings.pcap "3306/tcp lines with 3 probes" 1 '^ *3306/tcp +closed +reset +3 '
    echo "ok   the port tables of G22 and G40: one discovery, one line per ping type, no scan of timing pings"
fi
if ((passed == 0 && failed == 0)); then
    echo "every case skipped"
    exit 77
fi
exit 0
