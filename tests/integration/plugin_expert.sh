#!/usr/bin/env bash
# Expert Information lists the scan's findings: one scantrace.port_verdict note
# per port of each scan (per host, for host discovery), saying the port's
# verdict and reason, on the frame that decided it: the reply, or the last probe
# of a port nobody answered. On tshark's single pass only replies carry one.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

fail() {
    echo "FAIL: $*"
    exit 1
}

PORT_FIELDS=(-e scantrace.target -e scantrace.target6 -e scantrace.proto -e scantrace.port
    -e scantrace.scan -e scantrace.scan_id -e scantrace.verdict -e scantrace.reason)

# Every sample is read four times: leaks are plugin_expected's, plugin_tree's and
# plugin_table's job, which read the same samples (tests/lib/tshark.sh).
TSHARK_LEAKS=0
tshark_setup
for capture in "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng; do
    name=$(basename "$capture")
    cap=$(tshark_file "$capture")
    # Every port of every scan, once (a probe carries its port's verdict).
    # A decoy's copy of a probe (nmap -D) has its scanner's port and note.
    want=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.role == "probe" && !(scantrace.decoy == 1)' -T fields -E occurrence=l \
        "${PORT_FIELDS[@]}" -e ip.src -e ipv6.src | sort -u | cut -f1-8)
    got=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.port_verdict' -T fields -E occurrence=l \
        "${PORT_FIELDS[@]}" | sort)
    [[ $want == "$got" ]] ||
        fail "$name: verdict notes are not one per port"$'\n'"ports:"$'\n'"$want"$'\n'"notes:"$'\n'"$got"
    # The note says what the fields say.
    # (-z expert counts equal messages: two scans of one port say the same.)
    notes=$(tshark_unpriv -r "$cap" -2 -q -z expert,note |
        awk '/ Scantrace +(Port [0-9a-f:.]+ [0-9]+\/[a-z]+|Host [0-9a-f:.]+) [a-z|]+ \(/ {n += $1} END {print n + 0}')
    (($(wc -l <<<"$got") == notes)) || fail "$name: $notes verdict lines in -z expert, $(wc -l <<<"$got") ports"
    # One pass: only replies, never a probe.
    ! tshark_unpriv -r "$cap" -Y 'scantrace.port_verdict && scantrace.role == "probe"' | grep -q . ||
        fail "$name: one pass: a verdict note on a probe (silence is not known yet)"
    echo "ok   $name: $(wc -l <<<"$got") verdict notes, one per port"
done
echo ok
