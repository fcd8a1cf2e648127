#!/usr/bin/env bash
# The same scan seen through any link layer gives the same fields: Ethernet (the
# target's dumpcap), Linux cooked capture (the scanner's dumpcap -i any), and raw
# IP (the Ethernet capture with its link headers cut off).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"
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
[[ $(tshark_unpriv -r "$(tshark_file "$ETHERNET")" -T fields -e frame.encap_type | sort -u) == 1 ]] ||
    fail "$ETHERNET is not Ethernet"
[[ $(tshark_unpriv -r "$(tshark_file "$COOKED")" -T fields -e frame.protocols | cut -d: -f1 | sort -u) == sll ]] ||
    fail "$COOKED is not a Linux cooked capture"

raw=$TSHARK_HOME/captures/syn-retries-rawip.pcap
editcap -F pcap -C 14 -T rawip4 "$ETHERNET" "$raw"
chmod a+r "$raw"
diff <(fields "$ETHERNET") <(fields "$raw") || fail "raw IP differs from Ethernet"

[[ -n $(verdicts "$ETHERNET") ]] || fail "no scan in $ETHERNET"
diff <(verdicts "$ETHERNET") <(verdicts "$COOKED") || fail "Linux cooked differs from Ethernet"
echo ok
