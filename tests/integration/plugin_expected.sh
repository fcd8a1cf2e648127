#!/usr/bin/env bash
# Golden captures: every capture in captures/ with a NAME.expected beside it is
# read with tshark -2, and the scantrace fields of every frame must be those of
# the file; where a NAME.table is there too, the -z scantrace,ports table must be
# that file. The file's first line names the fields (tshark's -E header=y), so a
# new capture needs no change here:
#
#   tests/integration/plugin_expected.sh --update CAPTURE...   # then review the diff
#
# SCANTRACE_CAPTURES names a folder of more such pairs, for example captures made
# on a host with another Wireshark version, whose .expected that version's build of
# the plugin wrote (tests/chroot/plugin-tests.sh).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

FIELDS=(frame.number scantrace.role scantrace.target scantrace.target6 scantrace.port scantrace.proto
    scantrace.scan scantrace.verdict scantrace.reason scantrace.scan_id scantrace.try
    scantrace.response_in scantrace.probe_in scantrace.rtt scantrace.tool scantrace.evidence
    scantrace.fragments scantrace.decoy scantrace.decoys.scanner)

# TABLE_TOO=1: the -z scantrace,ports table after the fields, from an empty line on.
fields_of() { # CAPTURE FIELD...
    local capture=$1 args=() f
    shift
    for f in "$@"; do args+=(-e "$f"); done
    [[ ${TABLE_TOO:-0} == 1 ]] && args+=(-z "scantrace,ports")
    # From 4.2 on, tshark prints a boolean field as True/False where 4.0 prints 1/0.
    tshark_unpriv -r "$(tshark_file "$capture")" -2 -T fields -E header=y "${args[@]}" |
        awk 'BEGIN { FS = OFS = "\t" }
             { for (i = 1; i <= NF; i++) { if ($i == "True") $i = 1; else if ($i == "False") $i = 0 } print }'
}

# From 4.4 on, tshark titles the table with its menu path, "Scantrace / Ports".
table_of() { # CAPTURE
    tshark_unpriv -r "$(tshark_file "$1")" -2 -q -z scantrace,ports |
        sed 's|^Scantrace / Ports|Scantrace/Ports|'
}

tshark_setup
if [[ ${1:-} == --update ]]; then
    shift
    for capture in "$@"; do
        fields_of "$capture" "${FIELDS[@]}" >"${capture%.*}.expected"
        table_of "$capture" >"${capture%.*}.table"
        echo "wrote ${capture%.*}.expected and .table"
    done
    exit 0
fi

checked=0 failed=0
# Under the sanitizers, where each tshark start costs seconds of leak checking,
# one pass gives both the fields and the table (tshark prints a tap's table
# after the fields; no field line is empty): the words and tree items the
# fields need are made, the table is the same. The table's -q pass alone stays
# the gcc stage's here, and plugin_table.sh's under the sanitizers too.
together=0
[[ ${SCANTRACE_SANITIZED:-0} == 1 && ${TSHARK_LEAKS:-1} == 1 ]] && together=1
extra=()
[[ -n ${SCANTRACE_CAPTURES:-} ]] && extra=("$SCANTRACE_CAPTURES"/*.expected)
for expected in "$SCANTRACE_SOURCE_DIR"/captures/*.expected "${extra[@]}"; do
    [[ -e $expected ]] || continue
    capture=
    for c in "${expected%.expected}".pcapng "${expected%.expected}".pcap; do
        [[ -e $c ]] && capture=$c
    done
    [[ -n $capture ]] || { echo "FAIL $expected: no capture beside it"; failed=$((failed + 1)); continue; }
    IFS=$'\t' read -r -a fields <"$expected"
    table=${expected%.expected}.table
    got=$TSHARK_HOME/got
    if ((together)) && [[ -e $table ]]; then
        TABLE_TOO=1 fields_of "$capture" "${fields[@]}" >"$got.both"
        awk '$0 == "" { exit } { print }' "$got.both" >"$got.fields"
        awk '$0 == "" { table = 1 } table' "$got.both" | sed 's|^Scantrace / Ports|Scantrace/Ports|' >"$got.table"
    else
        fields_of "$capture" "${fields[@]}" >"$got.fields"
        [[ -e $table ]] && table_of "$capture" >"$got.table"
    fi
    if diff -u "$expected" "$got.fields" >"$TSHARK_HOME/diff"; then
        echo "ok   $(basename "$capture")"
    else
        echo "FAIL $(basename "$capture"): the fields differ from $(basename "$expected")"
        cat "$TSHARK_HOME/diff"
        failed=$((failed + 1))
    fi
    if [[ -e $table ]] && ! diff -u "$table" "$got.table"; then
        echo "FAIL $(basename "$capture"): the -z table differs from $(basename "$table")"
        failed=$((failed + 1))
    fi
    checked=$((checked + 1))
done
((checked > 0)) || { echo "FAIL: no captures/*.expected"; exit 1; }
((failed == 0))
