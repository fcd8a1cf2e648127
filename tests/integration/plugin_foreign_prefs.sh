#!/usr/bin/env bash
# Scans of other tools in captures/, no lab needed: on nmap's default SYN scan
# (1000 ports), its connect scan, its SYN scan with -f and decoys and its IPv6
# SYN and UDP scans and its -sO of two hosts the plugin gives
# every port the verdict nmap's own report gives it; the preferences switch fingerprinting and
# behaviour off and move the threshold; and a scan found by behaviour is labelled
# from its first probe with -2, but on a single pass only from the probe that
# made its source a scanner on.
# ok and bad always succeed, so "A && ok || bad" is an if-then-else.
# shellcheck disable=SC2015
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/verdicts.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/foreign.sh"
CAPTURES=$SCANTRACE_SOURCE_DIR/captures

fail=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fail=1; }
check() { # WHAT WANT-FILE GOT-FILE
    if diff -u "$2" "$3"; then ok "$1"; else bad "$1"; fi
}
probes() { # CAPTURE TSHARK-ARGS...: the frames labelled probes
    local capture=$1
    shift
    tshark_unpriv -r "$(tshark_file "$capture")" "$@" -Y 'scantrace.role == "probe"' \
        -T fields -e frame.number
}

# The samples read here are read by plugin_expected too, with leak checks
# (tests/lib/tshark.sh); under the sanitizers they triple the time.
TSHARK_LEAKS=0
tshark_setup

for name in nmap-default-syn nmap-connect; do
    check "$name: the plugin gives every port nmap's verdict" \
        <(verdicts_from_xml "$CAPTURES/$name.xml") <(verdicts_from_capture "$CAPTURES/$name.pcapng")
done
# nmap -sS -f -D: every probe in fragments, from two decoys and the scanner.
check "nmap-decoys: the plugin gives every port nmap's verdict" \
    <(verdicts_from_xml "$CAPTURES/nmap-decoys-syn.xml") \
    <(verdicts_from_capture "$CAPTURES/nmap-decoys.pcapng")
# nmap -6's SYN and UDP scans, one capture (its host discovery after them), a
# report each.
check "nmap6-scans: the plugin gives every port nmap's verdict" \
    <(cat "$CAPTURES"/nmap6-scans-{syn,udp}.xml | verdicts_from_xml /dev/stdin | sort) \
    <(verdicts_from_capture "$CAPTURES/nmap6-scans.pcapng" | awk '$4 != "up" && $4 != "down"')

# nmap -sO -p 1,6,17,132,255 (and -p 1-20) of two hosts, nmap's own capture
# and report: nmap words protocol 1 by the packet that ends its receive loop,
# which reads both hosts' answers in the order they came, after sending the
# whole burst. The two hosts' echo replies back to back (the second takes
# the mark: 10.201.0.2's is worded by 10.201.0.3's RST, unknown-response);
# port unreachable read before the echo request in the capture but in the
# same burst (port-unreach); the echo request in nmap's second burst, after
# it read the first one's answers (proto-unreach); and all 256 protocols, in
# bursts of 10, 20, 40 and 50 (nmap's report folds the closed ones, protocol
# "n/a").
for name in nmap-proto-interleaved nmap-proto-burst nmap-proto-second-burst nmap-proto-all; do
    verdicts_from_xml "$CAPTURES/$name.xml" | sed 's| n/a | ip |' | sort >"$TSHARK_HOME/$name.want"
    check "$name: the plugin gives every protocol of both hosts nmap's verdict ($(wc -l <"$TSHARK_HOME/$name.want") rows; protocol 1: $(awk '$3 == 1 {print $1, $5}' "$TSHARK_HOME/$name.want" | paste -sd,))" \
        "$TSHARK_HOME/$name.want" <(verdicts_from_capture "$CAPTURES/$name.pcapng")
done

# nmap -sO -p 1,6,17,132,255 of 10.201.0.2 and .3 whose SCTP INIT went out
# before the rest of the scan showed itself: first of all (-sctp-first), or
# after the echo (-echo-sctp, with 10.201.1.2 scanned from 10.201.1.1). The
# INIT's run was the hosts' first; the plugin read the other protocols as a
# later scan and the five as a -PO sweep of two hosts (every protocol "up",
# the hosts' reason picked in hash-table order). Each run of the plugin must
# give nmap's verdicts, no ping, and the same fields every time.
for name in nmap-proto-sctp-first nmap-proto-echo-sctp; do
    verdicts_from_xml "$CAPTURES/$name.xml" >"$TSHARK_HOME/$name.want"
    check "$name: nmap's verdict for every protocol of every host ($(wc -l <"$TSHARK_HOME/$name.want") rows)" \
        "$TSHARK_HOME/$name.want" <(verdicts_from_capture "$CAPTURES/$name.pcapng")
    pings=$(tshark_unpriv -r "$(tshark_file "$CAPTURES/$name.pcapng")" -2 \
        -Y 'scantrace.scan == "proto-ping"' | wc -l)
    ((pings == 0)) && ok "$name: no frame reads as -PO's ping" || bad "$name: $pings frames read as -PO's ping"
    # The hosts' line: nmap's ARP ping's (arp-response), not a -PO reason.
    check "$name: every host's state and reason nmap's" <(hosts_from_xml "$CAPTURES/$name.xml") \
        <(tshark_unpriv -r "$(tshark_file "$CAPTURES/$name.pcapng")" -2 -Y 'scantrace.host' -T fields \
            -e scantrace.target -e scantrace.host -e scantrace.host_reason | tr '\t' ' ' | sort -u)
    for run in 1 2 3 4 5; do
        tshark_unpriv -r "$(tshark_file "$CAPTURES/$name.pcapng")" -2 -T fields -e frame.number \
            -e scantrace.scan -e scantrace.verdict -e scantrace.reason -e scantrace.host \
            -e scantrace.host_reason >"$TSHARK_HOME/$name.run$run"
    done
    same=$(md5sum "$TSHARK_HOME/$name".run* | cut -d" " -f1 | sort -u | wc -l)
    ((same == 1)) && ok "$name: five runs of the plugin, the same fields" ||
        bad "$name: five runs of the plugin, $same different outputs"
