#!/usr/bin/env bash
# The same scan seen through any link layer gives the same fields: Ethernet (the
# target's dumpcap), Linux cooked capture (the scanner's dumpcap -i any), and raw
# IP (the Ethernet capture with its link headers cut off); and, where scapy is
# installed, the IP packets of an IPv4 and an IPv6 scan under every link layer
# and tunnel tests/lib/relink.py writes (VLAN, QinQ, Linux cooked v2, BSD
# loopback, PPPoE, MPLS, GRE, IP in IPv6, VXLAN, Geneve, and L2TP and GTP-U,
# which plugin/ip_bytes.c's walk does not know), frame for frame, and cut into
# IP fragments inside some of them (the same verdicts, on the reassembling frames;
# IPv6 ones with hop-by-hop and destination options around the fragment header).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/python.sh"
ETHERNET=$SCANTRACE_SOURCE_DIR/captures/syn-retries.pcapng
COOKED=$SCANTRACE_SOURCE_DIR/captures/syn-retries-sll.pcapng

fail() {
    echo "FAIL: $*"
    exit 1
}

FIELDS=(-e frame.number -e scantrace.role -e scantrace.target -e scantrace.port -e scantrace.scan
    -e scantrace.verdict -e scantrace.reason -e scantrace.try -e scantrace.response_in
    -e scantrace.probe_in)
fields() { tshark_unpriv -r "$(tshark_file "$1")" -2 -T fields "${FIELDS[@]}"; }
# Port verdicts, without frame numbers: what two captures of one scan share.
verdicts() { fields "$1" | cut -f2- | grep -v '^\s*$' | sort -u; }

tshark_setup
raw=$TSHARK_HOME/captures/syn-retries-rawip.pcap
editcap -F pcap -C 14 -T rawip4 "$ETHERNET" "$raw"
chmod a+r "$raw"
relinked=()
for scan in syn-retries nmap6-scans; do
    out=$TSHARK_HOME/relink-$scan
    mkdir -p "$out"
    if ! "$PY" "$SCANTRACE_SOURCE_DIR/tests/lib/relink.py" "$SCANTRACE_SOURCE_DIR/captures/$scan.pcapng" \
        "$out" >/dev/null 2>&1; then
        echo "note: relink.py cannot run (no scapy?): the other link layers and tunnels skip"
        break
    fi
    relinked+=("$scan")
done
chmod -R a+rX "$TSHARK_HOME"

# Under the sanitizers the leak check (tests/lib/tshark.sh), seconds of every
# tshark start, runs on all of this test's captures read as one, each link
# layer's frames under an interface of its own (mergecap -a), once on one pass
# and once on both; the comparisons below then run under ASan and UBSan alone.
if [[ ${SCANTRACE_SANITIZED:-0} == 1 && ${TSHARK_LEAKS:-1} == 1 ]]; then
    merged=$TSHARK_HOME/captures/every-link.pcapng
    every=("$ETHERNET" "$COOKED" "$raw")
    for scan in "${relinked[@]}"; do every+=("$TSHARK_HOME/relink-$scan"/*.pcap); done
    mergecap -a -w "$merged" "${every[@]}"
    chmod a+r "$merged"
    for mode in -2 ""; do
        # shellcheck disable=SC2086 # one word or none
        n=$(tshark_unpriv -r "$merged" $mode -T fields "${FIELDS[@]}" | awk -F'\t' '$2 != ""' | wc -l) ||
            fail "tshark on every link layer at once${mode:+ ($mode)}"
        ((n > 0)) || fail "no frame labelled on every link layer at once${mode:+ ($mode)}"
    done
    echo "leak check: $n labelled frames under every link layer, read as one capture"
    tshark_leaks_done
fi

[[ $(tshark_unpriv -r "$(tshark_file "$ETHERNET")" -T fields -e frame.encap_type | sort -u) == 1 ]] ||
    fail "$ETHERNET is not Ethernet"
[[ $(tshark_unpriv -r "$(tshark_file "$COOKED")" -T fields -e frame.protocols | cut -d: -f1 | sort -u) == sll ]] ||
    fail "$COOKED is not a Linux cooked capture"
diff <(fields "$ETHERNET") <(fields "$raw") || fail "raw IP differs from Ethernet"

[[ -n $(verdicts "$ETHERNET") ]] || fail "no scan in $ETHERNET"
diff <(verdicts "$ETHERNET") <(verdicts "$COOKED") || fail "Linux cooked differs from Ethernet"

# The same without frame numbers (fragments make more frames).
judged() { fields "$1" | cut -f2-8 | grep -v '^\s*$' | sort -u; }
# count FILTER FILE: how many frames match.
count() { tshark_unpriv -r "$(tshark_file "$2")" -2 -Y "$1" -T fields -e frame.number | grep -c .; }
for scan in "${relinked[@]}"; do
    out=$TSHARK_HOME/relink-$scan
    reference=$(fields "$out/ethernet.pcap")
    [[ $(count scantrace.role "$out/ethernet.pcap") -gt 0 ]] || fail "no scan in $scan's IP frames"
    for variant in "$out"/*.pcap; do
        kind=$(basename "$variant" .pcap)
        case $kind in
        ethernet) ;;
        fragmented-*)
            diff <(judged "$out/ethernet.pcap") <(judged "$variant") ||
                fail "$scan: $kind's verdicts differ from Ethernet's"
            if [[ $scan == syn-retries ]]; then
                [[ $(count 'scantrace.fragments == 3' "$variant") -gt 0 ]] ||
                    fail "$scan: no datagram of 3 fragments in $kind"
            else
                # A SYN with MSS and the destination options before it: 32 octets.
                [[ $(count 'scantrace.fragments == 4' "$variant") -gt 0 ]] ||
                    fail "$scan: no datagram of 4 IPv6 fragments in $kind"
            fi
            ;;
        *) diff <(echo "$reference") <(fields "$variant") || fail "$scan: $kind differs from Ethernet" ;;
        esac
    done
    echo "ok   $scan under $(find "$out" -name '*.pcap' | wc -l) link layers and tunnels"
done
echo ok
