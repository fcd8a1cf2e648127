#!/usr/bin/env bash
# One pass against two: verdicts that need the whole capture (a probe nobody
# answered is filtered/no-response) exist only with -2, while what a reply decides
# is known on a single pass from the reply on. The display filter on the verdict
# selects exactly the frames that carry that verdict.
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
CAPTURE=$SCANTRACE_SOURCE_DIR/captures/syn-retries.pcapng

fail() {
    echo "FAIL: $*"
    exit 1
}

tshark_setup
cap=$(tshark_file "$CAPTURE")
fields() { tshark_unpriv -r "$cap" "$@" -T fields -e frame.number -e scantrace.role \
    -e scantrace.verdict -e scantrace.reason -e scantrace.response_in; }

two=$(fields -2)
one=$(fields)

# The plugin reports its own version and the Wireshark it was built for (the
# running one's major.minor), and what kind of plugin it is.
ws=$(tshark --version 2>/dev/null | sed -n '1s/.* \([0-9]*\.[0-9]*\)\.[0-9].*/\1/p')
listed=$(tshark_unpriv -G plugins | grep '^scantrace\.so') || fail "tshark -G plugins: no scantrace.so"
IFS=$'\t' read -r _ version type _ <<<"$listed"
[[ $version == "0.1.0 (Wireshark $ws."* && $type == dissector ]] ||
    fail "tshark -G plugins: want 0.1.0 (Wireshark $ws.x), dissector; got: $listed"

# Silent ports: filtered/no-response on every probe with -2, no verdict on one pass.
silent=$(awk -F'\t' '$2 == "probe" && $4 == "no-response" {print $1}' <<<"$two")
[[ -n $silent ]] || fail "no unanswered probe in $CAPTURE"
for frame in $silent; do
    grep -qP "^$frame\tprobe\tfiltered\tno-response\t$" <<<"$two" || fail "-2: frame $frame"
    grep -qP "^$frame\tprobe\t\t\t$" <<<"$one" || fail "one pass: frame $frame has a verdict"
done

# Replies: their verdict is the same on both passes.
diff <(awk -F'\t' '$2 == "response" {print $1, $3, $4}' <<<"$two") \
    <(awk -F'\t' '$2 == "response" {print $1, $3, $4}' <<<"$one") ||
    fail "replies differ between one pass and -2"

# A probe links to its reply only once the reply has been seen (-2).
grep -qP '^\d+\tprobe\t[^\t]+\t[^\t]+\t\d+$' <<<"$two" || fail "-2: no probe has response_in"
! grep -qP '^\d+\tprobe\t.*\t\d+$' <<<"$one" || fail "one pass: a probe has response_in"

# The display filter selects the frames whose verdict is filtered, on -2.
want=$(awk -F'\t' '$3 == "filtered" {print $1}' <<<"$two")
got=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.verdict == "filtered"' -T fields -e frame.number)
[[ -n $want && $want == "$got" ]] || fail "filter: want ${want//$'\n'/ }, got ${got//$'\n'/ }"
# and on one pass, only those already known.
want=$(awk -F'\t' '$3 == "filtered" {print $1}' <<<"$one")
got=$(tshark_unpriv -r "$cap" -Y 'scantrace.verdict == "filtered"' -T fields -e frame.number)
[[ $want == "$got" ]] || fail "one-pass filter: want ${want//$'\n'/ }, got ${got//$'\n'/ }"

# The Info column says what each scan packet is: the packet list's column, as
# the GUI and tshark's summary lines show it. (From 4.4 on, the _ws.col.info
# field is filled in before postdissectors run, so it never shows our part.)
info=$(tshark_unpriv -r "$cap" -2 -o 'gui.column.format:"No.","%m","Info","%i"' |
    sed -E 's/^ *([0-9]+) /\1\t/')
grep -qP '^\d+\t\[probe 22/tcp try 0 → open \(syn-ack\)\] ' <<<"$info" ||
    fail "Info column of a probe"
grep -qP '^\d+\t\[response 3389/tcp → filtered \(admin-prohibited\)\] ' <<<"$info" ||
    fail "Info column of a reply"
grep -qP '^\d+\t\[probe 8080/tcp try 1 → filtered \(no-response\)\] ' <<<"$info" ||
    fail "Info column of a retransmission"

# Expert info: retransmissions and unanswered tries are flagged.
tshark_unpriv -r "$cap" -2 -Y scantrace.retransmission -T fields -e scantrace.try |
    grep -qvx 0 || fail "no retransmission flagged"
[[ $(tshark_unpriv -r "$cap" -2 -Y scantrace.no_response | wc -l) -gt 0 ]] ||
    fail "no unanswered try flagged"
echo ok