done

# Preferences: each kind of recognition can be switched off on its own.
for case in "masscan-syn fingerprint" "zmap-syn fingerprint" "nmap-connect behaviour"; do
    read -r name pref <<<"$case"
    on=$(probes "$CAPTURES/$name.pcapng" -2 | wc -l)
    off=$(probes "$CAPTURES/$name.pcapng" -2 -o "scantrace.$pref:FALSE" | wc -l)
    ((on > 0 && off == 0)) && ok "$name: $on probes, none with scantrace.$pref off" ||
        bad "$name: $on probes, $off with scantrace.$pref off"
done
# Without fingerprints, nmap's 1000-port scan is still a port scan by behaviour:
# the same verdicts, by the same rules, from an unknown tool.
nofp=(-o scantrace.fingerprint:FALSE)
check "nmap-default-syn without fingerprints: still nmap's verdicts" \
    <(verdicts_from_xml "$CAPTURES/nmap-default-syn.xml") \
    <(verdicts_from_capture "$CAPTURES/nmap-default-syn.pcapng" "${nofp[@]}")
tools=$(tshark_unpriv -r "$(tshark_file "$CAPTURES/nmap-default-syn.pcapng")" -2 "${nofp[@]}" \
    -Y 'scantrace.role == "probe"' -T fields -e scantrace.tool -e scantrace.scan | sort -u)
[[ $tools == "unknown"$'\t'"syn" ]] && ok "nmap-default-syn without fingerprints: tool unknown" ||
    bad "nmap-default-syn without fingerprints: $tools"
n=$(probes "$CAPTURES/nmap-default-syn.pcapng" -2 "${nofp[@]}" -o scantrace.behaviour:FALSE | wc -l)
((n == 0)) && ok "nmap-default-syn: no probe with both off" || bad "nmap-default-syn: $n with both off"
# The connect scan fails on 47 ports: a threshold above that finds nothing.
n=$(probes "$CAPTURES/nmap-connect.pcapng" -2 -o scantrace.behaviour_ports:48 | wc -l)
((n == 0)) && ok "nmap-connect: no probe with a port threshold of 48" ||
    bad "nmap-connect: $n probes with a port threshold of 48"
evidence=$(tshark_unpriv -r "$(tshark_file "$CAPTURES/nmap-connect.pcapng")" -2 \
    -o scantrace.behaviour_ports:30 -Y 'scantrace.role == "probe"' -T fields -e scantrace.evidence |
    sed -n 1p)
[[ $evidence == "port scan: failed attempts on 30 ports of 10.201.0.2 within 300 s (threshold 30);"* ]] &&
    ok "the threshold is the preference's: $evidence" || bad "evidence with threshold 30: $evidence"

# One pass: a source is a scanner from its 15th failed port on; the probes
# before that were dissected already, and stay unlabelled. -2 labels them all.
two=$(probes "$CAPTURES/nmap-connect.pcapng" -2)
one=$(probes "$CAPTURES/nmap-connect.pcapng")
first=$(head -1 <<<"$one")
if [[ -n $one && $(awk -v f="$first" '$1 >= f' <<<"$two") == "$one" ]] &&
    (($(wc -l <<<"$one") < $(wc -l <<<"$two"))); then
    ok "one pass labels $(wc -l <<<"$one") of $(wc -l <<<"$two") probes: all from frame $first on"
else
    bad "one pass: probes ${one//$'\n'/ }; with -2: ${two//$'\n'/ }"
fi
# Fingerprinted probes need no second pass; nmap's ARP ping before them does
# (the scan after it tells it from the kernel's): frame 1, labelled with -2 only.
ip_probes() { # CAPTURE TSHARK-ARGS...: the frames labelled probes, ARP aside
    local capture=$1
    shift
    tshark_unpriv -r "$(tshark_file "$capture")" "$@" -Y 'scantrace.role == "probe" && !arp' \
        -T fields -e frame.number
}
[[ $(ip_probes "$CAPTURES/nmap-default-syn.pcapng") == $(ip_probes "$CAPTURES/nmap-default-syn.pcapng" -2) ]] &&
    ok "nmap-default-syn: one pass labels every probe" ||
    bad "nmap-default-syn: one pass and -2 label different probes"

((fail == 0)) && echo PASS
exit $fail
