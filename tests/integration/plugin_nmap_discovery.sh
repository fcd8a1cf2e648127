#!/usr/bin/env bash
# nmap's host discovery on the lab's link, captured with dumpcap on the
# scanner's interface, in one lab run: nmap -sn over 10.201.0.1-30 (an ARP
# sweep: two hosts answer, 27 addresses nobody holds), nmap -6 -sn over
# fd20:1::2-1f (Neighbor Discovery), and -sn -PS22, -PA80, -PU53, -PY, -PE,
# -PM, -PO, -PO1 and -PO1,2,4 with --disable-arp-ping. Nothing in one of those
# packets tells them from an ordinary ARP request or neighbor solicitation, or
# from a port scan's SYN, ACK or datagram (or -PE's echo): the plugin tells by
# behaviour (plugin/README.md, "Host discovery by behaviour"), or the preference
# scantrace.nmap_echo. On every capture each host nmap reports gets nmap's
# state and reason from the plugin (scantrace.host, .host_reason) and the port
# table's host line says the same, no probe is labelled a port scan's, and the
# ARP requests nmap makes only to learn a pinged host's link address are not
# labelled. nmap's ARP ping of one host then -sA or -sS of it (of two, one
# absent; the same with -Pn, which still ARP-pings on the link and reports
# arp-response), and -Pn -sS of an absent address alone (two requests 1.2 s
# apart: nmap's ARP ping, the host down), against nmap's report. Port scans
# with no discovery before them (-Pn --disable-arp-ping -sS, -sU, and -6 -sS):
# the host up, user-set, as nmap's report, and not after nmap -6 -Pn's Neighbor
# Discovery ping (nd-response). A single ordinary ARP and ND exchange (the
# kernel's, before a connection) stays unlabelled.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"

foreign_start nmap-discovery nmap

# name, the hosts nmap finds up, the scan types the plugin must label (sorted,
# one line), nmap's options, tshark's options, the hosts nmap reports (29 if
# empty). Linux answers no address mask request: -PM finds every host down.
# The lab's target has no SCTP: -PY's INIT gets protocol unreachable, which
# proves the host up. nmap's -PO sends protocol 1 as -PE's echo request byte
# for byte, and a host that answers it gets nothing else: over 30 addresses
# only the preference scantrace.nmap_echo tells (-PO, -PO1, -PO1,2,4); over
# two, nmap sends its IGMP query and IP-in-IP header before it reads the echo
# replies, which tell the plugin unaided. -PE's echo stays -PE's (echo-reply).
# burst: -PE's echo comes first, then -PS and -PA in the same burst (no port
# scan follows): pings, not a SYN scan after a ping.
RUNS=(
    "arp|2|arp|-sn \$T4"
    "nd|2|nd|-6 -sn \$T6"
    "syn|2|arp syn-ping|-sn -PS22 --disable-arp-ping \$T4"
    "ack|2|ack-ping arp|-sn -PA80 --disable-arp-ping \$T4"
    "udp|2|arp udp-ping|-sn -PU53 --disable-arp-ping \$T4"
    "sctp|2|arp sctp-init-ping|-sn -PY --disable-arp-ping \$T4"
    "echo|2|arp echo|-sn -PE --disable-arp-ping \$T4"
    "mask|0|arp mask|-sn -PM --disable-arp-ping \$T4"
    "po|2|arp proto-ping|-sn -PO --disable-arp-ping \$T4|-o scantrace.nmap_echo:po"
    "po1|2|arp proto-ping|-sn -PO1 --disable-arp-ping \$T4|-o scantrace.nmap_echo:po"
    "po124|2|arp proto-ping|-sn -PO1,2,4 --disable-arp-ping \$T4|-o scantrace.nmap_echo:po"
    "poburst|2|proto-ping|-sn -PO --disable-arp-ping 10.201.0.2-3||2"
    "burst|2|ack-ping echo syn-ping timestamp|-sn --send-ip -PE -PS22,23 -PA80 -PP 10.201.0.2-3||2"
)
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
[[ -n $LAB_TARGET_IP6 ]] || touch "$WORK/no-ipv6"
# Only the lab'\''s own link: 10.201.0.1-30 and fd20:1::2-1f.
T4=10.201.0.1-30
T6=$(for i in $(seq 2 31); do printf "fd20:1::%x " "$i"; done)
# One ordinary exchange each: the kernel resolves a target before a connection.
ip neigh flush dev "$LAB_IFACE"
lab_capture ordinary bash -c ": <>/dev/tcp/$LAB_TARGET_IP/80; [[ -e $WORK/no-ipv6 ]] || : <>/dev/tcp/$LAB_TARGET_IP6/80"
while IFS="|" read -r name _ _ options _; do
    [[ $name == nd && -e $WORK/no-ipv6 ]] && continue
    ip neigh flush dev "$LAB_IFACE"
    eval "lab_capture $name nmap -v -n --reason $options -oX \"\$WORK/$name.xml\""
