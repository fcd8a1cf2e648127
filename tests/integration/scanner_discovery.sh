#!/usr/bin/env bash
# nmap 7.93's host discovery options, scantrace against nmap in one lab run: a
# table of command lines (-PS, -PA, -PU, -PE, -PP, -PM, -PO, -PR, lists,
# several combined, a port scan after -PS, IPv4 and -6), each run by both with the
# same flags against 10.201.0.2 (the port plan: 8080 dropped, 500/udp
# dropped, 53/udp answered), 10.201.0.3 (no firewall) and 10.201.0.5
# (nobody), or their IPv6 twins. --disable-arp-ping or --send-ip makes the IP
# pings go out on the veth link (ARP or ND would decide otherwise). Both XML
# reports must give every host the same status and reason (and every port
# the same verdict after -PS22 -p 22,80); then the plugin, run by tshark as
# an unprivileged user on scantrace's -w capture, must label every probe of
# the discovery phase a host discovery probe (scantrace.host set, no port
# verdict) and give each host the status and reason the report gives.
# -PY is scan_sctp.sh's. -6 -PO: nmap sends 1, 2 and 4 bare, the IPv6 targets
# answer each with a parameter problem (unrecognized next header), which nmap
# takes for nothing, so every host is down (no-response); 58 is an ICMPv6 echo.
# -PE -PP -PM against a target that rejects the timestamp and address mask
# requests: the plugin ties each ICMP error to the request it quotes (their
# cookies, and so their ICMP ids, differ by the query type; README.md).
# Port 0 (-PS0,80, -PA0, -PU0, -PY0), which nmap 7.93 pings where it is named:
# nmap's run is captured too, and the plugin on each tool's capture must label
# every probe to port 0 a host discovery probe and judge each host as that
# tool's report does (reset, port-unreach, proto-unreach; the down host
# no-response).
# A down host on the link (-sn, default retries): scantrace sends as many ARP
# requests as nmap (2), as far apart (1.2 s); and, its IP pings reaching the
# wire unanswered, each of -sn's four pings and -sn -PS22's SYN as many times
# as nmap in the same run (2), the tries as far apart (2 s, 1 s). Refusals (bad lists, -PP with
# -6) are scanner_bad_input.sh's and the unit tests'.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"

# NAME | FAMILY | FLAGS [| nobody | nmap-capture]. Every case is -v --reason
# --max-retries 1 -n. nobody: both run as an ordinary user (connect() to the
# -PS ports, no capture, so no plugin check). nmap-capture: dumpcap captures
# nmap's run too, for the plugin.
CASES=(
    "ps22      | 4 | -sn -PS22 --disable-arp-ping"
    "pa80      | 4 | -sn -PA80 --disable-arp-ping"
    "pa8080    | 4 | -sn -PA8080 --disable-arp-ping"
    "pu53      | 4 | -sn -PU53 --disable-arp-ping"
    "pu        | 4 | -sn -PU --disable-arp-ping"
    "pu500     | 4 | -sn -PU500 --send-ip"
    "pe        | 4 | -sn -PE --disable-arp-ping"
    "pp        | 4 | -sn -PP --send-ip"
    "pm        | 4 | -sn -PM --disable-arp-ping"
    "pe-pp     | 4 | -sn -PE -PP --send-ip"
    "po        | 4 | -sn -PO --disable-arp-ping"
    "po4       | 4 | -sn -PO4 --send-ip"
    "po2       | 4 | -sn -PO2 --disable-arp-ping"
    "po6-17    | 4 | -sn -PO6,17 --disable-arp-ping"
    "ps-pe     | 4 | -sn -PS22,80 -PE --disable-arp-ping"
    "pa-pp     | 4 | -sn -PA8080,8443 -PP --disable-arp-ping"
    "pr        | 4 | -sn -PR"
    "ps0-80    | 4 | -sn -PS0,80 --disable-arp-ping | nmap-capture"
    "pa0       | 4 | -sn -PA0 --disable-arp-ping | nmap-capture"
    "pu0       | 4 | -sn -PU0 --disable-arp-ping | nmap-capture"
    "py0       | 4 | -sn -PY0 --disable-arp-ping | nmap-capture"
    "ps-scan   | 4 | -PS22 -p 22,80 --disable-arp-ping"
    "ps-user   | 4 | -sn -PS22,8080 -PE | nobody"
    "ps22-6    | 6 | -sn -PS22 --disable-arp-ping"
    "pa80-6    | 6 | -sn -PA80 --send-ip"
    "pu-6      | 6 | -sn -PU --disable-arp-ping"
    "pe-6      | 6 | -sn -PE --disable-arp-ping"
    "po-6      | 6 | -sn -PO --disable-arp-ping"
    "po58-6    | 6 | -sn -PO58 --disable-arp-ping"
    "po6-17-58-6 | 6 | -sn -PO6,17,58 --disable-arp-ping"
    # Last: 10.201.0.3 rejects timestamp and address mask requests from here on.
    "pe-pp-pm-rej | 4 | -sn -PE -PP -PM --disable-arp-ping"
)

