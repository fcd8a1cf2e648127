#!/usr/bin/env bash
# Malformed input never crashes the plugin nor makes it throw: captures cut at
# every snap length through the headers, with random bit errors, and random
# garbage frames all end in a clean exit, without a malformed-packet or
# dissector-bug report against scantrace.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

failed=0
check() { # CAPTURE [TSHARK ARGS...]: fully dissect it, on both passes and one
    local capture=$1 mode out
    shift
    for mode in -2 ""; do
        if ! out=$(tshark_unpriv -r "$capture" $mode -V -z scantrace,ports "$@" 2>&1); then
            echo "FAIL $(basename "$capture") $mode: tshark failed"
            tail -5 <<<"$out"
            failed=$((failed + 1))
        elif grep -qiE 'Malformed Packet: Scantrace|Dissector bug, protocol Scantrace' <<<"$out"; then
            echo "FAIL $(basename "$capture") $mode: scantrace threw"
            grep -iE -m3 'Malformed Packet: Scantrace|Dissector bug, protocol Scantrace' <<<"$out"
            failed=$((failed + 1))
        fi
    done
}

tshark_setup
dir=$TSHARK_HOME/captures
for capture in "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng; do
    name=$(basename "$capture" .pcapng)
    # Cut through the link, IP, TCP and ICMP headers, the tag and the quoted probe.
    for snaplen in $(seq 14 2 100); do
        editcap -s "$snaplen" "$capture" "$dir/$name-s$snaplen.pcapng"
    done
    for seed in 1 2 3 4 5 6 7 8; do
        editcap --seed "$seed" -E 0.02 "$capture" "$dir/$name-e$seed.pcapng"
    done
done
for type in eth ip tcp icmp; do
    randpkt -b 200 -c 300 -t "$type" "$dir/random-$type.pcap"
done
chmod a+r "$dir"/*
n=0
for capture in "$dir"/*; do
    check "$capture"
    n=$((n + 1))
done
echo "$n captures, $failed failures"
((failed == 0))