done <<<"$RUN_LINES"
# A ping of one host, then a port scan of it: the ping is one by what follows.
lab_capture pingscan nmap -v -n --reason -PS22 --disable-arp-ping -p 1-30 -oX "$WORK/pingscan.xml" "$LAB_TARGET_IP"
# nmap'\''s ARP ping of one host, then -sA or -sS of it; of two, one nobody holds;
# the same with -Pn, which on the link still ARP-pings (nmap 7.93: arp-response).
for run in "arpsa:-sA $LAB_TARGET_IP" "arpss:-sS $LAB_TARGET_IP" "arpdown:-sS $LAB_TARGET_IP $LAB_DOWN_IP" \
    "arppn:-Pn -sS $LAB_TARGET_IP $LAB_DOWN_IP"; do
    ip neigh flush dev "$LAB_IFACE"
    lab_capture "${run%%:*}" nmap -v -n --reason -p 1-30 -oX "$WORK/${run%%:*}.xml" ${run#*:}
done
# nmap -Pn -sS of the address nobody holds alone (-sn sends the same): its
# two requests 1.2 s apart, nothing after; nmap reports the host down.
ip neigh flush dev "$LAB_IFACE"
lab_capture arplone nmap -v -n --reason -Pn -sS -p 22,80 -oX "$WORK/arplone.xml" "$LAB_DOWN_IP"
# The kernel'\''s ARP before a connection, then nmap -sS of the host without an
# ARP of its own (-Pn --disable-arp-ping; -Pn alone still resolves the address itself).
ip neigh flush dev "$LAB_IFACE"
lab_capture arpkernel bash -c "sleep 0.3; : <>/dev/tcp/$LAB_TARGET_IP/80; nmap -n --reason -Pn --disable-arp-ping -sS -p 1-30 -oX $WORK/arpkernel.xml $LAB_TARGET_IP"
# No discovery on the wire (nmap 7.93: up, user-set): -sU with --disable-arp-ping;
# over IPv6 -Pn --disable-arp-ping, and -Pn alone, whose Neighbor Discovery ping
# (nd-response) the plugin does not label: it must not say user-set there.
ip neigh flush dev "$LAB_IFACE"
lab_capture userudp nmap -n --reason -Pn --disable-arp-ping -sU -p 53,69,123 -oX "$WORK/userudp.xml" "$LAB_TARGET_IP"
if [[ ! -e $WORK/no-ipv6 ]]; then
    for run in "user6:--disable-arp-ping" "nd6:"; do
        ip -6 neigh flush dev "$LAB_IFACE"
        lab_capture "${run%%:*}" nmap -6 -n --reason -Pn ${run#*:} -sS -p 22,23,80 -oX "$WORK/${run%%:*}.xml" "$LAB_TARGET_IP6"
    done
fi
'
RUN_LINES=$(printf '%s\n' "${RUNS[@]}")
export RUN_LINES
foreign_lab "$inner" ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}

# The plugin's host verdicts: "HOST STATE REASON" per host with a discovery
# probe, from scantrace.host and scantrace.host_reason, which every discovery
# probe of the host carries alike (a host given two readings shows twice).
plugin_host_verdicts() { # CAPTURE [TSHARK-ARGS...]
    local capture=$1
    shift
    tshark_unpriv -r "$(tshark_file "$capture")" -2 "$@" -Y 'scantrace.role == "probe" && scantrace.host' \
        -T fields -e scantrace.target -e scantrace.target6 -e scantrace.host -e scantrace.host_reason |
        awk -F'\t' '{print ($1 != "" ? $1 : $2), $3, $4}' | sort -u
}

# The port table's host line of each host ("Host is up, received echo-reply
# ttl 64 (0.000020s latency)." under its discovery's heading, "Host is up,
# received user-set." under a port scan's) as "HOST STATE REASON[ ttl N]", what
# nmap's own line says (the latency aside: timing).
plugin_host_lines() { # CAPTURE [TSHARK-ARGS...]
    local capture=$1
    shift
    tshark_unpriv -r "$(tshark_file "$capture")" -2 "$@" -q -z scantrace,ports |
        awk '/^[0-9a-f.:]+ .*: [0-9]+ (ports?|ping types?)$/ { host = $1; next }
             host != "" && /^Host (is up|seems down), received / {
                 why = $5; sub(/\.$/, "", why)
                 print host, ($2 == "is" ? "up" : "down"), why ($6 == "ttl" ? " ttl " $7 : "")
             }
             { host = "" }' | sort
}

for run in "${RUNS[@]}"; do
    IFS='|' read -r name want_up types _ prefs hosts <<<"$run"
    # shellcheck disable=SC2206 # tshark's options are words
    prefs=($prefs)
    if [[ $name == nd && -e $WORK/no-ipv6 ]]; then echo "skip nd: the lab has no IPv6"; continue; fi
    capture=$WORK/$name.pcapng
    # nmap's own address is up by localhost-response: no packet says so.
    hosts_from_xml "$WORK/$name.xml" | grep -v ' localhost-response$' >"$WORK/$name.want" || true
    up=$(grep -c ' up ' "$WORK/$name.want" || true)
    down=$(grep -c ' down ' "$WORK/$name.want" || true)
    hosts=${hosts:-29} # 10.201.0.2-30; fd20:1::2-1f are 30
    [[ $name == nd ]] && hosts=30
    ((up == want_up && up + down == hosts)) || { echo "FAIL $name: nmap found $up hosts up, $down down"; fail=1; }
    plugin_host_verdicts "$capture" "${prefs[@]}" >"$WORK/$name.got"
    check "$name: every host as nmap found it ($up up, $down down)" "$WORK/$name.want" "$WORK/$name.got"
    host_lines_from_xml "$WORK/$name.xml" | grep -v ' localhost-response$' >"$WORK/$name.lines.want" || true
    plugin_host_lines "$capture" "${prefs[@]}" >"$WORK/$name.lines.got"
    check "$name: the port table's host lines are nmap's" "$WORK/$name.lines.want" "$WORK/$name.lines.got"
    got_types=$(tshark_unpriv -r "$(tshark_file "$capture")" -2 "${prefs[@]}" -Y 'scantrace.role == "probe"' \
        -T fields -e scantrace.scan | sort -u | paste -sd' ')
    [[ $got_types == "$types" ]] || { echo "FAIL $name: probes labelled $got_types, not $types"; fail=1; }
    # Frames labelled as ARP probes: never the requests for the hosts that answered
    # a TCP or UDP ping (those only resolved their link address).
    if [[ $name != arp && $name != nd ]]; then
        resolved=$(tshark_unpriv -r "$(tshark_file "$capture")" -2 -Y \
            "scantrace.scan == \"arp\" && (arp.dst.proto_ipv4 == 10.201.0.2 || arp.dst.proto_ipv4 == 10.201.0.3)" | wc -l)
        ((resolved == 0)) || { echo "FAIL $name: $resolved address resolutions labelled"; fail=1; }
    fi
done

# nmap -PS22 -p 1-30 of one host: its SYN to 22 is a ping (a port scan of the
# host follows it), judging the host as nmap did, and the port scan's SYNs,
# to 22 again among them, judge the ports as nmap did.
hosts_from_xml "$WORK/pingscan.xml" | grep -v ' unknown-response$' >"$WORK/pingscan.want" || true
plugin_host_verdicts "$WORK/pingscan.pcapng" >"$WORK/pingscan.got"
check "ping, then a port scan: the host as nmap found it ($(cat "$WORK/pingscan.want"))" \
    "$WORK/pingscan.want" "$WORK/pingscan.got"
verdicts_from_xml "$WORK/pingscan.xml" >"$WORK/pingscan.ports.want"
verdicts_from_capture "$WORK/pingscan.pcapng" | awk '$4 != "up" && $4 != "down"' >"$WORK/pingscan.ports.got"
check "ping, then a port scan: all $(wc -l <"$WORK/pingscan.ports.want") ports as nmap found them" \
    "$WORK/pingscan.ports.want" "$WORK/pingscan.ports.got"
types=$(plugin_tools "$WORK/pingscan.pcapng" | awk '{print $3}' | sort -u | paste -sd' ')
[[ $types == "syn syn-ping" ]] || { echo "FAIL pingscan: probes labelled $types"; fail=1; }

# nmap's ARP ping of one host (two, one down), then its -sA or -sS: the ARP
# requests nmap sent before its scan are its pings, judging each host as nmap's
# report does; the kernel's, microseconds before the scan's first probe (it
# learned nothing from nmap's), only resolved the address: not labelled.
for name in arpsa arpss arpdown arppn; do
    capture=$WORK/$name.pcapng
    host_lines_from_xml "$WORK/$name.xml" >"$WORK/$name.lines.want"
    plugin_host_lines "$capture" >"$WORK/$name.lines.got"
    check "$name: the port table's host lines are nmap's ($(paste -sd, "$WORK/$name.lines.want"))" \
        "$WORK/$name.lines.want" "$WORK/$name.lines.got"
    hosts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    plugin_host_verdicts "$capture" >"$WORK/$name.got"
    check "$name: the ARP pings' hosts as nmap found them" "$WORK/$name.want" "$WORK/$name.got"
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.ports.want"
    verdicts_from_capture "$capture" | awk '$4 != "up" && $4 != "down"' >"$WORK/$name.ports.got"
    check "$name: all $(wc -l <"$WORK/$name.ports.want") ports as nmap found them" \
        "$WORK/$name.ports.want" "$WORK/$name.ports.got"
    # Each ARP request: seconds before the scan's first TCP probe, labelled by.
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -Y 'arp.opcode == 1 || tcp' -T fields \
        -e frame.time_epoch -e arp.opcode -e scantrace.tool -e scantrace.scan |
        awk -F'\t' '$2 == "" && !t { t = $1 } $2 == 1 { n++; at[n] = $1; by[n] = $3 "/" $4 }
             END { for (i = 1; i <= n; i++) printf "%.3f %s\n", t - at[i], by[i] }' >"$WORK/$name.arp"
    if awk '($1 > 0.005) != ($2 == "nmap/arp") { bad = 1 } $2 == "nmap/arp" { n++ } END { exit bad || !n }' \
        "$WORK/$name.arp"; then
        echo "ok   $name: nmap's ARP requests labelled, the kernel's not ($(paste -sd, "$WORK/$name.arp"))"
    else
        echo "FAIL $name: ARP requests (seconds before the scan, tool/scan):"; cat "$WORK/$name.arp"; fail=1
    fi
done
# nmap's two requests for one address nobody holds (a kernel asks three times,
# 1 s apart) are its ARP ping: both labelled nmap's, the host down, no-response,
# and the port table's host line nmap's.
hosts_from_xml "$WORK/arplone.xml" >"$WORK/arplone.want"
plugin_host_verdicts "$WORK/arplone.pcapng" >"$WORK/arplone.got"
check "arplone: the host as nmap found it ($(cat "$WORK/arplone.want"))" "$WORK/arplone.want" "$WORK/arplone.got"
host_lines_from_xml "$WORK/arplone.xml" >"$WORK/arplone.lines.want"
plugin_host_lines "$WORK/arplone.pcapng" >"$WORK/arplone.lines.got"
check "arplone: the port table's host line is nmap's" "$WORK/arplone.lines.want" "$WORK/arplone.lines.got"
lone=$(tshark_unpriv -r "$(tshark_file "$WORK/arplone.pcapng")" -2 -Y 'arp.opcode == 1' -T fields \
    -e scantrace.tool -e scantrace.scan -e scantrace.host | sort | uniq -c | awk '{print $1, $2, $3, $4}' | paste -sd,)
[[ $lone == "2 nmap arp down" ]] && echo "ok   arplone: both requests nmap's ARP ping, down" ||
    { echo "FAIL arplone: ARP requests labelled $lone, not 2 nmap arp down"; fail=1; }
# Nothing ties a kernel's request before a connection to the nmap -Pn scan after it.
for name in arpkernel; do
    n=$(tshark_unpriv -r "$(tshark_file "$WORK/$name.pcapng")" -2 -Y 'arp && scantrace.role' | wc -l)
    all=$(tshark_unpriv -r "$(tshark_file "$WORK/$name.pcapng")" -2 -Y 'arp.opcode == 1' | wc -l)
    if ((n == 0 && all >= 1)); then echo "ok   $name: $all ARP requests, none labelled"; else
        echo "FAIL $name: $n of $all ARP frames labelled"; fail=1; fi
done
# A port scan with no discovery before it (nmap -Pn --disable-arp-ping): the
# host up, user-set, in every probe's fields and the port scan's host line, as
# nmap's report; the kernel's request just before the first probe (arpkernel)
# is no ping. With -Pn alone over IPv6 nmap's ND ping came first: no user-set.
for name in arpkernel userudp user6 nd6; do
    [[ $name == *6 && -e $WORK/no-ipv6 ]] && { echo "skip $name: the lab has no IPv6"; continue; }
    capture=$WORK/$name.pcapng
    hosts_from_xml "$WORK/$name.xml" >"$WORK/$name.want"
    host_lines_from_xml "$WORK/$name.xml" >"$WORK/$name.lines.want"
    verdicts_from_xml "$WORK/$name.xml" >"$WORK/$name.ports.want"
    if [[ $name == nd6 ]]; then
        grep -q ' up nd-response$' "$WORK/$name.want" || { echo "FAIL nd6: nmap says $(cat "$WORK/$name.want")"; fail=1; }
        : >"$WORK/$name.want"
        : >"$WORK/$name.lines.want"
    else
        grep -q ' up user-set$' "$WORK/$name.want" || { echo "FAIL $name: nmap says $(cat "$WORK/$name.want")"; fail=1; }
    fi
    : >"$WORK/$name.got"
    # One read for every probe's port verdict and host status (as
    # verdicts_from_capture and plugin_host_verdicts give them), one for the table.
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -Y 'scantrace.role == "probe"' -T fields \
        -e scantrace.target -e scantrace.target6 -e scantrace.proto -e scantrace.port \
        -e scantrace.verdict -e scantrace.reason -e scantrace.host -e scantrace.host_reason |
        awk -F'\t' -v dir="$WORK/$name" '{ h = ($1 != "" ? $1 : $2)
            print h, $3, $4, $5, $6 | "sort -u >" dir ".ports.got"
            if ($7 != "") print h, $7, $8 | "sort -u >" dir ".got"; else bare++ }
            END { print bare + 0 >dir ".bare" }'
    check "$name: the host as nmap found it ($(paste -sd, "$WORK/$name.want"))" "$WORK/$name.want" "$WORK/$name.got"
    [[ $name == nd6 || $(cat "$WORK/$name.bare") == 0 ]] ||
        { echo "FAIL $name: $(cat "$WORK/$name.bare") probes without the host's status"; fail=1; }
    plugin_host_lines "$capture" >"$WORK/$name.lines.got"
    check "$name: the port table's host line is nmap's ($(paste -sd, "$WORK/$name.lines.want"))" \
        "$WORK/$name.lines.want" "$WORK/$name.lines.got"
    check "$name: all $(wc -l <"$WORK/$name.ports.want") ports as nmap found them" \
        "$WORK/$name.ports.want" "$WORK/$name.ports.got"