lab_test_start scanner-discovery --tshark nmap tshark
printf '%s\n' "${CASES[@]}" >"$WORK/cases"
mkdir -m 1777 "$WORK/nobody"
export SCANTRACE_BIN WORK

# Inside the scanner namespace: each case by nmap, then by scantrace (-w).
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
# A down host on the link, asked by ARP with the default retries: its ARP
# requests on the wire, by nmap and by scantrace.
echo "$LAB_DOWN_IP" >"$WORK/down-ip"
echo "$LAB_TARGET2_IP" >"$WORK/target2-ip"
for tool in nmap "$SCANTRACE_BIN"; do
    out=$WORK/arp-down.nmap
    [[ $tool == nmap ]] || out=$WORK/arp-down.st
    capture_around "$out.pcapng" arp "$tool" -sn -n "$LAB_DOWN_IP" >"$out.txt" 2>&1 ||
        { echo "arp-down: $tool failed"; cat "$out.txt"; exit 1; }
done
# The down host gets a neighbour entry of a MAC nobody has: the IP pings to
# it then reach the wire (and the capture) unanswered, as off the link,
# instead of stopping at the kernel'"'"'s failed ARP. Both tools see the same.
ip neigh replace "$LAB_DOWN_IP" lladdr 02:00:00:00:00:05 dev "$LAB_IFACE" nud permanent
[[ -z $LAB_DOWN_IP6 ]] ||
    ip -6 neigh replace "$LAB_DOWN_IP6" lladdr 02:00:00:00:00:05 dev "$LAB_IFACE" nud permanent
# That down host alone with the default retries, by each tool: -sn (the four
# default pings) and -sn -PS22 at once (their probes differ), one capture.
for tool in nmap "$SCANTRACE_BIN"; do
    out=$WORK/ping-down.nmap
    [[ $tool == nmap ]] || out=$WORK/ping-down.st
    capture_around "$out.pcapng" "dst host $LAB_DOWN_IP" bash -c \
        '"'"'"$1" -sn --disable-arp-ping -n "$2" >"$3.sn.txt" 2>&1 & "$1" -sn -PS22 --disable-arp-ping -n "$2" >"$3.ps22.txt" 2>&1 || exit 1; wait $!'"'"' \
        - "$tool" "$LAB_DOWN_IP" "$out" || { echo "ping-down: $tool failed"; cat "$out".*.txt; exit 1; }
