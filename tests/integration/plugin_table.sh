#!/usr/bin/env bash
# The port table (-z scantrace,ports, a stats_tree): one line per port with its
# verdict and the number of probes, agreeing with the per-packet fields; on one
# pass it only says that it needs -2.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

fail() {
    echo "FAIL: $*"
    exit 1
}

tshark_setup
for capture in "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng; do
    cap=$(tshark_file "$capture")
    table=$(tshark_unpriv -r "$cap" -2 -q -z scantrace,ports)
    echo "$table"
    # "-z scantrace,tree" is the same tree under tshark's usual name.
    [[ $(tshark_unpriv -r "$cap" -2 -q -z scantrace,tree) == "$table" ]] ||
        fail "scantrace,tree differs from scantrace,ports"

    # What the fields say: probes per target, port and verdict (port scans only).
    want=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.role == "probe" && scantrace.port' -T fields \
        -e scantrace.target -e scantrace.port -e scantrace.proto -e scantrace.verdict \
        -e scantrace.reason | sort | uniq -c |
        awk '{printf "%s %s/%s %s %s %s\n", $2, $3, $4, $5, $6, $1}' | sort)
    # What the table says: host lines, then "PORT/PROTO STATE REASON COUNT ..." lines.
    got=$(awk '/^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ / {host = $1}
               host && $1 ~ /^[0-9]+\/(tcp|udp)$/ {print host, $1, $2, $3, $4}' <<<"$table" | sort)
    # (A capture of host discovery alone has no port lines on either side.)
    [[ $want == "$got" ]] ||
        fail "$(basename "$capture"): table and fields disagree"$'\n'"fields:"$'\n'"$want"$'\n'"table:"$'\n'"$got"

    grep -qE '^ +([0-9]+/(tcp|udp) |host (up|down) )' <<<"$table" || fail "$(basename "$capture"): empty table"

    # Ports that were answered have round trip times (average, min, max: three
    # columns more than the rate, percent and burst ones every line has);
    # ports nobody answered have none.
    rtt_wrong=$(awk '$1 ~ /^[0-9]+\/(tcp|udp)$/ && (NF == 11) != ($3 != "no-response")' <<<"$table")
    [[ -z $rtt_wrong ]] || fail "rtt columns on unanswered or missing on answered ports:"$'\n'"$rtt_wrong"

    one=$(tshark_unpriv -r "$cap" -q -z scantrace,ports)
    grep -q 'run tshark with -2' <<<"$one" || fail "one pass: no hint to use -2"
    ! grep -qE '^ +[0-9]+/tcp ' <<<"$one" || fail "one pass: port lines without final verdicts"
done
echo ok
