#!/usr/bin/env bash
# The TCP-flag scans in the lab, with real packets: -sM (Maimon), -sW (window),
# --scanflags URGPSH (judged as the SYN scan) and -sF --scanflags SYNFIN (judged
# as the FIN scan), each run by nmap 7.93 and by scantrace with the same flags
# against the lab's port plan (open, closed, dropped, admin-prohibited,
# host-unreachable ports); over IPv6 (-6, the IPv6 plan of fd20:1::2 with its
# ICMPv6 kinds) the same four and -sF and -sN. Per case: both reports give every port the same
# state and reason; the plugin (tshark as nobody) on scantrace's -w capture
# gives the scanner's verdicts, and on nmap's own capture (dumpcap on the
# scanner's interface) nmap's verdicts. Linux answers every ACK probe with a
# RST of window 0, so -sW reads every answering port closed, as nmap does.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
# The same code paths are leak-checked on captures/maimon-scan, window-scan and
# scanflags-scan by plugin_expected, plugin_tree and plugin_table; the window
# reading of nmap's ACK probes allocates nothing of its own.
TSHARK_LEAKS=0
lab_test_start scan-tcp-flags --tshark nmap dumpcap

# NAME:FLAGS, FLAGS with commas for spaces; a NAME ending in 6 is a -6 scan of
# the IPv6 plan. sf-fin and sf-ack send nmap's -sF and -sA probes byte for
# byte, judged as the SYN scan; fin-all sends every flag, RST and SYN+ACK too.
CASES="maimon:-sM window:-sW urgpsh:--scanflags,URGPSH fin-synfin:-sF,--scanflags,SYNFIN
sf-fin:--scanflags,FIN sf-ack:--scanflags,ACK fin-all:-sF,--scanflags,URGACKPSHRSTSYNFIN
fin6:-6,-sF null6:-6,-sN maimon6:-6,-sM window6:-6,-sW urgpsh6:-6,--scanflags,URGPSH
fin-synfin6:-6,-sF,--scanflags,SYNFIN"
# Cases of one try each (see below).
ONE_TRY="sf-fin sf-ack fin-all"
export SCANTRACE_BIN WORK CASES ONE_TRY

# The type nmap's --scanflags probes are judged by, which they do not carry: the
# plugin is told with its preference scantrace.nmap_scanflags.
nmap_scanflags_pref() { # NAME
    case $1 in
    fin-synfin* | fin-all) echo fin ;;
    sf-*) echo syn ;;
    esac
}

# Inside the scanner namespace: per case, nmap under dumpcap, then scantrace -w.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
for case in $CASES; do
    name=${case%%:*}
    IFS=, read -ra flags <<<"${case#*:}"
    target=$LAB_TARGET_IP ports=$LAB_TCP_PORTS retries=1
    [[ " $ONE_TRY " == *" $name "* ]] && retries=0
    if [[ $name == *6 ]]; then
        [[ -n $LAB_TARGET_IP6 ]] || { echo "the lab has no IPv6"; exit 1; }
        # One try: silence means the same after one as after two, and nmap
        # -6 spends up to 9 s on its retransmissions of a silent port.
        target=$LAB_TARGET_IP6 ports=$LAB_TCP_PORTS6 retries=0
    fi
    common=(-Pn -n --reason --max-retries "$retries" -p "$ports")
    capture_around "$WORK/$name.nmap.pcapng" "host $target" \
        nmap "${flags[@]}" "${common[@]}" -oX "$WORK/$name.nmap.xml" "$target" >/dev/null
    "$SCANTRACE_BIN" "${flags[@]}" "${common[@]}" -oX "$WORK/$name.st.xml" \
        -w "$WORK/$name.st.pcapng" "$target" >/dev/null
done
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }
fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
for case in $CASES; do
    name=${case%%:*}
    flags=${case#*:}
    flags=${flags//,/ }
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.txt"
    verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.txt"
    [[ -s $WORK/$name.nmap.txt ]] || die "nmap $flags reported no port"
    check "$flags: scantrace's verdicts are nmap's ($(wc -l <"$WORK/$name.nmap.txt") ports)" \
        "$WORK/$name.nmap.txt" "$WORK/$name.st.txt"
    verdicts_from_capture "$WORK/$name.st.pcapng" >"$WORK/$name.plugin-st.txt"
    check "$flags: the plugin on scantrace's capture gives the scanner's verdicts" \
        "$WORK/$name.st.txt" "$WORK/$name.plugin-st.txt"
    # One tshark run for both readings of nmap's ACK probes (-sW's is -sA's
    # probe byte for byte): the ACK scan's verdict and the window scan's beside it.
    pref=$(nmap_scanflags_pref "$name")
    prefs=()
    [[ -n $pref ]] && prefs=(-o "scantrace.nmap_scanflags:$pref")
    tshark_unpriv -r "$(tshark_file "$WORK/$name.nmap.pcapng")" -2 "${prefs[@]}" \
        -Y 'scantrace.role == "probe" && scantrace.port' -T fields \
        -e scantrace.target -e scantrace.target6 -e scantrace.proto -e scantrace.port \
        -e scantrace.verdict -e scantrace.reason -e scantrace.window_verdict \
        -e scantrace.window_reason |
        awk -F'\t' '{ print ($1 != "" ? $1 : $2), $3, $4, $5, $6, $7, $8 }' |
        sort -u >"$WORK/$name.plugin-nmap.fields"
    cut -d' ' -f1-5 "$WORK/$name.plugin-nmap.fields" >"$WORK/$name.plugin-nmap.txt"
    if [[ $name == window* ]]; then
        sed 's/ closed reset$/ unfiltered reset/' "$WORK/$name.nmap.txt" >"$WORK/$name.ack.txt"
        check "$flags: the plugin on nmap's capture reads -sA's unfiltered beside -sW's verdict" \
            "$WORK/$name.ack.txt" "$WORK/$name.plugin-nmap.txt"
        cut -d' ' -f1-3,6-7 "$WORK/$name.plugin-nmap.fields" >"$WORK/$name.plugin-nmap.txt"
    fi
    check "$flags: the plugin on nmap's capture gives nmap's verdicts${pref:+ (nmap_scanflags:$pref)}" \
        "$WORK/$name.nmap.txt" "$WORK/$name.plugin-nmap.txt"
done
# The table says which reading of nmap's ACK probes it shows.
table=$(tshark_unpriv -r "$(tshark_file "$WORK/window.nmap.pcapng")" -2 -q -z scantrace,ports)
if grep -q "ACK Scan by .* (or -sW, the same probe: rows read as -sA reads them" <<<"$table"; then
    echo "ok   -sW: the table says it shows -sA's reading"
else
    echo "$table"; echo "FAIL -sW: the table does not say which reading it shows"; fail=1
fi
# The scanner's XML names the custom flags as nmap's does.
for name in urgpsh fin-synfin; do
    want=$(grep -o '<scaninfo [^>]*>' "$WORK/$name.nmap.xml" | grep -o 'type="[^"]*" scanflags="[^"]*"')
    got=$(grep -o '<scaninfo [^>]*>' "$WORK/$name.st.xml" | grep -o 'type="[^"]*" scanflags="[^"]*"')
    if [[ -n $want && $want == "$got" ]]; then echo "ok   $name: scaninfo $got"; else
        echo "FAIL $name: scaninfo nmap '$want', scantrace '$got'"; fail=1; fi
done
((fail == 0)) && echo "PASS"
exit $fail
