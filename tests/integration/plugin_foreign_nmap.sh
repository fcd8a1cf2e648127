#!/usr/bin/env bash
# nmap's own scans of the lab, captured with dumpcap on the scanner's interface:
# the plugin finds every probe without any tag (scantrace.tool "nmap"), with the
# scan type nmap ran, and gives every port the state and reason nmap's XML gives
# it. The SYN, ACK, FIN, NULL, Xmas and UDP probes are fingerprinted; the connect
# scan's are the kernel's own SYNs, found by behaviour (a port scan) and named
# nmap's by how its connections end; host discovery (-sn) gives each host nmap's
# state and reason.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

foreign_start nmap nmap

# The connect scan is found by behaviour: it needs more failed ports than the
# port scan threshold (15), so it scans 1-40 besides the plan's ports.
SCANS=(
    "syn -sS -p \$LAB_TCP_PORTS"
    "connect -sT -p 1-40,\$LAB_TCP_PORTS"
    "ack -sA -p \$LAB_TCP_PORTS"
    "fin -sF -p \$LAB_TCP_PORTS"
    "null -sN -p \$LAB_TCP_PORTS"
    "xmas -sX -p \$LAB_TCP_PORTS"
    "udp -sU -p \$LAB_UDP_PORTS"
)
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
while read -r name options; do
    eval "lab_capture $name nmap -Pn -n --reason $options -oX \"\$WORK/$name.xml\" \$LAB_TARGET_IP"
done <<<"$SCAN_LINES"
lab_capture discovery nmap -sn -n --reason --disable-arp-ping -oX "$WORK/discovery.xml" \
    "$LAB_TARGET_IP" "$LAB_TARGET2_IP"
'
SCAN_LINES=$(printf '%s\n' "${SCANS[@]}")
export SCAN_LINES
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

for scan in "${SCANS[@]}"; do
    read -r name _ <<<"$scan"
    capture=$WORK/$name.pcapng
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    [[ -s $WORK/$name.want ]] || die "nmap's $name report lists no port"
    verdicts_from_capture "$capture" >"$WORK/$name.got"
    compare_with_capture "nmap $name scan: the plugin gives all $(wc -l <"$WORK/$name.want") ports nmap's verdict" \
        "$WORK/$name.want" "$WORK/$name.got" "$capture"
    # Every probe is nmap's, of this scan type, but for the ARP ping nmap sends
    # a host on the link even with -Pn (plugin/README.md: the ARP ping's limits).
    tools=$(plugin_tools "$capture" | awk '{print $2, $3}' | grep -vx 'nmap arp' | sort -u)
    [[ $tools == "nmap $name" ]] || { echo "FAIL $name: probes labelled: $tools"; fail=1; }
done

# One line of evidence, as the tree shows it.
evidence=$(tshark_unpriv -r "$(tshark_file "$WORK/syn.pcapng")" -2 \
    -Y 'scantrace.role == "probe" && scantrace.scan == "syn"' -T fields -e scantrace.evidence | sed -n 1p)
echo "evidence of a SYN probe: $evidence"
[[ $evidence == *"sole option MSS 1460"*"nmap -sS" ]] || { echo "FAIL syn evidence"; fail=1; }
evidence=$(tshark_unpriv -r "$(tshark_file "$WORK/connect.pcapng")" -2 \
    -Y 'scantrace.role == "probe"' -T fields -e scantrace.evidence | sed -n 1p)
echo "evidence of a connect probe: $evidence"
[[ $evidence == "port scan: "*"nmap -sT" ]] || { echo "FAIL connect evidence"; fail=1; }

# Host discovery: the state and reason of each host, from the first reply.
hosts_from_xml "$WORK/discovery.xml" >"$WORK/discovery.want"
plugin_hosts "$WORK/discovery.pcapng" >"$WORK/discovery.got"
check "nmap -sn: both hosts as nmap found them" "$WORK/discovery.want" "$WORK/discovery.got"
tools=$(plugin_tools "$WORK/discovery.pcapng" | awk '{print $2, $3}' | sort | paste -sd,)
[[ $tools == "nmap ack-ping,nmap echo,nmap syn-ping,nmap timestamp" ]] ||
    { echo "FAIL -sn: probes labelled: $tools"; fail=1; }

((fail == 0)) && echo PASS
exit $fail
