#!/usr/bin/env bash
# The SCTP scans (-sY, -sZ) and ping (-PY) with real packets, in the lab and
# offline. The lab's kernel has no SCTP, so its target answers every INIT and
# COOKIE ECHO with ICMP protocol unreachable (IPv6: parameter problem, unknown
# next header); two nft rules added here in the target's namespace drop 9/sctp
# and reject 2905/sctp admin-prohibited. Per case, nmap 7.93 (under dumpcap on
# the scanner's interface) and scantrace -w with the same flags:
#   -sY of nmap's default SCTP ports (nmap-services: 52), -sZ of four ports,
#   -6 -sY and -6 -sZ;
# then, with tests/lab/sctp_responder.py answering for the target's addresses
# as an SCTP stack would (a raw socket in its namespace, plain sockets: INIT
# ACK from 80, ABORT from 7, nothing from the other ports), -sY, -sZ, -6 -sY
# and -sn -PY --send-ip of 10.201.0.2 (INIT ACK) and 10.201.0.3 (no responder:
# protocol unreachable). In each case both reports give every port (host) the
# same state and reason; the plugin on each capture gives that report's
# verdicts; every SCTP probe scantrace sent has a CRC32c tshark finds good, and
# carries the tag and a cookie that checks.
# Offline (tests/lib/sctp_answers.py, scapy writing files only): each IPv4
# capture of the lab's kernel with its answers to some ports replaced by what an SCTP
# stack sends (INIT ACK, ABORT) or by silence; the plugin gives those ports
# nmap's verdicts (scan_engine_raw.cc): -sY INIT ACK open (init-ack), ABORT
# closed (abort); -sZ ABORT closed (abort), silence open|filtered; the other
# ports keep the lab's.
#
# Env (set by CTest): SCANTRACE_BIN, SCANTRACE_PLUGIN, SCANTRACE_SOURCE_DIR, LAB_LISTENER.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/lab_test.sh"
# Debian's python3-scapy, whichever python3 comes first on PATH.
. "$SCANTRACE_SOURCE_DIR/tests/lib/python.sh"
"$PY" -c 'import scapy.layers.sctp' 2>/dev/null || skip "no scapy (apt-get install python3-scapy)"

TSHARK_LEAKS=0
lab_test_start scan-sctp --tshark nmap dumpcap
# NAME:FLAGS:TARGET-VARIABLE, FLAGS with commas for spaces and + for commas.
# CASES face the lab's kernel, LIVE its responder (no port it drops: no wait).
CASES="sy:-sY:LAB_TARGET_IP sz:-sZ,-p,7+9+80+2905:LAB_TARGET_IP
sy6:-6,-sY,-p,7+9+80:LAB_TARGET_IP6 sz6:-6,-sZ,-p,7+9+80:LAB_TARGET_IP6"
LIVE="ly:-sY,-p,7+80+2905:LAB_TARGET_IP lz:-sZ,-p,7+80:LAB_TARGET_IP
ly6:-6,-sY,-p,7+80:LAB_TARGET_IP6"
ANSWERS=80=init-ack,7=abort
PINGS="-sn -PY --send-ip"
export SCANTRACE_BIN WORK CASES LIVE ANSWERS PINGS SCANTRACE_SOURCE_DIR

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_SOURCE_DIR/tests/lib/capture.sh"
tgt() { ip netns exec "$LAB_TARGET_NS" nft add rule inet lab input "$@"; }
tgt ip daddr "$LAB_TARGET_IP" sctp dport 9 drop
tgt ip daddr "$LAB_TARGET_IP" sctp dport 2905 reject with icmp type admin-prohibited
tgt ip6 daddr "$LAB_TARGET_IP6" sctp dport 9 drop
run_both() { # NAME TARGETS FLAGS...
    local name=$1 targets=$2
    shift 2
    # shellcheck disable=SC2086 # several targets
    capture_around "$WORK/$name.nmap.pcapng" "" nmap "$@" -oX "$WORK/$name.nmap.xml" $targets >/dev/null
    # shellcheck disable=SC2086
    "$SCANTRACE_BIN" "$@" -oX "$WORK/$name.st.xml" -w "$WORK/$name.st.pcapng" $targets >/dev/null
}
run_cases() {
    for case in "$@"; do
        IFS=: read -r name flags var <<<"$case"
        IFS=, read -ra f <<<"$flags"
        f=("${f[@]//+/,}")
        run_both "$name" "${!var}" "${f[@]}" -Pn -n --reason --max-retries 1
    done
}
# shellcheck disable=SC2086 # one case a word
run_cases $CASES
responders=()
# The responders end with this shell, however it ends.
trap '\''kill "${responders[@]}" 2>/dev/null || true'\'' EXIT
for addr in "$LAB_TARGET_IP" "$LAB_TARGET_IP6"; do
    ip netns exec "$LAB_TARGET_NS" "$PY" "$SCANTRACE_SOURCE_DIR/tests/lab/sctp_responder.py" \
        "$addr" "$ANSWERS" "$WORK/ready.$addr" &
    responders+=($!)
