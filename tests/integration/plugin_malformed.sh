#!/usr/bin/env bash
# Malformed input never crashes the plugin nor makes it throw: captures cut at
# every snap length through the headers, with random bit errors, and random
# garbage frames all end in a clean exit, without a malformed-packet or
# dissector-bug report against scantrace. The variants of one capture are read
# as one file (mergecap -a), one after the other, so that tshark starts twice per
# capture rather than a hundred times (under the sanitizers, those of every
# capture as one file); only when that fails is each read alone, to name the
# culprit.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
. "$SCANTRACE_SOURCE_DIR/tests/lib/python.sh"

failed=0
check() { # CAPTURE [TSHARK ARGS...]: fully dissect it, on both passes and one
    local capture=$1 mode out
    shift
    for mode in -2 ""; do
        # -V builds every tree item's text, as the GUI does; -Y prints only the
        # frames where a dissector threw, which is all the grep needs (printing
        # every tree doubled the test's time).
        if ! out=$(tshark_unpriv -r "$capture" $mode -V -Y _ws.malformed -z scantrace,ports "$@" 2>&1); then
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

TSHARK_LEAKS=0 # large captures: leaks are the other tests' job (tests/lib/tshark.sh)
tshark_setup
dir=$TSHARK_HOME/captures
n=0
merged=()
# captures/ holds IPv4 scans: the IPv6 kinds of tests/real-world/make_captures.py
# (nmap -6, extension headers, fragments, ICMPv6 errors, 6in4) join them where
# scapy is installed (make_captures.py fails without it: those captures skip).
ipv6=()
gen=$TSHARK_HOME/generated
if "$PY" "$SCANTRACE_SOURCE_DIR/tests/real-world/make_captures.py" "$gen" >/dev/null 2>&1; then
    ipv6=("$gen"/g3*_ipv6_*.pcap)
else
    echo "note: make_captures.py cannot run (no scapy?): the IPv6 captures skip"
fi
for capture in "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng "${ipv6[@]}"; do
    name=$(basename "$capture")
    name=${name%.*}
    mkdir "$dir/$name"
    # Cut through the link, IP, TCP and ICMP headers, the tag and the quoted probe.
    for snaplen in $(seq 14 2 100); do
        editcap -s "$snaplen" "$capture" "$dir/$name/s$snaplen.pcapng"
    done
    for seed in 1 2 3 4 5 6 7 8; do
        editcap --seed "$seed" -E 0.02 "$capture" "$dir/$name/e$seed.pcapng"
    done
    variants=("$dir/$name"/*)
    mergecap -a -w "$dir/$name-variants.pcapng" "${variants[@]}"
    merged+=("$dir/$name-variants.pcapng")
    n=$((n + ${#variants[@]}))
done
chmod -R a+rX "$dir"
# Under the sanitizers, where tshark starts slowly, every capture's variants are
# read as one file first; only when that fails is each capture's read alone.
all_failed=1
if [[ ${SCANTRACE_SANITIZED:-0} == 1 ]]; then
    mergecap -a -w "$dir/all-variants.pcapng" "${merged[@]}"
    chmod a+r "$dir/all-variants.pcapng"
    before=$failed
    check "$dir/all-variants.pcapng"
    ((failed > before)) || all_failed=0
fi
if ((all_failed)); then
    for file in "${merged[@]}"; do
        before=$failed
        check "$file"
        if ((failed > before)); then
            name=$(basename "$file" -variants.pcapng)
            for variant in "$dir/$name"/*; do check "$variant"; done
        fi
    done
fi
for type in eth ip ipv6 tcp icmp; do
    randpkt -b 200 -c 300 -t "$type" "$dir/random-$type.pcap"
    chmod a+r "$dir/random-$type.pcap"
    check "$dir/random-$type.pcap"
    n=$((n + 1))
done
echo "$n captures, $failed failures"
((failed == 0))
