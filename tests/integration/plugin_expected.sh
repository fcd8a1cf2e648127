#!/usr/bin/env bash
# Golden captures: every capture in captures/ with a NAME.expected beside it is
# read with tshark -2, and the scantrace fields of every frame must be those of
# the file. The file's first line names the fields (tshark's -E header=y), so a
# new capture needs no change here:
#
#   tests/integration/plugin_expected.sh --update CAPTURE...   # then review the diff
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

FIELDS=(frame.number scantrace.role scantrace.target scantrace.port scantrace.proto
    scantrace.scan scantrace.verdict scantrace.reason scantrace.scan_id scantrace.try
    scantrace.response_in scantrace.probe_in scantrace.rtt scantrace.tool)

fields_of() { # CAPTURE FIELD...
    local capture=$1 args=() f
    shift
    for f in "$@"; do args+=(-e "$f"); done
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -T fields -E header=y "${args[@]}"
}

tshark_setup
if [[ ${1:-} == --update ]]; then
    shift
    for capture in "$@"; do
        fields_of "$capture" "${FIELDS[@]}" >"${capture%.*}.expected"
        echo "wrote ${capture%.*}.expected"
    done
    exit 0
fi

checked=0 failed=0
for expected in "$SCANTRACE_SOURCE_DIR"/captures/*.expected; do
    [[ -e $expected ]] || continue
    capture=
    for c in "${expected%.expected}".pcapng "${expected%.expected}".pcap; do
        [[ -e $c ]] && capture=$c
    done
    [[ -n $capture ]] || { echo "FAIL $expected: no capture beside it"; failed=$((failed + 1)); continue; }
    IFS=$'\t' read -r -a fields <"$expected"
    if diff -u "$expected" <(fields_of "$capture" "${fields[@]}") >"$TSHARK_HOME/diff"; then
        echo "ok   $(basename "$capture")"
    else
        echo "FAIL $(basename "$capture"): the fields differ from $(basename "$expected")"
        cat "$TSHARK_HOME/diff"
        failed=$((failed + 1))
    fi
    checked=$((checked + 1))
done
((checked > 0)) || { echo "FAIL: no captures/*.expected"; exit 1; }
((failed == 0))
