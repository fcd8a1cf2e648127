#!/usr/bin/env bash
# Remakes the scanner's sample captures in captures/, one per scan type, from
# scans of the built-in lab, with their expected fields and tables, and the
# samples of nmap's own IPv6 scans (nmap's report beside each). Review the diff
# before committing: the scan ids and timings change every run.
#
#   scripts/make-sample-captures.sh [NAME...]     (default: all)
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$SCANTRACE_ROOT"
setup_build

# NAME and the scan's options; PORTS stands for the lab's TCP ports, UPORTS for
# its UDP ports, TARGET for the target, HOSTS for the three discovery addresses.
SCANS=(
    "syn-scan|-sS --reason -p PORTS TARGET"
    "ack-scan|-sA -Pn --reason -p PORTS TARGET"
    "fin-scan|-sF -Pn --reason -p PORTS TARGET"
    "null-scan|-sN -Pn --reason -p PORTS TARGET"
    "xmas-scan|-sX -Pn --reason -p PORTS TARGET"
    "maimon-scan|-sM -Pn --reason -p PORTS TARGET"
    "window-scan|-sW -Pn --reason -p PORTS TARGET"
    "scanflags-scan|--scanflags URGPSH -Pn --reason -p PORTS TARGET"
    "udp-scan|-sU -Pn --reason -p UPORTS TARGET"
    "connect-scan|-sT -Pn --reason -p PORTS TARGET"
    "discovery|-sn --reason HOSTS"
    "proto-scan|-sO -Pn --reason -p 1,2,6,17,41,47,50,58,103,132,255 TARGET"
)
# nmap's own scans over IPv6 (nmap -6), one after the other in one capture
# (NMAP_SAMPLE: one sample, so the golden tests start tshark once for all of
# them), made by dumpcap on the scanner's interface, with nmap's -oX report of
# each beside it (NMAP_SAMPLE-NAME.xml); PORTS6, UPORTS6, TARGET6 and HOSTS6 are
# the lab's IPv6 plan and addresses. Discovery with --disable-arp-ping: nmap's
# Neighbor Discovery ping, like its ARP ping, looks like any solicitation and is
# not labelled; its ICMPv6 echo and TCP pings are.
NMAP_SAMPLE=nmap6-scans
NMAP_SCANS=(
    "syn|-6 -sS -Pn --reason -p PORTS6 TARGET6"
    "udp|-6 -sU -Pn --reason -p UPORTS6 TARGET6"
    "discovery|-6 -sn --reason --disable-arp-ping HOSTS6"
)
# nmap's own SYN scan with decoys and fragments (NMAP_DECOYS_SAMPLE, made by
# dumpcap on the scanner's interface, nmap's -oX beside it): nmap -sS -f -D
# DECOYS,ME,... of the lab's TCP ports, every probe sent as three 8-byte
# fragments from each decoy and from the scanner. The decoys are lab addresses
# nobody holds (never RND: random addresses are not the lab's).
NMAP_DECOYS_SAMPLE=nmap-decoys
NMAP_DECOYS=10.201.0.7,ME,10.201.0.8
# The SCTP sample (sctp-scan): scantrace -sY and -sZ of five ports of the lab,
# whose kernel has no SCTP (every probe gets ICMP protocol unreachable) but
# whose nft drops 9/sctp and rejects 2905/sctp admin-prohibited (rules added
# here); then, offline, tests/lib/sctp_answers.py makes a Linux SCTP stack's
# answers in place of the lab's for 80 (INIT ACK) and 7 (ABORT) to -sY, for 7
# (ABORT) to -sZ, and mergecap puts both scans in one capture.
SCTP_SAMPLE=sctp-scan
SCTP_PORTS=7,9,80,2905,3868
SCTP_ANSWERS=("-sY|80=init-ack,7=abort" "-sZ|7=abort")
want=("$@")