done

# Ordinary traffic: one ARP exchange, one ND exchange, two connections: nothing labelled.
tshark_unpriv -r "$(tshark_file "$WORK/ordinary.pcapng")" -2 -T fields -e frame.protocols -e scantrace.role \
    >"$WORK/ordinary.fields"
arp=$(grep -c ':arp' "$WORK/ordinary.fields" || true)
nd=$(grep -c ':icmpv6' "$WORK/ordinary.fields" || true)
labelled=$(awk -F'\t' '$2 != ""' "$WORK/ordinary.fields" | wc -l)
echo "ordinary: $(wc -l <"$WORK/ordinary.fields") frames ($arp ARP, $nd ICMPv6), $labelled labelled"
want_nd=1
[[ -e $WORK/no-ipv6 ]] && want_nd=0
((arp >= 2 && nd >= want_nd && labelled == 0)) || { echo "FAIL ordinary ARP/ND exchange labelled or missing"; fail=1; }

# Written offline (struct, nothing sent): 20 ARP requests from one source within
# 40 ms, broadcast (a sweep: all labelled) or each to the target's own MAC
# address (a kernel refreshing entries it has: none labelled).
if command -v python3 >/dev/null; then
    python3 - "$WORK" <<'PY'
import struct, sys
def mac(i): return bytes([2, 0, 0, 0, 0, i])
for name, bcast in (("bcast", True), ("unicast", False)):
    with open(f"{sys.argv[1]}/{name}.pcap", "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 1))
        for b in range(2, 22):
            t = 1_700_000_000 + b * 0.002
            fr = (b"\xff" * 6 if bcast else mac(b)) + mac(1) + b"\x08\x06"
            fr += struct.pack(">HHBBH", 1, 0x0800, 6, 4, 1) + mac(1) + bytes([10, 50, 0, 1])
            fr += b"\0" * 6 + bytes([10, 50, 0, b])
            fr += b"\0" * (60 - len(fr))
            out.write(struct.pack("<IIII", int(t), int(t % 1 * 1e6), len(fr), len(fr)) + fr)
PY
    for name in bcast unicast; do
        n=$(tshark_unpriv -r "$(tshark_file "$WORK/$name.pcap")" -2 -Y 'scantrace.role == "probe"' | wc -l)
        want=20
        [[ $name == unicast ]] && want=0
        if ((n == want)); then echo "ok   20 $name ARP requests in 40 ms: $n labelled"; else
            echo "FAIL 20 $name ARP requests in 40 ms: $n labelled, not $want"; fail=1; fi
    done
fi

((fail == 0)) && echo PASS
exit $fail
