#!/usr/bin/env bash
# scantrace -6 against nmap -6 (7.93) in the lab's IPv6 half, in one lab run:
# -sS, -sT, -sU (the plan's IPv6 UDP ports), -sA and -sX on the full plan of
# fd20:1::2 (open, closed, dropped, ICMPv6 admin-prohibited, no-route,
# addr-unreachable and port-unreachable), with the discovery that precedes
# them (Neighbor Discovery: nd-response and the MAC address), -sn of
# fd20:1::2, ::3 and ::5 (nobody), -sn --send-ip of ::2 and ::5 (ICMPv6 echo
# and the TCP pings, as off the link), and -sS of the target's link-local
# address given with %iface. Both XML reports must give every port the
# same state and reason and every host the same status and reason;
# scantrace's XML must be valid against nmap.dtd and say addrtype="ipv6". The
# plugin, run by tshark as an unprivileged user on scantrace's -w capture of
# each port scan, must give every port the verdict the scanner's XML gives,
# and check the cookie each UDP probe carries in its flow label.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
DTD=/usr/share/nmap/nmap.dtd
[[ -f $DTD ]] || die "no $DTD (apt-get install nmap-common)"
lab_test_start scanner-ipv6 --tshark nmap xmllint
export SCANTRACE_BIN SCANTRACE_SOURCE_DIR WORK

# Inside the scanner namespace: each scan by nmap, then by scantrace (-w).
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
echo "$LAB_TARGET_IP6 $LAB_TARGET2_IP6 $LAB_DOWN_IP6" >"$WORK/hosts"
run() { # NAME HOSTS FLAGS...  (NMAP_TIMING: flags for nmap alone)
    local name=$1 hosts=$2
    shift 2
    ip -6 neigh flush dev "$LAB_IFACE"
    # shellcheck disable=SC2086 # a list of addresses, timing flags
    nmap -6 "$@" ${NMAP_TIMING:-} -n -v --reason --max-retries 1 -oX "$WORK/$name.nmap.xml" $hosts \
        >"$WORK/$name.nmap.txt" 2>&1 || { cat "$WORK/$name.nmap.txt"; return 1; }
    ip -6 neigh flush dev "$LAB_IFACE"
    # shellcheck disable=SC2086
    "$SCANTRACE_BIN" -6 "$@" -n -v --reason --max-retries 1 -oX "$WORK/$name.st.xml" \
        -w "$WORK/$name.pcapng" $hosts >"$WORK/$name.st.txt" 2>&1 ||
        { cat "$WORK/$name.st.txt"; return 1; }
}
tcp=$LAB_TCP_PORTS6 udp=$LAB_UDP_PORTS6
run syn "$LAB_TARGET_IP6" -sS -p "$tcp"
# Linux drops an ICMPv6 error that comes back while connect() holds the socket
# (TcpExtLockDroppedIcmps, tests/lab/README.md): nmap hears the one its
# kernel'"'"'s SYN retransmission draws a second later only when it waits that
# long, else it says no-response, at random. scantrace reads the error queue.
NMAP_TIMING="--min-rtt-timeout 1500ms" run connect "$LAB_TARGET_IP6" -sT -p "$tcp"
run udp "$LAB_TARGET_IP6" -sU -p "$udp"
run ack "$LAB_TARGET_IP6" -sA -p "$tcp"
run xmas "$LAB_TARGET_IP6" -sX -p "$tcp"
run ping "$(cat "$WORK/hosts")" -sn
run ping-ip "$LAB_TARGET_IP6 $LAB_DOWN_IP6" -sn --send-ip
ll=$(ip netns exec "$LAB_TARGET_NS" ip -6 addr show dev "$LAB_TARGET_IFACE" scope link |
    awk "/inet6/ { sub(\"/.*\", \"\", \$2); print \$2; exit }")
[[ -n $ll ]] || { echo "no link-local address on the target"; exit 1; }
run link-local "$ll%$LAB_IFACE" -sS -p 22,23
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }

fail=0
check() { # NAME WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
for name in syn connect udp ack xmas ping ping-ip link-local; do
    st=$WORK/$name.st.xml
    xmllint --noout --dtdvalid "$DTD" "$st" || { echo "FAIL $name: XML not valid against nmap.dtd"; fail=1; }
    grep -q 'addrtype="ipv6"' "$st" || { echo "FAIL $name: no addrtype=\"ipv6\""; fail=1; }
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.ports"
    verdicts_from_xml "$st" >"$WORK/$name.st.ports"
    # nmap writes <hosthint>s too: what it knew before the port scan.
    sed "/^<hosthint>/,/^<\/hosthint>/d" "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.final.xml"
    hosts_from_xml "$WORK/$name.nmap.final.xml" >"$WORK/$name.nmap.hosts"
    hosts_from_xml "$st" >"$WORK/$name.st.hosts"
    check "$name: scantrace -6 and nmap -6 agree on every port ($(wc -l <"$WORK/$name.st.ports"))" \
        "$WORK/$name.nmap.ports" "$WORK/$name.st.ports"
    check "$name: and on every host ($(wc -l <"$WORK/$name.st.hosts"))" \
        "$WORK/$name.nmap.hosts" "$WORK/$name.st.hosts"
    # The MAC address of each host, as nmap reports it: from Neighbor
    # Discovery, or from the frames of its replies after --send-ip.
    check "$name: the same MAC addresses" <(macs_from_xml "$WORK/$name.nmap.final.xml") \
        <(macs_from_xml "$st")
    want=1
    [[ $name == ping ]] && want=3
    [[ $name == ping-ip ]] && want=2
    [[ $(wc -l <"$WORK/$name.st.hosts") -eq $want ]] || { echo "FAIL $name: not $want hosts"; fail=1; }
    # The plugin reads the link-local scan as the SYN scan: one tshark run
    # fewer (they dominate the test's time under the sanitizers).
    [[ $name == ping* || $name == link-local ]] && continue
    [[ -s $WORK/$name.st.ports ]] || { echo "FAIL $name: no port in the XML"; fail=1; }
    verdicts_from_capture "$WORK/$name.pcapng" >"$WORK/$name.plugin.ports"
    check "$name: the plugin on scantrace's capture agrees with its report" \
        "$WORK/$name.st.ports" "$WORK/$name.plugin.ports"
done
grep -q "^MAC Address: " "$WORK/syn.st.txt" || { echo "FAIL syn: no MAC Address line"; fail=1; }
grep -q "^MAC Address: " "$WORK/ping-ip.st.txt" || { echo "FAIL ping-ip: no MAC Address line"; fail=1; }
# The UDP probes' cookies in their flow labels, as the plugin checks them.
cookies=$(tshark_unpriv -r "$(tshark_file "$WORK/udp.pcapng")" -2 \
    -Y 'scantrace.role == "probe" && udp' -T fields -e scantrace.cookie.checks | sort | uniq -c)
echo "$cookies" | grep -Eq "^ *[0-9]+ (1|True)$" && ! echo "$cookies" | grep -Eq "(0|False)$" ||
    { echo "FAIL udp: the plugin does not check every probe's flow-label cookie: $cookies"; fail=1; }
((fail == 0)) && echo "PASS"
exit $fail