export SCANTRACE_BIN=$SCANTRACE_BUILD/scanner/scantrace
export LAB_LISTENER=$SCANTRACE_BUILD/tests/lab/lab_listener
OUT=$(mktemp -d)
chmod 755 "$OUT"
trap 'rm -rf "$OUT"' EXIT
export OUT SCANTRACE_ROOT NMAP_SAMPLE NMAP_DECOYS_SAMPLE NMAP_DECOYS SCTP_SAMPLE SCTP_PORTS
printf '%s\n' "${SCANS[@]}" >"$OUT/scans"
printf '%s\n' "${NMAP_SCANS[@]}" >"$OUT/nmap-scans"
[[ ${#want[@]} -gt 0 ]] && printf '%s\n' "${want[@]}" >"$OUT/want"

# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_ROOT/tests/lib/capture.sh"
while IFS="|" read -r name options; do
    [[ -f $OUT/want ]] && ! grep -qx "$name" "$OUT/want" && continue
    options=${options//UPORTS/$LAB_UDP_PORTS}
    options=${options//PORTS/$LAB_TCP_PORTS}
    options=${options//TARGET/$LAB_TARGET_IP}
    options=${options//HOSTS/$LAB_TARGET_IP $LAB_TARGET2_IP $LAB_DOWN_IP}
    echo "== $name: scantrace $options"
    # shellcheck disable=SC2086 # the options are words
    "$SCANTRACE_BIN" $options -n -w "$OUT/$name.pcapng"
done <"$OUT/scans"
if [[ ! -f $OUT/want ]] || grep -qx "$NMAP_SAMPLE" "$OUT/want"; then
    [[ -n $LAB_TARGET_IP6 ]] || { echo "the lab has no IPv6: no $NMAP_SAMPLE"; exit 1; }
    dumpcap -q -i "$LAB_IFACE" -w "$OUT/$NMAP_SAMPLE.pcapng" 2>"$OUT/dumpcap.log" &
    dumpcap_ready "$OUT/dumpcap.log"
    while IFS="|" read -r name options; do
        options=${options//UPORTS6/$LAB_UDP_PORTS6}
        options=${options//PORTS6/$LAB_TCP_PORTS6}
        options=${options//TARGET6/$LAB_TARGET_IP6}
        options=${options//HOSTS6/$LAB_TARGET_IP6 $LAB_TARGET2_IP6 $LAB_DOWN_IP6}
        echo "== $NMAP_SAMPLE, $name: nmap $options"
        # shellcheck disable=SC2086 # the options are words
        nmap $options -n -oX "$OUT/$NMAP_SAMPLE-$name.xml"
        sleep 0.5 # the last replies
    done <"$OUT/nmap-scans"
    kill -INT %1
    wait
fi
if [[ ! -f $OUT/want ]] || grep -qx "$NMAP_DECOYS_SAMPLE" "$OUT/want"; then
    dumpcap -q -i "$LAB_IFACE" -f "host $LAB_TARGET_IP or arp" \
        -w "$OUT/$NMAP_DECOYS_SAMPLE.pcapng" 2>"$OUT/dumpcap-decoys.log" &
    pid=$!
    dumpcap_ready "$OUT/dumpcap-decoys.log"
    echo "== $NMAP_DECOYS_SAMPLE: nmap -sS -f -D $NMAP_DECOYS --reason -p $LAB_TCP_PORTS"
    nmap -sS -f -D "$NMAP_DECOYS" --reason -n -p "$LAB_TCP_PORTS" \
        -oX "$OUT/$NMAP_DECOYS_SAMPLE-syn.xml" "$LAB_TARGET_IP"
    sleep 0.5 # the last replies
    kill -INT "$pid"
    wait "$pid"
fi
if [[ ! -f $OUT/want ]] || grep -qx "$SCTP_SAMPLE" "$OUT/want"; then
    tgt() { ip netns exec "$LAB_TARGET_NS" nft add rule inet lab input "$@"; }
    tgt ip daddr "$LAB_TARGET_IP" sctp dport 9 drop
    tgt ip daddr "$LAB_TARGET_IP" sctp dport 2905 reject with icmp type admin-prohibited
    for scan in -sY -sZ; do
        echo "== $SCTP_SAMPLE: scantrace $scan -Pn --reason -p $SCTP_PORTS"
        "$SCANTRACE_BIN" $scan -Pn --reason -n -p "$SCTP_PORTS" -w "$OUT/sctp$scan.lab" \
            "$LAB_TARGET_IP"
    done
fi
'
bash tests/lab/lab.sh run -- bash -c "$inner"
if [[ -e $OUT/sctp-sY.lab ]]; then
    parts=()
    for item in "${SCTP_ANSWERS[@]}"; do
        scan=${item%%|*}
        /usr/bin/python3 tests/lib/sctp_answers.py "$OUT/sctp$scan.lab" "$OUT/sctp$scan.pcap" \
            "${item#*|}"
        parts+=("$OUT/sctp$scan.pcap")
    done
    mergecap -F pcapng -w "$OUT/$SCTP_SAMPLE.pcapng" "${parts[@]}"
fi
for capture in "$OUT"/*.pcapng; do
    cp "$capture" captures/
    for xml in "${capture%.pcapng}"-*.xml; do [[ ! -e $xml ]] || cp "$xml" captures/; done
    SCANTRACE_PLUGIN=$SCANTRACE_BUILD/plugin/scantrace.so \
        bash tests/integration/plugin_expected.sh --update "captures/$(basename "$capture")"
done
