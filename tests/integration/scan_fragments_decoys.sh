#!/usr/bin/env bash
# -f, --mtu 16 and -D in the lab, with real packets: each run by nmap 7.93 (under
# dumpcap on the scanner's interface) and by scantrace (-w) with the same flags
# against the lab's port plan. The decoys are lab addresses nobody holds
# (10.201.0.7 and .8; never RND). Per case:
#  - both reports give every port the same state and reason;
#  - the plugin (tshark as nobody) on each capture gives that report's verdicts,
#    and its port table lists each port once, in one port-scan group (with -D,
#    under a heading that names both decoys and, for nmap's probes, the scanner);
#  - the wire has what the option says: IPv4 fragments (ip.flags.mf set, a
#    non-zero ip.frag_offset) of 8 or 16 data bytes, and SYNs from both decoys
#    and from us to every port;
#  - with -D, the plugin names 10.201.0.1 the scanner of every probe group
#    (scantrace.decoys.scanner) and calls the decoys' copies copies;
#  - with -f, the plugin says the probes came in fragments (scantrace.fragments);
#  - -6 -D fd20:1::7,ME likewise, the plugin naming fd20:1::1 the scanner;
#  - -sU -D 10.201.0.7,ME likewise, on ports with several nmap-payloads requests
#    (53, 69, 123, 161, 500: each try sends them all, every one from each
#    decoy, with one source port and IP ID): one UDP Scan heading, by us, with
#    the decoy listed, and each request's copies grouped apart.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
# The same code paths are leak-checked on captures/nmap-decoys by the golden tests.
TSHARK_LEAKS=0
lab_test_start scan-frag-decoys --tshark nmap dumpcap
DECOY1=10.201.0.7
DECOY2=10.201.0.8
SCANNER_IP=10.201.0.1 SCANNER_IP6=fd20:1::1 # the lab's (tests/lab/README.md)
# NAME:FLAGS, FLAGS with + for spaces.
DECOY6=fd20:1::7
UDP_PORTS=53,69,123,161,500 # the lab's open, closed and dropped, all with 2 requests
CASES="frag:-f mtu16:--mtu+16 decoys:-D+$DECOY1,$DECOY2,ME decoysU:-sU+-D+$DECOY1,ME"
CASES+=" decoys6:-6+-D+$DECOY6,ME"
export SCANTRACE_BIN WORK CASES UDP_PORTS
[[ -e /proc/net/if_inet6 ]] || CASES=${CASES% decoys6:*} # a kernel without IPv6

# Inside the scanner namespace: per case, nmap under dumpcap, then scantrace -w.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
for case in $CASES; do
    name=${case%%:*}
    IFS=+ read -ra flags <<<"${case#*:}"
    target=$LAB_TARGET_IP ports=$LAB_TCP_PORTS
    # Over IPv6 the ports that answer (no retries to wait for): open, closed,
    # and ICMPv6 admin-prohibited, no-route, address and port unreachable.
    [[ $name == decoys6 ]] && target=$LAB_TARGET_IP6 ports=22,23,3389,3390,5900,5901
    [[ $name == decoysU ]] && ports=$UDP_PORTS
    common=(-n --reason --max-retries 1 -p "$ports")
    capture_around "$WORK/$name.nmap.pcapng" "host $target or arp or icmp6" \
        nmap "${flags[@]}" "${common[@]}" -oX "$WORK/$name.nmap.xml" "$target" >/dev/null
    "$SCANTRACE_BIN" "${flags[@]}" "${common[@]}" -oX "$WORK/$name.st.xml" \
        -w "$WORK/$name.st.pcapng" "$target" >/dev/null
