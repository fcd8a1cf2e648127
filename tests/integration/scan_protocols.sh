#!/usr/bin/env bash
# The IP protocol scan (-sO) in the lab, with real packets: nmap 7.93 and
# scantrace with the same flags scan the same protocol list of the lab's
# target, over IPv4 and over IPv6 (-6: the next header probed), in order (-r:
# nmap words the ICMP protocol by the packet that follows its answer, so the
# order must be the same). The list has a protocol of each kind of answer: ICMP
# (echo, or a bare header over IPv6), IGMP and PIM (no answer: open|filtered),
# TCP (the ACK's RST: proto-response), UDP (port-unreach: open), ICMPv6 (echo
# over IPv6, a bare header over IPv4) and protocols the lab's kernel lacks
# (41, 47, 50, SCTP's 132, 255: proto-unreach, or param-problem over IPv6:
# closed). Per family: both -oX reports give every protocol the same state
# and reason, both -oG files the same Protocols: line, both -oN files the same
# table (less the reply TTLs, which nmap -6 takes from whatever ICMPv6 packet
# came first); the plugin (tshark as nobody) on scantrace's -w capture gives
# the scanner's verdicts, on nmap's own capture (dumpcap) nmap's, protocol 1's
# echo request too, which -r sends before anything tells the scan. nmap's own
# -sO in random order, and of TCP, UDP and ICMP alone (its -sA, -sU and -PE
# probes byte for byte): the plugin gives nmap's verdicts.
# -sO of our own addresses (127.0.0.1, 10.201.0.1, ::1: through lo, the
# replies from our source address beside our probes): both reports the same,
# and the plugin on our capture the scanner's (protocol 2's retry a probe).
# Our SCTP INIT sent before the TCP probe that names the scan (no tag of its
# own) stays -sO's to the plugin. And -sO's refusals, in nmap's words, before
# anything is sent; -sO -p T:80 warns and skips the scan, as nmap.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SCANTRACE_BIN=${SCANTRACE_BIN:-$SCANTRACE_SOURCE_DIR/build/scanner/scantrace}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"

