#!/usr/bin/env bash
# The main job: installs what is missing, builds, scans the built-in lab, keeps
# the captures in captures/lab/, and shows the scanner's report beside what the
# plugin makes of the same packets: its port table, a port-by-port comparison and
# every packet of the scan, labelled.
#
#   scripts/scan-lab.sh [SCANTRACE-OPTIONS...]     (default: -sS --reason -p <lab ports>)
#
# The target is the lab's 10.201.0.2, or its IPv6 address (fd20:1::2) with -6.
set -euo pipefail
# shellcheck source=scripts/setup.sh
source "$(dirname "$0")/setup.sh"
cd "$SCANTRACE_ROOT"

setup_packages "${SCANTRACE_PACKAGES[@]}"
setup_build
export SCANTRACE_BIN=$SCANTRACE_BUILD/scanner/scantrace
export SCANTRACE_PLUGIN=$SCANTRACE_BUILD/plugin/scantrace.so
export LAB_LISTENER=$SCANTRACE_BUILD/tests/lab/lab_listener
# shellcheck source=tests/lib/tshark.sh
. tests/lib/tshark.sh
# shellcheck source=tests/lib/verdicts.sh
. tests/lib/verdicts.sh

OUT=$SCANTRACE_ROOT/captures/lab
mkdir -p "$OUT"
rm -f "$OUT"/scan.* "$OUT"/target.*
chmod 755 "$OUT"
export OUT SCANTRACE_ROOT
export SCAN_OPTIONS="${*:-}"

# Inside the lab's scanner namespace: dumpcap on the target's side, the scan.
# shellcheck disable=SC2016 # expanded by the inner shell
inner='
set -euo pipefail
. "$SCANTRACE_ROOT/tests/lib/capture.sh"
cp "$LAB_TRUTH" "$OUT/truth.txt"
ip netns exec "$LAB_TARGET_NS" dumpcap -q -i "$LAB_TARGET_IFACE" -w "$OUT/target.pcapng" \
    2>"$OUT/target.log" &
dumpcap_ready "$OUT/target.log"
# -6 (or --ipv6) scans the IPv6 address of the lab target: the scanner wants every
# target of the family -6 names.
target=$LAB_TARGET_IP
for word in $SCAN_OPTIONS; do
    if [[ $word == -6 || $word == --ipv6 ]]; then
        [[ -n $LAB_TARGET_IP6 ]] || { echo "scan-lab.sh: -6: the lab has no IPv6 (ipv6.disable=1?)" >&2; exit 1; }
        target=$LAB_TARGET_IP6
    fi
done
# shellcheck disable=SC2086 # the options are words
"$SCANTRACE_BIN" ${SCAN_OPTIONS:--sS --reason -p $LAB_TCP_PORTS} -n -oX "$OUT/scan.xml" \
    -oN "$OUT/scan.nmap" -w "$OUT/scan.pcapng" "$target" >/dev/null
sleep 0.3
kill -INT %1
wait
rm -f "$OUT/target.log"
'
bash tests/lab/lab.sh run -- bash -c "$inner"

tshark_setup
scan=$(tshark_file "$OUT/scan.pcapng")

printf '\n== The scanner: scantrace %s (%s)\n\n' "${SCAN_OPTIONS:--sS --reason -p <lab ports>}" \
    "captures/lab/scan.nmap"
grep -v '^#' "$OUT/scan.nmap"

printf '\n== The plugin: tshark -2 -q -z scantrace,ports -r captures/lab/scan.pcapng\n'
tshark_unpriv -r "$scan" -2 -q -z scantrace,ports | cut -c1-95

printf '\n== Port by port: the scanner, the plugin on the scanner'"'"'s capture, and on dumpcap'"'"'s on the target\n\n'
verdicts_from_xml "$OUT/scan.xml" >"$OUT/scanner.txt"
verdicts_from_capture "$OUT/scan.pcapng" >"$OUT/plugin.txt"
verdicts_from_capture "$OUT/target.pcapng" >"$OUT/plugin-target.txt"
printf '%-10s %-30s %-30s %s\n' PORT SCANNER PLUGIN "PLUGIN (TARGET SIDE)"
join -a1 -e- -o '0,1.2,1.3,2.2,2.3' <(awk '{print $3"/"$2, $4, $5}' "$OUT/scanner.txt" | sort) \
    <(awk '{print $3"/"$2, $4, $5}' "$OUT/plugin.txt" | sort) |
    join -a1 -e- -o '0,1.2,1.3,1.4,1.5,2.2,2.3' - \
        <(awk '{print $3"/"$2, $4, $5}' "$OUT/plugin-target.txt" | sort) |
    sort -n | awk '{printf "%-10s %-30s %-30s %s\n", $1, $2" ("$3")", $4" ("$5")", $6" ("$7")"}'
agree=yes
cmp -s "$OUT/scanner.txt" "$OUT/plugin.txt" && cmp -s "$OUT/scanner.txt" "$OUT/plugin-target.txt" ||
    agree=no
printf '\nall three agree on every port: %s\n' "$agree"

printf '\n== Every packet of the scan, as the plugin labels it (tshark -2 -r captures/lab/scan.pcapng)\n\n'
tshark_unpriv -r "$scan" -2 \
    -o 'gui.column.format:"No.","%m","Source","%s","Destination","%d","Info","%i"'
printf '\nCaptures: captures/lab/scan.pcapng (the scanner'"'"'s -w), captures/lab/target.pcapng (dumpcap on the target).\n'
printf 'Open them in Wireshark with the plugin installed (cmake --install build) and filter on scantrace.verdict.\n'
[[ $agree == yes ]]