done
for _ in $(seq 100); do
    [[ -e $WORK/ready.$LAB_TARGET_IP && -e $WORK/ready.$LAB_TARGET_IP6 ]] && break
    sleep 0.05
done
# shellcheck disable=SC2086
run_cases $LIVE
# shellcheck disable=SC2086
run_both py "$LAB_TARGET_IP $LAB_TARGET2_IP" $PINGS -n --reason
'
bash "$SCANTRACE_SOURCE_DIR/tests/lab/lab.sh" run -- bash -c "$inner" >"$WORK/lab.log" 2>&1 ||
    { cat "$WORK/lab.log"; die "lab scans failed"; }

fail=0
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi
}
# nmap's rules for what an SCTP stack answers (scan_engine_raw.cc,
# get_pcap_result): ANSWER SCAN -> STATE REASON.
rule() {
    case $1/$2 in
    init-ack/-sY) echo "open init-ack" ;;
    abort/*) echo "closed abort" ;;
    silent/-sY) echo "filtered no-response" ;;
    silent/-sZ) echo "open|filtered no-response" ;;
    esac
}
# The offline answers per scan: ports and what answers them.
declare -A PLAN=([-sY]="80=init-ack,7=abort" [-sZ]="7=abort,80=silent")

for case in $CASES $LIVE; do
    IFS=: read -r name flags _ <<<"$case"
    flags=${flags//,/ }
    flags=${flags//+/,}
    scan=$(grep -o -- '-s[YZ]' <<<"$flags")
    verdicts_from_xml "$WORK/$name.nmap.xml" >"$WORK/$name.nmap.txt"
    verdicts_from_xml "$WORK/$name.st.xml" >"$WORK/$name.st.txt"
    [[ -s $WORK/$name.nmap.txt ]] || die "nmap $flags reported no port"
    check "$flags: scantrace's verdicts are nmap's ($(wc -l <"$WORK/$name.nmap.txt") ports: $(cut -d' ' -f4- "$WORK/$name.nmap.txt" | sort | uniq -c | tr -s ' ' | paste -sd,))" \
        "$WORK/$name.nmap.txt" "$WORK/$name.st.txt"
    verdicts_from_capture "$WORK/$name.st.pcapng" >"$WORK/$name.plugin-st.txt"
    check "$flags: the plugin on scantrace's capture gives the scanner's verdicts" \
        "$WORK/$name.st.txt" "$WORK/$name.plugin-st.txt"
    verdicts_from_capture "$WORK/$name.nmap.pcapng" >"$WORK/$name.plugin-nmap.txt"
    check "$flags: the plugin on nmap's capture gives nmap's verdicts" \
        "$WORK/$name.nmap.txt" "$WORK/$name.plugin-nmap.txt"
    # Every probe of ours: CRC32c good (tshark's own check), tag and cookie;
    # every SCTP answer the responder sent: CRC32c good, our cookie carried back.
    tshark_unpriv -r "$(tshark_file "$WORK/$name.st.pcapng")" -o sctp.checksum:CRC-32C \
        -Y 'sctp && !icmp && !icmpv6' -T fields -e scantrace.role -e sctp.checksum.status \
        -e scantrace.tag.scan_id -e scantrace.cookie.checks >"$WORK/$name.sctp.txt"
    awk -F'\t' '$1 == "probe"' "$WORK/$name.sctp.txt" | cut -f2- | sort | uniq -c >"$WORK/$name.probes.txt"
    if [[ $(wc -l <"$WORK/$name.probes.txt") == 1 ]] &&
        grep -qE '^ +[0-9]+ 1	0x[0-9a-f]{8}	(1|True)$' "$WORK/$name.probes.txt"; then
        echo "ok   $flags: $(awk '{print $1}' "$WORK/$name.probes.txt") probes, CRC32c good, tagged, cookie checks"
    else
        echo "FAIL $flags: probes' checksum, tag or cookie:"; cat "$WORK/$name.probes.txt"; fail=1
    fi
    answers=$(awk -F'\t' '$1 != "probe"' "$WORK/$name.sctp.txt")
    if [[ $name == l* ]]; then
        if [[ -n $answers ]] && ! awk -F'\t' '$1 != "response" || $2 != 1 || $4 !~ /^(1|True)$/ {bad = 1}
            END {exit !bad}' <<<"$answers"; then
            echo "ok   $flags: $(wc -l <<<"$answers") SCTP answers, CRC32c good, our cookie in their tag"
        else
            echo "FAIL $flags: the SCTP answers:"; echo "$answers"; fail=1
        fi
    elif [[ -n $answers ]]; then
        echo "FAIL $flags: SCTP answers from a kernel without SCTP:"; echo "$answers"; fail=1
    fi
    if [[ $name == l* ]]; then
        # The responder's answers came: nmap read them by its rules.
        for item in ${ANSWERS//,/ }; do
            port=${item%%=*}
            v=$(rule "${item#*=}" "$scan")
            [[ $scan == -sZ && $port == 80 ]] && v=$(rule silent -sZ)
            grep -q " sctp $port $v\$" "$WORK/$name.nmap.txt" ||
                { echo "FAIL $flags: nmap does not say '$port/sctp $v'"; fail=1; }
        done
        continue
    fi
    # Offline: the same captures with an SCTP stack's answers (IPv4; the
    # responder answers over IPv6).
    [[ $name == *6 ]] && continue
    for who in nmap st; do
        "$PY" "$SCANTRACE_SOURCE_DIR/tests/lib/sctp_answers.py" "$WORK/$name.$who.pcapng" \
            "$WORK/$name.$who.answered.pcap" "${PLAN[$scan]}" ||
            { echo "FAIL $flags: sctp_answers.py on $who's capture"; fail=1; continue; }
        cp "$WORK/$name.$who.txt" "$WORK/$name.$who.want.txt"
        IFS=, read -ra items <<<"${PLAN[$scan]}"
        for item in "${items[@]}"; do
            port=${item%%=*}
            v=$(rule "${item#*=}" "$scan")
            sed -i -E "s#^([^ ]+ sctp $port) .*#\1 $v#" "$WORK/$name.$who.want.txt"
        done
        verdicts_from_capture "$WORK/$name.$who.answered.pcap" >"$WORK/$name.$who.answered.txt"
        check "$flags: the plugin on ${who/st/scantrace}'s capture with ${PLAN[$scan]} answers as nmap would" \
            "$WORK/$name.$who.want.txt" "$WORK/$name.$who.answered.txt"
    done
done

# -PY: both reports say the same of every host; the plugin on each capture
# says it of every host pinged.
hosts_from_xml "$WORK/py.nmap.xml" >"$WORK/py.nmap.txt"
hosts_from_xml "$WORK/py.st.xml" >"$WORK/py.st.txt"
[[ -s $WORK/py.nmap.txt ]] || die "nmap $PINGS reported no host"
grep -q " up init-ack$" "$WORK/py.nmap.txt" || { echo "FAIL $PINGS: no host up by INIT ACK"; fail=1; }
check "$PINGS: scantrace's hosts are nmap's ($(paste -sd, "$WORK/py.nmap.txt"))" \
    "$WORK/py.nmap.txt" "$WORK/py.st.txt"
tshark_unpriv -r "$(tshark_file "$WORK/py.st.pcapng")" -2 -Y 'scantrace.role == "probe" && scantrace.host' \
    -T fields -E separator=' ' -e scantrace.target -e scantrace.host -e scantrace.reason |
    sort -u >"$WORK/py.plugin.txt"
check "$PINGS: the plugin on scantrace's capture gives the scanner's hosts" \
    "$WORK/py.st.txt" "$WORK/py.plugin.txt"
# nmap's INITs are its -sY INITs byte for byte: a sweep of two hosts, nothing
# after, makes them pings (plugin/README.md, "TCP, UDP and SCTP pings").
tshark_unpriv -r "$(tshark_file "$WORK/py.nmap.pcapng")" -2 -Y 'scantrace.role == "probe" && scantrace.host' \
    -T fields -E separator=' ' -e scantrace.target -e scantrace.host -e scantrace.reason |
    sort -u >"$WORK/py.plugin-nmap.txt"
check "$PINGS: the plugin on nmap's capture gives nmap's hosts" \
    "$WORK/py.nmap.txt" "$WORK/py.plugin-nmap.txt"
((fail == 0)) && echo "PASS"
exit $fail
