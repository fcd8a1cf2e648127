#!/usr/bin/env bash
# nmap -6 against the lab's IPv6 addresses, captured with dumpcap on the
# scanner's interface, in one lab run: nmap's SYN and UDP reports are the lab's
# truth (every ICMPv6 rejection kind with the reason nmap gives it), and on every
# capture the plugin gives every port nmap's state and reason, names every probe
# nmap's of the scan type nmap ran, files it under scantrace.target6 (a display
# filter on it finds the scan, scantrace.target none of it) and lists the IPv6
# host in the port table. Host discovery: the ICMPv6 echo and TCP pings
# (--disable-arp-ping) give each host nmap's state and reason; Neighbor
# Discovery, nmap's -sn on the link, is nd-response to nmap; over three hosts it is
# no sweep (plugin_nmap_discovery.sh has one), and the plugin labels nothing of it.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

foreign_start nmap-ipv6 nmap

# The connect scan is found by behaviour: more failed ports than the port scan
# threshold (15), so 1-20 besides the plan's ports. Not the ICMPv6-rejected
# ones: on the veth the error to a SYN comes back while connect() still holds
# the socket, and Linux drops it (TcpExtLockDroppedIcmps); only the error to the
# kernel's retransmission a second later reaches nmap, and whether nmap's
# socket lives that long varies from run to run, so nmap reports those ports
# admin-prohibited, net-unreach, host-unreach or conn-refused in one run and
# no-response in the next, from captures the plugin cannot tell apart.
SCANS=(
    "syn -sS -p \$LAB_TCP_PORTS6"
    "connect -sT -p 1-20,\$CONNECT_PORTS"
    "ack -sA -p \$LAB_TCP_PORTS6"
    "xmas -sX -p \$LAB_TCP_PORTS6"
    "udp -sU -p \$LAB_UDP_PORTS6"
)
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
[[ -n $LAB_TARGET_IP6 ]] || { touch "$WORK/no-ipv6"; exit 0; }
cp "$LAB_TRUTH" "$WORK/truth.txt"
CONNECT_PORTS=$(awk -v t="$LAB_TARGET_IP6" '\''$1 == t && $2 == "tcp" && $5 !~ /unreach|prohibited|route/ {print $3}'\'' \
    "$LAB_TRUTH" | paste -sd,)
echo "$LAB_TARGET_IP6 $LAB_TARGET2_IP6 $LAB_DOWN_IP6" >"$WORK/hosts"
# The targets in the neighbor cache of the kernel first (before any capture),
# so nmap sends its port scans at once: resolving them itself, nmap 7.93 now and
# then misses the first advertisement, times the host at ~0.3 s and takes five
# times as long over the dropped ports. Its ND ping (-sn) asks all the same.
for t in "$LAB_TARGET_IP6" "$LAB_TARGET2_IP6"; do : <>"/dev/tcp/$t/80"; done
while read -r name options; do
    eval "lab_capture $name nmap -6 -Pn -n --reason $options -oX \"\$WORK/$name.xml\" \$LAB_TARGET_IP6"
done <<<"$SCAN_LINES"
lab_capture discovery nmap -6 -sn -n --reason --disable-arp-ping -oX "$WORK/discovery.xml" \
    "$LAB_TARGET_IP6" "$LAB_TARGET2_IP6" "$LAB_DOWN_IP6"
lab_capture nd nmap -6 -sn -n --reason -oX "$WORK/nd.xml" "$LAB_TARGET_IP6" "$LAB_TARGET2_IP6" "$LAB_DOWN_IP6"
'
SCAN_LINES=$(printf '%s\n' "${SCANS[@]}")
export SCAN_LINES
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }
[[ ! -e $WORK/no-ipv6 ]] || { echo "SKIP: the lab has no IPv6 (kernel without IPv6)"; exit 77; }
read -r target target2 down <"$WORK/hosts"

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

# nmap -6 itself against the lab's truth: the rejections as nmap words them.
for name in syn udp; do
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    proto=tcp
    [[ $name == udp ]] && proto=udp
    awk -v t="$target" -v p="$proto" '$1 == t && $2 == p' "$WORK/truth.txt" | sort >"$WORK/$name.truth"
    check "nmap -6 $name scan: the lab's truth on all $(wc -l <"$WORK/$name.truth") ports" \
        "$WORK/$name.truth" "$WORK/$name.want"