die() { echo "FAIL: $*" >&2; exit 1; }
[[ -x $SCANTRACE_BIN ]] || die "no scanner at $SCANTRACE_BIN"
command -v nmap >/dev/null || { echo "SKIP: no nmap"; exit 77; }
command -v dumpcap >/dev/null || { echo "SKIP: no dumpcap"; exit 77; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/scan-protocols.XXXXXX")
chmod 755 "$WORK"
TSHARK_LEAKS=0 # the same code paths are leak-checked on captures/proto-scan by the golden tests
tshark_setup
trap 'rm -rf "$WORK"; _tshark_cleanup' EXIT
PROTOCOLS=1,2,6,17,41,47,50,58,103,132,255
export SCANTRACE_BIN SCANTRACE_SOURCE_DIR WORK PROTOCOLS

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
for family in 4 6; do
    if [[ $family == 4 ]]; then target=$LAB_TARGET_IP; six=(); else target=$LAB_TARGET_IP6; six=(-6); fi
    common=("${six[@]}" -sO -r -Pn -n --reason --max-retries 1 -p "$PROTOCOLS")
    dumpcap -i "$LAB_IFACE" -f "host $target" -q -w "$WORK/nmap$family.pcapng" \
        2>"$WORK/dumpcap$family.log" &
    pid=$!
    dumpcap_ready "$WORK/dumpcap$family.log"
    nmap "${common[@]}" -oA "$WORK/nmap$family" "$target" >/dev/null
    sleep 0.2
    kill -INT "$pid"
    wait "$pid" || true
    "$SCANTRACE_BIN" "${common[@]}" -oA "$WORK/st$family" -w "$WORK/st$family.pcapng" "$target" >/dev/null
    # Without -w the capture filter takes none of our probes but the echo
    # request, which puts the ICMP protocol out: the same verdicts.
    "$SCANTRACE_BIN" "${common[@]}" -oX "$WORK/st$family-nocap.xml" "$target" >/dev/null
done
# The own -sO of nmap, for the plugin alone: in random order (no -r), and
# with no probe but TCP, UDP and ICMP, byte for byte the -sA, -sU and -PE
# probes of nmap (the scan shows itself by their one source port).
while read -r name args; do
    # shellcheck disable=SC2086 # the arguments are words
    capture_around "$WORK/$name.pcapng" "" nmap -sO -Pn -n --reason --max-retries 1 $args \
        -oX "$WORK/$name.xml" >/dev/null
done <<LIST
random4 -p $PROTOCOLS $LAB_TARGET_IP
tcpudp4 -r -p 1,6,17 $LAB_TARGET_IP
tcpudp6 -6 -p 6,17,58 $LAB_TARGET_IP6
LIST
# Our untagged SCTP INIT sent before the tagged TCP probe names the scan: the
# plugin must wait for it, not take it for nmap -sY (--ttl 64). The order is
# random (-r would put 6 first): scan until --packet-trace shows SCTP first
# (one run in two; checked below on the capture).
for _ in $(seq 20); do
    "$SCANTRACE_BIN" -sO -Pn -n --reason --max-retries 0 --packet-trace -p 6,132 \
        -oX "$WORK/sctpfirst.xml" -w "$WORK/sctpfirst.pcapng" "$LAB_TARGET_IP" >"$WORK/sctpfirst.trace"
    grep -E "^SENT .* (SCTP|TCP) " "$WORK/sctpfirst.trace" | head -1 | grep -q " SCTP " && break
done
# The ICMP protocol probe is out once it is on the wire: a batch puts the
# probes before it on the wire first, and the lab link answers each before
# the next leaves. Scan 1, 6 and 47 in random order until the trace shows
# each order wanted (one run in six each): TCP (tagged: the plugin knows the
# scan at once), then GRE (its protocol unreachable comes before the echo
# request leaves), then ICMP; and GRE (untagged: the plugin waits for a
# tagged probe), then ICMP, then TCP.
for order in "TCP gre ICMP" "gre ICMP TCP"; do
    name=order-${order// /-}
    for _ in $(seq 40); do
        "$SCANTRACE_BIN" -sO -Pn -n --reason --max-retries 0 --packet-trace -p 1,6,47 \
            -oX "$WORK/$name.xml" -w "$WORK/$name.pcapng" "$LAB_TARGET_IP" >"$WORK/$name.trace"
        sent=$(grep -E "^SENT \([0-9.]+s\) (ICMP|TCP|gre) " "$WORK/$name.trace" |
            sed -E "s/^SENT \([0-9.]+s\) ([A-Za-z]+) .*/\1/" | paste -sd" ")
        [[ $sent == "$order" ]] && break
        rm -f "$WORK/$name.xml"
    done
done
# The words of protocol 1 (the receive loop of nmap: common/proto_icmp_hack.h)
# where the answers of two hosts interleave, and of one host (the report that
# found the scanner and the plugin apart): a few runs each, in random order.
for i in 1 2 3 4 5 6; do
    "$SCANTRACE_BIN" -sO -n --reason -p 1,6,17,132,255 -oX "$WORK/icmp2h-$i.xml" \
        -w "$WORK/icmp2h-$i.pcapng" "$LAB_TARGET_IP" "$LAB_TARGET2_IP" >/dev/null
    ((i > 4)) || "$SCANTRACE_BIN" -sO -n --reason -p 1,6,17,132,255 -oX "$WORK/icmp1h-$i.xml" \
        -w "$WORK/icmp1h-$i.pcapng" "$LAB_TARGET_IP" >/dev/null
done
# Our own addresses (lo): the replies of the target come from our
# source address, beside our probes (nmap tells its own by the IP ID).
# Protocol 2 goes unanswered: its retry must stay a probe to the plugin.
for target in 127.0.0.1 "$LAB_SCANNER_IP" ::1; do
    six=(); [[ $target == *:* ]] && six=(-6)
    own=("${six[@]}" -sO -r -n --reason --max-retries 1 -p 1,2,6,17,58,99)
    name=own-${target//[.:]/_}
    nmap "${own[@]}" -oX "$WORK/$name.nmap.xml" "$target" >/dev/null
    "$SCANTRACE_BIN" "${own[@]}" -oX "$WORK/$name.st.xml" -w "$WORK/$name.st.pcapng" "$target" >/dev/null
done
# --packet-trace of the probes with no transport nmap builds (bare headers,
# IGMP, ICMP of the other family).
"$SCANTRACE_BIN" -sO -r -Pn -n --max-retries 0 --packet-trace -p 2,47,58,255 "$LAB_TARGET_IP" \
    >"$WORK/st.trace"
nmap -sO -r -Pn -n --max-retries 0 --packet-trace -p 2,47,58,255 "$LAB_TARGET_IP" >"$WORK/nmap.trace"
"$SCANTRACE_BIN" -6 -sO -r -Pn -n --max-retries 0 --packet-trace -p 1,47 "$LAB_TARGET_IP6" \
    >>"$WORK/st.trace"
nmap -6 -sO -r -Pn -n --max-retries 0 --packet-trace -p 1,47 "$LAB_TARGET_IP6" >>"$WORK/nmap.trace"
# Refusals: nothing is sent (the capture stays empty).
dumpcap -i "$LAB_IFACE" -q -w "$WORK/refused.pcapng" 2>"$WORK/dumpcap.log" &
pid=$!
dumpcap_ready "$WORK/dumpcap.log"
for args in "-sO -sS -p 6" "-sO -sU -p 6" "-sO -p 256" "-sO -p 1-300" "-sO -p x" "-sO --scanflags SYN -p 6"; do
    # shellcheck disable=SC2086 # the arguments are words
    if "$SCANTRACE_BIN" $args -Pn -n "$LAB_TARGET_IP" >"$WORK/refused.out" 2>"$WORK/refused.err"; then
        echo "REFUSAL NOT: $args"
    else
        echo "refused: $args: $(cat "$WORK/refused.err")"
    fi
done >"$WORK/refusals.txt"
# -p leaving -sO no protocol: nmap warns and skips it (exit 0), sending nothing.
"$SCANTRACE_BIN" -sO -p T:80 -Pn -n "$LAB_TARGET_IP" >"$WORK/noproto.st.out" 2>"$WORK/noproto.st.err" ||
    echo "exit $?" >>"$WORK/noproto.st.err"
nmap -sO -p T:80 -Pn -n "$LAB_TARGET_IP" >"$WORK/noproto.nmap.out" 2>"$WORK/noproto.nmap.err" ||
    echo "exit $?" >>"$WORK/noproto.nmap.err"
sleep 0.3
kill -INT "$pid"
wait "$pid" || true
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }
fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
# The table rows of an -oN file, the reply TTLs left out.
table() { sed -n '/^PROTOCOL /,/^MAC Address/p' "$1" | grep -v '^MAC Address' | sed 's/ ttl [0-9]*$//; s/ *$//'; }
for family in 4 6; do
    verdicts_from_xml "$WORK/nmap$family.xml" >"$WORK/nmap$family.txt"
    verdicts_from_xml "$WORK/st$family.xml" >"$WORK/st$family.txt"
    n=$(wc -l <"$WORK/nmap$family.txt")
    ((n == 11)) || die "IPv$family: nmap reported $n protocols, not 11"
    check "IPv$family: scantrace's verdicts are nmap's ($n protocols)" "$WORK/nmap$family.txt" "$WORK/st$family.txt"
    verdicts_from_xml "$WORK/st$family-nocap.xml" >"$WORK/st$family-nocap.txt"
    check "IPv$family: and without -w" "$WORK/nmap$family.txt" "$WORK/st$family-nocap.txt"
    grep -o 'Protocols: .*' "$WORK/nmap$family.gnmap" >"$WORK/nmap$family.g"
    grep -o 'Protocols: .*' "$WORK/st$family.gnmap" >"$WORK/st$family.g"
    check "IPv$family: -oG's Protocols: line is nmap's" "$WORK/nmap$family.g" "$WORK/st$family.g"
    table "$WORK/nmap$family.nmap" >"$WORK/nmap$family.table"
    table "$WORK/st$family.nmap" >"$WORK/st$family.table"
    check "IPv$family: -oN's table is nmap's" "$WORK/nmap$family.table" "$WORK/st$family.table"
    grep -o '<scaninfo [^>]*>' "$WORK/nmap$family.xml" >"$WORK/nmap$family.si"
    grep -o '<scaninfo [^>]*>' "$WORK/st$family.xml" >"$WORK/st$family.si"
    check "IPv$family: -oX's scaninfo is nmap's" "$WORK/nmap$family.si" "$WORK/st$family.si"
    verdicts_from_capture "$WORK/st$family.pcapng" >"$WORK/plugin-st$family.txt"
    check "IPv$family: the plugin on scantrace's capture gives the scanner's verdicts" \
        "$WORK/st$family.txt" "$WORK/plugin-st$family.txt"
    # nmap's probes carry no tag: its bare headers and IGMP query tell its
    # scan, and its TCP, UDP and echo probes are its -sA, -sU and -PE probes
    # byte for byte. In order, nmap's IPv4 echo request (protocol 1) comes
    # first: the plugin makes it the scan's once the IGMP query shows it.
    verdicts_from_capture "$WORK/nmap$family.pcapng" >"$WORK/plugin-nmap$family.txt"
    check "IPv$family: the plugin on nmap's capture gives nmap's verdicts ($n protocols)" \
        "$WORK/nmap$family.txt" "$WORK/plugin-nmap$family.txt"
done
for name in random4 tcpudp4 tcpudp6; do
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    verdicts_from_capture "$WORK/$name.pcapng" >"$WORK/$name.got"
    n=$(grep -c ' ip ' "$WORK/$name.want" || true)
    ((n >= 3)) || die "$name: nmap reported $n protocols"
    case $name in
    random4) what="IPv4, in random order" ;;
    tcpudp4) what="IPv4 -r -p 1,6,17" ;;
    *) what="IPv6 -p 6,17,58, in random order" ;;
    esac
    check "nmap's own -sO ($what): the plugin gives nmap's verdicts ($n protocols)" \
        "$WORK/$name.want" "$WORK/$name.got"
