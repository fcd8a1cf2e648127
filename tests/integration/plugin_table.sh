#!/usr/bin/env bash
# The port table (-z scantrace,ports) reads like nmap's report and agrees with
# the per-packet fields: per host and scan, every state but open with more than
# 25 ports is one "Not shown: N STATE PROTO ports (REASON)" line, and the other
# ports are listed grouped by state, in ascending order, each with its state,
# reason, number of probes and, when a probe was answered, a round trip time.
# On one pass it only says that it needs -2; so does -z scantrace,table (the
# GUI's table, printed by tshark).
set -euo pipefail
SCANTRACE_SOURCE_DIR=${SCANTRACE_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$SCANTRACE_SOURCE_DIR/tests/lib/tshark.sh"

fail() {
    echo "FAIL: $*"
    exit 1
}

TSHARK_LEAKS=0 # every capture again and again: plugin_expected looks for leaks on them
tshark_setup
for capture in "$SCANTRACE_SOURCE_DIR"/captures/*.pcapng; do
    name=$(basename "$capture")
    cap=$(tshark_file "$capture")
    table=$(tshark_unpriv -r "$cap" -2 -q -z scantrace,ports)

    # What the fields say, one line per port of each scan (a scan: its scan id,
    # or for another tool's probes their source): HOST PORT/PROTO SCAN STATE
    # REASON PROBES; then what the table must show of it: the port itself, or
    # its state's "Not shown" count.
    # IPv6 targets and scanners are scantrace.target6 and ipv6.src.
    # Host discovery probes (scantrace.host, but for user-set, which nmap's
    # port probes of a host it did not ping carry) are ping rows, not ports; a
    # decoy's copy of a probe (scantrace.decoy, nmap -D) is not counted.
    fields=$(tshark_unpriv -r "$cap" -2 -Y 'scantrace.role == "probe" && scantrace.port && !(scantrace.host && scantrace.host_reason != "user-set") && !(scantrace.decoy == 1)' -T fields \
        -E occurrence=l -e scantrace.target -e scantrace.port -e scantrace.proto -e scantrace.scan \
        -e scantrace.verdict -e scantrace.reason -e scantrace.scan_id -e ip.src \
        -e scantrace.target6 -e ipv6.src |
        awk -F'\t' '{print ($1 != "" ? $1 : $9), $2 "/" $3, $4 "," ($7 != "" ? $7 : ($8 != "" ? $8 : $10)), $5, $6}' |
        sort | uniq -c |
        awk '{print $2, $3, $4, $5, $6, $1}')
    want_rows=$(awk 'NF == 0 {next} {split($2, pp, "/"); n[$1 " " pp[2] " " $3 " " $4]++; line[++m] = $0}
        END {
            for (i = 1; i <= m; i++) {
                split(line[i], f, " ")
                split(f[2], pp, "/")
                if (f[4] != "open" && n[f[1] " " pp[2] " " f[3] " " f[4]] > 25) continue
                print f[1], f[2], f[4], f[5], f[6]
            }
        }' <<<"$fields" | sort)
    want_hidden=$(awk 'NF == 0 {next} {split($2, pp, "/"); n[$1 " " pp[2] " " $3 " " $4]++}
        END {for (k in n) {split(k, f, " "); if (f[4] != "open" && n[k] > 25) print f[1], n[k], f[4], f[2]}}' \
        <<<"$fields" | sort)

    # What the table says: "HOST ... N ports" headings (IPv4 or IPv6 hosts),
    # "Not shown:" lines and "PORT/PROTO STATE REASON PROBES [RTT]" rows.
    got_rows=$(awk '/^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+|[0-9a-f]*:[0-9a-f]*:[0-9a-f:]*) / {host = $1}
        host && $1 ~ /^[0-9]+\/(tcp|udp|sctp|ip)$/ {print host, $1, $2, $3, $4}' <<<"$table" | sort)
    got_hidden=$(awk '/^([0-9]+\.[0-9]+\.[0-9]+\.[0-9]+|[0-9a-f]*:[0-9a-f]*:[0-9a-f:]*) / {host = $1}
        /^Not shown: / {
            sub(/^Not shown: /, "")
            n = split($0, clause, ", ")
            for (i = 1; i <= n; i++) {split(clause[i], w, " "); count[host " " w[2] " " w[3]] += w[1]}
        }
        END {for (k in count) {split(k, f, " "); print f[1], count[k], f[2], f[3]}}' <<<"$table" | sort)
    [[ $want_rows == "$got_rows" ]] ||
        fail "$name: listed ports differ from the fields"$'\n'"fields:"$'\n'"$want_rows"$'\n'"table:"$'\n'"$got_rows"
    [[ $want_hidden == "$got_hidden" ]] ||
        fail "$name: 'Not shown' differs from the fields"$'\n'"fields:"$'\n'"$want_hidden"$'\n'"table:"$'\n'"$got_hidden"

    # Within a state, ports ascend; each state's heading counts its ports.
    awk '/^[a-z|]+: [0-9]+ (port|ping type)s?$/ {if (state != "" && seen != want) exit 1; state = $1; want = $2; seen = 0; last = -1; next}
         $1 ~ /^[0-9]+\/(tcp|udp|sctp|ip)$/ {split($1, pp, "/"); if (pp[1] + 0 < last) exit 2; last = pp[1] + 0; seen++}
         $2 == "ping" {seen++}
         /^$/ {if (state != "" && seen != want) exit 1; state = ""}
         END {if (state != "" && seen != want) exit 1}' <<<"$table" ||
        fail "$name: a state's count or its ports' order is wrong:"$'\n'"$table"

    # No meaningless columns: rows are PORT STATE REASON PROBES and an RTT only
    # where a probe was answered (no-response ports have none).
    rtt_wrong=$(awk '$1 ~ /^[0-9]+\/(tcp|udp|sctp|ip)$/ && (NF == 5) != ($3 != "no-response")' <<<"$table")
    [[ -z $rtt_wrong ]] || fail "$name: rtt on unanswered or missing on answered ports:"$'\n'"$rtt_wrong"
    ! grep -qE 'Rate|Percent|Burst' <<<"$table" || fail "$name: stats_tree columns in the table"
    grep -qE '^ *([0-9]+/(tcp|udp|sctp|ip)|[a-z-]+ ping( [0-9]+/(tcp|sctp))?) |^Not shown: ' <<<"$table" ||
        fail "$name: empty table"
    echo "ok   $name: $(grep -cE '^ *[0-9]+/(tcp|udp|sctp|ip) ' <<<"$table") ports listed, $(grep -c '^Not shown' <<<"$table") 'Not shown' lines"

    # nmap's own report of the same scan, where there is one: its folded ports
    # (<extraports>) are the table's "Not shown".
    xml=${capture%.pcapng}.xml
    if [[ -e $xml ]]; then
        # A report of few ports folds none: grep finds nothing, which is no error.
        nmap_hidden=$({ grep -o '<extraports state="[^"]*" count="[0-9]*"' "$xml" || true; } |
            sed 's/.*state="\([^"]*\)" count="\([0-9]*\)"/\2 \1/' | sort)
        got=$(sed -n 's/^Not shown: \([0-9]*\) \([a-z|]*\) .*/\1 \2/p' <<<"$table" | sort)
        [[ $nmap_hidden == "$got" ]] ||
            fail "$name: 'Not shown' is not nmap's <extraports>: nmap '$nmap_hidden', table '$got'"
    fi

    one=$(tshark_unpriv -r "$cap" -q -z scantrace,ports)
    grep -q 'run tshark with -2' <<<"$one" || fail "$name: one pass: no hint to use -2"
    ! grep -qE '^ +[0-9]+/tcp ' <<<"$one" || fail "$name: one pass: port lines without final verdicts"
    if [[ -z ${table_told:-} ]]; then # the GUI's table in tshark, on one capture: the same hint
        table_told=1
        one=$(tshark_unpriv -r "$cap" -q -z scantrace,table)
        grep -q '^(verdicts need the whole capture: run tshark with -2)$' <<<"$one" ||
            fail "$name: -z scantrace,table on one pass: no hint to use -2"$'\n'"$one"
        ! grep -qE '^ +[0-9]+/tcp ' <<<"$one" || fail "$name: -z scantrace,table on one pass: port lines"
        one=$(tshark_unpriv -r "$cap" -2 -q -z scantrace,table)
        ! grep -q 'run tshark with -2' <<<"$one" && grep -qE '^ +[0-9]+/tcp ' <<<"$one" ||
            fail "$name: -z scantrace,table with -2: the hint, or no port line"$'\n'"$one"
    fi
done
echo ok