done
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }
fail=0
ok() { echo "ok   $1"; }
bad() { echo "FAIL $1"; fail=1; }
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then ok "$1"; else bad "$1"; fi
}
# fields CAPTURE FILTER FIELD...: tshark's fields of the frames the filter takes.
fields() {
    local capture=$1 filter=$2
    shift 2
    local args=()
    for f in "$@"; do args+=(-e "$f"); done
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -Y "$filter" -T fields "${args[@]}"
}
for case in $CASES; do
    name=${case%%:*}
    flags=${case#*:}
    flags=${flags//+/ }
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.txt"
    verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.txt"
    ports=$(wc -l <"$WORK/$name.nmap.txt")
    proto=tcp title='tcp SYN Stealth Scan' least=6
    [[ $name == decoysU ]] && proto=udp title='udp UDP Scan' least=5
    ((ports >= least)) || die "nmap $flags reported $ports ports"
    check "$flags: scantrace's verdicts are nmap's ($ports ports)" \
        "$WORK/$name.nmap.txt" "$WORK/$name.st.txt"
    for tool in nmap st; do
        cap=$WORK/$name.$tool.pcapng
        verdicts_from_capture "$cap" >"$WORK/$name.plugin-$tool.txt"
        check "$flags: the plugin on $tool's capture gives $tool's report" \
            "$WORK/$name.$tool.txt" "$WORK/$name.plugin-$tool.txt"
        table=$(tshark_unpriv -r "$(tshark_file "$cap")" -2 -q -z scantrace,ports)
        rows=$(grep -cE "^ *[0-9]+/$proto " <<<"$table" || true)
        distinct=$(grep -oE "^ *[0-9]+/$proto " <<<"$table" | sort -u | wc -l)
        headings=$(grep -c "$title" <<<"$table" || true)
        if ((rows == ports && distinct == ports && headings == 1)); then
            ok "$flags: $tool's capture: the port table lists each of the $ports ports once"
        else
            echo "$table"
            bad "$flags: $tool's capture: table rows $rows, distinct $distinct, headings $headings"
        fi
        if [[ $name == decoys6 ]]; then
            scanners=$(fields "$cap" 'scantrace.decoys' scantrace.decoys.scanner | sort -u)
            copies=$(fields "$cap" 'scantrace.decoy == 1' ipv6.src | sort -u)
            if [[ $scanners == "$SCANNER_IP6" && $copies == "$DECOY6" ]]; then
                ok "$flags: $tool: $SCANNER_IP6 named the scanner, $DECOY6's probes copies"
            else
                bad "$flags: $tool: scanners '$scanners', copies from '$copies'"
            fi
        elif [[ $name == decoys || $name == decoysU ]]; then
            decoys=("$DECOY1" "$DECOY2") probe='tcp.flags == 0x002'
            # Not the scanner kernel's port-unreachables to the replies (a quote is udp too).
            [[ $name == decoysU ]] && decoys=("$DECOY1") probe='udp && !icmp'
            heading=$(grep "$title" <<<"$table")
            want="decoys $(printf '%s, ' "${decoys[@]}")"
            want=${want%, }
            [[ $tool == nmap ]] && want="by $SCANNER_IP, $want"
            if [[ $heading == *"$want: "* ]]; then ok "$flags: $tool: heading '$want'"; else
                bad "$flags: $tool: heading '$heading' lacks '$want: '"; fi
            # The probes, one tshark pass: source, port, request, copy or not, scanner named.
            fields "$cap" "$probe" ip.src "$proto.dstport" udp.payload scantrace.decoy \
                scantrace.decoys.scanner >"$WORK/$name.$tool.probes"
            # Every port got a probe from each decoy and from us, the same probe.
            for src in "${decoys[@]}" "$SCANNER_IP"; do
                n=$(awk -F'\t' -v s="$src" '$1 == s {print $2}' "$WORK/$name.$tool.probes" | sort -u | wc -l)
                if ((n == ports)); then ok "$flags: $tool: probes from $src to all $n ports"; else
                    bad "$flags: $tool: probes from $src to $n of $ports ports"; fi
            done
            # nmap's several requests to a port from each source: what made a
            # second group (scantrace sends one a try).
            if [[ $name == decoysU && $tool == nmap ]]; then
                for src in "${decoys[@]}" "$SCANNER_IP"; do
                    n=$(awk -F'\t' -v s="$src" '$1 == s && $2 == 123 {print $3}' "$WORK/$name.$tool.probes" |
                        sort -u | wc -l)
                    if ((n >= 2)); then ok "$flags: $tool: $n requests to 123/udp from $src"; else
                        bad "$flags: $tool: $n requests to 123/udp from $src (nmap-payloads has 2)"; fi
                done
            fi
            scanners=$(awk -F'\t' '$5 != "" {print $5}' "$WORK/$name.$tool.probes" | sort | uniq -c)
            if [[ $(wc -l <<<"$scanners") == 1 && $(awk '{print $2}' <<<"$scanners") == "$SCANNER_IP" ]]; then
                ok "$flags: $tool: every probe group names $SCANNER_IP the scanner"
            else
                bad "$flags: $tool: scanners named: $scanners"
            fi
            copies=$(awk -F'\t' '$4 == 1 {print $1}' "$WORK/$name.$tool.probes" | sort -u | tr '\n' ' ')
            ours=$(awk -F'\t' '$4 == 0 {print $1}' "$WORK/$name.$tool.probes" | sort -u | tr '\n' ' ')
            if [[ $copies == "$(printf '%s ' "${decoys[@]}")" && $ours == "$SCANNER_IP " ]]; then
                ok "$flags: $tool: the decoys' probes are copies, ours is not"
            else
                bad "$flags: $tool: copies from '$copies', scanner's from '$ours'"
            fi
        else
            mtu=8
            [[ $name == mtu16 ]] && mtu=16
            # Fragments of the probes: more to come, at offsets in mtu steps
            # (tshark 4.0 gives ip.frag_offset in 8-byte units, as the header).
            more=$(fields "$cap" "ip.src == $SCANNER_IP && ip.flags.mf == 1" ip.len | sort -u)
            offsets=$(fields "$cap" "ip.src == $SCANNER_IP && ip.frag_offset > 0" ip.frag_offset |
                sort -un | tr '\n' ' ')
            if [[ $more == $((20 + mtu)) && ($offsets == "$((mtu / 8)) "* || $offsets == "$mtu "*) ]]; then
                ok "$flags: $tool: fragments on the wire ($mtu data bytes; offsets $offsets)"
            else
                bad "$flags: $tool: fragment lengths '$more', offsets '$offsets'"
            fi
            n=$(fields "$cap" 'scantrace.role == "probe" && scantrace.fragments >= 2' frame.number | wc -l)
            probes=$(fields "$cap" 'scantrace.role == "probe" && scantrace.port' frame.number | wc -l)
            if ((n == probes && n >= ports)); then
                ok "$flags: $tool: the plugin says all $n probes came in fragments"
            else
                bad "$flags: $tool: $n of $probes probes said to be fragmented"
            fi
        fi
    done
done
((fail == 0)) && echo "PASS"
exit $fail
