#!/usr/bin/env bash
# A UDP probe's cookie rides in its IPv4 IP ID, which Linux fills in itself
# when it is 0 (raw(7)); the cookie's rule (README, "No cookie's low 16 bits
# are 0") keeps it from ever being 0. Two scans of the lab's second target,
# whose every UDP port is closed:
#  - -sU --max-retries 0 -p-: every port closed (port-unreach), as nmap reports
#    it, and the plugin reads every one of the 65535 probes' cookies as
#    checked. Before the rule some 16 probes in every such scan lost their
#    cookie and the scanner listed them open|filtered (no retry hid it).
#  - the same of ports 1-300 with the target's nftables rewriting every UDP
#    datagram's IP ID on arrival (a scrubbing middlebox's doing, not the
#    kernel's): the ICMP errors quote no cookie of ours, and the scanner ties
#    them by their quoted ports, as nmap does, so the ports stay closed (nmap's
#    report, when nmap is there), and so does the plugin.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
lab_test_start scanner-udp-cookie --tshark nft
NMAP=$(command -v nmap || true)
export NMAP

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
"$SCANTRACE_BIN" -sU -Pn -n --reason --max-retries 0 -p- -oX "$WORK/all.xml" \
    -w "$WORK/all.pcapng" "$LAB_TARGET2_IP" >/dev/null
ip netns exec "$LAB_TARGET_NS" nft -f - <<EOF
table ip scantrace_ipid {
    chain pre { type filter hook prerouting priority -300; ip protocol udp ip id set 0x4242; }
}
EOF
"$SCANTRACE_BIN" -sU -Pn -n --reason --max-retries 0 -p 1-300 -oX "$WORK/rewritten.xml" \
    -w "$WORK/rewritten.pcapng" "$LAB_TARGET2_IP" >/dev/null
[[ -z $NMAP ]] || "$NMAP" -sU -Pn -n --reason --max-retries 0 -p 1-300 \
    -oX "$WORK/rewritten-nmap.xml" "$LAB_TARGET2_IP" >/dev/null
'
start=$SECONDS
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scan failed"; }
echo "lab scans: $((SECONDS - start)) s"
fail=0
check() { # NAME WANT GOT
    if [[ $2 == "$3" ]]; then echo "ok   $1"; else printf 'FAIL %s: want\n%s\ngot\n%s\n' "$1" "$2" "$3"; fail=1; fi
}
# Every port closed, by port-unreach: "STATE REASON COUNT".
summary() { awk '{n[$4 " " $5]++} END {for (k in n) print k, n[k]}' | sort; }
check "-p-: every port closed" "closed port-unreach 65535" \
    "$(verdicts_from_xml "$WORK/all.xml" | summary)"
# The plugin: no probe whose cookie does not check or is missing (one pass:
# the cookie needs no more, and printing none is quick), and its -z table (two
# passes) reads as the scanner's report, all 65535 ports. Two passes over the
# 131070 packets and no more: CI time.
# Under the sanitizers (several times slower) the plugin reads only the small
# capture below: the scanner's sanitized run of -p- is what that stage adds.
if [[ ${SCANTRACE_SANITIZED:-0} == 1 ]]; then
    echo "skip the plugin on the -p- capture (sanitized: CI time)"
else
    all=$(tshark_file "$WORK/all.pcapng")
    unchecked=$(tshark_unpriv -r "$all" \
        -Y 'scantrace.role == "probe" && scantrace.port && !(scantrace.cookie.checks == 1)' |
        wc -l)
    check "-p-: the plugin checks every probe's cookie" 0 "$unchecked"
    # No port listed (an open|filtered one would be), the rest closed. The
    # count may fall a little short where the capture lost a probe's frame at
    # 131070 packets in 2 s on a loaded machine (the scanner knows what it
    # sent; the plugin never sees that port): this check failed once in 18
    # runs at load 7 on 2 cores, its output not kept.
    table=$(tshark_unpriv -r "$all" -2 -q -z scantrace,ports)
    shown=$(grep -E '^Not shown|/udp' <<<"$table" |
        sed -E 's/^Not shown: (6553[0-5]|655[0-2][0-9]) closed/Not shown: 655xx closed/')
    check "-p-: the plugin's table lists every port closed" \
        "Not shown: 655xx closed udp ports (port-unreach)" "$shown"
fi

check "rewritten IP IDs: every port closed" "closed port-unreach 300" \
    "$(verdicts_from_xml "$WORK/rewritten.xml" | summary)"
if [[ -n $NMAP ]]; then
    check "rewritten IP IDs: nmap's report" "$(verdicts_from_xml "$WORK/rewritten-nmap.xml")" \
        "$(verdicts_from_xml "$WORK/rewritten.xml")"
else
    echo "skip nmap's report (no nmap)"
fi
# The rewrite happened: every port unreachable quotes the rewritten IP ID (its
# last ip.id), none the probe's cookie (the capture's probes, as sent, carry
# theirs and check); the plugin, which ties a quoted UDP probe by its ports
# too, agrees with the scanner.
rows=$(tshark_unpriv -r "$(tshark_file "$WORK/rewritten.pcapng")" -2 \
    -Y '(scantrace.role == "probe" && scantrace.port) || icmp.type == 3' -T fields \
    -E occurrence=l -e icmp.type -e ip.id -e scantrace.role -e scantrace.cookie.checks \
    -e scantrace.verdict -e scantrace.reason |
    awk -F'\t' '$1 == 3 {print "error quoting", $2; next} {print $3, $4, $5, $6}' | sort | uniq -c |
    awk '{$1 = $1; print}')
check "rewritten IP IDs: the errors quote 0x4242, the plugin's ports closed" \
    "300 error quoting 0x4242
300 probe 1 closed port-unreach" "$rows"
exit $fail
