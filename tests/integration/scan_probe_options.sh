#!/usr/bin/env bash
# nmap's probe options in the lab, with real packets: --data-length, --ttl,
# -g (--source-port), -S (with -e and -Pn, from a second address of the
# scanner's link, 10.201.0.9, that the replies come back to) and --badsum, each
# alone, -S --ttl -g together, and -g with --data-length (-sS -sU, -sF, -sN
# with one byte, -sA: nmap ties a TCP reply by its numbers alone then, and
# takes no RST acknowledging a SYN's or FIN's data; common/
# fixed_sport_match.h), run by nmap 7.93 and by scantrace
# with the same flags (-sS -sU on a few ports of each kind; host discovery
# with --send-ip for the pings: the default set with the options, -PE and -PU
# with --data-length), and -sT with --ttl and -S, which nmap sets
# on its sockets; and -sn and -sS -Pn of 10.201.0.9, one of our own
# addresses (nmap: localhost-response, through lo). Per case:
#  - both reports give every port (every host, for -sn) the same state and
#    reason;
#  - the plugin (tshark as nobody) on scantrace's -w capture gives the
#    scanner's verdicts (host statuses, for -sn), and on nmap's own (dumpcap
#    on the scanner's interface) nmap's: nmap's UDP probes and echo requests
#    with --data-length included, which carry nothing of nmap's but the run's
#    random bytes (plugin/README.md);
#  - the wire has the option, in both captures: every probe's ip.ttl, its
#    source port, its source address, its data length (TCP: N after the
#    options; UDP: nmap's N bytes, ours the 10-byte tag and N), and with
#    --badsum Wireshark's own checksum check (tcp/udp/icmp check_checksum)
#    finds every probe's wrong, the plugin's scantrace.bad_checksum warning is
#    on every one, and no port answered.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
# The plugin's paths here (fingerprints, the checksum note) are leak-checked by
# plugin_expected and plugin_foreign_nmap on their captures.
TSHARK_LEAKS=0
lab_test_start scan-probe-options --tshark nmap dumpcap
SPOOF=10.201.0.9
PORTS=T:22,23,8080,U:53,69,500
# NAME:FLAGS, FLAGS with commas for spaces; -p and the target are added.
CASES="data:--data-length,20 ttl:--ttl,70 sport:-g,53 spoof:-S,$SPOOF,-e,@IFACE,-Pn
badsum:--badsum combo:-S,$SPOOF,-e,@IFACE,-Pn,--ttl,70,-g,53 pings:-sn,--send-ip,--ttl,70,-g,53,--data-length,20
ping-echo:-sn,--send-ip,-PE,--data-length,20 ping-udp:-sn,--send-ip,-PU,--data-length,20
gdata:-g,53,--data-length,30 gdata-fin:-sF,-g,53,--data-length,30
gdata-null:-sN,-g,53,--data-length,1 gdata-ack:-sA,-g,53,--data-length,30"
CASES=${CASES//$'\n'/ }
export SCANTRACE_BIN WORK CASES SPOOF PORTS

# Inside the scanner namespace: a second address on the scanner's link for -S;
# per case, nmap under dumpcap, then scantrace -w.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
ip addr add "$SPOOF/24" dev "$LAB_IFACE"
for case in $CASES; do
    name=${case%%:*}
    flags=${case#*:}
    IFS=, read -ra flags <<<"${flags//@IFACE/$LAB_IFACE}"
    common=(-n --reason --max-retries 1)
    # A case naming its scan type (-sF, -sA...) scans the TCP ports alone.
    if [[ $name == gdata-* ]]; then
        common+=(-p "${PORTS%%,U:*}")
    elif [[ $name != ping* ]]; then
        common+=(-sS -sU -p "$PORTS")
    fi
    capture_around "$WORK/$name.nmap.pcapng" "host $LAB_TARGET_IP" \
        nmap "${flags[@]}" "${common[@]}" -oX "$WORK/$name.nmap.xml" "$LAB_TARGET_IP" \
        >"$WORK/$name.nmap.out" 2>&1
    "$SCANTRACE_BIN" "${flags[@]}" "${common[@]}" -oX "$WORK/$name.st.xml" \
        -w "$WORK/$name.st.pcapng" "$LAB_TARGET_IP" >"$WORK/$name.st.out" 2>&1
done
# -sT: the kernel makes the probes; nmap sets --ttl on its sockets and binds
# them to -S (one of our addresses).
connect=(-sT --ttl 70 -S "$SPOOF" -Pn -n --reason --max-retries 1 -p 22,23)
nmap "${connect[@]}" -oX "$WORK/connect.nmap.xml" "$LAB_TARGET_IP" >"$WORK/connect.nmap.out" 2>&1
"$SCANTRACE_BIN" "${connect[@]}" -oX "$WORK/connect.st.xml" -w "$WORK/connect.st.pcapng" \
    "$LAB_TARGET_IP" >"$WORK/connect.st.out" 2>&1
# The second address scanned: one of ours, reached through lo (nmap:
# localhost-response), not a host of the link to ask by ARP.
for tool in nmap "$SCANTRACE_BIN"; do
    t=${tool##*/}
    "$tool" -sn -n -oX "$WORK/own-sn.$t.xml" "$SPOOF" >/dev/null 2>&1
    "$tool" -sS -Pn -n --reason -p 22,23 -oX "$WORK/own-ss.$t.xml" "$SPOOF" >/dev/null 2>&1
done
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log" "$WORK"/*.out 2>/dev/null; die "lab scans failed"; }
fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
check_eq() { # WHAT WANT GOT
    if [[ $2 == "$3" ]]; then echo "ok   $1"; else echo "FAIL $1: want '$2', got '$3'"; fail=1; fi
}
# Every probe of a capture, one line each: the fields given, '|' between them,
# from the scanner's address (or -S's) to the target; ARP aside. ICMP
# checksums Wireshark checks always, TCP and UDP ones when asked.
probes() { # CAPTURE SOURCE FIELD...
    local capture=$1 source=$2
    shift 2
    local fields=()
    for f in "$@"; do fields+=(-e "$f"); done
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -o tcp.check_checksum:TRUE \
        -o udp.check_checksum:TRUE \
        -Y "ip.src == $source && ip.dst == 10.201.0.2 && scantrace.role == \"probe\"" \
        -T fields -E separator='|' "${fields[@]}"
}
# The plugin's host status: "HOST STATE REASON" per host pinged, as
# hosts_from_xml prints nmap's.
hosts_from_capture() { # CAPTURE
    tshark_unpriv -r "$(tshark_file "$1")" -2 -Y 'scantrace.role == "probe" && scantrace.host' \
        -T fields -E separator=' ' -e scantrace.target -e scantrace.host -e scantrace.host_reason |
        sort -u
}
for case in $CASES; do
    name=${case%%:*}
    flags=${case#*:}
    flags=${flags//,/ }
    src=10.201.0.1
    [[ $name == spoof || $name == combo ]] && src=$SPOOF
    if [[ $name == ping* ]]; then
        hosts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.txt"
        hosts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.txt"
        [[ -s $WORK/$name.nmap.txt ]] || die "nmap $flags reported no host"
        check "$flags: scantrace's host is nmap's ($(cat "$WORK/$name.nmap.txt"))" \
            "$WORK/$name.nmap.txt" "$WORK/$name.st.txt"
        hosts_from_capture "$WORK/$name.st.pcapng" >"$WORK/$name.plugin-st.txt"
        check "$flags: the plugin on scantrace's capture gives the scanner's host" \
            "$WORK/$name.st.txt" "$WORK/$name.plugin-st.txt"
        hosts_from_capture "$WORK/$name.nmap.pcapng" >"$WORK/$name.plugin-nmap.txt"
        check "$flags: the plugin on nmap's capture gives nmap's host" \
            "$WORK/$name.nmap.txt" "$WORK/$name.plugin-nmap.txt"
    else
        verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.txt"
        verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.txt"
        [[ -s $WORK/$name.nmap.txt ]] || die "nmap $flags reported no port"
        check "$flags: scantrace's verdicts are nmap's ($(wc -l <"$WORK/$name.nmap.txt") ports)" \
            "$WORK/$name.nmap.txt" "$WORK/$name.st.txt"
        verdicts_from_capture "$WORK/$name.st.pcapng" >"$WORK/$name.plugin-st.txt"
        check "$flags: the plugin on scantrace's capture gives the scanner's verdicts" \
            "$WORK/$name.st.txt" "$WORK/$name.plugin-st.txt"
        verdicts_from_capture "$WORK/$name.nmap.pcapng" >"$WORK/$name.plugin-nmap.txt"
        check "$flags: the plugin on nmap's capture gives nmap's verdicts" \
            "$WORK/$name.nmap.txt" "$WORK/$name.plugin-nmap.txt"
    fi
    # The wire.
    for tool in nmap st; do
        cap=$WORK/$name.$tool.pcapng
        probes "$cap" "$src" ip.ttl tcp.srcport udp.srcport ip.src tcp.len udp.length \
            tcp.checksum.status udp.checksum.status icmp.checksum.status \
            _ws.expert.message data.len >"$WORK/$name.$tool.wire"
        n=$(wc -l <"$WORK/$name.$tool.wire")
        ((n > 0)) || { echo "FAIL $flags: no probe of $tool's labelled"; fail=1; continue; }
        what="$flags: $tool's $n probes"
        case $flags in
        *--ttl\ 70*)
            check_eq "$what have TTL 70" 70 "$(cut -d'|' -f1 "$WORK/$name.$tool.wire" | sort -u)" ;;
        esac
        case $flags in
        *-g\ 53*)
            check_eq "$what leave from port 53" 53 \
                "$(awk -F'|' '$2 != "" || $3 != "" { print $2 $3 }' "$WORK/$name.$tool.wire" |
                    sort -u)" ;;
        esac
        if [[ $name == spoof || $name == combo ]]; then
            check_eq "$what leave from $SPOOF" "$SPOOF" "$(cut -d'|' -f4 "$WORK/$name.$tool.wire" | sort -u)"
        fi
        case $name in
        data | pings)
            # Every TCP probe 20 bytes after its options; UDP: nmap's 20 random
            # bytes (UDP length 28), ours the tag and them (38).
            udp_want=" udp 28"
            [[ $tool == st ]] && udp_want=" udp 38"
            [[ $name == pings ]] && udp_want=""
            got=$(awk -F'|' '$5 != "" { t[$5] } $6 != "" { u[$6] } END {
                for (k in t) printf "tcp %s ", k; for (k in u) printf "udp %s", k }' \
                "$WORK/$name.$tool.wire" | sed 's/ $//')
            check_eq "$what: TCP data 20, UDP length${udp_want:- none}" "tcp 20$udp_want" "$got"
            # Every datagram nmap sent is a labelled probe.
            if [[ $tool == nmap && -n $udp_want ]]; then
                check_eq "$what: every datagram nmap sent is labelled" \
                    "$(tshark_unpriv -r "$(tshark_file "$cap")" -Y "ip.src == $src && udp && !icmp" |
                        wc -l)" "$(awk -F'|' '$6 != ""' "$WORK/$name.$tool.wire" | wc -l)"
            fi
            ;;
        ping-echo | ping-udp)
            # nmap's echo data and datagram: its 20 random bytes; ours the
            # 10-byte tag and them.
            want="data 20"
            [[ $tool == st ]] && want="data 30"
            [[ $name == ping-udp ]] && want="udp 28"
            [[ $name == ping-udp && $tool == st ]] && want="udp 38"
            got=$(awk -F'|' '$6 != "" { print "udp " $6; next } $11 != "" { print "data " $11 }' \
                "$WORK/$name.$tool.wire" | sort -u | paste -sd,)
            check_eq "$what carry nmap's --data-length" "$want" "$got"
            ;;
        esac
        if [[ $name == badsum ]]; then
            # Wireshark's own check: 0 is "Bad"; the plugin's warning on each.
            bad=$(awk -F'|' '($7 == "0" || $8 == "0" || $9 == "0")' "$WORK/$name.$tool.wire" | wc -l)
            check_eq "$what have a wrong checksum (Wireshark's check)" "$n" "$bad"
            warned=$(grep -c "Wrong .* checksum (nmap's --badsum)" "$WORK/$name.$tool.wire" || true)
            check_eq "$what carry the plugin's bad-checksum warning" "$n" "$warned"
        elif grep -q "badsum" "$WORK/$name.$tool.wire"; then
            echo "FAIL $flags: a checksum warning on a $tool probe with a right checksum"; fail=1
        fi
    done
    # -g with --data-length: nmap finds a reply's try in its numbers alone
    # (common/fixed_sport_match.h): a RST acknowledging a SYN's or FIN's data
    # is not taken (the port filtered or open|filtered, as the verdicts above
    # hold), one to an ACK or a NULL probe with one byte is. Every RST from the
    # target carries the plugin's note where nmap takes none, and none where
    # it takes them; every TCP probe carries the data.
    if [[ $name == gdata* ]]; then
        want_len=${flags##*--data-length }
        for tool in nmap st; do
            cap=$WORK/$name.$tool.pcapng
            check_eq "$flags: $tool's TCP probes carry $want_len bytes" "$want_len" \
                "$(awk -F'|' '$5 != "" { print $5 }' "$WORK/$name.$tool.wire" | sort -u | paste -sd,)"
            rsts=$(tshark_unpriv -r "$(tshark_file "$cap")" -2 \
                -Y 'ip.src == 10.201.0.2 && tcp.flags.reset == 1' | wc -l)
            noted=$(tshark_unpriv -r "$(tshark_file "$cap")" -2 \
                -Y 'ip.src == 10.201.0.2 && tcp.flags.reset == 1 && scantrace.nmap_unmatched' |
                wc -l)
            ((rsts > 0)) || { echo "FAIL $flags: no RST in $tool's capture"; fail=1; }
            want=$rsts
            [[ $name == gdata-null || $name == gdata-ack ]] && want=0
            check_eq "$flags: RSTs nmap does not take, noted in $tool's capture (of $rsts)" \
                "$want" "$noted"
        done
    fi
    # A RST acknowledging our probe's data still names its try by the cookie.
    if [[ $name == data ]]; then
        tied=$(tshark_unpriv -r "$(tshark_file "$WORK/$name.st.pcapng")" -2 \
            -Y 'tcp && scantrace.tied_by_flow' | wc -l)
        check_eq "$flags: every TCP reply to scantrace's probes names its try by the cookie" 0 "$tied"
    fi
    # Our own probes are labelled by their tag, whatever the option.
    untagged=$(tshark_unpriv -r "$(tshark_file "$WORK/$name.st.pcapng")" -2 \
        -Y "scantrace.role == \"probe\" && !(scantrace.tool == \"scantrace\")" | wc -l)
    check_eq "$flags: every probe of scantrace's is labelled by its tag" 0 "$untagged"
done
verdicts_from_xml "$WORK/connect.nmap.xml" >"$WORK/connect.nmap.txt"
verdicts_from_xml "$WORK/connect.st.xml" >"$WORK/connect.st.txt"
[[ -s $WORK/connect.nmap.txt ]] || die "nmap -sT reported no port"
check "-sT --ttl 70 -S: scantrace's verdicts are nmap's" "$WORK/connect.nmap.txt" "$WORK/connect.st.txt"
verdicts_from_capture "$WORK/connect.st.pcapng" >"$WORK/connect.plugin-st.txt"
check "-sT --ttl 70 -S: the plugin on scantrace's capture gives the scanner's verdicts" \
    "$WORK/connect.st.txt" "$WORK/connect.plugin-st.txt"
check_eq "-sT --ttl 70 -S: scantrace's SYNs leave $SPOOF with TTL 70" "$SPOOF 70" \
    "$(tshark_unpriv -r "$(tshark_file "$WORK/connect.st.pcapng")" \
        -Y 'tcp.flags.syn == 1 && tcp.flags.ack == 0 && ip.dst == 10.201.0.2' \
        -T fields -E separator=' ' -e ip.src -e ip.ttl | sort -u | paste -sd,)"
hosts_from_xml "$WORK/own-sn.nmap.xml" >"$WORK/own-sn.nmap.txt"
hosts_from_xml "$WORK/own-sn.scantrace.xml" >"$WORK/own-sn.st.txt"
grep -qx "$SPOOF up localhost-response" "$WORK/own-sn.nmap.txt" ||
    die "nmap -sn of our own $SPOOF: $(cat "$WORK/own-sn.nmap.txt")"
check "-sn of our own second address $SPOOF: nmap's host line" "$WORK/own-sn.nmap.txt" "$WORK/own-sn.st.txt"
verdicts_from_xml "$WORK/own-ss.nmap.xml" >"$WORK/own-ss.nmap.txt"
verdicts_from_xml "$WORK/own-ss.scantrace.xml" >"$WORK/own-ss.st.txt"
[[ $(wc -l <"$WORK/own-ss.nmap.txt") == 2 ]] || die "nmap -sS of our own $SPOOF: $(cat "$WORK/own-ss.nmap.txt")"
check "-sS -Pn of our own second address $SPOOF: nmap's verdicts" "$WORK/own-ss.nmap.txt" "$WORK/own-ss.st.txt"
if ! grep -q "WARNING: If -S is being used to fake your source address" "$WORK/spoof.st.out" &&
    ! grep -q "WARNING: If -S" "$WORK/spoof.nmap.out"; then
    echo "ok   -S -Pn: no warning, as nmap gives none"
else
    echo "FAIL -S -Pn: a warning"; fail=1
fi
((fail == 0)) && echo "PASS"
exit $fail