done
echo "nmap -6 --reason on the ICMPv6 rejections:"
grep -E '^[0-9]+/(tcp|udp) +filtered ' "$WORK/syn.out" "$WORK/udp.out" | grep -v no-response |
    sed 's/^[^:]*://; s/^/    /'

for scan in "${SCANS[@]}"; do
    read -r name _ <<<"$scan"
    capture=$WORK/$name.pcapng
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    [[ -s $WORK/$name.want ]] || die "nmap's $name report lists no port"
    verdicts_from_capture "$capture" >"$WORK/$name.got"
    check "nmap -6 $name scan: the plugin gives all $(wc -l <"$WORK/$name.want") ports nmap's verdict" \
        "$WORK/$name.want" "$WORK/$name.got"
    plugin_tools "$capture" >"$WORK/$name.tools"
    tools=$(awk '{print $2, $3}' "$WORK/$name.tools" | sort -u)
    [[ $tools == "nmap $name" ]] || { echo "FAIL $name: probes labelled: $tools"; fail=1; }
done

# Display filters: IPv6 targets are scantrace.target6, as Wireshark's ipv6.dst.
cap=$(tshark_file "$WORK/syn.pcapng")
count() { tshark_unpriv -r "$cap" -2 -Y "$1" | wc -l; }
probes=$(awk '{n += $1} END {print n + 0}' "$WORK/syn.tools")
by_target=$(count "scantrace.role == \"probe\" && scantrace.target6 == $target")
v4=$(count 'scantrace.target')
echo "SYN scan: $probes probes; scantrace.target6 == $target: $by_target; scantrace.target: $v4"
((probes > 0 && by_target == probes && v4 == 0)) || { echo "FAIL display filters on the IPv6 target"; fail=1; }

# The port table: the IPv6 host's heading and every port as nmap reported it.
table=$(tshark_unpriv -r "$cap" -2 -q -z scantrace,ports)
grep -q "^$target tcp SYN Stealth Scan by " <<<"$table" ||
    { echo "FAIL the table has no heading for $target:"; echo "$table"; fail=1; }
awk -v t="$target" '$1 ~ /^[0-9]+\/tcp$/ {split($1, pp, "/"); print t, pp[2], pp[1], $2, $3}' <<<"$table" |
    sort >"$WORK/table.got"
check "port table: $target's ports as nmap reported them" "$WORK/syn.want" "$WORK/table.got"

# Host discovery by ICMPv6 echo and the TCP pings: each host as nmap found it.
# nmap sends $down nothing but neighbor solicitations: without its link address
# it cannot send a ping.
hosts_from_xml "$WORK/discovery.xml" >"$WORK/discovery.want"
plugin_hosts "$WORK/discovery.pcapng" >"$WORK/discovery.got"
check "nmap -6 -sn --disable-arp-ping: the hosts as nmap found them" "$WORK/discovery.want" "$WORK/discovery.got"

# Neighbor Discovery: nmap's word for it, and nothing the plugin could call a probe.
printf '%s up nd-response\n' "$target" "$target2" | sort >"$WORK/nd.expect"
hosts_from_xml "$WORK/nd.xml" | grep ' up ' >"$WORK/nd.want" || true
check "nmap -6 -sn on the link: both targets up by nd-response, $down not" "$WORK/nd.expect" "$WORK/nd.want"
tshark_unpriv -r "$(tshark_file "$WORK/nd.pcapng")" -2 -T fields -e icmpv6.type -e scantrace.role >"$WORK/nd.fields"
solicitations=$(awk -F'\t' '$1 == 135' "$WORK/nd.fields" | wc -l)
labelled=$(awk -F'\t' '$2 != ""' "$WORK/nd.fields" | wc -l)
echo "nmap -6 -sn on the link: $solicitations neighbor solicitations, $labelled frames labelled"
((solicitations > 0 && labelled == 0)) || { echo "FAIL ND discovery labelled"; fail=1; }

((fail == 0)) && echo PASS
exit $fail