done
while IFS="|" read -r name family flags as; do
    name=${name// /}
    family=${family// /}
    as=${as// /}
    if [[ $family == 6 ]]; then
        [[ -n $LAB_TARGET_IP6 ]] || continue
        hosts="$LAB_TARGET_IP6 $LAB_TARGET2_IP6 $LAB_DOWN_IP6" six=-6
    else
        hosts="$LAB_TARGET_IP $LAB_TARGET2_IP $LAB_DOWN_IP" six=
    fi
    echo "$name" >>"$WORK/ran"
    # The second target answers timestamp and address mask requests with ICMP
    # errors quoting them (admin-prohibited, host-unreachable): the plugin
    # must tie each to the request it quotes, not to the echo request.
    if [[ $name == pe-pp-pm-rej ]]; then
        for rule in "timestamp-request reject with icmp type admin-prohibited" \
            "address-mask-request reject with icmp type host-unreachable"; do
            # shellcheck disable=SC2086 # the words of the rule
            ip netns exec "$LAB_TARGET_NS" nft add rule inet lab input ip daddr "$LAB_TARGET2_IP" icmp type $rule
        done
    fi
    if [[ $as == nobody ]] && ! setpriv --reuid=nobody --regid=nogroup --clear-groups -- true 2>/dev/null; then
        echo "skip $name: no user nobody in this namespace"
        continue
    fi
    for tool in nmap "$SCANTRACE_BIN"; do
        # No neighbour entry left from the run before: each asks afresh.
        ip neigh flush dev "$LAB_IFACE"
        ip -6 neigh flush dev "$LAB_IFACE" 2>/dev/null || true
        out=$WORK/$name.nmap
        extra=()
        [[ $tool == nmap ]] || { out=$WORK/$name.st; extra=(-w "$WORK/$name.pcapng"); }
        user=()
        [[ $tool != nmap || $as != nmap-capture ]] || user=(capture_around "$out.pcapng" "")
        if [[ $as == nobody ]]; then
            user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
            out=$WORK/nobody/${out##*/}
            extra=()
        fi
        # shellcheck disable=SC2086 # flag and address lists
        "${user[@]}" "$tool" $six $flags -n -v --reason --max-retries 1 -oX "$out.xml" "${extra[@]}" $hosts \
            </dev/null >"$out.txt" 2>&1 || { echo "$name: $tool failed"; cat "$out.txt"; exit 1; }
    done
done <"$WORK/cases"
'
start=$(date +%s)
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }
scanned=$(date +%s)

fail=0
check() { # NAME WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
# The plugin's reading of each frame it ties to a scan, in frame order:
# "ROLE TARGET SCAN HOST REASON PORT VERDICT HOST-REASON" (tab-separated); HOST
# (up or down) and HOST-REASON only on host discovery probes and their replies.
plugin_frames() { # CAPTURE
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "probe" || scantrace.role == "response"' \
        -T fields -e scantrace.role -e scantrace.target -e scantrace.target6 -e scantrace.scan \
        -e scantrace.host -e scantrace.reason -e scantrace.port -e scantrace.verdict \
        -e scantrace.host_reason |
        awk -F'\t' -v OFS='\t' '{ print $1, ($2 != "" ? $2 : $3), $4, $5, $6, $7, $8, $9 }'
}
# Each host's status as the plugin gives it: every discovery frame of a host
# must carry the same scantrace.host and scantrace.host_reason (nmap's status of
# the host, whichever ping the frame is; a ping nobody answered of a host that
# another ping found up says up too), else the host is "inconsistent".
plugin_hosts() { # FRAMES
    awk -F'\t' '$4 == "" { next }
        !($2 in seen) { seen[$2] = $4 " " $8; order[++n] = $2 }
        seen[$2] != $4 " " $8 { bad[$2] = 1 }
        END { for (i = 1; i <= n; i++) {
            h = order[i]
            if (h in bad) print h, "inconsistent", "-"
            else print h, seen[h]
        } }' "$1" | sort
}
# nmap 7.93 asks a down host on the link twice, the second request 1.2 s
# after the first (its 200 ms ARP timeout, then a second's pause before the
# retransmission): scantrace must send as many, as far apart (within 0.4 s:
# the machine may be busy).
arp_requests() { # CAPTURE: the times of the requests for the down host
    tshark_unpriv -r "$(tshark_file "$1")" -Y "arp.opcode == 1 && arp.dst.proto_ipv4 == $LAB_DOWN_IP" \
        -T fields -e frame.time_relative 2>/dev/null
}
LAB_DOWN_IP=$(cat "$WORK/down-ip")
LAB_TARGET2_IP=$(cat "$WORK/target2-ip")
mapfile -t nmap_arp < <(arp_requests "$WORK/arp-down.nmap.pcapng")
mapfile -t st_arp < <(arp_requests "$WORK/arp-down.st.pcapng")
gap() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
nmap_gap=$(gap "${nmap_arp[0]:-0}" "${nmap_arp[1]:-0}")
st_gap=$(gap "${st_arp[0]:-0}" "${st_arp[1]:-0}")
if ((${#nmap_arp[@]} == 2 && ${#st_arp[@]} == 2)) &&
    awk -v n="$nmap_gap" -v s="$st_gap" 'BEGIN { d = n - s; exit !(n > 1 && (d < 0 ? -d : d) <= 0.4) }'; then
    echo "ok   arp-down: 2 ARP requests for a down host on the link, ${st_gap} s apart (nmap: 2, ${nmap_gap} s)"
else
    echo "FAIL arp-down: scantrace sent ${#st_arp[@]} ARP requests for a down host, ${st_gap} s apart; nmap ${#nmap_arp[@]}, ${nmap_gap} s apart"
    fail=1
fi
# nmap 7.93 pings a down host twice with the default retries (its
# allowedTryno() never rises in a ping scan): the four default pings at 0
# and 2 s (a 1 s timeout, then the second's pause of its rate limit
# detection), -PS22's lone SYN at 0 and 1 s. scantrace must send each probe
# as many times, the tries as far apart (within 0.4 s).
ping_tries() { # CAPTURE: "PROBE TRIES GAP" for each probe to the down host
    tshark_unpriv -r "$(tshark_file "$1")" -T fields -e frame.time_relative -e tcp.dstport \
        -e tcp.flags.str -e icmp.type 2>/dev/null |
        awk -F'\t' '{ k = $2 != "" ? "tcp/" $2 ($3 ~ /S/ ? "-syn" : "-ack") : "icmp/" $4
            if (!(k in n)) first[k] = $1
            n[k]++; last[k] = $1 }
            END { for (k in n) printf "%s %d %.2f\n", k, n[k], last[k] - first[k] }' | LC_ALL=C sort
}
ping_tries "$WORK/ping-down.nmap.pcapng" >"$WORK/ping-down.nmap.tries"
ping_tries "$WORK/ping-down.st.pcapng" >"$WORK/ping-down.st.tries"
if [[ $(wc -l <"$WORK/ping-down.nmap.tries") -eq 5 ]] &&
    diff <(cut -d" " -f1,2 "$WORK/ping-down.nmap.tries") <(cut -d" " -f1,2 "$WORK/ping-down.st.tries") >/dev/null &&
    LC_ALL=C join "$WORK/ping-down.nmap.tries" "$WORK/ping-down.st.tries" |
    awk '{ d = $3 - $5; if (d < 0) d = -d; if ($2 > 1 && ($3 < 0.5 || d > 0.4)) bad = 1 } END { exit bad }'; then
    echo "ok   ping-down: tries of each ping to a down host (-sn, -sn -PS22) as nmap's: $(paste -sd, "$WORK/ping-down.st.tries")"
else
    echo "FAIL ping-down: tries (probe, count, first to last) to a down host differ from nmap's"
    diff -u "$WORK/ping-down.nmap.tries" "$WORK/ping-down.st.tries" || true
    fail=1
fi
for f in "$WORK"/ping-down.st.*.txt; do
    grep -q "0 hosts up" "$f" || { echo "FAIL ping-down: the host is not down"; cat "$f"; fail=1; }
done
grep -q "0 hosts up" "$WORK/arp-down.st.txt" || { echo "FAIL arp-down: the host is not down"; cat "$WORK/arp-down.st.txt"; fail=1; }
while read -r name; do
    flags=$(grep "^$name " "$WORK/cases" | cut -d'|' -f3 | sed 's/^ *//; s/ *$//')
    if [[ ! -e $WORK/$name.st.xml && -e $WORK/nobody/$name.st.xml ]]; then
        cp "$WORK/nobody/$name".*.xml "$WORK/"
    fi
    [[ -e $WORK/$name.st.xml ]] || continue
    sed "/^<hosthint>/,/^<\/hosthint>/d" "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.final.xml"
    hosts_from_xml "$WORK/$name.nmap.final.xml" >"$WORK/$name.nmap.hosts"
    hosts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.hosts"
    [[ $(wc -l <"$WORK/$name.st.hosts") -eq 3 ]] || { echo "FAIL $name: not 3 hosts"; fail=1; }
    check "$name ($flags): scantrace and nmap agree on every host: $(paste -sd, "$WORK/$name.st.hosts")" \
        "$WORK/$name.nmap.hosts" "$WORK/$name.st.hosts"
    if [[ " $flags " == *" -p "* ]]; then
        verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.ports"
        verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.ports"
        [[ -s $WORK/$name.st.ports ]] || { echo "FAIL $name: no port scanned"; fail=1; }
        check "$name: and on every port" "$WORK/$name.nmap.ports" "$WORK/$name.st.ports"
    fi
    [[ -e $WORK/$name.pcapng ]] || continue # run as nobody: no capture
    plugin_frames "$WORK/$name.pcapng" >"$WORK/$name.plugin.frames"
    plugin_hosts "$WORK/$name.plugin.frames" >"$WORK/$name.plugin.hosts"
    check "$name: the plugin on the capture judges every host as the report does" \
        "$WORK/$name.st.hosts" "$WORK/$name.plugin.hosts"
    # Port 0: on both tools' captures every probe is a host discovery probe
    # (it has a host status), at least three (one a host) to port 0, and the
    # plugin on nmap's capture judges every host as nmap's report does.
    if [[ -e $WORK/$name.nmap.pcapng ]]; then
        plugin_frames "$WORK/$name.nmap.pcapng" >"$WORK/$name.plugin-nmap.frames"
        plugin_hosts "$WORK/$name.plugin-nmap.frames" >"$WORK/$name.plugin-nmap.hosts"
        check "$name: the plugin on nmap's capture judges every host as nmap's report does" \
            "$WORK/$name.nmap.hosts" "$WORK/$name.plugin-nmap.hosts"
        for frames in "$WORK/$name.plugin.frames" "$WORK/$name.plugin-nmap.frames"; do
            zero=$(awk -F'\t' '$1 == "probe" && $6 == "0" && $4 != ""' "$frames" | wc -l)
            [[ $zero -ge 3 ]] ||
                { echo "FAIL $name: ${frames##*/}: $zero probes to port 0 labelled host discovery"; fail=1; }
            ports=$(awk -F'\t' '$1 == "probe" && $4 == ""' "$frames" | wc -l)
            [[ $ports -eq 0 ]] || { echo "FAIL $name: ${frames##*/}: $ports probes not host discovery"; fail=1; }
        done
    fi
    # No discovery probe is taken for a port probe: with -sn no probe has a
    # port verdict; after -PS22 -p 22,80 only the port scan's do (their scan
    # type is syn).
    ports=$(awk -F'\t' '$1 == "probe" && $4 == "" && ($7 == "" || $3 != "syn")' \
        "$WORK/$name.plugin.frames" | wc -l)
    [[ $flags == *-sn* ]] && ports=$(awk -F'\t' '$1 == "probe" && $4 == ""' "$WORK/$name.plugin.frames" | wc -l)
    [[ $ports -eq 0 ]] || { echo "FAIL $name: $ports probes not labelled as host discovery"; fail=1; }
    # Our echo and timestamp requests share id and sequence (one cookie): each
    # reply must answer the request of its own kind (RFC 792), so both pings
    # of a host that answered both have a response.
    if [[ $name == pe-pp ]]; then
        got=$(awk -F'\t' '$1 == "response" { print $2, $3 }' "$WORK/$name.plugin.frames" | sort -u | paste -sd,)
        want=$(awk '$2 == "up" { print $1, "echo"; print $1, "timestamp" }' "$WORK/$name.st.hosts" | sort -u | paste -sd,)
        check "$name: the plugin ties each reply to its own ping: $got" <(echo "$want") <(echo "$got")
    fi
    # Errors quoting our timestamp and address mask requests (pe-pp-pm-rej):
    # each tied to a request of the type it quotes, none to the echo request,
    # and the three requests to a host each with an ICMP id of its own.
    if [[ $name == pe-pp-pm-rej ]]; then
        capture=$(tshark_file "$WORK/$name.pcapng")
        tshark_unpriv -r "$capture" -2 -Y "icmp && !icmp.type == 3" -T fields -e frame.number -e icmp.type \
            >"$WORK/$name.types"
        got=$(tshark_unpriv -r "$capture" -2 -Y "icmp.type == 3" -T fields -e icmp.type -e scantrace.scan \
            -e scantrace.probe_in | awk -F'\t' -v OFS=' ' '
                NR == FNR { type[$1] = $2; next }
                { split($1, t, ","); print t[2], $2, ($3 in type ? type[$3] : "none") }' "$WORK/$name.types" - |
            sort | uniq -c | awk '{ print $2 "->" $3 "(probe " $4 ")" }' | paste -sd,)
        want="13->timestamp(probe 13),17->mask(probe 17)"
        check "$name: each ICMP error tied to the request it quotes: $got" <(echo "$want") <(echo "$got")
        ids=$(tshark_unpriv -r "$capture" -2 -Y "scantrace.role == \"probe\" && icmp && ip.dst == $LAB_TARGET2_IP" \
            -T fields -e icmp.type -e icmp.ident | sort -u | awk '{ print $2 }' | sort -u | wc -l)
        check "$name: the echo, timestamp and address mask requests to a host have 3 ICMP ids" <(echo 3) <(echo "$ids")
    fi
done <"$WORK/ran"
[[ $(wc -l <"$WORK/ran") -ge 18 ]] || { echo "FAIL: only $(wc -l <"$WORK/ran") cases ran"; fail=1; }
echo "scans $((scanned - start)) s, plugin $(($(date +%s) - scanned)) s"
((fail == 0)) && echo "PASS"
exit $fail