done
for order in TCP-gre-ICMP gre-ICMP-TCP; do
    [[ -e $WORK/order-$order.xml ]] || die "40 scans of -p 1,6,47 never sent them in the order $order"
    verdicts_from_xml "$WORK/order-$order.xml" >"$WORK/order-$order.want"
    verdicts_from_capture "$WORK/order-$order.pcapng" >"$WORK/order-$order.got"
    check "IPv4, sent in the order $order: the plugin on scantrace's capture gives the scanner's verdicts ($(grep " ip 1 " "$WORK/order-$order.want" | cut -d" " -f4-))" \
        "$WORK/order-$order.want" "$WORK/order-$order.got"
done
for name in icmp2h-{1..6} icmp1h-{1..4}; do
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    verdicts_from_capture "$WORK/$name.pcapng" >"$WORK/$name.got"
    (($(grep -c ' ip 1 ' "$WORK/$name.want" || true) >= 1)) || die "$name: no protocol 1 reported"
    check "IPv4 -p 1,6,17,132,255 ($name): the plugin on scantrace's capture gives the scanner's verdicts ($(grep " ip 1 " "$WORK/$name.want" | cut -d" " -f1,4- | paste -sd,))" \
        "$WORK/$name.want" "$WORK/$name.got"
done
for target in 127.0.0.1 10.201.0.1 ::1; do
    name=own-${target//[.:]/_}
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.want"
    verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.got"
    n=$(grep -c ' ip ' "$WORK/$name.want" || true)
    ((n == 6)) || die "-sO of $target: nmap reported $n protocols, not 6"
    grep -q " ip 6 open proto-response" "$WORK/$name.want" || die "-sO of $target: nmap found no TCP"
    check "-sO of our own $target (through lo): scantrace's verdicts are nmap's" \
        "$WORK/$name.want" "$WORK/$name.got"
    verdicts_from_capture "$WORK/$name.st.pcapng" >"$WORK/$name.plugin"
    check "-sO of our own $target: the plugin on scantrace's capture gives the scanner's verdicts" \
        "$WORK/$name.got" "$WORK/$name.plugin"
done
first=$(tshark_unpriv -r "$(tshark_file "$WORK/sctpfirst.pcapng")" -Y 'ip.src == 10.201.0.1' \
    -T fields -e ip.proto 2>/dev/null | head -1)
[[ $first == 132 ]] || die "20 scans of -p 6,132 sent protocol '$first' first, not 132"
verdicts_from_xml "$WORK/sctpfirst.xml" >"$WORK/sctpfirst.want"
verdicts_from_capture "$WORK/sctpfirst.pcapng" >"$WORK/sctpfirst.got"
check "IPv4: the SCTP INIT sent first is -sO's to the plugin, not nmap -sY's" \
    "$WORK/sctpfirst.want" "$WORK/sctpfirst.got"
# The SENT lines of those probes, less what differs by design (times, TTL or
# hop limit, IP ID, flow label).
bare_sent() {
    grep -E '^SENT .* (\(|\[\?\?\])' "$1" | grep -vE ' (TCP|UDP|SCTP|ARP) |type=135' |
        sed -E 's/^SENT \([0-9.]+s\) //; s/(ttl|id|hopl|flow)=[0-9a-f]+ //g'
}
bare_sent "$WORK/nmap.trace" >"$WORK/nmap.sent"
bare_sent "$WORK/st.trace" >"$WORK/st.sent"
[[ $(wc -l <"$WORK/nmap.sent") == 6 ]] || { cat "$WORK/nmap.trace"; die "nmap traced $(wc -l <"$WORK/nmap.sent") bare probes, not 6"; }
check "--packet-trace words the bare probes as nmap's" "$WORK/nmap.sent" "$WORK/st.sent"
cat "$WORK/refusals.txt"
grep -q "^WARNING: protocol scan was requested" "$WORK/noproto.nmap.err" ||
    { echo "FAIL -sO -p T:80: nmap did not warn"; fail=1; }
check "-sO -p T:80: warned and skipped, as nmap" "$WORK/noproto.nmap.err" "$WORK/noproto.st.err"
if grep -q "REFUSAL NOT" "$WORK/refusals.txt" || (($(grep -c '^refused' "$WORK/refusals.txt") != 6)); then
    echo "FAIL -sO: a bad command line was not refused"; fail=1
else
    echo "ok   -sO: every bad command line refused in one line"
fi
grep -q 'must currently be used alone' "$WORK/refusals.txt" &&
    grep -q 'between 0 and 255 inclusive' "$WORK/refusals.txt" ||
    { echo "FAIL -sO: refusals not in nmap's words"; fail=1; }
sent=$(tshark_unpriv -r "$(tshark_file "$WORK/refused.pcapng")" -Y 'ip.src == 10.201.0.1 || ipv6.src == fd20:1::1' 2>/dev/null | wc -l)
if ((sent == 0)); then echo "ok   -sO: the refused command lines sent nothing"; else
    echo "FAIL -sO: the refused command lines sent $sent packets"; fail=1; fi
((fail == 0)) && echo "PASS"
exit $fail
